"""Who sees and plans what in communities of practice (protutor/cpd/permissions.py), persona by persona:
each scope is checked for the whole set it returns, and the edit predicate against the planning scope."""

import pytest
from django.contrib.auth.models import AnonymousUser

from protutor.core import permissions as registry
from protutor.cpd import permissions, services
from protutor.cpd.models import (
    Attendance,
    CalendarToken,
    DevelopmentRequest,
    EvaluationReceipt,
    EvaluationResponse,
    Session,
)
from tests.conftest import PERSONAS
from tests.factories.cpd import deliver, evaluate, plan, started, upcoming
from tests.factories.people import StaffMemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(request, college, year, department, other_department, tutor, other_tutor, teacher):
    """A Mathematics session the teacher attended and evaluated, with the teacher's development request
    and calendar token; an Art and Design session and request. Every persona exists."""
    for persona in PERSONAS:
        request.getfixturevalue(persona)
    artist = StaffMemberFactory(institution=college, department=other_department, user__username="artist")
    maths = deliver(plan(tutor, department, starts_at=started(year), title="Maths"), tutor, [teacher])
    evaluate(maths, teacher, 4, "Cold calling")
    art = plan(other_tutor, other_department, starts_at=upcoming(year), title="Art")
    services.request_development(actor=teacher.user, topic="Maths topic", anonymous=True)
    services.request_development(actor=artist.user, topic="Art topic")
    services.issue_calendar_token(actor=teacher.user)
    return {"maths": maths, "art": art}


