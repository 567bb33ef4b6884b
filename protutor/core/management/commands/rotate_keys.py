from django.core.management.base import BaseCommand
from django.db import connection, transaction

from protutor.core.crypto import encrypted_columns, is_under_newest_key, rotate

# The fields of allauth's authenticator data that hold an encrypted secret.
MFA_SECRETS = ("secret", "seed")


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted column with the newest key in PROTUTOR_ENCRYPTION_KEYS. Works in batches, "
        "each in its own transaction, so it can be stopped and run again: rows already under the newest key "
        "are skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be re-encrypted; change nothing."
        )

    def handle(self, *args, batch_size, dry_run, **options):
        total = 0
        for model, column in encrypted_columns():
            table = connection.ops.quote_name(model._meta.db_table)
            pk = connection.ops.quote_name(model._meta.pk.column)
            col = connection.ops.quote_name(column)
            last, changed = None, 0
            while True:
                with transaction.atomic(), connection.cursor() as cursor:
                    where = f"WHERE {pk} > %s" if last is not None else ""
                    cursor.execute(
                        # Identifiers come from model metadata and are quoted; values are parameters.
                        f"SELECT {pk}, {col} FROM {table} {where} ORDER BY {pk} LIMIT %s",  # noqa: S608
                        [last, batch_size] if last is not None else [batch_size],
                    )
                    rows = cursor.fetchall()
                    if not rows:
                        break
                    last = rows[-1][0]
                    stale = [
                        (row_pk, token) for row_pk, token in rows if token and not is_under_newest_key(token)
                    ]
                    changed += len(stale)
                    if not dry_run:
                        for row_pk, token in stale:
                            cursor.execute(
                                f"UPDATE {table} SET {col} = %s WHERE {pk} = %s",  # noqa: S608
                                [rotate(token), row_pk],
                            )
            total += changed
            self.stdout.write(f"  {model._meta.label}.{column}: {changed} to re-encrypt")
        total += self._rotate_authenticators(dry_run)
        verb = "would be re-encrypted" if dry_run else "re-encrypted"
        self.stdout.write(f"{total} values {verb} with the newest key.")

    def _rotate_authenticators(self, dry_run: bool) -> int:
        """Authenticator-app secrets and recovery-code seeds (allauth's JSON data, encrypted through
        people.adapters.MfaAdapter)."""
        from allauth.mfa.models import Authenticator

        changed = 0
        for authenticator in Authenticator.objects.order_by("pk").iterator():
            stale = {
                name: token
                for name, token in authenticator.data.items()
                if name in MFA_SECRETS and token and not is_under_newest_key(token)
            }
            changed += bool(stale)
            if stale and not dry_run:
                with transaction.atomic():
                    locked = Authenticator.objects.select_for_update().get(pk=authenticator.pk)
                    locked.data = {**locked.data, **{name: rotate(token) for name, token in stale.items()}}
                    locked.save(update_fields=["data"])
        self.stdout.write(f"  mfa.Authenticator secrets: {changed} to re-encrypt")
        return changed
