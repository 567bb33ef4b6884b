"""Time against remission (issue 9) against hand-computed fixtures.

The `year` fixture is the academic year containing today, so its weekdays move and its spring has 87 days
in a leap year. The hand-computed fixtures pin the year 2025/26 instead, built by the same factory (autumn
1 Sep-19 Dec 2025, Monday to Friday: 110 days; spring 5 Jan-31 Mar 2026: 86 days; summer 14 Apr-31 Aug
2026: 140 days; 336 in all). All of it is in the past, so every record goes through its service with its
real date, and `balance_for` is asked about a chosen day.

150 remitted hours are 9000 minutes: autumn 9000*110/336 = 2946.43 -> 2946, spring 9000*86/336 = 2303.57
-> 2304, summer 9000*140/336 = 3750. A whole week is 9000*7/336 = 187.5 -> 188 (Decimal rounds half to
even), a five-day week 133.93 -> 134, a six-day week 160.71 -> 161.
"""

import calendar
import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from protutor.cpd import services as cpd_services
from protutor.observations.models import Observation
from protutor.people.models import Caseload
from protutor.team.remission import Period, allowance, balance_for, balances_for, term_days
from tests.factories import cpd
from tests.factories.observations import observe
from tests.factories.people import AcademicYearFactory, CaseloadFactory, StaffMemberFactory
from tests.factories.plans import log_support, open_plan_for
from tests.factories.support import log, open_case_for

pytestmark = pytest.mark.django_db

D = dt.date
SOURCES = ["support", "plans", "observations", "cpd"]


@pytest.fixture
def pinned(college):
    return AcademicYearFactory(institution=college, starts_on=D(2025, 9, 1), ends_on=D(2026, 8, 31))


@pytest.fixture
def caseload(tutor, pinned, department):
    """The tutor's 2025/26 caseload: 150 remitted hours of 773, the Mathematics department."""
    return CaseloadFactory(tutor=tutor, academic_year=pinned, departments=[department])


class Work:
    """Records `minutes` of one kind of work on `day`, each through its service."""

    def __init__(self, teacher, line_manager, tutor, department):
        self.teacher, self.line_manager, self.tutor, self.department = (
            teacher,
            line_manager,
            tutor,
            department,
        )
        self._case = None
        self._plan = None

    def support(self, day, minutes):
        if self._case is None:
            self._case = open_case_for(self.teacher, self.tutor)
        return log(self._case, self.tutor, minutes=minutes, occurred_on=day)

    def plans(self, day, minutes):
        if self._plan is None:
            self._plan = open_plan_for(self.teacher, self.line_manager, self.tutor)
        return log_support(self._plan, self.tutor, minutes=minutes, given_on=day)

    def observations(self, day, minutes):
        return observe(self.tutor, self.teacher, observed_on=day, length_minutes=minutes)

    def cpd(self, day, minutes, planner=None, department=None):
        planner = planner or self.tutor
        session = cpd.plan(
            planner, department or self.department, starts_at=cpd.at(day), length_minutes=minutes
        )
        return cpd.deliver(session, planner, [self.teacher])

    def record(self, source, day, minutes):
        return getattr(self, source)(day, minutes)


@pytest.fixture
def work(teacher, line_manager, tutor, department, year):
    return Work(teacher, line_manager, tutor, department)


def periods(items) -> list[tuple]:
    return [(p.label, p.starts_on, p.ends_on, p.allowance_minutes, p.used) for p in items]


# term_days and allowance


def test_term_days_pinned_year_hand_counted(pinned):
    terms = list(pinned.terms.order_by("number"))
    assert [term_days([t]) for t in terms] == [110, 86, 140]
    assert term_days(terms) == 336


def test_term_days_leap_year_spring_has_87_days(college):
    leap = AcademicYearFactory(institution=college, starts_on=D(2027, 9, 1), ends_on=D(2028, 8, 31))
    terms = list(leap.terms.order_by("number"))
    assert ([term_days([t]) for t in terms], term_days(terms)) == ([110, 87, 140], 337)


def test_term_days_fixture_year(year):
    terms = list(year.terms.order_by("number"))
    spring = 87 if calendar.isleap(year.starts_on.year + 1) else 86
    assert [term_days([t]) for t in terms] == [110, spring, 140]


def test_term_days_no_terms_zero():
    assert term_days([]) == 0


