"""The ITE journey of issue 8, in Chromium: the ITE tutor places an intern with a mentor; the mentor logs
a weekly meeting, records the first Assessment Reference Point and raises a cause for concern; the tutor
records the outcome; the PDP coverage page shows the topics the intern has not covered."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from protutor.ite import services_pdp
from tests.browser.helpers import axe_violations, sign_in, watch_console

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery"


def page_for(browser, live_server, username):
    page = browser.new_context().new_page()
    problems = watch_console(page)
    sign_in(page, live_server.url, username, PASSWORD)
    return page, problems


def test_intern_placed_met_judged_concern_resolved_and_pdp_gaps_shown(
    live_server, browser, ite_tutor, mentor, programme, reference_point, department, standards
):
    today = timezone.localdate()
    year = programme.academic_year
    services_pdp.seed_topics(actor=ite_tutor.user, institution_id=ite_tutor.institution_id)

    # The ITE tutor places a new intern in Mathematics with Mina Mentor.
    page, problems = page_for(browser, live_server, "ite_tutor")
    page.get_by_role("link", name="ITE and induction").click()
    page.get_by_role("button", name="Place an intern").click()
    page.get_by_role("button", name="Place intern").click()
    expect(page).to_have_title("Error: Place an intern – protutor")
    expect(
        page.get_by_role("link", name="Enter the intern's first name, or select them from the staff list")
    ).to_be_visible()
    page.get_by_label("First name").fill("Nia")
    page.get_by_label("Last name").fill("Newintern")
    page.get_by_label("Email address").fill("nia.newintern@example.org")
    page.get_by_label("Programme", exact=True).select_option(label=str(programme))
    page.get_by_label("Subject", exact=True).fill("Mathematics")
    page.get_by_label("Department", exact=True).select_option(label="Mathematics")
    page.get_by_label("Mentor (optional)").select_option(label="Mina Mentor (Mathematics)")
    page.get_by_label("Placement start date").fill(
        max(year.starts_on, today - dt.timedelta(days=21)).isoformat()
    )
    page.get_by_label("Placement end date").fill(min(year.ends_on, today + dt.timedelta(days=60)).isoformat())
    page.get_by_role("button", name="Place intern").click()
    expect(page.get_by_text("Nia Newintern placed in Mathematics")).to_be_visible()
    intern_url = page.url
    assert axe_violations(page) == []
    assert problems == []

    # The mentor logs this week's meeting and judges the first reference point.
    page, problems = page_for(browser, live_server, "mentor")
    page.get_by_role("link", name="ITE and induction").click()
    page.get_by_role("link", name="Nia Newintern").click()
    page.get_by_role("button", name="Log a mentor meeting").click()
    page.get_by_label("Date of the meeting").fill(today.isoformat())
    page.get_by_label("Targets set").fill("Plan a hinge question for each lesson")
    page.get_by_label("TS 2: Promote good progress and outcomes by pupils").check()
    page.get_by_role("button", name="Log meeting").click()
    expect(page.get_by_text("Plan a hinge question for each lesson")).to_be_visible()
    page.goto(intern_url)
    page.get_by_role("link", name="Assessment Reference Point 1").click()
    for standard in ("TS 1", "TS 2", "TS 3"):
        page.get_by_role("group", name=f"Judgement for {standard}").get_by_label(
            "Meeting", exact=True
        ).check()
    page.get_by_role("group", name="Judgement for TS 7").get_by_label("Not yet meeting", exact=True).check()
    page.get_by_label("Evidence for TS 7").fill("Low-level disruption in Year 9 not yet addressed")
    page.get_by_role("button", name="Save judgements").click()
    expect(page.get_by_text("Low-level disruption in Year 9 not yet addressed")).to_be_visible()
    assert axe_violations(page) == []

    # ... and raises a cause for concern against TS 7.
    page.goto(intern_url)
    page.get_by_role("button", name="Raise a cause for concern").click()
    page.get_by_label("Progress for the stage").check()
    page.get_by_label("The concern").fill("Behaviour for learning is not yet secure in Year 9")
    page.get_by_label(
        "TS 7: Manage behaviour effectively to ensure a good and safe learning environment"
    ).check()
    page.get_by_label("Targets").fill("Meet and greet at the door every lesson (TS 7)")
    page.get_by_label("Support and who gives it").fill("Weekly co-planning with the mentor")
    page.get_by_label("Review date").fill((today + dt.timedelta(days=14)).isoformat())
    page.get_by_label("Ask the professional tutor to observe as a neutral observer").check()
    page.get_by_role("button", name="Raise the cause for concern").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Cause for concern")
    concern_url = page.url
    assert problems == []

    # The ITE tutor records the outcome; the PDP coverage page shows Nia's missing topics.
    page, problems = page_for(browser, live_server, "ite_tutor")
    page.goto(concern_url)
    page.get_by_label("Resolved: the intern is back on track").check()
    page.get_by_label("Date of the outcome").fill(today.isoformat())
    page.get_by_label("Note about the outcome").fill("Routines now consistent; seen in two lessons")
    page.get_by_role("button", name="Record the outcome").click()
    expect(page.get_by_text("Resolved", exact=True).first).to_be_visible()
    page.goto(f"{live_server.url}/ite/pdp/coverage/")
    row = page.get_by_role("row").filter(has_text="Nia Newintern").first
    expect(row).to_contain_text("0 of 22")
    expect(
        page.get_by_text("Safeguarding; day-to-day health, safety and legal issues; child protection").first
    ).to_be_visible()
    assert axe_violations(page) == []
    assert problems == []
