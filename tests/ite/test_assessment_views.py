"""The page of one intern at one reference point, causes for concern and the intern page's assessment
section, as each role uses them."""

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from protutor.audit.models import AccessRecord
from protutor.ite import services_assessment as assessment
from protutor.ite import views_assessment
from protutor.ite.models import CauseForConcern, Judgement, ReferencePointReview
from protutor.observations.models import Observation, Standard
from tests.factories.ite import ReferencePointFactory
from tests.factories.observations import observe
from tests.factories.people import StaffMemberFactory

pytestmark = pytest.mark.django_db

READERS = ["intern", "mentor", "ite_tutor", "programme_lead"]
NOT_READERS = ["other_mentor", "hod", "colleague", "admin", "induction_tutor"]


def ts(number: str) -> Standard:
    return Standard.objects.get(framework__code="TS", number=number)


def record_url(intern_record, point):
    return reverse("ite:reference-point-record", args=[intern_record.pk, point.pk])


def judge(actor, intern_record, point, grade="meeting", skip=(), **extra):
    standards = assessment.standards_to_judge(intern_record.programme.provider.institution_id)
    if grade == "not_yet":
        extra.setdefault("evidence", "Not yet secure in the lessons seen")  # it needs evidence
    return assessment.record_judgements(
        actor=actor.user,
        intern=intern_record,
        reference_point=point,
        entries={s.pk: assessment.Entry(grade=grade, **extra) for s in standards if s.number not in skip},
    )


def raise_concern(actor, intern_record, **overrides):
    fields = {
        "category": "progress",
        "concern": "Routines not yet established",
        "standards": [ts("7")],
        "targets": "TS 7: routines in every lesson",
        "support": "Weekly modelling by the mentor",
        "review_on": timezone.localdate() + dt.timedelta(days=14),
        **overrides,
    }
    return assessment.raise_concern(actor=actor.user, intern=intern_record, **fields)


# The reference point page


@pytest.mark.parametrize("persona", READERS)
def test_record_page_for_each_reader(request, client_for, persona, mentor, intern_record, reference_point):
    judge(mentor, intern_record, reference_point, skip=("2",), evidence="Evidence seen in 9X2")
    response = client_for(request.getfixturevalue(persona)).get(record_url(intern_record, reference_point))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Evidence seen in 9X2" in body
    assert (response.context["judged"], response.context["total"]) == (10, 11)


@pytest.mark.parametrize("persona", NOT_READERS)
def test_record_page_404_for_others(request, client_for, persona, intern_record, reference_point):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(record_url(intern_record, reference_point)).status_code == 404
    assert client.post(record_url(intern_record, reference_point), {"action": "judge"}).status_code == 404


def test_record_page_404_for_a_point_of_another_programme(client_for, mentor, intern_record, standards):
    other = ReferencePointFactory()
    assert client_for(mentor).get(record_url(intern_record, other)).status_code == 404


@pytest.mark.parametrize(
    "persona, shown",
    [
        ("mentor", (True, False, False)),
        ("intern", (False, True, False)),
        ("ite_tutor", (True, False, True)),
        ("programme_lead", (False, False, False)),
    ],
)
def test_record_page_offers_each_role_its_forms(
    request, client_for, persona, shown, intern_record, reference_point
):
    context = (
        client_for(request.getfixturevalue(persona)).get(record_url(intern_record, reference_point)).context
    )
    assert (
        tuple(context[name] is not None for name in ("judge_form", "reflect_form", "moderate_form")) == shown
    )


def test_record_page_shows_descriptors(client_for, mentor, intern_record, reference_point):
    reference_point.descriptors.create(standard=ts("5"), text="Adapts tasks with support")
    rows = client_for(mentor).get(record_url(intern_record, reference_point)).context["rows"]
    assert [(r["standard"].label, r["descriptor"].text if r["descriptor"] else None) for r in rows][3:6] == [
        ("TS 4", None),
        ("TS 5", "Adapts tasks with support"),
        ("TS 6", None),
    ]


def _judge_post(**grades):
    data = {"action": "judge"}
    for number, grade in grades.items():
        data[f"grade_{ts(number).pk}"] = grade
    return data


