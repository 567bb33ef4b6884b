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
