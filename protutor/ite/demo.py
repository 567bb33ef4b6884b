"""A demo secondary school for ITE and induction, modelled on the job description seed: Cherwell Vale
School hosts eight interns from two providers (a university internship scheme and a SCITT), each with a
subject mentor, and two early-career teachers with their induction tutor and mentors. It has the
Professional Development Programme with sessions and registers, weekly mentor meetings (one intern has
missed weeks), judgements at the first Assessment Reference Point, a cause for concern, the school's
teaching groups with a balanced intern timetable, and induction checklists for new staff.

Deterministic (fixed names and dates counted from the academic year's start) and safe to re-run: a
second run changes nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from protutor.ite import induction as schedule
from protutor.ite.models import (
    CauseForConcern,
    ChecklistItem,
    ChecklistTemplate,
    DepartmentCapacity,
    Descriptor,
    EctInduction,
    InductionEvent,
    InductionEvidence,
    Intern,
    Judgement,
    MentorMeeting,
    MentorReview,
    MentorTraining,
    PdpAttendance,
    PdpSession,
    PdpTopic,
    Placement,
    Programme,
    Provider,
    ReducedTimetable,
    ReferencePoint,
    ReferencePointReview,
    StaffInduction,
    TeachingGroup,
)
from protutor.observations.models import Standard
from protutor.people.demo import DEMO_PASSWORD, academic_year_dates
from protutor.people.models import (
    AcademicYear,
    Department,
    Institution,
    Role,
    RoleAssignment,
    StaffMember,
    Term,
    User,
)

SCHOOL = "Cherwell Vale School"
DOMAIN = "cherwellvale.example"
DEPARTMENTS = [
    "English",
    "Mathematics",
    "Science",
    "History",
    "Geography",
    "Modern Languages",
    "Art and Design",
    "Music",
    "Physical Education",
    "Computing",
]
# code, username, forename, surname, job title, department, role note for the sign-in list
PEOPLE = [
    (
        "CV-AHT",
        "adam.aht",
        "Adam",
        "Whitlock",
        "Assistant Headteacher (Teaching and Learning)",
        None,
        "programme lead (school)",
    ),
    (
        "CV-PT",
        "iris.ite",
        "Iris",
        "Penrose",
        "Professional Tutor",
        "English",
        "professional tutor for ITE and induction",
    ),
    ("CV-IT", "ian.induction", "Ian", "Marsh", "Induction Tutor", "Science", "induction tutor"),
    ("CV-M1", "matt.mentor", "Matt", "Osei", "Teacher of Mathematics", "Mathematics", "mentor"),
    ("CV-M2", "nadia.mentor", "Nadia", "Brook", "Teacher of Mathematics", "Mathematics", "mentor"),
    ("CV-M3", "owen.mentor", "Owen", "Reilly", "Teacher of English", "English", "mentor"),
    ("CV-M4", "pia.mentor", "Pia", "Lund", "Teacher of English", "English", "mentor"),
    ("CV-M5", "raj.mentor", "Raj", "Mistry", "Teacher of Science", "Science", "mentor"),
    ("CV-M6", "sara.mentor", "Sara", "Quinn", "Teacher of Science", "Science", "mentor"),
    ("CV-M7", "tom.mentor", "Tom", "Avery", "Teacher of History", "History", "mentor"),
    ("CV-M8", "una.mentor", "Una", "Castell", "Teacher of French and Spanish", "Modern Languages", "mentor"),
    ("CV-EM1", "vic.ectmentor", "Victoria", "Hale", "Teacher of Geography", "Geography", "ECT mentor"),
    ("CV-EM2", "will.ectmentor", "William", "Dunn", "Teacher of Computing", "Computing", "ECT mentor"),
    (
        "CV-E1",
        "erin.ect",
        "Erin",
        "Fletcher",
        "Teacher of Geography",
        "Geography",
        "early-career teacher (year 2)",
    ),
    (
        "CV-E2",
        "femi.ect",
        "Femi",
        "Adeyemi",
        "Teacher of Computing",
        "Computing",
        "early-career teacher (0.8 FTE)",
    ),
    ("CV-N1", "gwen.newstaff", "Gwen", "Harper", "Teacher of Music", "Music", "new member of staff"),
    ("CV-N2", "hugo.newstaff", "Hugo", "Ng", "Teacher of PE", "Physical Education", "new member of staff"),
    (
        "CV-HD",
        "holly.hod",
        "Holly",
        "Grant",
        "Head of Mathematics",
        "Mathematics",
        "head of department (school)",
    ),
]
# username, forename, surname, provider index, subject, department, mentor username, tutor group, target
INTERNS = [
    ("isla.intern", "Isla", "Bennett", 0, "Mathematics", "Mathematics", "matt.mentor", "8C", 12),
    ("jake.intern", "Jake", "Morris", 1, "Mathematics", "Mathematics", "nadia.mentor", "9P", 12),
    ("kara.intern", "Kara", "Singh", 0, "English", "English", "owen.mentor", "7F", 12),
    ("leo.intern", "Leo", "Walsh", 1, "English", "English", "pia.mentor", "10W", 10),
    ("maya.intern", "Maya", "Okoro", 0, "Science", "Science", "raj.mentor", "8S", 12),
    ("ned.intern", "Ned", "Fraser", 1, "Science", "Science", "sara.mentor", "9H", 12),
    ("olga.intern", "Olga", "Petrova", 0, "History", "History", "tom.mentor", "7B", 10),
    ("pete.intern", "Pete", "Lawson", 0, "Modern Languages", "Modern Languages", "una.mentor", "10L", 10),
]
DESCRIPTORS = {
    "1": (
        "Sets clear routines and expectations with support from the class teacher.",
        "Establishes a purposeful climate independently in most classes.",
        "Sustains high expectations that challenge every pupil.",
    ),
    "2": (
        "Plans from what pupils already know, with guidance.",
        "Plans sequences that build on prior learning; checks progress in lessons.",
        "Uses assessment to secure good progress across groups.",
    ),
    "3": (
        "Secure subject knowledge for the classes taught.",
        "Anticipates misconceptions and corrects them.",
        "Deep, current subject and curriculum knowledge that sustains interest.",
    ),
    "4": (
        "Structures lessons with clear phases.",
        "Well-paced, well-structured lessons.",
        "Reflects systematically and adapts lessons to the class.",
    ),
    "5": (
        "Identifies pupils who need adaptation.",
        "Adapts teaching for SEND, EAL and the most able.",
        "Adapts teaching fluently so all pupils access the lesson.",
    ),
    "6": (
        "Uses the school's marking policy.",
        "Gives timely feedback that pupils act on.",
        "Uses formative and summative assessment to shape teaching.",
    ),
    "7": (
        "Follows the behaviour policy consistently.",
        "Manages behaviour with clear rules and routines.",
        "Builds relationships that keep behaviour positive across the school.",
    ),
    "8": (
        "Takes part in department life.",
        "Works with colleagues and support staff; responds to advice.",
        "Contributes to the school beyond the classroom and to parents' evenings.",
    ),
}
# Part Two (personal and professional conduct) is met or not at every point.
PART_TWO = (
    "Upholds public trust and the school's ethos; follows its policies.",
    "Upholds public trust and the school's ethos; follows its policies.",
    "Upholds public trust and the school's ethos; follows its policies.",
)

CHECKLIST = [
    "Safeguarding and child protection training",
    "Keeping children safe in education, part one, read and signed",
    "Accounts for email, the MIS and the learning platform",
    "Behaviour policy and routines walked through",
    "Meeting with the mentor or line manager",
    "Fire, first aid and health and safety briefing",
    "Staff handbook read",
    "ICT acceptable use and data protection briefing",
    "ID badge and lanyard collected",
]


SIGN_INS = [
    "adam.aht",
    "iris.ite",
    "ian.induction",
    "matt.mentor",
    "holly.hod",
    "isla.intern",
    "ned.intern",
    "erin.ect",
]


def sign_ins() -> list[tuple[str, str, str]]:
    """(role, name, username) for the school's demo accounts worth signing in as."""
    notes = {
        username: (note, f"{forename} {surname}") for _, username, forename, surname, _, _, note in PEOPLE
    }
    for username, forename, surname, *_ in INTERNS:
        notes[username] = (
            "intern" if username != "ned.intern" else "intern with a cause for concern",
            f"{forename} {surname}",
        )
    return [(notes[u][0], notes[u][1], u) for u in SIGN_INS]


