"""How long each kind of record is kept, and which records are past it.

The periods are policy, not law: a school sets them from its records-management policy (most use the IRMS
toolkit) through `PROTUTOR_RETENTION_YEARS` in the settings (one environment variable per kind, see
docs/data-protection.md). A period of 0 keeps that kind for ever. `protutor retention` lists what is past
its period; `protutor retention --apply` deletes it, one kind per transaction, and audits the count.

A record that must outlive its period is *held*, listed with the reason, and never deleted here: a support
case with a safeguarding concern recorded against it stays until the safeguarding lead's own policy (the
concern protects the case in the database as well).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from protutor.audit import services as audit
from protutor.audit.models import AccessRecord
from protutor.coaching.models import JournalEntry
from protutor.core.models import Notification
from protutor.ite.models import Intern
from protutor.observations.models import Observation
from protutor.support.models import Referral, SafeguardingConcern, SupportCase


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    rule: str  # completes "deleted when ..." with the period in years
    expired: Callable[[datetime.date], QuerySet]  # every record past a cut-off date, held ones included
    date_field: str  # the date the period runs from, for the listing
    institution_field: str  # the institution's id, for the listing
    held: Callable[[QuerySet], QuerySet] | None = None  # the part of `expired` that must be kept
    held_reason: str = ""
    delete: Callable[[QuerySet], int] | None = None  # how to delete, when not the queryset's own delete

    @property
    def years(self) -> int:
        return int(settings.PROTUTOR_RETENTION_YEARS.get(self.key, 0))


def _with_concern(cases: QuerySet) -> QuerySet:
    return cases.filter(Exists(SafeguardingConcern.objects.filter(case=OuterRef("pk"))))


def _cases_due(cutoff: datetime.date) -> QuerySet:
    expired = kind("support_cases").expired(cutoff)
    return expired.exclude(pk__in=_with_concern(expired).values("pk"))


def _delete_access_records(records: QuerySet) -> int:
    # The access log refuses deletes through the app (audit.models); the retention policy is the one
    # path that removes rows from it, in bulk and audited.
    return records._raw_delete(records.db)


KINDS: tuple[Kind, ...] = (
    Kind(
        key="support_cases",
        label="Support cases (with their interactions and notes)",
        rule="closed more than {years} years ago",
        expired=lambda cutoff: SupportCase.objects.filter(
            status=SupportCase.Status.CLOSED, closed_at__date__lt=cutoff
        ),
        date_field="closed_at",
        institution_field="institution_id",
        held=_with_concern,
        held_reason="a safeguarding concern is recorded against the case",
    ),
    Kind(
        key="support_referrals",
        label="Referrals for support",
        rule="made more than {years} years ago",
        # A referral goes with its case, or on its own when it never became one (declined, say).
        expired=lambda cutoff: Referral.objects.filter(created_at__date__lt=cutoff).filter(
            Q(case__isnull=True) | Q(case__in=_cases_due(cutoff))
        ),
        date_field="created_at",
        institution_field="teacher__institution_id",
    ),
    Kind(
        key="observations",
        label="Observations (with their strengths and areas for development)",
        rule="that took place more than {years} years ago",
        expired=lambda cutoff: Observation.objects.filter(observed_on__lt=cutoff),
        date_field="observed_on",
        institution_field="institution_id",
    ),
    Kind(
        key="coaching_journals",
        label="Coaching journal entries",
        rule="written more than {years} years ago",
        expired=lambda cutoff: JournalEntry.objects.filter(written_on__lt=cutoff),
        date_field="written_on",
        institution_field="author__institution_id",
    ),
    Kind(
        key="trainee_records",
        label="Trainee (intern) records: placements, mentor meetings, judgements, causes for concern, timetable",
        rule="whose programme year ended more than {years} years ago",
        expired=lambda cutoff: Intern.objects.filter(programme__academic_year__ends_on__lt=cutoff),
        date_field="programme__academic_year__ends_on",
        institution_field="staff__institution_id",
    ),
    Kind(
        key="access_log",
        label="Access log (who read which confidential record)",
        rule="recorded more than {years} years ago",
        expired=lambda cutoff: AccessRecord.objects.filter(at__date__lt=cutoff),
        date_field="at",
        institution_field="subject__institution_id",
        delete=_delete_access_records,
    ),
    Kind(
        key="notifications",
        label="Updates (what the app told a person, shown to them after sign-in)",
        rule="made more than {years} years ago",
        expired=lambda cutoff: Notification.objects.filter(created_at__date__lt=cutoff),
        date_field="created_at",
        institution_field="user__staff__institution_id",
    ),
)


def kind(key: str) -> Kind:
    for entry in KINDS:
        if entry.key == key:
            return entry
    raise LookupError(f"No retention kind {key!r}")


def years_before(day: datetime.date, years: int) -> datetime.date:
    """The same calendar date `years` earlier; 29 February falls back to the 28th."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


@dataclass
class Finding:
    kind: Kind
    cutoff: datetime.date | None  # None: kept for ever
    due: QuerySet | None  # past the period and not held
    held: QuerySet | None

    def rows(self, queryset: QuerySet) -> list[tuple]:
        """(id, institution id, date) for each record: never a name or any text."""
        return list(
            queryset.order_by("pk").values_list("pk", self.kind.institution_field, self.kind.date_field)
        )


def review(today: datetime.date | None = None) -> list[Finding]:
    today = today or timezone.localdate()
    findings = []
    for entry in KINDS:
        if entry.years <= 0:
            findings.append(Finding(entry, None, None, None))
            continue
        cutoff = years_before(today, entry.years)
        expired = entry.expired(cutoff)
        held = entry.held(expired) if entry.held else expired.none()
        due = expired.exclude(pk__in=held.values("pk")) if entry.held else expired
        findings.append(Finding(entry, cutoff, due, held))
    return findings


def apply(finding: Finding) -> int:
    """Delete what is due for one kind, in one transaction with its audit entry; returns the number of
    records of that kind deleted (rows that depend on them go with them)."""
    if finding.due is None or finding.cutoff is None:
        return 0
    with transaction.atomic():
        pks = list(finding.due.values_list("pk", flat=True))
        if not pks:
            return 0
        queryset = finding.kind.expired(finding.cutoff).filter(pk__in=pks)
        if finding.kind.delete is not None:
            finding.kind.delete(queryset)
        else:
            queryset.delete()
        audit.record(
            actor=None,
            action="retention.delete",
            kind=finding.kind.key,
            deleted=len(pks),
            cutoff=finding.cutoff.isoformat(),
            years=finding.kind.years,
        )
    return len(pks)
