"""Encryption at rest (DESIGN.md section 2): a database dump alone reveals nothing, and keys rotate."""

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from protutor.core import crypto
from protutor.core.crypto import EncryptedTextField

# A Fernet token's first 12 characters encode its version byte and timestamp, the same for every token made
# in the same second (they always contain "AAAA"); what follows is the random IV, the ciphertext and the MAC.
HEADER = 12


def new_key() -> str:
    return Fernet.generate_key().decode()


@given(st.text())
def test_encrypt_decrypt_round_trip(text):
    assert crypto.decrypt(crypto.encrypt(text)) == text


@given(st.text(min_size=4))
def test_encrypt_ciphertext_never_contains_plaintext(text):
    token = crypto.encrypt(text)
    assert text not in token[HEADER:]


def test_encrypt_same_text_twice_gives_different_tokens():
    assert crypto.encrypt("a private note") != crypto.encrypt("a private note")


def test_decrypt_token_from_old_key_after_rotation():
    old, new = new_key(), new_key()
    with override_settings(PROTUTOR_ENCRYPTION_KEYS=[old]):
        token = crypto.encrypt("written under the old key")
    with override_settings(PROTUTOR_ENCRYPTION_KEYS=[new, old]):
        assert crypto.decrypt(token) == "written under the old key"


def test_rotate_gives_token_readable_with_new_key_alone():
    old, new = new_key(), new_key()
    with override_settings(PROTUTOR_ENCRYPTION_KEYS=[old]):
        token = crypto.encrypt("rotate me")
    with override_settings(PROTUTOR_ENCRYPTION_KEYS=[new, old]):
        rotated = crypto.rotate(token)
    with override_settings(PROTUTOR_ENCRYPTION_KEYS=[new]):
        assert crypto.decrypt(rotated) == "rotate me"
        with pytest.raises(ImproperlyConfigured) as exc:
            crypto.decrypt(token)
    assert str(exc.value) == "Encrypted text could not be read with any key in PROTUTOR_ENCRYPTION_KEYS"


def test_encrypt_uses_the_newest_key():
    old, new = new_key(), new_key()
    with override_settings(PROTUTOR_ENCRYPTION_KEYS=[new, old]):
        token = crypto.encrypt("newest first")
    assert Fernet(new.encode()).decrypt(token.encode()) == b"newest first"


@pytest.mark.parametrize("key", ["not-a-key", "", "c2hvcnQ="])
def test_fernet_bad_key_is_improperly_configured(key):
    with override_settings(PROTUTOR_ENCRYPTION_KEYS=[key]), pytest.raises(ImproperlyConfigured) as exc:
        crypto.encrypt("text")
    assert "PROTUTOR_ENCRYPTION_KEYS holds a key that is not a valid Fernet key" in str(exc.value)


@pytest.mark.parametrize(
    "lookup", ["exact", "iexact", "contains", "icontains", "startswith", "in", "gt", "regex"]
)
def test_encrypted_text_field_refuses_lookup(lookup):
    assert EncryptedTextField().get_lookup(lookup) is None


def test_encrypted_text_field_allows_isnull():
    assert EncryptedTextField().get_lookup("isnull") is not None


def test_encrypted_text_field_round_trip_through_database_value():
    field = EncryptedTextField()
    stored = field.get_prep_value("Concern about workload")
    assert stored != "Concern about workload"
    assert "workload" not in stored
    assert field.from_db_value(stored, None, connection) == "Concern about workload"


@pytest.mark.parametrize("empty", [None, ""])
def test_encrypted_text_field_keeps_empty_values(empty):
    field = EncryptedTextField()
    assert field.get_prep_value(empty) == empty
    assert field.from_db_value(empty, None, connection) == empty
