"""Evaluation aggregates (issue 6): anonymous answers shown only in groups of at least 5, with the
breakdown's complementary suppression, checked by hand and with hypothesis over lists of scores."""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from protutor.cpd.insights import evaluation_summary
from tests.factories.cpd import deliver, evaluate, plan, started
from tests.factories.people import StaffMemberFactory

pytestmark = pytest.mark.django_db

LIMIT = 5


class Rollback(Exception):
    """Raised at the end of each example so its rows go with the savepoint."""


@pytest.fixture
def attendees(college, department):
    return [
        StaffMemberFactory(institution=college, department=department, forename=f"Person{n}", surname="Maths")
        for n in range(12)
    ]


@pytest.fixture
def session(tutor, department, year, attendees):
    """A delivered session that twelve people attended."""
    return deliver(plan(tutor, department, starts_at=started(year)), tutor, attendees)


def evaluated(session, attendees, answers) -> dict:
    for person, (usefulness, will_try) in zip(attendees, answers, strict=False):
        evaluate(session, person, usefulness, will_try)
    return evaluation_summary(session)


def shown(summary) -> tuple:
    return (
        str(summary["responses"]),
        summary["average"],
        [(score, str(figure)) for score, figure in summary["distribution"]],
        summary["will_try"],
        summary["threshold"],
    )


def test_evaluation_summary_none_yet(session):
    assert shown(evaluation_summary(session)) == ("0", None, [], [], 5)


def test_evaluation_summary_fewer_than_five_shows_nothing(session, attendees):
    summary = evaluated(session, attendees, [(5, "Cold calling"), (4, "Wait time"), (5, ""), (1, "Nothing")])
    assert shown(summary) == ("fewer than 5", None, [], [], 5)
    assert (summary["responses"].value, summary["responses"].suppressed) == (None, True)


def test_evaluation_summary_five_all_shown(session, attendees):
    # 5 + 5 + 5 + 5 + 5 and 4 x 5 = 45 over 10: 4.5; no cell of 1 to 4 people.
    answers = [(5, f"Idea {n}") for n in range(5)] + [(4, "") for _ in range(5)]
    assert shown(evaluated(session, attendees, answers)) == (
        "10",
        4.5,
        [(1, "0"), (2, "0"), (3, "0"), (4, "5"), (5, "5")],
        ["Idea 0", "Idea 1", "Idea 2", "Idea 3", "Idea 4"],
        5,
    )


def test_evaluation_summary_average_rounded_to_one_place(session, attendees):
    # 3 x 5 + 4 x 5 + 5 x 2 = 45 over 12: 3.75, rounded to 3.8 (round half to even on the float 3.75).
    answers = [(3, "")] * 5 + [(4, "")] * 5 + [(5, "")] * 2
    summary = evaluated(session, attendees, answers)
    assert (str(summary["responses"]), summary["average"]) == ("12", 3.8)
    # Two people scored 5: fewer than 5. One hidden cell alone could be worked out from the total, so the
    # smallest other (3, five people) is withheld; 2 + 5 = 7 is still under 2 x 5, so 4 is withheld too.
    assert [(score, str(f)) for score, f in summary["distribution"]] == [
        (1, "0"),
        (2, "0"),
        (3, "withheld"),
        (4, "withheld"),
        (5, "fewer than 5"),
    ]


def test_evaluation_summary_free_text_sorted_without_blanks(session, attendees):
    answers = [(4, "  Wait time "), (4, ""), (5, "Cold calling"), (3, "Mini whiteboards"), (4, "")]
    summary = evaluated(session, attendees, answers)
    assert (str(summary["responses"]), summary["average"], summary["will_try"]) == (
        "5",
        4.0,
        ["Cold calling", "Mini whiteboards", "Wait time"],
    )
    # One scored 3, three 4 and one 5: every cell holds 1 to 4 people.
    assert [(score, str(f)) for score, f in summary["distribution"]] == [
        (1, "0"),
        (2, "0"),
        (3, "fewer than 5"),
        (4, "fewer than 5"),
        (5, "fewer than 5"),
    ]


def test_evaluation_summary_other_sessions_not_counted(session, attendees, tutor, department, year):
    other = deliver(plan(tutor, department, starts_at=started(year), title="Other"), tutor, attendees)
    evaluated(other, attendees, [(1, "Other text")] * 6)
    summary = evaluated(session, attendees, [(5, "")] * 5)
    assert shown(summary) == ("5", 5.0, [(1, "0"), (2, "0"), (3, "0"), (4, "0"), (5, "5")], [], 5)


