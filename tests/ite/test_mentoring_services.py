"""Mentoring services: each rule, the permission checked again inside, nothing half-written, audit entries
and emails that say only that something happened."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from protutor.audit.models import AuditEvent
from protutor.core.errors import ServiceError
from protutor.ite import services_mentoring as mentoring
from protutor.ite.models import Intern, MentorMeeting, MentorReview, MentorTraining
from protutor.ite.services import DENIED
from protutor.observations.models import Framework, InstitutionFramework, Standard
from tests.factories.ite import InternFactory, ProviderFactory
from tests.factories.people import InstitutionFactory, StaffMemberFactory
from tests.notifications import updates

pytestmark = pytest.mark.django_db


def ts(number):
    return Standard.objects.get(framework__code="TS", number=number)


def error_of(call, **kwargs) -> tuple[str, str | None]:
    with pytest.raises(ServiceError) as caught:
        call(**kwargs)
    return caught.value.message, caught.value.field


def meeting_args(intern_record, **overrides):
    args = {
        "intern": intern_record,
        "held_on": timezone.localdate(),
        "minutes": 45,
        "targets_reviewed": " Entry routines ",
        "targets_set": " Cold call in every lesson ",
        "notes": "",
        "standards": [ts("1"), ts("7")],
    }
    return {**args, **overrides}


def actions():
    return list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))


# Logging meetings


def test_mentor_logs_a_meeting_and_the_intern_is_emailed(
    mentor, intern_record, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = mentoring.log_meeting(actor=mentor.user, **meeting_args(intern_record))
    meeting.refresh_from_db()
    assert (
        meeting.mentor,
        meeting.minutes,
        meeting.targets_reviewed,
        meeting.targets_set,
        sorted(s.number for s in meeting.standards.all()),
    ) == (mentor, 45, "Entry routines", "Cold call in every lesson", ["1", "7"])
    assert actions() == ["ite.meeting_logged"]
    assert [m.to for m in mailoutbox] == [[intern_record.staff.email]]
    assert "Cold call" not in mailoutbox[0].body
    assert [path for _, _, path in updates(mailoutbox)] == [f"/ite/meetings/{meeting.pk}/"]
    assert f"/ite/meetings/{meeting.pk}/" not in mailoutbox[0].body


def test_ite_tutor_logs_a_meeting_as_its_holder(ite_tutor, intern_record):
    meeting = mentoring.log_meeting(actor=ite_tutor.user, **meeting_args(intern_record))
    assert meeting.mentor == ite_tutor


@pytest.mark.parametrize("persona", ["intern", "other_mentor", "programme_lead", "hod", "colleague", "admin"])
def test_log_meeting_refused_to_anyone_else(request, intern_record, persona):
    actor = request.getfixturevalue(persona).user
    assert error_of(mentoring.log_meeting, actor=actor, **meeting_args(intern_record)) == (DENIED, None)
    assert MentorMeeting.objects.count() == 0


def test_log_meeting_refused_once_the_internship_is_over(mentor, intern_record):
    Intern.objects.filter(pk=intern_record.pk).update(status=Intern.Status.COMPLETED)
    assert error_of(mentoring.log_meeting, actor=mentor.user, **meeting_args(intern_record)) == (DENIED, None)


def test_log_meeting_checks_the_mentor_as_it_is_now(mentor, other_mentor, intern_record):
    stale = Intern.objects.get(pk=intern_record.pk)
    Intern.objects.filter(pk=intern_record.pk).update(mentor=other_mentor)
    assert error_of(mentoring.log_meeting, actor=mentor.user, **meeting_args(stale)) == (DENIED, None)


def _outside_year(intern_record):
    return intern_record.programme.academic_year.starts_on - dt.timedelta(days=1)


@pytest.mark.parametrize(
    "overrides, expected",
    [
        ({"held_on": None}, ("Enter the date of the meeting", "held_on")),
        (
            {"held_on": timezone.localdate() + dt.timedelta(days=1)},
            ("The date of the meeting must be today or in the past", "held_on"),
        ),
        ({"minutes": 5}, ("The length of the meeting must be from 10 to 480 minutes", "minutes")),
        ({"minutes": 481}, ("The length of the meeting must be from 10 to 480 minutes", "minutes")),
        ({"targets_set": "   "}, ("Enter the targets set at the meeting", "targets_set")),
        ({"standards": []}, ("Select at least one standard the targets relate to", "standards")),
    ],
)
def test_log_meeting_rules(mentor, intern_record, overrides, expected):
    assert (
        error_of(mentoring.log_meeting, actor=mentor.user, **meeting_args(intern_record, **overrides))
        == expected
    )
    assert (MentorMeeting.objects.count(), actions()) == (0, [])


def test_log_meeting_refuses_a_date_outside_the_programme_year(mentor, intern_record):
    year = intern_record.programme.academic_year
    message, field = error_of(
        mentoring.log_meeting,
        actor=mentor.user,
        **meeting_args(intern_record, held_on=_outside_year(intern_record)),
    )
    assert (message, field) == (
        f"The date of the meeting must be in {year.name} "
        f"(1 September {year.starts_on.year} to 31 August {year.ends_on.year})",
        "held_on",
    )


@pytest.mark.parametrize("framework, number", [("TS", "1a"), ("ETF", "1")])
def test_log_meeting_takes_only_top_level_teachers_standards(mentor, intern_record, framework, number):
    other = Standard.objects.get(framework__code=framework, number=number)
    assert error_of(
        mentoring.log_meeting, actor=mentor.user, **meeting_args(intern_record, standards=[ts("2"), other])
    ) == ("Select standards from the Teachers' Standards", "standards")
    assert MentorMeeting.objects.count() == 0


def test_no_standard_needed_where_the_teachers_standards_are_not_in_use(mentor, intern_record, college):
    InstitutionFramework.objects.create(institution=college, framework=Framework.objects.get(code="ETF"))
    meeting = mentoring.log_meeting(actor=mentor.user, **meeting_args(intern_record, standards=[]))
    assert list(meeting.standards.all()) == []


# The intern's comment


def _meeting(mentor, intern_record):
    return mentoring.log_meeting(actor=mentor.user, **meeting_args(intern_record))


def test_intern_comments_and_the_mentor_is_emailed(
    mentor, intern, intern_record, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = _meeting(mentor, intern_record)
    with django_capture_on_commit_callbacks(execute=True):
        mentoring.comment_on_meeting(actor=intern.user, meeting=meeting, comment=" Happy with these ")
    meeting.refresh_from_db()
    assert (meeting.intern_comment, meeting.commented_at is not None) == ("Happy with these", True)
    assert actions() == ["ite.meeting_logged", "ite.meeting_commented"]
    assert [m.to for m in mailoutbox] == [[mentor.email]]
    assert "Happy" not in mailoutbox[0].body


def test_intern_changes_the_comment(mentor, intern, intern_record):
    meeting = _meeting(mentor, intern_record)
    mentoring.comment_on_meeting(actor=intern.user, meeting=meeting, comment="First")
    mentoring.comment_on_meeting(actor=intern.user, meeting=meeting, comment="Second thoughts")
    meeting.refresh_from_db()
    assert meeting.intern_comment == "Second thoughts"
    assert actions()[-1] == "ite.meeting_comment_changed"


def test_comment_on_a_meeting_the_ite_tutor_held_emails_tutor_and_mentor(
    ite_tutor, mentor, intern, intern_record, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = mentoring.log_meeting(actor=ite_tutor.user, **meeting_args(intern_record))
    with django_capture_on_commit_callbacks(execute=True):
        mentoring.comment_on_meeting(actor=intern.user, meeting=meeting, comment="Thanks")
    assert sorted(m.to[0] for m in mailoutbox) == sorted([ite_tutor.email, mentor.email])


@pytest.mark.parametrize("persona", ["mentor", "ite_tutor", "programme_lead", "other_mentor"])
def test_only_the_intern_comments(request, mentor, intern_record, persona):
    meeting = _meeting(mentor, intern_record)
    actor = request.getfixturevalue(persona).user
    assert error_of(mentoring.comment_on_meeting, actor=actor, meeting=meeting, comment="Hi") == (
        DENIED,
        None,
    )
    meeting.refresh_from_db()
    assert meeting.intern_comment == ""


def test_empty_comment_is_refused(mentor, intern, intern_record):
    meeting = _meeting(mentor, intern_record)
    assert error_of(mentoring.comment_on_meeting, actor=intern.user, meeting=meeting, comment="  ") == (
        "Enter your comment",
        "comment",
    )


# Mentor training


def training_args(mentor, **overrides):
    args = {
        "mentor": mentor,
        "title": " Initial mentor training ",
        "completed_on": timezone.localdate(),
        "hours": Decimal("6.5"),
        "provider": None,
    }
    return {**args, **overrides}


def test_ite_tutor_records_training(ite_tutor, mentor, provider):
    training = mentoring.add_training(actor=ite_tutor.user, **training_args(mentor, provider=provider))
    assert (training.title, training.hours, training.provider) == (
        "Initial mentor training",
        Decimal("6.5"),
        provider,
    )
    assert actions() == ["ite.mentor_training_added"]


@pytest.mark.parametrize("persona", ["mentor", "programme_lead", "intern", "hod"])
def test_only_the_ite_tutor_records_training(request, mentor, persona):
    actor = request.getfixturevalue(persona).user
    assert error_of(mentoring.add_training, actor=actor, **training_args(mentor)) == (DENIED, None)
    assert MentorTraining.objects.count() == 0


@pytest.mark.parametrize(
    "overrides, expected",
    [
        ({"title": ""}, ("Enter the title of the training", "title")),
        ({"completed_on": None}, ("Enter the date of the training", "completed_on")),
        (
            {"completed_on": timezone.localdate() + dt.timedelta(days=1)},
            ("The date of the training must be today or in the past", "completed_on"),
        ),
        ({"hours": None}, ("Enter the hours of training", "hours")),
        ({"hours": Decimal("0.4")}, ("The hours of training must be from 0.5 to 200", "hours")),
        ({"hours": Decimal("200.5")}, ("The hours of training must be from 0.5 to 200", "hours")),
    ],
)
def test_training_rules(ite_tutor, mentor, overrides, expected):
    assert (
        error_of(mentoring.add_training, actor=ite_tutor.user, **training_args(mentor, **overrides))
        == expected
    )
    assert MentorTraining.objects.count() == 0


def test_training_provider_must_be_of_the_institution(ite_tutor, mentor):
    elsewhere = ProviderFactory(institution=InstitutionFactory(name="Elsewhere"))
    assert error_of(
        mentoring.add_training, actor=ite_tutor.user, **training_args(mentor, provider=elsewhere)
    ) == ("Select a provider of your institution", "provider")


def test_training_for_staff_of_another_institution_is_refused(ite_tutor):
    outsider = StaffMemberFactory(institution=InstitutionFactory(name="Elsewhere"))
    assert error_of(mentoring.add_training, actor=ite_tutor.user, **training_args(outsider)) == (DENIED, None)


# Reviews of mentoring


def _plan(ite_tutor, intern_record, on=None):
    return mentoring.schedule_review(
        actor=ite_tutor.user, intern=intern_record, scheduled_on=on or timezone.localdate()
    )


def test_ite_tutor_plans_a_review_and_the_mentor_is_emailed(
    ite_tutor, mentor, intern_record, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        review = _plan(ite_tutor, intern_record)
    assert (review.mentor, review.reviewer, review.held_on) == (mentor, ite_tutor, None)
    assert actions() == ["ite.mentor_review_scheduled"]
    assert [m.to for m in mailoutbox] == [[mentor.email]]
    assert [path for _, _, path in updates(mailoutbox)] == [f"/ite/mentors/{mentor.pk}/"]


@pytest.mark.parametrize("persona", ["mentor", "programme_lead", "intern", "other_mentor"])
def test_only_the_ite_tutor_plans_reviews(request, intern_record, persona):
    actor = request.getfixturevalue(persona).user
    assert error_of(
        mentoring.schedule_review, actor=actor, intern=intern_record, scheduled_on=timezone.localdate()
    ) == (DENIED, None)
    assert MentorReview.objects.count() == 0


def test_review_needs_a_mentor(ite_tutor, programme, department):
    intern = InternFactory(
        programme=programme, department=department, staff__forename="Nomen", staff__surname="Tor"
    )
    assert error_of(_plan, ite_tutor=ite_tutor, intern_record=intern) == (
        "Appoint a mentor for Nomen Tor before planning a review of their mentoring",
        None,
    )


def test_no_review_of_a_withdrawn_intern(ite_tutor, intern_record):
    Intern.objects.filter(pk=intern_record.pk).update(status=Intern.Status.WITHDRAWN)
    assert error_of(_plan, ite_tutor=ite_tutor, intern_record=intern_record) == (
        "Ines Intern has withdrawn: there is no mentoring to review",
        None,
    )


def test_review_date_rules(ite_tutor, intern_record):
    year = intern_record.programme.academic_year
    assert error_of(
        mentoring.schedule_review, actor=ite_tutor.user, intern=intern_record, scheduled_on=None
    ) == ("Enter the date planned", "scheduled_on")
    assert error_of(
        mentoring.schedule_review,
        actor=ite_tutor.user,
        intern=intern_record,
        scheduled_on=year.ends_on + dt.timedelta(days=1),
    ) == (
        f"The date planned must be in {year.name} (1 September {year.starts_on.year} to 31 August {year.ends_on.year})",
        "scheduled_on",
    )
    assert MentorReview.objects.count() == 0


def test_one_review_planned_at_a_time(ite_tutor, intern_record):
    first = _plan(ite_tutor, intern_record)
    assert error_of(_plan, ite_tutor=ite_tutor, intern_record=intern_record) == (
        f"A review of this mentoring is already planned for {first.scheduled_on.day} "
        f"{first.scheduled_on:%B %Y}: record that one first",
        "scheduled_on",
    )
    assert MentorReview.objects.count() == 1


def findings(**overrides):
    values = {
        "held_on": timezone.localdate(),
        "programme_set_up": "yes",
        "meetings_logged": "yes",
        "feedback_referenced": "yes",
        "findings": " A clear programme ",
        "actions": "",
        "follow_up_on": None,
    }
    return {**values, **overrides}


def test_record_a_review_with_everything_in_place(ite_tutor, mentor, intern_record):
    review = _plan(ite_tutor, intern_record)
    mentoring.record_review(actor=ite_tutor.user, review=review, **findings())
    review.refresh_from_db()
    assert (review.held_on, review.all_yes, review.findings, review.actions, review.follow_up_on) == (
        timezone.localdate(),
        True,
        "A clear programme",
        "",
        None,
    )
    assert actions() == ["ite.mentor_review_scheduled", "ite.mentor_review_recorded"]


def test_record_a_review_with_follow_up(ite_tutor, intern_record):
    review = _plan(ite_tutor, intern_record)
    due = timezone.localdate() + dt.timedelta(days=7)
    mentoring.record_review(
        actor=ite_tutor.user,
        review=review,
        **findings(meetings_logged="partly", actions=" Log each meeting ", follow_up_on=due),
    )
    review.refresh_from_db()
    assert (review.meetings_logged, review.actions, review.follow_up_on) == (
        "partly",
        "Log each meeting",
        due,
    )


@pytest.mark.parametrize(
    "overrides, expected",
    [
        (
            {"programme_set_up": "partly"},
            ("Enter the follow-up actions, because the mentor programme was not fully in place", "actions"),
        ),
        (
            {"meetings_logged": "no", "actions": "Log meetings"},
            (
                "Enter the date to follow up by, because the logging of weekly mentor meetings was not fully in place",
                "follow_up_on",
            ),
        ),
        (
            {"programme_set_up": "no", "feedback_referenced": "partly"},
            (
                "Enter the follow-up actions, because the mentor programme and detailed lesson feedback "
                "referenced to the standards were not fully in place",
                "actions",
            ),
        ),
        (
            {"actions": "Share good practice"},
            ("Enter the date to follow up by", "follow_up_on"),
        ),
        (
            {"follow_up_on": timezone.localdate()},
            ("Enter the follow-up actions", "actions"),
        ),
        (
            {
                "held_on": timezone.localdate() - dt.timedelta(days=3),
                "meetings_logged": "partly",
                "actions": "Log meetings",
                "follow_up_on": timezone.localdate() - dt.timedelta(days=4),
            },
            ("The date to follow up by must be on or after the date the review was held", "follow_up_on"),
        ),
        ({"held_on": None}, ("Enter the date the review was held", "held_on")),
        (
            {"held_on": timezone.localdate() + dt.timedelta(days=1)},
            ("The date the review was held must be today or in the past", "held_on"),
        ),
        ({"programme_set_up": ""}, ("Select whether the mentor programme is set up", "programme_set_up")),
        (
            {"meetings_logged": "maybe"},
            ("Select whether weekly mentor meetings are happening and logged", "meetings_logged"),
        ),
        (
            {"feedback_referenced": None},
            (
                "Select whether lesson feedback is detailed and referenced to the standards",
                "feedback_referenced",
            ),
        ),
    ],
)
def test_record_review_rules_write_nothing(ite_tutor, intern_record, overrides, expected):
    review = _plan(ite_tutor, intern_record)
    assert (
        error_of(mentoring.record_review, actor=ite_tutor.user, review=review, **findings(**overrides))
        == expected
    )
    review.refresh_from_db()
    assert (review.held_on, review.programme_set_up, review.findings) == (None, "", "")
    assert actions() == ["ite.mentor_review_scheduled"]


@pytest.mark.parametrize("persona", ["mentor", "programme_lead", "intern"])
def test_only_the_ite_tutor_records_reviews(request, ite_tutor, intern_record, persona):
    review = _plan(ite_tutor, intern_record)
    actor = request.getfixturevalue(persona).user
    assert error_of(mentoring.record_review, actor=actor, review=review, **findings()) == (DENIED, None)
    review.refresh_from_db()
    assert review.held_on is None


def test_recording_again_without_follow_up_clears_it(ite_tutor, intern_record):
    review = _plan(ite_tutor, intern_record)
    today = timezone.localdate()
    mentoring.record_review(
        actor=ite_tutor.user,
        review=review,
        **findings(programme_set_up="no", actions="Set up the programme", follow_up_on=today),
    )
    mentoring.complete_follow_up(actor=ite_tutor.user, review=review, done_on=today)
    mentoring.record_review(actor=ite_tutor.user, review=review, **findings())
    review.refresh_from_db()
    assert (review.actions, review.follow_up_on, review.follow_up_done_on) == ("", None, None)


def _held_with_follow_up(ite_tutor, intern_record, held_on=None):
    review = _plan(ite_tutor, intern_record)
    held_on = held_on or timezone.localdate()
    return mentoring.record_review(
        actor=ite_tutor.user,
        review=review,
        **findings(
            held_on=held_on, feedback_referenced="no", actions="Reference feedback", follow_up_on=held_on
        ),
    )


def test_follow_up_marked_done(ite_tutor, intern_record):
    review = _held_with_follow_up(ite_tutor, intern_record)
    mentoring.complete_follow_up(actor=ite_tutor.user, review=review, done_on=timezone.localdate())
    review.refresh_from_db()
    assert review.follow_up_done_on == timezone.localdate()
    assert actions()[-1] == "ite.mentor_follow_up_done"


def test_follow_up_rules(ite_tutor, intern_record):
    today = timezone.localdate()
    review = _held_with_follow_up(ite_tutor, intern_record, held_on=today - dt.timedelta(days=2))
    done = mentoring.complete_follow_up
    assert error_of(done, actor=ite_tutor.user, review=review, done_on=None) == (
        "Enter the date the follow-up was done",
        "done_on",
    )
    assert error_of(done, actor=ite_tutor.user, review=review, done_on=today + dt.timedelta(days=1)) == (
        "The date the follow-up was done must be today or in the past",
        "done_on",
    )
    assert error_of(done, actor=ite_tutor.user, review=review, done_on=today - dt.timedelta(days=3)) == (
        "The date the follow-up was done must be on or after the date the review was held",
        "done_on",
    )
    review.refresh_from_db()
    assert review.follow_up_done_on is None
    done(actor=ite_tutor.user, review=review, done_on=today)
    assert error_of(done, actor=ite_tutor.user, review=review, done_on=today) == (
        f"The follow-up was already marked as done on {today.day} {today:%B %Y}",
        None,
    )


def test_no_follow_up_to_mark_done(ite_tutor, intern_record):
    planned = _plan(ite_tutor, intern_record)
    assert error_of(
        mentoring.complete_follow_up, actor=ite_tutor.user, review=planned, done_on=timezone.localdate()
    ) == ("This review has no follow-up actions to mark as done", None)


def test_only_the_ite_tutor_marks_follow_up_done(ite_tutor, mentor, intern_record):
    review = _held_with_follow_up(ite_tutor, intern_record)
    assert error_of(
        mentoring.complete_follow_up, actor=mentor.user, review=review, done_on=timezone.localdate()
    ) == (DENIED, None)


# Who may open a mentor's page


@pytest.mark.parametrize(
    "persona, expected",
    [
        ("intern", set()),
        ("mentor", {"mentor"}),
        ("other_mentor", {"other_mentor"}),
        ("ite_tutor", {"mentor", "other_mentor", "trained"}),
        ("programme_lead", {"mentor", "other_mentor", "trained"}),
        ("hod", set()),
        ("colleague", set()),
        ("admin", set()),
        ("ect", set()),
    ],
)
def test_mentors_readable_by(request, intern_record, other_mentor, ite_tutor, college, persona, expected):
    # Someone not mentoring yet whose mentor training is recorded is a mentor for the ITE tutor too.
    trained = StaffMemberFactory(institution=college, user__username="trained")
    mentoring.add_training(actor=ite_tutor.user, **training_args(trained))
    reader = request.getfixturevalue(persona).user
    found = set(mentoring.mentors_readable_by(reader).values_list("user__username", flat=True))
    assert found == expected


# The status of a mentor's mentoring


def _review(**fields):
    return MentorReview(**{"scheduled_on": TODAY, **fields})


TODAY = dt.date(2026, 11, 18)
HELD_ALL_YES = _review(held_on=TODAY)
HELD_WITH_ACTIONS = _review(held_on=TODAY, actions="Log meetings", follow_up_on=TODAY)
HELD_FOLLOWED_UP = _review(held_on=TODAY, actions="Log meetings", follow_up_done_on=TODAY)
PLANNED_AHEAD = _review(scheduled_on=TODAY + dt.timedelta(days=1))
PLANNED_PAST = _review(scheduled_on=TODAY - dt.timedelta(days=1))


@pytest.mark.parametrize(
    "hours, weeks_missed, last_review, next_review, expected",
    [
        (20, 0, HELD_WITH_ACTIONS, None, "Follow-up due"),
        (0, 3, HELD_WITH_ACTIONS, None, "Follow-up due"),
        (20, 0, None, None, "Review due"),
        (20, 0, None, PLANNED_PAST, "Review due"),
        (20, 2, HELD_ALL_YES, None, "Meetings missed"),
        (19, 0, HELD_FOLLOWED_UP, None, "Training short"),
        (20, 0, None, PLANNED_AHEAD, "Review planned"),
        (20, 0, HELD_FOLLOWED_UP, PLANNED_AHEAD, "All in place"),
        (25, 0, HELD_ALL_YES, None, "All in place"),
    ],
)
def test_mentor_status(hours, weeks_missed, last_review, next_review, expected):
    status = mentoring.mentor_status(
        hours=Decimal(hours),
        hours_required=20,
        weeks_missed=weeks_missed,
        last_review=last_review,
        next_review=next_review,
        today=TODAY,
    )
    assert status.text == expected
