"""A second factor in the browser (issue 12): a programme lead whose role needs one is taken to set up an
authenticator app straight after signing in, then signs in with a code, and once with a recovery code."""

import pytest
from playwright.sync_api import expect

from protutor.people import services
from protutor.people.models import Role
from tests.browser.helpers import axe_violations, watch_console
from tests.people.test_mfa import totp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery"


def password_step(page, base_url, username="programme_lead"):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_enrol_sign_in_with_a_code_and_with_a_recovery_code(live_server, browser, admin, programme_lead):
    services.set_sign_in_policy(
        actor=admin.user, institution=admin.institution, mfa_required_roles=[Role.PROGRAMME_LEAD]
    )
    page = browser.new_context().new_page()
    problems = watch_console(page)
    password_step(page, live_server.url)

    # Straight to set-up; no other page opens until it is done.
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up an authenticator app")
    expect(page.get_by_text("Your role needs a second step at sign-in")).to_be_visible()
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}/support/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up an authenticator app")

    secret = page.get_by_label("Authenticator secret").input_value()
    page.get_by_label("Code from your authenticator app").fill("123")
    page.get_by_role("button", name="Set up").click()
    expect(page.get_by_role("link", name="The code is not right")).to_be_visible()
    page.get_by_label("Code from your authenticator app").fill(totp(secret))
    page.get_by_role("button", name="Set up").click()

    # Recovery codes are shown once set up; keep one.
    expect(page.get_by_role("heading", level=1)).to_have_text("Recovery codes")
    assert axe_violations(page) == []
    recovery = page.locator(".pt-recovery-codes li").first.inner_text().strip()
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Set up an authenticator app")

    # Next time: the password, then a code.
    page.get_by_role("button", name="Sign out").click()
    password_step(page, live_server.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter a code")
    assert axe_violations(page) == []
    page.get_by_label("Code").fill(recovery)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Enter a code")
    page.get_by_role("button", name="Sign out").click()

    password_step(page, live_server.url)
    page.get_by_label("Code").fill(recovery)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter a code")
    page.get_by_label("Code").fill(totp(secret))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Enter a code")
    assert problems == []


def test_a_passkey_is_the_second_step(live_server, browser, admin, programme_lead):
    """Chromium's virtual authenticator stands in for a phone or a fingerprint reader."""
    services.set_sign_in_policy(
        actor=admin.user, institution=admin.institution, mfa_required_roles=[Role.PROGRAMME_LEAD]
    )
    context = browser.new_context()
    page = context.new_page()
    problems = watch_console(page)
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    password_step(page, live_server.url)
    page.get_by_role("link", name="Add a passkey instead").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a passkey")
    assert axe_violations(page) == []
    page.get_by_label("Name for this passkey").fill("Work laptop")
    page.get_by_role("button", name="Add passkey").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Recovery codes")

    page.goto(f"{live_server.url}/")
    page.get_by_role("button", name="Sign out").click()
    password_step(page, live_server.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter a code")
    page.get_by_role("button", name="Use a passkey").click()
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Enter a code")
    page.goto(f"{live_server.url}/accounts/2fa/webauthn/")
    expect(page.get_by_role("cell", name="Work laptop", exact=True)).to_be_visible()
    assert problems == []
