"""Writes for Assessment Reference Points and causes for concern.

Reference points: at each point the mentor (or the ITE tutor) records a judgement per standard on the
programme's scale, with evidence and links to the intern's lesson observations; the intern adds a
reflection; the ITE tutor moderates. Judgements can be changed until the ITE tutor moderates them as
agreed; django-simple-history keeps each change (who, when, which judgement). All the judgements of one
save land in one transaction, or none do.

Causes for concern move through the statuses of `CauseForConcern.Status`:

- open: raised by the mentor or ITE tutor, with targets, support and a review date 1 to 8 weeks ahead;
- extended: the ITE tutor reviewed it and gave it a new review date; it stays live, and another outcome
  can follow (resolved, extended again or escalated);
- resolved: closed, the intern is back on track;
- escalated: closed here, handed to the provider's own process.

An outcome on a resolved or escalated concern is refused. Each outcome's note is added to the record,
dated, so an extension's note is not lost when the concern is later resolved.

Each write rechecks the permission, is one transaction with its audit entry, and emails after commit
with no confidential text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from protutor.audit import services as audit
from protutor.core.errors import ServiceError
from protutor.core.notify import notify_after_commit
from protutor.ite import permissions
from protutor.ite.models import (
    CauseForConcern,
    Intern,
    Judgement,
    ReferencePoint,
    ReferencePointReview,
)
from protutor.ite.services import DENIED, staff_of, teachers_standards
from protutor.observations.models import Observation, Standard
from protutor.observations.permissions import observations_readable_by
from protutor.people.models import Role, RoleAssignment, StaffMember

REVIEW_MIN_DAYS = 7
REVIEW_MAX_DAYS = 56
CLOSED = (CauseForConcern.Status.RESOLVED, CauseForConcern.Status.ESCALATED)
OUTCOMES = (
    CauseForConcern.Status.RESOLVED,
    CauseForConcern.Status.EXTENDED,
    CauseForConcern.Status.ESCALATED,
)


# The headings judged at each point (Part One 1 to 8, Part Two P2.1 to P2.3).
standards_to_judge = teachers_standards


def and_list(items: Sequence[str]) -> str:
    """ "TS 4", "TS 4 and TS 7", "TS 1, TS 4 and TS 7"."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def lowest_grade(intern: Intern) -> str:
    """The bottom of the programme's scale ("not yet meeting"), the judgement below the expected standard:
    scales are written lowest first. It is flagged on the pages and needs evidence to be recorded."""
    return intern.programme.scale_choices[0][0]


# Predicates of this area, built on the scopes and predicates of permissions.py.


def can_reflect(user, intern: Intern) -> bool:
    """The intern alone writes their reflection, while on placement."""
    return intern.status == Intern.Status.ACTIVE and permissions.is_intern(user, intern)


def can_moderate(user, intern: Intern) -> bool:
    """Moderation, outcomes of causes for concern, the link tutor and the supporters: the ITE tutor."""
    return permissions.can_manage_intern(user, intern)


@dataclass(frozen=True)
class Entry:
    """What the form gives for one standard: a grade (empty: not judged), evidence, observation ids."""

    grade: str = ""
    evidence: str = ""
    observations: Sequence[int] = field(default_factory=tuple)


def _locked_intern(intern: Intern) -> Intern:
    return (
        Intern.objects.select_for_update(of=("self",))
        .select_related("staff__user", "mentor__user", "programme__provider")
        .get(pk=intern.pk)
    )


def _check_point(intern: Intern, reference_point: ReferencePoint) -> None:
    if reference_point.programme_id != intern.programme_id:
        raise ServiceError("Select a reference point of the intern's programme")


def _review(intern: Intern, reference_point: ReferencePoint) -> ReferencePointReview | None:
    return (
        ReferencePointReview.objects.select_for_update(of=("self",))
        .filter(intern=intern, reference_point=reference_point)
        .first()
    )


def _refuse_if_agreed(review: ReferencePointReview | None, what: str) -> None:
    if review is not None and review.moderation == ReferencePointReview.Moderation.AGREED:
        raise ServiceError(f"The judgements at this reference point have been agreed, so {what}")


