"""Backups and restores: one tar archive with the database, the uploaded files and a manifest.

What is in an archive:
- `database.pgdump`: PostgreSQL's custom-format dump (`pg_dump --format=custom`), or
- `database.sqlite3`: a copy of the SQLite file made with SQLite's online backup API, safe while the app runs;
- `media/...`: every uploaded file;
- `manifest.json`: format version, when, database vendor, app version, applied migrations, the row count
  of every table and the media file count. The counts come from the same snapshot as the dump, so a
  restore can prove it gave back every row.

The encryption keys are deliberately not in the archive: a stolen backup then reveals no confidential text,
and a restore needs PROTUTOR_ENCRYPTION_KEYS to hold the key in use when the backup was made (the restore
checks that every encrypted value still decrypts).

Writes are all-or-nothing: an archive is written beside its final name and renamed once complete; a
PostgreSQL restore runs in one transaction; a SQLite restore renames the new file over the old one, which is
kept beside it. A full disk or a read-only folder ends in a BackupError naming the problem.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import glob
import importlib.metadata
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO

from cryptography.fernet import InvalidToken
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from protutor.core import crypto
from protutor.core.checks import database_vendor, ops_setting

FORMAT = "protutor-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA_PREFIX = "media/"
DATABASE_MEMBERS = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
ARCHIVE_PREFIX = "protutor-backup-"
ARCHIVE_SUFFIX = ".tar"
# Files the health check writes and deletes at once; never worth keeping.
SKIPPED_MEDIA_PREFIX = "health-probe-"
# libpq reads these from the environment; the password goes there too, never on a command line.
PG_OPTION_ENV = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
    "connect_timeout": "PGCONNECT_TIMEOUT",
}

Progress = Callable[[str], None]


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Snapshot:
    counts: dict[str, int]
    migrations: list[str]


@dataclass
class RestoreReport:
    manifest: dict
    tables: int = 0
    rows: int = 0
    media_files: int = 0
    unapplied_migrations: list[str] = field(default_factory=list)
    unknown_migrations: list[str] = field(default_factory=list)
    encrypted_values: int = 0
    encrypted_columns: int = 0
    unreadable: dict[str, int] = field(default_factory=dict)
    kept_database: Path | None = None


def _quiet(message: str) -> None:
    """The default progress callback: say nothing."""


def human_size(size: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"


def app_version() -> str:
    try:
        return importlib.metadata.version("protutor")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def default_backup_dir() -> Path:
    var_dir = getattr(settings, "VAR_DIR", Path(settings.BASE_DIR) / "var")
    return Path(ops_setting("PROTUTOR_BACKUP_DIR", str(Path(var_dir) / "backups")))


# --- what the database holds -------------------------------------------------------------------------


def _sqlite_tables(cursor) -> list[str]:
    cursor.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    )
    return [row[0] for row in cursor.fetchall()]


def _count_rows(cursor, tables: list[str], quote: Callable[[str], str]) -> dict[str, int]:
    counts = {}
    for table in tables:
        # Table names come from the database's own catalogue and are quoted.
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608
        counts[table] = cursor.fetchone()[0]
    return counts


def _applied(cursor, tables: list[str]) -> list[str]:
    if "django_migrations" not in tables:
        return []
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    return [f"{app}.{name}" for app, name in cursor.fetchall()]


def _sqlite_quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def database_tables() -> list[str]:
    with connection.cursor() as cursor:
        return connection.introspection.table_names(cursor)


# --- PostgreSQL ---------------------------------------------------------------------------------------


def pg_program(name: str) -> str:
    """pg_dump or pg_restore: from PROTUTOR_PG_BIN, the PATH, or the newest Debian PostgreSQL install."""
    folder = ops_setting("PROTUTOR_PG_BIN", "")
    if folder:
        candidate = Path(folder) / name
        if candidate.exists():
            return str(candidate)
        raise BackupError(f"There is no {name} in PROTUTOR_PG_BIN ({folder}).")
    found = shutil.which(name)
    if found:
        return found
    installed = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda path: int(Path(path).parts[4] or 0)
    )
    if installed:
        return installed[-1]
    raise BackupError(
        f"{name} is not installed: apt-get install postgresql-client (the same major version as the server)."
    )


def pg_connection_args(settings_dict: dict) -> tuple[list[str], dict[str, str]]:
    """Command-line arguments and environment for pg_dump and pg_restore, from Django's connection settings."""
    args = []
    if settings_dict.get("HOST"):
        args.append(f"--host={settings_dict['HOST']}")
    if settings_dict.get("PORT"):
        args.append(f"--port={settings_dict['PORT']}")
    if settings_dict.get("USER"):
        args.append(f"--username={settings_dict['USER']}")
    args.append(f"--dbname={settings_dict['NAME']}")
    env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    for option, variable in PG_OPTION_ENV.items():
        value = (settings_dict.get("OPTIONS") or {}).get(option)
        if value:
            env[variable] = str(value)
    return args, env


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise BackupError(f"{what} failed: {detail[-1] if detail else f'exit status {result.returncode}'}")


