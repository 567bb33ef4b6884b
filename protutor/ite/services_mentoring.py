"""Mentoring: weekly mentor meetings and the intern's comment on them, mentors' training, and the ITE
tutor's quality assurance of mentoring (reviews planned, then held, with findings and follow-up).

Writes: one transaction each with its audit entry; the rule is checked again inside (permissions.py);
emails go after commit and say only that something happened. Reads for the mentors' pages are built on
the scopes of permissions.py, in a fixed number of queries whatever the number of mentors.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Sum
from django.urls import reverse
from django.utils import dateformat, timezone

from protutor.audit import services as audit
from protutor.core.errors import ServiceError
from protutor.core.notify import notify_after_commit
from protutor.ite import permissions
from protutor.ite.models import Intern, MentorMeeting, MentorReview, MentorTraining, Provider
from protutor.ite.services import (
    DENIED,
    meeting_gaps,
    mentor_subjects,
    require_ite_tutor,
    staff_of,
    subject_mismatch,
    teachers_standards,
)
from protutor.people.models import AcademicYear, StaffMember

MEETING_MINUTES = (10, 480)
TRAINING_HOURS = (Decimal("0.5"), Decimal("200"))

# The three questions of a mentoring review, with how each reads when it was not fully in place.
FINDINGS = [
    ("programme_set_up", "Is the mentor programme set up?", "the mentor programme"),
    (
        "meetings_logged",
        "Are weekly mentor meetings happening and logged?",
        "the logging of weekly mentor meetings",
    ),
    (
        "feedback_referenced",
        "Is lesson feedback detailed and referenced to the standards?",
        "detailed lesson feedback referenced to the standards",
    ),
]
FINDING_PROMPTS = {
    "programme_set_up": "Select whether the mentor programme is set up",
    "meetings_logged": "Select whether weekly mentor meetings are happening and logged",
    "feedback_referenced": "Select whether lesson feedback is detailed and referenced to the standards",
}


def _day(day: dt.date) -> str:
    return dateformat.format(day, "j F Y")


def _text(value: str, field_name: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ServiceError(message, field=field_name)
    return value


def _not_future(day: dt.date | None, field_name: str, what: str) -> dt.date:
    if day is None:
        raise ServiceError(f"Enter the {what}", field=field_name)
    if day > timezone.localdate():
        raise ServiceError(f"The {what} must be today or in the past", field=field_name)
    return day


def _in_year(day: dt.date, year: AcademicYear, field_name: str, what: str) -> None:
    if not year.starts_on <= day <= year.ends_on:
        raise ServiceError(
            f"The {what} must be in {year.name} ({_day(year.starts_on)} to {_day(year.ends_on)})",
            field=field_name,
        )


# The headings a meeting's targets are linked to.
meeting_standards = teachers_standards


def mentors_readable_by(user) -> QuerySet[StaffMember]:
    """Mentors whose page (interns, training, QA) `user` may open: a mentor their own; the ITE tutor and
    the programme lead every mentor of their institution. A mentor is someone who mentors an intern or
    has a mentor training or review record. Derived from the scopes of permissions.py: an intern record
    the user reads other than as the intern, or a mentor record the user reads."""
    if not user.is_authenticated:
        return StaffMember.objects.none()
    me = OuterRef("pk")
    interns = permissions.interns_readable_by(user).exclude(staff__user=user)
    return StaffMember.objects.filter(
        Exists(interns.filter(mentor=me))
        | Exists(permissions.mentor_records_readable_by(user, MentorTraining).filter(mentor=me))
        | Exists(permissions.mentor_records_readable_by(user, MentorReview).filter(mentor=me))
    )


# Weekly mentor meetings


def can_change_meeting(user, meeting: MentorMeeting) -> bool:
    """Whoever logged a meeting corrects it (or the ITE tutor), while the intern is on placement."""
    intern = meeting.intern
    return permissions.can_log_meeting(user, intern) and (
        meeting.mentor.user_id == user.pk or permissions.can_manage_intern(user, intern)
    )


@transaction.atomic
def log_meeting(
    *,
    actor,
    intern: Intern,
    held_on: dt.date,
    minutes: int,
    targets_set: str,
    standards,
    targets_reviewed: str = "",
    notes: str = "",
    meeting: MentorMeeting | None = None,
) -> MentorMeeting:
    """Log a meeting with an intern (their mentor, or the ITE tutor), or correct one already logged
    (`meeting`). A new meeting is recorded as held by whoever logs it. Side effects: audit entry; the
    intern is emailed after commit."""
    staff = staff_of(actor)
    intern = Intern.objects.select_related(
        "staff", "mentor", "programme__provider", "programme__academic_year"
    ).get(pk=intern.pk)
    if not permissions.can_log_meeting(actor, intern):
        raise ServiceError(DENIED)
    if meeting is not None:
        meeting = (
            MentorMeeting.objects.select_for_update(of=("self",))
            .select_related("mentor", "intern")
            .get(pk=meeting.pk)
        )
        if meeting.intern_id != intern.pk or not can_change_meeting(actor, meeting):
            raise ServiceError(DENIED)
    _not_future(held_on, "held_on", "date of the meeting")
    _in_year(held_on, intern.programme.academic_year, "held_on", "date of the meeting")
    low, high = MEETING_MINUTES
    if minutes is None or not low <= minutes <= high:
        raise ServiceError(f"The length of the meeting must be from {low} to {high} minutes", field="minutes")
    targets_set = _text(targets_set, "targets_set", "Enter the targets set at the meeting")
    allowed = set(meeting_standards(intern.programme.provider.institution_id).values_list("pk", flat=True))
    chosen = {getattr(s, "pk", s) for s in standards or []}
    if allowed and not chosen:
        raise ServiceError("Select at least one standard the targets relate to", field="standards")
    if chosen - allowed:
        raise ServiceError("Select standards from the Teachers' Standards", field="standards")
    same_day = MentorMeeting.objects.filter(intern=intern, held_on=held_on)
    if meeting is not None:
        same_day = same_day.exclude(pk=meeting.pk)
    if same_day.exists():
        raise ServiceError(
            f"A meeting on {_day(held_on)} is already logged: change that meeting instead", field="held_on"
        )
    created = meeting is None
    meeting = meeting or MentorMeeting(intern=intern, mentor=staff)
    meeting.held_on = held_on
    meeting.minutes = minutes
    meeting.targets_reviewed = (targets_reviewed or "").strip()
    meeting.targets_set = targets_set
    meeting.notes = (notes or "").strip()
    meeting.save()
    meeting.standards.set(sorted(chosen))
    audit.record(
        actor=actor, action="ite.meeting_logged" if created else "ite.meeting_changed", target=meeting
    )
    notify_after_commit(
        [intern.staff.user],
        subject="A mentor meeting",
        message="A mentor meeting with you has been logged."
        if created
        else "A mentor meeting with you has been changed.",
        path=reverse("ite:meeting-detail", args=[meeting.pk]),
    )
    return meeting


@transaction.atomic
def comment_on_meeting(*, actor, meeting: MentorMeeting, comment: str) -> MentorMeeting:
    """The intern adds (or changes) their comment on a meeting. Side effects: audit entry; whoever held
    the meeting and the intern's mentor are emailed after commit."""
    meeting = MentorMeeting.objects.select_for_update(of=("self",)).get(pk=meeting.pk)
    intern = Intern.objects.select_related("staff", "mentor").get(pk=meeting.intern_id)
    if not permissions.is_intern(actor, intern):
        raise ServiceError(DENIED)
    changed = bool(meeting.intern_comment)
    meeting.intern_comment = _text(comment, "comment", "Enter your comment")
    meeting.commented_at = timezone.now()
    meeting.save(update_fields=["intern_comment", "commented_at"])
    audit.record(
        actor=actor,
        action="ite.meeting_comment_changed" if changed else "ite.meeting_commented",
        target=meeting,
    )
    notify_after_commit(
        [meeting.mentor.user, intern.mentor.user if intern.mentor else None],
        subject="An intern's comment",
        message="An intern has commented on a mentor meeting.",
        path=reverse("ite:meeting-detail", args=[meeting.pk]),
    )
    return meeting


