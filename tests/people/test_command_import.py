"""`protutor import_staff FILE [--apply] [--institution NAME]`."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from protutor.audit.models import AuditEvent
from protutor.people.models import StaffImport, StaffMember, User
from tests.factories.people import InstitutionFactory

HEADER = "Staff code,Forename,Surname,Email,Department,Line manager"


@pytest.fixture
def staff_file(tmp_path):
    path = tmp_path / "staff.csv"
    path.write_text(
        "\r\n".join(
            [HEADER, "AB,Ann,Bell,ann@example.org,Physics,CD", "CD,Carl,Dent,carl@example.org,Physics,"]
        ),
        encoding="utf-8-sig",
    )
    return path


def run(*args) -> str:
    out = io.StringIO()
    call_command("import_staff", *map(str, args), stdout=out)
    return out.getvalue()


def test_dry_run_prints_the_rows_and_writes_nothing(college, staff_file):
    output = run(staff_file)

    assert output.splitlines() == [
        "   Row  Code  Kind       Errors",
        "     2  AB    new",
        "     3  CD    new",
        "Runshaw Test College: 2 new, 0 updated, 0 unchanged, 0 with errors.",
        "New departments: Physics",
        "Dry run: nothing written. Run again with --apply to write.",
    ]
    assert (StaffMember.objects.count(), User.objects.count(), StaffImport.objects.count()) == (0, 0, 0)


def test_apply_writes_and_a_second_run_changes_nothing(college, staff_file):
    output = run(staff_file, "--apply")

    assert output.splitlines()[-1] == "Applied: 2 new, 0 updated, 0 unchanged."
    assert sorted(
        StaffMember.objects.values_list("staff_code", "line_manager__staff_code", "user__username")
    ) == [
        ("AB", "CD", "ab"),
        ("CD", None, "cd"),
    ]
    event = AuditEvent.objects.get(action="people.staff_import_applied")
    assert event.actor is None

    output = run(staff_file, "--apply")

    assert output.splitlines()[-1] == "Applied: 0 new, 0 updated, 2 unchanged."
    assert (StaffMember.objects.count(), User.objects.count()) == (2, 2)


def test_rows_with_errors_stop_the_command_and_write_nothing(college, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(f"{HEADER}\nAB,Ann,Bell,ann@,,ZZ\nCD,Carl,Dent,carl@example.org,,\n")

    out = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("import_staff", str(path), "--apply", stdout=out)

    assert str(raised.value) == "Nothing written: 1 row has errors. Correct the file first."
    assert out.getvalue().splitlines()[:3] == [
        "   Row  Code  Kind       Errors",
        "     2  AB    error      Email: Enter an email address in the correct format, like name@example.com; "
        "Line manager: Line manager staff code ZZ does not match anyone in the file or the staff list",
        "     3  CD    new",
    ]
    assert StaffMember.objects.count() == 0


def test_unreadable_file_is_a_command_error(college, tmp_path):
    path = tmp_path / "staff.csv"
    path.write_bytes(b"PK\x03\x04\x14\x00 a workbook renamed .csv")

    with pytest.raises(CommandError, match="workbook, not a CSV file"):
        run(path)


def test_missing_file_is_a_command_error(college, tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run(tmp_path / "missing.csv")


def test_institution_is_needed_when_there_are_several(college, staff_file):
    InstitutionFactory(name="Another School")

    with pytest.raises(CommandError, match="Give --institution NAME"):
        run(staff_file)

    output = run(staff_file, "--institution", "another school", "--apply")

    assert output.splitlines()[-1] == "Applied: 2 new, 0 updated, 0 unchanged."
    assert set(StaffMember.objects.values_list("institution__name", flat=True)) == {"Another School"}


def test_unknown_institution_is_a_command_error(college, staff_file):
    with pytest.raises(CommandError, match='No school or college is called "Nowhere"'):
        run(staff_file, "--institution", "Nowhere")


def test_unchanged_rows_are_listed_only_with_verbosity_2(college, staff_file):
    run(staff_file, "--apply")

    assert run(staff_file).splitlines()[0] == "(2 unchanged rows not listed: use --verbosity 2 to list them)"
    assert run(staff_file, "--verbosity", "2").splitlines()[:3] == [
        "   Row  Code  Kind       Errors",
        "     2  AB    unchanged",
        "     3  CD    unchanged",
    ]
