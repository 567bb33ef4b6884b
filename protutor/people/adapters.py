import time

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter

from protutor.core import crypto


class AccountAdapter(DefaultAccountAdapter):
    """Accounts come from the staff directory (MIS import or an administrator): nobody signs up."""

    def is_open_for_signup(self, request) -> bool:
        return False

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
