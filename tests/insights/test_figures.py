"""Each impact figure against values worked out by hand on a small fixture (docs/adr/0011)."""

import pytest

from protutor.core.aggregates import Rate
from protutor.insights import figures
from protutor.insights.dashboard import View, programme_tables
from protutor.insights.models import SurveyResult
from protutor.insights.outcomes import INSTITUTION, outcome_figures, outcome_tables
from protutor.insights.surveys import survey_tables
from tests.factories.cpd import deliver, plan, started
from tests.factories.insights import cohort, previous_year, survey
from tests.factories.people import StaffMemberFactory


@pytest.fixture
def outcomes(year, department, other_department):
    """Mathematics: last year female 12 of 18 completers achieved (66.7%), male 24 of 27 (88.9%); this year
    female 17 of 20 (85%), male 27 of 30 (90%). Art: 80% each last year, 75% each this year."""
    last = previous_year(year)
    cohort(last, department, female=(20, 18, 12), male=(30, 27, 24))
    cohort(year, department, female=(20, 20, 17), male=(30, 30, 27))
    cohort(last, other_department, female=(10, 10, 8), male=(10, 10, 8), course="A1")
    cohort(year, other_department, female=(8, 8, 6), male=(12, 12, 9), course="A1")
    return last, year


@pytest.fixture
def small_group(year, department, other_department):
    """As above, except that this year only 3 women start in Art."""
    last = previous_year(year)
    cohort(last, department, female=(20, 18, 12), male=(30, 27, 24))
    cohort(year, department, female=(20, 20, 17), male=(30, 30, 27))
    cohort(last, other_department, female=(10, 10, 8), male=(10, 10, 8), course="A1")
    cohort(year, other_department, female=(3, 3, 3), male=(12, 12, 9), course="A1")
    return last, year


def test_rates_of_the_whole_cohort(programme_lead, college, department, outcomes):
    last, year = outcomes
    cells = outcome_figures(programme_lead.user, college, [last, year])["cells"]
    maths = cells[(department.pk, last.pk)]
    assert str(maths["starters"]) == "50"
    assert maths["retention"].percent == 90.0  # 45 of 50
    assert maths["achievement"].percent == 80.0  # 36 of 45
    assert maths["success"].percent == 72.0  # 36 of 50


def test_gender_gap_and_its_movement(programme_lead, college, department, outcomes):
    last, year = outcomes
    cells = outcome_figures(programme_lead.user, college, [last, year])["cells"]
    before = cells[(department.pk, last.pk)]["groups"]["gender"]
    now = cells[(department.pk, year.pk)]["groups"]["gender"]
    assert [value for value, _, _ in now["rows"]] == ["female", "male"]
    assert before["gap"].points == -22.2  # 66.7 - 88.9
    assert now["gap"].points == -5.0  # 85.0 - 90.0
    assert now["movement"].points == 17.2  # -5.0 - (-22.2): narrowed


def test_head_of_department_sees_only_their_department(hod, college, department, other_department, outcomes):
    last, year = outcomes
    data = outcome_figures(hod.user, college, [last, year], department_ids=[department.pk])
    assert {key[0] for key in data["cells"]} == {department.pk}
    other = outcome_figures(hod.user, college, [last, year], department_ids=[other_department.pk])
    assert other["cells"] == {}


def test_institution_gap_adds_up_the_departments(programme_lead, college, outcomes):
    last, year = outcomes
    cells = outcome_figures(programme_lead.user, college, [last, year])["cells"]
    whole = cells[(INSTITUTION, year.pk)]
    assert str(whole["starters"]) == "70"
    # Female 23 of 28 = 82.1%, male 36 of 42 = 85.7%; last year 20 of 28 = 71.4% and 32 of 37 = 86.5%.
    assert whole["groups"]["gender"]["gap"].points == -3.6
    assert cells[(INSTITUTION, last.pk)]["groups"]["gender"]["gap"].points == -15.1
    assert whole["groups"]["gender"]["movement"].points == 11.5


