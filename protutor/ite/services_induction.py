"""Writes for induction: new staff checklists (templates, starting one, ticking items) and the statutory
induction of early-career teachers (starting and changing one, its schedule of progress reviews and formal
assessments, the reduced timetable, evidence against the Teachers' Standards, recording an event as held).

The dates come from protutor.ite.induction, over the institution's own term dates; this module only turns
Term rows into TermDates, stores what the schedule says and keeps what has already happened. Each write is
one transaction with its audit entry; emails go after commit and say only that something happened.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from protutor.audit import services as audit
from protutor.core.errors import ServiceError
from protutor.core.notify import notify_after_commit
from protutor.ite import permissions
from protutor.ite.induction import (
    ECT_ASSESSMENT_POINTS,
    LEGACY_NQT_ASSESSMENT_POINTS,
    LEGACY_NQT_STARTED_BEFORE,
    ReductionCheck,
    TermDates,
    induction_schedule,
    reduction_check,
    time_served,
)
from protutor.ite.models import (
    ChecklistItem,
    ChecklistTemplate,
    EctInduction,
    InductionEvent,
    InductionEvidence,
    Intern,
    ReducedTimetable,
    StaffInduction,
)
from protutor.ite.services import DENIED, require_ite_tutor, staff_of
from protutor.observations.models import Standard
from protutor.people.models import StaffMember, Term

DEFAULT_TEMPLATE_NAME = "New staff"
DEFAULT_TEMPLATE_ITEMS = [
    "Safeguarding and child protection training",
    "Keeping children safe in education part one read",
    "Systems accounts set up (email, MIS, VLE)",
    "Behaviour policy",
    "Meeting the mentor or line manager",
    "Fire, health and safety induction",
    "Staff handbook read",
    "ICT acceptable use policy signed",
    "Data protection briefing",
    "Lanyard and ID badge",
]

NOT_ON_TRACK_FORMAL = "The appropriate body must be told and a support plan agreed."
RECOMMENDATION_SENT = (
    "Send the recommendation to the appropriate body, which decides the outcome; when it has, record its "
    "decision as the induction's status."
)
RECORD_RECOMMENDATION = (
    "This final assessment records progress, not the recommendation to the appropriate body: record "
    "whether the early-career teacher has met the Teachers' Standards."
)
NOT_ON_TRACK_REVIEW = (
    "Agree a support plan with the early-career teacher; the review goes to the appropriate body."
)


# Checklists for new staff


def parse_items(text: str) -> list[str]:
    """One checklist item per line, in order; blank lines are dropped."""
    items = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if not items:
        raise ServiceError("Enter at least one item, one on each line", field="items_text")
    if any(len(item) > 200 for item in items):
        raise ServiceError("Each item must be 200 characters or fewer", field="items_text")
    if len({item.lower() for item in items}) < len(items):
        raise ServiceError("Each item on the checklist must be different", field="items_text")
    return items


@transaction.atomic
def save_checklist_template(
    *, actor, name: str, items_text: str, template: ChecklistTemplate | None = None
) -> ChecklistTemplate:
    """Add (or change) one of the institution's checklist templates. Checklists already started keep
    the items they were given."""
    institution_id = template.institution_id if template else staff_of(actor).institution_id
    require_ite_tutor(actor, institution_id)
    name = (name or "").strip()
    if not name:
        raise ServiceError("Enter the template's name, like New staff", field="name")
    items = parse_items(items_text)
    created = template is None
    template = template or ChecklistTemplate(institution_id=institution_id)
    template.name = name
    template.items = items
    try:
        with transaction.atomic():
            template.save()
    except IntegrityError as exc:
        raise ServiceError("A template with that name already exists", field="name") from exc
    audit.record(
        actor=actor,
        action="ite.checklist_template_added" if created else "ite.checklist_template_saved",
        target=template,
    )
    return template


def _check_colleague(person: StaffMember | None, institution_id: int, field: str, message: str) -> None:
    if person is not None and (person.institution_id != institution_id or not person.is_active):
        raise ServiceError(message, field=field)


@transaction.atomic
def start_checklist(
    *,
    actor,
    staff: StaffMember,
    template: ChecklistTemplate,
    starts_on: dt.date,
    induction_tutor: StaffMember | None = None,
) -> StaffInduction:
    """Give a new member of staff their induction checklist: the template's items, copied, so a later
    change to the template leaves it alone. Side effects: audit entry; the person and their induction
    tutor are emailed after commit."""
    institution_id = staff.institution_id
    require_ite_tutor(actor, institution_id)
    _check_colleague(staff, institution_id, "staff", "Select a member of staff from your institution")
    if template.institution_id != institution_id:
        raise ServiceError("Select a checklist template of your institution", field="template")
    if not template.items:
        raise ServiceError("That template has no items: add some to it first", field="template")
    if starts_on is None:
        raise ServiceError("Enter the start date", field="starts_on")
    _check_colleague(
        induction_tutor, institution_id, "induction_tutor", "Select an induction tutor from your institution"
    )
    if induction_tutor is not None and induction_tutor.pk == staff.pk:
        raise ServiceError(
            "A new member of staff cannot be their own induction tutor", field="induction_tutor"
        )
    if StaffInduction.objects.filter(staff=staff, template=template).exists():
        raise ServiceError(f"{staff.full_name} already has a {template.name} checklist", field="staff")
    induction = StaffInduction.objects.create(
        staff=staff, template=template, starts_on=starts_on, induction_tutor=induction_tutor
    )
    ChecklistItem.objects.bulk_create(
        [
            ChecklistItem(induction=induction, position=position, title=title)
            for position, title in enumerate(template.items, start=1)
        ]
    )
    audit.record(actor=actor, action="ite.checklist_started", target=induction)
    notify_after_commit(
        [staff.user, induction_tutor.user if induction_tutor else None],
        subject="An induction checklist",
        message="An induction checklist that involves you has been set up.",
        path=induction.get_absolute_url(),
    )
    return induction


@transaction.atomic
def tick_checklist_item(*, actor, item: ChecklistItem, done: bool = True) -> ChecklistItem:
    """Mark an item done today by the actor (the person, their induction tutor or the ITE tutor), or
    not done again."""
    item = (
        ChecklistItem.objects.select_for_update(of=("self",))
        .select_related("induction__staff")
        .get(pk=item.pk)
    )
    if not permissions.can_tick_checklist(actor, item.induction):
        raise ServiceError(DENIED)
    if done:
        if item.done_on is not None:
            raise ServiceError(f"{item.title} is already done")
        item.done_on = timezone.localdate()
        item.done_by = staff_of(actor)
    else:
        if item.done_on is None:
            raise ServiceError(f"{item.title} is not done yet")
        item.done_on = None
        item.done_by = None
    item.save(update_fields=["done_on", "done_by"])
    audit.record(
        actor=actor, action="ite.checklist_item_done" if done else "ite.checklist_item_undone", target=item
    )
    return item


# Early-career teachers' statutory induction


def term_dates(institution_id: int) -> list[TermDates]:
    """The institution's terms, every academic year it has entered, as the induction module takes them."""
    terms = (
        Term.objects.filter(academic_year__institution_id=institution_id)
        .select_related("academic_year")
        .order_by("starts_on")
    )
    return [
        TermDates(
            starts_on=term.starts_on,
            ends_on=term.ends_on,
            label=f"{term.get_name_display()} {term.academic_year.name}",
        )
        for term in terms
    ]