# Mentors' training


@transaction.atomic
def add_training(
    *,
    actor,
    mentor: StaffMember,
    title: str,
    completed_on: dt.date,
    hours: Decimal,
    provider: Provider | None = None,
) -> MentorTraining:
    """Record training a mentor has done: the ITE tutor."""
    require_ite_tutor(actor, mentor.institution_id)
    title = _text(title, "title", "Enter the title of the training")
    _not_future(completed_on, "completed_on", "date of the training")
    low, high = TRAINING_HOURS
    if hours is None:
        raise ServiceError("Enter the hours of training", field="hours")
    if not low <= hours <= high:
        raise ServiceError(f"The hours of training must be from {low} to {high}", field="hours")
    if provider is not None and provider.institution_id != mentor.institution_id:
        raise ServiceError("Select a provider of your institution", field="provider")
    training = MentorTraining.objects.create(
        mentor=mentor, provider=provider, title=title, completed_on=completed_on, hours=hours
    )
    audit.record(actor=actor, action="ite.mentor_training_added", target=training)
    return training


# Quality assurance of mentoring


def _mentor_page(mentor_id: int) -> str:
    return reverse("ite:mentor-detail", args=[mentor_id])


@transaction.atomic
def schedule_review(*, actor, intern: Intern, scheduled_on: dt.date) -> MentorReview:
    """Plan a review of an intern's mentoring: the ITE tutor. Side effects: audit entry; the mentor is
    emailed after commit."""
    intern = Intern.objects.select_for_update(of=("self",)).get(pk=intern.pk)
    reviewer = require_ite_tutor(actor, intern.programme.provider.institution_id)
    if intern.mentor_id is None:
        raise ServiceError(
            f"Appoint a mentor for {intern.staff.full_name} before planning a review of their mentoring"
        )
    if intern.status == Intern.Status.WITHDRAWN:
        raise ServiceError(f"{intern.staff.full_name} has withdrawn: there is no mentoring to review")
    if scheduled_on is None:
        raise ServiceError("Enter the date planned", field="scheduled_on")
    _in_year(scheduled_on, intern.programme.academic_year, "scheduled_on", "date planned")
    pending = intern.mentor_reviews.filter(mentor_id=intern.mentor_id, held_on__isnull=True).first()
    if pending is not None:
        raise ServiceError(
            f"A review of this mentoring is already planned for {_day(pending.scheduled_on)}: record that one first",
            field="scheduled_on",
        )
    review = MentorReview.objects.create(
        intern=intern, mentor_id=intern.mentor_id, reviewer=reviewer, scheduled_on=scheduled_on
    )
    audit.record(actor=actor, action="ite.mentor_review_scheduled", target=review)
    assert intern.mentor is not None  # checked above: a review needs a mentor
    notify_after_commit(
        [intern.mentor.user],
        subject="A review of your mentoring",
        message="A review of your mentoring has been planned.",
        path=_mentor_page(intern.mentor_id),
    )
    return review


