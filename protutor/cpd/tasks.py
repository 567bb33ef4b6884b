"""Background work for CPD: the day-before reminder and the tutors' weekly coverage email.

Run them from cron or a systemd timer with `protutor send_cpd_reminders` (daily) and
`protutor send_coverage_digest` (weekly); each enqueues a task for the task worker.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import send_mass_mail
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from protutor.cpd import coverage
from protutor.cpd.models import Session
from protutor.people.models import AcademicYear, Caseload, StaffMember


def _link(path: str) -> str:
    return f"{settings.PROTUTOR_BASE_URL.rstrip('/')}{path}"


@task()
def send_session_reminders(day: str) -> int:
    """Email everyone invited to a session on `day` (ISO date). Returns the number of emails sent."""
    messages = reminder_messages(dt.date.fromisoformat(day))
    return send_mass_mail(messages, fail_silently=False) if messages else 0


def reminder_messages(target: dt.date) -> list[tuple]:
    messages = []
    sessions = Session.objects.filter(starts_at__date=target, status=Session.Status.PLANNED).select_related(
        "department"
    )
    for session in sessions:
        when = timezone.localtime(session.starts_at)
        invitees = StaffMember.objects.filter(department=session.department_id, is_active=True).exclude(
            email=""
        )
        for person in invitees:
            messages.append(
                (
                    f"protutor: tomorrow, {session.title}",
                    f"{session.department.name} CPD: {session.title}, {when:%A %d %B at %H:%M}"
                    f"{f', {session.room}' if session.room else ''}.\n\nDetails: {_link(session.get_absolute_url())}",
                    settings.DEFAULT_FROM_EMAIL,
                    [person.email],
                )
            )
    return messages


@task()
def send_coverage_digest(day: str) -> int:
    """Email each tutor the departments of their caseload that are behind target this term."""
    messages = digest_messages(dt.date.fromisoformat(day))
    return send_mass_mail(messages, fail_silently=False) if messages else 0


def digest_messages(today: dt.date) -> list[tuple]:
    messages = []
    for caseload in Caseload.objects.filter(
        academic_year__in=AcademicYear.objects.containing(today)
    ).select_related("tutor", "academic_year"):
        term = caseload.academic_year.terms.filter(starts_on__lte=today, ends_on__gte=today).first()
        if term is None or not caseload.tutor.email:
            continue
        behind = [
            row[0]
            for row in coverage.board(caseload.departments.order_by("name"), [term], today)
            if row[0].status.key == "behind"
        ]
        if not behind:
            continue
        lines = "\n".join(f"- {cell.department.name}: {cell.status.text}" for cell in behind)
        messages.append(
            (
                "protutor: departments behind their CPD target",
                f"This week, in {term}:\n{lines}\n\nCoverage board: {_link(reverse('cpd:coverage'))}",
                settings.DEFAULT_FROM_EMAIL,
                [caseload.tutor.email],
            )
        )
    return messages