def assessment_points(induction: EctInduction) -> tuple[Fraction, ...]:
    return LEGACY_NQT_ASSESSMENT_POINTS if induction.legacy_nqt else ECT_ASSESSMENT_POINTS


def is_final_assessment(event: InductionEvent) -> bool:
    """The formal assessment that ends induction: the second for an ECT, the third for a legacy NQT."""
    return event.kind == InductionEvent.Kind.FORMAL_ASSESSMENT and event.number == len(
        assessment_points(event.induction)
    )


PROGRESS_OUTCOMES = (InductionEvent.Outcome.ON_TRACK, InductionEvent.Outcome.NOT_ON_TRACK)
RECOMMENDATIONS = (
    InductionEvent.Outcome.MET,
    InductionEvent.Outcome.NOT_MET,
    InductionEvent.Outcome.EXTEND,
)


def outcomes_for(event: InductionEvent) -> tuple[InductionEvent.Outcome, ...]:
    """What an event may record, the one rule the form offers and the service checks. Progress reviews,
    the interim assessment and the first formal assessment(s) record whether the ECT is making
    satisfactory progress; the final formal assessment records the recommendation to the appropriate body
    that the ECT has met, or has not met, the Teachers' Standards, or that induction be extended (the
    appropriate body decides the outcome)."""
    return RECOMMENDATIONS if is_final_assessment(event) else PROGRESS_OUTCOMES


