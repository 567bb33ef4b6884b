"""Coach matching (issue 7): hard rules never broken, the optimum found by brute force on small cases,
pinned and forbidden pairs respected, every pair and every unmatched coachee explained, and greedy
shown to lose. Pure functions: no database."""

import itertools
import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from protutor.coaching import matching
from protutor.coaching.matching import Coach, Coachee, Pair, Result, greedy, match, score

FULL_REASONS = {matching.FULL, matching.FULL_ECT, matching.FULL_OUTSIDE, matching.FULL_OUTSIDE_ECT}
NO_CANDIDATE_REASONS = {
    matching.NO_COACHES,
    matching.ONLY_YOURSELF,
    matching.LINE_MANAGEMENT,
    matching.RULED_OUT,
    matching.NONE_OUTSIDE,
    matching.NONE_ECT,
}

# ---------------------------------------------------------------------------------------------------------
# An independent statement of the hard rules and a brute-force optimum, to check the module against.


def breaks_rule(coach, coachee, coaches, forbidden=frozenset()):
    as_coach = {c.id: c for c in coaches}.get(coachee.id)
    return (
        coach.id == coachee.id
        or coachee.id in coach.manages
        or coachee.line_manager_id == coach.id
        or coach.line_manager_id == coachee.id
        or (as_coach is not None and coach.id in as_coach.manages)
        or (coach.id, coachee.id) in forbidden
        or (
            coachee.outside_department
            and coachee.department_id is not None
            and coachee.department_id == coach.department_id
        )
        or (coachee.is_ect and not coach.ready_for_ect)
    )


def brute_force(coaches, coachees, pinned=(), forbidden=frozenset()):
    """Best total over every assignment of each coachee to a coach or to nobody."""
    pinned = dict((coachee_id, coach_id) for coach_id, coachee_id in pinned)
    choices = []
    for coachee in coachees:
        if coachee.id in pinned:
            choices.append([next(c for c in coaches if c.id == pinned[coachee.id])])
        else:
            choices.append([None, *(c for c in coaches if not breaks_rule(c, coachee, coaches, forbidden))])
    best = 0
    for assignment in itertools.product(*choices):
        taken = [c.id for c in assignment if c is not None]
        if any(taken.count(c.id) > c.capacity for c in coaches):
            continue
        best = max(best, sum(score(c, e) for c, e in zip(assignment, coachees, strict=True) if c is not None))
    return best


def check_valid(result, coaches, coachees, pinned=(), forbidden=frozenset()):
    """Everything a result must satisfy whatever the input."""
    coach_by_id = {c.id: c for c in coaches}
    coachee_by_id = {c.id: c for c in coachees}
    matched = [p.coachee_id for p in result.pairs]
    assert len(matched) == len(set(matched)), "a coachee matched twice"
    for coach in coaches:
        assert sum(p.coach_id == coach.id for p in result.pairs) <= coach.capacity
    for pair in result.pairs:
        coach, coachee = coach_by_id[pair.coach_id], coachee_by_id[pair.coachee_id]
        assert not breaks_rule(coach, coachee, coaches, forbidden)
        assert pair.score == score(coach, coachee)
        assert pair.reasons, "a pair without a reason"
        assert all(isinstance(r, str) and r for r in pair.reasons)
        assert (matching.PINNED in pair.reasons) == ((pair.coach_id, pair.coachee_id) in set(pinned))
    assert set(pinned) <= {(p.coach_id, p.coachee_id) for p in result.pairs}
    assert result.pairs == sorted(result.pairs, key=lambda p: (p.coach_id, p.coachee_id))
    assert result.total_score == sum(p.score for p in result.pairs)
    assert set(result.unmatched) == set(coachee_by_id) - set(matched)
    assert list(result.unmatched) == sorted(result.unmatched)
    load = {c.id: sum(p.coach_id == c.id for p in result.pairs) for c in coaches}
    for coachee_id, reason in result.unmatched.items():
        coachee = coachee_by_id[coachee_id]
        suitable = [c for c in coaches if not breaks_rule(c, coachee, coaches, forbidden)]
        if suitable:
            # Nobody is left out while a suitable coach has room: the base point makes that pair worth taking.
            assert all(load[c.id] == c.capacity for c in suitable)
            assert reason in FULL_REASONS
        else:
            assert reason in NO_CANDIDATE_REASONS


