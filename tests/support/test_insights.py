"""Aggregates of one-to-one support (DESIGN.md section 2, "aggregates"): no figure about 1 to 4 people can
be read or worked out; and the subject access export shows a teacher what they may see, and is logged."""

import datetime as dt

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from protutor.core import aggregates
from protutor.core.aggregates import Figure, Rate
from protutor.people.roles import actor_for
from protutor.support.insights import support_overview
from protutor.support.models import Route, SupportCase
from tests.factories.people import StaffMemberFactory, current_year_bounds
from tests.factories.support import SupportCaseFactory

pytestmark = pytest.mark.django_db

LIMIT = 5
DB_EXAMPLES = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def shown_badly(figure: Figure) -> bool:
    """A figure that shows a count of 1 to 4, or says "fewer than" while holding a value."""
    if figure.value is None:
        return str(figure) not in {f"fewer than {LIMIT}", "withheld"}
    return 0 < figure.value < LIMIT or str(figure) != str(figure.value)


# breakdown


cells = st.dictionaries(
    keys=st.integers(min_value=1, max_value=50),
    values=st.integers(min_value=0, max_value=30),
    min_size=1,
    max_size=8,
)


@settings(max_examples=200)
@given(counts=cells)
def test_breakdown_no_small_cell_shown_or_worked_out(counts):
    with override_settings(PROTUTOR_SUPPRESSION_THRESHOLD=LIMIT):
        figures = aggregates.breakdown(counts)
    assert set(figures) == set(counts)
    assert [key for key, figure in figures.items() if shown_badly(figure)] == []
    # A shown cell shows its true count; every small cell is hidden.
    assert {k: f.value for k, f in figures.items() if not f.suppressed} == {
        k: n for k, n in counts.items() if k in figures and not figures[k].suppressed
    }
    assert {k for k, n in counts.items() if 0 < n < LIMIT} <= {k for k, f in figures.items() if f.suppressed}
    # Total minus the shown cells is never a single hidden cell, and the hidden cells together are at
    # least twice the threshold, unless nothing else was left to withhold.
    hidden = [k for k, f in figures.items() if f.suppressed]
    assert all(counts[k] > 0 for k in hidden)
    others_nonzero = [k for k, n in counts.items() if n > 0 and k not in hidden]
    if hidden and others_nonzero:
        assert len(hidden) >= 2
        assert sum(counts[k] for k in hidden) >= 2 * LIMIT
    # Only small cells say "fewer than"; a cell withheld to protect them may be large and says so.
    for key, figure in figures.items():
        if figure.suppressed:
            assert str(figure) == ("withheld" if counts[key] >= LIMIT else f"fewer than {LIMIT}")


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ({"a": 3, "b": 10, "c": 7}, {"a": None, "b": 10, "c": None}),
        ({"a": 3, "b": 0}, {"a": None, "b": 0}),
        ({"a": 3, "b": 4, "c": 9}, {"a": None, "b": None, "c": None}),
        ({"a": 3, "b": 4, "c": 9, "d": 20}, {"a": None, "b": None, "c": None, "d": 20}),
        ({"a": 0, "b": 5}, {"a": 0, "b": 5}),
        ({"a": 2, "b": 6, "c": 6}, {"a": None, "b": None, "c": None}),
        ({"a": 4, "b": 9, "c": 6}, {"a": None, "b": 9, "c": None}),
    ],
)
def test_breakdown_examples(counts, expected):
    with override_settings(PROTUTOR_SUPPRESSION_THRESHOLD=LIMIT):
        assert {key: figure.value for key, figure in aggregates.breakdown(counts).items()} == expected


def test_breakdown_labels_small_and_withheld_cells():
    with override_settings(PROTUTOR_SUPPRESSION_THRESHOLD=LIMIT):
        figures = aggregates.breakdown({"a": 3, "b": 10, "c": 30})
    assert {key: str(figure) for key, figure in figures.items()} == {
        "a": "fewer than 5",
        "b": "withheld",
        "c": "30",
    }


# support_overview


class Rollback(Exception):
    """Raised at the end of each example so its rows go with the savepoint."""


def autumn_bounds() -> tuple[dt.date, dt.date]:
    start, _ = current_year_bounds()
    return start, dt.date(start.year, 12, 19)


def opened_on(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))


case_rows = st.lists(
    st.tuples(
        st.sampled_from(["maths", "art"]),
        st.sampled_from(list(Route)),
        st.sampled_from(list(SupportCase.Formality)),
        st.sampled_from(list(SupportCase.Span)),
        st.dates(min_value=autumn_bounds()[0], max_value=autumn_bounds()[1]),
    ),
    max_size=12,
)


