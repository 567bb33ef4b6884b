"""Observation aggregates (DESIGN.md section 2, "developmental observation" and "aggregates"): a
department's development themes by standard and the effective share, checked against hand-computed values,
with hypothesis tests that no figure about 1 to 4 people is ever shown."""

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from protutor.core.aggregates import Figure, Rate
from protutor.cpd import services as cpd
from protutor.cpd.models import DevelopmentRequest
from protutor.observations import services
from protutor.observations.insights import department_needs, effective_share
from protutor.observations.models import Framework
from tests.factories.observations import FORMAL, development, observe, strength
from tests.factories.people import StaffMemberFactory, current_year_bounds

pytestmark = pytest.mark.django_db

LIMIT = 5
DB_EXAMPLES = settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


class Rollback(Exception):
    """Raised at the end of each example so its rows go with the savepoint."""


def autumn_day(offset: int) -> dt.date:
    """A day `offset` days into this year's autumn term, never after today (observations cannot be in the
    future); later offsets are recorded later, so the order of observations holds even when days clash."""
    start, _ = current_year_bounds()
    return min(start + dt.timedelta(days=offset), timezone.localdate(), dt.date(start.year, 12, 19))


@pytest.fixture
def autumn(year):
    return year.terms.get(number=1)


@pytest.fixture
def maths_staff(college, department, teacher, colleague):
    """Six observable people in Mathematics: the teacher, the colleague and four more."""
    more = [
        StaffMemberFactory(institution=college, department=department, forename=f"Maths{n}", surname="Person")
        for n in range(1, 5)
    ]
    return [teacher, colleague, *more]


def theme_rows(needs) -> list[tuple[str, str, str]]:
    return [(row["standard"].label, str(row["development"]), str(row["strength"])) for row in needs["themes"]]


# department_needs


@pytest.fixture
def needs_world(college, department, other_department, autumn, maths_staff, tutor, hod, programme_lead):
    """Six Mathematics staff observed this autumn by the tutor. All six have a development point on ETF 9;
    two on ETF 3; five on TS 5 itself or its sub-points (three on 5d, two on 5a, one of the 5d three also
    on TS 5); five a strength on TS 7. Not counted: a seventh person's draft on ETF 9, an Art teacher's ETF
    9, and last year's TS 5d for the sixth person."""
    p = maths_staff
    day = autumn_day(3)
    for i, person in enumerate(p):
        points = [development(f"Checking understanding {i}", "ETF 9")]
        if i < 2:
            points.append(development("Sustainable development in lessons", "ETF 3"))
        if i < 3:
            points.append(development("Use the SEND register when planning", "TS 5d"))
        if i in (3, 4):
            points.append(development("Differentiate the starter", "TS 5a"))
        if i == 0:
            points.append(development("Adapt teaching", "TS 5"))
        if i < 5:
            points.append(strength("Calm, purposeful routines", "TS 7"))
        observe(tutor, person, observed_on=day, points=points)
    seventh = StaffMemberFactory(institution=college, department=department)
    observe(tutor, seventh, observed_on=day, points=[development("Draft", "ETF 9")], shared=False)
    artist = StaffMemberFactory(institution=college, department=other_department)
    observe(programme_lead, artist, observed_on=day, points=[development("Art", "ETF 9")])
    last_year = autumn.starts_on - dt.timedelta(days=30)
    observe(tutor, p[5], observed_on=last_year, points=[development("Last year", "TS 5d")])
    return p


def test_department_needs_hand_computed_for_head(hod, department, autumn, needs_world):
    needs = department_needs(hod.user, department, autumn)
    assert theme_rows(needs) == [
        ("ETF 9", "6", "0"),
        ("TS 5", "5", "0"),
        ("ETF 3", "fewer than 5", "0"),
        ("TS 7", "0", "5"),
    ]
    assert str(needs["observed"]) == "6"
    assert (needs["requests"]["named"], needs["requests"]["anonymous"]) == ([], [])


def test_department_needs_same_for_department_tutor(hod, tutor, department, autumn, needs_world):
    assert theme_rows(department_needs(tutor.user, department, autumn)) == theme_rows(
        department_needs(hod.user, department, autumn)
    )


