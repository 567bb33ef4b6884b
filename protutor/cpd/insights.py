"""Evaluation aggregates: anonymous answers, shown only in groups of at least the threshold."""

from __future__ import annotations

from protutor.core import aggregates
from protutor.cpd.models import EvaluationResponse


def evaluation_summary(session) -> dict:
    rows = list(EvaluationResponse.objects.filter(session=session).values_list("usefulness", "will_try"))
    n = len(rows)
    responses = aggregates.count_of_people(n)
    shown = not responses.suppressed and n > 0
    distribution = aggregates.breakdown(
        {score: sum(1 for u, _ in rows if u == score) for score in range(1, 6)}
    )
    return {
        "responses": responses,
        "average": round(sum(u for u, _ in rows) / n, 1) if shown else None,
        "distribution": [(score, distribution[score]) for score in range(1, 6)] if shown else [],
        # Free text could identify its writer in a small group, so it waits for the threshold too; sorted,
        # so the order says nothing about who answered first.
        "will_try": sorted(text for _, text in rows if text) if shown else [],
        "threshold": aggregates.threshold(),
    }


def sessions_by_term(department_ids, terms) -> dict:
    """Delivered sessions per (department, term), their attendance minutes and distinct attendees per
    term, and the focus standards per (department, academic year). Three queries. The caller turns these
    into figures through protutor.core.aggregates."""
    from collections import Counter, defaultdict

    from protutor.cpd.models import Attendance, Session

    terms = list(terms)
    delivered = Session.objects.filter(
        department__in=department_ids, term__in=terms, status=Session.Status.DELIVERED
    )
    per_department: Counter = Counter(delivered.values_list("department", "term"))
    minutes: Counter = Counter()
    attendees: dict[int, set[int]] = defaultdict(set)
    for term_id, staff_id, length in Attendance.objects.filter(session__in=delivered).values_list(
        "session__term", "staff", "session__length_minutes"
    ):
        minutes[term_id] += length
        attendees[term_id].add(staff_id)
    year_of_term = {t.pk: t.academic_year_id for t in terms}
    focus: dict[tuple[int, int], set] = defaultdict(set)
    through = Session.focus_standards.through
    for department, term_id, framework, number in through.objects.filter(session__in=delivered).values_list(
        "session__department", "session__term", "standard__framework__code", "standard__number"
    ):
        focus[(department, year_of_term[term_id])].add(f"{framework} {number}")
    return {
        "per_department": per_department,
        "minutes": minutes,
        "attendees": {term: len(people) for term, people in attendees.items()},
        "focus": {key: sorted(labels) for key, labels in focus.items()},
    }
