"""Every insights URL for every persona: who gets the page and who a 404 (the global matrix in
tests/test_confidentiality_matrix.py skips `insights:` and relies on this one)."""

import pytest
from django.urls import reverse

from protutor.insights import urls as insights_urls
from protutor.insights.models import ImpactReport, ImportStatus, OutcomeImport, SurveyImport
from tests.conftest import PERSONAS

SENTINEL = "SENTINEL-7f3a"

LEAD = {"programme_lead"}
LEAD_AND_HEAD = {"programme_lead", "hod"}
ADMIN = {"admin"}


@pytest.fixture
def records(college, year, admin, programme_lead, department):
    term = year.terms.get(number=1)
    report = ImpactReport.objects.create(
        institution=college, term=term, status=ImpactReport.Status.READY, pdf=b"%PDF-1.7 " + SENTINEL.encode()
    )
    summary = {"rows": [], "counts": {"new": 0, "update": 0, "unchanged": 0, "error": 0}, "total": 0}
    outcome_import = OutcomeImport.objects.create(
        institution=college, uploaded_by=admin.user, file_name=f"{SENTINEL}.csv", content="x", summary=summary
    )
    survey_import = SurveyImport.objects.create(
        institution=college,
        uploaded_by=admin.user,
        file_name=f"{SENTINEL}.csv",
        content="x",
        summary=summary,
        status=ImportStatus.APPLIED,
    )
    return {"report": report, "outcome_import": outcome_import, "survey_import": survey_import, "term": term}


# (URL name, method, allowed personas, args from records, query, success status)
CASES = [
    ("dashboard", "get", LEAD_AND_HEAD, None, "", 200),
    ("dashboard", "get", LEAD_AND_HEAD, None, "format=csv&table=cpd", 200),
    ("outcomes", "get", LEAD_AND_HEAD, None, "", 200),
    ("outcomes", "get", LEAD_AND_HEAD, None, "format=csv&table=gaps", 200),
    ("surveys", "get", LEAD_AND_HEAD, None, "", 200),
    ("surveys", "get", LEAD_AND_HEAD, None, "format=csv&table=survey-staff", 200),
    ("outcome-import", "get", ADMIN, None, "", 200),
    ("outcome-import-preview", "get", ADMIN, "outcome_import", "", 200),
    ("outcome-import-apply", "post", ADMIN, "outcome_import", "", 302),
    ("survey-import", "get", ADMIN, None, "", 200),
    ("survey-import-preview", "get", ADMIN, "survey_import", "", 200),
    ("survey-import-apply", "post", ADMIN, "survey_import", "", 302),
    ("report-list", "get", LEAD, None, "", 200),
    ("report-build", "post", LEAD, None, "", 302),
    ("report", "get", LEAD, "report", "", 200),
    ("report", "get", LEAD, "report", "format=csv&table=effective", 200),
    ("report-pdf", "get", LEAD, "report", "", 200),
]


def test_every_insights_url_is_in_the_matrix():
    names = {pattern.name for pattern in insights_urls.urlpatterns}
    assert names == {case[0] for case in CASES}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("name", "method", "allowed", "arg", "query", "success"), CASES)
def test_access(request, client_for, records, persona, name, method, allowed, arg, query, success):
    staff = request.getfixturevalue(persona)
    client = client_for(staff)
    url = reverse(f"insights:{name}", args=[records[arg].pk] if arg else [])
    if query:
        url = f"{url}?{query}"
    data = {"term": records["term"].pk} if name == "report-build" else {}
    response = getattr(client, method)(url, data)
    expected = success if persona in allowed else 404
    assert response.status_code == expected
    if expected == 404:
        assert SENTINEL.encode() not in response.content


@pytest.mark.parametrize("page", ["dashboard", "outcomes", "surveys"])
def test_head_of_department_never_sees_another_department(client_for, hod, other_department, page):
    response = client_for(hod).get(reverse(f"insights:{page}"), {"department": other_department.pk})
    assert response.status_code == 404


def test_programme_lead_of_another_institution_gets_404(client_for, programme_lead, outsider):
    from protutor.people.models import Role
    from tests.factories.people import RoleAssignmentFactory

    RoleAssignmentFactory(staff=outsider, role=Role.PROGRAMME_LEAD)
    client = client_for(outsider)
    assert (
        client.get(reverse("insights:dashboard"), {"institution": programme_lead.institution_id}).status_code
        == 404
    )


def test_anonymous_is_sent_to_sign_in(client, records):
    response = client.get(reverse("insights:report-pdf", args=[records["report"].pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
