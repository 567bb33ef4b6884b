"""CPD pages (issue 6): the register and evaluation forms, my CPD record and its CSV, the coverage board,
and query counts that stay the same as sessions, departments and attendees grow."""

import csv
import datetime as dt
import io
import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from protutor.cpd.models import (
    Attendance,
    DevelopmentRequest,
    EvaluationReceipt,
    EvaluationResponse,
    Session,
)
from protutor.people.models import Caseload, CaseloadDepartment
from tests.factories.cpd import at, deliver, evaluate, plan, started, upcoming
from tests.factories.people import (
    AcademicYearFactory,
    DepartmentFactory,
    InstitutionFactory,
    StaffMemberFactory,
)
from tests.notifications import updates

pytestmark = pytest.mark.django_db


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def past_session(tutor, department, year):
    return plan(tutor, department, starts_at=started(year), title="Routines")


# Asking for development, planning, changing, cancelling


def test_request_development_saves_anonymous_request(client_for, teacher, department):
    response = client_for(teacher).post(
        reverse("cpd:request-development"), {"topic": "Questioning", "anonymous": "on"}
    )
    assert (response.status_code, response["Location"]) == (302, reverse("cpd:request-development"))
    assert list(
        DevelopmentRequest.objects.values_list("department", "requested_by", "anonymous", "topic")
    ) == [(department.pk, teacher.pk, True, "Questioning")]


def test_request_development_without_department_shows_error(client_for, tutor):
    response = client_for(tutor).post(reverse("cpd:request-development"), {"topic": "Coaching"})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "__all__": ["You need a department to ask for development: ask your administrator to set it."]
    }
    assert DevelopmentRequest.objects.count() == 0


def test_session_create_prefills_department_and_standards(client_for, tutor, department, year, standards):
    standard = standards.get(framework__code="TS", number="4")
    response = client_for(tutor).get(
        reverse("cpd:session-create"), {"department": department.pk, "standard": [standard.pk, "x"]}
    )
    initial = response.context["form"].initial
    assert (initial["department"], initial["focus_standards"], initial["length_minutes"]) == (
        department.pk,
        [standard.pk],
        30,
    )


def test_session_create_404_for_teacher(client_for, teacher, year):
    assert client_for(teacher).get(reverse("cpd:session-create")).status_code == 404


def test_session_edit_by_head_changes_and_bumps_sequence(client_for, tutor, hod, department, year):
    session = plan(tutor, department, starts_at=upcoming(year), title="Routines")
    client = client_for(hod)
    form = client.get(reverse("cpd:session-edit", args=[session.pk])).context["form"]
    response = client.post(
        reverse("cpd:session-edit", args=[session.pk]),
        {**{k: v for k, v in form.initial.items() if v not in (None, [])}, "room": "B12"},
    )
    session.refresh_from_db()
    assert (response.status_code, response["Location"]) == (302, session.get_absolute_url())
    assert (session.title, session.room, session.sequence, Session.objects.count()) == (
        "Routines",
        "B12",
        1,
        1,
    )


def test_session_copy_404_for_reader_who_plans_nothing(client_for, tutor, teacher, department, year):
    session = plan(tutor, department, starts_at=upcoming(year))
    assert client_for(teacher).get(reverse("cpd:session-copy", args=[session.pk])).status_code == 404


def test_session_cancel_by_head(
    client_for,
    django_capture_on_commit_callbacks,
    mailoutbox,
    tutor,
    hod,
    teacher,
    line_manager,
    department,
    year,
):
    session = plan(tutor, department, starts_at=upcoming(year), title="Routines")
    client = client_for(hod)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("cpd:session-cancel", args=[session.pk]), {"reason": "  Parents' evening moved  "}
        )
    session.refresh_from_db()
    assert (response.status_code, messages_of(response)) == (
        302,
        ["Session cancelled. Staff in Mathematics have been told; calendars will show it as cancelled."],
    )
    assert (session.status, session.sequence, session.cancelled_reason, session.cancelled_by) == (
        "cancelled",
        1,
        "Parents' evening moved",
        hod,
    )
    assert session.cancelled_at is not None
    told = updates(mailoutbox)
    assert sorted(to[0] for to, _, _ in told) == sorted(s.email for s in [hod, teacher, line_manager])
    assert {(message, path) for _, message, path in told} == {
        (
            f"Mathematics: Routines, {_when(session)}, is cancelled. Reason: Parents' evening moved",
            session.get_absolute_url(),
        )
    }