class _Loader:
    def __init__(self, progress):
        self.progress = progress
        self.created = 0
        self.password = make_password(DEMO_PASSWORD)

    def count(self, *objects):
        self.created += len(objects)
        return objects[0] if len(objects) == 1 else objects

    def person(self, school, code, username, forename, surname, job_title, department, fte=Decimal("1.000")):
        user = self.count(
            User.objects.create(
                username=username,
                email=f"{username}@{DOMAIN}",
                first_name=forename,
                last_name=surname,
                password=self.password,
            )
        )
        return self.count(
            StaffMember.objects.create(
                institution=school,
                user=user,
                staff_code=code,
                forename=forename,
                surname=surname,
                email=user.email,
                department=department,
                job_title=job_title,
                fte=fte,
            )
        )


def _school_year(loader, school, today):
    starts, ends, terms = academic_year_dates(today)
    previous = loader.count(
        AcademicYear.objects.create(
            institution=school,
            name=f"{starts.year - 1}/{str(starts.year)[-2:]}",
            starts_on=starts.replace(year=starts.year - 1),
            ends_on=ends.replace(year=ends.year - 1),
        )
    )
    year = loader.count(
        AcademicYear.objects.create(
            institution=school,
            name=f"{starts.year}/{str(starts.year + 1)[-2:]}",
            starts_on=starts,
            ends_on=ends,
        )
    )
    for academic_year, shift in ((previous, -1), (year, 0)):
        for number, (name, term_start, term_end) in enumerate(terms, start=1):
            loader.count(
                Term.objects.create(
                    academic_year=academic_year,
                    number=number,
                    name=name,
                    starts_on=term_start.replace(year=term_start.year + shift),
                    ends_on=term_end.replace(year=term_end.year + shift),
                )
            )
    return previous, year


