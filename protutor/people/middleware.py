"""Someone whose role needs a second factor reaches no page until they have set one up."""

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

from protutor.people.mfa import mfa_required
from protutor.people.roles import actor_for

CHECKED = "protutor_mfa_checked"
SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


class RequireMfaMiddleware:
    """Checked once per session: a person who must use MFA and has no authenticator app or passkey is
    sent to set one up, from any page but the set-up pages themselves and signing out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not request.session.get(CHECKED) and not self._exempt(request.path):
            if mfa_required(actor_for(user)) and not self._has_second_factor(user):
                messages.info(
                    request,
                    "Your role needs a second step at sign-in. Set up an authenticator app to continue.",
                )
                return redirect("mfa_activate_totp")
            request.session[CHECKED] = True
        return self.get_response(request)

    @staticmethod
    def _has_second_factor(user) -> bool:
        return Authenticator.objects.filter(user=user, type__in=SECOND_FACTORS).exists()

    @staticmethod
    def _exempt(path: str) -> bool:
        return (
            path.startswith(reverse("mfa_index"))
            or path == reverse("account_logout")
            or path.startswith(settings.STATIC_URL)
        )
