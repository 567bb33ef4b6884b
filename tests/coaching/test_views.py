"""Coaching pages: the journeys through the forms (agreement, volunteering, sign-up, the coordinator's
training, matching and confirmation, booking a session, the journal), error pages that re-render with
"Error: " titles and summaries linking to the field, 404s outside each page's audience, and a query
count on the coordinator's page that stays the same as the programme grows."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from protutor.coaching import services
from protutor.coaching.models import (
    AgreementAcceptance,
    Coach,
    CoacheeSignup,
    CoachingSession,
    Cohort,
    CoverRequest,
    JournalEntry,
    MatchingRun,
    Pairing,
)
from protutor.people.models import Role, RoleAssignment
from tests.factories.coaching import school_slot
from tests.factories.people import StaffMemberFactory
from tests.pages import error_summary, title

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(tutor, college):
    RoleAssignment.objects.create(staff=tutor, role=Role.COACHING_COORDINATOR, institution=college)
    return tutor


@pytest.fixture
def agreement(coordinator):
    return services.publish_agreement(actor=coordinator.user, text="Sessions are confidential.")


@pytest.fixture
def pair(coordinator, agreement, colleague, teacher, college, year):
    for person in (colleague, teacher):
        services.accept_agreement(actor=person.user, agreement=agreement)
    coach = services.volunteer(actor=colleague.user, strengths="questioning", free_periods=[], capacity=1)
    for step in services.STEPS:
        services.record_training(actor=coordinator.user, coach=coach, step=step, on=year.starts_on)
    services.sign_up(
        actor=teacher.user, focus="questioning", free_periods=[], outside_department=False, is_ect=False
    )
    services.propose_pairs(actor=coordinator.user, institution_id=college.pk)
    services.confirm_pairs(actor=coordinator.user, institution_id=college.pk)
    return Pairing.objects.get()


def banners(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def checked_free_periods(response) -> list[str]:
    return re.findall(
        r'<input[^>]*name="free_periods"[^>]*value="([^"]+)"[^>]*checked', response.content.decode()
    )


def accepted(agreement, *people):
    for person in people:
        services.accept_agreement(actor=person.user, agreement=agreement)


def a_volunteer(person, **kwargs):
    details = {"strengths": "questioning", "free_periods": [], "capacity": 1, **kwargs}
    return services.volunteer(actor=person.user, **details)


def signed_up(person, focus="questioning"):
    return services.sign_up(
        actor=person.user, focus=focus, free_periods=[], outside_department=False, is_ect=False
    )


def in_the_future(days=3) -> str:
    return timezone.localtime(school_slot(days=days)).strftime("%Y-%m-%dT10:00")


# Agreement


def test_agreement_accept_records_the_version(client_for, agreement, teacher):
    client = client_for(teacher)
    page = client.get(reverse("coaching:agreement"))
    assert (page.status_code, page.context["agreement"], page.context["accepted"], page.context["form"]) == (
        200,
        agreement,
        False,
        None,
    )
    response = client.post(reverse("coaching:agreement"), {"action": "accept"})
    assert (response.status_code, response["Location"]) == (302, reverse("coaching:index"))
    assert list(AgreementAcceptance.objects.values_list("staff", "agreement__version")) == [(teacher.pk, 1)]
    assert client.get(reverse("coaching:agreement")).context["accepted"] is True


def test_agreement_accept_with_nothing_published_changes_nothing(client_for, teacher):
    response = client_for(teacher).post(reverse("coaching:agreement"), {"action": "accept"})
    assert (response.status_code, response.context["agreement"]) == (200, None)
    assert AgreementAcceptance.objects.count() == 0


def test_agreement_publish_new_version_needs_accepting_again(client_for, agreement, coordinator, teacher):
    accepted(agreement, teacher)
    response = client_for(coordinator).post(
        reverse("coaching:agreement"), {"action": "publish", "text": "Sessions are confidential. Revised."}
    )
    assert (response.status_code, response["Location"]) == (302, reverse("coaching:agreement"))
    latest = services.latest_agreement(coordinator.institution_id)
    assert (latest.version, latest.text) == (2, "Sessions are confidential. Revised.")
    assert client_for(teacher).get(reverse("coaching:agreement")).context["accepted"] is False


def test_agreement_publish_blank_names_the_field(client_for, agreement, coordinator):
    response = client_for(coordinator).post(reverse("coaching:agreement"), {"action": "publish", "text": ""})
    assert (response.status_code, title(response)) == (200, "Error: The coaching agreement – protutor")
    assert error_summary(response) == [("#id_text", "Enter the agreement")]
    assert 'id="id_text"' in response.content.decode()
    assert services.latest_agreement(coordinator.institution_id).version == 1


@pytest.mark.parametrize("persona", ["teacher", "line_manager", "programme_lead", "admin"])
def test_agreement_publish_404_for_non_coordinator(request, client_for, agreement, persona):
    person = request.getfixturevalue(persona)
    response = client_for(person).post(reverse("coaching:agreement"), {"action": "publish", "text": "Mine"})
    assert response.status_code == 404
    assert services.latest_agreement(agreement.institution_id).version == 1


# Volunteering


def test_volunteer_with_free_period_grid_creates_coach(client_for, agreement, colleague):
    accepted(agreement, colleague)
    client = client_for(colleague)
    response = client.post(
        reverse("coaching:volunteer"),
        {
            "strengths": "questioning, feedback",
            "capacity": "3",
            "ready_for_ect": "on",
            "free_periods": ["1-3", "0-2", "4-6"],
        },
    )
    assert (response.status_code, response["Location"]) == (302, reverse("coaching:index"))
    coach = Coach.objects.get()
    assert (coach.staff, coach.cohort.name, coach.strengths, coach.capacity, coach.ready_for_ect) == (
        colleague,
        "Cohort 1",
        "questioning, feedback",
        3,
        True,
    )
    assert coach.free_periods == [[0, 2], [1, 3], [4, 6]]
    page = client.get(reverse("coaching:volunteer"))
    assert checked_free_periods(page) == ["0-2", "1-3", "4-6"]
    assert page.context["form"].initial["capacity"] == 3


def test_volunteer_capacity_out_of_range_names_the_field(client_for, agreement, colleague):
    accepted(agreement, colleague)
    response = client_for(colleague).post(
        reverse("coaching:volunteer"), {"capacity": "0", "free_periods": ["1-3"]}
    )
    assert title(response) == "Error: Volunteer to coach – protutor"
    assert error_summary(response) == [("#id_capacity", "Enter 1 or more")]
    assert checked_free_periods(response) == ["1-3"]
    assert Coach.objects.count() == 0


def test_volunteer_period_off_the_grid_names_the_field(client_for, agreement, colleague):
    accepted(agreement, colleague)
    response = client_for(colleague).post(
        reverse("coaching:volunteer"), {"capacity": "2", "free_periods": ["0-7"]}
    )
    assert title(response) == "Error: Volunteer to coach – protutor"
    assert error_summary(response) == [
        ("#id_free_periods_0", "Select a valid choice. 0-7 is not one of the available choices.")
    ]
    assert 'id="id_free_periods_0"' in response.content.decode()
    assert Coach.objects.count() == 0


def test_volunteer_before_accepting_shows_the_reason(client_for, agreement, colleague):
    response = client_for(colleague).post(reverse("coaching:volunteer"), {"capacity": "2"})
    assert title(response) == "Error: Volunteer to coach – protutor"
    assert error_summary(response) == [(None, "Read and accept the coaching agreement first")]
    assert response.context["accepted"] is False
    assert Coach.objects.count() == 0


# Signing up


def test_signup_records_focus_and_free_periods(client_for, agreement, teacher):
    accepted(agreement, teacher)
    client = client_for(teacher)
    response = client.post(
        reverse("coaching:signup"),
        {"focus": "questioning, appraisal target", "free_periods": ["2-4"], "outside_department": "on"},
    )
    assert (response.status_code, response["Location"]) == (302, reverse("coaching:index"))
    signup = CoacheeSignup.objects.get()
    assert (signup.staff, signup.focus, signup.free_periods, signup.outside_department, signup.is_ect) == (
        teacher,
        "questioning, appraisal target",
        [[2, 4]],
        True,
        False,
    )
    assert checked_free_periods(client.get(reverse("coaching:signup"))) == ["2-4"]


def test_signup_blank_focus_names_the_field(client_for, agreement, teacher):
    accepted(agreement, teacher)
    response = client_for(teacher).post(reverse("coaching:signup"), {"focus": "", "free_periods": ["2-4"]})
    assert title(response) == "Error: Ask to be coached – protutor"
    assert error_summary(response) == [("#id_focus", "Enter what you would like to work on")]
    assert CoacheeSignup.objects.count() == 0


def test_signup_spaces_only_focus_names_the_field(client_for, agreement, teacher):
    accepted(agreement, teacher)
    response = client_for(teacher).post(reverse("coaching:signup"), {"focus": "   "})
    assert error_summary(response) == [("#id_focus", "Enter what you would like to work on")]


# The coordinator's page: training, cohorts, matching, confirmation


@pytest.mark.parametrize(
    "persona", ["teacher", "colleague", "line_manager", "hod", "programme_lead", "dsl", "admin", "outsider"]
)
def test_coordinator_page_404_for_everyone_but_the_coordinator(request, client_for, coordinator, persona):
    person = request.getfixturevalue(persona)
    assert client_for(person).get(reverse("coaching:coordinator")).status_code == 404


def train(client, coach, step, on=None):
    on = timezone.localdate().isoformat() if on is None else on
    return client.post(
        reverse("coaching:coordinator"), {"action": "train", "coach": coach.pk, "step": step, "on": on}
    )


def test_coordinator_records_three_steps_and_sees_who_waits(client_for, agreement, coordinator, colleague):
    accepted(agreement, colleague)
    coach = a_volunteer(colleague)
    client = client_for(coordinator)
    waiting = []
    for step in services.STEPS:
        page = client.get(reverse("coaching:coordinator"))
        waiting.append([(c.staff.full_name, c.next_step) for c in page.context["waiting"]])
        response = train(client, coach, step)
        assert (response.status_code, response["Location"]) == (302, reverse("coaching:coordinator"))
    page = client.get(reverse("coaching:coordinator"))
    assert waiting == [
        [("Colin Colleague", "Initial training day")],
        [("Colin Colleague", "First follow-up one-to-one")],
        [("Colin Colleague", "Second follow-up one-to-one")],
    ]
    assert (page.context["waiting"], banners(page)) == ([], ["Training recorded for Colin Colleague"])
    assert "Every coach is trained." in page.content.decode()
    coach.refresh_from_db()
    assert coach.is_trained is True


def test_coordinator_training_out_of_order_shows_the_reason(client_for, agreement, coordinator, colleague):
    accepted(agreement, colleague)
    coach = a_volunteer(colleague)
    client = client_for(coordinator)
    response = train(client, coach, "first_follow_up_on")
    assert response.status_code == 302
    page = client.get(reverse("coaching:coordinator"))
    assert banners(page) == ["Record the earlier training steps first"]
    coach.refresh_from_db()
    assert coach.first_follow_up_on is None


def test_coordinator_training_future_date_shows_the_reason(client_for, agreement, coordinator, colleague):
    accepted(agreement, colleague)
    coach = a_volunteer(colleague)
    client = client_for(coordinator)
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    train(client, coach, "training_day_on", on=tomorrow)
    assert banners(client.get(reverse("coaching:coordinator"))) == ["The date must be today or in the past"]
    coach.refresh_from_db()
    assert coach.training_day_on is None


@pytest.mark.parametrize(
    ("on", "message"), [("", "Enter the date"), ("2025-02-30", "Enter the date as a real date")]
)
def test_coordinator_training_bad_date_shows_the_reason(
    client_for, agreement, coordinator, colleague, on, message
):
    accepted(agreement, colleague)
    coach = a_volunteer(colleague)
    client = client_for(coordinator)
    response = train(client, coach, "training_day_on", on=on)
    assert (response.status_code, response["Location"]) == (302, reverse("coaching:coordinator"))
    assert banners(client.get(reverse("coaching:coordinator"))) == [message]
    coach.refresh_from_db()
    assert coach.training_day_on is None


def test_coordinator_training_404_for_coach_of_another_school(client_for, coordinator, outsider):
    RoleAssignment.objects.create(
        staff=outsider, role=Role.COACHING_COORDINATOR, institution=outsider.institution
    )
    far = services.publish_agreement(actor=outsider.user, text="Ours.")
    accepted(far, outsider)
    coach = a_volunteer(outsider)
    assert train(client_for(coordinator), coach, "training_day_on").status_code == 404
    coach.refresh_from_db()
    assert coach.training_day_on is None


def test_coordinator_starts_a_cohort_for_new_volunteers(
    client_for, agreement, coordinator, colleague, teacher
):
    accepted(agreement, colleague, teacher)
    a_volunteer(colleague)
    client = client_for(coordinator)
    response = client.post(reverse("coaching:coordinator"), {"action": "cohort", "name": "Cohort 2"})
    assert response.status_code == 302
    page = client.get(reverse("coaching:coordinator"))
    assert banners(page) == ["Cohort 2 started: new volunteers join it"]
    assert [c.name for c in page.context["cohorts"]] == ["Cohort 1", "Cohort 2"]
    a_volunteer(teacher)
    assert sorted(Coach.objects.values_list("staff__user__username", "cohort__name")) == [
        ("colleague", "Cohort 1"),
        ("teacher", "Cohort 2"),
    ]


def test_coordinator_cohort_repeated_name_shows_the_reason(client_for, agreement, coordinator, colleague):
    accepted(agreement, colleague)
    a_volunteer(colleague)
    client = client_for(coordinator)
    client.post(reverse("coaching:coordinator"), {"action": "cohort", "name": "Cohort 1"})
    assert banners(client.get(reverse("coaching:coordinator"))) == ["A cohort with that name already exists"]
    assert list(Cohort.objects.values_list("name", flat=True)) == ["Cohort 1"]


def test_coordinator_unknown_action_404(client_for, coordinator):
    response = client_for(coordinator).post(reverse("coaching:coordinator"), {"action": "delete-everything"})
    assert response.status_code == 404


@pytest.fixture
def ready(agreement, coordinator, colleague, admin, teacher, line_manager, year):
    """Two trained coaches (the colleague strong in questioning, the administrator in nothing asked for)
    and two sign-ups (the teacher, asking for questioning, and the teacher's line manager)."""
    accepted(agreement, colleague, admin, teacher, line_manager)
    for person, strengths in ((colleague, "questioning"), (admin, "timetabling")):
        coach = a_volunteer(person, strengths=strengths)
        for step in services.STEPS:
            services.record_training(actor=coordinator.user, coach=coach, step=step, on=year.starts_on)
    signed_up(teacher)
    signed_up(line_manager, focus="behaviour")


def proposed(page) -> list[tuple[str, str]]:
    return [(p.coach.staff.full_name, p.coachee.staff.full_name) for p in page.context["proposed"]]


def test_coordinator_proposes_pins_forbids_and_confirms(
    client_for,
    ready,
    coordinator,
    colleague,
    admin,
    teacher,
    line_manager,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    client = client_for(coordinator)
    url = reverse("coaching:coordinator")
    assert client.post(url, {"action": "match"}).status_code == 302
    page = client.get(url)
    assert proposed(page) == [("Ada Admin", "Lena Manager"), ("Colin Colleague", "Tess Teacher")]
    assert banners(page) == [f"Pairs proposed (score {page.context['run'].total_score}, proved optimal)"]
    body = page.content.decode()
    assert f'name="pin" type="checkbox" value="{colleague.pk}:{teacher.pk}"' in body
    assert f'name="forbid" type="checkbox" value="{admin.pk}:{line_manager.pk}"' in body

    client.post(
        url,
        {
            "action": "match",
            "pin": [f"{admin.pk}:{teacher.pk}"],
            "forbid": [f"{colleague.pk}:{line_manager.pk}"],
        },
    )
    page = client.get(url)
    assert proposed(page) == [("Ada Admin", "Tess Teacher")]
    assert [(s.staff.full_name, reason) for s, reason in page.context["unmatched"]] == [
        ("Lena Manager", "Every suitable coach is full")
    ]
    run = MatchingRun.objects.first()
    assert (run.pinned, run.forbidden) == ([[admin.pk, teacher.pk]], [[colleague.pk, line_manager.pk]])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "confirm"})
    assert response.status_code == 302
    page = client.get(url)
    assert banners(page) == ["1 pairs confirmed; each pair has been told"]
    assert [(p.coach.staff, p.coachee.staff) for p in page.context["confirmed"]] == [(admin, teacher)]
    assert sorted(m.to[0] for m in mailoutbox) == ["admin@example.org", "teacher@example.org"]


