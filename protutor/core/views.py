from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from protutor.core.notify import notifications_readable_by


@require_http_methods(["GET"])
def notification(request, token):
    """The link in an email: after sign-in, its recipient (and nobody else: 404) is taken to the page it is
    about, with what happened above it."""
    update = get_object_or_404(notifications_readable_by(request.user), token=token)
    if update.opened_at is None:
        notifications_readable_by(request.user).filter(pk=update.pk, opened_at__isnull=True).update(
            opened_at=timezone.now()
        )
    if update.message:
        messages.info(request, update.message)
    if url_has_allowed_host_and_scheme(update.path, allowed_hosts=None) and update.path.startswith("/"):
        return redirect(update.path)
    return redirect("home")
