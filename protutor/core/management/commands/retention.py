"""`protutor retention [--apply]`: list, then delete, the records past their retention period
(protutor/core/retention.py)."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from protutor.core import retention


def _day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--today must be a date written YYYY-MM-DD, not {value!r}") from None


class Command(BaseCommand):
    help = (
        "List the records past their retention period (PROTUTOR_RETAIN_<KIND>_YEARS), by kind: the cut-off, "
        "how many, and each record as id, institution and date, never a name. With --apply, delete them, "
        "one kind per transaction, each audited. Records held back (a support case with a safeguarding "
        "concern) are listed and never deleted."
    )

    def add_arguments(self, parser):
        parser.add_argument("--apply", action="store_true", help="Delete what the listing shows as due.")
        parser.add_argument("--summary", action="store_true", help="Counts only, without each record.")
        parser.add_argument("--today", type=_day, help="Work out the cut-offs from this date (YYYY-MM-DD).")

    def handle(self, *args, apply, summary, today, **options):
        total = 0
        for finding in retention.review(today):
            entry = finding.kind
            self.stdout.write(self.style.MIGRATE_HEADING(f"{entry.label} [{entry.key}]"))
            if finding.cutoff is None:
                self.stdout.write("  kept for ever (period 0)")
                continue
            rule = entry.rule.format(years=entry.years)
            due = finding.rows(finding.due)
            held = finding.rows(finding.held)
            self.stdout.write(f"  deleted when {rule}: cut-off {finding.cutoff.isoformat()}")
            self.stdout.write(f"  due: {len(due)}; held: {len(held)}")
            if not summary:
                for label, rows in (("due", due), (f"held, {entry.held_reason}", held)):
                    for pk, institution, day in rows:
                        day = day.date() if isinstance(day, datetime.datetime) else day
                        self.stdout.write(
                            f"    {label}: id {pk}, institution {institution}, {day.isoformat()}"
                        )
            if apply:
                deleted = retention.apply(finding)
                total += deleted
                self.stdout.write(f"  deleted {deleted}")
            else:
                total += len(due)
        verb = "deleted" if apply else "due (nothing changed: add --apply to delete them)"
        self.stdout.write(self.style.SUCCESS(f"{total} records {verb}."))