def _when(session) -> str:
    start = timezone.localtime(session.starts_at)
    return f"{start:%A} {start.day} {start:%B} at {start:%H:%M}"


def test_session_cancel_asks_to_confirm_and_for_a_reason(
    client_for, django_capture_on_commit_callbacks, mailoutbox, tutor, hod, department, year
):
    session = plan(tutor, department, starts_at=upcoming(year), title="Routines")
    client = client_for(hod)
    detail = client.get(session.get_absolute_url()).content.decode()
    confirm = client.get(reverse("cpd:session-cancel", args=[session.pk]))
    with django_capture_on_commit_callbacks(execute=True):
        refused = client.post(reverse("cpd:session-cancel", args=[session.pk]), {"reason": "   "})
    session.refresh_from_db()
    # The session page links to the confirmation; it no longer cancels in one click.
    assert f'href="{reverse("cpd:session-cancel", args=[session.pk])}"' in detail
    assert 'action="{}"'.format(reverse("cpd:session-cancel", args=[session.pk])) not in detail
    assert (confirm.status_code, "Cancel “Routines”?" in confirm.content.decode()) == (200, True)
    assert (refused.status_code, refused.context["form"].errors) == (
        200,
        {"reason": ["Enter why the session is cancelled"]},
    )
    assert refused.content.decode().count("Error:") >= 1
    assert (session.status, session.sequence, mailoutbox) == ("planned", 0, [])


def test_cancelled_session_shows_why_to_the_invited(client_for, tutor, teacher, department, year):
    session = plan(tutor, department, starts_at=upcoming(year), title="Routines")
    client_for(tutor).post(reverse("cpd:session-cancel", args=[session.pk]), {"reason": "Room flooded"})
    client = client_for(teacher)
    detail = client.get(session.get_absolute_url()).content.decode()
    listing = client.get(reverse("cpd:session-list")).content.decode()
    assert "This session is cancelled" in detail
    assert "Reason: Room flooded" in detail
    assert "Cancel the session" not in detail
    assert "Routines" in listing and "Cancelled" in listing


def test_session_cancel_twice_says_already_cancelled(client_for, tutor, department, year):
    session = plan(tutor, department, starts_at=upcoming(year))
    client = client_for(tutor)
    client.post(reverse("cpd:session-cancel", args=[session.pk]), {"reason": "Clash"}, follow=True)
    again = client.get(reverse("cpd:session-cancel", args=[session.pk]))
    assert (again.status_code, messages_of(again)) == (302, ["This session is already cancelled."])


def test_session_cancel_404_for_teacher(client_for, tutor, teacher, department, year):
    session = plan(tutor, department, starts_at=upcoming(year))
    url = reverse("cpd:session-cancel", args=[session.pk])
    client = client_for(teacher)
    assert [client.get(url).status_code, client.post(url, {"reason": "x"}).status_code] == [404, 404]
    session.refresh_from_db()
    assert session.status == "planned"


def _edit(client, session, **changes):
    form = client.get(reverse("cpd:session-edit", args=[session.pk])).context["form"]
    data = {k: v for k, v in form.initial.items() if v not in (None, [])}
    return client.post(reverse("cpd:session-edit", args=[session.pk]), {**data, **changes})


def test_session_edit_room_only_says_what_changed_and_tells_the_invited(
    client_for,
    django_capture_on_commit_callbacks,
    mailoutbox,
    tutor,
    hod,
    teacher,
    line_manager,
    department,
    year,
):
    session = plan(tutor, department, starts_at=upcoming(year), title="Routines")
    with django_capture_on_commit_callbacks(execute=True):
        response = _edit(client_for(hod), session, room="B12")
    assert messages_of(response) == [
        "Routines saved. Staff in Mathematics have been told what changed: room: now B12 (was to be "
        "confirmed)."
    ]
    assert "have been invited" not in messages_of(response)[0]
    told = updates(mailoutbox)
    assert sorted(to[0] for to, _, _ in told) == sorted(s.email for s in [hod, teacher, line_manager])
    assert {message for _, message, _ in told} == {
        "Mathematics: Routines has changed.\n- Room: now B12 (was to be confirmed)"
    }


