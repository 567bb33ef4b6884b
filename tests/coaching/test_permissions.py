"""Role x record for the coaching programme (DESIGN.md section 2, the coaching row).

One world is built through the services; each scope is compared with the exact set of people who may
read each record, among every persona, a cover manager, a superuser with no roles and an anonymous
visitor. The tutor coordinates the college's programme; the outsider coordinates their own school's.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from protutor.coaching import permissions, services
from protutor.coaching.models import (
    Agreement,
    AgreementAcceptance,
    Coach,
    CoacheeSignup,
    CoachingSession,
    Cohort,
    CoverRequest,
    JournalEntry,
    MatchingRun,
    Pairing,
    SurveyReceipt,
    SurveyResponse,
)
from protutor.core import permissions as registry
from protutor.people.models import Role, RoleAssignment
from tests.conftest import PERSONAS
from tests.factories.coaching import school_slot
from tests.factories.people import StaffMemberFactory, UserFactory

pytestmark = pytest.mark.django_db

# Beyond the shared personas: the college's cover manager.
PEOPLE = [*PERSONAS, "cover_manager"]
READERS = [*PEOPLE, "superuser", "anonymous"]
COLLEGE_STAFF = set(PEOPLE) - {"outsider"}


class World:
    """The colleague volunteered (capacity 2) and was trained; the teacher signed up, was paired with the
    colleague and the pair was confirmed; the teacher booked a session (cover for both) and answered the
    survey; the teacher and the colleague each wrote a journal entry. Then other_tutor signed up and a new
    run proposed the colleague for them too. The outsider coordinates another school with its own
    agreement."""

    def __init__(self, request):
        self.staff = {name: request.getfixturevalue(name) for name in PERSONAS}
        college = request.getfixturevalue("college")
        year = request.getfixturevalue("year")
        self.staff["cover_manager"] = StaffMemberFactory(
            institution=college,
            department=None,
            forename="Cora",
            surname="Cover",
            user__username="cover_manager",
        )
        self.users = {name: staff.user for name, staff in self.staff.items()}
        self.users["superuser"] = UserFactory(username="superuser", is_staff=True, is_superuser=True)
        self.users["anonymous"] = AnonymousUser()
        s, u = self.staff, self.users
        RoleAssignment.objects.create(staff=s["tutor"], role=Role.COACHING_COORDINATOR, institution=college)
        RoleAssignment.objects.create(staff=s["cover_manager"], role=Role.COVER_MANAGER, institution=college)
        RoleAssignment.objects.create(
            staff=s["outsider"], role=Role.COACHING_COORDINATOR, institution=s["outsider"].institution
        )

        self.agreement = services.publish_agreement(actor=u["tutor"], text="Sessions are confidential.")
        self.far_agreement = services.publish_agreement(actor=u["outsider"], text="Our own agreement.")
        self.acceptances = {
            name: services.accept_agreement(actor=u[name], agreement=self.agreement)
            for name in ("colleague", "teacher", "other_tutor")
        }
        self.coach = services.volunteer(
            actor=u["colleague"], strengths="questioning", free_periods=["1-3"], capacity=2
        )
        for step in services.STEPS:
            services.record_training(actor=u["tutor"], coach=self.coach, step=step, on=year.starts_on)
        self.signup = services.sign_up(
            actor=u["teacher"],
            focus="questioning",
            free_periods=["1-3"],
            outside_department=False,
            is_ect=False,
        )
        self.first_run = services.propose_pairs(actor=u["tutor"], institution_id=college.pk)
        services.confirm_pairs(actor=u["tutor"], institution_id=college.pk)
        self.pairing = Pairing.objects.get(coachee=self.signup)
        self.session = services.book_session(
            actor=u["teacher"],
            pairing=self.pairing,
            starts_at=school_slot(),
            length_minutes=50,
        )
        self.cover = {request.staff.user.username: request for request in self.session.cover_requests.all()}
        self.journal = {
            name: services.write_journal(actor=u[name], text=f"Private thoughts of {name}")
            for name in ("teacher", "colleague")
        }
        services.answer_survey(actor=u["teacher"], term=year.terms.get(number=1), rating=4, thought="Useful")
        self.survey_response = SurveyResponse.objects.get()
        self.survey_receipt = SurveyReceipt.objects.get()
        self.other_signup = services.sign_up(
            actor=u["other_tutor"], focus="behaviour", free_periods=[], outside_department=False, is_ect=False
        )
        self.second_run = services.propose_pairs(actor=u["tutor"], institution_id=college.pk)
        self.proposed = Pairing.objects.get(coachee=self.other_signup)

    def readers(self, scope, obj) -> set[str]:
        return {name for name in READERS if scope(self.users[name]).filter(pk=obj.pk).exists()}

    def registered_readers(self, obj) -> set[str]:
        return self.readers(lambda user: registry.readable_by(type(obj), user), obj)


@pytest.fixture
def world(request, db):
    return World(request)


def test_world_pairings_exact(world):
    assert (world.pairing.status, world.proposed.status) == ("confirmed", "proposed")
    assert sorted(
        Pairing.objects.values_list("coach__staff__user__username", "coachee__staff__user__username")
    ) == [
        ("colleague", "other_tutor"),
        ("colleague", "teacher"),
    ]


# pairings_readable_by


def test_pairings_readable_by_confirmed_pair_coach_coachee_and_coordinator_only(world):
    assert world.readers(permissions.pairings_readable_by, world.pairing) == {"colleague", "teacher", "tutor"}


def test_pairings_readable_by_proposed_pair_coach_coachee_and_coordinator_only(world):
    assert world.readers(permissions.pairings_readable_by, world.proposed) == {
        "colleague",
        "other_tutor",
        "tutor",
    }


@pytest.mark.parametrize("reader", READERS)
def test_pairings_readable_by_each_reader_exact_rows(world, reader):
    expected = {
        "colleague": {world.pairing.pk, world.proposed.pk},
        "teacher": {world.pairing.pk},
        "other_tutor": {world.proposed.pk},
        "tutor": {world.pairing.pk, world.proposed.pk},
    }.get(reader, set())
    readable = permissions.pairings_readable_by(world.users[reader])
    assert set(readable.values_list("pk", flat=True)) == expected


def test_pairings_readable_by_never_line_manager_hod_or_programme_lead(world):
    never = {"line_manager", "hod", "programme_lead"}
    assert world.readers(permissions.pairings_readable_by, world.pairing) & never == set()


# sessions_readable_by


def test_sessions_readable_by_coach_coachee_and_coordinator_only(world):
    assert world.readers(permissions.sessions_readable_by, world.session) == {"colleague", "teacher", "tutor"}


@pytest.mark.parametrize("reader", READERS)
def test_sessions_readable_by_each_reader_exact_rows(world, reader):
    expected = {world.session.pk} if reader in {"colleague", "teacher", "tutor"} else set()
    readable = permissions.sessions_readable_by(world.users[reader])
    assert set(readable.values_list("pk", flat=True)) == expected


# cover_requests_readable_by


def test_cover_requests_two_for_the_session_reason_professional_development(world):
    assert sorted((name, request.reason) for name, request in world.cover.items()) == [
        ("colleague", "Professional development"),
        ("teacher", "Professional development"),
    ]


@pytest.mark.parametrize("person", ["teacher", "colleague"])
def test_cover_requests_readable_by_person_cover_manager_and_coordinator_only(world, person):
    assert world.readers(permissions.cover_requests_readable_by, world.cover[person]) == {
        person,
        "cover_manager",
        "tutor",
    }


# journal_readable_by


@pytest.mark.parametrize("writer", ["teacher", "colleague"])
def test_journal_readable_by_writer_only(world, writer):
    assert world.readers(permissions.journal_readable_by, world.journal[writer]) == {writer}


@pytest.mark.parametrize("reader", READERS)
def test_journal_readable_by_each_reader_exact_rows(world, reader):
    expected = {world.journal[reader].pk} if reader in world.journal else set()
    readable = permissions.journal_readable_by(world.users[reader])
    assert set(readable.values_list("pk", flat=True)) == expected


# coaches_readable_by and signups_readable_by


def test_coaches_readable_by_the_coach_and_coordinator_only(world):
    assert world.readers(permissions.coaches_readable_by, world.coach) == {"colleague", "tutor"}


def test_signups_readable_by_the_coachee_and_coordinator_only(world):
    assert world.readers(permissions.signups_readable_by, world.signup) == {"teacher", "tutor"}


def test_signups_readable_by_other_signup_its_person_and_coordinator_only(world):
    assert world.readers(permissions.signups_readable_by, world.other_signup) == {"other_tutor", "tutor"}


# agreements_readable_by


def test_agreements_readable_by_staff_of_the_institution(world):
    assert world.readers(permissions.agreements_readable_by, world.agreement) == COLLEGE_STAFF


def test_agreements_readable_by_other_school_its_staff_only(world):
    assert world.readers(permissions.agreements_readable_by, world.far_agreement) == {"outsider"}


# Scopes registered without a name of their own: acceptances, cohorts, matching runs, surveys


@pytest.mark.parametrize("name", ["colleague", "teacher", "other_tutor"])
def test_acceptances_readable_by_the_person_and_coordinator_only(world, name):
    assert world.registered_readers(world.acceptances[name]) == {name, "tutor"}


def test_cohorts_readable_by_coordinator_only(world):
    assert world.registered_readers(world.coach.cohort) == {"tutor"}


@pytest.mark.parametrize("run", ["first_run", "second_run"])
def test_matching_runs_readable_by_coordinator_only(world, run):
    assert world.registered_readers(getattr(world, run)) == {"tutor"}


def test_survey_responses_readable_by_nobody(world):
    assert world.registered_readers(world.survey_response) == set()


def test_survey_receipts_readable_by_the_person_only(world):
    assert world.registered_readers(world.survey_receipt) == {"teacher"}


# The registry holds the same scopes the views use, so generic code (admin, matrix) agrees with them.

NAMED_SCOPES = {
    Agreement: permissions.agreements_readable_by,
    Coach: permissions.coaches_readable_by,
    CoacheeSignup: permissions.signups_readable_by,
    Pairing: permissions.pairings_readable_by,
    CoachingSession: permissions.sessions_readable_by,
    CoverRequest: permissions.cover_requests_readable_by,
    JournalEntry: permissions.journal_readable_by,
}


@pytest.mark.parametrize("model", NAMED_SCOPES, ids=lambda m: m.__name__)
def test_registry_holds_the_named_scope(model):
    assert registry.registration(model).scope is NAMED_SCOPES[model]


@pytest.mark.parametrize(
    "model",
    [AgreementAcceptance, Cohort, MatchingRun, SurveyResponse, SurveyReceipt],
    ids=lambda m: m.__name__,
)
def test_registry_scope_empty_for_anonymous(world, model):
    assert list(registry.readable_by(model, AnonymousUser())) == []


@pytest.mark.parametrize("reader", READERS)
def test_can_read_agrees_with_scope_for_every_record(world, reader):
    records = [
        world.agreement,
        world.far_agreement,
        world.coach,
        world.signup,
        world.pairing,
        world.proposed,
        world.session,
        *world.cover.values(),
        *world.journal.values(),
    ]
    user = world.users[reader]
    assert [registry.can_read(user, r) for r in records] == [
        NAMED_SCOPES[type(r)](user).filter(pk=r.pk).exists() for r in records
    ]


# Predicates


def test_is_coordinator_tutor_only_for_the_college(world, college):
    assert {name for name in READERS if permissions.is_coordinator(world.users[name], college.pk)} == {
        "tutor"
    }


def test_is_coordinator_outsider_only_for_their_school(world):
    school = world.staff["outsider"].institution_id
    assert {name for name in READERS if permissions.is_coordinator(world.users[name], school)} == {"outsider"}


def test_is_cover_manager_cover_manager_only(world):
    assert {name for name in READERS if permissions.is_cover_manager(world.users[name])} == {"cover_manager"}


def test_is_in_pair_coach_and_coachee_only(world):
    assert {name for name in READERS if permissions.is_in_pair(world.users[name], world.pairing)} == {
        "colleague",
        "teacher",
    }
