"""Writes for the tutor team. One transaction each, with an audit entry."""

from __future__ import annotations

import datetime as dt
import re

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from protutor.audit import services as audit
from protutor.core.errors import ServiceError
from protutor.cpd.models import Session
from protutor.observations.models import Observation
from protutor.people.models import Caseload, StaffMember
from protutor.support.models import Route, SupportCase
from protutor.team import permissions
from protutor.team.models import (
    AgendaItem,
    MeetingAction,
    OwnDevelopment,
    Partner,
    PartnerMeeting,
    PartnerVisit,
    TargetReview,
    TeamMeeting,
    TutorTarget,
)

DENIED = "You do not have permission to do that."


def _in_team(actor, institution_id: int) -> None:
    if not permissions.team_institutions_of(actor).filter(pk=institution_id).exists():
        raise ServiceError(DENIED)


def _lead(actor, institution_id: int) -> None:
    if not permissions.is_programme_lead_of(actor, institution_id):
        raise ServiceError("Only the programme lead can do that.")


def names_in(text: str, institution_id: int) -> list[str]:
    """Staff full names that appear in `text`: the practice item must stay anonymous."""
    lowered = " ".join(text.lower().split())  # a double space or line break must not hide a name
    if not lowered:
        return []
    return [
        f"{forename} {surname}"
        for forename, surname in StaffMember.objects.filter(institution_id=institution_id).values_list(
            "forename", "surname"
        )
        if re.search(rf"\b{re.escape(f'{forename} {surname}'.lower())}\b", lowered)
    ]


@transaction.atomic
def schedule_meeting(*, actor, institution, held_on: dt.date) -> TeamMeeting:
    _lead(actor, institution.pk)
    try:
        with transaction.atomic():
            meeting = TeamMeeting.objects.create(institution=institution, held_on=held_on)
    except IntegrityError as exc:
        raise ServiceError("There is already a meeting on that day", field="held_on") from exc
    audit.record(actor=actor, action="team.meeting_scheduled", target=meeting)
    return meeting


@transaction.atomic
def add_agenda_item(*, actor, meeting: TeamMeeting, title: str) -> AgendaItem:
    """Anyone in the team adds to the agenda."""
    _in_team(actor, meeting.institution_id)
    if not title.strip():
        raise ServiceError("Enter the agenda item", field="title")
    item = AgendaItem.objects.create(
        meeting=meeting, title=title.strip(), added_by=StaffMember.objects.filter(user=actor).first()
    )
    audit.record(actor=actor, action="team.agenda_item_added", target=meeting)
    return item


@transaction.atomic
def record_minutes(*, actor, meeting: TeamMeeting, minutes: str, practice_seen: str) -> TeamMeeting:
    """The chair records the minutes and the standing practice item, which must name nobody."""
    _lead(actor, meeting.institution_id)
    named = names_in(practice_seen, meeting.institution_id)
    if named:
        raise ServiceError(
            f"Take the names out of “the practice we saw this week”: {', '.join(named)}",
            field="practice_seen",
        )
    meeting.minutes = minutes.strip()
    meeting.practice_seen = practice_seen.strip()
    meeting.save(update_fields=["minutes", "practice_seen"])
    audit.record(actor=actor, action="team.minutes_recorded", target=meeting)
    return meeting


@transaction.atomic
def add_action(
    *, actor, meeting: TeamMeeting, description: str, owner: StaffMember, due_on: dt.date
) -> MeetingAction:
    _in_team(actor, meeting.institution_id)
    if not permissions.team_institutions_of(owner.user).filter(pk=meeting.institution_id).exists():
        raise ServiceError("Select someone in the tutor team", field="owner")
    if not description.strip():
        raise ServiceError("Enter the action", field="description")
    action = MeetingAction.objects.create(
        meeting=meeting, description=description.strip(), owner=owner, due_on=due_on
    )
    audit.record(actor=actor, action="team.action_added", target=meeting)
    return action


@transaction.atomic
def complete_action(*, actor, action: MeetingAction) -> MeetingAction:
    _in_team(actor, action.meeting.institution_id)
    if action.done_on is None:
        action.done_on = timezone.localdate()
        action.save(update_fields=["done_on"])
        audit.record(actor=actor, action="team.action_done", target=action.meeting)
    return action


def open_actions_for(meeting: TeamMeeting):
    """Actions carried forward: from this meeting or earlier ones, not yet done."""
    return (
        MeetingAction.objects.filter(
            meeting__institution=meeting.institution_id, meeting__held_on__lte=meeting.held_on
        )
        .filter(Q(done_on__isnull=True) | Q(meeting=meeting))
        .select_related("owner", "meeting")
    )


