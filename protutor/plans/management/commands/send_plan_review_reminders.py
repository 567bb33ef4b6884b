import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from protutor.plans.tasks import review_reminder_messages, send_review_reminders


class Command(BaseCommand):
    help = "Queue reminders for support plan reviews due in two days (run daily). Safe to re-run."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Say how many reminders would go; send nothing."
        )

    def handle(self, *args, dry_run, **options):
        due_on = timezone.localdate() + dt.timedelta(days=2)
        if dry_run:
            self.stdout.write(
                f"Dry run: {len(review_reminder_messages(due_on))} reminders would go for reviews on {due_on}."
            )
            return
        result = send_review_reminders.enqueue(due_on.isoformat())
        self.stdout.write(f"Review reminders for {due_on} queued ({result.status}).")
