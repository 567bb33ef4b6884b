"""Downloads: CSV that a spreadsheet cannot mistake for formulas, and PDF made from the same HTML
templates as the pages (WeasyPrint). Both are built from rows the caller fetched through a scope."""

from __future__ import annotations

import csv
from collections.abc import Iterable

from django.http import HttpResponse
from django.template.loader import render_to_string

# A cell starting with one of these is read as a formula by spreadsheets (CSV injection, OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def csv_response(filename: str, rows: Iterable[Iterable]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
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
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
