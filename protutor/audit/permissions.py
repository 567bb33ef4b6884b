from django.db.models import QuerySet

from protutor.audit.models import AuditEvent
from protutor.core import permissions as registry


def audit_events_readable_by(user) -> QuerySet[AuditEvent]:
    """A person sees the actions they took themself."""
    if not user.is_authenticated:
        return AuditEvent.objects.none()
    return AuditEvent.objects.filter(actor=user)


registry.register(AuditEvent, audit_events_readable_by)