def test_session_edit_time_and_format_say_both(
    client_for, django_capture_on_commit_callbacks, mailoutbox, tutor, teacher, department, year
):
    session = plan(tutor, department, starts_at=upcoming(year, hour=16), title="Routines")
    later = timezone.localtime(session.starts_at) + dt.timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        response = _edit(
            client_for(tutor),
            session,
            starts_at=later.strftime("%Y-%m-%dT%H:%M"),
            format="workshop",
            length_minutes="60",
        )
    assert messages_of(response) == [
        "Routines saved. Staff in Mathematics have been told what changed: time: now 17:00 to 18:00 (was "
        "16:00 to 16:30); format: now Longer workshop (was 30-minute meeting)."
    ]
    assert {message for _, message, _ in updates(mailoutbox)} == {
        "Mathematics: Routines has changed.\n"
        "- Time: now 17:00 to 18:00 (was 16:00 to 16:30)\n"
        "- Format: now Longer workshop (was 30-minute meeting)"
    }


def test_session_edit_title_only_emails_nobody(
    client_for, django_capture_on_commit_callbacks, mailoutbox, tutor, department, year
):
    session = plan(tutor, department, starts_at=upcoming(year), title="Routines")
    with django_capture_on_commit_callbacks(execute=True):
        response = _edit(client_for(tutor), session, title="Routines that stick", aims="Entry routines")
    session.refresh_from_db()
    assert (session.title, session.sequence) == ("Routines that stick", 1)
    assert messages_of(response) == [
        "Routines that stick saved. The date, time, room and format are as before, so nobody was told."
    ]
    assert mailoutbox == []


def test_session_edit_of_cancelled_session_refused(client_for, tutor, department, year):
    session = plan(tutor, department, starts_at=upcoming(year))
    client = client_for(tutor)
    client.post(reverse("cpd:session-cancel", args=[session.pk]), {"reason": "Clash"}, follow=True)
    response = client.get(reverse("cpd:session-edit", args=[session.pk]))
    assert (response.status_code, messages_of(response)) == (
        302,
        ["This session is cancelled, so it cannot be changed."],
    )


# Who sees the evaluation summary


def test_evaluation_summary_hidden_from_lead_of_another_school_who_teaches_here(
    client_for, college, department, past_session, tutor, programme_lead
):
    """A programme lead of school A of the trust who teaches Mathematics here reads the session, and may
    even have attended it, but its evaluation summary is for this college's lead and planners."""
    from protutor.people.models import Role
    from tests.factories.people import RoleAssignmentFactory

    trust_lead = StaffMemberFactory(institution=college, department=department)
    RoleAssignmentFactory(
        staff=trust_lead, role=Role.PROGRAMME_LEAD, institution=InstitutionFactory(name="School A")
    )
    deliver(past_session, tutor, [trust_lead])
    theirs = client_for(trust_lead).get(past_session.get_absolute_url())
    leads = client_for(programme_lead).get(past_session.get_absolute_url())
    assert (theirs.status_code, "evaluation" in theirs.context) == (200, False)
    assert '<h2 class="govuk-heading-m">Evaluations</h2>' not in theirs.content.decode()
    assert (leads.status_code, "evaluation" in leads.context) == (200, True)


def test_session_detail_shows_only_requests_the_reader_may_read(
    client_for, tutor, hod, teacher, colleague, department, year
):
    from protutor.cpd import services

    anonymous = services.request_development(actor=teacher.user, topic="Marking in a hurry", anonymous=True)
    named = services.request_development(actor=colleague.user, topic="Cold calling")
    session = plan(tutor, department, starts_at=upcoming(year), requests=[named])
    session.requests.add(anonymous)
    bodies = {p: client_for(p).get(session.get_absolute_url()).content.decode() for p in (hod, teacher)}
    assert ("Cold calling" in bodies[hod], "Marking in a hurry" in bodies[hod]) == (True, False)
    assert ("Marking in a hurry" in bodies[teacher], "Cold calling" in bodies[teacher]) == (True, False)


