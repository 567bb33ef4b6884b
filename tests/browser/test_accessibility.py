"""axe-core on every page the demo reaches, for every demo sign-in, at desktop width and at the width of
400% zoom; with no console errors (a CSP breach shows up there).

The crawls only read, so the demo is loaded once for the module (committed, and the tables emptied at
the end) rather than once per sign-in. Every sign-in visits every
page it reaches and each must answer 200; axe runs on a page pattern once per menu (the same menu means
the same roles, so the same templates), which leaves the five tutors' crawls to check their own pages'
answers without repeating axe on identical markup."""

import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.db import connections
from playwright.sync_api import expect

from protutor.ite.demo import SIGN_INS as SCHOOL_USERS
from protutor.people.demo import PERSONAS
from tests.browser.helpers import axe_violations, sign_in, watch_console
from tests.conftest import ensure_shipped_frameworks

# django_db (not transactional): the test database must exist, and each test's own writes roll back.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

DEMO_USERS = [p.username for p in PERSONAS if p.code != "VP001"] + [
    "hannah.hod",
    "liam.manager",
    "tess.teacher",
    *SCHOOL_USERS,
]
# Links a crawler must not follow: signing out, and the configuration admin (Django's own markup).
SKIP = ("/accounts/logout/", "/admin/")
# Downloads are not pages: by prefix, and by the endings of file and PDF addresses.
DOWNLOADS = ("/people/my-data/download/",)
DOWNLOAD_ENDINGS = re.compile(r"/(file|files/\d+|pdf)/$")


def pattern(path: str) -> str:
    return re.sub(r"/\d+/", "/<id>/", path)


def crawl(page, base_url: str, start: str, limit: int = 40):
    """Breadth-first over same-site links, one page per URL pattern."""
    seen_patterns: set[str] = set()
    queue = deque([start])
    visited = []
    while queue and len(visited) < limit:
        path = queue.popleft()
        key = pattern(urlsplit(path).path)
        if key in seen_patterns:
            continue
        seen_patterns.add(key)
        response = page.goto(urljoin(base_url, path))
        visited.append((path, response.status))
        yield path, response.status
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))"):
            target = urlsplit(urljoin(base_url + path, href))
            if target.netloc != urlsplit(base_url).netloc or target.path.startswith(SKIP + DOWNLOADS):
                continue
            if target.path.endswith(".ics") or DOWNLOAD_ENDINGS.search(target.path):
                continue
            if "format=csv" in target.query or "format=pdf" in target.query:
                continue
            queue.append(target.path + (f"?{target.query}" if target.query else ""))


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker):
    """The demo, loaded once and served by a live server of this module's own (pytest-django's
    `live_server` would make every test transactional, emptying the tables after each). The database is
    open to the tests and the server while the module runs, and emptied at its end as a transactional
    test leaves it."""
    from pytest_django.live_server_helper import LiveServer

    with django_db_blocker.unblock():
        ensure_shipped_frameworks()
        call_command("demo", stdout=open("/dev/null", "w"))
        # Playwright's sync API runs the tests in a context of its own, where Django opens another
        # connection: close this one, or it would hold the PostgreSQL test database open to the end.
        connections.close_all()
        server = LiveServer("localhost")
        server._live_server_modified_settings.enable()
        try:
            yield server.url
        finally:
            server._live_server_modified_settings.disable()
            # Stop serving, but leave an in-memory SQLite connection shareable (as pytest-django's own
            # live server does for the whole session): a request thread still holding a keep-alive
            # socket from the browser closes its connections when that socket closes.
            server.thread.terminate()
            call_command("flush", interactive=False, verbosity=0)
            connections.close_all()


# (menu, page pattern, viewport width) already checked by axe in this process.
AXE_CHECKED: set[tuple[tuple[str, ...], str, int]] = set()


def menu_of(page) -> tuple[str, ...]:
    return tuple(
        page.eval_on_selector_all("#navigation a[href]", "els => els.map(e => e.getAttribute('href'))")
    )


def axe_once(page, path: str, width: int) -> list[dict]:
    key = (menu_of(page), pattern(urlsplit(path).path), width)
    if key in AXE_CHECKED:
        return []
    violations = axe_violations(page)
    AXE_CHECKED.add(key)
    return violations


def test_sign_in_pages_have_no_accessibility_violations(demo_site, page):
    problems = watch_console(page)
    for path in ["/accounts/login/", "/accounts/password/reset/", "/accounts/signup/"]:
        page.goto(f"{demo_site}{path}")
        assert axe_violations(page) == [], path
    assert problems == []


@pytest.mark.parametrize("username", DEMO_USERS)
def test_every_demo_page_has_no_accessibility_violations(demo_site, page, username):
    problems = watch_console(page)
    sign_in(page, demo_site, username)
    pages = 0
    for path, status in crawl(page, demo_site, "/"):
        assert status == 200, f"{username}: {path} answered {status}"
        assert axe_once(page, path, 1280) == [], f"{username}: {path}"
        pages += 1
    assert pages >= 2
    assert problems == []


def test_erasure_pages_have_no_accessibility_violations(demo_site, page):
    """Only a leaver's page links to erasure, and the demo has none: the administrator closes an
    account, looks at the erasure page, and reopens the account, all in the browser."""
    from protutor.people.models import StaffMember
    from protutor.plans.models import SupportPlan
    from protutor.support.models import SafeguardingConcern

    problems = watch_console(page)
    sign_in(page, demo_site, "alan.admin")
    admin = StaffMember.objects.get(user__username="alan.admin")
    leaver = (
        StaffMember.objects.filter(institution=admin.institution, is_active=True)
        .exclude(pk=admin.pk)
        .exclude(pk__in=SafeguardingConcern.objects.values("teacher"))
        .exclude(pk__in=SupportPlan.objects.values("teacher"))
        .order_by("pk")
        .first()
    )
    page.goto(f"{demo_site}/people/staff/{leaver.pk}/erase/")
    assert "cannot be erased yet" in page.content()
    assert axe_violations(page) == []
    page.goto(f"{demo_site}/people/staff/{leaver.pk}/")
    page.get_by_role("button", name="Close account (leaver)").click()
    page.get_by_role("link", name="Erase their personal data").click()
    assert "It cannot be undone" in page.content()
    assert axe_violations(page) == []
    page.goto(f"{demo_site}/people/staff/{leaver.pk}/")
    page.get_by_role("button", name="Reopen account").click()
    expect(page.get_by_role("button", name="Close account (leaver)")).to_be_visible()
    assert problems == []


@pytest.mark.parametrize(
    "username",
    ["priya.lead", "alan.admin", "omar.tutor", "tess.teacher", "iris.ite", "matt.mentor", "erin.ect"],
)
def test_pages_reflow_at_400_percent_zoom(demo_site, browser, username):
    """1280 px at 400% is a 320 px viewport: nothing may need scrolling sideways (WCAG 1.4.10),
    except inside a table's own scroll box, which must then be reachable by keyboard (axe)."""
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    sign_in(page, demo_site, username)
    for path, _status in crawl(page, demo_site, "/", limit=15):
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{username}: {path} scrolls sideways by {overflow}px at 320px"
        assert axe_once(page, path, 320) == [], f"{username}: {path} at 320px"
    context.close()
