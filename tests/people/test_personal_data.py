"""What the app holds about a person: the registry (protutor/core/personal_data.py), the subject-access
download and the erasure of a leaver."""

import csv
import datetime as dt
import io
import json
import zipfile

import pytest
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from protutor.audit.models import AccessRecord, AuditEvent
from protutor.coaching import services as coaching
from protutor.coaching.models import JournalEntry
from protutor.core import permissions as registry
from protutor.core import personal_data
from protutor.core.errors import ServiceError
from protutor.cpd import services as cpd
from protutor.cpd.insights import sessions_by_term
from protutor.cpd.models import CalendarToken
from protutor.observations.insights import effective_share
from protutor.observations.models import Observation, ObservationPoint
from protutor.people import services
from protutor.people.models import StaffMember
from protutor.people.roles import actor_for
from protutor.plans import services as plans
from protutor.plans.models import SupportPlan
from protutor.support.insights import support_overview
from protutor.support.models import Interaction, PrivateNote, SupportCase
from tests.factories import observations as obs
from tests.factories import support as cases

User = get_user_model()
BY_SECTION = {entry.section: entry for entry in personal_data.HOLDINGS}
PERSON_MODELS = (StaffMember, User)


def links_to_a_person(model) -> bool:
    return any(
        field.is_relation and field.concrete and field.related_model in PERSON_MODELS
        for field in model._meta.get_fields()
    )


# --- the registry ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "model",
    [r.model for r in registry.registrations() if not r.is_public and links_to_a_person(r.model)],
    ids=lambda m: m._meta.label,
)
def test_every_model_that_links_to_a_person_is_a_holding_or_says_why_not(model):
    held = {entry.label for entry in personal_data.HOLDINGS}
    assert model._meta.label in held or personal_data.not_about_reason(model), (
        f"{model._meta.label} links to a member of staff: add it to HOLDINGS, or to NOT_ABOUT_THE_PERSON "
        "with the reason"
    )


@pytest.mark.parametrize("entry", personal_data.HOLDINGS, ids=lambda e: e.label)
def test_each_holding_names_real_fields_and_a_scope(entry, db):
    model = entry.model
    for name in entry.columns:
        model._meta.get_field(name)
    for name in entry.blanked_fields():
        assert model._meta.get_field(name).get_internal_type() in ("TextField", "CharField"), name
    registry.registration(model)  # the download reads through it
    entry.rows_about(StaffMember(pk=1)).exists()  # the lookups resolve
    if entry.erase == "blank":
        assert entry.blanked_fields(), f"{entry.label}: nothing to blank; use keep"


def test_sections_and_models_are_listed_once():
    sections = [entry.section for entry in personal_data.HOLDINGS]
    labels = [entry.label for entry in personal_data.HOLDINGS]
    assert len(set(sections)) == len(sections)
    assert len(set(labels)) == len(labels)
    assert not set(labels) & set(personal_data.NOT_ABOUT_THE_PERSON)
    for label in personal_data.NOT_ABOUT_THE_PERSON:
        apps.get_model(label)


# --- a teacher's records across the apps ------------------------------------------------------------


@pytest.fixture
def records(teacher, tutor, line_manager, colleague, year, department):
    case = cases.open_case_for(teacher, tutor, reason="Help with questioning")
    cases.log(
        case, tutor, shared="Shared: cold calling", private="PRIVATE-ONLY-MINE", next_steps="Try it in P2"
    )
    other = cases.open_case_for(colleague, tutor, reason="COLLEAGUE-CASE")
    formal = obs.observe(
        line_manager,
        teacher,
        kind=obs.FORMAL,
        outcome="effective",
        points=[obs.strength("Clear routines at the door", "TS 7")],
    )
    session = cpd.save_session(
        actor=tutor.user,
        department=department,
        title="Questioning",
        format="meeting",
        length_minutes=30,
        starts_at=timezone.now() - dt.timedelta(hours=2),
    )
    cpd.record_attendance(actor=tutor.user, session=session, attendees=[teacher, colleague])
    cpd.issue_calendar_token(actor=teacher.user)
    entry = coaching.write_journal(actor=teacher.user, text="MY-JOURNAL-WORDS")
    plan = plans.open_plan(
        actor=line_manager.user,
        teacher=teacher,
        concerns="Routines at the start of lessons",
        goals=[("Routines", "Calm entry")],
        first_review_on=timezone.localdate() + dt.timedelta(days=14),
        assigned_tutor=tutor,
    )
    return {"case": case, "other": other, "formal": formal, "session": session, "entry": entry, "plan": plan}


def unzip(content: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name).decode("utf-8-sig") for name in archive.namelist()}