# A cause for concern has a few SMART targets (the domain reference: often at most 3), one on each line.
MAX_CONCERN_TARGETS = 3
TARGETS_HINT = (
    f"Up to {MAX_CONCERN_TARGETS} SMART targets, one on each line, each naming its standard, for example: "
    "TS 7: follows the school's behaviour policy in every lesson by the review date."
)


# "1. ", "2) " at the start of a line or after a space: a numbered target.
_NUMBERED = re.compile(r"(?:^|\s)\d{1,2}[.)]\s")


def concern_targets(text: str) -> list[str]:
    """The targets of a cause for concern: each non-empty line, and on a line that numbers several
    ("1. ... 2. ... 3. ..."), each numbered one."""
    targets = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        starts = [m.start() for m in _NUMBERED.finditer(line)]
        if len(starts) < 2:
            targets.append(line)
            continue
        bounds = [0, *starts[1:], len(line)]
        targets.extend(line[a:b].strip() for a, b in pairwise(bounds) if line[a:b].strip())
    return targets


@transaction.atomic
def record_judgements(
    *, actor, intern: Intern, reference_point: ReferencePoint, entries: dict[int, Entry]
) -> list[Judgement]:
    """Record or change the judgements of one intern at one reference point, all in one transaction.
    Unchanged standards are left alone (no history row). Side effects: audit entry; the intern is
    emailed after commit. Returns the judgements written."""
    staff = staff_of(actor)
    intern = _locked_intern(intern)
    if not permissions.can_judge(actor, intern):
        raise ServiceError(DENIED)
    _check_point(intern, reference_point)
    _refuse_if_agreed(_review(intern, reference_point), "they can no longer be changed")
    standards = list(standards_to_judge(intern.programme.provider.institution_id))
    known = {s.pk for s in standards}
    if any(pk not in known for pk in entries):
        raise ServiceError("Select standards from the Teachers' Standards")
    scale = dict(intern.programme.scale_choices)
    existing = {
        j.standard_id: j
        for j in Judgement.objects.filter(intern=intern, reference_point=reference_point).prefetch_related(
            "observations"
        )
    }
    wanted_ids = {pk for entry in entries.values() for pk in entry.observations}
    allowed_ids = set(
        observations_readable_by(actor)
        .filter(pk__in=wanted_ids, observee=intern.staff, kind=Observation.Kind.TRAINING)
        .exclude(status=Observation.Status.DRAFT)  # evidence the intern can open: shared observations only
        .values_list("pk", flat=True)
    )
    # Links to observations the actor may not read (another observer's draft) are kept as they are: the
    # actor never saw them, so leaving them out of the form is not a wish to remove them.
    linked = {j.standard_id: {o.pk for o in j.observations.all()} for j in existing.values()}
    seen = set(
        observations_readable_by(actor)
        .filter(pk__in={pk for pks in linked.values() for pk in pks})
        .values_list("pk", flat=True)
    )
    plan: list[tuple[Standard, Entry]] = []
    for standard in standards:
        entry = entries.get(standard.pk)
        if entry is None:
            continue
        evidence = (entry.evidence or "").strip()
        if not entry.grade:
            if evidence or entry.observations or standard.pk in existing:
                raise ServiceError(f"Select a judgement for {standard.label}", field=f"grade_{standard.pk}")
            continue
        if entry.grade not in scale:
            raise ServiceError(f"Select a judgement for {standard.label}", field=f"grade_{standard.pk}")
        # A judgement below the expected standard is flagged to the tutor and the intern: it needs evidence.
        if entry.grade == lowest_grade(intern) and not evidence:
            raise ServiceError(
                f"Enter the evidence for {standard.label}: a judgement of {scale[entry.grade]} needs the "
                "evidence it rests on",
                field=f"evidence_{standard.pk}",
            )
        if not set(entry.observations) <= allowed_ids:
            raise ServiceError(
                f"Select lesson observations of {intern.staff.full_name}",
                field=f"observations_{standard.pk}",
            )
        plan.append((standard, Entry(grade=entry.grade, evidence=evidence, observations=entry.observations)))
    if not plan and not existing:
        first = f"grade_{standards[0].pk}" if standards else None
        raise ServiceError("Select a judgement for at least one standard", field=first)
    written = []
    now = timezone.now()
    for standard, entry in plan:
        judgement = existing.get(standard.pk)
        before = linked.get(standard.pk, set())
        links = set(entry.observations) | (before - seen)
        if judgement is not None and (
            judgement.grade == entry.grade and judgement.evidence == entry.evidence and before == links
        ):
            continue
        if judgement is None:
            judgement = Judgement(intern=intern, reference_point=reference_point, standard=standard)
        judgement.grade = entry.grade
        judgement.evidence = entry.evidence
        judgement.recorded_by = staff
        judgement.recorded_at = now
        judgement._history_user = actor
        judgement.save()
        judgement.observations.set(links)
        written.append(judgement)
    if written:
        audit.record(
            actor=actor,
            action="ite.judgements_recorded",
            target=intern,
            reference_point=reference_point.pk,
            standards=[j.standard.label for j in written],
        )
        notify_after_commit(
            [intern.staff.user] if intern.staff.user_id != actor.pk else [],
            subject="Judgements at a reference point",
            message="Judgements have been recorded at one of your Assessment Reference Points.",
            path=point_path(intern, reference_point),
        )
    return written


