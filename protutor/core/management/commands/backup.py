"""`protutor backup`: one archive with the database and the uploaded files (protutor/core/backup.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from protutor.core.backup import BackupError, create_backup, default_backup_dir, prune_backups


class Command(BaseCommand):
    help = (
        "Back up the database (PostgreSQL custom-format dump, or a safe copy of the SQLite file) and the "
        "uploaded files into one archive. Safe while the app runs. The encryption keys are not included: "
        "keep PROTUTOR_ENCRYPTION_KEYS safe separately."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help="Folder for the archive (default: PROTUTOR_BACKUP_DIR, else var/backups).",
        )
        parser.add_argument(
            "--keep", type=int, help="Afterwards, delete all but this many newest archives in the folder."
        )

    def handle(self, *args, output, keep, **options):
        if keep is not None and keep < 1:
            raise CommandError("--keep must be 1 or more")
        folder = output or default_backup_dir()
        try:
            archive = create_backup(folder, progress=self.stdout.write)
            if keep is not None:
                prune_backups(folder, keep, progress=self.stdout.write)
        except BackupError as exc:
            raise CommandError(exc.message) from exc
        except OSError as exc:
            raise CommandError(f"The backup stopped: {exc.strerror or exc} ({exc.filename}).") from exc
        self.stdout.write(self.style.SUCCESS(f"Backup complete: {archive}"))
