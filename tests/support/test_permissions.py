"""Role x record for one-to-one support (DESIGN.md section 2, rows "one-to-one support case",
"safeguarding concern" and "aggregates").

One world is built through the services; each scope is compared with the exact set of people who may
read each record, among every persona, an unrelated superuser and an anonymous visitor.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from protutor.support import permissions, services
from protutor.support.models import CaseTutor, SupportCase
from tests.conftest import PERSONAS
from tests.factories.people import StaffMemberFactory, UserFactory
from tests.factories.support import (
    SupportCaseFactory,
    accept,
    concern,
    encourage,
    log,
    open_case_for,
    refer,
)

pytestmark = pytest.mark.django_db

# Beyond the shared personas: a teacher in the other department (other_tutor's caseload).
PEOPLE = [*PERSONAS, "artist"]
READERS = [*PEOPLE, "superuser", "anonymous"]


class World:
    """The teacher self-referred and the tutor took it on, logged a conversation with a shared and a private
    note, and raised a safeguarding concern; the line manager then suggested more support (awaiting the
    teacher). The colleague made two requests still waiting for a tutor: one naming other_tutor, one naming
    nobody. The artist has a case with other_tutor; the outsider's school has a case of its own."""

    def __init__(self, request):
        self.staff = {name: request.getfixturevalue(name) for name in PERSONAS}
        college = request.getfixturevalue("college")
        self.staff["artist"] = StaffMemberFactory(
            institution=college,
            department=request.getfixturevalue("other_department"),
            forename="Arti",
            surname="Artist",
            user__username="artist",
        )
        self.users = {name: staff.user for name, staff in self.staff.items()}
        self.users["superuser"] = UserFactory(username="superuser", is_staff=True, is_superuser=True)
        self.users["anonymous"] = AnonymousUser()
        s = self.staff

        self.case = open_case_for(s["teacher"], s["tutor"], reason="Questioning in year 9")
        self.interaction = log(
            self.case, s["tutor"], shared="Shared: try think-pair-share", private="Mine alone"
        )
        self.note = self.interaction.private_notes.get()
        self.concern = concern(self.case, s["tutor"], text="Teacher mentioned not sleeping")
        self.art_case = open_case_for(s["artist"], s["other_tutor"], reason="Critique sessions")
        self.far_case = SupportCaseFactory(teacher=s["outsider"])
        self.referrals = {
            "accepted": self.case.referral,
            "awaiting": encourage(s["line_manager"], s["teacher"], reason="Would benefit from coaching"),
            "named_other": refer(
                s["colleague"], reason="Help with marking", preferred_tutor=s["other_tutor"]
            ),
            "unnamed": refer(s["colleague"], reason="Help with lesson starts"),
        }

    def readers(self, scope, obj) -> set[str]:
        return {name for name in READERS if scope(self.users[name]).filter(pk=obj.pk).exists()}

    def allowed(self, predicate, obj, names=PEOPLE) -> set[str]:
        return {name for name in names if predicate(self.users[name], obj)}

    def hand_over(self):
        services.hand_over(actor=self.users["tutor"], case=self.case, to_tutor=self.staff["other_tutor"])


@pytest.fixture
def world(request, db):
    return World(request)


# cases_readable_by, interactions_readable_by, case_tutors_readable_by


def test_cases_readable_by_teacher_and_tutor_only(world):
    assert world.readers(permissions.cases_readable_by, world.case) == {"teacher", "tutor"}


def test_cases_readable_by_other_department_case_artist_and_other_tutor_only(world):
    assert world.readers(permissions.cases_readable_by, world.art_case) == {"artist", "other_tutor"}


def test_cases_readable_by_case_without_tutor_its_teacher_only(world):
    assert world.readers(permissions.cases_readable_by, world.far_case) == {"outsider"}


@pytest.mark.parametrize("reader", READERS)
def test_cases_readable_by_each_reader_exact_rows(world, reader):
    expected = {
        "teacher": {world.case.pk},
        "tutor": {world.case.pk},
        "artist": {world.art_case.pk},
        "other_tutor": {world.art_case.pk},
        "outsider": {world.far_case.pk},
    }.get(reader, set())
    readable = permissions.cases_readable_by(world.users[reader])
    assert set(readable.values_list("pk", flat=True)) == expected


