"""Role x URL: who gets the page and who gets a 404 (DESIGN.md section 2, STYLE.md section 7).

Every URL the project defines must appear in MATRIX, so a new page cannot ship without a decision about
who may open it. Denied responses must not contain the sentinel written into the record they ask for.
"""

import datetime as dt
import io
import zipfile

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from protutor.observations import services as observing
from protutor.observations.models import Observation, Standard
from protutor.people.models import StaffImport
from protutor.support import services as support
from tests.conftest import PERSONAS

EVERYONE = set(PERSONAS)
SENTINEL = "sentinel-7f3a"
# Confidential support text carries its own sentinels: one for what the teacher and tutor share, one for
# the tutor's private note, which only its author may ever see.
SUPPORT_SENTINEL = "support-sentinel-91c2"
PRIVATE_SENTINEL = "private-sentinel-44d8"
OBSERVATION_SENTINEL = "observation-sentinel-3b7e"
PLAN_SENTINEL = "plan-sentinel-5c1d"
JOURNAL_SENTINEL = "journal-sentinel-8e2f"
PLAN_READERS = {"teacher", "line_manager", "tutor", "programme_lead"}
TEAM = {"tutor", "other_tutor", "programme_lead"}


class World:
    def __init__(self, request):
        for name in PERSONAS:
            setattr(self, name, request.getfixturevalue(name))
        self.department = request.getfixturevalue("department")
        self.college = request.getfixturevalue("college")
        # The shipped frameworks come with a migration; load them again in case an earlier test flushed.
        request.getfixturevalue("standards")
        self.year = request.getfixturevalue("year")
        self.teacher.job_title = f"Lecturer {SENTINEL}"
        self.teacher.save()
        self.caseload = self.tutor.caseloads.get()
        self.hod_role = self.hod.role_assignments.get()
        from protutor.people import sso

        self.sso_provider = sso.add_provider(
            actor=self.admin.user,
            institution=self.admin.institution,
            kind="google",
            name="Sign in with Google",
            client_id="client",
            secret=f"secret-{SENTINEL}",
            domain="school.org.uk",
        )
        self.staff_import = StaffImport.objects.create(
            institution=self.admin.institution,
            uploaded_by=self.admin.user,
            file_name=f"{SENTINEL}.csv",
            content="staff code,forename,surname,email\n",
            summary={"counts": {}, "rows": []},
        )
        # The teacher asked for help; the tutor took it on, logged a session and raised a concern.
        referral = support.self_refer(actor=self.teacher.user, reason=f"Questioning {SUPPORT_SENTINEL}")
        self.case = support.accept_referral(
            actor=self.tutor.user, referral=referral, formality="informal", span="ongoing"
        )
        support.log_interaction(
            actor=self.tutor.user,
            case=self.case,
            kind="coaching",
            occurred_on=timezone.localdate(),
            minutes=30,
            shared_notes=f"Shared {SUPPORT_SENTINEL}",
            private_note=f"Private {PRIVATE_SENTINEL}",
        )
        self.concern = support.raise_concern(
            actor=self.tutor.user, case=self.case, text=f"Concern {SUPPORT_SENTINEL}"
        )
        # The line manager suggested support; the teacher has not answered yet.
        self.suggested = support.encourage_referral(
            actor=self.line_manager.user, teacher=self.teacher, reason=f"Suggested {SUPPORT_SENTINEL}"
        )
        # Observations of the teacher: a developmental one by the tutor, a formal one by the line manager,
        # both shared; and a draft by the head of department that only its observer may see.
        standard = Standard.objects.get(framework__code="ETF", number="9")
        point = observing.Point(
            kind="development", text=f"Thinking time {OBSERVATION_SENTINEL}", standards=[standard]
        )
        self.developmental = observing.record_observation(
            actor=self.tutor.user,
            observee=self.teacher,
            kind=Observation.Kind.DEVELOPMENTAL,
            observed_on=timezone.localdate(),
            length_minutes=30,
            points=[point],
        )
        observing.share_observation(actor=self.tutor.user, observation=self.developmental)
        self.formal = observing.record_observation(
            actor=self.line_manager.user,
            observee=self.teacher,
            kind=Observation.Kind.FORMAL,
            observed_on=timezone.localdate(),
            length_minutes=45,
            outcome="effective",
            points=[observing.Point(kind="strength", text=f"Formal {OBSERVATION_SENTINEL}", standards=[])],
        )
        observing.share_observation(actor=self.line_manager.user, observation=self.formal)
        self.draft = observing.record_observation(
            actor=self.hod.user,
            observee=self.colleague,
            kind=Observation.Kind.FORMAL,
            observed_on=timezone.localdate(),
            length_minutes=20,
        )
        self.etf = standard.framework
        # A CPD session for the teacher's department, planned by its tutor; and the teacher's calendar feed.
        from protutor.cpd import services as cpd

        self.session = cpd.save_session(
            actor=self.tutor.user,
            department=self.department,
            title="Questioning",
            format="meeting",
            length_minutes=30,
            starts_at=timezone.now() - dt.timedelta(hours=2),
        )
        self.token = cpd.issue_calendar_token(actor=self.teacher.user)
        # A support plan for the teacher, opened by their line manager, with the tutor assigned.
        from protutor.plans import services as plans

        self.plan = plans.open_plan(
            actor=self.line_manager.user,
            teacher=self.teacher,
            concerns=f"Concerns {PLAN_SENTINEL}",
            goals=[("Routines", "")],
            first_review_on=timezone.localdate() + dt.timedelta(days=14),
            assigned_tutor=self.tutor,
        )
        # The tutor team's weekly meeting, with an action for the tutor.
        from protutor.team import services as team

        self.meeting = team.schedule_meeting(
            actor=self.programme_lead.user, institution=self.college, held_on=timezone.localdate()
        )
        # The coaching programme: the tutor coordinates; the colleague coaches the teacher; the teacher
        # keeps a journal; the hod manages cover.
        from protutor.coaching import services as coaching
        from protutor.coaching.models import Pairing
        from protutor.people.models import Role, RoleAssignment

        for staff, role in ((self.tutor, Role.COACHING_COORDINATOR), (self.hod, Role.COVER_MANAGER)):
            RoleAssignment.objects.create(staff=staff, role=role, institution=self.college)
        agreement = coaching.publish_agreement(actor=self.tutor.user, text="Confidential sessions.")
        for person in (self.colleague, self.teacher):
            coaching.accept_agreement(actor=person.user, agreement=agreement)
        coach = coaching.volunteer(
            actor=self.colleague.user, strengths="questioning", free_periods=[], capacity=2
        )
        for step in coaching.STEPS:
            coaching.record_training(actor=self.tutor.user, coach=coach, step=step, on=timezone.localdate())
        coaching.sign_up(
            actor=self.teacher.user,
            focus="questioning",
            free_periods=[],
            outside_department=False,
            is_ect=False,
        )
        coaching.propose_pairs(actor=self.tutor.user, institution_id=self.college.pk)
        coaching.confirm_pairs(actor=self.tutor.user, institution_id=self.college.pk)
        self.pairing = Pairing.objects.get()
        coaching.write_journal(actor=self.teacher.user, text=f"Journal {JOURNAL_SENTINEL}")
        self.action = team.add_action(
            actor=self.programme_lead.user,
            meeting=self.meeting,
            description="Share the guide",
            owner=self.tutor,
            due_on=timezone.localdate() + dt.timedelta(days=7),
        )
        # A colleague's request waits for the department's tutor.
        self.waiting = support.self_refer(actor=self.colleague.user, reason="Waiting for a tutor")
        # The update the teacher was emailed about when her line manager suggested support.
        from protutor.core.models import Notification

        [self.notification] = [
            n
            for n in Notification.objects.filter(user=self.teacher.user)
            if n.path == self.suggested.get_absolute_url()  # encrypted: compared once read
        ]


