"""`protutor serve`: the production web server (gunicorn), configured from the environment.

The command replaces itself with gunicorn (exec), so systemd or any supervisor sees and signals the real
server: SIGTERM stops it gracefully, SIGHUP reloads workers with new code.
"""

import os
import re
import shutil
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from gunicorn.glogging import Logger

from protutor.core.checks import ops_setting

DEFAULT_BIND = "127.0.0.1:8000"
MAX_DEFAULT_WORKERS = 8
# Path only (never the query string, where searches carry names), the client as the proxy saw it, and
# the time taken in milliseconds.
ACCESS_LOG_FORMAT = '%(h)s %({x-forwarded-for}i)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
# Paths whose last part is a credential: a calendar feed's token must not sit in the access log.
TOKEN_PATHS = re.compile(r"^(/cpd/calendar/\d+/)[^/]+(\.ics)$")


class AccessLogger(Logger):
    """gunicorn's logger, with tokens in paths replaced before the line is written."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        if atoms.get("U"):
            atoms["U"] = TOKEN_PATHS.sub(r"\1[token]\2", atoms["U"])
        return atoms


def default_workers() -> int:
    """gunicorn's rule of thumb, 2 x cores + 1, capped: each worker holds its own memory and connection."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return min(2 * cores + 1, MAX_DEFAULT_WORKERS)


def gunicorn_path() -> str:
    beside = Path(sys.executable).parent / "gunicorn"
    if beside.exists():
        return str(beside)
    found = shutil.which("gunicorn")
    if not found:
        raise CommandError("gunicorn is not installed in this virtualenv: pip install -r requirements.txt")
    return found


def positive_int(name: str, text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise CommandError(f"{name} must be a whole number of 1 or more, not {text!r}")
    return value


class Command(BaseCommand):
    help = (
        "Serve protutor with gunicorn on PROTUTOR_BIND (default 127.0.0.1:8000) with PROTUTOR_WEB_WORKERS "
        "processes (default 2 x cores + 1, at most 8). Static files are served by whitenoise from "
        "STATIC_ROOT: run `protutor collectstatic` after each install or upgrade."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--bind", help="Address to listen on (host:port or unix:/path); overrides PROTUTOR_BIND."
        )
        parser.add_argument("--workers", help="Number of web processes; overrides PROTUTOR_WEB_WORKERS.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Print the gunicorn command; start nothing."
        )

    def gunicorn_command(self, *, bind=None, workers=None) -> list[str]:
        bind = bind or ops_setting("PROTUTOR_BIND", DEFAULT_BIND)
        workers_text = workers or ops_setting("PROTUTOR_WEB_WORKERS", str(default_workers()))
        timeout = ops_setting("PROTUTOR_WEB_TIMEOUT", "60")
        return [
            gunicorn_path(),
            "protutor.wsgi:application",
            "--bind",
            bind,
            "--workers",
            str(positive_int("PROTUTOR_WEB_WORKERS", workers_text)),
            "--timeout",
            str(positive_int("PROTUTOR_WEB_TIMEOUT", timeout)),
            # On SIGTERM, requests in flight get this long to finish before workers are killed.
            "--graceful-timeout",
            "30",
            # Recycle workers now and then, so a slow leak can never take the site down.
            "--max-requests",
            "2000",
            "--max-requests-jitter",
            "200",
            "--access-logfile",
            "-",
            "--error-logfile",
            "-",
            "--access-logformat",
            ACCESS_LOG_FORMAT,
            "--logger-class",
            f"{__name__}.AccessLogger",
            # systemd supervises the server; one fixed socket path would also clash between instances.
            "--no-control-socket",
        ]

    def handle(self, *args, bind, workers, dry_run, **options):
        command = self.gunicorn_command(bind=bind, workers=workers)
        if dry_run:
            self.stdout.write(" ".join(_quote(part) for part in command))
            return
        sys.stdout.flush()
        sys.stderr.flush()
        os.execv(command[0], command)  # noqa: S606  (fixed program, arguments from our own settings)


def _quote(part: str) -> str:
    import shlex

    return shlex.quote(part)
