"""Role x record for observations (DESIGN.md section 2, rows "developmental observation", "formal
observation" and "aggregates").

Each scope is compared with the exact set of people who may read each record, among every persona, a
teacher in the other department, a superuser with no roles and an anonymous visitor.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from protutor.observations import permissions, services
from protutor.observations.frameworks import create_custom_framework
from protutor.observations.models import Framework, Observation
from tests.conftest import PERSONAS
from tests.factories.observations import FORMAL, development, observe, strength
from tests.factories.people import StaffMemberFactory, UserFactory

pytestmark = pytest.mark.django_db

PEOPLE = [*PERSONAS, "artist"]
READERS = [*PEOPLE, "superuser", "anonymous"]
FORMAL_KINDS = [Observation.Kind.FORMAL, Observation.Kind.LEARNING_WALK, Observation.Kind.DROP_IN]
FORMAL_READERS = {"hod", "teacher", "line_manager", "programme_lead"}


class World:
    def __init__(self, request):
        self.staff = {name: request.getfixturevalue(name) for name in PERSONAS}
        self.staff["artist"] = StaffMemberFactory(
            institution=request.getfixturevalue("college"),
            department=request.getfixturevalue("other_department"),
            forename="Arti",
            surname="Artist",
            user__username="artist",
        )
        self.users = {name: staff.user for name, staff in self.staff.items()}
        self.users["superuser"] = UserFactory(username="superuser", is_staff=True, is_superuser=True)
        self.users["anonymous"] = AnonymousUser()

    def observe(self, observer, observee, **kwargs) -> Observation:
        points = [strength("Clear routines", "TS 7"), development("Check understanding", "TS 6b")]
        return observe(self.staff[observer], self.staff[observee], points=points, **kwargs)

    def readers(self, scope, obj) -> set[str]:
        return {name for name in READERS if scope(self.users[name]).filter(pk=obj.pk).exists()}

    def any_point_readers(self, observation) -> set[str]:
        return {
            name
            for name in READERS
            if permissions.points_readable_by(self.users[name]).filter(observation=observation).exists()
        }

    def allowed(self, predicate, obj, names=PEOPLE) -> set[str]:
        return {name for name in names if predicate(self.users[name], obj)}


@pytest.fixture
def world(request):
    return World(request)


def readers_of(world, observation) -> tuple[set[str], set[str]]:
    """Who reads the observation, and who reads any of its points (always the same people)."""
    return (
        world.readers(permissions.observations_readable_by, observation),
        world.any_point_readers(observation),
    )


# observations_readable_by and points_readable_by


def test_readable_draft_developmental_observer_only(world):
    draft = world.observe("colleague", "teacher", shared=False)
    assert readers_of(world, draft) == ({"colleague"}, {"colleague"})


def test_readable_shared_developmental_observer_and_observee(world):
    shared = world.observe("colleague", "teacher")
    assert readers_of(world, shared) == ({"colleague", "teacher"}, {"colleague", "teacher"})


def test_readable_developmental_shared_with_tutor_then_unshared(world):
    shared = world.observe("colleague", "teacher")
    services.share_with_tutor(
        actor=world.users["teacher"], observation=shared, tutor=world.staff["other_tutor"]
    )
    with_tutor = {"colleague", "teacher", "other_tutor"}
    assert readers_of(world, shared) == (with_tutor, with_tutor)

    services.share_with_tutor(actor=world.users["teacher"], observation=shared, tutor=None)
    assert readers_of(world, shared) == ({"colleague", "teacher"}, {"colleague", "teacher"})


def test_readable_developmental_by_tutor_of_caseload_not_hod_or_lead(world):
    shared = world.observe("tutor", "teacher")
    assert readers_of(world, shared) == ({"tutor", "teacher"}, {"tutor", "teacher"})


@pytest.mark.parametrize("kind", FORMAL_KINDS)
def test_readable_draft_formal_observer_only(world, kind):
    draft = world.observe("hod", "teacher", kind=kind, shared=False)
    assert readers_of(world, draft) == ({"hod"}, {"hod"})


@pytest.mark.parametrize("kind", FORMAL_KINDS)
def test_readable_shared_formal_management_chain(world, kind):
    shared = world.observe("hod", "teacher", kind=kind)
    assert readers_of(world, shared) == (FORMAL_READERS, FORMAL_READERS)


def test_readable_formal_by_programme_lead_same_readers(world):
    shared = world.observe("programme_lead", "teacher", kind=FORMAL, outcome="effective")
    assert readers_of(world, shared) == (FORMAL_READERS, FORMAL_READERS)


def test_readable_formal_of_other_department_not_maths_head(world):
    shared = world.observe("programme_lead", "artist", kind=FORMAL)
    assert readers_of(world, shared) == ({"programme_lead", "artist"}, {"programme_lead", "artist"})


def test_readable_formal_with_tutor_field_set_still_not_tutor(world):
    """A formal observation cannot be shared with a tutor; even a tutor written straight into the row
    gains nothing."""
    shared = world.observe("hod", "teacher", kind=FORMAL)
    Observation.objects.filter(pk=shared.pk).update(shared_with_tutor=world.staff["tutor"])
    assert readers_of(world, shared) == (FORMAL_READERS, FORMAL_READERS)


def test_readable_acknowledged_same_as_shared(world):
    shared = world.observe("hod", "teacher", kind=FORMAL)
    services.respond_to_observation(
        actor=world.users["teacher"], observation=shared, response="Thanks", acknowledge=True
    )
    assert readers_of(world, shared) == (FORMAL_READERS, FORMAL_READERS)


# observations_countable_by: counted, never listed


def test_countable_by_scope_and_never_drafts(world):
    observations = {
        "maths developmental": world.observe("colleague", "teacher"),
        "maths formal": world.observe("hod", "teacher", kind=FORMAL),
        "maths draft": world.observe("line_manager", "teacher", kind=FORMAL, shared=False),
        "art developmental": world.observe("teacher", "artist"),
        "art draft": world.observe("programme_lead", "artist", shared=False),
    }
    countable = {
        name: {
            key
            for key, observation in observations.items()
            if permissions.observations_countable_by(world.users[name]).filter(pk=observation.pk).exists()
        }
        for name in READERS
    }
    maths = {"maths developmental", "maths formal"}
    assert countable == {
        "teacher": set(),
        "colleague": set(),
        "line_manager": set(),
        "hod": maths,
        "tutor": maths,
        "other_tutor": {"art developmental"},
        "programme_lead": {*maths, "art developmental"},
        "dsl": set(),
        "admin": set(),
        "outsider": set(),
        "artist": set(),
        "superuser": set(),
        "anonymous": set(),
    }


# Frameworks and standards


def test_frameworks_readable_builtin_and_own_institution(world):
    own = create_custom_framework(
        institution=world.staff["teacher"].institution, code="RTP", name="Priorities", lines=[("Q1", "Q")]
    )
    builtin = set(Framework.objects.filter(institution__isnull=True))
    readable = {name: set(permissions.frameworks_readable_by(world.users[name])) for name in READERS}
    college = {name for name in PEOPLE if name != "outsider"}
    assert {name for name, frameworks in readable.items() if frameworks == {*builtin, own}} == college
    assert {name for name, frameworks in readable.items() if frameworks == builtin} == {
        "outsider",
        "superuser",
    }
    assert readable["anonymous"] == set()


def test_standards_in_use_default_all_builtin_then_chosen(world, college):
    ts = Framework.objects.get(code="TS", institution__isnull=True)
    assert set(permissions.standards_in_use_for(college.pk).values_list("framework__code", flat=True)) == {
        "TS",
        "ETF",
    }
    services.choose_frameworks(
        actor=world.users["programme_lead"], institution=college, frameworks=[ts], grading_enabled=True
    )
    assert set(permissions.standards_in_use_for(college.pk)) == set(ts.standards.all())


# Predicates on records already fetched


def test_can_edit_observation_observer_while_draft(world):
    draft = world.observe("colleague", "teacher", shared=False)
    assert world.allowed(permissions.can_edit_observation, draft) == {"colleague"}
    shared = services.share_observation(actor=world.users["colleague"], observation=draft)
    assert world.allowed(permissions.can_edit_observation, shared) == set()


def test_can_respond_observee_while_shared(world):
    draft = world.observe("hod", "teacher", kind=FORMAL, shared=False)
    assert world.allowed(permissions.can_respond, draft) == set()
    shared = services.share_observation(actor=world.users["hod"], observation=draft)
    assert world.allowed(permissions.can_respond, shared) == {"teacher"}
    acknowledged = services.respond_to_observation(
        actor=world.users["teacher"], observation=shared, response="", acknowledge=True
    )
    assert world.allowed(permissions.can_respond, acknowledged) == set()


def test_can_share_with_tutor_observee_of_shared_developmental(world):
    draft = world.observe("colleague", "teacher", shared=False)
    assert world.allowed(permissions.can_share_with_tutor, draft) == set()
    shared = services.share_observation(actor=world.users["colleague"], observation=draft)
    assert world.allowed(permissions.can_share_with_tutor, shared) == {"teacher"}
    acknowledged = services.respond_to_observation(
        actor=world.users["teacher"], observation=shared, response="", acknowledge=True
    )
    assert world.allowed(permissions.can_share_with_tutor, acknowledged) == {"teacher"}


@pytest.mark.parametrize("kind", FORMAL_KINDS)
def test_can_share_with_tutor_never_formal(world, kind):
    shared = world.observe("hod", "teacher", kind=kind)
    assert world.allowed(permissions.can_share_with_tutor, shared) == set()


def test_can_record_formal_line_manager_head_programme_lead(world):
    assert world.allowed(permissions.can_record_formal, world.staff["teacher"]) == {
        "line_manager",
        "hod",
        "programme_lead",
    }


def test_can_record_formal_of_other_department_programme_lead_only(world):
    assert world.allowed(permissions.can_record_formal, world.staff["artist"]) == {"programme_lead"}


def test_can_manage_frameworks_programme_lead_only(world, college):
    assert world.allowed(permissions.can_manage_frameworks, college.pk) == {"programme_lead"}
