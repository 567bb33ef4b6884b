"""The staff import service: reading MIS exports, the dry-run preview and the all-or-nothing apply."""

import csv
import io
from decimal import Decimal

import pytest
from django.contrib.auth.hashers import is_password_usable
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from protutor.audit.models import AuditEvent
from protutor.core.errors import ServiceError
from protutor.people import imports
from protutor.people.models import Department, Role, StaffImport, StaffMember, User
from tests.factories.people import (
    InstitutionFactory,
    RoleAssignmentFactory,
    StaffMemberFactory,
    UserFactory,
)

SAVE_AS_CSV = (
    "open it in Excel (or LibreOffice Calc) and choose File, Save As, then the file type 'CSV UTF-8 "
    "(Comma delimited) (*.csv)', and upload the file it saves"
)
HEADER = "Staff code,Title,Forename,Surname,Email,Department,Job title,Line manager,FTE,Teaching hours"


def csv_bytes(*rows: str, header: str = HEADER, bom: bool = False, newline: str = "\r\n") -> bytes:
    text = newline.join([header, *rows]) + newline
    return ("\ufeff" + text if bom else text).encode()


def preview(college, admin, *rows: str, **kwargs) -> StaffImport:
    return imports.preview_import(
        institution=college, actor=admin.user, file_name="staff.csv", data=csv_bytes(*rows, **kwargs)
    )


def kinds(staff_import: StaffImport) -> list[tuple[int, str, str]]:
    return [(row["row"], row["staff_code"], row["kind"]) for row in staff_import.summary["rows"]]


def errors(staff_import: StaffImport) -> dict[int, list[dict]]:
    return {row["row"]: row["errors"] for row in staff_import.summary["rows"] if row["errors"]}


def counts(staff_import: StaffImport) -> dict[str, int]:
    return staff_import.summary["counts"]


def database_state(college) -> dict:
    return {
        "staff": sorted(
            StaffMember.objects.filter(institution=college).values_list(
                "staff_code",
                "title",
                "forename",
                "surname",
                "email",
                "department__name",
                "job_title",
                "line_manager__staff_code",
                "fte",
                "teaching_hours",
                "user__username",
                "user__email",
                "user__first_name",
                "user__last_name",
            )
        ),
        "users": User.objects.count(),
        "departments": sorted(Department.objects.filter(institution=college).values_list("name", flat=True)),
    }


THREE_ROWS = (
    "AB,Dr,Ann,Bell,ann.bell@example.org,Physics,Lecturer,CD,0.8,760",
    'CD,Mr,Carl,Dent,carl.dent@example.org,Physics,"Head of Science, ""Acting""",,1,400.5',
    "EF,,Eve,Ford,eve.ford@example.org,Mathematics,Teacher,CD,,",
)


# Preview


def test_preview_lists_new_rows_and_writes_nothing(college, admin, department):
    before = database_state(college)

    staff_import = preview(college, admin, *THREE_ROWS)

    assert staff_import.status == StaffImport.Status.PREVIEWED
    assert staff_import.uploaded_by == admin.user
    assert counts(staff_import) == {"new": 3, "update": 0, "unchanged": 0, "error": 0}
    assert staff_import.summary["new_departments"] == ["Physics"]
    assert staff_import.summary["rows"] == [
        {
            "row": 2,
            "staff_code": "AB",
            "name": "Ann Bell",
            "kind": "new",
            "errors": [],
            "changes": [],
            "new_department": "Physics",
        },
        {
            "row": 3,
            "staff_code": "CD",
            "name": "Carl Dent",
            "kind": "new",
            "errors": [],
            "changes": [],
            "new_department": "Physics",
        },
        {
            "row": 4,
            "staff_code": "EF",
            "name": "Eve Ford",
            "kind": "new",
            "errors": [],
            "changes": [],
            "new_department": "",
        },
    ]
    assert database_state(college) == before