def test_coordinator_pin_across_line_management_shows_the_reason(
    client_for, ready, coordinator, line_manager, teacher, year
):
    coach = a_volunteer(line_manager, capacity=2)
    for step in services.STEPS:
        services.record_training(actor=coordinator.user, coach=coach, step=step, on=year.starts_on)
    client = client_for(coordinator)
    url = reverse("coaching:coordinator")
    client.post(url, {"action": "match"})
    client.get(url)
    before = sorted(Pairing.objects.values_list("pk", flat=True))
    response = client.post(url, {"action": "match", "pin": [f"{line_manager.pk}:{teacher.pk}"]})
    assert response.status_code == 302
    assert banners(client.get(url)) == [
        f"Pinned pair (coach {line_manager.pk}, coachee {teacher.pk}) breaks a hard rule: "
        "there is a line-management link between them"
    ]
    assert (sorted(Pairing.objects.values_list("pk", flat=True)), MatchingRun.objects.count()) == (before, 1)


def test_coordinator_ignores_malformed_pin_values(client_for, ready, coordinator):
    client = client_for(coordinator)
    url = reverse("coaching:coordinator")
    response = client.post(url, {"action": "match", "pin": ["x:1", "12", ":"], "forbid": ["1:y"]})
    assert response.status_code == 302
    run = MatchingRun.objects.get()
    assert (run.pinned, run.forbidden) == ([], [])


