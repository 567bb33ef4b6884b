"""Every write to a support plan: exact resulting state, the audit entry, refusals that name the field and
write nothing, the history kept for each change, emails after commit that never carry the plan's text,
and the wall between the plan pages and the tutor's one-to-one support."""

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from protutor.audit.models import AuditEvent
from protutor.core.errors import ServiceError
from protutor.plans import services
from protutor.plans.models import PlanGoal, PlanReview, PlanSupportEntry, SupportPlan
from tests.factories.observations import standard
from tests.factories.plans import (
    close_as_met,
    log_support,
    meet_exit_conditions,
    next_review,
    open_plan_for,
)
from tests.factories.support import log, open_case_for
from tests.notifications import updates

pytestmark = pytest.mark.django_db

SECRET = "SECRET-CONCERN-5e1b"
GOAL = "SECRET-GOAL-Consistent routines"
CRITERIA = "SECRET-CRITERIA-settled in three minutes"
DENIED = "You do not have permission to do that."
CLOSED = "This plan is closed."
NOT_OPENER = "Only their line manager or the programme lead can open a plan"
NOT_MET = (
    "A plan closes as met when the teacher feels confident, the line manager is satisfied and the "
    "improvement shows in practice: record all three first"
)
OPENED = "A support plan has been opened. Please read it and, if it is yours, acknowledge it."
REVIEWED = "A review of a support plan has been recorded."


def today() -> dt.date:
    return timezone.localdate()


def days(n: int) -> dt.date:
    return today() + dt.timedelta(days=n)


def counts() -> dict[str, int]:
    return {
        "SupportPlan": SupportPlan.objects.count(),
        "PlanGoal": PlanGoal.objects.count(),
        "PlanReview": PlanReview.objects.count(),
        "PlanSupportEntry": PlanSupportEntry.objects.count(),
        "AuditEvent": AuditEvent.objects.count(),
        "SupportPlan history": SupportPlan.history.count(),
        "PlanReview history": PlanReview.history.count(),
    }


def events(action=None) -> list[tuple]:
    queryset = AuditEvent.objects.order_by("pk")
    if action is not None:
        queryset = queryset.filter(action=action)
    return list(queryset.values_list("action", "actor", "target_type", "target_id", "detail"))


def sent(outbox) -> list[tuple[list[str], str]]:
    """(to, what they are told after sign-in); every email itself is the one neutral email."""
    return sorted((to, message) for to, message, _ in updates(outbox))


def assert_no_email_contains(outbox, *texts):
    for message in outbox:
        for text in texts:
            assert text not in message.subject
            assert text not in message.body


def refused(call, message, field=None):
    before = counts()
    with pytest.raises(ServiceError) as exc:
        call()
    assert (exc.value.message, exc.value.field) == (message, field)
    assert counts() == before


def plan_state(plan: SupportPlan) -> tuple:
    plan.refresh_from_db()
    return (
        plan.status,
        plan.teacher_confident_on,
        plan.line_manager_satisfied_on,
        plan.improvement_evidenced_on,
        plan.improvement_evidence,
        plan.closed_on,
    )


def reviews_of(plan: SupportPlan) -> list[tuple]:
    return [
        (r.due_on, r.held_on, r.notes, r.teacher_comment, r.outcome)
        for r in PlanReview.objects.filter(plan=plan).order_by("pk")
    ]


@pytest.fixture
def plan(teacher, line_manager, tutor):
    return open_plan_for(teacher, line_manager, tutor, concerns=SECRET, goals=[(GOAL, CRITERIA)])


def open_with(actor, teacher, **overrides):
    fields = {
        "concerns": SECRET,
        "goals": [(GOAL, CRITERIA)],
        "first_review_on": days(14),
        "assigned_tutor": None,
    }
    return lambda: services.open_plan(actor=actor.user, teacher=teacher, **{**fields, **overrides})


# open_plan


