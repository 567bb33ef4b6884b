"""SAML 2.0 single sign-on (issue 12) against a test identity provider (tests/sso/saml_idp.py): its
metadata is what the administrator pastes in, and its signed responses are what the browser posts back.
Known staff get in; an unknown or closed account, and any response that is unsigned, tampered with,
signed by another key, expired, meant for another service or not asked for, is refused and creates
nothing."""

import datetime as dt

import pytest
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user
from django.urls import reverse
from playwright.sync_api import expect

from protutor.people import services, sso
from protutor.people.models import SsoProvider, User
from tests.browser.helpers import axe_violations, watch_console
from tests.pages import error_summary
from tests.sso.saml_idp import SamlIdentityProvider

HOST = "school.testserver"  # the service provider's addresses need a dotted host name


@pytest.fixture
def idp():
    return SamlIdentityProvider()


def add_saml_provider(admin, idp) -> SsoProvider:
    return sso.add_provider(
        actor=admin.user,
        institution=admin.institution,
        kind=SsoProvider.Kind.SAML,
        name="Sign in with the trust account",
        client_id="",
        secret="",
        saml_metadata=idp.metadata(),
    )


@pytest.fixture
def saml_provider(admin, idp):
    return add_saml_provider(admin, idp)


@pytest.fixture
def saml_client(client, settings):
    settings.ALLOWED_HOSTS = [HOST]
    client.defaults["HTTP_HOST"] = HOST
    return client


def start(client, provider):
    """Press the sign-in button: protutor redirects to the provider with a signed-in-later request."""
    response = client.post(reverse("saml_login", args=[provider.app.client_id]))
    assert response.status_code == 302
    return response["Location"]


def answer(client, acs_url, saml_response):
    return client.post(acs_url.split(HOST, 1)[1], {"SAMLResponse": saml_response}, follow=True)


@pytest.mark.django_db
def test_the_metadata_sets_up_the_provider_and_protutor_publishes_its_own(
    admin, idp, saml_provider, saml_client
):
    app = saml_provider.app
    assert app.provider == "saml"
    assert app.settings["idp"] == {
        "entity_id": idp.entity_id,
        "sso_url": idp.sso_url,
        "x509cert": idp.certificate_body,
    }
    metadata = saml_client.get(reverse("saml_metadata", args=[app.client_id]))
    assert metadata.status_code == 200
    body = metadata.content.decode()
    assert f'entityID="http://{HOST}/accounts/saml/{app.client_id}/metadata/"' in body
    assert f'Location="http://{HOST}/accounts/saml/{app.client_id}/acs/"' in body
    # The sign-in settings page tells the administrator what to register with the provider.
    saml_client.force_login(admin.user)
    page = saml_client.get(reverse("people:sign-in-policy")).content.decode()
    assert f"http://{HOST}/accounts/saml/{app.client_id}/acs/" in page
    assert "Entity ID and metadata" in page
    # The sign-in page may send people to the provider's sign-on address, and only there.
    saml_client.logout()
    csp = saml_client.get(reverse("account_login"))["Content-Security-Policy"]
    assert "form-action 'self' https://idp.saml.test" in csp


@pytest.mark.django_db
def test_known_staff_get_in_with_a_signed_response_and_again_next_time(
    idp, saml_provider, saml_client, teacher
):
    for _ in range(2):
        request = idp.read_request(start(saml_client, saml_provider))
        assert request.issuer == f"http://{HOST}/accounts/saml/{saml_provider.app.client_id}/metadata/"
        acs, saml_response = idp.response(request, teacher.user.email.upper())
        response = answer(saml_client, acs, saml_response)
        assert response.status_code == 200
        assert get_user(saml_client) == teacher.user
        saml_client.logout()
    account = SocialAccount.objects.get()
    assert (account.user, account.provider) == (teacher.user, saml_provider.app.provider_id)


def refusals():
    other = SamlIdentityProvider()
    return {
        "unknown person": {"email": "stranger@elsewhere.example"},
        "unsigned": {"signed": False},
        "signed by another key": {"signed_by": other},
        "expired": {"valid_for": dt.timedelta(minutes=-2)},
        "meant for another service": {"audience": "https://other.example/saml"},
        "not asked for": {"unsolicited": True},
        "tampered with after signing": {"tamper": True},
    }


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(refusals()))
def test_a_response_that_cannot_be_trusted_is_refused_and_creates_nothing(
    idp, saml_provider, saml_client, teacher, colleague, case
):
    options = dict(refusals()[case])
    email = options.pop("email", colleague.user.email)
    tamper = options.pop("tamper", False)
    unsolicited = options.pop("unsolicited", False)
    request = idp.read_request(start(saml_client, saml_provider))
    options.setdefault("audience", request.issuer)
    acs, saml_response = idp.response(
        None if unsolicited else request, email, acs_url=request.acs_url, **options
    )
    if tamper:  # a signed response for a colleague, edited to name the teacher
        saml_response = idp.tampered(saml_response, colleague.user.email, teacher.user.email)
    users = User.objects.count()
    response = answer(saml_client, acs, saml_response)
    assert response.status_code == 403
    assert "You cannot sign in with this account" in response.content.decode()
    assert not get_user(saml_client).is_authenticated
    assert not SocialAccount.objects.exists()
    assert User.objects.count() == users


