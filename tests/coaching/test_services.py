"""Coaching services: the agreement and its versions, volunteering and cohorts, training in order,
sign-up, proposing and confirming pairs, booking sessions with cover that says "professional
development", private journals encrypted at rest, and an audit entry for every write."""

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from protutor.audit.models import AuditEvent
from protutor.coaching import matching, services
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
from protutor.core import crypto
from protutor.core.confirm import ConfirmationNeeded
from protutor.core.errors import ServiceError
from protutor.people.models import Role, RoleAssignment
from tests.factories.coaching import school_slot
from tests.factories.people import StaffMemberFactory, UserFactory
from tests.notifications import updates

pytestmark = pytest.mark.django_db

DENIED = "You do not have permission to do that."
ACCEPT_FIRST = "Read and accept the coaching agreement first"


@pytest.fixture
def coordinator(tutor, college):
    RoleAssignment.objects.create(staff=tutor, role=Role.COACHING_COORDINATOR, institution=college)
    return tutor


@pytest.fixture
def agreement(coordinator):
    return services.publish_agreement(actor=coordinator.user, text="Sessions are confidential.")


@pytest.fixture
def pair(coordinator, colleague, teacher, college, year):
    tutor = coordinator
    agreement = services.publish_agreement(actor=tutor.user, text="Confidential.")
    for person in (colleague, teacher):
        services.accept_agreement(actor=person.user, agreement=agreement)
    coach = services.volunteer(actor=colleague.user, strengths="questioning", free_periods=[], capacity=1)
    for step in services.STEPS:
        services.record_training(actor=tutor.user, coach=coach, step=step, on=year.starts_on)
    services.sign_up(
        actor=teacher.user, focus="questioning", free_periods=[], outside_department=False, is_ect=False
    )
    services.propose_pairs(actor=tutor.user, institution_id=college.pk)
    services.confirm_pairs(actor=tutor.user, institution_id=college.pk)
    return Pairing.objects.get()


@pytest.fixture
def cover_manager(college):
    staff = StaffMemberFactory(
        institution=college, department=None, forename="Cora", surname="Cover", user__username="cover_manager"
    )
    RoleAssignment.objects.create(staff=staff, role=Role.COVER_MANAGER, institution=college)
    return staff


def accepted(agreement, *people):
    for person in people:
        services.accept_agreement(actor=person.user, agreement=agreement)


def trained_coach(person, coordinator, *, strengths="", capacity=1, free_periods=(), ready_for_ect=False):
    coach = services.volunteer(
        actor=person.user,
        strengths=strengths,
        free_periods=list(free_periods),
        capacity=capacity,
        ready_for_ect=ready_for_ect,
    )
    for step in services.STEPS:
        record(coach, coordinator, step)
    return coach


def record(coach, coordinator, step, on=None):
    return services.record_training(
        actor=coordinator.user, coach=coach, step=step, on=on or timezone.localdate() - dt.timedelta(days=1)
    )


def signed_up(person, focus="questioning", **kwargs):
    details = {"free_periods": [], "outside_department": False, "is_ect": False, **kwargs}
    return services.sign_up(actor=person.user, focus=focus, **details)


def pairs(status=None) -> list[tuple[str, str]]:
    rows = Pairing.objects.all() if status is None else Pairing.objects.filter(status=status)
    return sorted(rows.values_list("coach__staff__user__username", "coachee__staff__user__username"))


def audit_rows() -> list[tuple[str, str, str, dict]]:
    return [
        (e.actor.username if e.actor else "", e.action, e.target_type, e.detail)
        for e in AuditEvent.objects.order_by("pk")
    ]


def refused(call, message, field=None):
    with pytest.raises(ServiceError) as raised:
        call()
    assert (raised.value.message, raised.value.field) == (message, field)


def sent(outbox) -> list[tuple[list[str], str]]:
    """(to, what they are told after sign-in); every email itself is the one neutral email."""
    return sorted((to, message) for to, message, _ in updates(outbox))


# publish_agreement and accept_agreement


def test_publish_agreement_versions_increment(coordinator, college):
    first = services.publish_agreement(actor=coordinator.user, text="  Version one.  ")
    second = services.publish_agreement(actor=coordinator.user, text="Version two.")
    assert [(a.version, a.text, a.institution_id) for a in (first, second)] == [
        (1, "Version one.", college.pk),
        (2, "Version two.", college.pk),
    ]
    assert services.latest_agreement(college.pk) == second


def test_publish_agreement_versions_count_per_institution(coordinator, outsider):
    RoleAssignment.objects.create(
        staff=outsider, role=Role.COACHING_COORDINATOR, institution=outsider.institution
    )
    services.publish_agreement(actor=coordinator.user, text="Ours.")
    services.publish_agreement(actor=coordinator.user, text="Ours again.")
    assert services.publish_agreement(actor=outsider.user, text="Theirs.").version == 1