scores = st.lists(st.tuples(st.integers(1, 5), st.sampled_from(["", "Try it"])), max_size=12)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(answers=scores)
def test_evaluation_summary_never_reveals_one_to_four(session, attendees, answers):
    event("responses: none" if not answers else "responses: 1-4" if len(answers) < LIMIT else "responses: 5+")
    try:
        with transaction.atomic():
            summary = evaluated(session, attendees, answers)
            raise Rollback
    except Rollback:
        pass

    n = len(answers)
    figures = [summary["responses"]] + [figure for _, figure in summary["distribution"]]
    assert [str(f) for f in figures if f.value is not None and 0 < f.value < LIMIT] == []
    assert [str(f) for f in figures if f.value is None and str(f) not in {"fewer than 5", "withheld"}] == []
    if n >= LIMIT:
        counts = {score: sum(1 for u, _ in answers if u == score) for score in range(1, 6)}
        assert summary["average"] == round(sum(u for u, _ in answers) / n, 1)
        assert [score for score, _ in summary["distribution"]] == [1, 2, 3, 4, 5]
        assert [f.value for _, f in summary["distribution"] if f.value is not None] == [
            counts[score] for score, f in summary["distribution"] if f.value is not None
        ]
        assert summary["will_try"] == ["Try it"] * sum(1 for _, text in answers if text)
        # Hidden cells never add up to less than twice the threshold, nor stand alone.
        hidden = [counts[score] for score, f in summary["distribution"] if f.value is None]
        assert hidden == [] or (len(hidden) >= 2 or sum(hidden) >= 2 * LIMIT)
    else:
        assert (summary["average"], summary["distribution"], summary["will_try"]) == (None, [], [])
        assert str(summary["responses"]) == ("0" if n == 0 else "fewer than 5")


# What staff asked to develop: anonymous words only in groups of at least the threshold (issue 22, item 5)


def _ask(people, topic, *, anonymous=True, standard=None):
    from protutor.cpd import services

    return [
        services.request_development(actor=p.user, topic=topic, anonymous=anonymous, standard=standard)
        for p in people
    ]


def _summary(user, department):
    import datetime as dt

    from django.utils import timezone

    from protutor.cpd.insights import requests_summary

    today = timezone.localdate()
    return requests_summary(user, department, today - dt.timedelta(days=1), today + dt.timedelta(days=1))


def test_requests_summary_four_anonymous_people_shows_no_words(hod, department, attendees):
    _ask(attendees[:4], "Marking when I am behind")
    _ask(attendees[4:5], "Questioning", anonymous=False)
    summary = _summary(hod.user, department)
    assert (str(summary["anonymous_people"]), summary["anonymous"], summary["anonymous_by_standard"]) == (
        "fewer than 5",
        [],
        [],
    )
    assert summary["named"] == [("Questioning", 1)]


def test_requests_summary_one_person_asking_five_times_is_still_one_person(hod, department, attendees):
    for topic in ("A", "B", "C", "D", "E"):
        _ask(attendees[:1], topic)
    summary = _summary(hod.user, department)
    assert (str(summary["anonymous_people"]), summary["anonymous"]) == ("fewer than 5", [])


def test_requests_summary_five_anonymous_people_shows_words_and_standards(
    hod, tutor, department, attendees, standards
):
    ts5 = standards.get(framework__code="TS", number="5")
    _ask(attendees[:3], "Adaptive teaching", standard=ts5)
    _ask(attendees[3:5], "  behaviour ", standard=ts5)
    for user in (hod.user, tutor.user):
        summary = _summary(user, department)
        assert (summary["anonymous_people"].value, summary["anonymous"]) == (
            5,
            [("Adaptive teaching", 3), ("Behaviour", 2)],
        )
        assert [(s.label, str(f)) for s, f in summary["anonymous_by_standard"]] == [("TS 5", "5")]


def test_requests_summary_counts_nothing_for_those_who_do_not_plan(
    teacher, programme_lead, other_tutor, department, attendees
):
    _ask(attendees[:6], "Marking")
    for user in (teacher.user, programme_lead.user, other_tutor.user):
        summary = _summary(user, department)
        assert (summary["anonymous_people"].value, summary["anonymous"], summary["named"]) == (0, [], [])
