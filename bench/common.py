"""Shared by bench/generate.py and bench/run.py (imported as `setup`): which database a scale lives in, and Django set up with
production settings against it (DEBUG off, so no query log or debug templates skew the figures).

    college on SQLite   bench/out/bench-college.sqlite3
    trust on SQLite     bench/out/bench-trust.sqlite3
    on PostgreSQL       protutor_bench_<scale> on the server of --postgres (default: postgres@127.0.0.1:5432)

The encryption key for the generated confidential text is kept in bench/out/bench.keys.
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
SCALES = ("college", "trust")
DATABASES = ("sqlite", "postgresql")
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432"


def database_url(scale: str, database: str, postgres: str = DEFAULT_POSTGRES) -> str:
    if database == "sqlite":
        return f"sqlite:///{OUT / f'bench-{scale}.sqlite3'}"
    return f"{postgres.rstrip('/')}/protutor_bench_{scale}"


def keys(name: str = "bench.keys") -> str:
    """The Fernet key the benchmark data's confidential text is encrypted with, kept in bench/out/`name`."""
    path = OUT / name
    if not path.exists():
        from cryptography.fernet import Fernet

        OUT.mkdir(parents=True, exist_ok=True)
        path.write_text(Fernet.generate_key().decode())
        path.chmod(0o600)
    return path.read_text().strip()


def configure(url: str) -> None:
    """Environment for protutor.settings, then django.setup(). Call once, before importing models."""
    sys.path.insert(0, str(ROOT))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="protutor.settings",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        PROTUTOR_ENCRYPTION_KEYS=keys(),
        DATABASE_URL=url,
        ALLOWED_HOSTS="testserver,127.0.0.1",
        PROTUTOR_MFA_REQUIRED_ROLES="",
        PROTUTOR_VAR_DIR=str(OUT / "var"),
        MEDIA_ROOT=str(OUT / "var" / "media"),
        STATIC_ROOT=str(OUT / "static"),
        LOG_LEVEL="ERROR",
    )
    import django

    django.setup()


def create_postgres_database(url: str) -> None:
    """Create the PostgreSQL database of `url` if it does not exist (the server must be running)."""
    import psycopg

    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')  # the name is ours: protutor_bench_<scale>


def drop_postgres_database(url: str) -> None:
    import psycopg

    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