def test_preview_keeps_the_decoded_text(college, admin):
    staff_import = preview(college, admin, THREE_ROWS[0], bom=True)

    assert staff_import.content == HEADER + "\r\n" + THREE_ROWS[0] + "\r\n"


def test_preview_refused_to_a_teacher(college, teacher):
    with pytest.raises(ServiceError, match="You do not have permission"):
        imports.preview_import(
            institution=college, actor=teacher.user, file_name="staff.csv", data=csv_bytes(THREE_ROWS[0])
        )
    assert StaffImport.objects.count() == 0


# Apply


def test_apply_creates_staff_accounts_departments_and_line_managers(college, admin, department):
    staff_import = preview(college, admin, *THREE_ROWS)

    applied = imports.apply_import(staff_import, actor=admin.user)

    assert applied.status == StaffImport.Status.APPLIED
    assert applied.applied_at is not None
    assert counts(applied) == {"new": 3, "update": 0, "unchanged": 0, "error": 0}
    created = {
        s.staff_code: s
        for s in StaffMember.objects.filter(staff_code__in=["AB", "CD", "EF"]).select_related(
            "user", "department", "line_manager"
        )
    }
    assert [
        (
            s.staff_code,
            s.title,
            s.forename,
            s.surname,
            s.email,
            s.department.name,
            s.job_title,
            s.line_manager.staff_code if s.line_manager else None,
            s.fte,
            s.teaching_hours,
            s.is_active,
        )
        for s in created.values()
    ] == [
        ("AB", "Dr", "Ann", "Bell", "ann.bell@example.org", "Physics", "Lecturer", "CD", Decimal("0.800"), Decimal("760.0"), True),
        ("CD", "Mr", "Carl", "Dent", "carl.dent@example.org", "Physics", 'Head of Science, "Acting"', None, Decimal("1.000"), Decimal("400.5"), True),
        ("EF", "", "Eve", "Ford", "eve.ford@example.org", "Mathematics", "Teacher", "CD", None, None, True),
    ]  # fmt: skip
    assert created["EF"].department == department
    assert [
        (s.user.username, s.user.email, s.user.first_name, s.user.last_name, s.user.is_active)
        for s in created.values()
    ] == [
        ("ab", "ann.bell@example.org", "Ann", "Bell", True),
        ("cd", "carl.dent@example.org", "Carl", "Dent", True),
        ("ef", "eve.ford@example.org", "Eve", "Ford", True),
    ]
    assert [is_password_usable(s.user.password) for s in created.values()] == [False, False, False]
    assert sorted(Department.objects.filter(institution=college).values_list("name", flat=True)) == [
        "Mathematics",
        "Physics",
    ]


def test_apply_writes_an_audit_record_with_the_counts(college, admin):
    staff_import = preview(college, admin, *THREE_ROWS)

    imports.apply_import(staff_import, actor=admin.user)

    event = AuditEvent.objects.get(action="people.staff_import_applied")
    assert (event.actor, event.target_type, event.target_id) == (
        admin.user,
        "people.staffimport",
        str(staff_import.pk),
    )
    assert event.detail == {
        "file_name": "staff.csv",
        "new": 3,
        "updated": 0,
        "unchanged": 0,
        "new_departments": 2,
    }


def test_reimporting_the_same_file_is_all_unchanged_and_writes_nothing(college, admin):
    imports.apply_import(preview(college, admin, *THREE_ROWS), actor=admin.user)
    after_first = database_state(college)

    again = preview(college, admin, *THREE_ROWS)
    assert counts(again) == {"new": 0, "update": 0, "unchanged": 3, "error": 0}
    assert again.summary["new_departments"] == []
    applied = imports.apply_import(again, actor=admin.user)

    assert counts(applied) == {"new": 0, "update": 0, "unchanged": 3, "error": 0}
    assert database_state(college) == after_first


