"""Evaluation aggregates: anonymous answers, shown only in groups of at least the threshold."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from protutor.core import aggregates
from protutor.cpd import permissions
from protutor.cpd.models import EvaluationResponse
from protutor.observations.models import Standard


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


def requests_summary(user, department, starts_on: dt.date, ends_on: dt.date) -> dict:
    """What the department's staff asked to develop between two dates, for those who plan its sessions.

    Named requests are listed by topic. Anonymous ones are free text that could identify their writer in
    a small department, so they follow the small-number rule: their words, and their counts by standard,
    are shown only when at least the threshold of people asked anonymously; otherwise only "fewer than 5"
    people. A request whose author has been erased counts as one more person. Sorted, so the order says
    nothing about who asked first. One query, and one more for the standards once released."""
    rows = (
        permissions.development_requests_countable_by(user)
        .filter(department=department, created_at__date__gte=starts_on, created_at__date__lte=ends_on)
        .values_list("pk", "anonymous", "requested_by", "topic", "standards")
    )
    named_topics: dict[int, str] = {}
    anonymous_topics: dict[int, str] = {}
    anonymous_people: set = set()
    people_by_standard: dict[int, set] = {}
    for pk, anonymous, person, topic, standard in rows:
        text = topic.strip().capitalize()
        if not anonymous:
            named_topics[pk] = text
            continue
        anonymous_topics[pk] = text
        who = person if person is not None else f"request {pk}"
        anonymous_people.add(who)
        if standard is not None:
            people_by_standard.setdefault(standard, set()).add(who)
    people = aggregates.count_of_people(len(anonymous_people))
    released = not people.suppressed and bool(anonymous_people)
    by_standard: list[tuple[Standard, aggregates.Figure]] = []
    if released and people_by_standard:
        figures = aggregates.breakdown({pk: len(who) for pk, who in people_by_standard.items()})
        standards = Standard.objects.filter(pk__in=figures).select_related("framework")
        by_standard = [
            (standard, figures[standard.pk])
            for standard in sorted(standards, key=lambda s: (s.framework_id, s.position))
        ]
    return {
        "named": _by_count(Counter(named_topics.values())),
        "anonymous_people": people,
        "anonymous": _by_count(Counter(anonymous_topics.values())) if released else [],
        "anonymous_by_standard": by_standard,
    }


def _by_count(topics: Counter[str]) -> list[tuple[str, int]]:
    return sorted(topics.items(), key=lambda item: (-item[1], item[0]))
