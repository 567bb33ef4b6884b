"""Two years of student outcomes and surveys for the demo college, matching the case study.

Engineering and Apprenticeships had a gendered achievement gap (women behind men) that narrowed in the
current year, when its tutor ran the CPD session "Closing gendered attainment gaps in coursework"; the
other departments stay roughly flat. Student and staff survey results rise year on year. One department
also has a small free-school-meals group, to show suppression. Created once; a re-run changes nothing.
"""

from __future__ import annotations

import random

from django.db import transaction

from protutor.cpd.models import Session
from protutor.insights.models import OutcomeRecord, SurveyResult
from protutor.observations.demo import _previous_year
from protutor.observations.models import Standard
from protutor.people.models import AcademicYear, Department, Institution

FOCUS_DEPARTMENT = "Engineering and Apprenticeships"
FOCUS_SESSION = "Closing gendered attainment gaps in coursework"
SMALL_GROUP_DEPARTMENT = "Higher Education and Adult Learning"
# (female starters, female achievement %, male starters, male achievement %) last year, then this year.
FOCUS: tuple[tuple[int, int, int, int], ...] = ((14, 62, 86, 86), (18, 83, 82, 87))
STUDENT_MEASURES = ("I would recommend my course to a friend", "My teachers explain things well")
STAFF_MEASURES = ("I feel supported to improve my teaching",)


def _cell(starters: int, achievement: int, retention: float) -> tuple[int, int, int]:
    completers = round(starters * retention)
    return starters, completers, round(completers * achievement / 100)


@transaction.atomic
def load_insights_demo(institution: Institution, *, progress=lambda message: None) -> int:
    if OutcomeRecord.objects.filter(institution=institution).exists():
        return 0
    current = AcademicYear.objects.current().filter(institution=institution).first()
    if current is None:
        return 0
    years = [_previous_year(institution, current), current]
    rng = random.Random(11)
    records: list[OutcomeRecord] = []
    for department in Department.objects.filter(institution=institution).order_by("name"):
        code = "".join(word[0] for word in department.name.split() if word[0].isalpha()).upper()[:4]
        plan: tuple[tuple[int, int, int, int], ...]
        if department.name == FOCUS_DEPARTMENT:
            plan = FOCUS
        else:
            female_starters, male_starters = rng.randint(30, 70), rng.randint(30, 70)
            base = rng.randint(78, 90)
            offset = rng.choice([-3, -2, 2, 3])
            plan = tuple(
                (female_starters, base + offset + drift, male_starters, base + drift)
                for drift in (0, rng.choice([0, 1]))
            )
        for year, (female_n, female_rate, male_n, male_rate) in zip(years, plan, strict=True):
            retention = 0.9 + rng.choice([0, 0.02, 0.04])
            female = _cell(female_n, female_rate, retention)
            male = _cell(male_n, male_rate, retention)
            groups: dict[tuple[str, str], tuple[int, ...]] = {
                ("gender", "female"): female,
                ("gender", "male"): male,
            }
            groups[("all", "all")] = tuple(f + m for f, m in zip(female, male, strict=True))
            if department.name == SMALL_GROUP_DEPARTMENT:
                total = groups[("all", "all")]
                small = (3, 3, 2)
                groups[("free school meals", "yes")] = small
                groups[("free school meals", "no")] = tuple(t - s for t, s in zip(total, small, strict=True))
            for (group_type, group_value), (starters, completers, achieved) in groups.items():
                records.append(
                    OutcomeRecord(
                        institution=institution,
                        academic_year=year,
                        department=department,
                        course_code=f"{code}-L3",
                        course_name=f"{department.name}, level 3 programmes",
                        group_type=group_type,
                        group_value=group_value,
                        starters=starters,
                        completers=completers,
                        achieved=achieved,
                    )
                )
    OutcomeRecord.objects.bulk_create(records)
    # The focused session's standards: equity, and assessment with feedback that closes gaps.
    focus_session = Session.objects.filter(
        department__institution=institution, department__name=FOCUS_DEPARTMENT, title=FOCUS_SESSION
    ).first()
    if focus_session is not None:
        focus_session.focus_standards.add(
            *Standard.objects.filter(framework__code="ETF", parent__isnull=True, number__in=["5", "19"])
        )
    surveys: list[SurveyResult] = []
    departments: list[Department | None] = [
        None,
        *Department.objects.filter(institution=institution).order_by("name"),
    ]
    for survey_department in departments:
        for kind, measures, size in (
            (SurveyResult.Kind.STUDENT, STUDENT_MEASURES, 90),
            (SurveyResult.Kind.STAFF, STAFF_MEASURES, 20),
        ):
            for measure in measures:
                respondents = size * (14 if survey_department is None else 1) + rng.randint(0, 10)
                share = rng.randint(68, 78)
                for year, rise in zip(years, (0, rng.randint(4, 9)), strict=True):
                    surveys.append(
                        SurveyResult(
                            institution=institution,
                            academic_year=year,
                            department=survey_department,
                            kind=kind,
                            measure=measure,
                            respondents=respondents,
                            agreeing=round(respondents * (share + rise) / 100),
                        )
                    )
    SurveyResult.objects.bulk_create(surveys)
    progress(f"{len(records)} student outcome rows and {len(surveys)} survey results over two years")
    return len(records) + len(surveys)
