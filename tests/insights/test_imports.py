"""Importing outcomes and surveys: checked row by row, applied in one transaction, idempotent."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from protutor.core.errors import ServiceError
from protutor.insights import imports
from protutor.insights.models import OutcomeRecord, SurveyResult
from tests import pages

OUTCOMES_CSV = (
    "Academic year,Department,Course code,Course name,Group type,Group value,Starters,Completers,Achieved\n"
    "{year},Mathematics,MA-L3,A level maths,all,all,50,45,36\n"
    "{year},Mathematics,MA-L3,A level maths,gender,female,20,18,12\n"
    "{year},Mathematics,MA-L3,A level maths,gender,male,30,27,24\n"
)


def test_outcomes_import_then_reimport_changes_nothing(admin, year, department):
    data = OUTCOMES_CSV.format(year=year.name).encode()
    record = imports.preview_import(
        imports.OUTCOMES, institution=year.institution, actor=admin.user, file_name="o.csv", data=data
    )
    assert record.summary["counts"] == {"new": 3, "update": 0, "unchanged": 0, "error": 0}
    assert OutcomeRecord.objects.count() == 0
    imports.apply_import(imports.OUTCOMES, record, actor=admin.user)
    assert sorted(OutcomeRecord.objects.values_list("group_value", "starters", "completers", "achieved")) == [
        ("all", 50, 45, 36),
        ("female", 20, 18, 12),
        ("male", 30, 27, 24),
    ]
    again = imports.preview_import(
        imports.OUTCOMES, institution=year.institution, actor=admin.user, file_name="o.csv", data=data
    )
    assert again.summary["counts"] == {"new": 0, "update": 0, "unchanged": 3, "error": 0}
    imports.apply_import(imports.OUTCOMES, again, actor=admin.user)
    assert OutcomeRecord.objects.count() == 3


def test_outcomes_errors_name_the_row_and_column(admin, year, department):
    data = (
        "Academic year,Department,Course code,Group type,Group value,Starters,Completers,Achieved\n"
        f"{year.name},Mathematics,MA,all,all,10,12,3\n"
        "1999/00,Nowhere,MA,gender,female,ten,1,1\n"
    ).encode()
    record = imports.preview_import(
        imports.OUTCOMES, institution=year.institution, actor=admin.user, file_name="o.csv", data=data
    )
    rows = {row["row"]: row["errors"] for row in record.summary["rows"]}
    assert rows[2] == [{"column": "completers", "message": "Completers must be no more than starters"}]
    assert [e["column"] for e in rows[3]] == ["academic year", "department", "starters"]
    assert not imports.is_ready_to_apply(record)
    with pytest.raises(ServiceError):
        imports.apply_import(imports.OUTCOMES, record, actor=admin.user)
    assert OutcomeRecord.objects.count() == 0


def test_missing_column_is_refused(admin, year):
    with pytest.raises(ServiceError) as error:
        imports.preview_import(
            imports.OUTCOMES,
            institution=year.institution,
            actor=admin.user,
            file_name="o.csv",
            data=b"Year\n1\n",
        )
    assert "course code" in error.value.message


def test_survey_import_updates_changed_rows(admin, year, department):
    first = f"Year,Department,Survey,Measure,Respondents,Agreeing\n{year.name},,student,Recommend,200,150\n"
    record = imports.preview_import(
        imports.SURVEYS,
        institution=year.institution,
        actor=admin.user,
        file_name="s.csv",
        data=first.encode(),
    )
    imports.apply_import(imports.SURVEYS, record, actor=admin.user)
    changed = first.replace("150", "160")
    record = imports.preview_import(
        imports.SURVEYS,
        institution=year.institution,
        actor=admin.user,
        file_name="s.csv",
        data=changed.encode(),
    )
    assert record.summary["counts"]["update"] == 1
    imports.apply_import(imports.SURVEYS, record, actor=admin.user)
    assert list(SurveyResult.objects.values_list("department", "agreeing")) == [(None, 160)]


def test_programme_lead_cannot_import(programme_lead, year):
    with pytest.raises(ServiceError):
        imports.preview_import(
            imports.OUTCOMES,
            institution=year.institution,
            actor=programme_lead.user,
            file_name="o.csv",
            data=b"x",
        )


def test_import_pages_check_then_apply(client_for, admin, year, department):
    client = client_for(admin)
    upload = SimpleUploadedFile(
        "o.csv", OUTCOMES_CSV.format(year=year.name).encode(), content_type="text/csv"
    )
    response = client.post("/impact/import/outcomes/", {"file": upload})
    assert response.status_code == 302
    preview = client.get(response["Location"])
    assert "Apply import" in preview.content.decode()
    applied = client.post(f"{response['Location']}apply/", follow=True)
    assert "Import applied: 3 new, 0 updated, 0 unchanged" in applied.content.decode()
    assert OutcomeRecord.objects.count() == 3


def test_import_page_without_file_shows_error(client_for, admin, year):
    response = client_for(admin).post("/impact/import/surveys/", {})
    assert pages.title(response).startswith("Error: ")
    assert pages.error_summary(response) == [("#id_file", "Select a CSV file")]
