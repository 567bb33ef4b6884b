"""The one CSV reader every import uses: whatever Excel saved (UTF-8, Windows-1252, UTF-16; commas,
semicolons, tabs) reads back as the table that was saved, and any bytes at all give the table or a message
for the file field, never another error."""

import csv
import io

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from protutor.core.csvfiles import file_name_problem, read_upload, records, sniff_delimiter
from protutor.core.errors import ServiceError

cell = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2028\u2029\x85"),
    max_size=12,
)
heading = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=10)


def saved(table, separator: str, encoding: str) -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=separator, lineterminator="\r\n").writerows(table)
    return out.getvalue().encode(encoding)


@given(
    headings=st.lists(heading, min_size=2, max_size=5),
    rows=st.lists(st.lists(cell, min_size=5, max_size=5), min_size=1, max_size=4),
    separator=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]),
)
def test_what_excel_saves_reads_back_as_the_same_table(headings, rows, separator, encoding):
    table = [headings, *[row[: len(headings)] for row in rows]]
    try:
        data = saved(table, separator, encoding)
    except UnicodeEncodeError:
        assume(False)  # Windows-1252 holds only its own characters: Excel would not have saved these
    upload = read_upload(data)
    assert upload.delimiter == separator
    assert [r for r in records(upload.text)] == table


@given(data=st.binary(max_size=300))
def test_any_bytes_give_text_or_a_message_for_the_file_field(data):
    try:
        upload = read_upload(data)
    except ServiceError as refused:
        assert refused.field == "file"
    else:
        assert upload.text.strip()
        assert "\x00" not in upload.text


@pytest.mark.parametrize(
    ("first_line", "separator"),
    [("a,b,c", ","), ("a;b;c", ";"), ("a\tb\tc", "\t"), ('"x;y",b', ","), ("a", ","), ("a;b,c;d", ";")],
)
def test_the_separator_is_the_heading_rows_own(first_line, separator):
    assert sniff_delimiter(f"\n{first_line}\n1,2,3\n") == separator


@pytest.mark.parametrize(
    ("name", "refused"),
    [("staff.csv", False), ("Staff.CSV", False), ("staff.txt", False), ("staff.tsv", False),
     ("staff.xlsx", True), ("staff.xls", True), ("staff.ods", True), ("staff.pdf", True), ("staff", True)],
)  # fmt: skip
def test_file_names_that_cannot_be_csv_are_refused(name, refused):
    assert (file_name_problem(name) is not None) is refused
