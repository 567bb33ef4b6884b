"""Single sign-on end to end against a real OpenID Connect provider on loopback (issue 12): known staff
get in, an unknown identity and a closed account are refused, and nothing is created for them."""

import pytest
from allauth.socialaccount.models import SocialAccount
from playwright.sync_api import expect

from protutor.people import services, sso
from protutor.people.models import User
from tests.browser.helpers import axe_violations, watch_console
from tests.sso.conftest import CLIENT_ID, CLIENT_SECRET, PROVIDER_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def provider_world(live_server, start_idp, admin, teacher, colleague):
    """The administrator has set up the school's provider; the provider knows three people."""
    services.set_account_active(actor=admin.user, staff=colleague, active=False)
    port_placeholder = "http://127.0.0.1:1/o"  # replaced below, once the provider's port is known
    provider = sso.add_provider(
        actor=admin.user,
        institution=admin.institution,
        kind="oidc",
        name="Sign in with the school account",
        client_id=CLIENT_ID,
        secret=CLIENT_SECRET,
        other_url=port_placeholder,
    )
    callback = f"{live_server.url}/accounts/oidc/{provider.app.provider_id}/login/callback/"
    idp = start_idp(
        {
            "tess": {"email": teacher.user.email.upper(), "email_verified": True, "name": "Tess Teacher"},
            "stranger": {"email": "stranger@elsewhere.example", "email_verified": True},
            "closed": {"email": colleague.user.email, "email_verified": True},
            "unverified": {"email": teacher.user.email, "email_verified": False},
        },
        callback,
    )
    provider.app.settings = {"server_url": idp.issuer}
    provider.app.save()
    return live_server.url


def sso_sign_in(browser, base_url, username):
    page = browser.new_context().new_page()
    problems = watch_console(page)
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_role("button", name="Sign in with the school account").click()
    page.get_by_label("Provider username").fill(username)
    page.get_by_label("Provider password").fill(PROVIDER_PASSWORD)
    page.get_by_role("button", name="Sign in at the provider").click()
    return page, problems


def test_known_staff_get_in(browser, provider_world, teacher):
    page, problems = sso_sign_in(browser, provider_world, "tess")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    expect(page.get_by_text("Tess Teacher").first).to_be_visible()
    assert SocialAccount.objects.get().user == teacher.user
    assert problems == []


def test_an_unknown_identity_is_refused_and_nothing_is_created(browser, provider_world):
    users = User.objects.count()
    page, _ = sso_sign_in(browser, provider_world, "stranger")
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot sign in with this account")
    expect(page.get_by_text("There is no member of staff with your email address")).to_be_visible()
    assert axe_violations(page) == []
    assert User.objects.count() == users
    assert not SocialAccount.objects.exists()
    page.goto(f"{provider_world}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to protutor")


def test_a_closed_account_is_refused(browser, provider_world):
    page, _ = sso_sign_in(browser, provider_world, "closed")
    expect(page.get_by_text("Your protutor account is closed")).to_be_visible()
    assert not SocialAccount.objects.exists()


def test_an_unverified_email_is_not_trusted(browser, provider_world):
    page, _ = sso_sign_in(browser, provider_world, "unverified")
    expect(page.get_by_text("did not confirm an email address")).to_be_visible()
    assert not SocialAccount.objects.exists()