def test_publish_agreement_refused_for_non_coordinator(coordinator, teacher, programme_lead):
    for person in (teacher, programme_lead):
        refused(lambda p=person: services.publish_agreement(actor=p.user, text="Mine."), DENIED)
    assert services.latest_agreement(coordinator.institution_id) is None


def test_publish_agreement_requires_text(coordinator):
    refused(
        lambda: services.publish_agreement(actor=coordinator.user, text="   "), "Enter the agreement", "text"
    )


def test_publish_agreement_refused_for_user_without_staff_record(db):
    user = UserFactory(username="root", is_superuser=True)
    refused(
        lambda: services.publish_agreement(actor=user, text="Anything."),
        "Your account is not linked to a member of staff.",
    )


def test_accept_agreement_recorded_once_with_its_version(agreement, teacher):
    first = services.accept_agreement(actor=teacher.user, agreement=agreement)
    again = services.accept_agreement(actor=teacher.user, agreement=agreement)
    assert first == again
    assert list(AgreementAcceptance.objects.values_list("agreement__version", "staff")) == [(1, teacher.pk)]
    assert services.has_accepted_latest(teacher) is True


def test_accept_agreement_refused_from_another_institution(agreement, outsider):
    refused(lambda: services.accept_agreement(actor=outsider.user, agreement=agreement), DENIED)
    assert AgreementAcceptance.objects.count() == 0


def test_has_accepted_latest_false_before_any_agreement(teacher):
    assert services.has_accepted_latest(teacher) is False


def test_new_agreement_version_must_be_accepted_again_before_volunteering(agreement, coordinator, colleague):
    accepted(agreement, colleague)
    newer = services.publish_agreement(actor=coordinator.user, text="Sessions are confidential. Revised.")
    assert services.has_accepted_latest(colleague) is False
    refused(
        lambda: services.volunteer(actor=colleague.user, strengths="", free_periods=[], capacity=2),
        ACCEPT_FIRST,
    )
    assert Coach.objects.count() == 0
    accepted(newer, colleague)
    services.volunteer(actor=colleague.user, strengths="", free_periods=[], capacity=2)
    assert list(Coach.objects.values_list("staff", flat=True)) == [colleague.pk]


def test_new_agreement_version_must_be_accepted_again_before_signing_up(agreement, coordinator, teacher):
    accepted(agreement, teacher)
    newer = services.publish_agreement(actor=coordinator.user, text="Revised.")
    refused(lambda: signed_up(teacher), ACCEPT_FIRST)
    assert CoacheeSignup.objects.count() == 0
    accepted(newer, teacher)
    signed_up(teacher)
    assert list(CoacheeSignup.objects.values_list("staff", flat=True)) == [teacher.pk]


def test_volunteer_refused_before_any_agreement(teacher):
    refused(
        lambda: services.volunteer(actor=teacher.user, strengths="", free_periods=[], capacity=2),
        ACCEPT_FIRST,
    )


def test_agreement_writes_are_audited(coordinator, teacher):
    agreement = services.publish_agreement(actor=coordinator.user, text="Confidential.")
    services.accept_agreement(actor=teacher.user, agreement=agreement)
    assert audit_rows() == [
        ("tutor", "coaching.agreement_published", "coaching.agreement", {}),
        ("teacher", "coaching.agreement_accepted", "coaching.agreement", {"version": 1}),
    ]


# volunteer and start_cohort


def test_volunteer_creates_coach_in_cohort_1_when_none(agreement, hod, college):
    accepted(agreement, hod)
    coach = services.volunteer(
        actor=hod.user,
        strengths=" questioning, feedback ",
        free_periods=["1-3", "0-2", "1-3"],
        capacity=3,
        ready_for_ect=True,
    )
    assert (
        coach.staff,
        coach.cohort.name,
        coach.cohort.institution,
        coach.strengths,
        coach.free_periods,
        coach.capacity,
        coach.ready_for_ect,
        coach.active,
        coach.is_trained,
    ) == (hod, "Cohort 1", college, "questioning, feedback", [[0, 2], [1, 3]], 3, True, True, False)
    assert list(Cohort.objects.values_list("name", flat=True)) == ["Cohort 1"]


def test_volunteer_later_cohort_takes_new_volunteers_existing_coaches_keep_theirs(
    agreement, coordinator, colleague, teacher
):
    accepted(agreement, colleague, teacher)
    first = services.volunteer(actor=colleague.user, strengths="questioning", free_periods=[], capacity=1)
    second_cohort = services.start_cohort(actor=coordinator.user, name=" Cohort 2 ")
    newcomer = services.volunteer(actor=teacher.user, strengths="", free_periods=[], capacity=1)
    again = services.volunteer(actor=colleague.user, strengths="feedback", free_periods=["4-6"], capacity=4)
    assert second_cohort.name == "Cohort 2"
    assert (newcomer.cohort, again.pk, again.cohort.name) == (second_cohort, first.pk, "Cohort 1")
    assert (again.strengths, again.free_periods, again.capacity) == ("feedback", [[4, 6]], 4)
    assert sorted(Coach.objects.values_list("staff__user__username", "cohort__name")) == [
        ("colleague", "Cohort 1"),
        ("teacher", "Cohort 2"),
    ]


