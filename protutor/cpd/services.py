"""Writes in communities of practice: one transaction each, with an audit entry; emails after commit."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone

from protutor.audit import services as audit
from protutor.core.errors import ServiceError
from protutor.core.notify import notify_after_commit
from protutor.cpd import permissions
from protutor.cpd.models import (
    Attendance,
    CalendarToken,
    DevelopmentRequest,
    EvaluationReceipt,
    EvaluationResponse,
    Session,
)
from protutor.people.models import Department, StaffMember, Term

DENIED = "You do not have permission to do that."


@transaction.atomic
def request_development(*, actor, topic: str, standard=None, anonymous: bool = False) -> DevelopmentRequest:
    """A member of staff says what they would like to develop; it feeds their department's CPD."""
    staff = StaffMember.objects.filter(user=actor).select_related("department").first()
    if staff is None or staff.department is None:
        raise ServiceError("You need a department to ask for development: ask your administrator to set it.")
    if not topic.strip():
        raise ServiceError("Enter what you would like to develop", field="topic")
    request = DevelopmentRequest.objects.create(
        department=staff.department, requested_by=staff, anonymous=anonymous, topic=topic.strip()
    )
    if standard is not None:
        request.standards.set([standard])
    audit.record(actor=actor, action="cpd.development_requested", target=request)
    return request


def _term_for(department: Department, day: dt.date) -> Term:
    term = Term.objects.filter(
        academic_year__institution_id=department.institution_id, starts_on__lte=day, ends_on__gte=day
    ).first()
    if term is None:
        raise ServiceError("Choose a date inside a term of the academic year", field="starts_at")
    return term


@transaction.atomic
def save_session(
    *,
    actor,
    department: Department,
    title: str,
    starts_at: dt.datetime,
    length_minutes: int,
    format: str,
    aims: str = "",
    room: str = "",
    focus_standards: Iterable = (),
    requests: Iterable[DevelopmentRequest] = (),
    resources: Iterable = (),
    session: Session | None = None,
    copied_from: Session | None = None,
) -> Session:
    """Plan (or change) a session. The department's head and tutor may both do it; every change bumps the
    calendar SEQUENCE so subscribed calendars update."""
    if not permissions.departments_planned_by(actor).filter(pk=department.pk).exists():
        raise ServiceError(
            "Only the department's head or professional tutor can plan its sessions", field="department"
        )
    if not title.strip():
        raise ServiceError("Enter a title", field="title")
    if not 5 <= length_minutes <= 480:
        raise ServiceError("Enter a length from 5 to 480 minutes", field="length_minutes")
    requests = list(requests)
    if any(r.department_id != department.pk for r in requests):
        raise ServiceError("Select requests from this department", field="requests")
    term = _term_for(department, timezone.localtime(starts_at).date())
    created = session is None
    if session is None:
        session = Session(uid=uuid.uuid4(), department=department, copied_from=copied_from)
        session.created_by = StaffMember.objects.filter(user=actor).first()
    else:
        session.sequence += 1
    session.term = term
    session.title = title.strip()
    session.aims = aims.strip()
    session.format = format
    session.length_minutes = length_minutes
    session.starts_at = starts_at
    session.room = room.strip()
    session.save()
    session.focus_standards.set(list(focus_standards))
    session.requests.set(requests)
    session.resources.set(list(resources))
    audit.record(
        actor=actor, action="cpd.session_planned" if created else "cpd.session_changed", target=session
    )
    invitees = StaffMember.objects.filter(department=department, is_active=True).select_related("user")
    notify_after_commit(
        [s.user for s in invitees],
        subject=f"CPD session {'planned' if created else 'changed'}: {session.title}",
        message=f"{department.name}: {session.title}, {timezone.localtime(starts_at):%A %d %B at %H:%M}.",
        path=session.get_absolute_url(),
    )
    return session


@transaction.atomic
def cancel_session(*, actor, session: Session) -> Session:
    session = Session.objects.select_for_update().get(pk=session.pk)
    if not permissions.can_edit_session(actor, session):
        raise ServiceError(DENIED)
    if session.status == Session.Status.DELIVERED:
        raise ServiceError("A delivered session cannot be cancelled.")
    if session.status == Session.Status.CANCELLED:
        raise ServiceError("This session is already cancelled.")
    session.status = Session.Status.CANCELLED
    session.sequence += 1
    session.save(update_fields=["status", "sequence", "updated_at"])
    audit.record(actor=actor, action="cpd.session_cancelled", target=session)
    return session


@transaction.atomic
def record_attendance(*, actor, session: Session, attendees: Iterable[StaffMember]) -> Session:
    """Take the register; the session counts as delivered once a register is taken."""
    session = Session.objects.select_for_update().get(pk=session.pk)
    if not permissions.can_edit_session(actor, session):
        raise ServiceError(DENIED)
    if session.status == Session.Status.CANCELLED:
        raise ServiceError("This session was cancelled.")
    if session.starts_at > timezone.now():
        raise ServiceError("Take the register once the session has started.")
    attendees = list(attendees)
    if any(a.institution_id != session.department.institution_id for a in attendees):
        raise ServiceError("Select staff from this institution", field="attendees")
    Attendance.objects.filter(session=session).exclude(staff__in=attendees).delete()
    existing = set(Attendance.objects.filter(session=session).values_list("staff_id", flat=True))
    Attendance.objects.bulk_create(
        [Attendance(session=session, staff=a) for a in attendees if a.pk not in existing]
    )
    session.status = Session.Status.DELIVERED
    session.save(update_fields=["status", "updated_at"])
    audit.record(actor=actor, action="cpd.register_taken", target=session, attendees=len(attendees))
    notify_after_commit(
        [a.user for a in attendees],
        subject=f"How useful was {session.title}?",
        message="A two-question anonymous evaluation is waiting for you.",
        path=session.get_absolute_url(),
    )
    return session


@transaction.atomic
def evaluate_session(*, actor, session: Session, usefulness: int, will_try: str = "") -> None:
    """An attendee's anonymous evaluation. The receipt (who) and the response (what) are separate rows
    with nothing to join them."""
    staff = StaffMember.objects.filter(user=actor).first()
    if staff is None or not Attendance.objects.filter(session=session, staff=staff).exists():
        raise ServiceError("Only people who attended can evaluate the session.")
    if not 1 <= usefulness <= 5:
        raise ServiceError("Select how useful it was, from 1 to 5", field="usefulness")
    try:
        with transaction.atomic():
            EvaluationReceipt.objects.create(session=session, staff=staff)
    except IntegrityError as exc:
        raise ServiceError("You have already evaluated this session. Thank you.") from exc
    EvaluationResponse.objects.create(session=session, usefulness=usefulness, will_try=will_try.strip())


@transaction.atomic
def issue_calendar_token(*, actor) -> CalendarToken:
    """A new private feed address; any old one stops working."""
    CalendarToken.objects.filter(user=actor).delete()
    token = CalendarToken.objects.create(user=actor, token=secrets.token_urlsafe(32))
    audit.record(actor=actor, action="cpd.calendar_token_issued")
    return token


@transaction.atomic
def revoke_calendar_token(*, actor) -> None:
    CalendarToken.objects.filter(user=actor).delete()
    audit.record(actor=actor, action="cpd.calendar_token_revoked")
