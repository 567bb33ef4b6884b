"""Intern timetables: propose which teaching groups each intern (trainee teacher) takes, so every intern gets
a comparable load and range in their subject, under hard rules that are never broken.

Pure Python with numpy and scipy, no Django, so it can be tested and benchmarked on its own. The web
layer turns the school's imported teaching groups into `Group` values and the year's interns into `Intern`
values, calls `balance`, and shows the result; the tutor can pin or forbid a group for an intern and re-run.

Hard rules (an assignment that breaks one is never proposed):
- an intern only teaches groups of their own subject (subjects are compared case-insensitively after
  strip(), so "Maths" and " maths" are the same subject);
- a forbidden (intern, group) pair is never assigned; a pinned pair always is;
- each group has at most `class_limit` interns, counted across all the interns passed in (the whole year's
  placements);
- each intern's load, the sum of the periods a week of their groups, is at most their `target_periods`.

Objective (whole numbers; `balance` minimises it and `objective_of` computes it for any assignment):

    100 * (largest shortfall over interns)
  +  10 * (sum of shortfalls over interns)
  -   1 * (sum over interns of: distinct key stages taught + distinct non-empty ability bands taught)

where an intern's shortfall is target_periods - load (never negative, because the load is at most the
target). With no interns, the largest shortfall is 0. Key stages come from `key_stage(year_group)`;
ability bands are compared case-insensitively after strip(), and an empty ability is not a band. So the
worst-off intern weighs most (100 a period), then the total load (10 a period), then range (1 for each key
stage or ability band an intern teaches). These are weights, not strict priorities; one consequence, when
groups are scarce, is that an intern may be given nothing so that a colleague with a larger target is
less short: that lowers the largest shortfall by more than it loses in range.

Consequence, used for the reasons below: in an optimal answer no group is left without an intern while a
suitable intern has room for it, because adding it lowers that intern's shortfall (worth 10 a period) and
raises no other term.

How it is solved (`scipy.optimize.milp`, HiGHS). The objective splits by subject except for the largest
shortfall: for a bound M on every shortfall, the subjects are independent. So, writing
rest = 10 * (sum of shortfalls) - range for one subject's interns:
1. each subject is solved on its own with no bound, minimising W * rest + (its largest shortfall), where
   W = its largest target + 1, so rest comes first and the largest shortfall breaks ties. Its rest is then
   the least it can ever have, and the union of the subjects' answers is a timetable, the best so far;
2. while 100 * (the least any largest shortfall could be, from the interns whose groups cannot reach their
   target) + the sum of the subjects' rests is below the best objective so far, the bound M is set one
   below the current largest shortfall and only the subjects over it are solved again with every
   shortfall at most M; a subject's rest can only grow as M falls, so this bound is a true lower bound;
3. it stops when that bound no longer beats the best, or when a subject cannot keep to M (then no smaller
   M can work either). The best timetable seen is then optimal, since every M that could beat it was
   tried.
One subject's model: a binary x[i,g] only for the allowed pairs (a pinned pair has lower bound 1); one
variable s >= target_i - load_i for each intern, with s at most M; and y[i,b] in [0, 1] for "intern i
covers key stage or ability band b", with y[i,b] <= the sum of x[i,g] over i's groups in b, only for bands
i could cover. y and s need not be declared integer: for integer x their best values are integers. A
class-limit row is written only for a group with more candidate interns than the limit, and a load row
only for an intern whose candidate groups come to more than their target. Options: mip_rel_gap 0 and what
is left of the caller's time limit, so `Result.optimal` is True only when HiGHS proved every solve
optimal (status 0) or infeasible. One model for the whole year (the same x and y, one s) gives the same
objective but is much slower: on the benchmark (`bench/ite_timetable.py`: 100 interns, 1,500 groups in
12 subjects, class limit 1) it took about 19 s, against about 3.5 s this way (3 to 6 s with other seeds).
Subjects with few groups for their interns are harder: 100 interns over only 500 groups took about 20 s,
most of it one subject whose groups only just cover its interns' targets.

Before solving, the pins are checked, since without pins the empty timetable keeps every hard rule and
only a pin can make the rules impossible to keep. Each conflict gives one plain-English sentence naming
the intern and the group code, and `balance` returns `feasible=False` instead of raising: a pin of a group
in another subject; a pair both pinned and forbidden; a group pinned to more interns than the class limit;
an intern whose pinned groups come to more than their target; a pin naming an unknown intern or group.
Bad imported data (a repeated id, a group with no periods or a year group outside 1 to 13, a negative
target or class limit) is reported the same way. A forbidden pair naming an unknown intern or group, or a
group of another subject, rules nothing out that was possible, so it is ignored. A solver status other
than optimal is reported as a sentence too, and the result is feasible but not optimal: it keeps the best
timetable found, and a subject for which HiGHS found nothing before the time limit keeps only its pins.

Every group with no intern gets a reason, the first that applies:
- "No intern teaches <subject>";
- "Ruled out for every <subject> intern" (the tutor forbade it for each of them);
- "The class limit is 0, so no group can have an intern";
- "Every <subject> intern who could take it would go over their target load";
- otherwise a suitable intern has room for it, which (see above) only happens when the solver stopped
  before finishing (its time limit, or a failure), and the reason says so.

Every intern short of their target gets a reason too (`_Problem.short_reason`), the first that applies:
no class of their subject among the imported ones; every one ruled out for them; a class limit of 0; they
already teach every class open to them; else how many of the other classes open to them are full (other
interns use the class limit) and how many would take them over their target. Each is a fact about the
data, never a guess: "no class fits" is not said of an intern whose subject has no class at all.

Ties are broken deterministically: interns, groups, pins and forbids are sorted by id and subjects by
name before the models are built, so the same input gives the same models and HiGHS (deterministic for a
given model) returns the same timetable whatever order the input came in. Among equally good timetables
the one returned is otherwise up to HiGHS, apart from the tie-break inside step 1; there is no documented
secondary preference, so only objective values are comparable between equally good answers.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_array

MAX_SHORTFALL_WEIGHT = 100
SHORTFALL_WEIGHT = 10
RANGE_WEIGHT = 1

NO_INTERN = "No intern teaches {subject}"
RULED_OUT = "Ruled out for every {subject} intern"
NO_CLASS_ROOM = "The class limit is 0, so no group can have an intern"
OVER_TARGET = "Every {subject} intern who could take it would go over their target load"
STOPPED = (
    "Left out because the solver stopped before finishing: a {subject} intern still has room for it, "
    "so re-run, with a longer time limit if need be"
)

SHORT_NO_CLASS = "There are no {subject} classes among the imported classes"
SHORT_RULED_OUT = "Every {subject} class is ruled out for them"
SHORT_ALL_TAKEN = "They already teach every {subject} class open to them, and these come to {periods} a week"
STOPPED_SHORT = (
    "A {subject} class still fits, but the solver stopped before finishing: re-run, with a longer time "
    "limit if need be"
)

_KEY_STAGES = ((1, 2, "KS1"), (3, 6, "KS2"), (7, 9, "KS3"), (10, 11, "KS4"), (12, 13, "KS5"))


@dataclass(frozen=True)
class Group:
    id: int
    code: str
    """As the school writes it, e.g. "9X/Ma1"."""
    subject: str
    """Compared case-insensitively after strip()."""
    year_group: int
    """1 to 13; the key stage is key_stage(year_group)."""
    periods: int
    """Periods a week, at least 1."""
    ability: str = ""
    """E.g. "set 1" or "mixed"; "" means not stated and is not counted as an ability band."""


@dataclass(frozen=True)
class Intern:
    id: int
    name: str
    subject: str
    target_periods: int
    """The most periods a week this intern should teach: a hard maximum, and the load aimed for."""


@dataclass
class InternSummary:
    intern: Intern
    group_ids: list[int]
    """Sorted."""
    load: int
    """Periods a week of the intern's groups."""
    shortfall: int
    """target_periods - load, never negative."""
    key_stages: list[str]
    """Sorted, distinct."""
    abilities: list[str]
    """Distinct non-empty ability bands, sorted case-insensitively, each spelt (stripped) as in the
    lowest-id of the intern's groups in that band."""


