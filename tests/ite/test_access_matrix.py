"""ITE and induction: persona x URL, and persona x registered model (issue 8, DESIGN.md section 2).

The trainee and early-career row of the confidentiality table: a trainee's record is for the trainee,
their mentor, the ITE tutor (the professional tutor for ITE and induction), the induction tutor where
there is one, and the programme lead. Never the head of department, other teachers or the administrator.

Each area of the app describes its routes in tests/ite/matrix_<area>.py (ROUTES, POST_ALLOWED,
SENTINEL_VISIBLE and build(world), which writes that area's records, with the sentinel in their
confidential text). This file merges them, fails for an ite URL that no area lists, and checks every
registered ite model's scope against the reader set of its family.
"""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from protutor.core import permissions as registry
from tests.ite.conftest import ITE_PERSONAS
from tests.test_confidentiality_matrix import project_url_names

AREAS = ["placements", "mentoring", "assessment", "timetable", "pdp", "induction"]
MODULES = [importlib.import_module(f"tests.ite.matrix_{area}") for area in AREAS]
ROUTES = {name: entry for module in MODULES for name, entry in module.ROUTES.items()}
POST_ALLOWED = {name: entry for module in MODULES for name, entry in module.POST_ALLOWED.items()}
SENTINEL_VISIBLE = {name: entry for module in MODULES for name, entry in module.SENTINEL_VISIBLE.items()}
SENTINEL = "ite-sentinel-6a1f"


class World:
    def __init__(self, request):
        for name in [
            *ITE_PERSONAS,
            "ect_mentor",
            "intern_record",
            "ect_record",
            "provider",
            "programme",
            "year",
        ]:
            setattr(self, name, request.getfixturevalue(name))
        self.college = request.getfixturevalue("college")
        self.department = request.getfixturevalue("department")
        self.standards = request.getfixturevalue("standards")
        self.sentinel = SENTINEL
        for module in MODULES:
            module.build(self)


@pytest.fixture
def world(request, db):
    return World(request)


def test_every_ite_url_is_in_the_matrix():
    names = {name for name in project_url_names() if name.startswith("ite:")}
    assert sorted(names - set(ROUTES)) == []
    assert sorted(set(ROUTES) - names) == []


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_ite_matrix(client, world, name):
    """Every persona against one route; the world is built once per route, so the matrix stays fast."""
    args_of, allowed_get = ROUTES[name]
    url = reverse(name, args=args_of(world))
    for persona in ITE_PERSONAS:
        client.force_login(getattr(world, persona).user)
        if allowed_get is None:
            assert client.get(url).status_code == 405, f"{persona} GET {name}"
            if persona not in POST_ALLOWED[name]:
                response = client.post(url, {"action": "judge"})
                assert response.status_code == 404, f"{persona} POST {name}"
                assert SENTINEL not in response.content.decode()
            continue
        response = client.get(url)
        expected = 200 if persona in allowed_get else 404
        assert response.status_code == expected, f"{persona} GET {name}"
        body = response.content.decode(errors="replace")  # the provider's record is a PDF
        if expected == 404:
            assert SENTINEL not in body, f"{persona} {name}"
        if name in SENTINEL_VISIBLE:
            assert (SENTINEL in body) == (persona in SENTINEL_VISIBLE[name]), f"{persona} {name}"


def test_provider_record_csv_holds_the_confidential_text_only_for_its_readers(client, world):
    readers = {"intern", "ite_tutor", "programme_lead"}
    for persona in ITE_PERSONAS:
        client.force_login(getattr(world, persona).user)
        response = client.get(reverse("ite:intern-export", args=[world.intern_record.pk]), {"format": "csv"})
        assert response.status_code == (200 if persona in readers else 404), persona
        assert (SENTINEL in response.content.decode()) == (persona in readers), persona


def test_ite_matrix_anonymous_is_sent_to_sign_in(client, world):
    for name, (args_of, _) in sorted(ROUTES.items()):
        response = client.get(reverse(name, args=args_of(world)))
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("account_login")), name