def test_session_edit_keeps_links_to_requests_the_planner_cannot_read(
    client_for, tutor, hod, teacher, department, year
):
    from protutor.cpd import services

    anonymous = services.request_development(actor=teacher.user, topic="Marking", anonymous=True)
    session = plan(tutor, department, starts_at=upcoming(year))
    session.requests.add(anonymous)
    _edit(client_for(hod), session, room="B12")
    assert list(session.requests.all()) == [anonymous]


def test_session_cancel_delivered_refused_with_message(client_for, past_session, tutor, teacher):
    deliver(past_session, tutor, [teacher])
    response = client_for(tutor).post(reverse("cpd:session-cancel", args=[past_session.pk]))
    past_session.refresh_from_db()
    assert (messages_of(response), past_session.status) == (
        ["A delivered session cannot be cancelled."],
        "delivered",
    )


# The register


def test_session_register_records_attendance(client_for, past_session, tutor, teacher, colleague, hod):
    client = client_for(tutor)
    page = client.get(reverse("cpd:session-register", args=[past_session.pk]))
    response = client.post(
        reverse("cpd:session-register", args=[past_session.pk]), {"attendees": [teacher.pk, colleague.pk]}
    )
    past_session.refresh_from_db()
    assert [str(choice[1]) for choice in page.context["form"].fields["attendees"].choices] == [
        "Colin Colleague",
        "Hari Head",
        "Lena Manager",
        "Tess Teacher",
    ]
    assert (response.status_code, response["Location"]) == (302, past_session.get_absolute_url())
    assert messages_of(response) == ["Register saved: 2 attended"]
    assert set(Attendance.objects.filter(session=past_session).values_list("staff", flat=True)) == {
        teacher.pk,
        colleague.pk,
    }
    assert past_session.status == "delivered"


def test_session_register_before_start_shows_error(client_for, tutor, teacher, department, year):
    session = plan(tutor, department, starts_at=upcoming(year))
    response = client_for(tutor).post(
        reverse("cpd:session-register", args=[session.pk]), {"attendees": [teacher.pk]}
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"__all__": ["Take the register once the session has started."]}
    assert Attendance.objects.count() == 0


def test_session_register_404_for_teacher_and_other_tutor(client_for, past_session, teacher, other_tutor):
    url = reverse("cpd:session-register", args=[past_session.pk])
    assert [client_for(p).get(url).status_code for p in (teacher, other_tutor)] == [404, 404]


# The evaluation


@pytest.fixture
def delivered(past_session, tutor, teacher):
    return deliver(past_session, tutor, [teacher])


def test_session_evaluate_saves_response_then_refuses_second(client_for, delivered, teacher):
    client = client_for(teacher)
    url = reverse("cpd:session-evaluate", args=[delivered.pk])
    form_shown = "evaluation_form" in client.get(delivered.get_absolute_url()).context
    first = client.post(url, {"usefulness": "4", "will_try": "Cold calling"}, follow=True)
    second = client.post(url, {"usefulness": "1", "will_try": "Changed my mind"}, follow=True)
    after = client.get(delivered.get_absolute_url())
    assert form_shown is True
    assert (first.redirect_chain, [str(m) for m in first.context["messages"]]) == (
        [(delivered.get_absolute_url(), 302)],
        ["Thank you. Your answers are anonymous."],
    )
    assert [str(m) for m in second.context["messages"]] == [
        "You have already evaluated this session. Thank you."
    ]
    assert list(EvaluationResponse.objects.values_list("usefulness", "will_try")) == [(4, "Cold calling")]
    assert list(EvaluationReceipt.objects.values_list("staff", flat=True)) == [teacher.pk]
    assert (
        "evaluation_form" in after.context,
        "Thank you for your evaluation." in after.content.decode(),
    ) == (
        False,
        True,
    )


