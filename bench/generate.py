"""Benchmark data at two scales (DESIGN.md section 4), deterministic for a given day, by bulk insert.

    bench/generate --scale college|trust [--database sqlite|postgresql] [--postgres URL] [--seed N]

college: 1 institution, 400 staff, 1 year. trust: 40 institutions of 300 staff (12,000), 200 tutors, 5 years,
about 400,000 observations (each with a point tagged to a standard), 150,000 support interactions in 30,000
cases, 30,000 CPD sessions and 600,000 attendance rows; plus, in the current year, coaching volunteers and
sign-ups, interns with judgements and teaching groups. The same per-person rates make the college.

The database is emptied and made again each run (SQLite: a new file; PostgreSQL: a new database), then
migrated. Writes go in batches with bulk_create, one transaction per institution, with progress. Personas
and the ids bench/run needs go to bench/out/bench-<database>-<scale>.json. Dates are relative to the
academic year containing today, so the same seed on the same day gives the same data.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
import uuid
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common as setup

# Per institution, but for "institutions" and "years". coaches, coachees: 320 and 1,000 in the trust;
# interns, groups (teaching groups): 120 and 1,600.
SHAPES = {
    "college": {
        "institutions": 1, "staff": 400, "departments": 20, "tutors": 6, "years": 1,
        "coaches": 10, "coachees": 33, "interns": 4, "groups": 53,
    },
    "trust": {
        "institutions": 40, "staff": 300, "departments": 15, "tutors": 5, "years": 5,
        "coaches": 8, "coachees": 25, "interns": 3, "groups": 40,
    },
}  # fmt: skip
OBSERVATIONS_PER_STAFF_YEAR = 20 / 3  # 400,000 = 12,000 staff x 5 years x 6.67
INTERACTIONS_PER_CASE = 5
CASES_PER_STAFF_YEAR = 0.5  # 30,000 cases = 12,000 x 5 x 0.5; 150,000 interactions
SESSIONS_PER_DEPARTMENT_TERM = (3, 4)  # about 150 an institution a year: 30,000 in the trust
ATTENDEES_PER_SESSION = 22  # delivered sessions only: about 600,000 rows in the trust
BATCH = 5000
FORENAMES = "Amara Ben Chloe Dev Ellis Farah George Hana Isaac Jess Kofi Lena Milo Nia Omar Priya Quinn Rosa Sami Tess".split()
SURNAMES = "Adams Begum Clarke Davies Evans Fraser Green Hughes Iqbal Jones Khan Lewis Morgan Nolan Owen Patel Reid Shah Turner Walsh".split()
SUBJECTS = "English Maths Science History Geography Art Music Computing French Spanish Drama Business Psychology Sociology Law PE Biology Chemistry Physics Media".split()


def academic_years(count: int, today: dt.date) -> list[tuple[dt.date, dt.date]]:
    start = today.year if today.month >= 9 else today.year - 1
    return [(dt.date(y, 9, 1), dt.date(y + 1, 8, 31)) for y in range(start - count + 1, start + 1)]


def terms_of(starts: dt.date, ends: dt.date) -> list[tuple[int, str, dt.date, dt.date]]:
    y = starts.year
    return [
        (1, "autumn", starts, dt.date(y, 12, 19)),
        (2, "spring", dt.date(y + 1, 1, 5), dt.date(y + 1, 3, 31)),
        (3, "summer", dt.date(y + 1, 4, 14), ends),
    ]


def first_teacher(staff, department_id: int, special):
    """A department's first member of staff who holds no other role: the "teacher" persona."""
    return next(p for p in staff if p.department_id == department_id and p not in special)


