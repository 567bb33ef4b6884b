"""Coverage: every department should have its target number of bespoke sessions each term.

`status_for` is the rule, kept pure so that tests can check it against hand-computed tables.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass

from protutor.cpd.models import CpdPolicy, Session
from protutor.people.models import Department, Term


@dataclass(frozen=True)
class Status:
    key: str  # met, on_track, behind, missed, upcoming
    text: str


def status_for(
    *, term_starts: dt.date, term_ends: dt.date, planned: int, delivered: int, target: int, today: dt.date
) -> Status:
    """`planned` counts sessions planned and not yet delivered; cancelled sessions count for nothing."""
    scheduled = planned + delivered
    if delivered >= target:
        return Status("met", f"Target met: {delivered} delivered")
    if today > term_ends:
        return Status("missed", f"Missed: {delivered} of {target} delivered")
    short = target - scheduled
    if today < term_starts:
        if short <= 0:
            return Status("on_track", f"On track: {scheduled} planned")
        return Status("upcoming", f"Term not started: {scheduled} of {target} planned")
    weeks_left = max(math.ceil((term_ends - today).days / 7), 0)
    weeks = f"{weeks_left} week{'s' if weeks_left != 1 else ''} left in term"
    if short <= 0:
        return Status("on_track", f"On track: {delivered} delivered, {planned} planned, {weeks}")
    return Status("behind", f"Behind: {short} more session{'s' if short != 1 else ''} needed, {weeks}")


@dataclass
class Cell:
    department: Department
    term: Term
    planned: int
    delivered: int
    target: int
    status: Status


def board(departments, terms, today: dt.date) -> list[list[Cell]]:
    """Rows of departments, columns of terms: planned, delivered, target and status. One query."""
    departments = list(departments)
    terms = list(terms)
    counts = Counter(
        (row["department"], row["term"], row["status"])
        for row in Session.objects.filter(department__in=departments, term__in=terms)
        .exclude(status=Session.Status.CANCELLED)
        .values("department", "term", "status", "pk")
    )
    targets = {}
    rows = []
    for department in departments:
        if department.institution_id not in targets:
            targets[department.institution_id] = CpdPolicy.target_for(department.institution_id)
        target = targets[department.institution_id]
        row = []
        for term in terms:
            planned = counts[(department.pk, term.pk, Session.Status.PLANNED)]
            delivered = counts[(department.pk, term.pk, Session.Status.DELIVERED)]
            row.append(
                Cell(
                    department,
                    term,
                    planned,
                    delivered,
                    target,
                    status_for(
                        term_starts=term.starts_on,
                        term_ends=term.ends_on,
                        planned=planned,
                        delivered=delivered,
                        target=target,
                        today=today,
                    ),
                )
            )
        rows.append(row)
    return rows