def _standards():
    """The headings judged at each reference point: Part One's 1 to 8 and Part Two's P2.1 to P2.3."""
    return list(Standard.objects.filter(framework__code="TS", parent__isnull=True).order_by("position"))


def _programmes(loader, school, year, standards):
    start = year.starts_on
    oxford = loader.count(
        Provider.objects.create(
            institution=school,
            name="University of Oxford Department of Education",
            kind=Provider.Kind.UNIVERSITY,
            contact_name="Partnership Office",
            contact_email="partnership@education.example.ac.uk",
            link_tutor_name="Dr Gail Sutherland",
            link_tutor_email="gail.sutherland@education.example.ac.uk",
            mentor_requirements="Initial mentor training before the first placement; a weekly mentor meeting of at "
            "least 1.5 hours with targets referenced to the Teachers' Standards; lesson feedback against the "
            "agreed descriptors for each Assessment Reference Point.",
            mentor_training_hours=20,
        )
    )
    scitt = loader.count(
        Provider.objects.create(
            institution=school,
            name="Oxfordshire Teaching Schools Alliance SCITT",
            kind=Provider.Kind.SCITT,
            contact_name="SCITT Office",
            contact_email="scitt@otsa.example.org",
            link_tutor_name="Mr Colin Reeve",
            link_tutor_email="colin.reeve@otsa.example.org",
            mentor_requirements="Mentor training with the SCITT each term; weekly mentor meetings logged.",
            mentor_training_hours=12,
        )
    )
    programmes = [
        loader.count(
            Programme.objects.create(
                provider=oxford,
                academic_year=year,
                name="PGCE Internship Scheme",
                route=Programme.Route.PGCE,
                scale=[
                    {"code": "not_yet", "label": "Not yet meeting"},
                    {"code": "meeting", "label": "Meeting"},
                    {"code": "exceeding", "label": "Exceeding"},
                ],
            )
        ),
        loader.count(
            Programme.objects.create(
                provider=scitt,
                academic_year=year,
                name="Secondary SCITT with PGCE",
                route=Programme.Route.SCITT,
                scale=[
                    {"code": "not_yet", "label": "Not yet meeting"},
                    {"code": "meeting", "label": "Meeting"},
                ],
            )
        ),
    ]
    offsets = [(87, 200, 290), (80, 157, 262)]  # days from 1 September: late Nov, Feb/Mar, Jun
    points = {}
    for programme, days in zip(programmes, offsets, strict=True):
        points[programme.pk] = []
        for number, offset in enumerate(days, start=1):
            point = loader.count(
                ReferencePoint.objects.create(
                    programme=programme,
                    number=number,
                    name=f"Assessment Reference Point {number}",
                    due_on=start + dt.timedelta(days=offset),
                )
            )
            for standard in standards:
                loader.count(
                    Descriptor.objects.create(
                        reference_point=point,
                        standard=standard,
                        text=DESCRIPTORS.get(standard.number, PART_TWO)[number - 1],
                    )
                )
            points[programme.pk].append(point)
    return programmes, points


