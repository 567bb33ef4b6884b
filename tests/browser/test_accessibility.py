"""axe-core on every page the demo reaches, for every demo sign-in, at desktop width and at the width of
400% zoom; with no console errors (a CSP breach shows up there)."""

import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command

from protutor.ite.demo import SIGN_INS as SCHOOL_USERS
from protutor.people.demo import PERSONAS
from tests.browser.helpers import axe_violations, sign_in, watch_console

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_USERS = [p.username for p in PERSONAS if p.code != "VP001"] + [
    "hannah.hod",
    "liam.manager",
    "tess.teacher",
    *SCHOOL_USERS,
]
# Links a crawler must not follow: signing out, and the configuration admin (Django's own markup).
SKIP = ("/accounts/logout/", "/admin/")
# Downloads are not pages: by prefix, and by the endings of file and PDF addresses.
DOWNLOADS = ("/support/my-data/",)
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


@pytest.fixture
def demo(db):
    call_command("demo", stdout=open("/dev/null", "w"))


def test_sign_in_pages_have_no_accessibility_violations(live_server, page):
    problems = watch_console(page)
    for path in ["/accounts/login/", "/accounts/password/reset/", "/accounts/signup/"]:
        page.goto(f"{live_server.url}{path}")
        assert axe_violations(page) == [], path
    assert problems == []


@pytest.mark.parametrize("username", DEMO_USERS)
def test_every_demo_page_has_no_accessibility_violations(live_server, page, demo, username):
    problems = watch_console(page)
    sign_in(page, live_server.url, username)
    pages = 0
    for path, status in crawl(page, live_server.url, "/"):
        assert status == 200, f"{username}: {path} answered {status}"
        assert axe_violations(page) == [], f"{username}: {path}"
        pages += 1
    assert pages >= 2
    assert problems == []


@pytest.mark.parametrize(
    "username",
    ["priya.lead", "alan.admin", "omar.tutor", "tess.teacher", "iris.ite", "matt.mentor", "erin.ect"],
)
def test_pages_reflow_at_400_percent_zoom(live_server, browser, demo, username):
    """1280 px at 400% is a 320 px viewport: nothing may need scrolling sideways (WCAG 1.4.10),
    except inside a table's own scroll box, which must then be reachable by keyboard (axe)."""
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    sign_in(page, live_server.url, username)
    for path, _status in crawl(page, live_server.url, "/", limit=15):
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{username}: {path} scrolls sideways by {overflow}px at 320px"
        assert axe_violations(page) == [], f"{username}: {path} at 320px"
    context.close()
