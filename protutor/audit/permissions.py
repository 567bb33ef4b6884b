from django.db.models import QuerySet

from protutor.audit.models import AccessRecord, AuditEvent
from protutor.core import permissions as registry


def audit_events_readable_by(user) -> QuerySet[AuditEvent]:
    """A person sees the actions they took themself."""
    if not user.is_authenticated:
        return AuditEvent.objects.none()
    return AuditEvent.objects.filter(actor=user)


def access_records_readable_by(user) -> QuerySet[AccessRecord]:
    """A teacher sees who opened their own confidential records, and when (DESIGN.md section 2)."""
    if not user.is_authenticated:
        return AccessRecord.objects.none()
    return AccessRecord.objects.filter(subject__user=user)


registry.register(AuditEvent, audit_events_readable_by)
registry.register(AccessRecord, access_records_readable_by)
