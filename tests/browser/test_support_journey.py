"""The support journey of issue 4, in Chromium: a teacher asks for help, the tutor takes it on and logs
a coaching session, and each role sees exactly what DESIGN.md section 2 allows."""

import pytest
from playwright.sync_api import expect

from protutor.support.models import SupportCase
from tests.browser.helpers import sign_in, watch_console

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery"
SHARED = "Try no-hands-up questioning with thinking time"
PRIVATE = "Seemed anxious about the formal observation"


def test_self_referral_to_shared_and_private_notes(
    live_server, browser, teacher, tutor, line_manager, programme_lead, department
):
    def page_for(username):
        context = browser.new_context()
        page = context.new_page()
        problems = watch_console(page)
        sign_in(page, live_server.url, username, PASSWORD)
        return page, problems

    # The teacher asks for support.
    page, problems = page_for("teacher")
    page.get_by_role("link", name="Support", exact=True).click()
    page.get_by_role("button", name="Ask for support").click()
    page.get_by_label("What would you like help with?").fill("More students answering questions in Year 12")
    page.get_by_label("When are you usually free?").fill("Tuesday period 3")
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_text("Your request has been sent")).to_be_visible()
    assert problems == []

    # The department's tutor takes it on and logs a coaching session.
    page, problems = page_for("tutor")
    page.get_by_role("link", name="Support", exact=True).click()
    page.get_by_role("link", name="Tess Teacher, Mathematics").click()
    expect(page.get_by_text("More students answering questions in Year 12")).to_be_visible()
    page.get_by_label("Semi-formal").check()
    page.get_by_label("Focus").fill("questioning")
    page.get_by_role("button", name="Accept and open a case").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Support for Tess Teacher")
    page.get_by_role("button", name="Record support").click()
    page.get_by_label("Coaching session").check()
    page.get_by_label("Minutes spent").fill("45")
    page.get_by_label("Notes shared with the teacher").fill(SHARED)
    page.get_by_label("Private note").fill(PRIVATE)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Support recorded")).to_be_visible()
    expect(page.get_by_text(SHARED)).to_be_visible()
    expect(page.get_by_text(PRIVATE)).to_be_visible()
    assert problems == []
    case = SupportCase.objects.get()

    # The teacher sees the shared note, never the private one, and who opened the record.
    page, problems = page_for("teacher")
    page.goto(f"{live_server.url}/support/cases/{case.pk}/")
    expect(page.get_by_text(SHARED)).to_be_visible()
    expect(page.locator("body")).not_to_contain_text(PRIVATE)
    page.goto(f"{live_server.url}/support/who-opened-my-records/")
    expect(page.get_by_role("cell", name="Tamsin Tutor").first).to_be_visible()
    assert problems == []

    # The line manager sees nothing of it.
    page, _ = page_for("line_manager")
    response = page.goto(f"{live_server.url}/support/cases/{case.pk}/")
    assert response.status == 404
    page.goto(f"{live_server.url}/support/")
    expect(page.locator("body")).not_to_contain_text(SHARED)
    expect(page.locator("body")).not_to_contain_text("Tess Teacher")

    # The programme lead sees a suppressed count, and no names.
    page, _ = page_for("programme_lead")
    page.goto(f"{live_server.url}/support/insights/")
    expect(page.get_by_text("fewer than 5").first).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("Tess")
