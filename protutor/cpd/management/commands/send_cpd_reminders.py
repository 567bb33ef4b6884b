import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from protutor.cpd.tasks import send_session_reminders


class Command(BaseCommand):
    help = "Queue the day-before reminders for tomorrow's CPD sessions (run daily). Safe to re-run on another day."

    def handle(self, *args, **options):
        tomorrow = timezone.localdate() + dt.timedelta(days=1)
        result = send_session_reminders.enqueue(tomorrow.isoformat())
        self.stdout.write(f"Reminders for {tomorrow:%A %d %B} queued ({result.status}).")
