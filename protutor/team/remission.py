"""Time against remission: each tutor's recorded work, per week and per term, against their remitted hours.

Work counted (minutes): one-to-one support interactions they logged; support given on support plans;
developmental observations they made; CPD sessions delivered in their caseload's departments. The
remitted hours of a year are spread over the weeks of its terms in proportion to their length, so a
term's allowance is its share of the year's term days.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum

from protutor.cpd.models import Session
from protutor.observations.models import Observation
from protutor.people.models import Caseload, CaseloadDepartment
from protutor.plans.models import PlanSupportEntry
from protutor.support.models import Interaction

SOURCES = ("support", "plans", "observations", "cpd")


@dataclass
class Period:
    label: str
    starts_on: dt.date
    ends_on: dt.date
    allowance_minutes: int
    minutes: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SOURCES, 0))

    @property
    def used(self) -> int:
        return sum(self.minutes.values())

    @property
    def balance(self) -> int:
        """Minutes left (positive) or over (negative)."""
        return self.allowance_minutes - self.used

    @property
    def state(self) -> str:
        if self.allowance_minutes == 0:
            return "no allowance"
        share = self.used / self.allowance_minutes
        if share > 1.1:
            return "over"
        if share < 0.5:
            return "under"
        return "on track"


def term_days(terms) -> int:
    return sum((t.ends_on - t.starts_on).days + 1 for t in terms)


def allowance(remitted_hours: Decimal, days: int, total_days: int) -> int:
    if total_days <= 0:
        return 0
    return round(Decimal(remitted_hours) * 60 * days / total_days)


def _by_day(caseload: Caseload, start: dt.date, end: dt.date) -> dict[str, dict[dt.date, int]]:
    """Minutes per source per day between start and end (inclusive): four grouped queries."""
    tutor = caseload.tutor_id
    days: dict[str, dict[dt.date, int]] = {source: defaultdict(int) for source in SOURCES}
    for day, minutes in (
        Interaction.objects.filter(tutor_id=tutor, occurred_on__range=(start, end))
        .values_list("occurred_on")
        .annotate(m=Sum("minutes"))
        .order_by()
    ):
        days["support"][day] += minutes
    for day, minutes in (
        PlanSupportEntry.objects.filter(tutor_id=tutor, given_on__range=(start, end))
        .values_list("given_on")
        .annotate(m=Sum("minutes"))
        .order_by()
    ):
        days["plans"][day] += minutes
    for day, minutes in (
        Observation.objects.filter(
            observer_id=tutor, kind=Observation.Kind.DEVELOPMENTAL, observed_on__range=(start, end)
        )
        .values_list("observed_on")
        .annotate(m=Sum("length_minutes"))
        .order_by()
    ):
        days["observations"][day] += minutes
    departments = CaseloadDepartment.objects.filter(caseload=caseload).values("department")
    for starts_at, minutes in Session.objects.filter(
        department__in=departments,
        status=Session.Status.DELIVERED,
        starts_at__date__range=(start, end),
    ).values_list("starts_at", "length_minutes"):
        days["cpd"][starts_at.date()] += minutes
    return days


def balance_for(caseload: Caseload, today: dt.date) -> dict:
    """The tutor's terms and the weeks of the current term, each with allowance, minutes used by source
    and the balance."""
    terms = list(caseload.academic_year.terms.all())
    total = term_days(terms)
    year = caseload.academic_year
    days = _by_day(caseload, year.starts_on, year.ends_on)

    def period(label, start, end, allowance_minutes):
        p = Period(label, start, end, allowance_minutes)
        for source in SOURCES:
            p.minutes[source] = sum(m for d, m in days[source].items() if start <= d <= end)
        return p

    term_periods = [
        period(
            str(t.get_name_display()),
            t.starts_on,
            t.ends_on,
            allowance(caseload.remitted_hours, term_days([t]), total),
        )
        for t in terms
    ]
    current = next((t for t in terms if t.starts_on <= today <= t.ends_on), None)
    weeks = []
    if current is not None:
        monday = current.starts_on - dt.timedelta(days=current.starts_on.weekday())
        while monday <= min(today, current.ends_on):
            start = max(monday, current.starts_on)
            end = min(monday + dt.timedelta(days=6), current.ends_on)
            weeks.append(
                period(
                    f"Week of {monday:%d %b}",
                    start,
                    end,
                    allowance(caseload.remitted_hours, (end - start).days + 1, total),
                )
            )
            monday += dt.timedelta(days=7)
    year_period = period(
        year.name, year.starts_on, year.ends_on, round(Decimal(caseload.remitted_hours) * 60)
    )
    current_period = next((p for p in term_periods if p.starts_on <= today <= p.ends_on), year_period)
    return {
        "caseload": caseload,
        "terms": term_periods,
        "weeks": weeks,
        "year": year_period,
        "current": current_period,
    }
