"""The termly coaching survey: anonymous, once a term, for people in a pair; aggregates suppressed."""

import pytest
from django.db import connection
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from protutor.coaching import services
from protutor.coaching.insights import survey_summary
from protutor.coaching.models import SurveyReceipt, SurveyResponse
from protutor.core.errors import ServiceError
from protutor.people.models import Role, RoleAssignment

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(tutor, colleague, teacher, college, year):
    RoleAssignment.objects.create(staff=tutor, role=Role.COACHING_COORDINATOR, institution=college)
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
    return coach


def autumn(year):
    return year.terms.get(number=1)


def test_answer_survey_keeps_answer_apart_from_the_person(pair, teacher, year):
    services.answer_survey(actor=teacher.user, term=autumn(year), rating=4, thought="Useful")
    response = SurveyResponse.objects.get()
    assert (response.side, response.rating, response.thought) == ("coachee", 4, "Useful")
    columns = {
        c.name
        for c in connection.introspection.get_table_description(
            connection.cursor(), "coaching_surveyresponse"
        )
    }
    assert not any("staff" in c or "user" in c for c in columns)
    assert SurveyReceipt.objects.filter(staff=teacher).count() == 1


def test_answer_survey_once_a_term(pair, teacher, year):
    services.answer_survey(actor=teacher.user, term=autumn(year), rating=4)
    with pytest.raises(ServiceError, match="already answered"):
        services.answer_survey(actor=teacher.user, term=autumn(year), rating=5)
    assert SurveyResponse.objects.count() == 1


def test_answer_survey_refused_outside_a_pair(pair, hod, year):
    with pytest.raises(ServiceError, match="Only coaches and coachees"):
        services.answer_survey(actor=hod.user, term=autumn(year), rating=3)
    assert SurveyResponse.objects.count() == 0


def test_survey_page_404_outside_a_pair(pair, client_for, hod):
    assert client_for(hod).get(reverse("coaching:survey")).status_code == 404


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ratings=st.lists(st.integers(min_value=1, max_value=5), max_size=12))
def test_survey_summary_never_shows_1_to_4(pair, college, year, ratings):
    SurveyResponse.objects.all().delete()
    SurveyResponse.objects.bulk_create(
        [
            SurveyResponse(institution=college, term=autumn(year), side="coach", rating=r, thought="t")
            for r in ratings
        ]
    )
    summary = survey_summary(college.pk, autumn(year))
    shown = [summary["responses"], *(f for _, f in summary["ratings"]), *(f for _, f in summary["sides"])]
    assert all(f.value is None or f.value == 0 or f.value >= 5 for f in shown)
    if len(ratings) < 5:
        assert (summary["average"], summary["thought"]) == (None, [])
    else:
        assert summary["average"] == round(sum(ratings) / len(ratings), 1)
        assert summary["thought"] == ["t"] * len(ratings)
