"""Support plans made through the services, so tests exercise the real paths (who may open a plan, goals
and the first review, history rows, audit entries, emails after commit)."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from protutor.plans import services
from protutor.plans.models import PlanReview, PlanSupportEntry, SupportPlan

CONCERNS = "Behaviour routines at the start of lessons"
GOALS = (("A consistent start-of-lesson routine", "Students settle within three minutes"),)


def open_plan_for(
    teacher,
    by,
    tutor=None,
    *,
    concerns: str = CONCERNS,
    goals=GOALS,
    first_review_on: dt.date | None = None,
    support_offered: str = "",
    concern_standards=(),
) -> SupportPlan:
    """`by` (the teacher's line manager or the programme lead, a StaffMember) opens a plan for `teacher`,
    with `tutor` assigned if given; the first review is a fortnight away unless said otherwise."""
    return services.open_plan(
        actor=by.user,
        teacher=teacher,
        concerns=concerns,
        goals=list(goals),
        first_review_on=first_review_on or timezone.localdate() + dt.timedelta(days=14),
        assigned_tutor=tutor,
        support_offered=support_offered,
        concern_standards=concern_standards,
    )


def log_support(
    plan: SupportPlan,
    tutor,
    *,
    minutes: int = 45,
    given_on: dt.date | None = None,
    summary: str = "Co-planned a lesson",
) -> PlanSupportEntry:
    """The assigned tutor records support given (today unless said otherwise)."""
    return services.log_plan_support(
        actor=tutor.user,
        plan=plan,
        given_on=given_on or timezone.localdate(),
        minutes=minutes,
        summary=summary,
    )


def meet_exit_conditions(
    plan: SupportPlan, manager, *, evidence: str = "Formal observation judged effective"
) -> SupportPlan:
    """All three exit conditions, today: the teacher feels confident, `manager` (the plan's line manager or
    the programme lead) is satisfied and records the evidence of improvement."""
    today = timezone.localdate()
    services.record_exit_condition(
        actor=plan.teacher.user, plan=plan, condition="teacher_confident", on=today
    )
    services.record_exit_condition(
        actor=manager.user, plan=plan, condition="line_manager_satisfied", on=today
    )
    return services.record_exit_condition(
        actor=manager.user, plan=plan, condition="improvement_evidenced", on=today, evidence=evidence
    )


def next_review(plan: SupportPlan) -> PlanReview:
    return plan.reviews.filter(held_on__isnull=True).get()


def close_as_met(plan: SupportPlan, manager, *, notes: str = "Goals met") -> SupportPlan:
    """Record the three exit conditions, then hold the next review today with the outcome "closed, met"."""
    meet_exit_conditions(plan, manager)
    return services.record_review(
        actor=manager.user,
        review=next_review(plan),
        held_on=timezone.localdate(),
        notes=notes,
        outcome=PlanReview.Outcome.CLOSED_MET,
    )


class SupportPlanFactory(factory.django.DjangoModelFactory):
    """A bare plan row, for aggregates that need many plans on chosen dates quickly (no goals, no review,
    no audit entry): the service always starts a plan today."""

    class Meta:
        model = SupportPlan

    teacher = None  # required: pass a StaffMember with a line manager
    institution = factory.LazyAttribute(lambda o: o.teacher.institution)
    line_manager = factory.LazyAttribute(lambda o: o.teacher.line_manager)
    opened_by = factory.LazyAttribute(lambda o: o.teacher.line_manager)
    concerns = CONCERNS
