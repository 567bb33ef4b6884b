"""Single sign-on with Microsoft Entra ID, Google Workspace, another OpenID Connect provider, or a SAML 2.0
identity provider (issue 12).

Only staff already in the directory can sign in: an identity is matched to a member of staff of the
provider's institution by a verified email address. An unknown identity is refused and nothing is created;
a closed account is refused."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.socialaccount.models import SocialApp
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.text import slugify

from protutor.audit import services as audit
from protutor.core import crypto
from protutor.core.errors import ServiceError
from protutor.people import permissions
from protutor.people.models import Institution, SsoProvider, StaffMember, User

logger = logging.getLogger(__name__)

ENTRA_ISSUER = "https://login.microsoftonline.com/{tenant}/v2.0"
GOOGLE_ISSUER = "https://accounts.google.com"
BUTTON: dict[str, str] = {
    SsoProvider.Kind.ENTRA: "Sign in with Microsoft",
    SsoProvider.Kind.GOOGLE: "Sign in with Google",
}
# Where a SAML assertion's attributes carry the person's identifier, email and names: the standard names
# (OASIS, eduPerson/X.500 OIDs) and those ADFS and Entra ID send. Failing an email attribute, a NameID in
# the emailAddress format is the address.
SAML_ATTRIBUTES = {
    "uid": [
        "urn:oasis:names:tc:SAML:attribute:subject-id",
        "http://schemas.microsoft.com/identity/claims/objectidentifier",
    ],
    "email": [
        "urn:oid:0.9.2342.19200300.100.1.3",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
        "mail",
        "email",
    ],
    "first_name": [
        "urn:oid:2.5.4.42",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname",
        "givenName",
    ],
    "last_name": [
        "urn:oid:2.5.4.4",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname",
        "sn",
    ],
}


LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


def https_or_loopback(url: str) -> bool:
    """Whether a provider address is HTTPS, or plain HTTP on this machine (a provider under test)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 (raises ValueError for a port that is not a number)
    except ValueError:
        return False
    if not host:  # "https:///sso" has a scheme and no host: nothing can be reached there
        return False
    return parts.scheme == "https" or (parts.scheme == "http" and host in LOOPBACK_HOSTS)


@dataclass(frozen=True)
class SamlIdentityProvider:
    entity_id: str
    sso_url: str
    x509cert: str


def parse_saml_metadata(xml: str) -> SamlIdentityProvider:
    """The identity provider described by its metadata XML; ValueError saying what is missing if the XML
    cannot be read or has no entity ID, sign-on address (HTTP-Redirect binding) or signing certificate, or
    if the settings made from it fail python3-saml's own check (`saml_settings_problem`)."""
    from onelogin.saml2.idp_metadata_parser import OneLogin_Saml2_IdPMetadataParser

    try:
        found = OneLogin_Saml2_IdPMetadataParser.parse(xml.strip()).get("idp") or {}
    except Exception as error:  # lxml's syntax errors, and the parser's own for forbidden DTDs
        raise ValueError("The metadata could not be read as XML: paste the whole file") from error
    if not found.get("entityId"):
        raise ValueError("The metadata has no IDPSSODescriptor with an entity ID")
    sso_url = (found.get("singleSignOnService") or {}).get("url", "")
    if not sso_url:
        raise ValueError("The metadata has no single sign-on address with the HTTP-Redirect binding")
    cert = found.get("x509cert") or next(iter((found.get("x509certMulti") or {}).get("signing", [])), "")
    if not cert:
        raise ValueError("The metadata has no signing certificate")
    idp = SamlIdentityProvider(found["entityId"], sso_url, "".join(cert.split()))
    problem = saml_settings_problem(saml_settings(idp))
    if problem is not None:
        raise ValueError(problem)
    return idp


