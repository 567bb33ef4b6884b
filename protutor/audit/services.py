from django.db import models

from protutor.audit.models import AccessRecord, AuditEvent


def record(*, actor, action: str, target: models.Model | None = None, **detail) -> AuditEvent:
    """Write an audit entry. Call inside the transaction of the change, so both land or neither does."""
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        detail=detail,
    )


def log_access(*, reader, subject, record: models.Model, reason: str = "view") -> AccessRecord:
    """Record one read of confidential content about `subject` (a StaffMember)."""
    return AccessRecord.objects.create(
        reader=reader,
        reader_name=_display_name(reader),
        subject=subject,
        record_type=str(record._meta.verbose_name),
        record_id=str(record.pk),
        reason=reason,
    )


def log_accesses(*, reader, subject, records, reason: str = "view") -> None:
    """`log_access` for many records about one person, in one query (a subject-access download)."""
    _bulk(reader, [(subject, record._meta.verbose_name, str(record.pk), reason) for record in records])


def log_list_access(*, reader, subjects, record_type: str) -> None:
    """Record that an overview showed confidential content about each of `subjects` (StaffMembers): one
    row each, written in one query, so a list costs the same whatever its length."""
    _bulk(
        reader,
        [
            (subject, record_type, "list", AccessRecord.Reason.VIEW)
            for subject in {s.pk: s for s in subjects}.values()
            if subject.user_id != reader.pk
        ],
    )


def _bulk(reader, entries) -> None:
    """Access-log rows, (subject, record type, record id, reason) each, in one query."""
    name = _display_name(reader)
    AccessRecord.objects.bulk_create(
        [
            AccessRecord(
                reader=reader, reader_name=name, subject=subject, record_type=kind, record_id=pk, reason=why
            )
            for subject, kind, pk, why in entries
        ]
    )


def _display_name(user) -> str:
    staff = getattr(user, "staff", None)  # a missing staff record raises an AttributeError subclass
    return staff.full_name if staff is not None else str(user)
