"""`protutor backup` and `protutor restore` (protutor/core/backup.py): a restore onto a fresh database gives
back every row, and encrypted text still decrypts with the configured keys.

The round trips restore in a `protutor` subprocess pointed at a fresh database, exactly as an operator would.
"""

import json
import os
import secrets
import sqlite3
import subprocess
import sys
import tarfile
from io import BytesIO, StringIO
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from protutor.core import backup, crypto
from protutor.support.models import Interaction
from tests.factories.support import concern, log, open_case_for

SHARED = "BACKUP-PLAINTEXT-SHARED-5521"
PRIVATE = "BACKUP-PLAINTEXT-PRIVATE-7730"
UPLOAD = b"%PDF-1.4 a guide to questioning\n"
PROTUTOR = str(Path(sys.executable).parent / "protutor")


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "resources" / "abc").mkdir(parents=True)
    (settings.MEDIA_ROOT / "resources" / "abc" / "guide.pdf").write_bytes(UPLOAD)
    return settings.MEDIA_ROOT


@pytest.fixture
def records(teacher, tutor):
    case = open_case_for(teacher, tutor, reason="Questioning in Year 9")
    interaction = log(case, tutor, shared=SHARED, private=PRIVATE)
    concern(case, tutor, text="A concern for the safeguarding lead")
    return interaction


def take_backup(folder: Path) -> Path:
    out = StringIO()
    call_command("backup", f"--output={folder}", stdout=out)
    [archive] = folder.glob("protutor-backup-*.tar")
    assert f"Backup complete: {archive}" in out.getvalue()
    return archive


def manifest_of(archive: Path) -> dict:
    with tarfile.open(archive) as tar:
        return json.load(tar.extractfile("manifest.json"))


def run_protutor(*args, database_url: str, tmp_path: Path, check=True) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PROTUTOR_", "DATABASE_URL", "MEDIA_ROOT", "DJANGO_", "PG"))
    }
    environment |= {
        "DJANGO_SETTINGS_MODULE": "protutor.settings",
        "DEBUG": "true",
        "SECRET_KEY": "restore-test-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
        "PROTUTOR_ENCRYPTION_KEYS": ",".join(django_settings.PROTUTOR_ENCRYPTION_KEYS),
        "PROTUTOR_VAR_DIR": str(tmp_path / "var"),
        "MEDIA_ROOT": str(tmp_path / "restored-media"),
        "DATABASE_URL": database_url,
    }
    result = subprocess.run(
        [PROTUTOR, *args], env=environment, capture_output=True, text=True, timeout=120, check=False
    )
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def assert_restored_media(tmp_path):
    assert (tmp_path / "restored-media" / "resources" / "abc" / "guide.pdf").read_bytes() == UPLOAD


@pytest.mark.django_db(transaction=True)
def test_backup_archive_holds_database_media_and_manifest_but_no_plaintext(tmp_path, media, records):
    archive = take_backup(tmp_path / "backups")
    vendor = connection.vendor
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    database_file = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}[vendor]
    assert sorted(names) == sorted([database_file, "media/resources/abc/guide.pdf", "manifest.json"])
    manifest = manifest_of(archive)
    assert manifest["format"] == "protutor-backup"
    assert manifest["format_version"] == 1
    assert manifest["database_vendor"] == vendor
    assert manifest["media_files"] == 1
    assert manifest["app_version"] == backup.app_version()
    assert "support.0001_initial" in manifest["migrations"]
    assert manifest["table_counts"]["support_interaction"] == 1
    assert manifest["table_counts"]["support_privatenote"] == 1
    assert oct(archive.stat().st_mode & 0o777) == "0o600"
    # Confidential text stays encrypted in the archive: a stolen backup alone reveals nothing.
    raw = archive.read_bytes()
    assert SHARED.encode() not in raw
    assert PRIVATE.encode() not in raw
    assert [path.name for path in archive.parent.iterdir()] == [archive.name]  # no partial or work files


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_holds_data(tmp_path, media, records):
    archive = take_backup(tmp_path / "backups")
    with pytest.raises(CommandError) as raised:
        call_command("restore", str(archive), stdout=StringIO())
    assert "already holds data" in str(raised.value)
    assert "--yes" in str(raised.value)
    assert Interaction.objects.get().shared_notes == SHARED


@pytest.mark.django_db
def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    not_backup = tmp_path / "notes.tar"
    with tarfile.open(not_backup, "w") as tar:
        tar.add(__file__, arcname="notes.txt")
    with pytest.raises(CommandError, match=r"This file is not a protutor backup: it has no manifest\.json\."):
        call_command("restore", str(not_backup), stdout=StringIO())
    with pytest.raises(CommandError, match="There is no file"):
        call_command("restore", str(tmp_path / "missing.tar"), stdout=StringIO())