def test_open_plan_by_line_manager_creates_plan_goals_and_first_review(
    college, teacher, line_manager, tutor, standards
):
    plan = services.open_plan(
        actor=line_manager.user,
        teacher=teacher,
        concerns=f"  {SECRET}  ",
        goals=[(f" {GOAL} ", f" {CRITERIA} ")],
        first_review_on=days(14),
        assigned_tutor=tutor,
        support_offered=" Developmental observations ",
        concern_standards=[standard("TS 7")],
    )
    plan.refresh_from_db()
    assert (
        plan.institution,
        plan.teacher,
        plan.line_manager,
        plan.opened_by,
        plan.assigned_tutor,
        plan.concerns,
        plan.support_offered,
        plan.starts_on,
        plan.status,
        plan.acknowledged_at,
        plan.closed_on,
        plan.exit_conditions_met,
    ) == (
        college,
        teacher,
        line_manager,
        line_manager,
        tutor,
        SECRET,
        "Developmental observations",
        today(),
        SupportPlan.Status.OPEN,
        None,
        None,
        False,
    )
    assert [s.label for s in plan.concern_standards.all()] == [standard("TS 7").label]
    assert list(plan.goals.values_list("goal", "success_criteria", "position")) == [(GOAL, CRITERIA, 1)]
    assert reviews_of(plan) == [(days(14), None, "", "", "")]
    assert events() == [("plans.opened", line_manager.user.pk, "plans.supportplan", str(plan.pk), {})]
    assert (plan.history.count(), PlanReview.history.count()) == (1, 1)


def test_open_plan_drops_blank_goals_and_numbers_the_rest(teacher, line_manager):
    plan = open_plan_for(
        teacher,
        line_manager,
        goals=[(" Routines ", " Settled "), ("   ", "criteria alone"), ("Questioning", "")],
    )
    assert list(plan.goals.values_list("goal", "success_criteria", "position")) == [
        ("Routines", "Settled", 1),
        ("Questioning", "", 2),
    ]


def test_open_plan_by_programme_lead_takes_line_manager_from_staff_list(
    teacher, line_manager, programme_lead
):
    plan = open_plan_for(teacher, programme_lead)
    assert (plan.line_manager, plan.opened_by, plan.assigned_tutor) == (line_manager, programme_lead, None)
    assert events() == [("plans.opened", programme_lead.user.pk, "plans.supportplan", str(plan.pk), {})]


