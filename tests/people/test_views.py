"""People pages: each role's home, staff, departments, years and caseloads."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from protutor.audit.models import AuditEvent
from protutor.people.models import AcademicYear, Caseload, Role, RoleAssignment, Term
from tests.factories.people import CaseloadFactory, DepartmentFactory, StaffMemberFactory

pytestmark = pytest.mark.django_db


def test_home_requires_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_home_teacher_sees_their_tutor_and_no_programme(client_for, teacher, tutor):
    response = client_for(teacher).get("/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Hello, Tess" in body
    assert "Your professional tutor" in body
    assert "Tamsin Tutor" in body
    assert "The programme" not in body
    assert "Your caseload" not in body


def test_home_tutor_sees_caseload_departments_staff_and_hours(
    client_for, tutor, teacher, colleague, department
):
    response = client_for(tutor).get("/")
    body = response.content.decode()
    assert "Your caseload" in body
    assert "150 remitted hours of a 773-hour teaching caseload (19.4%)" in body
    assert department.name in body
    assert response.context["caseload_staff_total"] == 3  # teacher, colleague, line manager in Mathematics


def test_home_hod_sees_department_and_its_tutor(client_for, hod, tutor, department):
    response = client_for(hod).get("/")
    assert [d.name for d in response.context["headed_departments"]] == ["Mathematics"]
    assert response.context["headed_departments"][0].tutor.tutor == tutor
    assert "professional tutor Tamsin Tutor" in response.content.decode()


def test_home_teacher_sees_tutor_and_specialisms_never_the_caseload(client_for, teacher, tutor):
    from protutor.people.models import Caseload

    Caseload.objects.filter(tutor=tutor).update(specialisms="Questioning", remitted_hours=Decimal("123.5"))
    response = client_for(teacher).get("/")
    body = response.content.decode()
    mine = response.context["my_tutor"]
    assert (mine.tutor.tutor, mine.tutor.specialisms, mine.is_you) == (tutor, "Questioning", False)
    assert not hasattr(mine.tutor, "caseload")
    assert "123.5" not in body


@pytest.mark.parametrize("persona", ["teacher", "colleague", "line_manager", "hod"])
def test_home_shows_the_department_tutor_the_scope_allows(request, client_for, tutor, department, persona):
    """The page and the registered scope agree: what the home page says is readable through the scope."""
    from protutor.core import permissions as registry
    from protutor.people.models import CaseloadDepartment

    staff = request.getfixturevalue(persona)
    shown = client_for(staff).get("/").context["my_tutor"].tutor.tutor
    readable = registry.readable_by(CaseloadDepartment, staff.user).filter(department=department)
    assert [link.caseload.tutor for link in readable] == [shown] == [tutor]


def test_home_tutor_is_never_their_own_tutor(client_for, college, year):
    """A tutor whose own department is in their caseload is told so, not shown as their own tutor."""
    science = DepartmentFactory(institution=college, name="Science")
    tutor = StaffMemberFactory(institution=college, department=science, forename="Sam", surname="Selftutor")
    CaseloadFactory(tutor=tutor, academic_year=year, departments=[science])
    response = client_for(tutor).get("/")
    body = response.content.decode()
    assert (response.context["my_tutor"].tutor, response.context["my_tutor"].is_you) == (None, True)
    assert "<strong>Sam Selftutor</strong>" not in body
    assert "you are your department's professional tutor" in body
    assert reverse("support:refer") in body


def test_home_hod_of_a_department_with_no_tutor_says_not_yet_assigned(client_for, hod, year):
    response = client_for(hod).get("/")
    assert response.context["headed_departments"][0].tutor is None
    assert "professional tutor not yet assigned" in response.content.decode()


def test_home_line_manager_sees_reports(client_for, line_manager, teacher):
    response = client_for(line_manager).get("/")
    assert response.context["reports"] == [teacher]


def test_home_programme_lead_sees_tutors_and_coverage(
    client_for, programme_lead, tutor, department, other_department
):
    response = client_for(programme_lead).get("/")
    programme = response.context["programme"]
    assert [c.tutor for c in programme["caseloads"]] == [tutor]
    assert programme["covered_count"] == 1
    assert programme["uncovered"] == [other_department]
    assert "1 department without a professional tutor: Art and Design" in response.content.decode()


def test_home_administrator_sees_accounts_and_imports(client_for, admin, teacher):
    response = client_for(admin).get("/")
    # admin, teacher and the teacher's line manager; the admin has just signed in
    assert response.context["accounts"] == {"active": 3, "closed": 0, "never_signed_in": 2}
    assert "Import staff from your MIS" in response.content.decode()


def test_navigation_shows_only_what_the_role_uses(client_for, teacher, admin, programme_lead):
    def menu(staff):
        return [item["text"] for item in client_for(staff).get("/").context["nav_items"]]

    assert menu(teacher) == ["Home", "Support", "Observations", "CPD", "Coaching", "Plans", "Resources"]
    assert menu(admin) == [
        "Home",
        "Support",
        "Observations",
        "CPD",
        "Coaching",
        "Staff",
        "Import staff",
        "Sign-in settings",
        "Plans",
        "Import outcomes",
        "Resources",
    ]
    assert menu(programme_lead) == [
        "Home",
        "Support",
        "Observations",
        "CPD",
        "Coaching",
        "Staff",
        "Caseloads",
        "Academic years",
        "Tutor team",
        "Plans",
        "Impact",
        "ITE and induction",
        "Resources",
    ]


@pytest.mark.parametrize("extra", [1, 3])
def test_home_query_count_is_the_same_as_data_grows(
    client_for, django_assert_num_queries, programme_lead, tutor, department, extra
):
    for _ in range(extra):
        other = DepartmentFactory(institution=programme_lead.institution)
        StaffMemberFactory(institution=programme_lead.institution, department=other)
        StaffMemberFactory(institution=programme_lead.institution, department=department)
    client = client_for(programme_lead)
    # session, user, actor (staff, roles, caseload, reports), current year, programme years, caseloads,
    # departments with coverage
    with django_assert_num_queries(10):
        client.get("/")


def test_staff_list_search_finds_by_surname(client_for, programme_lead, teacher, colleague):
    response = client_for(programme_lead).get(reverse("people:staff-list"), {"q": "teach"})
    assert list(response.context["page_obj"].object_list) == [teacher]


def test_staff_list_htmx_returns_only_results(client_for, programme_lead, teacher):
    response = client_for(programme_lead).get(
        reverse("people:staff-list"), {"q": "Tess"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert "<html" not in body
    assert "Teacher, Tess" in body
    assert "HX-Request" in response["Vary"]


def test_staff_list_teacher_sees_only_themself(client_for, teacher, colleague):
    response = client_for(teacher).get(reverse("people:staff-list"))
    assert list(response.context["page_obj"].object_list) == [teacher]


@pytest.mark.parametrize("extra", [1, 3])
def test_staff_list_query_count_is_constant(
    client_for, django_assert_num_queries, programme_lead, department, extra
):
    for _ in range(extra):
        StaffMemberFactory(institution=programme_lead.institution, department=department)
    client = client_for(programme_lead)
    # session, user, count, actor (staff, roles, caseload, reports), page of staff
    with django_assert_num_queries(8):
        client.get(reverse("people:staff-list"))


def test_staff_detail_shows_record_to_line_manager(client_for, line_manager, teacher):
    response = client_for(line_manager).get(teacher.get_absolute_url())
    assert response.status_code == 200
    assert teacher.email in response.content.decode()


def test_staff_detail_404_for_colleague(client_for, colleague, teacher):
    assert client_for(colleague).get(teacher.get_absolute_url()).status_code == 404


def test_department_detail_lists_staff_and_tutor(client_for, hod, tutor, teacher, department):
    response = client_for(hod).get(department.get_absolute_url())
    assert response.context["department_tutor"].tutor == tutor
    assert teacher in response.context["staff"]
    assert response.context["heads"] == [hod]


def test_role_add_makes_head_of_department(client_for, admin, teacher, department):
    response = client_for(admin).post(
        reverse("people:role-add", args=[teacher.pk]),
        {"role": Role.HEAD_OF_DEPARTMENT, "department": department.pk},
    )
    assert response.status_code == 302
    assert list(RoleAssignment.objects.filter(staff=teacher).values_list("role", "department")) == [
        (Role.HEAD_OF_DEPARTMENT, department.pk)
    ]


def test_role_add_head_without_department_names_the_field(client_for, admin, teacher):
    response = client_for(admin).post(
        reverse("people:role-add", args=[teacher.pk]), {"role": Role.HEAD_OF_DEPARTMENT}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in body
    assert 'href="#id_department"' in body
    assert "Select the department this person leads" in body
    assert not RoleAssignment.objects.filter(staff=teacher).exists()


def test_role_remove_removes_assignment(client_for, admin, hod):
    assignment = hod.role_assignments.get()
    response = client_for(admin).post(reverse("people:role-remove", args=[hod.pk, assignment.pk]))
    assert response.status_code == 302
    assert not hod.role_assignments.exists()


def test_account_status_closes_and_reopens(client_for, admin, teacher):
    client = client_for(admin)
    client.post(reverse("people:account-status", args=[teacher.pk]), {"active": "no"})
    teacher.user.refresh_from_db()
    assert teacher.user.is_active is False
    client.post(reverse("people:account-status", args=[teacher.pk]), {"active": "yes"})
    teacher.user.refresh_from_db()
    assert teacher.user.is_active is True


def _year_post(name="2030/31", start=dt.date(2030, 9, 1)):
    y = start.year
    return {
        "name": name,
        "starts_on": start.isoformat(),
        "ends_on": dt.date(y + 1, 8, 31).isoformat(),
        "term1_starts_on": dt.date(y, 9, 1).isoformat(),
        "term1_ends_on": dt.date(y, 12, 19).isoformat(),
        "term2_starts_on": dt.date(y + 1, 1, 6).isoformat(),
        "term2_ends_on": dt.date(y + 1, 3, 28).isoformat(),
        "term3_starts_on": dt.date(y + 1, 4, 14).isoformat(),
        "term3_ends_on": dt.date(y + 1, 7, 18).isoformat(),
    }


def test_year_create_saves_year_and_three_terms(client_for, programme_lead):
    response = client_for(programme_lead).post(reverse("people:year-create"), _year_post())
    assert response.status_code == 302
    year = AcademicYear.objects.get(name="2030/31")
    assert list(year.terms.values_list("name", "starts_on")) == [
        (Term.Name.AUTUMN, dt.date(2030, 9, 1)),
        (Term.Name.SPRING, dt.date(2031, 1, 6)),
        (Term.Name.SUMMER, dt.date(2031, 4, 14)),
    ]
    assert AuditEvent.objects.filter(action="people.year_created", target_id=str(year.pk)).exists()


def test_year_create_term_outside_year_shows_error_on_field(client_for, programme_lead):
    data = _year_post() | {"term3_ends_on": "2031-09-30"}
    response = client_for(programme_lead).post(reverse("people:year-create"), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Summer term must be inside the academic year" in body
    assert not AcademicYear.objects.filter(name="2030/31").exists()


def test_year_create_bad_date_names_the_field(client_for, programme_lead):
    data = _year_post() | {"term2_starts_on": "31/02/2031"}
    response = client_for(programme_lead).post(reverse("people:year-create"), data)
    assert "Enter the spring term start date as a real date" in response.content.decode()


def test_year_edit_changes_dates(client_for, programme_lead, year):
    data = _year_post(name=year.name, start=year.starts_on) | {
        "term1_ends_on": dt.date(year.starts_on.year, 12, 12).isoformat()
    }
    response = client_for(programme_lead).post(reverse("people:year-edit", args=[year.pk]), data)
    assert response.status_code == 302
    assert year.terms.get(number=1).ends_on == dt.date(year.starts_on.year, 12, 12)


def test_caseload_create_assigns_departments_and_hours(
    client_for, programme_lead, year, colleague, other_department
):
    response = client_for(programme_lead).post(
        reverse("people:caseload-create"),
        {
            "tutor": colleague.pk,
            "academic_year": year.pk,
            "departments": [other_department.pk],
            "remitted_hours": "150",
            "full_time_hours": "773",
            "specialisms": "Mathematics",
        },
    )
    assert response.status_code == 302
    caseload = Caseload.objects.get(tutor=colleague)
    assert list(caseload.departments.all()) == [other_department]
    assert caseload.remitted_hours == Decimal("150")


def test_caseload_create_refuses_department_of_another_tutor(
    client_for, programme_lead, year, tutor, colleague, department
):
    response = client_for(programme_lead).post(
        reverse("people:caseload-create"),
        {
            "tutor": colleague.pk,
            "academic_year": year.pk,
            "departments": [department.pk],
            "remitted_hours": "150",
            "full_time_hours": "773",
        },
    )
    body = response.content.decode()
    assert "Mathematics is already in Tamsin Tutor&#x27;s caseload" in body
    assert not Caseload.objects.filter(tutor=colleague).exists()


def test_caseload_edit_changes_remission(client_for, programme_lead, tutor, department):
    caseload = tutor.caseloads.get()
    response = client_for(programme_lead).post(
        reverse("people:caseload-edit", args=[caseload.pk]),
        {
            "departments": [department.pk],
            "remitted_hours": "120",
            "full_time_hours": "773",
            "specialisms": "",
        },
    )
    assert response.status_code == 302
    caseload.refresh_from_db()
    assert caseload.remitted_hours == Decimal("120")


def test_caseload_list_shows_uncovered_departments_to_programme_lead(
    client_for, programme_lead, tutor, other_department
):
    response = client_for(programme_lead).get(reverse("people:caseload-list"))
    assert [c.tutor for c in response.context["caseloads"]] == [tutor]
    assert response.context["uncovered"] == [other_department]


def test_caseload_list_tutor_sees_only_own(client_for, tutor, other_tutor):
    response = client_for(tutor).get(reverse("people:caseload-list"))
    assert [c.tutor for c in response.context["caseloads"]] == [tutor]
    assert response.context["can_manage"] is False


@pytest.mark.parametrize("extra", [1, 3])
def test_caseload_list_query_count_is_constant(
    client_for, django_assert_num_queries, programme_lead, year, extra
):
    for _ in range(extra):
        CaseloadFactory(
            tutor=StaffMemberFactory(institution=programme_lead.institution),
            academic_year=year,
            departments=[DepartmentFactory(institution=programme_lead.institution)],
        )
    client = client_for(programme_lead)
    # session, user, may see caseloads, actor (staff, roles, caseload, reports) for the menu, the year menu,
    # chosen year, may manage caseloads, caseloads, their departments, uncovered departments
    with django_assert_num_queries(13):
        client.get(reverse("people:caseload-list"))
