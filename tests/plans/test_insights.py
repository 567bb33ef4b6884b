"""Plans in numbers for the programme lead (issue 9): opened, closed, closed as met and median length by
term, and plans open now, against hand-computed values; and, with hypothesis, that no figure about 1 to 4
plans is ever shown (DESIGN.md section 2, "aggregates").

The service always starts a plan today, so these rows are bare SupportPlanFactory rows on chosen dates.
"""

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from protutor.plans.insights import plans_overview
from protutor.plans.models import SupportPlan
from tests.factories.people import StaffMemberFactory, current_year_bounds
from tests.factories.plans import SupportPlanFactory

pytestmark = pytest.mark.django_db

LIMIT = 5
OPEN, MET, FORMAL = SupportPlan.Status.OPEN, SupportPlan.Status.CLOSED_MET, SupportPlan.Status.FORMAL


class Rollback(Exception):
    """Raised at the end of each example so its rows go with the savepoint."""


def on(year, month: int, day: int) -> dt.date:
    """A day of `year` (the academic year): September to December fall in its first calendar year."""
    return dt.date(year.starts_on.year + (0 if month >= 9 else 1), month, day)


def make(teacher, starts_on, status=OPEN, closed_on=None) -> SupportPlan:
    return SupportPlanFactory(teacher=teacher, starts_on=starts_on, status=status, closed_on=closed_on)


def shown(overview) -> dict:
    return {
        "rows": [
            (
                str(row["term"].name),
                str(row["opened"]),
                str(row["closed"]),
                str(row["met"]),
                row["median_days"],
            )
            for row in overview["rows"]
        ],
        "open_now": str(overview["open_now"]),
        "open_weeks": overview["open_weeks"],
    }


@pytest.fixture
def far_teacher(outsider):
    manager = StaffMemberFactory(institution=outsider.institution, department=None)
    return StaffMemberFactory(institution=outsider.institution, department=None, line_manager=manager)


def test_plans_overview_hand_computed_by_term(college, year, teacher, far_teacher):
    autumn_start = on(year, 9, 1)
    # Autumn: five opened on 1 September and closed 10, 20, 30, 40 and 50 days later (three met, two
    # moved to the formal procedure), and two opened in November still open: opened 7, closed 5, met
    # 3 of 5 = 60%, median 30 days.
    for days, status in [(10, MET), (20, FORMAL), (30, MET), (40, FORMAL), (50, MET)]:
        make(teacher, autumn_start, status, autumn_start + dt.timedelta(days=days))
    make(teacher, on(year, 11, 2))
    make(teacher, on(year, 11, 3))
    # Spring, on its first and last days: one closed as met on the last day (85 days), one still open.
    make(teacher, on(year, 1, 5), MET, on(year, 3, 31))
    make(teacher, on(year, 3, 31))
    # Opened in the Christmas holiday: in no term, but open now.
    make(teacher, on(year, 12, 25))
    # Another school's plans are not counted.
    for _ in range(5):
        make(far_teacher, autumn_start, MET, autumn_start + dt.timedelta(days=1))

    overview = plans_overview([college.pk], year)

    assert shown(overview) == {
        "rows": [
            ("autumn", "7", "5", "60%", 30),
            ("spring", "fewer than 5", "fewer than 5", "fewer than 5 people", None),
            ("summer", "0", "0", "none yet", None),
        ],
        "open_now": "fewer than 5",
        "open_weeks": None,
    }
    autumn = overview["rows"][0]
    assert (
        autumn["opened"].value,
        autumn["closed"].value,
        autumn["met"].numerator,
        autumn["met"].denominator,
    ) == (
        7,
        5,
        3,
        5,
    )


def test_plans_overview_median_days_needs_five_closed(college, year, teacher):
    start = on(year, 9, 1)
    for days in (10, 20, 30, 40):
        make(teacher, start, MET, start + dt.timedelta(days=days))
    make(teacher, start)
    autumn = plans_overview([college.pk], year)["rows"][0]
    assert (str(autumn["opened"]), str(autumn["closed"]), str(autumn["met"]), autumn["median_days"]) == (
        "5",
        "fewer than 5",
        "fewer than 5 people",
        None,
    )