def test_apply_updates_changed_rows_and_keeps_accounts_in_step(college, admin, teacher, line_manager):
    code = teacher.staff_code
    row = f"{code},Ms,Tessa,Teacher,tessa@example.org,Mathematics,Head of Year,{line_manager.staff_code},0.5,300"

    staff_import = preview(college, admin, row)

    assert kinds(staff_import) == [(2, code, "update")]
    assert staff_import.summary["rows"][0]["changes"] == [
        "Title",
        "Forename",
        "Email",
        "Job title",
        "FTE",
        "Teaching hours",
    ]
    imports.apply_import(staff_import, actor=admin.user)
    teacher.refresh_from_db()
    teacher.user.refresh_from_db()
    assert (teacher.title, teacher.forename, teacher.email, teacher.job_title, teacher.fte) == (
        "Ms",
        "Tessa",
        "tessa@example.org",
        "Head of Year",
        Decimal("0.500"),
    )
    assert teacher.line_manager == line_manager
    assert (teacher.user.username, teacher.user.email, teacher.user.first_name, teacher.user.last_name) == (
        "teacher",
        "tessa@example.org",
        "Tessa",
        "Teacher",
    )


def test_apply_matches_staff_codes_ignoring_case_and_moves_to_a_new_department(college, admin, teacher):
    row = f"{teacher.staff_code.lower()},,Tess,Teacher,{teacher.email},Music,Lecturer,,,"

    applied = imports.apply_import(preview(college, admin, row), actor=admin.user)

    assert kinds(applied) == [(2, teacher.staff_code.lower(), "update")]
    teacher.refresh_from_db()
    assert (teacher.staff_code, teacher.department.name, teacher.line_manager) == (
        teacher.staff_code.lower(),
        "Music",
        None,
    )


def test_apply_leaves_columns_the_file_does_not_have(college, admin, teacher, line_manager):
    teacher.fte = Decimal("0.6")
    teacher.save()
    header = "Staff code,Forename,Surname,Email"

    staff_import = preview(
        college, admin, f"{teacher.staff_code},Tess,Teacher,{teacher.email}", header=header
    )

    assert kinds(staff_import) == [(2, teacher.staff_code, "unchanged")]
    imports.apply_import(staff_import, actor=admin.user)
    teacher.refresh_from_db()
    assert (teacher.fte, teacher.line_manager, teacher.job_title) == (
        Decimal("0.600"),
        line_manager,
        "Lecturer",
    )


def test_apply_links_a_manager_further_down_the_file(college, admin):
    rows = (
        "R1,,Rita,Report,rita@example.org,,,M9,,",
        "R2,,Rob,Report,rob@example.org,,,m9,,",
        "M9,,Mo,Manager,mo@example.org,,,M8,,",
        "M8,,Meg,Boss,meg@example.org,,,,,",
    )

    staff_import = preview(college, admin, *rows)
    assert errors(staff_import) == {}
    imports.apply_import(staff_import, actor=admin.user)

    managers = dict(
        StaffMember.objects.filter(institution=college, staff_code__in=["R1", "R2", "M9", "M8"]).values_list(
            "staff_code", "line_manager__staff_code"
        )
    )
    assert managers == {"R1": "M9", "R2": "M9", "M9": "M8", "M8": None}


def test_apply_links_an_existing_manager_and_a_new_one_to_existing_staff(college, admin, teacher, colleague):
    rows = (
        f"{teacher.staff_code},,Tess,Teacher,{teacher.email},,,NEWBOSS,,",
        f"{colleague.staff_code},,Colin,Colleague,{colleague.email},,,{admin.staff_code},,",
        "NEWBOSS,,Nia,Boss,nia@example.org,,,,,",
    )

    imports.apply_import(preview(college, admin, *rows), actor=admin.user)

    teacher.refresh_from_db()
    colleague.refresh_from_db()
    assert (teacher.line_manager.staff_code, colleague.line_manager) == ("NEWBOSS", admin)