@transaction.atomic
def add_partner(*, actor, institution, name: str, contacts: str = "") -> Partner:
    _in_team(actor, institution.pk)
    if not name.strip():
        raise ServiceError("Enter the partner's name", field="name")
    try:
        with transaction.atomic():
            partner = Partner.objects.create(
                institution=institution, name=name.strip(), contacts=contacts.strip()
            )
    except IntegrityError as exc:
        raise ServiceError("That partner is already in the network", field="name") from exc
    audit.record(actor=actor, action="team.partner_added", target=partner)
    return partner


@transaction.atomic
def record_partner_meeting(
    *, actor, institution, held_on, partners, agenda="", notes="", resources=()
) -> PartnerMeeting:
    _in_team(actor, institution.pk)
    meeting = PartnerMeeting.objects.create(
        institution=institution, held_on=held_on, agenda=agenda.strip(), notes=notes.strip()
    )
    meeting.partners.set([p for p in partners if p.institution_id == institution.pk])
    meeting.resources.set(list(resources))
    audit.record(actor=actor, action="team.partner_meeting_recorded", target=meeting)
    return meeting


@transaction.atomic
def record_visit(
    *, actor, partner: Partner, direction: str, visited_on, purpose: str, notes: str = ""
) -> PartnerVisit:
    _in_team(actor, partner.institution_id)
    if not purpose.strip():
        raise ServiceError("Enter the purpose of the visit", field="purpose")
    visit = PartnerVisit.objects.create(
        partner=partner,
        direction=direction,
        visited_on=visited_on,
        purpose=purpose.strip(),
        notes=notes.strip(),
    )
    audit.record(actor=actor, action="team.partner_visit_recorded", target=partner)
    return visit


@transaction.atomic
def set_target(
    *, actor, caseload: Caseload, description: str, measure: str, target_value: int | None
) -> TutorTarget:
    _lead(actor, caseload.academic_year.institution_id)
    if not description.strip():
        raise ServiceError("Enter the target", field="description")
    if measure != TutorTarget.Measure.NONE and target_value is None:
        raise ServiceError("Enter the number to reach", field="target_value")
    target = TutorTarget.objects.create(
        caseload=caseload, description=description.strip(), measure=measure, target_value=target_value
    )
    audit.record(actor=actor, action="team.target_set", target=caseload)
    return target


def measured_figures(caseload: Caseload, until: dt.date) -> dict[str, int]:
    """The app's own figures for a tutor's year up to `until`: one query per measure."""
    year = caseload.academic_year
    start = year.starts_on
    cases = SupportCase.objects.filter(
        holdings__tutor=caseload.tutor_id, opened_at__date__gte=start, opened_at__date__lte=until
    ).aggregate(total=Count("pk", distinct=True), own=Count("pk", filter=Q(route=Route.SELF), distinct=True))
    return {
        TutorTarget.Measure.SESSIONS: Session.objects.filter(
            department__caseload_links__caseload=caseload,
            status=Session.Status.DELIVERED,
            starts_at__date__gte=start,
            starts_at__date__lte=until,
        ).count(),
        TutorTarget.Measure.CASES: cases["total"],
        TutorTarget.Measure.SELF_REFERRALS: cases["own"],
        TutorTarget.Measure.OBSERVATIONS: Observation.objects.filter(
            observer=caseload.tutor_id,
            kind=Observation.Kind.DEVELOPMENTAL,
            observed_on__gte=start,
            observed_on__lte=until,
        ).count(),
    }


@transaction.atomic
def review_targets(*, actor, caseload: Caseload, kind: str, notes: str) -> TargetReview:
    """Mid-year or end-of-year review: the tutor or the programme lead, with the figures taken from the app
    on the day."""
    if not (
        caseload.tutor.user_id == actor.pk
        or permissions.is_programme_lead_of(actor, caseload.academic_year.institution_id)
    ):
        raise ServiceError(DENIED)
    today = timezone.localdate()
    figures = {str(k): v for k, v in measured_figures(caseload, today).items()}
    review, _ = TargetReview.objects.update_or_create(
        caseload=caseload, kind=kind, defaults={"held_on": today, "figures": figures, "notes": notes.strip()}
    )
    audit.record(actor=actor, action="team.targets_reviewed", target=caseload, kind=kind)
    return review


@transaction.atomic
def record_own_development(
    *, actor, kind: str, title: str, done_on: dt.date, notes: str = ""
) -> OwnDevelopment:
    staff = StaffMember.objects.filter(user=actor).first()
    if staff is None or not permissions.team_institutions_of(actor).exists():
        raise ServiceError(DENIED)
    if not title.strip():
        raise ServiceError("Enter what you did", field="title")
    if done_on > timezone.localdate():
        raise ServiceError("The date must be today or in the past", field="done_on")
    entry = OwnDevelopment.objects.create(
        tutor=staff, kind=kind, title=title.strip(), done_on=done_on, notes=notes.strip()
    )
    audit.record(actor=actor, action="team.own_development_recorded", target=entry)
    return entry