def _placements(programme: Programme, year: AcademicYear) -> list[tuple[str, dt.date, dt.date]]:
    start = year.starts_on
    if programme.route == Programme.Route.PGCE:
        return [
            ("Autumn joint weeks", start + dt.timedelta(days=13), start + dt.timedelta(days=101)),
            ("Spring placement", start + dt.timedelta(days=126), start + dt.timedelta(days=206)),
        ]
    return [("Main placement", start + dt.timedelta(days=6), start + dt.timedelta(days=164))]


def _meetings(loader, intern, placements, today, skip_recent: bool):
    weeks = []
    for _, starts, ends in placements:
        monday = starts - dt.timedelta(days=starts.weekday())
        while monday <= min(ends, today):
            weeks.append(monday)
            monday += dt.timedelta(days=7)
    this_week = today - dt.timedelta(days=today.weekday())
    past = [w for w in weeks if w < this_week]
    if skip_recent:
        past = past[:-2]
    for n, monday in enumerate(past):
        held = monday + dt.timedelta(days=2)
        meeting = loader.count(
            MentorMeeting.objects.create(
                intern=intern,
                mentor=intern.mentor,
                held_on=held,
                minutes=90,
                targets_reviewed="Last week's targets met." if n else "",
                targets_set=[
                    "Use the seating plan and meet pupils at the door.",
                    "Plan a hinge question for each lesson.",
                    "Narrate the positive; follow the behaviour policy steps.",
                    "Check understanding before independent work.",
                ][n % 4],
                intern_comment="Helpful: I will try cold calling with 8C." if n % 3 == 0 else "",
            )
        )
        meeting.standards.set(
            [s for s in Standard.objects.filter(framework__code="TS", number=str(n % 8 + 1))]
        )


