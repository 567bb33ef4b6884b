"""PostgreSQL restarts while the app serves: requests fail only while the database is down, and succeed
again as soon as it is back, without restarting the app.

The restart must not disturb anyone else's tests, so the test runs its own PostgreSQL server (initdb and
pg_ctl from /usr/lib/postgresql/*/bin, as the postgres user, on a free loopback port, in a temporary data
folder), loads it with a copy of the test database (pg_dump | psql), and serves it with `protutor serve`
(gunicorn, 2 workers) under the production settings, where each worker keeps its connection open between
requests (CONN_MAX_AGE). Runs when the suite runs on PostgreSQL; skipped on SQLite."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from bench.load import Session, Target
from protutor.people.models import User
from tests.faults.conftest import ROOT

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery"
HOST = "127.0.0.1"
BACK_WITHIN_SECONDS = 5


def postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class OwnPostgres:
    """A throwaway PostgreSQL server of the test's own."""

    def __init__(self, bin_dir: Path):
        self.bin = bin_dir
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="protutor-faults-pg-"))
        self.data = self.folder / "data"
        self.as_postgres = [] if os.geteuid() != 0 else ["runuser", "-u", "postgres", "--"]
        if self.as_postgres:
            postgres = pwd.getpwnam("postgres")
            os.chown(self.folder, postgres.pw_uid, postgres.pw_gid)

    def run(self, program: str, *args: str, timeout: float = 60) -> None:
        subprocess.run(
            [*self.as_postgres, str(self.bin / program), *args],
            check=True,
            capture_output=True,
            timeout=timeout,
            cwd=self.folder,
        )

    def pg_ctl(self, action: str, *args: str) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses={HOST} -c fsync=off"
        if action in {"start", "restart"}:
            # A log file, so the server does not hold our captured stdout open (pg_ctl would never return).
            args = ("-l", str(self.folder / "server.log"), *args)
        self.run("pg_ctl", action, "-D", str(self.data), "-w", "-t", "30", "-o", options, *args)

    def start(self) -> None:
        self.run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "--no-sync")
        self.pg_ctl("start")

    def stop(self) -> None:
        try:
            self.pg_ctl("stop", "-m", "immediate")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    @property
    def url(self) -> str:
        return f"postgres://postgres@{HOST}:{self.port}/protutor"


@pytest.fixture
def own_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: runs when the suite runs with DATABASE_URL=postgres://...")
    bin_dir = postgres_bin()
    if bin_dir is None or (os.geteuid() == 0 and shutil.which("runuser") is None):
        pytest.skip("no PostgreSQL server programs (initdb, pg_ctl) in /usr/lib/postgresql/*/bin")
    server = OwnPostgres(bin_dir)
    server.start()
    yield server
    server.stop()


def copy_test_database(server: OwnPostgres) -> None:
    """The test database, schema and rows, into the server's own `protutor` database."""
    settings = connection.settings_dict
    source = ["-h", settings["HOST"] or "localhost", "-U", settings["USER"] or "postgres"]
    if settings.get("PORT"):
        source += ["-p", str(settings["PORT"])]
    env = {**os.environ, "PGPASSWORD": settings.get("PASSWORD") or ""}
    target = ["-h", HOST, "-p", str(server.port), "-U", "postgres"]
    subprocess.run([str(server.bin / "createdb"), *target, "protutor"], check=True, capture_output=True)
    dump = subprocess.run(
        [str(server.bin / "pg_dump"), *source, "--no-owner", "--no-privileges", settings["NAME"]],
        check=True,
        capture_output=True,
        env=env,
        timeout=60,
    )
    subprocess.run(
        [str(server.bin / "psql"), *target, "-q", "-v", "ON_ERROR_STOP=1", "-d", "protutor"],
        input=dump.stdout,
        check=True,
        capture_output=True,
        timeout=60,
    )