def test_apply_gives_a_fresh_username_when_the_staff_code_is_taken(college, admin):
    UserFactory(username="ab")
    UserFactory(username="ab-2")

    imports.apply_import(preview(college, admin, "AB,,Ann,Bell,ann@example.org,,,,,"), actor=admin.user)

    assert StaffMember.objects.get(staff_code="AB").user.username == "ab-3"


def test_apply_with_errors_writes_nothing_and_marks_the_import_failed(college, admin):
    rows = (*THREE_ROWS, "GH,,Gus,Hale,not-an-email,Art,,,,")
    staff_import = preview(college, admin, *rows)
    before = (StaffMember.objects.count(), User.objects.count(), Department.objects.count())

    with pytest.raises(ServiceError) as raised:
        imports.apply_import(staff_import, actor=admin.user)

    assert (
        raised.value.message == "Nothing was imported: 1 row has errors. Correct the file and upload it again"
    )
    assert (StaffMember.objects.count(), User.objects.count(), Department.objects.count()) == before
    staff_import.refresh_from_db()
    assert staff_import.status == StaffImport.Status.FAILED
    assert not AuditEvent.objects.filter(action="people.staff_import_applied").exists()


def test_apply_checks_again_and_writes_nothing_if_the_staff_list_changed(college, admin):
    staff_import = preview(college, admin, *THREE_ROWS)
    StaffMemberFactory(institution=college, staff_code="ZZ", email="eve.ford@example.org")
    before = (StaffMember.objects.count(), User.objects.count(), Department.objects.count())

    with pytest.raises(ServiceError, match="1 row has errors"):
        imports.apply_import(staff_import, actor=admin.user)

    assert (StaffMember.objects.count(), User.objects.count(), Department.objects.count()) == before
    staff_import.refresh_from_db()
    assert errors(staff_import) == {
        4: [
            {
                "column": "Email",
                "message": "Email address eve.ford@example.org is already used by staff code ZZ",
            }
        ]
    }


def test_apply_refuses_an_import_already_applied(college, admin):
    staff_import = imports.apply_import(preview(college, admin, *THREE_ROWS), actor=admin.user)

    with pytest.raises(ServiceError, match="already been applied"):
        imports.apply_import(staff_import, actor=admin.user)


def test_apply_refused_to_an_administrator_of_another_institution(college, admin):
    staff_import = preview(college, admin, *THREE_ROWS)
    other = StaffMemberFactory(institution=InstitutionFactory(name="Another School"))
    RoleAssignmentFactory(staff=other, role=Role.ADMINISTRATOR)

    with pytest.raises(ServiceError, match="You do not have permission"):
        imports.apply_import(staff_import, actor=other.user)
    assert not StaffMember.objects.filter(staff_code="AB").exists()


# Reading files


def test_file_with_byte_order_mark_and_lf_line_endings(college, admin):
    staff_import = preview(college, admin, *THREE_ROWS, bom=True, newline="\n")

    assert kinds(staff_import) == [(2, "AB", "new"), (3, "CD", "new"), (4, "EF", "new")]


def test_excel_quoting_with_commas_doubled_quotes_and_line_breaks(college, admin):
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL)
    writer.writerow(HEADER.split(","))
    writer.writerow(
        ["Q1", "", "Quinn", "O'Neil, Jr", "q@example.org", "Art, Design", 'Lead "Digital", Art', "", "", ""]
    )
    writer.writerow(["Q2", "", "Sam", "Line\r\nBreak", "s@example.org", "", "", "", "", ""])
    data = out.getvalue().encode()

    staff_import = imports.preview_import(institution=college, actor=admin.user, file_name="x.csv", data=data)
    imports.apply_import(staff_import, actor=admin.user)

    assert kinds(staff_import) == [(2, "Q1", "new"), (3, "Q2", "new")]
    quinn = StaffMember.objects.get(staff_code="Q1")
    assert (quinn.surname, quinn.department.name, quinn.job_title) == (
        "O'Neil, Jr",
        "Art, Design",
        'Lead "Digital", Art',
    )
    assert StaffMember.objects.get(staff_code="Q2").surname == "Line\r\nBreak"


