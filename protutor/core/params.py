"""Reading ids from query strings and form data that nobody validated yet."""

from __future__ import annotations

# Database keys are 64-bit: anything longer than this cannot be a key and would overflow the driver.
MAX_DIGITS = 18


def as_id(value) -> int | None:
    """The whole number in `value` if it is one plain run of 0-9 digits that could be a database key,
    else None ("²".isdigit() is true, but int("²") raises; "9" * 30 overflows SQLite)."""
    text = str(value) if value is not None else ""
    if not (text.isascii() and text.isdigit() and len(text) <= MAX_DIGITS):
        return None
    return int(text)
