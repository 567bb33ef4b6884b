"""Observations made through the services, so tests exercise the real paths (the checks on who may record
what, points tagged to the institution's standards, audit entries, emails after commit)."""

import datetime as dt

from django.db.models import F
from django.utils import timezone

from protutor.observations import services
from protutor.observations.models import Observation, ObservationPoint, Standard
from protutor.observations.services import Point

DEVELOPMENTAL = Observation.Kind.DEVELOPMENTAL
FORMAL = Observation.Kind.FORMAL


def standard(label: str) -> Standard:
    """A standard by its label, e.g. "TS 5d" or "ETF 9": a shipped framework's, else an institution's own."""
    code, number = label.split(" ", 1)
    found = Standard.objects.filter(framework__code=code, number=number).order_by(
        F("framework__institution").asc(nulls_first=True)
    )
    return found[:1].get()


def strength(text: str, *labels: str) -> Point:
    return Point(kind=ObservationPoint.Kind.STRENGTH, text=text, standards=[standard(s) for s in labels])


def development(text: str, *labels: str) -> Point:
    return Point(kind=ObservationPoint.Kind.DEVELOPMENT, text=text, standards=[standard(s) for s in labels])


def observe(
    observer,
    observee,
    *,
    kind: str = DEVELOPMENTAL,
    outcome: str = "",
    points=(),
    shared: bool = True,
    observed_on: dt.date | None = None,
    length_minutes: int = 50,
    group_name: str = "",
    focus=(),
    feedback_on: dt.date | None = None,
    agreed_actions: str = "",
) -> Observation:
    """`observer` records an observation of `observee` (a draft), and shares it unless `shared=False`."""
    observation = services.record_observation(
        actor=observer.user,
        observee=observee,
        kind=kind,
        observed_on=observed_on or timezone.localdate(),
        length_minutes=length_minutes,
        group_name=group_name,
        focus_standards=[standard(label) for label in focus],
        points=list(points),
        outcome=outcome,
        feedback_on=feedback_on,
        agreed_actions=agreed_actions,
    )
    if shared:
        observation = services.share_observation(actor=observer.user, observation=observation)
    return observation
