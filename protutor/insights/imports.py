"""Importing student outcomes (from an MIS export) and survey results: check every row, then apply all
of them in one transaction or nothing. Re-importing the same file changes nothing.

Each file's rows are aggregates (a course's cohort, a department's survey answers), never a student. The
checks name the row (the headings are row 1) and the column of each problem.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.db import transaction
from django.utils import timezone

from protutor.audit import services as audit
from protutor.core.csvfiles import Column, field_problems, read_upload, records
from protutor.core.csvfiles import squash as _squash
from protutor.core.errors import ServiceError
from protutor.core.params import InvalidNumber, integer_range, whole_number
from protutor.insights.models import ImportStatus, OutcomeImport, OutcomeRecord, SurveyImport, SurveyResult
from protutor.insights.permissions import can_import_into
from protutor.people.models import AcademicYear, Department

MAX_FILE_SIZE = 5 * 1024 * 1024


OUTCOME_COLUMNS = (
    Column("year", "academic year", ("Academic year", "Year"), required=True),
    Column("department", "department", ("Department", "Dept", "Curriculum area"), required=False),
    Column(
        "course_code", "course code", ("Course code", "Course", "Aim code", "Learning aim"), required=True
    ),
    Column("course_name", "course name", ("Course name", "Course title", "Title"), required=False),
    Column("group_type", "group type", ("Group type", "Group", "Split"), required=True),
    Column("group_value", "group value", ("Group value", "Value", "Category"), required=True),
    Column("starters", "starters", ("Starters", "Cohort", "Cohort size", "Leavers"), required=True),
    Column("completers", "completers", ("Completers", "Retained"), required=True),
    Column("achieved", "achieved", ("Achieved", "Achievers", "Passed"), required=True),
)
SURVEY_COLUMNS = (
    Column("year", "academic year", ("Academic year", "Year"), required=True),
    Column("department", "department", ("Department", "Dept", "Curriculum area"), required=False),
    Column("kind", "survey", ("Survey", "Survey kind", "Kind"), required=True),
    Column("measure", "measure", ("Measure", "Question", "Statement"), required=True),
    Column("respondents", "respondents", ("Respondents", "Responses"), required=True),
    Column("agreeing", "agreeing", ("Agreeing", "Agree", "Agreed"), required=True),
)


def _read(text: str, columns) -> list[tuple[int, dict]]:
    reader = records(text)
    by_heading = {_squash(h): c for c in columns for h in c.headings}
    positions: dict[str, int] | None = None
    rows = []
    try:
        for number, record in enumerate(reader, start=1):
            if not any(cell.strip() for cell in record):
                continue
            if positions is None:
                positions = {}
                for index, cell in enumerate(record):
                    column = by_heading.get(_squash(cell))
                    if column is not None and column.key not in positions:
                        positions[column.key] = index
                missing = [c.label for c in columns if c.required and c.key not in positions]
                if missing:
                    raise ServiceError(
                        f"The file must have a column for {', '.join(missing)}: check the headings in row 1",
                        field="file",
                    )
                continue
            rows.append(
                (number, {k: (record[i].strip() if i < len(record) else "") for k, i in positions.items()})
            )
    except csv.Error as exc:
        raise ServiceError(
            "The file could not be read: check that any value with a comma or quote is in double quotes",
            field="file",
        ) from exc
    if positions is None:
        raise ServiceError("The selected file is empty", field="file")
    if not rows:
        raise ServiceError("The selected file has headings but no rows", field="file")
    return rows


def _count(values, errors, key, label, model):
    """The whole number in column `key`, which `model`'s field of that name must be able to hold."""
    text = values.get(key, "")
    if not text:
        errors.append({"column": label, "message": f"Enter the number of {label}"})
        return None
    low, high = integer_range(model._meta.get_field(key))
    try:
        return whole_number(text, minimum=low, maximum=high)
    except InvalidNumber as invalid:
        message = (
            f"The number of {label} must be a whole number written in the digits 0 to 9, like 24"
            if invalid.reason == "format"
            else f"The number of {label} must be from {low} to {high}"
        )
        errors.append({"column": label, "message": message})
        return None


def _too_long(model, columns, values) -> list[dict]:
    """Every text column checked against the model field of the same name (lengths come from the model)."""
    return field_problems(
        model,
        {c.key: values.get(c.key, "") for c in columns if c.key not in {"year", "department"}},
        {c.key: c.label for c in columns},
    )


