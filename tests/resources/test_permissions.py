"""Who reads and who builds the library (protutor/resources/permissions.py), persona by persona: each
scope checked for the whole set it returns, and each predicate against it."""

import pytest
from django.contrib.auth.models import AnonymousUser

from protutor.core import permissions as registry
from protutor.resources import permissions, services
from protutor.resources.models import Collection, CollectionLink, Resource, ResourceOpen, ResourceVersion
from protutor.team.models import Partner
from tests.conftest import PERSONAS
from tests.factories.people import CaseloadFactory, StaffMemberFactory
from tests.factories.resources import publish
from tests.factories.support import log, open_case_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(request, college, tutor, outsider, year):
    """A resource of the college, a retired one, one of the other institution, and a college collection
    (shared with the other institution) holding the first, with a partner link."""
    for persona in PERSONAS:
        request.getfixturevalue(persona)
    ours = publish(tutor, title="Ours")
    retired = services.retire_resource(publish(tutor, title="Retired"), actor=tutor.user)
    # The other institution's own tutor builds their library.
    CaseloadFactory(tutor=outsider, academic_year__institution=outsider.institution)
    theirs = publish(outsider, title="Theirs")
    collection = services.save_collection(
        actor=tutor.user, title="Pack", resources=[ours], shared_with=[outsider.institution]
    )
    partner = Partner.objects.create(institution=college, name="Ribble Valley")
    link = services.issue_collection_link(collection, actor=tutor.user, partner=partner)
    services.record_open(ours)
    services.record_open(theirs)
    return {"ours": ours, "retired": retired, "theirs": theirs, "collection": collection, "link": link}


COLLEGE = {"Ours", "Retired"}
READERS = {persona: COLLEGE for persona in PERSONAS} | {"outsider": {"Theirs", "Ours"}}
BUILDERS = {"tutor", "other_tutor", "programme_lead"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_resources_readable_by_persona(request, world, persona):
    user = request.getfixturevalue(persona).user
    assert {r.title for r in permissions.resources_readable_by(user)} == READERS[persona]
    assert {r.title for r in registry.readable_by(Resource, user)} == READERS[persona]
    assert {v.title for v in registry.readable_by(ResourceVersion, user)} == READERS[persona]
    opened = {o.resource.title for o in registry.readable_by(ResourceOpen, user)}
    assert opened == READERS[persona] - {"Retired"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_collections_readable_by_persona(request, world, persona):
    user = request.getfixturevalue(persona).user
    # The outsider's institution was given the collection; everyone at the college reads it.
    assert list(registry.readable_by(Collection, user)) == [world["collection"]]


@pytest.mark.parametrize("persona", PERSONAS)
def test_collection_links_only_for_those_who_manage_the_collection(request, world, persona):
    user = request.getfixturevalue(persona).user
    expected = [world["link"]] if persona in BUILDERS else []
    assert list(registry.readable_by(CollectionLink, user)) == expected
    assert permissions.can_manage_collection(user, world["collection"]) == (persona in BUILDERS)


@pytest.mark.parametrize("persona", PERSONAS)
def test_edit_predicates_by_persona(request, world, persona):
    user = request.getfixturevalue(persona).user
    assert permissions.can_publish_resource(user) == (persona in BUILDERS | {"outsider"})
    assert permissions.sees_usage_ranking(user) == (persona in BUILDERS | {"outsider"})
    for name in ("ours", "retired"):
        assert permissions.can_edit_resource(user, world[name]) == (persona in BUILDERS)
    # The outsider reads "Ours" through the shared collection but may not change it; they edit their own.
    assert permissions.can_edit_resource(user, world["theirs"]) == (persona == "outsider")


def test_anonymous_reads_nothing(world):
    anonymous = AnonymousUser()
    for model in (Resource, ResourceVersion, ResourceOpen, Collection, CollectionLink):
        assert list(registry.readable_by(model, anonymous)) == []
    assert list(permissions.resources_signposted_to(anonymous)) == []


def test_unsharing_a_collection_takes_its_resources_away(world, outsider, tutor):
    services.save_collection(
        actor=tutor.user, collection=world["collection"], title="Pack", resources=[world["ours"]]
    )
    assert {r.title for r in permissions.resources_readable_by(outsider.user)} == {"Theirs"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_signposted_to_is_the_teachers_own_cases_only(request, world, teacher, tutor, colleague, persona):
    case = open_case_for(teacher, tutor)
    interaction = log(case, tutor, shared="Try this")
    interaction.resources.add(world["ours"], world["retired"])
    other_case = open_case_for(colleague, tutor)
    log(other_case, tutor).resources.add(world["ours"])
    user = request.getfixturevalue(persona).user
    expected = {
        "teacher": {"Ours", "Retired"},
        "colleague": {"Ours"},
    }.get(persona, set())
    signposted = list(permissions.resources_signposted_to(user))
    assert {r.title for r in signposted} == expected
    assert all(r.signposted_on == interaction.occurred_on for r in signposted)


def test_signposted_to_is_empty_without_support(db):
    staff = StaffMemberFactory()
    assert list(permissions.resources_signposted_to(staff.user)) == []