def _not_in_place(findings: dict[str, str]) -> str:
    """What was not fully in place, as a phrase for an error message ("" when everything was)."""
    missing = [phrase for name, _, phrase in FINDINGS if findings.get(name) != MentorReview.Finding.YES]
    if not missing:
        return ""
    if len(missing) == 1:
        return f"{missing[0]} was not fully in place"
    return f"{', '.join(missing[:-1])} and {missing[-1]} were not fully in place"


def follow_up_errors(
    *, findings: dict[str, str], actions: str, follow_up_on: dt.date | None, held_on: dt.date | None
) -> list[tuple[str, str]]:
    """(field, message) for each follow-up rule broken: when anything was not fully in place, the review
    needs follow-up actions and a date to follow up by; a follow-up date comes on or after the review."""
    errors = []
    because = _not_in_place(findings)
    actions = (actions or "").strip()
    if because and not actions:
        errors.append(("actions", f"Enter the follow-up actions, because {because}"))
    if because and follow_up_on is None:
        errors.append(("follow_up_on", f"Enter the date to follow up by, because {because}"))
    if not because and actions and follow_up_on is None:
        errors.append(("follow_up_on", "Enter the date to follow up by"))
    if not because and follow_up_on is not None and not actions:
        errors.append(("actions", "Enter the follow-up actions"))
    if follow_up_on is not None and held_on is not None and follow_up_on < held_on:
        errors.append(
            ("follow_up_on", "The date to follow up by must be on or after the date the review was held")
        )
    return errors


