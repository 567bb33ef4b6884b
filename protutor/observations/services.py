"""Writes to observations: each in one transaction with its audit entry; emails after commit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from protutor.audit import services as audit
from protutor.core.errors import ServiceError
from protutor.core.notify import notify_after_commit
from protutor.ite.permissions import trainees_readable_by
from protutor.observations import permissions
from protutor.observations.models import (
    InstitutionFramework,
    Observation,
    ObservationPoint,
    ObservationPolicy,
    Standard,
)
from protutor.people.models import StaffMember

DENIED = "You do not have permission to do that."


@dataclass
class Point:
    kind: str
    text: str
    standards: list[Standard]


def _check(
    *, actor, observer: StaffMember, observee: StaffMember, kind: str, observed_on: dt.date, outcome: str
):
    if observee.pk == observer.pk:
        raise ServiceError("Select someone other than yourself", field="observee")
    if observee.institution_id != observer.institution_id:
        raise ServiceError("Select a member of staff from your institution", field="observee")
    if observed_on > timezone.localdate():
        raise ServiceError("The date must be today or in the past", field="observed_on")
    if kind in Observation.FORMAL_KINDS and not permissions.can_record_formal(actor, observee):
        raise ServiceError(
            "Only their line manager, head of department or the programme lead can record a formal observation",
            field="kind",
        )
    if kind == Observation.Kind.TRAINING and not trainees_readable_by(actor).filter(pk=observee.pk).exists():
        raise ServiceError(
            "Select an intern or early-career teacher whose mentor or tutor you are", field="observee"
        )
    policy = ObservationPolicy.for_institution(observer.institution_id)
    if outcome:
        if kind != Observation.Kind.FORMAL:
            raise ServiceError("Only a formal observation has an outcome", field="outcome")
        if not policy.grading_enabled:
            raise ServiceError("Your institution does not grade observations", field="outcome")
        if outcome not in dict(policy.outcome_choices):
            raise ServiceError("Select an outcome from the list", field="outcome")


def _save_points(observation: Observation, points: Iterable[Point]) -> None:
    observation.points.all().delete()
    allowed = set(permissions.standards_in_use_for(observation.institution_id).values_list("pk", flat=True))
    for point in points:
        if not point.text.strip():
            continue
        if any(s.pk not in allowed for s in point.standards):
            raise ServiceError("Select standards from your institution's frameworks", field="points")
        saved = ObservationPoint.objects.create(
            observation=observation, kind=point.kind, text=point.text.strip()
        )
        saved.standards.set(point.standards)


@transaction.atomic
def record_observation(
    *,
    actor,
    observee: StaffMember,
    kind: str,
    observed_on: dt.date,
    length_minutes: int,
    group_name: str = "",
    focus_standards: Iterable[Standard] = (),
    points: Iterable[Point] = (),
    outcome: str = "",
    feedback_on: dt.date | None = None,
    agreed_actions: str = "",
    observation: Observation | None = None,
) -> Observation:
    """Record (or, while a draft, change) an observation. It stays a draft, seen by its observer alone,
    until it is shared."""
    observer = StaffMember.objects.filter(user=actor).first()
    if observer is None:
        raise ServiceError("Your account is not linked to a member of staff.")
    if observation is not None and not permissions.can_edit_observation(actor, observation):
        raise ServiceError("A shared observation can no longer be changed.")
    _check(
        actor=actor, observer=observer, observee=observee, kind=kind, observed_on=observed_on, outcome=outcome
    )
    focus_standards = list(focus_standards)
    focus_ids = {s.pk for s in focus_standards}
    in_use = permissions.standards_in_use_for(observer.institution_id)
    if in_use.filter(pk__in=focus_ids).count() < len(focus_ids):
        raise ServiceError("Select standards from your institution's frameworks", field="focus_standards")
    created = observation is None
    observation = observation or Observation(institution_id=observer.institution_id, observer=observer)
    observation.kind = kind
    observation.observee = observee
    observation.department_id = observee.department_id
    observation.observed_on = observed_on
    observation.length_minutes = length_minutes
    observation.group_name = group_name.strip()
    observation.outcome = outcome
    observation.feedback_on = feedback_on
    observation.agreed_actions = agreed_actions.strip()
    observation.save()
    observation.focus_standards.set(focus_standards)
    _save_points(observation, points)
    audit.record(
        actor=actor, action="observations.recorded" if created else "observations.changed", target=observation
    )
    return observation


@transaction.atomic
def share_observation(*, actor, observation: Observation) -> Observation:
    observation = Observation.objects.select_for_update().get(pk=observation.pk)
    if not permissions.can_edit_observation(actor, observation):
        raise ServiceError("This observation has already been shared.")
    observation.status = Observation.Status.SHARED
    observation.shared_at = timezone.now()
    observation.save(update_fields=["status", "shared_at"])
    audit.record(actor=actor, action="observations.shared", target=observation)
    notify_after_commit(
        [observation.observee.user],
        subject="feedback from an observation",
        message="Feedback from an observation of your teaching has been shared with you. You can respond to it.",
        path=observation.get_absolute_url(),
    )
    return observation


@transaction.atomic
def respond_to_observation(
    *, actor, observation: Observation, response: str, acknowledge: bool
) -> Observation:
    observation = Observation.objects.select_for_update().get(pk=observation.pk)
    if not permissions.can_respond(actor, observation):
        raise ServiceError("You have already acknowledged this observation.")
    if not acknowledge and not response.strip():
        raise ServiceError("Enter a response, or acknowledge the feedback", field="response")
    observation.observee_response = response.strip()
    fields = ["observee_response"]
    if acknowledge:
        observation.status = Observation.Status.ACKNOWLEDGED
        observation.acknowledged_at = timezone.now()
        fields += ["status", "acknowledged_at"]
    observation.save(update_fields=fields)
    audit.record(actor=actor, action="observations.responded", target=observation, acknowledged=acknowledge)
    return observation


@transaction.atomic
def share_with_tutor(*, actor, observation: Observation, tutor: StaffMember | None) -> Observation:
    """The observee shares a developmental observation with a professional tutor (or stops sharing it)."""
    if not permissions.can_share_with_tutor(actor, observation):
        raise ServiceError(DENIED)
    if tutor is not None and tutor.pk == observation.observee_id:
        raise ServiceError("Select a tutor other than yourself", field="tutor")
    today = timezone.localdate()
    if (
        tutor is not None
        and not tutor.caseloads.filter(
            academic_year__institution_id=observation.institution_id,
            academic_year__starts_on__lte=today,
            academic_year__ends_on__gte=today,
        ).exists()
    ):
        raise ServiceError("Select a professional tutor of your institution", field="tutor")
    observation.shared_with_tutor = tutor
    observation.save(update_fields=["shared_with_tutor"])
    audit.record(
        actor=actor,
        action="observations.shared_with_tutor",
        target=observation,
        tutor=tutor.pk if tutor else None,
    )
    if tutor is not None:
        notify_after_commit(
            [tutor.user],
            subject="an observation has been shared with you",
            message="A member of staff has shared a developmental observation with you.",
            path=observation.get_absolute_url(),
        )
    return observation


def summary_for_support(observation: Observation) -> str:
    strengths = [p.text for p in observation.points.all() if p.kind == ObservationPoint.Kind.STRENGTH]
    development = [p.text for p in observation.points.all() if p.kind == ObservationPoint.Kind.DEVELOPMENT]
    lines = [f"Developmental observation on {observation.observed_on:%d %B %Y}."]
    if strengths:
        lines += ["Strengths:", *[f"- {s}" for s in strengths]]
    if development:
        lines += ["Development points:", *[f"- {d}" for d in development]]
    return "\n".join(lines)


@transaction.atomic
def choose_frameworks(*, actor, institution, frameworks, grading_enabled: bool) -> None:
    """The programme lead picks the frameworks the institution observes against, and whether formal
    observations get an outcome."""
    if not permissions.can_manage_frameworks(actor, institution.pk):
        raise ServiceError(DENIED)
    InstitutionFramework.objects.filter(institution=institution).exclude(framework__in=frameworks).delete()
    for framework in frameworks:
        InstitutionFramework.objects.get_or_create(institution=institution, framework=framework)
    policy, _ = ObservationPolicy.objects.get_or_create(
        institution=institution, defaults={"outcomes": ObservationPolicy.DEFAULT_OUTCOMES}
    )
    policy.grading_enabled = grading_enabled
    policy.save(update_fields=["grading_enabled"])
    audit.record(
        actor=actor,
        action="observations.frameworks_chosen",
        target=institution,
        frameworks=[f.pk for f in frameworks],
    )
