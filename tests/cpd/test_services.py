"""CPD writes (issue 6): planning and changing sessions (head and tutor together), copying, the register,
anonymous evaluations, development requests, and the background tasks that send reminders and the
tutors' weekly coverage email."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from protutor.audit.models import AuditEvent
from protutor.core.errors import ServiceError
from protutor.cpd import services
from protutor.cpd.models import Attendance, EvaluationReceipt, EvaluationResponse, Session
from protutor.cpd.tasks import send_coverage_digest, send_session_reminders
from protutor.people.models import Caseload, CaseloadDepartment
from tests.factories.cpd import at, change, deliver, evaluate, plan, started, upcoming
from tests.factories.people import StaffMemberFactory
from tests.notifications import updates

pytestmark = pytest.mark.django_db

PLANNERS_ONLY = "Only the department's head or professional tutor can plan its sessions"


def audit_actions() -> list[tuple[str, str]]:
    return list(AuditEvent.objects.order_by("pk").values_list("actor__username", "action"))


# save_session


@pytest.mark.parametrize(("creator", "editor"), [("hod", "tutor"), ("tutor", "hod")])
def test_save_session_head_and_tutor_both_create_and_edit(request, department, year, creator, editor):
    creator, editor = request.getfixturevalue(creator), request.getfixturevalue(editor)
    when = upcoming(year)
    session = plan(
        creator, department, starts_at=when, title="  Questioning  ", aims=" Everyone ", room=" B12 "
    )
    created = (session.title, session.aims, session.room, session.sequence, session.created_by)
    session = change(editor, session, title="Questioning, week 2", length_minutes=10, format="takeaway")
    session.refresh_from_db()
    assert created == ("Questioning", "Everyone", "B12", 0, creator)
    assert (
        session.title,
        session.length_minutes,
        session.format,
        session.starts_at,
        session.sequence,
        session.status,
        session.created_by,
    ) == ("Questioning, week 2", 10, "takeaway", when, 1, "planned", creator)
    assert audit_actions() == [
        (creator.user.username, "cpd.session_planned"),
        (editor.user.username, "cpd.session_changed"),
    ]


@pytest.mark.parametrize("persona", ["other_tutor", "teacher", "line_manager", "programme_lead", "outsider"])
def test_save_session_refused_for_non_planners_on_department(request, department, year, persona):
    staff = request.getfixturevalue(persona)
    with pytest.raises(ServiceError) as raised:
        plan(staff, department, starts_at=upcoming(year))
    assert (raised.value.field, raised.value.message) == ("department", PLANNERS_ONLY)
    assert Session.objects.count() == 0


def test_save_session_edit_refused_for_other_tutor(tutor, other_tutor, department, year):
    session = plan(tutor, department, starts_at=upcoming(year))
    with pytest.raises(ServiceError) as raised:
        change(other_tutor, session, title="Taken over")
    session.refresh_from_db()
    assert (raised.value.field, raised.value.message) == ("department", PLANNERS_ONLY)
    assert (session.title, session.sequence) == ("Questioning that includes everyone", 0)


def test_save_session_requests_from_another_department_refused(
    tutor, college, department, other_department, year
):
    artist = StaffMemberFactory(institution=college, department=other_department)
    art_request = services.request_development(actor=artist.user, topic="Critique")
    with pytest.raises(ServiceError) as raised:
        plan(tutor, department, starts_at=upcoming(year), requests=[art_request])
    assert (raised.value.field, raised.value.message) == ("requests", "Select requests from this department")
    assert Session.objects.count() == 0


def test_save_session_links_own_department_requests(tutor, teacher, department, year):
    asked = services.request_development(actor=teacher.user, topic="Questioning", anonymous=True)
    session = plan(tutor, department, starts_at=upcoming(year), requests=[asked])
    assert list(session.requests.all()) == [asked]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": "   "}, "title", "Enter a title"),
        ({"length_minutes": 4}, "length_minutes", "Enter a length from 5 to 480 minutes"),
        ({"length_minutes": 481}, "length_minutes", "Enter a length from 5 to 480 minutes"),
    ],
)
def test_save_session_invalid_fields_refused(tutor, department, year, changes, field, message):
    with pytest.raises(ServiceError) as raised:
        plan(tutor, department, starts_at=upcoming(year), **changes)
    assert (raised.value.field, raised.value.message) == (field, message)
    assert Session.objects.count() == 0


@pytest.mark.parametrize("length", [5, 480])
def test_save_session_length_limits_accepted(tutor, department, year, length):
    assert plan(tutor, department, starts_at=upcoming(year), length_minutes=length).length_minutes == length


def test_save_session_invitees_emailed_after_commit(
    django_capture_on_commit_callbacks, mailoutbox, tutor, teacher, colleague, line_manager, hod, year
):
    department = teacher.department
    StaffMemberFactory(institution=teacher.institution, department=department, is_active=False)
    StaffMemberFactory(institution=teacher.institution, department=None)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        plan(tutor, department, starts_at=upcoming(year), title="Routines")
    assert (len(callbacks), len(mailoutbox)) == (1, 0)
    with django_capture_on_commit_callbacks(execute=True):
        plan(tutor, department, starts_at=upcoming(year), title="Routines")
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        s.email for s in [teacher, colleague, line_manager, hod]
    )
    told = updates(mailoutbox)
    assert {len(to) for to, _, _ in told} == {1}
    assert all(message.startswith("Mathematics: Routines, ") for _, message, _ in told)


def test_save_session_change_emails_say_changed(
    django_capture_on_commit_callbacks, mailoutbox, tutor, hod, department, year
):
    session = plan(tutor, department, starts_at=upcoming(year), title="Routines")
    with django_capture_on_commit_callbacks(execute=True):
        change(hod, session, room="B12")
    assert [(to, message.splitlines()[0]) for to, message, _ in updates(mailoutbox)] == [
        ([hod.email], "Mathematics: Routines has changed.")
    ]


# Copying a session to another department


def test_session_copy_creates_new_session_copied_from_original(
    client_for, tutor, department, other_department, year
):
    CaseloadDepartment.objects.create(
        caseload=Caseload.objects.get(tutor=tutor), department=other_department, academic_year=year
    )
    original = plan(tutor, department, starts_at=upcoming(year), title="Routines", room="B12")
    when = upcoming(year, skip=1)
    client = client_for(tutor)
    form = client.get(reverse("cpd:session-copy", args=[original.pk])).context["form"]
    response = client.post(
        reverse("cpd:session-copy", args=[original.pk]),
        {
            **{k: v for k, v in form.initial.items() if v not in (None, [])},
            "department": other_department.pk,
            "starts_at": f"{when:%Y-%m-%dT%H:%M}",
            "room": "Art studio",
        },
    )
    copy = Session.objects.exclude(pk=original.pk).get()
    assert (response.status_code, response["Location"]) == (302, copy.get_absolute_url())
    assert (
        copy.department,
        copy.copied_from,
        copy.title,
        copy.room,
        copy.starts_at,
        copy.sequence,
        copy.uid != original.uid,
    ) == (other_department, original, "Routines", "Art studio", when, 0, True)
    original.refresh_from_db()
    assert (original.department, original.room, original.sequence) == (department, "B12", 0)


# record_attendance


@pytest.fixture
def past_session(tutor, department, year):
    return plan(tutor, department, starts_at=started(year), title="Routines")


def test_record_attendance_marks_delivered_and_replaces_set_exactly(
    past_session, tutor, hod, teacher, colleague, line_manager
):
    deliver(past_session, tutor, [teacher, colleague])
    first = set(
        Attendance.objects.filter(session=past_session).values_list("staff__user__username", flat=True)
    )
    deliver(past_session, hod, [colleague, line_manager])
    past_session.refresh_from_db()
    assert first == {"teacher", "colleague"}
    assert set(Attendance.objects.filter(session=past_session).values_list("staff", flat=True)) == {
        colleague.pk,
        line_manager.pk,
    }
    assert (past_session.status, past_session.sequence) == ("delivered", 0)
    assert audit_actions()[-2:] == [("tutor", "cpd.register_taken"), ("hod", "cpd.register_taken")]


def test_record_attendance_empty_register_clears(past_session, tutor, teacher):
    deliver(past_session, tutor, [teacher])
    deliver(past_session, tutor, [])
    assert Attendance.objects.filter(session=past_session).count() == 0


def test_record_attendance_refused_before_start(tutor, teacher, department, year):
    session = plan(tutor, department, starts_at=upcoming(year))
    with pytest.raises(ServiceError) as raised:
        deliver(session, tutor, [teacher])
    session.refresh_from_db()
    assert (raised.value.message, session.status) == (
        "Take the register once the session has started.",
        "planned",
    )
    assert Attendance.objects.count() == 0


def test_record_attendance_refused_for_cancelled(past_session, tutor, teacher):
    services.cancel_session(actor=tutor.user, session=past_session)
    with pytest.raises(ServiceError) as raised:
        deliver(past_session, tutor, [teacher])
    assert (raised.value.message, Attendance.objects.count()) == ("This session was cancelled.", 0)


def test_record_attendance_refused_for_other_tutor(past_session, other_tutor, teacher):
    with pytest.raises(ServiceError) as raised:
        deliver(past_session, other_tutor, [teacher])
    assert (raised.value.message, Attendance.objects.count()) == (services.DENIED, 0)


def test_record_attendance_refuses_staff_of_another_institution(past_session, tutor, teacher, outsider):
    with pytest.raises(ServiceError) as raised:
        deliver(past_session, tutor, [teacher, outsider])
    assert (raised.value.field, raised.value.message) == ("attendees", "Select staff from this institution")
    assert Attendance.objects.count() == 0


def test_record_attendance_emails_attendees_the_evaluation(
    django_capture_on_commit_callbacks, mailoutbox, past_session, tutor, teacher, colleague
):
    with django_capture_on_commit_callbacks(execute=True):
        deliver(past_session, tutor, [teacher, colleague])
    assert sorted((message, to[0]) for to, message, _ in updates(mailoutbox)) == [
        ("A two-question anonymous evaluation is waiting for you.", colleague.email),
        ("A two-question anonymous evaluation is waiting for you.", teacher.email),
    ]


# cancel_session


def test_cancel_session_refused_once_delivered(past_session, tutor, teacher):
    deliver(past_session, tutor, [teacher])
    with pytest.raises(ServiceError) as raised:
        services.cancel_session(actor=tutor.user, session=past_session)
    past_session.refresh_from_db()
    assert (raised.value.message, past_session.status) == (
        "A delivered session cannot be cancelled.",
        "delivered",
    )


def test_cancel_session_refused_for_teacher(past_session, teacher):
    with pytest.raises(ServiceError) as raised:
        services.cancel_session(actor=teacher.user, session=past_session)
    past_session.refresh_from_db()
    assert (raised.value.message, past_session.status, past_session.sequence) == (
        services.DENIED,
        "planned",
        0,
    )


# evaluate_session


@pytest.fixture
def delivered(past_session, tutor, teacher):
    return deliver(past_session, tutor, [teacher])


def test_evaluate_session_attendee_once(delivered, teacher):
    evaluate(delivered, teacher, 4, will_try="  Cold calling  ")
    with pytest.raises(ServiceError) as raised:
        evaluate(delivered, teacher, 1)
    assert raised.value.message == "You have already evaluated this session. Thank you."
    assert list(EvaluationResponse.objects.values_list("session", "usefulness", "will_try")) == [
        (delivered.pk, 4, "Cold calling")
    ]
    assert list(EvaluationReceipt.objects.values_list("session", "staff")) == [(delivered.pk, teacher.pk)]


@pytest.mark.parametrize("persona", ["colleague", "tutor", "hod", "outsider"])
def test_evaluate_session_refused_for_non_attendee(request, delivered, persona):
    staff = request.getfixturevalue(persona)
    with pytest.raises(ServiceError) as raised:
        evaluate(delivered, staff, 5)
    assert raised.value.message == "Only people who attended can evaluate the session."
    assert (EvaluationResponse.objects.count(), EvaluationReceipt.objects.count()) == (0, 0)


@pytest.mark.parametrize("usefulness", [0, 6])
def test_evaluate_session_usefulness_out_of_range_refused(delivered, teacher, usefulness):
    with pytest.raises(ServiceError) as raised:
        evaluate(delivered, teacher, usefulness)
    assert (raised.value.field, raised.value.message) == (
        "usefulness",
        "Select how useful it was, from 1 to 5",
    )
    assert (EvaluationResponse.objects.count(), EvaluationReceipt.objects.count()) == (0, 0)


def test_evaluation_response_has_no_link_to_the_person():
    fields = {f.name for f in EvaluationResponse._meta.get_fields()}
    assert fields == {"id", "session", "usefulness", "will_try"}


# request_development


@pytest.mark.parametrize("anonymous", [True, False])
def test_request_development_records_department_and_anonymous_flag(teacher, department, anonymous):
    asked = services.request_development(actor=teacher.user, topic="  Questioning ", anonymous=anonymous)
    assert (asked.department, asked.requested_by, asked.anonymous, asked.topic) == (
        department,
        teacher,
        anonymous,
        "Questioning",
    )
    assert audit_actions() == [("teacher", "cpd.development_requested")]


def test_request_development_with_standard(teacher, standards):
    standard = standards.get(framework__code="TS", number="4")
    asked = services.request_development(actor=teacher.user, topic="Planning", standard=standard)
    assert list(asked.standards.all()) == [standard]


def test_request_development_refused_without_department(tutor):
    with pytest.raises(ServiceError) as raised:
        services.request_development(actor=tutor.user, topic="Coaching")
    assert raised.value.message == (
        "You need a department to ask for development: ask your administrator to set it."
    )


def test_request_development_blank_topic_refused(teacher):
    with pytest.raises(ServiceError) as raised:
        services.request_development(actor=teacher.user, topic="   ")
    assert (raised.value.field, raised.value.message) == ("topic", "Enter what you would like to develop")


# Tasks


def test_send_session_reminders_emails_invitees_of_planned_sessions_only(
    mailoutbox,
    college,
    tutor,
    other_tutor,
    teacher,
    colleague,
    line_manager,
    hod,
    department,
    other_department,
    year,
):
    day = upcoming(year).date()
    artist = StaffMemberFactory(institution=college, department=other_department)
    StaffMemberFactory(institution=college, department=department, is_active=False)
    plan(tutor, department, starts_at=at(day, 16), title="Routines", room="B12")
    cancelled = plan(tutor, department, starts_at=at(day, 17), title="Cancelled one")
    services.cancel_session(actor=tutor.user, session=cancelled)
    plan(tutor, department, starts_at=upcoming(year, skip=1), title="Another day")
    plan(other_tutor, other_department, starts_at=at(day, 16, 30), title="Critique")

    result = send_session_reminders.enqueue(day.isoformat())

    assert (result.status, result.return_value) == ("SUCCESSFUL", 5)
    routines = f"Tomorrow: Mathematics CPD: Routines, {at(day, 16):%A %d %B at %H:%M}, B12."
    critique = f"Tomorrow: Art and Design CPD: Critique, {at(day, 16, 30):%A %d %B at %H:%M}."
    assert sorted((message, to[0]) for to, message, _ in updates(mailoutbox)) == sorted(
        [(routines, s.email) for s in [teacher, colleague, line_manager, hod]] + [(critique, artist.email)]
    )


def test_send_session_reminders_nothing_on_a_day_without_sessions(mailoutbox, tutor, department, year):
    day = upcoming(year).date()
    plan(tutor, department, starts_at=at(day, 16))
    assert send_session_reminders.call((day + dt.timedelta(days=1)).isoformat()) == 0
    assert mailoutbox == []


def test_send_coverage_digest_emails_tutors_with_behind_departments_only(
    mailoutbox, tutor, other_tutor, hod, department, other_department, year
):
    autumn = year.terms.get(number=1)
    plan(other_tutor, other_department, starts_at=at(autumn.starts_on + dt.timedelta(days=30)))
    plan(other_tutor, other_department, starts_at=at(autumn.starts_on + dt.timedelta(days=40)))
    plan(tutor, department, starts_at=at(autumn.starts_on + dt.timedelta(days=30)))
    # 24 days before the end of autumn term: ceil(24 / 7) = 4 weeks left.
    day = autumn.ends_on - dt.timedelta(days=24)

    sent = send_coverage_digest.call(day.isoformat())

    assert sent == 1
    assert updates(mailoutbox) == [
        (
            [tutor.email],
            f"Behind their CPD target this week, in {autumn}: "
            "Mathematics: Behind: 1 more session needed, 4 weeks left in term.",
            reverse("cpd:coverage"),
        )
    ]


def test_send_coverage_digest_skips_tutor_whose_departments_are_on_track(
    mailoutbox, tutor, other_tutor, department, year
):
    autumn = year.terms.get(number=1)
    for days in (10, 20):
        plan(tutor, department, starts_at=at(autumn.starts_on + dt.timedelta(days=days)))
    result = send_coverage_digest.enqueue((autumn.starts_on + dt.timedelta(days=5)).isoformat())
    # Mathematics has its two sessions planned; Art and Design has none, so only its tutor hears.
    assert (result.status, result.return_value, [m.to for m in mailoutbox]) == (
        "SUCCESSFUL",
        1,
        [[other_tutor.email]],
    )


def test_send_coverage_digest_in_holiday_sends_nothing(mailoutbox, tutor, other_tutor, year):
    christmas = year.terms.get(number=1).ends_on + dt.timedelta(days=3)
    assert (send_coverage_digest.call(christmas.isoformat()), mailoutbox) == (0, [])


# Management commands: they only queue the tasks above.


def test_send_cpd_reminders_command_queues_tomorrow(capsys, year):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    call_command("send_cpd_reminders")
    assert capsys.readouterr().out == f"Reminders for {tomorrow:%A %d %B} queued (SUCCESSFUL).\n"


def test_send_coverage_digest_command_queues_digest(capsys, year):
    call_command("send_coverage_digest")
    assert capsys.readouterr().out == "Coverage digest queued (SUCCESSFUL).\n"