def test_interactions_readable_by_teacher_and_tutor_only(world):
    assert world.readers(permissions.interactions_readable_by, world.interaction) == {"teacher", "tutor"}


def test_case_tutors_readable_by_teacher_and_tutor_only(world):
    holding = CaseTutor.objects.get(case=world.case)
    assert world.readers(permissions.case_tutors_readable_by, holding) == {"teacher", "tutor"}


# private_notes_readable_by


def test_private_notes_readable_by_author_only_not_teacher(world):
    assert world.readers(permissions.private_notes_readable_by, world.note) == {"tutor"}


# referrals_readable_by and referrals_known_to

REFERRAL_READERS = {
    "accepted": {"teacher", "tutor"},
    "awaiting": {"teacher"},
    "named_other": {"colleague", "other_tutor"},
    "unnamed": {"colleague", "tutor"},
}


@pytest.mark.parametrize("referral", sorted(REFERRAL_READERS))
def test_referrals_readable_by_exact_readers(world, referral):
    assert (
        world.readers(permissions.referrals_readable_by, world.referrals[referral])
        == (REFERRAL_READERS[referral])
    )


REFERRALS_KNOWN = {**REFERRAL_READERS, "awaiting": {"teacher", "line_manager"}}


@pytest.mark.parametrize("referral", sorted(REFERRALS_KNOWN))
def test_referrals_known_to_exact_people(world, referral):
    assert (
        world.readers(permissions.referrals_known_to, world.referrals[referral]) == REFERRALS_KNOWN[referral]
    )


def test_referrals_known_to_line_manager_includes_status_only_records_not_readable(world):
    line_manager = world.users["line_manager"]
    known = set(permissions.referrals_known_to(line_manager).values_list("pk", flat=True))
    readable = set(permissions.referrals_readable_by(line_manager).values_list("pk", flat=True))
    assert (known, readable) == ({world.referrals["awaiting"].pk}, set())


def test_referrals_readable_by_awaiting_referral_reaches_tutor_once_teacher_accepts(world):
    referral = world.referrals["awaiting"]
    services.respond_to_referral(actor=world.users["teacher"], referral=referral, accept=True)
    assert world.readers(permissions.referrals_readable_by, referral) == {"teacher", "tutor"}
    assert world.readers(permissions.referrals_known_to, referral) == {"teacher", "tutor", "line_manager"}


def test_referrals_readable_by_declined_referral_no_tutor(world):
    referral = world.referrals["awaiting"]
    services.respond_to_referral(actor=world.users["teacher"], referral=referral, accept=False)
    assert world.readers(permissions.referrals_readable_by, referral) == {"teacher"}


def test_requests_for_tutors_exact_rows(world):
    requests = {
        name: set(permissions.requests_for(world.users[name]).values_list("pk", flat=True))
        for name in READERS
    }
    expected = {name: set() for name in READERS}
    expected["tutor"] = {world.referrals["unnamed"].pk}
    expected["other_tutor"] = {world.referrals["named_other"].pk}
    assert requests == expected


# concerns_readable_by


def test_concerns_readable_by_dsl_and_raiser_only(world):
    assert world.readers(permissions.concerns_readable_by, world.concern) == {"dsl", "tutor"}


# cases_countable_by


@pytest.mark.parametrize("reader", READERS)
def test_cases_countable_by_programme_lead_institution_hod_department(world, reader):
    expected = {
        "programme_lead": {world.case.pk, world.art_case.pk},
        "hod": {world.case.pk},
    }.get(reader, set())
    countable = permissions.cases_countable_by(world.users[reader])
    assert set(countable.values_list("pk", flat=True)) == expected


# After a handover


def test_hand_over_cases_readable_by_new_tutor_not_old(world):
    world.hand_over()
    assert world.readers(permissions.cases_readable_by, world.case) == {"teacher", "other_tutor"}
    assert world.readers(permissions.interactions_readable_by, world.interaction) == {
        "teacher",
        "other_tutor",
    }
    assert world.readers(
        permissions.case_tutors_readable_by, CaseTutor.objects.filter(case=world.case).first()
    ) == ({"teacher", "other_tutor"})