def test_backup_into_a_folder_that_cannot_be_made_is_a_clear_error(tmp_path, settings):
    (tmp_path / "a-file").write_text("")
    with pytest.raises(CommandError, match=r"Could not create the backup folder .*: Not a directory\."):
        call_command("backup", f"--output={tmp_path / 'a-file' / 'backups'}", stdout=StringIO())


@pytest.mark.django_db(transaction=True)
def test_backup_keep_removes_only_the_oldest_archives(tmp_path, media):
    folder = tmp_path / "backups"
    folder.mkdir()
    for stamp in ("20250101-010000Z", "20250102-010000Z", "20250103-010000Z"):
        (folder / f"protutor-backup-{stamp}.tar").write_bytes(b"")
    (folder / "notes.txt").write_text("not a backup")
    call_command("backup", f"--output={folder}", "--keep=2", stdout=StringIO())
    names = sorted(path.name for path in folder.iterdir())
    assert names[0] == "notes.txt"
    assert names[1] == "protutor-backup-20250103-010000Z.tar"
    assert len(names) == 3


def test_sqlite_copy_is_consistent_while_another_connection_writes(tmp_path):
    source_path = tmp_path / "live.sqlite3"
    writer = sqlite3.connect(source_path, isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)")
    writer.execute("INSERT INTO note (body) VALUES ('committed')")
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO note (body) VALUES ('not yet committed')")
    reader = sqlite3.connect(source_path)
    taken = backup.copy_sqlite(reader, tmp_path / "copy.sqlite3")
    writer.execute("COMMIT")
    copy = sqlite3.connect(tmp_path / "copy.sqlite3")
    assert copy.execute("SELECT body FROM note").fetchall() == [("committed",)]
    assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    assert taken.counts == {"note": 1}
    assert not (tmp_path / "copy.sqlite3-wal").exists()


@pytest.mark.django_db(transaction=True)
def test_sqlite_restore_onto_a_fresh_database_gives_back_every_record(tmp_path, media, records):
    if connection.vendor != "sqlite":
        pytest.skip("the configured database is not SQLite")
    archive = take_backup(tmp_path / "backups")
    manifest = manifest_of(archive)
    restored = tmp_path / "fresh" / "protutor.sqlite3"
    url = f"sqlite:///{restored}"

    result = run_protutor("restore", str(archive), database_url=url, tmp_path=tmp_path)

    assert "every row in the backup is back" in result.stdout
    assert "migrations: the database matches this version of protutor" in result.stdout
    assert "Restore complete" in result.stdout
    database = sqlite3.connect(restored)
    for table, count in manifest["table_counts"].items():
        assert database.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0] == count, table  # noqa: S608
    [(token,)] = database.execute("SELECT shared_notes FROM support_interaction").fetchall()
    assert token != SHARED
    assert crypto.decrypt(token) == SHARED
    [(private,)] = database.execute("SELECT text FROM support_privatenote").fetchall()
    assert crypto.decrypt(private) == PRIVATE
    database.close()
    assert_restored_media(tmp_path)

    # A second restore onto the now full database needs --yes, and keeps the file it replaces.
    again = run_protutor("restore", str(archive), database_url=url, tmp_path=tmp_path, check=False)
    assert again.returncode == 1
    assert "already holds data" in again.stderr
    run_protutor("restore", str(archive), "--yes", database_url=url, tmp_path=tmp_path)
    assert len(list(restored.parent.glob("protutor.sqlite3.before-restore-*"))) == 1


@pytest.mark.django_db(transaction=True)
def test_sqlite_restore_with_the_wrong_keys_says_so(tmp_path, media, records, settings):
    if connection.vendor != "sqlite":
        pytest.skip("the configured database is not SQLite")
    from cryptography.fernet import Fernet

    archive = take_backup(tmp_path / "backups")
    settings.PROTUTOR_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    result = run_protutor(
        "restore",
        str(archive),
        database_url=f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
        tmp_path=tmp_path,
        check=False,
    )
    assert result.returncode == 1
    assert "encrypted values do not decrypt with PROTUTOR_ENCRYPTION_KEYS" in result.stderr
    assert "support.Interaction.shared_notes (1)" in result.stderr


def postgres_url(settings_dict: dict, name: str) -> str:
    user = quote(settings_dict.get("USER") or "postgres")
    password = f":{quote(str(settings_dict['PASSWORD']))}" if settings_dict.get("PASSWORD") else ""
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{name}"