def test_volunteer_again_keeps_training_already_recorded(agreement, coordinator, colleague):
    accepted(agreement, colleague)
    coach = services.volunteer(actor=colleague.user, strengths="", free_periods=[], capacity=1)
    record(coach, coordinator, "training_day_on", on=dt.date(2025, 9, 3))
    coach = services.volunteer(actor=colleague.user, strengths="x", free_periods=[], capacity=2)
    coach.refresh_from_db()
    assert (coach.training_day_on, coach.next_step) == (dt.date(2025, 9, 3), "First follow-up one-to-one")


@pytest.mark.parametrize("capacity", [0, 7, -1])
def test_volunteer_capacity_out_of_bounds_refused(agreement, colleague, capacity):
    accepted(agreement, colleague)
    refused(
        lambda: services.volunteer(actor=colleague.user, strengths="", free_periods=[], capacity=capacity),
        "Enter how many people you could coach, from 1 to 6",
        "capacity",
    )
    assert Coach.objects.count() == 0


@pytest.mark.parametrize("capacity", [1, 6])
def test_volunteer_capacity_bounds_accepted(agreement, colleague, capacity):
    accepted(agreement, colleague)
    coach = services.volunteer(actor=colleague.user, strengths="", free_periods=[], capacity=capacity)
    assert coach.capacity == capacity


@pytest.mark.parametrize("value", ["5-1", "0-0", "0-9", "-1-2", "1-", "-3", "x-1", "1-x", "1-2-3", "13", ""])
def test_volunteer_bad_free_period_refused(agreement, colleague, value):
    accepted(agreement, colleague)
    refused(
        lambda: services.volunteer(
            actor=colleague.user, strengths="", free_periods=["0-1", value], capacity=1
        ),
        "Select free periods from the grid",
        "free_periods",
    )
    assert Coach.objects.count() == 0


def test_parse_free_periods_bounds_sorted_without_repeats():
    assert services.parse_free_periods(["4-8", "0-1", "0-1", "2-5"]) == [[0, 1], [2, 5], [4, 8]]


def test_start_cohort_coordinator_only(coordinator, teacher):
    refused(lambda: services.start_cohort(actor=teacher.user, name="Cohort 2"), DENIED)
    assert Cohort.objects.count() == 0


def test_start_cohort_refuses_repeated_name(coordinator):
    services.start_cohort(actor=coordinator.user, name="Cohort 2")
    refused(
        lambda: services.start_cohort(actor=coordinator.user, name="Cohort 2 "),
        "A cohort with that name already exists",
        "name",
    )
    assert list(Cohort.objects.values_list("name", flat=True)) == ["Cohort 2"]


def test_start_cohort_requires_name(coordinator):
    refused(
        lambda: services.start_cohort(actor=coordinator.user, name="  "),
        "Enter a name for the cohort",
        "name",
    )


def test_volunteer_and_cohort_writes_are_audited(agreement, coordinator, colleague):
    AuditEvent.objects.all().delete()
    accepted(agreement, colleague)
    coach = services.volunteer(actor=colleague.user, strengths="", free_periods=[], capacity=1)
    cohort = services.start_cohort(actor=coordinator.user, name="Cohort 2")
    assert [(e.action, e.target_id) for e in AuditEvent.objects.order_by("pk")] == [
        ("coaching.agreement_accepted", str(agreement.pk)),
        ("coaching.volunteered", str(coach.pk)),
        ("coaching.cohort_started", str(cohort.pk)),
    ]


# record_training


@pytest.fixture
def volunteer(agreement, colleague):
    accepted(agreement, colleague)
    return services.volunteer(actor=colleague.user, strengths="questioning", free_periods=[], capacity=1)


def test_record_training_three_steps_in_order_then_trained(volunteer, coordinator):
    seen = [(volunteer.next_step, volunteer.is_trained)]
    for step in services.STEPS:
        coach = record(volunteer, coordinator, step)
        seen.append((coach.next_step, coach.is_trained))
    assert seen == [
        ("Initial training day", False),
        ("First follow-up one-to-one", False),
        ("Second follow-up one-to-one", False),
        ("Trained", True),
    ]
    volunteer.refresh_from_db()
    assert volunteer.is_trained is True


@pytest.mark.parametrize("step", ["first_follow_up_on", "second_follow_up_on"])
def test_record_training_refuses_step_before_earlier_ones(volunteer, coordinator, step):
    refused(lambda: record(volunteer, coordinator, step), "Record the earlier training steps first", "step")
    volunteer.refresh_from_db()
    assert (volunteer.first_follow_up_on, volunteer.second_follow_up_on) == (None, None)


