from django.db import transaction

from protutor.audit import services as audit
from protutor.core.errors import ServiceError
from protutor.cpd.models import DevelopmentRequest
from protutor.people.models import StaffMember


@transaction.atomic
def request_development(*, actor, topic: str, standard=None, anonymous: bool = False) -> DevelopmentRequest:
    """A member of staff says what they would like to develop; it feeds their department's CPD."""
    staff = StaffMember.objects.filter(user=actor).select_related("department").first()
    if staff is None or staff.department_id is None:
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
