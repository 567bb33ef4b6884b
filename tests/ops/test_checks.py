"""protutor's production-configuration checks (protutor/core/checks.py), each both ways, and `protutor check`."""

from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

from protutor.core import checks

# Changing the engine in settings only changes what the check reads; no connection is made with it.
pytestmark = pytest.mark.filterwarnings("ignore:Overriding setting DATABASES:UserWarning")

KEY = Fernet.generate_key().decode()
SMTP = "django.core.mail.backends.smtp.EmailBackend"
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def ids(messages) -> list[str]:
    return [message.id for message in messages]


@override_settings(PROTUTOR_ENCRYPTION_KEYS=[KEY, Fernet.generate_key().decode()])
def test_encryption_keys_that_parse_pass():
    assert checks.check_encryption_keys() == []


@override_settings(PROTUTOR_ENCRYPTION_KEYS=[KEY, "not-a-fernet-key"])
def test_encryption_key_that_does_not_parse_is_an_error_that_never_shows_the_key():
    [error] = checks.check_encryption_keys()
    assert error.id == "protutor.E002"
    assert error.msg == "Key 2 of 2 in PROTUTOR_ENCRYPTION_KEYS is not a Fernet key."
    assert "not-a-fernet-key" not in error.msg + error.hint
    assert error.is_serious()


@override_settings(PROTUTOR_ENCRYPTION_KEYS=[])
def test_no_encryption_key_is_an_error():
    assert ids(checks.check_encryption_keys()) == ["protutor.E001"]


@override_settings(PROTUTOR_ENCRYPTION_KEYS=[KEY, KEY])
def test_the_same_key_twice_is_a_warning():
    assert ids(checks.check_encryption_keys()) == ["protutor.W001"]


@override_settings(PROTUTOR_BASE_URL="https://protutor.example.org", ALLOWED_HOSTS=["protutor.example.org"])
def test_https_base_url_on_an_allowed_host_passes():
    assert checks.check_base_url() == []


@override_settings(PROTUTOR_BASE_URL="http://protutor.example.org", ALLOWED_HOSTS=["protutor.example.org"])
def test_http_base_url_is_a_warning():
    assert ids(checks.check_base_url()) == ["protutor.W002"]


@override_settings(PROTUTOR_BASE_URL="https://elsewhere.example.org", ALLOWED_HOSTS=[".example.com"])
def test_base_url_host_outside_allowed_hosts_is_a_warning():
    assert ids(checks.check_base_url()) == ["protutor.W003"]


@override_settings(PROTUTOR_BASE_URL="https://staff.example.org", ALLOWED_HOSTS=[".example.org"])
def test_base_url_host_matching_an_allowed_domain_passes():
    assert checks.check_base_url() == []


@override_settings(PROTUTOR_BASE_URL="protutor.example.org")
def test_base_url_without_a_scheme_is_an_error():
    assert ids(checks.check_base_url()) == ["protutor.E003"]


@override_settings(ALLOWED_HOSTS=["*"])
def test_any_host_is_a_warning():
    assert ids(checks.check_allowed_hosts()) == ["protutor.W004"]


@override_settings(ALLOWED_HOSTS=["protutor.example.org"])
def test_named_hosts_pass():
    assert checks.check_allowed_hosts() == []


@pytest.mark.parametrize("backend", sorted(checks.UNDELIVERING_EMAIL_BACKENDS))
def test_email_backend_that_delivers_nothing_is_a_warning(backend):
    with override_settings(EMAIL_BACKEND=backend):
        assert ids(checks.check_email_backend()) == ["protutor.W005"]


@override_settings(EMAIL_BACKEND=SMTP)
def test_smtp_email_backend_passes():
    assert checks.check_email_backend() == []


