"""Someone whose role needs a second factor reaches no page until they have set one up.

Whether they must is worked out once, when they sign in (a change of policy applies from their next
sign-in), so pages pay no query for it."""

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse

from protutor.people.mfa import mfa_required
from protutor.people.roles import actor_for

PENDING = "protutor_mfa_pending"
SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


@receiver(user_logged_in, dispatch_uid="protutor-mfa-pending")
def note_whether_mfa_is_pending(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    if mfa_required(actor_for(user)) and not has_second_factor(user):
        request.session[PENDING] = True
    else:
        request.session.pop(PENDING, None)


def has_second_factor(user) -> bool:
    return Authenticator.objects.filter(user=user, type__in=SECOND_FACTORS).exists()


class RequireMfaMiddleware:
    """A person who must use MFA and has no authenticator app or passkey is sent to set one up, from any
    page but the set-up pages themselves and signing out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.session.get(PENDING) and request.user.is_authenticated and not self._exempt(request.path):
            # Only a person still setting up pays this query; once they have a second factor, no one does.
            if not has_second_factor(request.user):
                messages.info(
                    request,
                    "Your role needs a second step at sign-in. Set up an authenticator app to continue.",
                )
                return redirect("mfa_activate_totp")
            del request.session[PENDING]
        return self.get_response(request)

    @staticmethod
    def _exempt(path: str) -> bool:
        return (
            path.startswith(reverse("mfa_index"))
            or path == reverse("account_logout")
            or path.startswith(settings.STATIC_URL)
        )


class SsoFormActionMiddleware:
    """The sign-in page's single sign-on buttons post to protutor, which redirects to the provider; the
    policy's form-action also governs that redirect, so the sign-in page allows the providers' origins
    (and only that page)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path == reverse("account_login"):
            from protutor.people.sso import provider_origins

            origins = provider_origins()
            if origins:
                response._csp_update = {"form-action": origins}
        return response
