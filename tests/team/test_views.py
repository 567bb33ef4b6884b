"""The time-against-remission pages: the programme lead sees every tutor, a tutor only themself, anyone
else a 404; and the list costs the same number of queries however many tutors there are."""

import pytest
from django.urls import reverse
from django.utils import timezone

from protutor.people.models import Caseload, Role
from tests.factories.observations import observe
from tests.factories.people import (
    AcademicYearFactory,
    CaseloadFactory,
    DepartmentFactory,
    RoleAssignmentFactory,
    StaffMemberFactory,
)
from tests.factories.plans import log_support, open_plan_for

pytestmark = pytest.mark.django_db

REMISSION = reverse("team:remission")


def tutors_listed(response) -> list[str]:
    return [balance["caseload"].tutor.full_name for balance in response.context["balances"]]


def detail_url(tutor, year) -> str:
    return reverse("team:remission-detail", args=[Caseload.objects.get(tutor=tutor, academic_year=year).pk])


# team:remission


def test_remission_lists_every_tutor_for_programme_lead(client_for, programme_lead, tutor, other_tutor):
    response = client_for(programme_lead).get(REMISSION)
    body = response.content.decode()
    assert (response.status_code, tutors_listed(response), response.context["is_lead"]) == (
        200,
        ["Otto Othertutor", "Tamsin Tutor"],
        True,
    )
    assert [name for name in ("Otto Othertutor", "Tamsin Tutor") if name not in body] == []


@pytest.mark.parametrize(("viewer", "own"), [("tutor", "Tamsin Tutor"), ("other_tutor", "Otto Othertutor")])
def test_remission_lists_only_own_for_tutor(request, client_for, tutor, other_tutor, viewer, own):
    response = client_for(request.getfixturevalue(viewer)).get(REMISSION)
    body = response.content.decode()
    other = ({"Tamsin Tutor", "Otto Othertutor"} - {own}).pop()
    assert (response.status_code, tutors_listed(response), response.context["is_lead"], other in body) == (
        200,
        [own],
        False,
        False,
    )


def test_remission_programme_lead_of_another_school_sees_none_of_ours(
    client_for, college, tutor, other_tutor
):
    """Another school has its own programme lead and tutor: the lists do not mix."""
    far = StaffMemberFactory(forename="Farah", surname="Faraway", department=None)
    far_lead = StaffMemberFactory(institution=far.institution, department=None)
    RoleAssignmentFactory(staff=far_lead, role=Role.PROGRAMME_LEAD)
    CaseloadFactory(tutor=far, academic_year=AcademicYearFactory(institution=far.institution))
    response = client_for(far_lead).get(REMISSION)
    assert (response.status_code, tutors_listed(response)) == (200, ["Farah Faraway"])


@pytest.mark.parametrize(
    "viewer", ["teacher", "colleague", "line_manager", "hod", "dsl", "admin", "outsider"]
)
def test_remission_404_for_anyone_without_a_caseload_to_see(request, client_for, tutor, other_tutor, viewer):
    assert client_for(request.getfixturevalue(viewer)).get(REMISSION).status_code == 404


def test_remission_anonymous_sent_to_sign_in(client, tutor):
    response = client.get(REMISSION)
    assert (response.status_code, response.url.split("?")[0]) == (302, reverse("account_login"))


def test_remission_shows_minutes_used_against_allowance(client_for, teacher, line_manager, tutor, year):
    log_support(open_plan_for(teacher, line_manager, tutor), tutor, minutes=50)
    response = client_for(tutor).get(REMISSION)
    current = response.context["balances"][0]["current"]
    assert (current.used, current.minutes["plans"]) == (50, 50)
    assert f"{current.used} of {current.allowance_minutes}" in response.content.decode()


# team:remission-detail


@pytest.mark.parametrize(
    ("viewer", "whose", "status"),
    [
        ("tutor", "tutor", 200),
        ("tutor", "other_tutor", 404),
        ("other_tutor", "tutor", 404),
        ("programme_lead", "tutor", 200),
        ("programme_lead", "other_tutor", 200),
        ("teacher", "tutor", 404),
        ("line_manager", "tutor", 404),
        ("hod", "tutor", 404),
        ("admin", "tutor", 404),
        ("outsider", "tutor", 404),
    ],
)
def test_remission_detail_own_or_programme_lead_else_404(
    request, client_for, year, tutor, other_tutor, viewer, whose, status
):
    url = detail_url(request.getfixturevalue(whose), year)
    assert client_for(request.getfixturevalue(viewer)).get(url).status_code == status


def test_remission_detail_shows_terms_and_year(client_for, tutor, year):
    response = client_for(tutor).get(detail_url(tutor, year))
    balance = response.context["balance"]
    assert ([p.label for p in balance["terms"]], balance["year"].allowance_minutes) == (
        ["Autumn", "Spring", "Summer"],
        9000,
    )
    assert "9000 minutes" in response.content.decode()


# Query counts stay the same as tutors are added


@pytest.mark.parametrize("n", [1, 3])
def test_remission_query_count_same_for_one_and_three_tutors(
    client_for, django_assert_num_queries, college, year, department, teacher, tutor, programme_lead, n
):
    """Each tutor has a department and some work, so every per-source query returns rows."""
    day = timezone.localdate()
    tutors = [tutor]
    for i in range(n - 1):
        extra = StaffMemberFactory(institution=college, department=None, surname=f"Extra{i}")
        CaseloadFactory(tutor=extra, academic_year=year, departments=[DepartmentFactory(institution=college)])
        tutors.append(extra)
    for each in tutors:
        observe(each, teacher, observed_on=day, length_minutes=30)
    client = client_for(programme_lead)
    # session, user, actor (staff, roles, caseload, reports), caseloads exist, caseloads with tutor and
    # year, the year's terms, then one grouped query per source for all tutors at once: support
    # interactions, plan support entries, developmental observations, the caseloads' departments, and
    # delivered CPD sessions in them
    with django_assert_num_queries(14):
        response = client.get(REMISSION)
    assert len(response.context["balances"]) == n
    assert [b["year"].minutes["observations"] for b in response.context["balances"]] == [30] * n
