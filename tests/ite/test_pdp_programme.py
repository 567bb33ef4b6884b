"""The programme page: everyone of the institution reads it; only the ITE tutor manages it."""

import datetime as dt

import pytest
from django.urls import reverse

from protutor.ite import services_pdp
from protutor.ite.models import PdpSession
from protutor.people.models import AcademicYear
from tests.ite.matrix_pdp import session_start

pytestmark = pytest.mark.django_db

SEED_BUTTON = "Add the Professional Development Programme's standard topics"


@pytest.fixture
def topics(ite_tutor, standards):
    return services_pdp.seed_topics(actor=ite_tutor.user, institution_id=ite_tutor.institution_id)


def _schedule(ite_tutor, topic, year, *, room="Library", days=0):
    return services_pdp.schedule_session(
        actor=ite_tutor.user,
        institution_id=ite_tutor.institution_id,
        topic=topic,
        speaker="Dee Safeguard",
        starts_at=session_start(year) - dt.timedelta(minutes=days),
        length_minutes=60,
        room=room,
    )


@pytest.fixture
def delivered(ite_tutor, topics, year, intern, ect):
    session = _schedule(ite_tutor, topics[0], year)
    services_pdp.take_register(actor=ite_tutor.user, session=session, attendee_ids=[intern.pk, ect.pk])
    return session


def test_ite_tutor_sees_the_programme_and_its_controls(client_for, ite_tutor, delivered, topics):
    response = client_for(ite_tutor).get(reverse("ite:pdp"))
    body = response.content.decode()
    assert [
        (s.topic.title, s.speaker, s.room, s.attended, s.status) for s in response.context["sessions"]
    ] == [(topics[0].title, "Dee Safeguard", "Library", 2, ("delivered", "Register taken"))]
    assert [t.title for t in response.context["topics"]] == [t.title for t in topics]
    assert [s.label for s in response.context["topics"][0].standards.all()] == ["TS 7", "TS P2.1", "TS P2.3"]
    assert response.context["topics"][0].session_count == 1
    assert "TS 7, TS P2.1, TS P2.3" in body
    assert reverse("ite:pdp-session-create") in body
    assert reverse("ite:pdp-topic-add") in body
    assert reverse("ite:pdp-coverage") in body
    assert SEED_BUTTON not in body


def test_programme_lead_sees_attendance_counts_but_no_controls(client_for, programme_lead, delivered):
    response = client_for(programme_lead).get(reverse("ite:pdp"))
    body = response.content.decode()
    assert [s.attended for s in response.context["sessions"]] == [2]
    assert (reverse("ite:pdp-session-create") in body, reverse("ite:pdp-topic-add") in body) == (False, False)
    assert response.context["topic_form"] is None


@pytest.mark.parametrize("persona", ["colleague", "hod", "admin", "intern", "mentor", "ect"])
def test_everyone_reads_topics_and_sessions_without_controls_or_counts(
    request, client_for, delivered, topics, persona
):
    response = client_for(request.getfixturevalue(persona)).get(reverse("ite:pdp"))
    body = response.content.decode()
    assert response.status_code == 200
    assert [s.topic.title for s in response.context["sessions"]] == [topics[0].title]
    assert len(response.context["topics"]) == 22
    assert not hasattr(response.context["sessions"][0], "attended")
    assert (
        reverse("ite:pdp-session-create") in body,
        reverse("ite:pdp-seed") in body,
        reverse("ite:pdp-topic-add") in body,
        "Attended" in body,
    ) == (False, False, False, False)


def test_coverage_link_shows_to_those_who_take_part(client_for, delivered, colleague, intern, mentor):
    assert reverse("ite:pdp-coverage") not in client_for(colleague).get(reverse("ite:pdp")).content.decode()
    assert reverse("ite:pdp-coverage") in client_for(intern).get(reverse("ite:pdp")).content.decode()
    assert reverse("ite:pdp-coverage") in client_for(mentor).get(reverse("ite:pdp")).content.decode()


def test_sessions_of_another_year_are_not_in_this_years_programme(
    client_for, ite_tutor, topics, year, college
):
    last_year = AcademicYear.objects.create(
        institution=college,
        name="Last year",
        starts_on=year.starts_on - dt.timedelta(days=365),
        ends_on=year.starts_on - dt.timedelta(days=1),
    )
    PdpSession.objects.create(
        institution=college,
        academic_year=last_year,
        topic=topics[1],
        speaker="Old",
        starts_at=session_start(year) - dt.timedelta(days=365),
    )
    response = client_for(ite_tutor).get(reverse("ite:pdp"))
    assert (response.context["sessions"], response.context["topics"][1].session_count) == ([], 0)


def test_a_session_not_yet_registered_shows_its_status(client_for, ite_tutor, topics, year):
    _schedule(ite_tutor, topics[2], year, room="")
    response = client_for(ite_tutor).get(reverse("ite:pdp"))
    assert [s.status for s in response.context["sessions"]] == [("under", "Register not taken")]
    assert "To be confirmed" in response.content.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_programme_page_queries_do_not_grow_with_sessions(
    client_for, ite_tutor, topics, year, intern, django_assert_num_queries, count
):
    for n in range(count):
        session = _schedule(ite_tutor, topics[n], year, days=n)
        services_pdp.take_register(actor=ite_tutor.user, session=session, attendee_ids=[intern.pk])
    client = client_for(ite_tutor)
    # session and user (2), actor: staff, roles, caseload, reports (4), current year (1), is ITE tutor (1),
    # topics with session counts (1) and their standards (1), sessions with attendance counts (1), the topic
    # form's standards: frameworks in use (1) and standards (1).
    with django_assert_num_queries(13):
        response = client.get(reverse("ite:pdp"))
    assert len(response.context["sessions"]) == count


def test_programme_page_says_when_there_is_no_current_year(client_for, ite_tutor, standards, year):
    year.starts_on, year.ends_on = year.starts_on.replace(year=2000), year.ends_on.replace(year=2001)
    year.save()
    response = client_for(ite_tutor).get(reverse("ite:pdp"))
    assert "There is no current academic year." in response.content.decode()
    assert response.context["sessions"] == []
