"""Key rotation killed with SIGKILL mid-batch: every value still decrypts, the batches already committed are
under the new key, the one in flight is not half-written, and running it again finishes the rest.

Five support plans' concerns are encrypted under key A; `protutor rotate-keys --batch-size 1` then runs with
keys B,A and is killed while asleep inside its third batch (after that batch's UPDATE)."""

import pytest
from cryptography.fernet import Fernet, MultiFernet
from django.db import connection

from protutor.plans.models import SupportPlan
from tests.factories.plans import SupportPlanFactory
from tests.faults.conftest import kill, run_to_end, start_until_paused

pytestmark = pytest.mark.faults

KEY_A = Fernet.generate_key().decode()
KEY_B = Fernet.generate_key().decode()
PLANS = 5
KILLED_IN_BATCH = 3


def stored_tokens() -> dict[int, str]:
    """The concerns column as stored, bypassing the field's decryption."""
    table = connection.ops.quote_name(SupportPlan._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, concerns FROM {table} ORDER BY id")  # noqa: S608 (fixed names)
        return dict(cursor.fetchall())


def under(key: str, token: str) -> bool:
    try:
        Fernet(key.encode()).decrypt(token.encode())
    except Exception:
        return False
    return True


def test_a_killed_rotation_leaves_every_value_readable_and_a_rerun_finishes(subprocess_db, settings, teacher):
    settings.PROTUTOR_ENCRYPTION_KEYS = [KEY_A]
    texts = {SupportPlanFactory(teacher=teacher, concerns=f"Concern number {n}").pk: n for n in range(PLANS)}
    assert all(under(KEY_A, token) for token in stored_tokens().values())
    subprocess_db.push()
    keys = f"{KEY_B},{KEY_A}"

    process = start_until_paused(
        ["rotate-keys", "--batch-size", "1"],
        subprocess_db.env(
            PROTUTOR_ENCRYPTION_KEYS=keys, FAULT_SQL=r"^UPDATE ", FAULT_AFTER=str(KILLED_IN_BATCH)
        ),
    )
    kill(process)
    subprocess_db.pull()

    both = MultiFernet([Fernet(KEY_B.encode()), Fernet(KEY_A.encode())])
    tokens = stored_tokens()
    assert {pk: both.decrypt(token.encode()).decode() for pk, token in tokens.items()} == {
        pk: f"Concern number {n}" for pk, n in texts.items()
    }
    rotated = [pk for pk, token in tokens.items() if under(KEY_B, token)]
    # Batches one and two committed; the third was rolled back with the process.
    assert rotated == sorted(tokens)[: KILLED_IN_BATCH - 1]
    assert all(under(KEY_A, tokens[pk]) for pk in sorted(tokens)[KILLED_IN_BATCH - 1 :])

    output = run_to_end(
        ["rotate-keys", "--batch-size", "1"], subprocess_db.env(PROTUTOR_ENCRYPTION_KEYS=keys)
    )
    subprocess_db.pull()
    assert "  plans.SupportPlan.concerns: 3 to re-encrypt" in output.splitlines()
    assert f"{PLANS - KILLED_IN_BATCH + 1} values re-encrypted with the newest key." in output
    assert all(under(KEY_B, token) for token in stored_tokens().values())
    settings.PROTUTOR_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    assert sorted(SupportPlan.objects.values_list("concerns", flat=True)) == sorted(
        f"Concern number {n}" for n in range(PLANS)
    )
