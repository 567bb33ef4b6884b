"""Weekly mentor meetings in the browser: logging one, reading it, the intern's comment, and the mentoring
section of the intern's page."""

import datetime as dt

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from protutor.audit.models import AccessRecord
from protutor.ite import views_mentoring
from protutor.ite.models import Intern, MentorMeeting
from protutor.observations.models import Standard
from tests.factories.ite import MentorMeetingFactory
from tests.pages import error_summary, title

pytestmark = pytest.mark.django_db
SECRET = "meeting-secret-61aa"


def ts(number):
    return Standard.objects.get(framework__code="TS", number=number)


def monday(weeks_from_now: int) -> dt.date:
    today = timezone.localdate()
    return today - dt.timedelta(days=today.weekday()) + dt.timedelta(weeks=weeks_from_now)


def meeting_data(**overrides):
    data = {
        "held_on": timezone.localdate().isoformat(),
        "minutes": "50",
        "targets_reviewed": "Routines for entry",
        "targets_set": f"Cold call in every lesson {SECRET}",
        "standards": [ts("1").pk, ts("4").pk],
        "notes": "",
    }
    return {**data, **overrides}


def a_meeting(intern_record, standards=1, **fields):
    meeting = MentorMeetingFactory(intern=intern_record, targets_set=f"Targets {SECRET}", **fields)
    meeting.standards.set(
        Standard.objects.filter(framework__code="TS", parent=None).order_by("position")[:standards]
    )
    return meeting


# Logging a meeting


