"""Observation aggregates: a department's development themes by standard, and the share of observed
staff whose latest formal observation in a term was effective. Figures leave through
protutor.core.aggregates only; nothing here returns a name."""

from __future__ import annotations

from collections import defaultdict
from typing import TypedDict

from protutor.core import aggregates
from protutor.cpd import insights as cpd_insights
from protutor.observations import permissions
from protutor.observations.models import Observation, ObservationPoint, ObservationPolicy, Standard


class Theme(TypedDict):
    standard: Standard
    development: aggregates.Figure
    strength: aggregates.Figure
    sort: int


def department_needs(user, department, term) -> dict:
    """For one term: how many observed staff had a development point (and a strength) on each standard,
    rolled up to the top-level standard; beside it, what staff asked to develop."""
    observations = permissions.observations_countable_by(user).filter(
        department=department, observed_on__gte=term.starts_on, observed_on__lte=term.ends_on
    )
    rows = ObservationPoint.objects.filter(observation__in=observations).values_list(
        "kind", "observation__observee", "standards", "standards__parent"
    )
    people: dict[tuple[str, int], set[int]] = defaultdict(set)
    for kind, observee, standard, parent in rows:
        if standard is not None:
            people[(kind, parent or standard)].add(observee)
    standard_ids = {key[1] for key in people}
    standards = {s.pk: s for s in Standard.objects.filter(pk__in=standard_ids).select_related("framework")}
    themes: list[Theme] = []
    for standard_id in sorted(
        standard_ids, key=lambda pk: (standards[pk].framework_id, standards[pk].position)
    ):
        development = len(people.get((ObservationPoint.Kind.DEVELOPMENT, standard_id), ()))
        strength = len(people.get((ObservationPoint.Kind.STRENGTH, standard_id), ()))
        themes.append(
            {
                "standard": standards[standard_id],
                "development": aggregates.count_of_people(development),
                "strength": aggregates.count_of_people(strength),
                "sort": -development,
            }
        )
    themes.sort(key=lambda row: row["sort"])
    observed = observations.values("observee").distinct().count()
    return {
        "observed": aggregates.count_of_people(observed),
        "themes": themes,
        "requests": cpd_insights.requests_summary(user, department, term.starts_on, term.ends_on),
    }


def effective_share(user, institution_id: int, year) -> dict:
    """Per term: of the staff with a graded formal observation in the term, the share whose latest one was
    effective; for the institution and each department the user may count."""
    policy = ObservationPolicy.for_institution(institution_id)
    effective_codes = policy.effective_codes
    terms = list(year.terms.all())
    rows = (
        permissions.observations_countable_by(user)
        .filter(
            institution_id=institution_id,
            kind=Observation.Kind.FORMAL,
            observed_on__gte=year.starts_on,
            observed_on__lte=year.ends_on,
        )
        .exclude(outcome="")
        .order_by("observed_on", "pk")
        .values_list("observee", "department", "department__name", "observed_on", "outcome")
    )
    latest: dict[int, dict[int, tuple[int | None, bool]]] = {term.pk: {} for term in terms}
    department_names: dict[int | None, str] = {}
    for observee, department, department_name, observed_on, outcome in rows:
        for term in terms:
            if term.starts_on <= observed_on <= term.ends_on:
                latest[term.pk][observee] = (department, outcome in effective_codes)
                department_names[department] = department_name or "No department recorded"
    departments = sorted(department_names, key=lambda d: department_names[d])
    table = []
    for term in terms:
        people = latest[term.pk]
        by_department = {
            d: aggregates.rate_of_people(
                sum(1 for dep, ok in people.values() if dep == d and ok),
                sum(1 for dep, _ in people.values() if dep == d),
            )
            for d in departments
        }
        table.append(
            {
                "term": term,
                "institution": aggregates.rate_of_people(
                    sum(1 for _, ok in people.values() if ok), len(people)
                ),
                "departments": [by_department[d] for d in departments],
            }
        )
    return {
        "grading_enabled": policy.grading_enabled,
        "terms": table,
        "departments": [department_names[d] for d in departments],
        "chart": _chart(table),
    }


def _chart(table) -> list[dict]:
    """Bars for the institution's share each term (the figures themselves are in the table beside it)."""
    bars = []
    for index, row in enumerate(table):
        percent = row["institution"].percent
        height = 0 if percent is None else round(percent * 1.6)
        bars.append(
            {
                "x": 40 + index * 90,
                "y": 180 - height,
                "height": height,
                "label": str(row["term"].get_name_display()),
                "value": str(row["institution"]),
                "suppressed": percent is None,
            }
        )
    return bars


def themes_by_department(user, department_ids, years) -> dict[tuple[int, int], list[dict]]:
    """For each (department, academic year): the top-level standards most often given as a development
    point, with how many observed staff had one, busiest first. Two queries, however many departments.
    For the impact dashboards; figures through protutor.core.aggregates, no names."""
    years = list(years)
    if not years or not department_ids:
        return {}
    start = min(y.starts_on for y in years)
    end = max(y.ends_on for y in years)
    observations = permissions.observations_countable_by(user).filter(
        department__in=department_ids, observed_on__gte=start, observed_on__lte=end
    )
    rows = ObservationPoint.objects.filter(
        observation__in=observations, kind=ObservationPoint.Kind.DEVELOPMENT
    ).values_list(
        "observation__department",
        "observation__observed_on",
        "observation__observee",
        "standards",
        "standards__parent",
    )
    people: dict[tuple[int, int, int], set[int]] = defaultdict(set)
    for department, observed_on, observee, standard, parent in rows:
        if standard is None:
            continue
        year = next((y for y in years if y.starts_on <= observed_on <= y.ends_on), None)
        if year is not None:
            people[(department, year.pk, parent or standard)].add(observee)
    standards = {
        s.pk: s
        for s in Standard.objects.filter(pk__in={key[2] for key in people}).select_related("framework")
    }
    result: dict[tuple[int, int], list[dict]] = defaultdict(list)
    for (department, year_id, standard_id), observees in people.items():
        result[(department, year_id)].append(
            {
                "standard": standards[standard_id],
                "people": aggregates.count_of_people(len(observees)),
                "n": len(observees),
            }
        )
    for themes in result.values():
        themes.sort(key=lambda t: (-t["n"], t["standard"].framework_id, t["standard"].position))
    return dict(result)