@pytest.mark.parametrize(
    ("hours", "days", "total", "expected"),
    [
        ("150", 110, 336, 2946),  # 2946.43
        ("150", 86, 336, 2304),  # 2303.57
        ("150", 140, 336, 3750),  # exactly
        ("150", 336, 336, 9000),
        ("150", 7, 336, 188),  # 187.5, half to even
        ("150", 21, 336, 562),  # 562.5, half to even
        ("150", 5, 336, 134),  # 133.93
        ("75", 110, 336, 1473),  # 1473.21
        ("75", 7, 336, 94),  # 93.75
        ("150", 86, 337, 2297),  # leap year: 2296.74
        ("150", 7, 0, 0),  # no term days: no allowance
    ],
)
def test_allowance_hand_computed(hours, days, total, expected):
    assert allowance(Decimal(hours), days, total) == expected


# balance_for: terms, the year and the weeks of the current term


def test_balance_for_no_work_allowances_by_term(caseload):
    balance = balance_for(caseload, D(2025, 12, 19))
    assert periods(balance["terms"]) == [
        ("Autumn", D(2025, 9, 1), D(2025, 12, 19), 2946, 0),
        ("Spring", D(2026, 1, 5), D(2026, 3, 31), 2304, 0),
        ("Summer", D(2026, 4, 14), D(2026, 8, 31), 3750, 0),
    ]
    assert periods([balance["year"]]) == [("2025/26", D(2025, 9, 1), D(2026, 8, 31), 9000, 0)]
    assert (balance["caseload"], balance["current"].label) == (caseload, "Autumn")


BOUNDARY_DAYS = [
    (D(2025, 12, 14), 60),  # Sunday: the week of 8 December
    (D(2025, 12, 15), 70),  # Monday: the week of 15 December
    (D(2025, 12, 19), 30),  # the last day of autumn
    (D(2026, 1, 5), 50),  # the first day of spring
    (D(2026, 3, 31), 20),  # the last day of spring
    (D(2026, 4, 14), 40),  # the first day of summer, a Tuesday
    (D(2026, 8, 31), 10),  # the last day of the year
]


@pytest.mark.parametrize("source", SOURCES)
def test_balance_for_each_source_on_right_side_of_term_boundaries(caseload, work, source):
    for day, minutes in BOUNDARY_DAYS:
        work.record(source, day, minutes)
    balance = balance_for(caseload, D(2025, 12, 19))
    expected = dict.fromkeys(SOURCES, 0)
    assert [p.minutes for p in balance["terms"]] == [
        {**expected, source: 60 + 70 + 30},
        {**expected, source: 50 + 20},
        {**expected, source: 40 + 10},
    ]
    assert balance["year"].minutes == {**expected, source: 280}


@pytest.mark.parametrize("source", SOURCES)
def test_balance_for_each_source_on_right_side_of_week_boundaries(caseload, work, source):
    for day, minutes in BOUNDARY_DAYS:
        work.record(source, day, minutes)
    weeks = balance_for(caseload, D(2025, 12, 19))["weeks"]
    # Sixteen weeks from Monday 1 September; the last is clipped to Friday 19 December.
    assert (len(weeks), periods(weeks[:1]), periods(weeks[-2:])) == (
        16,
        [("Week of 01 Sep", D(2025, 9, 1), D(2025, 9, 7), 188, 0)],
        [
            ("Week of 08 Dec", D(2025, 12, 8), D(2025, 12, 14), 188, 60),
            ("Week of 15 Dec", D(2025, 12, 15), D(2025, 12, 19), 134, 100),
        ],
    )
    assert [w.used for w in weeks[:-2]] == [0] * 14
    assert weeks[-1].minutes[source] == 100


def test_balance_for_weeks_clipped_to_term_start(caseload, work):
    """Summer starts on Tuesday 14 April: its first week runs Tuesday to Sunday, and work on 31 March (the
    Tuesday before, in spring) is in none of its weeks."""
    for day, minutes in BOUNDARY_DAYS:
        work.support(day, minutes)
    balance = balance_for(caseload, D(2026, 4, 27))
    assert balance["current"].label == "Summer"
    assert periods(balance["weeks"]) == [
        ("Week of 13 Apr", D(2026, 4, 14), D(2026, 4, 19), 161, 40),
        ("Week of 20 Apr", D(2026, 4, 20), D(2026, 4, 26), 188, 0),
        ("Week of 27 Apr", D(2026, 4, 27), D(2026, 5, 3), 188, 0),
    ]