# ---------------------------------------------------------------------------------------------------------
# Populations for hypothesis: a few people, so ids, departments and line management collide often.

TAGS = ["questioning", "feedback", "behaviour", "planning"]
GRID = [(day, period) for day in range(2) for period in range(1, 5)]
people = st.integers(1, 9)
departments = st.one_of(st.none(), st.integers(1, 3))
line_managers = st.one_of(st.none(), people)

coach_strategy = st.builds(
    Coach,
    id=people,
    department_id=departments,
    line_manager_id=line_managers,
    manages=st.frozensets(people, max_size=3),
    strengths=st.frozensets(st.sampled_from(TAGS)),
    free=st.frozensets(st.sampled_from(GRID)),
    capacity=st.integers(1, 3),
    ready_for_ect=st.booleans(),
)
coachee_strategy = st.builds(
    Coachee,
    id=people,
    department_id=departments,
    line_manager_id=line_managers,
    focus=st.frozensets(st.sampled_from(TAGS)),
    free=st.frozensets(st.sampled_from(GRID)),
    outside_department=st.booleans(),
    is_ect=st.booleans(),
)


def unique(strategy, max_size):
    return st.lists(strategy, max_size=max_size, unique_by=lambda p: p.id)


@st.composite
def scenarios(draw, max_coaches=5, max_coachees=7):
    """Coaches, coachees, then forbidden pairs and valid pins drawn from them."""
    coaches = draw(unique(coach_strategy, max_coaches))
    coachees = draw(unique(coachee_strategy, max_coachees))
    every_pair = [(c.id, e.id) for c in coaches for e in coachees]
    forbidden = (
        frozenset(draw(st.lists(st.sampled_from(every_pair), max_size=4))) if every_pair else frozenset()
    )
    pinned, load = [], {}
    candidates = [(c, e) for c in coaches for e in coachees if not breaks_rule(c, e, coaches, forbidden)]
    for coach, coachee in draw(st.lists(st.sampled_from(candidates), max_size=3)) if candidates else []:
        if coachee.id not in {e for _, e in pinned} and load.get(coach.id, 0) < coach.capacity:
            pinned.append((coach.id, coachee.id))
            load[coach.id] = load.get(coach.id, 0) + 1
    return coaches, coachees, pinned, forbidden


# ---------------------------------------------------------------------------------------------------------
# Properties.


@settings(max_examples=300, deadline=None)
@given(scenarios())
def test_match_never_breaks_a_hard_rule(scenario):
    coaches, coachees, pinned, forbidden = scenario
    result = match(coaches, coachees, pinned=pinned, forbidden=forbidden)
    assert result.optimal is True
    check_valid(result, coaches, coachees, pinned, forbidden)


@settings(max_examples=300, deadline=None)
@given(scenarios(max_coaches=3, max_coachees=4))
def test_match_equals_brute_force_optimum(scenario):
    coaches, coachees, pinned, forbidden = scenario
    result = match(coaches, coachees, pinned=pinned, forbidden=forbidden)
    assert result.total_score == brute_force(coaches, coachees, pinned, forbidden)


@settings(max_examples=200, deadline=None)
@given(scenarios(), st.randoms(use_true_random=False))
def test_match_is_deterministic_whatever_the_order(scenario, rng):
    coaches, coachees, pinned, forbidden = scenario
    first = match(coaches, coachees, pinned=pinned, forbidden=forbidden)
    assert match(coaches, coachees, pinned=pinned, forbidden=forbidden) == first
    shuffled_coaches, shuffled_coachees = coaches[:], coachees[:]
    rng.shuffle(shuffled_coaches)
    rng.shuffle(shuffled_coachees)
    assert match(shuffled_coaches, shuffled_coachees, pinned=pinned, forbidden=forbidden) == first


