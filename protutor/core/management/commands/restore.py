"""`protutor restore ARCHIVE`: put back the database and uploaded files from `protutor backup`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from protutor.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore the database and the uploaded files from a `protutor backup` archive, then check every "
        "row came back and encrypted text decrypts with PROTUTOR_ENCRYPTION_KEYS. Stop the web and worker "
        "processes first. Refuses to overwrite a database that holds data unless --yes is given."
    )
    # The database may be empty or from another version: checks that query it would fail before we start.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="The .tar file written by `protutor backup`.")
        parser.add_argument(
            "--yes", action="store_true", help="Replace the data already in the database and media folder."
        )

    def handle(self, *args, archive, yes, **options):
        try:
            report = restore_backup(archive, confirmed=yes, progress=self.stdout.write)
        except BackupError as exc:
            raise CommandError(exc.message) from exc
        except OSError as exc:
            # A full disk or a read-only folder. The database is swapped in one step (a rename, or
            # pg_restore's single transaction), so it is wholly old or wholly restored: the progress lines
            # above say which step stopped.
            raise CommandError(f"The restore stopped: {exc.strerror or exc} ({exc.filename}).") from exc
        if report.unknown_migrations:
            self.stderr.write(
                self.style.WARNING(
                    f"The backup has {len(report.unknown_migrations)} migrations this version of protutor does "
                    f"not know (it was made by {report.manifest['app_version']}): install that version."
                )
            )
        if report.unapplied_migrations:
            self.stdout.write(
                self.style.WARNING(
                    f"The backup is from an older version: {len(report.unapplied_migrations)} migrations to "
                    "apply. Run `protutor migrate` next."
                )
            )
        else:
            self.stdout.write("  migrations: the database matches this version of protutor")
        if report.unreadable:
            listed = ", ".join(f"{column} ({count})" for column, count in sorted(report.unreadable.items()))
            raise CommandError(
                f"The data is restored, but {sum(report.unreadable.values())} encrypted values do not decrypt "
                f"with PROTUTOR_ENCRYPTION_KEYS: {listed}. Add the key that was in use when the backup was "
                "made to PROTUTOR_ENCRYPTION_KEYS (after the newest), then check again with another restore."
            )
        self.stdout.write(self.style.SUCCESS(f"Restore complete from {archive}."))