def test_department_needs_other_tutor_counts_nothing(other_tutor, department, autumn, needs_world):
    needs = department_needs(other_tutor.user, department, autumn)
    assert (needs["themes"], str(needs["observed"])) == ([], "0")


def test_department_needs_figures_are_figures_not_names(hod, department, autumn, needs_world):
    needs = department_needs(hod.user, department, autumn)
    figures = [needs["observed"]] + [row[k] for row in needs["themes"] for k in ("development", "strength")]
    assert {type(f) for f in figures} == {Figure}
    assert {key for row in needs["themes"] for key in row} == {"standard", "development", "strength", "sort"}


def test_department_needs_sub_point_alone_rolls_up(hod, tutor, department, autumn, maths_staff):
    for person in maths_staff[:5]:
        observe(tutor, person, observed_on=autumn_day(1), points=[development("SEND", "TS 5d")])
    assert theme_rows(department_needs(hod.user, department, autumn)) == [("TS 5", "5", "0")]


def test_department_needs_person_counted_once_across_observations(
    hod, tutor, department, autumn, maths_staff
):
    for day in (1, 2, 3):
        observe(tutor, maths_staff[0], observed_on=autumn_day(day), points=[development("Pace", "ETF 9")])
    needs = department_needs(hod.user, department, autumn)
    assert (theme_rows(needs), str(needs["observed"])) == ([("ETF 9", "fewer than 5", "0")], "fewer than 5")


def test_department_needs_requests_by_topic_without_names(
    hod, department, other_department, college, autumn, maths_staff
):
    asked = [
        (maths_staff[0], "Questioning", True),
        (maths_staff[1], "  questioning ", False),
        (maths_staff[2], "behaviour for Learning", False),
        (StaffMemberFactory(institution=college, department=other_department), "Critique", False),
    ]
    for person, topic, anonymous in asked:
        request = cpd.request_development(actor=person.user, topic=topic, anonymous=anonymous)
        start = timezone.make_aware(dt.datetime.combine(autumn.starts_on, dt.time(9)))
        DevelopmentRequest.objects.filter(pk=request.pk).update(created_at=start)
    needs = department_needs(hod.user, department, autumn)
    # The one anonymous request is not shown in words: one person asked without their name.
    assert needs["requests"]["named"] == [("Behaviour for learning", 1), ("Questioning", 1)]
    assert (str(needs["requests"]["anonymous_people"]), needs["requests"]["anonymous"]) == (
        "fewer than 5",
        [],
    )


# effective_share


@pytest.fixture
def graded_maths(hod, programme_lead, tutor, college, department, maths_staff):
    """Formal graded observations this autumn: three people effective once; one not yet effective, later
    effective; one not yet effective once; one effective, later not yet effective. Latest effective: 4 of
    6. Not counted: a developmental observation, an ungraded formal one and a graded draft, each of a
    seventh, eighth and ninth person, and a learning walk."""
    p = maths_staff
    for person in p[:3]:
        observe(hod, person, kind=FORMAL, outcome="effective", observed_on=autumn_day(5))
    observe(hod, p[3], kind=FORMAL, outcome="not_yet_effective", observed_on=autumn_day(5))
    observe(hod, p[3], kind=FORMAL, outcome="effective", observed_on=autumn_day(40))
    observe(hod, p[4], kind=FORMAL, outcome="not_yet_effective", observed_on=autumn_day(5))
    observe(programme_lead, p[5], kind=FORMAL, outcome="effective", observed_on=autumn_day(5))
    observe(hod, p[5], kind=FORMAL, outcome="not_yet_effective", observed_on=autumn_day(40))
    extra = [StaffMemberFactory(institution=college, department=department) for _ in range(3)]
    observe(tutor, extra[0], observed_on=autumn_day(5))
    observe(hod, extra[1], kind=FORMAL, observed_on=autumn_day(5))
    observe(hod, extra[2], kind=FORMAL, outcome="effective", observed_on=autumn_day(5), shared=False)
    observe(hod, extra[2], kind="learning_walk", observed_on=autumn_day(6))
    return p


def share_rows(result) -> list[tuple]:
    return [
        (row["term"].name, str(row["institution"]), [str(rate) for rate in row["departments"]])
        for row in result["terms"]
    ]


