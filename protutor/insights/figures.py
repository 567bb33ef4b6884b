"""Differences between suppressed figures, on top of protutor.core.aggregates (DESIGN.md section 2).

A gap (one group's rate minus another's) and a change (this year's minus last year's) are shown only when
both sides are shown: a difference involving a suppressed rate is itself suppressed, so it can never be
used to work a hidden figure back out. Group breakdowns of a cohort go through `aggregates.breakdown`
(complementary suppression), and a group whose cohort is hidden has every rate hidden with it.
"""

from __future__ import annotations

from dataclasses import dataclass

from protutor.core import aggregates
from protutor.core.aggregates import Figure, Rate


@dataclass(frozen=True)
class Difference:
    """Percentage points between two shown rates; `points` is None when either side is suppressed."""

    points: float | None
    threshold: int
    empty: bool = False  # a side has no figure at all (nobody yet), rather than a hidden one

    @property
    def suppressed(self) -> bool:
        return self.points is None

    def __str__(self) -> str:
        if self.points is None:
            return "no figure" if self.empty else "not shown"
        if self.points == 0:
            return "0 points"
        sign = "+" if self.points > 0 else "−"
        return f"{sign}{abs(self.points):g} points"


def hidden_rate() -> Rate:
    return Rate(None, None, aggregates.threshold())


def _points(value) -> float | None:
    if isinstance(value, Rate):
        return value.percent
    if isinstance(value, Difference):
        return value.points
    return None


def _hidden(value) -> bool:
    """Suppressed, as opposed to empty: a hidden rate or difference."""
    if isinstance(value, Rate | Difference):
        return value.suppressed and not getattr(value, "empty", False)
    return False


def difference(first, second) -> Difference:
    """`first` minus `second` (rates or differences), suppressed whenever either side is."""
    a, b = _points(first), _points(second)
    if a is None or b is None:
        return Difference(None, aggregates.threshold(), empty=not (_hidden(first) or _hidden(second)))
    return Difference(round(a - b, 1), aggregates.threshold())


def count_of_sessions(n: int) -> Figure:
    """A count of sessions or departments, not of people: shown as it is. Kept here so that every figure on
    an impact page still comes from one module."""
    return Figure(n, aggregates.threshold())


def hours_per_person(minutes: int, people: int) -> str:
    """Average hours per member of staff; not shown for a group of 1 to threshold-1 people."""
    staff = aggregates.count_of_people(people)
    if staff.suppressed:
        return str(staff)
    if people == 0:
        return "none yet"
    return f"{minutes / 60 / people:.1f}"


def protect(counts: dict, equations) -> dict:
    """Suppress a set of counts tied by sums (a cohort and its groups, departments and the institution).

    `equations`: (total key, member keys), each meaning total = sum of members. Counts of 1 to
    threshold-1 are hidden ("fewer than 5"); then, until nothing changes, in every equation whose hidden
    non-zero cells (total included) are one alone, or add up to less than twice the threshold, the
    smallest shown non-zero cell is withheld too. So no hidden cell is ever the difference of shown ones.
    The same rule as `aggregates.breakdown`, over several equations at once.
    """
    limit = aggregates.threshold()
    hidden = {key for key, n in counts.items() if 0 < n < limit}
    lines = [[total, *members] for total, members in equations]
    changed = True
    while changed:
        changed = False
        for line in lines:
            cells = [key for key in line if counts.get(key, 0) > 0]
            hid = [key for key in cells if key in hidden]
            if not hid or (len(hid) >= 2 and sum(counts[key] for key in hid) >= 2 * limit):
                continue
            shown = sorted((counts[key], str(key), key) for key in cells if key not in hidden)
            if shown:
                hidden.add(shown[0][2])
                changed = True
    return {
        key: Figure(None if key in hidden else n, limit, withheld=key in hidden and not 0 < n < limit)
        for key, n in counts.items()
    }
