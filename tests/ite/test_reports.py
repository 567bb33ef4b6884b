"""The intern's record for the provider, as CSV and PDF: what is in it, who may download it, and that
a spreadsheet cannot take a cell for a formula."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from protutor.audit.models import AccessRecord
from protutor.ite.models import CauseForConcern, Judgement, PdpAttendance, PdpSession, PdpTopic
from tests.factories.ite import MentorMeetingFactory, ReferencePointFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_record(intern_record, mentor, ite_tutor, standards):
    ts1 = standards.get(framework__code="TS", number="1")
    meeting = MentorMeetingFactory(
        intern=intern_record,
        mentor=mentor,
        held_on=timezone.localdate() - dt.timedelta(days=3),
        targets_set='=HYPERLINK("http://evil")',
        intern_comment="Useful week",
    )
    meeting.standards.set([ts1])
    point = ReferencePointFactory(programme=intern_record.programme, number=1, name="ARP 1")
    Judgement.objects.create(
        intern=intern_record,
        reference_point=point,
        standard=ts1,
        grade="meeting",
        evidence="Calm routines seen twice",
        recorded_by=mentor,
    )
    concern = CauseForConcern.objects.create(
        intern=intern_record,
        raised_by=mentor,
        category="progress",
        concern="Planning late",
        targets="Plans 48 hours ahead",
        support="Mentor checks plans",
        review_on=timezone.localdate() + dt.timedelta(days=14),
    )
    concern.standards.set([ts1])
    topic = PdpTopic.objects.create(
        institution=intern_record.staff.institution, title="Behaviour for learning"
    )
    session = PdpSession.objects.create(
        institution=intern_record.staff.institution,
        academic_year=intern_record.programme.academic_year,
        topic=topic,
        speaker="Deputy head",
        starts_at=timezone.now() - dt.timedelta(days=2),
    )
    PdpAttendance.objects.create(session=session, staff=intern_record.staff)
    return intern_record


def _csv(response):
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_csv_holds_every_section_and_defuses_formulas(client_for, ite_tutor, full_record):
    response = client_for(ite_tutor).get(
        reverse("ite:intern-export", args=[full_record.pk]), {"format": "csv"}
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = _csv(response)
    assert ["Intern", "Intern", "Ines Intern"] in rows
    assert ["Intern", "Link tutor", "Gail General"] in rows
    meeting = next(r for r in rows if r and r[0] == "Weekly mentor meetings" and r[1] != "Date")
    assert meeting[4] == '\'=HYPERLINK("http://evil")'
    assert meeting[5:] == ["TS 1", "Useful week"]
    assert ["Assessment Reference Points", "ARP 1", "TS 1", "Meeting", "Calm routines seen twice"] in rows
    concern = next(r for r in rows if r and r[0] == "Causes for concern" and r[1] != "Raised")
    assert concern[2:5] == ["Progress for the stage", "TS 1", "Planning late"]
    assert concern[8] == "Open"
    pdp = next(
        r for r in rows if r and r[0] == "Professional Development Programme attended" and r[1] != "Date"
    )
    assert pdp[2:] == ["Behaviour for learning", "Deputy head"]


def test_pdf_is_a_readable_record(client_for, ite_tutor, full_record):
    response = client_for(ite_tutor).get(
        reverse("ite:intern-export", args=[full_record.pk]), {"format": "pdf"}
    )
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(response.content)).pages
    )
    for expected in (
        "Intern record: Ines Intern",
        "Weekly mentor meetings",
        "Calm routines seen twice",
        "Planning late",
        "Behaviour for learning",
        "Gail General",
    ):
        assert expected in text


@pytest.mark.parametrize(
    "persona, status",
    [
        ("ite_tutor", 200),
        ("programme_lead", 200),
        ("intern", 200),
        ("mentor", 404),
        ("hod", 404),
        ("colleague", 404),
        ("admin", 404),
        ("other_mentor", 404),
    ],
)
def test_export_readers(client_for, request, full_record, persona, status):
    client = client_for(request.getfixturevalue(persona))
    response = client.get(reverse("ite:intern-export", args=[full_record.pk]), {"format": "csv"})
    assert response.status_code == status
    if status == 404:
        assert "Planning late" not in response.content.decode()


def test_export_is_access_logged_except_for_the_intern(client_for, ite_tutor, intern, full_record):
    client_for(ite_tutor).get(reverse("ite:intern-export", args=[full_record.pk]), {"format": "csv"})
    client_for(intern).get(reverse("ite:intern-export", args=[full_record.pk]), {"format": "csv"})
    assert list(AccessRecord.objects.values_list("reader__username", "reason")) == [("ite_tutor", "export")]


def test_unknown_format_is_404(client_for, ite_tutor, full_record):
    assert (
        client_for(ite_tutor)
        .get(reverse("ite:intern-export", args=[full_record.pk]), {"format": "xlsx"})
        .status_code
        == 404
    )


@pytest.mark.parametrize("extra", [1, 3])
def test_export_query_count_is_the_same_as_the_record_grows(
    client_for, ite_tutor, full_record, mentor, extra, django_assert_num_queries
):
    for n in range(extra):
        MentorMeetingFactory(
            intern=full_record, mentor=mentor, held_on=timezone.localdate() - dt.timedelta(days=7 * (n + 1))
        )
    client = client_for(ite_tutor)
    with django_assert_num_queries(18):
        client.get(reverse("ite:intern-export", args=[full_record.pk]), {"format": "csv"})
