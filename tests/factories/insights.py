"""Outcome and survey rows for the impact tests, and a previous academic year."""

from __future__ import annotations

import datetime as dt

from protutor.insights.models import OutcomeRecord, SurveyResult
from protutor.people.models import AcademicYear, Term


def previous_year(year) -> AcademicYear:
    start = year.starts_on.replace(year=year.starts_on.year - 1)
    previous, _ = AcademicYear.objects.get_or_create(
        institution=year.institution,
        name=f"{start.year}/{str(start.year + 1)[-2:]}",
        defaults={"starts_on": start, "ends_on": year.starts_on - dt.timedelta(days=1)},
    )
    y = start.year
    for number, name, s, e in [
        (1, Term.Name.AUTUMN, start, dt.date(y, 12, 19)),
        (2, Term.Name.SPRING, dt.date(y + 1, 1, 5), dt.date(y + 1, 3, 31)),
        (3, Term.Name.SUMMER, dt.date(y + 1, 4, 14), previous.ends_on),
    ]:
        Term.objects.get_or_create(
            academic_year=previous, number=number, defaults={"name": name, "starts_on": s, "ends_on": e}
        )
    return previous


def outcome(year, department, group_type, group_value, starters, completers, achieved, course="C1"):
    return OutcomeRecord.objects.create(
        institution=year.institution,
        academic_year=year,
        department=department,
        course_code=course,
        group_type=group_type,
        group_value=group_value,
        starters=starters,
        completers=completers,
        achieved=achieved,
    )


def cohort(year, department, female, male, course="C1", **others):
    """`female`, `male` and each of `others` are (starters, completers, achieved); "all" is their sum."""
    groups = {("gender", "female"): female, ("gender", "male"): male}
    for key, value in others.items():
        group_type, group_value = key.split("__")
        groups[(group_type.replace("_", " "), group_value)] = value
    outcome(
        year, department, "all", "all", *(f + m for f, m in zip(female, male, strict=True)), course=course
    )
    for (group_type, group_value), value in groups.items():
        outcome(year, department, group_type, group_value, *value, course=course)


def survey(year, department, kind, measure, respondents, agreeing):
    return SurveyResult.objects.create(
        institution=year.institution,
        academic_year=year,
        department=department,
        kind=kind,
        measure=measure,
        respondents=respondents,
        agreeing=agreeing,
    )