@settings(max_examples=300, deadline=None)
@given(scenarios())
def test_match_is_never_worse_than_greedy(scenario):
    coaches, coachees, _, _ = scenario
    baseline = greedy(coaches, coachees)
    check_valid(baseline, coaches, coachees)
    assert baseline.optimal is False
    assert match(coaches, coachees).total_score >= baseline.total_score


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_match_equals_milp_on_a_medium_population(seed):
    """Beyond brute-force sizes: 25 coaches and 70 coachees, checked against an integer programme on HiGHS."""
    rng = random.Random(seed)
    grid = [(d, p) for d in range(5) for p in range(1, 9)]
    tags = [*TAGS, "assessment", "workload"]
    ids = rng.sample(range(1, 120), 95)
    coaches = [
        Coach(
            id=i,
            department_id=rng.randint(1, 5),
            line_manager_id=rng.choice([None, *ids]),
            manages=frozenset(rng.sample(ids, 3)),
            strengths=frozenset(rng.sample(tags, rng.randint(1, 4))),
            free=frozenset(rng.sample(grid, rng.randint(0, 10))),
            capacity=rng.randint(1, 3),
            ready_for_ect=rng.random() < 0.5,
        )
        for i in ids[:25]
    ]
    coachees = [
        Coachee(
            id=i,
            department_id=rng.randint(1, 5),
            line_manager_id=rng.choice([None, *ids]),
            focus=frozenset(rng.sample(tags, rng.randint(1, 3))),
            free=frozenset(rng.sample(grid, rng.randint(0, 10))),
            outside_department=rng.random() < 0.4,
            is_ect=rng.random() < 0.3,
        )
        for i in ids[10:80]  # ten people on both sides
    ]
    result = match(coaches, coachees)
    check_valid(result, coaches, coachees)

    pairs = [
        (j, i)
        for j, c in enumerate(coaches)
        for i, e in enumerate(coachees)
        if not breaks_rule(c, e, coaches)
    ]
    k = len(pairs)
    per_coachee = np.zeros((len(coachees), k))
    per_coach = np.zeros((len(coaches), k))
    for v, (j, i) in enumerate(pairs):
        per_coachee[i, v] = per_coach[j, v] = 1
    solution = milp(
        [-score(coaches[j], coachees[i]) for j, i in pairs],
        integrality=np.ones(k),
        bounds=Bounds(0, 1),
        constraints=[
            LinearConstraint(per_coachee, 0, 1),
            LinearConstraint(per_coach, 0, [c.capacity for c in coaches]),
        ],
    )
    assert solution.status == 0
    assert result.total_score == round(-solution.fun)


# ---------------------------------------------------------------------------------------------------------
# Hand-built cases.


def coach(id, **kwargs):
    return Coach(id=id, department_id=kwargs.pop("department_id", 1), line_manager_id=None, **kwargs)


def coachee(id, **kwargs):
    return Coachee(id=id, department_id=kwargs.pop("department_id", 2), line_manager_id=None, **kwargs)


def test_score_follows_the_documented_formula():
    grid = [(d, p) for d in range(5) for p in range(1, 9)]
    assert score(coach(1), coachee(2)) == 1
    assert score(coach(1, strengths=frozenset({"a", "b"})), coachee(2, focus=frozenset({"b", "c"}))) == 11
    assert score(coach(1, free=frozenset(grid[:3])), coachee(2, free=frozenset(grid[1:5]))) == 1 + 2 * 2
    # At most 3 shared focus tags and 5 common free periods count.
    many = frozenset("abcde")
    assert (
        score(coach(1, strengths=many, free=frozenset(grid)), coachee(2, focus=many, free=frozenset(grid)))
        == 41
    )