def outcome_question(event: InductionEvent) -> str:
    """The question the event's outcome answers, as the form's error message."""
    if is_final_assessment(event):
        return "Select the recommendation to the appropriate body"
    return "Select whether the early-career teacher is making satisfactory progress"


def served_so_far(induction: EctInduction, terms: list[TermDates], today: dt.date) -> Fraction | None:
    """Full-time-equivalent terms served up to today, over the known terms; None without term dates."""
    if not terms:
        return None
    return time_served(induction.starts_on, induction.fte, terms, today)


def induction_years(induction: EctInduction) -> list[int]:
    """The years of induction that need a reduced timetable: one for a legacy NQT, two for an ECT. For a
    part-time ECT, year 1 is the first half of their induction."""
    return [1] if induction.legacy_nqt else [1, 2]


def check_timetable(timetable: ReducedTimetable) -> ReductionCheck:
    return reduction_check(timetable.induction_year, timetable.standard_periods, timetable.taught_periods)


@dataclass(frozen=True)
class TimetableCheck:
    """What the page says about one year's timetable."""

    timetable: ReducedTimetable
    check: ReductionCheck

    @property
    def taught_percent(self) -> Decimal:
        return 100 - self.check.actual_percent

    @property
    def summary(self) -> str:
        verdict = "reduction met" if self.check.met else "reduction not met"
        return (
            f"Year {self.timetable.induction_year}: teaching {_show(self.taught_percent)}% of a standard "
            f"timetable: {verdict}"
        )


def timetable_checks(timetables) -> list[TimetableCheck]:
    return [TimetableCheck(timetable, check_timetable(timetable)) for timetable in timetables]


def _check_ect_people(
    *,
    institution_id: int,
    staff: StaffMember,
    induction_tutor: StaffMember | None,
    mentor: StaffMember | None,
) -> None:
    _check_colleague(
        staff, institution_id, "staff", "Select the early-career teacher from your institution's staff"
    )
    if induction_tutor is None:
        raise ServiceError("Select the induction tutor", field="induction_tutor")
    if mentor is None:
        raise ServiceError("Select the mentor", field="mentor")
    _check_colleague(
        induction_tutor,
        institution_id,
        "induction_tutor",
        "Select an induction tutor from your institution's staff",
    )
    _check_colleague(mentor, institution_id, "mentor", "Select a mentor from your institution's staff")
    if induction_tutor.pk == staff.pk:
        raise ServiceError(
            "An early-career teacher cannot be their own induction tutor", field="induction_tutor"
        )
    if mentor.pk == staff.pk:
        raise ServiceError("An early-career teacher cannot be their own mentor", field="mentor")
    # The guidance: the mentor is normally not the induction tutor, and the mentor does not assess. The
    # pages rely on it too: the mentor never sees the assessment forms.
    if mentor.pk == induction_tutor.pk:
        raise ServiceError(
            "Select a mentor who is not the induction tutor: the induction tutor assesses, the mentor does not",
            field="mentor",
        )
    busy = Intern.objects.filter(staff__in=[induction_tutor, mentor], status=Intern.Status.ACTIVE)
    for field, person in (("induction_tutor", induction_tutor), ("mentor", mentor)):
        if any(intern.staff_id == person.pk for intern in busy):
            label = "induction tutor" if field == "induction_tutor" else "mentor"
            raise ServiceError(f"Select a qualified teacher as {label}, not an intern", field=field)