class _Context:
    """What every row is checked against, read once before the first row."""

    def __init__(self, institution):
        self.years = {y.name: y for y in AcademicYear.objects.filter(institution=institution)}
        self.departments = {
            " ".join(d.name.split()).casefold(): d for d in Department.objects.filter(institution=institution)
        }
        self.institution = institution

    def year(self, values, errors):
        name = values.get("year", "")
        if not name:
            errors.append({"column": "academic year", "message": "Enter the academic year, like 2025/26"})
            return None
        year = self.years.get(name)
        if year is None:
            errors.append(
                {
                    "column": "academic year",
                    "message": f"{name} is not an academic year of {self.institution}: add it first, or use "
                    "the form 2025/26",
                }
            )
        return year

    def department(self, values, errors):
        name = values.get("department", "")
        if not name:
            return None
        department = self.departments.get(" ".join(name.split()).casefold())
        if department is None:
            errors.append(
                {"column": "department", "message": f"{name} is not a department of {self.institution}"}
            )
        return department


def _outcome_row(values, context) -> tuple[dict | None, list]:
    errors: list[dict] = []
    year = context.year(values, errors)
    department = context.department(values, errors)
    code = values.get("course_code", "")
    if not code:
        errors.append({"column": "course code", "message": "Enter the course code"})
    group_type = values.get("group_type", "").strip().lower()
    group_value = values.get("group_value", "").strip().lower()
    if not group_type:
        errors.append({"column": "group type", "message": 'Enter the group type, like "all" or "gender"'})
    if not group_value:
        errors.append({"column": "group value", "message": 'Enter the group value, like "all" or "female"'})
    if group_type == "all" and group_value and group_value != "all":
        errors.append(
            {"column": "group value", "message": 'The group value of group type "all" must be "all"'}
        )
    starters = _count(values, errors, "starters", "starters", OutcomeRecord)
    completers = _count(values, errors, "completers", "completers", OutcomeRecord)
    achieved = _count(values, errors, "achieved", "achieved", OutcomeRecord)
    if starters is not None and completers is not None and completers > starters:
        errors.append({"column": "completers", "message": "Completers must be no more than starters"})
    if completers is not None and achieved is not None and achieved > completers:
        errors.append({"column": "achieved", "message": "Achieved must be no more than completers"})
    errors += _too_long(OutcomeRecord, OUTCOME_COLUMNS, values)
    if errors:
        return None, errors
    return {
        "key": {
            "academic_year_id": year.pk,
            "course_code": code,
            "group_type": group_type,
            "group_value": group_value,
        },
        "values": {
            "department_id": department.pk if department else None,
            "course_name": values.get("course_name", ""),
            "starters": starters,
            "completers": completers,
            "achieved": achieved,
        },
        "label": f"{code} {year.name} {group_type}: {group_value}",
    }, []


def _survey_row(values, context) -> tuple[dict | None, list]:
    errors: list[dict] = []
    year = context.year(values, errors)
    department = context.department(values, errors)
    kind = values.get("kind", "").strip().lower()
    if kind not in SurveyResult.Kind.values:
        errors.append({"column": "survey", "message": 'The survey must be "student" or "staff"'})
    measure = values.get("measure", "")
    if not measure:
        errors.append({"column": "measure", "message": "Enter the measure, like the question asked"})
    respondents = _count(values, errors, "respondents", "respondents", SurveyResult)
    agreeing = _count(values, errors, "agreeing", "agreeing", SurveyResult)
    if respondents is not None and agreeing is not None and agreeing > respondents:
        errors.append({"column": "agreeing", "message": "Agreeing must be no more than respondents"})
    errors += _too_long(SurveyResult, SURVEY_COLUMNS, values)
    if errors:
        return None, errors
    return {
        "key": {
            "academic_year_id": year.pk,
            "department_id": department.pk if department else None,
            "kind": kind,
            "measure": measure,
        },
        "values": {"respondents": respondents, "agreeing": agreeing},
        "label": f"{year.name} {department or 'Whole institution'}: {measure}",
    }, []


_ImportT = TypeVar("_ImportT", OutcomeImport, SurveyImport)
_RecordT = TypeVar("_RecordT", OutcomeRecord, SurveyResult)


@dataclass(frozen=True)
class Kind(Generic[_ImportT, _RecordT]):
    name: str
    import_model: type[_ImportT]
    target_model: type[_RecordT]
    columns: tuple[Column, ...]
    check_row: Callable[[dict[str, str], _Context], tuple[dict | None, list]]