@transaction.atomic
def load_ite_demo(progress=lambda message: None) -> int:
    """Create the demo school once. Returns the number of records created (0 when already loaded)."""
    if Institution.objects.filter(name=SCHOOL).exists():
        return 0
    loader = _Loader(progress)
    today = timezone.localdate()
    school = loader.count(
        Institution.objects.create(name=SCHOOL, kind=Institution.Kind.SCHOOL, full_time_hours=Decimal("1265"))
    )
    departments = {
        name: loader.count(Department.objects.create(institution=school, name=name)) for name in DEPARTMENTS
    }
    previous_year, year = _school_year(loader, school, today)
    people = {}
    for code, username, forename, surname, job_title, department, _ in PEOPLE:
        fte = Decimal("0.800") if username == "femi.ect" else Decimal("1.000")
        people[username] = loader.person(
            school,
            code,
            username,
            forename,
            surname,
            job_title,
            departments.get(department) if department is not None else None,
            fte,
        )
    for username, role, department in (
        ("adam.aht", Role.PROGRAMME_LEAD, None),
        ("iris.ite", Role.ITE_TUTOR, None),
        ("holly.hod", Role.HEAD_OF_DEPARTMENT, departments["Mathematics"]),
    ):
        loader.count(
            RoleAssignment.objects.create(
                staff=people[username], role=role, institution=school, department=department
            )
        )
    progress("Cherwell Vale School: providers, programmes and reference points")
    standards = _standards()
    programmes, points = _programmes(loader, school, year, standards)
    for name, places in (
        ("Mathematics", 2),
        ("English", 2),
        ("Science", 2),
        ("History", 1),
        ("Modern Languages", 1),
        ("Geography", 1),
        ("Computing", 0),
    ):
        loader.count(
            DepartmentCapacity.objects.create(department=departments[name], academic_year=year, places=places)
        )
    for username in [p[1] for p in PEOPLE if p[1].endswith(".mentor")]:
        loader.count(
            MentorTraining.objects.create(
                mentor=people[username],
                provider=programmes[0].provider,
                title="Initial mentor training",
                completed_on=year.starts_on - dt.timedelta(days=80),
                hours=Decimal("20") if username not in ("una.mentor", "sara.mentor") else Decimal("6"),
            )
        )
    progress("Cherwell Vale School: eight interns, their placements and weekly mentor meetings")
    interns = []
    for index, (
        username,
        forename,
        surname,
        provider,
        subject,
        department,
        mentor,
        group,
        target,
    ) in enumerate(INTERNS):
        staff = loader.person(
            school, f"CV-I{index + 1}", username, forename, surname, "Intern", departments[department]
        )
        people[username] = staff
        programme = programmes[provider]
        intern = loader.count(
            Intern.objects.create(
                staff=staff,
                programme=programme,
                subject=subject,
                department=departments[department],
                mentor=people[mentor],
                tutor_group=group,
                target_periods=target,
            )
        )
        phases = _placements(programme, year)
        for name, starts, ends in phases:
            loader.count(Placement.objects.create(intern=intern, name=name, starts_on=starts, ends_on=ends))
        _meetings(loader, intern, phases, today, skip_recent=username == "ned.intern")
        interns.append(intern)
    reviewer = people["iris.ite"]
    for intern in interns[:3]:
        loader.count(
            MentorReview.objects.create(
                intern=intern,
                mentor=intern.mentor,
                reviewer=reviewer,
                scheduled_on=year.starts_on + dt.timedelta(days=40),
                held_on=year.starts_on + dt.timedelta(days=40),
                programme_set_up="yes",
                meetings_logged="yes",
                feedback_referenced="yes" if intern is not interns[2] else "partly",
                findings="Programme in place; feedback detailed."
                if intern is not interns[2]
                else "Feedback is kind but rarely refers to the standards or the descriptors.",
                actions="" if intern is not interns[2] else "Reference each feedback point to a standard.",
                follow_up_on=None if intern is not interns[2] else today + dt.timedelta(days=10),
            )
        )
    loader.count(
        MentorReview.objects.create(
            intern=interns[5],
            mentor=interns[5].mentor,
            reviewer=reviewer,
            scheduled_on=today + dt.timedelta(days=7),
        )
    )
    progress("Cherwell Vale School: the first reference point and a cause for concern")
    for intern in interns:
        point = points[intern.programme_id][0]
        if point.due_on > today:
            continue
        for standard in standards:
            struggling = intern.staff.user.username == "ned.intern" and standard.number in ("1", "7")
            loader.count(
                Judgement.objects.create(
                    intern=intern,
                    reference_point=point,
                    standard=standard,
                    grade="not_yet" if struggling else "meeting",
                    evidence="Seen in two observed lessons and in planning."
                    if not struggling
                    else "Low-level disruption not yet addressed; routines inconsistent.",
                    recorded_by=intern.mentor,
                )
            )
        loader.count(
            ReferencePointReview.objects.create(
                intern=intern,
                reference_point=point,
                reflection="I am most confident with planning; behaviour next.",
                reflected_at=timezone.now(),
                moderation="agreed" if intern.staff.user.username != "ned.intern" else "",
                moderated_by=reviewer if intern.staff.user.username != "ned.intern" else None,
                moderated_at=timezone.now() if intern.staff.user.username != "ned.intern" else None,
            )
        )
    ned = next(i for i in interns if i.staff.user.username == "ned.intern")
    concern = loader.count(
        CauseForConcern.objects.create(
            intern=ned,
            raised_by=ned.mentor,
            raised_on=today - dt.timedelta(days=6),
            category=CauseForConcern.Category.PROGRESS,
            concern="Behaviour for learning is not yet secure in Year 9; routines are inconsistent.",
            targets="1. Meet and greet at the door every lesson (TS 7). 2. Use the seating plan (TS 1). "
            "3. Follow the behaviour policy steps consistently (TS 7).",
            support="Weekly co-planning with the mentor; the professional tutor observes as a neutral observer.",
            review_on=today + dt.timedelta(days=8),
            neutral_observer_requested=True,
        )
    )
    concern.standards.set([s for s in standards if s.number in ("1", "7")])
    concern.supporters.set([ned.mentor, reviewer])
    _groups(loader, school, year, departments, people)
    _timetable(loader, year, people, interns)
    progress("Cherwell Vale School: early-career teachers and new staff")
    _inductions(loader, school, previous_year, year, people, standards, today)
    _pdp(loader, school, year, people, interns, today)
    return loader.created