def _schedule(institution_id: int, starts_on: dt.date | None, fte, legacy_nqt: bool):
    if starts_on is None:
        raise ServiceError("Enter the induction start date", field="starts_on")
    if fte is None or not Decimal("0.1") <= Decimal(fte) <= 1:
        raise ServiceError("Enter the FTE as a number from 0.1 to 1, like 0.6", field="fte")
    if legacy_nqt and starts_on >= LEGACY_NQT_STARTED_BEFORE:
        raise ServiceError(
            "The one-year NQT pattern applies only to inductions that started before 1 September 2021",
            field="legacy_nqt",
        )
    terms = term_dates(institution_id)
    if not terms:
        raise ServiceError(
            "There are no term dates for your institution: the programme lead adds the academic year and "
            "its terms first",
            field="starts_on",
        )
    try:
        return induction_schedule(starts_on, Decimal(fte), terms, legacy_nqt=legacy_nqt)
    except ValueError as error:
        raise ServiceError(str(error), field="starts_on") from error


def _store_schedule(induction: EctInduction, schedule) -> None:
    """Write the schedule's events, keeping every event already held: an event not yet held takes the
    new due date of the event of its kind and number, and one the new schedule no longer has goes."""
    existing = {
        (event.kind, event.number): event for event in induction.events.select_for_update(of=("self",))
    }
    wanted = {(event.kind, event.number): event for event in schedule.events}
    new, changed = [], []
    for key, planned in wanted.items():
        event = existing.get(key)
        if event is None:
            new.append(
                InductionEvent(
                    induction=induction,
                    kind=planned.kind,
                    number=planned.number,
                    due_on=planned.due_on,
                    estimated=planned.estimated,
                )
            )
        elif event.held_on is None and (event.due_on, event.estimated) != (planned.due_on, planned.estimated):
            event.due_on, event.estimated = planned.due_on, planned.estimated
            changed.append(event)
    stale = [
        event.pk
        for key, event in existing.items()
        if key not in wanted and event.held_on is None and event.kind != InductionEvent.Kind.INTERIM
    ]
    InductionEvent.objects.filter(pk__in=stale).delete()
    InductionEvent.objects.bulk_update(changed, ["due_on", "estimated"])
    InductionEvent.objects.bulk_create(new)


@transaction.atomic
def start_ect_induction(
    *,
    actor,
    staff: StaffMember,
    starts_on: dt.date,
    fte: Decimal,
    induction_tutor: StaffMember,
    mentor: StaffMember,
    appropriate_body: str = "",
    legacy_nqt: bool = False,
) -> EctInduction:
    """Start an early-career teacher's induction with its progress reviews and formal assessments, due
    dates computed from the start date, the FTE and the institution's term dates. Side effects: audit
    entry; the ECT, their induction tutor and mentor are emailed after commit."""
    institution_id = staff.institution_id
    require_ite_tutor(actor, institution_id)
    _check_ect_people(
        institution_id=institution_id, staff=staff, induction_tutor=induction_tutor, mentor=mentor
    )
    if EctInduction.objects.filter(staff=staff).exists():
        raise ServiceError(f"{staff.full_name} already has an induction record", field="staff")
    schedule = _schedule(institution_id, starts_on, fte, legacy_nqt)
    induction = EctInduction.objects.create(
        staff=staff,
        starts_on=starts_on,
        fte=fte,
        induction_tutor=induction_tutor,
        mentor=mentor,
        appropriate_body=(appropriate_body or "").strip(),
        legacy_nqt=legacy_nqt,
    )
    _store_schedule(induction, schedule)
    audit.record(actor=actor, action="ite.ect_induction_started", target=induction)
    notify_after_commit(
        [staff.user, induction_tutor.user, mentor.user],
        subject="An early-career induction",
        message="An early-career teacher's induction that involves you has been set up.",
        path=induction.get_absolute_url(),
    )
    return induction


