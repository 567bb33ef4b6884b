"""axe-core on the assessment pages (the reference point page, the progress grid, causes for concern and
the intern page's section), with their error states, at desktop width and at 320 px (400% zoom), and no
console errors (a CSP breach shows up there)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from protutor.ite import services_assessment as assessment
from protutor.observations.models import Observation, Standard
from tests.browser.helpers import axe_violations, watch_console
from tests.factories.observations import observe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


@pytest.fixture
def assessed(standards, mentor, ite_tutor, intern_record, reference_point, other_mentor):
    observe(mentor, intern_record.staff, kind=Observation.Kind.TRAINING, group_name="9X2")
    ts = {s.number: s for s in assessment.standards_to_judge(intern_record.programme.provider.institution_id)}
    assessment.record_judgements(
        actor=mentor.user,
        intern=intern_record,
        reference_point=reference_point,
        entries={
            ts["1"].pk: assessment.Entry(grade="meeting", evidence="Clear routines"),
            ts["7"].pk: assessment.Entry(grade="not_yet", evidence="Routines not yet consistent"),
        },
    )
    reference_point.descriptors.create(standard=ts["1"], text="Sets high expectations with support")
    concern = assessment.raise_concern(
        actor=mentor.user,
        intern=intern_record,
        category="progress",
        concern="Routines slipping",
        standards=[Standard.objects.get(framework__code="TS", number="7")],
        targets="TS 7: routines in every lesson",
        support="Mentor models weekly",
        review_on=timezone.localdate() + dt.timedelta(days=14),
    )
    return {
        "record": reverse("ite:reference-point-record", args=[intern_record.pk, reference_point.pk]),
        "concern": concern.get_absolute_url(),
        "create": reverse("ite:concern-create", args=[intern_record.pk]),
        "intern": intern_record.get_absolute_url(),
        "grid": reverse("ite:progress-grid"),
    }


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
def test_ite_tutor_pages_have_no_accessibility_violations(live_server, browser, assessed, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    problems = watch_console(page)
    _sign_in(page, live_server.url, "ite_tutor")
    for name in ["record", "grid", "concern", "create", "intern"]:
        page.goto(f"{live_server.url}{assessed[name]}")
        _check(page, name)
    page.goto(f"{live_server.url}{assessed['record']}")
    page.get_by_role("button", name="Record moderation").click()
    expect(page).to_have_title("Error: Assessment Reference Point 1: Ines Intern – protutor")
    expect(page.get_by_role("link", name="Select whether you agree with the judgements")).to_be_visible()
    _check(page, "moderation with errors")
    page.goto(f"{live_server.url}{assessed['concern']}")
    page.get_by_role("button", name="Record the outcome").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    _check(page, "outcome with errors")
    page.goto(f"{live_server.url}{assessed['create']}")
    page.get_by_role("button", name="Raise the cause for concern").click()
    expect(page).to_have_title("Error: Raise a cause for concern: Ines Intern – protutor")
    _check(page, "concern form with errors")
    assert problems == []
    context.close()


def test_mentor_judges_in_the_browser(live_server, page, assessed):
    problems = watch_console(page)
    _sign_in(page, live_server.url, "mentor")
    page.goto(f"{live_server.url}{assessed['record']}")
    _check(page, "mentor's record page")
    page.get_by_role("group", name="Judgement for TS 3").get_by_label("Meeting", exact=True).check()
    page.get_by_label("Evidence for TS 3").fill("Secure subject knowledge in algebra")
    page.get_by_role("button", name="Save judgements").click()
    expect(page.get_by_text("Judgements saved")).to_be_visible()
    page.get_by_label("Evidence for TS 4").fill("Evidence with no judgement")
    page.get_by_role("button", name="Save judgements").click()
    expect(page.get_by_role("link", name="Select a judgement for TS 4")).to_be_visible()
    _check(page, "judgements with errors")
    page.goto(f"{live_server.url}{assessed['grid']}")
    _check(page, "mentor's grid")
    assert problems == []


def test_intern_pages_have_no_accessibility_violations(live_server, page, assessed):
    problems = watch_console(page)
    _sign_in(page, live_server.url, "intern")
    for name in ["record", "concern", "intern"]:
        page.goto(f"{live_server.url}{assessed[name]}")
        _check(page, name)
    page.goto(f"{live_server.url}{assessed['record']}")
    page.get_by_role("button", name="Save reflection").click()
    expect(page.get_by_role("link", name="Enter your reflection")).to_be_visible()
    _check(page, "reflection with errors")
    assert problems == []
