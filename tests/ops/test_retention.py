"""Retention: what `protutor retention` lists, what --apply deletes and what it never touches."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from protutor.audit import services as audit
from protutor.audit.models import AccessRecord, AuditEvent
from protutor.coaching.models import JournalEntry
from protutor.core import retention
from protutor.ite.models import Intern, Placement
from protutor.observations.models import Observation, ObservationPoint
from protutor.support import services as support
from protutor.support.models import Interaction, PrivateNote, Referral, SupportCase
from tests.factories import observations as obs
from tests.factories import support as cases
from tests.factories.ite import InternFactory, PlacementFactory, ProgrammeFactory
from tests.factories.people import AcademicYearFactory

TODAY = dt.date(2026, 12, 3)
LONG_AGO = dt.datetime(2019, 6, 1, 12, tzinfo=dt.UTC)  # more than six years before TODAY
LATELY = dt.datetime(2025, 6, 1, 12, tzinfo=dt.UTC)


def run(*args) -> str:
    out = StringIO()
    call_command("retention", *args, "--today", TODAY.isoformat(), stdout=out)
    return out.getvalue()


def closed_case(teacher, tutor, *, closed_at, concern=False) -> SupportCase:
    case = cases.open_case_for(teacher, tutor)
    cases.log(case, tutor, shared="We looked at questioning", private="Seemed tired")
    if concern:
        cases.concern(case, tutor)
    support.close_case(actor=tutor.user, case=case, outcome=SupportCase.Outcome.GOALS_MET)
    SupportCase.objects.filter(pk=case.pk).update(closed_at=closed_at, opened_at=closed_at)
    Referral.objects.filter(case=case).update(created_at=closed_at)
    return case


@pytest.fixture
def world(college, tutor, teacher, colleague, line_manager):
    old = closed_case(teacher, tutor, closed_at=LONG_AGO)
    held = closed_case(colleague, tutor, closed_at=LONG_AGO, concern=True)
    recent = closed_case(teacher, tutor, closed_at=LATELY)
    still_open = cases.open_case_for(colleague, tutor)
    SupportCase.objects.filter(pk=still_open.pk).update(opened_at=LONG_AGO)
    declined = cases.encourage(line_manager, teacher)
    support.respond_to_referral(actor=teacher.user, referral=declined, accept=False)
    Referral.objects.filter(pk=declined.pk).update(created_at=LONG_AGO)

    old_obs = obs.observe(
        tutor, teacher, observed_on=LONG_AGO.date(), points=[obs.strength("Clear aims", "TS 4")]
    )
    new_obs = obs.observe(tutor, teacher, observed_on=LATELY.date())

    old_entry = JournalEntry.objects.create(
        author=teacher, text="Old reflection", written_on=dt.date(2023, 1, 9)
    )
    new_entry = JournalEntry.objects.create(
        author=teacher, text="New reflection", written_on=dt.date(2026, 1, 9)
    )

    past_year = AcademicYearFactory(
        institution=college, starts_on=dt.date(2018, 9, 1), ends_on=dt.date(2019, 8, 31), name="2018/19"
    )
    old_intern = InternFactory(
        programme=ProgrammeFactory(academic_year=past_year, provider__institution=college)
    )
    PlacementFactory(intern=old_intern, starts_on=dt.date(2019, 1, 7), ends_on=dt.date(2019, 3, 29))
    new_intern = InternFactory(programme=ProgrammeFactory(provider__institution=college))
    return {
        "old": old,
        "held": held,
        "recent": recent,
        "open": still_open,
        "declined": declined,
        "old_obs": old_obs,
        "new_obs": new_obs,
        "old_entry": old_entry,
        "new_entry": new_entry,
        "old_intern": old_intern,
        "new_intern": new_intern,
    }


def test_dry_run_lists_each_kind_with_its_cutoff_and_changes_nothing(world, teacher, colleague):
    before = {m: m.objects.count() for m in (SupportCase, Referral, Observation, JournalEntry, Intern)}

    out = run()

    assert "deleted when closed more than 6 years ago: cut-off 2020-12-03" in out
    assert "deleted when written more than 2 years ago: cut-off 2024-12-03" in out
    assert f"due: id {world['old'].pk}, institution {world['old'].institution_id}, 2019-06-01" in out
    assert f"held, a safeguarding concern is recorded against the case: id {world['held'].pk}," in out
    assert f"due: id {world['old_obs'].pk}," in out
    assert f"due: id {world['old_entry'].pk}," in out
    assert f"due: id {world['old_intern'].pk}," in out
    assert "nothing changed: add --apply" in out
    for name in (teacher.surname, colleague.surname, teacher.email):
        assert name not in out
    assert {m: m.objects.count() for m in before} == before


def test_apply_deletes_what_is_due_with_what_hangs_from_it_and_keeps_the_rest(world):
    old_interactions = list(Interaction.objects.filter(case=world["old"]).values_list("pk", flat=True))

    out = run("--apply")

    assert not SupportCase.objects.filter(pk=world["old"].pk).exists()
    assert not Interaction.objects.filter(pk__in=old_interactions).exists()
    assert not PrivateNote.objects.filter(interaction__in=old_interactions).exists()
    assert not Referral.objects.filter(pk=world["declined"].pk).exists()
    assert not Referral.objects.filter(created_at=LONG_AGO, case__isnull=True).exists()
    # Held, still within its period, or still open: kept.
    kept = set(SupportCase.objects.values_list("pk", flat=True))
    assert {world["held"].pk, world["recent"].pk, world["open"].pk} <= kept
    assert Referral.objects.filter(case=world["held"]).exists()

    assert list(Observation.objects.values_list("pk", flat=True)) == [world["new_obs"].pk]
    assert not ObservationPoint.objects.filter(observation_id=world["old_obs"].pk).exists()
    assert list(JournalEntry.objects.values_list("pk", flat=True)) == [world["new_entry"].pk]
    assert list(Intern.objects.values_list("pk", flat=True)) == [world["new_intern"].pk]
    assert not Placement.objects.filter(intern_id=world["old_intern"].pk).exists()

    events = {e.detail["kind"]: e.detail for e in AuditEvent.objects.filter(action="retention.delete")}
    assert events["support_cases"]["deleted"] == 1
    assert events["support_cases"]["cutoff"] == "2020-12-03"
    assert events["coaching_journals"] == {
        "kind": "coaching_journals",
        "deleted": 1,
        "cutoff": "2024-12-03",
        "years": 2,
    }
    assert "records deleted" in out

    # Run again: nothing more is due, and nothing more is audited.
    assert "0 records deleted" in run("--apply")
    assert AuditEvent.objects.filter(action="retention.delete").count() == len(events)


def test_the_access_log_goes_only_through_the_retention_policy(tutor, teacher):
    case = cases.open_case_for(teacher, tutor)
    audit.log_access(reader=tutor.user, subject=teacher, record=case)
    with pytest.raises(PermissionError):
        AccessRecord.objects.all().delete()

    out = StringIO()
    call_command(
        "retention",
        "--apply",
        "--today",
        (timezone.localdate() + dt.timedelta(days=5)).isoformat(),
        stdout=out,
    )
    assert AccessRecord.objects.filter(subject=teacher).exists()  # within six years

    later = timezone.localdate().replace(year=timezone.localdate().year + 7)
    call_command("retention", "--apply", "--summary", "--today", later.isoformat(), stdout=out)
    assert not AccessRecord.objects.exists()


@override_settings(
    PROTUTOR_RETENTION_YEARS={**retention.settings.PROTUTOR_RETENTION_YEARS, "observations": 0}
)
def test_a_period_of_zero_keeps_that_kind_for_ever(world):
    out = run("--apply")
    assert "kept for ever (period 0)" in out
    assert Observation.objects.filter(pk=world["old_obs"].pk).exists()
    assert not SupportCase.objects.filter(pk=world["old"].pk).exists()


def test_a_bad_date_names_the_option():
    with pytest.raises(CommandError, match="--today must be a date written YYYY-MM-DD"):
        call_command("retention", "--today", "3/12/2026")


def test_the_period_for_each_kind_comes_from_its_environment_variable(monkeypatch):
    from protutor import settings as project_settings

    monkeypatch.setenv("PROTUTOR_RETAIN_OBSERVATIONS_YEARS", "3")
    assert project_settings.env_int("PROTUTOR_RETAIN_OBSERVATIONS_YEARS", 6) == 3
    assert set(project_settings.PROTUTOR_RETENTION_YEARS) == {k.key for k in retention.KINDS}


@given(day=st.dates(min_value=dt.date(1900, 1, 1)), years=st.integers(min_value=0, max_value=50))
def test_years_before_is_the_same_calendar_date(day, years):
    earlier = retention.years_before(day, years)
    assert earlier.year == day.year - years
    assert earlier.month == day.month
    assert earlier.day == day.day or (day.month, day.day, earlier.day) == (2, 29, 28)


def test_updates_go_after_a_year_and_the_listing_shows_no_message(teacher):
    from protutor.core.models import Notification

    old = Notification.objects.create(user=teacher.user, token="old", message="Your plan review", path="/p/")
    new = Notification.objects.create(user=teacher.user, token="new", message="Your plan review", path="/p/")
    Notification.objects.filter(pk=old.pk).update(created_at=LATELY)  # 18 months before TODAY
    Notification.objects.filter(pk=new.pk).update(created_at=dt.datetime(2026, 6, 1, tzinfo=dt.UTC))

    listing = run()
    assert "Updates" in listing and "plan review" not in listing and "/p/" not in listing
    run("--apply")
    assert list(Notification.objects.values_list("token", flat=True)) == ["new"]
