"""The coaching journey of issue 7, in Chromium."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from protutor.coaching import services as coaching
from protutor.people.models import Role, RoleAssignment
from tests.browser.helpers import sign_in, watch_console
from tests.factories.coaching import school_slot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery"


def page_for(browser, live_server, username):
    context = browser.new_context()
    page = context.new_page()
    problems = watch_console(page)
    sign_in(page, live_server.url, username, PASSWORD)
    return page, problems


def test_volunteer_trained_coachee_matched_session_booked_journal_private(
    live_server, browser, tutor, colleague, teacher, hod, college, year
):
    RoleAssignment.objects.create(staff=tutor, role=Role.COACHING_COORDINATOR, institution=college)
    RoleAssignment.objects.create(staff=hod, role=Role.COVER_MANAGER, institution=college)
    coaching.publish_agreement(actor=tutor.user, text="Sessions are confidential and not monitored.")

    # A colleague accepts the agreement and volunteers.
    page, problems = page_for(browser, live_server, "colleague")
    page.get_by_role("link", name="Coaching", exact=True).click()
    page.get_by_role("link", name="read and accept the coaching agreement").click()
    page.get_by_role("button", name="I have read and accept the agreement").click()
    page.get_by_role("link", name="Volunteer to coach").click()
    page.get_by_label("What could you coach on? (optional)").fill("questioning, feedback")
    page.get_by_label("Tuesday period 3").check()
    page.get_by_role("button", name="Volunteer").click()
    expect(page.get_by_text("Thank you for volunteering")).to_be_visible()
    assert problems == []

    # The coordinator records the three training steps.
    page, problems = page_for(browser, live_server, "tutor")
    page.goto(f"{live_server.url}/coaching/coordinator/")
    for _ in range(3):
        page.get_by_role("button", name="Record training for Colin Colleague").click()
        expect(page.get_by_text("Training recorded for Colin Colleague")).to_be_visible()
    expect(page.get_by_text("Every coach is trained")).to_be_visible()

    # The teacher signs up to be coached.
    page2, problems2 = page_for(browser, live_server, "teacher")
    page2.goto(f"{live_server.url}/coaching/agreement/")
    page2.get_by_role("button", name="I have read and accept the agreement").click()
    page2.get_by_role("link", name="Ask to be coached").click()
    page2.get_by_label("What would you like to work on?").fill("questioning")
    page2.get_by_label("Tuesday period 3").check()
    page2.get_by_role("button", name="Sign up").click()
    expect(page2.get_by_text("You are signed up")).to_be_visible()

    # The coordinator proposes pairs, reads why, and confirms.
    page.goto(f"{live_server.url}/coaching/coordinator/")
    page.get_by_role("button", name="Propose pairs").click()
    expect(page.get_by_text("proved optimal").first).to_be_visible()
    expect(page.get_by_text("Shares your focus: questioning")).to_be_visible()
    page.get_by_role("button", name="Confirm these pairs").click()
    expect(page.get_by_text("1 pairs confirmed")).to_be_visible()
    assert problems == []

    # The teacher books a session and writes a journal entry.
    page2.goto(f"{live_server.url}/coaching/")
    page2.get_by_role("link", name="Coached by Colin Colleague").click()
    starts = timezone.localtime(school_slot(days=3)).strftime("%Y-%m-%dT10:00")  # sessions are in term time
    page2.get_by_label("Date and time").fill(starts)
    page2.get_by_role("button", name="Book session").click()
    expect(page2.get_by_text("Cover has been requested for you both")).to_be_visible()
    page2.goto(f"{live_server.url}/coaching/journal/")
    page2.get_by_label("New entry").fill("I noticed I answer my own questions.")
    page2.get_by_role("button", name="Save entry").click()
    expect(page2.get_by_text("I noticed I answer my own questions.")).to_be_visible()
    assert problems2 == []

    # The cover manager sees two cover requests for professional development, and no coaching.
    page3, _ = page_for(browser, live_server, "hod")
    page3.goto(f"{live_server.url}/cover/")
    expect(page3.get_by_role("cell", name="Professional development")).to_have_count(2)
    expect(page3.locator("main")).not_to_contain_text("oach")

    # Nobody else reads the journal: not the coach, not the coordinator.
    for other in (page, page3):
        other.goto(f"{live_server.url}/coaching/journal/")
        expect(other.locator("main")).not_to_contain_text("I answer my own questions")
