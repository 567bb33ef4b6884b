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
        closed = [(s, c, st) for s, c, st in plans if c and term.starts_on <= c <= term.ends_on]
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


def plans_by_term(institution_ids, terms, department_ids=None) -> dict[int, dict]:
    """Per term: plans opened, plans closed and closed as met, raw counts for the impact dashboard (which
    turns them into figures through aggregates). `department_ids` narrows to the teachers' departments.
    One query."""
    plans = SupportPlan.objects.filter(institution_id__in=institution_ids)
    if department_ids is not None:
        plans = plans.filter(teacher__department__in=department_ids)
    rows = list(plans.values_list("starts_on", "closed_on", "status"))
    result = {}
    for term in terms:
        closed = [p for p in rows if p[1] and term.starts_on <= p[1] <= term.ends_on]
        result[term.pk] = {
            "opened": sum(1 for p in rows if term.starts_on <= p[0] <= term.ends_on),
            "closed": len(closed),
            "met": sum(1 for p in closed if p[2] == SupportPlan.Status.CLOSED_MET),
        }
    return result
