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


def _minutes_by_day(caseloads, start: dt.date, end: dt.date) -> dict[int, dict[str, dict[dt.date, int]]]:
    """Minutes per caseload, per source, per day between start and end (inclusive): four grouped queries,
    however many tutors."""
    by_tutor = {c.tutor_id: c.pk for c in caseloads}
    result: dict[int, dict[str, dict[dt.date, int]]] = {
        c.pk: {source: defaultdict(int) for source in SOURCES} for c in caseloads
    }
    grouped = [
        (
            "support",
            Interaction.objects.filter(tutor_id__in=by_tutor, occurred_on__range=(start, end))
            .values_list("tutor_id", "occurred_on")
            .annotate(m=Sum("minutes")),
        ),
        (
            "plans",
            PlanSupportEntry.objects.filter(tutor_id__in=by_tutor, given_on__range=(start, end))
            .values_list("tutor_id", "given_on")
            .annotate(m=Sum("minutes")),
        ),
        (
            "observations",
            Observation.objects.filter(
                observer_id__in=by_tutor, kind=Observation.Kind.DEVELOPMENTAL, observed_on__range=(start, end)
            )
            .values_list("observer_id", "observed_on")
            .annotate(m=Sum("length_minutes")),
        ),
    ]
    for source, rows in grouped:
        for tutor, day, minutes in rows.order_by():
            result[by_tutor[tutor]][source][day] += minutes
    links = CaseloadDepartment.objects.filter(caseload__in=[c.pk for c in caseloads])
    by_department = dict(links.values_list("department_id", "caseload_id"))
    for department, starts_at, minutes in Session.objects.filter(
        department__in=list(by_department),
        status=Session.Status.DELIVERED,
        starts_at__date__range=(start, end),
    ).values_list("department_id", "starts_at", "length_minutes"):
        result[by_department[department]]["cpd"][starts_at.date()] += minutes
    return result


def balance_for(caseload: Caseload, today: dt.date) -> dict:
    """The tutor's terms and the weeks of the current term, each with allowance, minutes used by source
    and the balance."""
    return balances_for([caseload], today)[0]


def balances_for(caseloads, today: dt.date) -> list[dict]:
    """Balances of several caseloads of one academic year, in a constant number of queries."""
    caseloads = list(caseloads)
    if not caseloads:
        return []
    year = caseloads[0].academic_year
    terms = list(year.terms.all())
    minutes = _minutes_by_day(caseloads, year.starts_on, year.ends_on)
    return [_balance(caseload, terms, minutes[caseload.pk], today) for caseload in caseloads]


def _balance(caseload: Caseload, terms, days, today: dt.date) -> dict:
    total = term_days(terms)
    year = caseload.academic_year

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


def programme_time_by_term(caseloads, today: dt.date) -> dict[int, dict]:
    """The tutors' time against remission added up per term of the caseloads' year: allowance and minutes
    used, and how many tutors, with no per-tutor figure. A constant number of queries."""
    caseloads = list(caseloads)
    result: dict[int, dict] = {}
    if not caseloads:
        return result
    terms = list(caseloads[0].academic_year.terms.all())
    balances = balances_for(caseloads, today)
    for index, term in enumerate(terms):
        periods = [b["terms"][index] for b in balances]
        result[term.pk] = {
            "tutors": len(periods),
            "allowance_minutes": sum(p.allowance_minutes for p in periods),
            "used_minutes": sum(p.used for p in periods),
        }
    return result
