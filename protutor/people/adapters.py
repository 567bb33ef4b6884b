import logging
import time

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter

from protutor.core import crypto
from protutor.core.notify import HEADERS as AUTOMATIC_EMAIL_HEADERS


class AccountAdapter(DefaultAccountAdapter):
    """Accounts come from the staff directory (MIS import or an administrator): nobody signs up."""

    def is_open_for_signup(self, request) -> bool:
        return False

    def render_mail(self, template_prefix, email, context, headers=None):
        """Sign-in emails (password reset, new sign-in) are automatic too: no out-of-office replies."""
        return super().render_mail(
            template_prefix, email, context, headers={**AUTOMATIC_EMAIL_HEADERS, **(headers or {})}
        )

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """Setting up a second factor straight after signing in (as a role that must) does not ask for
        the password again: a sign-in within the reauthentication timeout counts as one."""
        required = super().is_reauthentication_required(app=app, **kwargs)
        if not required or app != "allauth.mfa":
            return required
        from allauth.account import app_settings
        from allauth.account.internal.flows.login import get_authentication_records
        from allauth.core import context

        request = context.request
        records = get_authentication_records(request, request.user) if request is not None else []
        latest = max((record["at"] for record in records), default=0)
        return time.time() - latest >= app_settings.REAUTHENTICATION_TIMEOUT


def axes_username(request, credentials) -> str | None:
    """The name axes counts failures against: allauth posts it as `login`, whether username or email."""
    if credentials:
        for key in ("login", "username", "email"):
            if credentials.get(key):
                return str(credentials[key]).lower()
    return (request.POST.get("login") or "").lower() or None


class MfaAdapter(DefaultMFAAdapter):
    """Authenticator-app secrets and recovery-code seeds are encrypted with the app's keys, like every
    confidential column, so a database dump alone cannot produce sign-in codes."""

    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "incorrect_code": "The code is not right: enter the code your authenticator app shows now",
    }

    def encrypt(self, text: str) -> str:
        return crypto.encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return crypto.decrypt(encrypted_text)


logger = logging.getLogger(__name__)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Single sign-on only for staff already in the directory (people.sso): matched by a verified email
    address to a member of the provider's institution; anyone else is refused and nothing is created."""

    def is_open_for_signup(self, request, sociallogin) -> bool:
        return False

    def pre_social_login(self, request, sociallogin) -> None:
        from allauth.core.exceptions import ImmediateHttpResponse
        from django.shortcuts import render

        from protutor.people import sso
        from protutor.people.models import SsoProvider

        provider = (
            SsoProvider.objects.select_related("institution")
            .filter(app__provider_id=sociallogin.account.provider)
            .first()
        )
        found = (
            sso.match(provider, sso.claims_of(provider, sociallogin))
            if provider is not None
            else sso.Match(None, "This sign-in provider is not set up in protutor.")
        )
        if found.user is not None and sociallogin.is_existing and sociallogin.user.pk != found.user.pk:
            found = sso.Match(None, "This identity is linked to another account.")
        if found.user is None:
            response = render(request, "account/sso_refused.html", {"reason": found.refusal}, status=403)
            raise ImmediateHttpResponse(response)
        if not sociallogin.is_existing:
            sociallogin.connect(request, found.user)

    def on_authentication_error(self, request, provider, error=None, exception=None, extra_context=None):
        """The provider's answer could not be accepted (an unsigned, tampered, expired or unsolicited SAML
        response; a failed OpenID Connect token exchange): say so plainly, in protutor's refusal page. A
        cancelled sign-in goes back to allauth, which returns the person to the sign-in page."""
        from allauth.core.exceptions import ImmediateHttpResponse
        from allauth.socialaccount.providers.base.constants import AuthError
        from django.shortcuts import render

        if error == AuthError.CANCELLED:
            return
        detail = (extra_context or {}).get("saml_last_error_reason") or (str(exception) if exception else "")
        logger.warning(
            "single sign-on answer refused (%s): %s", getattr(provider, "id", "?"), detail or error
        )
        reason = (
            "Your sign-in provider's answer could not be accepted: it was not signed by the provider protutor "
            "trusts, had expired, or was not meant for protutor. Try again from the sign-in page."
        )
        response = render(
            request, "account/sso_refused.html", {"reason": reason, "detail": detail}, status=403
        )
        raise ImmediateHttpResponse(response)

    def list_apps(self, request, provider=None, client_id=None):
        from protutor.people import sso

        return sso.usable_apps(
            request, super().list_apps(request, provider=provider, client_id=client_id), client_id=client_id
        )
