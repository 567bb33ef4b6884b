"""Writes to the programme's structure: each is allowed to the right role only, names the field it refuses,
and writes all of its change with an audit entry, or nothing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from protutor.audit.models import AuditEvent
from protutor.core.errors import ServiceError
from protutor.people import services
from protutor.people.models import (
    AcademicYear,
    Caseload,
    CaseloadDepartment,
    Role,
    RoleAssignment,
    StaffMember,
    Term,
)
from tests.factories.people import (
    AcademicYearFactory,
    DepartmentFactory,
    InstitutionFactory,
    RoleAssignmentFactory,
    StaffMemberFactory,
)

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"


def year_dates(start_year: int) -> dict:
    """A September-to-August year with three terms in order."""
    return {
        "name": f"{start_year}/{str(start_year + 1)[-2:]}",
        "starts_on": dt.date(start_year, 9, 1),
        "ends_on": dt.date(start_year + 1, 8, 31),
        "terms": [
            (dt.date(start_year, 9, 1), dt.date(start_year, 12, 19)),
            (dt.date(start_year + 1, 1, 5), dt.date(start_year + 1, 3, 31)),
            (dt.date(start_year + 1, 4, 14), dt.date(start_year + 1, 7, 20)),
        ],
    }


@pytest.fixture
def next_start(year) -> int:
    """The start of the academic year after the current one, which the `year` fixture already holds."""
    return year.starts_on.year + 1


def term_rows(year: AcademicYear) -> list[tuple]:
    return list(year.terms.order_by("number").values_list("number", "name", "starts_on", "ends_on"))


def structure_snapshot() -> tuple:
    return (
        list(AcademicYear.objects.order_by("pk").values_list("pk", "name", "starts_on", "ends_on")),
        list(
            Term.objects.order_by("pk").values_list("pk", "academic_year", "number", "starts_on", "ends_on")
        ),
        AuditEvent.objects.count(),
    )


# save_academic_year


def test_save_academic_year_creates_year_and_three_terms(programme_lead, college, next_start):
    dates = year_dates(next_start)
    year = services.save_academic_year(actor=programme_lead.user, institution=college, **dates)
    year.refresh_from_db()
    assert (year.institution, year.name, year.starts_on, year.ends_on) == (
        college,
        dates["name"],
        dates["starts_on"],
        dates["ends_on"],
    )
    assert term_rows(year) == [
        (1, "autumn", *dates["terms"][0]),
        (2, "spring", *dates["terms"][1]),
        (3, "summer", *dates["terms"][2]),
    ]


def test_save_academic_year_records_audit_event(programme_lead, college, next_start):
    year = services.save_academic_year(
        actor=programme_lead.user, institution=college, **year_dates(next_start)
    )
    events = list(AuditEvent.objects.values_list("actor", "action", "target_type", "target_id"))
    assert events == [(programme_lead.user.pk, "people.year_created", "people.academicyear", str(year.pk))]


def test_save_academic_year_edit_changes_dates_in_place(programme_lead, college, year):
    term_pks = list(year.terms.order_by("number").values_list("pk", flat=True))
    start = year.starts_on.year
    dates = year_dates(start)
    dates["name"] = "Renamed"
    dates["starts_on"] = dt.date(start, 9, 2)
    dates["terms"][0] = (dt.date(start, 9, 2), dt.date(start, 12, 18))
    saved = services.save_academic_year(actor=programme_lead.user, institution=college, year=year, **dates)
    assert saved.pk == year.pk
    assert list(AcademicYear.objects.values_list("pk", "name", "starts_on")) == [
        (year.pk, "Renamed", dt.date(start, 9, 2))
    ]
    assert list(Term.objects.order_by("number").values_list("pk", flat=True)) == term_pks
    assert term_rows(saved) == [
        (1, "autumn", *dates["terms"][0]),
        (2, "spring", *dates["terms"][1]),
        (3, "summer", *dates["terms"][2]),
    ]
    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["people.year_changed"]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        pytest.param(
            lambda d, y: d["terms"].__setitem__(0, (dt.date(y, 8, 20), dt.date(y, 12, 19))),
            "term1_starts_on",
            "Autumn term must be inside the academic year",
            id="term-starts-before-year",
        ),
        pytest.param(
            lambda d, y: d["terms"].__setitem__(2, (dt.date(y + 1, 4, 14), dt.date(y + 1, 9, 5))),
            "term3_starts_on",
            "Summer term must be inside the academic year",
            id="term-ends-after-year",
        ),
        pytest.param(
            lambda d, y: d["terms"].__setitem__(1, (dt.date(y, 12, 1), dt.date(y + 1, 3, 31))),
            "term2_starts_on",
            "Spring term must start after the previous term ends",
            id="terms-overlap",
        ),
        pytest.param(
            lambda d, y: d["terms"].__setitem__(1, (dt.date(y, 12, 19), dt.date(y + 1, 3, 31))),
            "term2_starts_on",
            "Spring term must start after the previous term ends",
            id="term-starts-on-previous-end",
        ),
        pytest.param(
            lambda d, y: d.__setitem__("terms", [d["terms"][1], d["terms"][0], d["terms"][2]]),
            "term2_starts_on",
            "Spring term must start after the previous term ends",
            id="terms-out-of-order",
        ),
        pytest.param(
            lambda d, y: d["terms"].__setitem__(0, (dt.date(y, 12, 19), dt.date(y, 9, 1))),
            "term1_ends_on",
            "Autumn term must end after it starts",
            id="term-ends-before-start",
        ),
        pytest.param(
            lambda d, y: d.__setitem__("ends_on", dt.date(y, 8, 1)),
            "ends_on",
            "End date must be after the start date",
            id="year-ends-before-start",
        ),
        pytest.param(
            lambda d, y: d.update(starts_on=dt.date(y, 8, 1), ends_on=dt.date(y + 1, 7, 31)),
            "starts_on",
            "The dates overlap academic year {current}",
            id="year-overlaps-current",
        ),
    ],
)
def test_save_academic_year_refuses_bad_dates_and_writes_nothing(
    programme_lead, college, year, next_start, change, field, message
):
    dates = year_dates(next_start)
    change(dates, next_start)
    before = structure_snapshot()
    with pytest.raises(ServiceError) as exc:
        services.save_academic_year(actor=programme_lead.user, institution=college, **dates)
    assert (exc.value.field, exc.value.message) == (field, message.format(current=year.name))
    assert structure_snapshot() == before


def test_save_academic_year_edit_refused_leaves_year_and_terms_unchanged(programme_lead, college, year):
    before = structure_snapshot()
    dates = year_dates(year.starts_on.year)
    dates["name"] = "Renamed"
    dates["terms"][2] = (dt.date(year.starts_on.year + 1, 4, 14), dt.date(year.starts_on.year + 1, 9, 30))
    with pytest.raises(ServiceError) as exc:
        services.save_academic_year(actor=programme_lead.user, institution=college, year=year, **dates)
    assert exc.value.field == "term3_starts_on"
    assert structure_snapshot() == before


def test_save_academic_year_refuses_fewer_than_three_terms(programme_lead, college, next_start):
    dates = year_dates(next_start)
    dates["terms"] = dates["terms"][:2]
    with pytest.raises(ServiceError) as exc:
        services.save_academic_year(actor=programme_lead.user, institution=college, **dates)
    assert exc.value.message == "Enter the dates of all three terms."
    assert AcademicYear.objects.filter(name=dates["name"]).count() == 0


@pytest.mark.parametrize("persona", ["teacher", "hod", "tutor", "dsl", "admin", "outsider"])
def test_save_academic_year_refused_for_non_programme_lead(request, persona, college):
    actor = request.getfixturevalue(persona)
    with pytest.raises(ServiceError) as exc:
        services.save_academic_year(actor=actor.user, institution=college, **year_dates(2040))
    assert exc.value.message == "You do not have permission to do that."
    assert (AcademicYear.objects.filter(name="2040/41").count(), AuditEvent.objects.count()) == (0, 0)


def test_save_academic_year_refused_for_programme_lead_of_another_institution(programme_lead):
    elsewhere = InstitutionFactory(name="Elsewhere")
    with pytest.raises(ServiceError):
        services.save_academic_year(actor=programme_lead.user, institution=elsewhere, **year_dates(2040))
    assert AcademicYear.objects.filter(institution=elsewhere).count() == 0


# save_caseload


def caseload_departments(caseload: Caseload) -> set:
    return set(
        CaseloadDepartment.objects.filter(caseload=caseload).values_list("department__name", flat=True)
    )


@pytest.fixture
def new_tutor(college):
    return StaffMemberFactory(institution=college, department=None, forename="Nia", surname="Newtutor")


@pytest.fixture
def science(college):
    return DepartmentFactory(institution=college, name="Science")


def test_save_caseload_creates_with_departments(programme_lead, new_tutor, year, science, other_department):
    caseload = services.save_caseload(
        actor=programme_lead.user,
        tutor=new_tutor,
        academic_year=year,
        remitted_hours=Decimal("150"),
        full_time_hours=Decimal("773"),
        specialisms="Numeracy",
        departments=[science, other_department],
    )
    caseload.refresh_from_db()
    assert (caseload.tutor, caseload.academic_year, caseload.remitted_hours, caseload.full_time_hours) == (
        new_tutor,
        year,
        Decimal("150"),
        Decimal("773"),
    )
    assert caseload.specialisms == "Numeracy"
    assert caseload_departments(caseload) == {"Science", "Art and Design"}
    assert set(
        CaseloadDepartment.objects.filter(caseload=caseload).values_list("academic_year", flat=True)
    ) == {year.pk}


def test_save_caseload_records_audit_event(programme_lead, new_tutor, year, science):
    caseload = services.save_caseload(
        actor=programme_lead.user,
        tutor=new_tutor,
        academic_year=year,
        remitted_hours=Decimal("150"),
        full_time_hours=Decimal("773"),
        specialisms="",
        departments=[science],
    )
    event = AuditEvent.objects.get()
    assert (event.actor, event.action, event.target_type, event.target_id) == (
        programme_lead.user,
        "people.caseload_created",
        "people.caseload",
        str(caseload.pk),
    )
    assert event.detail == {"departments": [science.pk], "remitted_hours": "150"}


def test_save_caseload_edit_replaces_departments_exactly(
    programme_lead, tutor, year, department, science, other_department
):
    caseload = tutor.caseloads.get()
    kept_link = CaseloadDepartment.objects.get(caseload=caseload, department=department)
    services.save_caseload(
        actor=programme_lead.user,
        caseload=caseload,
        tutor=tutor,
        academic_year=year,
        remitted_hours=Decimal("200"),
        full_time_hours=Decimal("773"),
        specialisms="Literacy",
        departments=[department, science],
    )
    assert caseload_departments(caseload) == {"Mathematics", "Science"}
    assert CaseloadDepartment.objects.get(caseload=caseload, department=department).pk == kept_link.pk
    services.save_caseload(
        actor=programme_lead.user,
        caseload=caseload,
        tutor=tutor,
        academic_year=year,
        remitted_hours=Decimal("200"),
        full_time_hours=Decimal("773"),
        specialisms="Literacy",
        departments=[other_department],
    )
    assert caseload_departments(caseload) == {"Art and Design"}
    caseload.refresh_from_db()
    assert (caseload.remitted_hours, caseload.specialisms) == (Decimal("200"), "Literacy")
    assert Caseload.objects.count() == 1
    assert list(AuditEvent.objects.order_by("pk").values_list("action", flat=True)) == [
        "people.caseload_changed",
        "people.caseload_changed",
    ]


def test_save_caseload_edit_to_no_departments(programme_lead, tutor, year):
    caseload = tutor.caseloads.get()
    services.save_caseload(
        actor=programme_lead.user,
        caseload=caseload,
        tutor=tutor,
        academic_year=year,
        remitted_hours=Decimal("150"),
        full_time_hours=Decimal("773"),
        specialisms="",
        departments=[],
    )
    assert caseload_departments(caseload) == set()


def caseload_snapshot() -> tuple:
    return (
        list(
            Caseload.objects.order_by("pk").values_list(
                "pk", "tutor", "remitted_hours", "full_time_hours", "specialisms"
            )
        ),
        sorted(CaseloadDepartment.objects.values_list("caseload", "department")),
        AuditEvent.objects.count(),
    )


def test_save_caseload_refuses_department_of_another_tutor_naming_them(
    programme_lead, tutor, other_tutor, year, department, science
):
    before = caseload_snapshot()
    with pytest.raises(ServiceError) as exc:
        services.save_caseload(
            actor=programme_lead.user,
            caseload=other_tutor.caseloads.get(),
            tutor=other_tutor,
            academic_year=year,
            remitted_hours=Decimal("100"),
            full_time_hours=Decimal("773"),
            specialisms="Changed",
            departments=[science, department],
        )
    assert (exc.value.field, exc.value.message) == (
        "departments",
        f"Mathematics is already in Tamsin Tutor's caseload for {year.name}",
    )
    assert caseload_snapshot() == before


def test_save_caseload_new_caseload_refuses_taken_department(
    programme_lead, tutor, new_tutor, year, department
):
    before = caseload_snapshot()
    with pytest.raises(ServiceError) as exc:
        services.save_caseload(
            actor=programme_lead.user,
            tutor=new_tutor,
            academic_year=year,
            remitted_hours=Decimal("100"),
            full_time_hours=Decimal("773"),
            specialisms="",
            departments=[department],
        )
    assert exc.value.message == f"Mathematics is already in Tamsin Tutor's caseload for {year.name}"
    assert caseload_snapshot() == before


def test_save_caseload_refuses_second_caseload_for_tutor(programme_lead, tutor, year, science):
    before = caseload_snapshot()
    with pytest.raises(ServiceError) as exc:
        services.save_caseload(
            actor=programme_lead.user,
            tutor=tutor,
            academic_year=year,
            remitted_hours=Decimal("100"),
            full_time_hours=Decimal("773"),
            specialisms="",
            departments=[science],
        )
    assert (exc.value.field, exc.value.message) == (
        "tutor",
        f"Tamsin Tutor already has a caseload for {year.name}",
    )
    assert caseload_snapshot() == before


def test_save_caseload_refuses_remission_above_hours(programme_lead, new_tutor, year, science):
    before = caseload_snapshot()
    with pytest.raises(ServiceError) as exc:
        services.save_caseload(
            actor=programme_lead.user,
            tutor=new_tutor,
            academic_year=year,
            remitted_hours=Decimal("800"),
            full_time_hours=Decimal("773"),
            specialisms="",
            departments=[science],
        )
    assert (exc.value.field, exc.value.message) == (
        "remitted_hours",
        "Remitted hours must be no more than the 773 caseload hours",
    )
    assert caseload_snapshot() == before


def test_save_caseload_refuses_department_of_another_institution(programme_lead, new_tutor, year):
    foreign = DepartmentFactory(institution=InstitutionFactory(name="Elsewhere"), name="Foreign")
    before = caseload_snapshot()
    with pytest.raises(ServiceError) as exc:
        services.save_caseload(
            actor=programme_lead.user,
            tutor=new_tutor,
            academic_year=year,
            remitted_hours=Decimal("100"),
            full_time_hours=Decimal("773"),
            specialisms="",
            departments=[foreign],
        )
    assert (exc.value.field, exc.value.message) == ("departments", "Select departments of this institution")
    assert caseload_snapshot() == before


def test_save_caseload_refuses_tutor_of_another_institution(programme_lead, outsider, year, science):
    before = caseload_snapshot()
    with pytest.raises(ServiceError) as exc:
        services.save_caseload(
            actor=programme_lead.user,
            tutor=outsider,
            academic_year=year,
            remitted_hours=Decimal("100"),
            full_time_hours=Decimal("773"),
            specialisms="",
            departments=[science],
        )
    assert (exc.value.field, exc.value.message) == ("tutor", "Select a tutor from this institution")
    assert caseload_snapshot() == before


@pytest.mark.parametrize("persona", ["teacher", "hod", "tutor", "dsl", "admin", "outsider"])
def test_save_caseload_refused_for_non_programme_lead(request, persona, new_tutor, year, science):
    actor = request.getfixturevalue(persona)
    before = caseload_snapshot()
    with pytest.raises(ServiceError) as exc:
        services.save_caseload(
            actor=actor.user,
            tutor=new_tutor,
            academic_year=year,
            remitted_hours=Decimal("100"),
            full_time_hours=Decimal("773"),
            specialisms="",
            departments=[science],
        )
    assert exc.value.message == "You do not have permission to do that."
    assert caseload_snapshot() == before


# assign_role and remove_role


def test_assign_role_gives_role_and_records_audit(admin, teacher, year):
    assignment = services.assign_role(
        actor=admin.user, staff=teacher, role=Role.PROGRAMME_LEAD, academic_year=year
    )
    assert list(
        RoleAssignment.objects.filter(staff=teacher).values_list("pk", "role", "institution", "academic_year")
    ) == [(assignment.pk, "programme_lead", teacher.institution_id, year.pk)]
    event = AuditEvent.objects.get()
    assert (event.actor, event.action, event.target_id, event.detail) == (
        admin.user,
        "people.role_assigned",
        str(teacher.pk),
        {"role": "programme_lead"},
    )


def test_assign_role_head_of_department_names_the_department(admin, teacher, department):
    services.assign_role(actor=admin.user, staff=teacher, role=Role.HEAD_OF_DEPARTMENT, department=department)
    assert list(RoleAssignment.objects.filter(staff=teacher).values_list("role", "department")) == [
        ("head_of_department", department.pk)
    ]


def test_assign_role_head_needs_department(admin, teacher):
    with pytest.raises(ServiceError) as exc:
        services.assign_role(actor=admin.user, staff=teacher, role=Role.HEAD_OF_DEPARTMENT)
    assert (exc.value.field, exc.value.message) == ("department", "Select the department this person leads")
    assert RoleAssignment.objects.filter(staff=teacher).count() == 0


def test_assign_role_drops_department_for_other_roles(admin, teacher, department):
    services.assign_role(actor=admin.user, staff=teacher, role=Role.SAFEGUARDING_LEAD, department=department)
    assert list(RoleAssignment.objects.filter(staff=teacher).values_list("role", "department")) == [
        ("safeguarding_lead", None)
    ]


def test_assign_role_refuses_department_of_another_institution(admin, teacher):
    foreign = DepartmentFactory(institution=InstitutionFactory(name="Elsewhere"))
    with pytest.raises(ServiceError) as exc:
        services.assign_role(
            actor=admin.user, staff=teacher, role=Role.HEAD_OF_DEPARTMENT, department=foreign
        )
    assert exc.value.field == "department"
    assert RoleAssignment.objects.filter(staff=teacher).count() == 0


def test_assign_role_refuses_year_of_another_institution(admin, teacher):
    foreign = AcademicYearFactory(institution=InstitutionFactory(name="Elsewhere"))
    with pytest.raises(ServiceError) as exc:
        services.assign_role(actor=admin.user, staff=teacher, role=Role.PROGRAMME_LEAD, academic_year=foreign)
    assert exc.value.field == "academic_year"
    assert RoleAssignment.objects.filter(staff=teacher).count() == 0


@pytest.mark.parametrize("with_department", [False, True])
def test_assign_role_duplicate_says_already_holds(admin, hod, department, with_department):
    role = Role.HEAD_OF_DEPARTMENT if with_department else Role.SAFEGUARDING_LEAD
    if not with_department:
        services.assign_role(actor=admin.user, staff=hod, role=role)
    before = AuditEvent.objects.count()
    with pytest.raises(ServiceError) as exc:
        services.assign_role(actor=admin.user, staff=hod, role=role, department=department)
    assert (exc.value.field, exc.value.message) == ("role", "Hari Head already holds that role")
    assert RoleAssignment.objects.filter(staff=hod, role=role).count() == 1
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("persona", ["teacher", "hod", "tutor", "programme_lead", "dsl", "outsider"])
def test_assign_role_refused_for_non_administrator(request, persona, colleague):
    actor = request.getfixturevalue(persona)
    with pytest.raises(ServiceError) as exc:
        services.assign_role(actor=actor.user, staff=colleague, role=Role.ADMINISTRATOR)
    assert exc.value.message == "You do not have permission to do that."
    assert RoleAssignment.objects.filter(staff=colleague).count() == 0


def test_assign_role_refused_for_administrator_of_another_institution(admin, outsider):
    with pytest.raises(ServiceError):
        services.assign_role(actor=admin.user, staff=outsider, role=Role.PROGRAMME_LEAD)
    assert RoleAssignment.objects.filter(staff=outsider).count() == 0


def test_remove_role_deletes_and_records_audit(admin, hod):
    assignment = hod.role_assignments.get()
    services.remove_role(actor=admin.user, assignment=assignment)
    assert RoleAssignment.objects.filter(staff=hod).count() == 0
    assert list(AuditEvent.objects.values_list("action", "target_id", "detail")) == [
        ("people.role_removed", str(hod.pk), {"role": "head_of_department"})
    ]


@pytest.mark.parametrize("persona", ["teacher", "hod", "tutor", "programme_lead", "dsl", "outsider"])
def test_remove_role_refused_for_non_administrator(request, persona, programme_lead):
    actor = request.getfixturevalue(persona)
    assignment = programme_lead.role_assignments.get()
    with pytest.raises(ServiceError):
        services.remove_role(actor=actor.user, assignment=assignment)
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_remove_role_refuses_own_administrator_role(admin):
    assignment = admin.role_assignments.get()
    with pytest.raises(ServiceError) as exc:
        services.remove_role(actor=admin.user, assignment=assignment)
    assert exc.value.message == "You cannot remove your own administrator role; ask another administrator."
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()
    assert AuditEvent.objects.count() == 0


def test_remove_role_administrator_removes_another_administrator(admin, college):
    second = StaffMemberFactory(institution=college, department=None)
    assignment = RoleAssignmentFactory(staff=second, role=Role.ADMINISTRATOR)
    services.remove_role(actor=admin.user, assignment=assignment)
    assert RoleAssignment.objects.filter(staff=second).count() == 0


def test_remove_role_administrator_removes_own_other_role(admin):
    other = RoleAssignmentFactory(staff=admin, role=Role.SAFEGUARDING_LEAD)
    services.remove_role(actor=admin.user, assignment=other)
    assert list(RoleAssignment.objects.filter(staff=admin).values_list("role", flat=True)) == [
        "administrator"
    ]


# set_account_active


def test_set_account_active_closes_account(admin, teacher):
    services.set_account_active(actor=admin.user, staff=teacher, active=False)
    teacher = StaffMember.objects.select_related("user").get(pk=teacher.pk)
    assert (teacher.is_active, teacher.user.is_active) == (False, False)
    assert list(AuditEvent.objects.values_list("action", "target_id")) == [
        ("people.account_closed", str(teacher.pk))
    ]


def test_set_account_active_closed_user_cannot_sign_in(client, admin, teacher):
    services.set_account_active(actor=admin.user, staff=teacher, active=False)
    response = client.post(reverse("account_login"), {"login": "teacher", "password": PASSWORD})
    assert (response.status_code, response["Location"]) == (302, reverse("account_inactive"))
    assert "_auth_user_id" not in client.session
    assert "This account is inactive." in client.get(response["Location"]).content.decode()
    home = client.get("/")
    assert home.status_code == 302
    assert home["Location"].startswith(reverse("account_login"))


def test_set_account_active_reopened_user_signs_in_again(client, admin, teacher):
    services.set_account_active(actor=admin.user, staff=teacher, active=False)
    services.set_account_active(actor=admin.user, staff=teacher, active=True)
    teacher.refresh_from_db()
    teacher.user.refresh_from_db()
    assert (teacher.is_active, teacher.user.is_active) == (True, True)
    response = client.post(reverse("account_login"), {"login": "teacher", "password": PASSWORD})
    assert (response.status_code, response["Location"]) == (302, "/")
    assert int(client.session["_auth_user_id"]) == teacher.user.pk
    assert list(AuditEvent.objects.order_by("pk").values_list("action", flat=True)) == [
        "people.account_closed",
        "people.account_opened",
    ]


def test_set_account_active_refuses_own_account(admin):
    with pytest.raises(ServiceError) as exc:
        services.set_account_active(actor=admin.user, staff=admin, active=False)
    assert exc.value.message == "You cannot close your own account."
    admin.user.refresh_from_db()
    assert admin.user.is_active is True


@pytest.mark.parametrize("persona", ["line_manager", "hod", "tutor", "programme_lead", "dsl", "outsider"])
def test_set_account_active_refused_for_non_administrator(request, persona, teacher):
    actor = request.getfixturevalue(persona)
    with pytest.raises(ServiceError):
        services.set_account_active(actor=actor.user, staff=teacher, active=False)
    teacher.user.refresh_from_db()
    assert teacher.user.is_active is True


def test_save_academic_year_refuses_a_year_of_another_institution(programme_lead, outsider):
    from protutor.people.models import AcademicYear
    from tests.factories.people import AcademicYearFactory

    foreign = AcademicYearFactory(institution=outsider.institution)
    with pytest.raises(ServiceError):
        services.save_academic_year(
            actor=programme_lead.user,
            institution=programme_lead.institution,
            name="Renamed",
            starts_on=foreign.starts_on,
            ends_on=foreign.ends_on,
            terms=[(t.starts_on, t.ends_on) for t in foreign.terms.all()],
            year=foreign,
        )
    assert AcademicYear.objects.get(pk=foreign.pk).name == foreign.name


def test_save_caseload_edit_keeps_tutor_and_year(programme_lead, tutor, year, colleague):
    caseload = tutor.caseloads.get()
    with pytest.raises(ServiceError, match="keeps its tutor and year"):
        services.save_caseload(
            actor=programme_lead.user,
            tutor=colleague,
            academic_year=year,
            remitted_hours=caseload.remitted_hours,
            full_time_hours=caseload.full_time_hours,
            specialisms="",
            departments=[],
            caseload=caseload,
        )
    caseload.refresh_from_db()
    assert caseload.tutor == tutor