# Who may read each family of records (DESIGN.md section 2). `ect_mentor` is the ECT's mentor, not a
# matrix persona; `colleague` has a new-staff checklist with the induction tutor.
INTERN_FAMILY = {"intern", "mentor", "ite_tutor", "programme_lead"}
ECT_FAMILY = {"ect", "ect_mentor", "induction_tutor", "ite_tutor", "programme_lead"}
CHECKLIST_FAMILY = {"colleague", "induction_tutor", "ite_tutor", "programme_lead"}
MENTOR_FAMILY = {"mentor", "ite_tutor", "programme_lead"}
INSTITUTION = {*ITE_PERSONAS, "ect_mentor"}
OVERSEERS = {"ite_tutor", "programme_lead"}
FAMILIES = {
    "Provider": INSTITUTION,
    "Programme": INSTITUTION,
    "ReferencePoint": INSTITUTION,
    "Descriptor": INSTITUTION,
    "TeachingGroup": INSTITUTION,
    "PdpTopic": INSTITUTION,
    "PdpSession": INSTITUTION,
    "DepartmentCapacity": OVERSEERS | {"hod"},
    "TimetableRun": OVERSEERS,
    "ChecklistTemplate": OVERSEERS,
    "Intern": INTERN_FAMILY,
    "Placement": INTERN_FAMILY,
    "MentorMeeting": INTERN_FAMILY,
    "Judgement": INTERN_FAMILY,
    "HistoricalJudgement": INTERN_FAMILY,
    "ReferencePointReview": INTERN_FAMILY,
    "HistoricalReferencePointReview": INTERN_FAMILY,
    "CauseForConcern": INTERN_FAMILY,
    "HistoricalCauseForConcern": INTERN_FAMILY,
    "TimetableRule": INTERN_FAMILY,
    "TimetableAllocation": INTERN_FAMILY,
    "MentorTraining": MENTOR_FAMILY,
    "MentorReview": MENTOR_FAMILY,
    "PdpAttendance": INTERN_FAMILY,
    "EctInduction": ECT_FAMILY,
    "HistoricalEctInduction": ECT_FAMILY,
    "ReducedTimetable": ECT_FAMILY,
    "InductionEvent": ECT_FAMILY,
    "InductionEvidence": ECT_FAMILY,
    "StaffInduction": CHECKLIST_FAMILY,
    "ChecklistItem": CHECKLIST_FAMILY,
}


def ite_models():
    return [m for m in apps.get_app_config("ite").get_models()]


def test_every_ite_model_has_a_family():
    assert sorted(m.__name__ for m in ite_models() if m.__name__ not in FAMILIES) == []


def test_scope_readers_match_the_family(world):
    """Each model's rows in the world are read by exactly its family."""
    for model_name in sorted(FAMILIES):
        _check_family(world, model_name)


def _check_family(world, model_name):
    model = apps.get_model("ite", model_name)
    rows = list(_rows_about_the_personas(model, world))
    assert rows, f"the world has no {model_name}: add one in a matrix_<area>.build"
    personas = [*ITE_PERSONAS, "ect_mentor"]
    for row in rows:
        readers = {
            persona
            for persona in personas
            if registry.readable_by(model, getattr(world, persona).user).filter(pk=row.pk).exists()
        }
        family = FAMILIES[model_name]
        if model_name == "PdpAttendance":
            # The attendee, the overseers, and whoever may read the attendee's trainee record.
            family = {"ite_tutor", "programme_lead"} | _people_with_record_of(world, row.staff)
        assert readers == family, f"{model_name} {row.pk}"


def _rows_about_the_personas(model, world):
    """The rows about the world's intern (not the other mentor's intern) and its department."""
    rows = model._default_manager.all()
    fields = {f.name for f in model._meta.get_fields()}
    if model.__name__ == "Intern":
        return rows.filter(pk=world.intern_record.pk)
    if "intern" in fields:
        return rows.filter(intern=world.intern_record.pk)
    if model.__name__ == "HistoricalIntern":
        return rows.filter(id=world.intern_record.pk)
    if model.__name__ == "DepartmentCapacity":
        return rows.filter(department=world.department)
    if "mentor" in fields and model.__name__ == "MentorTraining":
        return rows.filter(mentor=world.mentor)
    return rows


def _people_with_record_of(world, staff):
    if staff == world.intern:
        return {"intern", "mentor"}
    if staff == world.ect:
        return {"ect", "ect_mentor", "induction_tutor"}
    return {persona for persona in [*ITE_PERSONAS, "ect_mentor"] if getattr(world, persona) == staff}


@pytest.mark.parametrize(
    "model_name", ["intern", "mentormeeting", "judgement", "causeforconcern", "ectinduction"]
)
def test_the_admin_never_shows_trainee_records(client, world, model_name):
    """Not even to a superuser: the admin is for configuration, and registers no ITE model."""
    world.admin.user.is_staff = world.admin.user.is_superuser = True
    world.admin.user.save()
    client.force_login(world.admin.user)
    response = client.get(f"/admin/ite/{model_name}/")
    assert response.status_code == 404
    assert SENTINEL not in response.content.decode()