@transaction.atomic
def update_ect_induction(
    *,
    actor,
    induction: EctInduction,
    starts_on: dt.date,
    fte: Decimal,
    induction_tutor: StaffMember,
    mentor: StaffMember,
    appropriate_body: str = "",
    legacy_nqt: bool = False,
    status: str | None = None,
) -> EctInduction:
    """Change an induction. The events not yet held are worked out again from the start date, FTE and
    the term dates as they now stand (so dates estimated last year become real once the new year's terms
    are in); events already held stay as they were. Side effects: audit entry; a newly appointed induction
    tutor or mentor is emailed after commit."""
    induction = (
        EctInduction.objects.select_for_update(of=("self",)).select_related("staff").get(pk=induction.pk)
    )
    institution_id = induction.staff.institution_id
    require_ite_tutor(actor, institution_id)
    _check_ect_people(
        institution_id=institution_id,
        staff=induction.staff,
        induction_tutor=induction_tutor,
        mentor=mentor,
    )
    if status is not None and status not in EctInduction.Status.values:
        raise ServiceError("Select the induction's status", field="status")
    schedule = _schedule(institution_id, starts_on, fte, legacy_nqt)
    appointed = [
        person.user
        for person, before in ((induction_tutor, induction.induction_tutor_id), (mentor, induction.mentor_id))
        if person.pk != before
    ]
    induction.starts_on = starts_on
    induction.fte = fte
    induction.induction_tutor = induction_tutor
    induction.mentor = mentor
    induction.appropriate_body = (appropriate_body or "").strip()
    induction.legacy_nqt = legacy_nqt
    if status is not None:
        induction.status = status
    induction.save()
    _store_schedule(induction, schedule)
    audit.record(actor=actor, action="ite.ect_induction_updated", target=induction)
    notify_after_commit(
        appointed,
        subject="An early-career induction",
        message="You have been appointed to support an early-career teacher's induction.",
        path=induction.get_absolute_url(),
    )
    return induction


@transaction.atomic
def reschedule(*, actor, induction: EctInduction) -> EctInduction:
    """Work the events not yet held out again from the current term dates, changing nothing else."""
    induction = (
        EctInduction.objects.select_for_update(of=("self",)).select_related("staff").get(pk=induction.pk)
    )
    require_ite_tutor(actor, induction.staff.institution_id)
    _store_schedule(
        induction,
        _schedule(induction.staff.institution_id, induction.starts_on, induction.fte, induction.legacy_nqt),
    )
    audit.record(actor=actor, action="ite.ect_induction_rescheduled", target=induction)
    return induction


def _require_live(induction: EctInduction) -> None:
    """A passed, failed or finished induction is a closed record: nothing more is added to it."""
    if induction.status not in permissions.LIVE_INDUCTION:
        raise ServiceError(
            f"This induction is {induction.get_status_display().lower()}: nothing more can be recorded on it"
        )


@transaction.atomic
def record_reduced_timetable(
    *,
    actor,
    induction: EctInduction,
    induction_year: int,
    standard_periods: Decimal,
    taught_periods: Decimal,
) -> ReducedTimetable:
    """Record (or replace) the ECT's teaching load for one year of induction, both loads in periods a
    week excluding PPA, the standard one at the ECT's FTE."""
    if not permissions.can_record_induction_event(actor, induction):
        raise ServiceError(DENIED)
    _require_live(induction)
    if induction_year not in induction_years(induction):
        raise ServiceError(
            "Select year 1" if induction.legacy_nqt else "Select year 1 or year 2", field="induction_year"
        )
    if standard_periods is None or standard_periods <= 0:
        raise ServiceError("The standard timetable must be more than 0 periods", field="standard_periods")
    if taught_periods is None or taught_periods < 0:
        raise ServiceError("The periods taught cannot be fewer than 0", field="taught_periods")
    timetable, _ = ReducedTimetable.objects.update_or_create(
        induction=induction,
        induction_year=induction_year,
        defaults={
            "standard_periods": standard_periods,
            "taught_periods": taught_periods,
            "recorded_on": timezone.localdate(),
        },
    )
    audit.record(actor=actor, action="ite.reduced_timetable_recorded", target=timetable, year=induction_year)
    return timetable


