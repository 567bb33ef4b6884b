"""Background work for CPD: the day-before reminder and the tutors' weekly coverage email.

Run them from cron or a systemd timer with `protutor send_cpd_reminders` (daily) and
`protutor send_coverage_digest` (weekly); each enqueues a task for the task worker.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from protutor.core.notify import notify
from protutor.cpd import coverage
from protutor.cpd.models import Session
from protutor.people.models import AcademicYear, Caseload, StaffMember


@task()
def send_session_reminders(day: str) -> int:
    """Tell everyone invited to a session on `day` (ISO date). Returns the number of emails sent."""
    return _send(reminder_messages(dt.date.fromisoformat(day)))


def _send(messages: list[tuple]) -> int:
    """Each (account, message, path): an update for that person (protutor/core/notify.py)."""
    return sum(notify([user], message=message, path=path) for user, message, path in messages)


def reminder_messages(target: dt.date) -> list[tuple]:
    """(account, what they are told after sign-in, the page) for each person invited."""
    messages = []
    sessions = Session.objects.filter(starts_at__date=target, status=Session.Status.PLANNED).select_related(
        "department"
    )
    for session in sessions:
        when = timezone.localtime(session.starts_at)
        invitees = (
            StaffMember.objects.filter(department=session.department_id, is_active=True, user__isnull=False)
            .exclude(email="")
            .select_related("user")
        )
        for person in invitees:
            messages.append(
                (
                    person.user,
                    f"Tomorrow: {session.department.name} CPD: {session.title}, {when:%A %d %B at %H:%M}"
                    f"{f', {session.room}' if session.room else ''}.",
                    session.get_absolute_url(),
                )
            )
    return messages


@task()
def send_coverage_digest(day: str) -> int:
    """Tell each tutor the departments of their caseload that are behind target this term."""
    return _send(digest_messages(dt.date.fromisoformat(day)))


def digest_messages(today: dt.date) -> list[tuple]:
    messages = []
    for caseload in Caseload.objects.filter(
        academic_year__in=AcademicYear.objects.containing(today)
    ).select_related("tutor__user", "academic_year"):
        term = caseload.academic_year.terms.filter(starts_on__lte=today, ends_on__gte=today).first()
        if term is None or not caseload.tutor.email or caseload.tutor.user is None:
            continue
        behind = [
            row[0]
            for row in coverage.board(caseload.departments.order_by("name"), [term], today)
            if row[0].status.key == "behind"
        ]
        if not behind:
            continue
        lines = "; ".join(f"{cell.department.name}: {cell.status.text}" for cell in behind)
        messages.append(
            (
                caseload.tutor.user,
                f"Behind their CPD target this week, in {term}: {lines}.",
                reverse("cpd:coverage"),
            )
        )
    return messages
