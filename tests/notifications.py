"""What an email told its recipient: follow its opaque link to the update kept in the app, checking on the
way that the email itself is the one neutral email (protutor/core/notify.py)."""

import re

from protutor.core.models import Notification
from protutor.core.notify import BODY, SUBJECT

LINK = re.compile(r"https?://[^\s]+/updates/([A-Za-z0-9_-]{20,})/")


def update_of(email) -> Notification:
    """The update an email links to, after checking that the email says nothing else."""
    assert email.subject == SUBJECT
    assert email.extra_headers.get("Auto-Submitted") == "auto-generated"
    found = LINK.search(email.body)
    assert found is not None, email.body
    assert email.body == BODY.format(link=found.group(0))
    update = Notification.objects.select_related("user").get(token=found.group(1))
    assert email.to == [update.user.email]
    return update


def updates(outbox) -> list[tuple[list[str], str, str]]:
    """(to, message, path) for each email, in the order sent: what each recipient sees after sign-in."""
    return [(email.to, update.message, update.path) for email in outbox for update in [update_of(email)]]