def test_balance_for_weeks_run_to_today_and_whole_current_week(caseload, work):
    work.support(D(2025, 9, 12), 45)  # Friday, after "today" below but in its week
    balance = balance_for(caseload, D(2025, 9, 10))
    assert periods(balance["weeks"]) == [
        ("Week of 01 Sep", D(2025, 9, 1), D(2025, 9, 7), 188, 0),
        ("Week of 08 Sep", D(2025, 9, 8), D(2025, 9, 14), 188, 45),
    ]


def test_balance_for_last_week_of_year_one_day(caseload, work):
    work.plans(D(2026, 8, 31), 30)
    weeks = balance_for(caseload, D(2026, 8, 31))["weeks"]
    # 9000*1/336 = 26.79 -> 27
    assert periods(weeks[-1:]) == [("Week of 31 Aug", D(2026, 8, 31), D(2026, 8, 31), 27, 30)]


def test_balance_for_holiday_work_counts_in_year_only(caseload, work):
    work.support(D(2025, 12, 20), 40)  # Saturday after autumn ends
    work.support(D(2026, 4, 1), 25)  # Easter holiday
    work.support(D(2025, 8, 31), 90)  # the day before the year starts: not counted at all
    on_holiday = balance_for(caseload, D(2025, 12, 22))
    assert ([p.used for p in on_holiday["terms"]], on_holiday["year"].used) == ([0, 0, 0], 65)
    # On a holiday there is no current term: the year stands in, with no weeks.
    assert (on_holiday["current"].label, on_holiday["weeks"]) == ("2025/26", [])
    assert periods(balance_for(caseload, D(2025, 12, 19))["weeks"][-1:]) == [
        ("Week of 15 Dec", D(2025, 12, 15), D(2025, 12, 19), 134, 0)
    ]


def test_balance_for_all_sources_summed(caseload, work):
    day = D(2025, 10, 8)
    work.support(day, 45)
    work.plans(day, 50)
    work.observations(day, 55)
    work.cpd(day, 60)
    autumn = balance_for(caseload, day)["current"]
    assert (autumn.label, autumn.minutes, autumn.used, autumn.balance) == (
        "Autumn",
        {"support": 45, "plans": 50, "observations": 55, "cpd": 60},
        210,
        2946 - 210,
    )


# What is not counted


@pytest.mark.parametrize("kind", Observation.FORMAL_KINDS)
def test_balance_for_formal_observations_not_counted(
    caseload, work, college, department, tutor, teacher, kind
):
    """The tutor line-manages one person, so may record formal observations of them: those are not
    remitted time; developmental ones are."""
    report = StaffMemberFactory(institution=college, department=department, line_manager=tutor)
    day = D(2025, 10, 8)
    observe(tutor, report, kind=kind, observed_on=day, length_minutes=60)
    observe(tutor, teacher, observed_on=day, length_minutes=50)
    assert balance_for(caseload, day)["current"].minutes["observations"] == 50


def test_balance_for_observation_draft_counts(caseload, tutor, teacher):
    observe(tutor, teacher, observed_on=D(2025, 10, 8), length_minutes=40, shared=False)
    assert balance_for(caseload, D(2025, 10, 8))["current"].minutes["observations"] == 40


def test_balance_for_cpd_only_delivered_in_caseload_departments(
    caseload, work, tutor, other_tutor, hod, other_department
):
    day = D(2025, 10, 8)
    work.cpd(day, 60)  # delivered in Mathematics: counted
    cpd.plan(tutor, work.department, starts_at=cpd.at(day), length_minutes=35)  # planned only
    cancelled = cpd.plan(tutor, work.department, starts_at=cpd.at(day), length_minutes=45)
    cpd_services.cancel_session(actor=tutor.user, session=cancelled)
    work.cpd(day, 90, planner=other_tutor, department=other_department)  # another department
    assert balance_for(caseload, day)["current"].minutes["cpd"] == 60
    # A session the head of department runs in the caseload's department counts too: the rule is
    # "delivered in the caseload's departments", not "delivered by the tutor".
    work.cpd(day, 30, planner=hod)
    assert balance_for(caseload, day)["current"].minutes["cpd"] == 90


def test_balance_for_other_tutors_work_not_counted(caseload, teacher, line_manager, other_tutor, colleague):
    day = D(2025, 10, 8)
    plan = open_plan_for(teacher, line_manager, other_tutor)
    log_support(plan, other_tutor, minutes=50, given_on=day)
    observe(colleague, teacher, observed_on=day, length_minutes=50)
    assert balance_for(caseload, day)["current"].used == 0


# balances_for: several tutors at once


