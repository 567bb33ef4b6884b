"""A few support plans for the demo college, each with goals, a review and tutor support. Created once."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from protutor.people.models import Caseload, Institution, StaffMember
from protutor.plans.models import PlanGoal, PlanReview, PlanSupportEntry, SupportPlan

GOALS = [
    ("A consistent routine at the start of every lesson", "Students settled and working within 3 minutes"),
    (
        "Check understanding of the whole group before moving on",
        "Hinge question used in each observed lesson",
    ),
]


@transaction.atomic
def load_plans_demo(institution: Institution, progress=lambda message: None) -> int:
    if SupportPlan.objects.filter(institution=institution).exists():
        return 0
    today = timezone.localdate()
    created = 0
    tutors = {}
    for caseload in Caseload.objects.filter(
        academic_year__starts_on__lte=today, academic_year__ends_on__gte=today
    ):
        for department in caseload.departments.all():
            tutors[department.pk] = caseload.tutor
    teachers = list(
        StaffMember.objects.filter(institution=institution, line_manager__isnull=False, job_title="Lecturer")
        .exclude(user__username="tess.teacher")
        .order_by("staff_code")[::37][:6]
    )
    for index, teacher in enumerate(teachers):
        starts = today - dt.timedelta(days=20 + 10 * index)
        closed = index == 0
        assert teacher.line_manager is not None  # teachers is only people with a line manager
        plan = SupportPlan.objects.create(
            institution=institution,
            teacher=teacher,
            line_manager=teacher.line_manager,
            opened_by=teacher.line_manager,
            assigned_tutor=tutors.get(teacher.department_id) if teacher.department_id is not None else None,
            concerns="Two formal observations judged not yet effective: routines and checking understanding.",
            support_offered="Fortnightly developmental observations and feedback with the professional tutor.",
            starts_on=starts,
            acknowledged_at=timezone.now() if index % 3 else None,
            status=SupportPlan.Status.CLOSED_MET if closed else SupportPlan.Status.OPEN,
            teacher_confident_on=today - dt.timedelta(days=3) if closed else None,
            line_manager_satisfied_on=today - dt.timedelta(days=2) if closed else None,
            improvement_evidenced_on=today - dt.timedelta(days=2) if closed else None,
            improvement_evidence="Formal observation judged effective" if closed else "",
            closed_on=today - dt.timedelta(days=1) if closed else None,
        )
        for position, (goal, criteria) in enumerate(GOALS, start=1):
            PlanGoal.objects.create(plan=plan, goal=goal, success_criteria=criteria, position=position)
        PlanReview.objects.create(
            plan=plan,
            due_on=today - dt.timedelta(days=1) if closed else today + dt.timedelta(days=7 + index),
            held_on=today - dt.timedelta(days=1) if closed else None,
            outcome=PlanReview.Outcome.CLOSED_MET if closed else "",
        )
        if plan.assigned_tutor is not None:
            PlanSupportEntry.objects.create(
                plan=plan,
                tutor=plan.assigned_tutor,
                given_on=starts + dt.timedelta(days=5),
                minutes=45,
                summary="Co-planned a lesson start and observed it; agreed one change to try.",
            )
        created += 1
    progress(f"{created} support plans")
    return created
