"""Review reminders: the teacher, the line manager and the assigned tutor hear two days before a review.
Each is told there is an update (protutor/core/notify.py); the reminder itself is shown after sign-in."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from protutor.core.notify import notify
from protutor.plans.models import PlanReview, SupportPlan


def review_reminder_messages(due_on: dt.date) -> list[tuple]:
    """(account, what they are told after sign-in, the page) for each reminder."""
    messages = []
    reviews = PlanReview.objects.filter(
        due_on=due_on, held_on__isnull=True, plan__status=SupportPlan.Status.OPEN
    ).select_related("plan__teacher__user", "plan__line_manager__user", "plan__assigned_tutor__user")
    for review in reviews:
        plan = review.plan
        for person in (plan.teacher, plan.line_manager, plan.assigned_tutor):
            if person is not None and person.user is not None and person.email:
                messages.append(
                    (
                        person.user,
                        f"A support plan review is due on {due_on:%A %d %B}.",
                        plan.get_absolute_url(),
                    )
                )
    return messages


@task()
def send_review_reminders(due_on: str) -> int:
    return sum(
        notify([user], message=message, path=path)
        for user, message, path in review_reminder_messages(dt.date.fromisoformat(due_on))
    )
