"""A term of CPD for the demo college: sessions per department (some delivered with registers and
evaluations, some planned, some departments behind), and development requests. Created once."""

from __future__ import annotations

import datetime as dt
import random
import uuid

from django.db import transaction
from django.utils import timezone

from protutor.cpd.models import Attendance, CpdPolicy, EvaluationReceipt, EvaluationResponse, Session
from protutor.people.models import AcademicYear, Caseload, Institution, StaffMember

TOPICS = [
    ("Questioning: no hands up, more thinking", "meeting", 30),
    ("Ten-minute takeaway: routines for lesson starts", "takeaway", 10),
    ("Growth mindset without the posters", "meeting", 30),
    ("Hinge questions for checking understanding", "takeaway", 10),
    ("Closing gendered attainment gaps in coursework", "workshop", 60),
    ("Feedback students act on", "meeting", 30),
]
WILL_TRY = [
    "Cold calling with thinking time in Year 12",
    "A hinge question before the practical",
    "Start-of-lesson routine with a do-now task",
    "Whole-class feedback sheet instead of comments",
    "",
]


@transaction.atomic
def load_cpd_demo(institution: Institution, progress=lambda message: None) -> int:
    if Session.objects.filter(department__institution=institution).exists():
        return 0
    year = AcademicYear.objects.current().filter(institution=institution).first()
    if year is None:
        return 0
    CpdPolicy.objects.get_or_create(institution=institution, defaults={"sessions_per_term": 2})
    rng = random.Random(6)
    term = year.terms.get(number=1)
    today = timezone.localdate()
    created = 0
    tutors = {}
    for caseload in Caseload.objects.filter(academic_year=year).select_related("tutor"):
        for department in caseload.departments.all():
            tutors[department] = caseload.tutor
    for index, (department, tutor) in enumerate(sorted(tutors.items(), key=lambda item: item[0].name)):
        staff = list(StaffMember.objects.filter(department=department, is_active=True).order_by("staff_code"))
        # Most departments have had one session and planned a second; every fourth is behind.
        plan = [("delivered", -30), ("planned", 10)] if index % 4 else [("delivered", -20)]
        if index % 5 == 0:
            plan = [("delivered", -45), ("delivered", -10)]
        for number, (status, offset) in enumerate(plan):
            title, fmt, minutes = TOPICS[(index + number) % len(TOPICS)]
            day = min(
                max(today + dt.timedelta(days=offset), term.starts_on + dt.timedelta(days=7)), term.ends_on
            )
            starts_at = timezone.make_aware(dt.datetime.combine(day, dt.time(16, 0)))
            if status == "planned" and starts_at <= timezone.now():
                starts_at = timezone.now() + dt.timedelta(days=3)
            session = Session.objects.create(
                uid=uuid.uuid5(uuid.NAMESPACE_URL, f"protutor-demo/{department.pk}/{number}"),
                department=department,
                term=term,
                title=title,
                aims=f"Practical ideas for {department.name} to try next week.",
                format=fmt,
                length_minutes=minutes,
                starts_at=starts_at,
                room=f"Room {100 + index}",
                status=status,
                created_by=tutor,
            )
            created += 1
            if status == "delivered":
                came = [s for s in staff if rng.random() < 0.7]
                Attendance.objects.bulk_create([Attendance(session=session, staff=s) for s in came])
                evaluators = [s for s in came if rng.random() < 0.75]
                EvaluationReceipt.objects.bulk_create(
                    [EvaluationReceipt(session=session, staff=s) for s in evaluators]
                )
                EvaluationResponse.objects.bulk_create(
                    [
                        EvaluationResponse(
                            session=session,
                            usefulness=rng.choice([3, 4, 4, 5, 5]),
                            will_try=rng.choice(WILL_TRY),
                        )
                        for _ in evaluators
                    ]
                )
    progress(f"{created} CPD sessions with registers and anonymous evaluations")
    return created
