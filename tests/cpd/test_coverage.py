"""Coverage (issue 6): each department should have its target number of sessions each term. The rule
`status_for` is checked against a hand-computed table; `board` against sessions planned, delivered and
cancelled in a past academic year, so that every date is fixed relative to the year and sessions can be
delivered whatever today is."""

import datetime as dt

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from protutor.core.errors import ServiceError
from protutor.cpd import services
from protutor.cpd.coverage import board, status_for
from protutor.cpd.models import CpdPolicy, Session
from tests.factories.cpd import at, deliver, plan
from tests.factories.people import AcademicYearFactory, StaffMemberFactory

AUTUMN_STARTS, AUTUMN_ENDS = dt.date(2026, 9, 1), dt.date(2026, 12, 19)
BEFORE, DURING, AFTER = dt.date(2026, 8, 20), dt.date(2026, 11, 25), dt.date(2026, 12, 20)


# status_for: the rule, by hand


@pytest.mark.parametrize(
    ("today", "planned", "delivered", "target", "key", "text"),
    [
        # Term not started: planned is all that counts.
        (BEFORE, 0, 0, 2, "upcoming", "Term not started: 0 of 2 planned"),
        (BEFORE, 1, 0, 2, "upcoming", "Term not started: 1 of 2 planned"),
        (BEFORE, 2, 0, 2, "on_track", "On track: 2 planned"),
        (BEFORE, 3, 0, 2, "on_track", "On track: 3 planned"),
        # In term, 2026-11-25 to 2026-12-19 is 24 days: ceil(24 / 7) = 4 weeks left.
        (DURING, 0, 0, 2, "behind", "Behind: 2 more sessions needed, 4 weeks left in term"),
        (DURING, 1, 0, 2, "behind", "Behind: 1 more session needed, 4 weeks left in term"),
        (DURING, 0, 1, 2, "behind", "Behind: 1 more session needed, 4 weeks left in term"),
        (DURING, 2, 0, 2, "on_track", "On track: 0 delivered, 2 planned, 4 weeks left in term"),
        (DURING, 1, 1, 2, "on_track", "On track: 1 delivered, 1 planned, 4 weeks left in term"),
        # Delivered reaches the target: met, in term or after it, whatever else is planned.
        (DURING, 0, 2, 2, "met", "Target met: 2 delivered"),
        (DURING, 1, 3, 2, "met", "Target met: 3 delivered"),
        (AFTER, 0, 2, 2, "met", "Target met: 2 delivered"),
        (BEFORE, 0, 0, 0, "met", "Target met: 0 delivered"),
        # Term over short of the target: missed, planned sessions that never ran do not help.
        (AFTER, 1, 1, 2, "missed", "Missed: 1 of 2 delivered"),
        (AFTER, 2, 0, 2, "missed", "Missed: 0 of 2 delivered"),
        # A target of 3 (a CpdPolicy of 3 sessions a term).
        (DURING, 0, 2, 3, "behind", "Behind: 1 more session needed, 4 weeks left in term"),
        (DURING, 1, 2, 3, "on_track", "On track: 2 delivered, 1 planned, 4 weeks left in term"),
        (DURING, 0, 3, 3, "met", "Target met: 3 delivered"),
        (AFTER, 0, 2, 3, "missed", "Missed: 2 of 3 delivered"),
        (BEFORE, 2, 0, 3, "upcoming", "Term not started: 2 of 3 planned"),
    ],
)
def test_status_for_hand_computed(today, planned, delivered, target, key, text):
    status = status_for(
        term_starts=AUTUMN_STARTS,
        term_ends=AUTUMN_ENDS,
        planned=planned,
        delivered=delivered,
        target=target,
        today=today,
    )
    assert (status.key, status.text) == (key, text)


@pytest.mark.parametrize(
    ("today", "weeks"),
    [
        (AUTUMN_STARTS, "16 weeks"),  # first day in term: 109 days, ceil(15.6)
        (dt.date(2026, 12, 4), "3 weeks"),  # 15 days, ceil(2.1)
        (dt.date(2026, 12, 5), "2 weeks"),  # 14 days
        (dt.date(2026, 12, 11), "2 weeks"),  # 8 days, ceil(1.1)
        (dt.date(2026, 12, 12), "1 week"),  # 7 days
        (dt.date(2026, 12, 18), "1 week"),  # 1 day
        (AUTUMN_ENDS, "0 weeks"),  # the last day is still in term
    ],
)
def test_status_for_weeks_left_wording(today, weeks):
    status = status_for(
        term_starts=AUTUMN_STARTS, term_ends=AUTUMN_ENDS, planned=1, delivered=0, target=2, today=today
    )
    assert (status.key, status.text) == ("behind", f"Behind: 1 more session needed, {weeks} left in term")


