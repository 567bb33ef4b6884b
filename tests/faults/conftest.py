"""Fault tests (`pytest -m faults`): a process killed mid-write, a database restart, storage that refuses a
write. Commands run in a subprocess against the test database, so a kill is a real kill.

On PostgreSQL the subprocess connects to the test database itself (the tests are transactional, so it sees
what the test wrote). On SQLite the test database lives in memory, so `SubprocessDatabase` copies it to a
file before the subprocess runs and back afterwards, with SQLite's online backup (a few milliseconds)."""

from __future__ import annotations

import os
import select
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from tests.faults.driver import PAUSED

ROOT = Path(__file__).resolve().parents[2]


def pytest_configure(config):
    config.addinivalue_line("markers", "faults: kills, restarts and storage failures (tests/faults)")


class SubprocessDatabase:
    def __init__(self, tmp_path: Path):
        self.vendor = connection.vendor
        settings = connection.settings_dict
        if self.vendor == "sqlite":
            self.file = tmp_path / "subprocess.sqlite3"
            self.url = f"sqlite:///{self.file}"
        elif self.vendor == "postgresql":
            user = quote(settings["USER"] or "")
            password = f":{quote(settings['PASSWORD'])}" if settings.get("PASSWORD") else ""
            host = settings["HOST"] or "localhost"
            port = f":{settings['PORT']}" if settings.get("PORT") else ""
            self.url = f"postgres://{user}{password}@{host}{port}/{settings['NAME']}"
        else:
            pytest.skip(f"no subprocess database for {self.vendor}")

    def push(self) -> None:
        """Make what the test wrote visible to a subprocess."""
        if self.vendor == "sqlite":
            connection.ensure_connection()
            target = sqlite3.connect(self.file)
            try:
                connection.connection.backup(target)
            finally:
                target.close()

    def pull(self) -> None:
        """Make what a subprocess wrote (or did not) visible to the test's own queries."""
        if self.vendor == "sqlite":
            connection.close()
            connection.ensure_connection()
            source = sqlite3.connect(self.file)  # recovers the file first: uncommitted pages are dropped
            try:
                source.backup(connection.connection)
            finally:
                source.close()
        else:
            connection.close()

    def env(self, **extra: str) -> dict[str, str]:
        env = {key: value for key, value in os.environ.items() if not key.startswith("FAULT_")}
        env.update(
            DATABASE_URL=self.url,
            DJANGO_SETTINGS_MODULE="protutor.test_settings",
            PYTHONUNBUFFERED="1",
            **extra,
        )
        return env


@pytest.fixture
def subprocess_db(transactional_db, tmp_path):
    return SubprocessDatabase(tmp_path)


def driver_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "tests.faults.driver", *args]


def start_until_paused(args: list[str], env: dict[str, str], timeout: float = 60) -> subprocess.Popen:
    """Start the driver and return once it has printed FAULT_PAUSED (it is then asleep mid-transaction).

    The output is read from the pipe's file descriptor, unbuffered: a buffered readline after select()
    could take FAULT_PAUSED into its buffer with the line before it, and select() would then wait for
    output that had already arrived."""
    process = subprocess.Popen(
        driver_command(*args), cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, bufsize=0
    )
    received = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stdout], [], [], 0.5)
        chunk = os.read(process.stdout.fileno(), 65536) if ready else b""
        received += chunk
        if PAUSED.encode() in received.splitlines():
            return process
        if not chunk and process.poll() is not None:
            break
    process.kill()
    process.wait()
    pytest.fail(
        f"the command never reached the fault point; its output:\n{received.decode(errors='replace')}"
    )


def kill(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    process.stdout.close()
    assert process.returncode == -signal.SIGKILL


def run_to_end(args: list[str], env: dict[str, str]) -> str:
    finished = subprocess.run(
        driver_command(*args), cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert finished.returncode == 0, finished.stdout + finished.stderr
    return finished.stdout
