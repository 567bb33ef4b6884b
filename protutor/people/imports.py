"""Staff import from a school or college MIS export (CSV): a dry-run preview, then all of it or nothing.

`preview_import` decodes and checks the file, runs django-import-export's dry run and keeps the decoded text
with a summary of every row; `apply_import` runs the same import for real in one transaction, with its audit
entry, or writes nothing at all.

How a file becomes staff:
1. `core.csvfiles.read_upload` decodes whatever Excel saved (UTF-8, Windows-1252 or UTF-16) and finds the
   separator (comma, semicolon or tab); `read_csv` reads Excel-style quoting with the csv module, drops
   blank rows but keeps each row's number in the file (the headings are row 1), maps headings
   to columns by their usual MIS names and ignores any other column.
2. `StaffResource`, a django-import-export ModelResource, cleans and checks each row against what
   `_Directory` read once before the first row (the institution's staff and departments, and every email
   address and username in use), so no row makes a query of its own. Staff are matched on staff code
   (ignoring case); rows that would change nothing are skipped, so re-importing a file writes nothing.
3. Writes go in batches (`use_bulk`): a batch's new departments and accounts, then its new staff, each with
   one `bulk_create`; changed staff get only their changed values (see `StaffResource.bulk_update`).

Line managers are the one link between rows, so they take two phases. Phase one checks every row: the code
must belong to a row of the file or to someone on the staff list, and not to the row itself, and managers
must not go round in a circle (A manages B, who manages A: `_manager_cycles`). A manager who is
new in this file has no primary key until their batch is written, so phase two (`after_import`), after every
row is saved and in the same transaction, links those rows to their managers: one UPDATE per manager.
"""

from __future__ import annotations

import csv
import re
import secrets
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import cast

import tablib
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, UNUSABLE_PASSWORD_SUFFIX_LENGTH
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from import_export import fields, resources, widgets
from import_export.instance_loaders import BaseInstanceLoader
from import_export.results import Result, RowResult

from protutor.audit import services as audit
from protutor.core.csvfiles import Column, read_upload, sniff_delimiter
from protutor.core.csvfiles import records as csv_records
from protutor.core.csvfiles import squash as _squash
from protutor.core.errors import ServiceError
from protutor.core.params import DECIMAL_TEXT
from protutor.people.models import Department, Institution, StaffImport, StaffMember, User
from protutor.people.permissions import can_import_staff

MAX_FILE_SIZE = 5 * 1024 * 1024
BATCH_SIZE = 1000


COLUMNS: tuple[Column, ...] = (
    Column("staff_code", "staff code", ("Staff code", "Code", "Staff ref", "Staff reference"), required=True),
    Column("title", "title", ("Title", "Salutation")),
    Column(
        "forename", "forename", ("Forename", "First name", "Forenames", "Given name", "Legal forename"), True
    ),
    Column("surname", "surname", ("Surname", "Last name", "Family name", "Legal surname"), required=True),
    Column(
        "email",
        "email",
        ("Email", "Email address", "Work email", "Work email address", "School email", "College email"),
        required=True,
    ),
    Column("department", "department", ("Department", "Dept", "Department name", "Curriculum area")),
    Column("job_title", "job title", ("Job title", "Post", "Position", "Job role")),
    Column(
        "line_manager",
        "line manager",
        (
            "Line manager",
            "Line manager code",
            "Line manager staff code",
            "Line manager's staff code",
            "Manager staff code",
            "Manager code",
            "Manager",
        ),
    ),
    Column("fte", "FTE", ("FTE", "Full-time equivalent")),
    Column(
        "teaching_hours",
        "teaching hours",
        ("Teaching hours", "Teaching hours a year", "Teaching hours per year", "Annual teaching hours"),
    ),
)
COLUMNS_BY_KEY = {column.key: column for column in COLUMNS}
_COLUMN_BY_HEADING = {_squash(heading): column for column in COLUMNS for heading in column.headings}
# Resource attributes whose name is not the column's key.
_COLUMN_OF_ATTRIBUTE = {"line_manager_code": "line_manager"}
_DEPARTMENT_FIELD = StaffMember._meta.get_field("department")
_ATTNAME = {"department": "department_id", "line_manager": "line_manager_id"}