class Generator:
    def __init__(self, shape: dict, seed: int, progress=lambda line: None, first: int = 1):
        from django.contrib.auth.hashers import make_password
        from django.utils import timezone

        self.shape = shape
        self.first = first  # the number of the first institution made (its people are the personas)
        self.random = random.Random(seed)
        self.progress = progress
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.password = make_password("bench-password")  # hashed once: every bench account shares it
        self.counts: dict[str, int] = {}
        self.manifest: dict = {"shape": shape, "seed": seed, "made_on": self.today.isoformat()}

    def insert(self, model, objects: list) -> list:
        """bulk_create in batches; returns the objects with their primary keys."""
        made = model.objects.bulk_create(objects, batch_size=BATCH)
        self.counts[model._meta.label] = self.counts.get(model._meta.label, 0) + len(made)
        return made

    def run(self) -> dict:
        from django.db import transaction

        from protutor.observations.models import Standard

        self.standards = list(Standard.objects.filter(framework__code="ETF").values_list("pk", flat=True))
        if not self.standards:
            raise SystemExit("bench: the shipped frameworks are missing (run the migrations first)")
        started = time.monotonic()
        for number in range(self.first, self.first + self.shape["institutions"]):
            with transaction.atomic():
                self.institution(number)
            self.progress(
                f"institution {number}/{self.shape['institutions']}: "
                f"{sum(self.counts.values()):,} rows, {time.monotonic() - started:.0f} s"
            )
        self.manifest["counts"] = self.counts
        self.manifest["seconds"] = round(time.monotonic() - started, 1)
        return self.manifest

    # --- one institution ---------------------------------------------------------------------------

    def institution(self, number: int) -> None:
        from protutor.people.models import AcademicYear, Department, Institution, Term

        shape, rnd = self.shape, self.random
        institution = self.insert(Institution, [Institution(name=f"Bench College {number:02d}")])[0]
        departments = self.insert(
            Department,
            [
                Department(institution=institution, name=f"{SUBJECTS[d % 20]} {d // 20 + 1}")
                for d in range(shape["departments"])
            ],
        )
        years = self.insert(
            AcademicYear,
            [
                AcademicYear(
                    institution=institution, name=f"{s.year}/{str(s.year + 1)[-2:]}", starts_on=s, ends_on=e
                )
                for s, e in academic_years(shape["years"], self.today)
            ],
        )
        terms = self.insert(
            Term,
            [
                Term(academic_year=year, number=n, name=name, starts_on=s, ends_on=e)
                for year in years
                for n, name, s, e in terms_of(year.starts_on, year.ends_on)
            ],
        )
        staff = self.people(institution, number, departments)
        roles = self.roles(institution, departments, staff)
        tutors = roles["tutors"]
        caseloads = self.caseloads(tutors, years, departments)
        by_department: dict[int, list] = {}
        for person in staff:
            by_department.setdefault(person.department_id, []).append(person)
        tutor_of = {d: c.tutor for c in caseloads if c.academic_year_id == years[-1].pk for d in c.dept_ids}
        for year in years:
            year_terms = [t for t in terms if t.academic_year_id == year.pk]
            self.observations(institution, year, staff, tutor_of, roles["hods"], rnd)
            self.support(institution, year, staff, tutor_of, roles["special"])
            self.cpd(departments, year_terms, by_department, tutor_of)
        self.coaching(institution, staff, roles)
        self.ite(institution, years[-1], departments, staff, roles)
        if number == self.first:
            home = next(
                d for d, tutor in tutor_of.items() if tutor is tutors[0]
            )  # the tutor's first department
            self.manifest["personas"] = {
                "programme_lead": roles["lead"].user.username,
                "tutor": tutors[0].user.username,
                "teacher": first_teacher(staff, home, roles["special"]).user.username,
                "head_of_department": roles["hods"][home].user.username,
                "administrator": roles["admin"].user.username,
                "safeguarding_lead": roles["dsl"].user.username,
                "ite_tutor": roles["ite"].user.username,
                "coaching_coordinator": roles["coordinator"].user.username,
            }
            self.manifest["department"] = home
            self.manifest["institution"] = institution.pk

    def people(self, institution, number: int, departments) -> list:
        from protutor.people.models import StaffMember, User

        count, rnd = self.shape["staff"], self.random
        users = self.insert(
            User,
            [
                User(
                    username=f"b{number:02d}s{n:04d}",
                    email=f"b{number:02d}s{n:04d}@bench.invalid",
                    password=self.password,
                )
                for n in range(count)
            ],
        )
        return self.insert(
            StaffMember,
            [
                StaffMember(
                    institution=institution,
                    user=user,
                    staff_code=f"B{n:05d}",
                    forename=rnd.choice(FORENAMES),
                    surname=rnd.choice(SURNAMES),
                    email=user.email,
                    department=departments[n % len(departments)],
                    job_title="Teacher",
                    fte=Decimal("1.0"),
                )
                for n, user in enumerate(users)
            ],
        )

    def roles(self, institution, departments, staff) -> dict:
        from protutor.people.models import Role, RoleAssignment, StaffMember

        hods = {d.pk: next(p for p in staff if p.department_id == d.pk) for d in departments}
        for person in staff:
            head = hods[person.department_id]
            person.line_manager = None if person is head else head
        StaffMember.objects.bulk_update(staff, ["line_manager"], batch_size=BATCH)
        others = [p for p in staff if p not in hods.values()]
        lead, admin, dsl, ite, coordinator = others[:5]
        tutors = others[5 : 5 + self.shape["tutors"]]
        assignments = [
            RoleAssignment(staff=head, role=Role.HEAD_OF_DEPARTMENT, institution=institution, department_id=d)
            for d, head in hods.items()
        ] + [
            RoleAssignment(staff=person, role=role, institution=institution)
            for person, role in (
                (lead, Role.PROGRAMME_LEAD),
                (admin, Role.ADMINISTRATOR),
                (dsl, Role.SAFEGUARDING_LEAD),
                (ite, Role.ITE_TUTOR),
                (coordinator, Role.COACHING_COORDINATOR),
            )
        ]
        self.insert(RoleAssignment, assignments)
        return {
            "hods": hods,
            "lead": lead,
            "admin": admin,
            "dsl": dsl,
            "ite": ite,
            "coordinator": coordinator,
            "tutors": tutors,
            "special": {lead, admin, dsl, ite, coordinator, *tutors, *hods.values()},
        }

    def caseloads(self, tutors, years, departments) -> list:
        from protutor.people.models import Caseload, CaseloadDepartment

        caseloads = self.insert(
            Caseload,
            [
                Caseload(
                    tutor=t, academic_year=y, remitted_hours=Decimal("4.0"), full_time_hours=Decimal("22.0")
                )
                for y in years
                for t in tutors
            ],
        )
        links = []
        for caseload in caseloads:
            index = tutors.index(caseload.tutor)
            caseload.dept_ids = [d.pk for n, d in enumerate(departments) if n % len(tutors) == index]
            links += [
                CaseloadDepartment(
                    caseload=caseload, department_id=d, academic_year_id=caseload.academic_year_id
                )
                for d in caseload.dept_ids
            ]
        self.insert(CaseloadDepartment, links)
        return caseloads

    def days(self, year, count: int) -> list[dt.date]:
        """`count` school days of `year` up to today, spread evenly."""
        last = min(year.ends_on, self.today)
        span = max((last - year.starts_on).days, 1)
        return [year.starts_on + dt.timedelta(days=self.random.randrange(span)) for _ in range(count)]

    def observations(self, institution, year, staff, tutor_of, hods, rnd) -> None:
        from protutor.observations.models import Observation, ObservationPoint

        count = round(len(staff) * OBSERVATIONS_PER_STAFF_YEAR)
        kinds = ["developmental"] * 5 + ["formal"] * 3 + ["learning_walk"] * 2
        made = []
        for day in self.days(year, count):
            observee = rnd.choice(staff)
            kind = rnd.choice(kinds)
            observer = (
                hods[observee.department_id]
                if kind == "formal"
                else tutor_of.get(observee.department_id) or hods[observee.department_id]
            )
            if observer is observee:
                observer = rnd.choice(staff)
            made.append(
                Observation(
                    institution=institution,
                    kind=kind,
                    observer=observer,
                    observee=observee,
                    department_id=observee.department_id,
                    observed_on=day,
                    length_minutes=rnd.choice((20, 30, 50)),
                    outcome=rnd.choice(("effective", "effective", "not_yet_effective"))
                    if kind == "formal"
                    else "",
                    status="shared",
                )
            )
        made = self.insert(Observation, made)
        points = self.insert(
            ObservationPoint,
            [
                ObservationPoint(
                    observation=o,
                    kind=rnd.choice(("strength", "development")),
                    text="Questioning checked understanding",
                )
                for o in made
            ],
        )
        through = ObservationPoint.standards.through
        self.insert(
            through,
            [through(observationpoint_id=p.pk, standard_id=rnd.choice(self.standards)) for p in points],
        )

    def support(self, institution, year, staff, tutor_of, special) -> None:
        from protutor.support.models import CaseTutor, Interaction, SupportCase

        rnd = self.random
        tutors = set(tutor_of.values())
        supported = [p for p in staff if p.department_id in tutor_of and p not in special]  # teachers only
        count = round(len(staff) * CASES_PER_STAFF_YEAR)
        current = year.ends_on >= self.today
        cases = []
        # In the current year every tutor's first department has an open case (bench/run opens one),
        # about the department's first teacher.
        firsts = {next(d for d, t in tutor_of.items() if t is tutor) for tutor in tutors}
        for n, day in enumerate(self.days(year, count)):
            first = current and n < len(firsts)
            # The first: the department's first teacher, who is the "teacher" persona in the tutor's own.
            teacher = first_teacher(staff, sorted(firsts)[n], special) if first else rnd.choice(supported)
            opened = dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)
            open_now = first or (current and rnd.random() < 0.3)
            cases.append(
                SupportCase(
                    teacher=teacher,
                    institution=institution,
                    department_id=teacher.department_id,
                    route=rnd.choice(("self", "self", "line_manager", "tutor")),
                    formality=rnd.choice(("formal", "semi_formal", "informal")),
                    span=rnd.choice(("one_touch", "ongoing")),
                    focus_tags="questioning, behaviour",
                    status="open" if open_now else "closed",
                    outcome="" if open_now else "goals_met",
                    opened_at=opened,
                    closed_at=None if open_now else min(opened + dt.timedelta(days=40), self.now),
                )
            )
        cases = self.insert(SupportCase, cases)
        self.insert(
            CaseTutor,
            [CaseTutor(case=c, tutor=tutor_of[c.department_id], started_at=c.opened_at) for c in cases],
        )
        self.insert(
            Interaction,
            [
                Interaction(
                    case=c,
                    tutor=tutor_of[c.department_id],
                    kind=rnd.choice(("conversation", "coaching", "observation", "feedback")),
                    occurred_on=min(c.opened_at.date() + dt.timedelta(days=7 * n), self.today),
                    minutes=rnd.choice((20, 30, 45, 60)),
                    shared_notes="We looked at cold calling and wait time.",
                )
                for c in cases
                for n in range(INTERACTIONS_PER_CASE)
            ],
        )

    def cpd(self, departments, terms, by_department, tutor_of) -> None:
        from protutor.cpd.models import Attendance, Session

        rnd = self.random
        everyone = [p for people in by_department.values() for p in people]
        sessions = []
        for department in departments:
            for term in terms:
                low, high = SESSIONS_PER_DEPARTMENT_TERM
                for n in range(rnd.randint(low, high)):
                    day = term.starts_on + dt.timedelta(days=14 + 21 * n)
                    past = day < self.today
                    sessions.append(
                        Session(
                            uid=uuid.UUID(int=rnd.getrandbits(128)),
                            department=department,
                            term=term,
                            title=f"{department.name}: session {n + 1}",
                            format="meeting",
                            length_minutes=30,
                            starts_at=dt.datetime.combine(day, dt.time(15, 30), tzinfo=dt.UTC),
                            status="delivered" if past else "planned",
                            created_by=tutor_of.get(department.pk),
                        )
                    )
        sessions = self.insert(Session, sessions)
        rows = []
        for session in sessions:
            if session.status != "delivered":
                continue
            # The department's staff, and a colleague or two from elsewhere when it is small.
            people = by_department[session.department_id]
            chosen = rnd.sample(people, min(ATTENDEES_PER_SESSION, len(people)))
            while len(chosen) < ATTENDEES_PER_SESSION and len(chosen) < len(everyone):
                other = rnd.choice(everyone)
                if other not in chosen:
                    chosen.append(other)
            for person in chosen:
                rows.append(Attendance(session=session, staff=person, recorded_at=session.starts_at))
        self.insert(Attendance, rows)

    def coaching(self, institution, staff, roles) -> None:
        from protutor.coaching.models import Coach, CoacheeSignup, Cohort

        rnd = self.random
        pool = [p for p in staff if p not in roles["special"]]
        rnd.shuffle(pool)
        cohort = self.insert(Cohort, [Cohort(institution=institution, name="Bench cohort")])[0]
        trained = self.today - dt.timedelta(days=60)
        periods = lambda: sorted({(rnd.randrange(5), rnd.randrange(1, 7)) for _ in range(6)})  # noqa: E731
        self.insert(
            Coach,
            [
                Coach(
                    staff=p,
                    cohort=cohort,
                    strengths="questioning, behaviour, feedback",
                    free_periods=[list(x) for x in periods()],
                    capacity=rnd.randint(2, 4),
                    training_day_on=trained,
                    first_follow_up_on=trained,
                    second_follow_up_on=trained,
                )
                for p in pool[: self.shape["coaches"]]
            ],
        )
        self.insert(
            CoacheeSignup,
            [
                CoacheeSignup(
                    staff=p,
                    focus=rnd.choice(("questioning", "behaviour", "feedback, planning")),
                    free_periods=[list(x) for x in periods()],
                )
                for p in pool[self.shape["coaches"] : self.shape["coaches"] + self.shape["coachees"]]
            ],
        )

    def ite(self, institution, year, departments, staff, roles) -> None:
        from protutor.ite.models import (
            DEFAULT_SCALE,
            Intern,
            Judgement,
            Programme,
            Provider,
            ReferencePoint,
            TeachingGroup,
        )
        from protutor.people.models import StaffMember, User

        rnd = self.random
        provider = self.insert(
            Provider, [Provider(institution=institution, name="Bench University", kind="university")]
        )[0]
        programme = self.insert(
            Programme, [Programme(provider=provider, academic_year=year, name="Secondary PGCE", route="pgce")]
        )[0]
        points = self.insert(
            ReferencePoint,
            [
                ReferencePoint(
                    programme=programme,
                    number=n,
                    name=f"Assessment point {n}",
                    due_on=year.starts_on + dt.timedelta(days=90 * n),
                )
                for n in (1, 2, 3)
            ],
        )
        users = self.insert(
            User,
            [
                User(
                    username=f"b{institution.pk:02d}i{n}",
                    email=f"b{institution.pk:02d}i{n}@bench.invalid",
                    password=self.password,
                )
                for n in range(self.shape["interns"])
            ],
        )
        trainees = self.insert(
            StaffMember,
            [
                StaffMember(
                    institution=institution,
                    user=u,
                    staff_code=f"I{n:03d}",
                    forename=rnd.choice(FORENAMES),
                    surname=rnd.choice(SURNAMES),
                    email=u.email,
                    department=departments[n],
                    job_title="Intern",
                )
                for n, u in enumerate(users)
            ],
        )
        mentors = [p for p in staff if p not in roles["special"]][-self.shape["interns"] :]
        interns = self.insert(
            Intern,
            [
                Intern(
                    staff=t,
                    programme=programme,
                    subject=SUBJECTS[n],
                    department=departments[n],
                    mentor=mentors[n],
                )
                for n, t in enumerate(trainees)
            ],
        )
        grades = [s["code"] for s in DEFAULT_SCALE]
        self.insert(
            Judgement,
            [
                Judgement(
                    intern=i,
                    reference_point=p,
                    standard_id=s,
                    grade=rnd.choice(grades),
                    recorded_by=roles["ite"],
                )
                for i in interns
                for p in points
                if p.due_on <= self.today
                for s in self.standards[:8]
            ],
        )
        self.insert(
            TeachingGroup,
            [
                TeachingGroup(
                    institution=institution,
                    academic_year=year,
                    code=f"{n:03d}{SUBJECTS[n % self.shape['interns']][:2]}",
                    subject=SUBJECTS[n % self.shape["interns"]],
                    year_group=7 + n % 7,
                    teacher=rnd.choice(staff),
                    periods=rnd.choice((3, 4, 5)),
                )
                for n in range(self.shape["groups"])
            ],
        )