@dataclass
class Result:
    feasible: bool
    """False when the hard rules cannot all be kept (only pins can cause that) or the input is bad."""
    optimal: bool
    """True when HiGHS proved no timetable has a lower objective."""
    problems: list[str]
    """When not feasible, one plain-English sentence per conflict or bad value. Empty for an optimal
    timetable. When the solver stopped short (its time limit, or a failure), the result is still feasible,
    not optimal, and this says so."""
    interns: list[InternSummary]
    """In intern id order; empty when not feasible."""
    group_counts: dict[int, int]
    """Group id -> number of interns on it, for every group (0 included), in group id order; empty when
    not feasible."""
    uncovered: dict[int, str]
    """Group id -> why no intern has it, in group id order; empty when not feasible."""
    objective: int
    """The objective of the timetable (see the module docstring); 0 when not feasible."""
    seconds: float
    """Wall-clock time `balance` took."""
    complete: bool = True
    """False when the solver found nothing at all for some subject (it failed or stopped before its first
    timetable), so that subject's interns keep only their pins: a timetable, but not one to publish over
    a better one."""
    short: dict[int, str] = field(default_factory=dict)
    """Intern id -> why that intern teaches less than their target (see `_Problem.short_reason`), for
    every intern with a shortfall, in intern id order; empty when not feasible."""