def test_mentor_saves_judgements_with_an_observation(client_for, mentor, intern_record, reference_point):
    lesson = observe(mentor, intern_record.staff, kind=Observation.Kind.TRAINING, group_name="9X2")
    client = client_for(mentor)
    data = _judge_post(**{"1": "meeting", "3": "not_yet"})
    data[f"evidence_{ts('3').pk}"] = "Subject knowledge gaps in algebra"
    data[f"observations_{ts('3').pk}"] = [str(lesson.pk)]
    response = client.post(record_url(intern_record, reference_point), data)
    assert response.status_code == 302
    assert response["Location"] == record_url(intern_record, reference_point)
    judgements = {j.standard.label: j for j in Judgement.objects.all()}
    assert {k: j.grade for k, j in judgements.items()} == {"TS 1": "meeting", "TS 3": "not_yet"}
    assert list(judgements["TS 3"].observations.all()) == [lesson]
    page = client.get(record_url(intern_record, reference_point))
    assert "Judgements saved" in page.content.decode()
    assert f"observations_{ts('3').pk}" in page.context["judge_form"].fields


def test_a_bad_grade_re_renders_with_the_error_and_writes_nothing(
    client_for, mentor, intern_record, reference_point
):
    response = client_for(mentor).post(
        record_url(intern_record, reference_point), _judge_post(**{"1": "meeting", "3": "superb"})
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Assessment Reference Point 1: Ines Intern" in body
    assert f'href="#id_grade_{ts("3").pk}_0">Select a judgement for TS 3</a>' in body
    assert Judgement.objects.count() == 0


def test_evidence_without_a_grade_is_refused_on_the_page(client_for, mentor, intern_record, reference_point):
    data = _judge_post(**{"1": "meeting"})
    data[f"evidence_{ts('6').pk}"] = "Marks books"
    response = client_for(mentor).post(record_url(intern_record, reference_point), data)
    assert "Select a judgement for TS 6" in response.content.decode()
    assert Judgement.objects.count() == 0


def test_an_empty_judgement_form_is_refused(client_for, mentor, intern_record, reference_point):
    response = client_for(mentor).post(record_url(intern_record, reference_point), {"action": "judge"})
    assert "Select a judgement for at least one standard" in response.content.decode()


def test_judgement_history_is_shown(client_for, mentor, ite_tutor, intern_record, reference_point):
    judge(mentor, intern_record, reference_point, grade="not_yet", skip=("2", "3", "4", "5", "6", "7", "8"))
    judge(
        ite_tutor, intern_record, reference_point, grade="meeting", skip=("2", "3", "4", "5", "6", "7", "8")
    )
    response = client_for(mentor).get(record_url(intern_record, reference_point))
    history = response.context["rows"][0]["history"]
    assert [(h["verb"], h["by"], h["grade"]) for h in history] == [
        ("Recorded", "Mina Mentor", "Not yet meeting"),
        ("Changed", "Ivy Itetutor", "Meeting"),
    ]
    today = timezone.localdate()
    assert f"Changed on {today.day} {today:%B %Y} at" in response.content.decode()
    assert "by Ivy Itetutor: Meeting" in response.content.decode()


def test_intern_reflects_on_the_page(client_for, intern, intern_record, reference_point):
    client = client_for(intern)
    response = client.post(
        record_url(intern_record, reference_point), {"action": "reflect", "reflection": "Mine"}
    )
    assert response.status_code == 302
    assert ReferencePointReview.objects.get().reflection == "Mine"
    response = client.post(
        record_url(intern_record, reference_point), {"action": "reflect", "reflection": ""}
    )
    assert "Enter your reflection" in response.content.decode()
    assert "<title>Error: " in response.content.decode()


@pytest.mark.parametrize(
    "persona, action",
    [
        ("intern", "judge"),
        ("mentor", "reflect"),
        ("mentor", "moderate"),
        ("programme_lead", "judge"),
        ("ite_tutor", "x"),
    ],
)
def test_actions_not_yours_are_404(request, client_for, persona, action, intern_record, reference_point):
    response = client_for(request.getfixturevalue(persona)).post(
        record_url(intern_record, reference_point),
        {"action": action, "reflection": "x", "moderation": "agreed"},
    )
    assert response.status_code == 404
    assert (Judgement.objects.count(), ReferencePointReview.objects.count()) == (0, 0)


def test_moderation_on_the_page_names_the_missing_standards(
    client_for, mentor, ite_tutor, intern_record, reference_point
):
    judge(mentor, intern_record, reference_point, skip=("4", "7"))
    client = client_for(ite_tutor)
    response = client.post(
        record_url(intern_record, reference_point), {"action": "moderate", "moderation": "agreed"}
    )
    assert "Judge every standard before moderation: TS 4 and TS 7 are missing" in response.content.decode()
    judge(mentor, intern_record, reference_point)
    response = client.post(
        record_url(intern_record, reference_point), {"action": "moderate", "moderation": "agreed"}
    )
    assert response.status_code == 302
    page = client_for(mentor).get(record_url(intern_record, reference_point))
    assert (page.context["agreed"], page.context["judge_form"], page.context["moderation_label"]) == (
        True,
        None,
        "Agreed",
    )


def test_reading_the_record_is_logged_for_others_than_the_intern(
    client_for, mentor, intern, intern_record, reference_point
):
    client_for(intern).get(record_url(intern_record, reference_point))
    client_for(mentor).get(record_url(intern_record, reference_point))
    assert list(AccessRecord.objects.values_list("reader__username", "subject_id", "record_id")) == [
        ("mentor", intern_record.staff_id, str(reference_point.pk))
    ]


@pytest.mark.parametrize("n", [1, 3])
def test_record_page_query_count_is_constant(
    client_for, django_assert_num_queries, mentor, intern_record, reference_point, n
):
    lessons = [
        observe(mentor, intern_record.staff, kind=Observation.Kind.TRAINING, group_name=f"9X{i}")
        for i in range(n)
    ]
    judge(mentor, intern_record, reference_point, skip=("1", "2", "3", "4", "5", "6", "7", "8")[: 8 - n])
    for judgement in Judgement.objects.all():
        judgement.observations.set(lessons)
    judge(
        mentor,
        intern_record,
        reference_point,
        grade="not_yet",
        skip=("1", "2", "3", "4", "5", "6", "7", "8")[: 8 - n],
    )
    client = client_for(mentor)
    client.get(record_url(intern_record, reference_point))
    # session, user, intern, point, ITE tutor? (for moderation), review, the institution's frameworks,
    # standards, judgements, their observations, observations to link, reader's name and the access log,
    # descriptors, history, and the menu's actor (staff, roles, caseload, reports)
    with django_assert_num_queries(19):
        client.get(record_url(intern_record, reference_point))


# Causes for concern


def test_mentor_raises_a_concern_on_the_page(client_for, mentor, colleague, intern_record, standards):
    client = client_for(mentor)
    assert client.get(reverse("ite:concern-create", args=[intern_record.pk])).status_code == 200
    review_on = timezone.localdate() + dt.timedelta(days=14)
    response = client.post(
        reverse("ite:concern-create", args=[intern_record.pk]),
        {
            "category": "professionalism",
            "concern": "Late to three lessons",
            "standards": [ts("8").pk, ts("P2.2").pk],
            "targets": "P2.2: on time to every lesson",
            "support": "Mentor checks in each morning",
            "review_on": review_on.isoformat(),
            "neutral_observer_requested": "on",
            "supporters": [colleague.pk],
        },
    )
    concern = CauseForConcern.objects.get()
    assert response["Location"] == concern.get_absolute_url()
    assert (concern.category, concern.review_on, concern.neutral_observer_requested) == (
        "professionalism",
        review_on,
        True,
    )
    assert sorted(s.label for s in concern.standards.all()) == ["TS 8", "TS P2.2"]
    assert list(concern.supporters.all()) == [colleague]


def test_concern_form_names_every_missing_field(client_for, mentor, intern_record, standards):
    response = client_for(mentor).post(reverse("ite:concern-create", args=[intern_record.pk]), {})
    body = response.content.decode()
    assert "<title>Error: Raise a cause for concern" in body
    for message in (
        "Select the category of concern",
        "Enter the concern",
        "Select at least one standard",
        "Enter the targets",
        "Enter the support and who gives it",
        "Enter the review date",
    ):
        assert message in body
    assert CauseForConcern.objects.count() == 0


def test_concern_review_date_out_of_range_on_the_page(client_for, mentor, intern_record, standards):
    response = client_for(mentor).post(
        reverse("ite:concern-create", args=[intern_record.pk]),
        {
            "category": "progress",
            "concern": "x",
            "standards": [ts("1").pk],
            "targets": "t",
            "support": "s",
            "review_on": (timezone.localdate() + dt.timedelta(days=2)).isoformat(),
        },
    )
    assert "The review date must be between 1 and 8 weeks from today" in response.content.decode()
    assert CauseForConcern.objects.count() == 0


@pytest.mark.parametrize("persona", ["intern", "programme_lead", "other_mentor", "hod", "admin"])
def test_concern_create_404_for_those_who_may_not_raise(
    request, client_for, persona, intern_record, standards
):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("ite:concern-create", args=[intern_record.pk])).status_code == 404