def test_the_download_holds_every_section_as_csv_and_json_with_a_readme(client_for, teacher, tutor, records):
    response = client_for(teacher).get(reverse("people:my-data-download"))

    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="protutor-my-data.zip"'
    files = unzip(response.content)
    exported = [e for e in personal_data.HOLDINGS if e.export]
    assert set(files) == {"README.txt", "everything.json"} | {f"{e.section}.csv" for e in exported}

    everything = json.loads(files["everything.json"])
    assert everything["person"]["staff_code"] == teacher.staff_code
    sections = everything["sections"]

    def column(section, name):
        heading = personal_data._header(BY_SECTION[section].model, name)
        return [row[heading] for row in sections[section]["rows"]]

    assert column("support/interactions", "shared_notes") == ["Shared: cold calling"]
    assert column("support/interactions", "next_steps") == ["Try it in P2"]
    assert column("support/cases", "tutors") == [tutor.full_name]
    assert column("coaching/journal", "text") == ["MY-JOURNAL-WORDS"]
    assert column("cpd/attendance", "session") == [str(records["session"])]
    assert column("observations/observations", "outcome") == ["effective"]
    assert column("observations/points", "text") == ["Clear routines at the door"]
    assert column("plans/plans", "concerns") == ["Routines at the start of lessons"]
    assert column("plans/goals", "goal") == ["Routines"]
    assert len(sections["profile/calendar-feed"]["rows"][0]) == 1  # the date made, never the key itself

    rows = list(csv.reader(io.StringIO(files["support/interactions.csv"])))
    assert rows[0][:2] == ["Case", "Date"]
    assert (
        "support/interactions.csv: Meetings, observations and coaching in your support (1 row)"
        in files["README.txt"]
    )
    assert "Tutors' private notes" in files["README.txt"]

    everything_text = "\n".join(files.values())
    assert "PRIVATE-ONLY-MINE" not in everything_text
    assert "COLLEAGUE-CASE" not in everything_text
    assert CalendarToken.objects.get(user=teacher.user).token not in everything_text


def test_downloading_writes_the_access_log_for_support_and_plans(client_for, teacher, records):
    client_for(teacher).get(reverse("people:my-data-download"))
    logged = set(
        AccessRecord.objects.filter(subject=teacher, reason=AccessRecord.Reason.EXPORT).values_list(
            "record_type", "record_id"
        )
    )
    assert logged == {
        (SupportCase._meta.verbose_name, str(records["case"].pk)),
        (SupportPlan._meta.verbose_name, str(records["plan"].pk)),
    }


def test_a_spreadsheet_formula_is_written_as_text(client_for, teacher):
    coaching.write_journal(actor=teacher.user, text='=HYPERLINK("http://x")')
    files = unzip(client_for(teacher).get(reverse("people:my-data-download")).content)
    assert "'=HYPERLINK" in files["coaching/journal.csv"]


def test_the_page_explains_and_links_the_download(client_for, teacher):
    page = client_for(teacher).get(reverse("people:my-data")).content.decode()
    assert reverse("people:my-data-download") in page
    assert "Tutors&#x27; private notes" in page or "Tutors' private notes" in page


# --- erasure ------------------------------------------------------------------------------------------


def leave(admin, staff):
    services.set_account_active(actor=admin.user, staff=staff, active=False)
    staff.refresh_from_db()


def figures(programme_lead, college, year, department):
    return {
        "support": support_overview(programme_lead.user, actor_for(programme_lead.user)),
        "effective": effective_share(programme_lead.user, college.pk, year),
        "cpd": sessions_by_term([department.pk], year.terms.all()),
        "minutes": sorted(Interaction.objects.values_list("minutes", flat=True)),
        "observations": Observation.objects.count(),
    }


