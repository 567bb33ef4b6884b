"""A coaching cohort for the demo college: the agreement, coaches at each training step, coachees signed
up, confirmed pairs with a booked session, and more sign-ups waiting to be matched. Created once."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from protutor.coaching.models import (
    Agreement,
    AgreementAcceptance,
    Coach,
    CoacheeSignup,
    CoachingSession,
    Cohort,
    CoverRequest,
    Pairing,
)
from protutor.people.models import Institution, StaffMember

AGREEMENT = """Coaching here is confidential: what is said in a session stays between coach and coachee, except where someone is at risk of harm, which goes to the designated safeguarding lead.
Coaches are not held accountable for their coachees, and sessions are not monitored or reported on.
Sessions happen in protected time, with cover; cover requests say "professional development".
Coaching is not mentoring: a coach does not advise or judge, but asks questions that help you find your own way forward.
Anyone may volunteer to coach, whatever their position; being coached is always your choice."""
STRENGTHS = [
    "questioning",
    "behaviour",
    "feedback",
    "confidence",
    "workload",
    "assessment",
    "planning",
    "stretch",
]


@transaction.atomic
def load_coaching_demo(institution: Institution, progress=lambda message: None) -> int:
    if Agreement.objects.filter(institution=institution).exists():
        return 0
    rng = random.Random(7)
    today = timezone.localdate()
    agreement = Agreement.objects.create(institution=institution, version=1, text=AGREEMENT)
    cohort = Cohort.objects.create(institution=institution, name="Cohort 1")
    staff = list(
        StaffMember.objects.filter(institution=institution, department__isnull=False, is_active=True)
        .exclude(user__username__in=["tess.teacher", "hannah.hod", "liam.manager"])
        .order_by("staff_code")
    )
    volunteers, coachees = staff[3::23][:12], staff[5::11][:24]
    coaches = []
    for index, person in enumerate(volunteers):
        AgreementAcceptance.objects.create(agreement=agreement, staff=person)
        steps = 3 if index < 8 else index - 8
        coaches.append(
            Coach.objects.create(
                staff=person,
                cohort=cohort,
                strengths=", ".join(rng.sample(STRENGTHS, 3)),
                free_periods=sorted([[d, p] for d in range(5) for p in range(1, 7) if rng.random() < 0.25]),
                capacity=rng.choice([2, 2, 3]),
                ready_for_ect=index % 3 == 0,
                training_day_on=today - dt.timedelta(days=60) if steps >= 1 else None,
                first_follow_up_on=today - dt.timedelta(days=40) if steps >= 2 else None,
                second_follow_up_on=today - dt.timedelta(days=20) if steps >= 3 else None,
            )
        )
    signups = []
    for index, person in enumerate(coachees):
        if person.pk in {c.staff_id for c in coaches}:
            continue
        AgreementAcceptance.objects.create(agreement=agreement, staff=person)
        signups.append(
            CoacheeSignup.objects.create(
                staff=person,
                focus=", ".join(rng.sample(STRENGTHS, 2)),
                free_periods=sorted([[d, p] for d in range(5) for p in range(1, 7) if rng.random() < 0.3]),
                outside_department=index % 2 == 0,
                is_ect=index % 5 == 0,
            )
        )
    # Three pairs confirmed earlier in the term, one with a session booked next week.
    confirmed = 0
    for coach, signup in zip(coaches[:3], signups[:3], strict=True):
        if (
            coach.staff.department_id == signup.staff.department_id
            or signup.staff.line_manager_id == coach.staff_id
        ):
            continue
        pairing = Pairing.objects.create(
            coach=coach,
            coachee=signup,
            status=Pairing.Status.CONFIRMED,
            score=0,
            reasons=["Paired by the coordinator"],
        )
        confirmed += 1
        if confirmed == 1:
            day = today + dt.timedelta(days=7)
            day += dt.timedelta(days=max(0, 7 - day.weekday()) if day.weekday() >= 5 else 0)  # a weekday
            starts = timezone.make_aware(dt.datetime.combine(day, dt.time(11, 0)))
            session = CoachingSession.objects.create(pairing=pairing, starts_at=starts, length_minutes=50)
            for person in (coach.staff, signup.staff):
                CoverRequest.objects.create(
                    institution=institution,
                    staff=person,
                    starts_at=starts,
                    ends_at=starts + dt.timedelta(minutes=50),
                    coaching_session=session,
                )
    progress(
        f"{len(coaches)} coaches ({sum(c.is_trained for c in coaches)} trained), {len(signups)} coachees, {confirmed} pairs"
    )
    return len(coaches) + len(signups)
