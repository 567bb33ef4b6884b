"""The one route from a count to a page: small-number suppression (DESIGN.md section 2)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Figure:
    """A count ready for display; `value` is None when it is suppressed."""

    value: int | None
    threshold: int

    @property
    def suppressed(self) -> bool:
        return self.value is None

    def __str__(self) -> str:
        return f"fewer than {self.threshold}" if self.value is None else str(self.value)


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


def breakdown(counts: dict, *, total_shown: bool = True) -> dict:
    """Suppress a breakdown so that no cell of 1 to threshold-1 people can be read or worked out.

    Small cells are suppressed; if exactly one cell is suppressed while the total is shown, the smallest
    other non-zero cell is suppressed too (complementary suppression), so that the total minus the shown
    cells reveals nothing.
    """
    limit = threshold()
    hidden = {key for key, n in counts.items() if 0 < n < limit}
    if total_shown and len(hidden) == 1:
        others = sorted((n, str(key), key) for key, n in counts.items() if n > 0 and key not in hidden)
        if others:
            hidden.add(others[0][2])
    return {key: Figure(None if key in hidden else n, limit) for key, n in counts.items()}
