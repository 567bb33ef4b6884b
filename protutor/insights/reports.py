"""The termly impact report: the dashboard, outcomes and surveys for one term, as one printable page and a
PDF (WeasyPrint, from the same template). Built in the background by tasks.build_impact_report."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from protutor.core.exports import _fetch_nothing
from protutor.insights.dashboard import View, programme_tables
from protutor.insights.outcomes import outcome_tables
from protutor.insights.surveys import survey_tables
from protutor.people.models import AcademicYear, Role, RoleAssignment


def years_up_to(year, count: int = 2) -> list:
    earlier = list(
        AcademicYear.objects.filter(institution_id=year.institution_id, starts_on__lte=year.starts_on)
        .order_by("-starts_on")
        .prefetch_related("terms")[:count]
    )
    return list(reversed(earlier))


def report_tables(user, institution, term) -> dict:
    year = term.academic_year
    years = years_up_to(year)
    view = View(institution=institution, department=None, whole_institution=True)
    years_terms = [(y, list(y.terms.all())) for y in years]
    return {
        "programme": programme_tables(user, view, years_terms, term=term),
        "outcomes": outcome_tables(user, institution, years),
        "surveys": survey_tables(user, institution, years),
    }


def programme_leads(institution) -> list:
    """The users who lead the programme at `institution` today."""
    return [
        a.staff.user
        for a in RoleAssignment.objects.in_force()
        .filter(role=Role.PROGRAMME_LEAD, institution=institution)
        .select_related("staff__user")
    ]


def render_report_html(user, report) -> str:
    context = {
        "report": report,
        "institution": report.institution,
        "term": report.term,
        "generated_at": timezone.now(),
        **report_tables(user, report.institution, report.term),
    }
    return render_to_string("insights/report.pdf.html", context)


def render_report_pdf(user, report) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_report_html(user, report), url_fetcher=_fetch_nothing).write_pdf()
