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
    calendar SEQUENCE so subscribed calendars update. A new session invites the department's staff; a
    change tells them only when something they need changed (date, time, room, format), saying what.
    What the invited are told of a change is changes_for_invited, which the page uses to say the same."""
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
    changes: list[str] = []
    if session is None:
        session = Session(uid=uuid.uuid4(), department=department, copied_from=copied_from)
        session.created_by = StaffMember.objects.filter(user=actor).first()
    else:
        session = Session.objects.select_for_update().get(pk=session.pk)
        if refusal := change_refusal(session):
            raise ServiceError(refusal)
        if session.department_id != department.pk:
            raise ServiceError(
                "A session stays with its department: copy it to plan one for another department",
                field="department",
            )
        changes = changes_for_invited(
            session, starts_at=starts_at, length_minutes=length_minutes, room=room, format=format
        )
        # Links to anonymous requests the planner cannot read one by one are kept, not dropped unseen.
        unseen = session.requests.exclude(
            pk__in=permissions.development_requests_readable_by(actor).values("pk")
        )
        requests += list(unseen)
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
    if created:
        notify_after_commit(
            _invited(session),
            subject=f"CPD session planned: {session.title}",
            message=f"{department.name}: {session.title}, {_when(session)}.",
            path=session.get_absolute_url(),
        )
    elif changes:
        notify_after_commit(
            _invited(session),
            subject=f"CPD session changed: {session.title}",
            message=f"{department.name}: {session.title} has changed.\n"
            + "\n".join(f"- {change}" for change in changes),
            path=session.get_absolute_url(),
        )
    return session


def _invited(session: Session) -> list:
    """Who is invited to a session: the active staff of its department."""
    return [
        s.user
        for s in StaffMember.objects.filter(department=session.department_id, is_active=True).select_related(
            "user"
        )
    ]


def _when(session: Session) -> str:
    start = timezone.localtime(session.starts_at)
    return f"{start:%A} {start.day} {start:%B} at {start:%H:%M}"


def _day(moment: dt.datetime) -> str:
    local = timezone.localtime(moment)
    return f"{local:%A} {local.day} {local:%B %Y}"


def _times(starts_at: dt.datetime, length_minutes: int) -> str:
    start = timezone.localtime(starts_at)
    end = start + dt.timedelta(minutes=length_minutes)
    return f"{start:%H:%M} to {end:%H:%M}"


def changes_for_invited(
    session: Session, *, starts_at: dt.datetime, length_minutes: int, room: str, format: str
) -> list[str]:
    """What the invited need to know has changed, in words: the date, the time, the room, the format.
    A new title, aims or materials are not worth an email."""
    changes = []
    if timezone.localtime(session.starts_at).date() != timezone.localtime(starts_at).date():
        changes.append(f"Date: now {_day(starts_at)} (was {_day(session.starts_at)})")
    old_times = _times(session.starts_at, session.length_minutes)
    new_times = _times(starts_at, length_minutes)
    if old_times != new_times:
        changes.append(f"Time: now {new_times} (was {old_times})")
    if session.room != room.strip():
        changes.append(
            f"Room: now {room.strip() or 'to be confirmed'} (was {session.room or 'to be confirmed'})"
        )
    if session.format != format:
        changes.append(
            f"Format: now {Session.Format(format).label} (was {Session.Format(session.format).label})"
        )
    return changes


def change_refusal(session: Session) -> str | None:
    """Why `session` cannot be changed any more, or None if it can: only a planned session changes."""
    if session.status != Session.Status.PLANNED:
        return f"This session is {session.get_status_display().lower()}, so it cannot be changed."
    return None


def cancel_refusal(session: Session) -> str | None:
    """Why `session` cannot be cancelled, or None if it can."""
    if session.status == Session.Status.DELIVERED:
        return "A delivered session cannot be cancelled."
    if session.status == Session.Status.CANCELLED:
        return "This session is already cancelled."
    return None


@transaction.atomic
def cancel_session(*, actor, session: Session, reason: str = "") -> Session:
    """Cancel a planned session, recording who, when and why. Side effects: audit entry; the invited are
    told after commit, with the reason (which the session's page shows too); calendars show it
    cancelled."""
    session = Session.objects.select_for_update().select_related("department").get(pk=session.pk)
    if not permissions.can_edit_session(actor, session):
        raise ServiceError(DENIED)
    if refusal := cancel_refusal(session):
        raise ServiceError(refusal)
    session.status = Session.Status.CANCELLED
    session.sequence += 1
    session.cancelled_at = timezone.now()
    session.cancelled_by = StaffMember.objects.filter(user=actor).first()
    session.cancelled_reason = reason.strip()
    session.save(
        update_fields=["status", "sequence", "cancelled_at", "cancelled_by", "cancelled_reason", "updated_at"]
    )
    audit.record(actor=actor, action="cpd.session_cancelled", target=session)
    notify_after_commit(
        _invited(session),
        subject=f"CPD session cancelled: {session.title}",
        message=f"{session.department.name}: {session.title}, {_when(session)}, is cancelled."
        + (f" Reason: {session.cancelled_reason}" if session.cancelled_reason else ""),
        path=session.get_absolute_url(),
    )
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