def point_path(intern: Intern, reference_point: ReferencePoint) -> str:
    return reverse("ite:reference-point-record", args=[intern.pk, reference_point.pk])


@transaction.atomic
def add_reflection(
    *, actor, intern: Intern, reference_point: ReferencePoint, reflection: str
) -> ReferencePointReview:
    """The intern's reflection at a reference point (changeable until the judgements are agreed). Side
    effects: audit entry; the mentor is emailed after commit."""
    intern = _locked_intern(intern)
    if not can_reflect(actor, intern):
        raise ServiceError(DENIED)
    _check_point(intern, reference_point)
    text = (reflection or "").strip()
    if not text:
        raise ServiceError("Enter your reflection", field="reflection")
    review = _review(intern, reference_point)
    _refuse_if_agreed(review, "your reflection can no longer be changed")
    review = review or ReferencePointReview(intern=intern, reference_point=reference_point)
    review.reflection = text
    review.reflected_at = timezone.now()
    review._history_user = actor
    review.save()
    audit.record(actor=actor, action="ite.reflection_added", target=review)
    notify_after_commit(
        [intern.mentor.user if intern.mentor else None],
        subject="An intern's reflection",
        message="An intern has added their reflection at an Assessment Reference Point.",
        path=point_path(intern, reference_point),
    )
    return review


@transaction.atomic
def moderate(
    *, actor, intern: Intern, reference_point: ReferencePoint, moderation: str, note: str = ""
) -> ReferencePointReview:
    """The ITE tutor's moderation of the judgements: agreed (they are then final) or to be looked at
    again, with a note. Every standard must be judged first. Side effects: audit entry; the mentor and
    the intern are emailed after commit."""
    staff = staff_of(actor)
    intern = _locked_intern(intern)
    if not can_moderate(actor, intern):
        raise ServiceError(DENIED)
    _check_point(intern, reference_point)
    if moderation not in ReferencePointReview.Moderation.values:
        raise ServiceError("Select whether you agree with the judgements", field="moderation")
    judged = set(
        Judgement.objects.filter(intern=intern, reference_point=reference_point).values_list(
            "standard_id", flat=True
        )
    )
    standards = list(standards_to_judge(intern.programme.provider.institution_id))
    missing = [s.label for s in standards if s.pk not in judged]
    if missing or not standards:
        verb = "is" if len(missing) == 1 else "are"
        raise ServiceError(
            f"Judge every standard before moderation: {and_list(missing)} {verb} missing"
            if missing
            else "Judge every standard before moderation",
            field="moderation",
        )
    note = (note or "").strip()
    if moderation == ReferencePointReview.Moderation.CHANGES and not note:
        raise ServiceError("Enter what should be looked at again", field="moderation_note")
    review = _review(intern, reference_point) or ReferencePointReview(
        intern=intern, reference_point=reference_point
    )
    review.moderation = moderation
    review.moderation_note = note
    review.moderated_by = staff
    review.moderated_at = timezone.now()
    review._history_user = actor
    review.save()
    audit.record(actor=actor, action="ite.reference_point_moderated", target=review, moderation=moderation)
    notify_after_commit(
        [intern.mentor.user if intern.mentor else None, intern.staff.user],
        subject="Judgements moderated",
        message="The judgements at an Assessment Reference Point have been moderated.",
        path=point_path(intern, reference_point),
    )
    return review


