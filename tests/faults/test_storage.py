"""A full disk or a read-only media folder: the person saving sees a clear error on the form, and no record is
left pointing at a file that was never written; /health/ reports the storage probe failing; a backup into a
full folder says so and leaves no partial archive.

The faults are real where the machine allows: a 64 KiB tmpfs filled to the last byte, and a tmpfs mounted
read-only (root ignores file modes, not a read-only mount). Where mounting is not permitted the storage's
write is patched to raise the same OSError, so the app's handling is still tested."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from protutor.resources.models import Resource, ResourceVersion
from tests import pages
from tests.factories.resources import upload

pytestmark = [pytest.mark.faults, pytest.mark.django_db]
CREATE = reverse("resources:resource-create")
STRERROR = {errno.ENOSPC: "No space left on device", errno.EROFS: "Read-only file system"}


def _mount(folder: Path, options: str) -> bool:
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True, check=False
    )
    return done.returncode == 0


def _fill(folder: Path) -> None:
    """Write until the file system refuses the next byte."""
    with (
        open(folder / "filler", "wb", buffering=0) as filler,
        pytest.raises(OSError, match="No space left on device"),
    ):
        while True:
            filler.write(b"\0" * 4096)


@pytest.fixture(params=[errno.ENOSPC, errno.EROFS], ids=["full-disk", "read-only"])
def broken_folder(request, tmp_path, monkeypatch):
    """A folder whose file system refuses writes with ENOSPC or EROFS; yields (folder, strerror)."""
    code = request.param
    folder = tmp_path / "broken"
    mounted = _mount(folder, "size=64k,mode=0755" if code == errno.ENOSPC else "ro,size=64k,mode=0755")
    if mounted:
        request.addfinalizer(lambda: subprocess.run(["umount", "-l", str(folder)], check=False))
        if code == errno.ENOSPC:
            _fill(folder)
    else:

        def refuse(self, name, content):
            raise OSError(code, STRERROR[code], name)

        monkeypatch.setattr(FileSystemStorage, "_save", refuse)
    return folder, STRERROR[code]


def files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file() and p.name != "filler")


def test_publishing_a_file_to_broken_storage_is_an_error_on_the_file_and_saves_nothing(
    broken_folder, settings, client_for, tutor
):
    folder, _ = broken_folder
    settings.MEDIA_ROOT = folder
    response = client_for(tutor).post(
        CREATE,
        {
            "title": "Hinge questions",
            "format": "guide",
            "summary": "One question.",
            "file": upload("hinge.pdf"),
        },
    )
    assert response.status_code == 200
    assert pages.title(response).startswith("Error: ")
    assert pages.error_summary(response) == [
        (
            "#id_file",
            "The file could not be saved. Try again later, or tell your administrator that file storage is"
            " full or read-only",
        )
    ]
    # The other answers are kept, so nothing typed is lost.
    assert response.context["form"]["title"].value() == "Hinge questions"
    assert not Resource.objects.exists()
    assert not ResourceVersion.objects.exists()


def test_a_failed_upload_to_a_full_disk_leaves_no_partial_file(tmp_path, settings, client_for, tutor):
    folder = tmp_path / "full"
    if not _mount(folder, "size=64k,mode=0755"):
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    try:
        _fill(folder)
        settings.MEDIA_ROOT = folder
        client_for(tutor).post(
            CREATE, {"title": "Hinge", "format": "guide", "summary": "S", "file": upload("hinge.pdf")}
        )
        assert files_under(folder) == []
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_health_reports_the_storage_probe_failing_with_the_reason(broken_folder, settings, client):
    folder, reason = broken_folder
    settings.MEDIA_ROOT = folder
    response = client.get(reverse("health"), {"checks": "database,storage"})
    assert response.status_code == 503
    assert response.json()["checks"]["storage"] == {"status": "fail", "error": reason}
    assert response.json()["checks"]["database"]["status"] == "ok"


@pytest.fixture
def full_backup_folder(tmp_path, settings):
    folder = tmp_path / "backups"
    if not _mount(folder, "size=64k,mode=0700"):
        pytest.skip("cannot mount a small tmpfs here (needs root): a full backup folder cannot be made")
    settings.MEDIA_ROOT = tmp_path / "media"
    _fill(folder)
    yield folder
    subprocess.run(["umount", "-l", str(folder)], check=False)


# Transactional: the SQLite copy must not run inside the test's own open transaction.
@pytest.mark.django_db(transaction=True)
def test_a_backup_into_a_full_folder_fails_and_leaves_no_partial_archive(full_backup_folder):
    with pytest.raises(Exception):  # noqa: B017  (which exception is the next test's concern)
        call_command("backup", f"--output={full_backup_folder}", stdout=StringIO())
    assert [p.name for p in full_backup_folder.iterdir()] == ["filler"]


@pytest.mark.django_db(transaction=True)
def test_a_backup_into_a_full_folder_says_the_disk_is_full(full_backup_folder):
    with pytest.raises(CommandError, match=r"No space left on device|disk is full|space"):
        call_command("backup", f"--output={full_backup_folder}", stdout=StringIO())
