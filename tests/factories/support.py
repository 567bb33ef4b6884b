"""One-to-one support records, made through the services wherever the services can make them, so tests
exercise the real paths (permission checks, audit entries, emails after commit)."""

import datetime as dt

import factory
from django.utils import timezone

from protutor.support import services
from protutor.support.models import Interaction, Referral, Route, SafeguardingConcern, SupportCase


def refer(
    teacher, *, reason="I would like help with questioning", availability="", preferred_tutor=None
) -> Referral:
    """The teacher asks for support (status: received)."""
    return services.self_refer(
        actor=teacher.user, reason=reason, availability=availability, preferred_tutor=preferred_tutor
    )


def encourage(line_manager, teacher, *, reason="Support with behaviour for learning") -> Referral:
    """The line manager suggests support (status: awaiting the teacher)."""
    return services.encourage_referral(actor=line_manager.user, teacher=teacher, reason=reason)


def accept(
    referral, tutor, *, formality=SupportCase.Formality.INFORMAL, span=SupportCase.Span.ONGOING, focus_tags=""
):
    return services.accept_referral(
        actor=tutor.user, referral=referral, formality=formality, span=span, focus_tags=focus_tags
    )


def open_case_for(teacher, tutor, *, reason="I would like help with questioning", **kwargs) -> SupportCase:
    """A case the usual way: the teacher self-refers and the tutor takes the request on."""
    return accept(refer(teacher, reason=reason), tutor, **kwargs)


def log(
    case,
    tutor,
    *,
    shared="",
    private="",
    next_steps="",
    minutes=45,
    occurred_on: dt.date | None = None,
    kind=Interaction.Kind.CONVERSATION,
) -> Interaction:
    return services.log_interaction(
        actor=tutor.user,
        case=case,
        kind=kind,
        occurred_on=occurred_on or timezone.localdate(),
        minutes=minutes,
        shared_notes=shared,
        private_note=private,
        next_steps=next_steps,
    )


def concern(case, tutor, *, text="A concern about wellbeing") -> SafeguardingConcern:
    return services.raise_concern(actor=tutor.user, case=case, text=text)


class SupportCaseFactory(factory.django.DjangoModelFactory):
    """A bare case row, for aggregates that need many cases quickly (no holding, no audit entry)."""

    class Meta:
        model = SupportCase

    teacher = None  # required: pass a StaffMember
    institution = factory.LazyAttribute(lambda o: o.teacher.institution)
    department = factory.LazyAttribute(lambda o: o.teacher.department)
    route = Route.SELF
    formality = SupportCase.Formality.INFORMAL
    span = SupportCase.Span.ONGOING
    opened_at = factory.LazyFunction(timezone.now)