def test_blank_lines_are_dropped_and_rows_keep_their_numbers_in_the_file(college, admin):
    staff_import = preview(college, admin, "", THREE_ROWS[0], ",,,,,,,,,", "   ", THREE_ROWS[1], "")

    assert kinds(staff_import) == [(3, "AB", "new"), (6, "CD", "new")]


def test_extra_columns_and_cells_are_ignored(college, admin):
    header = "Payroll number,Staff code,Forename,Surname,Email,Notes"

    staff_import = preview(college, admin, "P1,AB,Ann,Bell,ann@example.org,hello,extra,cells", header=header)

    assert staff_import.summary["ignored_columns"] == ["Payroll number", "Notes"]
    assert staff_import.summary["columns"] == {
        "staff_code": "Staff code",
        "forename": "Forename",
        "surname": "Surname",
        "email": "Email",
    }
    assert kinds(staff_import) == [(2, "AB", "new")]


@pytest.mark.parametrize(
    "header",
    [
        "StaffCode,First name,Last name,Email address,Line manager code,FTE,Teaching hours",
        "CODE,FORENAME,LEGAL SURNAME,E-mail,Manager staff code,Full-time equivalent,teaching_hours",
        "staff_code,first_name,last_name,work_email,line manager's staff code,fte,Teaching Hours Per Year",
        "Code,Forename,Surname,Email,Line manager,Fte,Annual teaching hours",
    ],
)
def test_header_aliases(college, admin, header):
    rows = ("AB,Ann,Bell,ann@example.org,CD,0.5,100", "CD,Carl,Dent,carl@example.org,,1,")

    staff_import = preview(college, admin, *rows, header=header)
    imports.apply_import(staff_import, actor=admin.user)

    ann = StaffMember.objects.get(staff_code="AB")
    assert (
        ann.forename,
        ann.surname,
        ann.email,
        ann.line_manager.staff_code,
        ann.fte,
        ann.teaching_hours,
    ) == (
        "Ann",
        "Bell",
        "ann@example.org",
        "CD",
        Decimal("0.500"),
        Decimal("100.0"),
    )


def test_semicolon_separated_file(college, admin):
    staff_import = preview(
        college, admin, "AB;Ann;Bell;ann@example.org", header="Staff code;Forename;Surname;Email"
    )

    assert kinds(staff_import) == [(2, "AB", "new")]


# Row errors


def test_duplicate_staff_codes_are_errors_on_the_later_rows(college, admin):
    rows = (
        "AB,,Ann,Bell,ann@example.org,,,,,",
        "ab,,Al,Bee,al@example.org,,,,,",
        "EF,,Eve,Ford,eve@example.org,,,CD,,",
        "AB,,Ab,Bee,ab@example.org,,,,,",
    )

    staff_import = preview(college, admin, *rows)

    assert kinds(staff_import) == [
        (2, "AB", "new"),
        (3, "ab", "error"),
        (4, "EF", "error"),
        (5, "AB", "error"),
    ]
    assert errors(staff_import) == {
        3: [{"column": "Staff code", "message": "Staff code ab is already used in row 2"}],
        4: [
            {
                "column": "Line manager",
                "message": "Line manager staff code CD does not match anyone in the file or the staff list",
            }
        ],
        5: [{"column": "Staff code", "message": "Staff code AB is already used in row 2"}],
    }


def test_duplicate_emails_are_errors_on_the_later_row(college, admin):
    staff_import = preview(
        college, admin, "AB,,Ann,Bell,ann.bell@example.org,,,,,", "XY,,Xi,Yu,Ann.Bell@example.org,,,,,"
    )

    assert errors(staff_import) == {
        3: [{"column": "Email", "message": "Email address Ann.Bell@example.org is already used in row 2"}]
    }