def test_greedy_loses_where_match_does_not():
    """Greedy gives Ali, the highest-scoring pair, to Coach A; then Ben, who only Coach A can take (B
    line-manages him), is left out. The optimum gives Ali to Coach B and Ben to Coach A."""
    a = coach(1, strengths=frozenset({"questioning", "feedback"}))
    b = coach(2, strengths=frozenset({"questioning"}), manages=frozenset({11}))
    ali = coachee(10, focus=frozenset({"questioning", "feedback"}))
    ben = coachee(11, focus=frozenset({"feedback"}))

    baseline = greedy([a, b], [ali, ben])
    assert [(p.coach_id, p.coachee_id, p.score) for p in baseline.pairs] == [(1, 10, 21)]
    assert baseline.unmatched == {11: matching.FULL}
    assert baseline.total_score == 21

    best = match([a, b], [ali, ben])
    assert [(p.coach_id, p.coachee_id, p.score) for p in best.pairs] == [(1, 11, 11), (2, 10, 11)]
    assert best.unmatched == {}
    assert best.total_score == 22
    assert best.optimal is True


def test_match_explains_each_pair():
    grid = [(0, 1), (0, 2), (1, 3), (2, 4)]
    coaches = [
        Coach(
            1,
            1,
            None,
            strengths=frozenset({"questioning", "feedback", "behaviour"}),
            free=frozenset(grid[:3]),
            capacity=2,
        ),
        Coach(2, 2, None, free=frozenset({(4, 8)}), ready_for_ect=True),
        Coach(3, 3, None, strengths=frozenset({"planning"}), free=frozenset({(2, 4)})),
    ]
    coachees = [
        Coachee(
            10,
            2,
            None,
            focus=frozenset({"feedback", "questioning"}),
            free=frozenset(grid),
            outside_department=True,
        ),
        Coachee(11, 1, None, focus=frozenset({"workload"}), is_ect=True),
        Coachee(12, 1, None, focus=frozenset({"planning"}), free=frozenset({(2, 4)})),
    ]
    result = match(coaches, coachees, pinned=[(2, 11)])
    assert result.pairs == [
        Pair(
            1,
            10,
            27,
            ["Shares your focus: feedback, questioning", "3 free periods in common", matching.OUTSIDE],
        ),
        Pair(2, 11, 1, [matching.PINNED, matching.NO_FREE, matching.ECT_READY]),
        Pair(3, 12, 13, ["Shares your focus: planning", "1 free period in common"]),
    ]
    assert result == Result(result.pairs, {}, 41, True)


@pytest.mark.parametrize(
    ("coaches", "coachee_", "forbidden", "reason"),
    [
        ([], coachee(10), (), matching.NO_COACHES),
        ([coach(10)], coachee(10), (), matching.ONLY_YOURSELF),
        ([coach(1, manages=frozenset({10}))], coachee(10), (), matching.LINE_MANAGEMENT),
        ([Coach(1, 1, 10)], coachee(10), (), matching.LINE_MANAGEMENT),
        ([coach(1)], Coachee(10, 2, 1), (), matching.LINE_MANAGEMENT),
        ([coach(1), coach(10, manages=frozenset({1}))], coachee(10), (), matching.LINE_MANAGEMENT),
        ([coach(1), coach(2)], coachee(10), [(1, 10), (2, 10)], matching.RULED_OUT),
        ([coach(1, department_id=2)], coachee(10, outside_department=True), (), matching.NONE_OUTSIDE),
        ([coach(1)], coachee(10, is_ect=True), (), matching.NONE_ECT),
        ([coach(1, capacity=0)], coachee(10), (), matching.FULL),
        ([coach(1, capacity=0)], coachee(10, outside_department=True), (), matching.FULL_OUTSIDE),
        ([coach(1, capacity=0, ready_for_ect=True)], coachee(10, is_ect=True), (), matching.FULL_ECT),
        (
            [coach(1, capacity=0, ready_for_ect=True)],
            coachee(10, is_ect=True, outside_department=True),
            (),
            matching.FULL_OUTSIDE_ECT,
        ),
    ],
)
def test_match_explains_why_a_coachee_is_unmatched(coaches, coachee_, forbidden, reason):
    result = match(coaches, [coachee_], forbidden=forbidden)
    assert result.pairs == []
    assert result.unmatched == {10: reason}