def test_writable_media_folder_passes(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STATIC_ROOT = tmp_path / "static"
    assert checks.check_media_root() == []  # missing, but it can be created
    settings.MEDIA_ROOT.mkdir()
    assert checks.check_media_root() == []


def test_media_folder_that_is_a_file_is_an_error(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.write_text("")
    assert ids(checks.check_media_root()) == ["protutor.E006"]


def test_media_folder_that_cannot_be_created_is_an_error(tmp_path, settings):
    (tmp_path / "file").write_text("")
    settings.MEDIA_ROOT = tmp_path / "file" / "media"
    assert ids(checks.check_media_root()) == ["protutor.E008"]


def test_read_only_media_folder_is_an_error(tmp_path, settings, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    # The suite may run as root, who can write anywhere: answer as the file system would for a
    # read-only mount.
    real_access = checks.os.access
    monkeypatch.setattr(checks.os, "access", lambda path, mode: path != tmp_path and real_access(path, mode))
    assert ids(checks.check_media_root()) == ["protutor.E007"]


def test_media_inside_static_root_is_an_error(tmp_path, settings):
    settings.STATIC_ROOT = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    assert ids(checks.check_media_root()) == ["protutor.E005"]


def test_relative_media_folder_is_an_error(settings):
    settings.MEDIA_ROOT = "media"
    assert ids(checks.check_media_root()) == ["protutor.E004"]


def test_sqlite_and_immediate_tasks_on_one_server_are_advice_only(settings):
    settings.TASKS, settings.PROTUTOR_SCALE_OUT = IMMEDIATE_TASKS, False
    settings.DATABASES = {
        "default": {**settings.DATABASES["default"], "ENGINE": "django.db.backends.sqlite3"}
    }
    messages = checks.check_scale()
    assert ids(messages) == ["protutor.I010", "protutor.I011"]
    assert not any(message.is_serious() for message in messages)


def test_sqlite_and_immediate_tasks_when_scaled_out_are_warnings(settings):
    settings.TASKS, settings.PROTUTOR_SCALE_OUT = IMMEDIATE_TASKS, True
    settings.DATABASES = {
        "default": {**settings.DATABASES["default"], "ENGINE": "django.db.backends.sqlite3"}
    }
    assert ids(checks.check_scale()) == ["protutor.W010", "protutor.W011"]


def test_postgresql_and_database_tasks_when_scaled_out_pass(settings):
    settings.TASKS, settings.PROTUTOR_SCALE_OUT = DATABASE_TASKS, True
    settings.DATABASES = {
        "default": {**settings.DATABASES["default"], "ENGINE": "django.db.backends.postgresql"}
    }
    assert checks.check_scale() == []


def test_scale_out_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("PROTUTOR_SCALE_OUT", "yes")
    assert checks.ops_flag("PROTUTOR_SCALE_OUT") is True
    monkeypatch.setenv("PROTUTOR_SCALE_OUT", "maybe")
    with pytest.raises(Exception, match="PROTUTOR_SCALE_OUT must be true or false, not 'maybe'"):
        checks.ops_flag("PROTUTOR_SCALE_OUT")


@override_settings(
    DEBUG=False,
    ALLOWED_HOSTS=["protutor.example.org"],
    PROTUTOR_BASE_URL="http://protutor.example.org",
    EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
)
def test_check_with_debug_off_lists_production_problems_without_deploy():
    out, err = StringIO(), StringIO()
    with pytest.raises(SystemCheckError) as raised:
        call_command("check", "--fail-level", "WARNING", stdout=out, stderr=err)
    report = str(raised.value)
    assert "protutor.W002" in report
    assert "protutor.W005" in report
    assert "security.W018" not in report  # DEBUG is off
    assert "DEBUG is off, so the production checks (--deploy) run too." in err.getvalue()


@override_settings(DEBUG=True, EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend")
def test_check_in_development_is_djangos_own():
    out = StringIO()
    call_command("check", "--fail-level", "WARNING", stdout=out, stderr=StringIO())
    assert "protutor.W005" not in out.getvalue()


@override_settings(DEBUG=True, EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend")
def test_check_deploy_in_development_lists_production_problems():
    with pytest.raises(SystemCheckError) as raised:
        call_command("check", "--deploy", "--tag", "protutor", "--fail-level", "WARNING", stdout=StringIO())
    assert "protutor.W005" in str(raised.value)