def test_session_evaluate_without_usefulness_says_select(client_for, delivered, teacher):
    response = client_for(teacher).post(
        reverse("cpd:session-evaluate", args=[delivered.pk]), {"will_try": "x"}
    )
    assert messages_of(response) == ["Select how useful the session was"]
    assert EvaluationResponse.objects.count() == 0


def test_session_evaluate_non_attendee_refused_with_message(client_for, delivered, colleague):
    response = client_for(colleague).post(
        reverse("cpd:session-evaluate", args=[delivered.pk]), {"usefulness": "5"}
    )
    assert messages_of(response) == ["Only people who attended can evaluate the session."]
    assert EvaluationResponse.objects.count() == 0


# My CPD record


@pytest.fixture
def my_sessions(college, year, tutor, teacher, colleague, department):
    """The teacher attended a 10-minute takeaway and, later, a 30-minute meeting this year; not
    counted: a session only the colleague attended, and one the teacher attended last year."""
    # Equal only just after midnight on the first day of the year; then the earlier-planned comes first.
    earlier, later = sorted([started(year, 8), started(year, 9)])
    takeaway = plan(
        tutor, department, starts_at=earlier, title="Routines", length_minutes=10, format="takeaway"
    )
    meeting = plan(tutor, department, starts_at=later, title="Questioning", length_minutes=30)
    not_mine = plan(tutor, department, starts_at=later, title="Not mine", length_minutes=60)
    deliver(meeting, tutor, [teacher, colleague])
    deliver(takeaway, tutor, [teacher])
    deliver(not_mine, tutor, [colleague])
    start = year.starts_on.year - 1
    last_year = AcademicYearFactory(
        institution=college, starts_on=dt.date(start, 9, 1), ends_on=dt.date(start + 1, 8, 31)
    )
    old = plan(tutor, department, starts_at=at(dt.date(start, 10, 6)), title="Last year", length_minutes=60)
    deliver(old, tutor, [teacher])
    assert old.term.academic_year == last_year
    return takeaway, meeting


def test_my_record_totals_sessions_and_hours(client_for, teacher, year, my_sessions):
    response = client_for(teacher).get(reverse("cpd:my-record"))
    # 10 + 30 minutes = 0.67 hours, shown to one place.
    assert (response.context["sessions"], response.context["hours"]) == (2, 0.7)
    assert [a.session.title for a in response.context["attended"]] == ["Routines", "Questioning"]
    assert f'<h1 class="govuk-heading-l">My CPD record, {year.name}</h1>' in response.content.decode()
    assert '<p class="govuk-body">2 sessions, 0.7 hours.</p>' in response.content.decode()


def test_my_record_csv_rows(client_for, teacher, my_sessions):
    takeaway, meeting = my_sessions
    response = client_for(teacher).get(reverse("cpd:my-record"), {"format": "csv"})
    assert (response["Content-Type"], response["Content-Disposition"]) == (
        "text/csv; charset=utf-8",
        'attachment; filename="my-cpd-record.csv"',
    )
    assert list(csv.reader(io.StringIO(response.content.decode()))) == [
        ["date", "session", "department", "format", "hours"],
        [
            str(timezone.localtime(takeaway.starts_at).date()),
            "Routines",
            "Mathematics",
            "10-minute takeaway",
            "0.17",
        ],
        [
            str(timezone.localtime(meeting.starts_at).date()),
            "Questioning",
            "Mathematics",
            "30-minute meeting",
            "0.5",
        ],
    ]


def test_my_record_nothing_attended(client_for, colleague, year):
    response = client_for(colleague).get(reverse("cpd:my-record"))
    assert (response.context["sessions"], response.context["hours"], response.context["attended"]) == (
        0,
        0.0,
        [],
    )


# The coverage board


def row_headers(response) -> list[str]:
    return re.findall(r'<th scope="row" class="govuk-table__header">([^<]*)</th>', response.content.decode())


