"""Encryption at rest for one-to-one support (DESIGN.md section 2): a database dump alone reveals nothing,
keys rotate, and the access log only grows."""

from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from protutor.audit import services as audit
from protutor.audit.models import AccessRecord
from protutor.core import crypto
from protutor.support.models import Interaction, PrivateNote, Referral, SafeguardingConcern
from tests.factories.support import concern, log, open_case_for

pytestmark = pytest.mark.django_db

SHARED = "PLAINTEXT-SHARED-123"
PRIVATE = "PLAINTEXT-PRIVATE-456"
NEXT_STEPS = "PLAINTEXT-NEXT-789"
REASON = "PLAINTEXT-REASON-321"
CONCERN = "PLAINTEXT-CONCERN-654"
PLAINTEXTS = [SHARED, PRIVATE, NEXT_STEPS, REASON, CONCERN]


def write_records(teacher, tutor):
    case = open_case_for(teacher, tutor, reason=REASON)
    interaction = log(case, tutor, shared=SHARED, private=PRIVATE, next_steps=NEXT_STEPS)
    raised = concern(case, tutor, text=CONCERN)
    return case, interaction, raised


def dump() -> list[tuple[str, str]]:
    """Every value in every table, as text: what someone holding a copy of the database would read."""
    values = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608  (table names come from introspection)
            for row in cursor.fetchall():
                values.extend(
                    (table, value.decode("latin-1") if isinstance(value, bytes) else str(value))
                    for value in row
                )
    return values


def raw(model, pk, column) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {connection.ops.quote_name(column)} FROM {connection.ops.quote_name(model._meta.db_table)} "  # noqa: S608  (identifiers from model metadata, quoted)
            f"WHERE {connection.ops.quote_name(model._meta.pk.column)} = %s",
            [pk],
        )
        return cursor.fetchone()[0]


def decrypted(interaction, raised) -> tuple[str, ...]:
    """Re-fetched from the database, so each value is decrypted afresh with the keys now configured."""
    fresh = Interaction.objects.get(pk=interaction.pk)
    return (
        fresh.shared_notes,
        fresh.next_steps,
        PrivateNote.objects.get(interaction=fresh).text,
        Referral.objects.get(pk=interaction.case.referral_id).reason,
        SafeguardingConcern.objects.get(pk=raised.pk).text,
    )


def test_database_dump_holds_no_plaintext(teacher, tutor):
    write_records(teacher, tutor)
    values = dump()
    # The dump does read people's rows: plain columns show up as they are.
    assert (teacher._meta.db_table, "Tess") in values
    assert [(table, text) for table, value in values for text in PLAINTEXTS if text in value] == []


def test_database_dump_models_still_decrypt(teacher, tutor):
    _, interaction, raised = write_records(teacher, tutor)
    assert decrypted(interaction, raised) == (SHARED, NEXT_STEPS, PRIVATE, REASON, CONCERN)


def test_database_dump_stores_fernet_tokens(teacher, tutor):
    _, interaction, _ = write_records(teacher, tutor)
    token = raw(Interaction, interaction.pk, "shared_notes")
    assert crypto.decrypt(token) == SHARED
    assert token.startswith("gAAAAA")


def rotate_keys(*args) -> str:
    out = StringIO()
    call_command("rotate_keys", *args, stdout=out)
    return out.getvalue().splitlines()[-1]


@pytest.fixture
def keys():
    return Fernet.generate_key().decode(), Fernet.generate_key().decode()


def test_rotate_keys_records_readable_with_new_key_alone(teacher, tutor, keys):
    old, new = keys
    with override_settings(PROTUTOR_ENCRYPTION_KEYS=[old]):
        _, interaction, raised = write_records(teacher, tutor)
    with override_settings(PROTUTOR_ENCRYPTION_KEYS=[new, old]):
        # shared notes, next steps, private note, referral reason, concern text; and the message and page
        # of the three updates the people were told of (the request, its acceptance, the shared notes)
        assert rotate_keys() == "11 values re-encrypted with the newest key."
    with override_settings(PROTUTOR_ENCRYPTION_KEYS=[new]):
        assert decrypted(interaction, raised) == (SHARED, NEXT_STEPS, PRIVATE, REASON, CONCERN)
        assert crypto.is_under_newest_key(raw(Interaction, interaction.pk, "shared_notes")) is True


def test_rotate_keys_second_run_re_encrypts_nothing(teacher, tutor, keys):
    old, new = keys
    with override_settings(PROTUTOR_ENCRYPTION_KEYS=[old]):
        write_records(teacher, tutor)
    with override_settings(PROTUTOR_ENCRYPTION_KEYS=[new, old]):
        rotate_keys()
        assert rotate_keys() == "0 values re-encrypted with the newest key."


def test_rotate_keys_small_batches_reach_every_row(teacher, tutor, colleague, keys):
    old, new = keys
    with override_settings(PROTUTOR_ENCRYPTION_KEYS=[old]):
        _, interaction, _ = write_records(teacher, tutor)
        log(interaction.case, tutor, shared="second", private="second private")
    with override_settings(PROTUTOR_ENCRYPTION_KEYS=[new, old]):
        # as above, with the second session's notes and the update about them
        assert rotate_keys("--batch-size", "1") == "15 values re-encrypted with the newest key."
    with override_settings(PROTUTOR_ENCRYPTION_KEYS=[new]):
        assert sorted(Interaction.objects.values_list("shared_notes", flat=True)) == [SHARED, "second"]
        assert sorted(PrivateNote.objects.values_list("text", flat=True)) == [PRIVATE, "second private"]


def test_rotate_keys_dry_run_changes_nothing(teacher, tutor, keys):
    old, new = keys
    with override_settings(PROTUTOR_ENCRYPTION_KEYS=[old]):
        _, interaction, _ = write_records(teacher, tutor)
    before = raw(Interaction, interaction.pk, "shared_notes")
    with override_settings(PROTUTOR_ENCRYPTION_KEYS=[new, old]):
        assert rotate_keys("--dry-run") == "11 values would be re-encrypted with the newest key."
        assert raw(Interaction, interaction.pk, "shared_notes") == before
        assert crypto.is_under_newest_key(before) is False
        assert rotate_keys("--dry-run") == "11 values would be re-encrypted with the newest key."


# The access log is append-only


@pytest.fixture
def access_record(teacher, tutor):
    case = open_case_for(teacher, tutor, reason=REASON)
    return audit.log_access(reader=tutor.user, subject=teacher, record=case)


def test_access_record_save_existing_raises(access_record):
    access_record.reason = AccessRecord.Reason.EXPORT
    with pytest.raises(PermissionError):
        access_record.save()
    assert list(AccessRecord.objects.values_list("reason", flat=True)) == ["view"]


def test_access_record_delete_raises(access_record):
    with pytest.raises(PermissionError):
        access_record.delete()
    assert AccessRecord.objects.count() == 1


def test_access_record_queryset_update_raises(access_record):
    with pytest.raises(PermissionError):
        AccessRecord.objects.update(reader_name="Nobody")
    with pytest.raises(PermissionError):
        AccessRecord.objects.filter(pk=access_record.pk).update(reader_name="Nobody")
    assert list(AccessRecord.objects.values_list("reader_name", flat=True)) == ["Tamsin Tutor"]


def test_access_record_queryset_delete_raises(access_record):
    with pytest.raises(PermissionError):
        AccessRecord.objects.delete()
    with pytest.raises(PermissionError):
        AccessRecord.objects.all().delete()
    with pytest.raises(PermissionError):
        AccessRecord.objects.filter(pk=access_record.pk).delete()
    assert AccessRecord.objects.count() == 1