@pytest.mark.parametrize("persona", READERS)
def test_concern_detail_for_each_reader(request, client_for, persona, mentor, intern_record, standards):
    concern = raise_concern(mentor, intern_record)
    response = client_for(request.getfixturevalue(persona)).get(concern.get_absolute_url())
    assert response.status_code == 200
    assert "Routines not yet established" in response.content.decode()
    assert (response.context["outcome_form"] is not None) == (persona == "ite_tutor")


@pytest.mark.parametrize("persona", NOT_READERS)
def test_concern_detail_404_for_others(request, client_for, persona, mentor, intern_record, standards):
    concern = raise_concern(mentor, intern_record)
    client = client_for(request.getfixturevalue(persona))
    assert client.get(concern.get_absolute_url()).status_code == 404
    assert client.post(reverse("ite:concern-outcome", args=[concern.pk]), {}).status_code == 404
    assert client.post(reverse("ite:concern-update", args=[concern.pk]), {}).status_code == 404


def test_concern_detail_logs_readers_other_than_the_intern(
    client_for, mentor, intern, intern_record, standards
):
    concern = raise_concern(mentor, intern_record)
    client_for(intern).get(concern.get_absolute_url())
    client_for(mentor).get(concern.get_absolute_url())
    assert list(AccessRecord.objects.values_list("reader__username", "record_id")) == [
        ("mentor", str(concern.pk))
    ]