def test_email_of_another_member_of_staff_or_account_is_an_error(college, admin, teacher, outsider):
    account = UserFactory(email="someone@example.org")
    rows = (
        f"XY,,Xi,Yu,{teacher.email.upper()},,,,,",
        f"XZ,,Xi,Zed,{outsider.email},,,,,",
        f"XW,,Xi,Wu,{account.email},,,,,",
    )

    staff_import = preview(college, admin, *rows)

    assert errors(staff_import) == {
        2: [
            {
                "column": "Email",
                "message": f"Email address {teacher.email.upper()} is already used by staff code {teacher.staff_code}",
            }
        ],
        3: [
            {
                "column": "Email",
                "message": f"Email address {outsider.email} is already used by another member of staff",
            }
        ],
        4: [
            {
                "column": "Email",
                "message": "Email address someone@example.org is already used by another account",
            }
        ],
    }


def test_unknown_line_manager_is_an_error_on_the_line_manager_column(college, admin):
    header = "Staff code,Forename,Surname,Email,Manager staff code"

    staff_import = preview(college, admin, "AB,Ann,Bell,ann@example.org,ZZ9", header=header)

    assert errors(staff_import) == {
        2: [
            {
                "column": "Manager staff code",
                "message": "Line manager staff code ZZ9 does not match anyone in the file or the staff list",
            }
        ]
    }


def test_a_person_cannot_be_their_own_line_manager(college, admin):
    staff_import = preview(college, admin, "AB,,Ann,Bell,ann@example.org,,,ab,,")

    assert errors(staff_import) == {
        2: [{"column": "Line manager", "message": "A member of staff cannot be their own line manager"}]
    }


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("ann.example.org", "Enter an email address in the correct format, like name@example.com"),
        ("ann@", "Enter an email address in the correct format, like name@example.com"),
        ("ann bell@example.org", "Enter an email address in the correct format, like name@example.com"),
        ("", "Enter an email address"),
    ],
)
def test_malformed_email_is_an_error_on_the_email_column(college, admin, email, message):
    staff_import = preview(college, admin, f"AB,,Ann,Bell,{email},,,,,")

    assert errors(staff_import) == {2: [{"column": "Email", "message": message}]}


def test_missing_required_fields_are_errors_on_their_columns(college, admin):
    staff_import = preview(college, admin, ",,,,ann@example.org,,,,,", "CD,,Carl,,carl@example.org,,,,,")

    assert errors(staff_import) == {
        2: [
            {"column": "Staff code", "message": "Enter a staff code"},
            {"column": "Forename", "message": "Enter a forename"},
            {"column": "Surname", "message": "Enter a surname"},
        ],
        3: [{"column": "Surname", "message": "Enter a surname"}],
    }
    assert counts(staff_import) == {"new": 0, "update": 0, "unchanged": 0, "error": 2}


@pytest.mark.parametrize(
    ("fte", "hours", "expected"),
    [
        ("1.5", "", [{"column": "FTE", "message": "FTE must be between 0 and 1"}]),
        ("-0.1", "", [{"column": "FTE", "message": "FTE must be between 0 and 1"}]),
        ("half", "", [{"column": "FTE", "message": "Enter FTE as a number, like 0.8"}]),
        ("NaN", "", [{"column": "FTE", "message": "Enter FTE as a number, like 0.8"}]),
        ("0.3333", "", [{"column": "FTE", "message": "FTE must have no more than 3 decimal places"}]),
        ("", "-1", [{"column": "Teaching hours", "message": "Teaching hours must be between 0 and 99999.9"}]),
        ("", "760.25", [{"column": "Teaching hours", "message": "Teaching hours must have no more than 1 decimal place"}]),
        ("", "lots", [{"column": "Teaching hours", "message": "Enter teaching hours as a number, like 760"}]),
        ("0", "0", []),
        (" 1.000 ", "99999.9", []),
    ],
)  # fmt: skip
def test_fte_and_teaching_hours_are_checked(college, admin, fte, hours, expected):
    staff_import = preview(college, admin, f"AB,,Ann,Bell,ann@example.org,,,,{fte},{hours}")

    assert staff_import.summary["rows"][0]["errors"] == expected


