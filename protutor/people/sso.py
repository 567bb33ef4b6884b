"""Single sign-on with Microsoft Entra ID, Google Workspace or another OpenID Connect provider (issue 12).

Only staff already in the directory can sign in: an identity is matched to a member of staff of the
provider's institution by a verified email address. An unknown identity is refused and nothing is created;
a closed account is refused."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.socialaccount.models import SocialApp
from django.db import transaction
from django.utils.text import slugify

from protutor.audit import services as audit
from protutor.core import crypto
from protutor.core.errors import ServiceError
from protutor.people import permissions
from protutor.people.models import Institution, SsoProvider, StaffMember, User

ENTRA_ISSUER = "https://login.microsoftonline.com/{tenant}/v2.0"
GOOGLE_ISSUER = "https://accounts.google.com"
BUTTON = {
    SsoProvider.Kind.ENTRA: "Sign in with Microsoft",
    SsoProvider.Kind.GOOGLE: "Sign in with Google",
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
) -> SsoProvider:
    """Set up a provider. Its client secret is kept encrypted; the button says `name`."""
    if not permissions.institutions_administered_by(actor).filter(pk=institution.pk).exists():
        raise ServiceError("You do not have permission to do that.")
    provider_id = (
        f"{slugify(kind)}-{institution.pk}-{SsoProvider.objects.filter(institution=institution).count() + 1}"
    )
    app = SocialApp.objects.create(
        provider="openid_connect",
        provider_id=provider_id,
        name=name.strip() or BUTTON.get(kind, "Sign in with single sign-on"),
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


def decrypted(app: SocialApp) -> SocialApp:
    """The app with its secret readable, for allauth to use in memory; never saved like this."""
    app.secret = crypto.decrypt(app.secret)
    return app


def claims_of(extra_data: dict) -> dict:
    """The identity's claims: the signed ID token's, with the userinfo endpoint's answers over them."""
    return {**(extra_data.get("id_token") or {}), **(extra_data.get("userinfo") or {})}


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
    for settings in SocialApp.objects.filter(provider="openid_connect").values_list("settings", flat=True):
        parts = urlsplit((settings or {}).get("server_url", ""))
        if parts.scheme in {"https", "http"} and parts.netloc:
            origins.add(f"{parts.scheme}://{parts.netloc}")
    return sorted(origins)
