"""Writes to support plans: one transaction each, with an audit entry; emails after commit say only that
something happened."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from protutor.audit import services as audit
from protutor.core.errors import ServiceError
from protutor.core.notify import notify_after_commit
from protutor.people.models import StaffMember
from protutor.plans import permissions
from protutor.plans.models import PlanGoal, PlanReview, PlanSupportEntry, SupportPlan

DENIED = "You do not have permission to do that."


def _people(plan: SupportPlan):
    return [p.user for p in (plan.teacher, plan.line_manager, plan.assigned_tutor) if p is not None]


@transaction.atomic
def open_plan(
    *,
    actor,
    teacher: StaffMember,
    concerns: str,
    goals: list[tuple[str, str]],
    first_review_on: dt.date,
    assigned_tutor: StaffMember | None = None,
    support_offered: str = "",
    concern_standards=(),
) -> SupportPlan:
    """Open a plan with its goals and first review. The teacher is asked to acknowledge it."""
    if not permissions.can_open_plan_for(actor, teacher):
        raise ServiceError("Only their line manager or the programme lead can open a plan", field="teacher")
    if teacher.line_manager_id is None:
        raise ServiceError("This member of staff has no line manager in the staff list", field="teacher")
    if not concerns.strip():
        raise ServiceError("Describe the concerns", field="concerns")
    goals = [(g.strip(), c.strip()) for g, c in goals if g.strip()]
    if not goals:
        raise ServiceError("Enter at least one goal", field="goal_1")
    if first_review_on <= timezone.localdate():
        raise ServiceError("The first review must be in the future", field="first_review_on")
    if assigned_tutor is not None and assigned_tutor.pk == teacher.pk:
        raise ServiceError("Choose a tutor other than the teacher", field="assigned_tutor")
    today = timezone.localdate()
    if (
        assigned_tutor is not None
        and not assigned_tutor.caseloads.filter(
            academic_year__institution_id=teacher.institution_id,
            academic_year__starts_on__lte=today,
            academic_year__ends_on__gte=today,
        ).exists()
    ):
        raise ServiceError("Select a professional tutor of this institution", field="assigned_tutor")
    assert teacher.line_manager is not None  # checked above
    plan = SupportPlan.objects.create(
        institution_id=teacher.institution_id,
        teacher=teacher,
        line_manager=teacher.line_manager,
        opened_by=StaffMember.objects.get(user=actor),
        assigned_tutor=assigned_tutor,
        concerns=concerns.strip(),
        support_offered=support_offered.strip(),
    )
    plan.concern_standards.set(list(concern_standards))
    PlanGoal.objects.bulk_create(
        [
            PlanGoal(plan=plan, goal=g, success_criteria=c, position=i)
            for i, (g, c) in enumerate(goals, start=1)
        ]
    )
    PlanReview.objects.create(plan=plan, due_on=first_review_on)
    audit.record(actor=actor, action="plans.opened", target=plan)
    notify_after_commit(
        _people(plan),
        subject="a support plan has been opened",
        message="A support plan has been opened. Please read it and, if it is yours, acknowledge it.",
        path=plan.get_absolute_url(),
    )
    return plan


@transaction.atomic
def acknowledge_plan(*, actor, plan: SupportPlan) -> SupportPlan:
    plan = SupportPlan.objects.select_for_update().get(pk=plan.pk)
    if not permissions.is_plan_teacher(actor, plan):
        raise ServiceError(DENIED)
    if plan.acknowledged_at is None:
        plan.acknowledged_at = timezone.now()
        plan.save(update_fields=["acknowledged_at"])
        audit.record(actor=actor, action="plans.acknowledged", target=plan)
    return plan


@transaction.atomic
def log_plan_support(
    *, actor, plan: SupportPlan, given_on: dt.date, minutes: int, summary: str
) -> PlanSupportEntry:
    """The assigned tutor records support given; the minutes count towards their remitted time."""
    if not permissions.can_log_plan_support(actor, plan):
        raise ServiceError(DENIED)
    if given_on > timezone.localdate():
        raise ServiceError("The date must be today or in the past", field="given_on")
    if not 1 <= minutes <= 600:
        raise ServiceError("Enter the minutes, from 1 to 600", field="minutes")
    if not summary.strip():
        raise ServiceError("Describe the support given", field="summary")
    assert plan.assigned_tutor is not None  # can_log_plan_support requires an assigned tutor
    entry = PlanSupportEntry.objects.create(
        plan=plan, tutor=plan.assigned_tutor, given_on=given_on, minutes=minutes, summary=summary.strip()
    )
    audit.record(actor=actor, action="plans.support_logged", target=plan, minutes=minutes)
    return entry


@transaction.atomic
def comment_on_review(*, actor, review: PlanReview, comment: str) -> PlanReview:
    """The teacher adds their own comment at a review, before it is held: a held review, or a closed plan's,
    is the record and its history keeps no copy of the comment."""
    review = PlanReview.objects.select_for_update().select_related("plan__teacher").get(pk=review.pk)
    if not permissions.is_plan_teacher(actor, review.plan):
        raise ServiceError(DENIED)
    if review.plan.status != SupportPlan.Status.OPEN:
        raise ServiceError("This plan is closed.")
    if review.held_on is not None:
        raise ServiceError("This review has already been held: comment on the next one.")
    if not comment.strip():
        raise ServiceError("Enter your comment", field="comment")
    review.teacher_comment = comment.strip()
    review.save(update_fields=["teacher_comment"])
    audit.record(actor=actor, action="plans.review_commented", target=review.plan)
    return review


@transaction.atomic
def record_exit_condition(
    *, actor, plan: SupportPlan, condition: str, on: dt.date, evidence: str = ""
) -> SupportPlan:
    """Record one of the three exit conditions. The teacher says they feel confident; the line manager
    (or programme lead) says they are satisfied and that the improvement shows in practice."""
    plan = SupportPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != SupportPlan.Status.OPEN:
        raise ServiceError("This plan is closed.")
    if on > timezone.localdate():
        raise ServiceError("The date must be today or in the past", field="on")
    if condition == "teacher_confident":
        if not permissions.is_plan_teacher(actor, plan):
            raise ServiceError("Only the teacher can say they feel confident")
        plan.teacher_confident_on = on
    elif condition in {"line_manager_satisfied", "improvement_evidenced"}:
        if not permissions.can_manage_plan(actor, plan):
            raise ServiceError(DENIED)
        if condition == "line_manager_satisfied":
            plan.line_manager_satisfied_on = on
        else:
            if not evidence.strip():
                raise ServiceError(
                    "Say what shows the improvement, for example an observation judged effective",
                    field="evidence",
                )
            plan.improvement_evidenced_on = on
            plan.improvement_evidence = evidence.strip()
    else:
        raise ServiceError("Select an exit condition", field="condition")
    plan.save()
    audit.record(actor=actor, action="plans.exit_condition_recorded", target=plan, condition=condition)
    return plan


@transaction.atomic
def record_review(
    *,
    actor,
    review: PlanReview,
    held_on: dt.date,
    notes: str,
    outcome: str,
    next_review_on: dt.date | None = None,
) -> SupportPlan:
    """Hold a review: continue or extend (with a next review date), close as met (only once all three exit
    conditions are recorded), or move to the formal procedure."""
    plan = SupportPlan.objects.select_for_update().get(pk=review.plan_id)
    if not permissions.can_manage_plan(actor, plan):
        raise ServiceError(DENIED)
    review = PlanReview.objects.select_for_update().get(pk=review.pk)
    if review.held_on is not None:
        raise ServiceError("This review has already been recorded.")
    if outcome not in PlanReview.Outcome.values:
        raise ServiceError("Select the outcome", field="outcome")
    if held_on > timezone.localdate():
        raise ServiceError("The date must be today or in the past", field="held_on")
    continues = outcome in {PlanReview.Outcome.CONTINUE, PlanReview.Outcome.EXTENDED}
    if continues and (next_review_on is None or next_review_on <= held_on):
        raise ServiceError("Enter the date of the next review, after this one", field="next_review_on")
    if outcome == PlanReview.Outcome.CLOSED_MET and not plan.exit_conditions_met:
        raise ServiceError(
            "A plan closes as met when the teacher feels confident, the line manager is satisfied and the "
            "improvement shows in practice: record all three first",
            field="outcome",
        )
    review.held_on = held_on
    review.notes = notes.strip()
    review.outcome = outcome
    review.save()
    if outcome in {PlanReview.Outcome.CONTINUE, PlanReview.Outcome.EXTENDED}:
        assert next_review_on is not None  # checked above for a continuing plan
        PlanReview.objects.create(plan=plan, due_on=next_review_on)
    elif outcome == PlanReview.Outcome.CLOSED_MET:
        plan.status = SupportPlan.Status.CLOSED_MET
        plan.closed_on = held_on
        plan.save()
    elif outcome == PlanReview.Outcome.FORMAL:
        plan.status = SupportPlan.Status.FORMAL
        plan.closed_on = held_on
        plan.save()
    audit.record(actor=actor, action="plans.review_held", target=plan, outcome=outcome)
    notify_after_commit(
        _people(plan),
        subject="a support plan review has been recorded",
        message="A review of a support plan has been recorded.",
        path=plan.get_absolute_url(),
    )
    return plan
