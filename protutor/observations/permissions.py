"""Who may see an observation: DESIGN.md section 2, the developmental and formal rows.

- Draft: its observer alone.
- Developmental (peer) observation, once shared: observer and observee, and the tutor the observee
  chooses to share it with. Never the line manager, head of department or programme lead, who see only
  aggregate themes with no names.
- Formal observation, learning walk or drop-in, once shared: also the observee's line manager, the head
  of the observee's department and the programme lead of the institution. Nobody else.
- Lesson observation of a trainee or early-career teacher, once shared: also whoever may read the
  observee's intern or induction record of the time (ite.permissions: their mentor, induction tutor, the
  ITE tutor and the programme lead). Never their head of department or line manager as such.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from protutor.core import permissions as registry
from protutor.ite.permissions import training_observations_of
from protutor.observations.models import (
    Framework,
    InstitutionFramework,
    Observation,
    ObservationPoint,
    ObservationPolicy,
    Standard,
)
from protutor.people.models import Department, Institution, Role, StaffMember
from protutor.people.permissions import (
    caseload_links_now,
    departments_headed_by,
    institutions_led_by,
    roles_in_force,
)


def _in_force(user, role):
    return roles_in_force(user, role)


def _caseload_departments(user):
    return caseload_links_now(user).values("department")


def observations_readable_by(user) -> QuerySet[Observation]:
    """Observations whose content `user` may read (see the module docstring)."""
    if not user.is_authenticated:
        return Observation.objects.none()
    shared = ~Q(status=Observation.Status.DRAFT)
    formal = Q(kind__in=Observation.FORMAL_KINDS)
    return Observation.objects.filter(
        Q(observer__user=user)
        | (shared & Q(observee__user=user))
        | (shared & Q(kind=Observation.Kind.DEVELOPMENTAL, shared_with_tutor__user=user))
        | (shared & Q(kind=Observation.Kind.TRAINING) & training_observations_of(user))
        | (
            shared
            & formal
            & (
                Q(observee__line_manager__user=user)
                | Q(observee__department__in=_in_force(user, Role.HEAD_OF_DEPARTMENT).values("department"))
                | Q(institution__in=_in_force(user, Role.PROGRAMME_LEAD).values("institution"))
            )
        )
    )


def points_readable_by(user) -> QuerySet[ObservationPoint]:
    return ObservationPoint.objects.filter(observation__in=observations_readable_by(user))


def observations_countable_by(user) -> QuerySet[Observation]:
    """Shared observations that may be counted, never listed, for `user`: the programme lead's institution,
    a head's department, a tutor's caseload departments. Only through protutor.core.aggregates."""
    if not user.is_authenticated:
        return Observation.objects.none()
    # Trainees' lesson observations belong to their training record, not to the department's needs.
    return (
        Observation.objects.exclude(status=Observation.Status.DRAFT)
        .exclude(kind=Observation.Kind.TRAINING)
        .filter(
            Q(institution__in=_in_force(user, Role.PROGRAMME_LEAD).values("institution"))
            | Q(department__in=_in_force(user, Role.HEAD_OF_DEPARTMENT).values("department"))
            | Q(department__in=_caseload_departments(user))
        )
    )


def departments_countable_by(user) -> QuerySet[Department]:
    """Departments whose development needs (themes counted by standard, never names) `user` may see: the
    same people who may count their observations (observations_countable_by)."""
    if not user.is_authenticated:
        return Department.objects.none()
    return Department.objects.filter(
        Q(institution__in=_in_force(user, Role.PROGRAMME_LEAD).values("institution"))
        | Q(pk__in=_in_force(user, Role.HEAD_OF_DEPARTMENT).values("department"))
        | Q(pk__in=_caseload_departments(user))
    )


def outcomes_institution_for(user) -> Institution | None:
    """The institution whose effective share by term `user` may see: the first they lead as programme lead,
    or else that of the first department they head (which then shows only the figures they may count).
    None: the page is not theirs."""
    led = institutions_led_by(user).order_by("name", "pk").first()
    if led is not None:
        return led
    headed = departments_headed_by(user).select_related("institution").order_by("name", "pk").first()
    return headed.institution if headed is not None else None


def can_see_outcomes(user) -> bool:
    """Whether outcomes_institution_for finds an institution, in one query (for the link to the page)."""
    return roles_in_force(user, Role.PROGRAMME_LEAD, Role.HEAD_OF_DEPARTMENT).exists()


def frameworks_readable_by(user) -> QuerySet[Framework]:
    """Shipped frameworks, and the own frameworks of the user's institution."""
    if not user.is_authenticated:
        return Framework.objects.none()
    mine = StaffMember.objects.filter(user=user).values("institution")
    return Framework.objects.filter(Q(institution__isnull=True) | Q(institution__in=mine))


def standards_in_use_for(institution_id: int) -> QuerySet[Standard]:
    """The standards an institution observes against: its chosen frameworks, or every shipped one."""
    chosen = InstitutionFramework.objects.filter(institution_id=institution_id).values("framework")
    if chosen.exists():
        return Standard.objects.filter(framework__in=chosen)
    return Standard.objects.filter(framework__institution__isnull=True)


# Predicates on records already fetched through a scope.


def is_observer(user, observation: Observation) -> bool:
    return observation.observer.user_id == user.pk


def can_edit_observation(user, observation: Observation) -> bool:
    return is_observer(user, observation) and observation.status == Observation.Status.DRAFT


def can_respond(user, observation: Observation) -> bool:
    return observation.observee.user_id == user.pk and observation.status == Observation.Status.SHARED


def can_share_with_tutor(user, observation: Observation) -> bool:
    return (
        observation.observee.user_id == user.pk
        and observation.kind == Observation.Kind.DEVELOPMENTAL
        and observation.status != Observation.Status.DRAFT
    )


def can_record_formal(user, observee: StaffMember) -> bool:
    """Formal observations are management's: the observee's line manager or head of department, or the
    programme lead."""
    return (
        (observee.line_manager is not None and observee.line_manager.user_id == user.pk)
        or _in_force(user, Role.HEAD_OF_DEPARTMENT).filter(department=observee.department_id).exists()
        or _in_force(user, Role.PROGRAMME_LEAD).filter(institution=observee.institution_id).exists()
    )


def can_manage_frameworks(user, institution_id: int) -> bool:
    return _in_force(user, Role.PROGRAMME_LEAD).filter(institution=institution_id).exists()


registry.register(Observation, observations_readable_by)
registry.register(ObservationPoint, points_readable_by)
registry.register(Framework, frameworks_readable_by)
registry.register_public(Standard, "A standard's number and heading, published framework text")
registry.register_public(InstitutionFramework, "Which frameworks an institution uses")
registry.register_public(ObservationPolicy, "An institution's grading scale")
