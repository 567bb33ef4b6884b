"""Configuration from the environment fails loudly (STYLE.md section 8): junk is refused naming the variable,
and production refuses to start without its secrets."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from protutor.settings import env_bool, env_int, env_list, env_str

ROOT = Path(__file__).resolve().parents[2]
FERNET_KEY = "rjIQYIVrX0BXW6U7_4O9v7xAYJt_Eu6AVaDY0ZEwCbQ="


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("true", True),
        ("TRUE", True),
        ("True", True),
        ("1", True),
        ("yes", True),
        ("Yes", True),
        ("on", True),
        ("ON", True),
        (" true ", True),
        ("false", False),
        ("FALSE", False),
        ("0", False),
        ("no", False),
        ("NO", False),
        ("off", False),
        ("Off", False),
    ],
)
def test_env_bool_accepts(monkeypatch, value, expected):
    monkeypatch.setenv("PROTUTOR_TEST_FLAG", value)
    assert env_bool("PROTUTOR_TEST_FLAG", not expected) is expected


@pytest.mark.parametrize("default", [True, False])
def test_env_bool_unset_or_empty_gives_default(monkeypatch, default):
    monkeypatch.delenv("PROTUTOR_TEST_FLAG", raising=False)
    assert env_bool("PROTUTOR_TEST_FLAG", default) is default
    monkeypatch.setenv("PROTUTOR_TEST_FLAG", "")
    assert env_bool("PROTUTOR_TEST_FLAG", default) is default


@pytest.mark.parametrize("junk", ["maybe", "2", "tru", "y", "enabled"])
def test_env_bool_refuses_junk_naming_the_variable(monkeypatch, junk):
    monkeypatch.setenv("PROTUTOR_TEST_FLAG", junk)
    with pytest.raises(ImproperlyConfigured) as exc:
        env_bool("PROTUTOR_TEST_FLAG", False)
    assert str(exc.value) == f"PROTUTOR_TEST_FLAG must be true or false, not {junk!r}"


def test_env_int_reads_whole_number(monkeypatch):
    monkeypatch.setenv("PROTUTOR_TEST_NUMBER", "42")
    assert env_int("PROTUTOR_TEST_NUMBER", 5) == 42


def test_env_int_unset_or_empty_gives_default(monkeypatch):
    monkeypatch.delenv("PROTUTOR_TEST_NUMBER", raising=False)
    assert env_int("PROTUTOR_TEST_NUMBER", 5) == 5
    monkeypatch.setenv("PROTUTOR_TEST_NUMBER", "")
    assert env_int("PROTUTOR_TEST_NUMBER", 5) == 5


@pytest.mark.parametrize("junk", ["five", "4.5", "12x", "0x10"])
def test_env_int_refuses_junk_naming_the_variable(monkeypatch, junk):
    monkeypatch.setenv("PROTUTOR_TEST_NUMBER", junk)
    with pytest.raises(ImproperlyConfigured) as exc:
        env_int("PROTUTOR_TEST_NUMBER", 5)
    assert str(exc.value) == f"PROTUTOR_TEST_NUMBER must be a whole number, not {junk!r}"


def test_env_list_splits_and_strips(monkeypatch):
    monkeypatch.setenv("PROTUTOR_TEST_LIST", " a.example.org, b.example.org ,,c ,")
    assert env_list("PROTUTOR_TEST_LIST") == ["a.example.org", "b.example.org", "c"]


def test_env_list_unset_uses_default(monkeypatch):
    monkeypatch.delenv("PROTUTOR_TEST_LIST", raising=False)
    assert env_list("PROTUTOR_TEST_LIST") == []
    assert env_list("PROTUTOR_TEST_LIST", "127.0.0.1,localhost") == ["127.0.0.1", "localhost"]


def test_env_str_reads_variable_or_default(monkeypatch):
    monkeypatch.delenv("PROTUTOR_TEST_SECRET_FILE", raising=False)
    monkeypatch.delenv("PROTUTOR_TEST_SECRET", raising=False)
    assert env_str("PROTUTOR_TEST_SECRET", "fallback") == "fallback"
    monkeypatch.setenv("PROTUTOR_TEST_SECRET", "from-env")
    assert env_str("PROTUTOR_TEST_SECRET", "fallback") == "from-env"


def test_env_str_reads_name_file(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("from-file\n")
    monkeypatch.setenv("PROTUTOR_TEST_SECRET", "from-env")
    monkeypatch.setenv("PROTUTOR_TEST_SECRET_FILE", str(secret))
    assert env_str("PROTUTOR_TEST_SECRET") == "from-file"


def test_env_list_reads_name_file(monkeypatch, tmp_path):
    keys = tmp_path / "keys"
    keys.write_text("new-key,old-key\n")
    monkeypatch.setenv("PROTUTOR_TEST_KEYS_FILE", str(keys))
    assert env_list("PROTUTOR_TEST_KEYS") == ["new-key", "old-key"]


def import_settings(tmp_path, **env) -> subprocess.CompletedProcess:
    """Import the real settings in a fresh interpreter with only the given environment."""
    return subprocess.run(
        [sys.executable, "-c", "import protutor.settings"],
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "PROTUTOR_VAR_DIR": str(tmp_path), **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_settings_without_debug_refuse_missing_secret_key(tmp_path):
    result = import_settings(tmp_path, DEBUG="false", PROTUTOR_ENCRYPTION_KEYS=FERNET_KEY)
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY must be set when DEBUG is off" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_settings_without_debug_refuse_missing_encryption_keys(tmp_path):
    result = import_settings(tmp_path, DEBUG="false", SECRET_KEY="x" * 60)
    assert result.returncode != 0
    assert "ImproperlyConfigured: PROTUTOR_ENCRYPTION_KEYS must be set when DEBUG is off" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_settings_refuse_junk_debug(tmp_path):
    result = import_settings(
        tmp_path, DEBUG="perhaps", SECRET_KEY="x" * 60, PROTUTOR_ENCRYPTION_KEYS=FERNET_KEY
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured: DEBUG must be true or false, not 'perhaps'" in result.stderr


def test_settings_without_debug_start_with_both_secrets(tmp_path):
    result = import_settings(
        tmp_path, DEBUG="false", SECRET_KEY="x" * 60, PROTUTOR_ENCRYPTION_KEYS=FERNET_KEY
    )
    assert (result.returncode, result.stderr) == (0, "")
