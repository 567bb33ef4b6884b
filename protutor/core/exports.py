"""Downloads: CSV that a spreadsheet cannot mistake for formulas, and PDF made from the same HTML
templates as the pages (WeasyPrint). Both are built from rows the caller fetched through a scope.

Every download, generated or uploaded, leaves through `attachment` (or `file_response`, for a stored file):
saved, never shown in the browser's window. A file that is two things at once (a PDF that is also HTML, an
image with script in it) is then never run as a page of protutor: the browser is told not to guess its type
(`nosniff`) and, if it opens it anyway, to open it sandboxed with nothing allowed."""

from __future__ import annotations

import csv
from collections.abc import Iterable

from django.http import FileResponse, HttpResponse
from django.http.response import HttpResponseBase
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header

# A cell starting with one of these is read as a formula by spreadsheets (CSV injection, OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


# What a download may do if a browser opens it: nothing (no script, no plugin, no same-origin access).
DOWNLOAD_CSP = "sandbox; default-src 'none'"


def attachment(response: HttpResponseBase, filename: str) -> HttpResponseBase:
    """Mark `response` as a file to save as `filename` (any characters: it is encoded as RFC 6266 says),
    with the headers that stop a browser running it as a page."""
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    response["Content-Security-Policy"] = DOWNLOAD_CSP
    response["X-Content-Type-Options"] = "nosniff"
    if "Cache-Control" not in response:
        response["Cache-Control"] = "private, no-store"
    return response


def file_response(handle, *, filename: str, content_type: str) -> FileResponse:
    """A stored (uploaded) file, streamed as an attachment (see `attachment`)."""
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    attachment(response, filename)
    return response


def csv_response(filename: str, rows: Iterable[Iterable]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    attachment(response, filename)
    writer = csv.writer(response)
    for row in rows:
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    return response


def _fetch_nothing(url: str, *args, **kwargs):
    """Print templates carry their own styles; a PDF build never fetches anything (no SSRF, no leaks)."""
    raise ValueError(f"PDF templates may not load {url}")


def pdf_response(request, template: str, context: dict, filename: str) -> HttpResponse:
    """Render `template` to PDF. WeasyPrint is imported here, so pages that never print don't load it."""
    from weasyprint import HTML

    html = render_to_string(template, context, request=request)
    pdf = HTML(string=html, url_fetcher=_fetch_nothing).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    attachment(response, filename)
    return response