# Causes for concern


def _check_review_date(review_on: dt.date | None, today: dt.date, field_name: str, label: str) -> dt.date:
    """`review_on`, once it is known to be a date in range."""
    if review_on is None:
        raise ServiceError(f"Enter the {label}", field=field_name)
    earliest = today + dt.timedelta(days=REVIEW_MIN_DAYS)
    latest = today + dt.timedelta(days=REVIEW_MAX_DAYS)
    if not earliest <= review_on <= latest:
        raise ServiceError(
            f"The {label} must be between 1 and 8 weeks from today: "
            f"{earliest.day} {earliest:%B %Y} to {latest.day} {latest:%B %Y}",
            field=field_name,
        )
    return review_on


def _check_supporters(supporters: Iterable[StaffMember], institution_id: int) -> list[StaffMember]:
    supporters = list(supporters)
    if any(s.institution_id != institution_id or not s.is_active for s in supporters):
        raise ServiceError("Select supporters from your institution's staff", field="supporters")
    return supporters


def _ite_tutor_users(institution_id: int) -> list:
    return [
        a.staff.user
        for a in RoleAssignment.objects.in_force()
        .filter(institution_id=institution_id, role=Role.ITE_TUTOR)
        .select_related("staff__user")
    ]


@transaction.atomic
def raise_concern(
    *,
    actor,
    intern: Intern,
    category: str,
    concern: str,
    standards: Iterable[Standard],
    targets: str,
    support: str,
    review_on: dt.date | None,
    neutral_observer_requested: bool = False,
    supporters: Iterable[StaffMember] = (),
    today: dt.date | None = None,
) -> CauseForConcern:
    """Raise a cause for concern against named standards, with its targets, support and review date.
    Side effects: audit entry; the ITE tutor and the intern are emailed after commit (not the raiser)."""
    staff = staff_of(actor)
    intern = _locked_intern(intern)
    if not permissions.can_raise_concern(actor, intern):
        raise ServiceError(DENIED)
    today = today or timezone.localdate()
    institution_id = intern.programme.provider.institution_id
    if category not in CauseForConcern.Category.values:
        raise ServiceError("Select the category of concern", field="category")
    concern = (concern or "").strip()
    if not concern:
        raise ServiceError("Enter the concern", field="concern")
    standards = list(standards)
    if not standards:
        raise ServiceError("Select at least one standard", field="standards")
    allowed = set(standards_to_judge(institution_id).values_list("pk", flat=True))
    if any(s.pk not in allowed for s in standards):
        raise ServiceError("Select standards from the Teachers' Standards", field="standards")
    targets = (targets or "").strip()
    if not targets:
        raise ServiceError("Enter the targets", field="targets")
    if (count := len(concern_targets(targets))) > MAX_CONCERN_TARGETS:
        raise ServiceError(
            f"Enter no more than {MAX_CONCERN_TARGETS} targets, one on each line: there are {count}",
            field="targets",
        )
    support = (support or "").strip()
    if not support:
        raise ServiceError("Enter the support and who gives it", field="support")
    review_on = _check_review_date(review_on, today, "review_on", "review date")
    supporters = _check_supporters(supporters, institution_id)
    record = CauseForConcern(
        intern=intern,
        raised_by=staff,
        raised_on=today,
        category=category,
        concern=concern,
        targets=targets,
        support=support,
        review_on=review_on,
        neutral_observer_requested=bool(neutral_observer_requested),
        status=CauseForConcern.Status.OPEN,
    )
    record._history_user = actor
    record.save()
    record.standards.set(standards)
    record.supporters.set(supporters)
    audit.record(actor=actor, action="ite.concern_raised", target=record)
    recipients = [u for u in [*_ite_tutor_users(institution_id), intern.staff.user] if u.pk != actor.pk]
    notify_after_commit(
        recipients,
        subject="A cause for concern",
        message="A cause for concern has been raised about an intern's placement.",
        path=record.get_absolute_url(),
    )
    return record


