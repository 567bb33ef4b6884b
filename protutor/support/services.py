"""Every write in one-to-one support: one transaction with its audit entry; emails after commit.

Emails name what happened and link to the app; they never carry the referral, note or concern text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from protutor.audit import services as audit
from protutor.core.errors import ServiceError
from protutor.core.notify import notify_after_commit
from protutor.people.models import Role, RoleAssignment, StaffMember
from protutor.resources.models import Resource
from protutor.support import permissions
from protutor.support.models import (
    CaseTutor,
    Interaction,
    PrivateNote,
    Referral,
    Route,
    SafeguardingConcern,
    SupportCase,
)

DENIED = "You do not have permission to do that."


def _staff(user) -> StaffMember:
    staff = StaffMember.objects.filter(user=user).first()
    if staff is None:
        raise ServiceError("Your account is not linked to a member of staff.")
    return staff


def _department_tutors(department) -> list[StaffMember]:
    """The professional tutors whose caseload holds `department` this year."""
    if department is None:
        return []
    today = timezone.localdate()
    return [
        link.caseload.tutor
        for link in department.caseload_links.filter(
            academic_year__starts_on__lte=today, academic_year__ends_on__gte=today
        ).select_related("caseload__tutor__user")
    ]


def _tutors_for(referral: Referral):
    """Who to tell about a new request: the named tutor, else the department's tutors this year; never
    the teacher themself (a tutor whose own department is in their caseload)."""
    if referral.preferred_tutor is not None:
        return [referral.preferred_tutor.user]
    return [
        tutor.user for tutor in _department_tutors(referral.department) if tutor.pk != referral.teacher_id
    ]


@transaction.atomic
def self_refer(
    *, actor, reason: str, availability: str = "", preferred_tutor: StaffMember | None = None
) -> Referral:
    """A teacher asks for support. Side effects: audit entry; the tutor is emailed after commit."""
    teacher = _staff(actor)
    if preferred_tutor is not None and preferred_tutor.pk == teacher.pk:
        raise ServiceError("Choose a tutor other than yourself", field="preferred_tutor")
    if preferred_tutor is None:
        tutors = _department_tutors(teacher.department)
        if tutors and all(tutor.pk == teacher.pk for tutor in tutors):
            raise ServiceError(
                "You are your own department's professional tutor: choose another tutor to ask",
                field="preferred_tutor",
            )
    if not reason.strip():
        raise ServiceError("Enter what you would like help with", field="reason")
    referral = Referral.objects.create(
        teacher=teacher,
        route=Route.SELF,
        referred_by=teacher,
        preferred_tutor=preferred_tutor,
        department=teacher.department,
        reason=reason.strip(),
        availability=availability.strip(),
        status=Referral.Status.RECEIVED,
    )
    audit.record(actor=actor, action="support.self_referred", target=referral)
    notify_after_commit(
        _tutors_for(referral),
        subject="a new request for support",
        message="A member of staff has asked for one-to-one support.",
        path=referral.get_absolute_url(),
    )
    return referral


@transaction.atomic
def encourage_referral(*, actor, teacher: StaffMember, reason: str) -> Referral:
    """A line manager encourages one of their reports to take up support. The teacher decides."""
    if not permissions.can_encourage_referral(actor, teacher):
        raise ServiceError(DENIED)
    if not reason.strip():
        raise ServiceError("Enter why you are suggesting support", field="reason")
    referral = Referral.objects.create(
        teacher=teacher,
        route=Route.LINE_MANAGER,
        referred_by=_staff(actor),
        department=teacher.department,
        reason=reason.strip(),
        status=Referral.Status.AWAITING_TEACHER,
    )
    audit.record(actor=actor, action="support.referral_encouraged", target=referral)
    notify_after_commit(
        [teacher.user],
        subject="your line manager has suggested support",
        message="Your line manager has suggested one-to-one support with a professional tutor. You decide.",
        path=referral.get_absolute_url(),
    )
    return referral


@transaction.atomic
def respond_to_referral(*, actor, referral: Referral, accept: bool, availability: str = "") -> Referral:
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if not permissions.can_respond_to_referral(actor, referral):
        raise ServiceError("This referral has already been answered.")
    referral.status = Referral.Status.RECEIVED if accept else Referral.Status.DECLINED
    referral.responded_at = timezone.now()
    if availability.strip():
        referral.availability = availability.strip()
    referral.save(update_fields=["status", "responded_at", "availability"])
    audit.record(
        actor=actor,
        action="support.referral_accepted" if accept else "support.referral_declined",
        target=referral,
    )
    if accept:
        notify_after_commit(
            _tutors_for(referral),
            subject="a new request for support",
            message="A member of staff has accepted a suggestion of one-to-one support.",
            path=referral.get_absolute_url(),
        )
    return referral


def _new_case(*, teacher, route, referral, formality, span, focus_tags, teacher_agreed, tutor) -> SupportCase:
    case = SupportCase.objects.create(
        teacher=teacher,
        referral=referral,
        department=teacher.department,
        institution=teacher.institution,
        route=route,
        formality=formality,
        span=span,
        focus_tags=focus_tags.strip(),
        teacher_agreed=teacher_agreed,
    )
    CaseTutor.objects.create(case=case, tutor=tutor)
    return case


@transaction.atomic
def accept_referral(
    *, actor, referral: Referral, formality: str, span: str, focus_tags: str = ""
) -> SupportCase:
    """A tutor takes on a request: the case opens and the teacher is told."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if not permissions.can_accept_referral(actor, referral):
        raise ServiceError("This request has already been taken on, or is not yours to take.")
    tutor = _staff(actor)
    case = _new_case(
        teacher=referral.teacher,
        route=referral.route,
        referral=referral,
        formality=formality,
        span=span,
        focus_tags=focus_tags,
        teacher_agreed=True,
        tutor=tutor,
    )
    referral.status = Referral.Status.ACCEPTED
    referral.save(update_fields=["status"])
    audit.record(actor=actor, action="support.case_opened", target=case, route=referral.route)
    notify_after_commit(
        [referral.teacher.user],
        subject="your request for support has been accepted",
        message=f"{tutor.full_name} will be in touch to arrange a time.",
        path=case.get_absolute_url(),
    )
    return case