def figures_of(table) -> list[tuple[str, Figure]]:
    found = [("total", table["total"])]
    found += [(f"department {department}", figure) for department, figure in table["departments"]]
    for dimension in table["dimensions"]:
        found += [(f"{dimension['name']} {label}", figure) for label, figure in dimension["cells"]]
    return found


@pytest.fixture
def staff_by_department(teacher, college, other_department):
    artist = StaffMemberFactory(institution=college, department=other_department, forename="Arti")
    return {"maths": teacher, "art": artist}


@DB_EXAMPLES
@given(rows=case_rows)
def test_support_overview_no_small_number_shown(
    programme_lead, staff_by_department, tutor, other_tutor, rows
):
    try:
        with transaction.atomic():
            for department, route, formality, span, day in rows:
                SupportCaseFactory(
                    teacher=staff_by_department[department],
                    route=route,
                    formality=formality,
                    span=span,
                    opened_at=opened_on(day),
                )
            overview = support_overview(programme_lead.user, actor_for(programme_lead.user))
            raise Rollback
    except Rollback:
        pass

    assert [term["term"].name for term in overview["terms"]] == ["autumn", "spring", "summer"]
    autumn = overview["terms"][0]
    for table in overview["terms"]:
        assert [(name, str(figure)) for name, figure in figures_of(table) if shown_badly(figure)] == []
    total = len(rows)
    assert autumn["total"].value == (None if 0 < total < LIMIT else total)
    assert [t["total"].value for t in overview["terms"][1:]] == [0, 0]

    share: Rate = autumn["self_referral_share"]
    if 0 < total < LIMIT:
        assert (share.suppressed, str(share)) == (True, f"fewer than {LIMIT} people")
    # The share tells nothing the route table hides: shown only when the self-referral count is shown.
    route_cells = dict(next(d["cells"] for d in autumn["dimensions"] if d["name"] == "route"))
    self_cell = route_cells[Route.SELF.label]
    if not share.suppressed and total:
        assert (self_cell.suppressed, share.numerator) == (False, self_cell.value)
    if not self_cell.suppressed:
        assert self_cell.value == sum(1 for row in rows if row[1] == Route.SELF)


def test_support_overview_self_referral_share_hidden_with_small_self_count(programme_lead, teacher, tutor):
    day = autumn_bounds()[0]
    for route in [Route.SELF, Route.SELF, *[Route.TUTOR] * 8]:
        SupportCaseFactory(teacher=teacher, route=route, opened_at=opened_on(day))
    autumn = support_overview(programme_lead.user, actor_for(programme_lead.user))["terms"][0]
    route_cells = dict(next(d["cells"] for d in autumn["dimensions"] if d["name"] == "route"))
    assert (
        str(autumn["total"]),
        str(route_cells[Route.SELF.label]),
        str(route_cells[Route.TUTOR.label]),
    ) == (
        "10",
        "fewer than 5",
        "withheld",
    )
    assert str(autumn["self_referral_share"]) == "fewer than 5 people"


def test_support_overview_self_referral_share_shown_with_enough_cases(programme_lead, teacher, tutor):
    day = autumn_bounds()[0]
    for route in [*[Route.SELF] * 6, *[Route.TUTOR] * 6]:
        SupportCaseFactory(teacher=teacher, route=route, opened_at=opened_on(day))
    autumn = support_overview(programme_lead.user, actor_for(programme_lead.user))["terms"][0]
    assert (str(autumn["total"]), str(autumn["self_referral_share"])) == ("12", "50%")


def test_support_overview_hod_counts_own_department_only(hod, teacher, college, other_department, tutor):
    artist = StaffMemberFactory(institution=college, department=other_department)
    day = autumn_bounds()[0]
    for staff in [teacher] * 5 + [artist] * 7:
        SupportCaseFactory(teacher=staff, opened_at=opened_on(day))
    autumn = support_overview(hod.user, actor_for(hod.user))["terms"][0]
    assert (str(autumn["total"]), [(d, str(f)) for d, f in autumn["departments"]]) == (
        "5",
        [("Mathematics", "5")],
    )


def test_support_overview_case_between_terms_not_counted(programme_lead, teacher, tutor):
    start, _ = current_year_bounds()
    for _ in range(5):
        SupportCaseFactory(teacher=teacher, opened_at=opened_on(dt.date(start.year, 12, 25)))
    SupportCaseFactory(teacher=teacher, opened_at=opened_on(start))
    terms = support_overview(programme_lead.user, actor_for(programme_lead.user))["terms"]
    assert [str(term["total"]) for term in terms] == ["fewer than 5", "0", "0"]


def test_support_overview_without_current_year_shows_nothing(outsider):
    assert support_overview(outsider.user, actor_for(outsider.user)) == {"year": None}
