from django.core.management.base import BaseCommand
from django.utils import timezone

from protutor.cpd.tasks import send_coverage_digest


class Command(BaseCommand):
    help = "Queue the weekly email telling each tutor which of their departments are behind their CPD target."

    def handle(self, *args, **options):
        result = send_coverage_digest.enqueue(timezone.localdate().isoformat())
        self.stdout.write(f"Coverage digest queued ({result.status}).")
