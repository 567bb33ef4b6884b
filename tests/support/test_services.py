"""Every write in one-to-one support: exact resulting state, refusals that write nothing, the audit entry,
and emails after commit that never carry the confidential text."""

import datetime as dt

import pytest
from django.utils import timezone

from protutor.audit.models import AuditEvent
from protutor.core.errors import ServiceError
from protutor.people.models import Role
from protutor.support import services
from protutor.support.models import (
    CaseTutor,
    Interaction,
    PrivateNote,
    Referral,
    Route,
    SafeguardingConcern,
    SupportCase,
)
from tests.factories.people import (
    AcademicYearFactory,
    InstitutionFactory,
    RoleAssignmentFactory,
    StaffMemberFactory,
    UserFactory,
)
from tests.factories.support import accept, concern, encourage, log, open_case_for, refer
from tests.notifications import updates

pytestmark = pytest.mark.django_db

SECRET = "SECRET-REASON-d41d8"
DENIED = "You do not have permission to do that."
NOT_YOURS = "This case is closed, or you no longer hold it."
NOT_TAKEN = "This request has already been taken on, or is not yours to take."
RAISED = "A professional tutor has raised a safeguarding concern. Please read it today."


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            Referral,
            SupportCase,
            CaseTutor,
            Interaction,
            PrivateNote,
            SafeguardingConcern,
            AuditEvent,
        )
    }


def events(action=None) -> list[tuple]:
    queryset = AuditEvent.objects.order_by("pk")
    if action is not None:
        queryset = queryset.filter(action=action)
    return list(queryset.values_list("action", "actor", "target_type", "target_id", "detail"))


def sent(outbox) -> list[tuple[list[str], str]]:
    """(to, what they are told after sign-in) for each email; every email itself is the neutral one."""
    return [(to, message) for to, message, _ in updates(outbox)]


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


@pytest.fixture
def case(teacher, tutor):
    return open_case_for(teacher, tutor, reason=SECRET)


# self_refer


def test_self_refer_creates_received_referral(teacher, tutor):
    referral = refer(teacher, reason=f"  {SECRET}  ", availability=" Tuesdays P3 ")
    referral.refresh_from_db()
    assert (
        referral.teacher,
        referral.route,
        referral.referred_by,
        referral.preferred_tutor,
        referral.department,
        referral.reason,
        referral.availability,
        referral.status,
        referral.responded_at,
        referral.status_for_referrer,
    ) == (
        teacher,
        Route.SELF,
        teacher,
        None,
        teacher.department,
        SECRET,
        "Tuesdays P3",
        Referral.Status.RECEIVED,
        None,
        "Received",
    )
    assert events() == [("support.self_referred", teacher.user.pk, "support.referral", str(referral.pk), {})]