def pg_dump(settings_dict: dict, destination: Path, *, snapshot: str | None = None) -> None:
    args, env = pg_connection_args(settings_dict)
    command = [pg_program("pg_dump"), "--format=custom", f"--file={destination}", *args]
    if snapshot:
        command.append(f"--snapshot={snapshot}")
    _run(command, env, "pg_dump")


def pg_restore(settings_dict: dict, source: Path) -> None:
    args, env = pg_connection_args(settings_dict)
    # One transaction: a restore that fails part way leaves the database as it was.
    command = [
        pg_program("pg_restore"),
        "--clean",
        "--if-exists",
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
        *args,
        str(source),
    ]
    _run(command, env, "pg_restore")


def dump_postgresql(destination: Path) -> Snapshot:
    """Dump the configured database, and count its rows in the very snapshot pg_dump reads."""
    if connection.in_atomic_block:
        raise BackupError("A backup cannot run inside a database transaction.")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        tables = connection.introspection.table_names(cursor)
        taken = Snapshot(_count_rows(cursor, tables, connection.ops.quote_name), _applied(cursor, tables))
        pg_dump(connection.settings_dict, destination, snapshot=snapshot)
    return taken


# --- SQLite -------------------------------------------------------------------------------------------


def copy_sqlite(source: sqlite3.Connection, destination: Path) -> Snapshot:
    """Copy a live SQLite database with its online backup API (readers and writers carry on meanwhile).

    The copy is made in one step, so it is one consistent state, and it is left in rollback-journal mode:
    one self-contained file, with no -wal beside it.
    """
    target = sqlite3.connect(destination)
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")
        cursor = target.cursor()
        tables = _sqlite_tables(cursor)
        return Snapshot(_count_rows(cursor, tables, _sqlite_quote), _applied(cursor, tables))
    except sqlite3.OperationalError as error:
        # "database or disk is full", "unable to open database file": the operator's problem to fix.
        raise BackupError(f"The backup stopped: {error}") from error
    finally:
        target.close()


def _is_memory(name: str) -> bool:
    return name == ":memory:" or name.startswith("file:") or "mode=memory" in name


def sqlite_path() -> Path:
    name = str(connection.settings_dict["NAME"])
    if _is_memory(name):
        raise BackupError("The database is in memory: there is no file to restore into.")
    return Path(name)


# --- media --------------------------------------------------------------------------------------------


def media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def media_files(root: Path) -> Iterator[tuple[Path, str]]:
    """Every uploaded file, with its name in the archive, in a stable order."""
    if not root.is_dir():
        return
    for folder, folders, files in os.walk(root):
        folders.sort()
        for name in sorted(files):
            path = Path(folder) / name
            if name.startswith(SKIPPED_MEDIA_PREFIX) or not path.is_file() or path.is_symlink():
                continue
            yield path, MEDIA_PREFIX + path.relative_to(root).as_posix()


def _safe_media_name(name: str) -> PurePosixPath | None:
    relative = PurePosixPath(name[len(MEDIA_PREFIX) :])
    if (
        relative.is_absolute()
        or not relative.parts
        or any(part in {"", ".", ".."} for part in relative.parts)
    ):
        return None
    return relative


# --- files --------------------------------------------------------------------------------------------


