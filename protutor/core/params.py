"""Reading whole numbers (ids, counts, periods) from query strings, form data and imported files that
nobody validated yet: one parser, so every import and form has the same rules.

Two traps it avoids: `str.isdigit` is true for superscripts and other Unicode digits ("²", "٣"), which
`int()` then refuses or reads unexpectedly; and `int()` reads any length, while database integers are 64-bit
at most (a 20-digit count passes a check in Python and fails when it reaches the database)."""

from __future__ import annotations

import re

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models import Field

# Database keys are 64-bit: anything longer than this cannot be a key and would overflow the driver.
MAX_DIGITS = 18
MAX_ID = 10**MAX_DIGITS - 1
BIGINT_MAX = 2**63 - 1
_ASCII_DIGITS = re.compile(r"[0-9]+")
# Longer than this, a run of digits is out of every range without reading it (int() of a few thousand
# digits raises ValueError in Python 3.11, and is slow before that).
_MOST_DIGITS = 30


# A decimal as people type it: digits 0 to 9 with at most one decimal point and an optional minus ("0.8",
# ".5", "760", "-1", which the range check then refuses with its own message); not "1_000", "1e3", "NaN",
# "٣" or "0,8", which Decimal() reads or half-reads.
DECIMAL_TEXT = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")


class InvalidNumber(ValueError):
    """The value is not a whole number written in the digits 0 to 9 (`reason` "format"), or is one outside
    the range allowed (`reason` "range")."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def whole_number(value, *, minimum: int = 0, maximum: int = BIGINT_MAX) -> int:
    """The whole number written in `value` (only the ASCII digits 0 to 9, no sign, spaces or separators),
    if it is from `minimum` to `maximum`. Raises InvalidNumber, and nothing else, for any other value."""
    text = value if isinstance(value, str) else ("" if value is None else str(value))
    if not _ASCII_DIGITS.fullmatch(text):
        raise InvalidNumber("format")
    if len(text.lstrip("0")) > _MOST_DIGITS:
        raise InvalidNumber("range")
    number = int(text)
    if not minimum <= number <= maximum:
        raise InvalidNumber("range")
    return number


def as_id(value) -> int | None:
    """The whole number in `value` if it is one plain run of 0-9 digits that could be a database key,
    else None ("²".isdigit() is true, but int("²") raises; "9" * 30 overflows SQLite)."""
    text = str(value) if value is not None else ""
    if len(text) > MAX_DIGITS:
        return None
    try:
        return whole_number(text, maximum=MAX_ID)
    except InvalidNumber:
        return None


def integer_range(field: Field) -> tuple[int, int]:
    """The values an integer model field can hold in every database protutor supports (PostgreSQL's ranges,
    which SQLite's 64-bit integers contain)."""
    low, high = BaseDatabaseOperations.integer_field_ranges.get(
        field.get_internal_type(), (-BIGINT_MAX - 1, BIGINT_MAX)
    )
    for validator in field.validators:
        limit = (
            validator.limit_value if isinstance(validator, MinValueValidator | MaxValueValidator) else None
        )
        if not isinstance(limit, int):
            continue
        if isinstance(validator, MinValueValidator):
            low = max(low, limit)
        else:
            high = min(high, limit)
    return low, high