def prepare(url: str, database: str) -> None:
    """An empty, migrated database."""
    from django.core.management import call_command

    if database == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
    else:
        setup.drop_postgres_database(url)
        setup.create_postgres_database(url)
    call_command("migrate", "--no-input", verbosity=0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=setup.SCALES, required=True)
    parser.add_argument("--database", choices=setup.DATABASES, default="sqlite")
    parser.add_argument(
        "--postgres", default=setup.DEFAULT_POSTGRES, help="PostgreSQL server URL, no database"
    )
    parser.add_argument("--seed", type=int, default=20261203)
    args = parser.parse_args()

    setup.OUT.mkdir(parents=True, exist_ok=True)
    url = setup.database_url(args.scale, args.database, args.postgres)
    setup.configure(url)
    started = time.monotonic()
    print(f"bench: making {args.scale} on {args.database} ({url})", flush=True)
    prepare(url, args.database)
    manifest = Generator(SHAPES[args.scale], args.seed, lambda line: print(f"  {line}", flush=True)).run()
    manifest.update(
        scale=args.scale, database=args.database, url=url, total_seconds=round(time.monotonic() - started, 1)
    )
    path = setup.OUT / f"bench-{args.database}-{args.scale}.json"
    path.write_text(json.dumps(manifest, indent=2) + "\n")
    print(
        f"bench: {sum(manifest['counts'].values()):,} rows in {manifest['total_seconds']} s; manifest {path}"
    )
    for label, count in sorted(manifest["counts"].items()):
        print(f"  {label:<32} {count:>9,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