def evidence_standards() -> QuerySet[Standard]:
    """The Teachers' Standards' top-level standards (1 to 8 and Part Two): what an ECT is judged against,
    whatever frameworks the institution observes with."""
    return (
        Standard.objects.filter(
            framework__code="TS", framework__institution__isnull=True, parent__isnull=True
        )
        .select_related("framework")
        .order_by("position")
    )


@transaction.atomic
def add_evidence(
    *, actor, induction: EctInduction, standard: Standard, recorded_on: dt.date, text: str
) -> InductionEvidence:
    """Evidence of the ECT's practice against one Teachers' Standard: by the ECT, their mentor, their
    induction tutor or the ITE tutor."""
    if not permissions.can_add_evidence(actor, induction):
        raise ServiceError(DENIED)
    _require_live(induction)
    if standard is None or not evidence_standards().filter(pk=standard.pk).exists():
        raise ServiceError("Select a Teachers' Standard", field="standard")
    if recorded_on is None:
        raise ServiceError("Enter the date of the evidence", field="recorded_on")
    if recorded_on > timezone.localdate():
        raise ServiceError("The date cannot be in the future", field="recorded_on")
    if recorded_on < induction.starts_on:
        raise ServiceError(
            f"The date must be on or after the start of induction, {_day(induction.starts_on)}",
            field="recorded_on",
        )
    text = (text or "").strip()
    if not text:
        raise ServiceError("Enter the evidence", field="text")
    evidence = InductionEvidence.objects.create(
        induction=induction,
        standard=standard,
        recorded_on=recorded_on,
        text=text,
        recorded_by=staff_of(actor),
    )
    audit.record(actor=actor, action="ite.induction_evidence_added", target=evidence)
    return evidence


@transaction.atomic
def record_event(
    *, actor, event: InductionEvent, held_on: dt.date, outcome: str, notes: str = ""
) -> InductionEvent:
    """Record a progress review or formal assessment as held (or correct the record): the induction tutor
    or the ITE tutor; the mentor does not assess. Side effects: audit entry; the ECT is emailed after
    commit."""
    event = (
        InductionEvent.objects.select_for_update(of=("self",))
        .select_related("induction__staff__user")
        .get(pk=event.pk)
    )
    induction = event.induction
    if not permissions.can_record_induction_event(actor, induction):
        raise ServiceError(DENIED)
    _require_live(induction)
    if held_on is None:
        raise ServiceError("Enter the date it was held", field="held_on")
    if held_on > timezone.localdate():
        raise ServiceError("The date it was held cannot be in the future", field="held_on")
    if held_on < induction.starts_on:
        raise ServiceError(
            f"The date it was held must be on or after the start of induction, {_day(induction.starts_on)}",
            field="held_on",
        )
    if outcome not in outcomes_for(event):
        raise ServiceError(outcome_question(event), field="outcome")
    event.held_on = held_on
    event.outcome = outcome
    event.notes = (notes or "").strip()
    event.recorded_by = staff_of(actor)
    event.save(update_fields=["held_on", "outcome", "notes", "recorded_by"])
    audit.record(actor=actor, action="ite.induction_event_recorded", target=event, outcome=outcome)
    notify_after_commit(
        [induction.staff.user],
        subject="Your induction",
        message="A progress review or assessment of your induction has been recorded.",
        path=induction.get_absolute_url(),
    )
    return event


def follow_up(event: InductionEvent) -> str:
    """What must happen after a held event, or nothing: a recommendation goes to the appropriate body; a
    final assessment recorded before recommendations were (as progress) still needs one; not on track
    needs a support plan."""
    if event.held_on is None:
        return ""
    if event.outcome in RECOMMENDATIONS:
        return RECOMMENDATION_SENT
    if is_final_assessment(event):
        return RECORD_RECOMMENDATION
    if event.outcome != InductionEvent.Outcome.NOT_ON_TRACK:
        return ""
    return NOT_ON_TRACK_FORMAL if event.kind == InductionEvent.Kind.FORMAL_ASSESSMENT else NOT_ON_TRACK_REVIEW


def _show(number: Decimal) -> str:
    return f"{number.normalize():f}"


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"