def test_balances_for_each_tutor_gets_only_their_own_work(
    caseload, work, pinned, other_tutor, other_department, teacher
):
    other = CaseloadFactory(tutor=other_tutor, academic_year=pinned, departments=[other_department])
    day = D(2025, 10, 8)
    work.support(day, 45)
    work.cpd(day, 60)
    observe(other_tutor, teacher, observed_on=day, length_minutes=50)
    work.cpd(day, 90, planner=other_tutor, department=other_department)
    together = balances_for([caseload, other], day)
    assert [(b["caseload"], b["current"].minutes) for b in together] == [
        (caseload, {"support": 45, "plans": 0, "observations": 0, "cpd": 60}),
        (other, {"support": 0, "plans": 0, "observations": 50, "cpd": 90}),
    ]
    alone = [balance_for(caseload, day), balance_for(other, day)]
    assert [periods(b["terms"] + b["weeks"] + [b["year"]]) for b in together] == [
        periods(b["terms"] + b["weeks"] + [b["year"]]) for b in alone
    ]


def test_balances_for_no_caseloads_empty():
    assert balances_for([], D(2025, 10, 8)) == []


# Part-time tutors


def test_balance_for_part_time_tutor_half_allowance(caseload, pinned, college, teacher, tutor):
    part_timer = StaffMemberFactory(institution=college, department=None, forename="Pat")
    part_time = CaseloadFactory(
        tutor=part_timer, academic_year=pinned, remitted_hours=Decimal("75"), full_time_hours=Decimal("386.5")
    )
    day = D(2025, 9, 8)
    for observer in (tutor, part_timer):
        observe(observer, teacher, observed_on=day, length_minutes=120)
    full, half = balance_for(caseload, day), balance_for(part_time, day)
    assert [p.allowance_minutes for p in half["terms"]] == [1473, 1152, 1875]
    assert [2 * p.allowance_minutes for p in half["terms"]] == [p.allowance_minutes for p in full["terms"]]
    assert (half["year"].allowance_minutes, full["year"].allowance_minutes) == (4500, 9000)
    # The same 120 minutes in a week: 120/188 = 64% on track for the full allowance, 120/94 = 128% over
    # for half of it.
    assert [(w.allowance_minutes, w.used, w.state) for w in full["weeks"][-1:] + half["weeks"][-1:]] == [
        (188, 120, "on track"),
        (94, 120, "over"),
    ]


# state


@pytest.mark.parametrize(
    ("allowance_minutes", "used", "state"),
    [
        (1000, 1101, "over"),  # over 110%
        (1000, 1100, "on track"),  # exactly 110%
        (1000, 500, "on track"),  # exactly 50%
        (1000, 499, "under"),  # under 50%
        (1000, 0, "under"),
        (0, 0, "no allowance"),
        (0, 30, "no allowance"),
    ],
)
def test_period_state_thresholds(allowance_minutes, used, state):
    period = Period("Week", D(2025, 9, 1), D(2025, 9, 7), allowance_minutes)
    period.minutes["support"] = used
    assert (period.used, period.balance, period.state) == (used, allowance_minutes - used, state)


def test_period_used_sums_sources():
    period = Period("Week", D(2025, 9, 1), D(2025, 9, 7), 188)
    period.minutes.update(support=10, plans=20, observations=30, cpd=40)
    assert (period.used, period.balance, period.state) == (100, 88, "on track")


def test_balance_for_states_from_recorded_work(caseload, work):
    work.observations(D(2025, 9, 2), 207)  # 207/188 = 110.1%: over
    work.observations(D(2025, 9, 9), 94)  # 94/188 = 50%: on track
    work.observations(D(2025, 9, 16), 93)  # 93/188 = 49.5%: under
    weeks = balance_for(caseload, D(2025, 9, 16))["weeks"]
    assert [(w.used, w.state) for w in weeks] == [(207, "over"), (94, "on track"), (93, "under")]


# The fixture year, today


def test_balance_for_fixture_year_counts_work_logged_today(tutor, teacher, year):
    today = timezone.localdate()
    caseload = Caseload.objects.get(tutor=tutor, academic_year=year)
    log(open_case_for(teacher, tutor), tutor, minutes=45)
    balance = balance_for(caseload, today)
    in_term = any(t.starts_on <= today <= t.ends_on for t in year.terms.all())
    assert (balance["year"].used, balance["current"].used, [w.used for w in balance["weeks"]][-1:]) == (
        45,
        45,
        [45] if in_term else [],
    )
    assert balance["year"].allowance_minutes == 9000
