"""Teaching groups and balanced intern timetables: the school's classes imported from a timetable CSV, the
ITE tutor's pins and bans, and the proposal from `timetable.balance` (scipy's milp), stored as the year's
latest run. Each write is one transaction with its audit entry.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field

from django.db import transaction

from protutor.audit import services as audit
from protutor.core.csvfiles import field_problems, read_upload, records
from protutor.core.errors import ServiceError
from protutor.core.params import InvalidNumber, whole_number
from protutor.ite import timetable
from protutor.ite.models import Intern, TeachingGroup, TimetableAllocation, TimetableRule, TimetableRun
from protutor.ite.services import require_ite_tutor
from protutor.people.models import AcademicYear, StaffMember

COLUMNS = {
    "code": ("Class code", {"classcode", "class", "code", "group", "groupcode", "teachinggroup"}),
    "subject": ("Subject", {"subject", "course"}),
    "year_group": ("Year group", {"yeargroup", "year", "yr"}),
    "teacher": ("Teacher", {"teacher", "teachercode", "staffcode", "teacheremail"}),
    "periods": ("Periods per week", {"periodsperweek", "periods", "periodsaweek", "lessonsperweek"}),
    "ability": ("Ability", {"ability", "set", "band", "setting"}),
}
REQUIRED = ("code", "subject", "year_group", "periods")
HEADINGS = {alias: key for key, (_, aliases) in COLUMNS.items() for alias in aliases}


def _squash(heading: str) -> str:
    """Letters only, and nothing in brackets: "Teacher (staff code or email)" is "teacher"."""
    return re.sub(r"[^a-z]", "", re.sub(r"\(.*?\)", "", heading.lower()))


@dataclass
class GroupImport:
    """What a file would do: rows to create or change, and every error by row and column."""

    created: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)
    unknown_teachers: list[str] = field(default_factory=list)
    subjects_without_interns: list[str] = field(default_factory=list)
    read_as: str = ""  # how the file was read: its encoding and separator


def _rows(text: str) -> tuple[dict[str, int], list[tuple[int, list[str]]]]:
    try:
        rows = list(records(text))
    except csv.Error as exc:
        raise ServiceError(
            "The file could not be read: check that any value with a comma or quote is in double quotes",
            field="file",
        ) from exc
    numbered = [(n, r) for n, r in enumerate(rows, start=1) if any(c.strip() for c in r)]
    if not numbered:
        raise ServiceError("The selected file is empty", field="file")
    (_, heading_row), body = numbered[0], numbered[1:]
    positions: dict[str, int] = {}
    for position, heading in enumerate(heading_row):
        key = HEADINGS.get(_squash(heading))
        if key is not None and key not in positions:
            positions[key] = position
    missing = [COLUMNS[key][0] for key in REQUIRED if key not in positions]
    if missing:
        raise ServiceError(
            f"The file has no column for {', '.join(missing)}. The first row must be the column headings, like "
            "Class code, Subject, Year group, Teacher, Periods per week",
            field="file",
        )
    if not body:
        raise ServiceError(
            "The file has no classes: add a row for each class below the headings", field="file"
        )
    return positions, body


def _whole(value: str, low: int, high: int) -> int | None:
    try:
        return whole_number(value.strip(), minimum=low, maximum=high)
    except InvalidNumber:
        return None


# "9", "09", "Y9", "Yr 9", "Yr. 9", "Year 9", "year9" and Excel's "9.0" are all year 9.
_YEAR_GROUP = re.compile(r"(?:y|yr|yrs|year)?\s*\.?\s*([0-9]{1,2})(?:\.0+)?", re.IGNORECASE)


def year_group_number(text: str) -> int | None:
    """The year group written in `text` as a number from 1 to 13, else None."""
    found = _YEAR_GROUP.fullmatch(text.strip())
    return _whole(found.group(1), 1, 13) if found else None


# How each stored value is named in messages: the column it came from.
_COLUMN_OF_FIELD = {
    "code": "class code",
    "subject": "subject",
    "ability": "ability",
    "teacher_code": "teacher",
}


@transaction.atomic
def import_groups(*, actor, academic_year: AcademicYear, data: bytes, apply: bool) -> GroupImport:
    """Check a timetable export and, when `apply` and nothing is wrong, create or update each class (by
    class code) in one transaction. A file with any error writes nothing. Re-importing the same file
    changes nothing."""
    require_ite_tutor(actor, academic_year.institution_id)
    upload = read_upload(data)
    positions, body = _rows(upload.text)
    staff = StaffMember.objects.filter(institution=academic_year.institution_id)
    by_code = {s.staff_code.lower(): s for s in staff}
    by_email = {email: s for email, s in ((s.email.lower(), s) for s in staff)}
    existing = {g.code.lower(): g for g in TeachingGroup.objects.filter(academic_year=academic_year)}
    result = GroupImport(read_as=upload.read_as)
    seen: set[str] = set()
    wanted: list[tuple[TeachingGroup | None, dict]] = []

    def cell(record, key):
        position = positions.get(key)
        return record[position].strip() if position is not None and position < len(record) else ""

    for number, record in body:
        code = cell(record, "code")
        values = {
            "code": code,
            "subject": cell(record, "subject"),
            "ability": cell(record, "ability"),
        }
        errors = []
        if not code:
            errors.append("enter the class code")
        elif code.lower() in seen:
            errors.append(f"class {code} appears twice in the file")
        seen.add(code.lower())
        if not values["subject"]:
            errors.append("enter the subject")
        year_group = year_group_number(cell(record, "year_group"))
        if year_group is None:
            errors.append("enter the year group as a number from 1 to 13, like 9 or Year 9")
        periods = _whole(cell(record, "periods"), 1, 40)
        if periods is None:
            errors.append("enter the periods per week as a whole number from 1 to 40")
        teacher_text = cell(record, "teacher")
        teacher = by_code.get(teacher_text.lower()) or by_email.get(teacher_text.lower())
        # A teacher found on the staff list is kept by staff code (an email address may be longer than the
        # column); one not found is kept as written, so it must fit.
        teacher_code = teacher.staff_code if teacher is not None else teacher_text
        for problem in field_problems(
            TeachingGroup, {**values, "teacher_code": teacher_code}, _COLUMN_OF_FIELD
        ):
            errors.append(problem["message"][0].lower() + problem["message"][1:])
        if teacher_text and teacher is None:
            result.unknown_teachers.append(f"Row {number}: {teacher_text}")
        if errors:
            result.errors.append(f"Row {number}: " + "; ".join(errors))
            continue
        values.update(year_group=year_group, periods=periods, teacher=teacher, teacher_code=teacher_code)
        group = existing.get(code.lower())
        if group is None:
            result.created.append(code)
        elif any(getattr(group, k) != v for k, v in values.items()):
            result.changed.append(code)
        else:
            result.unchanged += 1
            continue
        wanted.append((group, values))
    taught = {i.subject.strip().lower() for i in interns_of_year(academic_year)}
    result.subjects_without_interns = sorted(
        {values["subject"] for _, values in wanted if values["subject"].strip().lower() not in taught}
    )
    if result.errors or not apply:
        return result
    for group, values in wanted:
        if group is None:
            TeachingGroup.objects.create(
                institution_id=academic_year.institution_id, academic_year=academic_year, **values
            )
        else:
            for name, value in values.items():
                setattr(group, name, value)
            group.save()
    audit.record(
        actor=actor,
        action="ite.groups_imported",
        year=academic_year.name,
        created=len(result.created),
        changed=len(result.changed),
    )
    return result


def interns_of_year(academic_year: AcademicYear):
    """Every intern of the year's placements (the class limit counts them all), except the withdrawn."""
    return (
        Intern.objects.filter(
            programme__academic_year=academic_year,
            programme__provider__institution=academic_year.institution_id,
        )
        .exclude(status=Intern.Status.WITHDRAWN)
        .select_related("staff")
    )