@given(
    planned=st.integers(0, 6),
    delivered=st.integers(0, 6),
    target=st.integers(0, 6),
    term_starts=st.dates(dt.date(2020, 1, 1), dt.date(2035, 12, 31)),
    term_days=st.integers(1, 120),
    today_offset=st.integers(-60, 180),
)
def test_status_for_always_a_known_key_and_met_iff_target_delivered(
    planned, delivered, target, term_starts, term_days, today_offset
):
    term_ends = term_starts + dt.timedelta(days=term_days)
    status = status_for(
        term_starts=term_starts,
        term_ends=term_ends,
        planned=planned,
        delivered=delivered,
        target=target,
        today=term_starts + dt.timedelta(days=today_offset),
    )
    assert status.key in {"met", "on_track", "behind", "missed", "upcoming"}
    assert (status.key == "met") == (delivered >= target)
    assert "-" not in status.text  # never a negative count of sessions or weeks


# Placing sessions in terms


def test_save_session_last_day_of_term_counts_in_that_term(tutor, department, year):
    autumn, spring = year.terms.get(number=1), year.terms.get(number=2)
    last = plan(tutor, department, starts_at=at(autumn.ends_on, 17, 30))
    first = plan(tutor, department, starts_at=at(spring.starts_on, 8, 0))
    assert (last.term, first.term) == (autumn, spring)


def test_save_session_term_found_from_london_date_not_utc(tutor, department, year):
    summer = year.terms.get(number=3)
    # 00:30 BST on the first day of summer term is 23:30 UTC the day before, in the Easter holiday.
    session = plan(tutor, department, starts_at=at(summer.starts_on, 0, 30))
    assert (session.starts_at.astimezone(dt.UTC).date(), session.term) == (
        summer.starts_on - dt.timedelta(days=1),
        summer,
    )


@pytest.mark.parametrize("holiday", ["christmas", "easter", "before_year", "after_year"])
def test_save_session_outside_every_term_refused_on_starts_at(tutor, department, year, holiday):
    autumn, spring, summer = year.terms.order_by("number")
    day = {
        "christmas": autumn.ends_on + dt.timedelta(days=1),
        "easter": spring.ends_on + dt.timedelta(days=1),
        "before_year": autumn.starts_on - dt.timedelta(days=1),
        "after_year": summer.ends_on + dt.timedelta(days=1),
    }[holiday]
    with pytest.raises(ServiceError) as raised:
        plan(tutor, department, starts_at=at(day))
    assert (raised.value.field, raised.value.message) == (
        "starts_at",
        "Choose a date inside a term of the academic year",
    )
    assert Session.objects.count() == 0