def test_open_plan_emails_three_people_after_commit_without_plan_text(
    teacher, line_manager, tutor, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        plan = open_plan_for(teacher, line_manager, tutor, concerns=SECRET, goals=[(GOAL, CRITERIA)])
    assert (len(callbacks), mailoutbox) == (1, [])
    callbacks[0]()
    assert sent(mailoutbox) == [
        ([line_manager.email], OPENED),
        ([teacher.email], OPENED),
        ([tutor.email], OPENED),
    ]
    assert {path for _, _, path in updates(mailoutbox)} == {plan.get_absolute_url()}
    assert plan.get_absolute_url() not in mailoutbox[0].body
    assert_no_email_contains(mailoutbox, SECRET, GOAL, CRITERIA, teacher.full_name)


@pytest.mark.parametrize(
    "actor", ["teacher", "colleague", "hod", "tutor", "other_tutor", "dsl", "admin", "outsider"]
)
def test_open_plan_rejects_anyone_but_line_manager_or_programme_lead(request, teacher, actor):
    refused(open_with(request.getfixturevalue(actor), teacher), NOT_OPENER, "teacher")


def test_open_plan_rejects_teacher_with_no_line_manager(colleague, programme_lead):
    refused(
        open_with(programme_lead, colleague),
        "This member of staff has no line manager in the staff list",
        "teacher",
    )


def test_open_plan_rejects_blank_concerns(teacher, line_manager):
    refused(open_with(line_manager, teacher, concerns="   "), "Describe the concerns", "concerns")


@pytest.mark.parametrize("goals", [[], [("   ", "criteria without a goal")]], ids=["none", "blank"])
def test_open_plan_rejects_no_goals(teacher, line_manager, goals):
    refused(open_with(line_manager, teacher, goals=goals), "Enter at least one goal", "goal_1")


@pytest.mark.parametrize("offset", [0, -1], ids=["today", "yesterday"])
def test_open_plan_rejects_first_review_not_in_future(teacher, line_manager, offset):
    refused(
        open_with(line_manager, teacher, first_review_on=days(offset)),
        "The first review must be in the future",
        "first_review_on",
    )


def test_open_plan_first_review_tomorrow_accepted(teacher, line_manager):
    plan = open_plan_for(teacher, line_manager, first_review_on=days(1))
    assert reviews_of(plan) == [(days(1), None, "", "", "")]


def test_open_plan_rejects_teacher_as_own_tutor(teacher, line_manager):
    refused(
        open_with(line_manager, teacher, assigned_tutor=teacher),
        "Choose a tutor other than the teacher",
        "assigned_tutor",
    )


# acknowledge_plan


def test_acknowledge_plan_records_time_once(plan, teacher):
    before = timezone.now()
    services.acknowledge_plan(actor=teacher.user, plan=plan)
    plan.refresh_from_db()
    first = plan.acknowledged_at
    assert before <= first <= timezone.now()
    services.acknowledge_plan(actor=teacher.user, plan=plan)
    plan.refresh_from_db()
    assert plan.acknowledged_at == first
    assert events("plans.acknowledged") == [
        ("plans.acknowledged", teacher.user.pk, "plans.supportplan", str(plan.pk), {})
    ]
    assert plan.history.count() == 2


@pytest.mark.parametrize("actor", ["line_manager", "tutor", "programme_lead", "colleague"])
def test_acknowledge_plan_rejects_anyone_but_teacher(request, plan, actor):
    user = request.getfixturevalue(actor).user
    refused(lambda: services.acknowledge_plan(actor=user, plan=plan), DENIED)


# log_plan_support


def test_log_plan_support_records_entry_and_audit(plan, tutor):
    entry = services.log_plan_support(
        actor=tutor.user, plan=plan, given_on=days(-3), minutes=50, summary="  Co-planned a lesson  "
    )
    entry.refresh_from_db()
    assert (entry.plan, entry.tutor, entry.given_on, entry.minutes, entry.summary) == (
        plan,
        tutor,
        days(-3),
        50,
        "Co-planned a lesson",
    )
    assert events("plans.support_logged") == [
        ("plans.support_logged", tutor.user.pk, "plans.supportplan", str(plan.pk), {"minutes": 50})
    ]
    assert plan.history.count() == 1


@pytest.mark.parametrize("minutes", [1, 600])
def test_log_plan_support_minutes_at_the_limits_accepted(plan, tutor, minutes):
    assert log_support(plan, tutor, minutes=minutes).minutes == minutes


@pytest.mark.parametrize("minutes", [0, -5, 601])
def test_log_plan_support_rejects_minutes_out_of_range(plan, tutor, minutes):
    refused(lambda: log_support(plan, tutor, minutes=minutes), "Enter the minutes, from 1 to 600", "minutes")


def test_log_plan_support_rejects_future_date(plan, tutor):
    refused(
        lambda: log_support(plan, tutor, given_on=days(1)),
        "The date must be today or in the past",
        "given_on",
    )


def test_log_plan_support_rejects_blank_summary(plan, tutor):
    refused(lambda: log_support(plan, tutor, summary="  "), "Describe the support given", "summary")


@pytest.mark.parametrize("actor", ["teacher", "line_manager", "programme_lead", "other_tutor", "hod"])
def test_log_plan_support_rejects_anyone_but_assigned_tutor(request, plan, actor):
    refused(lambda: log_support(plan, request.getfixturevalue(actor)), DENIED)


def test_log_plan_support_plan_without_tutor_rejects_tutor(teacher, line_manager, tutor):
    untutored = open_plan_for(teacher, line_manager)
    refused(lambda: log_support(untutored, tutor), DENIED)


# comment_on_review


def test_comment_on_review_saves_teacher_comment_without_email(
    plan, teacher, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_on_review(actor=teacher.user, review=next_review(plan), comment="  I feel better  ")
    assert reviews_of(plan) == [(days(14), None, "", "I feel better", "")]
    assert events("plans.review_commented") == [
        ("plans.review_commented", teacher.user.pk, "plans.supportplan", str(plan.pk), {})
    ]
    assert mailoutbox == []


@pytest.mark.parametrize("actor", ["line_manager", "tutor", "programme_lead"])
def test_comment_on_review_rejects_anyone_but_teacher(request, plan, actor):
    user = request.getfixturevalue(actor).user
    refused(lambda: services.comment_on_review(actor=user, review=next_review(plan), comment="Hi"), DENIED)


def test_comment_on_review_rejects_blank(plan, teacher):
    refused(
        lambda: services.comment_on_review(actor=teacher.user, review=next_review(plan), comment="  "),
        "Enter your comment",
        "comment",
    )


# record_exit_condition

EVIDENCE = "SECRET-EVIDENCE formal observation judged effective"


def test_record_exit_condition_each_by_its_person(plan, teacher, line_manager, programme_lead):
    services.record_exit_condition(actor=teacher.user, plan=plan, condition="teacher_confident", on=days(-2))
    services.record_exit_condition(
        actor=line_manager.user, plan=plan, condition="line_manager_satisfied", on=days(-1)
    )
    assert plan_state(plan) == (SupportPlan.Status.OPEN, days(-2), days(-1), None, "", None)
    assert plan.exit_conditions_met is False
    services.record_exit_condition(
        actor=programme_lead.user,
        plan=plan,
        condition="improvement_evidenced",
        on=today(),
        evidence=f"  {EVIDENCE}  ",
    )
    assert plan_state(plan) == (SupportPlan.Status.OPEN, days(-2), days(-1), today(), EVIDENCE, None)
    assert plan.exit_conditions_met is True
    assert events("plans.exit_condition_recorded") == [
        (
            "plans.exit_condition_recorded",
            person.user.pk,
            "plans.supportplan",
            str(plan.pk),
            {"condition": condition},
        )
        for person, condition in [
            (teacher, "teacher_confident"),
            (line_manager, "line_manager_satisfied"),
            (programme_lead, "improvement_evidenced"),
        ]
    ]
    assert plan.history.count() == 4


@pytest.mark.parametrize(
    ("actor", "condition", "message"),
    [
        ("line_manager", "teacher_confident", "Only the teacher can say they feel confident"),
        ("programme_lead", "teacher_confident", "Only the teacher can say they feel confident"),
        ("tutor", "teacher_confident", "Only the teacher can say they feel confident"),
        ("teacher", "line_manager_satisfied", DENIED),
        ("tutor", "line_manager_satisfied", DENIED),
        ("hod", "line_manager_satisfied", DENIED),
        ("teacher", "improvement_evidenced", DENIED),
        ("tutor", "improvement_evidenced", DENIED),
    ],
)
def test_record_exit_condition_rejects_wrong_person(request, plan, actor, condition, message):
    user = request.getfixturevalue(actor).user
    refused(
        lambda: services.record_exit_condition(
            actor=user, plan=plan, condition=condition, on=today(), evidence=EVIDENCE
        ),
        message,
    )


def test_record_exit_condition_improvement_needs_evidence(plan, line_manager):
    refused(
        lambda: services.record_exit_condition(
            actor=line_manager.user, plan=plan, condition="improvement_evidenced", on=today(), evidence="  "
        ),
        "Say what shows the improvement, for example an observation judged effective",
        "evidence",
    )


@pytest.mark.parametrize(
    ("actor", "condition"),
    [("teacher", "teacher_confident"), ("line_manager", "line_manager_satisfied")],
)
def test_record_exit_condition_rejects_future_date(request, plan, actor, condition):
    user = request.getfixturevalue(actor).user
    refused(
        lambda: services.record_exit_condition(actor=user, plan=plan, condition=condition, on=days(1)),
        "The date must be today or in the past",
        "on",
    )


def test_record_exit_condition_rejects_unknown_condition(plan, line_manager):
    refused(
        lambda: services.record_exit_condition(
            actor=line_manager.user, plan=plan, condition="vibes", on=today()
        ),
        "Select an exit condition",
        "condition",
    )


# record_review


def test_record_review_continue_holds_review_and_sets_next(
    plan, teacher, line_manager, tutor, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        result = services.record_review(
            actor=line_manager.user,
            review=next_review(plan),
            held_on=today(),
            notes="  SECRET-NOTES going well  ",
            outcome=PlanReview.Outcome.CONTINUE,
            next_review_on=days(28),
        )
    assert plan_state(result) == (SupportPlan.Status.OPEN, None, None, None, "", None)
    assert reviews_of(plan) == [
        (days(14), today(), "SECRET-NOTES going well", "", "continue"),
        (days(28), None, "", "", ""),
    ]
    assert events("plans.review_held") == [
        (
            "plans.review_held",
            line_manager.user.pk,
            "plans.supportplan",
            str(plan.pk),
            {"outcome": "continue"},
        )
    ]
    assert sent(mailoutbox) == [
        ([line_manager.email], REVIEWED),
        ([teacher.email], REVIEWED),
        ([tutor.email], REVIEWED),
    ]
    assert_no_email_contains(mailoutbox, "SECRET-NOTES", SECRET, GOAL)
    # The held review changed and the next one was created: two more review history rows.
    assert (plan.history.count(), PlanReview.history.count()) == (1, 3)


def test_record_review_extended_by_programme_lead(plan, programme_lead):
    services.record_review(
        actor=programme_lead.user,
        review=next_review(plan),
        held_on=days(-1),
        notes="",
        outcome=PlanReview.Outcome.EXTENDED,
        next_review_on=days(42),
    )
    assert reviews_of(plan) == [(days(14), days(-1), "", "", "extended"), (days(42), None, "", "", "")]
    assert plan_state(plan)[0] == SupportPlan.Status.OPEN


@pytest.mark.parametrize("outcome", [PlanReview.Outcome.CONTINUE, PlanReview.Outcome.EXTENDED])
@pytest.mark.parametrize("next_review_on", [None, 0, -1], ids=["missing", "same_day", "before"])
def test_record_review_continue_needs_later_next_review(plan, line_manager, outcome, next_review_on):
    refused(
        lambda: services.record_review(
            actor=line_manager.user,
            review=next_review(plan),
            held_on=today(),
            notes="",
            outcome=outcome,
            next_review_on=None if next_review_on is None else days(next_review_on),
        ),
        "Enter the date of the next review, after this one",
        "next_review_on",
    )


@pytest.mark.parametrize(
    "recorded",
    [
        (),
        ("teacher_confident",),
        ("line_manager_satisfied", "improvement_evidenced"),
        ("teacher_confident", "improvement_evidenced"),
        ("teacher_confident", "line_manager_satisfied"),
    ],
    ids=["none", "teacher_only", "no_teacher", "no_line_manager", "no_improvement"],
)
def test_record_review_close_as_met_needs_all_three_exit_conditions(plan, teacher, line_manager, recorded):
    for condition in recorded:
        actor = teacher if condition == "teacher_confident" else line_manager
        services.record_exit_condition(
            actor=actor.user, plan=plan, condition=condition, on=today(), evidence=EVIDENCE
        )
    refused(
        lambda: services.record_review(
            actor=line_manager.user,
            review=next_review(plan),
            held_on=today(),
            notes="",
            outcome=PlanReview.Outcome.CLOSED_MET,
        ),
        NOT_MET,
        "outcome",
    )
    assert plan_state(plan)[0] == SupportPlan.Status.OPEN


def test_record_review_close_as_met_sets_status_and_closed_on(
    plan, teacher, line_manager, tutor, django_capture_on_commit_callbacks, mailoutbox
):
    meet_exit_conditions(plan, line_manager, evidence=EVIDENCE)
    with django_capture_on_commit_callbacks(execute=True):
        services.record_review(
            actor=line_manager.user,
            review=next_review(plan),
            held_on=today(),
            notes="Met",
            outcome=PlanReview.Outcome.CLOSED_MET,
        )
    assert plan_state(plan) == (SupportPlan.Status.CLOSED_MET, today(), today(), today(), EVIDENCE, today())
    assert reviews_of(plan) == [(days(14), today(), "Met", "", "closed_met")]
    assert events("plans.review_held") == [
        (
            "plans.review_held",
            line_manager.user.pk,
            "plans.supportplan",
            str(plan.pk),
            {"outcome": "closed_met"},
        )
    ]
    assert sent(mailoutbox) == [
        ([line_manager.email], REVIEWED),
        ([teacher.email], REVIEWED),
        ([tutor.email], REVIEWED),
    ]
    assert_no_email_contains(mailoutbox, EVIDENCE, SECRET, GOAL)


# Each change after a plan closed as met: (who tries, the refusal, the call with that StaffMember).
AFTER_CLOSE = {
    "log_support": ("tutor", DENIED, lambda plan, staff: log_support(plan, staff)),
    "teacher_confident": (
        "teacher",
        CLOSED,
        lambda plan, staff: services.record_exit_condition(
            actor=staff.user, plan=plan, condition="teacher_confident", on=today()
        ),
    ),
    "line_manager_satisfied": (
        "line_manager",
        CLOSED,
        lambda plan, staff: services.record_exit_condition(
            actor=staff.user, plan=plan, condition="line_manager_satisfied", on=today()
        ),
    ),
    "review_continue": (
        "line_manager",
        DENIED,
        lambda plan, staff: services.record_review(
            actor=staff.user,
            review=plan.reviews.get(),
            held_on=today(),
            notes="",
            outcome=PlanReview.Outcome.CONTINUE,
            next_review_on=days(7),
        ),
    ),
    "review_formal": (
        "programme_lead",
        DENIED,
        lambda plan, staff: services.record_review(
            actor=staff.user,
            review=plan.reviews.get(),
            held_on=today(),
            notes="",
            outcome=PlanReview.Outcome.FORMAL,
        ),
    ),
    "comment": (
        "teacher",
        CLOSED,
        lambda plan, staff: services.comment_on_review(
            actor=staff.user, review=plan.reviews.get(), comment="Later"
        ),
    ),
}


@pytest.mark.parametrize("change", sorted(AFTER_CLOSE))
def test_closed_as_met_plan_allows_no_further_change(request, plan, line_manager, change):
    actor, message, call = AFTER_CLOSE[change]
    close_as_met(plan, line_manager)
    before = (plan_state(plan), reviews_of(plan))
    staff = request.getfixturevalue(actor)
    refused(lambda: call(plan, staff), message)
    assert (plan_state(plan), reviews_of(plan)) == before


def test_comment_on_review_rejects_held_review(plan, teacher, line_manager):
    held = next_review(plan)
    services.record_review(
        actor=line_manager.user,
        review=held,
        held_on=today(),
        notes="",
        outcome=PlanReview.Outcome.CONTINUE,
        next_review_on=days(28),
    )
    refused(
        lambda: services.comment_on_review(actor=teacher.user, review=held, comment="Rewriting the past"),
        "This review has already been held: comment on the next one.",
    )


def test_record_review_formal_closes_without_exit_conditions(plan, programme_lead):
    services.record_review(
        actor=programme_lead.user,
        review=next_review(plan),
        held_on=days(-1),
        notes="",
        outcome=PlanReview.Outcome.FORMAL,
    )
    assert plan_state(plan) == (SupportPlan.Status.FORMAL, None, None, None, "", days(-1))
    assert reviews_of(plan) == [(days(14), days(-1), "", "", "formal")]
    assert events("plans.review_held")[0][4] == {"outcome": "formal"}


def test_record_review_rejects_future_date(plan, line_manager):
    refused(
        lambda: services.record_review(
            actor=line_manager.user,
            review=next_review(plan),
            held_on=days(1),
            notes="",
            outcome=PlanReview.Outcome.FORMAL,
        ),
        "The date must be today or in the past",
        "held_on",
    )


@pytest.mark.parametrize("actor", ["teacher", "tutor", "hod", "colleague"])
def test_record_review_rejects_anyone_but_line_manager_or_programme_lead(request, plan, actor):
    user = request.getfixturevalue(actor).user
    refused(
        lambda: services.record_review(
            actor=user, review=next_review(plan), held_on=today(), notes="", outcome=PlanReview.Outcome.FORMAL
        ),
        DENIED,
    )


# History: every change leaves a row; no row holds the plan's text


def test_history_row_for_each_change(plan, teacher, line_manager):
    services.acknowledge_plan(actor=teacher.user, plan=plan)
    meet_exit_conditions(plan, line_manager, evidence=EVIDENCE)
    review = next_review(plan)
    services.record_review(
        actor=line_manager.user,
        review=review,
        held_on=today(),
        notes="",
        outcome=PlanReview.Outcome.CLOSED_MET,
    )
    rows = list(plan.history.order_by("history_id"))
    assert plan.history.count() == 6
    assert [
        (
            row.history_type,
            row.status,
            row.acknowledged_at is not None,
            row.teacher_confident_on,
            row.line_manager_satisfied_on,
            row.improvement_evidenced_on,
            row.closed_on,
        )
        for row in rows
    ] == [
        ("+", "open", False, None, None, None, None),
        ("~", "open", True, None, None, None, None),
        ("~", "open", True, today(), None, None, None),
        ("~", "open", True, today(), today(), None, None),
        ("~", "open", True, today(), today(), today(), None),
        ("~", "closed_met", True, today(), today(), today(), today()),
    ]
    review_rows = PlanReview.history.filter(id=review.pk).order_by("history_id")
    assert list(review_rows.values_list("history_type", "held_on", "outcome")) == [
        ("+", None, ""),
        ("~", today(), "closed_met"),
    ]


def test_history_models_have_no_plan_text_columns():
    assert {f.name for f in SupportPlan.history.model._meta.fields} == {
        "id",
        "institution",
        "teacher",
        "line_manager",
        "opened_by",
        "assigned_tutor",
        "starts_on",
        "status",
        "acknowledged_at",
        "teacher_confident_on",
        "line_manager_satisfied_on",
        "improvement_evidenced_on",
        "closed_on",
        "created_at",
        "history_id",
        "history_date",
        "history_change_reason",
        "history_type",
        "history_user",
    }
    assert {f.name for f in PlanReview.history.model._meta.fields} == {
        "id",
        "due_on",
        "held_on",
        "outcome",
        "plan",
        "history_id",
        "history_date",
        "history_change_reason",
        "history_type",
        "history_user",
    }
    # Goals and support entries keep no history: no table holds an old copy of their text.
    assert (hasattr(PlanGoal, "history"), hasattr(PlanSupportEntry, "history")) == (False, False)


def test_plan_text_encrypted_at_rest_and_absent_from_history(plan, line_manager):
    meet_exit_conditions(plan, line_manager, evidence=EVIDENCE)
    dump = []
    with connection.cursor() as cursor:
        for table in (
            SupportPlan._meta.db_table,
            SupportPlan.history.model._meta.db_table,
            PlanGoal._meta.db_table,
            PlanReview.history.model._meta.db_table,
        ):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 (model table names)
            dump.append(repr(cursor.fetchall()))
    assert [text for text in (SECRET, GOAL, CRITERIA, EVIDENCE) if text in "".join(dump)] == []


# The plan pages cannot reach one-to-one support


def test_plan_pages_show_no_one_to_one_support_content(
    client_for, teacher, line_manager, tutor, programme_lead
):
    """The same tutor holds a support case with the same teacher: nothing of it reaches any plan reader
    through the plan pages, while the plan's own support entry does (so the page really rendered)."""
    case = open_case_for(teacher, tutor, reason="SECRET-REASON questioning")
    log(case, tutor, private="SECRET-NOTE", shared="SHARED-NOTE", next_steps="SECRET-NEXT-STEPS")
    plan = open_plan_for(teacher, line_manager, tutor)
    log_support(plan, tutor, summary="PLAN-ENTRY co-planned a lesson")
    forbidden = ("SECRET-NOTE", "SHARED-NOTE", "SECRET-REASON", "SECRET-NEXT-STEPS", case.get_absolute_url())
    detail, listing = reverse("plans:plan-detail", args=[plan.pk]), reverse("plans:plan-list")
    found = {}
    for reader in (teacher, line_manager, tutor, programme_lead):
        for url in (detail, listing):
            response = client_for(reader).get(url)
            body = response.content.decode()
            found[(reader.user.username, url)] = (
                response.status_code,
                "PLAN-ENTRY" in body,
                [text for text in forbidden if text in body],
            )
    assert found == {
        (name, url): (200, url == detail, [])
        for name in ("teacher", "line_manager", "tutor", "programme_lead")
        for url in (detail, listing)
    }
