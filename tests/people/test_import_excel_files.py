"""The staff import takes what Excel saves (Windows-1252 "CSV (Comma delimited)", UTF-16 "Unicode Text",
European semicolons), says in the preview what it read, and refuses line managers that go round in a
circle, naming the rows."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from protutor.people import imports
from protutor.people.models import StaffImport, StaffMember
from tests.factories.people import StaffMemberFactory

pytestmark = pytest.mark.django_db

ROWS = [
    ["Staff code", "Forename", "Surname", "Email", "Department", "Line manager"],
    ["AB", "Zoë", "Brontë", "zoe@example.org", "Modern Foreign Languages £", ""],
    ["CD", "Renée", "Dent", "renee@example.org", "Modern Foreign Languages £", "AB"],
]


def excel(rows, *, separator: str, encoding: str) -> bytes:
    text = "\r\n".join(separator.join(row) for row in rows) + "\r\n"
    return text.encode(encoding)


@pytest.mark.parametrize(
    ("data", "read_as"),
    [
        (excel(ROWS, separator=",", encoding="cp1252"), "Windows-1252 (as Excel saves a plain 'CSV') text, values separated by commas"),
        (excel(ROWS, separator="\t", encoding="utf-16"), "UTF-16 (Excel 'Unicode Text') text, values separated by tabs"),
        (excel(ROWS, separator=";", encoding="cp1252"), "Windows-1252 (as Excel saves a plain 'CSV') text, values separated by semicolons"),
        (excel(ROWS, separator=";", encoding="utf-8-sig"), "UTF-8 text, values separated by semicolons"),
        (excel(ROWS, separator=",", encoding="utf-8"), "UTF-8 text, values separated by commas"),
    ],
)  # fmt: skip
def test_excel_exports_are_read_and_the_preview_says_how(college, admin, data, read_as):
    staff_import = imports.preview_import(institution=college, actor=admin.user, file_name="s.csv", data=data)

    assert staff_import.summary["read_as"] == read_as
    assert staff_import.summary["counts"] == {"new": 2, "update": 0, "unchanged": 0, "error": 0}
    imports.apply_import(staff_import, actor=admin.user)
    assert sorted(
        StaffMember.objects.filter(staff_code__in=["AB", "CD"]).values_list("forename", "surname")
    ) == [
        ("Renée", "Dent"),
        ("Zoë", "Brontë"),
    ]
    assert StaffMember.objects.get(staff_code="CD").department.name == "Modern Foreign Languages £"


def test_the_preview_page_shows_how_the_file_was_read(client_for, admin, college):
    client = client_for(admin)
    staff_import = imports.preview_import(
        institution=college,
        actor=admin.user,
        file_name="s.csv",
        data=excel(ROWS, separator=";", encoding="cp1252"),
    )
    html = client.get(reverse("people:import-preview", args=[staff_import.pk])).content.decode()
    assert (
        "Windows-1252 (as Excel saves a plain &#x27;CSV&#x27;) text, values separated by semicolons" in html
    )


def manager_errors(staff_import) -> dict[int, list[str]]:
    return {
        row["row"]: [e["message"] for e in row["errors"]]
        for row in staff_import.summary["rows"]
        if row["errors"]
    }


def preview(college, admin, *rows: str):
    text = "\n".join(["Staff code,Forename,Surname,Email,Line manager", *rows]) + "\n"
    return imports.preview_import(
        institution=college, actor=admin.user, file_name="s.csv", data=text.encode()
    )


def test_a_line_manager_circle_in_the_file_is_refused_naming_the_rows(college, admin):
    staff_import = preview(
        college,
        admin,
        "A1,Ann,Bell,a@example.org,B1",
        "B1,Ben,Cole,b@example.org,A1",
        "C1,Cat,Dee,c@example.org,A1",
    )

    message = (
        "Line managers go round in a circle: A1 is managed by B1, who is managed by A1 (rows 2 and 3). "
        "Correct the line manager in one of these rows"
    )
    assert manager_errors(staff_import) == {2: [message], 3: [message]}
    assert not imports.is_ready_to_apply(staff_import)


def test_a_longer_circle_is_found_whatever_row_it_starts_on(college, admin):
    staff_import = preview(
        college,
        admin,
        "C1,Cat,Dee,c@example.org,A1",
        "A1,Ann,Bell,a@example.org,B1",
        "B1,Ben,Cole,b@example.org,C1",
    )

    assert sorted(manager_errors(staff_import)) == [2, 3, 4]
    assert "(rows 2, 3 and 4)" in manager_errors(staff_import)[2][0]


def test_a_circle_through_someone_already_on_the_staff_list_is_refused(college, admin):
    boss = StaffMemberFactory(institution=college, staff_code="BOSS")
    deputy = StaffMemberFactory(institution=college, staff_code="DEP", line_manager=boss)
    staff_import = preview(college, admin, f"BOSS,{boss.forename},{boss.surname},{boss.email},DEP")

    assert manager_errors(staff_import) == {
        2: [
            "Line managers go round in a circle: BOSS is managed by DEP, who is managed by BOSS (row 2). "
            "Correct the line manager in one of these rows"
        ]
    }
    assert deputy.line_manager_id == boss.pk


def test_a_chain_without_a_circle_is_accepted(college, admin):
    staff_import = preview(
        college,
        admin,
        "A1,Ann,Bell,a@example.org,B1",
        "B1,Ben,Cole,b@example.org,C1",
        "C1,Cat,Dee,c@example.org,",
    )

    assert manager_errors(staff_import) == {}


def test_a_semicolon_file_from_a_european_excel_has_decimal_commas(college, admin):
    rows = [["Staff code", "Forename", "Surname", "Email", "FTE", "Teaching hours"]]
    rows += [["AB", "Ann", "Bell", "ann@example.org", "0,8", "760,5"]]
    staff_import = imports.preview_import(
        institution=college,
        actor=admin.user,
        file_name="s.csv",
        data=excel(rows, separator=";", encoding="cp1252"),
    )
    assert staff_import.summary["counts"]["new"] == 1
    imports.apply_import(staff_import, actor=admin.user)
    staff = StaffMember.objects.get(staff_code="AB")
    assert (str(staff.fte), str(staff.teaching_hours)) == ("0.800", "760.5")


def test_a_comma_file_does_not_read_a_thousands_separator_as_a_decimal_point(college, admin):
    rows = [["Staff code", "Forename", "Surname", "Email", "Teaching hours"]]
    rows += [["AB", "Ann", "Bell", "ann@example.org", '"1,000"']]
    staff_import = imports.preview_import(
        institution=college,
        actor=admin.user,
        file_name="s.csv",
        data=excel(rows, separator=",", encoding="utf-8"),
    )
    [row] = staff_import.summary["rows"]
    assert row["errors"] == [
        {"column": "Teaching hours", "message": "Enter teaching hours as a number, like 760"}
    ]


def test_unicode_text_saved_from_excel_as_txt_is_taken_by_the_upload_form(client_for, admin, college):
    upload = SimpleUploadedFile("staff.txt", excel(ROWS, separator="\t", encoding="utf-16"))
    response = client_for(admin).post(reverse("people:import-start"), {"file": upload})
    assert response.status_code == 302
    staff_import = StaffImport.objects.get()
    assert response["Location"] == reverse("people:import-preview", args=[staff_import.pk])
    assert staff_import.summary["read_as"] == "UTF-16 (Excel 'Unicode Text') text, values separated by tabs"


def test_a_workbook_is_told_how_to_save_as_csv_by_the_upload_form(client_for, admin, college):
    upload = SimpleUploadedFile("staff.xlsx", b"PK\x03\x04\x14\x00")
    html = client_for(admin).post(reverse("people:import-start"), {"file": upload}).content.decode()
    assert "The selected file must be a CSV file, not a workbook: open it in Excel" in html


@pytest.mark.parametrize("fte", ["٠.8", "0_8", "8e-1", "NaN"])
def test_a_number_in_the_staff_import_is_written_in_the_digits_0_to_9(college, admin, fte):
    rows = [
        ["Staff code", "Forename", "Surname", "Email", "FTE"],
        ["AB", "Ann", "Bell", "ann@example.org", fte],
    ]
    staff_import = imports.preview_import(
        institution=college,
        actor=admin.user,
        file_name="s.csv",
        data=excel(rows, separator=",", encoding="utf-8"),
    )
    [row] = staff_import.summary["rows"]
    assert row["errors"] == [{"column": "FTE", "message": "Enter FTE as a number, like 0.8"}]