def key_stage(year_group: int) -> str:
    """The key stage of a year group: "KS1" (years 1-2), "KS2" (3-6), "KS3" (7-9), "KS4" (10-11) or "KS5"
    (12-13). Raises ValueError for any other year group."""
    for first, last, name in _KEY_STAGES:
        if first <= year_group <= last:
            return name
    raise ValueError(f"Year group {year_group} is outside 1 to 13")


def _norm(text: str) -> str:
    return text.strip().casefold()


def _bands(group: Group) -> list[tuple[str, str]]:
    """The range bands a group counts towards: its key stage, and its ability band if stated."""
    bands = [("key stage", key_stage(group.year_group))]
    if ability := _norm(group.ability):
        bands.append(("ability", ability))
    return bands


def objective_of(interns: Iterable[Intern], groups: Iterable[Group], assignment: dict[int, set[int]]) -> int:
    """The objective `balance` minimises (see the module docstring) for `assignment`, intern id -> group
    ids; an intern missing from it teaches nothing. Hard rules other than the target are not checked.
    Raises ValueError for an unknown id or a load over the intern's target, where the objective is not
    defined."""
    by_id = {g.id: g for g in groups}
    interns = list(interns)
    known = {i.id for i in interns}
    if unknown := set(assignment) - known:
        raise ValueError(f"Unknown intern ids {sorted(unknown)}")
    shortfalls, covered = [], 0
    for intern in interns:
        ids = set(assignment.get(intern.id, ()))
        if missing := ids - set(by_id):
            raise ValueError(f"Unknown group ids {sorted(missing)}")
        load = sum(by_id[g].periods for g in ids)
        if load > intern.target_periods:
            raise ValueError(f"Intern {intern.id} would teach {load} periods, over their target")
        shortfalls.append(intern.target_periods - load)
        covered += len({band for g in ids for band in _bands(by_id[g])})
    return (
        MAX_SHORTFALL_WEIGHT * max(shortfalls, default=0)
        + SHORTFALL_WEIGHT * sum(shortfalls)
        - RANGE_WEIGHT * covered
    )