def test_self_refer_emails_caseload_tutor_without_reason(
    teacher, tutor, other_tutor, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        referral = refer(teacher, reason=SECRET, availability="SECRET-AVAILABILITY")
    assert sent(mailoutbox) == [([tutor.email], "A member of staff has asked for one-to-one support.")]
    assert updates(mailoutbox)[0][2] == referral.get_absolute_url()
    assert referral.get_absolute_url() not in mailoutbox[0].body
    assert_no_email_contains(mailoutbox, SECRET, "SECRET-AVAILABILITY", teacher.full_name)


def test_self_refer_emails_preferred_tutor_only(
    teacher, tutor, other_tutor, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        referral = refer(teacher, reason=SECRET, preferred_tutor=other_tutor)
    assert referral.preferred_tutor == other_tutor
    assert sent(mailoutbox) == [([other_tutor.email], "A member of staff has asked for one-to-one support.")]
    assert_no_email_contains(mailoutbox, SECRET)


def test_self_refer_without_department_emails_nobody(
    college, year, tutor, django_capture_on_commit_callbacks, mailoutbox
):
    loner = StaffMemberFactory(institution=college, department=None)
    with django_capture_on_commit_callbacks(execute=True):
        referral = refer(loner, reason=SECRET)
    assert (referral.department, mailoutbox) == (None, [])


def test_self_refer_rejects_self_as_preferred_tutor(teacher, tutor, mailoutbox):
    refused(
        lambda: refer(teacher, reason=SECRET, preferred_tutor=teacher),
        "Choose a tutor other than yourself",
        "preferred_tutor",
    )


def test_self_refer_rejects_blank_reason(teacher, tutor):
    refused(lambda: refer(teacher, reason="   "), "Enter what you would like help with", "reason")


def test_self_refer_rejects_user_without_staff_record(db):
    user = UserFactory(is_staff=True, is_superuser=True)
    refused(
        lambda: services.self_refer(actor=user, reason=SECRET),
        "Your account is not linked to a member of staff.",
    )


# encourage_referral


def test_encourage_referral_awaits_teacher(
    teacher, line_manager, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        referral = encourage(line_manager, teacher, reason=f" {SECRET} ")
    referral.refresh_from_db()
    assert (
        referral.teacher,
        referral.route,
        referral.referred_by,
        referral.preferred_tutor,
        referral.department,
        referral.reason,
        referral.status,
        referral.status_for_referrer,
    ) == (
        teacher,
        Route.LINE_MANAGER,
        line_manager,
        None,
        teacher.department,
        SECRET,
        Referral.Status.AWAITING_TEACHER,
        "Waiting for the teacher",
    )
    assert events() == [
        ("support.referral_encouraged", line_manager.user.pk, "support.referral", str(referral.pk), {})
    ]
    assert sent(mailoutbox) == [
        (
            [teacher.email],
            "Your line manager has suggested one-to-one support with a professional tutor. You decide.",
        )
    ]
    assert_no_email_contains(mailoutbox, SECRET)


@pytest.mark.parametrize("who", ["colleague", "hod", "tutor", "programme_lead", "teacher"])
def test_encourage_referral_rejects_anyone_but_line_manager(request, teacher, who):
    actor = request.getfixturevalue(who)
    refused(lambda: encourage(actor, teacher, reason=SECRET), DENIED)


def test_encourage_referral_rejects_blank_reason(teacher, line_manager):
    refused(
        lambda: encourage(line_manager, teacher, reason=" "), "Enter why you are suggesting support", "reason"
    )


# respond_to_referral


def test_respond_to_referral_accept_passes_to_tutor(
    teacher, line_manager, tutor, django_capture_on_commit_callbacks, mailoutbox
):
    referral = encourage(line_manager, teacher, reason=SECRET)
    with django_capture_on_commit_callbacks(execute=True):
        answered = services.respond_to_referral(
            actor=teacher.user, referral=referral, accept=True, availability=" Fridays after school "
        )
    answered.refresh_from_db()
    assert (answered.status, answered.availability, answered.status_for_referrer) == (
        Referral.Status.RECEIVED,
        "Fridays after school",
        "Accepted",
    )
    assert timezone.now() - answered.responded_at < dt.timedelta(minutes=1)
    assert events("support.referral_accepted") == [
        ("support.referral_accepted", teacher.user.pk, "support.referral", str(referral.pk), {})
    ]
    assert sent(mailoutbox) == [
        ([tutor.email], "A member of staff has accepted a suggestion of one-to-one support.")
    ]
    assert_no_email_contains(mailoutbox, SECRET, "Fridays after school")


def test_respond_to_referral_decline_tells_no_tutor(
    teacher, line_manager, tutor, django_capture_on_commit_callbacks, mailoutbox
):
    referral = encourage(line_manager, teacher, reason=SECRET)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.respond_to_referral(actor=teacher.user, referral=referral, accept=False)
    referral.refresh_from_db()
    assert (referral.status, referral.availability, referral.status_for_referrer) == (
        Referral.Status.DECLINED,
        "",
        "Declined",
    )
    assert events("support.referral_declined") == [
        ("support.referral_declined", teacher.user.pk, "support.referral", str(referral.pk), {})
    ]
    assert mailoutbox == []


def test_respond_to_referral_rejects_second_answer(teacher, line_manager):
    referral = encourage(line_manager, teacher, reason=SECRET)
    services.respond_to_referral(actor=teacher.user, referral=referral, accept=False)
    refused(
        lambda: services.respond_to_referral(actor=teacher.user, referral=referral, accept=True),
        "This referral has already been answered.",
    )


@pytest.mark.parametrize("who", ["line_manager", "colleague", "tutor"])
def test_respond_to_referral_rejects_anyone_but_teacher(request, teacher, line_manager, who):
    referral = encourage(line_manager, teacher, reason=SECRET)
    actor = request.getfixturevalue(who)
    refused(
        lambda: services.respond_to_referral(actor=actor.user, referral=referral, accept=True),
        "This referral has already been answered.",
    )


def test_respond_to_referral_rejects_self_referral(teacher, tutor):
    referral = refer(teacher, reason=SECRET)
    refused(
        lambda: services.respond_to_referral(actor=teacher.user, referral=referral, accept=False),
        "This referral has already been answered.",
    )


# accept_referral


def test_accept_referral_opens_case_held_by_tutor(
    teacher, tutor, django_capture_on_commit_callbacks, mailoutbox
):
    referral = refer(teacher, reason=SECRET)
    with django_capture_on_commit_callbacks(execute=True):
        case = accept(
            referral,
            tutor,
            formality=SupportCase.Formality.SEMI_FORMAL,
            span=SupportCase.Span.ONE_TOUCH,
            focus_tags=" questioning, behaviour ",
        )
    case.refresh_from_db()
    referral.refresh_from_db()
    assert (
        case.teacher,
        case.referral,
        case.department,
        case.institution,
        case.route,
        case.formality,
        case.span,
        case.focus_list,
        case.teacher_agreed,
        case.status,
        case.outcome,
        case.closed_at,
    ) == (
        teacher,
        referral,
        teacher.department,
        teacher.institution,
        Route.SELF,
        SupportCase.Formality.SEMI_FORMAL,
        SupportCase.Span.ONE_TOUCH,
        ["questioning", "behaviour"],
        True,
        SupportCase.Status.OPEN,
        "",
        None,
    )
    assert list(case.holdings.values_list("tutor", "ended_at")) == [(tutor.pk, None)]
    assert (referral.status, referral.status_for_referrer) == (Referral.Status.ACCEPTED, "Accepted")
    assert events("support.case_opened") == [
        ("support.case_opened", tutor.user.pk, "support.supportcase", str(case.pk), {"route": "self"})
    ]
    assert sent(mailoutbox) == [([teacher.email], "Tamsin Tutor will be in touch to arrange a time.")]
    assert "Tamsin Tutor" not in mailoutbox[0].body
    assert_no_email_contains(mailoutbox, SECRET)


def test_accept_referral_rejects_tutor_of_other_department(teacher, tutor, other_tutor):
    referral = refer(teacher, reason=SECRET)
    refused(lambda: accept(referral, other_tutor), NOT_TAKEN)


def test_accept_referral_rejects_tutor_not_named(teacher, tutor, other_tutor):
    referral = refer(teacher, reason=SECRET, preferred_tutor=other_tutor)
    refused(lambda: accept(referral, tutor), NOT_TAKEN)


def test_accept_referral_rejects_already_taken(teacher, tutor):
    referral = refer(teacher, reason=SECRET)
    accept(referral, tutor)
    refused(lambda: accept(referral, tutor), NOT_TAKEN)


def test_accept_referral_rejects_awaiting_teacher(teacher, line_manager, tutor):
    referral = encourage(line_manager, teacher, reason=SECRET)
    refused(lambda: accept(referral, tutor), NOT_TAKEN)


def test_accept_referral_rejects_declined(teacher, line_manager, tutor):
    referral = encourage(line_manager, teacher, reason=SECRET)
    services.respond_to_referral(actor=teacher.user, referral=referral, accept=False)
    refused(lambda: accept(referral, tutor), NOT_TAKEN)


# What the line manager may know, through a referral's life


def test_status_for_referrer_line_manager_route_waiting_accepted_closed(teacher, line_manager, tutor):
    referral = encourage(line_manager, teacher, reason=SECRET)
    seen = [referral.status_for_referrer]
    services.respond_to_referral(actor=teacher.user, referral=referral, accept=True)
    referral.refresh_from_db()
    seen.append(referral.status_for_referrer)
    case = accept(referral, tutor)
    referral.refresh_from_db()
    seen.append(referral.status_for_referrer)
    services.close_case(actor=tutor.user, case=case, outcome=SupportCase.Outcome.GOALS_MET)
    referral.refresh_from_db()
    seen.append(referral.status_for_referrer)
    # Waiting for her; taken up when she agrees (the wait for a tutor is not the line manager's to know).
    assert seen == ["Waiting for the teacher", "Accepted", "Accepted", "Closed"]
    assert case.route == Route.LINE_MANAGER


# open_case


def test_open_case_tutor_initiated(teacher, tutor, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        case = services.open_case(
            actor=tutor.user,
            teacher=teacher,
            formality=SupportCase.Formality.FORMAL,
            span=SupportCase.Span.ONGOING,
            focus_tags="feedback",
            teacher_agreed=True,
        )
    case.refresh_from_db()
    assert (
        case.teacher,
        case.referral,
        case.department,
        case.institution,
        case.route,
        case.formality,
        case.span,
        case.focus_tags,
        case.teacher_agreed,
        case.status,
    ) == (
        teacher,
        None,
        teacher.department,
        teacher.institution,
        Route.TUTOR,
        SupportCase.Formality.FORMAL,
        SupportCase.Span.ONGOING,
        "feedback",
        True,
        SupportCase.Status.OPEN,
    )
    assert list(case.holdings.values_list("tutor", "ended_at")) == [(tutor.pk, None)]
    assert events() == [
        ("support.case_opened", tutor.user.pk, "support.supportcase", str(case.pk), {"route": "tutor"})
    ]
    assert sent(mailoutbox) == [
        ([teacher.email], "Your professional tutor has recorded the support you agreed.")
    ]


@pytest.mark.parametrize("who", ["artist", "tutor", "outsider"])
def test_open_case_rejects_staff_outside_caseload(request, college, other_department, tutor, who):
    staff = (
        StaffMemberFactory(institution=college, department=other_department)
        if who == "artist"
        else request.getfixturevalue(who)
    )
    refused(
        lambda: services.open_case(
            actor=tutor.user,
            teacher=staff,
            formality=SupportCase.Formality.INFORMAL,
            span=SupportCase.Span.ONGOING,
            teacher_agreed=True,
        ),
        "Select a member of staff from your caseload",
        "teacher",
    )


def test_open_case_rejects_non_tutor(teacher, colleague, line_manager):
    refused(
        lambda: services.open_case(
            actor=line_manager.user,
            teacher=teacher,
            formality=SupportCase.Formality.INFORMAL,
            span=SupportCase.Span.ONGOING,
            teacher_agreed=True,
        ),
        "Select a member of staff from your caseload",
        "teacher",
    )


def test_open_case_rejects_without_teacher_agreed(teacher, tutor):
    refused(
        lambda: services.open_case(
            actor=tutor.user,
            teacher=teacher,
            formality=SupportCase.Formality.INFORMAL,
            span=SupportCase.Span.ONGOING,
            teacher_agreed=False,
        ),
        "Confirm that the teacher has agreed to support",
        "teacher_agreed",
    )


# log_interaction


def test_log_interaction_records_notes_and_private_note(
    case, teacher, tutor, django_capture_on_commit_callbacks, mailoutbox
):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        interaction = log(
            case,
            tutor,
            kind=Interaction.Kind.COACHING,
            occurred_on=yesterday,
            minutes=50,
            shared=" SECRET-SHARED ",
            private=" SECRET-PRIVATE ",
            next_steps=" SECRET-NEXT ",
        )
    interaction.refresh_from_db()
    assert (
        interaction.case,
        interaction.tutor,
        interaction.kind,
        interaction.occurred_on,
        interaction.minutes,
        interaction.shared_notes,
        interaction.next_steps,
    ) == (case, tutor, Interaction.Kind.COACHING, yesterday, 50, "SECRET-SHARED", "SECRET-NEXT")
    assert list(PrivateNote.objects.values_list("interaction", "author", "text")) == [
        (interaction.pk, tutor.pk, "SECRET-PRIVATE")
    ]
    assert events("support.interaction_logged") == [
        (
            "support.interaction_logged",
            tutor.user.pk,
            "support.supportcase",
            str(case.pk),
            {"kind": "coaching", "minutes": 50},
        )
    ]
    assert sent(mailoutbox) == [
        ([teacher.email], "Your professional tutor has added notes or next steps to your support.")
    ]
    assert_no_email_contains(mailoutbox, "SECRET-SHARED", "SECRET-PRIVATE", "SECRET-NEXT", SECRET)


def test_log_interaction_private_note_only_emails_nobody(
    case, tutor, django_capture_on_commit_callbacks, mailoutbox
):
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        interaction = log(case, tutor, private="SECRET-PRIVATE")
    assert (interaction.shared_notes, interaction.private_notes.get().text, mailoutbox) == (
        "",
        "SECRET-PRIVATE",
        [],
    )


def test_log_interaction_without_private_note_writes_none(case, tutor):
    log(case, tutor, shared="Shared only", private="   ")
    assert PrivateNote.objects.count() == 0


@pytest.mark.parametrize("minutes", [1, 600])
def test_log_interaction_accepts_minutes_at_bounds(case, tutor, minutes):
    assert log(case, tutor, minutes=minutes, occurred_on=timezone.localdate()).minutes == minutes


@pytest.mark.parametrize("minutes", [-5, 0, 601])
def test_log_interaction_rejects_minutes_outside_range(case, tutor, minutes):
    refused(
        lambda: log(case, tutor, minutes=minutes, private="x"),
        "Enter the minutes spent, from 1 to 600",
        "minutes",
    )


def test_log_interaction_rejects_future_date(case, tutor):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    refused(
        lambda: log(case, tutor, occurred_on=tomorrow, shared="x", private="y"),
        "The date must be today or in the past",
        "occurred_on",
    )


def test_log_interaction_rejects_closed_case(case, tutor):
    services.close_case(actor=tutor.user, case=case, outcome=SupportCase.Outcome.GOALS_MET)
    refused(lambda: log(case, tutor, shared="x", private="y"), NOT_YOURS)


@pytest.mark.parametrize("who", ["teacher", "other_tutor", "programme_lead", "dsl"])
def test_log_interaction_rejects_anyone_but_current_tutor(request, case, who):
    actor = request.getfixturevalue(who)
    refused(lambda: log(case, actor, shared="x", private="y"), NOT_YOURS)


# hand_over


def test_hand_over_ends_holding_and_starts_new(
    case, tutor, other_tutor, django_capture_on_commit_callbacks, mailoutbox
):
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.hand_over(actor=tutor.user, case=case, to_tutor=other_tutor)
    holdings = list(case.holdings.order_by("pk").values_list("tutor", "ended_at"))
    assert [(pk, ended is None) for pk, ended in holdings] == [(tutor.pk, False), (other_tutor.pk, True)]
    assert events("support.case_handed_over") == [
        (
            "support.case_handed_over",
            tutor.user.pk,
            "support.supportcase",
            str(case.pk),
            {"to_tutor": other_tutor.pk},
        )
    ]
    assert sent(mailoutbox) == [
        ([other_tutor.email], "Another professional tutor has handed a support case to you.")
    ]
    assert_no_email_contains(mailoutbox, SECRET)


def test_hand_over_rejects_to_self(case, tutor):
    refused(
        lambda: services.hand_over(actor=tutor.user, case=case, to_tutor=tutor),
        "Choose a different tutor",
        "to_tutor",
    )


def test_hand_over_rejects_to_the_teacher(case, tutor, teacher):
    refused(
        lambda: services.hand_over(actor=tutor.user, case=case, to_tutor=teacher),
        "A teacher cannot be their own tutor",
        "to_tutor",
    )


def test_hand_over_rejects_previous_tutor(case, tutor, other_tutor, dsl):
    services.hand_over(actor=tutor.user, case=case, to_tutor=other_tutor)
    refused(lambda: services.hand_over(actor=tutor.user, case=case, to_tutor=dsl), NOT_YOURS)


def test_hand_over_rejects_closed_case(case, tutor, other_tutor):
    services.close_case(actor=tutor.user, case=case, outcome=SupportCase.Outcome.NO_LONGER_NEEDED)
    refused(lambda: services.hand_over(actor=tutor.user, case=case, to_tutor=other_tutor), NOT_YOURS)


# close_case


def test_close_case_sets_outcome_and_closes_referral(
    case, tutor, django_capture_on_commit_callbacks, mailoutbox
):
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.close_case(
            actor=tutor.user, case=case, outcome=SupportCase.Outcome.SIGNPOSTED, summary=" Done "
        )
    case.refresh_from_db()
    referral = Referral.objects.get(pk=case.referral_id)
    assert (case.status, case.outcome, case.closing_summary) == (
        SupportCase.Status.CLOSED,
        SupportCase.Outcome.SIGNPOSTED,
        "Done",
    )
    assert timezone.now() - case.closed_at < dt.timedelta(minutes=1)
    assert (referral.status, referral.status_for_referrer) == (Referral.Status.CLOSED, "Closed")
    assert events("support.case_closed") == [
        ("support.case_closed", tutor.user.pk, "support.supportcase", str(case.pk), {"outcome": "signposted"})
    ]
    assert mailoutbox == []


def test_close_case_without_referral(teacher, tutor):
    case = services.open_case(
        actor=tutor.user,
        teacher=teacher,
        formality=SupportCase.Formality.INFORMAL,
        span=SupportCase.Span.ONE_TOUCH,
        teacher_agreed=True,
    )
    services.close_case(actor=tutor.user, case=case, outcome=SupportCase.Outcome.GOALS_MET)
    case.refresh_from_db()
    assert (case.status, case.referral, case.closing_summary) == (SupportCase.Status.CLOSED, None, "")


def test_close_case_rejects_already_closed(case, tutor):
    services.close_case(actor=tutor.user, case=case, outcome=SupportCase.Outcome.GOALS_MET)
    refused(
        lambda: services.close_case(actor=tutor.user, case=case, outcome=SupportCase.Outcome.GOALS_MET),
        NOT_YOURS,
    )


@pytest.mark.parametrize("who", ["teacher", "other_tutor", "line_manager"])
def test_close_case_rejects_anyone_but_current_tutor(request, case, who):
    actor = request.getfixturevalue(who)
    refused(
        lambda: services.close_case(actor=actor.user, case=case, outcome=SupportCase.Outcome.GOALS_MET),
        NOT_YOURS,
    )


# raise_concern and acknowledge_concern


def test_raise_concern_tells_institution_dsl_only(
    case, teacher, tutor, dsl, outsider, django_capture_on_commit_callbacks, mailoutbox
):
    far_dsl = StaffMemberFactory(institution=outsider.institution, department=None)
    RoleAssignmentFactory(staff=far_dsl, role=Role.SAFEGUARDING_LEAD)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        raised = concern(case, tutor, text=" SECRET-CONCERN ")
    raised.refresh_from_db()
    assert (
        raised.case,
        raised.institution,
        raised.teacher,
        raised.raised_by,
        raised.text,
        raised.acknowledged_at,
        raised.acknowledged_by,
    ) == (case, teacher.institution, teacher, tutor, "SECRET-CONCERN", None, None)
    assert events("support.safeguarding_concern_raised") == [
        (
            "support.safeguarding_concern_raised",
            tutor.user.pk,
            "support.safeguardingconcern",
            str(raised.pk),
            {"case": case.pk},
        )
    ]
    assert sent(mailoutbox) == [([dsl.email], RAISED)]
    assert updates(mailoutbox)[0][2] == raised.get_absolute_url()
    assert raised.get_absolute_url() not in mailoutbox[0].body
    assert_no_email_contains(mailoutbox, "SECRET-CONCERN", SECRET, teacher.full_name)


def test_raise_concern_dsl_of_past_year_not_told(
    case, college, tutor, dsl, django_capture_on_commit_callbacks, mailoutbox
):
    last_year = AcademicYearFactory(
        institution=college, name="2000/01", starts_on=dt.date(2000, 9, 1), ends_on=dt.date(2001, 8, 31)
    )
    former = StaffMemberFactory(institution=college, department=None)
    RoleAssignmentFactory(staff=former, role=Role.SAFEGUARDING_LEAD, academic_year=last_year)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        concern(case, tutor, text="SECRET-CONCERN")
    assert sent(mailoutbox) == [([dsl.email], RAISED)]


@pytest.mark.parametrize("who", ["teacher", "other_tutor", "dsl", "programme_lead"])
def test_raise_concern_rejects_anyone_but_current_tutor(request, case, who):
    actor = request.getfixturevalue(who)
    refused(lambda: concern(case, actor, text="SECRET-CONCERN"), DENIED)


def test_raise_concern_rejects_blank_text(case, tutor):
    refused(lambda: concern(case, tutor, text="  "), "Describe the concern", "text")


def test_acknowledge_concern_records_dsl_once(case, tutor, dsl):
    raised = concern(case, tutor, text="SECRET-CONCERN")
    services.acknowledge_concern(actor=dsl.user, concern=raised)
    raised.refresh_from_db()
    first = raised.acknowledged_at
    again = services.acknowledge_concern(actor=dsl.user, concern=raised)
    assert (raised.acknowledged_by, again.acknowledged_at, again.acknowledged_by) == (dsl, first, dsl)
    assert timezone.now() - first < dt.timedelta(minutes=1)
    assert events("support.safeguarding_concern_acknowledged") == [
        (
            "support.safeguarding_concern_acknowledged",
            dsl.user.pk,
            "support.safeguardingconcern",
            str(raised.pk),
            {},
        )
    ]


@pytest.mark.parametrize("who", ["tutor", "teacher", "programme_lead", "admin"])
def test_acknowledge_concern_rejects_anyone_but_dsl(request, case, tutor, dsl, who):
    raised = concern(case, tutor, text="SECRET-CONCERN")
    actor = request.getfixturevalue(who)
    refused(lambda: services.acknowledge_concern(actor=actor.user, concern=raised), DENIED)
    raised.refresh_from_db()
    assert (raised.acknowledged_at, raised.acknowledged_by) == (None, None)


def test_acknowledge_concern_rejects_dsl_of_another_institution(case, tutor, outsider):
    raised = concern(case, tutor, text="SECRET-CONCERN")
    far_dsl = StaffMemberFactory(institution=InstitutionFactory(name="Third School"), department=None)
    RoleAssignmentFactory(staff=far_dsl, role=Role.SAFEGUARDING_LEAD)
    refused(lambda: services.acknowledge_concern(actor=far_dsl.user, concern=raised), DENIED)


def test_a_tutor_in_their_own_caseload_is_never_sent_or_offered_their_own_request(
    tutor, other_tutor, department, line_manager, django_capture_on_commit_callbacks, mailoutbox
):
    """A tutor whose own department is in their caseload: asking without naming a tutor is refused (they
    would be asking themself), naming another works, and a line manager's suggestion about them is never
    offered to them to take on."""
    from protutor.support.permissions import requests_for

    tutor.department = department
    tutor.line_manager = line_manager
    tutor.save()
    with pytest.raises(ServiceError, match="your own department's professional tutor") as refused:
        refer(tutor)
    assert refused.value.field == "preferred_tutor"

    with django_capture_on_commit_callbacks(execute=True):
        referral = refer(tutor, preferred_tutor=other_tutor)
    assert [to for to, _message, _path in updates(mailoutbox)] == [[other_tutor.user.email]]
    assert referral not in requests_for(tutor.user)

    suggested = encourage(line_manager, tutor)
    services.respond_to_referral(actor=tutor.user, referral=suggested, accept=True)
    assert suggested not in requests_for(tutor.user)
