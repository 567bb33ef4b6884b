"""The observation journey of issue 5, in Chromium."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from protutor.observations import services as observing
from protutor.observations.models import Observation, Standard
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


def test_developmental_observation_shared_and_answered(
    live_server, browser, standards, tutor, teacher, department
):
    page, problems = page_for(browser, live_server, "tutor")
    page.get_by_role("link", name="Observations", exact=True).click()
    page.get_by_role("button", name="Record an observation").click()
    page.get_by_label("Developmental peer observation", exact=True).check()
    page.get_by_label("Who did you observe?").select_option(label="Teacher, Tess (Mathematics)")
    page.get_by_label("Class or group (optional)").fill("Year 12")
    page.get_by_label("Length in minutes").fill("30")
    page.get_by_label("Strength 1 (optional)", exact=True).fill("Students settled quickly")
    page.get_by_label("Development point 1 (optional)", exact=True).fill(
        "Give more thinking time after questions"
    )
    page.get_by_label("Standard for development point 1 (optional)").select_option(index=9)
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Only you can see it until you share it")).to_be_visible()
    page.get_by_role("button", name="Share with the person observed").click()
    expect(page.get_by_text("Shared with Tess Teacher")).to_be_visible()
    assert problems == []

    page, problems = page_for(browser, live_server, "teacher")
    observation = Observation.objects.get()
    page.goto(f"{live_server.url}{observation.get_absolute_url()}")
    expect(page.get_by_text("Give more thinking time after questions")).to_be_visible()
    page.get_by_label("Your response").fill("Thank you, I will try wait time on Thursday")
    page.get_by_label("I have read this feedback").check()
    page.get_by_role("button", name="Save response").click()
    expect(page.get_by_text("your response is saved")).to_be_visible()
    expect(page.get_by_text("Acknowledged", exact=True)).to_be_visible()
    page.get_by_role("link", name="Observations", exact=True).click()
    page.get_by_role("link", name="My development by standard").click()
    expect(page.get_by_text("Give more thinking time after questions")).to_be_visible()
    assert problems == []


def test_not_yet_effective_shows_in_department_share_and_needs_have_no_names(
    live_server, browser, standards, hod, teacher, programme_lead, department, college, year
):
    standard = Standard.objects.get(framework__code="ETF", number="9")
    for _ in range(4):
        person = StaffMemberFactory(institution=college, department=department)
        observation = observing.record_observation(
            actor=hod.user,
            observee=person,
            kind=Observation.Kind.FORMAL,
            observed_on=timezone.localdate(),
            length_minutes=30,
            outcome="effective",
            points=[observing.Point(kind="development", text="Thinking time", standards=[standard])],
        )
        observing.share_observation(actor=hod.user, observation=observation)

    page, problems = page_for(browser, live_server, "hod")
    page.goto(f"{live_server.url}/observations/new/")
    page.get_by_label("Formal observation", exact=True).check()
    page.get_by_label("Who did you observe?").select_option(label="Teacher, Tess (Mathematics)")
    page.get_by_label("Length in minutes").fill("45")
    page.get_by_label("Outcome (optional)").select_option(label="Not yet effective")
    page.get_by_label("Development point 1 (optional)", exact=True).fill(
        "Check understanding of the whole group"
    )
    page.get_by_label("Standard for development point 1 (optional)").select_option(value=str(standard.pk))
    page.get_by_role("button", name="Save draft").click()
    page.get_by_role("button", name="Share with the person observed").click()
    expect(page.get_by_text("Shared with Tess Teacher")).to_be_visible()

    page.goto(f"{live_server.url}/observations/outcomes/")
    table = page.get_by_role("table", name="Share effective by term")
    expect(table.get_by_role("row").nth(1)).to_contain_text("80%")

    page.goto(f"{live_server.url}/observations/departments/{department.pk}/needs/")
    themes = page.get_by_role("table", name="Themes by standard")
    expect(themes.get_by_role("row", name="ETF 9")).to_contain_text("5")
    expect(page.locator("main")).not_to_contain_text("Tess")
    assert problems == []
