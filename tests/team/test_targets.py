"""A tutor's yearly targets, set by the programme lead; the figures protutor fills in from its own data;
mid-year and end-of-year reviews; the tutor's own development. Seen by the tutor and the programme lead
only."""

import datetime as dt
from collections import Counter

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from protutor.audit.models import AuditEvent
from protutor.core.errors import ServiceError
from protutor.cpd import services as cpd_services
from protutor.cpd.models import Session
from protutor.observations.models import Observation
from protutor.people.models import Caseload
from protutor.support import services as support_services
from protutor.support.models import SupportCase
from protutor.team import permissions, services
from protutor.team.models import OwnDevelopment, TargetReview, TutorTarget
from tests.conftest import PERSONAS
from tests.factories.cpd import at, deliver, plan, started, upcoming
from tests.factories.observations import DEVELOPMENTAL, FORMAL, observe
from tests.factories.people import (
    AcademicYearFactory,
    InstitutionFactory,
    RoleAssignmentFactory,
    StaffMemberFactory,
)
from tests.factories.support import accept, encourage, open_case_for

pytestmark = pytest.mark.django_db

SESSIONS = TutorTarget.Measure.SESSIONS
NONE = TutorTarget.Measure.NONE
MID_YEAR = TargetReview.Kind.MID_YEAR
END_OF_YEAR = TargetReview.Kind.END_OF_YEAR
ZERO = {"sessions": 0, "cases": 0, "self_referrals": 0, "observations": 0}


def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def everyone(request):
    return {name: request.getfixturevalue(name) for name in PERSONAS}


@pytest.fixture
def caseload(tutor, year):
    return Caseload.objects.get(tutor=tutor, academic_year=year)


@pytest.fixture
def page(caseload):
    return reverse("team:targets", args=[caseload.pk])


@pytest.fixture
def last_year(college, year):
    return AcademicYearFactory(
        institution=college,
        starts_on=dt.date(year.starts_on.year - 1, 9, 1),
        ends_on=dt.date(year.starts_on.year, 8, 31),
    )


def trail() -> list[tuple]:
    return [
        (e.action, e.target_type, e.target_id, e.actor_id, e.detail)
        for e in AuditEvent.objects.order_by("pk")
    ]


def summary_links(body: str) -> list[str]:
    start = body.index('class="govuk-error-summary"')
    end = body.index("</ul>", start)
    return [part.split('"', 1)[0] for part in body[start:end].split('<a href="')[1:]]


def set_sessions_target(caseload, lead, value=6) -> TutorTarget:
    return services.set_target(
        actor=lead.user,
        caseload=caseload,
        description="CPD sessions in each department",
        measure=SESSIONS,
        target_value=value,
    )


# set_target: the programme lead only


def test_set_target_by_programme_lead(caseload, programme_lead):
    target = set_sessions_target(caseload, programme_lead)
    assert list(caseload.targets.values_list("pk", "description", "measure", "target_value")) == [
        (target.pk, "CPD sessions in each department", "sessions", 6)
    ]
    assert trail() == [("team.target_set", "people.caseload", str(caseload.pk), programme_lead.user.pk, {})]


@pytest.mark.parametrize("actor", ["tutor", "other_tutor", "hod", "line_manager", "admin", "outsider"])
def test_set_target_refused_for_anyone_but_programme_lead(request, caseload, actor):
    with pytest.raises(ServiceError) as error:
        set_sessions_target(caseload, request.getfixturevalue(actor))
    assert (error.value.message, TutorTarget.objects.count(), trail()) == (
        "Only the programme lead can do that.",
        0,
        [],
    )


@pytest.mark.parametrize(
    "measure",
    [
        TutorTarget.Measure.SESSIONS,
        TutorTarget.Measure.SELF_REFERRALS,
        TutorTarget.Measure.CASES,
        TutorTarget.Measure.OBSERVATIONS,
    ],
)
def test_set_target_measured_requires_number(caseload, programme_lead, measure):
    with pytest.raises(ServiceError) as error:
        services.set_target(
            actor=programme_lead.user,
            caseload=caseload,
            description="More",
            measure=measure,
            target_value=None,
        )
    assert (error.value.message, error.value.field, TutorTarget.objects.count()) == (
        "Enter the number to reach",
        "target_value",
        0,
    )


