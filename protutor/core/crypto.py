"""Encryption at rest for confidential free text (DESIGN.md section 2).

Keys come from PROTUTOR_ENCRYPTION_KEYS, newest first. MultiFernet encrypts with the newest and decrypts
with any, so keys rotate without downtime: add a key at the front, run `protutor rotate_keys`, drop the old.
Encrypted columns cannot be filtered or sorted; keep anything a query needs in plain columns.
"""

from __future__ import annotations

from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError as exc:
        raise ImproperlyConfigured(
            "PROTUTOR_ENCRYPTION_KEYS holds a key that is not a valid Fernet key (32 url-safe base64 bytes)"
        ) from exc


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.PROTUTOR_ENCRYPTION_KEYS))


def encrypt(text: str) -> str:
    return fernet().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "Encrypted text could not be read with any key in PROTUTOR_ENCRYPTION_KEYS"
        ) from exc


def rotate(token: str) -> str:
    return fernet().rotate(token.encode("ascii")).decode("ascii")


class EncryptedTextField(models.TextField):
    """Free text stored as a Fernet token; Python code sees plain text."""

    description = "Text encrypted at rest"

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)

    def get_lookup(self, lookup_name):
        # Ciphertext is randomised, so anything but IS NULL would silently match nothing.
        if lookup_name not in {"isnull"}:
            return None
        return super().get_lookup(lookup_name)


def encrypted_columns() -> list[tuple[type[models.Model], str]]:
    """Every (model, column) holding encrypted text, across all installed apps."""
    from django.apps import apps

    return [
        (model, field.column)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, EncryptedTextField) and field.column is not None  # always, for a concrete field
    ]


def is_under_newest_key(token: str) -> bool:
    try:
        Fernet(settings.PROTUTOR_ENCRYPTION_KEYS[0].encode()).decrypt(token.encode("ascii"))
    except InvalidToken:
        return False
    return True
