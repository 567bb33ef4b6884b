"""Every benchmarked page makes the same number of SQL queries with a small institution and with one five
times its size (DESIGN.md section 4). The pages, personas and data are bench/run.py's and
bench/generate.py's own, at two small shapes, so the suite checks exactly what the benchmark measures.

Both institutions are made once for the module (bulk inserts, a few seconds) and emptied at its end.
"""

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench.generate import Generator
from bench.run import PAGES, addresses, post_data
from protutor.people.models import User
from tests.conftest import ensure_shipped_frameworks

SMALL = {
    "institutions": 1, "staff": 24, "departments": 4, "tutors": 2, "years": 2,
    "coaches": 2, "coachees": 4, "interns": 2, "groups": 8,
}  # fmt: skip
GROWS = ("staff", "departments", "tutors", "coaches", "coachees", "interns", "groups")
LARGE = {key: value * 5 if key in GROWS else value for key, value in SMALL.items()}


@pytest.fixture(scope="module")
def worlds(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        ensure_shipped_frameworks()
        small = Generator(SMALL, seed=1, first=1).run()
        large = Generator(LARGE, seed=1, first=2).run()
        try:
            yield {"small": small, "large": large}
        finally:
            call_command("flush", interactive=False, verbosity=0)
            connections.close_all()


def queries(manifest: dict, label: str) -> int:
    """Queries for the page on its second request (the first warms per-process caches)."""
    [(_, _, persona, method, (name, *args))] = [page for page in PAGES if page[0] == label]
    ids = addresses(manifest)
    client = Client()
    client.force_login(User.objects.get(username=manifest["personas"][persona]))
    path = reverse(name, args=[ids[a] for a in args])
    rows = manifest["shape"]["staff"] + 10
    for _ in range(2):
        data = post_data(label, manifest, import_rows=rows) if method == "POST" else None
        with CaptureQueriesContext(connection) as captured:
            response = client.post(path, data) if method == "POST" else client.get(path)
        assert response.status_code in (200, 302), f"{label}: {response.status_code}"
    return len(captured)


@pytest.mark.django_db
@pytest.mark.parametrize("label", [page[0] for page in PAGES])
def test_queries_do_not_grow_with_the_data(worlds, label):
    assert queries(worlds["large"], label) == queries(worlds["small"], label)


# Its queries follow which of the person's sections hold rows (a prefetch runs only for rows), not how
# many: tests/people/test_personal_data.py checks one record of each kind against five.
NOT_COMPARED = {"people:my-data-download"}


def no_argument_pages() -> list[str]:
    """Every project URL that takes no argument: lists, dashboards, forms, downloads."""
    from django.urls import NoReverseMatch

    from tests.test_confidentiality_matrix import project_url_names

    names = []
    for name in project_url_names():
        if name in NOT_COMPARED:
            continue
        try:
            reverse(name)
        except NoReverseMatch:
            continue
        names.append(name)
    return sorted(names)


def get_queries(manifest: dict, persona: str, path: str) -> tuple[int, int]:
    client = Client()
    client.force_login(User.objects.get(username=manifest["personas"][persona]))
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        status = client.get(path).status_code
    return status, len(captured)


@pytest.mark.django_db
@pytest.mark.parametrize("name", no_argument_pages())
def test_every_page_without_arguments_makes_as_many_queries_for_five_times_the_data(worlds, name):
    """Each persona who may open the page: the same count in the small and the large institution."""
    path = reverse(name)
    differences = {}
    for persona in worlds["small"]["personas"]:
        small = get_queries(worlds["small"], persona, path)
        large = get_queries(worlds["large"], persona, path)
        if small[0] == large[0] == 200 and small[1] != large[1]:
            differences[persona] = (small[1], large[1])
    assert differences == {}