def test_set_target_unmeasured_needs_no_number(caseload, programme_lead):
    target = services.set_target(
        actor=programme_lead.user,
        caseload=caseload,
        description="  Lead a coaching pair  ",
        measure=NONE,
        target_value=None,
    )
    assert (target.description, target.measure, target.target_value) == ("Lead a coaching pair", "none", None)


def test_set_target_refuses_blank_description(caseload, programme_lead):
    with pytest.raises(ServiceError) as error:
        services.set_target(
            actor=programme_lead.user, caseload=caseload, description="  ", measure=SESSIONS, target_value=3
        )
    assert (error.value.message, error.value.field) == ("Enter the target", "description")


# measured_figures: hand-computed from the tutor's year


def test_measured_figures_empty_year(caseload):
    assert services.measured_figures(caseload, today()) == ZERO


def test_measured_figures_sessions_delivered_in_caseload_departments(
    caseload, year, last_year, tutor, other_tutor, hod, teacher, department, other_department
):
    # counted: two delivered by the tutor, one delivered by the head of department
    deliver(plan(tutor, department, starts_at=started(year, 9)), tutor, [teacher])
    deliver(plan(tutor, department, starts_at=started(year, 10)), tutor, [teacher])
    deliver(plan(hod, department, starts_at=started(year, 11)), hod, [teacher])
    # not counted: planned only, cancelled, another department, last year
    plan(tutor, department, starts_at=upcoming(year))
    cpd_services.cancel_session(
        actor=tutor.user, session=plan(tutor, department, starts_at=upcoming(year, skip=1))
    )
    art = StaffMemberFactory(institution=other_department.institution, department=other_department)
    deliver(plan(other_tutor, other_department, starts_at=started(year, 9)), other_tutor, [art])
    old = plan(tutor, department, starts_at=at(dt.date(last_year.starts_on.year, 10, 6)))
    deliver(old, tutor, [teacher])
    assert Counter(Session.objects.values_list("status", flat=True)) == {
        "delivered": 5,
        "planned": 1,
        "cancelled": 1,
    }
    assert services.measured_figures(caseload, today()) == {**ZERO, "sessions": 3}


def test_measured_figures_cases_and_self_referrals(
    caseload, tutor, other_tutor, teacher, colleague, line_manager, department, other_department, college
):
    # counted: a self-referral, one encouraged by a line manager, one the tutor opened
    open_case_for(teacher, tutor)
    report = StaffMemberFactory(institution=college, department=department, line_manager=line_manager)
    referral = encourage(line_manager, report)
    support_services.respond_to_referral(actor=report.user, referral=referral, accept=True)
    accept(referral, tutor)
    support_services.open_case(
        actor=tutor.user,
        teacher=colleague,
        formality=SupportCase.Formality.INFORMAL,
        span=SupportCase.Span.ONE_TOUCH,
        teacher_agreed=True,
    )
    # not counted: another tutor's self-referral, and one of ours opened before the year began
    open_case_for(StaffMemberFactory(institution=college, department=other_department), other_tutor)
    old = open_case_for(StaffMemberFactory(institution=college, department=department), tutor)
    SupportCase.objects.filter(pk=old.pk).update(
        opened_at=at(caseload.academic_year.starts_on - dt.timedelta(days=30))
    )
    assert Counter(SupportCase.objects.values_list("route", flat=True)) == {
        "self": 3,
        "line_manager": 1,
        "tutor": 1,
    }
    assert services.measured_figures(caseload, today()) == {**ZERO, "cases": 3, "self_referrals": 1}


def test_measured_figures_developmental_observations_made(
    caseload, tutor, other_tutor, programme_lead, teacher, colleague, college, department
):
    # counted: two developmental observations by the tutor this year
    observe(tutor, teacher, kind=DEVELOPMENTAL)
    observe(tutor, colleague, kind=DEVELOPMENTAL)
    # not counted: a formal one by the tutor (as line manager), others' observations, last year's
    mentee = StaffMemberFactory(institution=college, department=department, line_manager=tutor)
    observe(tutor, mentee, kind=FORMAL)
    observe(other_tutor, teacher, kind=DEVELOPMENTAL)
    observe(programme_lead, teacher, kind=FORMAL)
    observe(
        tutor,
        teacher,
        kind=DEVELOPMENTAL,
        observed_on=caseload.academic_year.starts_on - dt.timedelta(days=10),
    )
    assert Counter(Observation.objects.values_list("observer__surname", "kind")) == {
        ("Tutor", "developmental"): 3,
        ("Tutor", "formal"): 1,
        ("Othertutor", "developmental"): 1,
        ("Lead", "formal"): 1,
    }
    assert services.measured_figures(caseload, today()) == {**ZERO, "observations": 2}