@transaction.atomic
def record_review(
    *,
    actor,
    review: MentorReview,
    held_on: dt.date,
    programme_set_up: str,
    meetings_logged: str,
    feedback_referenced: str,
    findings: str = "",
    actions: str = "",
    follow_up_on: dt.date | None = None,
) -> MentorReview:
    """Record (or correct) a review held: the three findings, what was found, and the follow-up when
    anything was not fully in place. Side effects: audit entry; the mentor is emailed after commit."""
    review = MentorReview.objects.select_for_update(of=("self",)).get(pk=review.pk)
    reviewer = require_ite_tutor(actor, review.mentor.institution_id)
    _not_future(held_on, "held_on", "date the review was held")
    answers = {
        "programme_set_up": programme_set_up,
        "meetings_logged": meetings_logged,
        "feedback_referenced": feedback_referenced,
    }
    for name, value in answers.items():
        if value not in MentorReview.Finding.values:
            raise ServiceError(FINDING_PROMPTS[name], field=name)
    for name, message in follow_up_errors(
        findings=answers, actions=actions, follow_up_on=follow_up_on, held_on=held_on
    ):
        raise ServiceError(message, field=name)
    actions = (actions or "").strip()
    review.held_on = held_on
    for name, value in answers.items():
        setattr(review, name, value)
    review.findings = (findings or "").strip()
    review.actions = actions
    review.follow_up_on = follow_up_on if actions else None
    if not actions:
        review.follow_up_done_on = None
    review.reviewer = reviewer
    review.save()
    audit.record(actor=actor, action="ite.mentor_review_recorded", target=review)
    notify_after_commit(
        [review.mentor.user],
        subject="A review of your mentoring",
        message="A review of your mentoring has been recorded.",
        path=_mentor_page(review.mentor_id),
    )
    return review


@transaction.atomic
def complete_follow_up(*, actor, review: MentorReview, done_on: dt.date) -> MentorReview:
    """Mark a review's follow-up actions as done: the ITE tutor."""
    review = MentorReview.objects.select_for_update(of=("self",)).get(pk=review.pk)
    require_ite_tutor(actor, review.mentor.institution_id)
    if review.held_on is None or not review.actions:
        raise ServiceError("This review has no follow-up actions to mark as done")
    if review.follow_up_done_on is not None:
        raise ServiceError(f"The follow-up was already marked as done on {_day(review.follow_up_done_on)}")
    _not_future(done_on, "done_on", "date the follow-up was done")
    if done_on < review.held_on:
        raise ServiceError(
            "The date the follow-up was done must be on or after the date the review was held",
            field="done_on",
        )
    review.follow_up_done_on = done_on
    review.save(update_fields=["follow_up_done_on"])
    audit.record(actor=actor, action="ite.mentor_follow_up_done", target=review)
    return review


# Reading: mentors with their interns, training and quality assurance

