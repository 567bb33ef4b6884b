from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Accounts come from the staff directory (MIS import or an administrator): nobody signs up."""

    def is_open_for_signup(self, request) -> bool:
        return False


def axes_username(request, credentials) -> str | None:
    """The name axes counts failures against: allauth posts it as `login`, whether username or email."""
    if credentials:
        for key in ("login", "username", "email"):
            if credentials.get(key):
                return str(credentials[key]).lower()
    return (request.POST.get("login") or "").lower() or None
