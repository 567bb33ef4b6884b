"""Support pages: the happy paths through the forms, error messages, access logging, and query counts
that stay the same as data grows."""

import pytest
from django.urls import reverse
from django.utils import timezone

from protutor.audit.models import AccessRecord
from protutor.support.models import Interaction, PrivateNote, Referral, SupportCase
from tests.factories.people import StaffMemberFactory
from tests.factories.support import log, open_case_for, refer

pytestmark = pytest.mark.django_db


def test_refer_creates_request_for_department_tutor(client_for, teacher, tutor):
    response = client_for(teacher).post(
        reverse("support:refer"), {"reason": "Questioning in Year 12", "availability": "Tuesday p3"}
    )
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert (referral.teacher, referral.route, referral.status) == (teacher, "self", Referral.Status.RECEIVED)


def test_refer_empty_reason_names_the_field(client_for, teacher, tutor):
    response = client_for(teacher).post(reverse("support:refer"), {"reason": ""})
    body = response.content.decode()
    assert "<title>Error: Ask for support" in body
    assert 'href="#id_reason">Enter what you would like help with' in body
    assert not Referral.objects.exists()


def test_encourage_only_offers_own_reports(client_for, line_manager, teacher, colleague):
    response = client_for(line_manager).get(reverse("support:encourage"))
    assert list(response.context["form"].fields["teacher"].queryset) == [teacher]


def test_teacher_accepts_suggestion_and_it_reaches_the_tutor(client_for, line_manager, teacher, tutor):
    client_for(line_manager).post(
        reverse("support:encourage"), {"teacher": teacher.pk, "reason": "Lesson starts"}
    )
    referral = Referral.objects.get()
    response = client_for(teacher).post(
        referral.get_absolute_url(), {"answer": "accept", "availability": "Fri"}
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == Referral.Status.RECEIVED
    assert referral.availability == "Fri"


def test_tutor_accepts_request_and_logs_support(client_for, teacher, tutor):
    referral = refer(teacher)
    client = client_for(tutor)
    response = client.post(
        reverse("support:referral-accept", args=[referral.pk]), {"formality": "formal", "span": "one_touch"}
    )
    case = SupportCase.objects.get()
    assert response["Location"] == case.get_absolute_url()
    response = client.post(
        reverse("support:interaction-add", args=[case.pk]),
        {
            "kind": "coaching",
            "occurred_on": timezone.localdate().isoformat(),
            "minutes": "40",
            "shared_notes": "Shared",
            "private_note": "Mine",
        },
    )
    assert response.status_code == 302
    interaction = Interaction.objects.get()
    assert (interaction.minutes, interaction.shared_notes) == (40, "Shared")
    assert PrivateNote.objects.get().text == "Mine"


def test_interaction_add_minutes_out_of_range_names_the_field(client_for, teacher, tutor):
    case = open_case_for(teacher, tutor)
    response = client_for(tutor).post(
        reverse("support:interaction-add", args=[case.pk]),
        {"kind": "coaching", "occurred_on": timezone.localdate().isoformat(), "minutes": "0"},
    )
    assert 'href="#id_minutes">Minutes spent must be 1 or more' in response.content.decode()
    assert not Interaction.objects.exists()


def test_case_close_then_no_more_recording(client_for, teacher, tutor):
    case = open_case_for(teacher, tutor)
    client = client_for(tutor)
    client.post(
        reverse("support:case-close", args=[case.pk]), {"outcome": "goals_met", "summary": "Well done"}
    )
    case.refresh_from_db()
    assert (case.status, case.outcome) == ("closed", "goals_met")
    assert client.get(reverse("support:interaction-add", args=[case.pk])).status_code == 404


def test_case_handover_moves_the_case(client_for, teacher, tutor, other_tutor):
    case = open_case_for(teacher, tutor)
    client = client_for(tutor)
    client.post(reverse("support:case-handover", args=[case.pk]), {"to_tutor": other_tutor.pk})
    assert client.get(case.get_absolute_url()).status_code == 404
    assert client_for(other_tutor).get(case.get_absolute_url()).status_code == 200


def test_case_detail_by_tutor_is_logged_for_the_teacher(client_for, teacher, tutor):
    case = open_case_for(teacher, tutor)
    client_for(tutor).get(case.get_absolute_url())
    client_for(teacher).get(case.get_absolute_url())
    assert list(AccessRecord.objects.values_list("reader_name", "subject", "reason")) == [
        ("Tamsin Tutor", teacher.pk, "view")
    ]
    log_page = client_for(teacher).get(reverse("support:access-log"))
    assert [r.reader_name for r in log_page.context["records"]] == ["Tamsin Tutor"]


def test_concern_raise_and_acknowledge(client_for, teacher, tutor, dsl):
    case = open_case_for(teacher, tutor)
    client_for(tutor).post(reverse("support:concern-raise", args=[case.pk]), {"text": "Worrying disclosure"})
    concern = case.concerns.get()
    client = client_for(dsl)
    page = client.get(concern.get_absolute_url())
    assert "Worrying disclosure" in page.content.decode()
    assert "questioning" not in page.content.decode().lower()  # nothing else of the case
    client.post(concern.get_absolute_url())
    concern.refresh_from_db()
    assert concern.acknowledged_by == dsl
    assert AccessRecord.objects.filter(reason="safeguarding", subject=teacher).count() == 1


@pytest.mark.parametrize("n", [1, 3])
def test_case_detail_query_count_is_constant(client_for, django_assert_num_queries, teacher, tutor, n):
    case = open_case_for(teacher, tutor)
    for _ in range(n):
        log(case, tutor, shared="s", private="p")
    client = client_for(tutor)
    # session, user, case, reader's staff name and the access log insert, interactions, their resources
    # and private notes, holdings, may-work check, concerns, concern count, actor (staff, roles,
    # caseload, reports)
    with django_assert_num_queries(16):
        client.get(case.get_absolute_url())


@pytest.mark.parametrize("n", [1, 3])
def test_case_list_query_count_is_constant(
    client_for, django_assert_num_queries, college, department, tutor, n
):
    for _ in range(n):
        open_case_for(StaffMemberFactory(institution=college, department=department), tutor)
    client = client_for(tutor)
    # session, user, actor (staff, roles, caseload, reports), cases with their teachers
    with django_assert_num_queries(7):
        client.get(reverse("support:case-list"))


@pytest.mark.parametrize("n", [1, 3])
def test_support_index_query_count_is_constant(
    client_for, django_assert_num_queries, college, department, tutor, n
):
    for _ in range(n):
        refer(StaffMemberFactory(institution=college, department=department))
    client = client_for(tutor)
    # session, user, actor (staff, roles, caseload, reports), my cases (+ holdings), my referrals,
    # referrals I made, requests
    with django_assert_num_queries(10):
        client.get(reverse("support:index"))


@pytest.mark.parametrize("n", [1, 3])
def test_insights_query_count_is_constant(
    client_for, django_assert_num_queries, college, department, programme_lead, tutor, n
):
    for _ in range(n * 2):
        open_case_for(StaffMemberFactory(institution=college, department=department), tutor)
    client = client_for(programme_lead)
    # session, user, actor (staff, roles, caseload, reports), current year, terms, grouped counts,
    # departments with cases, departments led, departments
    with django_assert_num_queries(12):
        client.get(reverse("support:insights"))