STATUS_TAGS = {
    "subject_mismatch": ("missed", "Not the intern's subject"),
    "follow_up": ("missed", "Follow-up due"),
    "review_due": ("missed", "Review due"),
    "meetings_missed": ("missed", "Meetings missed"),
    "training_short": ("under", "Training short"),
    "review_planned": ("planned", "Review planned"),
    "all_in_place": ("met", "All in place"),
}


@dataclass
class Status:
    code: str
    colour: str
    text: str


def mentor_status(
    *,
    hours: Decimal,
    hours_required: int,
    weeks_missed: int,
    last_review: MentorReview | None,
    next_review: MentorReview | None,
    today: dt.date,
    subject_mismatch: bool = False,
) -> Status:
    """The most pressing thing about a mentor this year, first match wins: mentoring an intern of a
    subject they do not teach (`services.subject_mismatch`); follow-up actions outstanding;
    no review held and none planned ahead (or the planned one is past); weeks without a meeting; training
    short of what the partnership asks; a first review planned; otherwise all in place."""
    if subject_mismatch:
        code = "subject_mismatch"
    elif last_review is not None and last_review.actions and last_review.follow_up_done_on is None:
        code = "follow_up"
    elif last_review is None and (next_review is None or next_review.scheduled_on < today):
        code = "review_due"
    elif weeks_missed:
        code = "meetings_missed"
    elif hours < hours_required:
        code = "training_short"
    elif last_review is None:
        code = "review_planned"
    else:
        code = "all_in_place"
    colour, text = STATUS_TAGS[code]
    return Status(code, colour, text)


@dataclass
class MentorRow:
    mentor: StaffMember
    interns: list[Intern] = field(default_factory=list)
    hours: Decimal = Decimal("0")
    hours_required: int = 0
    last_review: MentorReview | None = None
    next_review: MentorReview | None = None
    status: Status | None = None
    subject_mismatches: list[str] = field(default_factory=list)
    """For each of the mentor's current interns whose subject they do not teach, the sentence saying so."""

    @property
    def weeks_missed(self) -> int:
        return sum(len(intern.gaps) for intern in self.interns)

    @property
    def training_short(self) -> bool:
        return self.hours < self.hours_required


def _with_meetings(interns: QuerySet[Intern]) -> QuerySet[Intern]:
    return interns.select_related(
        "staff", "mentor__department", "department", "programme__provider", "programme__academic_year"
    ).prefetch_related(
        "placements",
        Prefetch("meetings", queryset=MentorMeeting.objects.only("pk", "intern_id", "held_on")),
        "programme__academic_year__terms",
    )


def _add_gaps(interns, today: dt.date) -> None:
    for intern in interns:
        intern.gaps = meeting_gaps(
            intern.placements.all(),
            [m.held_on for m in intern.meetings.all()],
            today,
            intern.programme.academic_year.terms.all(),
        )


def _finish(row: MentorRow, reviews: list[MentorReview], today: dt.date) -> MentorRow:
    held = [r for r in reviews if r.held_on is not None]
    planned = [r for r in reviews if r.held_on is None]
    row.last_review = max(held, key=lambda r: (r.held_on, r.pk)) if held else None
    row.next_review = min(planned, key=lambda r: (r.scheduled_on, r.pk)) if planned else None
    row.hours_required = max((i.programme.provider.mentor_training_hours for i in row.interns), default=0)
    row.status = mentor_status(
        hours=row.hours,
        hours_required=row.hours_required,
        weeks_missed=row.weeks_missed,
        last_review=row.last_review,
        next_review=row.next_review,
        today=today,
        subject_mismatch=bool(row.subject_mismatches),
    )
    return row


def _mismatches(row: MentorRow, known: tuple[list[str], str]) -> list[str]:
    return [m for intern in row.interns if (m := subject_mismatch(intern.subject, row.mentor, known))]


def _training_hours(user, mentor_ids) -> dict[int, Decimal]:
    totals = (
        permissions.mentor_records_readable_by(user, MentorTraining)
        .filter(mentor__in=mentor_ids)
        .order_by()
        .values("mentor")
        .annotate(total=Sum("hours"))
        .values_list("mentor", "total")
    )
    return {mentor_id: total or Decimal("0") for mentor_id, total in totals}