def test_measured_figures_stop_at_until(caseload, tutor, teacher):
    observe(tutor, teacher, kind=DEVELOPMENTAL)
    open_case_for(teacher, tutor)
    assert (
        services.measured_figures(caseload, today()),
        services.measured_figures(caseload, today() - dt.timedelta(days=1)),
    ) == ({"sessions": 0, "cases": 1, "self_referrals": 1, "observations": 1}, ZERO)


# review_targets: the tutor or the programme lead, once per kind


def test_review_targets_by_tutor_stores_figures_and_notes(caseload, tutor, teacher):
    observe(tutor, teacher, kind=DEVELOPMENTAL)
    review = services.review_targets(actor=tutor.user, caseload=caseload, kind=MID_YEAR, notes="  On track  ")
    assert list(caseload.target_reviews.values_list("pk", "kind", "held_on", "figures", "notes")) == [
        (review.pk, "mid_year", today(), {**ZERO, "observations": 1}, "On track")
    ]
    assert trail()[-1] == (
        "team.targets_reviewed",
        "people.caseload",
        str(caseload.pk),
        tutor.user.pk,
        {"kind": "mid_year"},
    )


def test_review_targets_second_mid_year_replaces_first(
    caseload, year, tutor, programme_lead, teacher, department
):
    services.review_targets(actor=tutor.user, caseload=caseload, kind=MID_YEAR, notes="First go")
    deliver(plan(tutor, department, starts_at=started(year)), tutor, [teacher])
    services.review_targets(actor=programme_lead.user, caseload=caseload, kind=MID_YEAR, notes="Agreed")
    assert list(caseload.target_reviews.values_list("kind", "figures", "notes")) == [
        ("mid_year", {**ZERO, "sessions": 1}, "Agreed")
    ]
    assert [row[0] for row in trail()].count("team.targets_reviewed") == 2


def test_review_targets_one_of_each_kind(caseload, tutor, programme_lead):
    services.review_targets(actor=tutor.user, caseload=caseload, kind=MID_YEAR, notes="Mid")
    services.review_targets(actor=programme_lead.user, caseload=caseload, kind=END_OF_YEAR, notes="End")
    assert sorted(caseload.target_reviews.values_list("kind", "notes")) == [
        ("end_of_year", "End"),
        ("mid_year", "Mid"),
    ]


@pytest.mark.parametrize(
    "actor", ["other_tutor", "teacher", "line_manager", "hod", "dsl", "admin", "outsider"]
)
def test_review_targets_refused_for_anyone_but_tutor_and_lead(request, caseload, actor):
    with pytest.raises(ServiceError) as error:
        services.review_targets(
            actor=request.getfixturevalue(actor).user, caseload=caseload, kind=MID_YEAR, notes="Mine"
        )
    assert (error.value.message, TargetReview.objects.count()) == (
        "You do not have permission to do that.",
        0,
    )


# record_own_development: the tutor, about themself, never in the future


def test_record_own_development_by_tutor(tutor):
    entry = services.record_own_development(
        actor=tutor.user,
        kind=OwnDevelopment.Kind.COURSE,
        title="  Coaching course ",
        done_on=today(),
        notes=" Good ",
    )
    assert list(OwnDevelopment.objects.values_list("pk", "tutor", "kind", "title", "done_on", "notes")) == [
        (entry.pk, tutor.pk, "course", "Coaching course", today(), "Good")
    ]
    assert trail() == [
        ("team.own_development_recorded", "team.owndevelopment", str(entry.pk), tutor.user.pk, {})
    ]


def test_record_own_development_refuses_future_date(tutor):
    with pytest.raises(ServiceError) as error:
        services.record_own_development(
            actor=tutor.user, kind="reading", title="A book", done_on=today() + dt.timedelta(days=1)
        )
    assert (error.value.message, error.value.field, OwnDevelopment.objects.count()) == (
        "The date must be today or in the past",
        "done_on",
        0,
    )


def test_record_own_development_refuses_blank_title(tutor):
    with pytest.raises(ServiceError) as error:
        services.record_own_development(actor=tutor.user, kind="reading", title="  ", done_on=today())
    assert (error.value.message, error.value.field) == ("Enter what you did", "title")