# The department's staff (invited), its head and tutor, and the programme lead.
SESSION_READERS = {"teacher", "colleague", "line_manager", "hod", "tutor", "programme_lead"}

# name -> (arguments from the world, who may GET it; None = POST only, denied roles must get 404 on POST)
MATRIX = {
    "home": (lambda w: [], EVERYONE),
    "people:staff-list": (lambda w: [], EVERYONE),
    "people:staff-detail": (
        lambda w: [w.teacher.pk],
        {"teacher", "line_manager", "hod", "tutor", "programme_lead", "admin"},
    ),
    "people:role-add": (lambda w: [w.teacher.pk], {"admin"}),
    "people:role-remove": (lambda w: [w.hod.pk, w.hod_role.pk], None),
    "people:account-status": (lambda w: [w.teacher.pk], None),
    "people:second-factor-reset": (lambda w: [w.teacher.pk], None),
    "people:staff-erase": (lambda w: [w.teacher.pk], {"admin"}),
    "people:my-data": (lambda w: [], EVERYONE),
    "people:my-data-download": (lambda w: [], EVERYONE),
    "people:department-detail": (lambda w: [w.department.pk], {"hod", "tutor", "programme_lead", "admin"}),
    "people:year-list": (lambda w: [], {"programme_lead"}),
    "people:year-create": (lambda w: [], {"programme_lead"}),
    "people:year-edit": (lambda w: [w.year.pk], {"programme_lead"}),
    "people:caseload-list": (lambda w: [], {"tutor", "other_tutor", "programme_lead"}),
    "people:caseload-create": (lambda w: [], {"programme_lead"}),
    "people:caseload-edit": (lambda w: [w.caseload.pk], {"programme_lead"}),
    "people:sign-in-policy": (lambda w: [], {"admin"}),
    "people:sso-add": (lambda w: [], {"admin"}),
    "people:sso-remove": (lambda w: [w.sso_provider.pk], None),
    "people:import-start": (lambda w: [], {"admin"}),
    "people:import-preview": (lambda w: [w.staff_import.pk], {"admin"}),
    "people:import-apply": (lambda w: [w.staff_import.pk], None),
    "support:index": (lambda w: [], EVERYONE),
    "support:refer": (lambda w: [], EVERYONE),
    "support:encourage": (lambda w: [], {"line_manager"}),
    "support:referral-detail": (lambda w: [w.suggested.pk], {"teacher", "line_manager"}),
    "support:referral-accept": (lambda w: [w.waiting.pk], None),
    "support:case-list": (lambda w: [], {"tutor", "other_tutor"}),
    "support:case-open": (lambda w: [], {"tutor", "other_tutor"}),
    "support:case-detail": (lambda w: [w.case.pk], {"teacher", "tutor"}),
    "support:interaction-add": (lambda w: [w.case.pk], {"tutor"}),
    "support:case-close": (lambda w: [w.case.pk], {"tutor"}),
    "support:case-handover": (lambda w: [w.case.pk], {"tutor"}),
    "support:concern-raise": (lambda w: [w.case.pk], {"tutor"}),
    "support:concern-list": (lambda w: [], {"dsl", "tutor"}),
    "support:concern-detail": (lambda w: [w.concern.pk], {"dsl", "tutor"}),
    "support:access-log": (lambda w: [], EVERYONE),
    "support:insights": (lambda w: [], {"hod", "programme_lead"}),
    "observations:observation-list": (lambda w: [], EVERYONE),
    "observations:observation-create": (lambda w: [], EVERYONE),
    "observations:observation-detail": (lambda w: [w.developmental.pk], {"teacher", "tutor"}),
    "observations:observation-edit": (lambda w: [w.draft.pk], {"hod"}),
    "observations:observation-share": (lambda w: [w.draft.pk], None),
    "observations:observation-respond": (lambda w: [w.formal.pk], None),
    "observations:observation-share-with-tutor": (lambda w: [w.developmental.pk], None),
    "observations:observation-add-to-support": (lambda w: [w.developmental.pk], None),
    "observations:my-development": (lambda w: [], EVERYONE),
    "observations:department-needs": (lambda w: [w.department.pk], {"hod", "tutor", "programme_lead"}),
    "observations:outcomes": (lambda w: [], {"hod", "programme_lead"}),
    "observations:framework-list": (lambda w: [], EVERYONE),
    "observations:framework-detail": (lambda w: [w.etf.pk], EVERYONE),
    "observations:framework-create": (lambda w: [], {"programme_lead"}),
    "observations:framework-choose": (lambda w: [], {"programme_lead"}),
    "cpd:request-development": (lambda w: [], EVERYONE),
    "cpd:session-list": (lambda w: [], EVERYONE),
    "cpd:session-create": (lambda w: [], {"hod", "tutor", "other_tutor"}),
    "cpd:session-detail": (lambda w: [w.session.pk], SESSION_READERS),
    "cpd:session-edit": (lambda w: [w.session.pk], {"hod", "tutor"}),
    "cpd:session-copy": (lambda w: [w.session.pk], {"hod", "tutor"}),
    "cpd:session-cancel": (lambda w: [w.session.pk], {"hod", "tutor"}),
    "cpd:session-register": (lambda w: [w.session.pk], {"hod", "tutor"}),
    "cpd:session-evaluate": (lambda w: [w.session.pk], None),
    "cpd:session-ics": (lambda w: [w.session.pk], SESSION_READERS),
    "cpd:coverage": (lambda w: [], {"hod", "tutor", "other_tutor", "programme_lead"}),
    "cpd:my-record": (lambda w: [], EVERYONE),
    "cpd:calendar-settings": (lambda w: [], EVERYONE),
    # A wrong token answers 404 to everyone, signed in or not (the right one is tested below).
    "cpd:calendar-feed": (lambda w: [w.token.pk, "not-the-token"], set()),
    "plans:plan-list": (lambda w: [], EVERYONE),
    "plans:plan-create": (lambda w: [], {"line_manager", "programme_lead"}),
    "plans:plan-detail": (lambda w: [w.plan.pk], PLAN_READERS),
    "plans:plan-acknowledge": (lambda w: [w.plan.pk], None),
    "plans:plan-support": (lambda w: [w.plan.pk], None),
    "plans:plan-exit": (lambda w: [w.plan.pk], None),
    "plans:plan-review": (lambda w: [w.plan.pk], None),
    "plans:plan-comment": (lambda w: [w.plan.pk], None),
    "team:remission": (lambda w: [], {"tutor", "other_tutor", "programme_lead"}),
    "team:remission-detail": (lambda w: [w.caseload.pk], {"tutor", "programme_lead"}),
    "team:meeting-list": (lambda w: [], TEAM),
    "team:meeting-detail": (lambda w: [w.meeting.pk], TEAM),
    "team:action-done": (lambda w: [w.meeting.pk, w.action.pk], None),
    "team:partners": (lambda w: [], TEAM),
    "team:targets": (lambda w: [w.caseload.pk], {"tutor", "programme_lead"}),
    "coaching:index": (lambda w: [], EVERYONE),
    "coaching:agreement": (lambda w: [], EVERYONE),
    "coaching:volunteer": (lambda w: [], EVERYONE),
    "coaching:signup": (lambda w: [], EVERYONE),
    "coaching:coordinator": (lambda w: [], {"tutor"}),
    "coaching:pairing-detail": (lambda w: [w.pairing.pk], {"teacher", "colleague", "tutor"}),
    "coaching:journal": (lambda w: [], EVERYONE),
    "cover-requests": (lambda w: [], {"hod"}),
    "coaching:survey": (lambda w: [], {"teacher", "colleague"}),
    "coaching:survey-results": (lambda w: [], {"tutor"}),
    # The health check for monitors: no sign-in, and nothing in it about anyone (tests/ops/test_health.py).
    "health": (lambda w: [], EVERYONE),
    # The link in an email: its recipient alone is taken on to the page (tests/core/test_notify.py).
    "notification": (lambda w: [w.notification.token], {"teacher"}),
}
# Who may read observation text on each page. A formal observation's readers are checked separately.
OBSERVATION_TEXT_VISIBLE = {
    "observations:observation-detail": {"teacher", "tutor"},
    "observations:my-development": {"teacher"},
}
# Who may read confidential support text on each page (everyone else: the sentinel must not appear,
# whether the answer is 200 or 404). The line manager sees their suggestion's status, never its text.
SUPPORT_TEXT_VISIBLE = {
    "support:referral-detail": {"teacher"},
    "support:case-detail": {"teacher", "tutor"},
    "support:concern-detail": {"dsl", "tutor"},
    "people:my-data-download": {"teacher"},
}
PRIVATE_TEXT_VISIBLE = {"support:case-detail": {"tutor"}}
POST_ALLOWED = {
    "people:role-remove": {"admin"},
    "people:account-status": {"admin"},
    "people:second-factor-reset": {"admin"},
    "people:sso-remove": {"admin"},
    "people:import-apply": {"admin"},
    "support:referral-accept": {"tutor"},
    "observations:observation-share": {"hod"},
    "observations:observation-respond": {"teacher"},
    "observations:observation-share-with-tutor": {"teacher"},
    "observations:observation-add-to-support": {"tutor"},
    "cpd:session-evaluate": SESSION_READERS,
    "plans:plan-acknowledge": {"teacher"},
    "plans:plan-support": {"tutor"},
    "plans:plan-exit": {"teacher", "line_manager", "programme_lead"},
    "plans:plan-review": {"line_manager", "programme_lead"},
    "plans:plan-comment": {"teacher"},
    "team:action-done": TEAM,
}
# Addresses that take whoever may open them on to another page.
REDIRECT_URLS = {"notification"}
# Addresses whose token is the credential: no sign-in, and a wrong token is a 404.
TOKEN_URLS = {"cpd:calendar-feed"}
# Addresses open to anyone, signed in or not, that hold nothing about anyone.
PUBLIC_URLS = {"health"}
# Namespaces whose access matrix lives beside their own tests.
OWN_MATRIX_PREFIXES = ("ite:", "resources:", "insights:")
# Third-party routes with their own tests: allauth's sign-in pages and the configuration admin.
EXTERNAL_PREFIXES = ("accounts/", "admin/")


