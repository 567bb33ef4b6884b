"""What every CSV import shares (staff, student outcomes, surveys, intern timetables): reading the upload
as text, and matching the headings MIS exports use whatever their case, spacing and punctuation."""

from __future__ import annotations

import re
from dataclasses import dataclass

from protutor.core.errors import ServiceError


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # how messages name the column
    headings: tuple[str, ...]  # headings MIS exports use; case, spaces and punctuation do not matter
    required: bool = False


def squash(heading: str) -> str:
    """A heading reduced to lower-case letters and digits, so "Staff Code", "staff_code" and "StaffCode" agree."""
    return re.sub(r"[\W_]+", "", heading.casefold())


def decode(data: bytes) -> str:
    """The text of an uploaded file; a file that is not UTF-8 text is refused with a message for the form."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ServiceError(
            "The selected file must be saved as UTF-8 text: in Excel, save it as 'CSV UTF-8'", field="file"
        ) from exc
    if "\x00" in text:
        raise ServiceError(
            "The selected file must be a CSV file, not a spreadsheet or other file", field="file"
        )
    if not text.strip():
        raise ServiceError("The selected file is empty", field="file")
    return text