def _length(model, name: str) -> int:
    """The most characters the model field holds: limits come from the model, so they cannot drift."""
    return int(model._meta.get_field(name).max_length)


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _code_key(code: str) -> str:
    return code.strip().upper()


def _department_key(name: str) -> str:
    return " ".join(name.split()).casefold()


# Reading the file


@dataclass
class ParsedFile:
    """The mapped columns of a CSV file, one record per non-blank row, with each row's number in the file."""

    headings: dict[str, str]  # column key -> the heading as written in the file
    ignored: list[str]
    row_numbers: list[int]
    records: list[list[str]]
    delimiter: str = ","

    @property
    def keys(self) -> list[str]:
        return list(self.headings)

    def dataset(self) -> tablib.Dataset:
        return tablib.Dataset(*self.records, headers=self.keys)


def read_csv(text: str) -> ParsedFile:
    """Parse decoded CSV text, map the headings and keep the rows that have any value."""
    reader = csv_records(text)
    heading_row: list[str] | None = None
    row_numbers: list[int] = []
    raw_rows: list[list[str]] = []
    number = 0
    try:
        for number, record in enumerate(reader, start=1):
            if not any(cell.strip() for cell in record):
                continue
            if heading_row is None:
                heading_row = record
                continue
            row_numbers.append(number)
            raw_rows.append(record)
    except csv.Error as exc:
        raise ServiceError(
            f"Row {number + 1} of the file could not be read: check that any value with a comma, quote "
            "or line break is in double quotes",
            field="file",
        ) from exc
    if heading_row is None:
        raise ServiceError("The selected file is empty", field="file")

    positions: dict[str, int] = {}
    headings: dict[str, str] = {}
    ignored: list[str] = []
    for position, cell in enumerate(heading_row):
        heading = cell.strip()
        if not heading:
            continue
        column = _COLUMN_BY_HEADING.get(_squash(heading))
        if column is None:
            ignored.append(heading)
            continue
        if column.key in headings:
            raise ServiceError(
                f'The file has two columns for {column.label}, "{headings[column.key]}" and "{heading}": '
                "remove one of them",
                field="file",
            )
        positions[column.key] = position
        headings[column.key] = heading
    missing = [column.label for column in COLUMNS if column.required and column.key not in headings]
    if missing:
        raise ServiceError(
            f"The file has no column for {_join(missing)}. The first row must be the column headings, "
            "like Staff code, Forename, Surname, Email",
            field="file",
        )
    if not raw_rows:
        raise ServiceError(
            "The file has no staff: add a row for each member of staff below the headings", field="file"
        )
    order = [positions[key] for key in headings]
    records = [[row[i].strip() if i < len(row) else "" for i in order] for row in raw_rows]
    return ParsedFile(
        headings=headings,
        ignored=ignored,
        row_numbers=row_numbers,
        records=records,
        delimiter=sniff_delimiter(text),
    )


# What the import needs to know about the database, read once


class _Directory:
    """The institution's staff and departments, and every email address and username in use (five queries)."""

    def __init__(self, institution: Institution):
        self.institution = institution
        staff = list(StaffMember.objects.filter(institution=institution))
        self.staff_by_code = {_code_key(s.staff_code): s for s in staff}
        self.code_by_pk = {s.pk: s.staff_code for s in staff}
        self.departments = {
            _department_key(d.name): d for d in Department.objects.filter(institution=institution)
        }
        self.users = {u.pk: u for u in User.objects.filter(staff__institution=institution)}
        self.staff_by_email: dict[str, tuple[int, int, str]] = {
            email.lower(): (pk, institution_id, code)
            for email, pk, institution_id, code in StaffMember.objects.values_list(
                "email", "pk", "institution_id", "staff_code"
            )
        }
        self.user_by_email: dict[str, int] = {}
        self.usernames: set[str] = set()
        for pk, username, email in User.objects.values_list("pk", "username", "email"):
            self.usernames.add(username.lower())
            if email:
                self.user_by_email[email.lower()] = pk

    def department_named(self, name: str) -> Department:
        key = _department_key(name)
        department = self.departments.get(key)
        if department is None:
            department = Department(institution=self.institution, name=" ".join(name.split()))
            self.departments[key] = department
        return department

    def free_username(self, staff_code: str) -> str:
        """The staff code in lower case; a suffix -2, -3... when another account already has it."""
        base = re.sub(r"[^\w.@+-]", "_", staff_code.lower())
        username, n = base, 1
        while username in self.usernames:
            n += 1
            username = f"{base}-{n}"
        self.usernames.add(username)
        return username


