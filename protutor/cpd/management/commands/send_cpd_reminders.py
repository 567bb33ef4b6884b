import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from protutor.cpd.tasks import reminder_messages, send_session_reminders


class Command(BaseCommand):
    help = "Queue the day-before reminders for tomorrow's CPD sessions (run daily). Safe to re-run on another day."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Say how many reminders would go; send nothing."
        )

    def handle(self, *args, dry_run, **options):
        tomorrow = timezone.localdate() + dt.timedelta(days=1)
        if dry_run:
            self.stdout.write(
                f"Dry run: {len(reminder_messages(tomorrow))} reminders would go for {tomorrow:%A %d %B}."
            )
            return
        result = send_session_reminders.enqueue(tomorrow.isoformat())
        self.stdout.write(f"Reminders for {tomorrow:%A %d %B} queued ({result.status}).")