def test_coordinator_never_proposes_line_manager_for_their_report(
    client_for, agreement, coordinator, line_manager, teacher, year
):
    accepted(agreement, line_manager, teacher)
    coach = a_volunteer(line_manager, capacity=3)
    for step in services.STEPS:
        services.record_training(actor=coordinator.user, coach=coach, step=step, on=year.starts_on)
    signed_up(teacher)
    client = client_for(coordinator)
    client.post(reverse("coaching:coordinator"), {"action": "match"})
    page = client.get(reverse("coaching:coordinator"))
    assert proposed(page) == []
    assert [(s.staff.full_name, reason) for s, reason in page.context["unmatched"]] == [
        ("Tess Teacher", "No coach is free of a line-management link with you")
    ]
    assert "Tess Teacher: No coach is free of a line-management link with you" in page.content.decode()


# A pair books a session


def test_pair_books_session_and_cover_is_requested_for_both(client_for, pair, teacher, colleague):
    client = client_for(teacher)
    starts = in_the_future()
    response = client.post(pair.get_absolute_url(), {"starts_at": starts, "length_minutes": "50"})
    assert (response.status_code, response["Location"]) == (302, pair.get_absolute_url())
    assert banners(client.get(pair.get_absolute_url())) == [
        "Session booked. Cover has been requested for you both as professional development."
    ]
    session = CoachingSession.objects.get()
    assert timezone.localtime(session.starts_at).strftime("%Y-%m-%dT%H:%M") == starts
    assert sorted((r.staff.full_name, r.reason) for r in CoverRequest.objects.all()) == [
        ("Colin Colleague", "Professional development"),
        ("Tess Teacher", "Professional development"),
    ]
    page = client_for(colleague).get(pair.get_absolute_url())
    assert (page.context["sessions"], banners(page)) == ([session], [])