def test_coverage_board_lists_every_department_for_programme_lead(
    client_for, programme_lead, college, department, other_department, year
):
    DepartmentFactory(institution=college, name="Science")
    DepartmentFactory(institution=InstitutionFactory(name="Another School"), name="Elsewhere")
    response = client_for(programme_lead).get(reverse("cpd:coverage"))
    assert response.status_code == 200
    assert row_headers(response) == ["Art and Design", "Mathematics", "Science"]
    assert [term.name for term in response.context["terms"]] == ["autumn", "spring", "summer"]


def test_coverage_board_tutor_sees_own_caseload(client_for, tutor, department, other_department, year):
    response = client_for(tutor).get(reverse("cpd:coverage"))
    assert row_headers(response) == ["Mathematics"]


def plan_links(response) -> list[str]:
    return re.findall(
        r'>Plan a session<span class="govuk-visually-hidden"> for ([^<]*)</span>', response.content.decode()
    )


def test_coverage_board_offers_planning_only_where_behind_and_planned(
    client_for, tutor, programme_lead, department, other_department, year
):
    # Nothing is planned, so this term's cells are behind, unless today falls in a holiday (where no cell
    # is behind and there is nothing to offer). Only the tutor plans Mathematics; nobody here plans Art.
    today = timezone.localdate()
    behind = year.terms.filter(starts_on__lte=today, ends_on__gte=today).exists()
    tutor_page = client_for(tutor).get(reverse("cpd:coverage"))
    lead_page = client_for(programme_lead).get(reverse("cpd:coverage"))
    assert (plan_links(tutor_page), plan_links(lead_page)) == (["Mathematics"] if behind else [], [])


def test_coverage_board_404_for_teacher(client_for, teacher, year):
    assert client_for(teacher).get(reverse("cpd:coverage")).status_code == 404


# Query counts


@pytest.mark.parametrize("n", [1, 3])
def test_session_list_query_count_is_constant(
    client_for, django_assert_num_queries, tutor, department, year, n
):
    for i in range(n):
        plan(tutor, department, starts_at=upcoming(year) + dt.timedelta(minutes=i), title=f"Coming {i}")
        plan(tutor, department, starts_at=started(year) + dt.timedelta(minutes=i), title=f"Earlier {i}")
    client = client_for(tutor)
    # session, user, upcoming sessions with department and term, earlier sessions with department and
    # term, departments planned (the "Plan a session" button), coverage departments (its link), actor
    # (staff, roles, caseload, reports)
    with django_assert_num_queries(10):
        client.get(reverse("cpd:session-list"))


@pytest.mark.parametrize("n", [1, 3])
def test_coverage_query_count_is_constant(
    client_for, django_assert_num_queries, college, tutor, programme_lead, year, n
):
    caseload = Caseload.objects.get(tutor=tutor)
    for i in range(n):
        department = DepartmentFactory(institution=college, name=f"Department {i}")
        CaseloadDepartment.objects.create(caseload=caseload, department=department, academic_year=year)
        plan(tutor, department, starts_at=upcoming(year))
    client = client_for(programme_lead)
    # session, user, can see coverage (led institutions), actor (staff, roles, caseload, reports), current
    # year, its terms, departments, sessions counted by department, term and status, CPD policy,
    # departments planned (for "Plan a session" links), years
    with django_assert_num_queries(14):
        client.get(reverse("cpd:coverage"))


@pytest.mark.parametrize("n", [1, 3])
def test_session_detail_query_count_is_constant(
    client_for, django_assert_num_queries, college, department, past_session, tutor, n
):
    attendees = [StaffMemberFactory(institution=college, department=department) for _ in range(n)]
    deliver(past_session, tutor, attendees)
    for person in attendees:
        evaluate(past_session, person, 4)
    client = client_for(tutor)
    # session, user, session with department, term and copied-from, focus standards with frameworks,
    # resources, can edit (departments planned), attended, evaluated, attendance count, requests the reader
    # may read, may read the evaluation summary, evaluation responses, actor (staff, roles, caseload,
    # reports), the term's academic year (caption)
    with django_assert_num_queries(17):
        client.get(past_session.get_absolute_url())