def _list(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def _periods(n: int) -> str:
    return _count(n, "period")


def _classes(n: int) -> str:
    return f"{n} class{'es' if n != 1 else ''}"


class _Problem:
    """Interns and groups in id order, the allowed pairs, and the pins and forbids by index."""

    def __init__(self, interns: Iterable[Intern], groups: Iterable[Group], class_limit: int) -> None:
        self.interns = sorted(interns, key=lambda i: i.id)
        self.groups = sorted(groups, key=lambda g: g.id)
        self.class_limit = class_limit
        self.problems: list[str] = []
        self.intern_index = self._index(self.interns, "intern")
        self.group_index = self._index(self.groups, "group")
        if class_limit < 0:
            self.problems.append(f"The class limit is {class_limit}; it must be 0 or more.")
        for intern in self.interns:
            if intern.target_periods < 0:
                self.problems.append(
                    f"{intern.name} has a target of {intern.target_periods} periods a week; "
                    "it must be 0 or more."
                )
        for group in self.groups:
            if group.periods < 1:
                self.problems.append(
                    f"Group {group.code} has {group.periods} periods a week; every group needs at least 1."
                )
            if not 1 <= group.year_group <= 13:
                self.problems.append(
                    f"Group {group.code} is in year {group.year_group}; year groups run from 1 to 13."
                )
        self.intern_subject = [_norm(i.subject) for i in self.interns]
        self.group_subject = [_norm(g.subject) for g in self.groups]
        self.pinned: set[tuple[int, int]] = set()
        self.forbidden: set[tuple[int, int]] = set()

    def _index(self, items: list, kind: str) -> dict[int, int]:
        index: dict[int, int] = {}
        for k, item in enumerate(items):
            if index.setdefault(item.id, k) != k:
                self.problems.append(f"The {kind} id {item.id} appears more than once.")
        return index

    def same_subject(self, i: int, g: int) -> bool:
        return self.intern_subject[i] == self.group_subject[g]

    def read_forbids(self, forbids: Iterable[tuple[int, int]]) -> None:
        for intern_id, group_id in sorted(set(forbids)):
            i, g = self.intern_index.get(intern_id), self.group_index.get(group_id)
            if i is not None and g is not None:
                self.forbidden.add((i, g))

    def read_pins(self, pins: Iterable[tuple[int, int]]) -> None:
        """Keep the pins that can be kept; add a sentence for each that cannot."""
        for intern_id, group_id in sorted(set(pins)):
            i, g = self.intern_index.get(intern_id), self.group_index.get(group_id)
            if i is None and g is None:
                self.problems.append(
                    f"A pin names intern {intern_id} and group {group_id}, and neither is in this timetable."
                )
                continue
            if i is None:
                assert g is not None  # both None is handled above
                self.problems.append(
                    f"A pin puts group {self.groups[g].code} with intern {intern_id}, who is not one of "
                    "this year's interns."
                )
                continue
            intern = self.interns[i]
            if g is None:
                self.problems.append(
                    f"A pin gives {intern.name} group {group_id}, which is not among the imported groups."
                )
                continue
            group = self.groups[g]
            if not self.same_subject(i, g):
                self.problems.append(
                    f"{intern.name} is pinned to {group.code}, a {group.subject.strip()} group, but teaches "
                    f"{intern.subject.strip()}."
                )
            elif (i, g) in self.forbidden:
                self.problems.append(f"{intern.name} is both pinned to {group.code} and ruled out of it.")
            else:
                self.pinned.add((i, g))
        for g, group in enumerate(self.groups):
            names = [self.interns[i].name for i, h in sorted(self.pinned) if h == g]
            if len(names) > self.class_limit:
                limit = (
                    "the class limit is 0, so no group can have an intern"
                    if self.class_limit == 0
                    else f"the class limit is {_count(self.class_limit, 'intern')}"
                )
                self.problems.append(
                    f"{group.code} is pinned to {_count(len(names), 'intern')} ({_list(names)}), but {limit}."
                )
        for i, intern in enumerate(self.interns):
            codes = [self.groups[g] for j, g in sorted(self.pinned) if j == i]
            load = sum(group.periods for group in codes)
            if load > intern.target_periods:
                self.problems.append(
                    f"{intern.name}'s pinned groups ({_list([group.code for group in codes])}) come to "
                    f"{_periods(load)} a week, over their target of {_periods(intern.target_periods)}."
                )

    def allowed_pairs(self) -> tuple[np.ndarray, np.ndarray]:
        """(intern index, group index) of every allowed pair, sorted by intern then group."""
        by_subject: dict[str, list[int]] = {}
        for g, subject in enumerate(self.group_subject):
            by_subject.setdefault(subject, []).append(g)
        rows, cols = [], []
        for i, subject in enumerate(self.intern_subject):
            for g in by_subject.get(subject, []):
                if (i, g) not in self.forbidden:
                    rows.append(i)
                    cols.append(g)
        return np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64)

    def uncovered_reason(self, g: int, loads: list[int]) -> str:
        """Why group g has no intern, given each intern's load (first reason that applies)."""
        group = self.groups[g]
        subject = group.subject.strip()
        same = [i for i in range(len(self.interns)) if self.same_subject(i, g)]
        if not same:
            return NO_INTERN.format(subject=subject)
        allowed = [i for i in same if (i, g) not in self.forbidden]
        if not allowed:
            return RULED_OUT.format(subject=subject)
        if self.class_limit == 0:
            return NO_CLASS_ROOM
        if all(loads[i] + group.periods > self.interns[i].target_periods for i in allowed):
            return OVER_TARGET.format(subject=subject)
        return STOPPED.format(subject=subject)

    def short_reason(self, i: int, per_intern: list[list[int]], counts: np.ndarray, loads: list[int]) -> str:
        """Why intern i teaches less than their target, the first that applies, each a fact about the
        data: no class of their subject at all; every one ruled out for them; a class limit of 0; they
        already teach every class open to them; or, for the other classes open to them, how many are full
        (other interns use the class limit) and how many would take them over their target. Otherwise a
        class still fits, which only happens when the solver stopped before finishing."""
        intern = self.interns[i]
        subject = intern.subject.strip()
        same = [g for g in range(len(self.groups)) if self.same_subject(i, g)]
        if not same:
            return SHORT_NO_CLASS.format(subject=subject)
        allowed = [g for g in same if (i, g) not in self.forbidden]
        if not allowed:
            return SHORT_RULED_OUT.format(subject=subject)
        if self.class_limit == 0:
            return NO_CLASS_ROOM
        mine = set(per_intern[i])
        others = [g for g in allowed if g not in mine]
        if not others:
            return SHORT_ALL_TAKEN.format(subject=subject, periods=_periods(loads[i]))
        full = [g for g in others if counts[g] >= self.class_limit]
        too_big = [
            g for g in others if g not in full and loads[i] + self.groups[g].periods > intern.target_periods
        ]
        if len(full) + len(too_big) < len(others):
            return STOPPED_SHORT.format(subject=subject)
        parts = []
        if full:
            limit = _count(self.class_limit, "intern")
            parts.append(
                f"{_classes(len(full))} already {'has' if len(full) == 1 else 'have'} {limit}, the class limit"
            )
        if too_big:
            parts.append(
                f"{_classes(len(too_big))} would take them over their target of "
                f"{_periods(intern.target_periods)} a week"
            )
        return f"Of the other {subject} classes open to them, " + ", and ".join(parts)