# python3-saml's own settings check names each problem with a code; what each means for the administrator.
SAML_SETTINGS_PROBLEMS = {
    "idp_not_found": "The metadata does not describe an identity provider",
    "idp_entityId_not_found": "The metadata has no entity ID for the identity provider",
    "idp_sso_not_found": "The metadata has no single sign-on address with the HTTP-Redirect binding",
    "idp_sso_url_invalid": "The single sign-on address in the metadata is not a whole web address: it must "
    "have a host name, like https://idp.example.org/saml/sso",
    "idp_slo_url_invalid": "The single logout address in the metadata is not a whole web address: it must "
    "have a host name, like https://idp.example.org/saml/logout",
    "idp_cert_or_fingerprint_not_found_and_required": "The metadata has no signing certificate",
    "idp_cert_not_found_and_required": "The metadata has no certificate",
}


class _AddressOfThisServer:
    """Stands in for a request when the settings are checked at save time: the service provider's own
    addresses only need to be well formed for the check."""

    def build_absolute_uri(self, location: str) -> str:
        return f"https://protutor.example.org{location}"


def saml_settings_problem(app_settings: dict, request=None) -> str | None:
    """What stops these SAML app settings working, in words for the administrator, or None if nothing does.

    The settings are built as allauth builds them for each sign-in and checked by python3-saml's own
    settings check (OneLogin_Saml2_Settings), the check that fails at sign-in otherwise; the identity
    provider's certificate must also be a certificate (the library only checks that there is one)."""
    from allauth.socialaccount.providers.saml.utils import build_saml_config
    from cryptography import x509
    from onelogin.saml2.errors import OneLogin_Saml2_Error
    from onelogin.saml2.settings import OneLogin_Saml2_Settings
    from onelogin.saml2.utils import OneLogin_Saml2_Utils

    app_settings = app_settings or {}
    advanced = {
        **(app_settings.get("advanced") or {}),
        "allow_single_label_domains": settings.PROTUTOR_SAML_ALLOW_SINGLE_LABEL_HOSTS,
    }
    idp = app_settings.get("idp")
    if not isinstance(idp, dict) or not all(idp.get(key) for key in ("entity_id", "sso_url", "x509cert")):
        return "The metadata must give the identity provider's entity ID, sign-on address and certificate"
    try:
        config = build_saml_config(
            request or _AddressOfThisServer(), {**app_settings, "advanced": advanced}, "settings-check"
        )
        OneLogin_Saml2_Settings(config)
    except OneLogin_Saml2_Error as error:
        codes = str(error).rpartition(":")[2].strip().split(",")
        known = [SAML_SETTINGS_PROBLEMS[code] for code in codes if code in SAML_SETTINGS_PROBLEMS]
        return "; ".join(known) if known else f"The metadata cannot be used for single sign-on ({error})"
    if not https_or_loopback(idp["sso_url"]):
        return "The single sign-on address in the metadata must start with https://"
    try:
        x509.load_pem_x509_certificate(OneLogin_Saml2_Utils.format_cert(str(idp["x509cert"])).encode())
    except ValueError:
        return (
            "The signing certificate in the metadata is not a certificate: download the metadata again from "
            "the identity provider and paste all of it"
        )
    return None


def saml_settings(idp: SamlIdentityProvider) -> dict:
    """allauth's SAML app settings: responses must be signed by the identity provider's certificate and
    answer a request protutor made (an unsolicited, IdP-initiated response is refused)."""
    return {
        "idp": {"entity_id": idp.entity_id, "sso_url": idp.sso_url, "x509cert": idp.x509cert},
        "attribute_mapping": SAML_ATTRIBUTES,
        "advanced": {"strict": True, "reject_idp_initiated_sso": True},
    }


def server_url(kind: str, *, tenant: str = "", other_url: str = "") -> str:
    if kind == SsoProvider.Kind.ENTRA:
        return ENTRA_ISSUER.format(tenant=tenant)
    if kind == SsoProvider.Kind.GOOGLE:
        return GOOGLE_ISSUER
    return other_url.rstrip("/")


