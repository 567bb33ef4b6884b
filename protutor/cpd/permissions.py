"""Communities of practice: who sees and plans what.

- A development request: the person who asked; the head of department and the department's tutor (an
  anonymous request without its author's name).
- A session: the department's staff (invited), its head, its tutor this year, the programme lead.
  The head and the tutor plan and edit it together.
- Attendance: the person, and whoever may edit the session.
- Evaluations: anonymous; nobody reads a single response, only suppressed aggregates.
- A calendar token: its owner.
"""

from django.db.models import Q, QuerySet

from protutor.core import permissions as registry
from protutor.cpd.models import (
    Attendance,
    CalendarToken,
    CpdPolicy,
    DevelopmentRequest,
    EvaluationReceipt,
    EvaluationResponse,
    Session,
)
from protutor.people.models import Department, Role, StaffMember
from protutor.people.permissions import caseload_links_now, roles_in_force


def _headed(user):
    return roles_in_force(user, Role.HEAD_OF_DEPARTMENT).values("department")


def _caseload(user):
    return caseload_links_now(user).values("department")


def _led(user):
    return roles_in_force(user, Role.PROGRAMME_LEAD).values("institution")


def development_requests_readable_by(user) -> QuerySet[DevelopmentRequest]:
    if not user.is_authenticated:
        return DevelopmentRequest.objects.none()
    return DevelopmentRequest.objects.filter(
        Q(requested_by__user=user) | Q(department__in=_headed(user)) | Q(department__in=_caseload(user))
    )


def departments_planned_by(user) -> QuerySet[Department]:
    """Departments whose sessions `user` plans: as their head, or as their tutor this year."""
    if not user.is_authenticated:
        return Department.objects.none()
    return Department.objects.filter(Q(pk__in=_headed(user)) | Q(pk__in=_caseload(user)))


def sessions_readable_by(user) -> QuerySet[Session]:
    if not user.is_authenticated:
        return Session.objects.none()
    mine = StaffMember.objects.filter(user=user).values("department")
    return Session.objects.filter(
        Q(department__in=mine)
        | Q(department__in=_headed(user))
        | Q(department__in=_caseload(user))
        | Q(department__institution__in=_led(user))
    )


def can_edit_session(user, session: Session) -> bool:
    return departments_planned_by(user).filter(pk=session.department_id).exists()


def attendance_readable_by(user) -> QuerySet[Attendance]:
    if not user.is_authenticated:
        return Attendance.objects.none()
    return Attendance.objects.filter(
        Q(staff__user=user)
        | Q(session__department__in=departments_planned_by(user))
        | Q(session__department__institution__in=_led(user))
    )


def can_see_coverage(user) -> bool:
    return _led(user).exists() or _caseload(user).exists() or _headed(user).exists()


def coverage_departments_for(user) -> QuerySet[Department]:
    """Departments on the user's coverage board: the programme lead's institution, a tutor's caseload, a
    head's own department."""
    if not user.is_authenticated:
        return Department.objects.none()
    return Department.objects.filter(
        Q(institution__in=_led(user)) | Q(pk__in=_caseload(user)) | Q(pk__in=_headed(user))
    )


registry.register(DevelopmentRequest, development_requests_readable_by)
registry.register(Session, sessions_readable_by)
registry.register(Attendance, attendance_readable_by)
registry.register(
    EvaluationResponse,
    # Anonymous answers are never read one by one: aggregates count them through cpd.insights.
    lambda user: EvaluationResponse.objects.none(),
)
registry.register(
    EvaluationReceipt,
    lambda user: (
        EvaluationReceipt.objects.filter(staff__user=user)
        if user.is_authenticated
        else EvaluationReceipt.objects.none()
    ),
)
registry.register(
    CalendarToken,
    lambda user: (
        CalendarToken.objects.filter(user=user) if user.is_authenticated else CalendarToken.objects.none()
    ),
)
registry.register_public(CpdPolicy, "The number of sessions a department should have each term")
