"""Role x URL for the library (the project-wide matrix leaves the `resources:` namespace to this file):
who gets each page, who gets a 404, and anonymous visitors sent to sign in, except on the partner links
whose token is the credential."""

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from protutor.resources import services
from protutor.team.models import Partner
from tests.conftest import PERSONAS
from tests.factories.resources import publish, upload

SENTINEL = "library-sentinel-5e9a"
EVERYONE = set(PERSONAS)
COLLEGE = EVERYONE - {"outsider"}
BUILDERS = {"tutor", "other_tutor", "programme_lead"}
TOKEN_URLS = {"resources:shared-collection", "resources:shared-file"}


class World:
    def __init__(self, request):
        for name in PERSONAS:
            setattr(self, name, request.getfixturevalue(name))
        tutor = self.tutor
        self.resource = publish(tutor, title=f"Guide {SENTINEL}", file=upload("guide.pdf"))
        self.version = self.resource.versions.get()
        self.collection = services.save_collection(
            actor=tutor.user, title=f"Pack {SENTINEL}", resources=[self.resource]
        )
        self.partner = Partner.objects.create(institution=tutor.institution, name="Ribble Valley")
        self.link = services.issue_collection_link(self.collection, actor=tutor.user, partner=self.partner)
        self.spare_link = services.issue_collection_link(
            self.collection, actor=tutor.user, partner=self.partner
        )


# name: (arguments, personas who may GET, or None for POST-only addresses)
MATRIX = {
    "resources:resource-list": (lambda w: [], EVERYONE),
    "resources:resource-create": (lambda w: [], BUILDERS),
    "resources:signposted": (lambda w: [], EVERYONE),
    "resources:most-used": (lambda w: [], BUILDERS),
    "resources:resource-detail": (lambda w: [w.resource.pk], COLLEGE),
    "resources:resource-edit": (lambda w: [w.resource.pk], BUILDERS),
    "resources:resource-retire": (lambda w: [w.resource.pk], None),
    "resources:version-download": (lambda w: [w.resource.pk, 1], COLLEGE),
    "resources:collection-list": (lambda w: [], EVERYONE),
    "resources:collection-create": (lambda w: [], BUILDERS),
    "resources:collection-detail": (lambda w: [w.collection.pk], COLLEGE),
    "resources:collection-edit": (lambda w: [w.collection.pk], BUILDERS),
    "resources:collection-link-create": (lambda w: [w.collection.pk], None),
    "resources:collection-link-revoke": (lambda w: [w.collection.pk, w.spare_link.pk], None),
    "resources:shared-collection": (lambda w: [w.link.pk, w.link.token], EVERYONE),
    "resources:shared-file": (lambda w: [w.link.pk, w.link.token, w.version.pk], EVERYONE),
}
POST_ALLOWED = {
    "resources:resource-retire": BUILDERS,
    "resources:collection-link-create": BUILDERS,
    "resources:collection-link-revoke": BUILDERS,
}


def resources_url_names(patterns=None, namespace=""):
    names = []
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names += resources_url_names(entry.url_patterns, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            names.append(namespace + entry.name)
    return {name for name in names if name.startswith("resources:")}


def test_every_library_url_is_in_the_matrix():
    assert resources_url_names() == set(MATRIX)
    assert set(POST_ALLOWED) == {name for name, (_, allowed) in MATRIX.items() if allowed is None}


@pytest.fixture
def world(request, db):
    return World(request)


def matrix_problems(client, world, name, persona) -> list[str]:
    args_of, allowed_get = MATRIX[name]
    url = reverse(name, args=args_of(world))
    client.force_login(getattr(world, persona).user)
    problems = []
    if allowed_get is None:
        if (status := client.get(url).status_code) != 405:
            problems.append(f"{persona} GET {name}: {status}, not 405")
        response = client.post(url, {"partner": world.partner.pk})
        expected = 302 if persona in POST_ALLOWED[name] else 404
    else:
        response = client.get(url)
        expected = 200 if persona in allowed_get else 404
    if response.status_code != expected:
        problems.append(
            f"{persona} {response.request['REQUEST_METHOD']} {name}: {response.status_code}, not {expected}"
        )
    if expected == 404 and SENTINEL in response.content.decode():
        problems.append(f"{persona} {name}: the sentinel in the refusal")
    return problems


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_matrix(client, world, name):
    """Every persona, then a visitor who has not signed in, against one URL: the world is built once, and
    each persona's requests run in a savepoint rolled back afterwards."""
    problems = []
    for persona in PERSONAS:
        with transaction.atomic():
            problems += matrix_problems(client, world, name, persona)
            transaction.set_rollback(True)
    client.logout()
    response = client.get(reverse(name, args=MATRIX[name][0](world)))
    if name in TOKEN_URLS:
        if response.status_code != 200:
            problems.append(f"anonymous GET {name}: {response.status_code}, not 200")
    elif response.status_code != 302 or not response["Location"].startswith(reverse("account_login")):
        problems.append(f"anonymous GET {name}: {response.status_code}, not sent to sign in")
    assert problems == []


@pytest.mark.parametrize("name", sorted(TOKEN_URLS))
def test_token_urls_refuse_a_wrong_or_revoked_token(client, world, name):
    args = MATRIX[name][0](world)
    wrong = [args[0], args[1][:-2] + ("aa" if not args[1].endswith("aa") else "bb"), *args[2:]]
    other_pk = [world.spare_link.pk, args[1], *args[2:]]
    for attempt in (wrong, other_pk):
        response = client.get(reverse(name, args=attempt))
        assert response.status_code == 404
        assert SENTINEL not in response.content.decode()
    services.revoke_collection_link(world.link, actor=world.tutor.user)
    assert client.get(reverse(name, args=args)).status_code == 404