# Widgets: each turns one cell into a value, or raises ValueError with a message in GOV.UK wording


class TextWidget(widgets.Widget):
    def __init__(self, label: str, max_length: int, required_message: str | None = None):
        super().__init__()
        self.label = label
        self.max_length = max_length
        self.required_message = required_message

    def clean(self, value, row=None, **kwargs) -> str:
        text = "" if value is None else str(value).strip()
        if not text and self.required_message:
            raise ValueError(self.required_message)
        if len(text) > self.max_length:
            raise ValueError(f"{self.label} must be {self.max_length} characters or fewer")
        return text


class EmailWidget(TextWidget):
    def __init__(self):
        super().__init__(
            "Email address", _length(StaffMember, "email"), required_message="Enter an email address"
        )

    def clean(self, value, row=None, **kwargs) -> str:
        email = super().clean(value, row, **kwargs)
        try:
            validate_email(email)
        except ValidationError as exc:
            raise ValueError("Enter an email address in the correct format, like name@example.com") from exc
        return email


class NumberWidget(widgets.Widget):
    def __init__(self, label: str, example: str, maximum: Decimal, places: int, range_message: str):
        super().__init__()
        self.label = label
        self.example = example
        self.maximum = maximum
        self.places = places
        self.range_message = range_message
        # A file separated by semicolons or tabs comes from an Excel whose decimal point is a comma ("0,8");
        # in a comma-separated file "1,000" would be a thousands separator, so there it is not read.
        self.decimal_comma = False

    def clean(self, value, row=None, **kwargs) -> Decimal | None:
        text = "" if value is None else str(value).strip()
        if not text:
            return None
        if self.decimal_comma and re.fullmatch(r"[0-9]+,[0-9]+", text):
            text = text.replace(",", ".")
        try:
            number = Decimal(text) if DECIMAL_TEXT.fullmatch(text) else None
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise ValueError(f"Enter {self.label} as a number, like {self.example}")
        if not Decimal(0) <= number <= self.maximum:
            raise ValueError(self.range_message)
        if number != number.quantize(Decimal(1).scaleb(-self.places)):
            places = "1 decimal place" if self.places == 1 else f"{self.places} decimal places"
            raise ValueError(f"{self.label[0].upper()}{self.label[1:]} must have no more than {places}")
        return number


class DepartmentWidget(widgets.Widget):
    """A department of the institution by name (ignoring case and spacing); a new name makes a new one."""

    def __init__(self, directory: _Directory):
        super().__init__()
        self.name = TextWidget("Department", _length(Department, "name"))
        self.directory = directory

    def clean(self, value, row=None, **kwargs) -> Department | None:
        name = self.name.clean(value, row, **kwargs)
        return self.directory.department_named(name) if name else None


class _DirectoryInstanceLoader(BaseInstanceLoader):
    """Finds the existing member of staff for a row in the preloaded directory, never with a query."""

    def get_instance(self, row):
        return self.resource.existing_staff_for(row)


def _manager_code(staff: StaffMember) -> str:
    """The line manager's staff code: the import keeps it on the instance as the resource field's attribute."""
    return staff.__dict__.get("line_manager_code", "")


