"""Providers, programmes, reference points, capacity and placing an intern, as the ITE tutor does it."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from protutor.ite.models import DepartmentCapacity, Intern, Placement, Programme, Provider, ReferencePoint
from protutor.people.models import StaffMember
from tests.factories.ite import InternFactory, PlacementFactory, ReferencePointFactory
from tests.factories.people import StaffMemberFactory
from tests.pages import error_summary

pytestmark = pytest.mark.django_db


def test_ite_tutor_adds_a_provider_then_a_programme(client_for, ite_tutor, year):
    client = client_for(ite_tutor)
    response = client.post(
        reverse("ite:provider-create"),
        {
            "name": "Oxford Brookes University",
            "kind": "university",
            "link_tutor_name": "Gail General",
            "mentor_training_hours": "20",
        },
    )
    provider = Provider.objects.get()
    assert response.status_code == 302
    assert (provider.name, provider.link_tutor_name, provider.mentor_training_hours) == (
        "Oxford Brookes University",
        "Gail General",
        20,
    )
    response = client.post(
        provider.get_absolute_url(),
        {
            "name": "Secondary PGCE",
            "route": "pgce",
            "academic_year": year.pk,
            "scale_text": "Working towards\nMeeting\nExceeding",
        },
    )
    programme = Programme.objects.get()
    assert response["Location"] == reverse("ite:programme-detail", args=[programme.pk])
    assert programme.scale_choices == [("j1", "Working towards"), ("j2", "Meeting"), ("j3", "Exceeding")]


def test_provider_form_names_the_missing_fields(client_for, ite_tutor):
    response = client_for(ite_tutor).post(reverse("ite:provider-create"), {"contact_email": "not-an-email"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Add a provider" in body
    assert "Enter the provider&#x27;s name" in body
    assert "Select the kind of provider" in body
    assert "Enter the contact email in the right format" in body
    assert Provider.objects.count() == 0


def test_duplicate_provider_name_is_refused_on_its_field(client_for, ite_tutor, provider):
    response = client_for(ite_tutor).post(
        reverse("ite:provider-create"), {"name": provider.name, "kind": "scitt", "mentor_training_hours": "0"}
    )
    assert "A provider with that name is already recorded" in response.content.decode()
    assert Provider.objects.count() == 1


def test_programme_lead_reads_providers_but_cannot_add(client_for, programme_lead, provider):
    client = client_for(programme_lead)
    assert client.get(reverse("ite:provider-list")).status_code == 200
    assert client.get(reverse("ite:provider-create")).status_code == 404
    assert client.post(provider.get_absolute_url(), {"name": "X", "route": "pgce"}).status_code == 404


def test_reference_point_with_descriptors(client_for, ite_tutor, programme, standards):
    ts1 = standards.get(framework__code="TS", number="1")
    due = programme.academic_year.starts_on + dt.timedelta(days=60)
    response = client_for(ite_tutor).post(
        reverse("ite:reference-point-create", args=[programme.pk]),
        {
            "name": "ARP 1",
            "due_on": due.isoformat(),
            f"descriptor_{ts1.pk}": "Establishes routines with support",
        },
    )
    assert response.status_code == 302
    point = ReferencePoint.objects.get()
    assert (point.number, point.due_on) == (1, due)
    assert [(d.standard_id, d.text) for d in point.descriptors.all()] == [
        (ts1.pk, "Establishes routines with support")
    ]


def test_reference_point_outside_the_year_is_refused(client_for, ite_tutor, programme):
    due = programme.academic_year.ends_on + dt.timedelta(days=1)
    response = client_for(ite_tutor).post(
        reverse("ite:reference-point-create", args=[programme.pk]),
        {"name": "ARP 1", "due_on": due.isoformat()},
    )
    assert "The due date must be in" in response.content.decode()
    assert ReferencePoint.objects.count() == 0


def _place(client, programme, department, mentor, **extra):
    year = programme.academic_year
    data = {
        "forename": "Nia",
        "surname": "Newintern",
        "email": "nia.newintern@example.org",
        "programme": programme.pk,
        "subject": "Mathematics",
        "department": department.pk,
        "mentor": mentor.pk,
        "target_periods": "10",
        "phase_name": "Spring placement",
        "starts_on": year.starts_on.isoformat(),
        "ends_on": (year.starts_on + dt.timedelta(days=90)).isoformat(),
        **extra,
    }
    return client.post(reverse("ite:intern-create"), data)


def test_ite_tutor_places_a_new_intern_with_a_mentor(
    client_for, ite_tutor, programme, department, mentor, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _place(client_for(ite_tutor), programme, department, mentor)
    intern = Intern.objects.get()
    assert response["Location"] == intern.get_absolute_url()
    assert (intern.staff.full_name, intern.mentor, intern.target_periods) == ("Nia Newintern", mentor, 10)
    assert intern.staff.user.has_usable_password() is False
    assert [p.name for p in intern.placements.all()] == ["Spring placement"]
    assert sorted(m.to[0] for m in mailoutbox) == sorted(["nia.newintern@example.org", mentor.email])
    assert "Mathematics" not in mailoutbox[0].body


def test_placing_needs_a_name_or_a_staff_member(client_for, ite_tutor, programme, department, mentor):
    response = _place(client_for(ite_tutor), programme, department, mentor, forename="", surname="", email="")
    body = response.content.decode()
    assert "Enter the intern&#x27;s first name, or select them from the staff list" in body
    assert "Enter the intern&#x27;s email address" in body
    assert Intern.objects.count() == 0


def test_placement_dates_outside_the_year_write_nothing(client_for, ite_tutor, programme, department, mentor):
    before = StaffMember.objects.count()
    response = _place(
        client_for(ite_tutor),
        programme,
        department,
        mentor,
        ends_on=(programme.academic_year.ends_on + dt.timedelta(days=3)).isoformat(),
    )
    assert "The placement must fall within" in response.content.decode()
    assert (Intern.objects.count(), StaffMember.objects.count()) == (0, before)


def test_an_intern_cannot_mentor(client_for, ite_tutor, programme, department, intern_record):
    response = _place(client_for(ite_tutor), programme, department, intern_record.staff)
    assert (
        "Select a qualified teacher as mentor" in response.content.decode()
        or "Select a valid choice" in response.content.decode()
    )
    assert Intern.objects.count() == 1


def test_add_placement_phase_and_overlap_refused(client_for, ite_tutor, intern_record):
    client = client_for(ite_tutor)
    existing = intern_record.placements.get()
    url = reverse("ite:placement-add", args=[intern_record.pk])
    response = client.post(
        url,
        {
            "name": "Overlap",
            "starts_on": existing.starts_on.isoformat(),
            "ends_on": existing.ends_on.isoformat(),
        },
    )
    assert response.status_code == 200
    assert f"The dates overlap the placement phase {existing.name}" in response.content.decode()
    year = intern_record.programme.academic_year
    start = existing.ends_on + dt.timedelta(days=1)
    if start <= year.ends_on:
        response = client.post(
            url,
            {"name": "Second school", "starts_on": start.isoformat(), "ends_on": year.ends_on.isoformat()},
        )
        assert response.status_code == 302
        assert Placement.objects.filter(intern=intern_record).count() == 2


def test_capacity_against_demand(client_for, ite_tutor, intern_record, department, other_department):
    client = client_for(ite_tutor)
    response = client.post(
        reverse("ite:capacity"), {f"places_{department.pk}": "2", f"places_{other_department.pk}": "0"}
    )
    assert response.status_code == 302
    rows = {
        row["department"].name: (row["places"], row["placed"], row["status"][1])
        for row in client.get(reverse("ite:capacity")).context["rows"]
    }
    assert rows == {"Mathematics": (2, 1, "1 free"), "Art and Design": (0, 0, "Full")}
    assert DepartmentCapacity.objects.count() == 2


def test_capacity_refuses_a_negative_number(client_for, ite_tutor, department):
    response = client_for(ite_tutor).post(reverse("ite:capacity"), {f"places_{department.pk}": "-1"})
    assert "The intern places in Mathematics must be 0 or more" in response.content.decode()


def test_index_flags_weeks_without_a_mentor_meeting(client_for, ite_tutor, intern_record):
    response = client_for(ite_tutor).get(reverse("ite:index"))
    (row,) = response.context["interns"]
    today = timezone.localdate()
    placement = intern_record.placements.get()
    monday = today - dt.timedelta(days=today.weekday())
    expected = (monday - (placement.starts_on - dt.timedelta(days=placement.starts_on.weekday()))).days // 7
    assert len(row.gaps) == expected


def test_intern_detail_logs_reads_by_others(client_for, mentor, intern_record):
    from protutor.audit.models import AccessRecord

    client_for(mentor).get(intern_record.get_absolute_url())
    assert list(AccessRecord.objects.values_list("reader__username", "subject_id")) == [
        ("mentor", intern_record.staff_id)
    ]


@pytest.mark.parametrize("extra", [1, 3])
def test_index_query_count_is_the_same_as_interns_grow(
    client_for, ite_tutor, programme, department, mentor, extra, django_assert_num_queries
):
    for _ in range(extra):
        PlacementFactory(intern=InternFactory(programme=programme, department=department, mentor=mentor))
    client = client_for(ite_tutor)
    client.get(reverse("ite:index"))
    # session, user, actor (3), oversees, index scopes (internships, mentees: 4, inductions, checklists),
    # year, interns with placements, meetings and reference points (4), providers, messages
    with django_assert_num_queries(20):
        client.get(reverse("ite:index"))


def test_a_person_is_placed_once_a_year(
    client_for, ite_tutor, intern_record, provider, year, department, mentor
):
    from tests.factories.ite import ProgrammeFactory

    scitt = ProgrammeFactory(provider=provider, academic_year=year, name="SCITT", route="scitt")
    response = _place(
        client_for(ite_tutor), scitt, department, mentor, staff=intern_record.staff_id, forename="", email=""
    )
    assert "Ines Intern is already placed this year on Secondary PGCE" in response.content.decode()
    assert Intern.objects.filter(staff=intern_record.staff).count() == 1


def test_a_new_intern_joins_the_placement_department(client_for, ite_tutor, programme, department, mentor):
    _place(client_for(ite_tutor), programme, department, mentor)
    assert Intern.objects.get().staff.department == department


def test_provider_page_counts_each_intern_once(client_for, ite_tutor, intern_record, provider):
    for number in (1, 2, 3):
        ReferencePointFactory(programme=intern_record.programme, number=number)
    response = client_for(ite_tutor).get(provider.get_absolute_url())
    (programme,) = response.context["programmes"]
    assert (programme.intern_count, programme.point_count) == (1, 3)


def test_placing_with_a_mentor_of_another_subject_asks_to_confirm(
    client_for, ite_tutor, programme, department, mentor
):
    """Issue 22: a Geography intern was placed with a Mathematics mentor without a word."""
    client = client_for(ite_tutor)
    response = _place(client, programme, department, mentor, subject="Geography")
    assert response.status_code == 200
    assert error_summary(response) == [
        (
            "#id_mentor",
            "Mina Mentor is in the Mathematics department, not Geography: an intern is normally mentored by "
            "a teacher of their subject. Select another mentor, or confirm this one",
        )
    ]
    assert "Yes, this mentor is right for this intern" in response.content.decode()
    assert Intern.objects.count() == 0
    response = _place(client, programme, department, mentor, subject="Geography", confirmed="on")
    intern = Intern.objects.get()
    assert response["Location"] == intern.get_absolute_url()
    assert (intern.subject, intern.mentor) == ("Geography", mentor)


def test_changing_to_a_mentor_of_another_subject_asks_to_confirm(
    client_for, ite_tutor, intern_record, college, other_department
):
    other = StaffMemberFactory(
        institution=college, department=other_department, forename="Ada", surname="Art"
    )
    client = client_for(ite_tutor)
    data = {
        "subject": "Mathematics",
        "department": intern_record.department_id,
        "mentor": other.pk,
        "tutor_group": "",
        "target_periods": "12",
        "status": "active",
    }
    url = reverse("ite:intern-edit", args=[intern_record.pk])
    response = client.post(url, data)
    assert [anchor for anchor, _ in error_summary(response)] == ["#id_mentor"]
    intern_record.refresh_from_db()
    assert intern_record.mentor.surname == "Mentor"
    assert client.post(url, {**data, "confirmed": "on"}).status_code == 302
    intern_record.refresh_from_db()
    assert intern_record.mentor == other
    # Saved once confirmed: editing something else does not ask again.
    assert client.post(url, {**data, "tutor_group": "7X"}).status_code == 302
