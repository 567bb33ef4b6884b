"""Outcomes and survey imports under bad input: every count goes through the one number parser (a
superscript or a 20-digit count is a row error at preview, never a server error at preview or apply), every
value is checked against its model field's length, and Excel's own CSV exports are read."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from protutor.core.errors import ServiceError
from protutor.insights import imports
from protutor.insights.models import OutcomeImport, OutcomeRecord, SurveyResult

pytestmark = pytest.mark.django_db

OUTCOMES_HEADER = ["Academic year", "Department", "Course code", "Course name", "Group type", "Group value"]
OUTCOMES_HEADER += ["Starters", "Completers", "Achieved"]
SURVEYS_HEADER = ["Academic year", "Department", "Survey", "Measure", "Respondents", "Agreeing"]


def outcome_row(year, **changes) -> list[str]:
    row = {
        "year": year.name,
        "department": "Mathematics",
        "code": "MA-L3",
        "name": "A level maths",
        "type": "all",
        "value": "all",
        "starters": "50",
        "completers": "45",
        "achieved": "36",
    }
    row.update(changes)
    return list(row.values())


def data(header, *rows, separator=",", encoding="utf-8") -> bytes:
    return ("\r\n".join(separator.join(r) for r in [header, *rows]) + "\r\n").encode(encoding)


def preview(kind, year, admin, payload: bytes):
    return imports.preview_import(
        kind, institution=year.institution, actor=admin.user, file_name="f.csv", data=payload
    )


def row_errors(record) -> dict[int, list[dict]]:
    return {row["row"]: row["errors"] for row in record.summary["rows"] if row["errors"]}


@pytest.mark.parametrize(
    ("starters", "message"),
    [
        ("5²", "The number of starters must be a whole number written in the digits 0 to 9, like 24"),
        ("٥٠", "The number of starters must be a whole number written in the digits 0 to 9, like 24"),
        ("1" * 20, "The number of starters must be from 0 to 2147483647"),
        ("2147483648", "The number of starters must be from 0 to 2147483647"),
        ("-3", "The number of starters must be a whole number written in the digits 0 to 9, like 24"),
    ],
)
def test_a_count_that_is_not_a_whole_number_in_range_is_a_row_error(
    admin, year, department, starters, message
):
    record = preview(
        imports.OUTCOMES, year, admin, data(OUTCOMES_HEADER, outcome_row(year, starters=starters))
    )

    assert row_errors(record)[2][0] == {"column": "starters", "message": message}
    with pytest.raises(ServiceError):
        imports.apply_import(imports.OUTCOMES, record, actor=admin.user)
    assert OutcomeRecord.objects.count() == 0


def test_a_survey_count_beyond_the_column_is_a_row_error(admin, year, department):
    record = preview(
        imports.SURVEYS,
        year,
        admin,
        data(SURVEYS_HEADER, [year.name, "", "student", "Recommend", "9" * 20, "1²"]),
    )

    assert row_errors(record)[2] == [
        {"column": "respondents", "message": "The number of respondents must be from 0 to 2147483647"},
        {
            "column": "agreeing",
            "message": "The number of agreeing must be a whole number written in the digits 0 to 9, like 24",
        },
    ]


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(count=st.text(max_size=30))
def test_no_count_makes_the_preview_fail(admin, year, department, count):
    if any(c in count for c in ',"\r\n\x00'):
        count = "x"
    record = preview(imports.OUTCOMES, year, admin, data(OUTCOMES_HEADER, outcome_row(year, achieved=count)))
    assert record.summary["total"] == 1


@pytest.mark.parametrize(
    ("changes", "column", "message"),
    [
        ({"code": "C" * 51}, "course code", "Course code must be 50 characters or fewer (it has 51)"),
        ({"name": "N" * 201}, "course name", "Course name must be 200 characters or fewer (it has 201)"),
        ({"type": "t" * 51, "value": "v"}, "group type", None),
        ({"value": "v" * 101, "type": "gender"}, "group value", None),
    ],
)
def test_a_value_longer_than_its_column_is_a_row_error_at_preview(
    admin, year, department, changes, column, message
):
    record = preview(imports.OUTCOMES, year, admin, data(OUTCOMES_HEADER, outcome_row(year, **changes)))

    found = [e for e in row_errors(record)[2] if e["column"] == column]
    limit = OutcomeRecord._meta.get_field(column.replace(" ", "_")).max_length
    assert found == [
        {
            "column": column,
            "message": message
            or f"{column[0].upper()}{column[1:]} must be {limit} characters or fewer "
            f"(it has {len(next(iter(changes.values())))})",
        }
    ]


def test_a_survey_measure_longer_than_its_column_is_a_row_error(admin, year, department):
    record = preview(
        imports.SURVEYS, year, admin, data(SURVEYS_HEADER, [year.name, "", "staff", "M" * 201, "10", "5"])
    )

    assert row_errors(record)[2] == [
        {"column": "measure", "message": "Measure must be 200 characters or fewer (it has 201)"}
    ]
    assert SurveyResult.objects.count() == 0


@pytest.mark.parametrize(
    ("separator", "encoding", "read_as"),
    [
        (",", "cp1252", "Windows-1252 (as Excel saves a plain 'CSV') text, values separated by commas"),
        (";", "cp1252", "Windows-1252 (as Excel saves a plain 'CSV') text, values separated by semicolons"),
        ("\t", "utf-16", "UTF-16 (Excel 'Unicode Text') text, values separated by tabs"),
        (";", "utf-8-sig", "UTF-8 text, values separated by semicolons"),
    ],
)
def test_excel_exports_are_read_and_the_preview_says_how(
    admin, year, department, separator, encoding, read_as
):
    payload = data(
        OUTCOMES_HEADER, outcome_row(year, name="Français £"), separator=separator, encoding=encoding
    )
    record = preview(imports.OUTCOMES, year, admin, payload)

    assert record.summary["read_as"] == read_as
    assert record.summary["counts"] == {"new": 1, "update": 0, "unchanged": 0, "error": 0}
    imports.apply_import(imports.OUTCOMES, record, actor=admin.user)
    assert OutcomeRecord.objects.get().course_name == "Français £"
    assert OutcomeImport.objects.get().summary["read_as"] == read_as


def test_survey_import_takes_semicolons(admin, year, department):
    record = preview(
        imports.SURVEYS,
        year,
        admin,
        data(SURVEYS_HEADER, [year.name, "", "student", "Recommend", "200", "150"], separator=";"),
    )
    assert record.summary["counts"]["new"] == 1


@pytest.mark.parametrize(
    ("payload", "words"),
    [
        (
            b"PK\x03\x04\x14\x00\x06\x00",
            "is an Excel (.xlsx) or OpenDocument (.ods) workbook, not a CSV file",
        ),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "is an Excel 97-2003 (.xls) workbook, not a CSV file"),
    ],
)
def test_a_workbook_renamed_csv_is_told_it_is_a_workbook(admin, year, payload, words):
    with pytest.raises(ServiceError) as refused:
        preview(imports.OUTCOMES, year, admin, payload)
    assert words in refused.value.message
    assert "Save As" in refused.value.message
    assert refused.value.field == "file"


def test_the_preview_page_shows_how_the_file_was_read(client_for, admin, year, department):
    record = preview(imports.OUTCOMES, year, admin, data(OUTCOMES_HEADER, outcome_row(year), separator=";"))
    html = client_for(admin).get(reverse("insights:outcome-import-preview", args=[record.pk])).content
    assert "UTF-8 text, values separated by semicolons" in html.decode()
