from django.db.models import QuerySet

from protutor.core import permissions as registry
from protutor.people.models import StaffMember
from protutor.resources.models import Resource


def resources_readable_by(user) -> QuerySet[Resource]:
    """The library is open to everyone in the institution that keeps it."""
    if not user.is_authenticated:
        return Resource.objects.none()
    return Resource.objects.filter(
        institution__in=StaffMember.objects.filter(user=user).values("institution")
    )


def can_add_resource(user) -> bool:
    """Professional tutors and programme leads build the library."""
    from protutor.people.roles import actor_for

    actor = actor_for(user)
    return actor.is_tutor or actor.is_programme_lead


registry.register(Resource, resources_readable_by)
