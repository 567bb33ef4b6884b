"""Writes in the coaching programme: one transaction each with an audit entry; emails after commit.

Cover requests and every message outside the pair say "professional development", never "coaching".
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from protutor.audit import services as audit
from protutor.coaching import matching, permissions
from protutor.coaching.models import (
    Agreement,
    AgreementAcceptance,
    Coach,
    CoacheeSignup,
    CoachingSession,
    Cohort,
    CoverRequest,
    JournalEntry,
    MatchingRun,
    Pairing,
    SurveyReceipt,
    SurveyResponse,
)
from protutor.core.confirm import ConfirmationNeeded
from protutor.core.errors import ServiceError
from protutor.core.notify import notify_after_commit
from protutor.core.params import as_id
from protutor.people.models import Role, RoleAssignment, StaffMember, Term

DENIED = "You do not have permission to do that."


def _staff(actor) -> StaffMember:
    staff = StaffMember.objects.filter(user=actor).first()
    if staff is None:
        raise ServiceError("Your account is not linked to a member of staff.")
    return staff


def latest_agreement(institution_id: int) -> Agreement | None:
    return Agreement.objects.filter(institution_id=institution_id).order_by("-version").first()


def has_accepted_latest(staff: StaffMember) -> bool:
    agreement = latest_agreement(staff.institution_id)
    return agreement is not None and agreement.acceptances.filter(staff=staff).exists()


def parse_free_periods(values) -> list[list[int]]:
    """Checkbox values "d-p" (weekday 0-4, period 1-8) to [[d, p], ...], refusing anything else."""
    periods = set()
    for value in values:
        day, _, period = str(value).partition("-")
        if not (
            as_id(day) is not None
            and as_id(period) is not None
            and 0 <= int(day) <= 4
            and 1 <= int(period) <= 8
        ):
            raise ServiceError("Select free periods from the grid", field="free_periods")
        periods.add((int(day), int(period)))
    return [list(p) for p in sorted(periods)]


@transaction.atomic
def publish_agreement(*, actor, text: str) -> Agreement:
    """The coordinator publishes a new version; everyone accepts it again before taking part."""
    staff = _staff(actor)
    if not permissions.is_coordinator(actor, staff.institution_id):
        raise ServiceError(DENIED)
    if not text.strip():
        raise ServiceError("Enter the agreement", field="text")
    current = latest_agreement(staff.institution_id)
    agreement = Agreement.objects.create(
        institution_id=staff.institution_id,
        version=(current.version + 1) if current else 1,
        text=text.strip(),
    )
    audit.record(actor=actor, action="coaching.agreement_published", target=agreement)
    return agreement


@transaction.atomic
def accept_agreement(*, actor, agreement: Agreement) -> AgreementAcceptance:
    staff = _staff(actor)
    if agreement.institution_id != staff.institution_id:
        raise ServiceError(DENIED)
    acceptance, _ = AgreementAcceptance.objects.get_or_create(agreement=agreement, staff=staff)
    audit.record(
        actor=actor, action="coaching.agreement_accepted", target=agreement, version=agreement.version
    )
    return acceptance


@transaction.atomic
def volunteer(*, actor, strengths: str, free_periods, capacity: int, ready_for_ect: bool = False) -> Coach:
    """Anyone may volunteer to coach, whatever their position, once they have accepted the agreement."""
    staff = _staff(actor)
    if not has_accepted_latest(staff):
        raise ServiceError("Read and accept the coaching agreement first")
    if not 1 <= capacity <= 6:
        raise ServiceError("Enter how many people you could coach, from 1 to 6", field="capacity")
    cohort = Cohort.objects.filter(institution_id=staff.institution_id).order_by("-created_at").first()
    if cohort is None:
        cohort = Cohort.objects.create(institution_id=staff.institution_id, name="Cohort 1")
    details = {
        "strengths": strengths.strip(),
        "free_periods": parse_free_periods(free_periods),
        "capacity": capacity,
        "ready_for_ect": ready_for_ect,
        "active": True,
    }
    # A new volunteer joins the latest cohort; an existing coach keeps theirs.
    coach, _ = Coach.objects.update_or_create(
        staff=staff, defaults=details, create_defaults={**details, "cohort": cohort}
    )
    audit.record(actor=actor, action="coaching.volunteered", target=coach)
    return coach


@transaction.atomic
def start_cohort(*, actor, name: str) -> Cohort:
    staff = _staff(actor)
    if not permissions.is_coordinator(actor, staff.institution_id):
        raise ServiceError(DENIED)
    if not name.strip():
        raise ServiceError("Enter a name for the cohort", field="name")
    try:
        with transaction.atomic():
            cohort = Cohort.objects.create(institution_id=staff.institution_id, name=name.strip())
    except IntegrityError as exc:
        raise ServiceError("A cohort with that name already exists", field="name") from exc
    audit.record(actor=actor, action="coaching.cohort_started", target=cohort)
    return cohort


STEPS = ("training_day_on", "first_follow_up_on", "second_follow_up_on")


@transaction.atomic
def record_training(*, actor, coach: Coach, step: str, on: dt.date) -> Coach:
    """The coordinator records a training step: the day, then two follow-up one-to-ones, in order."""
    if not permissions.is_coordinator(actor, coach.staff.institution_id):
        raise ServiceError(DENIED)
    if step not in STEPS:
        raise ServiceError("Select a training step", field="step")
    before = STEPS[: STEPS.index(step)]
    if any(getattr(coach, s) is None for s in before):
        raise ServiceError("Record the earlier training steps first", field="step")
    if on > timezone.localdate():
        raise ServiceError("The date must be today or in the past", field="on")
    setattr(coach, step, on)
    coach.save(update_fields=[step])
    audit.record(actor=actor, action="coaching.training_recorded", target=coach, step=step)
    return coach


@transaction.atomic
def sign_up(*, actor, focus: str, free_periods, outside_department: bool, is_ect: bool) -> CoacheeSignup:
    """Being coached is voluntary: the person signs up themself, having accepted the agreement."""
    staff = _staff(actor)
    if not has_accepted_latest(staff):
        raise ServiceError("Read and accept the coaching agreement first")
    if not focus.strip():
        raise ServiceError("Enter what you would like to work on", field="focus")
    signup, _ = CoacheeSignup.objects.update_or_create(
        staff=staff,
        defaults={
            "focus": focus.strip(),
            "free_periods": parse_free_periods(free_periods),
            "outside_department": outside_department,
            "is_ect": is_ect,
            "active": True,
        },
    )
    audit.record(actor=actor, action="coaching.signed_up", target=signup)
    return signup


def _tags(text: str) -> frozenset[str]:
    return frozenset(t.strip().lower() for t in text.split(",") if t.strip())


@transaction.atomic
def propose_pairs(*, actor, institution_id: int, pinned=(), forbidden=()) -> MatchingRun:
    """Compute an optimal set of pairs for everyone signed up and not yet paired, with trained coaches who
    have room. The previous proposals are replaced only once the new ones are computed: a pin that breaks
    a hard rule (a ValueError from matching) leaves them as they were. Confirmed pairs stay."""
    if not permissions.is_coordinator(actor, institution_id):
        raise ServiceError(DENIED)
    confirmed: defaultdict[int, int] = defaultdict(int)
    paired_signups: set[int] = set()
    for coach_id, signup_id in Pairing.objects.filter(
        coach__staff__institution_id=institution_id, status=Pairing.Status.CONFIRMED
    ).values_list("coach_id", "coachee_id"):
        confirmed[coach_id] += 1
        paired_signups.add(signup_id)
    coaches = [
        c
        for c in Coach.objects.filter(staff__institution_id=institution_id, active=True).select_related(
            "staff"
        )
        if c.is_trained and c.capacity > confirmed[c.pk]
    ]
    signups = list(
        CoacheeSignup.objects.filter(staff__institution_id=institution_id, active=True)
        .exclude(pk__in=paired_signups)
        .select_related("staff")
    )
    staff_ids = {c.staff_id for c in coaches} | {s.staff_id for s in signups}
    manages = defaultdict(set)
    for manager, report in StaffMember.objects.filter(line_manager__in=staff_ids).values_list(
        "line_manager", "pk"
    ):
        manages[manager].add(report)
    by_staff_coach = {c.staff_id: c for c in coaches}
    by_staff_signup = {s.staff_id: s for s in signups}
    result = matching.match(
        [
            matching.Coach(
                id=c.staff_id,
                department_id=c.staff.department_id,
                line_manager_id=c.staff.line_manager_id,
                manages=frozenset(manages[c.staff_id]),
                strengths=_tags(c.strengths),
                free=frozenset(tuple(p) for p in c.free_periods),
                capacity=c.capacity - confirmed[c.pk],
                ready_for_ect=c.ready_for_ect,
            )
            for c in coaches
        ],
        [
            matching.Coachee(
                id=s.staff_id,
                department_id=s.staff.department_id,
                line_manager_id=s.staff.line_manager_id,
                focus=_tags(s.focus),
                free=frozenset(tuple(p) for p in s.free_periods),
                outside_department=s.outside_department,
                is_ect=s.is_ect,
            )
            for s in signups
        ],
        pinned=[tuple(p) for p in pinned],
        forbidden=[tuple(f) for f in forbidden],
    )
    Pairing.objects.filter(
        coach__staff__institution_id=institution_id, status=Pairing.Status.PROPOSED
    ).delete()
    Pairing.objects.bulk_create(
        [
            Pairing(
                coach=by_staff_coach[pair.coach_id],
                coachee=by_staff_signup[pair.coachee_id],
                score=pair.score,
                reasons=list(pair.reasons),
            )
            for pair in result.pairs
        ]
    )
    run = MatchingRun.objects.create(
        institution_id=institution_id,
        total_score=result.total_score,
        optimal=result.optimal,
        unmatched={
            str(by_staff_signup[staff_id].pk): reason for staff_id, reason in result.unmatched.items()
        },
        pinned=[list(p) for p in pinned],
        forbidden=[list(f) for f in forbidden],
    )
    audit.record(actor=actor, action="coaching.pairs_proposed", target=run, pairs=len(result.pairs))
    return run


@transaction.atomic
def confirm_pairs(*, actor, institution_id: int) -> int:
    if not permissions.is_coordinator(actor, institution_id):
        raise ServiceError(DENIED)
    proposed = list(
        Pairing.objects.filter(
            coach__staff__institution_id=institution_id, status=Pairing.Status.PROPOSED
        ).select_related("coach__staff__user", "coachee__staff__user")
    )
    for pairing in proposed:
        pairing.status = Pairing.Status.CONFIRMED
        pairing.save(update_fields=["status"])
        notify_after_commit(
            [pairing.coach.staff.user, pairing.coachee.staff.user],
            subject="your coaching pair is confirmed",
            message="You have been paired. Agree your first session together in protected time.",
            path=pairing.get_absolute_url(),
        )
    audit.record(actor=actor, action="coaching.pairs_confirmed", count=len(proposed))
    return len(proposed)


# Protected time, as the agreement promises it: the school day on a school day, when cover can be arranged.
# Sessions between these times on a weekday in term are booked with cover; a weekday outside them but not
# at night is unusual (no cover can be arranged: it is the pair's own time) and needs confirming; a
# weekend, a school holiday or the night cannot be right.
SCHOOL_DAY_STARTS = dt.time(8, 0)
SCHOOL_DAY_ENDS = dt.time(17, 0)
EARLIEST = dt.time(7, 0)
LATEST = dt.time(21, 0)
OUTSIDE_SCHOOL_DAY_CONFIRM = "Book it outside the school day, without cover"


def _clock(time: dt.time) -> str:
    return f"{time.hour}:{time.minute:02d}"


def school_day_text() -> str:
    return f"{_clock(SCHOOL_DAY_STARTS)} to {_clock(SCHOOL_DAY_ENDS)}"


def session_time_problem(institution_id: int, starts_at: dt.datetime, length_minutes: int) -> tuple[str, str]:
    """Whether a coaching session at `starts_at` is in protected time: ("", "") when it is (a weekday in
    term, within the school day), ("refuse", why) when it cannot be right, ("confirm", why) when it is
    unusual. The one rule for when sessions and their cover may be booked."""
    start = timezone.localtime(starts_at)
    end = start + dt.timedelta(minutes=length_minutes)
    day = f"{start:%A} {start.day} {start:%B %Y}"
    school_day = school_day_text()
    if start.weekday() >= 5:
        return "refuse", (
            f"{day} is a {start:%A}: sessions are in protected time, in the school day with cover. "
            "Choose a weekday"
        )
    terms = Term.objects.filter(academic_year__institution_id=institution_id)
    if (
        terms.filter(ends_on__gte=start.date()).exists()
        and not terms.filter(starts_on__lte=start.date(), ends_on__gte=start.date()).exists()
    ):
        return "refuse", (
            f"{day} is in a school holiday: sessions are in protected time, in term with cover. "
            "Choose a day in term"
        )
    if start.time() < EARLIEST or end.time() > LATEST or end.date() != start.date():
        return "refuse", (
            f"A session from {_clock(start.time())} to {_clock(end.time())} is outside protected time: "
            f"choose a time in the school day, {school_day}"
        )
    if start.time() < SCHOOL_DAY_STARTS or end.time() > SCHOOL_DAY_ENDS:
        return "confirm", (
            f"A session from {_clock(start.time())} to {_clock(end.time())} is outside the school day "
            f"({school_day}), so it is not in protected time and no cover will be requested. Choose a time "
            "in the school day, or confirm to book it without cover"
        )
    return "", ""


@transaction.atomic
def book_session(
    *, actor, pairing: Pairing, starts_at: dt.datetime, length_minutes: int, confirmed: bool = False
) -> CoachingSession:
    """Book a session. In protected time (`session_time_problem`) cover is requested for both, as
    "professional development"; outside the school day, once confirmed, the session is booked without
    cover; a weekend, holiday or night-time session is refused. Side effects: audit entry; the cover
    managers are told after commit when cover is requested."""
    if not permissions.is_in_pair(actor, pairing) or pairing.status != Pairing.Status.CONFIRMED:
        raise ServiceError(DENIED)
    if starts_at <= timezone.now():
        raise ServiceError("Choose a time in the future", field="starts_at")
    if not 15 <= length_minutes <= 120:
        raise ServiceError("Enter a length from 15 to 120 minutes", field="length_minutes")
    institution_id = pairing.coach.staff.institution_id
    problem, why = session_time_problem(institution_id, starts_at, length_minutes)
    if problem == "refuse":
        raise ServiceError(why, field="starts_at")
    if problem == "confirm" and not confirmed:
        raise ConfirmationNeeded(why, confirm_label=OUTSIDE_SCHOOL_DAY_CONFIRM, field="starts_at")
    session = CoachingSession.objects.create(
        pairing=pairing, starts_at=starts_at, length_minutes=length_minutes
    )
    if problem == "confirm":
        audit.record(actor=actor, action="coaching.session_booked", target=pairing, cover=False)
        return session
    ends_at = starts_at + dt.timedelta(minutes=length_minutes)
    for person in (pairing.coach.staff, pairing.coachee.staff):
        CoverRequest.objects.create(
            institution_id=institution_id,
            staff=person,
            starts_at=starts_at,
            ends_at=ends_at,
            coaching_session=session,
        )
    audit.record(actor=actor, action="coaching.session_booked", target=pairing)
    managers = RoleAssignment.objects.in_force().filter(role=Role.COVER_MANAGER, institution=institution_id)
    notify_after_commit(
        [m.staff.user for m in managers.select_related("staff__user")],
        subject="cover requested for professional development",
        message="Two members of staff need cover for professional development.",
        path=reverse("cover-requests"),
    )
    return session


@transaction.atomic
def write_journal(*, actor, text: str) -> JournalEntry:
    if not text.strip():
        raise ServiceError("Write something first", field="text")
    entry = JournalEntry.objects.create(author=_staff(actor), text=text.strip())
    audit.record(actor=actor, action="coaching.journal_written")
    return entry


def survey_side(staff: StaffMember) -> str | None:
    """Coach or coachee in a confirmed pair this year, or None (only they answer the survey)."""
    confirmed = Pairing.objects.filter(status=Pairing.Status.CONFIRMED)
    if confirmed.filter(coach__staff=staff).exists():
        return SurveyResponse.Side.COACH
    if confirmed.filter(coachee__staff=staff).exists():
        return SurveyResponse.Side.COACHEE
    return None


@transaction.atomic
def answer_survey(
    *, actor, term, rating: int, thought: str = "", found: str = "", do_differently: str = ""
) -> None:
    """The termly anonymous survey: one answer per person per term; the answer and the receipt are kept
    apart so that nothing joins them."""
    staff = _staff(actor)
    side = survey_side(staff)
    if side is None:
        raise ServiceError("Only coaches and coachees in a pair answer the survey.")
    if not 1 <= rating <= 5:
        raise ServiceError("Select a rating from 1 to 5", field="rating")
    try:
        with transaction.atomic():
            SurveyReceipt.objects.create(staff=staff, term=term)
    except IntegrityError as exc:
        raise ServiceError("You have already answered this term's survey. Thank you.") from exc
    SurveyResponse.objects.create(
        institution_id=staff.institution_id,
        term=term,
        side=side,
        rating=rating,
        thought=thought.strip(),
        found=found.strip(),
        do_differently=do_differently.strip(),
    )