def current_interns(user, institution_id: int, year: AcademicYear) -> QuerySet[Intern]:
    """Interns on the institution's programmes in `year` who have a mentor, withdrawn ones aside."""
    return (
        permissions.interns_readable_by(user)
        .filter(
            programme__academic_year=year,
            programme__provider__institution=institution_id,
            mentor__isnull=False,
        )
        .exclude(status=Intern.Status.WITHDRAWN)
    )


def mentor_overview(user, *, institution_id: int, year: AcademicYear, today: dt.date) -> list[MentorRow]:
    """Every current mentor (of an intern on a programme this year) with their interns, training hours
    against the partnership's requirement, weeks without a meeting, last and next review and status.
    Six queries whatever the number of mentors: interns, placements, meetings, training, reviews, and the
    mentors' classes (for the subjects they teach)."""
    interns = list(_with_meetings(current_interns(user, institution_id, year)))
    _add_gaps(interns, today)
    rows: dict[int, MentorRow] = {}
    for intern in interns:
        # current_interns keeps only the interns with a mentor.
        assert intern.mentor_id is not None and intern.mentor is not None
        rows.setdefault(intern.mentor_id, MentorRow(mentor=intern.mentor)).interns.append(intern)
    hours = _training_hours(user, list(rows))
    reviews: dict[int, list[MentorReview]] = {}
    for review in permissions.mentor_records_readable_by(user, MentorReview).filter(
        mentor__in=list(rows), intern__programme__academic_year=year
    ):
        reviews.setdefault(review.mentor_id, []).append(review)
    known = mentor_subjects([row.mentor for row in rows.values()], year.pk)
    for mentor_id, row in rows.items():
        row.hours = hours.get(mentor_id, Decimal("0"))
        row.subject_mismatches = _mismatches(row, known[mentor_id])
        _finish(row, reviews.get(mentor_id, []), today)
    return sorted(rows.values(), key=lambda r: (r.mentor.surname, r.mentor.forename, r.mentor.pk))


@dataclass
class MentorRecord:
    row: MentorRow
    interns: list[Intern]
    training: list[MentorTraining]
    reviews: list[MentorReview]
    providers: list[Provider]


def mentor_record(user, mentor: StaffMember, *, year: AcademicYear | None, today: dt.date) -> MentorRecord:
    """One mentor's page: every intern they mentor that `user` may read, their training and reviews, the
    providers' requirements, and this year's status worked out as on the overview."""
    interns = list(
        _with_meetings(permissions.interns_readable_by(user).filter(mentor=mentor)).order_by(
            "-programme__academic_year__starts_on", "staff__surname", "staff__forename"
        )
    )
    _add_gaps(interns, today)
    training = list(
        permissions.mentor_records_readable_by(user, MentorTraining)
        .filter(mentor=mentor)
        .select_related("provider")
    )
    reviews = list(
        permissions.mentor_records_readable_by(user, MentorReview)
        .filter(mentor=mentor)
        .select_related("intern__staff", "intern__programme", "reviewer")
    )
    current = [
        i
        for i in interns
        if year is not None
        and i.programme.academic_year_id == year.pk
        and i.status != Intern.Status.WITHDRAWN
    ]
    row = MentorRow(mentor=mentor, interns=current, hours=sum((t.hours for t in training), Decimal("0")))
    if year is not None and current:
        row.subject_mismatches = _mismatches(row, mentor_subjects([mentor], year.pk)[mentor.pk])
    _finish(
        row,
        [r for r in reviews if year is not None and r.intern.programme.academic_year_id == year.pk],
        today,
    )
    providers = {i.programme.provider.pk: i.programme.provider for i in interns}
    return MentorRecord(
        row=row,
        interns=interns,
        training=training,
        reviews=reviews,
        providers=sorted(providers.values(), key=lambda p: p.name),
    )
