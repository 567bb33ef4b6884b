"""The one route from a count to a page: small-number suppression (DESIGN.md section 2)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Figure:
    """A count ready for display; `value` is None when it is suppressed."""

    value: int | None
    threshold: int
    withheld: bool = False

    @property
    def suppressed(self) -> bool:
        return self.value is None

    def __str__(self) -> str:
        if self.value is not None:
            return str(self.value)
        return "withheld" if self.withheld else f"fewer than {self.threshold}"


@dataclass(frozen=True)
class Rate:
    numerator: int | None
    denominator: int | None
    threshold: int

    @property
    def suppressed(self) -> bool:
        return self.denominator is None

    @property
    def percent(self) -> float | None:
        if self.denominator is None or self.numerator is None or self.denominator == 0:
            return None
        return round(100 * self.numerator / self.denominator, 1)

    def __str__(self) -> str:
        if self.denominator is None:
            return f"fewer than {self.threshold} people"
        if self.denominator == 0:
            return "none yet"
        return f"{self.percent:g}%"


def threshold() -> int:
    return settings.PROTUTOR_SUPPRESSION_THRESHOLD


def count_of_people(n: int, *, people: int | None = None) -> Figure:
    """A count about people; shown only when at least `threshold` people stand behind it.

    `people` is the number of distinct people behind the figure when that differs from `n` (for example,
    30 sessions attended by 3 people describe 3 people).
    """
    limit = threshold()
    behind = n if people is None else people
    if 0 < behind < limit:
        return Figure(None, limit)
    return Figure(n, limit)


def rate_of_people(numerator: int, denominator: int) -> Rate:
    """A share of people, suppressed whole when the group is small enough to identify someone."""
    limit = threshold()
    if 0 < denominator < limit:
        return Rate(None, None, limit)
    return Rate(numerator, denominator, limit)


def breakdown(counts: dict) -> dict:
    """Suppress a breakdown whose total is shown elsewhere, so that no cell of 1 to threshold-1 people can
    be read or worked out by subtraction.

    Cells of 1 to threshold-1 are suppressed ("fewer than 5"). While the suppressed cells are fewer than
    two, or add up to less than twice the threshold, the smallest remaining non-zero cell is withheld too
    (complementary suppression, shown as "withheld", since it may be large). So the total minus the shown
    cells is never a single cell, and leaves each hidden cell a wide range of values. docs/adr/0005 says
    what this does not protect against.
    """
    limit = threshold()
    small = {key for key, n in counts.items() if 0 < n < limit}
    withheld: set = set()
    if small:
        others = sorted((n, str(key), key) for key, n in counts.items() if n >= limit)
        hidden_sum = sum(counts[key] for key in small)
        while others and (len(small) + len(withheld) < 2 or hidden_sum < 2 * limit):
            n, _, key = others.pop(0)
            withheld.add(key)
            hidden_sum += n
    return {
        key: Figure(None if key in small | withheld else n, limit, withheld=key in withheld)
        for key, n in counts.items()
    }
