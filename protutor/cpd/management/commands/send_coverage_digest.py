from django.core.management.base import BaseCommand
from django.utils import timezone

from protutor.cpd.tasks import digest_messages, send_coverage_digest


class Command(BaseCommand):
    help = "Queue the weekly email telling each tutor which of their departments are behind their CPD target."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Say how many tutors would be emailed; send nothing."
        )

    def handle(self, *args, dry_run, **options):
        today = timezone.localdate()
        if dry_run:
            self.stdout.write(f"Dry run: {len(digest_messages(today))} tutors would be emailed.")
            return
        result = send_coverage_digest.enqueue(today.isoformat())
        self.stdout.write(f"Coverage digest queued ({result.status}).")
