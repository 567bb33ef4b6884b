"""Role x record for support plans (DESIGN.md section 2, row "support plan").

One world is built through the services; every scope registered in protutor/plans/permissions.py is
compared with the exact set of people who may read each record, among every persona, a few extra people,
a superuser with no roles and an anonymous visitor. The predicates are tables of who may act.
"""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from protutor.core import permissions as registry
from protutor.people.models import Role
from protutor.plans import permissions, services
from protutor.plans.models import PlanGoal, PlanReview, PlanSupportEntry, SupportPlan
from tests.conftest import PERSONAS
from tests.factories.people import (
    AcademicYearFactory,
    InstitutionFactory,
    RoleAssignmentFactory,
    StaffMemberFactory,
    UserFactory,
)
from tests.factories.plans import close_as_met, log_support, next_review, open_plan_for

pytestmark = pytest.mark.django_db

# Beyond the shared personas: another report of the line manager (`newcomer`), a programme lead whose
# role was for a past year only (`former_lead`), and a teacher and line manager at another school.
PEOPLE = [*PERSONAS, "newcomer", "former_lead", "far_teacher", "far_manager"]
READERS = [*PEOPLE, "superuser", "anonymous"]
ACTORS = [*PEOPLE, "superuser"]

PLAN_READERS = {
    # the teacher, their line manager, the assigned tutor, the programme lead; never the head of
    # department, another tutor, a colleague, the DSL, an administrator or someone from another school
    "plan": {"teacher", "line_manager", "tutor", "programme_lead"},
    "untutored": {"newcomer", "line_manager", "programme_lead"},
    "far_plan": {"far_teacher", "far_manager"},
}


class World:
    """The line manager opened a plan for the teacher with the tutor assigned; the tutor logged support
    and a first review was held (continue). The programme lead opened a plan with no tutor for the
    newcomer. At another school, a line manager opened a plan for their teacher."""

    def __init__(self, request):
        self.staff = {name: request.getfixturevalue(name) for name in PERSONAS}
        college = request.getfixturevalue("college")
        s = self.staff
        s["newcomer"] = StaffMemberFactory(
            institution=college,
            department=request.getfixturevalue("department"),
            line_manager=s["line_manager"],
            user__username="newcomer",
        )
        s["former_lead"] = StaffMemberFactory(institution=college, department=None, user__username="former")
        past = AcademicYearFactory(
            institution=college, starts_on=dt.date(2020, 9, 1), ends_on=dt.date(2021, 8, 31)
        )
        RoleAssignmentFactory(staff=s["former_lead"], role=Role.PROGRAMME_LEAD, academic_year=past)
        far = InstitutionFactory(name="Far Academy")
        s["far_manager"] = StaffMemberFactory(institution=far, user__username="far_manager")
        s["far_teacher"] = StaffMemberFactory(
            institution=far,
            department=s["far_manager"].department,
            line_manager=s["far_manager"],
            user__username="far_teacher",
        )
        self.users = {name: staff.user for name, staff in s.items()}
        self.users["superuser"] = UserFactory(username="superuser", is_staff=True, is_superuser=True)
        self.users["anonymous"] = AnonymousUser()

        self.plans = {
            "plan": open_plan_for(s["teacher"], s["line_manager"], s["tutor"]),
            "untutored": open_plan_for(s["newcomer"], s["programme_lead"]),
            "far_plan": open_plan_for(s["far_teacher"], s["far_manager"]),
        }
        plan = self.plans["plan"]
        self.entry = log_support(plan, s["tutor"])
        today = timezone.localdate()
        services.record_review(
            actor=s["line_manager"].user,
            review=next_review(plan),
            held_on=today,
            notes="Good start",
            outcome=PlanReview.Outcome.CONTINUE,
            next_review_on=today + dt.timedelta(days=28),
        )

    def readers(self, scope, obj) -> set[str]:
        return {name for name in READERS if scope(self.users[name]).filter(pk=obj.pk).exists()}

    def allowed(self, predicate, obj, names=ACTORS) -> set[str]:
        return {name for name in names if predicate(self.users[name], obj)}

    def reload(self, key) -> SupportPlan:
        self.plans[key] = SupportPlan.objects.get(pk=self.plans[key].pk)
        return self.plans[key]


@pytest.fixture
def world(request, db):
    return World(request)


# plans_readable_by


@pytest.mark.parametrize("plan", sorted(PLAN_READERS))
def test_plans_readable_by_exact_readers(world, plan):
    assert world.readers(permissions.plans_readable_by, world.plans[plan]) == PLAN_READERS[plan]


@pytest.mark.parametrize("reader", READERS)
def test_plans_readable_by_each_reader_exact_rows(world, reader):
    expected = {world.plans[plan].pk for plan, readers in PLAN_READERS.items() if reader in readers}
    readable = permissions.plans_readable_by(world.users[reader])
    assert set(readable.values_list("pk", flat=True)) == expected


def test_plans_readable_by_closed_plan_same_readers(world):
    plan = close_as_met(world.plans["plan"], world.staff["line_manager"])
    assert (plan.status, world.readers(permissions.plans_readable_by, plan)) == (
        SupportPlan.Status.CLOSED_MET,
        PLAN_READERS["plan"],
    )


def test_plans_readable_by_plan_keeps_its_line_manager_after_teacher_changes_manager(world):
    teacher = world.staff["teacher"]
    teacher.line_manager = world.staff["colleague"]
    teacher.save()
    assert world.readers(permissions.plans_readable_by, world.plans["plan"]) == PLAN_READERS["plan"]