@dataclass
class _Block:
    """The interns of one subject and their allowed pairs: the objective splits by subject except for the
    largest shortfall, so each subject is solved on its own for a given bound on the shortfall."""

    interns: list[int]
    pi: np.ndarray
    pg: np.ndarray
    pins: frozenset[tuple[int, int]]
    chosen: set[tuple[int, int]]
    floor: int = 0
    """The least the block's largest shortfall can be: an intern whose groups cannot reach their target."""
    rest: int = 0
    """10 * (sum of shortfalls) - range, for `chosen`."""
    worst: int = 0
    """The largest shortfall in `chosen`."""


def _blocks(problem: _Problem) -> list[_Block]:
    pi, pg = problem.allowed_pairs()
    by_subject: dict[str, list[int]] = {}
    for i, subject in enumerate(problem.intern_subject):
        by_subject.setdefault(subject, []).append(i)
    blocks = []
    for subject in sorted(by_subject):
        members = by_subject[subject]
        mask = np.isin(pi, members)
        pins = frozenset((i, g) for i, g in problem.pinned if i in set(members))
        supply = dict.fromkeys(members, 0)
        for i, g in zip(pi[mask].tolist(), pg[mask].tolist(), strict=True):
            supply[i] += problem.groups[g].periods
        floor = max(max(0, problem.interns[i].target_periods - supply[i]) for i in members)
        blocks.append(_Block(members, pi[mask], pg[mask], pins, set(pins), floor))
    return blocks