def test_record_training_refuses_second_follow_up_after_day_only(volunteer, coordinator):
    record(volunteer, coordinator, "training_day_on")
    refused(
        lambda: record(volunteer, coordinator, "second_follow_up_on"),
        "Record the earlier training steps first",
        "step",
    )


def test_record_training_refuses_unknown_step(volunteer, coordinator):
    refused(lambda: record(volunteer, coordinator, "active"), "Select a training step", "step")


def test_record_training_refuses_future_date(volunteer, coordinator):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    refused(
        lambda: record(volunteer, coordinator, "training_day_on", on=tomorrow),
        "The date must be today or in the past",
        "on",
    )
    volunteer.refresh_from_db()
    assert volunteer.training_day_on is None


def test_record_training_accepts_today(volunteer, coordinator):
    today = timezone.localdate()
    assert record(volunteer, coordinator, "training_day_on", on=today).training_day_on == today


@pytest.mark.parametrize(
    "persona", ["colleague", "line_manager", "hod", "programme_lead", "admin", "outsider"]
)
def test_record_training_coordinator_only(request, volunteer, coordinator, persona):
    person = request.getfixturevalue(persona)
    refused(lambda: record(volunteer, person, "training_day_on"), DENIED)
    volunteer.refresh_from_db()
    assert volunteer.training_day_on is None


def test_record_training_audited_with_step(volunteer, coordinator):
    AuditEvent.objects.all().delete()
    record(volunteer, coordinator, "training_day_on")
    assert audit_rows() == [
        ("tutor", "coaching.training_recorded", "coaching.coach", {"step": "training_day_on"}),
    ]


# sign_up


@pytest.mark.parametrize("focus", ["", "   "])
def test_sign_up_requires_focus(agreement, teacher, focus):
    accepted(agreement, teacher)
    refused(lambda: signed_up(teacher, focus=focus), "Enter what you would like to work on", "focus")
    assert CoacheeSignup.objects.count() == 0


def test_sign_up_records_choices_and_updates_on_second_go(agreement, teacher):
    accepted(agreement, teacher)
    first = signed_up(
        teacher, focus=" questioning ", free_periods=["2-1"], outside_department=True, is_ect=True
    )
    again = signed_up(teacher, focus="behaviour", free_periods=[])
    assert (first.focus, first.free_periods, first.outside_department, first.is_ect) == (
        "questioning",
        [[2, 1]],
        True,
        True,
    )
    assert (again.pk, again.focus, again.free_periods, again.outside_department, again.is_ect) == (
        first.pk,
        "behaviour",
        [],
        False,
        False,
    )


def test_sign_up_refuses_bad_free_period(agreement, teacher):
    accepted(agreement, teacher)
    refused(
        lambda: signed_up(teacher, free_periods=["7-1"]), "Select free periods from the grid", "free_periods"
    )


def test_sign_up_audited(agreement, teacher):
    accepted(agreement, teacher)
    AuditEvent.objects.all().delete()
    signup = signed_up(teacher)
    assert [(e.action, e.target_type, e.target_id) for e in AuditEvent.objects.all()] == [
        ("coaching.signed_up", "coaching.coacheesignup", str(signup.pk))
    ]


# propose_pairs


@pytest.fixture
def everyone_accepted(agreement, colleague, teacher, line_manager, hod, dsl, admin):
    accepted(agreement, colleague, teacher, line_manager, hod, dsl, admin)


def unmatched(run) -> dict[str, str]:
    signups = {str(s.pk): s.staff.user.username for s in CoacheeSignup.objects.select_related("staff__user")}
    return {signups[pk]: reason for pk, reason in run.unmatched.items()}


def test_propose_pairs_ignores_untrained_coaches(everyone_accepted, coordinator, college, hod, teacher):
    coach = services.volunteer(actor=hod.user, strengths="questioning", free_periods=[], capacity=2)
    record(coach, coordinator, "training_day_on")
    record(coach, coordinator, "first_follow_up_on")
    signed_up(teacher)
    run = services.propose_pairs(actor=coordinator.user, institution_id=college.pk)
    assert pairs() == []
    assert unmatched(run) == {"teacher": matching.NO_COACHES}


def test_propose_pairs_ignores_inactive_coaches(everyone_accepted, coordinator, college, hod, teacher):
    coach = trained_coach(hod, coordinator)
    Coach.objects.filter(pk=coach.pk).update(active=False)
    signed_up(teacher)
    run = services.propose_pairs(actor=coordinator.user, institution_id=college.pk)
    assert (pairs(), unmatched(run)) == ([], {"teacher": matching.NO_COACHES})


def test_propose_pairs_best_total_and_reasons(
    everyone_accepted, coordinator, college, colleague, teacher, dsl
):
    trained_coach(colleague, coordinator, strengths="Questioning", capacity=1, free_periods=["1-3"])
    signed_up(teacher, focus="questioning", free_periods=["1-3"])
    signed_up(dsl, focus="behaviour")
    run = services.propose_pairs(actor=coordinator.user, institution_id=college.pk)
    pairing = Pairing.objects.get()
    assert (pairing.coach.staff, pairing.coachee.staff, pairing.status, pairing.score) == (
        colleague,
        teacher,
        "proposed",
        13,
    )
    assert pairing.reasons == ["Shares your focus: questioning", "1 free period in common"]
    assert (run.total_score, run.optimal, unmatched(run)) == (13, True, {"dsl": matching.FULL})


