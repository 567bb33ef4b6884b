"""The CPD journey of issue 6, in Chromium: from the needs page to a delivered, evaluated session."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from protutor.cpd import services as cpd
from tests.browser.helpers import sign_in, watch_console
from tests.factories.people import StaffMemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery"


def page_for(browser, live_server, username):
    context = browser.new_context()
    page = context.new_page()
    problems = watch_console(page)
    sign_in(page, live_server.url, username, PASSWORD)
    return page, problems


def test_plan_deliver_evaluate_and_coverage(
    live_server, browser, standards, tutor, hod, teacher, colleague, department, college, year
):
    others = [StaffMemberFactory(institution=college, department=department) for _ in range(4)]
    first = cpd.save_session(
        actor=tutor.user,
        department=department,
        title="Routines",
        format="takeaway",
        length_minutes=10,
        starts_at=timezone.now() - dt.timedelta(days=7),
    )
    cpd.record_attendance(actor=tutor.user, session=first, attendees=[teacher, colleague])

    page, problems = page_for(browser, live_server, "tutor")
    page.goto(f"{live_server.url}/cpd/coverage/")
    expect(
        page.get_by_role("row", name="Mathematics").get_by_text("Behind: 1 more session needed")
    ).to_be_visible()

    page.goto(f"{live_server.url}/observations/departments/{department.pk}/needs/")
    page.get_by_role("link", name="Plan a session from these needs").click()
    page.get_by_label("Title").fill("Questioning: no hands up")
    page.get_by_label("30-minute meeting").check()
    page.get_by_label("Length in minutes").fill("30")
    start = timezone.localtime(timezone.now() - dt.timedelta(minutes=40)).strftime("%Y-%m-%dT%H:%M")
    page.get_by_label("Date and time agreed with the department").fill(start)
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_text("have been invited")).to_be_visible()
    page.goto(f"{live_server.url}/cpd/coverage/")
    expect(page.get_by_role("row", name="Mathematics").get_by_text("On track")).to_be_visible()
    assert problems == []

    # The head of department changes the plan too.
    page, problems = page_for(browser, live_server, "hod")
    page.goto(f"{live_server.url}/cpd/sessions/")
    page.get_by_role("link", name="Questioning: no hands up").click()
    page.get_by_role("link", name="Change the session").click()
    page.get_by_label("Room (optional)").fill("B12")
    page.get_by_role("button", name="Save session").click()
    expect(
        page.get_by_text("have been told what changed: room: now B12 (was to be confirmed)")
    ).to_be_visible()
    expect(page.locator(".govuk-summary-list__value", has_text="B12")).to_be_visible()
    assert problems == []

    # The tutor takes the register.
    page, problems = page_for(browser, live_server, "tutor")
    page.goto(f"{live_server.url}/cpd/sessions/")
    page.get_by_role("link", name="Questioning: no hands up").click()
    page.get_by_role("button", name="Take the register").click()
    for person in [teacher, *others]:
        page.get_by_label(str(person)).check()
    page.get_by_role("button", name="Save register").click()
    expect(page.get_by_text("Register saved: 5 attended")).to_be_visible()
    page.goto(f"{live_server.url}/cpd/coverage/")
    expect(page.get_by_role("row", name="Mathematics").get_by_text("Target met: 2 delivered")).to_be_visible()

    # Attendees evaluate: four through the service, the teacher in the browser.
    from protutor.cpd.models import Session

    second = Session.objects.get(title="Questioning: no hands up")
    for person, score in zip(others, [5, 4, 4, 5], strict=True):
        cpd.evaluate_session(actor=person.user, session=second, usefulness=score, will_try="Cold calling")
    page, problems = page_for(browser, live_server, "teacher")
    page.goto(f"{live_server.url}{second.get_absolute_url()}")
    page.get_by_label("4", exact=True).check()
    page.get_by_label("What will you try in your teaching? (optional)").fill("Thinking time")
    page.get_by_role("button", name="Send evaluation").click()
    expect(page.get_by_text("Your answers are anonymous")).to_be_visible()
    assert problems == []

    page, _ = page_for(browser, live_server, "tutor")
    page.goto(f"{live_server.url}{second.get_absolute_url()}")
    expect(page.get_by_text("Average usefulness 4.4 out of 5")).to_be_visible()


def test_cancel_a_session_with_a_reason(live_server, browser, tutor, hod, teacher, department, year):
    from tests.factories.cpd import plan, upcoming

    session = plan(tutor, department, starts_at=upcoming(year), title="Routines that stick")
    page, problems = page_for(browser, live_server, "hod")
    page.goto(f"{live_server.url}{session.get_absolute_url()}")
    page.get_by_role("link", name="Cancel the session").click()
    expect(page.get_by_role("heading", name="Cancel “Routines that stick”?")).to_be_visible()
    page.get_by_role("button", name="Cancel the session").click()
    expect(page.get_by_role("link", name="Enter why the session is cancelled")).to_be_visible()
    page.get_by_label("Why is the session cancelled?").fill("The hall is needed for exams")
    page.get_by_role("button", name="Cancel the session").click()
    expect(page.get_by_text("Session cancelled. Staff in Mathematics have been told")).to_be_visible()
    assert problems == []

    page, problems = page_for(browser, live_server, "teacher")
    page.goto(f"{live_server.url}{session.get_absolute_url()}")
    expect(page.get_by_text("Reason: The hall is needed for exams")).to_be_visible()
    assert problems == []