def _score(problem: _Problem, block: _Block, chosen: set[tuple[int, int]]) -> tuple[int, int]:
    """(10 * sum of shortfalls - range, largest shortfall) of the block's interns under `chosen`."""
    load = dict.fromkeys(block.interns, 0)
    bands: dict[int, set[tuple[str, str]]] = {i: set() for i in block.interns}
    for i, g in chosen:
        load[i] += problem.groups[g].periods
        bands[i].update(_bands(problem.groups[g]))
    shortfalls = [problem.interns[i].target_periods - load[i] for i in block.interns]
    rest = SHORTFALL_WEIGHT * sum(shortfalls) - RANGE_WEIGHT * sum(len(b) for b in bands.values())
    return rest, max(shortfalls, default=0)


def _solve_block(
    problem: _Problem, block: _Block, cap: int | None, seconds: float
) -> tuple[str, set[tuple[int, int]] | None, str]:
    """Minimise W * (10 * sum of shortfalls - range) + (largest shortfall) over the block, every shortfall
    at most `cap` (None: no bound), W = the block's largest target + 1, so the range-and-shortfall part
    comes first and the largest shortfall breaks ties. Returns the status ("optimal", "infeasible",
    "stopped" at the time limit, or "failed"), the chosen pairs (None if HiGHS found none) and HiGHS's
    message."""
    pi, pg = block.pi, block.pg
    k = len(pi)
    if k == 0:
        return "optimal", set(), ""
    targets = np.array([problem.interns[i].target_periods for i in block.interns], dtype=np.int64)
    local = np.full(len(problem.interns), -1)
    local[block.interns] = np.arange(len(block.interns))
    li = local[pi]
    periods = np.array([problem.groups[g].periods for g in pg.tolist()], dtype=np.int64)
    supply = np.bincount(li, weights=periods, minlength=len(block.interns)).astype(np.int64)
    weight = int(targets.max()) + 1

    # y[i, b]: one per (intern, band) the intern could cover.
    y_index: dict[tuple[int, tuple[str, str]], int] = {}
    y_rows, y_cols = [], []
    for pos, (i, g) in enumerate(zip(li.tolist(), pg.tolist(), strict=True)):
        for band in _bands(problem.groups[g]):
            y_rows.append(y_index.setdefault((i, band), len(y_index)))
            y_cols.append(pos)
    n_y = len(y_index)
    s = k + n_y  # the largest-shortfall variable
    n_vars = s + 1

    cost = np.zeros(n_vars)
    cost[:k] = -weight * SHORTFALL_WEIGHT * periods
    cost[k:s] = -weight * RANGE_WEIGHT
    cost[s] = 1
    lower, upper = np.zeros(n_vars), np.ones(n_vars)
    lower[:k] = [(i, g) in block.pins for i, g in zip(pi.tolist(), pg.tolist(), strict=True)]
    lower[s] = block.floor
    upper[s] = int(targets.max()) if cap is None else cap

    def rows(values, row, col, n_rows: int, lo, hi) -> LinearConstraint:
        matrix = coo_array((values, (row, col)), shape=(n_rows, n_vars)).tocsr()
        return LinearConstraint(matrix, lo, hi)

    # y[i, b] <= the number of i's groups in band b.
    constraints = [
        rows(
            np.concatenate([np.ones(n_y), -np.ones(len(y_cols))]),
            np.concatenate([np.arange(n_y), y_rows]),
            np.concatenate([np.arange(k, s), y_cols]),
            n_y,
            -np.inf,
            0,
        )
    ]
    # Class limit, only for groups with more candidate interns than the limit.
    _, group_row, candidates = np.unique(pg, return_inverse=True, return_counts=True)
    crowded = candidates > problem.class_limit
    if crowded.any():
        row_of = np.cumsum(crowded) - 1
        use = crowded[group_row]
        constraints.append(
            rows(
                np.ones(int(use.sum())),
                row_of[group_row[use]],
                np.flatnonzero(use),
                int(crowded.sum()),
                -np.inf,
                problem.class_limit,
            )
        )
    # Load at most the target, only for interns whose candidate groups come to more than it.
    over = supply > targets
    if over.any():
        row_of = np.cumsum(over) - 1
        use = over[li]
        constraints.append(
            rows(periods[use], row_of[li[use]], np.flatnonzero(use), int(over.sum()), -np.inf, targets[over])
        )
    # Largest shortfall: load + s >= target for every intern (an intern with no candidate is in `floor`).
    has = supply > 0
    row_of = np.cumsum(has) - 1
    constraints.append(
        rows(
            np.concatenate([periods, np.ones(int(has.sum()))]),
            np.concatenate([row_of[li], np.arange(int(has.sum()))]),
            np.concatenate([np.arange(k), np.full(int(has.sum()), s)]),
            int(has.sum()),
            targets[has],
            np.inf,
        )
    )

    integrality = np.zeros(n_vars)
    integrality[:k] = 1
    solution = milp(
        cost,
        integrality=integrality,
        bounds=Bounds(lower, upper),
        constraints=constraints,
        options={"time_limit": max(seconds, 0.001), "mip_rel_gap": 0, "presolve": True, "disp": False},
    )
    status = {0: "optimal", 1: "stopped", 2: "infeasible"}.get(solution.status, "failed")
    if solution.x is None or status == "infeasible":
        return status, None, solution.message
    chosen = {(int(pi[c]), int(pg[c])) for c in np.flatnonzero(solution.x[:k] > 0.5)}
    return status, chosen | block.pins, solution.message  # pins have lower bound 1: a guard only