def test_small_group_hides_its_gap_and_movement(programme_lead, college, other_department, small_group):
    last, year = small_group
    cells = outcome_figures(programme_lead.user, college, [last, year])["cells"]
    art = cells[(other_department.pk, year.pk)]["groups"]["gender"]
    assert [str(starters) for _, starters, _ in art["rows"]] == ["fewer than 5", "withheld"]
    assert art["gap"].suppressed
    assert art["movement"].suppressed
    assert str(art["gap"]) == "not shown"


def test_small_group_in_one_department_hides_the_same_group_elsewhere(
    programme_lead, college, department, small_group
):
    """Art's 3 women could otherwise be worked out as the institution's 23 minus Mathematics' 20; and then
    Mathematics' 20 women as its 50 starters minus 30 men, so the men are withheld too."""
    last, year = small_group
    cells = outcome_figures(programme_lead.user, college, [last, year])["cells"]
    maths = cells[(department.pk, year.pk)]["groups"]["gender"]["rows"]
    assert [str(starters) for _, starters, _ in maths] == ["withheld", "withheld"]
    assert str(cells[(department.pk, year.pk)]["starters"]) == "50"


def test_gaps_table_reads_as_the_page_shows_it(programme_lead, college, department, outcomes):
    last, year = outcomes
    tables = outcome_tables(programme_lead.user, college, [last, year])
    gaps = next(t for t in tables if t.key == "gaps")
    maths_rows = [row for row in gaps.csv_rows() if row[0] == "Mathematics" and row[2] == "Female minus male"]
    assert [(row[1], row[4], row[5]) for row in maths_rows] == [
        (last.name, "−22.2 points", "first year"),
        (year.name, "−5 points", "+17.2 points: narrowed"),
    ]


def test_difference_is_hidden_when_either_side_is():
    shown, hidden = Rate(3, 10, 5), Rate(None, None, 5)
    assert figures.difference(shown, Rate(1, 10, 5)).points == 20.0
    assert figures.difference(shown, hidden).suppressed
    assert figures.difference(hidden, shown).suppressed
    assert figures.difference(figures.difference(shown, hidden), figures.Difference(1.0, 5)).suppressed


def test_survey_share_and_change(programme_lead, college, year, department):
    last = previous_year(year)
    survey(last, None, SurveyResult.Kind.STUDENT, "Recommend", 200, 140)
    survey(year, None, SurveyResult.Kind.STUDENT, "Recommend", 200, 156)
    tables = survey_tables(programme_lead.user, college, [last, year])
    student = next(t for t in tables if t.key == "survey-student")
    assert student.csv_rows()[1:] == [
        ["Recommend", "Whole institution", last.name, "200", "70%", "first year"],
        ["Recommend", "Whole institution", year.name, "200", "78%", "+8 points"],
    ]


def test_cpd_sessions_hours_and_reach(programme_lead, tutor, college, year, department):
    staff = [StaffMemberFactory(institution=college, department=department) for _ in range(8)]
    term = year.terms.get(number=1)
    for _ in range(2):
        session = plan(tutor, department, starts_at=started(year), length_minutes=60)
        deliver(session, tutor, staff[:6])
    view = View(college, department, whole_institution=False)
    tables = programme_tables(programme_lead.user, view, [(year, list(year.terms.all()))], term=term)
    cpd = next(t for t in tables if t.key == "cpd").csv_rows()
    # Two sessions against a target of 2; 6 of the department's 8 staff came (75%); 6 people x 2 hours
    # over 8 staff = 1.5 hours each.
    assert cpd[1][1:] == ["2", "2", "1 of 1", "75%", "1.5"]


def test_chart_draws_a_hidden_value_as_a_labelled_gap_not_a_zero_bar():
    from django.template.loader import render_to_string

    from protutor.insights.charts import bar_chart

    chart = bar_chart(
        "c", "Gap by year", [("2025/26", -22.2, "−22.2 points"), ("2026/27", None, "not shown")]
    )
    svg = render_to_string("insights/_chart.html", {"chart": chart})
    assert svg.count("<rect") == 1
    assert ">not shown</text>" in svg
    assert 'role="img"' in svg and 'aria-labelledby="c-title"' in svg and "style=" not in svg
    negative = chart.bars[0]
    assert (negative.y, negative.negative) == (chart.zero_y, True)