def test_session_create_outside_every_term_shows_error_on_starts_at(client_for, tutor, department, year):
    christmas = year.terms.get(number=1).ends_on + dt.timedelta(days=6)
    response = client_for(tutor).post(
        reverse("cpd:session-create"),
        {
            "department": department.pk,
            "title": "Questioning",
            "format": "meeting",
            "length_minutes": "30",
            "starts_at": f"{christmas.isoformat()}T16:00",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "starts_at": ["Choose a date inside a term of the academic year"]
    }
    assert Session.objects.count() == 0


# board: departments x terms, from the database


@pytest.fixture
def last_year(college, year):
    """The previous academic year, whose terms are all past, with the same three terms."""
    start = year.starts_on.year - 1
    return AcademicYearFactory(
        institution=college, starts_on=dt.date(start, 9, 1), ends_on=dt.date(start + 1, 8, 31)
    )


@pytest.fixture
def terms(last_year):
    return list(last_year.terms.order_by("number"))


@pytest.fixture
def artist(college, other_department):
    return StaffMemberFactory(
        institution=college, department=other_department, forename="Ari", surname="Artist"
    )


@pytest.fixture
def last_year_sessions(tutor, other_tutor, teacher, artist, department, other_department, last_year):
    """Mathematics: autumn 1 delivered and 1 planned on the last day of term; spring 1 planned on its first
    day; summer 1 cancelled. Art and Design: autumn 2 delivered and 1 cancelled; spring none; summer 2
    planned."""
    y = last_year.starts_on.year
    maths = [
        plan(tutor, department, starts_at=at(dt.date(y, 10, 6)), title="Maths autumn 1"),
        plan(tutor, department, starts_at=at(dt.date(y, 12, 19)), title="Maths autumn 2"),
        plan(tutor, department, starts_at=at(dt.date(y + 1, 1, 5), 9), title="Maths spring 1"),
        plan(tutor, department, starts_at=at(dt.date(y + 1, 6, 2)), title="Maths summer 1"),
    ]
    deliver(maths[0], tutor, [teacher])
    services.cancel_session(actor=tutor.user, session=maths[3])
    art = [
        plan(other_tutor, other_department, starts_at=at(dt.date(y, 9, 15)), title="Art autumn 1"),
        plan(other_tutor, other_department, starts_at=at(dt.date(y, 10, 13)), title="Art autumn 2"),
        plan(other_tutor, other_department, starts_at=at(dt.date(y, 11, 3)), title="Art autumn 3"),
        plan(other_tutor, other_department, starts_at=at(dt.date(y + 1, 5, 5)), title="Art summer 1"),
        plan(other_tutor, other_department, starts_at=at(dt.date(y + 1, 6, 9)), title="Art summer 2"),
    ]
    deliver(art[0], other_tutor, [artist])
    deliver(art[1], other_tutor, [artist])
    services.cancel_session(actor=other_tutor.user, session=art[2])
    return maths + art


def cells(rows) -> list[tuple]:
    return [
        (cell.department.name, cell.term.name, cell.planned, cell.delivered, cell.target, cell.status.key)
        for row in rows
        for cell in row
    ]


def test_board_in_autumn_cell_by_cell(department, other_department, terms, last_year_sessions):
    today = dt.date(terms[0].starts_on.year, 11, 25)
    rows = board([other_department, department], terms, today)
    assert cells(rows) == [
        ("Art and Design", "autumn", 0, 2, 2, "met"),
        ("Art and Design", "spring", 0, 0, 2, "upcoming"),
        ("Art and Design", "summer", 2, 0, 2, "on_track"),
        ("Mathematics", "autumn", 1, 1, 2, "on_track"),
        ("Mathematics", "spring", 1, 0, 2, "upcoming"),
        ("Mathematics", "summer", 0, 0, 2, "upcoming"),
    ]
    assert [cell.status.text for cell in rows[1]] == [
        "On track: 1 delivered, 1 planned, 4 weeks left in term",
        "Term not started: 1 of 2 planned",
        "Term not started: 0 of 2 planned",
    ]


def test_board_in_summer_cell_by_cell(department, other_department, terms, last_year_sessions):
    today = dt.date(terms[2].ends_on.year, 7, 1)
    rows = board([other_department, department], terms, today)
    assert cells(rows) == [
        ("Art and Design", "autumn", 0, 2, 2, "met"),
        ("Art and Design", "spring", 0, 0, 2, "missed"),
        ("Art and Design", "summer", 2, 0, 2, "on_track"),
        ("Mathematics", "autumn", 1, 1, 2, "missed"),
        ("Mathematics", "spring", 1, 0, 2, "missed"),
        ("Mathematics", "summer", 0, 0, 2, "behind"),
    ]
    # 1 July to 31 August is 61 days: ceil(8.7) = 9 weeks.
    assert [cells_row[2].status.text for cells_row in rows] == [
        "On track: 0 delivered, 2 planned, 9 weeks left in term",
        "Behind: 2 more sessions needed, 9 weeks left in term",
    ]


def test_board_target_from_cpd_policy(college, outsider, department, terms, last_year_sessions):
    CpdPolicy.objects.create(institution=college, sessions_per_term=3)
    CpdPolicy.objects.create(institution=outsider.institution, sessions_per_term=5)
    today = dt.date(terms[0].starts_on.year, 11, 25)
    [row] = board([department], terms, today)
    assert cells([row]) == [
        ("Mathematics", "autumn", 1, 1, 3, "behind"),
        ("Mathematics", "spring", 1, 0, 3, "upcoming"),
        ("Mathematics", "summer", 0, 0, 3, "upcoming"),
    ]
    assert row[0].status.text == "Behind: 1 more session needed, 4 weeks left in term"


def test_board_cancelling_turns_on_track_to_behind(tutor, department, terms):
    y = terms[0].starts_on.year
    first = plan(tutor, department, starts_at=at(dt.date(y, 11, 30)))
    plan(tutor, department, starts_at=at(dt.date(y, 12, 7)))
    today = dt.date(y, 11, 25)
    before = cells(board([department], terms[:1], today))
    services.cancel_session(actor=tutor.user, session=first)
    after = cells(board([department], terms[:1], today))
    assert (before, after) == (
        [("Mathematics", "autumn", 2, 0, 2, "on_track")],
        [("Mathematics", "autumn", 1, 0, 2, "behind")],
    )


def test_board_other_year_sessions_not_counted(tutor, department, year, terms):
    this_autumn = year.terms.get(number=1)
    plan(tutor, department, starts_at=at(this_autumn.starts_on + dt.timedelta(days=10)))
    today = dt.date(terms[0].starts_on.year, 11, 25)
    assert cells(board([department], terms[:1], today)) == [("Mathematics", "autumn", 0, 0, 2, "behind")]
