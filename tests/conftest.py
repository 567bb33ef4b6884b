"""Role personas shared by every test (STYLE.md section 7): one college, one department with a teacher,
their line manager and head of department, a tutor whose caseload holds that department, a tutor with
another department, the programme lead, the safeguarding lead, an administrator and an outsider from
another institution."""

import os
from pathlib import Path

import pytest

from protutor.people.models import Role
from tests.factories.people import (
    AcademicYearFactory,
    CaseloadFactory,
    DepartmentFactory,
    InstitutionFactory,
    RoleAssignmentFactory,
    StaffMemberFactory,
)

# Every persona fixture below, in the order the access tables list them.
PERSONAS = [
    "teacher",
    "colleague",
    "line_manager",
    "hod",
    "tutor",
    "other_tutor",
    "programme_lead",
    "dsl",
    "admin",
    "outsider",
]

# Sync Playwright runs an event loop in the main thread; Django would otherwise refuse ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CI = os.environ.get("CI", "").lower() == "true"


def pytest_collection_modifyitems(config, items):
    """Browser tests need Debian's Chromium. Locally they skip with a clear message; under CI=true a
    missing browser fails the run instead."""
    if Path(CHROMIUM).exists():
        return
    browser_items = [item for item in items if "browser" in item.keywords]
    if not browser_items:
        return
    if CI:
        raise pytest.UsageError(
            f"CI=true but there is no Chromium at {CHROMIUM}: apt-get install -y chromium"
        )
    skip = pytest.mark.skip(
        reason=f"no Chromium at {CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)"
    )
    for item in browser_items:
        item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Drive Debian's Chromium; Playwright's own browser download is not available here."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--headless=new",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def college(db):
    return InstitutionFactory(name="Runshaw Test College")


@pytest.fixture
def year(college):
    return AcademicYearFactory(institution=college)


@pytest.fixture
def department(college):
    return DepartmentFactory(institution=college, name="Mathematics")


@pytest.fixture
def other_department(college):
    return DepartmentFactory(institution=college, name="Art and Design")


@pytest.fixture
def line_manager(college, department):
    return StaffMemberFactory(
        institution=college,
        department=department,
        forename="Lena",
        surname="Manager",
        user__username="line_manager",
    )


@pytest.fixture
def teacher(college, department, line_manager):
    return StaffMemberFactory(
        institution=college,
        department=department,
        line_manager=line_manager,
        forename="Tess",
        surname="Teacher",
        user__username="teacher",
    )


@pytest.fixture
def colleague(college, department):
    """Another teacher in the same department, with no relation to `teacher`."""
    return StaffMemberFactory(
        institution=college,
        department=department,
        forename="Colin",
        surname="Colleague",
        user__username="colleague",
    )


@pytest.fixture
def hod(college, department):
    staff = StaffMemberFactory(
        institution=college, department=department, forename="Hari", surname="Head", user__username="hod"
    )
    RoleAssignmentFactory(staff=staff, role=Role.HEAD_OF_DEPARTMENT, department=department)
    return staff


@pytest.fixture
def tutor(college, year, department):
    staff = StaffMemberFactory(
        institution=college, department=None, forename="Tamsin", surname="Tutor", user__username="tutor"
    )
    CaseloadFactory(tutor=staff, academic_year=year, departments=[department])
    return staff


@pytest.fixture
def other_tutor(college, year, other_department):
    staff = StaffMemberFactory(
        institution=college,
        department=None,
        forename="Otto",
        surname="Othertutor",
        user__username="other_tutor",
    )
    CaseloadFactory(tutor=staff, academic_year=year, departments=[other_department])
    return staff


@pytest.fixture
def programme_lead(college):
    staff = StaffMemberFactory(
        institution=college,
        department=None,
        forename="Priya",
        surname="Lead",
        user__username="programme_lead",
    )
    RoleAssignmentFactory(staff=staff, role=Role.PROGRAMME_LEAD)
    return staff


@pytest.fixture
def dsl(college):
    staff = StaffMemberFactory(
        institution=college, department=None, forename="Dee", surname="Safeguard", user__username="dsl"
    )
    RoleAssignmentFactory(staff=staff, role=Role.SAFEGUARDING_LEAD)
    return staff


@pytest.fixture
def admin(college):
    staff = StaffMemberFactory(
        institution=college, department=None, forename="Ada", surname="Admin", user__username="admin"
    )
    RoleAssignmentFactory(staff=staff, role=Role.ADMINISTRATOR)
    return staff


@pytest.fixture
def outsider(db):
    return StaffMemberFactory(
        institution=InstitutionFactory(name="Another School"),
        department=None,
        forename="Olly",
        surname="Outsider",
        user__username="outsider",
    )


@pytest.fixture
def client_for(client):
    """Sign a persona in: `client_for(teacher)` returns the test client as that person."""

    def sign_in(staff):
        client.force_login(staff.user)
        return client

    return sign_in


@pytest.fixture
def standards(db):
    """The shipped frameworks. A migration loads them, but transactional (browser) tests flush tables."""
    from protutor.observations.frameworks import load_builtin_frameworks
    from protutor.observations.models import Framework, Standard

    load_builtin_frameworks(Framework, Standard)
    return Standard.objects.all()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate limits count in the cache: each test starts with none of another test's requests."""
    from django.core.cache import cache

    cache.clear()
    yield


def ensure_shipped_frameworks() -> None:
    from protutor.observations.frameworks import FRAMEWORKS, load_builtin_frameworks
    from protutor.observations.models import Framework, Standard

    if Framework.objects.filter(institution=None).count() < len(FRAMEWORKS):
        load_builtin_frameworks(Framework, Standard)


@pytest.fixture(autouse=True)
def _shipped_frameworks(request, django_db_blocker):
    """A transactional test (browser journeys, subprocess tests) ends by emptying every table, which takes
    the frameworks a migration ships with it: a test that uses the database finds them there again."""
    uses_db = request.node.get_closest_marker("django_db") is not None or bool(
        {"db", "transactional_db", "live_server"} & set(request.fixturenames)
    )
    if uses_db:
        with django_db_blocker.unblock():
            ensure_shipped_frameworks()
    yield