@transaction.atomic
def set_rule(*, actor, intern: Intern, group: TeachingGroup, kind: str) -> None:
    """Pin ("pin": always teaches), ban ("forbid": never teaches) or clear ("clear") a group for an intern."""
    require_ite_tutor(actor, intern.programme.provider.institution_id)
    if group.academic_year_id != intern.programme.academic_year_id:
        raise ServiceError("Select a class from the intern's year", field="group")
    if kind == "clear":
        TimetableRule.objects.filter(intern=intern, group=group).delete()
    elif kind in TimetableRule.Kind.values:
        if kind == TimetableRule.Kind.PIN and group.subject.strip().lower() != intern.subject.strip().lower():
            raise ServiceError(
                f"{intern.staff.full_name} teaches {intern.subject}: select a {intern.subject} class to keep",
                field="group",
            )
        TimetableRule.objects.update_or_create(intern=intern, group=group, defaults={"kind": kind})
    else:
        raise ServiceError("Select always, never or clear", field="kind")
    audit.record(actor=actor, action="ite.timetable_rule_set", target=intern, group=group.code, kind=kind)


class TimetableNotProposed(ServiceError):
    """A proposal that cannot replace the year's timetable: `problems` says why, one sentence each."""

    def __init__(self, message: str, problems: list[str]):
        super().__init__(message, field=None)
        self.problems = problems