@transaction.atomic
def open_case(
    *, actor, teacher: StaffMember, formality: str, span: str, focus_tags: str = "", teacher_agreed: bool
) -> SupportCase:
    """A tutor opens a case proactively, having agreed it with the teacher."""
    if not permissions.staff_supportable_by(actor).filter(pk=teacher.pk).exists():
        raise ServiceError("Select a member of staff from your caseload", field="teacher")
    if not teacher_agreed:
        raise ServiceError("Confirm that the teacher has agreed to support", field="teacher_agreed")
    case = _new_case(
        teacher=teacher,
        route=Route.TUTOR,
        referral=None,
        formality=formality,
        span=span,
        focus_tags=focus_tags,
        teacher_agreed=True,
        tutor=_staff(actor),
    )
    audit.record(actor=actor, action="support.case_opened", target=case, route=Route.TUTOR)
    notify_after_commit(
        [teacher.user],
        subject="a support case has been opened with you",
        message="Your professional tutor has recorded the support you agreed.",
        path=case.get_absolute_url(),
    )
    return case


def _lock_open_case(actor, case: SupportCase) -> SupportCase:
    case = SupportCase.objects.select_for_update().get(pk=case.pk)
    if not permissions.can_work_on_case(actor, case):
        raise ServiceError("This case is closed, or you no longer hold it.")
    return case


@transaction.atomic
def log_interaction(
    *,
    actor,
    case: SupportCase,
    kind: str,
    occurred_on: dt.date,
    minutes: int,
    shared_notes: str = "",
    private_note: str = "",
    next_steps: str = "",
    resources: Iterable[Resource] = (),
) -> Interaction:
    """Record a meeting, coaching session, observation, feedback, signposting or email. Its minutes count
    towards the tutor's time; its private note is the tutor's alone."""
    case = _lock_open_case(actor, case)
    if occurred_on > timezone.localdate():
        raise ServiceError("The date must be today or in the past", field="occurred_on")
    if minutes <= 0 or minutes > 600:
        raise ServiceError("Enter the minutes spent, from 1 to 600", field="minutes")
    tutor = _staff(actor)
    interaction = Interaction.objects.create(
        case=case,
        tutor=tutor,
        kind=kind,
        occurred_on=occurred_on,
        minutes=minutes,
        shared_notes=shared_notes.strip(),
        next_steps=next_steps.strip(),
    )
    interaction.resources.set(list(resources))
    if private_note.strip():
        PrivateNote.objects.create(interaction=interaction, author=tutor, text=private_note.strip())
    audit.record(actor=actor, action="support.interaction_logged", target=case, kind=kind, minutes=minutes)
    if shared_notes.strip() or next_steps.strip():
        notify_after_commit(
            [case.teacher.user],
            subject="your tutor has shared notes with you",
            message="Your professional tutor has added notes or next steps to your support.",
            path=case.get_absolute_url(),
        )
    return interaction