def test_erasing_a_leaver_removes_who_they_are_and_what_was_written_and_keeps_every_figure(
    admin, teacher, tutor, colleague, programme_lead, college, year, department, records
):
    SupportPlan.objects.filter(pk=records["plan"].pk).update(status=SupportPlan.Status.WITHDRAWN)
    Authenticator.objects.create(user=teacher.user, type=Authenticator.Type.TOTP, data={})
    leave(admin, teacher)
    before = figures(programme_lead, college, year, department)
    name, email, code = teacher.full_name, teacher.email, teacher.staff_code

    services.erase_leaver(actor=admin.user, staff=teacher)

    teacher.refresh_from_db()
    assert teacher.full_name == "Former staff member"
    assert (teacher.email, teacher.staff_code) == (
        f"erased-{teacher.pk}@erased.invalid",
        f"erased-{teacher.pk}",
    )
    user = User.objects.get(pk=teacher.user_id)
    assert (user.username, user.email, user.is_active, user.has_usable_password()) == (
        f"erased-{teacher.pk}",
        "",
        False,
        False,
    )
    assert not Authenticator.objects.filter(user=user).exists()
    assert not CalendarToken.objects.filter(user=user).exists()
    assert not JournalEntry.objects.filter(author=teacher).exists()
    assert not PrivateNote.objects.filter(interaction__case__teacher=teacher).exists()
    assert list(
        Interaction.objects.filter(case=records["case"]).values_list("shared_notes", "next_steps")
    ) == [("", "")]
    assert set(
        ObservationPoint.objects.filter(observation=records["formal"]).values_list("text", flat=True)
    ) == {""}
    assert SupportPlan.objects.get(pk=records["plan"].pk).concerns == ""
    # The colleague's records are untouched.
    assert SupportCase.objects.get(pk=records["other"].pk).referral.reason == "COLLEAGUE-CASE"

    assert figures(programme_lead, college, year, department) == before
    event = AuditEvent.objects.get(action="people.erased")
    assert event.target_id == str(teacher.pk)
    assert name not in json.dumps(event.detail) and email not in json.dumps(event.detail)
    assert code not in json.dumps(event.detail)

    assert services.erasure_refusals(teacher) == ["This person's data has already been erased."]


def test_erasure_is_refused_with_the_reason_while_they_work_here_or_records_must_stay(
    admin, teacher, tutor, records
):
    reasons = services.erasure_refusals(teacher)
    assert any("still on the staff list" in r for r in reasons)
    assert services.HELD_RECORDS in reasons
    cases.concern(records["case"], tutor)
    leave(admin, teacher)
    reasons = services.erasure_refusals(teacher)
    assert reasons == [services.HELD_RECORDS]
    with pytest.raises(ServiceError, match="must be kept for now"):
        services.erase_leaver(actor=admin.user, staff=teacher)
    teacher.refresh_from_db()
    assert teacher.surname != "staff member"
    assert JournalEntry.objects.filter(author=teacher).exists()


def test_the_erasure_refusal_names_neither_a_concern_nor_a_plan(client_for, admin, teacher, tutor, records):
    """The administrator may not know that a safeguarding concern or a support plan exists: the refusal
    for either is the same sentence, and the page says nothing more."""
    leave(admin, teacher)
    with_plan = client_for(admin).get(reverse("people:staff-erase", args=[teacher.pk])).content.decode()
    cases.concern(records["case"], tutor)
    with_both = client_for(admin).get(reverse("people:staff-erase", args=[teacher.pk])).content.decode()
    for page in (with_plan, with_both):
        assert "must be kept for now" in page
        for word in ("safeguarding", "Safeguarding", "support plan", "concern"):
            assert word not in page.split("<main", 1)[1], word


def test_the_administrator_erases_in_the_browser_after_confirming(client_for, admin, teacher):
    leave(admin, teacher)
    client = client_for(admin)
    detail = client.get(teacher.get_absolute_url()).content.decode()
    url = reverse("people:staff-erase", args=[teacher.pk])
    assert url in detail
    page = client.get(url).content.decode()
    assert "It cannot be undone" in page
    response = client.post(url, follow=True)
    assert "personal data has been erased" in response.content.decode()
    teacher.refresh_from_db()
    assert teacher.full_name == "Former staff member"


def test_the_confirm_page_shows_why_not_and_a_post_changes_nothing(client_for, admin, teacher):
    client = client_for(admin)
    url = reverse("people:staff-erase", args=[teacher.pk])
    page = client.post(url).content.decode()
    assert "Their data cannot be erased yet" in page
    assert "still on the staff list" in page
    teacher.refresh_from_db()
    assert teacher.is_active and teacher.surname != "staff member"


def test_only_the_institutions_administrator_may_erase(
    client_for, admin, teacher, line_manager, programme_lead
):
    leave(admin, teacher)
    url = reverse("people:staff-erase", args=[teacher.pk])
    for person in (line_manager, programme_lead):
        assert client_for(person).post(url).status_code == 404
    with pytest.raises(ServiceError):
        services.erase_leaver(actor=programme_lead.user, staff=teacher)
    teacher.refresh_from_db()
    assert teacher.surname != "staff member"


def test_the_download_makes_as_many_queries_for_five_records_of_each_kind_as_for_one(
    client_for, teacher, tutor, line_manager, records
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(teacher)
    url = reverse("people:my-data-download")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(4):
        case = cases.open_case_for(teacher, tutor, reason=f"More help {n}")
        cases.log(case, tutor, shared=f"More notes {n}")
        obs.observe(line_manager, teacher, points=[obs.strength(f"Point {n}", "TS 7")])
        coaching.write_journal(actor=teacher.user, text=f"Entry {n}")
    with CaptureQueriesContext(connection) as five:
        client.get(url)
    assert len(five) == len(one)
