"""A referral suggested by a line manager, as the line manager sees it through its life (DESIGN.md
section 2: that it was received, accepted or closed, never its content), and the teacher told so."""

import pytest
from django.urls import reverse

from protutor.support import services
from protutor.support.models import SupportCase
from tests.factories.support import accept, encourage

pytestmark = pytest.mark.django_db

REASON = "REASON-ONLY-FOR-TESS"


def seen_by_line_manager(client_for, line_manager, referral) -> tuple[list[str], str]:
    """The status on the line manager's support page, and on the referral's own page."""
    client = client_for(line_manager)
    index = client.get(reverse("support:index"))
    listed = [r.status_for_referrer for r in index.context["referrals_made"]]
    detail = client.get(referral.get_absolute_url())
    body = detail.content.decode()
    assert REASON not in index.content.decode() + body
    assert detail.context["readable"] is False
    return listed, body


@pytest.fixture
def referral(line_manager, teacher):
    return encourage(line_manager, teacher, reason=REASON)


def test_line_manager_sees_waiting_while_the_teacher_decides(client_for, line_manager, referral):
    listed, body = seen_by_line_manager(client_for, line_manager, referral)
    assert listed == ["Waiting for the teacher"]
    assert "Waiting for the teacher" in body and "They have been told and have not decided yet." in body
    assert "Received" not in body


def test_line_manager_sees_accepted_once_the_teacher_agrees(client_for, line_manager, teacher, referral):
    response = client_for(teacher).post(referral.get_absolute_url(), {"answer": "accept"})
    assert response.status_code == 302
    listed, body = seen_by_line_manager(client_for, line_manager, referral)
    assert listed == ["Accepted"]
    assert "They chose to take up support." in body


def test_line_manager_still_sees_accepted_when_a_tutor_takes_it_on(
    client_for, line_manager, teacher, tutor, referral
):
    services.respond_to_referral(actor=teacher.user, referral=referral, accept=True)
    accept(referral, tutor)
    listed, body = seen_by_line_manager(client_for, line_manager, referral)
    assert listed == ["Accepted"]
    assert tutor.full_name not in body  # who took it on is not theirs to know


def test_line_manager_sees_declined(client_for, line_manager, teacher, referral):
    client_for(teacher).post(referral.get_absolute_url(), {"answer": "decline"})
    listed, body = seen_by_line_manager(client_for, line_manager, referral)
    assert listed == ["Declined"]
    assert "They chose not to take it up." in body


def test_line_manager_sees_closed_when_the_support_ends(client_for, line_manager, teacher, tutor, referral):
    services.respond_to_referral(actor=teacher.user, referral=referral, accept=True)
    case = accept(referral, tutor)
    services.close_case(actor=tutor.user, case=case, outcome=SupportCase.Outcome.GOALS_MET)
    listed, body = seen_by_line_manager(client_for, line_manager, referral)
    assert listed == ["Closed"]
    assert "Goals met" not in body


def test_teacher_is_told_her_line_manager_sees_whether_she_takes_it_up(client_for, teacher, referral):
    client = client_for(teacher)
    page = client.get(referral.get_absolute_url())
    body = page.content.decode()
    assert 'id="line-manager-notice"' in body
    assert "Your line manager will see whether you take this up" in body
    assert page.context["line_manager_sees"] == "Waiting for the teacher"
    client.post(referral.get_absolute_url(), {"answer": "accept"})
    page = client.get(referral.get_absolute_url())
    assert page.context["line_manager_sees"] == "Accepted"
    assert "respond_form" not in page.context  # decided: no notice, no form


def test_line_manager_is_told_what_she_will_see_when_suggesting(client_for, line_manager, teacher):
    body = client_for(line_manager).get(reverse("support:encourage")).content.decode()
    assert "You will see whether they take it up" in body
