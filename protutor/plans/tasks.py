"""Review reminders: the teacher, the line manager and the assigned tutor hear two days before a review.
The email says a review is coming and links to the plan; it holds nothing of the plan."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import send_mass_mail
from django_tasks import task

from protutor.plans.models import PlanReview, SupportPlan


def review_reminder_messages(due_on: dt.date) -> list[tuple]:
    messages = []
    reviews = PlanReview.objects.filter(
        due_on=due_on, held_on__isnull=True, plan__status=SupportPlan.Status.OPEN
    ).select_related("plan__teacher", "plan__line_manager", "plan__assigned_tutor")
    for review in reviews:
        plan = review.plan
        link = f"{settings.PROTUTOR_BASE_URL.rstrip('/')}{plan.get_absolute_url()}"
        for person in (plan.teacher, plan.line_manager, plan.assigned_tutor):
            if person is not None and person.email:
                messages.append(
                    (
                        "protutor: a support plan review is coming up",
                        f"A support plan review is due on {due_on:%A %d %B}.\n\nOpen the plan: {link}",
                        settings.DEFAULT_FROM_EMAIL,
                        [person.email],
                    )
                )
    return messages


@task()
def send_review_reminders(due_on: str) -> int:
    messages = review_reminder_messages(dt.date.fromisoformat(due_on))
    return send_mass_mail(messages, fail_silently=False) if messages else 0
