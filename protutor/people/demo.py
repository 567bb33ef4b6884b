"""A demo college modelled on the case study: two campuses, fourteen curriculum areas, about 300 staff,
five professional tutors with 150 remitted hours each, a programme lead, a safeguarding lead and an
administrator, in the current academic year with three terms.

Deterministic (fixed seed, natural keys) and safe to re-run: a second run changes nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from protutor.people.models import (
    AcademicYear,
    Campus,
    Caseload,
    CaseloadDepartment,
    Department,
    Institution,
    Role,
    RoleAssignment,
    StaffMember,
    Term,
    User,
)

DEMO_PASSWORD = "protutor-demo"  # noqa: S105  (published demo password, printed on purpose)
INSTITUTION = "Northbrook College"
SEED = 2026

CAMPUSES = {
    "Leyland Road": [
        "Sciences",
        "Mathematics",
        "English and Modern Languages",
        "Humanities",
        "Social Sciences",
        "Creative Arts",
        "Performing Arts",
        "Computing and Digital",
        "Sport and Public Services",
        "Health and Social Care",
    ],
    "Euxton Lane": [
        "Engineering and Apprenticeships",
        "Construction",
        "Business and Professional (AAT)",
        "Higher Education and Adult Learning",
    ],
}

FORENAMES = (
    "Aisha Alex Amelia Amir Ben Bethany Callum Chloe Daniel Deborah Ella Emma Farah Finn George Grace Hannah "
    "Harry Imran Isla Jack Jade James Joanne Jordan Karen Kieran Laura Liam Lucy Mark Megan Mohammed Naomi "
    "Nathan Niamh Oliver Olivia Owen Paul Priya Rachel Rhys Rosie Ryan Sam Sarah Sean Sophie Steven Tom Una "
    "Victoria Will Yasmin Zoe Zara Gareth Helen Ian Kate"
).split()
SURNAMES = (
    "Ahmed Ashworth Baines Barker Bennett Bibi Brooks Butler Carter Clarke Cooper Crossley Davies Dixon Ellis "
    "Evans Fletcher Foster Gibson Green Hall Harrison Hughes Hussain Iqbal Jackson Jones Kaur Kelly Khan Lees "
    "Lloyd Marsden Mason Mistry Moore Morris Nolan Parker Patel Pickup Price Rigby Roberts Shaw Singh Smith "
    "Taylor Thompson Turner Walsh Ward Whittle Wilson Wood Wright Young Hargreaves Holden Sutcliffe Threlfall"
).split()
TITLES = ["Mr", "Ms", "Mrs", "Dr", "Mx", "Miss"]
TEACHING_TITLES = [
    "Lecturer",
    "Lecturer",
    "Lecturer",
    "Lecturer",
    "Assessor",
    "Trainer",
    "Demonstrator",
    "Learning Support Worker",
    "Lecturer",
    "Lecturer",
]


@dataclass(frozen=True)
class Persona:
    code: str
    username: str
    title: str
    forename: str
    surname: str
    job_title: str
    department: str | None
    role_note: str


# The named people a demo visitor signs in as; everyone else is generated.
PERSONAS = [
    Persona(
        "PL001", "priya.lead", "Dr", "Priya", "Shah", "Head of Professional Studies", None, "programme lead"
    ),
    Persona(
        "PT001",
        "tamsin.tutor",
        "Ms",
        "Tamsin",
        "Hardcastle",
        "Professional Tutor (mathematics)",
        "Mathematics",
        "professional tutor, maths specialist",
    ),
    Persona(
        "PT002", "omar.tutor", "Mr", "Omar", "Farooq", "Professional Tutor", "Sciences", "professional tutor"
    ),
    Persona(
        "PT003",
        "bev.tutor",
        "Mrs",
        "Beverley",
        "Ainscough",
        "Professional Tutor",
        "Creative Arts",
        "professional tutor",
    ),
    Persona(
        "PT004",
        "dan.tutor",
        "Mr",
        "Daniel",
        "Okafor",
        "Professional Tutor",
        "Engineering and Apprenticeships",
        "professional tutor",
    ),
    Persona(
        "PT005",
        "ruth.tutor",
        "Ms",
        "Ruth",
        "Kowalski",
        "Professional Tutor",
        "Health and Social Care",
        "professional tutor",
    ),
    Persona(
        "DSL01",
        "dee.safeguarding",
        "Mrs",
        "Deborah",
        "Greenhalgh",
        "Designated Safeguarding Lead",
        None,
        "safeguarding lead",
    ),
    Persona(
        "AD001", "alan.admin", "Mr", "Alan", "Pemberton", "MIS and Systems Manager", None, "administrator"
    ),
    Persona("CV001", "carol.cover", "Mrs", "Carol", "Ormerod", "Cover Manager", None, "cover manager"),
    Persona(
        "VP001",
        "vicky.principal",
        "Ms",
        "Victoria",
        "Lowe",
        "Vice Principal, Curriculum",
        None,
        "line manager of the heads of department",
    ),
]

CASELOADS = {
    "PT001": (
        ["Mathematics", "Computing and Digital", "Business and Professional (AAT)"],
        "Mathematics and numeracy across curriculum areas (Level 2 to Level 5)",
    ),
    "PT002": (
        ["Sciences", "Sport and Public Services", "Health and Social Care"],
        "Questioning and assessment for learning",
    ),
    "PT003": (
        ["Creative Arts", "Performing Arts", "English and Modern Languages"],
        "Growth mindset; body language and voice",
    ),
    "PT004": (
        ["Engineering and Apprenticeships", "Construction", "Higher Education and Adult Learning"],
        "Apprenticeship delivery and workplace assessment",
    ),
    "PT005": (["Humanities", "Social Sciences"], "Behaviour management; gendered attainment gaps"),
}


def academic_year_dates(today: dt.date) -> tuple[dt.date, dt.date, list[tuple[Term.Name, dt.date, dt.date]]]:
    start = today.year if today.month >= 9 else today.year - 1
    terms = [
        (Term.Name.AUTUMN, dt.date(start, 9, 1), dt.date(start, 12, 19)),
        (Term.Name.SPRING, dt.date(start + 1, 1, 5), dt.date(start + 1, 3, 27)),
        (Term.Name.SUMMER, dt.date(start + 1, 4, 13), dt.date(start + 1, 7, 17)),
    ]
    return dt.date(start, 9, 1), dt.date(start + 1, 8, 31), terms


@dataclass
class DemoResult:
    created: int
    sign_ins: list[tuple[str, str, str]]


class _Builder:
    def __init__(self, progress) -> None:
        self.progress = progress
        self.created = 0
        self.rng = random.Random(SEED)
        self.used_usernames: set[str] = {p.username for p in PERSONAS}
        self.password_hash: str | None = None

    def upsert(self, model, lookup: dict, values: dict):
        obj, created = model.objects.get_or_create(**lookup, defaults=values)
        if created:
            self.created += 1
            return obj
        changed = [field for field, value in values.items() if getattr(obj, field) != value]
        if changed:
            for field in changed:
                setattr(obj, field, values[field])
            obj.save(update_fields=changed)
        return obj

    def person(self, institution, code, username, title, forename, surname, job_title, department, manager):
        email = f"{username}@northbrook.example"
        user, created = User.objects.get_or_create(
            username=username, defaults={"email": email, "first_name": forename, "last_name": surname}
        )
        if created:
            # One hash for every demo account: Argon2 is slow on purpose, and 300 hashes would take 20 s.
            if self.password_hash is None:
                self.password_hash = make_password(DEMO_PASSWORD)
            user.password = self.password_hash
            user.save(update_fields=["password"])
            self.created += 1
        return self.upsert(
            StaffMember,
            {"institution": institution, "staff_code": code},
            {
                "user": user,
                "title": title,
                "forename": forename,
                "surname": surname,
                "email": email,
                "department": department,
                "job_title": job_title,
                "line_manager": manager,
                "fte": Decimal("1.000"),
                "teaching_hours": Decimal("773.0")
                if "Lecturer" in job_title or "Tutor" in job_title
                else None,
            },
        )

    def generated_name(self) -> tuple[str, str, str, str]:
        while True:
            forename = self.rng.choice(FORENAMES)
            surname = self.rng.choice(SURNAMES)
            username = f"{forename}.{surname}".lower()
            if username not in self.used_usernames:
                self.used_usernames.add(username)
                return self.rng.choice(TITLES), forename, surname, username


@transaction.atomic
def load_demo(progress=lambda message: None) -> DemoResult:
    """Create or refresh the demo college. Returns how many rows were created and the sign-ins to print."""
    b = _Builder(progress)
    institution = b.upsert(
        Institution,
        {"name": INSTITUTION},
        {"kind": Institution.Kind.COLLEGE, "full_time_hours": Decimal("773.0")},
    )
    starts_on, ends_on, term_dates = academic_year_dates(timezone.localdate())
    year = b.upsert(
        AcademicYear,
        {"institution": institution, "name": f"{starts_on.year}/{str(starts_on.year + 1)[-2:]}"},
        {"starts_on": starts_on, "ends_on": ends_on},
    )
    for number, (term_name, start, end) in enumerate(term_dates, start=1):
        b.upsert(
            Term,
            {"academic_year": year, "number": number},
            {"name": term_name, "starts_on": start, "ends_on": end},
        )
    departments: dict[str, Department] = {}
    for campus_name, names in CAMPUSES.items():
        campus = b.upsert(Campus, {"institution": institution, "name": campus_name}, {})
        for name in names:
            departments[name] = b.upsert(
                Department, {"institution": institution, "name": name}, {"campus": campus}
            )
    progress(f"{len(departments)} departments on {len(CAMPUSES)} campuses")

    by_code: dict[str, StaffMember] = {}
    for p in PERSONAS:
        manager = by_code.get("PL001") if p.code.startswith("PT") else None
        by_code[p.code] = b.person(
            institution,
            p.code,
            p.username,
            p.title,
            p.forename,
            p.surname,
            p.job_title,
            departments[p.department] if p.department else None,
            manager,
        )
    vice_principal = by_code["VP001"]
    # The administrator configures institutions, campuses and departments in the Django admin.
    admin_user = by_code["AD001"].user
    if not (admin_user.is_staff and admin_user.is_superuser):
        admin_user.is_staff = admin_user.is_superuser = True
        admin_user.save(update_fields=["is_staff", "is_superuser"])

    # Each department: a head, two team leaders, and about eighteen teaching and support staff.
    named_teacher = named_hod = named_manager = None
    serial = 0
    for index, (name, department) in enumerate(departments.items()):
        serial += 1
        title, forename, surname, username = b.generated_name()
        if index == 0:
            username = "hannah.hod"
            forename, surname = "Hannah", "Rigby"
        hod = b.person(
            institution,
            f"H{serial:04d}",
            username,
            title,
            forename,
            surname,
            f"Head of {name}",
            department,
            vice_principal,
        )
        b.upsert(
            RoleAssignment,
            {
                "staff": hod,
                "role": Role.HEAD_OF_DEPARTMENT,
                "institution": institution,
                "department": department,
                "academic_year": None,
            },
            {},
        )
        named_hod = named_hod or hod
        leaders = []
        for leader_index in range(2):
            serial += 1
            title, forename, surname, username = b.generated_name()
            if index == 0 and leader_index == 0:
                username, forename, surname = "liam.manager", "Liam", "Marsden"
            leader = b.person(
                institution,
                f"L{serial:04d}",
                username,
                title,
                forename,
                surname,
                "Curriculum Team Leader",
                department,
                hod,
            )
            leaders.append(leader)
            named_manager = named_manager or leader
        for teacher_index in range(18 if index % 3 else 17):
            serial += 1
            title, forename, surname, username = b.generated_name()
            if index == 0 and teacher_index == 0:
                username, forename, surname = "tess.teacher", "Tess", "Whittaker"
            teacher = b.person(
                institution,
                f"T{serial:04d}",
                username,
                title,
                forename,
                surname,
                b.rng.choice(TEACHING_TITLES),
                department,
                leaders[teacher_index % 2],
            )
            named_teacher = named_teacher or teacher
    for tutor_code in CASELOADS:
        tutor = by_code[tutor_code]
        if tutor.line_manager_id is None:
            tutor.line_manager = by_code["PL001"]
            tutor.save(update_fields=["line_manager"])
    progress(f"{StaffMember.objects.filter(institution=institution).count()} staff with line managers")

    for code, role in (
        ("PL001", Role.PROGRAMME_LEAD),
        ("DSL01", Role.SAFEGUARDING_LEAD),
        ("AD001", Role.ADMINISTRATOR),
        ("CV001", Role.COVER_MANAGER),
        ("PT001", Role.COACHING_COORDINATOR),
    ):
        b.upsert(
            RoleAssignment,
            {
                "staff": by_code[code],
                "role": role,
                "institution": institution,
                "department": None,
                "academic_year": None,
            },
            {},
        )
    for code, (names, specialisms) in CASELOADS.items():
        caseload = b.upsert(
            Caseload,
            {"tutor": by_code[code], "academic_year": year},
            {
                "remitted_hours": Decimal("150.0"),
                "full_time_hours": Decimal("773.0"),
                "specialisms": specialisms,
            },
        )
        for name in names:
            b.upsert(
                CaseloadDepartment,
                {"department": departments[name], "academic_year": year},
                {"caseload": caseload},
            )
    progress(f"{len(CASELOADS)} professional tutors with caseloads for {year.name}")

    assert named_hod and named_manager and named_teacher
    sign_ins = [(p.role_note, f"{p.forename} {p.surname}", p.username) for p in PERSONAS if p.code != "VP001"]
    sign_ins += [
        ("head of department (Sciences)", named_hod.full_name, named_hod.user.username),
        ("line manager (curriculum team leader)", named_manager.full_name, named_manager.user.username),
        ("teacher (Sciences)", named_teacher.full_name, named_teacher.user.username),
    ]
    return DemoResult(created=b.created, sign_ins=sign_ins)