@pytest.mark.django_db
def test_a_closed_account_and_an_address_outside_the_domain_are_refused(
    admin, idp, saml_provider, saml_client, colleague, teacher
):
    services.set_account_active(actor=admin.user, staff=colleague, active=False)
    acs, saml_response = idp.response(
        idp.read_request(start(saml_client, saml_provider)), colleague.user.email
    )
    assert "Your protutor account is closed" in answer(saml_client, acs, saml_response).content.decode()
    SsoProvider.objects.filter(pk=saml_provider.pk).update(domain="school.org.uk")
    acs, saml_response = idp.response(idp.read_request(start(saml_client, saml_provider)), teacher.user.email)
    assert teacher.user.email.endswith("@school.org.uk") is False
    assert (
        "did not confirm an email address of this school"
        in answer(saml_client, acs, saml_response).content.decode()
    )
    assert not get_user(saml_client).is_authenticated
    assert not SocialAccount.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("metadata", "message"),
    [
        ("", "Paste the metadata XML of the identity provider"),
        ("<not xml", "The metadata could not be read as XML: paste the whole file"),
        (
            '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x"/>',
            "The metadata has no IDPSSODescriptor with an entity ID",
        ),
        ("no-certificate", "The metadata has no signing certificate"),
        ("http-address", "The single sign-on address in the metadata must start with https://"),
    ],
)
def test_the_set_up_form_says_what_is_wrong_with_the_metadata(client_for, admin, idp, metadata, message):
    if metadata == "no-certificate":
        good = idp.metadata()
        metadata = good[: good.index("<md:KeyDescriptor")] + good[good.index("</md:KeyDescriptor>") + 19 :]
    elif metadata == "http-address":
        metadata = idp.metadata().replace("https://idp.saml.test/sso", "http://idp.saml.test/sso")
    client = client_for(admin)
    response = client.post(reverse("people:sso-add"), {"kind": "saml", "saml_metadata": metadata})
    assert dict(error_summary(response))["#id_saml_metadata"] == message
    assert not SsoProvider.objects.exists()


@pytest.mark.django_db
def test_the_set_up_form_takes_the_metadata_without_a_client_id(client_for, admin, idp):
    client = client_for(admin)
    response = client.post(reverse("people:sso-add"), {"kind": "saml", "saml_metadata": idp.metadata()})
    assert response.status_code == 302
    assert SsoProvider.objects.get().kind == "saml"
    errors = dict(error_summary(client.post(reverse("people:sso-add"), {"kind": "entra", "tenant": "x.org"})))
    assert errors["#id_client_id"] == "Enter the client ID (application ID) from the provider"
    assert errors["#id_secret"] == "Enter the client secret from the provider"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_sign_in_through_the_identity_provider_in_the_browser(
    live_server, browser, settings, admin, teacher, colleague
):
    """The browser goes to the provider's sign-on address (answered here by the test provider, which
    shows a page with a Continue button, as providers do without JavaScript) and posts the signed answer
    back to protutor."""
    idp = SamlIdentityProvider()
    settings.PROTUTOR_SAML_ALLOW_SINGLE_LABEL_HOSTS = True
    add_saml_provider(admin, idp)
    signing_in_as = {"email": teacher.user.email}

    def provider_page(route):
        request = idp.read_request(route.request.url)
        acs, saml_response = idp.response(request, signing_in_as["email"])
        route.fulfill(
            content_type="text/html",
            body=f"""<!doctype html><html lang="en"><head><title>Test identity provider</title></head>
            <body><main><h1>Test identity provider</h1><form method="post" action="{acs}">
            <input type="hidden" name="SAMLResponse" value="{saml_response}">
            <button type="submit">Continue</button></form></main></body></html>""",
        )

    for email, signed_in in [(teacher.user.email, True), ("stranger@elsewhere.example", False)]:
        signing_in_as["email"] = email
        context = browser.new_context()
        context.route(f"{idp.sso_url}**", provider_page)
        page = context.new_page()
        problems = watch_console(page)
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_role("button", name="Sign in with the trust account").click()
        page.get_by_role("button", name="Continue").click()
        if signed_in:
            expect(page.get_by_role("button", name="Sign out")).to_be_visible()
            assert SocialAccount.objects.get().user == teacher.user
            assert problems == []
        else:
            expect(page.get_by_role("heading", level=1)).to_have_text("You cannot sign in with this account")
            expect(page.get_by_text("There is no member of staff with your email address")).to_be_visible()
            assert axe_violations(page) == []
            assert problems == [
                "Failed to load resource: the server responded with a status of 403 (Forbidden)"
            ]
        context.close()
    assert SocialAccount.objects.count() == 1