@pytest.mark.parametrize("persona", ["mentor", "intern", "programme_lead"])
def test_outcome_and_update_404_for_readers_who_are_not_the_ite_tutor(
    request, client_for, persona, mentor, intern_record, standards
):
    concern = raise_concern(mentor, intern_record)
    client = client_for(request.getfixturevalue(persona))
    data = {"outcome": "resolved", "outcome_on": timezone.localdate().isoformat(), "note": "Done"}
    assert client.post(reverse("ite:concern-outcome", args=[concern.pk]), data).status_code == 404
    assert client.post(reverse("ite:concern-update", args=[concern.pk]), {}).status_code == 404
    concern.refresh_from_db()
    assert concern.status == "open"


def test_ite_tutor_extends_then_resolves(client_for, mentor, ite_tutor, intern_record, standards):
    concern = raise_concern(mentor, intern_record)
    client = client_for(ite_tutor)
    today = timezone.localdate()
    url = reverse("ite:concern-outcome", args=[concern.pk])
    response = client.post(url, {"outcome": "extended", "outcome_on": today.isoformat(), "note": "More time"})
    assert "Enter the new review date" in response.content.decode()
    assert "<title>Error: " in response.content.decode()
    new_review = today + dt.timedelta(days=21)
    response = client.post(
        url,
        {
            "outcome": "extended",
            "outcome_on": today.isoformat(),
            "note": "More time",
            "new_review_on": new_review.isoformat(),
        },
    )
    assert response.status_code == 302
    concern.refresh_from_db()
    assert (concern.status, concern.review_on) == ("extended", new_review)
    response = client.post(url, {"outcome": "resolved", "outcome_on": today.isoformat(), "note": "On track"})
    assert response.status_code == 302
    page = client.get(concern.get_absolute_url())
    assert (page.context["closed"], page.context["outcome_form"]) == (True, None)
    response = client.post(url, {"outcome": "escalated", "outcome_on": today.isoformat(), "note": "Again"})
    assert (
        "This cause for concern is already resolved: its outcome cannot be recorded again"
        in response.content.decode()
    )


