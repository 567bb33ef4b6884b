"""Library records, made through the services so tests exercise the real paths; and small files of each
kind, real or lying about what they are, for the upload checks."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from protutor.resources import services
from protutor.resources.demo import simple_pdf
from protutor.resources.uploads import OOXML_MAIN

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"


def ooxml(ending: str, *, main: str | None = None) -> bytes:
    """A minimal Office Open XML package whose content types name `ending`'s main part."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            f'<Override PartName="/main.xml" ContentType="{main or OOXML_MAIN[ending]}"/></Types>',
        )
        archive.writestr("main.xml", "<document/>")
    return buffer.getvalue()


def upload(name: str, content: bytes | None = None, content_type: str = "application/octet-stream"):
    if content is None:
        content = simple_pdf("A guide") if name.endswith(".pdf") else b"plain words\n"
    return SimpleUploadedFile(name, content, content_type=content_type)


def publish(staff, *, title="Questioning that makes everyone think", **kwargs):
    kwargs.setdefault("url", "https://example.org/questioning")
    kwargs.setdefault("summary", "Wait time, no hands up and hinge questions.")
    return services.publish_resource(actor=staff.user, title=title, **kwargs)


def revise(resource, staff, **kwargs):
    values = {
        "title": resource.title,
        "summary": resource.description,
        "url": resource.url,
        "format": resource.format,
        "tags": resource.tags,
        "change_note": "Updated",
    }
    values.update(kwargs)
    return services.revise_resource(resource, actor=staff.user, **values)
