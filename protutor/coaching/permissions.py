"""Who sees what of the coaching programme: DESIGN.md section 2, the coaching row.

- A pairing and its session dates: the coach, the coachee and the coaching coordinator (who arranges
  cover). Never line managers or heads of department.
- A journal entry: its writer alone.
- A cover request: the cover manager and the coordinator of the institution, and the person covered; it
  says "Professional development", never "coaching".
- Volunteering and sign-up records: the person and the coordinator.
"""

from django.db.models import Q, QuerySet

from protutor.coaching.models import (
    Agreement,
    AgreementAcceptance,
    Coach,
    CoacheeSignup,
    CoachingSession,
    Cohort,
    CoverRequest,
    JournalEntry,
    MatchingRun,
    Pairing,
    SurveyReceipt,
    SurveyResponse,
)
from protutor.core import permissions as registry
from protutor.people.models import Role, StaffMember
from protutor.people.permissions import roles_in_force


def _roles(user, role):
    return roles_in_force(user, role).values("institution")


def coordinated_by(user):
    return _roles(user, Role.COACHING_COORDINATOR)


def is_coordinator(user, institution_id: int) -> bool:
    return user.is_authenticated and coordinated_by(user).filter(institution=institution_id).exists()


def agreements_readable_by(user) -> QuerySet[Agreement]:
    if not user.is_authenticated:
        return Agreement.objects.none()
    return Agreement.objects.filter(
        institution__in=StaffMember.objects.filter(user=user).values("institution")
    )


def coaches_readable_by(user) -> QuerySet[Coach]:
    if not user.is_authenticated:
        return Coach.objects.none()
    return Coach.objects.filter(Q(staff__user=user) | Q(staff__institution__in=coordinated_by(user)))


def signups_readable_by(user) -> QuerySet[CoacheeSignup]:
    if not user.is_authenticated:
        return CoacheeSignup.objects.none()
    return CoacheeSignup.objects.filter(Q(staff__user=user) | Q(staff__institution__in=coordinated_by(user)))


def pairings_readable_by(user) -> QuerySet[Pairing]:
    """The coach, the coachee and the coordinator."""
    if not user.is_authenticated:
        return Pairing.objects.none()
    return Pairing.objects.filter(
        Q(coach__staff__user=user)
        | Q(coachee__staff__user=user)
        | Q(coach__staff__institution__in=coordinated_by(user))
    )


def sessions_readable_by(user) -> QuerySet[CoachingSession]:
    return CoachingSession.objects.filter(pairing__in=pairings_readable_by(user))


def cover_requests_readable_by(user) -> QuerySet[CoverRequest]:
    if not user.is_authenticated:
        return CoverRequest.objects.none()
    return CoverRequest.objects.filter(
        Q(staff__user=user)
        | Q(institution__in=_roles(user, Role.COVER_MANAGER))
        | Q(institution__in=coordinated_by(user))
    )


def journal_readable_by(user) -> QuerySet[JournalEntry]:
    """A journal entry: its writer alone. Nobody else, ever."""
    if not user.is_authenticated:
        return JournalEntry.objects.none()
    return JournalEntry.objects.filter(author__user=user)


def is_cover_manager(user) -> bool:
    return user.is_authenticated and _roles(user, Role.COVER_MANAGER).exists()


def is_in_pair(user, pairing: Pairing) -> bool:
    return user.pk in (pairing.coach.staff.user_id, pairing.coachee.staff.user_id)


registry.register(Agreement, agreements_readable_by)
registry.register(
    AgreementAcceptance,
    lambda user: (
        AgreementAcceptance.objects.filter(
            Q(staff__user=user) | Q(agreement__institution__in=coordinated_by(user))
        )
        if user.is_authenticated
        else AgreementAcceptance.objects.none()
    ),
)
registry.register(
    Cohort,
    lambda user: (
        Cohort.objects.filter(institution__in=coordinated_by(user))
        if user.is_authenticated
        else Cohort.objects.none()
    ),
)
registry.register(Coach, coaches_readable_by)
registry.register(CoacheeSignup, signups_readable_by)
registry.register(Pairing, pairings_readable_by)
registry.register(CoachingSession, sessions_readable_by)
registry.register(CoverRequest, cover_requests_readable_by)
registry.register(JournalEntry, journal_readable_by)
registry.register(
    MatchingRun,
    lambda user: (
        MatchingRun.objects.filter(institution__in=coordinated_by(user))
        if user.is_authenticated
        else MatchingRun.objects.none()
    ),
)
# Anonymous answers are never read one by one: the coordinator sees suppressed aggregates only.
registry.register(SurveyResponse, lambda user: SurveyResponse.objects.none())
registry.register(
    SurveyReceipt,
    lambda user: (
        SurveyReceipt.objects.filter(staff__user=user)
        if user.is_authenticated
        else SurveyReceipt.objects.none()
    ),
)