@transaction.atomic
def hand_over(*, actor, case: SupportCase, to_tutor: StaffMember) -> SupportCase:
    """Pass a case to another tutor (for example a specialist). The previous tutor no longer reads it."""
    case = _lock_open_case(actor, case)
    if to_tutor.user_id == actor.pk:
        raise ServiceError("Choose a different tutor", field="to_tutor")
    if to_tutor.pk == case.teacher_id:
        raise ServiceError("A teacher cannot be their own tutor", field="to_tutor")
    now = timezone.now()
    case.holdings.filter(tutor__user=actor, ended_at__isnull=True).update(ended_at=now)
    CaseTutor.objects.get_or_create(case=case, tutor=to_tutor, ended_at=None, defaults={"started_at": now})
    audit.record(actor=actor, action="support.case_handed_over", target=case, to_tutor=to_tutor.pk)
    notify_after_commit(
        [to_tutor.user],
        subject="a support case has been handed to you",
        message="Another professional tutor has handed a support case to you.",
        path=case.get_absolute_url(),
    )
    return case


@transaction.atomic
def close_case(*, actor, case: SupportCase, outcome: str, summary: str = "") -> SupportCase:
    """Close a case with an outcome. The referrer, if a line manager, may then see "closed"."""
    case = _lock_open_case(actor, case)
    case.status = SupportCase.Status.CLOSED
    case.outcome = outcome
    case.closing_summary = summary.strip()
    case.closed_at = timezone.now()
    case.save(update_fields=["status", "outcome", "closing_summary", "closed_at"])
    if case.referral_id:
        Referral.objects.filter(pk=case.referral_id).update(status=Referral.Status.CLOSED)
    audit.record(actor=actor, action="support.case_closed", target=case, outcome=outcome)
    return case


@transaction.atomic
def raise_concern(*, actor, case: SupportCase, text: str) -> SafeguardingConcern:
    """Break confidentiality for safeguarding, explicitly: the safeguarding leads receive this concern
    (its text and the teacher's name) and nothing else of the case. Logged."""
    case = SupportCase.objects.select_for_update().get(pk=case.pk)
    if not permissions.is_current_tutor(actor, case):
        raise ServiceError(DENIED)
    if not text.strip():
        raise ServiceError("Describe the concern", field="text")
    concern = SafeguardingConcern.objects.create(
        case=case,
        institution=case.institution,
        teacher=case.teacher,
        raised_by=_staff(actor),
        text=text.strip(),
    )
    audit.record(actor=actor, action="support.safeguarding_concern_raised", target=concern, case=case.pk)
    leads = (
        RoleAssignment.objects.in_force()
        .filter(role=Role.SAFEGUARDING_LEAD, institution=case.institution)
        .select_related("staff__user")
    )
    notify_after_commit(
        [lead.staff.user for lead in leads],
        subject="a safeguarding concern has been raised with you",
        message="A professional tutor has raised a safeguarding concern. Please read it today.",
        path=reverse("support:concern-detail", args=[concern.pk]),
    )
    return concern


@transaction.atomic
def acknowledge_concern(*, actor, concern: SafeguardingConcern) -> SafeguardingConcern:
    concern = SafeguardingConcern.objects.select_for_update().get(pk=concern.pk)
    if not permissions.can_acknowledge_concern(actor, concern):
        raise ServiceError(DENIED)
    if concern.acknowledged_at is None:
        concern.acknowledged_at = timezone.now()
        concern.acknowledged_by = _staff(actor)
        concern.save(update_fields=["acknowledged_at", "acknowledged_by"])
        audit.record(actor=actor, action="support.safeguarding_concern_acknowledged", target=concern)
    return concern
