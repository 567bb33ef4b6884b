"""Aggregates of one-to-one support, and the subject access export.

Every figure leaves through protutor.core.aggregates, so a count about fewer than 5 people reads
"fewer than 5" and no breakdown lets a small count be worked out by subtraction.
"""

from __future__ import annotations

from collections import Counter
from typing import Literal

from django.db.models import Count

from protutor.core import aggregates
from protutor.people.models import AcademicYear, Department
from protutor.support import permissions
from protutor.support.models import Route, SupportCase

_Dimension = Literal["route", "formality", "span"]


def support_overview(user, actor) -> dict:
    """Cases opened per term: by department, by route, formality and span; and the self-referral share."""
    countable = permissions.cases_countable_by(user)
    institution_ids = set(actor.led_institution_ids)
    if actor.staff is not None:
        institution_ids.add(actor.staff.institution_id)
    year = (
        AcademicYear.objects.current()
        .filter(institution_id__in=institution_ids)
        .order_by("institution_id")
        .first()
    )
    if year is None:
        return {"year": None}
    terms = list(year.terms.all())
    rows = list(
        countable.filter(opened_at__date__gte=year.starts_on, opened_at__date__lte=year.ends_on)
        .values("department", "route", "formality", "span", "opened_at__date")
        .annotate(n=Count("pk"))
    )

    def term_of(day):
        for term in terms:
            if term.starts_on <= day <= term.ends_on:
                return term.pk
        return None

    by_department: dict[int, Counter] = {term.pk: Counter() for term in terms}
    dimensions: tuple[_Dimension, ...] = ("route", "formality", "span")
    by_dimension: dict[_Dimension, dict[int, Counter]] = {
        name: {term.pk: Counter() for term in terms} for name in dimensions
    }
    for row in rows:
        term = term_of(row["opened_at__date"])
        if term is None:
            continue
        by_department[term][row["department"]] += row["n"]
        for name in by_dimension:
            by_dimension[name][term][row[name]] += row["n"]

    department_ids = set(countable.order_by().values_list("department", flat=True).distinct()) | set(
        actor.headed_department_ids
    )
    if actor.led_institution_ids:
        department_ids |= set(
            Department.objects.filter(institution_id__in=actor.led_institution_ids).values_list(
                "pk", flat=True
            )
        )
    departments = list(Department.objects.filter(pk__in=department_ids).order_by("name"))
    labels: dict[_Dimension, dict] = {
        "route": dict(Route.choices),
        "formality": dict(SupportCase.Formality.choices),
        "span": dict(SupportCase.Span.choices),
    }
    term_tables = []
    for term in terms:
        counts = by_department[term.pk]
        total = sum(counts.values())
        # Cases of staff with no department get their own row, so the rows always add up to the total.
        dept_figures = aggregates.breakdown(
            {**{d.pk: counts.get(d.pk, 0) for d in departments}, None: counts.get(None, 0)}
        )
        department_rows = [(d.name, dept_figures[d.pk]) for d in departments]
        if counts.get(None, 0):
            department_rows.append(("No department recorded", dept_figures[None]))
        dimension_tables = []
        self_hidden = False
        for name, label_map in labels.items():
            cells = aggregates.breakdown({key: by_dimension[name][term.pk].get(key, 0) for key in label_map})
            dimension_tables.append(
                {"name": name, "cells": [(label_map[key], cells[key]) for key in label_map]}
            )
            if name == "route":
                self_hidden = cells[Route.SELF].suppressed
        share = aggregates.rate_of_people(by_dimension["route"][term.pk][Route.SELF], total)
        if self_hidden:
            # The share times the shown total would give back the self-referral count the route table hides.
            share = aggregates.Rate(None, None, aggregates.threshold())
        term_tables.append(
            {
                "term": term,
                "total": aggregates.count_of_people(total),
                "departments": department_rows,
                "dimensions": dimension_tables,
                "self_referral_share": share,
            }
        )
    return {"year": year, "terms": term_tables, "threshold": aggregates.threshold()}


def routes_by_term(user, institution_ids, terms, department_ids=None) -> dict[int, Counter]:
    """Cases opened per term by route (self-referral, encouraged by line manager, tutor-initiated), for
    the cases `user` may count in these institutions (and departments, if given). One query; figures
    through aggregates."""
    terms = list(terms)
    result: dict[int, Counter] = {term.pk: Counter() for term in terms}
    if not terms:
        return result
    countable = permissions.cases_countable_by(user)
    if department_ids is not None:
        countable = countable.filter(department__in=department_ids)
    rows = (
        countable.filter(
            institution_id__in=institution_ids,
            opened_at__date__gte=min(t.starts_on for t in terms),
            opened_at__date__lte=max(t.ends_on for t in terms),
        )
        .values_list("route", "opened_at__date")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for route, day, n in rows:
        for term in terms:
            if term.starts_on <= day <= term.ends_on:
                result[term.pk][route] += n
    return result