def test_values_longer_than_a_field_are_errors(college, admin):
    staff_import = preview(college, admin, f"{'A' * 31},{'T' * 21},Ann,Bell,ann@example.org,,{'J' * 201},,,")

    assert errors(staff_import) == {
        2: [
            {"column": "Staff code", "message": "Staff code must be 30 characters or fewer"},
            {"column": "Title", "message": "Title must be 20 characters or fewer"},
            {"column": "Job title", "message": "Job title must be 200 characters or fewer"},
        ]
    }


# File errors


def test_missing_required_columns_are_named(college, admin):
    with pytest.raises(ServiceError) as raised:
        preview(college, admin, "Ann,Bell", header="First name,Last name,Department")

    assert raised.value.field == "file"
    assert raised.value.message == (
        "The file has no column for staff code and email. The first row must be the column headings, "
        "like Staff code, Forename, Surname, Email"
    )


def test_two_columns_for_the_same_field_are_refused(college, admin):
    with pytest.raises(ServiceError) as raised:
        preview(
            college, admin, "AB,Ann,Bell,a@example.org,Annie", header="Code,Forename,Surname,Email,First name"
        )

    assert (
        raised.value.message
        == 'The file has two columns for forename, "Forename" and "First name": remove one of them'
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"Code,Forename\n\x81\x8d\x90", f"The selected file could not be read as text: {SAVE_AS_CSV}"),
        (b"PK\x03\x04\x00\x00binary", f"The selected file is an Excel (.xlsx) or OpenDocument (.ods) workbook, not a CSV file: {SAVE_AS_CSV}"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", f"The selected file is an Excel 97-2003 (.xls) workbook, not a CSV file: {SAVE_AS_CSV}"),
        (b"Code,Forename\x00,Surname", f"The selected file must be a CSV file, not a spreadsheet or other file: {SAVE_AS_CSV}"),
        (b"", "The selected file is empty"),
        (b"\xef\xbb\xbf\r\n\r\n", "The selected file is empty"),
        (b"Code,Forename,Surname,Email\r\n,,,\r\n", "The file has no staff: add a row for each member of staff below the headings"),
    ],
)  # fmt: skip
def test_unreadable_files_are_refused_with_a_message_for_the_form(college, admin, data, message):
    with pytest.raises(ServiceError) as raised:
        imports.preview_import(institution=college, actor=admin.user, file_name="staff.csv", data=data)

    assert (raised.value.field, raised.value.message) == ("file", message)
    assert StaffImport.objects.count() == 0


def test_an_overlong_cell_is_reported_with_its_row(college, admin):
    data = csv_bytes(THREE_ROWS[0], "AB" + "x" * 200_000)

    with pytest.raises(ServiceError) as raised:
        imports.preview_import(institution=college, actor=admin.user, file_name="staff.csv", data=data)

    assert raised.value.message == (
        "Row 3 of the file could not be read: check that any value with a comma, quote or line break is in "
        "double quotes"
    )


def test_check_import_is_a_dry_run_that_stores_nothing(college):
    summary = imports.check_import(institution=college, data=csv_bytes(*THREE_ROWS))

    assert summary["counts"] == {"new": 3, "update": 0, "unchanged": 0, "error": 0}
    assert (StaffImport.objects.count(), StaffMember.objects.count()) == (0, 0)


# Property tests: whatever arrives, the preview raises nothing unexpected and writes no staff; apply is all or
# nothing.

