"""Who may see a support plan: DESIGN.md section 2, the support plan row.

The teacher, their line manager (the plan's), the assigned tutor and the programme lead. Not the head of
department, other tutors, other staff or administrators.
"""

from django.db.models import Q, QuerySet

from protutor.core import permissions as registry
from protutor.people.models import Role, StaffMember
from protutor.people.permissions import roles_in_force
from protutor.plans.models import PlanGoal, PlanReview, PlanSupportEntry, SupportPlan


def _led(user):
    return roles_in_force(user, Role.PROGRAMME_LEAD).values("institution")


def plans_readable_by(user) -> QuerySet[SupportPlan]:
    if not user.is_authenticated:
        return SupportPlan.objects.none()
    return SupportPlan.objects.filter(
        Q(teacher__user=user)
        | Q(line_manager__user=user)
        | Q(assigned_tutor__user=user)
        | Q(institution__in=_led(user))
    )


def can_open_plan_for(user, teacher: StaffMember) -> bool:
    """The teacher's line manager, or the programme lead."""
    return (teacher.line_manager is not None and teacher.line_manager.user_id == user.pk) or _led(
        user
    ).filter(institution=teacher.institution_id).exists()


def can_manage_plan(user, plan: SupportPlan) -> bool:
    """Set goals and reviews, record exit conditions: the plan's line manager or the programme lead."""
    return plan.status == SupportPlan.Status.OPEN and (
        plan.line_manager.user_id == user.pk or _led(user).filter(institution=plan.institution_id).exists()
    )


def is_plan_teacher(user, plan: SupportPlan) -> bool:
    return plan.teacher.user_id == user.pk


def can_log_plan_support(user, plan: SupportPlan) -> bool:
    return (
        plan.status == SupportPlan.Status.OPEN
        and plan.assigned_tutor is not None
        and plan.assigned_tutor.user_id == user.pk
    )


registry.register(SupportPlan, plans_readable_by)
registry.register(PlanGoal, lambda user: PlanGoal.objects.filter(plan__in=plans_readable_by(user)))
registry.register(PlanReview, lambda user: PlanReview.objects.filter(plan__in=plans_readable_by(user)))
registry.register(
    PlanSupportEntry, lambda user: PlanSupportEntry.objects.filter(plan__in=plans_readable_by(user))
)
registry.register(
    SupportPlan.history.model,
    lambda user: SupportPlan.history.model.objects.filter(id__in=plans_readable_by(user).values("pk")),
)
registry.register(
    PlanReview.history.model,
    lambda user: PlanReview.history.model.objects.filter(plan_id__in=plans_readable_by(user).values("pk")),
)