def test_pair_books_session_in_the_past_names_the_field(client_for, pair, teacher):
    yesterday = timezone.localtime(timezone.now() - dt.timedelta(days=1)).strftime("%Y-%m-%dT10:00")
    response = client_for(teacher).post(
        pair.get_absolute_url(), {"starts_at": yesterday, "length_minutes": "50"}
    )
    assert title(response) == "Error: Coaching pair – protutor"
    assert error_summary(response) == [("#id_starts_at", "Choose a time in the future")]
    assert 'id="id_starts_at"' in response.content.decode()
    assert (CoachingSession.objects.count(), CoverRequest.objects.count()) == (0, 0)


@pytest.mark.parametrize(
    ("length", "message"),
    [
        ("14", "Length must be 15 minutes or more"),
        ("121", "Length must be 120 minutes or fewer"),
        ("an hour", "Enter a whole number of minutes"),
    ],
)
def test_pair_books_session_bad_length_names_the_field(client_for, pair, teacher, length, message):
    response = client_for(teacher).post(
        pair.get_absolute_url(), {"starts_at": in_the_future(), "length_minutes": length}
    )
    assert title(response) == "Error: Coaching pair – protutor"
    assert error_summary(response) == [("#id_length_minutes", message)]
    assert CoachingSession.objects.count() == 0


