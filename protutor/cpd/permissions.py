"""Development requests: what staff would like to develop. The head of department and the department's
tutor see their department's requests (anonymous ones without a name); the person who asked sees their own."""

from django.db.models import Q, QuerySet
from django.utils import timezone

from protutor.core import permissions as registry
from protutor.cpd.models import DevelopmentRequest
from protutor.people.models import CaseloadDepartment, Role, RoleAssignment


def development_requests_readable_by(user) -> QuerySet[DevelopmentRequest]:
    if not user.is_authenticated:
        return DevelopmentRequest.objects.none()
    today = timezone.localdate()
    headed = RoleAssignment.objects.in_force().filter(staff__user=user, role=Role.HEAD_OF_DEPARTMENT)
    caseload = CaseloadDepartment.objects.filter(
        caseload__tutor__user=user, academic_year__starts_on__lte=today, academic_year__ends_on__gte=today
    )
    return DevelopmentRequest.objects.filter(
        Q(requested_by__user=user)
        | Q(department__in=headed.values("department"))
        | Q(department__in=caseload.values("department"))
    )


registry.register(DevelopmentRequest, development_requests_readable_by)