@transaction.atomic
def add_provider(
    *,
    actor,
    institution: Institution,
    kind: str,
    name: str,
    client_id: str,
    secret: str,
    tenant: str = "",
    domain: str = "",
    other_url: str = "",
    saml_metadata: str = "",
) -> SsoProvider:
    """Set up a provider. An OpenID Connect client secret is kept encrypted; a SAML provider is described
    by its metadata XML instead. The button says `name`."""
    if not permissions.institutions_administered_by(actor).filter(pk=institution.pk).exists():
        raise ServiceError("You do not have permission to do that.")
    provider_id = (
        f"{slugify(kind)}-{institution.pk}-{SsoProvider.objects.filter(institution=institution).count() + 1}"
    )
    button = name.strip() or BUTTON.get(kind, "Sign in with single sign-on")
    if kind == SsoProvider.Kind.SAML:
        try:
            idp = parse_saml_metadata(saml_metadata)
        except ValueError as error:
            raise ServiceError(str(error), field="saml_metadata") from error
        app_settings = saml_settings(idp)
        problem = saml_settings_problem(app_settings)
        if problem is not None:
            raise ServiceError(problem, field="saml_metadata")
        # allauth names a SAML app by its client ID (the "organisation slug" in its addresses).
        app = SocialApp.objects.create(
            provider="saml",
            provider_id=provider_id,
            name=button,
            client_id=provider_id,
            settings=app_settings,
        )
    else:
        app = SocialApp.objects.create(
            provider="openid_connect",
            provider_id=provider_id,
            name=button,
            client_id=client_id.strip(),
            secret=crypto.encrypt(secret.strip()),
            settings={"server_url": server_url(kind, tenant=tenant.strip(), other_url=other_url.strip())},
        )
    provider = SsoProvider.objects.create(
        institution=institution, kind=kind, app=app, tenant=tenant.strip(), domain=domain.strip().lower()
    )
    audit.record(actor=actor, action="people.sso_provider_added", target=provider, kind=kind)
    return provider


@transaction.atomic
def remove_provider(*, actor, provider: SsoProvider) -> None:
    if not permissions.institutions_administered_by(actor).filter(pk=provider.institution_id).exists():
        raise ServiceError("You do not have permission to do that.")
    audit.record(actor=actor, action="people.sso_provider_removed", target=provider)
    provider.app.delete()  # the SsoProvider goes with it


def app_problem(app: SocialApp, request=None) -> str | None:
    """What stops a stored provider working, or None: a SAML app's whole settings (`saml_settings_problem`),
    an OpenID Connect app's issuer address."""
    if app.provider == "saml":
        return saml_settings_problem(app.settings, request)
    if app.provider == "openid_connect" and not https_or_loopback((app.settings or {}).get("server_url", "")):
        return "The issuer URL is not a whole web address starting with https://"
    return None


def usable_apps(request, apps: list[SocialApp], *, client_id: str | None) -> list[SocialApp]:
    """The apps allauth may use, decrypted. A SAML app whose stored settings cannot work (saved before its
    settings were checked, or edited in the admin) gets no button on the sign-in page, and any address of
    it (its button, reply and metadata addresses, which name it by client ID) answers with the refusal page,
    never a server error."""
    from allauth.core.exceptions import ImmediateHttpResponse
    from django.shortcuts import render

    usable = []
    for app in apps:
        app = decrypted(app)
        # Listing the buttons checks what was stored; using one also checks this server's own addresses.
        problem = app_problem(app, request if client_id is not None else None)
        if problem is None:
            usable.append(app)
            continue
        logger.warning("single sign-on provider %s cannot be used: %s", app.provider_id, problem)
        if client_id is not None:
            reason = (
                "Single sign-on with this provider is not set up correctly in protutor, so it cannot be used. "
                "Sign in another way, or ask your administrator to set the provider up again."
            )
            response = render(request, "account/sso_refused.html", {"reason": reason}, status=403)
            raise ImmediateHttpResponse(response)
    return usable


def decrypted(app: SocialApp) -> SocialApp:
    """The app as allauth uses it in memory, never saved like this: its secret readable, and a SAML app
    told whether this server's own addresses may have single-label host names (development and tests)."""
    if app.secret:
        app.secret = crypto.decrypt(app.secret)
    if app.provider == "saml":
        advanced = app.settings.setdefault("advanced", {})
        advanced["allow_single_label_domains"] = settings.PROTUTOR_SAML_ALLOW_SINGLE_LABEL_HOSTS
    return app


