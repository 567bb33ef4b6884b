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