SESSION_READERS = {
    "teacher": {"Maths"},
    "colleague": {"Maths"},
    "line_manager": {"Maths"},
    "hod": {"Maths"},
    "tutor": {"Maths"},
    "other_tutor": {"Art"},
    "programme_lead": {"Maths", "Art"},
    "dsl": set(),
    "admin": set(),
    "outsider": set(),
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_sessions_readable_by_persona(request, world, persona):
    user = request.getfixturevalue(persona).user
    assert {s.title for s in permissions.sessions_readable_by(user)} == SESSION_READERS[persona]
    assert {s.title for s in registry.readable_by(Session, user)} == SESSION_READERS[persona]


PLANNED = {"hod": {"Mathematics"}, "tutor": {"Mathematics"}, "other_tutor": {"Art and Design"}}


@pytest.mark.parametrize("persona", PERSONAS)
def test_can_edit_session_matches_departments_planned_by(request, world, persona):
    user = request.getfixturevalue(persona).user
    planned = {d.name for d in permissions.departments_planned_by(user)}
    edits = {
        session.department.name
        for session in Session.objects.select_related("department")
        if permissions.can_edit_session(user, session)
    }
    assert (planned, edits) == (PLANNED.get(persona, set()), PLANNED.get(persona, set()))


ATTENDANCE_READERS = {"teacher", "hod", "tutor", "programme_lead"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_attendance_readable_by_persona(request, world, persona):
    user = request.getfixturevalue(persona).user
    expected = [("Maths", "teacher")] if persona in ATTENDANCE_READERS else []
    assert [
        (a.session.title, a.staff.user.username) for a in permissions.attendance_readable_by(user)
    ] == expected


# The teacher's Maths request is anonymous: its planners count it, but only its author reads it one by one.
REQUEST_READERS = {
    "teacher": {"Maths topic"},
    "other_tutor": {"Art topic"},
}
REQUEST_COUNTERS = {
    "hod": {"Maths topic"},
    "tutor": {"Maths topic"},
    "other_tutor": {"Art topic"},
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_development_requests_readable_by_persona(request, world, persona):
    user = request.getfixturevalue(persona).user
    assert {r.topic for r in permissions.development_requests_readable_by(user)} == REQUEST_READERS.get(
        persona, set()
    )
    assert {r.topic for r in registry.readable_by(DevelopmentRequest, user)} == REQUEST_READERS.get(
        persona, set()
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_development_requests_countable_by_persona(request, world, persona):
    user = request.getfixturevalue(persona).user
    assert {r.topic for r in permissions.development_requests_countable_by(user)} == REQUEST_COUNTERS.get(
        persona, set()
    )


def test_named_request_readable_by_its_planners(world, teacher, hod, tutor, other_tutor):
    services.request_development(actor=teacher.user, topic="Named topic")
    assert [
        sorted(r.topic for r in permissions.development_requests_readable_by(p.user))
        for p in (hod, tutor, other_tutor)
    ] == [["Named topic"], ["Named topic"], ["Art topic"]]


# Evaluation summaries: the department's planners and its own institution's programme lead; not the
# attendees, and not a programme lead of another school of the trust who teaches in this one.
EVALUATION_SUMMARY_READERS = {
    "hod": {"Maths"},
    "tutor": {"Maths"},
    "other_tutor": {"Art"},
    "programme_lead": {"Maths", "Art"},
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_evaluation_summary_readers_by_persona(request, world, persona):
    user = request.getfixturevalue(persona).user
    expected = EVALUATION_SUMMARY_READERS.get(persona, set())
    assert {s.title for s in permissions.sessions_evaluated_for(user)} == expected
    assert {
        s.title for s in Session.objects.all() if permissions.can_read_evaluation_summary(user, s)
    } == expected


def test_evaluation_summary_not_for_lead_of_another_school_who_teaches_here(world, college, department):
    """Leads school A of a trust, teaches Mathematics at this college: reads the session, not its summary."""
    from protutor.people.models import Role
    from tests.factories.people import InstitutionFactory, RoleAssignmentFactory

    trust_lead = StaffMemberFactory(institution=college, department=department)
    RoleAssignmentFactory(
        staff=trust_lead, role=Role.PROGRAMME_LEAD, institution=InstitutionFactory(name="School A")
    )
    maths = world["maths"]
    assert (
        permissions.sessions_readable_by(trust_lead.user).filter(pk=maths.pk).exists(),
        permissions.can_read_evaluation_summary(trust_lead.user, maths),
    ) == (True, False)


COVERAGE = {
    "hod": {"Mathematics"},
    "tutor": {"Mathematics"},
    "other_tutor": {"Art and Design"},
    "programme_lead": {"Mathematics", "Art and Design"},
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_coverage_departments_for_persona(request, world, persona):
    user = request.getfixturevalue(persona).user
    departments = {d.name for d in permissions.coverage_departments_for(user)}
    assert (departments, permissions.can_see_coverage(user)) == (
        COVERAGE.get(persona, set()),
        persona in COVERAGE,
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_evaluations_never_readable_and_receipts_and_tokens_own_only(request, world, persona):
    user = request.getfixturevalue(persona).user
    own = persona == "teacher"
    assert (
        registry.readable_by(EvaluationResponse, user).count(),
        registry.readable_by(EvaluationReceipt, user).count(),
        registry.readable_by(CalendarToken, user).count(),
    ) == (0, 1 if own else 0, 1 if own else 0)


@pytest.mark.parametrize(
    "model", [Session, Attendance, DevelopmentRequest, EvaluationResponse, EvaluationReceipt, CalendarToken]
)
def test_anonymous_user_reads_nothing(world, model):
    assert registry.readable_by(model, AnonymousUser()).count() == 0


def test_anonymous_user_plans_and_covers_nothing(world):
    anonymous = AnonymousUser()
    assert (
        permissions.departments_planned_by(anonymous).count(),
        permissions.coverage_departments_for(anonymous).count(),
        permissions.development_requests_readable_by(anonymous).count(),
        permissions.sessions_readable_by(anonymous).count(),
        permissions.attendance_readable_by(anonymous).count(),
        permissions.development_requests_countable_by(anonymous).count(),
        permissions.sessions_evaluated_for(anonymous).count(),
    ) == (0, 0, 0, 0, 0, 0, 0)
