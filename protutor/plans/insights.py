"""Plans in numbers for the programme lead: opened, open now, closed as met, and how long they ran, by
term, with small-number suppression."""

from __future__ import annotations

from statistics import median

from django.utils import timezone

from protutor.core import aggregates
from protutor.plans.models import SupportPlan


def plans_overview(institution_ids, year) -> dict:
    plans = list(
        SupportPlan.objects.filter(institution_id__in=institution_ids).values_list(
            "starts_on", "closed_on", "status"
        )
    )
    today = timezone.localdate()
    rows = []
    for term in year.terms.all():
        opened = [p for p in plans if term.starts_on <= p[0] <= term.ends_on]
        closed = [p for p in plans if p[1] and term.starts_on <= p[1] <= term.ends_on]
        met = [p for p in closed if p[2] == SupportPlan.Status.CLOSED_MET]
        durations = [(p[1] - p[0]).days for p in closed]
        rows.append(
            {
                "term": term,
                "opened": aggregates.count_of_people(len(opened)),
                "closed": aggregates.count_of_people(len(closed)),
                "met": aggregates.rate_of_people(len(met), len(closed)),
                "median_days": round(median(durations)) if len(durations) >= aggregates.threshold() else None,
            }
        )
    open_now = [p for p in plans if p[2] == SupportPlan.Status.OPEN]
    return {
        "rows": rows,
        "open_now": aggregates.count_of_people(len(open_now)),
        "open_weeks": (
            round(median((today - p[0]).days for p in open_now) / 7)
            if len(open_now) >= aggregates.threshold()
            else None
        ),
    }
