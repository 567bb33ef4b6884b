"""Journeys in Chromium against the live server: sign-in, role home pages, confidentiality, keyboard,
no JavaScript. axe-core checks every page the demo reaches (tests/browser/test_accessibility.py)."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import sign_in, watch_console

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery"


def test_tutor_signs_in_and_sees_caseload(live_server, page, tutor, teacher, department):
    problems = watch_console(page)
    sign_in(page, live_server.url, "tutor", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Tamsin")
    caseload = page.get_by_role("region", name="Your caseload")
    expect(caseload).to_contain_text("150 remitted hours of a 773-hour teaching caseload")
    expect(caseload.get_by_role("link", name="Mathematics")).to_be_visible()
    caseload.get_by_role("link", name="Mathematics").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mathematics")
    expect(page.get_by_role("link", name="Teacher, Tess")).to_be_visible()
    assert problems == []


def test_teacher_gets_404_on_another_teachers_page(live_server, page, teacher, colleague):
    sign_in(page, live_server.url, "teacher", PASSWORD)
    response = page.goto(f"{live_server.url}/people/staff/{colleague.pk}/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.locator("body")).not_to_contain_text("Colleague")
    own = page.goto(f"{live_server.url}/people/staff/{teacher.pk}/")
    assert own.status == 200


def test_sign_out_and_pages_need_sign_in_again(live_server, page, teacher):
    sign_in(page, live_server.url, "teacher", PASSWORD)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to protutor")
    page.goto(f"{live_server.url}/people/staff/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/people/staff/")


def test_failed_sign_in_error_summary_links_to_field(live_server, page):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_title("Error: Sign in – protutor")
    page.get_by_role("link", name="Enter your username or email address").click()
    expect(page.get_by_label("Username or email")).to_be_focused()


def test_keyboard_skip_link_moves_focus_to_main(live_server, page, teacher):
    sign_in(page, live_server.url, "teacher", PASSWORD)
    page.goto(f"{live_server.url}/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#main-content")).to_be_focused()


def test_staff_search_works_without_javascript(live_server, browser, programme_lead, teacher, colleague):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server.url, "programme_lead", PASSWORD)
    page.get_by_role("link", name="Staff").click()
    page.get_by_label("Search by name, staff code or job title").fill("Colleague")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name="Colleague, Colin")).to_be_visible()
    expect(page.get_by_role("link", name="Teacher, Tess")).to_have_count(0)
    context.close()


def test_staff_search_updates_results_with_htmx(live_server, page, programme_lead, teacher, colleague):
    problems = watch_console(page)
    sign_in(page, live_server.url, "programme_lead", PASSWORD)
    page.goto(f"{live_server.url}/people/staff/")
    page.get_by_label("Search by name, staff code or job title").fill("Colleague")
    expect(page.get_by_role("link", name="Teacher, Tess")).to_have_count(0)
    expect(page.get_by_role("link", name="Colleague, Colin")).to_be_visible()
    assert problems == []


def test_programme_lead_assigns_a_caseload(
    live_server, page, programme_lead, year, tutor, colleague, other_department
):
    sign_in(page, live_server.url, "programme_lead", PASSWORD)
    page.get_by_role("link", name="Caseloads").first.click()
    expect(page.get_by_role("listitem").filter(has_text="Art and Design")).to_be_visible()
    page.get_by_role("button", name="Assign a caseload").click()
    page.get_by_label("Professional tutor").select_option(label="Colin Colleague")
    page.get_by_label("Art and Design").check()
    page.get_by_label("Remitted hours").fill("150")
    page.get_by_role("button", name="Save caseload").click()
    expect(page.get_by_text("Caseload saved for Colin Colleague")).to_be_visible()
    expect(page.get_by_text("Every department has a professional tutor")).to_be_visible()


def test_administrator_previews_then_applies_a_staff_import(live_server, page, admin, department, tmp_path):
    from protutor.people.models import StaffMember

    csv = tmp_path / "mis-export.csv"
    csv.write_text(
        "\ufeffStaff Code,Title,Forename,Surname,Email,Department,Job Title,Line Manager,FTE\n"
        "NEW1,Ms,Nia,Newton,nia.newton@example.org,Mathematics,Lecturer,NEW2,1\n"
        'NEW2,Mr,Ned,Nolan,ned.nolan@example.org,Mathematics,"Curriculum Leader, Maths",,0.8\n',
        encoding="utf-8",
    )
    problems = watch_console(page)
    sign_in(page, live_server.url, "admin", PASSWORD)
    page.get_by_role("link", name="Import staff").first.click()
    page.get_by_label("CSV file").set_input_files(str(csv))
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import preview")
    assert StaffMember.objects.filter(staff_code__in=["NEW1", "NEW2"]).count() == 0
    page.get_by_role("button", name="Apply import").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import applied")
    nia = StaffMember.objects.get(staff_code="NEW1")
    assert nia.line_manager.staff_code == "NEW2"
    assert problems == []
