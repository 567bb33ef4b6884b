"""axe-core on the PDP pages, with their error states, at desktop width and at 320 px (400% zoom), and no
console errors (a CSP breach shows up there)."""

import pytest
from playwright.sync_api import expect

from protutor.ite import services_pdp
from tests.browser.helpers import axe_violations, watch_console
from tests.ite.matrix_pdp import session_start

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


@pytest.fixture
def programme_world(standards, ite_tutor, intern, ect, year):
    topics = services_pdp.seed_topics(actor=ite_tutor.user, institution_id=ite_tutor.institution_id)
    session = services_pdp.schedule_session(
        actor=ite_tutor.user,
        institution_id=ite_tutor.institution_id,
        topic=topics[0],
        speaker="Dee Safeguard",
        starts_at=session_start(year),
        length_minutes=60,
        room="Library",
    )
    services_pdp.take_register(actor=ite_tutor.user, session=session, attendee_ids=[intern.pk])
    return session


def _sign_in(page, base_url, username):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Sign in to protutor")


def _check(page, where):
    assert axe_violations(page) == [], where
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{where} scrolls sideways by {overflow}px"


@pytest.mark.parametrize("width", [1280, 320])
def test_pdp_pages_have_no_accessibility_violations(live_server, browser, programme_world, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    problems = watch_console(page)
    _sign_in(page, live_server.url, "ite_tutor")
    for path in [
        "/ite/pdp/",
        "/ite/pdp/sessions/new/",
        programme_world.get_absolute_url(),
        "/ite/pdp/coverage/",
    ]:
        page.goto(f"{live_server.url}{path}")
        _check(page, path)
    page.goto(f"{live_server.url}/ite/pdp/")
    page.get_by_role("button", name="Add topic").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    _check(page, "topic form with errors")
    page.goto(f"{live_server.url}/ite/pdp/sessions/new/")
    page.get_by_label("Length in minutes").fill("")
    page.get_by_role("button", name="Schedule session").click()
    expect(page).to_have_title("Error: Schedule a session – protutor")
    _check(page, "session form with errors")
    assert problems == []
    context.close()


def test_intern_pages_have_no_accessibility_violations(live_server, page, programme_world):
    problems = watch_console(page)
    _sign_in(page, live_server.url, "intern")
    for path in ["/ite/pdp/", programme_world.get_absolute_url(), "/ite/pdp/coverage/"]:
        page.goto(f"{live_server.url}{path}")
        _check(page, path)
    expect(page.get_by_text("1 of 22 topics covered")).to_be_visible()
    assert problems == []
