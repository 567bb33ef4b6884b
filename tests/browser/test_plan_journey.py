"""The support-plan journey of issue 9, in Chromium."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.helpers import sign_in, watch_console

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery"


def page_for(browser, live_server, username):
    context = browser.new_context()
    page = context.new_page()
    problems = watch_console(page)
    sign_in(page, live_server.url, username, PASSWORD)
    return page, problems


def open_details(page, summary):
    page.get_by_text(summary).click()


def test_plan_opened_acknowledged_supported_and_closed_as_met(
    live_server, browser, line_manager, teacher, tutor, year
):
    today = timezone.localdate()
    page, problems = page_for(browser, live_server, "line_manager")
    page.get_by_role("link", name="Plans", exact=True).click()
    page.get_by_role("button", name="Open a support plan").click()
    page.get_by_label("Member of staff").select_option(label="Tess Teacher")
    page.get_by_label("Concerns").fill("Behaviour routines in Year 10")
    page.get_by_label("Goal 1", exact=True).fill("Consistent start-of-lesson routine")
    page.get_by_label("Professional tutor (optional)").select_option(label="Tamsin Tutor")
    page.get_by_label("First review date").fill((today + dt.timedelta(days=14)).isoformat())
    page.get_by_role("button", name="Open plan").click()
    expect(page.get_by_text("Support plan opened for Tess Teacher")).to_be_visible()
    plan_url = page.url
    assert problems == []

    page, problems = page_for(browser, live_server, "teacher")
    page.goto(plan_url)
    page.get_by_role("button", name="I have read my plan").click()
    expect(page.get_by_text("you have acknowledged the plan")).to_be_visible()
    open_details(page, "Record an exit condition")
    page.get_by_label("The teacher feels confident").check()
    page.get_by_role("button", name="Record", exact=True).click()
    expect(page.get_by_text("Exit condition recorded")).to_be_visible()
    assert problems == []

    page, problems = page_for(browser, live_server, "tutor")
    page.goto(f"{live_server.url}/team/remission/")
    row = page.get_by_role("row", name="Tamsin Tutor")
    expect(row).to_contain_text("0 of")
    page.goto(plan_url)
    open_details(page, "Record support given")
    page.get_by_label("Minutes").fill("50")
    page.get_by_label("Support given").fill("Co-planned the routine and watched it in action")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Support recorded")).to_be_visible()
    page.goto(f"{live_server.url}/team/remission/")
    expect(page.get_by_role("row", name="Tamsin Tutor")).to_contain_text("50 of")
    assert problems == []

    page, problems = page_for(browser, live_server, "line_manager")
    page.goto(plan_url)
    for label, evidence in [
        ("The line manager is satisfied", ""),
        ("The improvement shows in practice", "Formal observation judged effective"),
    ]:
        open_details(page, "Record an exit condition")
        page.get_by_label(label).check()
        if evidence:
            page.get_by_label("Evidence of improvement (optional)").fill(evidence)
        page.get_by_role("button", name="Record", exact=True).click()
        expect(page.get_by_text("Exit condition recorded")).to_be_visible()
    open_details(page, "Record the review due")
    page.get_by_label("Close: goals met").check()
    page.get_by_role("button", name="Record review").click()
    expect(page.get_by_text("Review recorded: Close: goals met")).to_be_visible()
    expect(page.get_by_text("Closed: goals met").first).to_be_visible()
    assert problems == []
