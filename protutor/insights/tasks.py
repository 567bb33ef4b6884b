"""Background work for the impact reports: build the PDF, store it, tell the programme leads.

Queued by the "Build now" button and by `protutor send_impact_reports` (run daily from a timer). The leads
are told there is an update (protutor/core/notify.py): no figures, no names (DESIGN.md section 7).
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from protutor.core.notify import notify
from protutor.insights.models import ImpactReport
from protutor.insights.reports import programme_leads, render_report_pdf

logger = logging.getLogger(__name__)


@task()
def build_impact_report(report_id: int) -> str:
    report = ImpactReport.objects.select_related("institution", "term__academic_year", "requested_by").get(
        pk=report_id
    )
    leads = programme_leads(report.institution)
    builder = report.requested_by if report.requested_by in leads else (leads[0] if leads else None)
    if builder is None:
        report.status = ImpactReport.Status.FAILED
        report.save(update_fields=["status"])
        logger.warning("Impact report %s not built: the institution has no programme lead", report.pk)
        return report.status
    try:
        pdf = render_report_pdf(builder, report)
    except Exception:
        logger.exception("Impact report %s could not be built", report.pk)
        report.status = ImpactReport.Status.FAILED
        report.save(update_fields=["status"])
        return report.status
    with transaction.atomic():
        report.pdf = pdf
        report.status = ImpactReport.Status.READY
        report.built_at = timezone.now()
        report.save(update_fields=["pdf", "status", "built_at"])
    term = report.term.get_name_display().lower()
    sent = notify(
        leads,
        message=f"The {term} term impact report is ready to read or download.",
        path=reverse("insights:report", args=[report.pk]),
    )
    if sent:
        report.emailed_at = timezone.now()
        report.save(update_fields=["emailed_at"])
    return report.status


def queue_report(institution, term, *, requested_by=None) -> tuple[ImpactReport, bool]:
    """Create the term's report if there is none (or rebuild a failed one) and queue the build after
    commit. Returns the report and whether a build was queued."""
    report, created = ImpactReport.objects.get_or_create(
        institution=institution, term=term, defaults={"requested_by": requested_by}
    )
    if not created and report.status == ImpactReport.Status.QUEUED:
        return report, False
    if not created:
        report.status = ImpactReport.Status.QUEUED
        report.requested_by = requested_by or report.requested_by
        report.save(update_fields=["status", "requested_by"])
    transaction.on_commit(lambda: build_impact_report.enqueue(report.pk))
    return report, True
