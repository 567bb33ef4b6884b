"""Communities of practice: who sees and plans what.

- A development request: the person who asked; the head of department and the department's tutor read
  it one by one only when its author let their name be shown. An anonymous request is read only as part
  of a group (cpd.insights.requests_summary): in a small department its wording would identify its
  author, so its text is shown only once at least the suppression threshold of people asked anonymously.
- A session: the department's staff (invited), its head, its tutor this year, the programme lead.
  The head and the tutor plan and edit it together.
- Attendance: the person, and whoever may edit the session.
- Evaluations: anonymous; nobody reads a single response, only suppressed aggregates, and those only
  whoever plans the session's department (its head, its tutor this year) and the programme lead of the
  session's own institution (not a lead of another school of the trust who happens to teach there).
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
    """Requests `user` may read one by one: their own, and the named ones of the departments they plan
    (as head, or as tutor this year). Others' anonymous requests are never listed: see the module."""
    if not user.is_authenticated:
        return DevelopmentRequest.objects.none()
    return DevelopmentRequest.objects.filter(
        Q(requested_by__user=user)
        | Q(anonymous=False, department__in=_headed(user))
        | Q(anonymous=False, department__in=_caseload(user))
    )


def development_requests_countable_by(user) -> QuerySet[DevelopmentRequest]:
    """Every request of the departments `user` plans, anonymous ones included: counted, never listed, and
    their words shown only through cpd.insights.requests_summary, which applies the small-number rule."""
    if not user.is_authenticated:
        return DevelopmentRequest.objects.none()
    return DevelopmentRequest.objects.filter(
        Q(department__in=_headed(user)) | Q(department__in=_caseload(user))
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


def sessions_evaluated_for(user) -> QuerySet[Session]:
    """Sessions whose evaluation summary `user` may read: those of the departments they plan (head,
    tutor this year) and those of the institutions they lead as programme lead. Attending, or leading
    another institution, is not enough."""
    if not user.is_authenticated:
        return Session.objects.none()
    return Session.objects.filter(
        Q(department__in=departments_planned_by(user)) | Q(department__institution__in=_led(user))
    )


def can_read_evaluation_summary(user, session: Session) -> bool:
    return sessions_evaluated_for(user).filter(pk=session.pk).exists()


def attendance_readable_by(user) -> QuerySet[Attendance]:
    if not user.is_authenticated:
        return Attendance.objects.none()
    return Attendance.objects.filter(
        Q(staff__user=user)
        | Q(session__department__in=departments_planned_by(user))
        | Q(session__department__institution__in=_led(user))
    )


def coverage_departments_for(user) -> QuerySet[Department]:
    """Departments on the user's coverage board: the programme lead's institution, a tutor's caseload, a
    head's own department."""
    if not user.is_authenticated:
        return Department.objects.none()
    return Department.objects.filter(
        Q(institution__in=_led(user)) | Q(pk__in=_caseload(user)) | Q(pk__in=_headed(user))
    )


def can_see_coverage(user) -> bool:
    """The coverage board is for whoever has departments on it (one query)."""
    return coverage_departments_for(user).exists()


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