def _fsync_dir(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _write_atomically(destination: Path, source: IO[bytes]) -> None:
    """Copy `source` to `destination` through a temporary file beside it, fsynced, then renamed."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=destination.parent, prefix=f".{destination.name}.")
    try:
        with os.fdopen(descriptor, "wb") as out:
            shutil.copyfileobj(source, out, 1024 * 1024)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, destination)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def _archive_name(folder: Path) -> Path:
    stamp = timezone.now().astimezone(dt.UTC).strftime("%Y%m%d-%H%M%SZ")
    candidate = folder / f"{ARCHIVE_PREFIX}{stamp}{ARCHIVE_SUFFIX}"
    number = 2
    while candidate.exists():
        candidate = folder / f"{ARCHIVE_PREFIX}{stamp}-{number}{ARCHIVE_SUFFIX}"
        number += 1
    return candidate


# --- backup -------------------------------------------------------------------------------------------


def create_backup(output_dir: Path, *, progress: Progress = _quiet) -> Path:
    """Write one archive of the database and the uploaded files into `output_dir`; return its path."""
    vendor = database_vendor()
    if vendor not in DATABASE_MEMBERS:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    output_dir = Path(output_dir)
    try:
        output_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(f"Could not create the backup folder {output_dir}: {exc.strerror}.") from exc
    final = _archive_name(output_dir)
    partial = final.with_name(f".{final.name}.partial")
    try:
        with tempfile.TemporaryDirectory(dir=output_dir, prefix=".protutor-backup-") as work:
            database_file = Path(work) / DATABASE_MEMBERS[vendor]
            name = connection.settings_dict["NAME"]
            if vendor == "postgresql":
                progress(f"Dumping the PostgreSQL database {name} (pg_dump --format=custom)…")
                taken = dump_postgresql(database_file)
            else:
                progress(f"Copying the SQLite database {name} (online backup)…")
                connection.ensure_connection()
                taken = copy_sqlite(connection.connection, database_file)
            progress(
                f"  database: {human_size(database_file.stat().st_size)}, {len(taken.counts)} tables, "
                f"{sum(taken.counts.values())} rows"
            )
            # Media after the database: every file the dump refers to was already on disk.
            root = media_root()
            progress(f"Adding uploaded files from {root}…")
            descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "wb") as out:
                with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as archive:
                    archive.add(database_file, arcname=DATABASE_MEMBERS[vendor])
                    count, size = 0, 0
                    for path, arcname in media_files(root):
                        try:
                            archive.add(path, arcname=arcname, recursive=False)
                        except FileNotFoundError:
                            continue  # deleted since it was listed: nothing in the dump needs it
                        count += 1
                        size += path.stat().st_size if path.exists() else 0
                    progress(f"  media: {count} files, {human_size(size)}")
                    manifest = {
                        "format": FORMAT,
                        "format_version": FORMAT_VERSION,
                        "created_at": timezone.now().isoformat(),
                        "database_vendor": vendor,
                        "database_file": DATABASE_MEMBERS[vendor],
                        "app_version": app_version(),
                        "migrations": taken.migrations,
                        "table_counts": taken.counts,
                        "media_files": count,
                    }
                    body = json.dumps(manifest, indent=2, sort_keys=True).encode()
                    info = tarfile.TarInfo(MANIFEST)
                    info.size, info.mtime, info.mode = len(body), int(timezone.now().timestamp()), 0o600
                    archive.addfile(info, io.BytesIO(body))
                out.flush()
                os.fsync(out.fileno())
        os.replace(partial, final)
        _fsync_dir(output_dir)
    except OSError as exc:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
        raise BackupError(
            f"Could not write the backup in {output_dir}: {exc.strerror or exc}. No archive was written."
        ) from exc
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
        raise
    progress(f"Wrote {final} ({human_size(final.stat().st_size)}).")
    return final


def prune_backups(output_dir: Path, keep: int, *, progress: Progress = _quiet) -> list[Path]:
    """Delete all but the newest `keep` archives in `output_dir` (names sort by time)."""
    archives = sorted(Path(output_dir).glob(f"{ARCHIVE_PREFIX}*{ARCHIVE_SUFFIX}"))
    removed = archives[: max(len(archives) - keep, 0)]
    for path in removed:
        path.unlink()
        progress(f"Removed the older backup {path.name}.")
    return removed


# --- restore ------------------------------------------------------------------------------------------


def _member_file(archive: tarfile.TarFile, member: tarfile.TarInfo) -> IO[bytes]:
    handle = archive.extractfile(member)
    if handle is None:
        raise BackupError(f"The backup's {member.name} is not a file.")
    return handle


def read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        member = archive.getmember(MANIFEST)
    except KeyError:
        raise BackupError("This file is not a protutor backup: it has no manifest.json.") from None
    handle = _member_file(archive, member)
    try:
        manifest = json.load(handle)
    except ValueError:
        raise BackupError("The backup's manifest.json is damaged.") from None
    if manifest.get("format") != FORMAT:
        raise BackupError("This file is not a protutor backup.")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"This backup is in format {manifest.get('format_version')}; this version of protutor reads "
            f"format {FORMAT_VERSION}. Restore it with the protutor version that made it "
            f"({manifest.get('app_version')})."
        )
    return manifest


def open_archive(path: Path) -> tarfile.TarFile:
    try:
        return tarfile.open(path, mode="r:*")
    except FileNotFoundError:
        raise BackupError(f"There is no file {path}.") from None
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"{path} is not a readable backup archive: {exc}.") from exc


def restore_backup(path: Path, *, confirmed: bool, progress: Progress = _quiet) -> RestoreReport:
    """Put the database and the uploaded files back from an archive, then prove it worked."""
    with open_archive(Path(path)) as archive:
        manifest = read_manifest(archive)
        vendor = database_vendor()
        if manifest["database_vendor"] != vendor:
            raise BackupError(
                f"This backup holds a {manifest['database_vendor']} database, but DATABASE_URL points at "
                f"{vendor}. Restore it into a {manifest['database_vendor']} database."
            )
        progress(
            f"Backup made {manifest['created_at']} by protutor {manifest['app_version']}: "
            f"{len(manifest['table_counts'])} tables, {sum(manifest['table_counts'].values())} rows, "
            f"{manifest['media_files']} uploaded files."
        )
        existing = _existing_tables(vendor)
        if existing and not confirmed:
            raise BackupError(
                f"The database {connection.settings_dict['NAME']} already holds data ({len(existing)} tables). "
                "Restoring replaces all of it: take a backup of it first, then run the restore again with --yes."
            )
        member = archive.getmember(manifest["database_file"])
        _check_media_names(archive)
        report = RestoreReport(manifest=manifest)
        if vendor == "postgresql":
            _restore_postgresql(archive, member, progress)
        else:
            report.kept_database = _restore_sqlite(
                archive, member, had_data=bool(existing), progress=progress
            )
        report.media_files = _restore_media(archive, progress)
    _verify(report, progress)
    return report


def _existing_tables(vendor: str) -> list[str]:
    if vendor == "sqlite" and not _is_memory(str(connection.settings_dict["NAME"])):
        target = Path(connection.settings_dict["NAME"])
        # Connecting would create the file (and fail if its folder is missing): a fresh restore needs neither.
        if not target.exists() or target.stat().st_size == 0:
            return []
    return database_tables()


def _restore_postgresql(archive: tarfile.TarFile, member: tarfile.TarInfo, progress: Progress) -> None:
    progress(f"Restoring the PostgreSQL database {connection.settings_dict['NAME']} (pg_restore)…")
    settings_dict = dict(connection.settings_dict)
    connection.close()
    with tempfile.TemporaryDirectory(prefix="protutor-restore-") as work:
        dump = Path(work) / member.name
        with _member_file(archive, member) as source, open(dump, "wb") as out:
            shutil.copyfileobj(source, out, 1024 * 1024)
        pg_restore(settings_dict, dump)


def _restore_sqlite(archive, member, *, had_data: bool, progress: Progress) -> Path | None:
    target = sqlite_path()
    progress(f"Restoring the SQLite database {target}…")
    connection.close()
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.restore-")
    kept = None
    try:
        with os.fdopen(descriptor, "wb") as out, _member_file(archive, member) as source:
            shutil.copyfileobj(source, out, 1024 * 1024)
            out.flush()
            os.fsync(out.fileno())
        check = sqlite3.connect(temporary)
        try:
            result = check.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            check.close()
        if result != "ok":
            raise BackupError(f"The database in the backup is damaged (SQLite says: {result}).")
        if target.exists():
            _release_sqlite(target)
            if had_data:
                stamp = timezone.now().astimezone(dt.UTC).strftime("%Y%m%d-%H%M%SZ")
                kept = target.with_name(f"{target.name}.before-restore-{stamp}")
                os.link(target, kept)
        os.replace(temporary, target)
        _fsync_dir(target.parent)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    if kept:
        progress(f"  the database it replaced is kept as {kept}")
    return kept


def _release_sqlite(target: Path) -> None:
    """Fold the old file's write-ahead log into it and drop the -wal, so the new file never meets it.

    Leaving WAL mode needs the only connection: if the web or worker processes still hold the file,
    this fails and the restore stops before touching anything.
    """
    old = sqlite3.connect(target, timeout=5)
    try:
        old.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        mode = old.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
    except sqlite3.OperationalError as exc:
        mode = str(exc)
    finally:
        old.close()
    if mode != "delete":
        raise BackupError(
            f"The database {target} is in use. Stop the web and worker processes "
            "(systemctl stop protutor-web protutor-worker), then restore."
        )
    for suffix in ("-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(f"{target}{suffix}")


def _check_media_names(archive: tarfile.TarFile) -> None:
    """Refuse an archive with a file that would land outside MEDIA_ROOT, before anything is changed."""
    for member in archive.getmembers():
        if member.name.startswith(MEDIA_PREFIX) and (
            _safe_media_name(member.name) is None or not member.isfile()
        ):
            raise BackupError(
                f"The backup holds an unsafe file name ({member.name!r}); nothing was restored."
            )


def _restore_media(archive: tarfile.TarFile, progress: Progress) -> int:
    root = media_root()
    progress(f"Restoring uploaded files into {root}…")
    count = 0
    for member in archive:
        if not member.name.startswith(MEDIA_PREFIX):
            continue
        relative = _safe_media_name(member.name)
        if relative is None or not member.isfile():
            raise BackupError(
                f"The backup holds an unsafe file name ({member.name!r}); nothing more was restored."
            )
        with _member_file(archive, member) as source:
            _write_atomically(root.joinpath(*relative.parts), source)
        count += 1
    progress(f"  media: {count} files")
    return count


def _verify(report: RestoreReport, progress: Progress) -> None:
    from django.db.migrations.executor import MigrationExecutor

    manifest = report.manifest
    progress("Checking the restored database…")
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            tables = _sqlite_tables(cursor)
            quote = _sqlite_quote
        else:
            tables = connection.introspection.table_names(cursor)
            quote = connection.ops.quote_name
        expected = manifest["table_counts"]
        missing = sorted(set(expected) - set(tables))
        if missing:
            raise BackupError(
                f"The restore is incomplete: {len(missing)} tables are missing ({', '.join(missing[:5])})."
            )
        counts = _count_rows(cursor, sorted(expected), quote)
        applied = _applied(cursor, tables)
    differ = {
        table: (expected[table], counts[table]) for table in expected if counts[table] != expected[table]
    }
    if differ:
        listed = ", ".join(f"{table} {want}→{got}" for table, (want, got) in sorted(differ.items())[:5])
        raise BackupError(
            f"The restored row counts differ from the backup's in {len(differ)} tables: {listed}."
        )
    report.tables, report.rows = len(counts), sum(counts.values())
    progress(f"  {report.tables} tables, {report.rows} rows: every row in the backup is back")
    if applied != manifest["migrations"]:
        raise BackupError("The restored migration history differs from the backup's manifest.")
    executor = MigrationExecutor(connection)
    known = set(executor.loader.graph.nodes)
    report.unknown_migrations = sorted(
        f"{app}.{name}" for app, name in executor.loader.applied_migrations if (app, name) not in known
    )
    report.unapplied_migrations = [
        f"{migration.app_label}.{migration.name}"
        for migration, _ in executor.migration_plan(executor.loader.graph.leaf_nodes())
    ]
    _verify_encryption(report, tables, quote)
    progress(
        f"  encrypted text: {report.encrypted_values} values in {report.encrypted_columns} columns checked"
    )


def _verify_encryption(report: RestoreReport, tables: list[str], quote) -> None:
    fernet = crypto.fernet()
    present = set(tables)
    for model, column in crypto.encrypted_columns():
        table = model._meta.db_table
        if table not in present:
            continue
        report.encrypted_columns += 1
        unreadable = 0
        try:
            with connection.cursor() as cursor:
                cursor.execute(
                    # Identifiers come from model metadata and are quoted.
                    f"SELECT {quote(column)} FROM {quote(table)} WHERE {quote(column)} IS NOT NULL"  # noqa: S608
                )
                while rows := cursor.fetchmany(1000):
                    for (token,) in rows:
                        if not token:
                            continue
                        report.encrypted_values += 1
                        try:
                            fernet.decrypt(token.encode("ascii"))
                        except (InvalidToken, UnicodeEncodeError):
                            unreadable += 1
        except DatabaseError as exc:
            raise BackupError(f"Could not read {table}.{column}: {exc}.") from exc
        if unreadable:
            report.unreadable[f"{model._meta.label}.{column}"] = unreadable
