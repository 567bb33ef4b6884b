"""Role x URL: who gets the page and who gets a 404 (DESIGN.md section 2, STYLE.md section 7).

Every URL the project defines must appear in MATRIX, so a new page cannot ship without a decision about
who may open it. Denied responses must not contain the sentinel written into the record they ask for.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from protutor.people.models import StaffImport

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
EVERYONE = set(PERSONAS)
SENTINEL = "sentinel-7f3a"


class World:
    def __init__(self, request):
        for name in PERSONAS:
            setattr(self, name, request.getfixturevalue(name))
        self.department = request.getfixturevalue("department")
        self.year = request.getfixturevalue("year")
        self.teacher.job_title = f"Lecturer {SENTINEL}"
        self.teacher.save()
        self.caseload = self.tutor.caseloads.get()
        self.hod_role = self.hod.role_assignments.get()
        self.staff_import = StaffImport.objects.create(
            institution=self.admin.institution,
            uploaded_by=self.admin.user,
            file_name=f"{SENTINEL}.csv",
            content="staff code,forename,surname,email\n",
            summary={"counts": {}, "rows": []},
        )


# name -> (arguments from the world, who may GET it; None = POST only, denied roles must get 404 on POST)
MATRIX = {
    "home": (lambda w: [], EVERYONE),
    "people:staff-list": (lambda w: [], EVERYONE),
    "people:staff-detail": (
        lambda w: [w.teacher.pk],
        {"teacher", "line_manager", "hod", "tutor", "programme_lead", "admin"},
    ),
    "people:role-add": (lambda w: [w.teacher.pk], {"admin"}),
    "people:role-remove": (lambda w: [w.hod.pk, w.hod_role.pk], None),
    "people:account-status": (lambda w: [w.teacher.pk], None),
    "people:department-detail": (lambda w: [w.department.pk], {"hod", "tutor", "programme_lead", "admin"}),
    "people:year-list": (lambda w: [], {"programme_lead"}),
    "people:year-create": (lambda w: [], {"programme_lead"}),
    "people:year-edit": (lambda w: [w.year.pk], {"programme_lead"}),
    "people:caseload-list": (lambda w: [], {"tutor", "other_tutor", "programme_lead"}),
    "people:caseload-create": (lambda w: [], {"programme_lead"}),
    "people:caseload-edit": (lambda w: [w.caseload.pk], {"programme_lead"}),
    "people:import-start": (lambda w: [], {"admin"}),
    "people:import-preview": (lambda w: [w.staff_import.pk], {"admin"}),
    "people:import-apply": (lambda w: [w.staff_import.pk], None),
}
POST_ALLOWED = {
    "people:role-remove": {"admin"},
    "people:account-status": {"admin"},
    "people:import-apply": {"admin"},
}
# Third-party routes with their own tests: allauth's sign-in pages and the configuration admin.
EXTERNAL_PREFIXES = ("accounts/", "admin/")


def project_url_names(patterns=None, prefix="", namespace=""):
    names = []
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(entry.pattern)
        if route.startswith(EXTERNAL_PREFIXES):
            continue
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names += project_url_names(entry.url_patterns, route, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            names.append(namespace + entry.name)
    return names


def test_every_project_url_is_in_the_matrix():
    assert sorted(set(project_url_names()) - set(MATRIX)) == []


@pytest.fixture
def world(request, db):
    return World(request)


@pytest.mark.parametrize("name", sorted(MATRIX))
@pytest.mark.parametrize("persona", PERSONAS)
def test_matrix(client, world, name, persona):
    args_of, allowed_get = MATRIX[name]
    url = reverse(name, args=args_of(world))
    client.force_login(getattr(world, persona).user)
    if allowed_get is None:
        assert client.get(url).status_code == 405
        if persona not in POST_ALLOWED[name]:
            response = client.post(url, {"active": "no"})
            assert response.status_code == 404
            assert SENTINEL not in response.content.decode()
        return
    response = client.get(url)
    expected = 200 if persona in allowed_get else 404
    assert response.status_code == expected, f"{persona} GET {name}"
    if expected == 404:
        assert SENTINEL not in response.content.decode()


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_matrix_anonymous_is_sent_to_sign_in(client, world, name):
    args_of, _ = MATRIX[name]
    response = client.get(reverse(name, args=args_of(world)))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