@pytest.mark.parametrize("persona", ["mentor", "ite_tutor"])
def test_log_a_meeting(request, client_for, intern_record, persona):
    staff = request.getfixturevalue(persona)
    client = client_for(staff)
    url = reverse("ite:meeting-create", args=[intern_record.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, meeting_data())
    meeting = MentorMeeting.objects.get()
    assert response["Location"] == intern_record.get_absolute_url()
    assert (meeting.mentor, meeting.minutes, sorted(s.number for s in meeting.standards.all())) == (
        staff,
        50,
        ["1", "4"],
    )
    page = client.get(response["Location"])
    assert [str(m) for m in page.context["messages"]] == [
        f"Mentor meeting on {dateformat(timezone.localdate())} logged"
    ]


def dateformat(day):
    return f"{day.day} {day:%B %Y}"


def test_meeting_form_shows_the_targets_set_last_time(client_for, mentor, intern_record):
    a_meeting(intern_record, held_on=timezone.localdate() - dt.timedelta(days=7))
    response = client_for(mentor).get(reverse("ite:meeting-create", args=[intern_record.pk]))
    assert response.context["last_meeting"].targets_set == f"Targets {SECRET}"
    assert SECRET in response.content.decode()


def test_meeting_form_names_each_missing_field(client_for, mentor, intern_record):
    response = client_for(mentor).post(
        reverse("ite:meeting-create", args=[intern_record.pk]),
        meeting_data(held_on="", minutes="", targets_set="", standards=[]),
    )
    assert title(response).startswith("Error: Log a mentor meeting with Ines Intern")
    assert error_summary(response) == [
        ("#id_held_on", "Enter the date of the meeting"),
        ("#id_minutes", "Enter the length of the meeting in minutes"),
        ("#id_targets_set", "Enter the targets set at the meeting"),
        ("#id_standards_0", "Select at least one standard the targets relate to"),
    ]
    assert MentorMeeting.objects.count() == 0


def test_meeting_in_the_future_is_refused_on_its_field(client_for, mentor, intern_record):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client_for(mentor).post(
        reverse("ite:meeting-create", args=[intern_record.pk]), meeting_data(held_on=tomorrow.isoformat())
    )
    assert error_summary(response) == [
        ("#id_held_on", "The date of the meeting must be today or in the past")
    ]
    assert MentorMeeting.objects.count() == 0


def test_meeting_form_refuses_a_sub_standard(client_for, mentor, intern_record):
    response = client_for(mentor).post(
        reverse("ite:meeting-create", args=[intern_record.pk]), meeting_data(standards=[ts("1a").pk])
    )
    assert error_summary(response) == [("#id_standards_0", "Select standards from the list")]


@pytest.mark.parametrize(
    "persona", ["intern", "other_mentor", "programme_lead", "hod", "colleague", "admin", "ect"]
)
def test_meeting_create_404_for_everyone_else(request, client_for, intern_record, persona):
    client = client_for(request.getfixturevalue(persona))
    url = reverse("ite:meeting-create", args=[intern_record.pk])
    assert (client.get(url).status_code, client.post(url, meeting_data()).status_code) == (404, 404)
    assert MentorMeeting.objects.count() == 0


def test_meeting_create_404_once_the_internship_is_over(client_for, mentor, intern_record):
    Intern.objects.filter(pk=intern_record.pk).update(status=Intern.Status.COMPLETED)
    assert client_for(mentor).get(reverse("ite:meeting-create", args=[intern_record.pk])).status_code == 404


# Reading a meeting and the intern's comment


@pytest.mark.parametrize("persona", ["mentor", "ite_tutor", "programme_lead"])
def test_meeting_detail_for_readers_logs_the_access(request, client_for, intern_record, persona):
    meeting = a_meeting(intern_record)
    staff = request.getfixturevalue(persona)
    response = client_for(staff).get(reverse("ite:meeting-detail", args=[meeting.pk]))
    assert response.status_code == 200
    assert SECRET in response.content.decode()
    assert response.context["comment_form"] is None
    assert list(AccessRecord.objects.values_list("reader__username", "subject_id", "record_id")) == [
        (staff.user.username, intern_record.staff_id, str(meeting.pk))
    ]


def test_intern_reads_the_meeting_with_a_comment_form_and_no_access_log(client_for, intern, intern_record):
    meeting = a_meeting(intern_record)
    response = client_for(intern).get(reverse("ite:meeting-detail", args=[meeting.pk]))
    assert response.status_code == 200
    assert response.context["comment_form"] is not None
    assert "Add comment" in response.content.decode()
    assert AccessRecord.objects.count() == 0


@pytest.mark.parametrize(
    "persona", ["other_mentor", "hod", "colleague", "admin", "induction_tutor", "ect", "teacher", "outsider"]
)
def test_meeting_detail_404_for_everyone_else(request, client_for, intern_record, persona):
    meeting = a_meeting(intern_record)
    response = client_for(request.getfixturevalue(persona)).get(
        reverse("ite:meeting-detail", args=[meeting.pk])
    )
    assert response.status_code == 404
    assert SECRET not in response.content.decode()
    assert AccessRecord.objects.count() == 0


def test_other_mentor_reads_their_own_interns_meeting_not_this_one(client_for, other_mentor, intern_record):
    theirs = MentorMeetingFactory(intern=other_mentor.mentees.get())
    mine = a_meeting(intern_record)
    client = client_for(other_mentor)
    assert [client.get(reverse("ite:meeting-detail", args=[m.pk])).status_code for m in (theirs, mine)] == [
        200,
        404,
    ]


def test_intern_adds_then_changes_a_comment(
    client_for, intern, mentor, intern_record, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = a_meeting(intern_record)
    client = client_for(intern)
    url = reverse("ite:meeting-comment", args=[meeting.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"comment": "Useful targets"})
    assert response["Location"] == reverse("ite:meeting-detail", args=[meeting.pk])
    page = client.get(response["Location"])
    assert [str(m) for m in page.context["messages"]] == ["Your comment is saved"]
    assert "Change comment" in page.content.decode()
    client.post(url, {"comment": "Useful targets, and a question"})
    meeting.refresh_from_db()
    assert meeting.intern_comment == "Useful targets, and a question"
    assert [m.to for m in mailoutbox] == [[mentor.email]]


def test_empty_comment_re_renders_with_the_error(client_for, intern, intern_record):
    meeting = a_meeting(intern_record)
    response = client_for(intern).post(reverse("ite:meeting-comment", args=[meeting.pk]), {"comment": " "})
    assert response.status_code == 200
    assert title(response).startswith("Error: Mentor meeting")
    assert error_summary(response) == [("#id_comment", "Enter your comment")]
    meeting.refresh_from_db()
    assert meeting.intern_comment == ""


@pytest.mark.parametrize("persona", ["mentor", "ite_tutor", "programme_lead", "other_mentor", "hod", "admin"])
def test_only_the_intern_may_comment(request, client_for, intern_record, persona):
    meeting = a_meeting(intern_record)
    response = client_for(request.getfixturevalue(persona)).post(
        reverse("ite:meeting-comment", args=[meeting.pk]), {"comment": "Not mine to make"}
    )
    assert response.status_code == 404
    meeting.refresh_from_db()
    assert meeting.intern_comment == ""


def test_meeting_comment_is_post_only(client_for, intern, intern_record):
    meeting = a_meeting(intern_record)
    assert client_for(intern).get(reverse("ite:meeting-comment", args=[meeting.pk])).status_code == 405


@pytest.mark.parametrize("standards", [1, 3])
def test_meeting_detail_query_count_is_constant(
    client_for, mentor, intern_record, standards, django_assert_num_queries
):
    meeting = a_meeting(intern_record, standards=standards, intern_comment="Thanks")
    client = client_for(mentor)
    url = reverse("ite:meeting-detail", args=[meeting.pk])
    client.get(url)
    # session, user, the meeting with its intern, mentor, programme and year, its standards with their
    # framework, the access log entry (reader's name, insert), the menu's actor (staff, roles, caseload,
    # reports)
    with django_assert_num_queries(10):
        assert client.get(url).status_code == 200


# The intern page's section


def _placement_from(intern_record, start, end):
    intern_record.placements.update(starts_on=start, ends_on=end)


def test_section_flags_the_weeks_without_a_meeting(client_for, ite_tutor, intern_record):
    # Placement from the Wednesday four weeks back to next week: weeks -4..0 have begun; this week is
    # not over yet. Meetings in weeks -4 and -2 leave weeks -3 and -1 as gaps.
    _placement_from(intern_record, monday(-4) + dt.timedelta(days=2), monday(1) + dt.timedelta(days=4))
    a_meeting(intern_record, held_on=monday(-4) + dt.timedelta(days=3))
    a_meeting(intern_record, held_on=monday(-2) + dt.timedelta(days=1))
    response = client_for(ite_tutor).get(intern_record.get_absolute_url())
    section = dict(response.context["sections"])["mentoring"]
    assert section["gaps"] == [monday(-3), monday(-1)]
    assert [m.held_on for m in section["meetings"]] == [
        monday(-2) + dt.timedelta(days=1),
        monday(-4) + dt.timedelta(days=3),
    ]
    body = response.content.decode()
    assert "No mentor meeting logged in 2 weeks of the placement" in body


@pytest.mark.parametrize(
    "persona, expected",
    [
        ("mentor", {"can_log": True, "can_review": False, "mentor_page": True}),
        ("ite_tutor", {"can_log": True, "can_review": True, "mentor_page": True}),
        ("programme_lead", {"can_log": False, "can_review": False, "mentor_page": True}),
        ("intern", {"can_log": False, "can_review": False, "mentor_page": False}),
    ],
)
def test_section_offers_what_each_reader_may_do(request, client_for, intern_record, persona, expected):
    response = client_for(request.getfixturevalue(persona)).get(intern_record.get_absolute_url())
    section = dict(response.context["sections"])["mentoring"]
    assert {key: section[key] for key in expected} == expected
    assert ("Log a mentor meeting" in response.content.decode()) is expected["can_log"]


def test_section_shows_each_meeting_in_short(client_for, intern, intern_record):
    a_meeting(intern_record, standards=2, intern_comment="Fine")
    body = client_for(intern).get(intern_record.get_absolute_url()).content.decode()
    assert f"Targets {SECRET}" in body
    assert "TS 1, TS 2" in body
    assert "Commented" in body


@pytest.mark.parametrize("count", [1, 3])
def test_section_query_count_is_constant(mentor, intern_record, count, django_assert_num_queries):
    for n in range(count):
        a_meeting(intern_record, standards=3, held_on=timezone.localdate() - dt.timedelta(days=7 * n))
    request = RequestFactory().get("/")
    request.user = mentor.user
    intern = Intern.objects.select_related("staff", "mentor", "programme__provider").get(pk=intern_record.pk)
    # meetings, their standards with framework, placements, the ITE tutor check (for planning a review);
    # being the mentor answers can_log_meeting and the mentor page link without a query
    with django_assert_num_queries(6):
        section = views_mentoring.intern_section(request, intern, timezone.localdate())
    assert len(section["meetings"]) == count


def _meeting_data(meeting, standards, **extra):
    ts = standards.get(framework__code="TS", number="2")
    return {
        "held_on": meeting.held_on.isoformat(),
        "minutes": "90",
        "targets_set": "Check understanding with mini whiteboards",
        "standards": [ts.pk],
        **extra,
    }


def test_whoever_logged_a_meeting_corrects_it(client_for, mentor, intern_record, standards):
    from tests.factories.ite import MentorMeetingFactory

    meeting = MentorMeetingFactory(intern=intern_record, mentor=mentor)
    response = client_for(mentor).post(
        reverse("ite:meeting-edit", args=[meeting.pk]), _meeting_data(meeting, standards)
    )
    assert response["Location"] == reverse("ite:meeting-detail", args=[meeting.pk])
    meeting.refresh_from_db()
    assert (meeting.minutes, meeting.targets_set) == (90, "Check understanding with mini whiteboards")
    assert [s.label for s in meeting.standards.all()] == ["TS 2"]


def test_a_second_meeting_on_the_same_day_is_refused(client_for, mentor, intern_record, standards):
    from tests.factories.ite import MentorMeetingFactory

    meeting = MentorMeetingFactory(intern=intern_record, mentor=mentor)
    response = client_for(mentor).post(
        reverse("ite:meeting-create", args=[intern_record.pk]), _meeting_data(meeting, standards)
    )
    assert "is already logged: change that meeting instead" in response.content.decode()
    assert intern_record.meetings.count() == 1


def test_the_intern_cannot_change_a_meeting(client_for, intern, mentor, intern_record, standards):
    from tests.factories.ite import MentorMeetingFactory

    meeting = MentorMeetingFactory(intern=intern_record, mentor=mentor)
    client = client_for(intern)
    assert client.get(reverse("ite:meeting-edit", args=[meeting.pk])).status_code == 404
    assert (
        client.post(
            reverse("ite:meeting-edit", args=[meeting.pk]), _meeting_data(meeting, standards)
        ).status_code
        == 404
    )