@transaction.atomic
def propose_timetable(*, actor, academic_year: AcademicYear, class_limit: int) -> TimetableRun:
    """Balance the year's intern timetables under the hard rules and, only when that gives a timetable
    for every subject, replace the year's run with it. The proposal is computed first and nothing is
    written unless it succeeds: pins that cannot all be kept, or a solver that found nothing for a
    subject, raise `TimetableNotProposed` and leave the last proposal (what interns see) untouched."""
    require_ite_tutor(actor, academic_year.institution_id)
    if not 0 <= class_limit <= 5:
        raise ServiceError("Enter the most interns a class may have, from 0 to 5", field="class_limit")
    interns = list(interns_of_year(academic_year))
    groups = list(TeachingGroup.objects.filter(academic_year=academic_year))
    rules = list(TimetableRule.objects.filter(intern__in=interns))
    result = timetable.balance(
        [timetable.Intern(i.pk, i.staff.full_name, i.subject, i.target_periods) for i in interns],
        [timetable.Group(g.pk, g.code, g.subject, g.year_group, g.periods, g.ability) for g in groups],
        class_limit=class_limit,
        pins=[(r.intern_id, r.group_id) for r in rules if r.kind == TimetableRule.Kind.PIN],
        forbids=[(r.intern_id, r.group_id) for r in rules if r.kind == TimetableRule.Kind.FORBID],
        # Inside a web request: well below a worker's timeout; the benchmark's 100 interns take about 4 s.
        time_limit=8.0,
    )
    if not result.feasible:
        raise TimetableNotProposed(
            "The classes you kept cannot all be kept: change them and propose again. "
            "The last proposed timetable is unchanged",
            result.problems,
        )
    if not result.complete:
        raise TimetableNotProposed(
            "No timetable was found for every subject, so the last proposed timetable is unchanged: "
            "propose again",
            result.problems,
        )
    TimetableRun.objects.filter(
        institution_id=academic_year.institution_id, academic_year=academic_year
    ).delete()
    run = TimetableRun.objects.create(
        institution_id=academic_year.institution_id,
        academic_year=academic_year,
        class_limit=class_limit,
        feasible=result.feasible,
        optimal=result.optimal,
        objective=result.objective,
        seconds=round(result.seconds, 3),
        problems=result.problems,
        uncovered={str(k): v for k, v in result.uncovered.items()},
        short={str(k): v for k, v in result.short.items()},
    )
    TimetableAllocation.objects.bulk_create(
        [
            TimetableAllocation(run=run, intern_id=summary.intern.id, group_id=group_id)
            for summary in result.interns
            for group_id in summary.group_ids
        ]
    )
    audit.record(actor=actor, action="ite.timetable_proposed", target=run, optimal=result.optimal)
    return run