def _groups(loader, school, year, departments, people):
    """The school's classes: every subject in years 7 to 13 (sets in maths, science and English)."""
    teachers = {}
    for staff in people.values():
        if staff.department_id and staff.job_title.startswith("Teacher"):
            teachers.setdefault(staff.department_id, staff)
    periods = {"Mathematics": 4, "English": 4, "Science": 5, "History": 2, "Modern Languages": 3}
    for subject, weekly in periods.items():
        sets = 3 if subject in ("Mathematics", "English", "Science") else 2
        for year_group in range(7, 14):
            if year_group >= 12 and subject in ("Modern Languages",):
                continue
            for number in range(1, sets + 1 if year_group < 12 else 2):
                code = f"{year_group}{'ABC'[number - 1]}/{subject[:2]}"
                loader.count(
                    TeachingGroup.objects.create(
                        institution=school,
                        academic_year=year,
                        code=code,
                        subject=subject,
                        year_group=year_group,
                        ability=f"set {number}" if sets == 3 and year_group < 12 else "mixed",
                        teacher=teachers.get(departments[subject].pk),
                        periods=weekly if year_group < 12 else 5,
                    )
                )


def _timetable(loader, year, people, interns):
    """The ITE tutor keeps one class for Isla and proposes the year's timetables (proved optimal)."""
    from protutor.ite import services_timetable
    from protutor.ite.models import TimetableAllocation, TimetableRule

    isla = next(i for i in interns if i.staff.user.username == "isla.intern")
    loader.count(
        TimetableRule.objects.create(
            intern=isla,
            group=TeachingGroup.objects.get(academic_year=year, code="8A/Ma"),
            kind=TimetableRule.Kind.PIN,
        )
    )
    run = services_timetable.propose_timetable(
        actor=people["iris.ite"].user, academic_year=year, class_limit=1
    )
    loader.created += 1 + TimetableAllocation.objects.filter(run=run).count()