def test_ite_tutor_records_the_link_tutor_informed(
    client_for, mentor, ite_tutor, colleague, intern_record, standards
):
    concern = raise_concern(mentor, intern_record)
    today = timezone.localdate()
    response = client_for(ite_tutor).post(
        reverse("ite:concern-update", args=[concern.pk]),
        {"link_tutor_informed_on": today.isoformat(), "supporters": [colleague.pk]},
    )
    assert response.status_code == 302
    concern.refresh_from_db()
    assert (concern.link_tutor_informed_on, list(concern.supporters.all())) == (today, [colleague])
    response = client_for(ite_tutor).post(
        reverse("ite:concern-update", args=[concern.pk]),
        {"link_tutor_informed_on": (today + dt.timedelta(days=2)).isoformat()},
    )
    assert "The date the link tutor was informed must be today or in the past" in response.content.decode()


@pytest.mark.parametrize("n", [1, 3])
def test_concern_detail_query_count_is_constant(
    client_for, django_assert_num_queries, mentor, ite_tutor, intern_record, standards, n
):
    supporters = [StaffMemberFactory(institution=intern_record.staff.institution) for _ in range(n)]
    numbers = ["1", "5", "7"][:n]
    concern = raise_concern(mentor, intern_record, standards=[ts(x) for x in numbers], supporters=supporters)
    client = client_for(ite_tutor)
    client.get(concern.get_absolute_url())
    # session, user, concern, its standards, its supporters, ITE tutor?, reader's name and the access
    # log, history, the menu's actor (staff, roles, caseload, reports), the supporters to choose from
    with django_assert_num_queries(14):
        client.get(concern.get_absolute_url())


# The intern page's section


def _section(user, intern_record):
    request = RequestFactory().get("/")
    request.user = user
    return views_assessment.intern_section(request, intern_record, timezone.localdate())


def test_intern_section_shows_each_point_and_concern(
    mentor, intern, ite_tutor, intern_record, reference_point
):
    later = ReferencePointFactory(programme=intern_record.programme, number=2, name="ARP 2")
    judge(mentor, intern_record, reference_point, skip=("1", "2"))
    assessment.add_reflection(
        actor=intern.user, intern=intern_record, reference_point=reference_point, reflection="R"
    )
    concern = raise_concern(mentor, intern_record)
    section = _section(mentor.user, intern_record)
    assert [
        (r["point"].name, r["judged"], r["total"], r["reflected"], r["moderation_label"], r["current"])
        for r in section["points"]
    ] == [
        ("Assessment Reference Point 1", 9, 11, True, "Not moderated", True),
        ("ARP 2", 0, 11, False, "Not moderated", False),
    ]
    assert section["points"][1]["url"] == record_url(intern_record, later)
    assert (section["concerns"], section["can_raise_concern"]) == ([concern], True)
    assert _section(intern.user, intern_record)["can_raise_concern"] is False
    html = render_to_string("ite/sections/assessment.html", {"section": section, "intern": intern_record})
    assert "Raise a cause for concern" in html
    assert concern.get_absolute_url() in html
    assert "Routines" not in html


def test_intern_page_includes_the_section(client_for, mentor, intern_record, reference_point):
    body = client_for(mentor).get(intern_record.get_absolute_url()).content.decode()
    assert record_url(intern_record, reference_point) in body
    assert reverse("ite:concern-create", args=[intern_record.pk]) in body


@pytest.mark.parametrize("n", [1, 3])
def test_intern_section_query_count_is_constant(
    django_assert_num_queries, mentor, intern_record, standards, n
):
    for number in range(1, n + 1):
        point = ReferencePointFactory(programme=intern_record.programme, number=number)
        judge(mentor, intern_record, point, skip=("1",))
        raise_concern(mentor, intern_record)
    user = mentor.user
    # reference points, the institution's frameworks, standards counted, judgements counted, reviews,
    # concerns (the mentor needs no ITE tutor check)
    with django_assert_num_queries(6):
        section = _section(user, intern_record)
        render_to_string("ite/sections/assessment.html", {"section": section, "intern": intern_record})
    assert len(section["points"]) == n


def test_not_yet_meeting_without_evidence_is_refused_on_the_evidence_field(
    client_for, mentor, intern_record, reference_point
):
    response = client_for(mentor).post(
        record_url(intern_record, reference_point), _judge_post(**{"1": "meeting", "3": "not_yet"})
    )
    assert response.status_code == 200
    assert response.context["judge_form"].errors == {
        f"evidence_{ts('3').pk}": [
            "Enter the evidence for TS 3: a judgement of Not yet meeting needs the evidence it rests on"
        ]
    }
    assert Judgement.objects.count() == 0
