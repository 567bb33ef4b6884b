"""What a library file may be: size, kind, and content that really is that kind."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError

from protutor.resources.demo import simple_pdf
from protutor.resources.uploads import check_upload
from tests.factories.resources import PNG, ooxml, upload


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("guide.pdf", simple_pdf("Guide"), "application/pdf"),
        (
            "handout.docx",
            ooxml("docx"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "slides.pptx",
            ooxml("pptx"),
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        ("tracker.xlsx", ooxml("xlsx"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("diagram.png", PNG, "image/png"),
        ("notes.txt", "Thinking time – five seconds\n".encode(), "text/plain; charset=utf-8"),
        ("register.csv", b"name,attended\nTess,yes\n", "text/csv; charset=utf-8"),
    ],
)
def test_check_upload_accepts_real_files(name, content, content_type):
    assert check_upload(upload(name, content)).content_type == content_type


def odt(mimetype=b"application/vnd.oasis.opendocument.text"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", mimetype)
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def test_check_upload_accepts_an_open_document_and_refuses_a_spreadsheet_renamed():
    assert check_upload(upload("notes.odt", odt())).content_type == "application/vnd.oasis.opendocument.text"
    [message] = messages_of("notes.odt", odt(b"application/vnd.oasis.opendocument.spreadsheet"))
    assert message.startswith("The selected file is not a real OpenDocument text file")


def test_check_upload_accepts_a_real_jpeg():
    jpeg = (
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 32 + b"\xff\xd9"
    )
    assert check_upload(upload("photo.jpg", jpeg)).content_type == "image/jpeg"


def messages_of(name, content):
    with pytest.raises(ValidationError) as caught:
        check_upload(upload(name, content))
    return caught.value.messages


def test_check_upload_refuses_a_type_not_allowed():
    assert messages_of("installer.exe", b"MZ\x90\x00" + b"\x00" * 60) == [
        "The file must be a PDF, Word, PowerPoint, Excel, OpenDocument text, PNG image, JPEG image, plain text"
        " or CSV file"
    ]


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("guide.pdf", b"MZ\x90\x00this is a program" + b"\x00" * 60, "PDF"),
        ("guide.pdf", b"just some words, not a PDF", "PDF"),
        ("photo.png", simple_pdf("Not a picture"), "PNG image"),
        # A Word document renamed to look like slides: the zip says which kind it really is.
        ("slides.pptx", ooxml("docx"), "PowerPoint"),
        ("handout.docx", b"PK\x03\x04 not really a zip", "Word"),
        ("notes.txt", PNG, "plain text"),
        ("notes.txt", "café".encode("latin-1"), "plain text"),
    ],
)
def test_check_upload_refuses_content_that_lies_about_its_type(name, content, kind):
    [message] = messages_of(name, content)
    assert message.startswith(f"The selected file is not a real {kind} file")


def test_check_upload_refuses_a_file_over_the_limit(settings):
    settings.PROTUTOR_UPLOAD_MAX_BYTES = 1024
    assert messages_of("guide.pdf", simple_pdf("x") + b"%" * 2000) == [
        "The file must be smaller than 1.0\xa0KB"
    ]


def test_check_upload_refuses_an_empty_file():
    assert messages_of("guide.pdf", b"") == ["The selected file is empty"]


def test_check_upload_types_come_from_settings(settings):
    settings.PROTUTOR_UPLOAD_TYPES = ["pdf"]
    assert check_upload(upload("guide.pdf")).content_type == "application/pdf"
    assert messages_of("diagram.png", PNG) == ["The file must be a PDF file"]


def zip_bomb(ending: str, part: str, unpacked: int) -> bytes:
    """An Office-looking zip whose checked part unpacks to `unpacked` bytes from a few kilobytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open(part, "w", force_zip64=True) as entry:
            chunk = b" " * (1024 * 1024)
            for _ in range(unpacked // len(chunk)):
                entry.write(chunk)
        archive.writestr("main.xml", "<document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "part", "kind"),
    [("handout.docx", "[Content_Types].xml", "Word"), ("notes.odt", "mimetype", "OpenDocument text")],
)
def test_check_upload_refuses_a_zip_bomb_without_unpacking_it(name, part, kind):
    content = zip_bomb(name.rsplit(".", 1)[1], part, 64 * 1024 * 1024)
    assert len(content) < 200_000
    [message] = messages_of(name, content)
    assert message.startswith(
        f"The selected file cannot be a real {kind} file: part of it unpacks to more than 1.0\xa0MB"
    )


def test_reading_a_zip_part_stops_at_the_cap_whatever_size_it_declares(monkeypatch):
    from protutor.resources import uploads

    monkeypatch.setattr(uploads, "MAX_ZIP_ENTRY_BYTES", 50)
    archive = zipfile.ZipFile(io.BytesIO(ooxml("docx")))
    with pytest.raises(uploads.ZipBomb):
        uploads._read_entry(archive, "[Content_Types].xml")
    monkeypatch.setattr(uploads, "MAX_ZIP_ENTRY_BYTES", 100_000)
    assert b"Types" in uploads._read_entry(archive, "[Content_Types].xml")
