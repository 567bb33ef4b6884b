"""The resource library: who reads and who builds it (docs/adr/0010-resource-library.md).

- A resource (with its versions, files and open counts): signed-in staff of the institution that keeps
  it, and staff of institutions a collection holding it is shared with. The library is not confidential.
  Retired resources stay readable, so the sessions and cases that used them still link.
- Publishing, revising and retiring: the keeping institution's professional tutors and programme lead.
- A collection: staff of its institution and of the institutions it is shared with; its partner links
  (whose token is a credential) only those who may manage it.
- "Signposted to you": resources on interactions of the support cases where the signed-in person is the
  teacher, found through the support app's own scope. Only the teacher sees that list.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from protutor.core import permissions as registry
from protutor.people.models import StaffMember
from protutor.people.roles import actor_for
from protutor.resources.models import Collection, CollectionLink, Resource, ResourceOpen, ResourceVersion


def _institutions_of(user):
    return StaffMember.objects.filter(user=user).values("institution")


def resources_readable_by(user) -> QuerySet[Resource]:
    """The keeping institution's staff, and staff of institutions a collection holding it is shared with."""
    if not user.is_authenticated:
        return Resource.objects.none()
    mine = _institutions_of(user)
    shared = Collection.objects.filter(resources=OuterRef("pk"), shared_with__in=mine)
    return Resource.objects.filter(Q(institution__in=mine) | Exists(shared))


def resources_to_offer(user, *, keeping=()) -> QuerySet[Resource]:
    """What a form may offer to signpost or attach: the readable library less retired resources, except
    those already attached (`keeping`), which an edit must not silently drop."""
    return resources_readable_by(user).filter(Q(retired_at__isnull=True) | Q(pk__in=list(keeping)))


def versions_readable_by(user) -> QuerySet[ResourceVersion]:
    return ResourceVersion.objects.filter(resource__in=resources_readable_by(user))


def resource_opens_readable_by(user) -> QuerySet[ResourceOpen]:
    return ResourceOpen.objects.filter(resource__in=resources_readable_by(user))


def collections_readable_by(user) -> QuerySet[Collection]:
    """Staff of the collection's institution and of the institutions it is shared with."""
    if not user.is_authenticated:
        return Collection.objects.none()
    mine = _institutions_of(user)
    shared = Collection.shared_with.through.objects.filter(collection=OuterRef("pk"), institution__in=mine)
    return Collection.objects.filter(Q(institution__in=mine) | Exists(shared))


def _managed_institution(user):
    """The institution whose library `user` builds: as its tutor or programme lead; else None."""
    actor = actor_for(user)
    if actor.staff is None or not (actor.is_tutor or actor.is_programme_lead):
        return None
    return actor.staff.institution_id


def collection_links_readable_by(user) -> QuerySet[CollectionLink]:
    """Partner links carry a credential: only the people who manage the collection see them."""
    institution = _managed_institution(user)
    if institution is None:
        return CollectionLink.objects.none()
    return CollectionLink.objects.filter(collection__institution=institution)


def can_publish_resource(user) -> bool:
    """Professional tutors and programme leads build their institution's library."""
    return _managed_institution(user) is not None


can_add_resource = can_publish_resource  # the name the first version of the library used


def can_edit_resource(user, resource: Resource) -> bool:
    """Revise or retire: the keeping institution's tutors and programme lead."""
    return _managed_institution(user) == resource.institution_id


def can_manage_collection(user, collection: Collection) -> bool:
    return _managed_institution(user) == collection.institution_id


def sees_usage_ranking(user) -> bool:
    """The "most used" list is for the people who build the library."""
    return can_publish_resource(user)


def resources_signposted_to(user) -> QuerySet[Resource]:
    """Resources a tutor signposted on the signed-in person's own support cases, newest first, each with
    `signposted_on` (the latest date). Cases come through the support app's scope, narrowed to the cases
    where this person is the teacher, so a tutor never sees the list of someone else's cases here."""
    from protutor.support.models import Interaction
    from protutor.support.permissions import cases_readable_by

    staff = actor_for(user).staff
    if staff is None:
        return Resource.objects.none()
    own_cases = cases_readable_by(user).filter(teacher=staff)
    links = Interaction.resources.through.objects.filter(
        resource=OuterRef("pk"), interaction__case__in=own_cases
    )
    latest = links.order_by("-interaction__occurred_on").values("interaction__occurred_on")[:1]
    return (
        resources_readable_by(user)
        .filter(Exists(links))
        .annotate(signposted_on=Subquery(latest))
        .order_by("-signposted_on", "title")
    )


registry.register(Resource, resources_readable_by)
registry.register(ResourceVersion, versions_readable_by)
registry.register(ResourceOpen, resource_opens_readable_by)
registry.register(Collection, collections_readable_by)
registry.register(CollectionLink, collection_links_readable_by)
