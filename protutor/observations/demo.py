"""Two terms of observations for the demo college: last summer and this autumn. Heads and team leaders
make formal observations (graded effective or not yet effective); tutors and peers make developmental
ones. Created once: if the demo college already has observations, nothing is added."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from protutor.cpd.models import DevelopmentRequest
from protutor.observations.frameworks import load_builtin_frameworks
from protutor.observations.models import (
    Framework,
    InstitutionFramework,
    Observation,
    ObservationPoint,
    ObservationPolicy,
    Standard,
)
from protutor.people.models import (
    AcademicYear,
    Caseload,
    Institution,
    Role,
    RoleAssignment,
    StaffMember,
    Term,
)

STRENGTHS = [
    "Warm, purposeful start: students settled to the task within two minutes.",
    "Clear modelling of the method before independent practice.",
    "Questions were targeted by name and built on students' answers.",
    "Strong subject knowledge; industry examples made the theory concrete.",
    "Feedback in the lesson was specific and students acted on it straight away.",
]
DEVELOPMENT = [
    "Check understanding of the whole group before moving on, not only volunteers.",
    "Give more thinking time after questions; answers came from the same few students.",
    "Stretch the most able with a harder extension task.",
    "Routines at the start of the lesson: a few students arrived late and unsettled others.",
    "Share success criteria so students know what a good answer looks like.",
]
# ETF 2022 numbers that match each development point above, in order.
DEVELOPMENT_STANDARDS = ["19", "9", "3", "13", "19"]
STRENGTH_STANDARDS = ["6", "14", "9", "8", "19"]
ASKS = [
    "Questioning that gets everyone thinking",
    "Managing behaviour after lunch",
    "Stretch and challenge for the most able",
    "Quicker marking and feedback",
    "Using AI tools safely in lessons",
]


def _previous_year(institution, current) -> AcademicYear:
    start = current.starts_on.replace(year=current.starts_on.year - 1)
    year, _ = AcademicYear.objects.get_or_create(
        institution=institution,
        name=f"{start.year}/{str(start.year + 1)[-2:]}",
        defaults={"starts_on": start, "ends_on": current.starts_on - dt.timedelta(days=1)},
    )
    y = start.year
    for number, name, s, e in [
        (1, Term.Name.AUTUMN, start, dt.date(y, 12, 19)),
        (2, Term.Name.SPRING, dt.date(y + 1, 1, 5), dt.date(y + 1, 3, 27)),
        (3, Term.Name.SUMMER, dt.date(y + 1, 4, 13), dt.date(y + 1, 7, 17)),
    ]:
        Term.objects.get_or_create(
            academic_year=year, number=number, defaults={"name": name, "starts_on": s, "ends_on": e}
        )
    return year


@transaction.atomic
def load_observations_demo(institution: Institution, progress=lambda message: None) -> int:
    if Observation.objects.filter(institution=institution).exists():
        return 0
    current = AcademicYear.objects.current().filter(institution=institution).first()
    if current is None:
        return 0
    rng = random.Random(5)
    # The frameworks come with a migration; reload them in case a test database was flushed since.
    load_builtin_frameworks(Framework, Standard)
    etf = Framework.objects.get(code="ETF", institution__isnull=True)
    InstitutionFramework.objects.get_or_create(institution=institution, framework=etf)
    ObservationPolicy.objects.get_or_create(
        institution=institution,
        defaults={"grading_enabled": True, "outcomes": ObservationPolicy.DEFAULT_OUTCOMES},
    )
    standards = {s.number: s for s in Standard.objects.filter(framework=etf)}
    previous = _previous_year(institution, current)
    today = timezone.localdate()
    windows = [previous.terms.get(number=3), current.terms.get(number=1)]
    heads = {
        ra.department_id: ra.staff
        for ra in RoleAssignment.objects.filter(
            institution=institution, role=Role.HEAD_OF_DEPARTMENT
        ).select_related("staff")
    }
    tutors = {}
    for caseload in Caseload.objects.filter(academic_year=current).select_related("tutor"):
        for department in caseload.departments.all():
            tutors[department.pk] = caseload.tutor
    staff = list(
        StaffMember.objects.filter(institution=institution, department__isnull=False)
        .select_related("line_manager")
        .order_by("staff_code")
    )
    created = 0
    point_rows = []
    for term in windows:
        last = min(term.ends_on, today)
        span = max((last - term.starts_on).days, 1)
        for person in staff:
            if person.line_manager_id is None or rng.random() > 0.6:
                continue
            observer = (
                person.line_manager
                if rng.random() < 0.7
                else heads.get(person.department_id, person.line_manager)
            )
            if observer is None or observer.pk == person.pk:
                continue
            effective = rng.random() < (0.7 if term.academic_year_id == previous.pk else 0.8)
            observation = Observation.objects.create(
                institution=institution,
                kind=Observation.Kind.FORMAL,
                observer=observer,
                observee=person,
                department_id=person.department_id,
                observed_on=term.starts_on + dt.timedelta(days=rng.randrange(span)),
                group_name=rng.choice(
                    ["Year 12", "Year 13", "Level 2", "Level 3", "Apprentices", "Adult evening"]
                ),
                length_minutes=rng.choice([20, 30, 45, 60]),
                outcome="effective" if effective else "not_yet_effective",
                status=Observation.Status.ACKNOWLEDGED if rng.random() < 0.7 else Observation.Status.SHARED,
                agreed_actions="Try one change from the development points and review at the next team meeting.",
            )
            created += 1
            s, d = rng.randrange(5), rng.randrange(5)
            point_rows.append((observation, "strength", STRENGTHS[s], standards[STRENGTH_STANDARDS[s]]))
            point_rows.append(
                (observation, "development", DEVELOPMENT[d], standards[DEVELOPMENT_STANDARDS[d]])
            )
        # Developmental peer observations by the department's tutor.
        for index, person in enumerate(staff):
            assert person.department_id is not None  # staff is only people with a department
            tutor = tutors.get(person.department_id)
            if tutor is None or tutor.pk == person.pk or index % 9:
                continue
            observation = Observation.objects.create(
                institution=institution,
                kind=Observation.Kind.DEVELOPMENTAL,
                observer=tutor,
                observee=person,
                department_id=person.department_id,
                observed_on=term.starts_on + dt.timedelta(days=rng.randrange(span)),
                group_name="Level 3",
                length_minutes=30,
                status=Observation.Status.SHARED,
            )
            created += 1
            d = rng.randrange(5)
            point_rows.append(
                (observation, "development", DEVELOPMENT[d], standards[DEVELOPMENT_STANDARDS[d]])
            )
    for observation, kind, text, standard in point_rows:
        point = ObservationPoint.objects.create(observation=observation, kind=kind, text=text)
        point.standards.add(standard)
    for index, person in enumerate(staff[::11]):
        assert person.department_id is not None  # staff is only people with a department
        DevelopmentRequest.objects.create(
            department_id=person.department_id,
            requested_by=person,
            anonymous=index % 3 == 0,
            topic=ASKS[index % len(ASKS)],
        )
    progress(f"{created} observations over two terms, {len(point_rows)} strengths and development points")
    return created
