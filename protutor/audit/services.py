from django.db import models

from protutor.audit.models import AuditEvent


def record(*, actor, action: str, target: models.Model | None = None, **detail) -> AuditEvent:
    """Write an audit entry. Call inside the transaction of the change, so both land or neither does."""
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        detail=detail,
    )