# The scopes registered for the rest of the plan: goals, reviews, support entries and history


def test_registry_plans_models_exactly_these_scopes():
    registered = {entry.model for entry in registry.registrations() if entry.model._meta.app_label == "plans"}
    assert registered == {
        SupportPlan,
        PlanGoal,
        PlanReview,
        PlanSupportEntry,
        SupportPlan.history.model,
        PlanReview.history.model,
    }
    assert [
        entry.model for entry in registry.registrations() if entry.model in registered and entry.is_public
    ] == []


def rows_of(world, plan_key) -> dict[str, list]:
    plan = world.plans[plan_key]
    return {
        "goal": list(PlanGoal.objects.filter(plan=plan)),
        "review": list(PlanReview.objects.filter(plan=plan)),
        "support_entry": list(PlanSupportEntry.objects.filter(plan=plan)),
        "plan_history": list(SupportPlan.history.model.objects.filter(id=plan.pk)),
        "review_history": list(PlanReview.history.model.objects.filter(plan_id=plan.pk)),
    }


def test_rows_of_world_plan_has_each_kind(world):
    assert {kind: len(rows) for kind, rows in rows_of(world, "plan").items()} == {
        "goal": 1,
        "review": 2,
        "support_entry": 1,
        "plan_history": 1,
        "review_history": 3,
    }


@pytest.mark.parametrize("plan", sorted(PLAN_READERS))
@pytest.mark.parametrize("kind", ["goal", "review", "support_entry", "plan_history", "review_history"])
def test_registered_scope_readers_same_as_plan(world, plan, kind):
    for row in rows_of(world, plan)[kind]:
        scope = registry.registration(type(row)).scope
        assert world.readers(scope, row) == PLAN_READERS[plan]


@pytest.mark.parametrize("reader", READERS)
def test_registered_scopes_each_reader_exact_rows(world, reader):
    user = world.users[reader]
    mine = [key for key, readers in PLAN_READERS.items() if reader in readers]
    expected = {
        model: {row.pk for key in mine for row in rows_of(world, key)[kind]}
        for model, kind in (
            (PlanGoal, "goal"),
            (PlanReview, "review"),
            (PlanSupportEntry, "support_entry"),
            (SupportPlan.history.model, "plan_history"),
            (PlanReview.history.model, "review_history"),
        )
    }
    readable = {
        model: set(registry.readable_by(model, user).values_list("pk", flat=True)) for model in expected
    }
    assert readable == expected


# Predicates, on records already fetched through a scope

OPENERS = {
    "teacher": {"line_manager", "programme_lead"},
    "newcomer": {"line_manager", "programme_lead"},
    # No line manager: only the programme lead passes the predicate (the service then refuses).
    "colleague": {"programme_lead"},
    "line_manager": {"programme_lead"},
    "far_teacher": {"far_manager"},
    "outsider": set(),
}


@pytest.mark.parametrize("staff", sorted(OPENERS))
def test_can_open_plan_for_line_manager_or_programme_lead(world, staff):
    assert world.allowed(permissions.can_open_plan_for, world.staff[staff]) == OPENERS[staff]


def test_can_open_plan_for_follows_new_line_manager(world):
    teacher = world.staff["teacher"]
    teacher.line_manager = world.staff["colleague"]
    teacher.save()
    assert world.allowed(permissions.can_open_plan_for, teacher) == {"colleague", "programme_lead"}


MANAGERS = {
    "plan": {"line_manager", "programme_lead"},
    "untutored": {"line_manager", "programme_lead"},
    "far_plan": {"far_manager"},
}
TEACHERS = {"plan": {"teacher"}, "untutored": {"newcomer"}, "far_plan": {"far_teacher"}}
LOGGERS = {"plan": {"tutor"}, "untutored": set(), "far_plan": set()}


@pytest.mark.parametrize(
    ("predicate", "table"),
    [
        (permissions.can_manage_plan, MANAGERS),
        (permissions.is_plan_teacher, TEACHERS),
        (permissions.can_log_plan_support, LOGGERS),
    ],
    ids=["can_manage_plan", "is_plan_teacher", "can_log_plan_support"],
)
@pytest.mark.parametrize("plan", sorted(PLAN_READERS))
def test_plan_predicates_open_plan_exact_people(world, predicate, table, plan):
    assert world.allowed(predicate, world.plans[plan]) == table[plan]


@pytest.mark.parametrize(
    ("predicate", "expected"),
    [
        (permissions.can_manage_plan, set()),
        (permissions.is_plan_teacher, {"teacher"}),
        (permissions.can_log_plan_support, set()),
    ],
    ids=["can_manage_plan", "is_plan_teacher", "can_log_plan_support"],
)
def test_plan_predicates_closed_plan_exact_people(world, predicate, expected):
    close_as_met(world.plans["plan"], world.staff["line_manager"])
    assert world.allowed(predicate, world.reload("plan")) == expected


@pytest.mark.parametrize("plan", sorted(PLAN_READERS))
def test_plan_predicates_agree_with_scope_both_ways(world, plan):
    """Whoever may act on a plan can read it; every reader but the teacher manages it or logs support,
    except the assigned tutor, who only logs support."""
    obj = world.plans[plan]
    readers = world.readers(permissions.plans_readable_by, obj)
    managers = world.allowed(permissions.can_manage_plan, obj)
    teachers = world.allowed(permissions.is_plan_teacher, obj)
    loggers = world.allowed(permissions.can_log_plan_support, obj)
    assert managers | teachers | loggers == readers
    assert (managers & teachers, managers & loggers, teachers & loggers) == (set(), set(), set())
