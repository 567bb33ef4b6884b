"""Every write to observations: exact resulting state, refusals that name their field and write nothing,
the audit entry, emails after commit that never carry the feedback, and the route from an observation
into a support case."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from protutor.audit.models import AuditEvent
from protutor.core.errors import ServiceError
from protutor.observations import services
from protutor.observations.frameworks import create_custom_framework
from protutor.observations.models import Framework, Observation, ObservationPoint
from protutor.support.models import Interaction
from tests.factories.observations import FORMAL, development, observe, standard, strength
from tests.factories.people import InstitutionFactory, StaffMemberFactory
from tests.factories.support import open_case_for
from tests.notifications import updates

pytestmark = pytest.mark.django_db

SECRET = "SECRET-FEEDBACK-7c1e"
DENIED = "You do not have permission to do that."
DAY = dt.date(2025, 3, 4)


def counts() -> dict[str, int]:
    return {
        "observations": Observation.objects.count(),
        "points": ObservationPoint.objects.count(),
        "point standards": ObservationPoint.standards.through.objects.count(),
        "focus": Observation.focus_standards.through.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


def events(action=None) -> list[tuple]:
    queryset = AuditEvent.objects.order_by("pk")
    if action is not None:
        queryset = queryset.filter(action=action)
    return list(queryset.values_list("action", "actor", "target_type", "target_id", "detail"))


def points_of(observation) -> list[tuple]:
    return [
        (p.kind, p.text, [s.label for s in p.standards.order_by("framework__code", "position")])
        for p in observation.points.order_by("pk")
    ]


def record(actor, observee, **kwargs) -> Observation:
    defaults = {"kind": Observation.Kind.DEVELOPMENTAL, "observed_on": DAY, "length_minutes": 50}
    return services.record_observation(actor=actor.user, observee=observee, **{**defaults, **kwargs})


def refused(actor, observee, **kwargs) -> tuple[str | None, str]:
    before = counts()
    with pytest.raises(ServiceError) as raised:
        record(actor, observee, **kwargs)
    assert counts() == before
    return raised.value.field, raised.value.message


def sent(mailoutbox) -> list[tuple[list[str], str]]:
    """(to, what they are told after sign-in); every email itself is the one neutral email."""
    return [(to, message) for to, message, _ in updates(mailoutbox)]


# record_observation


def test_record_observation_developmental_exact_fields(college, department, colleague, teacher):
    observation = record(
        colleague,
        teacher,
        group_name="  12B maths ",
        length_minutes=45,
        focus_standards=[standard("TS 4"), standard("ETF 9")],
        points=[
            strength(f"Clear routines {SECRET}", "TS 7"),
            strength("   "),
            development(" Check understanding before moving on ", "TS 6b", "ETF 19"),
        ],
        feedback_on=DAY,
        agreed_actions=" Try mini whiteboards ",
    )
    observation = Observation.objects.get(pk=observation.pk)
    assert (
        observation.institution,
        observation.kind,
        observation.observer,
        observation.observee,
        observation.department,
        observation.observed_on,
        observation.group_name,
        observation.length_minutes,
        observation.outcome,
        observation.feedback_on,
        observation.agreed_actions,
        observation.observee_response,
        observation.status,
        observation.shared_at,
        observation.acknowledged_at,
        observation.shared_with_tutor,
    ) == (
        college,
        Observation.Kind.DEVELOPMENTAL,
        colleague,
        teacher,
        department,
        DAY,
        "12B maths",
        45,
        "",
        DAY,
        "Try mini whiteboards",
        "",
        Observation.Status.DRAFT,
        None,
        None,
        None,
    )
    assert sorted(s.label for s in observation.focus_standards.all()) == ["ETF 9", "TS 4"]
    assert points_of(observation) == [
        ("strength", f"Clear routines {SECRET}", ["TS 7"]),
        ("development", "Check understanding before moving on", ["ETF 19", "TS 6b"]),
    ]
    assert events() == [
        ("observations.recorded", colleague.user.pk, "observations.observation", str(observation.pk), {})
    ]


def test_record_observation_department_copied_from_observee(college, other_department, teacher):
    artist = StaffMemberFactory(institution=college, department=other_department)
    assert record(teacher, artist).department == other_department
    nobody = StaffMemberFactory(institution=college, department=None)
    assert record(teacher, nobody).department is None


@pytest.mark.parametrize("observer", ["line_manager", "hod", "programme_lead"])
def test_record_observation_formal_with_outcome_by_management(request, teacher, observer):
    observation = record(request.getfixturevalue(observer), teacher, kind=FORMAL, outcome="not_yet_effective")
    assert (observation.kind, observation.outcome, observation.status) == (
        FORMAL,
        "not_yet_effective",
        Observation.Status.DRAFT,
    )


def test_record_observation_self_refused(colleague):
    assert refused(colleague, colleague) == ("observee", "Select someone other than yourself")


def test_record_observation_other_institution_refused(colleague, outsider):
    assert refused(colleague, outsider) == ("observee", "Select a member of staff from your institution")


def test_record_observation_future_date_refused(colleague, teacher):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    assert refused(colleague, teacher, observed_on=tomorrow) == (
        "observed_on",
        "The date must be today or in the past",
    )


def test_record_observation_today_accepted(colleague, teacher):
    assert record(colleague, teacher, observed_on=timezone.localdate()).observed_on == timezone.localdate()


@pytest.mark.parametrize("observer", ["colleague", "tutor", "other_tutor", "dsl", "admin"])
@pytest.mark.parametrize("kind", list(Observation.FORMAL_KINDS))
def test_record_observation_formal_by_others_refused(request, teacher, observer, kind):
    assert refused(request.getfixturevalue(observer), teacher, kind=kind) == (
        "kind",
        "Only their line manager, head of department or the programme lead can record a formal observation",
    )


@pytest.mark.parametrize(
    "kind",
    [Observation.Kind.DEVELOPMENTAL, Observation.Kind.LEARNING_WALK, Observation.Kind.DROP_IN],
)
def test_record_observation_outcome_on_non_formal_refused(hod, teacher, kind):
    assert refused(hod, teacher, kind=kind, outcome="effective") == (
        "outcome",
        "Only a formal observation has an outcome",
    )


def test_record_observation_outcome_not_in_scale_refused(hod, teacher):
    assert refused(hod, teacher, kind=FORMAL, outcome="outstanding") == (
        "outcome",
        "Select an outcome from the list",
    )


def test_record_observation_standard_outside_chosen_frameworks_refused(
    college, programme_lead, colleague, teacher
):
    services.choose_frameworks(
        actor=programme_lead.user,
        institution=college,
        frameworks=[Framework.objects.get(code="ETF", institution__isnull=True)],
        grading_enabled=True,
    )
    assert refused(colleague, teacher, points=[development("Questioning", "TS 2")]) == (
        "points",
        "Select standards from your institution's frameworks",
    )
    assert points_of(record(colleague, teacher, points=[development("Questioning", "ETF 9")])) == [
        ("development", "Questioning", ["ETF 9"])
    ]


def test_record_observation_focus_outside_chosen_frameworks_refused(
    college, programme_lead, colleague, teacher
):
    services.choose_frameworks(
        actor=programme_lead.user,
        institution=college,
        frameworks=[Framework.objects.get(code="ETF", institution__isnull=True)],
        grading_enabled=True,
    )
    assert refused(colleague, teacher, focus_standards=[standard("TS 2")]) == (
        "focus_standards",
        "Select standards from your institution's frameworks",
    )


def test_record_observation_focus_repeated_standard_accepted(colleague, teacher):
    observation = record(colleague, teacher, focus_standards=[standard("TS 4"), standard("TS 4")])
    assert [s.label for s in observation.focus_standards.all()] == ["TS 4"]


def test_record_observation_another_institutions_own_standard_refused(colleague, teacher):
    elsewhere = create_custom_framework(
        institution=InstitutionFactory(name="Another School"), code="AS", name="Theirs", lines=[("A1", "A")]
    )
    theirs = elsewhere.standards.get()
    assert refused(colleague, teacher, points=[development("Questioning", "AS A1")]) == (
        "points",
        "Select standards from your institution's frameworks",
    )
    assert refused(colleague, teacher, focus_standards=[theirs]) == (
        "focus_standards",
        "Select standards from your institution's frameworks",
    )


def test_record_observation_edit_draft_replaces_points(colleague, teacher):
    draft = record(colleague, teacher, points=[development("Old", "TS 2")])
    changed = record(
        colleague, teacher, observation=draft, length_minutes=30, points=[strength("New", "TS 1a")]
    )
    assert (changed.pk, changed.length_minutes) == (draft.pk, 30)
    assert points_of(changed) == [("strength", "New", ["TS 1a"])]
    assert [e[0] for e in events()] == ["observations.recorded", "observations.changed"]


def test_record_observation_edit_shared_refused(colleague, teacher):
    shared = observe(colleague, teacher, points=[development("Old", "TS 2")])
    before = counts()
    with pytest.raises(ServiceError) as raised:
        record(colleague, teacher, observation=shared, points=[])
    assert (raised.value.field, raised.value.message) == (
        None,
        "A shared observation can no longer be changed.",
    )
    assert counts() == before
    assert points_of(shared) == [("development", "Old", ["TS 2"])]


def test_record_observation_edit_by_someone_else_refused(colleague, teacher, line_manager):
    draft = record(colleague, teacher)
    with pytest.raises(ServiceError):
        record(line_manager, teacher, observation=draft, length_minutes=10)
    assert Observation.objects.get(pk=draft.pk).length_minutes == 50


# share_observation


def test_share_observation_emails_observee_after_commit_without_feedback(
    colleague, teacher, django_capture_on_commit_callbacks, mailoutbox
):
    draft = record(
        colleague,
        teacher,
        group_name=f"Group {SECRET}",
        points=[development(f"Point {SECRET}", "TS 2")],
        agreed_actions=f"Action {SECRET}",
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        shared = services.share_observation(actor=colleague.user, observation=draft)
        assert mailoutbox == []
    shared.refresh_from_db()
    assert (len(callbacks), shared.status, shared.shared_at is not None) == (1, "shared", True)
    assert sent(mailoutbox) == [
        (
            [teacher.email],
            "Feedback from an observation of your teaching has been shared with you. You can respond to it.",
        )
    ]
    message = mailoutbox[0]
    assert [path for _, _, path in updates(mailoutbox)] == [shared.get_absolute_url()]
    assert [SECRET in text for text in (message.subject, message.body)] == [False, False]
    assert [text for text in ("Group", "Point", "Action", colleague.full_name) if text in message.body] == []
    assert events("observations.shared") == [
        ("observations.shared", colleague.user.pk, "observations.observation", str(draft.pk), {})
    ]


def test_share_observation_twice_refused(colleague, teacher, django_capture_on_commit_callbacks, mailoutbox):
    shared = observe(colleague, teacher)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ServiceError) as raised:
        services.share_observation(actor=colleague.user, observation=shared)
    assert raised.value.message == "This observation has already been shared."
    assert (len(events("observations.shared")), mailoutbox) == (1, [])


def test_share_observation_by_observee_refused(colleague, teacher):
    draft = record(colleague, teacher)
    with pytest.raises(ServiceError):
        services.share_observation(actor=teacher.user, observation=draft)
    assert Observation.objects.get(pk=draft.pk).status == Observation.Status.DRAFT


# respond_to_observation


def test_respond_then_acknowledge(colleague, teacher):
    shared = observe(colleague, teacher)
    responded = services.respond_to_observation(
        actor=teacher.user, observation=shared, response="  I will try it  ", acknowledge=False
    )
    responded.refresh_from_db()
    assert (responded.observee_response, responded.status, responded.acknowledged_at) == (
        "I will try it",
        Observation.Status.SHARED,
        None,
    )
    acknowledged = services.respond_to_observation(
        actor=teacher.user, observation=shared, response="I will try it. Thanks", acknowledge=True
    )
    acknowledged.refresh_from_db()
    assert (
        acknowledged.observee_response,
        acknowledged.status,
        acknowledged.acknowledged_at is not None,
    ) == (
        "I will try it. Thanks",
        Observation.Status.ACKNOWLEDGED,
        True,
    )
    assert events("observations.responded") == [
        (
            "observations.responded",
            teacher.user.pk,
            "observations.observation",
            str(shared.pk),
            {"acknowledged": a},
        )
        for a in (False, True)
    ]


def test_respond_acknowledge_without_response(colleague, teacher):
    shared = observe(colleague, teacher)
    services.respond_to_observation(actor=teacher.user, observation=shared, response="  ", acknowledge=True)
    shared.refresh_from_db()
    assert (shared.observee_response, shared.status) == ("", Observation.Status.ACKNOWLEDGED)


def test_respond_empty_without_acknowledge_refused(colleague, teacher):
    shared = observe(colleague, teacher)
    before = counts()
    with pytest.raises(ServiceError) as raised:
        services.respond_to_observation(
            actor=teacher.user, observation=shared, response=" ", acknowledge=False
        )
    assert (raised.value.field, raised.value.message) == (
        "response",
        "Enter a response, or acknowledge the feedback",
    )
    assert counts() == before


def test_respond_second_acknowledgement_refused(colleague, teacher):
    shared = observe(colleague, teacher)
    services.respond_to_observation(
        actor=teacher.user, observation=shared, response="First", acknowledge=True
    )
    with pytest.raises(ServiceError) as raised:
        services.respond_to_observation(
            actor=teacher.user, observation=shared, response="Second", acknowledge=True
        )
    assert raised.value.message == "You have already acknowledged this observation."
    shared.refresh_from_db()
    assert (shared.observee_response, len(events("observations.responded"))) == ("First", 1)


@pytest.mark.parametrize("persona", ["colleague", "line_manager", "hod"])
def test_respond_by_someone_else_refused(request, colleague, teacher, hod, persona):
    shared = observe(hod, teacher, kind=FORMAL)
    with pytest.raises(ServiceError):
        services.respond_to_observation(
            actor=request.getfixturevalue(persona).user, observation=shared, response="Hi", acknowledge=True
        )
    assert Observation.objects.get(pk=shared.pk).status == Observation.Status.SHARED


def test_respond_to_draft_refused(colleague, teacher):
    draft = record(colleague, teacher)
    with pytest.raises(ServiceError):
        services.respond_to_observation(
            actor=teacher.user, observation=draft, response="Hi", acknowledge=True
        )
    assert Observation.objects.get(pk=draft.pk).observee_response == ""


# share_with_tutor


def test_share_with_tutor_then_stop(
    colleague, teacher, tutor, django_capture_on_commit_callbacks, mailoutbox
):
    shared = observe(colleague, teacher, points=[development(f"Point {SECRET}", "TS 2")])
    with django_capture_on_commit_callbacks(execute=True):
        services.share_with_tutor(actor=teacher.user, observation=shared, tutor=tutor)
    assert Observation.objects.get(pk=shared.pk).shared_with_tutor == tutor
    assert sent(mailoutbox) == [
        ([tutor.email], "A member of staff has shared a developmental observation with you.")
    ]
    assert SECRET not in mailoutbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        services.share_with_tutor(actor=teacher.user, observation=shared, tutor=None)
    assert Observation.objects.get(pk=shared.pk).shared_with_tutor is None
    assert len(mailoutbox) == 1
    assert events("observations.shared_with_tutor") == [
        (
            "observations.shared_with_tutor",
            teacher.user.pk,
            "observations.observation",
            str(shared.pk),
            {"tutor": t},
        )
        for t in (tutor.pk, None)
    ]


@pytest.mark.parametrize("persona", ["colleague", "tutor", "line_manager"])
def test_share_with_tutor_by_someone_other_than_observee_refused(request, colleague, teacher, tutor, persona):
    shared = observe(colleague, teacher)
    with pytest.raises(ServiceError) as raised:
        services.share_with_tutor(
            actor=request.getfixturevalue(persona).user, observation=shared, tutor=tutor
        )
    assert raised.value.message == DENIED
    assert Observation.objects.get(pk=shared.pk).shared_with_tutor is None


def test_share_with_tutor_formal_refused(hod, teacher, tutor):
    shared = observe(hod, teacher, kind=FORMAL)
    with pytest.raises(ServiceError):
        services.share_with_tutor(actor=teacher.user, observation=shared, tutor=tutor)
    assert Observation.objects.get(pk=shared.pk).shared_with_tutor is None


def test_share_with_tutor_draft_refused(colleague, teacher, tutor):
    draft = record(colleague, teacher)
    with pytest.raises(ServiceError):
        services.share_with_tutor(actor=teacher.user, observation=draft, tutor=tutor)


# choose_frameworks


def test_choose_frameworks_audited(college, programme_lead):
    etf = Framework.objects.get(code="ETF", institution__isnull=True)
    services.choose_frameworks(
        actor=programme_lead.user, institution=college, frameworks=[etf], grading_enabled=False
    )
    assert events() == [
        (
            "observations.frameworks_chosen",
            programme_lead.user.pk,
            "people.institution",
            str(college.pk),
            {"frameworks": [etf.pk]},
        )
    ]


@pytest.mark.parametrize("persona", ["hod", "tutor", "admin"])
def test_choose_frameworks_by_others_refused(request, college, persona):
    with pytest.raises(ServiceError) as raised:
        services.choose_frameworks(
            actor=request.getfixturevalue(persona).user,
            institution=college,
            frameworks=[],
            grading_enabled=False,
        )
    assert raised.value.message == DENIED
    assert events() == []


# From an observation to a support case


def test_add_to_support_logs_observation_interaction(client_for, teacher, tutor):
    case = open_case_for(teacher, tutor)
    observation = observe(
        tutor,
        teacher,
        observed_on=DAY,
        length_minutes=40,
        points=[
            strength("Warm, orderly start", "TS 7"),
            development("Check understanding before moving on", "TS 6b"),
            development("Use names in questioning", "TS 2"),
        ],
    )
    response = client_for(tutor).post(
        reverse("observations:observation-add-to-support", args=[observation.pk])
    )
    assert (response.status_code, response["Location"]) == (302, case.get_absolute_url())
    interaction = case.interactions.get()
    assert (
        interaction.kind,
        interaction.tutor,
        interaction.occurred_on,
        interaction.minutes,
        interaction.shared_notes,
    ) == (
        Interaction.Kind.OBSERVATION,
        tutor,
        DAY,
        40,
        "Developmental observation on 04 March 2025.\n"
        "Strengths:\n"
        "- Warm, orderly start\n"
        "Development points:\n"
        "- Check understanding before moving on\n"
        "- Use names in questioning",
    )
    assert events("support.interaction_logged")[0][1:3] == (tutor.user.pk, "support.supportcase")


def test_add_to_support_tutor_without_case_404(client_for, teacher, tutor, other_tutor):
    open_case_for(teacher, tutor)
    observation = observe(other_tutor, teacher)
    response = client_for(other_tutor).post(
        reverse("observations:observation-add-to-support", args=[observation.pk])
    )
    assert response.status_code == 404
    assert not Interaction.objects.exists()


def test_add_to_support_case_holder_who_did_not_observe_404(client_for, teacher, tutor, colleague):
    open_case_for(teacher, tutor)
    observation = observe(colleague, teacher)
    services.share_with_tutor(actor=teacher.user, observation=observation, tutor=tutor)
    response = client_for(tutor).post(
        reverse("observations:observation-add-to-support", args=[observation.pk])
    )
    assert response.status_code == 404
    assert not Interaction.objects.exists()


def test_add_to_support_formal_observation_404(client_for, teacher, tutor, line_manager):
    open_case_for(teacher, tutor)
    observation = observe(line_manager, teacher, kind=FORMAL)
    assert (
        client_for(line_manager)
        .post(reverse("observations:observation-add-to-support", args=[observation.pk]))
        .status_code
        == 404
    )
    assert not Interaction.objects.exists()