def claims_of(provider: SsoProvider, sociallogin) -> dict:
    """The identity's claims. OpenID Connect: the signed ID token's, with the userinfo endpoint's answers
    over them. SAML: the address from the assertion, which the identity provider signed (a signed response
    from the provider the administrator trusted is its word that the address is the person's)."""
    if provider.kind == SsoProvider.Kind.SAML:
        emails = [address.email for address in sociallogin.email_addresses if address.email]
        return {"email": emails[0] if emails else "", "email_verified": True}
    extra_data = sociallogin.account.extra_data
    return {**(extra_data.get("id_token") or {}), **(extra_data.get("userinfo") or {})}


def service_provider_details(request, provider: SsoProvider) -> list[tuple[str, str]]:
    """What the administrator registers with the provider about protutor."""
    app = provider.app
    if app.provider == "saml":
        return [
            (
                "Entity ID and metadata",
                request.build_absolute_uri(reverse("saml_metadata", args=[app.client_id])),
            ),
            (
                "Assertion consumer service (reply URL)",
                request.build_absolute_uri(reverse("saml_acs", args=[app.client_id])),
            ),
        ]
    return [
        (
            "Redirect URI to register with the provider",
            request.build_absolute_uri(f"/accounts/oidc/{app.provider_id}/login/callback/"),
        )
    ]


@dataclass(frozen=True)
class Match:
    user: User | None
    refusal: str = ""


def verified_email(provider: SsoProvider, claims: dict) -> str | None:
    """The identity's email address if this provider vouches for it, else None.

    Entra ID issues tokens for one tenant's own directory, whose addresses the school manages: the token
    must name that tenant. Google Workspace must say the address is verified and belongs to the school's
    domain. Any other provider must say the address is verified."""
    email = (claims.get("email") or claims.get("preferred_username") or "").strip().lower()
    if not email or "@" not in email:
        return None
    if provider.kind == SsoProvider.Kind.ENTRA:
        return email if provider.tenant and claims.get("tid") == provider.tenant else None
    if not claims.get("email_verified"):
        return None
    if provider.kind == SsoProvider.Kind.GOOGLE:
        domain = provider.domain
        if not domain or claims.get("hd", "").lower() != domain or not email.endswith(f"@{domain}"):
            return None
    if (
        provider.kind == SsoProvider.Kind.SAML
        and provider.domain
        and not email.endswith(f"@{provider.domain}")
    ):
        return None
    return email


def match(provider: SsoProvider, claims: dict) -> Match:
    email = verified_email(provider, claims)
    if email is None:
        return Match(
            None, "Your sign-in provider did not confirm an email address of this school or college."
        )
    staff = (
        StaffMember.objects.select_related("user")
        .filter(institution=provider.institution, user__email__iexact=email)
        .first()
    )
    if staff is None:
        return Match(None, "There is no member of staff with your email address in protutor.")
    if not staff.user.is_active or not staff.is_active:
        return Match(None, "Your protutor account is closed.")
    return Match(staff.user)


def password_sign_in_allowed(user: User) -> bool:
    """Whether `user` may sign in with a password: yes unless their institution switched passwords off;
    administrators keep theirs, so a failed provider never locks everyone out."""
    staff = StaffMember.objects.filter(user=user).select_related("institution__sign_in_policy").first()
    if staff is None:
        return True
    policy = getattr(staff.institution, "sign_in_policy", None)
    if policy is None or policy.password_sign_in:
        return True
    return permissions.institutions_administered_by(user).filter(pk=staff.institution_id).exists()


def provider_origins() -> list[str]:
    """The origins single sign-on sends people to (scheme, host and port of each provider's issuer)."""
    origins = set()
    for kind, app_settings in SocialApp.objects.filter(provider__in=["openid_connect", "saml"]).values_list(
        "provider", "settings"
    ):
        app_settings = app_settings if isinstance(app_settings, dict) else {}
        stored_idp = app_settings.get("idp")
        idp: dict = stored_idp if isinstance(stored_idp, dict) else {}
        url = app_settings.get("server_url", "") if kind == "openid_connect" else idp.get("sso_url", "")
        if not isinstance(url, str):
            continue
        parts = urlsplit(url)
        if parts.scheme in {"https", "http"} and parts.netloc:
            origins.add(f"{parts.scheme}://{parts.netloc}")
    return sorted(origins)
