"""Role x record: who reads which people records (DESIGN.md sections 1 and 2, STYLE.md section 7).

Every scope is compared with the exact set each persona should read, and every registered scope is checked
against its object predicate both ways, for every persona and every row.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from protutor.audit import services as audit
from protutor.core import permissions as registry
from protutor.people import permissions
from protutor.people.models import Role, RoleAssignment, StaffImport, StaffMember
from tests.conftest import PERSONAS
from tests.factories.people import (
    AcademicYearFactory,
    CampusFactory,
    CaseloadFactory,
    DepartmentFactory,
    RoleAssignmentFactory,
    StaffMemberFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# Beyond the shared personas: a teacher in the other department, and a tutor at the outsider's school.
EXTRA = ["artist", "far_tutor"]
EVERYONE = [*PERSONAS, *EXTRA]
READERS = [*EVERYONE, "anonymous"]

MATHS_STAFF = {"teacher", "colleague", "line_manager", "hod"}
COLLEGE_STAFF = MATHS_STAFF | {"tutor", "other_tutor", "programme_lead", "dsl", "admin", "artist"}


class Universe:
    """Every persona, and a row of every people model on each side of each rule."""

    def __init__(self, request):
        self.staff = {name: request.getfixturevalue(name) for name in PERSONAS}
        self.college = request.getfixturevalue("college")
        self.year = request.getfixturevalue("year")
        self.departments = {
            "maths": request.getfixturevalue("department"),
            "art": request.getfixturevalue("other_department"),
        }
        self.staff["artist"] = StaffMemberFactory(
            institution=self.college,
            department=self.departments["art"],
            forename="Arti",
            surname="Artist",
            user__username="artist",
        )
        school = self.staff["outsider"].institution
        self.far_year = AcademicYearFactory(institution=school)
        self.departments["far"] = DepartmentFactory(institution=school, name="Far department")
        CampusFactory(institution=self.college, name="North")
        self.staff["far_tutor"] = StaffMemberFactory(
            institution=school,
            department=None,
            forename="Fern",
            surname="Fartutor",
            user__username="far_tutor",
        )
        CaseloadFactory(
            tutor=self.staff["far_tutor"], academic_year=self.far_year, departments=[self.departments["far"]]
        )
        self.imports = {
            "college": StaffImport.objects.create(
                institution=self.college,
                uploaded_by=self.staff["admin"].user,
                file_name="college.csv",
                content="",
            ),
            "far": StaffImport.objects.create(institution=school, file_name="far.csv", content=""),
        }
        from allauth.socialaccount.models import SocialApp

        from protutor.people import services as people_services
        from protutor.people import sso
        from protutor.people.models import SignInPolicy, SsoProvider

        people_services.set_sign_in_policy(
            actor=self.staff["admin"].user, institution=self.college, mfa_required_roles=["programme_lead"]
        )
        SignInPolicy.objects.create(institution=school)
        sso.add_provider(
            actor=self.staff["admin"].user,
            institution=self.college,
            kind="google",
            name="",
            client_id="college",
            secret="s",
            domain="college.example",
        )
        far_app = SocialApp.objects.create(
            provider="openid_connect", provider_id="far", name="Far", client_id="far"
        )
        SsoProvider.objects.create(institution=school, kind="oidc", app=far_app)
        audit.record(actor=self.staff["admin"].user, action="test.admin_did", target=self.staff["teacher"])
        audit.record(actor=self.staff["programme_lead"].user, action="test.lead_did", target=self.year)
        audit.log_access(
            reader=self.staff["tutor"].user, subject=self.staff["teacher"], record=self.staff["teacher"]
        )

    def user(self, name):
        return AnonymousUser() if name == "anonymous" else self.staff[name].user

    def staff_names(self, queryset) -> set[str]:
        by_pk = {s.pk: name for name, s in self.staff.items()}
        return {by_pk[pk] for pk in queryset.values_list("pk", flat=True)}


@pytest.fixture
def universe(request, db):
    return Universe(request)


def scope_names(queryset, labels: dict) -> set[str]:
    by_pk = {obj.pk: name for name, obj in labels.items()}
    return {by_pk[pk] for pk in queryset.values_list("pk", flat=True)}


# staff_readable_by

STAFF_READABLE = {
    "teacher": {"teacher"},
    "colleague": {"colleague"},
    "line_manager": {"line_manager", "teacher"},
    "hod": MATHS_STAFF,
    "tutor": MATHS_STAFF | {"tutor"},
    "other_tutor": {"other_tutor", "artist"},
    "programme_lead": COLLEGE_STAFF,
    "admin": COLLEGE_STAFF,
    "dsl": {"dsl"},
    "artist": {"artist"},
    "outsider": {"outsider"},
    "far_tutor": {"far_tutor"},
    "anonymous": set(),
}


@pytest.mark.parametrize("reader", READERS)
def test_staff_readable_by(universe, reader):
    readable = permissions.staff_readable_by(universe.user(reader))
    assert universe.staff_names(readable) == STAFF_READABLE[reader]


# departments_readable_by

DEPARTMENTS_READABLE = {
    "teacher": set(),
    "colleague": set(),
    "line_manager": set(),
    "hod": {"maths"},
    "tutor": {"maths"},
    "other_tutor": {"art"},
    "programme_lead": {"maths", "art"},
    "admin": {"maths", "art"},
    "dsl": set(),
    "artist": set(),
    "outsider": set(),
    "far_tutor": {"far"},
    "anonymous": set(),
}


@pytest.mark.parametrize("reader", READERS)
def test_departments_readable_by(universe, reader):
    readable = permissions.departments_readable_by(universe.user(reader))
    assert scope_names(readable, universe.departments) == DEPARTMENTS_READABLE[reader]


# caseloads_readable_by (named by their tutor)

CASELOADS_READABLE = {
    "tutor": {"tutor"},
    "other_tutor": {"other_tutor"},
    "far_tutor": {"far_tutor"},
    "programme_lead": {"tutor", "other_tutor"},
}


@pytest.mark.parametrize("reader", READERS)
def test_caseloads_readable_by(universe, reader):
    readable = permissions.caseloads_readable_by(universe.user(reader))
    assert readable.count() == len(CASELOADS_READABLE.get(reader, ()))
    tutors = StaffMember.objects.filter(pk__in=readable.values("tutor"))
    assert universe.staff_names(tutors) == CASELOADS_READABLE.get(reader, set())


# caseload_links_readable_by: which tutor serves which department (named by department). A department's
# own staff know who its tutor is; so does whoever may open the department's page; the caseload behind it
# (hours, other departments) stays with caseloads_readable_by.

LINKS_READABLE = {
    "teacher": {"maths"},
    "colleague": {"maths"},
    "line_manager": {"maths"},
    "hod": {"maths"},
    "tutor": {"maths"},
    "other_tutor": {"art"},
    "programme_lead": {"maths", "art"},
    "admin": {"maths", "art"},
    "artist": {"art"},
    "far_tutor": {"far"},
}


@pytest.mark.parametrize("reader", READERS)
def test_caseload_links_readable_by(universe, reader):
    from protutor.people.models import CaseloadDepartment

    user = universe.user(reader)
    names = {department.pk: name for name, department in universe.departments.items()}
    for readable in (
        permissions.caseload_links_readable_by(user),
        registry.readable_by(CaseloadDepartment, user),
    ):
        found = [names[pk] for pk in readable.values_list("department", flat=True)]
        assert sorted(found) == sorted(LINKS_READABLE.get(reader, set()))


# users_readable_by (named by their staff record)


@pytest.mark.parametrize("reader", READERS)
def test_users_readable_by(universe, reader):
    readable = permissions.users_readable_by(universe.user(reader))
    by_user = {s.user_id: name for name, s in universe.staff.items()}
    expected = COLLEGE_STAFF if reader == "admin" else ({reader} - {"anonymous"})
    assert {by_user[pk] for pk in readable.values_list("pk", flat=True)} == expected


# academic_years_readable_by


@pytest.mark.parametrize("reader", READERS)
def test_academic_years_readable_by(universe, reader):
    readable = permissions.academic_years_readable_by(universe.user(reader))
    years = {"college": universe.year, "far": universe.far_year}
    if reader == "anonymous":
        expected = set()
    elif reader in COLLEGE_STAFF:
        expected = {"college"}
    else:
        expected = {"far"}
    assert scope_names(readable, years) == expected


# staff_imports_readable_by


@pytest.mark.parametrize("reader", READERS)
def test_staff_imports_readable_by(universe, reader):
    readable = permissions.staff_imports_readable_by(universe.user(reader))
    assert scope_names(readable, universe.imports) == ({"college"} if reader == "admin" else set())


def test_staff_imports_readable_by_administrator_of_each_institution(universe):
    far_admin = StaffMemberFactory(institution=universe.staff["outsider"].institution, department=None)
    RoleAssignmentFactory(staff=far_admin, role=Role.ADMINISTRATOR)
    readable = permissions.staff_imports_readable_by(far_admin.user)
    assert scope_names(readable, universe.imports) == {"far"}


# role_assignments_readable_by (named by the holder)

ROLE_HOLDERS = {"hod", "programme_lead", "dsl", "admin"}


@pytest.mark.parametrize("reader", READERS)
def test_role_assignments_readable_by(universe, reader):
    readable = permissions.role_assignments_readable_by(universe.user(reader))
    holders = StaffMember.objects.filter(pk__in=readable.values("staff"))
    assert readable.count() == len(STAFF_READABLE[reader] & ROLE_HOLDERS)
    assert universe.staff_names(holders) == STAFF_READABLE[reader] & ROLE_HOLDERS


# Every registered scope agrees with its object predicate, both ways.

# The people and audit models; each other app checks its own models against its own universe of rows.
REGISTERED = {
    entry.model._meta.label: entry
    for entry in registry.registrations()
    if entry.model._meta.app_label in {"people", "audit"}
}


@pytest.mark.parametrize("label", sorted(REGISTERED))
def test_can_read_agrees_with_scope(universe, label):
    entry = REGISTERED[label]
    rows = list(entry.model._default_manager.all())
    assert rows, f"the universe has no {label} row, so this check would prove nothing"
    for reader in READERS:
        user = universe.user(reader)
        in_scope = set(registry.readable_by(entry.model, user).values_list("pk", flat=True))
        assert in_scope <= {row.pk for row in rows}
        predicate = {row.pk for row in rows if registry.can_read(user, row)}
        assert predicate == in_scope, f"{reader} on {label}"


@pytest.mark.parametrize("label", sorted(label for label, entry in REGISTERED.items() if entry.is_public))
def test_public_models_readable_when_signed_in_only(universe, label):
    model = REGISTERED[label].model
    everything = set(model._default_manager.values_list("pk", flat=True))
    assert (
        set(registry.readable_by(model, universe.user("teacher")).values_list("pk", flat=True)) == everything
    )
    assert list(registry.readable_by(model, AnonymousUser())) == []


# Time: only this academic year's caseload and roles count.


@pytest.fixture
def last_year(college, year):
    return AcademicYearFactory(
        institution=college,
        name="Last year",
        starts_on=year.starts_on.replace(year=year.starts_on.year - 1),
        ends_on=year.ends_on.replace(year=year.ends_on.year - 1),
    )


def test_staff_readable_by_tutor_ignores_past_caseload(universe, last_year):
    tutor = universe.staff["tutor"]
    past = CaseloadFactory(tutor=tutor, academic_year=last_year, departments=[universe.departments["art"]])
    assert universe.staff_names(permissions.staff_readable_by(tutor.user)) == MATHS_STAFF | {"tutor"}
    assert scope_names(permissions.departments_readable_by(tutor.user), universe.departments) == {"maths"}
    assert set(permissions.caseloads_readable_by(tutor.user)) == {
        tutor.caseloads.get(academic_year=universe.year),
        past,
    }


def test_staff_readable_by_tutor_with_only_a_past_caseload_reads_themself(universe, last_year):
    former = StaffMemberFactory(institution=universe.college, department=None, user__username="former")
    universe.staff["former"] = former
    CaseloadFactory(tutor=former, academic_year=last_year, departments=[universe.departments["art"]])
    assert universe.staff_names(permissions.staff_readable_by(former.user)) == {"former"}


def test_role_assignment_in_force_excludes_past_year(universe, last_year):
    artist = universe.staff["artist"]
    past = RoleAssignmentFactory(
        staff=artist,
        role=Role.HEAD_OF_DEPARTMENT,
        department=universe.departments["art"],
        academic_year=last_year,
    )
    assert list(RoleAssignment.objects.filter(staff=artist).in_force()) == []
    assert list(RoleAssignment.objects.filter(staff=artist).in_force(last_year.starts_on)) == [past]
    assert universe.staff_names(permissions.staff_readable_by(artist.user)) == {"artist"}
    assert scope_names(permissions.departments_readable_by(artist.user), universe.departments) == set()


def test_role_assignment_in_force_includes_current_year_and_every_year(universe, last_year):
    artist = universe.staff["artist"]
    current = RoleAssignmentFactory(
        staff=artist,
        role=Role.HEAD_OF_DEPARTMENT,
        department=universe.departments["art"],
        academic_year=universe.year,
    )
    every_year = RoleAssignmentFactory(staff=artist, role=Role.SAFEGUARDING_LEAD)
    assert set(RoleAssignment.objects.filter(staff=artist).in_force()) == {current, every_year}
    assert set(RoleAssignment.objects.filter(staff=artist).in_force(last_year.starts_on)) == {every_year}
    assert scope_names(permissions.departments_readable_by(artist.user), universe.departments) == {"art"}


def test_programme_lead_for_past_year_only_leads_nothing(universe, last_year):
    former = StaffMemberFactory(institution=universe.college, department=None, user__username="former_lead")
    universe.staff["former_lead"] = former
    RoleAssignmentFactory(staff=former, role=Role.PROGRAMME_LEAD, academic_year=last_year)
    user = former.user
    assert universe.staff_names(permissions.staff_readable_by(user)) == {"former_lead"}
    assert list(permissions.caseloads_readable_by(user)) == []
    assert permissions.can_manage_years(user, universe.college) is False
    assert permissions.can_manage_caseloads(user, universe.college) is False


# Action predicates


def action_table(universe) -> dict[str, set[str]]:
    college, teacher = universe.college, universe.staff["teacher"]
    table: dict[str, set[str]] = {"years": set(), "caseloads": set(), "import": set(), "accounts": set()}
    for reader in READERS:
        user = universe.user(reader)
        if permissions.can_manage_years(user, college):
            table["years"].add(reader)
        if permissions.can_manage_caseloads(user, college):
            table["caseloads"].add(reader)
        if permissions.can_import_staff(user, college):
            table["import"].add(reader)
        if permissions.can_manage_accounts(user, teacher):
            table["accounts"].add(reader)
    return table


def test_action_predicates_by_role(universe):
    assert action_table(universe) == {
        "years": {"programme_lead"},
        "caseloads": {"programme_lead"},
        "import": {"admin"},
        "accounts": {"admin"},
    }


def test_action_predicates_stop_at_the_institution(universe):
    school = universe.staff["outsider"].institution
    lead, admin = universe.staff["programme_lead"].user, universe.staff["admin"].user
    assert permissions.can_manage_years(lead, school) is False
    assert permissions.can_manage_caseloads(lead, school) is False
    assert permissions.can_import_staff(admin, school) is False
    assert permissions.can_manage_accounts(admin, universe.staff["outsider"]) is False


# No superuser bypass


def test_superuser_without_roles_reads_only_themself(universe):
    user = UserFactory(username="root", is_superuser=True, is_staff=True)
    root = StaffMemberFactory(
        institution=universe.college, department=universe.departments["maths"], user=user
    )
    universe.staff["root"] = root
    assert universe.staff_names(permissions.staff_readable_by(user)) == {"root"}
    assert set(permissions.users_readable_by(user).values_list("pk", flat=True)) == {user.pk}
    assert list(permissions.departments_readable_by(user)) == []
    assert list(permissions.caseloads_readable_by(user)) == []
    assert list(permissions.staff_imports_readable_by(user)) == []
    assert list(permissions.role_assignments_readable_by(user)) == []
    assert list(registry.readable_by(StaffImport, user)) == []
    assert (
        permissions.can_manage_years(user, universe.college),
        permissions.can_import_staff(user, universe.college),
        permissions.can_manage_accounts(user, universe.staff["teacher"]),
    ) == (False, False, False)


def test_superuser_without_staff_record_reads_no_staff(universe):
    user = UserFactory(username="root", is_superuser=True, is_staff=True)
    assert list(permissions.staff_readable_by(user)) == []
    assert list(permissions.academic_years_readable_by(user)) == []
    assert set(permissions.users_readable_by(user).values_list("pk", flat=True)) == {user.pk}
