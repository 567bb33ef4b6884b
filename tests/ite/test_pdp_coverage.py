"""Which topics each intern or new teacher has covered this year, and who may see whose."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from protutor.ite import services_pdp
from protutor.ite.models import ChecklistTemplate, PdpAttendance, PdpSession, PdpTopic, StaffInduction
from protutor.ite.permissions import pdp_attendance_readable_by
from protutor.people.models import AcademicYear
from tests.factories.ite import InternFactory
from tests.factories.people import StaffMemberFactory
from tests.ite.matrix_pdp import session_start

pytestmark = pytest.mark.django_db


@pytest.fixture
def hand_built(college, year, ite_tutor, intern_record, other_mentor, ect_record):
    """Three topics (and a retired fourth); sessions on A and B this year and on C last year. The intern
    attended A and B, the ECT attended A and (last year) C, the Art intern attended nothing; the intern
    also attended a session on the retired topic."""
    a, b, c = (
        PdpTopic.objects.create(institution=college, title=title, position=n)
        for n, title in enumerate(["A topic", "B topic", "C topic"], start=1)
    )
    retired = PdpTopic.objects.create(institution=college, title="Retired", position=4, active=False)
    last_year = AcademicYear.objects.create(
        institution=college,
        name="Last year",
        starts_on=year.starts_on - dt.timedelta(days=365),
        ends_on=year.starts_on - dt.timedelta(days=1),
    )
    when = session_start(year)

    def session(topic, academic_year=year, starts_at=when):
        return PdpSession.objects.create(
            institution=college, academic_year=academic_year, topic=topic, speaker="S", starts_at=starts_at
        )

    s_a, s_b, s_retired = session(a), session(b), session(retired)
    s_c_last_year = session(c, last_year, when - dt.timedelta(days=365))
    art_intern = other_mentor.mentees.get().staff
    for sess, staff in [
        (s_a, intern_record.staff),
        (s_b, intern_record.staff),
        (s_retired, intern_record.staff),
        (s_a, ect_record.staff),
        (s_c_last_year, ect_record.staff),
    ]:
        PdpAttendance.objects.create(session=sess, staff=staff)
    return {
        "topics": (a, b, c),
        "year": year,
        "intern": intern_record.staff,
        "ect": ect_record.staff,
        "art": art_intern,
    }


def _titles(result):
    return {
        who: ([t.title for t in r["covered"]], [t.title for t in r["missing"]]) for who, r in result.items()
    }


def test_coverage_for_against_a_hand_built_fixture(hand_built, college):
    intern, ect, art = hand_built["intern"], hand_built["ect"], hand_built["art"]
    result = services_pdp.coverage_for([intern.pk, ect.pk, art.pk], college.pk, hand_built["year"])
    assert _titles(result) == {
        intern.pk: (["A topic", "B topic"], ["C topic"]),
        ect.pk: (["A topic"], ["B topic", "C topic"]),
        art.pk: ([], ["A topic", "B topic", "C topic"]),
    }


def test_coverage_for_counts_only_the_attendance_given(hand_built, college, mentor):
    intern, ect = hand_built["intern"], hand_built["ect"]
    result = services_pdp.coverage_for(
        [intern.pk, ect.pk],
        college.pk,
        hand_built["year"],
        attendance=pdp_attendance_readable_by(mentor.user),
    )
    assert _titles(result) == {
        intern.pk: (["A topic", "B topic"], ["C topic"]),
        ect.pk: ([], ["A topic", "B topic", "C topic"]),
    }


@pytest.mark.parametrize("people", [1, 3])
def test_coverage_for_takes_two_queries_whatever_the_number(
    hand_built, college, django_assert_num_queries, people
):
    staff_ids = [hand_built[k].pk for k in ("intern", "ect", "art")][:people]
    # the active topics (1), the attendance of these people this year (1)
    with django_assert_num_queries(2):
        result = services_pdp.coverage_for(staff_ids, college.pk, hand_built["year"])
    assert len(result) == people


def test_coverage_for_nobody_reads_only_the_topics(college, year, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert services_pdp.coverage_for([], college.pk, year) == {}


def _rows(response):
    return [
        (
            row["person"].staff.full_name,
            row["person"].kind,
            len(row["covered"]),
            [t.title for t in row["missing"]],
        )
        for row in response.context["rows"]
    ]


def test_ite_tutor_sees_everyone_covered_and_missing(client_for, hand_built, ite_tutor):
    response = client_for(ite_tutor).get(reverse("ite:pdp-coverage"))
    body = response.content.decode()
    assert _rows(response) == [
        ("Ari Artintern", "Intern, Art", 0, ["A topic", "B topic", "C topic"]),
        ("Evan Earlycareer", "Early-career teacher", 1, ["B topic", "C topic"]),
        ("Ines Intern", "Intern, Mathematics", 2, ["C topic"]),
    ]
    assert [(line["topic"].title, line["cells"]) for line in response.context["grid"]] == [
        ("A topic", [False, True, True]),
        ("B topic", [False, False, True]),
        ("C topic", [False, False, False]),
    ]
    assert "2 of 3 topics covered" in body
    assert "0 of 3 topics covered" in body
    assert "Retired" not in body


def test_programme_lead_sees_everyone(client_for, hand_built, programme_lead):
    response = client_for(programme_lead).get(reverse("ite:pdp-coverage"))
    assert [r[0] for r in _rows(response)] == ["Ari Artintern", "Evan Earlycareer", "Ines Intern"]


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("intern", [("Ines Intern", "Intern, Mathematics", 2, ["C topic"])]),
        ("mentor", [("Ines Intern", "Intern, Mathematics", 2, ["C topic"])]),
        ("other_mentor", [("Ari Artintern", "Intern, Art", 0, ["A topic", "B topic", "C topic"])]),
        ("ect", [("Evan Earlycareer", "Early-career teacher", 1, ["B topic", "C topic"])]),
        ("induction_tutor", [("Evan Earlycareer", "Early-career teacher", 1, ["B topic", "C topic"])]),
    ],
)
def test_others_see_only_the_people_they_work_with(request, client_for, hand_built, persona, expected):
    response = client_for(request.getfixturevalue(persona)).get(reverse("ite:pdp-coverage"))
    assert _rows(response) == expected


def test_a_head_of_department_who_mentors_an_ect_sees_that_ect_alone(client_for, hand_built, hod, ect_record):
    ect_record.mentor = hod
    ect_record.save()
    response = client_for(hod).get(reverse("ite:pdp-coverage"))
    assert _rows(response) == [("Evan Earlycareer", "Early-career teacher", 1, ["B topic", "C topic"])]


def test_an_intern_sees_only_their_own_row(client_for, hand_built, intern):
    body = client_for(intern).get(reverse("ite:pdp-coverage")).content.decode()
    assert ("Ines Intern" in body, "Evan Earlycareer" in body, "Ari Artintern" in body) == (
        True,
        False,
        False,
    )


@pytest.mark.parametrize("persona", ["hod", "colleague", "admin", "teacher"])
def test_coverage_is_a_404_for_staff_who_work_with_nobody_on_it(request, client_for, intern_record, persona):
    assert client_for(request.getfixturevalue(persona)).get(reverse("ite:pdp-coverage")).status_code == 404


def test_a_new_member_of_staff_sees_their_row_but_their_induction_tutor_does_not(
    client_for, college, year, ite_tutor
):
    template = ChecklistTemplate.objects.create(institution=college, name="New staff")
    tutor = StaffMemberFactory(institution=college)
    newcomer = StaffMemberFactory(institution=college, forename="Nell", surname="Newstaff")
    StaffInduction.objects.create(
        staff=newcomer, template=template, starts_on=timezone.localdate(), induction_tutor=tutor
    )
    response = client_for(newcomer).get(reverse("ite:pdp-coverage"))
    assert _rows(response) == [("Nell Newstaff", "New staff", 0, [])]
    # The attendance scope does not reach a new member of staff's induction tutor (permissions.py).
    assert client_for(tutor).get(reverse("ite:pdp-coverage")).status_code == 404


def test_coverage_of_the_seeded_programme(client_for, ite_tutor, intern, standards, year):
    topics = services_pdp.seed_topics(actor=ite_tutor.user, institution_id=ite_tutor.institution_id)
    session = services_pdp.schedule_session(
        actor=ite_tutor.user,
        institution_id=ite_tutor.institution_id,
        topic=topics[3],
        speaker="Bea Haviour",
        starts_at=session_start(year),
        length_minutes=60,
    )
    services_pdp.take_register(actor=ite_tutor.user, session=session, attendee_ids=[intern.pk])
    response = client_for(intern).get(reverse("ite:pdp-coverage"))
    assert "1 of 22 topics covered" in response.content.decode()
    assert _rows(response) == [
        ("Ines Intern", "Intern, Mathematics", 1, [t.title for t in topics if t != topics[3]])
    ]


@pytest.mark.parametrize("interns", [1, 3])
def test_coverage_page_queries_do_not_grow(
    client_for, ite_tutor, intern_record, programme, college, year, django_assert_num_queries, interns
):
    topic = PdpTopic.objects.create(institution=college, title="A topic", position=1)
    session = PdpSession.objects.create(
        institution=college, academic_year=year, topic=topic, speaker="S", starts_at=session_start(year)
    )
    PdpAttendance.objects.create(session=session, staff=intern_record.staff)
    for n in range(interns - 1):
        extra = InternFactory(programme=programme, subject=f"Subject {n}")
        PdpAttendance.objects.create(session=session, staff=extra.staff)
    client = client_for(ite_tutor)
    # session and user (2), actor: staff, roles, caseload, reports (4), oversees (1), current year (1),
    # participants: interns, ECTs, new staff (3), coverage: topics and attendance (2).
    with django_assert_num_queries(13):
        response = client.get(reverse("ite:pdp-coverage"))
    assert [len(row["covered"]) for row in response.context["rows"]] == [1] * interns
