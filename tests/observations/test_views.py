"""Observation pages: the journey through the forms (record, share, respond), error messages that link to
their field, the teacher's development by standard, who gets each page, and query counts that stay the
same as data grows."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from protutor.observations.models import Observation
from tests.factories.observations import FORMAL, development, observe, standard, strength
from tests.factories.people import StaffMemberFactory, current_year_bounds

pytestmark = pytest.mark.django_db

SECRET = "SECRET-POINT-2b9f"
EARLIER, LATER = dt.date(2025, 3, 4), dt.date(2025, 5, 6)


def form_data(observee, /, **overrides) -> dict:
    data = {
        "kind": "developmental",
        "observee": observee.pk,
        "observed_on": timezone.localdate().isoformat(),
        "group_name": "12B",
        "length_minutes": "50",
        "strength_1_text": "Warm, orderly start",
        "strength_1_standard": standard("TS 7").pk,
        "development_1_text": f"Check understanding {SECRET}",
        "development_1_standard": standard("TS 6b").pk,
        "development_2_text": "Use names in questioning",
        "development_2_standard": "",
        "feedback_on": "",
        "agreed_actions": "Try mini whiteboards",
    }
    return {**data, **overrides}


def autumn_start() -> dt.date:
    return current_year_bounds()[0]


# Record, share, respond


def test_observation_create_records_draft_with_points(client_for, tutor, teacher):
    response = client_for(tutor).post(reverse("observations:observation-create"), form_data(teacher))
    observation = Observation.objects.get()
    assert (response.status_code, response["Location"]) == (302, observation.get_absolute_url())
    assert (
        observation.kind,
        observation.observer,
        observation.observee,
        observation.group_name,
        observation.length_minutes,
        observation.agreed_actions,
        observation.status,
    ) == ("developmental", tutor, teacher, "12B", 50, "Try mini whiteboards", "draft")
    assert [
        (p.kind, p.text, [s.label for s in p.standards.all()]) for p in observation.points.order_by("pk")
    ] == [
        ("strength", "Warm, orderly start", ["TS 7"]),
        ("development", f"Check understanding {SECRET}", ["TS 6b"]),
        ("development", "Use names in questioning", []),
    ]


def test_observation_create_missing_observee_links_to_field(client_for, tutor, teacher):
    response = client_for(tutor).post(
        reverse("observations:observation-create"), form_data(teacher, observee="")
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Record an observation" in body
    assert 'href="#id_observee">Select who you observed' in body
    assert not Observation.objects.exists()


def test_observation_create_future_date_error_from_service_on_field(client_for, tutor, teacher):
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = client_for(tutor).post(
        reverse("observations:observation-create"), form_data(teacher, observed_on=tomorrow)
    )
    body = response.content.decode()
    assert "<title>Error: Record an observation" in body
    assert 'href="#id_observed_on">The date must be today or in the past' in body
    assert not Observation.objects.exists()


def test_observation_create_formal_by_tutor_refused_on_kind(client_for, tutor, teacher):
    response = client_for(tutor).post(
        reverse("observations:observation-create"), form_data(teacher, kind="formal")
    )
    body = response.content.decode()
    assert "<title>Error: Record an observation" in body
    assert (
        'href="#id_kind_0">Only their line manager, head of department or the programme lead can record a '
        "formal observation" in body
    )
    assert not Observation.objects.exists()


def test_observation_create_offers_colleagues_of_own_institution_not_self(
    client_for, tutor, teacher, outsider
):
    form = client_for(tutor).get(reverse("observations:observation-create")).context["form"]
    observees = set(form.fields["observee"].queryset)
    assert (teacher in observees, tutor in observees, outsider in observees) == (True, False, False)


def test_observation_journey_record_share_respond(
    client_for, tutor, teacher, mailoutbox, django_capture_on_commit_callbacks
):
    client = client_for(tutor)
    client.post(reverse("observations:observation-create"), form_data(teacher))
    observation = Observation.objects.get()
    # Before sharing, the teacher cannot open it.
    assert client_for(teacher).get(observation.get_absolute_url()).status_code == 404

    client = client_for(tutor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("observations:observation-share", args=[observation.pk]))
    assert (response.status_code, response["Location"]) == (302, observation.get_absolute_url())
    assert [m.to for m in mailoutbox] == [[teacher.email]]
    assert SECRET not in mailoutbox[0].body
    assert client.post(reverse("observations:observation-share", args=[observation.pk])).status_code == 404

    client = client_for(teacher)
    listed = client.get(reverse("observations:observation-list")).context["observations"]
    assert listed == [observation]
    detail = client.get(observation.get_absolute_url())
    assert SECRET in detail.content.decode()
    assert detail.context["can_respond"] is True
    response = client.post(
        reverse("observations:observation-respond", args=[observation.pk]),
        {"response": "Thank you, I will try it", "acknowledge": "on"},
    )
    assert (response.status_code, response["Location"]) == (302, observation.get_absolute_url())
    observation.refresh_from_db()
    assert (observation.status, observation.observee_response) == ("acknowledged", "Thank you, I will try it")
    assert (
        client.post(
            reverse("observations:observation-respond", args=[observation.pk]), {"acknowledge": "on"}
        ).status_code
        == 404
    )


def test_observation_respond_empty_shows_message_and_keeps_status(client_for, colleague, teacher):
    observation = observe(colleague, teacher)
    response = client_for(teacher).post(
        reverse("observations:observation-respond", args=[observation.pk]), {"response": ""}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == ["Enter a response, or acknowledge the feedback"]
    observation.refresh_from_db()
    assert observation.status == "shared"


def test_observation_share_with_tutor_through_form(client_for, colleague, teacher, tutor):
    observation = observe(colleague, teacher)
    client = client_for(teacher)
    assert set(client.get(observation.get_absolute_url()).context["tutor_form"].fields["tutor"].queryset) == {
        tutor
    }
    client.post(
        reverse("observations:observation-share-with-tutor", args=[observation.pk]), {"tutor": tutor.pk}
    )
    assert client_for(tutor).get(observation.get_absolute_url()).status_code == 200


def test_observation_edit_draft_then_not_after_share(client_for, colleague, teacher):
    draft = observe(colleague, teacher, shared=False)
    client = client_for(colleague)
    url = reverse("observations:observation-edit", args=[draft.pk])
    assert client.get(url).status_code == 200
    client.post(url, form_data(teacher, length_minutes="30"))
    draft.refresh_from_db()
    assert draft.length_minutes == 30
    client.post(reverse("observations:observation-share", args=[draft.pk]))
    assert client.get(url).status_code == 404


# Who gets the pages


READERS_OF_FORMAL = {"teacher", "hod", "line_manager", "programme_lead"}
PERSONAS = [
    "teacher",
    "colleague",
    "line_manager",
    "hod",
    "tutor",
    "other_tutor",
    "programme_lead",
    "dsl",
    "admin",
    "outsider",
]


@pytest.mark.parametrize("persona", PERSONAS)
def test_observation_detail_developmental_observer_observee_only(
    request, client_for, colleague, teacher, persona
):
    observation = observe(colleague, teacher, points=[development(SECRET, "TS 2")])
    response = client_for(request.getfixturevalue(persona)).get(observation.get_absolute_url())
    expected = 200 if persona in {"colleague", "teacher"} else 404
    assert response.status_code == expected
    assert (SECRET in response.content.decode()) == (expected == 200)


@pytest.mark.parametrize("persona", PERSONAS)
def test_observation_detail_formal_management_chain(request, client_for, hod, teacher, persona):
    observation = observe(hod, teacher, kind=FORMAL, points=[development(SECRET, "TS 2")])
    response = client_for(request.getfixturevalue(persona)).get(observation.get_absolute_url())
    assert response.status_code == (200 if persona in READERS_OF_FORMAL else 404)


@pytest.mark.parametrize("persona", PERSONAS)
def test_observation_list_search_and_csv_show_only_readable(
    request, client_for, colleague, hod, teacher, persona
):
    observe(colleague, teacher, group_name="dev-group")
    observe(hod, teacher, kind=FORMAL, group_name="formal-group")
    client = client_for(request.getfixturevalue(persona))
    seen = set()
    for view in ("of-me", "by-me", "formal"):
        response = client.get(reverse("observations:observation-list"), {"view": view, "q": "Teacher"})
        seen |= {o.group_name for o in response.context["observations"]}
        csv = client.get(
            reverse("observations:observation-list"), {"view": view, "q": "Teacher", "format": "csv"}
        )
        seen |= {group for group in ("dev-group", "formal-group") if group in csv.content.decode()}
    expected = {
        "teacher": {"dev-group", "formal-group"},
        "colleague": {"dev-group"},
        "hod": {"formal-group"},
        "line_manager": {"formal-group"},
        "programme_lead": {"formal-group"},
    }
    assert seen == expected.get(persona, set())


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("hod", 200),
        ("tutor", 200),
        ("programme_lead", 200),
        ("teacher", 404),
        ("other_tutor", 404),
        ("line_manager", 404),
        ("admin", 404),
        ("outsider", 404),
    ],
)
def test_department_needs_page_access(request, client_for, department, hod, tutor, persona, status):
    response = client_for(request.getfixturevalue(persona)).get(
        reverse("observations:department-needs", args=[department.pk])
    )
    assert response.status_code == status


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("hod", 200),
        ("programme_lead", 200),
        ("teacher", 404),
        ("tutor", 404),
        ("line_manager", 404),
        ("dsl", 404),
        ("admin", 404),
    ],
)
def test_outcomes_page_access(request, client_for, year, persona, status):
    response = client_for(request.getfixturevalue(persona)).get(reverse("observations:outcomes"))
    assert response.status_code == status


# The teacher's development, and the department's needs without names


def test_my_development_points_by_standard_and_worked_on_since(client_for, colleague, hod, teacher):
    observe(colleague, teacher, observed_on=EARLIER, points=[development("Use the SEND register", "TS 5d")])
    observe(
        hod,
        teacher,
        kind=FORMAL,
        observed_on=LATER,
        points=[strength("Adapted the task for two pupils", "TS 5"), strength("Calm start", "TS 7")],
    )
    response = client_for(teacher).get(reverse("observations:my-development"))
    rows = response.context["rows"]
    assert [
        (row["standard"].label, [text for _, text in row["development"]], [text for _, text in row["since"]])
        for row in rows
    ] == [("TS 5", ["Use the SEND register"], ["Adapted the task for two pupils"])]
    body = response.content.decode()
    assert "What you have worked on since" in body
    assert "Calm start" not in body


def test_my_development_no_since_without_later_strength(client_for, colleague, teacher):
    observe(colleague, teacher, observed_on=EARLIER, points=[strength("Calm start", "TS 5")])
    observe(colleague, teacher, observed_on=LATER, points=[development("Use the SEND register", "TS 5d")])
    response = client_for(teacher).get(reverse("observations:my-development"))
    assert [(row["standard"].label, row["since"]) for row in response.context["rows"]] == [("TS 5", [])]
    assert "What you have worked on since" not in response.content.decode()


def test_my_development_drafts_not_shown(client_for, colleague, teacher):
    observe(colleague, teacher, shared=False, points=[development("Draft point", "TS 5d")])
    response = client_for(teacher).get(reverse("observations:my-development"))
    assert (response.context["rows"], response.context["timeline"]) == ([], [])


def test_department_needs_page_shows_themes_without_names(client_for, college, department, year, hod, tutor):
    autumn = year.terms.get(number=1)
    people = [
        StaffMemberFactory(institution=college, department=department, surname=f"Named{n}") for n in range(6)
    ]
    for person in people:
        observe(
            tutor,
            person,
            observed_on=autumn.starts_on,
            points=[development(f"{SECRET} {person.surname}", "ETF 9")],
        )
    response = client_for(hod).get(
        reverse("observations:department-needs", args=[department.pk]), {"term": autumn.pk}
    )
    body = response.content.decode()
    assert [(row["standard"].label, str(row["development"])) for row in response.context["themes"]] == [
        ("ETF 9", "6")
    ]
    assert "6 staff observed" in body
    assert [text for text in (SECRET, "Named0", "Named5", tutor.full_name) if text in body] == []


# Query counts stay the same as data grows


@pytest.mark.parametrize("n", [1, 3])
def test_observation_list_query_count_is_constant(
    client_for, django_assert_num_queries, college, department, tutor, n
):
    for _ in range(n):
        observe(tutor, StaffMemberFactory(institution=college, department=department))
    client = client_for(tutor)
    # session, user, observations with observer, observee and department, may see outcomes (roles),
    # actor (staff, roles, caseload, reports) for the menu
    with django_assert_num_queries(8):
        client.get(reverse("observations:observation-list"), {"view": "by-me"})


@pytest.mark.parametrize("n", [1, 3])
def test_observation_detail_query_count_is_constant(client_for, django_assert_num_queries, tutor, teacher, n):
    observation = observe(
        tutor,
        teacher,
        focus=["TS 4", "ETF 9"],
        points=[development(f"Point {i}", "TS 5d", "ETF 9") for i in range(n)] + [strength("Start", "TS 7")],
    )
    client = client_for(tutor)
    # session, user, observation with observer, observee and department, the reader's staff name and the
    # access log insert, focus standards and their frameworks, points, their standards and frameworks,
    # grading policy, open support cases held, actor (staff, roles, caseload, reports)
    with django_assert_num_queries(16):
        client.get(observation.get_absolute_url())


@pytest.mark.parametrize("n", [1, 3])
def test_department_needs_query_count_is_constant(
    client_for, django_assert_num_queries, college, department, year, hod, tutor, n
):
    autumn = year.terms.get(number=1)
    for i in range(n):
        observe(
            tutor,
            StaffMemberFactory(institution=college, department=department),
            observed_on=autumn.starts_on,
            points=[development("d", ["TS 5d", "ETF 9", "ETF 3"][i]), strength("s", "TS 7")],
        )
    client = client_for(hod)
    # session, user, department (through the needs scope), actor (staff, roles, caseload, reports) for the
    # menu, current year, terms, points by kind, observee and standard, those standards with frameworks,
    # development requests, staff observed
    with django_assert_num_queries(13):
        client.get(reverse("observations:department-needs", args=[department.pk]), {"term": autumn.pk})


@pytest.mark.parametrize("n", [1, 3])
def test_outcomes_query_count_is_constant(
    client_for, django_assert_num_queries, college, department, other_department, year, programme_lead, n
):
    for i in range(n):
        person = StaffMemberFactory(institution=college, department=[department, other_department][i % 2])
        observe(programme_lead, person, kind=FORMAL, outcome="effective", observed_on=autumn_start())
    client = client_for(programme_lead)
    # session, user, institution led, actor (staff, roles, caseload, reports) for the menu, years, grading
    # policy, terms, graded formal observations with their departments
    with django_assert_num_queries(11):
        client.get(reverse("observations:outcomes"))


# What staff asked for, beside the needs: anonymous words only once enough people asked (issue 22, item 5)


@pytest.mark.parametrize(("people", "words_shown"), [(4, False), (5, True)])
def test_department_needs_page_anonymous_requests_at_four_and_five(
    client_for, college, department, year, hod, tutor, people, words_shown
):
    from protutor.cpd import services as cpd

    autumn = year.terms.get(number=1)
    askers = [StaffMemberFactory(institution=college, department=department) for _ in range(people)]
    for n, person in enumerate(askers):
        cpd.request_development(actor=person.user, topic=f"Marking load {n}", anonymous=True)
    # Asked this term, whatever day the test runs.
    from protutor.cpd.models import DevelopmentRequest

    DevelopmentRequest.objects.update(
        created_at=timezone.make_aware(dt.datetime.combine(autumn.starts_on, dt.time(9)))
    )
    for viewer in (hod, tutor):
        body = (
            client_for(viewer)
            .get(reverse("observations:department-needs", args=[department.pk]), {"term": autumn.pk})
            .content.decode()
        )
        assert ("Marking load 0" in body) == words_shown
        assert ("Fewer than 5 people asked without their name" in body) == (not words_shown)
        if words_shown:
            assert "Asked without their name (5 people)" in body


def test_outcomes_for_head_uses_the_institution_of_the_department_they_head(client_for, college, year, hod):
    """The head's own staff record could be elsewhere in a trust: the page follows the role."""
    from tests.factories.people import InstitutionFactory

    hod.institution = InstitutionFactory(name="Another school of the trust")
    hod.department = None
    hod.save()
    response = client_for(hod).get(reverse("observations:outcomes"))
    assert response.status_code == 200
    assert [y.institution_id for y in response.context["years"]] == [college.pk]