def test_pairing_detail_coordinator_sees_dates_but_cannot_book(client_for, pair, coordinator):
    client = client_for(coordinator)
    page = client.get(pair.get_absolute_url())
    assert (page.status_code, page.context["form"]) == (200, None)
    response = client.post(pair.get_absolute_url(), {"starts_at": in_the_future(), "length_minutes": "50"})
    assert response.status_code == 404
    assert CoachingSession.objects.count() == 0


@pytest.mark.parametrize(
    "persona", ["line_manager", "hod", "programme_lead", "dsl", "admin", "other_tutor", "outsider"]
)
def test_pairing_detail_404_outside_pair_and_coordinator(request, client_for, pair, persona):
    person = request.getfixturevalue(persona)
    assert client_for(person).get(pair.get_absolute_url()).status_code == 404


def test_cover_page_lists_professional_development_for_the_cover_manager(client_for, pair, teacher, college):
    services.book_session(actor=teacher.user, pairing=pair, starts_at=school_slot(), length_minutes=50)
    manager = StaffMemberFactory(institution=college, department=None, forename="Cora", surname="Cover")
    RoleAssignment.objects.create(staff=manager, role=Role.COVER_MANAGER, institution=college)
    response = client_for(manager).get(reverse("cover-requests"))
    assert sorted((r.staff.full_name, r.reason) for r in response.context["requests"]) == [
        ("Colin Colleague", "Professional development"),
        ("Tess Teacher", "Professional development"),
    ]
    main = re.search(r"<main.*?</main>", response.content.decode(), re.S).group(0)
    assert "oach" not in main


