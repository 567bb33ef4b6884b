from django.db import models
from django.db.models import Case, Value, When

from protutor.audit import permissions
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
    """Record one read of confidential content about `subject` (a StaffMember). A read made for
    safeguarding is recorded as such, whatever `reason` the caller gives (see `_reason`)."""
    kind = str(record._meta.verbose_name)
    return AccessRecord.objects.create(
        reader=reader,
        reader_name=_display_name(reader),
        subject=subject,
        record_type=kind,
        record_id=str(record.pk),
        reason=_reason(reader, subject, kind, reason),
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


def _reason(reader, subject, record_type: str, reason: str):
    """Why the read was made. Every read of a safeguarding record, and every read by someone doing
    safeguarding work about the person (a safeguarding lead opening anything about the subject of a
    concern raised with them), is for safeguarding: the subject never sees it (audit/permissions.py).

    The second test is a condition the database evaluates in the same INSERT, so it costs no query."""
    if permissions.is_safeguarding_record(record_type):
        return AccessRecord.Reason.SAFEGUARDING
    conditions = permissions.safeguarding_work(reader, subject)
    if not conditions:
        return reason
    return _InsertableCase(
        *[When(condition, then=Value(AccessRecord.Reason.SAFEGUARDING.value)) for condition in conditions],
        default=Value(str(reason)),
        output_field=models.CharField(),
    )


class _InsertableCase(Case):
    """A CASE whose subqueries stand alone (they never refer to the row being inserted). Django refuses
    column references in an INSERT and cannot tell that these have none."""

    contains_column_references = False


def _bulk(reader, entries) -> None:
    """Access-log rows, (subject, record type, record id, reason) each, in one query."""
    name = _display_name(reader)
    AccessRecord.objects.bulk_create(
        [
            AccessRecord(
                reader=reader,
                reader_name=name,
                subject=subject,
                record_type=str(kind),
                record_id=pk,
                reason=_reason(reader, subject, str(kind), why),
            )
            for subject, kind, pk, why in entries
        ]
    )


def _display_name(user) -> str:
    staff = getattr(user, "staff", None)  # a missing staff record raises an AttributeError subclass
    return staff.full_name if staff is not None else str(user)
