"""A staff import killed with SIGKILL part-way leaves none of itself behind, and running it again completes.

The import runs as `protutor import-staff --apply` in a subprocess (tests/faults/driver.py), in batches of 3
rows, and is killed while asleep inside its transaction: once after two batches of new staff are written,
and once later, while it links the new staff to their line managers."""

import pytest

from protutor.audit.models import AuditEvent
from protutor.people.models import Department, StaffImport, StaffMember, User
from tests.factories.people import InstitutionFactory
from tests.faults.conftest import kill, run_to_end, start_until_paused

pytestmark = pytest.mark.faults

ROWS = 12
HEADER = "Staff code,Forename,Surname,Email,Department,Line manager"


def staff_csv() -> str:
    # S01 manages everyone in the file; the managers are new too, so linking them is the import's last phase.
    rows = [
        f"S{n:02},Forename{n},Surname{n},person{n}@example.org,Dept {n % 3},{'' if n == 1 else 'S01'}"
        for n in range(1, ROWS + 1)
    ]
    return "\r\n".join([HEADER, *rows]) + "\r\n"


def imported(institution):
    return (
        StaffMember.objects.filter(institution=institution).count(),
        User.objects.filter(staff__institution=institution).count(),
        Department.objects.filter(institution=institution).count(),
        StaffMember.objects.filter(institution=institution, line_manager__isnull=False).count(),
        StaffImport.objects.filter(institution=institution, status=StaffImport.Status.APPLIED).count(),
        AuditEvent.objects.filter(action="people.staff_import_applied").count(),
    )


NOTHING = (0, 0, 0, 0, 0, 0)
EVERYTHING = (ROWS, ROWS, 3, ROWS - 1, 1, 1)


@pytest.mark.parametrize(
    ("statement", "after"),
    [
        pytest.param('INSERT INTO "people_staffmember"', 2, id="after-two-batches-of-staff"),
        pytest.param('UPDATE "people_staffmember"', 1, id="while-linking-line-managers"),
    ],
)
def test_a_killed_import_writes_nothing_and_a_rerun_completes(subprocess_db, tmp_path, statement, after):
    institution = InstitutionFactory(name="Faults College")
    staff_file = tmp_path / "staff.csv"
    staff_file.write_text(staff_csv(), encoding="utf-8")
    command = ["import-staff", str(staff_file), "--apply", "--institution", institution.name]
    subprocess_db.push()

    process = start_until_paused(
        command, subprocess_db.env(FAULT_SQL=statement, FAULT_AFTER=str(after), FAULT_IMPORT_BATCH="3")
    )
    kill(process)
    subprocess_db.pull()
    assert imported(institution) == NOTHING

    output = run_to_end(command, subprocess_db.env(FAULT_IMPORT_BATCH="3"))
    subprocess_db.pull()
    assert output.splitlines()[-1] == f"Applied: {ROWS} new, 0 updated, 0 unchanged."
    assert imported(institution) == EVERYTHING
    assert set(
        StaffMember.objects.filter(institution=institution).values_list("line_manager__staff_code", flat=True)
    ) == {None, "S01"}