def test_match_says_every_suitable_coach_is_full():
    a = coach(1, capacity=1, strengths=frozenset({"feedback"}))
    result = match([a], [coachee(10, focus=frozenset({"feedback"})), coachee(11)])
    assert [(p.coach_id, p.coachee_id) for p in result.pairs] == [(1, 10)]
    assert result.unmatched == {11: "Every suitable coach is full"}


def test_pinned_pair_is_kept_even_when_it_lowers_the_total():
    a = coach(1, strengths=frozenset({"feedback"}))
    result = match([a], [coachee(10, focus=frozenset({"feedback"})), coachee(11)], pinned=[(1, 11)])
    assert [(p.coach_id, p.coachee_id, p.reasons[0]) for p in result.pairs] == [(1, 11, matching.PINNED)]
    assert result.unmatched == {10: matching.FULL}


def test_forbidden_pair_is_never_proposed():
    result = match([coach(1), coach(2)], [coachee(10)], forbidden=[(1, 10)])
    assert [(p.coach_id, p.coachee_id) for p in result.pairs] == [(2, 10)]


@pytest.mark.parametrize(
    ("coaches", "coachees", "pinned", "forbidden", "message"),
    [
        (
            [coach(10)],
            [coachee(10)],
            [(10, 10)],
            (),
            "Pinned pair (coach 10, coachee 10) breaks a hard rule: a person",
        ),
        ([coach(1, manages=frozenset({10}))], [coachee(10)], [(1, 10)], (), "line-management link"),
        ([Coach(1, 1, 10)], [coachee(10)], [(1, 10)], (), "line-management link"),
        ([coach(1), coach(10, manages=frozenset({1}))], [coachee(10)], [(1, 10)], (), "line-management link"),
        (
            [coach(1, department_id=2)],
            [coachee(10, outside_department=True)],
            [(1, 10)],
            (),
            "outside their department",
        ),
        ([coach(1)], [coachee(10, is_ect=True)], [(1, 10)], (), "early-career teacher"),
        ([coach(1)], [coachee(10)], [(1, 10)], [(1, 10)], "the pair is also forbidden"),
        ([coach(1)], [coachee(10)], [(2, 10)], (), "Pinned pair (coach 2, coachee 10): there is no coach 2"),
        ([coach(1)], [coachee(10)], [(1, 11)], (), "there is no coachee 11"),
        (
            [coach(1), coach(2)],
            [coachee(10)],
            [(1, 10), (2, 10)],
            (),
            "coachee 10 is already pinned to coach 1",
        ),
        (
            [coach(1)],
            [coachee(10), coachee(11)],
            [(1, 10), (1, 11)],
            (),
            "coach 1 has no room left (capacity 1)",
        ),
    ],
)
def test_match_refuses_an_impossible_pin(coaches, coachees, pinned, forbidden, message):
    with pytest.raises(ValueError, match="Pinned pair") as error:
        match(coaches, coachees, pinned=pinned, forbidden=forbidden)
    assert message in str(error.value)


def test_match_accepts_the_same_pin_twice():
    result = match([coach(1)], [coachee(10)], pinned=[(1, 10), (1, 10)])
    assert [(p.coach_id, p.coachee_id) for p in result.pairs] == [(1, 10)]


@pytest.mark.parametrize(
    ("coaches", "coachees", "message"),
    [
        ([coach(1), coach(1)], [], "The coach id 1 appears more than once"),
        ([], [coachee(10), coachee(10)], "The coachee id 10 appears more than once"),
        ([coach(1, capacity=-1)], [], "Coach 1 has a negative capacity"),
    ],
)
def test_match_refuses_bad_input(coaches, coachees, message):
    with pytest.raises(ValueError, match=message):
        match(coaches, coachees)


def test_match_with_nobody():
    assert match([], []) == Result([], {}, 0, True)
    assert match([coach(1)], []) == Result([], {}, 0, True)
