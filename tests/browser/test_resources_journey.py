"""The library journey of issue 13, in Chromium: a tutor publishes a resource with a file and signposts
it from a support case; the teacher finds it under "signposted to you" and downloads it. axe-core finds
no violations on the library's pages."""

import pytest
from playwright.sync_api import expect

from protutor.resources import services
from protutor.resources.models import ResourceOpen
from protutor.team.models import Partner
from tests.browser.helpers import axe_violations, sign_in, watch_console
from tests.factories.resources import ooxml, publish
from tests.factories.support import open_case_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery"
TITLE = "Hinge questions in practice"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def page_for(browser, live_server, username):
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    problems = watch_console(page)
    sign_in(page, live_server.url, username, PASSWORD)
    return page, problems


def test_publish_signpost_and_download(live_server, browser, standards, teacher, tutor, department):
    case = open_case_for(teacher, tutor)
    handout = ooxml("docx")

    # The tutor publishes a resource with a Word handout.
    page, problems = page_for(browser, live_server, "tutor")
    page.get_by_role("link", name="Resources", exact=True).click()
    page.get_by_role("button", name="Publish a resource").click()
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Session material").check()
    page.get_by_label("Summary", exact=True).fill(
        "One multiple-choice question that shows who has understood."
    )
    page.get_by_label("Tags (optional)").fill("questioning, assessment for learning")
    page.get_by_label("Mathematics").check()
    page.get_by_label("File (optional)").set_input_files(
        files=[{"name": "hinge-handout.docx", "mimeType": DOCX, "buffer": handout}]
    )
    page.get_by_role("button", name="Publish resource").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_role("link", name="Download hinge-handout.docx")).to_be_visible()
    assert axe_violations(page) == []

    # ...and signposts it from the teacher's support case.
    page.goto(f"{live_server.url}{case.get_absolute_url()}")
    page.get_by_role("button", name="Record support").click()
    page.get_by_label("Signposting").check()
    page.get_by_label("Minutes spent").fill("10")
    page.get_by_label(TITLE).check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Support recorded")).to_be_visible()
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    assert problems == []

    # The teacher finds it under "signposted to you" and downloads the handout.
    page, problems = page_for(browser, live_server, "teacher")
    page.get_by_role("link", name="Resources", exact=True).click()
    page.get_by_role("link", name="Resources signposted to you").click()
    expect(page.get_by_role("row", name=TITLE)).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name=TITLE).click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download hinge-handout.docx").click()
    assert download.value.suggested_filename == "hinge-handout.docx"
    with open(download.value.path(), "rb") as saved:
        assert saved.read() == handout
    # Each opening counts, with no name on the count: the tutor's page after publishing, the teacher's
    # page, and the download.
    assert ResourceOpen.objects.get().count == 3
    assert problems == []


def test_library_pages_have_no_axe_violations(live_server, browser, standards, tutor, teacher, college):
    resource = publish(tutor, title="Cold calling", tags="questioning")
    services.retire_resource(publish(tutor, title="Old guide"), actor=tutor.user)
    collection = services.save_collection(actor=tutor.user, title="Starter pack", resources=[resource])
    partner = Partner.objects.create(institution=college, name="Ribble Valley")
    link = services.issue_collection_link(collection, actor=tutor.user, partner=partner)
    page, problems = page_for(browser, live_server, "tutor")
    paths = [
        "/resources/",
        "/resources/?q=cold&retired=on",
        "/resources/?standard=999999",
        "/resources/new/",
        resource.get_absolute_url(),
        f"/resources/{resource.pk}/edit/",
        "/resources/most-used/",
        "/resources/signposted/",
        "/resources/collections/",
        "/resources/collections/new/",
        collection.get_absolute_url(),
        f"/resources/collections/{collection.pk}/edit/",
    ]
    for path in paths:
        page.goto(f"{live_server.url}{path}")
        assert axe_violations(page) == [], path
    # A form with errors.
    page.goto(f"{live_server.url}/resources/new/")
    page.get_by_role("button", name="Publish resource").click()
    expect(page).to_have_title("Error: Publish a resource – protutor")
    assert axe_violations(page) == []
    assert problems == []
    # The partner's read-only page, signed out.
    anonymous = browser.new_context().new_page()
    problems = watch_console(anonymous)
    anonymous.goto(f"{live_server.url}{link.get_absolute_url()}")
    expect(anonymous.get_by_role("heading", level=1)).to_have_text("Starter pack")
    assert axe_violations(anonymous) == []
    assert problems == []