OUTCOMES = Kind("outcomes", OutcomeImport, OutcomeRecord, OUTCOME_COLUMNS, _outcome_row)
SURVEYS = Kind("surveys", SurveyImport, SurveyResult, SURVEY_COLUMNS, _survey_row)


def _check(kind: Kind[_ImportT, _RecordT], institution, text: str) -> tuple[dict, list[dict]]:
    """The summary of every row, and the rows ready to write."""
    context = _Context(institution)
    existing = {
        tuple(sorted(_key_of(kind, obj).items())): obj
        for obj in kind.target_model.objects.filter(institution=institution)
    }
    rows: list[dict] = []
    ready: list[dict] = []
    seen: dict[tuple, int] = {}
    counts = {"new": 0, "update": 0, "unchanged": 0, "error": 0}
    for number, values in _read(text, kind.columns):
        parsed, errors = kind.check_row(values, context)
        if parsed is not None:
            key = tuple(sorted(parsed["key"].items()))
            if key in seen:
                errors = [{"column": "", "message": f"This row repeats row {seen[key]}: remove one of them"}]
            seen[key] = number
        if errors:
            counts["error"] += 1
            rows.append({"row": number, "kind": "error", "label": "", "errors": errors})
            continue
        assert parsed is not None  # a row without errors is always parsed
        current = existing.get(key)
        if current is None:
            result = "new"
        elif all(getattr(current, f) == v for f, v in parsed["values"].items()):
            result = "unchanged"
        else:
            result = "update"
        counts[result] += 1
        rows.append({"row": number, "kind": result, "label": parsed["label"], "errors": []})
        if result != "unchanged":
            ready.append({**parsed, "pk": current.pk if current else None})
    return {"rows": rows, "counts": counts, "total": len(rows)}, ready


def _key_of(kind: Kind[_ImportT, _RecordT], obj) -> dict:
    if kind is OUTCOMES:
        return {
            "academic_year_id": obj.academic_year_id,
            "course_code": obj.course_code,
            "group_type": obj.group_type,
            "group_value": obj.group_value,
        }
    return {
        "academic_year_id": obj.academic_year_id,
        "department_id": obj.department_id,
        "kind": obj.kind,
        "measure": obj.measure,
    }


@transaction.atomic
def preview_import(
    kind: Kind[_ImportT, _RecordT], *, institution, actor, file_name: str, data: bytes
) -> _ImportT:
    """Check the file and keep it with the summary; nothing is imported yet."""
    if not can_import_into(actor, institution):
        raise ServiceError("You cannot import into this school or college")
    if len(data) > MAX_FILE_SIZE:
        raise ServiceError("The selected file must be smaller than 5MB", field="file")
    upload = read_upload(data)
    text = upload.text
    summary, _ = _check(kind, institution, text)
    summary["read_as"] = upload.read_as
    record = kind.import_model.objects.create(
        institution=institution, uploaded_by=actor, file_name=file_name[:255], content=text, summary=summary
    )
    audit.record(actor=actor, action=f"insights.{kind.name}_import_previewed", target=record)
    return record


def is_ready_to_apply(record) -> bool:
    return record.status == ImportStatus.PREVIEWED and not record.summary.get("counts", {}).get("error")


@transaction.atomic
def apply_import(kind: Kind[_ImportT, _RecordT], record: _ImportT, *, actor) -> _ImportT:
    """Write every new and changed row in one transaction, with its audit entry, or nothing."""
    record = kind.import_model.objects.select_for_update().get(pk=record.pk)
    if not can_import_into(actor, record.institution):
        raise ServiceError("You cannot import into this school or college")
    if record.status == ImportStatus.APPLIED:
        raise ServiceError("This import has already been applied")
    summary, ready = _check(kind, record.institution, record.content)
    summary["read_as"] = record.summary.get("read_as", "")
    if summary["counts"]["error"]:
        record.summary = summary
        record.save(update_fields=["summary"])
        raise ServiceError("The file has rows with errors: correct them and upload the file again")
    model = kind.target_model
    new = [model(institution=record.institution, **r["key"], **r["values"]) for r in ready if r["pk"] is None]
    model.objects.bulk_create(new)
    changed = [model(pk=r["pk"], **r["values"]) for r in ready if r["pk"] is not None]
    if changed:
        model.objects.bulk_update(changed, fields=list(ready[0]["values"]))
    record.status = ImportStatus.APPLIED
    record.summary = summary
    record.applied_at = timezone.now()
    record.save(update_fields=["status", "summary", "applied_at"])
    audit.record(
        actor=actor, action=f"insights.{kind.name}_import_applied", target=record, **summary["counts"]
    )
    return record
