"""Email notifications, sent from a background task after the change commits.

Every email is the same, whatever happened and to whom: the subject "protutor: there is an update for
you", a body that says only that, and an opaque link. What happened (the caller's `message`) and where
(`path`) are kept, encrypted, in a `Notification` row, and shown after sign-in to the recipient alone:
the link opens `/updates/<token>/`, which takes them to the page with the message above it. So no subject,
preview or link on a lock screen or in a shared mailbox says that the person has support, a plan, coaching,
an observation, a safeguarding concern or a cause for concern (DESIGN.md section 7). Every email carries
`Auto-Submitted: auto-generated` (RFC 3834), so out-of-office replies do not answer it.

This is the one way the app emails a person about their work: call `notify_after_commit` (or `notify`
outside a transaction). tests/core/test_notify.py fails for any other module that sends mail.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django_tasks import task

from protutor.core.models import Notification

SUBJECT = "protutor: there is an update for you"
BODY = """There is an update for you in protutor.

Sign in to see it: {link}

This email says nothing more on purpose: what the update is about is shown only after you sign in.
It was sent automatically; please do not reply to it.
"""
HEADERS = {
    "Auto-Submitted": "auto-generated",  # RFC 3834: no automatic replies (out of office) to this
    "X-Auto-Response-Suppress": "All",  # the same for Microsoft Exchange, which ignores RFC 3834
}


def notifications_readable_by(user) -> QuerySet[Notification]:
    """An update: its recipient alone."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(user=user)


def email_for(notification: Notification, address: str) -> EmailMessage:
    """The email about one update: the same words for every update, and a link that names nothing."""
    link = f"{settings.PROTUTOR_BASE_URL.rstrip('/')}{reverse('notification', args=[notification.token])}"
    return EmailMessage(
        SUBJECT, BODY.format(link=link), settings.DEFAULT_FROM_EMAIL, [address], headers=dict(HEADERS)
    )


def _record(users: Iterable, message: str, path: str) -> list[int]:
    """One update per person (each with its own token), for the people who can receive one."""
    user_ids = sorted({user.pk for user in users if user is not None and user.pk is not None})
    recipients = get_user_model().objects.filter(pk__in=user_ids, is_active=True).exclude(email="")
    created = Notification.objects.bulk_create(
        [
            Notification(user=user, token=secrets.token_urlsafe(32), message=message.strip(), path=path)
            for user in recipients.order_by("pk")
        ]
    )
    # bulk_create sets the primary keys on PostgreSQL and SQLite; read them back where it cannot.
    if any(n.pk is None for n in created):
        return list(
            Notification.objects.filter(token__in=[n.token for n in created]).values_list("pk", flat=True)
        )
    return [n.pk for n in created]


@task()
def send_notifications(notification_ids: list[int]) -> int:
    """Email each update's recipient. Returns the number of emails sent."""
    notifications = (
        Notification.objects.filter(pk__in=notification_ids, user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
        .order_by("pk")
    )
    messages = [email_for(n, n.user.email) for n in notifications]
    if not messages:
        return 0
    return get_connection(fail_silently=False).send_messages(messages) or 0


@task()
def send_notification(user_ids: list[int], subject: str, message: str, path: str) -> int:
    """The task as queued before updates were kept in the app (work already in a queue still runs): the
    `subject` is no longer sent anywhere."""
    users = get_user_model().objects.filter(pk__in=user_ids)
    return send_notifications.call(_record(users, message, path))


def notify_after_commit(users, *, message: str, path: str, subject: str = "") -> None:
    """Tell `users` there is an update once the surrounding transaction commits (never for a rolled-back
    change, whose updates roll back with it). `message` and `path` are shown after sign-in, never in the
    email; `subject` is accepted for existing callers and shown nowhere."""
    ids = _record(users, message, path)
    if ids:
        transaction.on_commit(lambda: send_notifications.enqueue(ids))


def notify(users, *, message: str, path: str) -> int:
    """Tell `users` there is an update now, from background work outside any transaction. Returns the
    number of emails sent (with the immediate task backend; otherwise the updates queued)."""
    ids = _record(users, message, path)
    if not ids:
        return 0
    result = send_notifications.enqueue(ids)
    return (result.return_value or 0) if result.is_finished else len(ids)