def app_env(database_url: str, folder: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        DJANGO_SETTINGS_MODULE="protutor.settings",  # production's, with persistent connections
        DEBUG="false",
        SECRET_KEY="faults-" + "x" * 50,
        PROTUTOR_ENCRYPTION_KEYS=os.environ.get(
            "PROTUTOR_ENCRYPTION_KEYS", "rjIQYIVrX0BXW6U7_4O9v7xAYJt_Eu6AVaDY0ZEwCbQ="
        ),
        DATABASE_URL=database_url,
        ALLOWED_HOSTS=HOST,
        BEHIND_TLS_PROXY="true",
        STATIC_ROOT=str(folder / "static"),
        MEDIA_ROOT=str(folder / "media"),
        PROTUTOR_VAR_DIR=str(folder / "var"),
        PROTUTOR_MFA_REQUIRED_ROLES="",
        LOG_LEVEL="ERROR",
    )
    return env


def protutor(*args: str) -> list[str]:
    return [str(ROOT / ".venv" / "bin" / "protutor"), *args]


def start_app(env: dict[str, str], folder: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    log = (folder / "app.log").open("wb")
    app = subprocess.Popen(
        protutor("serve", "--workers", "2", "--bind", f"{HOST}:{port}"),
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    log.close()
    return app, port


def status(session: Session, path: str) -> int:
    try:
        return session.get(path)[0]
    except OSError:
        return 0


def wait_for(session: Session, path: str, seconds: float) -> float | None:
    """Seconds until `path` answers 200, or None."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if status(session, path) == 200:
            return time.monotonic() - started
        time.sleep(0.1)
    return None


def test_the_app_recovers_from_a_database_restart_without_being_restarted(own_postgres, teacher, tmp_path):
    User.objects.filter(pk=teacher.user.pk).update(
        password=PBKDF2PasswordHasher().encode(PASSWORD, "faultsalt1234567", iterations=1000)
    )
    env = app_env(own_postgres.url, tmp_path)
    # Production serves hashed static files from STATIC_ROOT; collect them while the database is copied.
    collecting = subprocess.Popen(protutor("collectstatic", "--no-input"), env=env, stdout=subprocess.DEVNULL)
    copy_test_database(own_postgres)
    assert collecting.wait(timeout=120) == 0
    app, port = start_app(env, tmp_path)
    try:
        anonymous, signed_in = Session(Target(port)), Session(Target(port))
        assert wait_for(anonymous, "/health/?checks=database", 60) is not None, (
            tmp_path / "app.log"
        ).read_text()
        signed_in.sign_in("teacher", PASSWORD)
        # Every worker has used (and kept) a connection before the restart.
        for _ in range(6):
            assert status(signed_in, "/") == 200
            assert status(anonymous, "/health/?checks=database") == 200

        own_postgres.pg_ctl("restart", "-m", "fast")  # cuts every open connection

        # The server is back (pg_ctl -w waited for it): the very next requests succeed, on every worker,
        # with the connections the workers held before the restart now dead.
        after = [status(signed_in, "/") for _ in range(6)] + [
            status(anonymous, "/health/?checks=database") for _ in range(6)
        ]
        assert after == [200] * 12, (tmp_path / "app.log").read_text()[-3000:]
        assert app.poll() is None  # the same server, never restarted

        # While the database is down, /health/ says so (503) rather than hanging, and it comes back.
        own_postgres.pg_ctl("stop", "-m", "fast")
        assert status(anonymous, "/health/?checks=database") == 503
        own_postgres.pg_ctl("start")
        assert wait_for(anonymous, "/health/?checks=database", BACK_WITHIN_SECONDS) is not None
        assert wait_for(signed_in, "/", BACK_WITHIN_SECONDS) is not None
        assert app.poll() is None
    finally:
        os.killpg(app.pid, signal.SIGTERM)
        try:
            app.wait(timeout=35)
        except subprocess.TimeoutExpired:
            os.killpg(app.pid, signal.SIGKILL)
            app.wait()