def project_url_names(patterns=None, prefix="", namespace=""):
    names = []
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(entry.pattern)
        if route.startswith(EXTERNAL_PREFIXES):
            continue
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names += project_url_names(entry.url_patterns, route, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            names.append(namespace + entry.name)
    return names


def test_every_project_url_is_in_the_matrix():
    # ITE and induction pages have their own personas (intern, mentor, ECT...): tests/ite/test_access_matrix.py;
    # the library and the impact dashboards have theirs in tests/resources and tests/insights.
    names = {name for name in project_url_names() if not name.startswith(OWN_MATRIX_PREFIXES)}
    assert sorted(names - set(MATRIX)) == []


@pytest.fixture
def world(request, db):
    return World(request)


def matrix_problems(client, world, name, persona) -> list[str]:
    """What is wrong with what `persona` gets from `name` (nothing, if it is as the matrix says)."""
    args_of, allowed_get = MATRIX[name]
    url = reverse(name, args=args_of(world))
    client.force_login(getattr(world, persona).user)
    problems = []
    if allowed_get is None:
        if (status := client.get(url).status_code) != 405:
            problems.append(f"{persona} GET {name}: {status}, not 405")
        if persona not in POST_ALLOWED[name]:
            response = client.post(url, {"active": "no", "formality": "informal", "span": "ongoing"})
            body = response.content.decode()
            if response.status_code != 404:
                problems.append(f"{persona} POST {name}: {response.status_code}, not 404")
            if SENTINEL in body or SUPPORT_SENTINEL in body:
                problems.append(f"{persona} POST {name}: a sentinel in the refusal")
        return problems
    response = client.get(url)
    expected = (302 if name in REDIRECT_URLS else 200) if persona in allowed_get else 404
    body = response_text(response)
    if response.status_code != expected:
        problems.append(f"{persona} GET {name}: {response.status_code}, not {expected}")
    if expected == 404 and SENTINEL in body:
        problems.append(f"{persona} GET {name}: the sentinel in the refusal")
    for sentinel, visible in (
        (SUPPORT_SENTINEL, SUPPORT_TEXT_VISIBLE.get(name, set())),
        (PRIVATE_SENTINEL, PRIVATE_TEXT_VISIBLE.get(name, set())),
    ):
        if (sentinel in body) != (persona in visible):
            problems.append(f"{persona} GET {name}: {sentinel} {'shown' if sentinel in body else 'missing'}")
    return problems


def response_text(response) -> str:
    """The body as text; for a ZIP download (subject access), every file in it."""
    if response.get("Content-Type") == "application/zip":
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            return "\n".join(archive.read(name).decode() for name in archive.namelist())
    return response.content.decode()


def anonymous_problems(client, world, name) -> list[str]:
    args_of, _ = MATRIX[name]
    client.logout()
    response = client.get(reverse(name, args=args_of(world)))
    if name in TOKEN_URLS:
        expected = 404
    elif name in PUBLIC_URLS:
        expected = 200
    else:
        expected = 302
    if response.status_code != expected:
        return [f"anonymous GET {name}: {response.status_code}, not {expected}"]
    if expected == 302 and not response["Location"].startswith(reverse("account_login")):
        return [f"anonymous GET {name}: sent to {response['Location']}, not to sign in"]
    return []


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_matrix(client, world, name):
    """Every persona, then a visitor who has not signed in, against one URL. The world is built once per
    URL; each persona's requests run in a savepoint rolled back afterwards, so a POST one persona may make
    never changes what the next one sees."""
    problems = []
    for persona in PERSONAS:
        with transaction.atomic():
            problems += matrix_problems(client, world, name, persona)
            transaction.set_rollback(True)
    problems += anonymous_problems(client, world, name)
    assert problems == []


@pytest.mark.parametrize("persona", PERSONAS)
def test_case_search_finds_only_cases_the_tutor_holds(client, world, persona):
    client.force_login(getattr(world, persona).user)
    response = client.get(reverse("support:case-list"), {"q": "Teacher"})
    if persona in {"tutor", "other_tutor"}:
        found = [case.pk for case in response.context["cases"]]
        assert found == ([world.case.pk] if persona == "tutor" else [])
    else:
        assert response.status_code == 404


def test_aggregates_name_nobody(client, world):
    client.force_login(world.programme_lead.user)
    body = client.get(reverse("support:insights")).content.decode()
    assert "fewer than 5" in body
    assert world.teacher.surname not in body
    assert f"/support/cases/{world.case.pk}/" not in body


FORMAL_READERS = {"teacher", "line_manager", "hod", "programme_lead"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_formal_observation_readers(client, world, persona):
    client.force_login(getattr(world, persona).user)
    response = client.get(world.formal.get_absolute_url())
    assert response.status_code == (200 if persona in FORMAL_READERS else 404)
    assert (OBSERVATION_SENTINEL in response.content.decode()) == (persona in FORMAL_READERS)


@pytest.mark.parametrize("persona", PERSONAS)
def test_observation_csv_export_lists_only_readable(client, world, persona):
    client.force_login(getattr(world, persona).user)
    rows = []
    for view in ("of-me", "by-me", "formal"):
        body = client.get(
            reverse("observations:observation-list"), {"view": view, "format": "csv"}
        ).content.decode()
        rows += body.strip().splitlines()[1:]
    # Each list excludes what another list of the same person shows, so nothing is counted twice.
    expected = {
        "teacher": 2,  # both shared observations of them
        "tutor": 1,  # the developmental one they made
        "line_manager": 1,  # the formal one they made
        "hod": 2,  # their own draft, and the teacher's formal observation
        "programme_lead": 1,  # the teacher's formal observation
    }.get(persona, 0)
    assert len(rows) == expected, rows
    assert OBSERVATION_SENTINEL not in "".join(rows)


def test_department_needs_names_nobody(client, world):
    client.force_login(world.hod.user)
    body = client.get(reverse("observations:department-needs", args=[world.department.pk])).content.decode()
    assert "ETF 9" in body
    assert "fewer than 5" in body
    assert world.teacher.surname not in body
    assert OBSERVATION_SENTINEL not in body


def test_calendar_feed_with_its_token_needs_no_sign_in(client, world):
    response = client.get(reverse("cpd:calendar-feed", args=[world.token.pk, world.token.token]))
    assert response.status_code == 200
    assert b"SUMMARY:Questioning (Mathematics)" in response.content


@pytest.mark.parametrize("persona", PERSONAS)
def test_cover_requests_say_professional_development_never_coaching(client, world, persona):
    from protutor.coaching import services as coaching
    from tests.factories.coaching import school_slot

    coaching.book_session(
        actor=world.teacher.user,
        pairing=world.pairing,
        starts_at=school_slot(),
        length_minutes=50,
    )
    client.force_login(getattr(world, persona).user)
    response = client.get(reverse("cover-requests"))
    if persona != "hod":
        assert response.status_code == 404
        return
    body = response.content.decode()
    assert body.count("Professional development") == 2
    assert "coach" not in body.split('id="main-content"')[1].lower()


# The evaluation summary of a session: its department's planners and its own institution's programme lead
# (cpd.permissions.can_read_evaluation_summary); the invited staff read the session, not the summary.
EVALUATION_SUMMARY_READERS = {"hod", "tutor", "programme_lead"}


@pytest.mark.parametrize("persona", [*PERSONAS, "trust_lead"])
def test_session_evaluation_summary_readers(client, world, persona):
    if persona == "trust_lead":
        # Leads another school of the trust and teaches Mathematics here: reads the session, not the summary.
        from protutor.people.models import Role
        from tests.factories.people import InstitutionFactory, RoleAssignmentFactory, StaffMemberFactory

        staff = StaffMemberFactory(institution=world.college, department=world.department)
        RoleAssignmentFactory(
            staff=staff, role=Role.PROGRAMME_LEAD, institution=InstitutionFactory(name="School A")
        )
    else:
        staff = getattr(world, persona)
    client.force_login(staff.user)
    response = client.get(world.session.get_absolute_url())
    readers = SESSION_READERS | {"trust_lead"}
    assert response.status_code == (200 if persona in readers else 404)
    shows = '<h2 class="govuk-heading-m">Evaluations</h2>' in response.content.decode()
    assert shows == (persona in EVALUATION_SUMMARY_READERS)