def test_hand_over_private_note_stays_with_its_author(world):
    world.hand_over()
    assert world.readers(permissions.private_notes_readable_by, world.note) == {"tutor"}


def test_hand_over_referral_follows_the_case(world):
    world.hand_over()
    assert world.readers(permissions.referrals_readable_by, world.referrals["accepted"]) == (
        {"teacher", "other_tutor"}
    )


def test_hand_over_concern_stays_with_raiser_and_dsl(world):
    world.hand_over()
    assert world.readers(permissions.concerns_readable_by, world.concern) == {"dsl", "tutor"}


# Predicates, on records already fetched through a scope


def test_can_work_on_case_current_tutor_only(world):
    assert world.allowed(permissions.can_work_on_case, world.case, READERS[:-1]) == {"tutor"}


def test_can_work_on_case_after_hand_over_new_tutor_only(world):
    world.hand_over()
    assert world.allowed(permissions.can_work_on_case, world.case) == {"other_tutor"}


def test_can_work_on_case_closed_case_nobody(world):
    services.close_case(actor=world.users["tutor"], case=world.case, outcome=SupportCase.Outcome.GOALS_MET)
    world.case.refresh_from_db()
    assert world.allowed(permissions.can_work_on_case, world.case) == set()


def test_can_work_on_case_agrees_with_scope_both_ways(world):
    for case in (world.case, world.art_case, world.far_case):
        workers = world.allowed(permissions.can_work_on_case, case)
        readers = world.readers(permissions.cases_readable_by, case)
        assert workers == readers - {case.teacher.user.username}


ACCEPTERS = {"accepted": set(), "awaiting": set(), "named_other": {"other_tutor"}, "unnamed": {"tutor"}}


@pytest.mark.parametrize("referral", sorted(ACCEPTERS))
def test_can_accept_referral_addressed_tutor_only(world, referral):
    assert (
        world.allowed(permissions.can_accept_referral, world.referrals[referral], READERS[:-1])
        == (ACCEPTERS[referral])
    )


RESPONDERS = {"accepted": set(), "awaiting": {"teacher"}, "named_other": set(), "unnamed": set()}


@pytest.mark.parametrize("referral", sorted(RESPONDERS))
def test_can_respond_to_referral_teacher_while_awaiting_only(world, referral):
    assert (
        world.allowed(permissions.can_respond_to_referral, world.referrals[referral], READERS[:-1])
        == (RESPONDERS[referral])
    )


def test_can_respond_to_referral_once_answered_nobody(world):
    referral = world.referrals["awaiting"]
    services.respond_to_referral(actor=world.users["teacher"], referral=referral, accept=False)
    referral.refresh_from_db()
    assert world.allowed(permissions.can_respond_to_referral, referral) == set()


@pytest.mark.parametrize(("staff", "expected"), [("teacher", {"line_manager"}), ("colleague", set())])
def test_can_encourage_referral_line_manager_only(world, staff, expected):
    assert world.allowed(permissions.can_encourage_referral, world.staff[staff], READERS[:-1]) == expected


def test_can_acknowledge_concern_dsl_only_not_raiser(world):
    assert world.allowed(permissions.can_acknowledge_concern, world.concern, READERS[:-1]) == {"dsl"}


def test_accept_referral_named_other_only_other_tutor_may_take_it(world):
    case = accept(world.referrals["named_other"], world.staff["other_tutor"])
    assert world.readers(permissions.cases_readable_by, case) == {"colleague", "other_tutor"}


@pytest.mark.parametrize("reader", READERS)
def test_staff_supportable_by_tutors_caseload_departments_only(world, reader):
    expected = {
        "tutor": {"teacher", "colleague", "line_manager", "hod"},
        "other_tutor": {"artist"},
    }.get(reader, set())
    by_pk = {staff.pk: name for name, staff in world.staff.items()}
    supportable = permissions.staff_supportable_by(world.users[reader])
    assert {by_pk[pk] for pk in supportable.values_list("pk", flat=True)} == expected
