"""Who may see the audit trail and the access log (DESIGN.md section 2).

Reads made for safeguarding are recorded like any other, but shown only to the safeguarding leads (and
kept in the full audit), never to the person they are about: a member of staff who is the subject of an
allegation must not be tipped off. Which reads are for safeguarding is declared by the app that holds the
safeguarding records (`register_safeguarding`), so that this module names no domain model.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Exists, Model, Q, QuerySet

from protutor.audit.models import AccessRecord, AuditEvent
from protutor.core import permissions as registry
from protutor.people.models import Role
from protutor.people.permissions import roles_in_force

# work(reader, subject) -> a database condition that holds while `reader` is doing safeguarding work
# about `subject` (a StaffMember or its pk).
SafeguardingWork = Callable[[Any, Any], Exists]

_safeguarding_record_types: set[str] = set()
_safeguarding_work: list[SafeguardingWork] = []


def register_safeguarding(model: type[Model], *, work: SafeguardingWork) -> None:
    """Declare `model` a safeguarding record: every read of one is for safeguarding, whoever makes it.
    `work(reader, subject)` says when `reader` is doing safeguarding work about `subject` (for example a
    safeguarding lead with a concern about them raised with them): whatever else about that person they
    open is then for safeguarding too."""
    _safeguarding_record_types.add(str(model._meta.verbose_name))
    _safeguarding_work.append(work)


def is_safeguarding_record(record_type: str) -> bool:
    return str(record_type) in _safeguarding_record_types


def safeguarding_work(reader, subject) -> list[Exists]:
    """The conditions under which a read by `reader` about `subject` is for safeguarding (any one holding
    is enough). Evaluated by the database as the read is written, so they cost no query."""
    return [work(reader, subject) for work in _safeguarding_work]


def audit_events_readable_by(user) -> QuerySet[AuditEvent]:
    """A person sees the actions they took themself."""
    if not user.is_authenticated:
        return AuditEvent.objects.none()
    return AuditEvent.objects.filter(actor=user)


def access_records_readable_by(user) -> QuerySet[AccessRecord]:
    """Who opened a confidential record, and when (DESIGN.md section 2):

    - the person it is about sees the reads made by someone other than themself, except reads made for
      safeguarding;
    - the safeguarding leads of the person's institution see the reads of safeguarding records (who opened
      a concern, and when), except those about themself.
    """
    if not user.is_authenticated:
        return AccessRecord.objects.none()
    about_me = Q(subject__user=user) & ~Q(reason=AccessRecord.Reason.SAFEGUARDING) & ~Q(reader=user)
    led = roles_in_force(user, Role.SAFEGUARDING_LEAD).values("institution")
    for_safeguarding = Q(
        reason=AccessRecord.Reason.SAFEGUARDING,
        record_type__in=sorted(_safeguarding_record_types),
        subject__institution__in=led,
    ) & ~Q(subject__user=user)
    return AccessRecord.objects.filter(about_me | for_safeguarding)


def reads_of(user, record: Model) -> QuerySet[AccessRecord]:
    """The reads of one record that `user` may see, newest first."""
    return access_records_readable_by(user).filter(
        record_type=str(record._meta.verbose_name), record_id=str(record.pk)
    )


registry.register(AuditEvent, audit_events_readable_by)
registry.register(AccessRecord, access_records_readable_by)