def test_propose_pairs_skips_full_coaches_and_paired_coachees(pair, coordinator, college, dsl):
    services.accept_agreement(actor=dsl.user, agreement=services.latest_agreement(college.pk))
    signed_up(dsl)
    run = services.propose_pairs(actor=coordinator.user, institution_id=college.pk)
    assert pairs() == [("colleague", "teacher")]
    assert unmatched(run) == {"dsl": matching.NO_COACHES}


def test_propose_pairs_uses_room_left_after_confirmed_pairs(pair, coordinator, college, dsl):
    Coach.objects.filter(pk=pair.coach_id).update(capacity=2)
    services.accept_agreement(actor=dsl.user, agreement=services.latest_agreement(college.pk))
    signed_up(dsl)
    run = services.propose_pairs(actor=coordinator.user, institution_id=college.pk)
    assert pairs("confirmed") == [("colleague", "teacher")]
    assert pairs("proposed") == [("colleague", "dsl")]
    assert unmatched(run) == {}


def test_propose_pairs_never_pairs_coachee_with_line_manager(
    everyone_accepted, coordinator, college, line_manager, teacher
):
    trained_coach(line_manager, coordinator, strengths="questioning", capacity=3, free_periods=["0-1"])
    signed_up(teacher, focus="questioning", free_periods=["0-1"])
    run = services.propose_pairs(actor=coordinator.user, institution_id=college.pk)
    assert pairs() == []
    assert unmatched(run) == {"teacher": "No coach is free of a line-management link with you"}


def test_propose_pairs_never_pairs_line_manager_with_their_report_as_coach(
    everyone_accepted, coordinator, college, line_manager, teacher
):
    trained_coach(teacher, coordinator, strengths="questioning", capacity=3)
    signed_up(line_manager, focus="questioning")
    run = services.propose_pairs(actor=coordinator.user, institution_id=college.pk)
    assert (pairs(), unmatched(run)) == ([], {"line_manager": matching.LINE_MANAGEMENT})


def test_propose_pairs_passes_over_line_manager_for_another_coach(
    everyone_accepted, coordinator, college, line_manager, colleague, teacher
):
    trained_coach(line_manager, coordinator, strengths="questioning", capacity=3)
    trained_coach(colleague, coordinator, strengths="", capacity=1)
    signed_up(teacher, focus="questioning")
    services.propose_pairs(actor=coordinator.user, institution_id=college.pk)
    assert pairs() == [("colleague", "teacher")]


def test_propose_pairs_replaces_earlier_proposals_keeps_confirmed(
    everyone_accepted, coordinator, college, colleague, teacher, dsl
):
    trained_coach(colleague, coordinator, strengths="questioning", capacity=2)
    signed_up(teacher)
    services.propose_pairs(actor=coordinator.user, institution_id=college.pk)
    earlier = Pairing.objects.get()
    services.propose_pairs(actor=coordinator.user, institution_id=college.pk)
    rerun = Pairing.objects.get()
    assert (rerun.pk != earlier.pk, pairs("proposed")) == (True, [("colleague", "teacher")])
    services.confirm_pairs(actor=coordinator.user, institution_id=college.pk)
    signed_up(dsl)
    services.propose_pairs(actor=coordinator.user, institution_id=college.pk)
    services.propose_pairs(actor=coordinator.user, institution_id=college.pk)
    assert (pairs("confirmed"), pairs("proposed")) == ([("colleague", "teacher")], [("colleague", "dsl")])
    assert Pairing.objects.get(status="confirmed").pk == rerun.pk
    assert MatchingRun.objects.count() == 4


def test_propose_pairs_pinned_pair_appears(
    everyone_accepted, coordinator, college, colleague, admin, teacher
):
    trained_coach(colleague, coordinator, strengths="questioning")
    trained_coach(admin, coordinator, strengths="")
    signed_up(teacher, focus="questioning")
    run = services.propose_pairs(
        actor=coordinator.user, institution_id=college.pk, pinned=[(admin.pk, teacher.pk)]
    )
    pairing = Pairing.objects.get()
    assert (pairing.coach.staff, pairing.coachee.staff, pairing.reasons) == (
        admin,
        teacher,
        ["Pinned by the coordinator", matching.NO_FREE],
    )
    assert (run.pinned, run.forbidden) == ([[admin.pk, teacher.pk]], [])


