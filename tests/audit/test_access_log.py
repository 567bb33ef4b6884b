"""The access log: the subject sees who else opened their records, never reads made for safeguarding nor
their own; the safeguarding leads see who opened a concern; the full audit keeps every read."""

import io
import zipfile

import pytest
from django.urls import reverse

from protutor.audit import services as audit
from protutor.audit.models import AccessRecord
from protutor.audit.permissions import access_records_readable_by
from protutor.people.models import Role
from tests.factories.people import InstitutionFactory, RoleAssignmentFactory, StaffMemberFactory
from tests.factories.support import accept, concern, open_case_for, refer

pytestmark = pytest.mark.django_db


def unzip(content: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name).decode("utf-8-sig") for name in archive.namelist()}


def seen(records) -> list[tuple[str, str, str]]:
    return sorted((r.reader_name, r.record_type, r.reason) for r in records)


def test_a_concern_opened_by_the_safeguarding_lead_never_reaches_the_teacher(client_for, teacher, tutor, dsl):
    case = open_case_for(teacher, tutor)
    client_for(tutor).get(case.get_absolute_url())  # an ordinary read: the teacher sees it
    client_for(tutor).post(reverse("support:concern-raise", args=[case.pk]), {"text": "Worrying disclosure"})
    raised = case.concerns.get()
    lead = client_for(dsl)
    lead.get(reverse("support:concern-list"))
    lead.get(raised.get_absolute_url())
    lead.post(raised.get_absolute_url())  # acknowledge
    lead_page = lead.get(raised.get_absolute_url())

    # The safeguarding lead sees who opened the concern, and when.
    assert [r.reader_name for r in lead_page.context["reads"]] == ["Dee Safeguard", "Dee Safeguard"]
    assert "Who has opened this concern" in lead_page.content.decode()
    # The full audit keeps every read of it, as made for safeguarding.
    assert sorted(
        AccessRecord.objects.filter(subject=teacher, reason="safeguarding").values_list(
            "record_type", "record_id"
        )
    ) == sorted([("safeguarding concern", "list")] + [("safeguarding concern", str(raised.pk))] * 2)

    me = client_for(teacher)
    log_page = me.get(reverse("support:access-log"))
    assert seen(log_page.context["records"]) == [("Tamsin Tutor", "support case", "view")]
    assert "Dee Safeguard" not in log_page.content.decode()
    assert "concern" not in log_page.content.decode().lower()

    files = unzip(me.get(reverse("people:my-data-download")).content)
    everything = "\n".join(files.values())
    assert "Dee Safeguard" not in everything
    assert "safeguarding concern" not in everything.lower()
    assert "Tamsin Tutor" in files["profile/access-log.csv"]
    # Her own download is recorded for the audit, but never listed to her as someone opening her records.
    assert AccessRecord.objects.filter(subject=teacher, reason="export", reader=teacher.user).exists()
    again = unzip(me.get(reverse("people:my-data-download")).content)
    assert "Tess Teacher" not in again["profile/access-log.csv"]
    assert seen(me.get(reverse("support:access-log")).context["records"]) == [
        ("Tamsin Tutor", "support case", "view")
    ]


def test_the_raiser_reading_the_concern_is_for_safeguarding_too(client_for, teacher, tutor, dsl):
    raised = concern(open_case_for(teacher, tutor), tutor)
    client_for(tutor).get(raised.get_absolute_url())
    assert list(AccessRecord.objects.values_list("reader_name", "reason")) == [
        ("Tamsin Tutor", "safeguarding")
    ]
    assert list(access_records_readable_by(teacher.user)) == []
    assert list(access_records_readable_by(tutor.user)) == []  # not a safeguarding lead
    assert seen(access_records_readable_by(dsl.user)) == [
        ("Tamsin Tutor", "safeguarding concern", "safeguarding")
    ]


def test_whatever_the_safeguarding_lead_opens_about_the_subject_of_a_concern_is_for_safeguarding(
    teacher, colleague, tutor, dsl
):
    case = open_case_for(teacher, tutor)
    audit.log_access(reader=dsl.user, subject=teacher, record=case)  # before any concern: an ordinary read
    concern(case, tutor)
    audit.log_access(reader=dsl.user, subject=teacher, record=case)
    audit.log_accesses(reader=dsl.user, subject=teacher, records=[case], reason="export")
    audit.log_list_access(reader=dsl.user, subjects=[teacher, colleague], record_type="mentor meeting")
    audit.log_access(reader=tutor.user, subject=teacher, record=case)  # the tutor is not doing safeguarding
    assert sorted(AccessRecord.objects.values_list("subject", "record_id", "reason")) == sorted(
        [
            (teacher.pk, str(case.pk), "view"),
            (teacher.pk, str(case.pk), "safeguarding"),
            (teacher.pk, str(case.pk), "safeguarding"),
            (teacher.pk, "list", "safeguarding"),
            (colleague.pk, "list", "view"),  # no concern about her
            (teacher.pk, str(case.pk), "view"),
        ]
    )
    assert seen(access_records_readable_by(teacher.user)) == [
        ("Dee Safeguard", "support case", "view"),
        ("Tamsin Tutor", "support case", "view"),
    ]


def test_a_safeguarding_lead_elsewhere_is_not_doing_safeguarding_work_here(teacher, tutor):
    elsewhere = StaffMemberFactory(institution=InstitutionFactory(name="Another School"), department=None)
    RoleAssignmentFactory(staff=elsewhere, role=Role.SAFEGUARDING_LEAD)
    case = open_case_for(teacher, tutor)
    concern(case, tutor)
    audit.log_access(reader=elsewhere.user, subject=teacher, record=case)
    assert list(AccessRecord.objects.values_list("reason", flat=True)) == ["view"]
    assert list(access_records_readable_by(elsewhere.user)) == []


def test_a_safeguarding_lead_never_sees_safeguarding_reads_about_herself(college, teacher, tutor, dsl):
    other_lead = StaffMemberFactory(institution=college, department=None, forename="Sam", surname="Second")
    RoleAssignmentFactory(staff=other_lead, role=Role.SAFEGUARDING_LEAD)
    # The safeguarding lead is herself supported, and the subject of a concern.
    case = accept(refer(dsl, preferred_tutor=tutor), tutor)
    raised = concern(case, tutor)
    audit.log_access(reader=other_lead.user, subject=dsl, record=raised)
    assert list(access_records_readable_by(dsl.user)) == []
    assert seen(access_records_readable_by(other_lead.user)) == [
        ("Sam Second", "safeguarding concern", "safeguarding")
    ]


def test_the_access_log_page_lists_only_reads_about_me(client_for, teacher, colleague, tutor, dsl):
    raised = concern(open_case_for(colleague, tutor), tutor)
    client_for(tutor).get(raised.get_absolute_url())
    # The safeguarding lead's own page lists reads about her, not the concerns she oversees.
    assert list(client_for(dsl).get(reverse("support:access-log")).context["records"]) == []
