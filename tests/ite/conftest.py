"""ITE personas (issue 8's access matrix): an intern with their mentor, another mentor with their own
intern, the professional tutor for ITE and induction, an early-career teacher with their induction tutor
and mentor, and, from the root conftest, the programme lead, a head of department, another teacher
(`colleague`) and the administrator. The intern and their mentor are in the head's department."""

import pytest

from protutor.people.models import Role
from tests.factories.ite import (
    EctInductionFactory,
    InternFactory,
    PlacementFactory,
    ProgrammeFactory,
    ProviderFactory,
    ReferencePointFactory,
)
from tests.factories.people import RoleAssignmentFactory, StaffMemberFactory

ITE_PERSONAS = [
    "intern",
    "mentor",
    "other_mentor",
    "ite_tutor",
    "induction_tutor",
    "ect",
    "programme_lead",
    "hod",
    "colleague",
    "admin",
]


@pytest.fixture
def ite_tutor(college, year):
    staff = StaffMemberFactory(
        institution=college, department=None, forename="Ivy", surname="Itetutor", user__username="ite_tutor"
    )
    RoleAssignmentFactory(staff=staff, role=Role.ITE_TUTOR)
    return staff


@pytest.fixture
def provider(college):
    return ProviderFactory(institution=college, name="University of Oxford", link_tutor_name="Gail General")


@pytest.fixture
def programme(provider, year, standards):
    return ProgrammeFactory(provider=provider, academic_year=year, name="Secondary PGCE")


@pytest.fixture
def reference_point(programme):
    return ReferencePointFactory(programme=programme, number=1, name="Assessment Reference Point 1")


@pytest.fixture
def mentor(college, department):
    return StaffMemberFactory(
        institution=college, department=department, forename="Mina", surname="Mentor", user__username="mentor"
    )


@pytest.fixture
def intern_record(programme, department, mentor):
    record = InternFactory(
        programme=programme,
        department=department,
        mentor=mentor,
        subject="Mathematics",
        staff__forename="Ines",
        staff__surname="Intern",
        staff__user__username="intern",
        staff__department=department,
    )
    PlacementFactory(intern=record)
    return record


@pytest.fixture
def intern(intern_record):
    return intern_record.staff


@pytest.fixture
def other_mentor(college, other_department, programme):
    staff = StaffMemberFactory(
        institution=college,
        department=other_department,
        forename="Omar",
        surname="Othermentor",
        user__username="other_mentor",
    )
    record = InternFactory(
        programme=programme,
        department=other_department,
        mentor=staff,
        subject="Art",
        staff__forename="Ari",
        staff__surname="Artintern",
        staff__user__username="other_intern",
        staff__department=other_department,
    )
    PlacementFactory(intern=record)
    return staff


@pytest.fixture
def induction_tutor(college):
    return StaffMemberFactory(
        institution=college,
        department=None,
        forename="Ida",
        surname="Inductiontutor",
        user__username="induction_tutor",
    )


@pytest.fixture
def ect_mentor(college, department):
    return StaffMemberFactory(
        institution=college,
        department=department,
        forename="Esme",
        surname="Ectmentor",
        user__username="ect_mentor",
    )


@pytest.fixture
def ect_record(college, department, induction_tutor, ect_mentor):
    staff = StaffMemberFactory(
        institution=college,
        department=department,
        forename="Evan",
        surname="Earlycareer",
        user__username="ect",
    )
    return EctInductionFactory(staff=staff, induction_tutor=induction_tutor, mentor=ect_mentor)


@pytest.fixture
def ect(ect_record):
    return ect_record.staff


@pytest.fixture
def newcomer(college, department):
    """A new member of staff, for induction checklists."""
    return StaffMemberFactory(
        institution=college,
        department=department,
        forename="Nell",
        surname="Newstarter",
        user__username="newcomer",
    )
