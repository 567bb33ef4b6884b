"""Single sign-on set-up and matching rules (the browser journey against a real provider is in tests/sso)."""

import pytest
from allauth.socialaccount.models import SocialApp
from django.urls import reverse

from protutor.core import crypto
from protutor.core.errors import ServiceError
from protutor.people import services, sso
from protutor.people.models import SsoProvider
from tests.pages import error_summary

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"


def entra(admin):
    return sso.add_provider(
        actor=admin.user,
        institution=admin.institution,
        kind="entra",
        name="",
        client_id="c",
        secret="s3cret",
        tenant=TENANT,
    )


def google(admin):
    return sso.add_provider(
        actor=admin.user,
        institution=admin.institution,
        kind="google",
        name="",
        client_id="c",
        secret="s",
        domain="School.org.uk",
    )


def test_the_client_secret_is_kept_encrypted_and_read_in_memory(admin, rf):
    provider = entra(admin)
    stored = SocialApp.objects.get().secret
    assert stored != "s3cret"
    assert crypto.decrypt(stored) == "s3cret"
    assert provider.app.settings["server_url"] == f"https://login.microsoftonline.com/{TENANT}/v2.0"
    assert str(provider) == "Sign in with Microsoft"


def test_only_an_administrator_sets_up_a_provider(programme_lead, admin):
    with pytest.raises(ServiceError):
        sso.add_provider(
            actor=programme_lead.user,
            institution=admin.institution,
            kind="google",
            name="",
            client_id="c",
            secret="s",
            domain="school.org.uk",
        )
    assert not SsoProvider.objects.exists()


@pytest.mark.parametrize(
    "claims, trusted",
    [
        ({"email": "Tess@School.org.uk", "tid": TENANT}, True),
        ({"preferred_username": "tess@school.org.uk", "tid": TENANT}, True),
        ({"email": "tess@school.org.uk", "tid": "another-tenant"}, False),
        ({"email": "tess@school.org.uk"}, False),
        ({"tid": TENANT}, False),
    ],
)
def test_entra_identities_must_come_from_the_schools_tenant(admin, claims, trusted):
    assert (sso.verified_email(entra(admin), claims) == "tess@school.org.uk") is trusted


@pytest.mark.parametrize(
    "claims, trusted",
    [
        ({"email": "tess@school.org.uk", "email_verified": True, "hd": "school.org.uk"}, True),
        ({"email": "tess@school.org.uk", "email_verified": False, "hd": "school.org.uk"}, False),
        ({"email": "tess@gmail.com", "email_verified": True}, False),
        ({"email": "tess@school.org.uk", "email_verified": True}, False),
        ({"email": "tess@evil.example", "email_verified": True, "hd": "school.org.uk"}, False),
    ],
)
def test_google_identities_must_be_verified_and_of_the_schools_domain(admin, claims, trusted):
    assert (sso.verified_email(google(admin), claims) is not None) is trusted


def test_matching_is_by_email_within_the_providers_institution(admin, teacher, outsider):
    provider = google(admin)
    teacher.user.email = "tess@school.org.uk"
    teacher.user.save()
    outsider.user.email = "olly@school.org.uk"
    outsider.user.save()
    claims = {"email_verified": True, "hd": "school.org.uk"}
    assert sso.match(provider, {**claims, "email": "TESS@school.org.uk"}).user == teacher.user
    refused = sso.match(provider, {**claims, "email": "olly@school.org.uk"})
    assert refused.user is None
    assert "no member of staff" in refused.refusal


def test_passwords_can_be_switched_off_once_a_provider_is_set_up(client, admin, teacher):
    with pytest.raises(ServiceError, match="Set up a single sign-on provider"):
        services.set_sign_in_policy(
            actor=admin.user, institution=admin.institution, mfa_required_roles=[], password_sign_in=False
        )
    google(admin)
    services.set_sign_in_policy(
        actor=admin.user, institution=admin.institution, mfa_required_roles=[], password_sign_in=False
    )
    response = client.post(reverse("account_login"), {"login": "teacher", "password": PASSWORD})
    assert response.status_code == 200
    assert "signs in with single sign-on" in response.content.decode()
    assert client.get("/").status_code == 302
    # Administrators keep their password, so a failed provider never locks the school out.
    assert client.post(reverse("account_login"), {"login": "admin", "password": PASSWORD}).status_code == 302


def test_the_set_up_form_names_what_each_provider_needs(client_for, admin):
    client = client_for(admin)
    url = reverse("people:sso-add")
    errors = dict(error_summary(client.post(url, {"kind": "entra", "client_id": "c", "secret": "s"})))
    assert errors["#id_tenant"].startswith("Enter the tenant ID")
    errors = dict(error_summary(client.post(url, {"kind": "google", "client_id": "c", "secret": "s"})))
    assert errors["#id_domain"].startswith("Enter your Google Workspace domain")
    errors = dict(
        error_summary(
            client.post(
                url, {"kind": "oidc", "client_id": "c", "secret": "s", "other_url": "http://id.example"}
            )
        )
    )
    assert errors["#id_other_url"] == "The issuer URL must start with https://"
    assert not SsoProvider.objects.exists()
    response = client.post(
        url, {"kind": "google", "client_id": "c", "secret": "s", "domain": "school.org.uk"}
    )
    assert response.status_code == 302
    page = client.get(reverse("people:sign-in-policy")).content.decode()
    assert "/accounts/oidc/google-" in page  # the redirect URI to register with the provider


def test_the_sign_in_page_allows_posting_to_the_providers_only_there(client, admin, teacher):
    google(admin)
    csp = client.get(reverse("account_login"))["Content-Security-Policy"]
    assert "form-action 'self' https://accounts.google.com" in csp
    client.force_login(teacher.user)
    assert "accounts.google.com" not in client.get("/")["Content-Security-Policy"]