def test_propose_pairs_forbidden_pair_never_appears(
    everyone_accepted, coordinator, college, colleague, admin, teacher
):
    trained_coach(colleague, coordinator, strengths="questioning")
    trained_coach(admin, coordinator, strengths="")
    signed_up(teacher, focus="questioning")
    services.propose_pairs(actor=coordinator.user, institution_id=college.pk)
    assert pairs() == [("colleague", "teacher")]
    run = services.propose_pairs(
        actor=coordinator.user, institution_id=college.pk, forbidden=[(colleague.pk, teacher.pk)]
    )
    assert pairs() == [("admin", "teacher")]
    assert (run.pinned, run.forbidden) == ([], [[colleague.pk, teacher.pk]])


def test_propose_pairs_forbidding_the_only_coach_leaves_reason(
    everyone_accepted, coordinator, college, colleague, teacher
):
    trained_coach(colleague, coordinator)
    signed_up(teacher)
    run = services.propose_pairs(
        actor=coordinator.user, institution_id=college.pk, forbidden=[(colleague.pk, teacher.pk)]
    )
    assert (pairs(), unmatched(run)) == ([], {"teacher": matching.RULED_OUT})


def test_propose_pairs_pin_across_line_management_refused_and_nothing_changes(
    everyone_accepted, coordinator, college, line_manager, colleague, teacher
):
    trained_coach(line_manager, coordinator)
    trained_coach(colleague, coordinator)
    signed_up(teacher)
    services.propose_pairs(actor=coordinator.user, institution_id=college.pk)
    before = list(Pairing.objects.values_list("pk", flat=True))
    with pytest.raises(ValueError, match="breaks a hard rule"):
        services.propose_pairs(
            actor=coordinator.user, institution_id=college.pk, pinned=[(line_manager.pk, teacher.pk)]
        )
    assert list(Pairing.objects.values_list("pk", flat=True)) == before
    assert MatchingRun.objects.count() == 1


def test_propose_pairs_coordinator_only(everyone_accepted, coordinator, college, colleague, teacher):
    trained_coach(colleague, coordinator)
    signed_up(teacher)
    refused(lambda: services.propose_pairs(actor=teacher.user, institution_id=college.pk), DENIED)
    assert (pairs(), MatchingRun.objects.count()) == ([], 0)


def test_propose_pairs_only_for_own_institution(coordinator, outsider):
    refused(
        lambda: services.propose_pairs(actor=coordinator.user, institution_id=outsider.institution_id), DENIED
    )


def test_propose_pairs_audited_with_count(everyone_accepted, coordinator, college, colleague, teacher):
    trained_coach(colleague, coordinator)
    signed_up(teacher)
    AuditEvent.objects.all().delete()
    run = services.propose_pairs(actor=coordinator.user, institution_id=college.pk)
    assert [(e.action, e.target_type, e.target_id, e.detail) for e in AuditEvent.objects.all()] == [
        ("coaching.pairs_proposed", "coaching.matchingrun", str(run.pk), {"pairs": 1})
    ]


# confirm_pairs