def _search(problem: _Problem, time_limit: float) -> tuple[set[tuple[int, int]], bool, bool, list[str]]:
    """The chosen pairs, whether they are proved optimal, whether the solver found something for every
    subject, and sentences if the solver stopped short: steps 1 to 3 of the module docstring."""
    deadline = time.perf_counter() + time_limit
    blocks = _blocks(problem)
    statuses: list[str] = []
    messages: list[str] = []
    found_nothing: list[_Block] = []

    def solve(block: _Block, cap: int | None) -> str:
        status, chosen, message = _solve_block(problem, block, cap, deadline - time.perf_counter())
        if status == "infeasible" and cap is None:  # the pins alone keep every rule, so HiGHS erred
            status = "failed"
        statuses.append(status)
        if status == "failed":
            messages.append(message)
        if chosen is None and cap is None:
            found_nothing.append(block)
        if chosen is not None:  # else a subject solved for the first time keeps its pins only
            block.chosen = chosen
            block.rest, block.worst = _score(problem, block, chosen)
        return status

    for block in blocks:
        block.rest, block.worst = _score(problem, block, block.chosen)
        solve(block, None)
    optimal = all(status == "optimal" for status in statuses)

    def value() -> int:
        return MAX_SHORTFALL_WEIGHT * max((b.worst for b in blocks), default=0) + sum(b.rest for b in blocks)

    best, best_chosen = value(), [b.chosen for b in blocks]
    floor = max((b.floor for b in blocks), default=0)
    bound = max((b.worst for b in blocks), default=0) - 1
    while optimal and bound >= floor and MAX_SHORTFALL_WEIGHT * floor + sum(b.rest for b in blocks) < best:
        over = [b for b in blocks if b.worst > bound]
        status = "optimal"
        for block in over:
            if (status := solve(block, bound)) != "optimal":
                break
        # Whatever happened, each subject's answer keeps the rules, so their union is a timetable.
        if value() < best:
            best, best_chosen = value(), [b.chosen for b in blocks]
        if status != "optimal":
            optimal = status == "infeasible"  # no smaller bound can work either
            break
        bound = max(b.worst for b in blocks) - 1

    notes = []
    if "stopped" in statuses:
        notes.append(
            f"The solver stopped at its time limit of {time_limit:g} seconds before proving this is the best "
            "timetable; re-run with a longer time limit for the best one."
        )
    if messages:
        notes.append(
            f"The solver failed ({messages[0]}), so this timetable may not be the best; a subject it found "
            "nothing for keeps only its pins."
        )
    return set().union(*best_chosen), optimal, not found_nothing, notes