def test_plans_overview_median_days_even_count_rounded(college, year, teacher):
    start = on(year, 9, 1)
    for days in (10, 20, 30, 41, 50, 60):
        make(teacher, start, FORMAL, start + dt.timedelta(days=days))
    autumn = plans_overview([college.pk], year)["rows"][0]
    # median of 10, 20, 30, 41, 50, 60 is 35.5, rounded half to even: 36; none met of 6: 0%
    assert (str(autumn["closed"]), str(autumn["met"]), autumn["median_days"]) == ("6", "0%", 36)


def test_plans_overview_open_now_and_median_weeks(college, year, teacher):
    today = timezone.localdate()
    for weeks in (1, 2, 3, 4, 10):
        make(teacher, today - dt.timedelta(weeks=weeks))
    # Closed plans are not open now, whenever they started.
    make(teacher, today - dt.timedelta(weeks=5), MET, today)
    overview = plans_overview([college.pk], year)
    # open for 7, 14, 21, 28 and 70 days: median 21 days, 3 weeks
    assert (str(overview["open_now"]), overview["open_weeks"]) == ("5", 3)


def test_plans_overview_open_now_four_suppressed(college, year, teacher):
    today = timezone.localdate()
    for weeks in (1, 2, 3, 4):
        make(teacher, today - dt.timedelta(weeks=weeks))
    overview = plans_overview([college.pk], year)
    assert (str(overview["open_now"]), overview["open_now"].value, overview["open_weeks"]) == (
        "fewer than 5",
        None,
        None,
    )


def test_plans_overview_no_plans_all_zero(college, year):
    assert shown(plans_overview([college.pk], year)) == {
        "rows": [
            ("autumn", "0", "0", "none yet", None),
            ("spring", "0", "0", "none yet", None),
            ("summer", "0", "0", "none yet", None),
        ],
        "open_now": "0",
        "open_weeks": None,
    }


# Hypothesis: whatever the plans, no figure about 1 to 4 plans is shown

YEAR_START, YEAR_END = current_year_bounds()
plan_rows = st.lists(
    st.tuples(
        st.dates(min_value=YEAR_START, max_value=YEAR_END),
        st.sampled_from([OPEN, MET, FORMAL]),
        st.integers(min_value=0, max_value=150),
    ),
    max_size=14,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=plan_rows)
def test_plans_overview_never_shows_one_to_four(college, year, teacher, rows):
    event("plans: none" if not rows else "plans: 1-4" if len(rows) < LIMIT else "plans: 5 or more")
    plans = [
        (start, status, start + dt.timedelta(days=days) if status != OPEN else None)
        for start, status, days in rows
    ]
    try:
        with transaction.atomic():
            for start, status, closed_on in plans:
                make(teacher, start, status, closed_on)
            overview = plans_overview([college.pk], year)
            raise Rollback
    except Rollback:
        pass

    assert SupportPlan.objects.count() == 0
    counts = [row[key] for row in overview["rows"] for key in ("opened", "closed")] + [overview["open_now"]]
    assert [str(f) for f in counts if f.value is not None and 0 < f.value < LIMIT] == []
    assert [str(f) for f in counts if f.value is None and str(f) != f"fewer than {LIMIT}"] == []
    rates = [row["met"] for row in overview["rows"]]
    assert [str(r) for r in rates if r.denominator is not None and 0 < r.denominator < LIMIT] == []
    # Each figure against a count by hand.
    for row in overview["rows"]:
        term = row["term"]
        opened = [p for p in plans if term.starts_on <= p[0] <= term.ends_on]
        closed = [p for p in plans if p[2] is not None and term.starts_on <= p[2] <= term.ends_on]
        met = [p for p in closed if p[1] == MET]
        assert row["opened"].value == (None if 0 < len(opened) < LIMIT else len(opened))
        assert row["closed"].value == (None if 0 < len(closed) < LIMIT else len(closed))
        assert (row["met"].numerator, row["met"].denominator) == (
            (None, None) if 0 < len(closed) < LIMIT else (len(met), len(closed))
        )
        assert (row["median_days"] is None) == (len(closed) < LIMIT)
    open_now = sum(1 for p in plans if p[1] == OPEN)
    assert overview["open_now"].value == (None if 0 < open_now < LIMIT else open_now)
    assert (overview["open_weeks"] is None) == (open_now < LIMIT)