def test_effective_share_latest_outcome_per_person(programme_lead, college, year, graded_maths):
    result = effective_share(programme_lead.user, college.pk, year)
    autumn = result["terms"][0]["institution"]
    assert (autumn.numerator, autumn.denominator, autumn.percent, str(autumn)) == (4, 6, 66.7, "66.7%")
    assert result["grading_enabled"] is True
    assert result["departments"] == ["Mathematics"]
    assert share_rows(result) == [
        ("autumn", "66.7%", ["66.7%"]),
        ("spring", "none yet", ["none yet"]),
        ("summer", "none yet", ["none yet"]),
    ]
    assert [(bar["label"], bar["value"], bar["suppressed"], bar["height"]) for bar in result["chart"]] == [
        ("Autumn", "66.7%", False, 107),
        ("Spring", "none yet", True, 0),
        ("Summer", "none yet", True, 0),
    ]


def test_effective_share_small_department_suppressed(
    programme_lead, college, year, other_department, graded_maths
):
    artists = [StaffMemberFactory(institution=college, department=other_department) for _ in range(2)]
    for artist in artists:
        observe(programme_lead, artist, kind=FORMAL, outcome="effective", observed_on=autumn_day(7))
    result = effective_share(programme_lead.user, college.pk, year)
    assert result["departments"] == ["Art and Design", "Mathematics"]
    # Institution: 4 + 2 effective of 6 + 2 people = 75%.
    assert share_rows(result)[0] == ("autumn", "75%", ["fewer than 5 people", "66.7%"])
    art = result["terms"][0]["departments"][0]
    assert (art.numerator, art.denominator, art.percent) == (None, None, None)


def test_effective_share_head_counts_own_department_only(
    hod, programme_lead, college, year, other_department, graded_maths
):
    for _ in range(5):
        artist = StaffMemberFactory(institution=college, department=other_department)
        observe(programme_lead, artist, kind=FORMAL, outcome="effective", observed_on=autumn_day(7))
    result = effective_share(hod.user, college.pk, year)
    # The head counts only their department, so the whole-institution figure is theirs too (4 of 6).
    assert (result["departments"], share_rows(result)[0]) == (["Mathematics"], ("autumn", "66.7%", ["66.7%"]))


def test_effective_share_four_people_suppressed(programme_lead, college, year, maths_staff):
    for person in maths_staff[:4]:
        observe(programme_lead, person, kind=FORMAL, outcome="effective", observed_on=autumn_day(2))
    result = effective_share(programme_lead.user, college.pk, year)
    assert share_rows(result)[0] == ("autumn", "fewer than 5 people", ["fewer than 5 people"])
    assert [bar["suppressed"] for bar in result["chart"]] == [True, True, True]


def test_effective_share_developmental_and_ungraded_not_counted(
    programme_lead, tutor, college, year, maths_staff
):
    for person in maths_staff:
        observe(tutor, person, observed_on=autumn_day(2))
        observe(programme_lead, person, kind=FORMAL, observed_on=autumn_day(3))
    result = effective_share(programme_lead.user, college.pk, year)
    assert (result["departments"], share_rows(result)[0]) == ([], ("autumn", "none yet", []))


def test_effective_share_grading_off(programme_lead, college, year, graded_maths):
    services.choose_frameworks(
        actor=programme_lead.user,
        institution=college,
        frameworks=list(Framework.objects.filter(institution__isnull=True)),
        grading_enabled=False,
    )
    assert effective_share(programme_lead.user, college.pk, year)["grading_enabled"] is False


# A tutor may count their caseload departments (for department needs); the outcomes page itself is for
# the programme lead and heads only (test_views).
@pytest.mark.parametrize("persona", ["teacher", "colleague", "line_manager", "other_tutor", "dsl", "admin"])
def test_effective_share_others_count_nobody(request, college, year, graded_maths, persona):
    result = effective_share(request.getfixturevalue(persona).user, college.pk, year)
    assert (result["departments"], share_rows(result)[0]) == ([], ("autumn", "none yet", []))


# Hypothesis: no figure about 1 to 4 people, and the institution share as hand-computed


def rate_shown_badly(rate: Rate) -> bool:
    if rate.suppressed:
        return (rate.numerator, rate.percent, str(rate)) != (None, None, f"fewer than {LIMIT} people")
    return 0 < rate.denominator < LIMIT


