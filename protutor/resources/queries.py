"""How much each resource is used, as counts with nobody's name: signposted on support cases, used in CPD
sessions and network meetings, opened. Built on the library's scope; the signposting count is a count
about people (each signposting is to a teacher), so pages show it through `count_of_people` only."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from protutor.core.aggregates import Figure, count_of_people


def _count(through_queryset, value: str, *, distinct: bool = False) -> Coalesce:
    return Coalesce(
        Subquery(
            through_queryset.order_by()
            .values("resource")
            .annotate(n=Count(value, distinct=distinct))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def with_usage(resources: QuerySet) -> QuerySet:
    """Annotate `signposted`, `signposted_people`, `in_sessions` and `opened`: one query however many rows."""
    from protutor.cpd.models import Session
    from protutor.resources.models import ResourceOpen
    from protutor.support.models import Interaction
    from protutor.team.models import PartnerMeeting

    me = OuterRef("pk")
    signposts = Interaction.resources.through.objects.filter(resource=me)
    sessions = Session.resources.through.objects.filter(resource=me)
    meetings = PartnerMeeting.resources.through.objects.filter(resource=me)
    opened = ResourceOpen.objects.filter(resource=me).order_by().values("resource").annotate(n=Sum("count"))
    return resources.annotate(
        signposted=_count(signposts, "pk"),
        signposted_people=_count(signposts, "interaction__case__teacher", distinct=True),
        in_sessions=_count(sessions, "pk"),
        in_meetings=_count(meetings, "pk"),
        opened=Coalesce(Subquery(opened.values("n")[:1], output_field=IntegerField()), Value(0)),
    )


@dataclass(frozen=True)
class Usage:
    signposted: Figure
    in_sessions: int
    opened: int

    @property
    def total(self) -> int:
        return (self.signposted.value or 0) + self.in_sessions + self.opened


def usage_of(resource) -> Usage:
    """Read from a resource annotated by `with_usage`."""
    return Usage(
        signposted=count_of_people(resource.signposted, people=resource.signposted_people),
        in_sessions=resource.in_sessions + resource.in_meetings,
        opened=resource.opened,
    )


def ranked_by_use(resources: QuerySet) -> QuerySet:
    """Most used first: signposted, in sessions and meetings, then opened."""
    from django.db.models import F

    return (
        with_usage(resources)
        .annotate(uses=F("signposted") + F("in_sessions") + F("in_meetings"))
        .order_by("-uses", "-opened", "title", "pk")
    )