def balance(
    interns: Iterable[Intern],
    groups: Iterable[Group],
    *,
    class_limit: int = 1,
    pins: Iterable[tuple[int, int]] = (),
    forbids: Iterable[tuple[int, int]] = (),
    time_limit: float = 60.0,
) -> Result:
    """The timetable of lowest objective under the hard rules (see the module docstring). `pins` and
    `forbids` hold (intern id, group id) pairs. Never raises for bad input or conflicting pins: those come
    back as `Result.problems` with `feasible=False`."""
    started = time.perf_counter()
    problem = _Problem(interns, groups, class_limit)

    def refused(problems: list[str]) -> Result:
        return Result(False, False, problems, [], {}, {}, 0, time.perf_counter() - started)

    if problem.problems:
        return refused(problem.problems)
    problem.read_forbids(forbids)
    problem.read_pins(pins)
    if problem.problems:
        return refused(problem.problems)

    chosen, optimal, complete, notes = _search(problem, time_limit)
    per_intern: list[list[int]] = [[] for _ in problem.interns]
    for i, g in sorted(chosen):
        per_intern[i].append(g)
    summaries, loads = [], []
    for i, intern in enumerate(problem.interns):
        mine = [problem.groups[g] for g in per_intern[i]]
        load = sum(g.periods for g in mine)
        spelling: dict[str, str] = {}
        for group in mine:
            if key := _norm(group.ability):
                spelling.setdefault(key, group.ability.strip())
        summaries.append(
            InternSummary(
                intern=intern,
                group_ids=[g.id for g in mine],
                load=load,
                shortfall=intern.target_periods - load,
                key_stages=sorted({key_stage(g.year_group) for g in mine}),
                abilities=[spelling[key] for key in sorted(spelling)],
            )
        )
        loads.append(load)
    counts = np.bincount(np.array([g for _, g in chosen], dtype=np.int64), minlength=len(problem.groups))
    group_counts = {group.id: int(counts[g]) for g, group in enumerate(problem.groups)}
    uncovered = {
        group.id: problem.uncovered_reason(g, loads)
        for g, group in enumerate(problem.groups)
        if counts[g] == 0
    }
    short = {
        intern.id: problem.short_reason(i, per_intern, counts, loads)
        for i, intern in enumerate(problem.interns)
        if loads[i] < intern.target_periods
    }
    assignment = {s.intern.id: set(s.group_ids) for s in summaries}
    return Result(
        feasible=True,
        optimal=optimal,
        problems=notes,
        interns=summaries,
        group_counts=group_counts,
        uncovered=uncovered,
        objective=objective_of(problem.interns, problem.groups, assignment),
        seconds=time.perf_counter() - started,
        complete=complete,
        short=short,
    )
