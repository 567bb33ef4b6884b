"""Scheduling a session and taking its register, and who sees what on a session's page."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from protutor.audit.models import AuditEvent
from protutor.core.errors import ServiceError
from protutor.ite import services_pdp
from protutor.ite.models import (
    ChecklistTemplate,
    EctInduction,
    Intern,
    PdpAttendance,
    PdpSession,
    StaffInduction,
)
from protutor.people.models import AcademicYear
from tests.factories.ite import EctInductionFactory, InternFactory
from tests.factories.people import InstitutionFactory, RoleAssignmentFactory, StaffMemberFactory
from tests.ite.matrix_pdp import session_start

pytestmark = pytest.mark.django_db


@pytest.fixture
def topics(ite_tutor, standards):
    return services_pdp.seed_topics(actor=ite_tutor.user, institution_id=ite_tutor.institution_id)


def _schedule(ite_tutor, topic, starts_at=None, **extra):
    year = AcademicYear.objects.current().get(institution=ite_tutor.institution)
    return services_pdp.schedule_session(
        actor=ite_tutor.user,
        institution_id=ite_tutor.institution_id,
        topic=topic,
        speaker="Dee Safeguard",
        starts_at=starts_at or session_start(year),
        length_minutes=60,
        room="Library",
        **extra,
    )


@pytest.fixture
def session(ite_tutor, topics):
    return _schedule(ite_tutor, topics[0])


def _new_staff(college, forename, started_days_ago):
    template, _ = ChecklistTemplate.objects.get_or_create(institution=college, name="New staff")
    staff = StaffMemberFactory(institution=college, forename=forename, surname="Newstaff")
    StaffInduction.objects.create(
        staff=staff, template=template, starts_on=timezone.localdate() - dt.timedelta(days=started_days_ago)
    )
    return staff


@pytest.fixture
def newcomer(college):
    return _new_staff(college, "Nell", 30)


def _form_data(topic, year, **extra):
    return {
        "topic": topic.pk,
        "speaker": "Dee Safeguard",
        "starts_at": f"{year.starts_on + dt.timedelta(days=40):%Y-%m-%d} 16:00",
        "length_minutes": "60",
        "room": "Library",
        **extra,
    }


def test_ite_tutor_schedules_a_session(client_for, ite_tutor, topics, year):
    response = client_for(ite_tutor).post(reverse("ite:pdp-session-create"), _form_data(topics[3], year))
    session = PdpSession.objects.get()
    assert response["Location"] == session.get_absolute_url()
    assert (
        session.topic,
        session.speaker,
        timezone.localtime(session.starts_at).strftime("%Y-%m-%d %H:%M"),
        session.length_minutes,
        session.room,
        session.academic_year,
        session.register_taken,
    ) == (
        topics[3],
        "Dee Safeguard",
        f"{year.starts_on + dt.timedelta(days=40):%Y-%m-%d} 16:00",
        60,
        "Library",
        year,
        False,
    )
    assert (
        AuditEvent.objects.filter(action="ite.pdp_session_scheduled", target_id=str(session.pk)).count() == 1
    )


def test_schedule_form_preselects_the_topic(client_for, ite_tutor, topics):
    response = client_for(ite_tutor).get(reverse("ite:pdp-session-create"), {"topic": topics[2].pk})
    assert response.context["form"]["topic"].value() == topics[2].pk


def test_schedule_form_names_each_missing_field(client_for, ite_tutor, topics):
    response = client_for(ite_tutor).post(reverse("ite:pdp-session-create"), {"length_minutes": ""})
    body = response.content.decode()
    assert "<title>Error: Schedule a session" in body
    for message in (
        "Select the topic",
        "Enter the speaker&#x27;s name",
        "Enter the date and time of the session",
        "Enter the length in minutes",
    ):
        assert message in body
    assert PdpSession.objects.count() == 0


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"starts_at": "next Tuesday"}, "Enter the date and time of the session as a real date and time"),
        ({"length_minutes": "600"}, "The length in minutes must be 480 or fewer"),
        ({"length_minutes": "2"}, "The length in minutes must be 5 or more"),
        ({"length_minutes": "an hour"}, "Enter the length in minutes as a whole number"),
        ({"room": "R" * 101}, "The room must be 100 characters or fewer"),
        ({"speaker": "   "}, "Enter the speaker&#x27;s name"),
    ],
)
def test_schedule_form_explains_a_wrong_value(client_for, ite_tutor, topics, year, extra, message):
    response = client_for(ite_tutor).post(
        reverse("ite:pdp-session-create"), _form_data(topics[0], year, **extra)
    )
    assert message in response.content.decode()
    assert PdpSession.objects.count() == 0


def test_session_date_must_be_in_the_current_year(client_for, ite_tutor, topics, year):
    outside = f"{year.ends_on + dt.timedelta(days=1):%Y-%m-%d} 09:00"
    response = client_for(ite_tutor).post(
        reverse("ite:pdp-session-create"), _form_data(topics[0], year, starts_at=outside)
    )
    expected = f"The date must be in {year.name} (1 September {year.starts_on.year} to 31 August {year.ends_on.year})"
    assert expected in response.content.decode()
    assert PdpSession.objects.count() == 0


def test_scheduling_without_a_current_year_is_refused(standards):
    school = InstitutionFactory(name="No Year School")
    tutor = StaffMemberFactory(institution=school)
    RoleAssignmentFactory(staff=tutor, role="ite_tutor")
    topic = services_pdp.seed_topics(actor=tutor.user, institution_id=school.pk)[0]
    with pytest.raises(ServiceError) as refused:
        services_pdp.schedule_session(
            actor=tutor.user,
            institution_id=school.pk,
            topic=topic,
            speaker="Someone",
            starts_at=timezone.now(),
            length_minutes=60,
        )
    assert refused.value.message == "There is no current academic year. The programme lead sets the years up."


def test_another_schools_topic_is_refused(ite_tutor, topics, standards):
    school = InstitutionFactory(name="Elsewhere")
    tutor = StaffMemberFactory(institution=school)
    RoleAssignmentFactory(staff=tutor, role="ite_tutor")
    theirs = services_pdp.seed_topics(actor=tutor.user, institution_id=school.pk)[0]
    with pytest.raises(ServiceError) as refused:
        _schedule(ite_tutor, theirs)
    assert (refused.value.message, refused.value.field) == ("Select a topic of the programme", "topic")


@pytest.mark.parametrize("persona", ["intern", "mentor", "programme_lead", "hod", "colleague", "admin"])
def test_scheduling_is_for_the_ite_tutor_alone(request, client_for, topics, year, persona):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("ite:pdp-session-create")).status_code == 404
    assert client.post(reverse("ite:pdp-session-create"), _form_data(topics[0], year)).status_code == 404
    assert PdpSession.objects.count() == 0


# The register


def test_register_lists_this_years_participants_with_what_they_are(
    client_for,
    ite_tutor,
    session,
    intern_record,
    other_mentor,
    ect_record,
    newcomer,
    college,
    programme,
    colleague,
):
    withdrawn = InternFactory(programme=programme, subject="History", status=Intern.Status.WITHDRAWN)
    last_year = AcademicYear.objects.create(
        institution=college,
        name="Last year",
        starts_on=programme.academic_year.starts_on - dt.timedelta(days=365),
        ends_on=programme.academic_year.starts_on - dt.timedelta(days=1),
    )
    InternFactory(programme__provider=programme.provider, programme__academic_year=last_year, subject="Music")
    EctInductionFactory(staff__institution=college, status=EctInduction.Status.PASSED)
    _new_staff(college, "Old", 400)
    completed = InternFactory(
        programme=programme,
        subject="Physics",
        status=Intern.Status.COMPLETED,
        staff__forename="Cora",
        staff__surname="Completed",
    )
    response = client_for(ite_tutor).get(session.get_absolute_url())
    choices = list(response.context["form"].fields["attendees"].choices)
    assert choices == [
        (other_mentor.mentees.get().staff_id, "Ari Artintern (Intern, Art)"),
        (completed.staff_id, "Cora Completed (Intern, Physics)"),
        (ect_record.staff_id, "Evan Earlycareer (Early-career teacher)"),
        (intern_record.staff_id, "Ines Intern (Intern, Mathematics)"),
        (newcomer.pk, "Nell Newstaff (New staff)"),
    ]
    assert withdrawn.staff_id not in dict(choices)


def test_register_is_replaced_as_a_whole(client_for, ite_tutor, session, intern, ect, newcomer):
    client = client_for(ite_tutor)
    url = session.get_absolute_url()
    response = client.post(url, {"attendees": [intern.pk, ect.pk]})
    assert response["Location"] == url
    response = client.post(url, {"attendees": [ect.pk, newcomer.pk]}, follow=True)
    assert "Register saved: 2 attended" in response.content.decode()
    assert set(PdpAttendance.objects.values_list("staff_id", flat=True)) == {ect.pk, newcomer.pk}
    session.refresh_from_db()
    assert session.register_taken is True
    assert response.context["form"]["attendees"].value() == [ect.pk, newcomer.pk]
    assert list(
        AuditEvent.objects.filter(action="ite.pdp_register_taken").values_list("detail", flat=True)
    ) == [{"attendees": 2}, {"attendees": 2}]


def test_an_empty_register_records_nobody_attended(client_for, ite_tutor, session, intern):
    services_pdp.take_register(actor=ite_tutor.user, session=session, attendee_ids=[intern.pk])
    client_for(ite_tutor).post(session.get_absolute_url(), {})
    session.refresh_from_db()
    assert (PdpAttendance.objects.count(), session.register_taken) == (0, True)


def test_a_non_participant_is_refused_and_nothing_changes(client_for, ite_tutor, session, intern, colleague):
    services_pdp.take_register(actor=ite_tutor.user, session=session, attendee_ids=[intern.pk])
    response = client_for(ite_tutor).post(session.get_absolute_url(), {"attendees": [colleague.pk]})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in body
    assert "Select only interns and new teachers taking part in this year&#x27;s programme" in body
    assert list(PdpAttendance.objects.values_list("staff_id", flat=True)) == [intern.pk]


def test_the_service_refuses_a_non_participant_without_half_writing(
    ite_tutor, session, intern, ect, colleague
):
    services_pdp.take_register(actor=ite_tutor.user, session=session, attendee_ids=[intern.pk])
    with pytest.raises(ServiceError) as refused:
        services_pdp.take_register(actor=ite_tutor.user, session=session, attendee_ids=[ect.pk, colleague.pk])
    assert (refused.value.message, refused.value.field) == (
        "Select only interns and new teachers taking part in this year's programme",
        "attendees",
    )
    assert list(PdpAttendance.objects.values_list("staff_id", flat=True)) == [intern.pk]


def test_someone_who_left_the_programme_stays_on_an_earlier_register(ite_tutor, session, intern_record, ect):
    services_pdp.take_register(actor=ite_tutor.user, session=session, attendee_ids=[intern_record.staff_id])
    intern_record.status = Intern.Status.WITHDRAWN
    intern_record.save()
    choices = services_pdp.register_choices(session, timezone.localdate())
    assert [(p.staff.pk, p.kind) for p in choices] == [
        (ect.pk, "Early-career teacher"),
        (intern_record.staff_id, "No longer on the programme"),
    ]
    services_pdp.take_register(
        actor=ite_tutor.user, session=session, attendee_ids=[intern_record.staff_id, ect.pk]
    )
    assert PdpAttendance.objects.count() == 2


def test_register_waits_for_the_session_to_start(client_for, ite_tutor, topics, intern, year):
    later = min(
        timezone.now() + dt.timedelta(days=1),
        timezone.make_aware(dt.datetime.combine(year.ends_on, dt.time(9))),
    )
    if later <= timezone.now():
        pytest.skip("the academic year ends today")
    future = _schedule(ite_tutor, topics[0], starts_at=later)
    client = client_for(ite_tutor)
    assert (
        "You can take the register once the session has started."
        in client.get(future.get_absolute_url()).content.decode()
    )
    response = client.post(future.get_absolute_url(), {"attendees": [intern.pk]})
    assert "Take the register once the session has started" in response.content.decode()
    future.refresh_from_db()
    assert (PdpAttendance.objects.count(), future.register_taken) == (0, False)


@pytest.mark.parametrize("persona", ["intern", "mentor", "programme_lead", "hod", "colleague", "admin"])
def test_only_the_ite_tutor_takes_the_register(request, client_for, session, intern, persona):
    response = client_for(request.getfixturevalue(persona)).post(
        session.get_absolute_url(), {"attendees": [intern.pk]}
    )
    assert response.status_code == 404
    assert PdpAttendance.objects.count() == 0


def test_programme_lead_sees_who_attended(client_for, ite_tutor, session, programme_lead, intern, ect):
    services_pdp.take_register(actor=ite_tutor.user, session=session, attendee_ids=[intern.pk, ect.pk])
    response = client_for(programme_lead).get(session.get_absolute_url())
    assert [a.staff.full_name for a in response.context["attendees"]] == ["Evan Earlycareer", "Ines Intern"]
    assert response.context["form"] is None
    assert "Ines Intern" in response.content.decode()


@pytest.mark.parametrize("persona", ["colleague", "hod", "admin", "mentor", "other_mentor"])
def test_other_readers_see_the_session_but_not_who_attended(
    request, client_for, ite_tutor, session, intern, ect, persona
):
    services_pdp.take_register(actor=ite_tutor.user, session=session, attendee_ids=[intern.pk, ect.pk])
    response = client_for(request.getfixturevalue(persona)).get(session.get_absolute_url())
    body = response.content.decode()
    assert response.status_code == 200
    assert session.topic.title in body
    assert "Dee Safeguard" in body
    assert ("Ines Intern" in body, "Evan Earlycareer" in body, response.context["attendees"]) == (
        False,
        False,
        [],
    )


def test_an_attendee_is_told_they_attended_and_nothing_about_others(
    client_for, ite_tutor, session, intern, ect
):
    services_pdp.take_register(actor=ite_tutor.user, session=session, attendee_ids=[intern.pk, ect.pk])
    body = client_for(intern).get(session.get_absolute_url()).content.decode()
    assert "You attended this session." in body
    assert "Evan Earlycareer" not in body


def test_session_of_another_institution_is_a_404(client_for, session, outsider):
    assert client_for(outsider).get(session.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("extra_people", [0, 2])
def test_session_page_queries_do_not_grow_with_participants(
    client_for, ite_tutor, session, intern, college, django_assert_num_queries, extra_people
):
    people = [intern] + [_new_staff(college, f"New{n}", 10) for n in range(extra_people)]
    services_pdp.take_register(actor=ite_tutor.user, session=session, attendee_ids=[p.pk for p in people])
    client = client_for(ite_tutor)
    # session and user (2), the session (1), its topic's standards (1), is ITE tutor (1), who attended (1),
    # participants: interns, ECTs, new staff (3), earlier attendees no longer on the programme (1), and the
    # menu's actor: staff, roles, caseload, reports (4).
    with django_assert_num_queries(14):
        response = client.get(session.get_absolute_url())
    assert len(response.context["attendees"]) == 1 + extra_people
