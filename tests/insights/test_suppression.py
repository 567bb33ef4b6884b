"""Whatever the cohort numbers, no impact page, CSV export or report shows a count of 1 to 4 people, and
no shown gap, change or total lets a hidden count be worked out by subtraction (complementary
suppression, docs/adr/0005 and 0011)."""

import csv
import io
import re

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from protutor.insights.models import ImpactReport, SurveyResult
from protutor.insights.outcomes import INSTITUTION, outcome_figures
from protutor.insights.reports import render_report_html
from tests.factories.insights import cohort, previous_year, survey

DB_EXAMPLES = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
LIMIT = 5


class Rollback(Exception):
    pass


@st.composite
def triple(draw):
    starters = draw(st.integers(0, 25))
    completers = draw(st.integers(0, starters))
    return starters, completers, draw(st.integers(0, completers))


# Per department and year: (female, male, free-school-meals yes).
cohorts = st.lists(st.tuples(triple(), triple(), triple()), min_size=4, max_size=4)


def small_counts_in(text: str) -> list[str]:
    """People counts in the text of a CSV cell or table cell: a bare whole number, or "N starters"."""
    found = []
    if re.fullmatch(r"\d+", text.strip()):
        found.append(text.strip())
    found += re.findall(r"(?<![\d.])(\d+) starters", text)
    found += re.findall(r"\((\d+) staff\)", text)
    return [n for n in found if 1 <= int(n) < LIMIT]


def csv_cells(response) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(response.content.decode())) for cell in row]


def html_cells(response) -> list[str]:
    return re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", response.content.decode(), re.S)


@pytest.fixture
def years(year):
    return previous_year(year), year


def load(years, department, other_department, third_department, rows):
    departments = [department, other_department, third_department]
    for index, (female, male, fsm) in enumerate(rows[:3]):
        for year in years:
            no = tuple(f + m - s for f, m, s in zip(female, male, fsm, strict=True))
            if any(n < 0 for n in no) or no[1] > no[0] or no[2] > no[1]:
                no = tuple(f + m for f, m in zip(female, male, strict=True))
                fsm = (0, 0, 0)
            extra = {"free_school_meals__yes": fsm, "free_school_meals__no": no} if sum(fsm) else {}
            cohort(year, departments[index], female, male, course=f"C{index}", **extra)
    female, male, _ = rows[3]
    survey(years[1], department, SurveyResult.Kind.STUDENT, "Recommend", female[0], female[2])
    survey(years[1], other_department, SurveyResult.Kind.STUDENT, "Recommend", male[0], male[2])
    survey(years[1], None, SurveyResult.Kind.STUDENT, "Recommend", female[0] + male[0] + 7, female[2])


@pytest.fixture
def third_department(college):
    from tests.factories.people import DepartmentFactory

    return DepartmentFactory(institution=college, name="Sciences")


@DB_EXAMPLES
@given(rows=cohorts)
def test_no_page_or_export_shows_a_small_count(
    client_for, programme_lead, college, years, department, other_department, third_department, rows
):
    client = client_for(programme_lead)
    try:
        with transaction.atomic():
            load(years, department, other_department, third_department, rows)
            responses = {
                "outcomes page": client.get("/impact/outcomes/"),
                "surveys page": client.get("/impact/surveys/"),
                "department page": client.get(f"/impact/outcomes/?department={other_department.pk}"),
            }
            exports = {
                name: client.get(path)
                for name, path in {
                    "outcomes csv": "/impact/outcomes/?format=csv&table=outcomes",
                    "gaps csv": "/impact/outcomes/?format=csv&table=gaps",
                    "survey csv": "/impact/surveys/?format=csv&table=survey-student",
                }.items()
            }
            report = ImpactReport.objects.create(institution=college, term=years[1].terms.get(number=1))
            report_text = render_report_html(programme_lead.user, report)
            raise Rollback
    except Rollback:
        pass
    problems = []
    for name, response in responses.items():
        assert response.status_code == 200, name
        problems += [(name, cell) for cell in html_cells(response) if small_counts_in(cell)]
    for name, response in exports.items():
        assert response.status_code == 200, name
        problems += [(name, cell) for cell in csv_cells(response) if small_counts_in(cell)]
    problems += [
        ("report", cell)
        for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", report_text, re.S)
        if small_counts_in(cell)
    ]
    assert problems == []


@DB_EXAMPLES
@given(rows=cohorts)
def test_no_hidden_count_can_be_worked_out(
    programme_lead, college, years, department, other_department, third_department, rows
):
    try:
        with transaction.atomic():
            load(years, department, other_department, third_department, rows)
            data = outcome_figures(programme_lead.user, college, list(years))
            raise Rollback
    except Rollback:
        pass
    cells = data["cells"]
    for year in years:
        units = [key[0] for key in cells if key[1] == year.pk and key[0] != INSTITUTION]
        # Departments within the institution's shown cohort: never exactly one hidden.
        hidden = [u for u in units if cells[(u, year.pk)]["starters"].suppressed]
        whole = cells.get((INSTITUTION, year.pk))
        if whole is not None and not whole["starters"].suppressed:
            assert len(hidden) != 1
        for unit in [*units, INSTITUTION]:
            entry = cells.get((unit, year.pk))
            if entry is None:
                continue
            for group in entry["groups"].values():
                figures_shown = [starters for _, starters, _ in group["rows"]]
                if not entry["starters"].suppressed:
                    # Within a shown cohort, one hidden group would be the cohort minus the others.
                    assert sum(1 for f in figures_shown if f.suppressed) != 1
                # A gap is shown only when both of its rates are.
                if not group["gap"].suppressed:
                    assert all(not rate.suppressed for _, _, rate in group["rows"])
                movement = group.get("movement")
                if movement is not None and not movement.suppressed:
                    assert not group["gap"].suppressed
        # Each group across the departments: never exactly one department's cell hidden.
        for group_type, value in {
            (t, v) for u in units for t, g in cells[(u, year.pk)]["groups"].items() for v, _, _ in g["rows"]
        }:
            hidden_cells = [
                u
                for u in units
                if group_type in cells[(u, year.pk)]["groups"]
                and any(
                    v == value and starters.suppressed
                    for v, starters, _ in cells[(u, year.pk)]["groups"][group_type]["rows"]
                )
            ]
            present = [
                u
                for u in units
                if group_type in cells[(u, year.pk)]["groups"]
                and any(v == value for v, _, _ in cells[(u, year.pk)]["groups"][group_type]["rows"])
            ]
            institution_cell = next(
                starters for v, starters, _ in whole["groups"][group_type]["rows"] if v == value
            )
            if len(present) > 1 and not institution_cell.suppressed:
                assert len(hidden_cells) != 1, (group_type, value)
