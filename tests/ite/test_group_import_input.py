"""The classes (teaching groups) import under real files: year groups as schools write them, values longer
than their columns refused at the check naming row and column (never cut, never a failure at apply), and
Excel's own CSV exports read, with the page saying how."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from protutor.ite import services_timetable
from protutor.ite.models import TeachingGroup

pytestmark = pytest.mark.django_db

HEADER = ["Class code", "Subject", "Year group", "Teacher", "Periods per week", "Set"]


def upload(client, rows, *, apply=True, separator=",", encoding="utf-8", name="classes.csv"):
    text = "\r\n".join(separator.join(row) for row in [HEADER, *rows]) + "\r\n"
    return client.post(
        reverse("ite:group-import"),
        {"file": SimpleUploadedFile(name, text.encode(encoding)), "apply": "yes" if apply else "no"},
    )


@pytest.mark.parametrize(
    ("written", "year_group"),
    [("9", 9), ("09", 9), ("Y9", 9), ("y 9", 9), ("Yr 9", 9), ("Yr. 9", 9), ("Year 9", 9), ("year9", 9),
     ("9.0", 9), ("Year 13", 13), ("YR 7", 7), ("1", 1)],
)  # fmt: skip
def test_year_groups_as_schools_write_them(written, year_group):
    assert services_timetable.year_group_number(written) == year_group


@pytest.mark.parametrize("written", ["", "0", "14", "Year", "9.5", "9a", "²", "Year 9²", "٩", "Y-9", "9 10"])
def test_what_is_not_a_year_group_is_refused(written):
    assert services_timetable.year_group_number(written) is None


@given(st.integers(min_value=1, max_value=13), st.sampled_from(["", "Y", "Yr ", "Year ", "year", "YR. "]))
def test_every_spelling_of_every_year_group_is_read(number, prefix):
    assert services_timetable.year_group_number(f"{prefix}{number}") == number
    assert services_timetable.year_group_number(f"{number}.0") == number


@given(st.text(max_size=12))
def test_year_group_number_never_raises(text):
    found = services_timetable.year_group_number(text)
    assert found is None or 1 <= found <= 13


def test_a_file_of_year_groups_written_every_way_imports(client_for, ite_tutor, year):
    rows = [
        ["9A/Ma", "Mathematics", "Yr 9", "", "4", "set 1"],
        ["10A/Ma", "Mathematics", "Year 10", "", "4", ""],
        ["11A/Ma", "Mathematics", "11.0", "", "4", ""],
        ["8A/Ma", "Mathematics", "Y8", "", "4", ""],
    ]
    response = upload(client_for(ite_tutor), rows)
    assert response.status_code == 302
    assert sorted(TeachingGroup.objects.values_list("code", "year_group")) == [
        ("10A/Ma", 10),
        ("11A/Ma", 11),
        ("8A/Ma", 8),
        ("9A/Ma", 9),
    ]


@pytest.mark.parametrize(
    ("row", "error"),
    [
        (["C" * 41, "Maths", "9", "", "4", ""], "Row 2: class code must be 40 characters or fewer (it has 41)"),
        (["9A", "S" * 101, "9", "", "4", ""], "Row 2: subject must be 100 characters or fewer (it has 101)"),
        (["9A", "Maths", "9", "", "4", "A" * 41], "Row 2: ability must be 40 characters or fewer (it has 41)"),
        (["9A", "Maths", "9", "T" * 31, "4", ""], "Row 2: teacher must be 30 characters or fewer (it has 31)"),
        (["9A", "Maths", "9", "", "4²", ""], "Row 2: enter the periods per week as a whole number from 1 to 40"),
        (["9A", "Maths", "9", "", "9" * 20, ""], "Row 2: enter the periods per week as a whole number from 1 to 40"),
    ],
)  # fmt: skip
def test_a_value_longer_than_its_column_is_refused_naming_row_and_column(
    client_for, ite_tutor, year, row, error
):
    response = upload(client_for(ite_tutor), [row], apply=True)
    assert error in response.content.decode()
    assert TeachingGroup.objects.count() == 0


def test_a_teacher_found_by_a_long_email_address_is_kept_by_staff_code(client_for, ite_tutor, year, mentor):
    mentor.email = "a.very.long.name.indeed@big-school.example.org"
    mentor.save(update_fields=["email"])
    response = upload(client_for(ite_tutor), [["9A", "Maths", "9", mentor.email, "4", ""]])
    assert response.status_code == 302
    group = TeachingGroup.objects.get()
    assert (group.teacher, group.teacher_code) == (mentor, mentor.staff_code)


@pytest.mark.parametrize(
    ("separator", "encoding", "read_as"),
    [
        (",", "cp1252", "Windows-1252 (as Excel saves a plain &#x27;CSV&#x27;) text, values separated by commas"),
        (";", "cp1252", "Windows-1252 (as Excel saves a plain &#x27;CSV&#x27;) text, values separated by semicolons"),
        ("\t", "utf-16", "UTF-16 (Excel &#x27;Unicode Text&#x27;) text, values separated by tabs"),
    ],
)  # fmt: skip
def test_excel_exports_are_read_and_the_page_says_how(
    client_for, ite_tutor, year, separator, encoding, read_as
):
    rows = [["9A/Fr", "Français", "Yr 9", "", "4", "groupe é"]]
    client = client_for(ite_tutor)
    response = upload(client, rows, apply=False, separator=separator, encoding=encoding)
    assert f"The file was read as {read_as}." in response.content.decode()
    upload(client, rows, apply=True, separator=separator, encoding=encoding)
    assert list(TeachingGroup.objects.values_list("subject", "ability")) == [("Français", "groupe é")]


def test_a_workbook_renamed_csv_is_told_it_is_a_workbook(client_for, ite_tutor, year):
    response = client_for(ite_tutor).post(
        reverse("ite:group-import"),
        {"file": SimpleUploadedFile("classes.csv", b"PK\x03\x04\x14\x00\x06\x00"), "apply": "no"},
    )
    assert "workbook, not a CSV file" in response.content.decode()
