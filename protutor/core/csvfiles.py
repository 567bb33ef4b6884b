"""What every CSV import shares (staff, student outcomes, surveys, intern timetables): reading the upload
as text whatever Excel saved it as, telling a workbook from a CSV file, finding the separator, matching the
headings MIS exports use whatever their case, spacing and punctuation, and checking each value against the
model field it will be stored in.

Excel's own exports, all accepted: "CSV UTF-8" (UTF-8 with a byte order mark), "CSV (Comma delimited)"
(Windows-1252 on Windows, so "£" and "é" are single bytes that are not UTF-8), "Unicode Text" (UTF-16 with
a byte order mark, separated by tabs), and the CSV of a European Excel (separated by semicolons, since the
comma is its decimal point).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.db import models

from protutor.core.errors import ServiceError
from protutor.core.params import integer_range


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # how messages name the column
    headings: tuple[str, ...]  # headings MIS exports use; case, spaces and punctuation do not matter
    required: bool = False


def squash(heading: str) -> str:
    """A heading reduced to lower-case letters and digits, so "Staff Code", "staff_code" and "StaffCode" agree."""
    return re.sub(r"[\W_]+", "", heading.casefold())


# How each way of saving is named in the preview ("Read as ...").
UTF8 = "UTF-8"
UTF16 = "UTF-16 (Excel 'Unicode Text')"
WINDOWS_1252 = "Windows-1252 (as Excel saves a plain 'CSV')"
SEPARATORS = {",": "commas", ";": "semicolons", "\t": "tabs"}

_SAVE_AS_CSV = (
    "open it in Excel (or LibreOffice Calc) and choose File, Save As, then the file type 'CSV UTF-8 "
    "(Comma delimited) (*.csv)', and upload the file it saves"
)
# The first bytes of each workbook format: xlsx and ods are zip files, xls is an OLE2 compound document.
_WORKBOOK_MAGIC = {
    b"PK\x03\x04": "an Excel (.xlsx) or OpenDocument (.ods) workbook",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1": "an Excel 97-2003 (.xls) workbook",
}


# Excel saves "CSV" as .csv and "Unicode Text" as .txt; a few exports say .tsv.
CSV_ENDINGS = (".csv", ".txt", ".tsv")
WORKBOOK_ENDINGS = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods", ".numbers")


def file_name_problem(name: str) -> str | None:
    """Why an upload's name shows it is not a CSV file, for the form's file field; None if it may be one."""
    lower = name.lower()
    if lower.endswith(CSV_ENDINGS):
        return None
    if lower.endswith(WORKBOOK_ENDINGS):
        return f"The selected file must be a CSV file, not a workbook: {_SAVE_AS_CSV}"
    return "The selected file must be a CSV file (.csv), or Unicode Text saved from Excel (.txt)"


@dataclass(frozen=True)
class CsvText:
    """An upload decoded to text, with what it was read as, for the preview to show."""

    text: str
    encoding: str
    delimiter: str

    @property
    def read_as(self) -> str:
        return f"{self.encoding} text, values separated by {SEPARATORS[self.delimiter]}"


def _workbook(data: bytes) -> str | None:
    return next((name for magic, name in _WORKBOOK_MAGIC.items() if data.startswith(magic)), None)


def _looks_utf16(data: bytes) -> str | None:
    """UTF-16 without a byte order mark: text in the Latin alphabet has a zero in every other byte."""
    sample = data[:2000]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) == 0:
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) == 0:
        return "utf-16-be"
    return None


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), UTF16
        except UnicodeDecodeError:
            pass
    else:
        guessed = _looks_utf16(data)
        if guessed is not None:
            try:
                return data.decode(guessed), UTF16
            except UnicodeDecodeError:
                pass
        try:
            return data.decode("utf-8-sig"), UTF8
        except UnicodeDecodeError:
            pass
        try:
            return data.decode("cp1252"), WINDOWS_1252
        except UnicodeDecodeError:
            pass
    raise ServiceError(
        f"The selected file could not be read as text: {_SAVE_AS_CSV}",
        field="file",
    )


def sniff_delimiter(text: str) -> str:
    """The separator of the heading row (the first that is not blank): whichever of comma, semicolon and tab
    it has most of, outside quotes; a comma when it has none."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    unquoted = re.sub(r'"[^"]*"', "", first)
    counts = {sep: unquoted.count(sep) for sep in SEPARATORS}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def read_upload(data: bytes) -> CsvText:
    """The text of an uploaded CSV file and how it was read; a ServiceError for the form's file field if
    it is empty, a workbook, or not text."""
    if not data.strip():
        raise ServiceError("The selected file is empty", field="file")
    workbook = _workbook(data)
    if workbook is not None:
        raise ServiceError(f"The selected file is {workbook}, not a CSV file: {_SAVE_AS_CSV}", field="file")
    text, encoding = _decode(data)
    if "\x00" in text:
        raise ServiceError(
            f"The selected file must be a CSV file, not a spreadsheet or other file: {_SAVE_AS_CSV}",
            field="file",
        )
    if not text.strip():
        raise ServiceError("The selected file is empty", field="file")
    return CsvText(text=text, encoding=encoding, delimiter=sniff_delimiter(text))


def decode(data: bytes) -> str:
    """The text of an uploaded file (see `read_upload`)."""
    return read_upload(data).text


def records(text: str) -> Iterator[list[str]]:
    """The rows of decoded CSV text, split by its own separator (`sniff_delimiter`)."""
    return csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))


# Checking values against the fields they will be stored in


def field_problems(
    model: type[models.Model], values: Mapping[str, object], labels: Mapping[str, str]
) -> list[dict]:
    """Each value that its model field cannot hold, as {"column", "message"}: text longer than the field's
    max_length, a whole number outside the range of its column. `values` maps field names (or attnames) to
    the values about to be saved; `labels` names the column each came from (the field's name otherwise).

    Derived from the model, so a column added later is checked too: SQLite stores a value of any length,
    and PostgreSQL refuses it only when the import is applied."""
    problems = []
    for name, value in values.items():
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if not isinstance(field, models.Field):
            continue
        label = labels.get(name, str(field.verbose_name))
        if isinstance(value, str) and field.max_length is not None and len(value) > field.max_length:
            problems.append(
                {
                    "column": label,
                    "message": f"{label[0].upper()}{label[1:]} must be {field.max_length} characters or "
                    f"fewer (it has {len(value)})",
                }
            )
        elif (
            isinstance(value, int) and not isinstance(value, bool) and isinstance(field, models.IntegerField)
        ):
            low, high = integer_range(field)
            if not low <= value <= high:
                problems.append(
                    {
                        "column": label,
                        "message": f"{label[0].upper()}{label[1:]} must be from {low} to {high}",
                    }
                )
    return problems
