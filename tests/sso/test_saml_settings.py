"""A SAML provider's whole settings are checked when it is saved, with python3-saml's own settings check, so
one that cannot work is refused naming the metadata field; one stored broken anyway (saved before the check,
or edited in the admin) has no button, and its addresses answer with the refusal page, never a 500."""

import pytest
from allauth.socialaccount.models import SocialApp
from django.urls import reverse

from protutor.core.errors import ServiceError
from protutor.people import sso
from protutor.people.models import SsoProvider
from tests.pages import error_summary
from tests.sso.test_saml import HOST, add_saml_provider, idp, saml_client  # noqa: F401 (fixtures)

NO_HOST = sso.SAML_SETTINGS_PROBLEMS["idp_sso_url_invalid"]
NOT_A_CERTIFICATE = (
    "The signing certificate in the metadata is not a certificate: download the metadata again from the "
    "identity provider and paste all of it"
)


def no_host(idp) -> str:  # noqa: F811 (idp is the fixture's value)
    return idp.metadata().replace("https://idp.saml.test/sso", "https:///sso")


def not_a_certificate(idp) -> str:  # noqa: F811
    return idp.metadata().replace(idp.certificate_body, "bm90IGEgY2VydGlmaWNhdGU=")


@pytest.mark.django_db
@pytest.mark.parametrize(("broken", "message"), [(no_host, NO_HOST), (not_a_certificate, NOT_A_CERTIFICATE)])
def test_the_set_up_form_refuses_settings_the_saml_library_refuses(
    client_for,
    admin,
    idp,  # noqa: F811
    broken,
    message,
):
    client = client_for(admin)
    response = client.post(reverse("people:sso-add"), {"kind": "saml", "saml_metadata": broken(idp)})
    assert response.status_code == 200
    assert dict(error_summary(response))["#id_saml_metadata"] == message
    assert not SsoProvider.objects.exists()
    assert not SocialApp.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("broken", "message"), [(no_host, NO_HOST), (not_a_certificate, NOT_A_CERTIFICATE)])
def test_add_provider_refuses_settings_the_saml_library_refuses(admin, idp, broken, message):  # noqa: F811
    with pytest.raises(ServiceError) as refused:
        sso.add_provider(
            actor=admin.user,
            institution=admin.institution,
            kind=SsoProvider.Kind.SAML,
            name="",
            client_id="",
            secret="",
            saml_metadata=broken(idp),
        )
    assert (refused.value.message, refused.value.field) == (message, "saml_metadata")


def test_saml_settings_problem_names_each_fault(idp):  # noqa: F811
    good = sso.saml_settings(sso.parse_saml_metadata(idp.metadata()))
    assert sso.saml_settings_problem(good) is None
    assert sso.saml_settings_problem({}) is not None
    assert sso.saml_settings_problem({"idp": {**good["idp"], "x509cert": ""}}) is not None
    assert sso.saml_settings_problem({**good, "idp": {**good["idp"], "sso_url": "https:///sso"}}) == NO_HOST
    not_a_certificate = {**good, "idp": {**good["idp"], "x509cert": "bm90IGEgY2VydGlmaWNhdGU="}}
    assert sso.saml_settings_problem(not_a_certificate) == NOT_A_CERTIFICATE


@pytest.mark.django_db
@pytest.mark.parametrize("fault", ["no-host", "not-a-certificate", "no-idp"])
def test_a_broken_stored_provider_is_refused_never_a_server_error(
    client,
    admin,
    idp,  # noqa: F811
    saml_client,  # noqa: F811
    fault,
):
    provider = add_saml_provider(admin, idp)
    app = provider.app
    if fault == "no-host":
        app.settings["idp"]["sso_url"] = "https:///sso"
    elif fault == "not-a-certificate":
        app.settings["idp"]["x509cert"] = "bm90IGEgY2VydGlmaWNhdGU="
    else:
        del app.settings["idp"]
    SocialApp.objects.filter(pk=app.pk).update(settings=app.settings)

    sign_in = saml_client.get(reverse("account_login"))
    assert sign_in.status_code == 200
    assert "Sign in with the trust account" not in sign_in.content.decode()

    slug = app.client_id
    for response in (
        saml_client.post(reverse("saml_login", args=[slug])),
        saml_client.get(reverse("saml_login", args=[slug])),
        saml_client.post(reverse("saml_acs", args=[slug]), {"SAMLResponse": "eA=="}, follow=True),
        saml_client.get(reverse("saml_metadata", args=[slug])),
    ):
        assert response.status_code == 403
        assert "is not set up correctly in protutor" in response.content.decode()


@pytest.mark.parametrize(
    ("url", "usable"),
    [
        ("https://login.example.org/o", True),
        ("http://127.0.0.1:8000/o", True),
        ("https:///sso", False),
        ("https://", False),
        ("https://host:notaport/", False),
        ("http://login.example.org/o", False),
        ("", False),
    ],
)
def test_a_provider_address_must_have_a_host(url, usable):
    assert sso.https_or_loopback(url) is usable


@pytest.mark.django_db
def test_an_openid_connect_issuer_without_a_host_is_refused(client_for, admin):
    response = client_for(admin).post(
        reverse("people:sso-add"),
        {"kind": "oidc", "client_id": "c", "secret": "s", "other_url": "https:///o"},
    )
    assert "#id_other_url" in dict(error_summary(response))
    assert not SsoProvider.objects.exists()
