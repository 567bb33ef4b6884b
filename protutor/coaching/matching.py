"""Coach matching: propose coach-coachee pairs that maximise a documented score under hard rules.

Pure Python with numpy and scipy, no Django, so it can be tested and benchmarked on its own. The
services layer turns sign-ups into `Coach` and `Coachee` values, calls `match`, and shows the result.

Hard rules (a pair that breaks one is impossible and is never proposed):
- a person is never paired with themself (a volunteer coach may also have signed up as a coachee);
- no pair across a direct line-management link, in either direction: the coach line-manages the
  coachee, or the coachee line-manages the coach (read from both `line_manager_id` and `manages`);
- no pair from the same department when the coachee asked for a coach outside their department
  (a department id of None matches nothing);
- an early-career teacher (ECT) is only paired with a coach marked ready to coach ECTs;
- each coach takes at most `capacity` coachees, and each coachee has at most one coach;
- the coordinator's forbidden pairs are impossible; pinned pairs are fixed before the rest is matched,
  use the coach's capacity, and are refused with a ValueError if they break a hard rule.

Score of a possible pair (whole numbers, so equal totals are compared exactly):
    10 * shared focus tags (|coachee.focus ∩ coach.strengths|, at most 3 counted)
  +  2 * free periods in common (|coachee.free ∩ coach.free|, at most 5 counted)
  +  1 base point for any possible pair.
So a pair scores from 1 to 41. The base point makes matching someone always beat leaving them
unmatched. A pair with no free period in common is allowed but scores lower: as the agreement says,
sessions are in protected time with cover, so their sessions need cover for both, which is requested when
they book one (`NO_FREE` says so, and what the coordinator can do instead).
Focus tags are compared exactly as given; the caller normalises them.

`match` maximises the total score over all pairs (a maximum-weight b-matching). Design choice:
`scipy.optimize.linear_sum_assignment` rather than `milp`. Each coach becomes `capacity` identical
columns (slots), each coachee a row; an impossible pair scores 0, the same as leaving the coachee
unmatched, and a row given an impossible pair is reported unmatched. Every real pair scores at least 1, so
an assignment of maximum weight is a maximum-weight b-matching and nobody is forced into an impossible
pair; no dummy columns are needed because the rectangular solver leaves rows over when there are more
coachees than slots. linear_sum_assignment is an exact algorithm (shortest augmenting paths with dual
potentials, Crouse 2016) with no time limit or gap: when it returns, its answer is optimal, so
`Result.optimal` is True. On the benchmark (1,000 coachees, 300 coaches with capacities 2 to 4, 883
slots) `match` takes 0.06 to 0.12 s, score matrix included, against the 2 s target. The same problem as a
`milp` on HiGHS needs one binary variable per possible pair (about 277,000) and took about 12 s, so it
misses the target; `bench/coaching_matching.py --check-milp` reruns it and checks both totals agree.

Ties are broken deterministically: coaches and coachees are sorted by id before solving, so the same
people give the same pairs whatever order they are passed in.

`greedy` (highest-scoring pair first) is a baseline for the benchmark only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linear_sum_assignment

FOCUS_POINTS = 10
FOCUS_CAP = 3
FREE_POINTS = 2
FREE_CAP = 5
BASE_POINTS = 1

PINNED = "Pinned by the coordinator"
OUTSIDE = "Coach from another department, as you asked"
ECT_READY = "Coach ready to coach early-career teachers"
NO_FREE = (
    "No free period in common: sessions are in protected time, so cover is requested for both when they "
    "book one; to avoid it, rule this pair out and propose again"
)

NO_COACHES = "There are no coaches in this round"
ONLY_YOURSELF = "The only coach is yourself"
LINE_MANAGEMENT = "No coach is free of a line-management link with you"
RULED_OUT = "The coordinator ruled out every coach left for you"
NONE_OUTSIDE = "No coach outside your department is available"
NONE_ECT = "No coach ready to coach early-career teachers is available"
FULL_OUTSIDE_ECT = "No coach outside your department who is ready to coach early-career teachers has room"
FULL_OUTSIDE = "No coach outside your department has room"
FULL_ECT = "No coach ready to coach early-career teachers has room"
FULL = "Every suitable coach is full"


@dataclass(frozen=True)
class Coach:
    id: int
    department_id: int | None
    line_manager_id: int | None
    manages: frozenset[int] = frozenset()
    """Ids of the staff this coach line-manages directly."""
    strengths: frozenset[str] = frozenset()
    """Focus tags the coach is strong in."""
    free: frozenset[tuple[int, int]] = frozenset()
    """(weekday 0-4, period 1-8) when the coach is free."""
    capacity: int = 1
    ready_for_ect: bool = False


@dataclass(frozen=True)
class Coachee:
    id: int
    department_id: int | None
    line_manager_id: int | None
    focus: frozenset[str] = frozenset()
    free: frozenset[tuple[int, int]] = frozenset()
    outside_department: bool = False
    """The coachee asked for a coach from another department."""
    is_ect: bool = False


@dataclass
class Pair:
    coach_id: int
    coachee_id: int
    score: int
    reasons: list[str] = field(default_factory=list)
    """Why this match, in plain words addressed to the coachee."""


@dataclass
class Result:
    pairs: list[Pair]
    """Sorted by coach id, then coachee id."""
    unmatched: dict[int, str]
    """Coachee id -> why they have no coach, in coachee id order."""
    total_score: int
    optimal: bool
    """True when the solver proved the total is the best possible."""


def score(coach: Coach, coachee: Coachee) -> int:
    """The documented score of a pair, whether or not the pair is possible."""
    shared = min(len(coachee.focus & coach.strengths), FOCUS_CAP)
    common = min(len(coachee.free & coach.free), FREE_CAP)
    return FOCUS_POINTS * shared + FREE_POINTS * common + BASE_POINTS


class _Problem:
    """The people in id order, with an n coachees x m coaches score matrix and one mask per hard rule."""

    def __init__(
        self,
        coaches: Iterable[Coach],
        coachees: Iterable[Coachee],
        forbidden: Iterable[tuple[int, int]] = (),
    ) -> None:
        self.coaches = sorted(coaches, key=lambda c: c.id)
        self.coachees = sorted(coachees, key=lambda c: c.id)
        self.coach_index = _index(self.coaches, "coach")
        self.coachee_index = _index(self.coachees, "coachee")
        for coach in self.coaches:
            if coach.capacity < 0:
                raise ValueError(f"Coach {coach.id} has a negative capacity")
        n, m = len(self.coachees), len(self.coaches)
        self.capacity = np.array([c.capacity for c in self.coaches], dtype=np.int64)

        coachee_ids = np.array([c.id for c in self.coachees], dtype=np.int64)
        coach_ids = np.array([c.id for c in self.coaches], dtype=np.int64)
        self.is_self = coachee_ids[:, None] == coach_ids[None, :]

        self.line_managed = np.zeros((n, m), dtype=bool)
        for i, j in self._line_management_links():
            self.line_managed[i, j] = True

        self.forbidden = np.zeros((n, m), dtype=bool)
        for coach_id, coachee_id in forbidden:
            coachee_at, coach_at = self.coachee_index.get(coachee_id), self.coach_index.get(coach_id)
            if coachee_at is not None and coach_at is not None:
                self.forbidden[coachee_at, coach_at] = True

        departments: dict[int, int] = {}
        coachee_dept = np.array(
            [
                -1 if c.department_id is None else departments.setdefault(c.department_id, len(departments))
                for c in self.coachees
            ],
            dtype=np.int64,
        )
        coach_dept = np.array(
            [
                -2 if c.department_id is None else departments.setdefault(c.department_id, len(departments))
                for c in self.coaches
            ],
            dtype=np.int64,
        )
        wants_outside = np.array([c.outside_department for c in self.coachees], dtype=bool)
        self.same_department = wants_outside[:, None] & (coachee_dept[:, None] == coach_dept[None, :])

        is_ect = np.array([c.is_ect for c in self.coachees], dtype=bool)
        ready = np.array([c.ready_for_ect for c in self.coaches], dtype=bool)
        self.not_ready = is_ect[:, None] & ~ready[None, :]

        self.possible = ~(
            self.is_self | self.line_managed | self.forbidden | self.same_department | self.not_ready
        )

        self.shared = _common_counts([c.focus for c in self.coachees], [c.strengths for c in self.coaches])
        self.common = _common_counts([c.free for c in self.coachees], [c.free for c in self.coaches])
        self.score = (
            FOCUS_POINTS * np.minimum(self.shared, FOCUS_CAP)
            + FREE_POINTS * np.minimum(self.common, FREE_CAP)
            + BASE_POINTS
        )
        # An impossible pair is worth exactly as much as leaving the coachee unmatched.
        self.weight = np.where(self.possible, self.score, 0)

    def _line_management_links(self) -> Iterable[tuple[int, int]]:
        """(coachee index, coach index) for every direct line-management link, in either direction."""
        j: int | None  # a coach index, or None for an id that is not a coach's
        for j, coach in enumerate(self.coaches):
            for staff_id in coach.manages:
                if (i := self.coachee_index.get(staff_id)) is not None:
                    yield i, j
            if (
                coach.line_manager_id is not None
                and (i := self.coachee_index.get(coach.line_manager_id)) is not None
            ):
                yield i, j
        for i, coachee in enumerate(self.coachees):
            if (
                coachee.line_manager_id is not None
                and (j := self.coach_index.get(coachee.line_manager_id)) is not None
            ):
                yield i, j
            # A coachee who is also a coach may list the staff they manage on their coach record.
            if (k := self.coach_index.get(coachee.id)) is not None:
                for staff_id in self.coaches[k].manages:
                    if (j := self.coach_index.get(staff_id)) is not None:
                        yield i, j

    def broken_rule(self, i: int, j: int) -> str | None:
        if self.is_self[i, j]:
            return "a person cannot coach themself"
        if self.line_managed[i, j]:
            return "there is a line-management link between them"
        if self.forbidden[i, j]:
            return "the pair is also forbidden"
        if self.same_department[i, j]:
            return "the coachee asked for a coach outside their department"
        if self.not_ready[i, j]:
            return "the coachee is an early-career teacher and the coach is not ready to coach them"
        return None

    def pair(self, i: int, j: int, *, pinned: bool = False) -> Pair:
        coach, coachee = self.coaches[j], self.coachees[i]
        reasons = [PINNED] if pinned else []
        if shared := sorted(coachee.focus & coach.strengths):
            reasons.append("Shares your focus: " + ", ".join(shared))
        common = int(self.common[i, j])
        if common == 0:
            reasons.append(NO_FREE)
        else:
            reasons.append(f"{common} free period{'s' if common != 1 else ''} in common")
        if coachee.outside_department and coachee.department_id is not None:
            reasons.append(OUTSIDE)
        if coachee.is_ect:
            reasons.append(ECT_READY)
        return Pair(coach.id, coachee.id, int(self.score[i, j]), reasons)

    def unmatched_reason(self, i: int) -> str:
        """Why coachee i has no coach. Filters apply in order; the first that leaves nobody is the reason.
        If some coach is possible they are all full: in an optimal (or greedy) result, a possible coach
        with room would have been given this coachee."""
        coachee = self.coachees[i]
        left = np.ones(len(self.coaches), dtype=bool)
        for mask, reason in (
            (None, NO_COACHES),
            (self.is_self[i], ONLY_YOURSELF),
            (self.line_managed[i], LINE_MANAGEMENT),
            (self.forbidden[i], RULED_OUT),
            (self.same_department[i], NONE_OUTSIDE),
            (self.not_ready[i], NONE_ECT),
        ):
            if mask is not None:
                left &= ~mask
            if not left.any():
                return reason
        outside = coachee.outside_department and coachee.department_id is not None
        if outside and coachee.is_ect:
            return FULL_OUTSIDE_ECT
        if outside:
            return FULL_OUTSIDE
        if coachee.is_ect:
            return FULL_ECT
        return FULL

    def result(self, chosen: list[tuple[int, int]], pinned: set[tuple[int, int]], *, optimal: bool) -> Result:
        matched: set[int] = set()
        pairs = []
        for i, j in chosen:
            matched.add(i)
            pairs.append(self.pair(i, j, pinned=(i, j) in pinned))
        pairs.sort(key=lambda p: (p.coach_id, p.coachee_id))
        unmatched = {c.id: self.unmatched_reason(i) for i, c in enumerate(self.coachees) if i not in matched}
        return Result(pairs, unmatched, sum(p.score for p in pairs), optimal)


def _index(people: list, side: str) -> dict[int, int]:
    index: dict[int, int] = {}
    for k, person in enumerate(people):
        if index.setdefault(person.id, k) != k:
            raise ValueError(f"The {side} id {person.id} appears more than once")
    return index


def _common_counts(rows: list[frozenset], columns: list[frozenset]) -> np.ndarray:
    """|rows[i] ∩ columns[j]| for every i, j, as one matrix product of 0/1 incidence matrices."""
    vocabulary = {item: k for k, item in enumerate(sorted({item for r in rows for item in r}))}
    left = np.zeros((len(rows), len(vocabulary)))
    for i, items in enumerate(rows):
        left[i, [vocabulary[item] for item in items]] = 1
    right = np.zeros((len(vocabulary), len(columns)))
    for j, items in enumerate(columns):
        right[[vocabulary[item] for item in items if item in vocabulary], j] = 1
    return np.rint(left @ right).astype(np.int64)


def match(
    coaches: Iterable[Coach],
    coachees: Iterable[Coachee],
    pinned: Iterable[tuple[int, int]] = (),
    forbidden: Iterable[tuple[int, int]] = (),
) -> Result:
    """Pairs of maximum total score under the hard rules. `pinned` and `forbidden` hold
    (coach id, coachee id) pairs. Raises ValueError for a pinned pair that names someone unknown,
    breaks a hard rule (forbidden included), repeats a coachee or overfills a coach."""
    problem = _Problem(coaches, coachees, forbidden)
    room = problem.capacity.copy()
    fixed: dict[int, int] = {}
    for coach_id, coachee_id in dict.fromkeys(pinned):
        name = f"Pinned pair (coach {coach_id}, coachee {coachee_id})"
        j, i = problem.coach_index.get(coach_id), problem.coachee_index.get(coachee_id)
        if j is None:
            raise ValueError(f"{name}: there is no coach {coach_id}")
        if i is None:
            raise ValueError(f"{name}: there is no coachee {coachee_id}")
        if rule := problem.broken_rule(i, j):
            raise ValueError(f"{name} breaks a hard rule: {rule}")
        if i in fixed:
            raise ValueError(
                f"{name}: coachee {coachee_id} is already pinned to coach {problem.coaches[fixed[i]].id}"
            )
        if room[j] == 0:
            raise ValueError(
                f"{name}: coach {coach_id} has no room left (capacity {problem.coaches[j].capacity})"
            )
        fixed[i] = j
        room[j] -= 1

    rows = np.array([i for i in range(len(problem.coachees)) if i not in fixed], dtype=np.int64)
    slots = np.repeat(np.arange(len(problem.coaches)), room)
    chosen = [(i, j) for i, j in fixed.items()]
    if len(rows) and len(slots):
        weight = problem.weight[np.ix_(rows, slots)]
        row_pos, slot_pos = linear_sum_assignment(weight, maximize=True)
        for r, s in zip(row_pos, slot_pos, strict=True):
            i, j = int(rows[r]), int(slots[s])
            if problem.possible[i, j]:
                chosen.append((i, j))
    return problem.result(chosen, set(fixed.items()), optimal=True)


def greedy(coaches: Iterable[Coach], coachees: Iterable[Coachee]) -> Result:
    """Baseline for the benchmark: take possible pairs from the highest score down (ties by coachee id,
    then coach id), skipping a coachee already matched or a coach already full. Not optimal in general."""
    problem = _Problem(coaches, coachees)
    i_all, j_all = np.nonzero(problem.possible)
    order = np.lexsort((j_all, i_all, -problem.score[i_all, j_all]))
    room = problem.capacity.copy()
    matched = np.zeros(len(problem.coachees), dtype=bool)
    chosen = []
    for i, j in zip(i_all[order].tolist(), j_all[order].tolist(), strict=True):
        if not matched[i] and room[j] > 0:
            matched[i] = True
            room[j] -= 1
            chosen.append((i, j))
    return problem.result(chosen, set(), optimal=False)
