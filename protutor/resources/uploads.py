"""What a library file may be: its size, its kind, and whether its content really is that kind.

The limits come from settings, read here only: `PROTUTOR_UPLOAD_MAX_BYTES` (default 20 MB) and
`PROTUTOR_UPLOAD_TYPES` (file name endings, default below). The content is checked with puremagic, and
an Office file's zip must hold the `[Content_Types].xml` part of its kind, so a renamed file is refused.
Only a small part of that zip is ever unpacked, and at most `MAX_ZIP_ENTRY_BYTES` of it: a zip bomb (a few
kilobytes that unpack to gigabytes) is refused, not unpacked into memory. Every file is downloaded as an
attachment (core.exports.attachment), never shown in the browser's window.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass

import puremagic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

OOXML_MAIN = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}


@dataclass(frozen=True)
class FileKind:
    label: str
    content_type: str
    # How the content is recognised: "magic" (puremagic names this ending), "ooxml", "odf" or "text".
    check: str


KINDS = {
    "pdf": FileKind("PDF", "application/pdf", "magic"),
    "docx": FileKind(
        "Word", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "ooxml"
    ),
    "pptx": FileKind(
        "PowerPoint", "application/vnd.openxmlformats-officedocument.presentationml.presentation", "ooxml"
    ),
    "xlsx": FileKind("Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "ooxml"),
    "odt": FileKind("OpenDocument text", "application/vnd.oasis.opendocument.text", "odf"),
    "png": FileKind("PNG image", "image/png", "magic"),
    "jpg": FileKind("JPEG image", "image/jpeg", "magic"),
    "jpeg": FileKind("JPEG image", "image/jpeg", "magic"),
    "txt": FileKind("plain text", "text/plain; charset=utf-8", "text"),
    "csv": FileKind("CSV", "text/csv; charset=utf-8", "text"),
}
DEFAULT_TYPES = ("pdf", "docx", "pptx", "xlsx", "odt", "png", "jpg", "jpeg", "txt", "csv")
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# The parts of an Office file that are read to check it ("mimetype", "[Content_Types].xml") are a few
# kilobytes; one that unpacks to more than this is not an Office file.
MAX_ZIP_ENTRY_BYTES = 1024 * 1024


class ZipBomb(Exception):
    """A part of the zip unpacks to more than MAX_ZIP_ENTRY_BYTES."""


def _read_entry(archive: zipfile.ZipFile, name: str) -> bytes:
    """A zip entry's content, unpacking at most MAX_ZIP_ENTRY_BYTES (the size the zip declares can lie)."""
    if archive.getinfo(name).file_size > MAX_ZIP_ENTRY_BYTES:
        raise ZipBomb(name)
    with archive.open(name) as entry:
        data = entry.read(MAX_ZIP_ENTRY_BYTES + 1)
    if len(data) > MAX_ZIP_ENTRY_BYTES:
        raise ZipBomb(name)
    return data


def max_bytes() -> int:
    return int(getattr(settings, "PROTUTOR_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES))


def allowed_types() -> list[str]:
    endings = getattr(settings, "PROTUTOR_UPLOAD_TYPES", DEFAULT_TYPES)
    return [ending.lower().lstrip(".") for ending in endings if ending.lower().lstrip(".") in KINDS]


def allowed_description() -> str:
    labels: list[str] = []
    for ending in allowed_types():
        if KINDS[ending].label not in labels:
            labels.append(KINDS[ending].label)
    if len(labels) == 1:
        return labels[0]
    return ", ".join(labels[:-1]) + " or " + labels[-1]


def kind_of(name: str) -> FileKind | None:
    ending = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return KINDS.get(ending) if ending in allowed_types() else None


def _wrong_kind() -> ValidationError:
    return ValidationError(f"The file must be a {allowed_description()} file", code="file_type")


def _zip_names(data: bytes) -> tuple[zipfile.ZipFile, list[str]] | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        return archive, archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return None


def _content_matches(ending: str, kind: FileKind, data: bytes) -> bool:
    if kind.check == "text":
        if b"\x00" in data:
            return False
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return True
    if kind.check in ("ooxml", "odf"):
        opened = _zip_names(data)
        if opened is None:
            return False
        archive, names = opened
        try:
            if kind.check == "odf":
                return (
                    "mimetype" in names
                    and _read_entry(archive, "mimetype").strip() == kind.content_type.encode()
                )
            if "[Content_Types].xml" not in names:
                return False
            return OOXML_MAIN[ending].encode() in _read_entry(archive, "[Content_Types].xml")
        except (
            KeyError,
            zipfile.BadZipFile,
            OSError,
            RuntimeError,
            EOFError,
            NotImplementedError,
            zlib.error,
        ):
            return False
    try:
        found = puremagic.magic_stream(io.BytesIO(data))
    except puremagic.PureError:
        return False
    wanted = {".jpg", ".jpeg", ".jpe", ".jfif"} if ending in ("jpg", "jpeg") else {f".{ending}"}
    return any(match.extension.lower() in wanted and match.confidence > 0 for match in found)


def check_upload(upload) -> FileKind:
    """The kind of an uploaded file, or a ValidationError in GOV.UK wording naming what is wrong."""
    if upload.size == 0:
        raise ValidationError("The selected file is empty", code="empty")
    if upload.size > max_bytes():
        raise ValidationError(
            f"The file must be smaller than {filesizeformat(max_bytes())}", code="file_size"
        )
    kind = kind_of(upload.name)
    if kind is None:
        raise _wrong_kind()
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    ending = upload.name.rsplit(".", 1)[-1].lower()
    try:
        matches = _content_matches(ending, kind, data)
    except ZipBomb:
        raise ValidationError(
            f"The selected file cannot be a real {kind.label} file: part of it unpacks to more than "
            f"{filesizeformat(MAX_ZIP_ENTRY_BYTES)}, which is how a 'zip bomb' is made. Save the document "
            f"again from {kind.label} and upload the new copy",
            code="file_content",
        ) from None
    if not matches:
        raise ValidationError(
            f"The selected file is not a real {kind.label} file: its content does not match its name."
            f" The file must be a {allowed_description()} file",
            code="file_content",
        )
    return kind
