"""`protutor import_staff FILE [--apply] [--institution NAME]`: the staff import from the command line.

Without --apply it is a dry run that writes nothing. Safe to re-run: a file already imported changes nothing.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from protutor.core.errors import ServiceError
from protutor.people import imports
from protutor.people.models import Institution


class Command(BaseCommand):
    help = "Import staff from a school or college MIS export (CSV). A dry run unless --apply is given."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The CSV file exported from the MIS")
        parser.add_argument("--apply", action="store_true", help="Write the changes (default: dry run)")
        parser.add_argument(
            "--institution", help="The school or college to import into (needed if there are several)"
        )

    def handle(self, *args, file: Path, apply: bool, institution: str | None, verbosity: int, **options):
        target = self._institution(institution)
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}") from exc
        try:
            if apply:
                staff_import = imports.preview_import(
                    institution=target, actor=None, file_name=file.name, data=data
                )
                summary = staff_import.summary
            else:
                summary = imports.check_import(institution=target, data=data)
        except ServiceError as exc:
            raise CommandError(exc.message) from exc
        self._print_rows(summary, show_unchanged=verbosity >= 2)
        counts = summary["counts"]
        self.stdout.write(
            f"{target}: {counts['new']} new, {counts['update']} updated, {counts['unchanged']} unchanged, "
            f"{counts['error']} with errors."
        )
        if summary["new_departments"]:
            self.stdout.write(f"New departments: {', '.join(summary['new_departments'])}")
        if summary["ignored_columns"]:
            self.stdout.write(f"Columns ignored: {', '.join(summary['ignored_columns'])}")
        if counts["error"]:
            rows = "1 row has" if counts["error"] == 1 else f"{counts['error']} rows have"
            raise CommandError(f"Nothing written: {rows} errors. Correct the file first.")
        if not apply:
            self.stdout.write("Dry run: nothing written. Run again with --apply to write.")
            return
        try:
            staff_import = imports.apply_import(staff_import, actor=None)
        except ServiceError as exc:
            raise CommandError(exc.message) from exc
        applied = staff_import.summary["counts"]
        self.stdout.write(
            self.style.SUCCESS(
                f"Applied: {applied['new']} new, {applied['update']} updated, {applied['unchanged']} unchanged."
            )
        )

    def _institution(self, name: str | None) -> Institution:
        if name:
            found = Institution.objects.filter(name__iexact=name.strip()).first()
            if found is None:
                raise CommandError(f'No school or college is called "{name}"')
            return found
        institutions = list(Institution.objects.all()[:2])
        if not institutions:
            raise CommandError("There is no school or college yet: add one first")
        if len(institutions) > 1:
            raise CommandError("Give --institution NAME: there is more than one school or college")
        return institutions[0]

    def _print_rows(self, summary: dict, *, show_unchanged: bool) -> None:
        rows = [row for row in summary["rows"] if show_unchanged or row["kind"] != "unchanged"]
        if rows:
            code_width = max(len("Code"), *(len(row["staff_code"]) for row in rows))
            self.stdout.write(f"{'Row':>6}  {'Code':<{code_width}}  {'Kind':<9}  Errors")
        for row in rows:
            errors = "; ".join(
                f"{error['column']}: {error['message']}" if error["column"] else error["message"]
                for error in row["errors"]
            )
            line = f"{row['row']:>6}  {row['staff_code']:<{code_width}}  {row['kind']:<9}  {errors}"
            self.stdout.write(line.rstrip())
        hidden = len(summary["rows"]) - len(rows)
        if hidden:
            self.stdout.write(f"({hidden} unchanged rows not listed: use --verbosity 2 to list them)")