people_outcomes = st.lists(
    st.tuples(
        st.sampled_from(["maths", "art"]),
        st.lists(
            st.tuples(st.sampled_from(["effective", "not_yet_effective"]), st.integers(0, 100)),
            min_size=1,
            max_size=3,
        ),
    ),
    max_size=12,
)


def in_order(observations: list[tuple[str, int]]) -> list[tuple[str, int]]:
    return sorted(observations, key=lambda o: o[1])


@settings(DB_EXAMPLES, max_examples=40)
@given(people=people_outcomes)
def test_effective_share_never_reveals_one_to_four(
    programme_lead, college, year, department, other_department, people
):
    event("people: none" if not people else "people: 1-4" if len(people) < LIMIT else "people: 5 or more")
    departments = {"maths": department, "art": other_department}
    try:
        with transaction.atomic():
            for department_key, observations in people:
                person = StaffMemberFactory(institution=college, department=departments[department_key])
                for outcome, offset in in_order(observations):
                    observe(
                        programme_lead, person, kind=FORMAL, outcome=outcome, observed_on=autumn_day(offset)
                    )
            result = effective_share(programme_lead.user, college.pk, year)
            raise Rollback
    except Rollback:
        pass

    rates = [rate for row in result["terms"] for rate in (row["institution"], *row["departments"])]
    assert [str(rate) for rate in rates if rate_shown_badly(rate)] == []
    assert [bar["value"] for bar in result["chart"]] == [str(row["institution"]) for row in result["terms"]]

    # Each person's latest: the last recorded (sorted by offset, ties in the order drawn).
    effective = sum(1 for _, observations in people if in_order(observations)[-1][0] == "effective")
    institution = result["terms"][0]["institution"]
    if len(people) >= LIMIT:
        assert (institution.numerator, institution.denominator) == (effective, len(people))
        assert institution.percent == round(100 * effective / len(people), 1)
    elif people:
        assert str(institution) == f"fewer than {LIMIT} people"
    else:
        assert str(institution) == "none yet"
    for key, name in (("art", "Art and Design"), ("maths", "Mathematics")):
        size = sum(1 for d, _ in people if d == key)
        if name in result["departments"]:
            rate = result["terms"][0]["departments"][result["departments"].index(name)]
            assert rate.suppressed == (0 < size < LIMIT)


needs_points = st.lists(
    st.lists(
        st.tuples(st.sampled_from(["development", "strength"]), st.sampled_from(["TS 5", "TS 5d", "ETF 9"])),
        min_size=1,
        max_size=4,
    ),
    max_size=9,
)


@DB_EXAMPLES
@given(people=needs_points)
def test_department_needs_never_reveals_one_to_four(hod, tutor, college, department, autumn, people):
    try:
        with transaction.atomic():
            for points in people:
                person = StaffMemberFactory(institution=college, department=department)
                made = [
                    (development if kind == "development" else strength)("t", label) for kind, label in points
                ]
                observe(tutor, person, observed_on=autumn_day(1), points=made)
            needs = department_needs(hod.user, department, autumn)
            raise Rollback
    except Rollback:
        pass

    figures = [needs["observed"]] + [row[k] for row in needs["themes"] for k in ("development", "strength")]
    assert [str(f) for f in figures if f.value is not None and 0 < f.value < LIMIT] == []
    assert [str(f) for f in figures if f.value is None and str(f) != f"fewer than {LIMIT}"] == []
    # Hand count: people with a point of each kind on each top-level standard (TS 5d rolls up to TS 5).
    top = {"TS 5": "TS 5", "TS 5d": "TS 5", "ETF 9": "ETF 9"}
    expected = {}
    for label in {top[s] for points in people for _, s in points}:
        for kind in ("development", "strength"):
            n = sum(1 for points in people if any(k == kind and top[s] == label for k, s in points))
            expected[(label, kind)] = None if 0 < n < LIMIT else n
    shown = {
        (row["standard"].label, kind): row[kind].value
        for row in needs["themes"]
        for kind in ("development", "strength")
    }
    assert shown == expected
    assert needs["observed"].value == (None if 0 < len(people) < LIMIT else len(people))