@pytest.mark.parametrize("actor", ["teacher", "line_manager", "hod", "dsl", "admin", "outsider"])
def test_record_own_development_refused_outside_team(request, actor):
    with pytest.raises(ServiceError) as error:
        services.record_own_development(
            actor=request.getfixturevalue(actor).user, kind="reading", title="A book", done_on=today()
        )
    assert (error.value.message, OwnDevelopment.objects.count()) == (
        "You do not have permission to do that.",
        0,
    )


# Who may read targets, reviews and own development


def test_targets_reviews_and_development_readable_by_tutor_and_lead_only(
    everyone, caseload, tutor, other_tutor, programme_lead
):
    target = set_sessions_target(caseload, programme_lead)
    review = services.review_targets(actor=tutor.user, caseload=caseload, kind=MID_YEAR, notes="")
    entry = services.record_own_development(actor=tutor.user, kind="reading", title="A book", done_on=today())
    readers = {
        scope.__name__: {
            name for name, staff in everyone.items() if scope(staff.user).filter(pk=record.pk).exists()
        }
        for scope, record in [
            (permissions.targets_readable_by, target),
            (permissions.target_reviews_readable_by, review),
            (permissions.own_development_readable_by, entry),
        ]
    }
    assert readers == {
        "targets_readable_by": {"tutor", "programme_lead"},
        "target_reviews_readable_by": {"tutor", "programme_lead"},
        "own_development_readable_by": {"tutor", "programme_lead"},
    }


def test_target_scopes_anonymous_see_none(caseload, tutor, programme_lead):
    set_sessions_target(caseload, programme_lead)
    services.review_targets(actor=tutor.user, caseload=caseload, kind=MID_YEAR, notes="")
    services.record_own_development(actor=tutor.user, kind="reading", title="A book", done_on=today())
    anonymous = AnonymousUser()
    assert (
        list(permissions.targets_readable_by(anonymous)),
        list(permissions.target_reviews_readable_by(anonymous)),
        list(permissions.own_development_readable_by(anonymous)),
    ) == ([], [], [])


# team:targets


@pytest.mark.parametrize(
    ("viewer", "status"), [(name, 200 if name in ("tutor", "programme_lead") else 404) for name in PERSONAS]
)
def test_targets_page_tutor_and_lead_only_else_404(everyone, client_for, page, viewer, status):
    assert client_for(everyone[viewer]).get(page).status_code == status


def test_targets_page_404_for_programme_lead_of_another_school(client_for, page):
    far_lead = StaffMemberFactory(institution=InstitutionFactory(name="Far College"), department=None)
    RoleAssignmentFactory(staff=far_lead)
    assert client_for(far_lead).get(page).status_code == 404


def test_targets_page_shows_targets_with_figures(client_for, caseload, tutor, programme_lead, teacher, page):
    target = set_sessions_target(caseload, programme_lead)
    unmeasured = services.set_target(
        actor=programme_lead.user,
        caseload=caseload,
        description="Coaching pair",
        measure=NONE,
        target_value=None,
    )
    observed = services.set_target(
        actor=programme_lead.user,
        caseload=caseload,
        description="Observations",
        measure=TutorTarget.Measure.OBSERVATIONS,
        target_value=4,
    )
    observe(tutor, teacher, kind=DEVELOPMENTAL)
    response = client_for(tutor).get(page)
    assert response.context["targets"] == [(target, 0), (unmeasured, None), (observed, 1)]
    assert (response.context["target_form"], response.context["review_form"] is not None) == (None, True)


@pytest.mark.parametrize(
    ("viewer", "forms"),
    [("tutor", ["review_form", "development_form"]), ("programme_lead", ["target_form", "review_form"])],
)
def test_targets_page_forms_offered_by_role(everyone, client_for, page, viewer, forms):
    context = client_for(everyone[viewer]).get(page).context
    offered = [
        name for name in ("target_form", "review_form", "development_form") if context[name] is not None
    ]
    assert offered == forms


def test_targets_post_target_by_programme_lead(client_for, programme_lead, caseload, page):
    response = client_for(programme_lead).post(
        page,
        {
            "form": "target",
            "target-description": "Sessions in every department",
            "target-measure": "sessions",
            "target-target_value": "6",
        },
    )
    assert (response.status_code, response.url) == (302, page)
    assert list(caseload.targets.values_list("description", "measure", "target_value")) == [
        ("Sessions in every department", "sessions", 6)
    ]