@pytest.mark.parametrize("persona", ["teacher", "tutor", "line_manager"])
def test_cover_page_404_for_everyone_else(request, client_for, pair, persona):
    person = request.getfixturevalue(persona)
    assert client_for(person).get(reverse("cover-requests")).status_code == 404


# The journal


def test_journal_entry_readable_by_its_writer_alone(client_for, pair, teacher, colleague, coordinator):
    client = client_for(teacher)
    response = client.post(reverse("coaching:journal"), {"text": "I answer my own questions."})
    assert (response.status_code, response["Location"]) == (302, reverse("coaching:journal"))
    page = client.get(reverse("coaching:journal"))
    assert [e.text for e in page.context["entries"]] == ["I answer my own questions."]
    assert banners(page) == ["Saved to your journal. Only you can read it."]
    for other in (colleague, coordinator):
        page = client_for(other).get(reverse("coaching:journal"))
        assert (page.context["entries"], "I answer my own questions" in page.content.decode()) == ([], False)


def test_journal_blank_entry_names_the_field(client_for, teacher):
    response = client_for(teacher).post(reverse("coaching:journal"), {"text": ""})
    assert title(response) == "Error: Your coaching journal – protutor"
    assert error_summary(response) == [("#id_text", "Write something first")]
    assert JournalEntry.objects.count() == 0