def create_database(admin_url: str) -> str:
    import psycopg

    name = f"protutor_restore_{secrets.token_hex(4)}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    return name


def drop_database(admin_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_postgresql_restore_onto_a_fresh_database_gives_back_every_record(tmp_path, media, records):
    if connection.vendor != "postgresql":
        pytest.skip(
            "the configured database is not PostgreSQL (run with DATABASE_URL=postgres://...; "
            "test_pg_dump_and_pg_restore_round_trip covers the tools on their own)"
        )
    import psycopg

    archive = take_backup(tmp_path / "backups")
    manifest = manifest_of(archive)
    admin_url = postgres_url(connection.settings_dict, "postgres")
    name = create_database(admin_url)
    try:
        url = postgres_url(connection.settings_dict, name)
        result = run_protutor("restore", str(archive), database_url=url, tmp_path=tmp_path)
        assert "every row in the backup is back" in result.stdout
        assert "migrations: the database matches this version of protutor" in result.stdout
        with psycopg.connect(url) as restored:
            for table, count in manifest["table_counts"].items():
                assert restored.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0] == count, table  # noqa: S608
            [(token,)] = restored.execute("SELECT shared_notes FROM support_interaction").fetchall()
            [(private,)] = restored.execute("SELECT text FROM support_privatenote").fetchall()
        assert crypto.decrypt(token) == SHARED
        assert crypto.decrypt(private) == PRIVATE
        assert_restored_media(tmp_path)
    finally:
        drop_database(admin_url, name)


def reachable_postgres() -> dict:
    """Connection settings for a PostgreSQL server: the configured one, else the local one if it answers."""
    import psycopg

    if connection.vendor == "postgresql":
        return dict(connection.settings_dict)
    candidate = {"HOST": "127.0.0.1", "PORT": 5432, "USER": "postgres", "PASSWORD": "", "OPTIONS": {}}
    try:
        psycopg.connect(postgres_url(candidate, "postgres"), connect_timeout=2).close()
    except psycopg.OperationalError:
        pytest.skip("no PostgreSQL server is configured or answering on 127.0.0.1:5432")
    return candidate


@pytest.mark.django_db
def test_pg_dump_and_pg_restore_round_trip(tmp_path):
    import psycopg

    server = reachable_postgres()
    admin_url = postgres_url(server, "postgres")
    source, target = create_database(admin_url), create_database(admin_url)
    try:
        with psycopg.connect(postgres_url(server, source), autocommit=True) as db:
            db.execute("CREATE TABLE note (id serial PRIMARY KEY, body text)")
            db.execute("INSERT INTO note (body) VALUES ('one'), ('two')")
        dump = tmp_path / "database.pgdump"
        backup.pg_dump({**server, "NAME": source}, dump)
        assert dump.read_bytes().startswith(b"PGDMP")  # custom format
        backup.pg_restore({**server, "NAME": target}, dump)
        with psycopg.connect(postgres_url(server, target)) as db:
            assert db.execute("SELECT body FROM note ORDER BY id").fetchall() == [("one",), ("two",)]
    finally:
        drop_database(admin_url, source)
        drop_database(admin_url, target)


def test_pg_password_goes_in_the_environment_never_the_command_line():
    args, env = backup.pg_connection_args(
        {
            "HOST": "db",
            "PORT": 5433,
            "USER": "protutor",
            "PASSWORD": "pw-secret",
            "NAME": "protutor",
            "OPTIONS": {"sslmode": "require"},
        }
    )
    assert args == ["--host=db", "--port=5433", "--username=protutor", "--dbname=protutor"]
    assert (env["PGPASSWORD"], env["PGSSLMODE"]) == ("pw-secret", "require")
    assert not any("pw-secret" in arg for arg in args)


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_an_archive_with_a_file_outside_the_media_folder(tmp_path, media):
    if connection.vendor != "sqlite":
        pytest.skip("the configured database is not SQLite")
    archive = take_backup(tmp_path / "backups")
    with tarfile.open(archive, "a") as tar:
        info = tarfile.TarInfo("media/../../escaped.txt")
        info.size = 2
        tar.addfile(info, BytesIO(b"hi"))
    restored = tmp_path / "fresh.sqlite3"
    result = run_protutor(
        "restore", str(archive), database_url=f"sqlite:///{restored}", tmp_path=tmp_path, check=False
    )
    assert result.returncode == 1
    assert "unsafe file name ('media/../../escaped.txt'); nothing was restored" in result.stderr
    assert not restored.exists() or restored.stat().st_size == 0
    assert not (tmp_path / "escaped.txt").exists()