@pytest.mark.parametrize(
    ("value", "message"), [("", "Enter the number to reach"), ("six", "Enter a whole number")]
)
def test_targets_post_measured_target_without_number_rerenders_with_error(
    client_for, programme_lead, page, value, message
):
    response = client_for(programme_lead).post(
        page,
        {
            "form": "target",
            "target-description": "Sessions",
            "target-measure": "sessions",
            "target-target_value": value,
        },
    )
    body = response.content.decode()
    assert (response.status_code, TutorTarget.objects.count()) == (200, 0)
    assert "<title>Error: Targets: Tamsin Tutor – protutor</title>" in body
    assert summary_links(body) == ["#id_target-target_value"]
    assert response.context["target_form"].errors == {"target_value": [message]}


def test_targets_post_target_by_tutor_404(client_for, tutor, page):
    response = client_for(tutor).post(
        page,
        {"form": "target", "target-description": "Easy", "target-measure": "none", "target-target_value": ""},
    )
    assert (response.status_code, TutorTarget.objects.count()) == (404, 0)


@pytest.mark.parametrize("viewer", ["tutor", "programme_lead"])
def test_targets_post_review_by_tutor_or_lead(everyone, client_for, caseload, page, viewer):
    response = client_for(everyone[viewer]).post(
        page, {"form": "review", "review-kind": "end_of_year", "review-notes": "Met most"}
    )
    assert (response.status_code, response.url) == (302, page)
    assert list(caseload.target_reviews.values_list("kind", "held_on", "figures", "notes")) == [
        ("end_of_year", today(), ZERO, "Met most")
    ]


def test_targets_post_review_without_kind_rerenders_with_error(client_for, tutor, page):
    response = client_for(tutor).post(page, {"form": "review", "review-notes": "Hm"})
    body = response.content.decode()
    assert (response.status_code, TargetReview.objects.count()) == (200, 0)
    assert "<title>Error: Targets: Tamsin Tutor – protutor</title>" in body
    assert summary_links(body) == ["#id_review-kind_0"]
    assert response.context["review_form"].errors == {"kind": ["Select mid-year or end-of-year"]}


def test_targets_post_development_by_tutor(client_for, tutor, other_tutor, page):
    services.record_own_development(actor=other_tutor.user, kind="reading", title="Not mine", done_on=today())
    response = client_for(tutor).post(
        page,
        {
            "form": "development",
            "development-kind": "qualification",
            "development-title": "NPQLTD",
            "development-done_on": today().isoformat(),
        },
    )
    entry = OwnDevelopment.objects.get(tutor=tutor)
    assert (response.status_code, entry.kind, entry.title, entry.done_on) == (
        302,
        "qualification",
        "NPQLTD",
        today(),
    )
    assert client_for(tutor).get(page).context["development"] == [entry]


def test_targets_post_development_in_future_rerenders_with_error(client_for, tutor, page):
    response = client_for(tutor).post(
        page,
        {
            "form": "development",
            "development-kind": "course",
            "development-title": "Coaching course",
            "development-done_on": (today() + dt.timedelta(days=1)).isoformat(),
        },
    )
    body = response.content.decode()
    assert (response.status_code, OwnDevelopment.objects.count()) == (200, 0)
    assert "<title>Error: Targets: Tamsin Tutor – protutor</title>" in body
    assert summary_links(body) == ["#id_development-done_on"]
    assert response.context["development_form"].errors == {
        "done_on": ["The date must be today or in the past"]
    }


def test_targets_post_development_by_programme_lead_404(client_for, programme_lead, page):
    response = client_for(programme_lead).post(
        page,
        {
            "form": "development",
            "development-kind": "course",
            "development-title": "For them",
            "development-done_on": today().isoformat(),
        },
    )
    assert (response.status_code, OwnDevelopment.objects.count()) == (404, 0)


@pytest.mark.parametrize("form", ["target", "review", "development"])
def test_targets_post_404_for_other_tutor(client_for, other_tutor, page, form):
    assert client_for(other_tutor).post(page, {"form": form}).status_code == 404


def test_targets_post_unknown_form_404(client_for, programme_lead, page):
    assert client_for(programme_lead).post(page, {"form": "something"}).status_code == 404
