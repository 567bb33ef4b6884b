import datetime as dt

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from protutor.insights.models import ImpactReport
from protutor.insights.tasks import queue_report
from protutor.people.models import Institution, Term


class Command(BaseCommand):
    help = (
        "Queue the termly impact report of each institution whose latest term ended within the last N days "
        "and has no report yet; the programme leads are emailed when it is ready. Run daily; safe to re-run."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=14, help="How recently the term must have ended.")
        parser.add_argument("--dry-run", action="store_true", help="Say what would be queued; queue nothing.")

    def handle(self, *args, days, dry_run, **options):
        today = timezone.localdate()
        queued = 0
        for institution in Institution.objects.order_by("name"):
            term = (
                Term.objects.filter(academic_year__institution=institution, ends_on__lt=today)
                .order_by("-ends_on")
                .select_related("academic_year")
                .first()
            )
            if term is None or term.ends_on < today - dt.timedelta(days=days):
                continue
            if ImpactReport.objects.filter(institution=institution, term=term).exists():
                continue
            if dry_run:
                self.stdout.write(f"Would queue: {institution}, {term}")
                queued += 1
                continue
            with transaction.atomic():
                _, started = queue_report(institution, term)
            queued += started
            self.stdout.write(f"Queued: {institution}, {term}")
        self.stdout.write(
            f"{queued} impact report{'s' if queued != 1 else ''} {'to queue' if dry_run else 'queued'}."
        )
