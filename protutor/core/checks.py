"""protutor's own system checks: what is missing or unsafe in a production configuration (DESIGN.md section 6).

They run with Django's: `protutor check --deploy` (and plain `protutor check` when DEBUG is off) lists them
beside Django's security checks. The encryption-key check runs before every command, because a bad key
would otherwise surface as a crash on the first confidential read.

Levels: something unsafe or broken is an Error or a Warning. Advice that is fine for one school on one
server (SQLite, the in-process task backend) is Info, and becomes a Warning only when PROTUTOR_SCALE_OUT
says several servers share the database, where it stops being fine.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.checks import Error, Info, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured

DATABASE_TASK_BACKEND = "django_tasks_db.DatabaseBackend"
IMMEDIATE_TASK_BACKEND = "django_tasks.backends.immediate.ImmediateBackend"
# Email backends that never deliver anything: fine in development, a silent failure in production.
UNDELIVERING_EMAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend": "prints every email to the log",
    "django.core.mail.backends.filebased.EmailBackend": "writes every email to a file",
    "django.core.mail.backends.locmem.EmailBackend": "keeps every email in memory",
    "django.core.mail.backends.dummy.EmailBackend": "throws every email away",
}


def ops_setting(name: str, default: str) -> str:
    """An operations setting: from settings.py once it is defined there, else from the environment.

    Read here (not in settings.py) until settings.py declares them; see docs/deploy.md for the list.
    """
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, "")
    value = str(value).strip()
    return value or default


def ops_flag(name: str) -> bool:
    value = getattr(settings, name, None)
    if isinstance(value, bool):
        return value
    text = ops_setting(name, "false").lower()
    if text in {"1", "true", "yes", "on"}:
        return True
    if text in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {text!r}")


def task_backend_path(alias: str = "default") -> str:
    return getattr(settings, "TASKS", {}).get(alias, {}).get("BACKEND", IMMEDIATE_TASK_BACKEND)


def is_database_task_backend(path: str) -> bool:
    return path in {DATABASE_TASK_BACKEND, "django_tasks_db.backend.DatabaseBackend"}


def database_vendor() -> str:
    engine = settings.DATABASES["default"]["ENGINE"]
    if "sqlite" in engine:
        return "sqlite"
    if "postgres" in engine:
        return "postgresql"
    return engine.rsplit(".", 1)[-1]


@register("protutor", Tags.security)
def check_encryption_keys(app_configs=None, **kwargs):
    keys = list(getattr(settings, "PROTUTOR_ENCRYPTION_KEYS", []) or [])
    if not keys:
        return [
            Error(
                "PROTUTOR_ENCRYPTION_KEYS is empty: confidential text cannot be encrypted.",
                hint="Set it to one or more Fernet keys, comma-separated, newest first.",
                id="protutor.E001",
            )
        ]
    errors = []
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key.encode())
        except ValueError:
            # Never echo the key itself: the message goes to logs and terminals.
            errors.append(
                Error(
                    f"Key {position} of {len(keys)} in PROTUTOR_ENCRYPTION_KEYS is not a Fernet key.",
                    hint="A Fernet key is 32 bytes in url-safe base64 (44 characters ending in '='). Generate "
                    "one with: python -c 'from cryptography.fernet import Fernet; "
                    "print(Fernet.generate_key().decode())'",
                    id="protutor.E002",
                )
            )
    if len(set(keys)) != len(keys):
        errors.append(
            Warning(
                "PROTUTOR_ENCRYPTION_KEYS lists the same key more than once.",
                hint="Keep each key once, newest first; remove an old key only after `protutor rotate_keys`.",
                id="protutor.W001",
            )
        )
    return errors


@register("protutor", Tags.security, deploy=True)
def check_base_url(app_configs=None, **kwargs):
    base_url = str(getattr(settings, "PROTUTOR_BASE_URL", "") or "")
    parts = urlsplit(base_url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        return [
            Error(
                f"PROTUTOR_BASE_URL is not an address: {base_url!r}.",
                hint="Set it to the address people open, for example https://protutor.example.org; "
                "links in emails are built from it.",
                id="protutor.E003",
            )
        ]
    messages = []
    if parts.scheme != "https":
        messages.append(
            Warning(
                f"PROTUTOR_BASE_URL uses http ({base_url}): links in emails would send people to an "
                "unencrypted address.",
                hint="Use the https:// address of the site.",
                id="protutor.W002",
            )
        )
    allowed = list(getattr(settings, "ALLOWED_HOSTS", []))
    if allowed and not _host_allowed(parts.hostname, allowed):
        messages.append(
            Warning(
                f"The host of PROTUTOR_BASE_URL ({parts.hostname}) is not in ALLOWED_HOSTS: links in "
                "emails would lead to a 'Bad Request' page.",
                hint="Add it to ALLOWED_HOSTS, or correct PROTUTOR_BASE_URL.",
                id="protutor.W003",
            )
        )
    return messages


def _host_allowed(host: str, allowed: list[str]) -> bool:
    from django.http.request import validate_host

    return validate_host(host, allowed)


@register("protutor", Tags.security, deploy=True)
def check_allowed_hosts(app_configs=None, **kwargs):
    # An empty ALLOWED_HOSTS is Django's own security.W020.
    if "*" in getattr(settings, "ALLOWED_HOSTS", []):
        return [
            Warning(
                "ALLOWED_HOSTS contains '*': any Host header is accepted, so links built from requests "
                "(password resets, calendar feeds) can point at someone else's site.",
                hint="List the site's own host names only.",
                id="protutor.W004",
            )
        ]
    return []


@register("protutor", Tags.security, deploy=True)
def check_email_backend(app_configs=None, **kwargs):
    backend = getattr(settings, "EMAIL_BACKEND", "")
    if backend in UNDELIVERING_EMAIL_BACKENDS:
        return [
            Warning(
                f"EMAIL_BACKEND is {backend}, which {UNDELIVERING_EMAIL_BACKENDS[backend]}: nobody will "
                "receive referrals, reminders or password resets.",
                hint="Set EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and EMAIL_HOST.",
                id="protutor.W005",
            )
        ]
    return []


def _nearest_existing(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


@register("protutor", Tags.security, deploy=True)
def check_media_root(app_configs=None, **kwargs):
    media = Path(getattr(settings, "MEDIA_ROOT", "") or "")
    if not str(media) or not media.is_absolute():
        return [
            Error(
                f"MEDIA_ROOT is not an absolute folder: {str(media)!r}.",
                hint="Set MEDIA_ROOT to a folder such as /var/lib/protutor/media.",
                id="protutor.E004",
            )
        ]
    messages = []
    static_root = getattr(settings, "STATIC_ROOT", None)
    if static_root:
        static = Path(static_root).resolve()
        resolved = media.resolve()
        if resolved == static or static in resolved.parents:
            messages.append(
                Error(
                    "MEDIA_ROOT is inside STATIC_ROOT: uploaded files would be served to anyone, "
                    "without a permission check.",
                    hint="Keep uploads outside the static folder, for example /var/lib/protutor/media.",
                    id="protutor.E005",
                )
            )
    if media.exists():
        if not media.is_dir():
            messages.append(
                Error(
                    f"MEDIA_ROOT ({media}) is not a folder.", hint="Point it at a folder.", id="protutor.E006"
                )
            )
        elif not os.access(media, os.W_OK | os.X_OK):
            messages.append(
                Error(
                    f"MEDIA_ROOT ({media}) is not writable by this user: uploads would fail.",
                    hint="Give the protutor user write access: chown -R protutor: <folder>.",
                    id="protutor.E007",
                )
            )
    else:
        parent = _nearest_existing(media.parent)
        if not parent.is_dir() or not os.access(parent, os.W_OK | os.X_OK):
            messages.append(
                Error(
                    f"MEDIA_ROOT ({media}) does not exist and cannot be created ({parent} is not writable).",
                    hint="Create it and give the protutor user write access.",
                    id="protutor.E008",
                )
            )
    return messages


@register("protutor", Tags.database, deploy=True)
def check_scale(app_configs=None, **kwargs):
    scale_out = ops_flag("PROTUTOR_SCALE_OUT")
    level = Warning if scale_out else Info
    setting = "PROTUTOR_SCALE_OUT is true" if scale_out else "one server"
    messages = []
    if database_vendor() == "sqlite":
        messages.append(
            level(
                f"The database is SQLite ({setting}): right for one school on one server, not for several "
                "servers sharing the data.",
                hint="For a trust, use PostgreSQL: DATABASE_URL=postgres://protutor@db-host:5432/protutor "
                "(docs/deploy.md, 'Scaling out').",
                id="protutor.W010" if scale_out else "protutor.I010",
            )
        )
    backend = task_backend_path()
    if not is_database_task_backend(backend):
        messages.append(
            level(
                f"Background work runs inside web requests (PROTUTOR_TASK_BACKEND={backend}, {setting}): "
                "emails and report builds slow the page that triggers them.",
                hint=f"Set PROTUTOR_TASK_BACKEND={DATABASE_TASK_BACKEND} for the web and worker processes "
                "and run `protutor worker` (docs/deploy.md).",
                id="protutor.W011" if scale_out else "protutor.I011",
            )
        )
    return messages
