"""The people models' own rules: validation messages a form shows, and the database constraints behind them."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from protutor.people.models import (
    AcademicYear,
    Caseload,
    CaseloadDepartment,
    Role,
    RoleAssignment,
    StaffMember,
    Term,
    User,
)
from tests.factories.people import (
    AcademicYearFactory,
    CaseloadFactory,
    DepartmentFactory,
    InstitutionFactory,
    RoleAssignmentFactory,
    StaffMemberFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def clean_errors(instance) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as exc:
        instance.clean()
    return exc.value.message_dict


# AcademicYear.clean


def test_academic_year_clean_refuses_end_before_start(college):
    year = AcademicYear(
        institution=college, name="2030/31", starts_on=dt.date(2030, 9, 1), ends_on=dt.date(2030, 8, 31)
    )
    assert clean_errors(year) == {"ends_on": ["End date must be after the start date"]}


def test_academic_year_clean_refuses_end_on_start(college):
    year = AcademicYear(
        institution=college, name="2030/31", starts_on=dt.date(2030, 9, 1), ends_on=dt.date(2030, 9, 1)
    )
    assert clean_errors(year) == {"ends_on": ["End date must be after the start date"]}


def test_academic_year_clean_refuses_more_than_366_days(college):
    year = AcademicYear(
        institution=college, name="2030/31", starts_on=dt.date(2030, 9, 1), ends_on=dt.date(2031, 9, 3)
    )
    assert clean_errors(year) == {"ends_on": ["An academic year must last no more than 366 days"]}


def test_academic_year_clean_accepts_exactly_366_days(college):
    year = AcademicYear(
        institution=college, name="2031/32", starts_on=dt.date(2031, 9, 1), ends_on=dt.date(2032, 9, 1)
    )
    year.clean()


def test_academic_year_clean_refuses_overlap_with_another_year_of_the_institution(year):
    overlapping = AcademicYear(
        institution=year.institution,
        name="Overlap",
        starts_on=year.ends_on - dt.timedelta(days=10),
        ends_on=year.ends_on + dt.timedelta(days=300),
    )
    assert clean_errors(overlapping) == {"starts_on": [f"The dates overlap academic year {year.name}"]}


def test_academic_year_clean_accepts_its_own_dates_when_editing(year):
    year.clean()


def test_academic_year_clean_accepts_the_day_after_another_year_ends(year):
    following = AcademicYear(
        institution=year.institution,
        name="Next",
        starts_on=year.ends_on + dt.timedelta(days=1),
        ends_on=year.ends_on + dt.timedelta(days=365),
    )
    following.clean()


def test_academic_year_clean_accepts_same_dates_in_another_institution(year):
    elsewhere = AcademicYear(
        institution=InstitutionFactory(name="Elsewhere"),
        name=year.name,
        starts_on=year.starts_on,
        ends_on=year.ends_on,
    )
    elsewhere.clean()


# Check constraints


def test_academic_year_constraint_refuses_end_not_after_start(college):
    with pytest.raises(IntegrityError), transaction.atomic():
        AcademicYear.objects.create(
            institution=college, name="Bad", starts_on=dt.date(2030, 9, 1), ends_on=dt.date(2030, 9, 1)
        )
    assert AcademicYear.objects.count() == 0


def test_term_constraint_refuses_end_not_after_start(year):
    with pytest.raises(IntegrityError), transaction.atomic():
        Term.objects.create(
            academic_year=year,
            number=1,
            name=Term.Name.AUTUMN,
            starts_on=dt.date(2030, 9, 10),
            ends_on=dt.date(2030, 9, 1),
        )


def test_term_constraint_refuses_second_term_with_same_number(year):
    with pytest.raises(IntegrityError), transaction.atomic():
        Term.objects.create(
            academic_year=year,
            number=1,
            name=Term.Name.AUTUMN,
            starts_on=year.starts_on,
            ends_on=year.ends_on,
        )


def test_caseload_constraint_refuses_remission_above_hours(year, college):
    tutor = StaffMemberFactory(institution=college, department=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        Caseload.objects.create(
            tutor=tutor, academic_year=year, remitted_hours=Decimal("773.1"), full_time_hours=Decimal("773")
        )
    assert Caseload.objects.count() == 0


def test_caseload_constraint_accepts_remission_equal_to_hours(year, college):
    tutor = StaffMemberFactory(institution=college, department=None)
    Caseload.objects.create(
        tutor=tutor, academic_year=year, remitted_hours=Decimal("773"), full_time_hours=Decimal("773")
    )
    assert Caseload.objects.count() == 1


def test_caseload_constraint_refuses_second_caseload_for_tutor_and_year(tutor, year):
    with pytest.raises(IntegrityError), transaction.atomic():
        Caseload.objects.create(
            tutor=tutor, academic_year=year, remitted_hours=Decimal("1"), full_time_hours=Decimal("773")
        )


# Term ordering


def test_term_ordering_by_number_within_a_year(college):
    year = AcademicYear.objects.create(
        institution=college, name="2030/31", starts_on=dt.date(2030, 9, 1), ends_on=dt.date(2031, 8, 31)
    )
    for number, name, start, end in [
        (3, Term.Name.SUMMER, dt.date(2031, 4, 14), dt.date(2031, 7, 20)),
        (1, Term.Name.AUTUMN, dt.date(2030, 9, 1), dt.date(2030, 12, 19)),
        (2, Term.Name.SPRING, dt.date(2031, 1, 5), dt.date(2031, 3, 31)),
    ]:
        Term.objects.create(academic_year=year, number=number, name=name, starts_on=start, ends_on=end)
    assert [t.name for t in year.terms.all()] == ["autumn", "spring", "summer"]


def test_term_ordering_puts_the_newest_year_first(college, year):
    later = AcademicYearFactory(
        institution=college,
        name="Later",
        starts_on=year.starts_on.replace(year=year.starts_on.year + 1),
        ends_on=year.ends_on.replace(year=year.ends_on.year + 1),
    )
    assert [
        (t.academic_year.name, t.number) for t in Term.objects.filter(academic_year__institution=college)
    ] == [
        ("Later", 1),
        ("Later", 2),
        ("Later", 3),
        (year.name, 1),
        (year.name, 2),
        (year.name, 3),
    ]
    assert str(later.terms.first()) == "Autumn Later"


# Caseload


def test_caseload_clean_refuses_remission_above_hours_naming_the_hours():
    caseload = Caseload(remitted_hours=Decimal("800"), full_time_hours=Decimal("773"))
    assert clean_errors(caseload) == {
        "remitted_hours": ["Remitted hours must be no more than the 773 caseload hours"]
    }


def test_caseload_clean_accepts_remission_within_hours():
    Caseload(remitted_hours=Decimal("150"), full_time_hours=Decimal("773")).clean()


def test_caseload_remission_percent_to_one_decimal():
    caseload = Caseload(remitted_hours=Decimal("150"), full_time_hours=Decimal("773"))
    assert caseload.remission_percent == Decimal("19.4")
    assert str(caseload.remission_percent) == "19.4"


def test_caseload_remission_percent_of_whole_caseload_is_100():
    caseload = Caseload(remitted_hours=Decimal("773"), full_time_hours=Decimal("773"))
    assert caseload.remission_percent == Decimal("100.0")


# RoleAssignment


def test_role_assignment_clean_head_needs_department(college):
    staff = StaffMemberFactory(institution=college)
    assignment = RoleAssignment(staff=staff, institution=college, role=Role.HEAD_OF_DEPARTMENT)
    assert clean_errors(assignment) == {"department": ["Select the department this person leads"]}


def test_role_assignment_clean_other_role_refuses_department(college, department):
    staff = StaffMemberFactory(institution=college)
    assignment = RoleAssignment(
        staff=staff, institution=college, role=Role.PROGRAMME_LEAD, department=department
    )
    assert clean_errors(assignment) == {
        "department": ["Only a head of department is assigned to a department"]
    }


def test_role_assignment_clean_accepts_head_with_department(college, department):
    staff = StaffMemberFactory(institution=college)
    RoleAssignment(
        staff=staff, institution=college, role=Role.HEAD_OF_DEPARTMENT, department=department
    ).clean()


def test_role_assignment_constraint_refuses_department_for_other_roles(college, department):
    staff = StaffMemberFactory(institution=college)
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(
            staff=staff, institution=college, role=Role.ADMINISTRATOR, department=department
        )


def test_role_assignment_constraint_refuses_head_without_department(college):
    staff = StaffMemberFactory(institution=college)
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(staff=staff, institution=college, role=Role.HEAD_OF_DEPARTMENT)


@pytest.mark.parametrize("with_year", [False, True], ids=["every-year", "one-year"])
@pytest.mark.parametrize("with_department", [False, True], ids=["institution", "department"])
def test_role_assignment_constraint_refuses_duplicate(college, department, year, with_year, with_department):
    staff = StaffMemberFactory(institution=college)
    fields = {
        "staff": staff,
        "institution": college,
        "role": Role.HEAD_OF_DEPARTMENT if with_department else Role.PROGRAMME_LEAD,
        "department": department if with_department else None,
        "academic_year": year if with_year else None,
    }
    RoleAssignment.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(**fields)
    assert RoleAssignment.objects.filter(staff=staff).count() == 1


def test_role_assignment_constraint_accepts_same_role_for_every_year_and_one_year(college, year):
    staff = StaffMemberFactory(institution=college)
    RoleAssignment.objects.create(staff=staff, institution=college, role=Role.PROGRAMME_LEAD)
    RoleAssignment.objects.create(
        staff=staff, institution=college, role=Role.PROGRAMME_LEAD, academic_year=year
    )
    assert RoleAssignment.objects.filter(staff=staff).count() == 2


def test_role_assignment_constraint_accepts_head_of_two_departments(college, department, other_department):
    staff = StaffMemberFactory(institution=college)
    RoleAssignmentFactory(staff=staff, role=Role.HEAD_OF_DEPARTMENT, department=department)
    RoleAssignmentFactory(staff=staff, role=Role.HEAD_OF_DEPARTMENT, department=other_department)
    assert RoleAssignment.objects.filter(staff=staff).count() == 2


# StaffMember


def test_staff_member_clean_refuses_own_line_manager(college):
    staff = StaffMemberFactory(institution=college)
    staff.line_manager = staff
    assert clean_errors(staff) == {"line_manager": ["A member of staff cannot be their own line manager"]}


def test_staff_member_clean_refuses_department_of_another_institution(college):
    staff = StaffMemberFactory(institution=college, department=None)
    staff.department = DepartmentFactory(institution=InstitutionFactory(name="Elsewhere"))
    assert clean_errors(staff) == {"department": ["Select a department of the same institution"]}


def test_staff_member_clean_accepts_department_and_manager_of_own_institution(
    teacher, line_manager, department
):
    assert teacher.line_manager == line_manager
    assert teacher.department == department
    teacher.clean()


def test_staff_member_email_unique_ignoring_case(college):
    StaffMemberFactory(institution=college, email="Jo.Bloggs@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        StaffMemberFactory(institution=college, email="jo.bloggs@EXAMPLE.org")
    assert StaffMember.objects.filter(email__iexact="jo.bloggs@example.org").count() == 1


def test_staff_member_email_unique_across_institutions(college):
    StaffMemberFactory(institution=college, email="jo@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        StaffMemberFactory(institution=InstitutionFactory(name="Elsewhere"), email="JO@example.org")


def test_user_email_unique_ignoring_case(db):
    UserFactory(email="Jo.Bloggs@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(email="JO.BLOGGS@example.org")
    assert User.objects.filter(email__iexact="jo.bloggs@example.org").count() == 1


def test_user_email_blank_allowed_for_several_users(db):
    UserFactory(email="")
    UserFactory(email="")
    assert User.objects.filter(email="").count() == 2


# CaseloadDepartment


def test_caseload_department_one_tutor_a_department_a_year(tutor, year, department, college):
    second = CaseloadFactory(
        tutor=StaffMemberFactory(institution=college, department=None), academic_year=year
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseloadDepartment.objects.create(caseload=second, department=department, academic_year=year)
    assert list(
        CaseloadDepartment.objects.filter(department=department).values_list("caseload__tutor", flat=True)
    ) == [tutor.pk]


def test_caseload_department_same_department_in_another_year(tutor, year, department, college):
    next_year = AcademicYearFactory(
        institution=college,
        name="Next",
        starts_on=year.starts_on.replace(year=year.starts_on.year + 1),
        ends_on=year.ends_on.replace(year=year.ends_on.year + 1),
    )
    other = StaffMemberFactory(institution=college, department=None)
    CaseloadFactory(tutor=other, academic_year=next_year, departments=[department])
    assert sorted(
        CaseloadDepartment.objects.filter(department=department).values_list("academic_year__name", flat=True)
    ) == sorted([year.name, "Next"])