HEADINGS = [heading for column in imports.COLUMNS for heading in column.headings[:2]]
FULL_HEADER = ["Staff code", "Title", "Forename", "Surname", "Email", "Department", "Job title", "Line manager", "FTE", "Teaching hours"]  # fmt: skip
CODES = st.sampled_from(["A1", "A2", "a2", "B1", "B2", "C1", "ZZ9", ""])
cells = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        ["", " ", '"', '""', ",", "\r\n", "0.5", "1", "2", "-1", "NaN", "1e3", "x@example.org", "bad@"]
    ),
    CODES,
)
# A plausible member of staff, as a dict by heading so that it lands in the right columns in any order.
plausible_rows = st.builds(
    lambda code, manager, department, fte, job: {
        "Staff code": code, "Forename": "Fay", "Surname": "Sur", "Email": f"{code.lower()}@example.org",
        "Department": department, "Job title": job, "Line manager": manager, "FTE": fte,
    },
    code=st.from_regex(r"[A-D][1-3]", fullmatch=True),
    manager=st.sampled_from(["", "", "", "", "", "A1", "b2"]),
    department=st.sampled_from(["", "Mathematics", "Physics", "physics "]),
    fte=st.sampled_from(["", "0.5", "1", "0.75", "", "0.8", "1.5"]),
    job=st.sampled_from(["Teacher", 'Head of "Art", Design']),
)  # fmt: skip
random_rows = st.lists(cells, max_size=12)


@st.composite
def csv_files(draw) -> bytes:
    """A CSV file: tidy (all columns, plausible rows), or anything from wrong headings to broken quoting."""
    out = io.StringIO()
    writer = csv.writer(out)
    if draw(st.booleans()):
        header = draw(st.permutations(FULL_HEADER))
        rows = draw(st.lists(plausible_rows, min_size=1, max_size=8, unique_by=lambda row: row["Staff code"]))
        messy = False
    else:
        header = draw(st.lists(st.sampled_from([*HEADINGS, "Junk", ""]), min_size=1, max_size=12))
        rows = draw(st.lists(st.one_of(plausible_rows, random_rows), max_size=8))
        messy = True
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(heading, "") for heading in header] if isinstance(row, dict) else row)
    text = out.getvalue()
    if messy and draw(st.booleans()):
        text = text.replace('"', "")  # quoting broken, as in a hand-edited file
    return (("\ufeff" if draw(st.booleans()) else "") + text).encode()


def _staff_totals() -> tuple[int, int, int]:
    return StaffMember.objects.count(), User.objects.count(), Department.objects.count()


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(st.binary(max_size=300), csv_files()))
def test_preview_of_any_bytes_raises_only_service_errors_and_writes_no_staff(college, admin, data):
    before = _staff_totals()
    try:
        staff_import = imports.preview_import(
            institution=college, actor=admin.user, file_name="f.csv", data=data
        )
    except ServiceError as exc:
        assert exc.field == "file"
    else:
        assert sum(counts(staff_import).values()) == len(staff_import.summary["rows"])
    assert _staff_totals() == before


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=csv_files())
def test_apply_of_any_file_is_complete_or_writes_nothing(college, admin, data):
    try:
        staff_import = imports.preview_import(
            institution=college, actor=admin.user, file_name="f.csv", data=data
        )
    except ServiceError:
        event("file refused")
        return
    before = _staff_totals()
    try:
        applied = imports.apply_import(staff_import, actor=admin.user)
    except ServiceError:
        event("rows with errors: nothing applied")
        assert counts(staff_import)["error"] > 0
        assert _staff_totals() == before
    else:
        event("applied")
        assert counts(staff_import)["error"] == 0
        new = counts(applied)["new"]
        assert _staff_totals() == (
            before[0] + new,
            before[1] + new,
            before[2] + len(applied.summary["new_departments"]),
        )
        again = imports.preview_import(institution=college, actor=admin.user, file_name="f.csv", data=data)
        assert counts(again) == {"new": 0, "update": 0, "unchanged": len(again.summary["rows"]), "error": 0}
