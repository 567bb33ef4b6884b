from django.db import transaction

from protutor.audit import services as audit
from protutor.core.errors import ServiceError
from protutor.people.roles import actor_for
from protutor.resources.models import Resource
from protutor.resources.permissions import can_add_resource


@transaction.atomic
def add_resource(*, actor, title: str, url: str = "", description: str = "", tags: str = "") -> Resource:
    """Add a guide, paper or material to the institution's library."""
    if not can_add_resource(actor):
        raise ServiceError("You do not have permission to do that.")
    staff = actor_for(actor).staff
    resource = Resource.objects.create(
        institution=staff.institution,
        title=title.strip(),
        url=url,
        description=description.strip(),
        tags=", ".join(t.strip() for t in tags.split(",") if t.strip()),
        added_by=staff,
    )
    audit.record(actor=actor, action="resources.resource_added", target=resource)
    return resource
