"""The impact pages: what the programme lead and a head of department see, the menu item, CSV exports,
and query counts that do not grow with the data."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from protutor.cpd.models import Attendance, Session
from protutor.insights.models import SurveyResult
from tests import pages
from tests.factories.cpd import deliver, plan, started
from tests.factories.insights import cohort, previous_year, survey
from tests.factories.people import DepartmentFactory, StaffMemberFactory


def grow(college, year, start, size):
    """`size` departments, each with two years of outcomes, a survey and a delivered CPD session."""
    last = previous_year(year)
    for index in range(start, start + size):
        department = DepartmentFactory(institution=college, name=f"Area {index}")
        staff = [StaffMemberFactory(institution=college, department=department) for _ in range(5)]
        cohort(last, department, female=(20, 18, 12), male=(30, 27, 24), course=f"K{index}")
        cohort(year, department, female=(20, 20, 17), male=(30, 30, 27), course=f"K{index}")
        survey(year, department, SurveyResult.Kind.STAFF, "Supported", 20, 15)
        session = Session.objects.create(
            uid=uuid.uuid4(),
            department=department,
            term=year.terms.get(number=1),
            title="Questioning",
            length_minutes=60,
            starts_at=started(year),
            status=Session.Status.DELIVERED,
        )
        Attendance.objects.bulk_create([Attendance(session=session, staff=s) for s in staff])


def query_count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["insights:dashboard", "insights:outcomes", "insights:surveys"])
def test_query_count_does_not_grow_with_data(
    client_for, programme_lead, college, year, page, django_assert_max_num_queries
):
    client = client_for(programme_lead)
    grow(college, year, 0, 1)
    small = query_count(client, reverse(page))
    grow(college, year, 1, 3)
    with django_assert_max_num_queries(small):
        client.get(reverse(page))


def test_dashboard_for_programme_lead(client_for, programme_lead, year):
    response = client_for(programme_lead).get(reverse("insights:dashboard"))
    body = response.content.decode()
    assert pages.title(response) == "Impact: Runshaw Test College – protutor"
    for heading in (
        "Latest formal observation effective",
        "Self-referrals and directed referrals",
        "CPD coverage and hours",
        "Support plans",
        "Coaching uptake and completion",
        "Tutors&#x27; time against remission",
    ):
        assert heading in body
    assert 'role="img"' in body and "aria-labelledby" in body
    assert "style=" not in body


def test_head_of_department_dashboard_is_their_department(client_for, hod, year, department):
    response = client_for(hod).get(reverse("insights:dashboard"))
    assert pages.title(response) == "Impact: Mathematics – protutor"
    body = response.content.decode()
    # Coaching and tutors' time are shown for the whole institution only.
    assert "Coaching uptake and completion" not in body
    assert "Tutors&#x27; time against remission" not in body


def test_outcomes_page_shows_gap_beside_tutor_work(
    client_for, programme_lead, tutor, college, year, department
):
    last = previous_year(year)
    cohort(last, department, female=(20, 18, 12), male=(30, 27, 24))
    cohort(year, department, female=(20, 20, 17), male=(30, 30, 27))
    staff = [StaffMemberFactory(institution=college, department=department) for _ in range(5)]
    deliver(plan(tutor, department, starts_at=started(year)), tutor, staff)
    response = client_for(programme_lead).get(reverse("insights:outcomes"), {"department": department.pk})
    body = response.content.decode()
    assert "+17.2 points: narrowed" in body
    export = client_for(programme_lead).get(
        reverse("insights:outcomes"), {"department": department.pk, "format": "csv", "table": "gaps"}
    )
    rows = export.content.decode().splitlines()
    assert rows[0].startswith("Department,Year,Groups")
    assert rows[2].split(",")[6] == "1"  # this year: one CPD session delivered


def test_unknown_table_export_is_404(client_for, programme_lead, year):
    response = client_for(programme_lead).get(
        reverse("insights:dashboard"), {"format": "csv", "table": "nope"}
    )
    assert response.status_code == 404


def test_menu_has_impact_for_lead_and_head_only(client_for, programme_lead, hod, teacher, year):
    for staff, shown in ((programme_lead, True), (hod, True), (teacher, False)):
        body = client_for(staff).get(reverse("home")).content.decode()
        assert (f'href="{reverse("insights:dashboard")}"' in body) is shown