def test_confirm_pairs_confirms_and_emails_both_after_commit(
    everyone_accepted,
    coordinator,
    college,
    colleague,
    teacher,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    trained_coach(colleague, coordinator)
    signed_up(teacher)
    services.propose_pairs(actor=coordinator.user, institution_id=college.pk)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        count = services.confirm_pairs(actor=coordinator.user, institution_id=college.pk)
        assert mailoutbox == []
    pairing = Pairing.objects.get()
    assert (count, pairing.status, len(callbacks)) == (1, "confirmed", 1)
    paired = "You have been paired. Agree your first session together in protected time."
    assert sent(mailoutbox) == [(["colleague@example.org"], paired), (["teacher@example.org"], paired)]
    assert [path for _, _, path in updates(mailoutbox)] == [pairing.get_absolute_url()] * 2


def test_confirm_pairs_with_nothing_proposed_sends_nothing(
    coordinator, college, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        count = services.confirm_pairs(actor=coordinator.user, institution_id=college.pk)
    assert (count, callbacks, mailoutbox) == (0, [], [])


def test_confirm_pairs_coordinator_only(everyone_accepted, coordinator, college, colleague, teacher):
    trained_coach(colleague, coordinator)
    signed_up(teacher)
    services.propose_pairs(actor=coordinator.user, institution_id=college.pk)
    refused(lambda: services.confirm_pairs(actor=colleague.user, institution_id=college.pk), DENIED)
    assert pairs("proposed") == [("colleague", "teacher")]


def test_confirm_pairs_audited_with_count(pair, coordinator):
    assert [
        (e.action, e.target_type, e.detail) for e in AuditEvent.objects.filter(action__endswith="confirmed")
    ] == [("coaching.pairs_confirmed", "", {"count": 1})]


# book_session


def soon(days=2, hour=10):
    return school_slot(days=days, hour=hour)


@pytest.mark.parametrize("who", ["teacher", "colleague"])
def test_book_session_by_either_of_the_pair_requests_cover_for_both(request, pair, cover_manager, who):
    person = request.getfixturevalue(who)
    starts = soon()
    session = services.book_session(actor=person.user, pairing=pair, starts_at=starts, length_minutes=50)
    assert (session.pairing, session.starts_at, session.length_minutes) == (pair, starts, 50)
    assert sorted(
        (r.staff.user.username, r.starts_at, r.ends_at, r.reason, r.coaching_session_id, r.institution_id)
        for r in CoverRequest.objects.all()
    ) == [
        (
            "colleague",
            starts,
            starts + dt.timedelta(minutes=50),
            "Professional development",
            session.pk,
            pair.coach.staff.institution_id,
        ),
        (
            "teacher",
            starts,
            starts + dt.timedelta(minutes=50),
            "Professional development",
            session.pk,
            pair.coach.staff.institution_id,
        ),
    ]


@pytest.mark.parametrize("persona", ["tutor", "line_manager", "hod", "programme_lead", "admin", "outsider"])
def test_book_session_refused_outside_the_pair(request, pair, persona):
    person = request.getfixturevalue(persona)
    refused(
        lambda: services.book_session(actor=person.user, pairing=pair, starts_at=soon(), length_minutes=50),
        DENIED,
    )
    assert (CoachingSession.objects.count(), CoverRequest.objects.count()) == (0, 0)


def test_book_session_refused_for_proposed_pair(everyone_accepted, coordinator, college, colleague, teacher):
    trained_coach(colleague, coordinator)
    signed_up(teacher)
    services.propose_pairs(actor=coordinator.user, institution_id=college.pk)
    pairing = Pairing.objects.get()
    refused(
        lambda: services.book_session(
            actor=teacher.user, pairing=pairing, starts_at=soon(), length_minutes=50
        ),
        DENIED,
    )
    assert CoverRequest.objects.count() == 0


@pytest.mark.parametrize("delta", [dt.timedelta(0), dt.timedelta(minutes=-5), dt.timedelta(days=-30)])
def test_book_session_refuses_past_or_present(pair, teacher, delta):
    refused(
        lambda: services.book_session(
            actor=teacher.user, pairing=pair, starts_at=timezone.now() + delta, length_minutes=50
        ),
        "Choose a time in the future",
        "starts_at",
    )
    assert (CoachingSession.objects.count(), CoverRequest.objects.count()) == (0, 0)


@pytest.mark.parametrize("length", [0, 14, 121])
def test_book_session_refuses_length_out_of_bounds(pair, teacher, length):
    refused(
        lambda: services.book_session(
            actor=teacher.user, pairing=pair, starts_at=soon(), length_minutes=length
        ),
        "Enter a length from 15 to 120 minutes",
        "length_minutes",
    )
    assert (CoachingSession.objects.count(), CoverRequest.objects.count()) == (0, 0)


@pytest.mark.parametrize("length", [15, 120])
def test_book_session_accepts_length_bounds(pair, teacher, length):
    session = services.book_session(actor=teacher.user, pairing=pair, starts_at=soon(), length_minutes=length)
    assert [r.ends_at - r.starts_at for r in session.cover_requests.all()] == [
        dt.timedelta(minutes=length)
    ] * 2


def book_and_send(pair, teacher, capture, outbox):
    elsewhere = StaffMemberFactory(user__username="far_cover")
    RoleAssignment.objects.create(staff=elsewhere, role=Role.COVER_MANAGER, institution=elsewhere.institution)
    with capture(execute=True):
        services.book_session(actor=teacher.user, pairing=pair, starts_at=soon(), length_minutes=50)
        assert outbox == []
    return outbox


def test_book_session_emails_own_cover_managers_after_commit(
    pair, teacher, cover_manager, django_capture_on_commit_callbacks, mailoutbox, settings
):
    book_and_send(pair, teacher, django_capture_on_commit_callbacks, mailoutbox)
    assert updates(mailoutbox) == [
        (
            ["cover_manager@example.org"],
            "Two members of staff need cover for professional development.",
            reverse("cover-requests"),
        )
    ]


def test_book_session_email_to_cover_manager_never_mentions_coaching_or_the_pair(
    pair, teacher, colleague, cover_manager, django_capture_on_commit_callbacks, mailoutbox
):
    book_and_send(pair, teacher, django_capture_on_commit_callbacks, mailoutbox)
    text = (mailoutbox[0].subject + mailoutbox[0].body).lower()
    assert [word for word in ("coach", "teacher", "colleague", "tess", "colin") if word in text] == []


def test_book_session_with_no_cover_manager_sends_nothing(
    pair, teacher, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.book_session(actor=teacher.user, pairing=pair, starts_at=soon(), length_minutes=50)
    assert (callbacks, mailoutbox, CoverRequest.objects.count()) == ([], [], 2)


def test_book_session_audited(pair, teacher):
    AuditEvent.objects.all().delete()
    services.book_session(actor=teacher.user, pairing=pair, starts_at=soon(), length_minutes=50)
    assert audit_rows() == [("teacher", "coaching.session_booked", "coaching.pairing", {})]


# write_journal


@pytest.mark.parametrize("text", ["", "  \n "])
def test_write_journal_requires_text(teacher, text):
    refused(lambda: services.write_journal(actor=teacher.user, text=text), "Write something first", "text")
    assert JournalEntry.objects.count() == 0


def test_write_journal_encrypted_at_rest(teacher):
    plaintext = "PLAINTEXT-JOURNAL-8472: I answer my own questions."
    entry = services.write_journal(actor=teacher.user, text=f"  {plaintext}  ")
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM coaching_journalentry WHERE id = %s", [entry.pk])
        (stored,) = cursor.fetchone()
    assert "PLAINTEXT" not in stored
    assert "questions" not in stored
    assert crypto.decrypt(stored) == plaintext
    assert JournalEntry.objects.get().text == plaintext
    assert (entry.author, entry.written_on) == (teacher, timezone.localdate())


def test_write_journal_audit_names_no_entry_and_no_text(teacher):
    services.write_journal(actor=teacher.user, text="Something private")
    assert audit_rows() == [("teacher", "coaching.journal_written", "", {})]
    assert AuditEvent.objects.get().target_id == ""


# answer_survey


@pytest.mark.parametrize("rating", [0, 6])
def test_answer_survey_refuses_rating_out_of_range(pair, teacher, year, rating):
    refused(
        lambda: services.answer_survey(actor=teacher.user, term=year.terms.get(number=1), rating=rating),
        "Select a rating from 1 to 5",
        "rating",
    )


def test_survey_side_coach_coachee_or_none(pair, colleague, teacher, hod):
    assert [services.survey_side(p) for p in (colleague, teacher, hod)] == ["coach", "coachee", None]


# Sessions are in protected time (issue 22): the one rule, coaching.services.session_time_problem


def _weekday_after(days: int, weekday: int) -> dt.date:
    day = timezone.localdate() + dt.timedelta(days=days)
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _holiday_weekday(year) -> dt.date:
    """A weekday after today between two of the year's terms."""
    day = timezone.localdate() + dt.timedelta(days=1)
    terms = list(year.terms.all())
    while day <= year.ends_on:
        if day.weekday() < 5 and not any(t.starts_on <= day <= t.ends_on for t in terms):
            return day
        day += dt.timedelta(days=1)
    pytest.skip("no school holiday left in this year")


def test_book_session_on_a_weekend_or_at_night_is_refused_without_cover(pair, teacher, cover_manager):
    sunday = _at(_weekday_after(2, 6), 3)
    refused(
        lambda: services.book_session(actor=teacher.user, pairing=pair, starts_at=sunday, length_minutes=50),
        f"{sunday:%A} {sunday.day} {sunday:%B %Y} is a Sunday: sessions are in protected time, in the school "
        "day with cover. Choose a weekday",
        "starts_at",
    )
    night = school_slot(hour=3)
    refused(
        lambda: services.book_session(
            actor=teacher.user, pairing=pair, starts_at=night, length_minutes=50, confirmed=True
        ),
        "A session from 3:00 to 3:50 is outside protected time: choose a time in the school day, 8:00 to 17:00",
        "starts_at",
    )
    assert (CoachingSession.objects.count(), CoverRequest.objects.count()) == (0, 0)


def test_book_session_in_a_school_holiday_is_refused(pair, teacher, year):
    day = _holiday_weekday(year)
    starts = _at(day, 10)
    refused(
        lambda: services.book_session(actor=teacher.user, pairing=pair, starts_at=starts, length_minutes=50),
        f"{starts:%A} {starts.day} {starts:%B %Y} is in a school holiday: sessions are in protected time, in "
        "term with cover. Choose a day in term",
        "starts_at",
    )
    assert CoachingSession.objects.count() == 0


def test_book_session_after_school_asks_to_confirm_and_then_books_without_cover(
    pair, teacher, cover_manager, django_capture_on_commit_callbacks, mailoutbox
):
    starts = school_slot(hour=16, minute=30)
    with pytest.raises(ConfirmationNeeded) as asked:
        services.book_session(actor=teacher.user, pairing=pair, starts_at=starts, length_minutes=50)
    assert (asked.value.field, asked.value.confirm_label) == (
        "starts_at",
        services.OUTSIDE_SCHOOL_DAY_CONFIRM,
    )
    assert asked.value.message == (
        "A session from 16:30 to 17:20 is outside the school day (8:00 to 17:00), so it is not in protected "
        "time and no cover will be requested. Choose a time in the school day, or confirm to book it "
        "without cover"
    )
    assert CoachingSession.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        session = services.book_session(
            actor=teacher.user, pairing=pair, starts_at=starts, length_minutes=50, confirmed=True
        )
    assert (session.starts_at, CoverRequest.objects.count(), mailoutbox) == (starts, 0, [])


def test_no_free_period_in_common_is_explained_as_the_agreement_says():
    assert "after school" not in matching.NO_FREE
    assert "protected time" in matching.NO_FREE and "cover" in matching.NO_FREE
