"""Mentors and the quality assurance of their mentoring: the overview of every mentor, a mentor's page with
their training, planning and recording reviews, and marking follow-up done."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from protutor.audit.models import AccessRecord
from protutor.ite import services_mentoring as mentoring
from protutor.ite.models import Intern, MentorReview, MentorTraining, TeachingGroup
from tests.factories.ite import InternFactory, MentorMeetingFactory, PlacementFactory, ProgrammeFactory
from tests.factories.people import AcademicYearFactory, StaffMemberFactory
from tests.pages import error_summary, title

pytestmark = pytest.mark.django_db
SECRET = "qa-secret-0c5e"


def monday(weeks_from_now: int) -> dt.date:
    today = timezone.localdate()
    return today - dt.timedelta(days=today.weekday()) + dt.timedelta(weeks=weeks_from_now)


def long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def placed(intern, first_week: int, met_in_weeks: list[int]):
    """The intern's placement from the Monday of `first_week` (relative to this week) to the end of next
    week, with a meeting on the Tuesday of each week in `met_in_weeks`."""
    intern.placements.all().delete()
    PlacementFactory(intern=intern, starts_on=monday(first_week), ends_on=monday(1) + dt.timedelta(days=4))
    for week in met_in_weeks:
        MentorMeetingFactory(intern=intern, held_on=monday(week) + dt.timedelta(days=1))
    return intern


def trained(ite_tutor, mentor, hours):
    return mentoring.add_training(
        actor=ite_tutor.user,
        mentor=mentor,
        title=f"Mentor training {SECRET}",
        completed_on=timezone.localdate(),
        hours=Decimal(hours),
    )


def plan(ite_tutor, intern, days_ahead=0):
    year = intern.programme.academic_year
    return mentoring.schedule_review(
        actor=ite_tutor.user,
        intern=intern,
        scheduled_on=min(timezone.localdate() + dt.timedelta(days=days_ahead), year.ends_on),
    )


def held(ite_tutor, intern, *, follow_up=False):
    review = plan(ite_tutor, intern)
    today = timezone.localdate()
    extra = (
        {"meetings_logged": "partly", "actions": f"Log every meeting {SECRET}", "follow_up_on": today}
        if follow_up
        else {"meetings_logged": "yes"}
    )
    return mentoring.record_review(
        actor=ite_tutor.user,
        review=review,
        held_on=today,
        programme_set_up="yes",
        feedback_referenced="yes",
        findings=f"Findings {SECRET}",
        **extra,
    )


def a_mentor(college, programme, department, name):
    staff = StaffMemberFactory(institution=college, department=department, forename=name, surname="Extra")
    intern = InternFactory(
        programme=programme, department=department, mentor=staff, staff__surname=f"Of{name}"
    )
    return staff, intern


# The overview


def test_overview_shows_each_mentor_with_weeks_missed_and_status(
    client_for, ite_tutor, mentor, other_mentor, intern_record, provider, programme, department, college
):
    provider.mentor_training_hours = 20
    provider.save()
    # Ines: placement from four weeks back; meetings in weeks -4, -3 and -1: week -2 missed, this week
    # not over. Her mentor has had a review with everything in place: 1 week missed is what stands out.
    placed(intern_record, -4, [-4, -3, -1])
    trained(ite_tutor, mentor, "20")
    held(ite_tutor, intern_record)
    # Ari: placement from two weeks back, a meeting every week; a review planned ahead; 6 of 20 hours.
    ari = placed(other_mentor.mentees.get(), -2, [-2, -1])
    trained(ite_tutor, other_mentor, "6")
    plan(ite_tutor, ari, days_ahead=7)
    # A third mentor, whose intern starts this week: nothing yet, so a review is due.
    _, third_intern = a_mentor(college, programme, department, "Thea")
    placed(third_intern, 0, [])
    # A fourth whose review found meetings not fully logged: follow-up due.
    fourth, fourth_intern = a_mentor(college, programme, department, "Fola")
    placed(fourth_intern, -1, [-1])
    trained(ite_tutor, fourth, "20")
    held(ite_tutor, fourth_intern, follow_up=True)

    response = client_for(ite_tutor).get(reverse("ite:mentor-list"))
    rows = [
        (
            row.mentor.full_name,
            [i.staff.surname for i in row.interns],
            row.hours,
            row.hours_required,
            row.weeks_missed,
            row.status.text,
        )
        for row in response.context["rows"]
    ]
    assert rows == [
        ("Fola Extra", ["OfFola"], Decimal("20"), 20, 0, "Follow-up due"),
        ("Thea Extra", ["OfThea"], Decimal("0"), 20, 0, "Review due"),
        ("Mina Mentor", ["Intern"], Decimal("20"), 20, 1, "Meetings missed"),
        ("Omar Othermentor", ["Artintern"], Decimal("6"), 20, 0, "Training short"),
    ]
    body = response.content.decode()
    assert "1 week missed" in body
    assert SECRET not in body


def test_overview_status_review_planned_then_all_in_place(client_for, ite_tutor, mentor, intern_record):
    placed(intern_record, -1, [-1])
    plan(ite_tutor, intern_record, days_ahead=7)
    client = client_for(ite_tutor)
    assert [r.status.text for r in client.get(reverse("ite:mentor-list")).context["rows"]] == [
        "Review planned"
    ]
    MentorReview.objects.all().delete()
    held(ite_tutor, intern_record)
    (row,) = client.get(reverse("ite:mentor-list")).context["rows"]
    assert (row.status.text, row.last_review.meetings_logged, row.next_review) == (
        "All in place",
        "yes",
        None,
    )


def test_overview_leaves_out_last_years_and_withdrawn_interns_mentors(
    client_for, ite_tutor, provider, college, department, intern_record, mentor
):
    last_year = AcademicYearFactory(
        institution=college,
        name="2019/20",
        starts_on=dt.date(2019, 9, 1),
        ends_on=dt.date(2020, 8, 31),
    )
    old = StaffMemberFactory(institution=college, department=department)
    InternFactory(programme=ProgrammeFactory(provider=provider, academic_year=last_year), mentor=old)
    Intern.objects.filter(pk=intern_record.pk).update(status=Intern.Status.WITHDRAWN)
    assert client_for(ite_tutor).get(reverse("ite:mentor-list")).context["rows"] == []


@pytest.mark.parametrize("persona", ["ite_tutor", "programme_lead"])
def test_overview_for_the_overseers(request, client_for, intern_record, persona):
    response = client_for(request.getfixturevalue(persona)).get(reverse("ite:mentor-list"))
    assert [row.mentor.full_name for row in response.context["rows"]] == ["Mina Mentor"]


@pytest.mark.parametrize(
    "persona", ["intern", "mentor", "other_mentor", "hod", "colleague", "admin", "induction_tutor", "ect"]
)
def test_overview_404_for_everyone_else(request, client_for, intern_record, persona):
    assert client_for(request.getfixturevalue(persona)).get(reverse("ite:mentor-list")).status_code == 404


@pytest.mark.parametrize("n", [1, 3])
def test_overview_query_count_is_constant(
    client_for, ite_tutor, programme, department, college, n, django_assert_num_queries
):
    for i in range(n):
        staff, intern = a_mentor(college, programme, department, f"M{i}")
        placed(intern, -2, [-2])
        trained(ite_tutor, staff, "3")
        held(ite_tutor, intern, follow_up=True)
        plan(ite_tutor, intern, days_ahead=7)
    client = client_for(ite_tutor)
    client.get(reverse("ite:mentor-list"))
    # session, user, the menu's actor (staff, roles, caseload, reports), overseer check, current year,
    # interns with mentor, provider, placements and meetings (3), training hours, reviews, the mentors'
    # classes (the subjects they teach), ITE tutor check
    with django_assert_num_queries(18):
        response = client.get(reverse("ite:mentor-list"))
    assert len(response.context["rows"]) == n


# A mentor's page


@pytest.mark.parametrize("persona", ["mentor", "ite_tutor", "programme_lead"])
def test_mentor_page_for_its_readers(
    request, client_for, ite_tutor, mentor, intern_record, provider, persona
):
    provider.mentor_requirements = "A weekly mentor meeting of at least 1.5 hours"
    provider.save()
    trained(ite_tutor, mentor, "4")
    held(ite_tutor, intern_record)
    reader = request.getfixturevalue(persona)
    response = client_for(reader).get(reverse("ite:mentor-detail", args=[mentor.pk]))
    record = response.context["record"]
    assert (
        [i.pk for i in record.interns],
        [t.hours for t in record.training],
        [r.held_on for r in record.reviews],
        [p.mentor_requirements for p in record.providers],
    ) == (
        [intern_record.pk],
        [Decimal("4")],
        [timezone.localdate()],
        ["A weekly mentor meeting of at least 1.5 hours"],
    )
    body = response.content.decode()
    assert f"Findings {SECRET}" in body
    assert "A weekly mentor meeting of at least 1.5 hours" in body
    assert (response.context["training_form"] is not None) is (persona == "ite_tutor")
    logged = list(AccessRecord.objects.values_list("reader__username", "subject_id"))
    assert logged == ([] if persona == "mentor" else [(reader.user.username, mentor.pk)])


@pytest.mark.parametrize(
    "persona", ["intern", "other_mentor", "hod", "colleague", "admin", "induction_tutor", "ect", "outsider"]
)
def test_mentor_page_404_for_everyone_else(request, client_for, ite_tutor, mentor, intern_record, persona):
    trained(ite_tutor, mentor, "4")
    response = client_for(request.getfixturevalue(persona)).get(
        reverse("ite:mentor-detail", args=[mentor.pk])
    )
    assert response.status_code == 404
    assert SECRET not in response.content.decode()


def test_mentor_page_404_for_someone_who_is_no_mentor(client_for, ite_tutor, colleague):
    assert client_for(ite_tutor).get(reverse("ite:mentor-detail", args=[colleague.pk])).status_code == 404


@pytest.mark.parametrize("n", [1, 3])
def test_mentor_page_query_count_is_constant(
    client_for, ite_tutor, mentor, programme, department, n, django_assert_num_queries
):
    for _ in range(n):
        intern = InternFactory(programme=programme, department=department, mentor=mentor)
        placed(intern, -2, [-2])
        trained(ite_tutor, mentor, "2")
        held(ite_tutor, intern, follow_up=True)
        plan(ite_tutor, intern, days_ahead=7)
    client = client_for(ite_tutor)
    url = reverse("ite:mentor-detail", args=[mentor.pk])
    client.get(url)
    # session, user, the mentor, access log (reader's name, insert), ITE tutor check, current year,
    # interns with placements and meetings (3), training, reviews, the mentor's classes (the subjects they
    # teach), the form's providers, the menu's actor (staff, roles, caseload, reports)
    with django_assert_num_queries(19):
        response = client.get(url)
    record = response.context["record"]
    assert (len(record.interns), len(record.training), len(record.reviews)) == (n, n, 2 * n)


# Training


def test_ite_tutor_adds_training(client_for, ite_tutor, mentor, intern_record, provider):
    client = client_for(ite_tutor)
    response = client.post(
        reverse("ite:training-add", args=[mentor.pk]),
        {
            "title": "Initial mentor training",
            "completed_on": timezone.localdate().isoformat(),
            "hours": "6.5",
            "provider": provider.pk,
        },
    )
    assert response["Location"] == reverse("ite:mentor-detail", args=[mentor.pk])
    training = MentorTraining.objects.get()
    assert (training.mentor, training.title, training.hours, training.provider) == (
        mentor,
        "Initial mentor training",
        Decimal("6.5"),
        provider,
    )
    page = client.get(response["Location"])
    assert [str(m) for m in page.context["messages"]] == ["Training recorded"]


def test_training_form_names_each_missing_field(client_for, ite_tutor, mentor, intern_record):
    response = client_for(ite_tutor).post(reverse("ite:training-add", args=[mentor.pk]), {"hours": "lots"})
    assert response.status_code == 200
    assert title(response).startswith("Error: Mina Mentor: mentoring")
    assert error_summary(response) == [
        ("#id_title", "Enter the title of the training"),
        ("#id_completed_on", "Enter the date of the training"),
        ("#id_hours", "Enter the hours of training as a number, like 1.5"),
    ]
    assert MentorTraining.objects.count() == 0


def test_training_in_the_future_is_refused_on_its_field(client_for, ite_tutor, mentor, intern_record):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client_for(ite_tutor).post(
        reverse("ite:training-add", args=[mentor.pk]),
        {"title": "Update", "completed_on": tomorrow.isoformat(), "hours": "2"},
    )
    assert error_summary(response) == [
        ("#id_completed_on", "The date of the training must be today or in the past")
    ]
    assert MentorTraining.objects.count() == 0


@pytest.mark.parametrize("persona", ["mentor", "programme_lead", "intern", "hod"])
def test_only_the_ite_tutor_adds_training(request, client_for, mentor, intern_record, persona):
    response = client_for(request.getfixturevalue(persona)).post(
        reverse("ite:training-add", args=[mentor.pk]),
        {"title": "Update", "completed_on": timezone.localdate().isoformat(), "hours": "2"},
    )
    assert response.status_code == 404
    assert MentorTraining.objects.count() == 0


# Planning and recording reviews


def test_ite_tutor_plans_a_review(client_for, ite_tutor, mentor, intern_record):
    client = client_for(ite_tutor)
    url = reverse("ite:review-create", args=[intern_record.pk])
    assert client.get(url).status_code == 200
    day = timezone.localdate() + dt.timedelta(days=3)
    response = client.post(url, {"scheduled_on": day.isoformat()})
    assert response["Location"] == reverse("ite:mentor-detail", args=[mentor.pk])
    review = MentorReview.objects.get()
    assert (review.intern, review.mentor, review.scheduled_on) == (intern_record, mentor, day)
    page = client.get(response["Location"])
    assert [str(m) for m in page.context["messages"]] == [
        f"Review of the mentoring planned for {long_date(day)}"
    ]


def test_review_plan_errors(client_for, ite_tutor, intern_record):
    client = client_for(ite_tutor)
    url = reverse("ite:review-create", args=[intern_record.pk])
    response = client.post(url, {"scheduled_on": ""})
    assert title(response).startswith("Error: Plan a review of Ines Intern")
    assert error_summary(response) == [("#id_scheduled_on", "Enter the date planned")]
    first = plan(ite_tutor, intern_record)
    response = client.post(url, {"scheduled_on": timezone.localdate().isoformat()})
    assert error_summary(response) == [
        (
            "#id_scheduled_on",
            f"A review of this mentoring is already planned for {long_date(first.scheduled_on)}: "
            "record that one first",
        )
    ]
    assert MentorReview.objects.count() == 1


def test_review_of_an_intern_without_a_mentor_says_why_not(client_for, ite_tutor, programme, department):
    intern = InternFactory(
        programme=programme, department=department, staff__forename="Nia", staff__surname="New"
    )
    response = client_for(ite_tutor).post(
        reverse("ite:review-create", args=[intern.pk]), {"scheduled_on": timezone.localdate().isoformat()}
    )
    assert error_summary(response) == [
        (None, "Appoint a mentor for Nia New before planning a review of their mentoring")
    ]


@pytest.mark.parametrize("persona", ["mentor", "programme_lead", "intern", "other_mentor", "hod", "admin"])
def test_review_pages_404_for_all_but_the_ite_tutor(request, client_for, ite_tutor, intern_record, persona):
    review = plan(ite_tutor, intern_record)
    client = client_for(request.getfixturevalue(persona))
    create = reverse("ite:review-create", args=[intern_record.pk])
    record = reverse("ite:review-record", args=[review.pk])
    statuses = [
        client.get(create).status_code,
        client.post(create, {"scheduled_on": timezone.localdate().isoformat()}).status_code,
        client.get(record).status_code,
        client.post(record, {"step": "record", "held_on": timezone.localdate().isoformat()}).status_code,
    ]
    assert statuses == [404, 404, 404, 404]
    review.refresh_from_db()
    assert (MentorReview.objects.count(), review.held_on) == (1, None)


def record_data(**overrides):
    data = {
        "step": "record",
        "held_on": timezone.localdate().isoformat(),
        "programme_set_up": "yes",
        "meetings_logged": "yes",
        "feedback_referenced": "yes",
        "findings": "A well planned programme",
        "actions": "",
        "follow_up_on": "",
    }
    return {**data, **overrides}


def test_record_review_page_logs_the_access(client_for, ite_tutor, mentor, intern_record):
    review = plan(ite_tutor, intern_record)
    response = client_for(ite_tutor).get(reverse("ite:review-record", args=[review.pk]))
    assert (response.status_code, response.context["follow_up_form"]) == (200, None)
    assert list(AccessRecord.objects.values_list("reader__username", "subject_id", "record_id")) == [
        ("ite_tutor", mentor.pk, str(review.pk))
    ]


def test_record_review_names_each_missing_answer(client_for, ite_tutor, intern_record):
    review = plan(ite_tutor, intern_record)
    response = client_for(ite_tutor).post(
        reverse("ite:review-record", args=[review.pk]),
        record_data(held_on="", programme_set_up="", meetings_logged="", feedback_referenced=""),
    )
    assert title(response).startswith("Error: Review of Mina Mentor")
    assert error_summary(response) == [
        ("#id_held_on", "Enter the date held"),
        ("#id_programme_set_up_0", "Select whether the mentor programme is set up"),
        ("#id_meetings_logged_0", "Select whether weekly mentor meetings are happening and logged"),
        (
            "#id_feedback_referenced_0",
            "Select whether lesson feedback is detailed and referenced to the standards",
        ),
    ]


def test_record_review_asks_for_follow_up_when_not_all_in_place(client_for, ite_tutor, intern_record):
    review = plan(ite_tutor, intern_record)
    response = client_for(ite_tutor).post(
        reverse("ite:review-record", args=[review.pk]), record_data(feedback_referenced="partly")
    )
    because = "because detailed lesson feedback referenced to the standards was not fully in place"
    assert error_summary(response) == [
        ("#id_actions", f"Enter the follow-up actions, {because}"),
        ("#id_follow_up_on", f"Enter the date to follow up by, {because}"),
    ]
    review.refresh_from_db()
    assert (review.held_on, review.feedback_referenced) == (None, "")


def test_held_date_in_the_future_is_refused_on_its_field(client_for, ite_tutor, intern_record):
    review = plan(ite_tutor, intern_record)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client_for(ite_tutor).post(
        reverse("ite:review-record", args=[review.pk]), record_data(held_on=tomorrow.isoformat())
    )
    assert error_summary(response) == [
        ("#id_held_on", "The date the review was held must be today or in the past")
    ]


def test_record_review_then_mark_the_follow_up_done(client_for, ite_tutor, mentor, intern_record):
    review = plan(ite_tutor, intern_record)
    client = client_for(ite_tutor)
    url = reverse("ite:review-record", args=[review.pk])
    today = timezone.localdate()
    response = client.post(
        url,
        record_data(meetings_logged="no", actions="Log each weekly meeting", follow_up_on=today.isoformat()),
    )
    assert response["Location"] == reverse("ite:mentor-detail", args=[mentor.pk])
    review.refresh_from_db()
    assert (review.held_on, review.meetings_logged, review.actions) == (
        today,
        "no",
        "Log each weekly meeting",
    )
    assert client.get(url).context["follow_up_form"] is not None
    response = client.post(url, {"step": "follow-up", "done_on": today.isoformat()})
    assert response["Location"] == reverse("ite:mentor-detail", args=[mentor.pk])
    review.refresh_from_db()
    assert review.follow_up_done_on == today
    # Sent again (a second click), it says why not instead of failing.
    response = client.post(url, {"step": "follow-up", "done_on": today.isoformat()})
    assert error_summary(response) == [
        (None, f"The follow-up was already marked as done on {long_date(today)}")
    ]


def test_follow_up_done_date_is_required(client_for, ite_tutor, intern_record):
    review = held(ite_tutor, intern_record, follow_up=True)
    response = client_for(ite_tutor).post(
        reverse("ite:review-record", args=[review.pk]), {"step": "follow-up", "done_on": ""}
    )
    assert error_summary(response) == [("#id_done_on", "Enter the date the follow-up was done")]
    review.refresh_from_db()
    assert review.follow_up_done_on is None


# A mentor who does not teach the intern's subject (issue 22: "All in place" for a Geography intern with a
# Mathematics mentor)


def test_overview_and_mentor_page_show_a_mentor_of_another_subject(
    client_for, ite_tutor, mentor, intern_record
):
    placed(intern_record, -1, [-1])
    held(ite_tutor, intern_record)
    Intern.objects.filter(pk=intern_record.pk).update(subject="Geography")
    client = client_for(ite_tutor)
    (row,) = client.get(reverse("ite:mentor-list")).context["rows"]
    expected = "Mina Mentor is in the Mathematics department, not Geography"
    assert (row.status.text, row.subject_mismatches) == ("Not the intern's subject", [expected])
    page = client.get(reverse("ite:mentor-detail", args=[mentor.pk]))
    assert page.context["record"].row.subject_mismatches == [expected]
    assert expected in page.content.decode()


def test_a_mentor_who_teaches_the_subject_in_the_timetable_is_in_place(
    client_for, ite_tutor, mentor, intern_record, year, college
):
    """What the mentor teaches comes from the timetable's classes first, then their department."""
    placed(intern_record, -1, [-1])
    held(ite_tutor, intern_record)
    Intern.objects.filter(pk=intern_record.pk).update(subject=" geography ")
    TeachingGroup.objects.create(
        institution=college,
        academic_year=year,
        code="8G",
        subject="Geography",
        year_group=8,
        periods=3,
        teacher=mentor,
    )
    (row,) = client_for(ite_tutor).get(reverse("ite:mentor-list")).context["rows"]
    assert (row.status.text, row.subject_mismatches) == ("All in place", [])


@pytest.mark.parametrize(
    ("one", "other", "same"),
    [
        ("Art", "Art and Design", True),
        (" mathematics ", "Mathematics", True),
        ("Design & Technology", "Design and Technology", True),
        ("Geography", "Mathematics", False),
        ("Geography", "Humanities", False),
        ("", "Mathematics", False),
    ],
)
def test_same_subject(one, other, same):
    from protutor.ite.services import same_subject

    assert same_subject(one, other) is same