def _inductions(loader, school, previous_year, year, people, standards, today):
    terms = [
        schedule.TermDates(t.starts_on, t.ends_on, f"{t.get_name_display()} {t.academic_year.name}")
        for t in Term.objects.filter(academic_year__institution=school)
        .select_related("academic_year")
        .order_by("starts_on")
    ]
    for username, mentor, starts, fte, taught in (
        (
            "erin.ect",
            "vic.ectmentor",
            previous_year.terms.get(number=1).starts_on,
            Decimal("1"),
            Decimal("19"),
        ),
        ("femi.ect", "will.ectmentor", year.terms.get(number=1).starts_on, Decimal("0.8"), Decimal("14.5")),
    ):
        induction = loader.count(
            EctInduction.objects.create(
                staff=people[username],
                starts_on=starts,
                fte=fte,
                induction_tutor=people["ian.induction"],
                mentor=people[mentor],
                appropriate_body="Oxfordshire Teaching School Hub",
            )
        )
        plan = schedule.induction_schedule(starts, fte, terms)
        for event in plan.events:
            held = event.due_on < today
            # A held final assessment records the recommendation to the appropriate body.
            final = event.kind == InductionEvent.Kind.FORMAL_ASSESSMENT and event.number == len(
                plan.formal_assessments
            )
            outcome = InductionEvent.Outcome.MET if final else InductionEvent.Outcome.ON_TRACK
            loader.count(
                InductionEvent.objects.create(
                    induction=induction,
                    kind=event.kind,
                    number=event.number,
                    due_on=event.due_on,
                    estimated=event.estimated,
                    held_on=event.due_on if held else None,
                    outcome=outcome if held else "",
                    notes="Making good progress against the Teachers' Standards." if held else "",
                    recorded_by=people["ian.induction"] if held else None,
                )
            )
        induction_year = 2 if username == "erin.ect" else 1
        standard_load = Decimal("20") if fte == 1 else Decimal("16")
        loader.count(
            ReducedTimetable.objects.create(
                induction=induction,
                induction_year=induction_year,
                standard_periods=standard_load,
                taught_periods=taught,
            )
        )
        for standard in standards[:3]:
            loader.count(
                InductionEvidence.objects.create(
                    induction=induction,
                    standard=standard,
                    recorded_on=today - dt.timedelta(days=20),
                    text=f"Observed lesson and planning show {standard.heading.lower()}.",
                    recorded_by=people["ian.induction"],
                )
            )
    template = loader.count(
        ChecklistTemplate.objects.create(institution=school, name="New staff", items=CHECKLIST)
    )
    for username, done in (("gwen.newstaff", 6), ("hugo.newstaff", 2)):
        checklist = loader.count(
            StaffInduction.objects.create(
                staff=people[username],
                template=template,
                starts_on=year.starts_on,
                induction_tutor=people["ian.induction"],
            )
        )
        for position, title in enumerate(CHECKLIST):
            loader.count(
                ChecklistItem.objects.create(
                    induction=checklist,
                    position=position,
                    title=title,
                    done_on=year.starts_on + dt.timedelta(days=position) if position < done else None,
                    done_by=people[username] if position < done else None,
                )
            )


def _pdp(loader, school, year, people, interns, today):
    """The Professional Development Programme: the seed's topics, a session most weeks from the third
    week of term (Wednesday after school), registers taken for the sessions already held."""
    from protutor.ite.pdp_topics import STANDARDS_FRAMEWORK, TOPICS

    standards = {s.number: s for s in Standard.objects.filter(framework__code=STANDARDS_FRAMEWORK)}
    topics = []
    for position, seed in enumerate(TOPICS):
        topic = loader.count(PdpTopic.objects.create(institution=school, title=seed.title, position=position))
        topic.standards.set([standards[n] for n in seed.standards if n in standards])
        topics.append(topic)
    speakers = [
        "Iris Penrose (Professional Tutor)",
        "Designated Safeguarding Lead",
        "SENCo",
        "Head of Year 7",
        "Assistant Headteacher (Teaching and Learning)",
        "Educational psychologist (visiting)",
    ]
    ects = [people["erin.ect"], people["femi.ect"]]
    wednesday = year.starts_on + dt.timedelta(days=(2 - year.starts_on.weekday()) % 7 + 14)
    terms = [(t.starts_on, t.ends_on) for t in year.terms.all()]
    days = []
    while len(days) < 16:  # Wednesdays in term time only
        if any(start <= wednesday <= end for start, end in terms):
            days.append(wednesday)
        wednesday += dt.timedelta(days=7)
    for index, (topic, day) in enumerate(zip(topics, days, strict=False)):
        starts_at = timezone.make_aware(dt.datetime.combine(day, dt.time(15, 30)))
        held = day < today
        session = loader.count(
            PdpSession.objects.create(
                institution=school,
                academic_year=year,
                topic=topic,
                speaker=speakers[index % len(speakers)],
                starts_at=starts_at,
                length_minutes=60,
                room="Library",
                register_taken=held,
            )
        )
        if held:
            present = [i.staff for n, i in enumerate(interns) if (n + index) % 7 != 0] + ects[: 1 + index % 2]
            for staff in present:
                loader.count(PdpAttendance.objects.create(session=session, staff=staff))