def _cached_department(staff: StaffMember) -> Department | None:
    """The department a row set on the instance, saved or not, read without a query."""
    return cast("Department | None", _DEPARTMENT_FIELD.get_cached_value(staff, default=None))


def _department_ref(staff: StaffMember):
    """The department to compare before and after a row, telling a new (unsaved) department from none."""
    department = _cached_department(staff)
    if department is not None and department.pk is None:
        return ("new", department.name)
    return staff.department_id


_COMPARED = (
    "staff_code",
    "title",
    "forename",
    "surname",
    "email",
    "department",
    "job_title",
    "line_manager",
    "fte",
    "teaching_hours",
)


def _snapshot(staff: StaffMember) -> dict:
    return {
        "staff_code": staff.staff_code,
        "title": staff.title,
        "forename": staff.forename,
        "surname": staff.surname,
        "email": staff.email,
        "department": _department_ref(staff),
        "job_title": staff.job_title,
        "line_manager": _code_key(_manager_code(staff)),
        "fte": staff.fte,
        "teaching_hours": staff.teaching_hours,
    }


class StaffResource(resources.ModelResource):
    """One MIS row to one StaffMember (and its account), checked against the file and the directory."""

    staff_code = fields.Field(
        attribute="staff_code",
        column_name="staff_code",
        widget=TextWidget(
            "Staff code", _length(StaffMember, "staff_code"), required_message="Enter a staff code"
        ),
    )
    title = fields.Field(
        attribute="title", column_name="title", widget=TextWidget("Title", _length(StaffMember, "title"))
    )
    forename = fields.Field(
        attribute="forename",
        column_name="forename",
        widget=TextWidget("Forename", _length(StaffMember, "forename"), required_message="Enter a forename"),
    )
    surname = fields.Field(
        attribute="surname",
        column_name="surname",
        widget=TextWidget("Surname", _length(StaffMember, "surname"), required_message="Enter a surname"),
    )
    email = fields.Field(attribute="email", column_name="email", widget=EmailWidget())
    department = fields.Field(attribute="department", column_name="department")
    job_title = fields.Field(
        attribute="job_title",
        column_name="job_title",
        widget=TextWidget("Job title", _length(StaffMember, "job_title")),
    )
    line_manager_code = fields.Field(
        attribute="line_manager_code",
        column_name="line_manager",
        widget=TextWidget("Line manager staff code", _length(StaffMember, "staff_code")),
    )
    fte = fields.Field(
        attribute="fte",
        column_name="fte",
        widget=NumberWidget("FTE", "0.8", Decimal(1), 3, "FTE must be between 0 and 1"),
    )
    teaching_hours = fields.Field(
        attribute="teaching_hours",
        column_name="teaching_hours",
        widget=NumberWidget(
            "teaching hours", "760", Decimal("99999.9"), 1, "Teaching hours must be between 0 and 99999.9"
        ),
    )

    class Meta:
        model = StaffMember
        fields = (
            "staff_code",
            "title",
            "forename",
            "surname",
            "email",
            "department",
            "job_title",
            "line_manager_code",
            "fte",
            "teaching_hours",
        )
        import_id_fields = ("staff_code",)
        instance_loader_class = _DirectoryInstanceLoader
        use_bulk = True
        batch_size = BATCH_SIZE
        skip_unchanged = True
        report_skipped = True
        # Unchanged rows are found by comparing a snapshot of the few compared values (`skip_row`), which is
        # much cheaper than the deep copy and rendered diff that the library makes otherwise.
        skip_diff = True
        clean_model_instances = False

    def __init__(self, directory: _Directory, parsed: ParsedFile):
        super().__init__()
        self.directory = directory
        self.parsed = parsed
        self.fields["department"].widget = DepartmentWidget(directory)
        for key in ("fte", "teaching_hours"):
            self.fields[key].widget.decimal_comma = parsed.delimiter != ","
        self.first_row_by_code: dict[str, int] = {}
        self.first_row_by_email: dict[str, int] = {}
        self.manager_cycles: dict[int, str] = {}
        self.notes: dict[int, dict] = {}
        self.created: list[StaffMember] = []
        self.awaiting_manager: list[StaffMember] = []
        self.current_row = 0

    def file_row(self, row_number: int) -> int:
        return self.parsed.row_numbers[row_number - 1]

    # Hooks, in the order the library calls them

    def before_import(self, dataset, **kwargs):
        keys = dataset.headers
        code_at = keys.index("staff_code")
        email_at = keys.index("email")
        for number, record in zip(self.parsed.row_numbers, dataset, strict=True):
            self.first_row_by_code.setdefault(_code_key(record[code_at]), number)
            self.first_row_by_email.setdefault(record[email_at].strip().lower(), number)
        if "line_manager" in keys:
            self.manager_cycles = _manager_cycles(self.directory, self.parsed, keys.index("line_manager"))

    def before_import_row(self, row, **kwargs):
        self.current_row = self.file_row(kwargs["row_number"])

    def existing_staff_for(self, row) -> StaffMember | None:
        key = _code_key(row["staff_code"] or "")
        if not key or self.first_row_by_code.get(key) != self.current_row:
            return None  # a repeated code is reported on its row; it must not touch the first row's record
        return self.directory.staff_by_code.get(key)

    def after_init_instance(self, instance, new, row, **kwargs):
        if new:
            instance.institution = self.directory.institution
            instance.line_manager_code = ""
            return
        manager = instance.line_manager_id
        instance.line_manager_code = self.directory.code_by_pk.get(manager, f"#{manager}") if manager else ""
        instance.import_before = _snapshot(instance)

    def import_instance(self, instance, row, **kwargs) -> None:
        errors: dict[str, list[str]] = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.message_dict
        self._check_across_rows(instance, row, errors)
        if errors:
            raise ValidationError(errors)

    def _check_across_rows(self, instance: StaffMember, row, errors: dict[str, list[str]]) -> None:
        here = self.current_row
        code = instance.staff_code if "staff_code" not in errors else ""
        if code:
            first = self.first_row_by_code[_code_key(code)]
            if first != here:
                errors.setdefault("staff_code", []).append(
                    f"Staff code {code} is already used in row {first}"
                )
        if "email" not in errors:
            email = instance.email
            key = email.lower()
            first = self.first_row_by_email[key]
            owner = self.directory.staff_by_email.get(key)
            account = self.directory.user_by_email.get(key)
            if first != here:
                errors["email"] = [f"Email address {email} is already used in row {first}"]
            elif owner is not None and owner[0] != instance.pk:
                _pk, institution_id, owner_code = owner
                whose = (
                    f"staff code {owner_code}"
                    if institution_id == self.directory.institution.pk
                    else "another member of staff"
                )
                errors["email"] = [f"Email address {email} is already used by {whose}"]
            elif account is not None and account != instance.user_id:
                errors["email"] = [f"Email address {email} is already used by another account"]
        manager = _manager_code(instance) if "line_manager" in row else ""
        if manager and "line_manager_code" not in errors:
            key = _code_key(manager)
            if code and key == _code_key(code):
                errors["line_manager_code"] = ["A member of staff cannot be their own line manager"]
            elif key not in self.first_row_by_code and key not in self.directory.staff_by_code:
                errors["line_manager_code"] = [
                    f"Line manager staff code {manager} does not match anyone in the file or the staff list"
                ]
            elif here in self.manager_cycles:
                errors["line_manager_code"] = [self.manager_cycles[here]]

    def skip_row(self, instance, original, row, import_validation_errors=None) -> bool:
        if import_validation_errors:
            return False
        after = _snapshot(instance)
        note: dict = {}
        if isinstance(after["department"], tuple):
            note["new_department"] = after["department"][1]
        if instance.pk is not None:
            before = instance.import_before
            instance.import_changes = [key for key in _COMPARED if before[key] != after[key]]
            note["changes"] = [_label(key) for key in instance.import_changes]
        self.notes[self.current_row] = note
        return self._meta.skip_unchanged and instance.pk is not None and not instance.import_changes

    # Writing (never in a dry run)

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if dry_run or not self.create_instances:
            self.create_instances.clear()
            return
        batch = self.create_instances
        self._save_new_departments(batch)
        accounts = [self._new_account(staff) for staff in batch]
        User.objects.bulk_create(accounts, batch_size=batch_size)
        for staff, account in zip(batch, accounts, strict=True):
            staff.user = account
            self._link_manager(staff)
        self.created.extend(batch)
        super().bulk_create(using_transactions, dry_run, raise_errors, batch_size=batch_size, result=result)

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        """Write only the values that changed, one UPDATE for each distinct set of new values.

        Django's `bulk_update` rewrites every listed column of every row through a CASE expression; measured
        on 10,000 rows it took 1.7 s for one column and 3.9 s for three, no faster than an UPDATE a row.
        Grouping costs one query when many rows get the same change (a new job title, department or
        manager) and at worst one a changed row.
        """
        batch, self.update_instances = self.update_instances, []
        if dry_run:
            return
        self._save_new_departments(batch)
        groups: dict[tuple, list[int]] = defaultdict(list)
        for staff in batch:
            self._link_manager(staff)
            changed = tuple(
                (attname, getattr(staff, attname))
                for attname in (_ATTNAME.get(key, key) for key in staff.import_changes)
            )
            groups[changed].append(staff.pk)
            account = self.directory.users[staff.user_id]
            wanted = {"email": staff.email, "first_name": staff.forename, "last_name": staff.surname}
            if any(getattr(account, name) != value for name, value in wanted.items()):
                User.objects.filter(pk=account.pk).update(**wanted)
        for changed, pks in groups.items():
            StaffMember.objects.filter(pk__in=pks).update(**dict(changed))

    def after_import(self, dataset, result, **kwargs) -> None:
        """Phase two: link rows to line managers who were new in this file, now that they have keys."""
        if kwargs.get("dry_run") or result.has_errors() or result.has_validation_errors():
            return
        new_by_code = {_code_key(staff.staff_code): staff for staff in self.created}
        reports: dict[int, list[int]] = defaultdict(list)
        for staff in self.awaiting_manager:
            reports[new_by_code[_code_key(_manager_code(staff))].pk].append(staff.pk)
        for manager, pks in reports.items():
            StaffMember.objects.filter(pk__in=pks).update(line_manager_id=manager)

    def _save_new_departments(self, batch: list[StaffMember]) -> None:
        new: dict[int, Department] = {}
        for staff in batch:
            department = _cached_department(staff)
            if department is not None and department.pk is None:
                new[id(department)] = department
        Department.objects.bulk_create(new.values())
        for staff in batch:
            department = _cached_department(staff)
            if department is not None:
                staff.department = department  # sets department_id now that a new department has its key

    def _new_account(self, staff: StaffMember) -> User:
        account = User(
            username=self.directory.free_username(staff.staff_code),
            email=staff.email,
            first_name=staff.forename,
            last_name=staff.surname,
            is_active=True,
        )
        # What set_unusable_password() stores, made without its per-character loop (a second per 10,000).
        account.password = UNUSABLE_PASSWORD_PREFIX + secrets.token_hex(UNUSABLE_PASSWORD_SUFFIX_LENGTH // 2)
        return account

    def _link_manager(self, staff: StaffMember) -> None:
        if "line_manager" not in self.parsed.headings:
            return
        key = _code_key(_manager_code(staff))
        existing = self.directory.staff_by_code.get(key) if key else None
        staff.line_manager_id = existing.pk if existing is not None else None
        if key and existing is None:
            self.awaiting_manager.append(staff)


def _manager_cycles(directory: _Directory, parsed: ParsedFile, manager_at: int) -> dict[int, str]:
    """Rows whose line managers lead round in a circle (A manages B, who manages A), each with a message
    naming the circle and the rows in it. Managers are as they would be after the import: the file's for
    the staff in it, the staff list's for everyone else."""
    code_at = parsed.keys.index("staff_code")
    manager_of: dict[str, str] = {
        key: _code_key(directory.code_by_pk.get(staff.line_manager_id, ""))
        for key, staff in directory.staff_by_code.items()
        if staff.line_manager_id
    }
    row_of: dict[str, int] = {}
    spelt: dict[str, str] = {key: staff.staff_code for key, staff in directory.staff_by_code.items()}
    for number, record in zip(parsed.row_numbers, parsed.records, strict=True):
        key = _code_key(record[code_at])
        if not key or key in row_of:
            continue
        row_of[key] = number
        spelt[key] = record[code_at].strip()
        manager_of[key] = _code_key(record[manager_at])
    messages: dict[int, str] = {}
    done: set[str] = set()
    for start in row_of:
        path: list[str] = []
        on_path: set[str] = set()
        key = start
        while key and key not in done and key not in on_path:
            path.append(key)
            on_path.add(key)
            key = manager_of.get(key, "")
        if key in on_path:
            circle = path[path.index(key) :]
            if len(circle) > 1:  # managing oneself has its own message
                chain = [spelt.get(k, k) for k in [*circle, circle[0]]]
                names = f"{chain[0]} is managed by " + ", who is managed by ".join(chain[1:])
                rows = sorted(row_of[k] for k in circle if k in row_of)
                where = f"row {rows[0]}" if len(rows) == 1 else f"rows {_join([str(r) for r in rows])}"
                message = (
                    f"Line managers go round in a circle: {names} ({where}). Correct the line manager "
                    "in one of these rows"
                )
                for k in circle:
                    if k in row_of:
                        messages[row_of[k]] = message
        done.update(path)
    return messages


def _label(key: str) -> str:
    label = COLUMNS_BY_KEY[key].label
    return label if label.isupper() else label[0].upper() + label[1:]


# Running an import and summarising it


_KIND = {
    RowResult.IMPORT_TYPE_NEW: "new",
    RowResult.IMPORT_TYPE_UPDATE: "update",
    RowResult.IMPORT_TYPE_SKIP: "unchanged",
    RowResult.IMPORT_TYPE_INVALID: "error",
}


def _run(institution: Institution, parsed: ParsedFile, *, dry_run: bool) -> dict:
    """Import the parsed rows (a dry run, or for real in the caller's transaction) and summarise each row."""
    directory = _Directory(institution)
    resource = StaffResource(directory, parsed)
    result: Result = resource.import_data(
        parsed.dataset(), dry_run=dry_run, use_transactions=True, rollback_on_validation_errors=True
    )
    _raise_unexpected(result)
    return _summary(parsed, resource, result)


def _raise_unexpected(result: Result) -> None:
    """Every expected problem is a row's validation error; anything else is a fault, so it is not hidden."""
    failures = [error.error for error in result.base_errors]
    failures += [error.error for row in result.error_rows for error in row.errors]
    if not failures:
        return
    if isinstance(failures[0], IntegrityError):
        raise ServiceError(
            "The staff list changed while the import was running. Upload the file again to see the changes"
        ) from failures[0]
    raise failures[0]


def _summary(parsed: ParsedFile, resource: StaffResource, result: Result) -> dict:
    headings = parsed.headings
    code_at = parsed.keys.index("staff_code")
    forename_at = parsed.keys.index("forename")
    surname_at = parsed.keys.index("surname")
    counts = {"new": 0, "update": 0, "unchanged": 0, "error": 0}
    rows = []
    for number, record, row_result in zip(parsed.row_numbers, parsed.records, result.rows, strict=True):
        kind = _KIND[row_result.import_type]
        counts[kind] += 1
        errors = []
        if row_result.validation_error is not None:
            for attribute, messages in row_result.validation_error.message_dict.items():
                key = _COLUMN_OF_ATTRIBUTE.get(attribute, attribute)
                column = "" if attribute == NON_FIELD_ERRORS else headings.get(key, _label(key))
                errors += [{"column": column, "message": message} for message in messages]
        note = resource.notes.get(number, {})
        rows.append(
            {
                "row": number,
                "staff_code": record[code_at],
                "name": f"{record[forename_at]} {record[surname_at]}".strip(),
                "kind": kind,
                "errors": errors,
                "changes": note.get("changes", []) if kind == "update" else [],
                "new_department": note.get("new_department", "") if kind != "error" else "",
            }
        )
    return {
        "counts": counts,
        "total": len(rows),
        "columns": headings,
        "ignored_columns": parsed.ignored,
        "new_departments": sorted({row["new_department"] for row in rows if row["new_department"]}),
        "rows": rows,
    }


def check_import(*, institution: Institution, data: bytes) -> dict:
    """The dry run alone, stored nowhere (the command line's preview). Raises ServiceError for a bad file."""
    upload = read_upload(data)
    return {**_run(institution, read_csv(upload.text), dry_run=True), "read_as": upload.read_as}


def preview_import(*, institution: Institution, actor, file_name: str, data: bytes) -> StaffImport:
    """Check an uploaded file as a dry run and keep it with its summary. Writes only the StaffImport.

    `actor` is the administrator, or None for the command line (run by whoever runs the server).
    Raises ServiceError (field "file") for a file that cannot be read or lacks a required column.
    """
    if actor is not None and not can_import_staff(actor, institution):
        raise ServiceError("You do not have permission to do that.")
    upload = read_upload(data)
    text = upload.text
    summary = {**_run(institution, read_csv(text), dry_run=True), "read_as": upload.read_as}
    return StaffImport.objects.create(
        institution=institution,
        uploaded_by=actor if actor is not None and actor.is_authenticated else None,
        file_name=file_name[:255],
        content=text,
        status=StaffImport.Status.PREVIEWED,
        summary=summary,
    )


def is_ready_to_apply(staff_import: StaffImport) -> bool:
    return (
        staff_import.status == StaffImport.Status.PREVIEWED
        and staff_import.summary.get("counts", {}).get("error", 0) == 0
    )


class _RowsHaveErrors(Exception):
    def __init__(self, summary: dict):
        super().__init__("rows have errors")
        self.summary = summary


def apply_import(staff_import: StaffImport, *, actor) -> StaffImport:
    """Run a previewed import for real: every row, with its audit entry, in one transaction, or nothing.

    The rows are checked again against the staff list as it is now. If any row has an error, nothing is
    written, the import is marked failed with the new summary, and ServiceError is raised.
    """
    try:
        with transaction.atomic():
            # Locks the institution's row too (select_related), so an institution runs one import at a
            # time and two cannot both create the same staff code.
            locked = (
                StaffImport.objects.select_for_update().select_related("institution").get(pk=staff_import.pk)
            )
            if actor is not None and not can_import_staff(actor, locked.institution):
                raise ServiceError("You do not have permission to do that.")
            if locked.status == StaffImport.Status.APPLIED:
                raise ServiceError("This import has already been applied")
            summary = _run(locked.institution, read_csv(locked.content), dry_run=False)
            summary["read_as"] = locked.summary.get("read_as", "")
            if summary["counts"]["error"]:
                raise _RowsHaveErrors(summary)
            locked.status = StaffImport.Status.APPLIED
            locked.applied_at = timezone.now()
            locked.summary = summary
            locked.save(update_fields=["status", "applied_at", "summary"])
            audit.record(
                actor=actor,
                action="people.staff_import_applied",
                target=locked,
                file_name=locked.file_name,
                new=summary["counts"]["new"],
                updated=summary["counts"]["update"],
                unchanged=summary["counts"]["unchanged"],
                new_departments=len(summary["new_departments"]),
            )
    except _RowsHaveErrors as failed:
        StaffImport.objects.filter(pk=staff_import.pk).update(
            status=StaffImport.Status.FAILED, summary=failed.summary
        )
        staff_import.refresh_from_db()
        errors = failed.summary["counts"]["error"]
        rows = "1 row has" if errors == 1 else f"{errors} rows have"
        raise ServiceError(
            f"Nothing was imported: {rows} errors. Correct the file and upload it again"
        ) from None
    staff_import.refresh_from_db()
    return staff_import