def _locked_concern(concern: CauseForConcern) -> CauseForConcern:
    return (
        CauseForConcern.objects.select_for_update(of=("self",))
        .select_related("intern__staff__user", "intern__mentor__user", "intern__programme__provider")
        .get(pk=concern.pk)
    )


@transaction.atomic
def record_outcome(
    *,
    actor,
    concern: CauseForConcern,
    outcome: str,
    outcome_on: dt.date | None,
    note: str,
    new_review_on: dt.date | None = None,
    today: dt.date | None = None,
) -> CauseForConcern:
    """The ITE tutor records the outcome: resolved or escalated (closed), or extended with a new review
    date (still live). Side effects: audit entry; the mentor and intern are emailed after commit."""
    concern = _locked_concern(concern)
    intern = concern.intern
    if not can_moderate(actor, intern):
        raise ServiceError(DENIED)
    today = today or timezone.localdate()
    if concern.status in CLOSED:
        raise ServiceError(
            f"This cause for concern is already {concern.get_status_display().lower()}: "
            "its outcome cannot be recorded again"
        )
    if outcome not in OUTCOMES:
        raise ServiceError("Select the outcome", field="outcome")
    if outcome_on is None:
        raise ServiceError("Enter the date of the outcome", field="outcome_on")
    if outcome_on > today:
        raise ServiceError("The date of the outcome must be today or in the past", field="outcome_on")
    if outcome_on < concern.raised_on:
        raise ServiceError(
            "The date of the outcome must be on or after the date the concern was raised, "
            f"{concern.raised_on.day} {concern.raised_on:%B %Y}",
            field="outcome_on",
        )
    note = (note or "").strip()
    if not note:
        raise ServiceError("Enter a note about the outcome", field="note")
    if outcome == CauseForConcern.Status.EXTENDED:
        concern.review_on = _check_review_date(new_review_on, today, "new_review_on", "new review date")
    label = CauseForConcern.Status(outcome).label
    entry = f"{outcome_on.day} {outcome_on:%B %Y}, {label}: {note}"
    concern.outcome_note = f"{concern.outcome_note}\n\n{entry}" if concern.outcome_note else entry
    concern.status = outcome
    concern.outcome_on = outcome_on
    concern._history_user = actor
    concern.save()
    audit.record(actor=actor, action="ite.concern_outcome", target=concern, outcome=outcome)
    notify_after_commit(
        [intern.mentor.user if intern.mentor else None, intern.staff.user],
        subject="A cause for concern reviewed",
        message="The outcome of a cause for concern about an intern's placement has been recorded.",
        path=concern.get_absolute_url(),
    )
    return concern


@transaction.atomic
def update_concern(
    *,
    actor,
    concern: CauseForConcern,
    link_tutor_informed_on: dt.date | None,
    supporters: Iterable[StaffMember],
    today: dt.date | None = None,
) -> CauseForConcern:
    """The ITE tutor coordinates: the date the provider's link tutor was informed, and everyone
    supporting the intern. Side effect: audit entry."""
    concern = _locked_concern(concern)
    if not can_moderate(actor, concern.intern):
        raise ServiceError(DENIED)
    today = today or timezone.localdate()
    if link_tutor_informed_on is not None:
        if link_tutor_informed_on > today:
            raise ServiceError(
                "The date the link tutor was informed must be today or in the past",
                field="link_tutor_informed_on",
            )
        if link_tutor_informed_on < concern.raised_on:
            raise ServiceError(
                "The date the link tutor was informed must be on or after the date the concern was raised, "
                f"{concern.raised_on.day} {concern.raised_on:%B %Y}",
                field="link_tutor_informed_on",
            )
    supporters = _check_supporters(supporters, concern.intern.programme.provider.institution_id)
    concern.link_tutor_informed_on = link_tutor_informed_on
    concern._history_user = actor
    concern.save()
    concern.supporters.set(supporters)
    audit.record(actor=actor, action="ite.concern_updated", target=concern)
    return concern
