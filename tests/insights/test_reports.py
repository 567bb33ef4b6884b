"""The termly impact report: built in the background to a PDF, emailed as a link without figures, and
queued by the scheduled command once per term."""

import re

from django.core.management import call_command
from django.urls import reverse

from protutor.insights.models import ImpactReport
from protutor.insights.reports import render_report_html
from protutor.insights.tasks import build_impact_report, queue_report
from tests.factories.insights import cohort, previous_year
from tests.notifications import updates


def test_build_stores_pdf_and_emails_a_link_only(programme_lead, college, year, department, mailoutbox):
    cohort(year, department, female=(20, 20, 17), male=(30, 30, 27))
    report = ImpactReport.objects.create(institution=college, term=year.terms.get(number=1))
    assert build_impact_report.call(report.pk) == ImpactReport.Status.READY
    report.refresh_from_db()
    assert bytes(report.pdf).startswith(b"%PDF")
    assert report.built_at is not None and report.emailed_at is not None
    [email] = mailoutbox
    assert email.to == [programme_lead.email]
    assert updates(mailoutbox) == [
        (
            [programme_lead.email],
            "The autumn term impact report is ready to read or download.",
            reverse("insights:report", args=[report.pk]),
        )
    ]
    assert "%" not in email.body and "Mathematics" not in email.body and "Priya" not in email.body


def test_report_holds_outcomes_and_programme_figures(programme_lead, college, year, department):
    last = previous_year(year)
    cohort(last, department, female=(20, 18, 12), male=(30, 27, 24))
    cohort(year, department, female=(20, 20, 17), male=(30, 30, 27))
    report = ImpactReport.objects.create(institution=college, term=year.terms.get(number=1))
    html = render_report_html(programme_lead.user, report)
    assert "+17.2 points: narrowed" in html
    assert "CPD coverage and hours" in html
    assert "style=" not in re.sub(r"<style>.*?</style>", "", html, flags=re.S)


def test_build_now_queues_and_builds(
    client_for, programme_lead, college, year, django_capture_on_commit_callbacks
):
    term = year.terms.get(number=1)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(programme_lead).post(reverse("insights:report-build"), {"term": term.pk})
    assert response.status_code == 302
    report = ImpactReport.objects.get(institution=college, term=term)
    assert report.status == ImpactReport.Status.READY
    pdf = client_for(programme_lead).get(reverse("insights:report-pdf", args=[report.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_build_now_without_term_shows_error(client_for, programme_lead, year):
    response = client_for(programme_lead).post(reverse("insights:report-build"), {})
    assert response.status_code == 400
    assert "Select the term to report on" in response.content.decode()


def test_queue_report_twice_builds_once(programme_lead, college, year, django_capture_on_commit_callbacks):
    term = year.terms.get(number=1)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = queue_report(college, term)
        second = queue_report(college, term)
    assert (first[1], second[1], len(callbacks)) == (True, False, 1)


def test_command_queues_the_term_just_ended_once(
    programme_lead, college, year, django_capture_on_commit_callbacks
):
    last = previous_year(year)
    summer = last.terms.get(number=3)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_impact_reports", days=400)
    assert list(ImpactReport.objects.values_list("term", "status")) == [
        (summer.pk, ImpactReport.Status.READY)
    ]
    call_command("send_impact_reports", days=400)
    assert ImpactReport.objects.count() == 1


def test_command_ignores_terms_ended_long_ago(programme_lead, college, year):
    previous_year(year)
    call_command("send_impact_reports", days=1)
    assert ImpactReport.objects.count() == 0