def test_journal_spaces_only_names_the_field(client_for, teacher):
    response = client_for(teacher).post(reverse("coaching:journal"), {"text": "   "})
    assert error_summary(response) == [("#id_text", "Write something first")]
    assert JournalEntry.objects.count() == 0


# Query counts stay the same as the programme grows


@pytest.mark.parametrize("n", [1, 3])
def test_coordinator_query_count_is_constant(
    client_for, django_assert_num_queries, agreement, coordinator, college, department, year, n
):
    for i in range(n):
        coach_staff = StaffMemberFactory(institution=college, department=department)
        coachee = StaffMemberFactory(institution=college, department=department)
        accepted(agreement, coach_staff, coachee)
        coach = a_volunteer(coach_staff)
        for step in services.STEPS:
            services.record_training(actor=coordinator.user, coach=coach, step=step, on=year.starts_on)
        waiting = StaffMemberFactory(institution=college, department=department)
        accepted(agreement, waiting)
        a_volunteer(waiting)
        signed_up(coachee)
        unmatched = StaffMemberFactory(institution=college, department=department)
        accepted(agreement, unmatched)
        signed_up(unmatched, focus=f"focus {i}")
    services.propose_pairs(actor=coordinator.user, institution_id=college.pk)
    assert (Pairing.objects.count(), len(MatchingRun.objects.get().unmatched)) == (n, n)
    client = client_for(coordinator)
    # session, user, actor (staff, roles, caseload, reports), coordinator role, coaches with staff and
    # cohort, sign-ups with staff, pairings with coach and coachee staff, latest matching run, cohorts
    with django_assert_num_queries(12):
        client.get(reverse("coaching:coordinator"))


def test_pair_books_after_school_only_once_confirmed_and_without_cover(client_for, pair, teacher):
    """Issue 22: sessions outside protected time were booked with cover. Outside the school day the pair
    is warned and asked to confirm, and no cover is requested."""
    client = client_for(teacher)
    starts = timezone.localtime(school_slot(hour=17)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(pair.get_absolute_url(), {"starts_at": starts, "length_minutes": "50"})
    assert response.status_code == 200
    assert error_summary(response) == [
        (
            "#id_starts_at",
            "A session from 17:00 to 17:50 is outside the school day (8:00 to 17:00), so it is not in "
            "protected time and no cover will be requested. Choose a time in the school day, or confirm to "
            "book it without cover",
        )
    ]
    body = response.content.decode()
    assert 'name="confirmed"' in body and "Book it outside the school day, without cover" in body
    assert CoachingSession.objects.count() == 0
    response = client.post(
        pair.get_absolute_url(), {"starts_at": starts, "length_minutes": "50", "confirmed": "on"}
    )
    assert (response.status_code, response["Location"]) == (302, pair.get_absolute_url())
    assert banners(client.get(pair.get_absolute_url())) == [
        "Session booked, outside the school day: no cover has been requested."
    ]
    assert (CoachingSession.objects.count(), CoverRequest.objects.count()) == (1, 0)


def test_pair_cannot_book_a_sunday_night_session(client_for, pair, teacher):
    day = timezone.localdate() + dt.timedelta(days=2)
    sunday = day + dt.timedelta(days=(6 - day.weekday()) % 7)
    response = client_for(teacher).post(
        pair.get_absolute_url(),
        {"starts_at": f"{sunday:%Y-%m-%d}T03:00", "length_minutes": "50", "confirmed": "on"},
    )
    assert [anchor for anchor, _ in error_summary(response)] == ["#id_starts_at"]
    assert "is a Sunday: sessions are in protected time" in error_summary(response)[0][1]
    assert (CoachingSession.objects.count(), CoverRequest.objects.count()) == (0, 0)
