"""Email notifications, sent from a background task after the change commits.

An email says that something happened and links to the app; it never carries confidential text
(DESIGN.md section 7).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import transaction
from django_tasks import task


@task()
def send_notification(user_ids: list[int], subject: str, message: str, path: str) -> int:
    users = get_user_model().objects.filter(pk__in=user_ids, is_active=True).exclude(email="")
    link = f"{settings.PROTUTOR_BASE_URL.rstrip('/')}{path}"
    body = f"{message}\n\nOpen protutor to see it: {link}\n\nThis email holds no confidential details on purpose."
    return send_mass_mail(
        [(f"protutor: {subject}", body, settings.DEFAULT_FROM_EMAIL, [user.email]) for user in users],
        fail_silently=False,
    )


def notify_after_commit(users, *, subject: str, message: str, path: str) -> None:
    """Queue an email to `users` once the surrounding transaction commits (never for a rolled-back change)."""
    user_ids = sorted({user.pk for user in users if user is not None})
    if user_ids:
        transaction.on_commit(lambda: send_notification.enqueue(user_ids, subject, message, path))
