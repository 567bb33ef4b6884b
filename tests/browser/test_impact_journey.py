"""The impact journey of issue 13, in Chromium on the demo college: the programme lead opens the impact
dashboard, finds Engineering's gendered achievement gap narrowing beside the department's CPD, builds and
downloads the termly PDF report, and axe-core finds no violations on the way."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.helpers import axe_violations, sign_in, watch_console

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(db):
    call_command("demo", stdout=open("/dev/null", "w"))


def test_programme_lead_sees_narrowing_gap_and_downloads_report(live_server, page, demo):
    problems = watch_console(page)
    sign_in(page, live_server.url, "priya.lead")
    page.get_by_role("link", name="Impact").click()
    expect(page.get_by_role("heading", level=1, name="Impact")).to_be_visible()
    expect(page.get_by_role("heading", name="CPD coverage and hours")).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_role("link", name="Student outcomes").click()
    page.get_by_label("Department", exact=True).select_option(label="Engineering and Apprenticeships")
    page.get_by_role("button", name="Show figures").click()
    gap_row = page.get_by_role("row").filter(has_text="Female minus male").filter(has_text="narrowed")
    expect(gap_row).to_have_count(1)
    # Beside the narrowed gap: the CPD session delivered with the department that year.
    expect(gap_row.get_by_role("cell").nth(5)).to_have_text("1")
    expect(gap_row.get_by_role("cell").nth(6)).to_have_text("ETF 19, ETF 5")
    expect(page.get_by_role("img", name="Engineering and Apprenticeships: female minus male")).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_role("link", name="Surveys").click()
    expect(page.get_by_role("heading", name="Student survey: share agreeing, by year")).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_role("link", name="Termly reports").click()
    page.get_by_label("Term", exact=True).select_option(index=1)
    page.get_by_role("button", name="Build now").click()
    expect(page.get_by_text("The report is being built")).to_be_visible()
    assert axe_violations(page) == []
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF").first.click()
    path = download.value.path()
    with open(path, "rb") as pdf:
        assert pdf.read(4) == b"%PDF"

    page.get_by_role("link", name="Autumn term").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Impact report")
    assert axe_violations(page) == []
    assert problems == []
