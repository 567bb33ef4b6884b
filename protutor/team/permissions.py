"""The tutor team's space: the current tutors of an institution and its programme lead. Nobody else,
administrators included. A tutor's own development is theirs and the programme lead's."""

from django.db.models import Q, QuerySet
from django.utils import timezone

from protutor.core import permissions as registry
from protutor.people.models import Caseload, Institution, Role, RoleAssignment
from protutor.team.models import (
    AgendaItem,
    MeetingAction,
    OwnDevelopment,
    Partner,
    PartnerMeeting,
    PartnerVisit,
    TargetReview,
    TeamMeeting,
    TutorTarget,
)


def team_institutions_of(user) -> QuerySet[Institution]:
    if not user.is_authenticated:
        return Institution.objects.none()
    today = timezone.localdate()
    tutoring = Caseload.objects.filter(
        tutor__user=user, academic_year__starts_on__lte=today, academic_year__ends_on__gte=today
    ).values("academic_year__institution")
    leading = (
        RoleAssignment.objects.in_force()
        .filter(staff__user=user, role=Role.PROGRAMME_LEAD)
        .values("institution")
    )
    return Institution.objects.filter(Q(pk__in=tutoring) | Q(pk__in=leading))


def is_programme_lead_of(user, institution_id: int) -> bool:
    return (
        RoleAssignment.objects.in_force()
        .filter(staff__user=user, role=Role.PROGRAMME_LEAD, institution=institution_id)
        .exists()
    )


def meetings_readable_by(user) -> QuerySet[TeamMeeting]:
    return TeamMeeting.objects.filter(institution__in=team_institutions_of(user))


def partners_readable_by(user) -> QuerySet[Partner]:
    return Partner.objects.filter(institution__in=team_institutions_of(user))


def targets_readable_by(user) -> QuerySet[TutorTarget]:
    """A tutor's targets: the tutor and the programme lead."""
    if not user.is_authenticated:
        return TutorTarget.objects.none()
    led = (
        RoleAssignment.objects.in_force()
        .filter(staff__user=user, role=Role.PROGRAMME_LEAD)
        .values("institution")
    )
    return TutorTarget.objects.filter(
        Q(caseload__tutor__user=user) | Q(caseload__academic_year__institution__in=led)
    )


def own_development_readable_by(user) -> QuerySet[OwnDevelopment]:
    if not user.is_authenticated:
        return OwnDevelopment.objects.none()
    led = (
        RoleAssignment.objects.in_force()
        .filter(staff__user=user, role=Role.PROGRAMME_LEAD)
        .values("institution")
    )
    return OwnDevelopment.objects.filter(Q(tutor__user=user) | Q(tutor__institution__in=led))


registry.register(TeamMeeting, meetings_readable_by)
registry.register(AgendaItem, lambda user: AgendaItem.objects.filter(meeting__in=meetings_readable_by(user)))
registry.register(
    MeetingAction, lambda user: MeetingAction.objects.filter(meeting__in=meetings_readable_by(user))
)
registry.register(Partner, partners_readable_by)
registry.register(
    PartnerMeeting, lambda user: PartnerMeeting.objects.filter(institution__in=team_institutions_of(user))
)
registry.register(
    PartnerVisit, lambda user: PartnerVisit.objects.filter(partner__in=partners_readable_by(user))
)
registry.register(TutorTarget, targets_readable_by)


def target_reviews_readable_by(user) -> QuerySet[TargetReview]:
    """A tutor's reviews against their targets: the tutor and the programme lead."""
    if not user.is_authenticated:
        return TargetReview.objects.none()
    led = (
        RoleAssignment.objects.in_force()
        .filter(staff__user=user, role=Role.PROGRAMME_LEAD)
        .values("institution")
    )
    return TargetReview.objects.filter(
        Q(caseload__tutor__user=user) | Q(caseload__academic_year__institution__in=led)
    )


registry.register(TargetReview, target_reviews_readable_by)
registry.register(OwnDevelopment, own_development_readable_by)
