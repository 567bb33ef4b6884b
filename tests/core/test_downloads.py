"""Every download, uploaded or generated, is served as an attachment with a sandboxing CSP and nosniff, from
one helper (core.exports.attachment): a file that is a PDF and an HTML page at once is never shown inline."""

import re
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.urls import reverse

import protutor
from protutor.core.exports import DOWNLOAD_CSP, attachment
from protutor.resources.demo import simple_pdf
from tests.factories.resources import publish, upload

ROOT = Path(protutor.__file__).parent


def test_attachment_sets_the_headers_and_encodes_any_file_name():
    response = attachment(HttpResponse(b"x"), 'Année "1"\r\n.pdf')
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    assert "\r" not in response["Content-Disposition"] and "\n" not in response["Content-Disposition"]
    assert response["Content-Security-Policy"] == DOWNLOAD_CSP == "sandbox; default-src 'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


def test_no_view_sets_its_own_content_disposition_or_serves_a_file_itself():
    """A download made any other way would miss the sandbox: every one goes through core.exports."""
    offenders = []
    for path in ROOT.rglob("*.py"):
        if path.name == "exports.py" and path.parent.name == "core":
            continue
        text = path.read_text()
        if re.search(r"Content-Disposition|FileResponse\(|as_attachment", text):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


@pytest.mark.django_db
def test_a_file_that_is_a_pdf_and_a_web_page_is_downloaded_never_shown(client_for, tutor, teacher):
    polyglot = simple_pdf("A guide") + b"<html><body><script>alert(document.cookie)</script></body></html>"
    resource = publish(tutor, title="Polyglot", file=upload("guide.pdf", polyglot))
    response = client_for(teacher).get(reverse("resources:version-download", args=[resource.pk, 1]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="guide.pdf"'
    assert response["Content-Security-Policy"] == DOWNLOAD_CSP
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_the_personal_data_download_is_a_sandboxed_attachment(client_for, teacher):
    response = client_for(teacher).get(reverse("people:my-data-download"))
    assert response["Content-Disposition"] == 'attachment; filename="protutor-my-data.zip"'
    assert response["Content-Security-Policy"] == DOWNLOAD_CSP
    assert response["X-Content-Type-Options"] == "nosniff"
