"""The coaching survey in aggregate: counts and ratings with small-number suppression; free text only
once enough people have answered, sorted so the order reveals nothing."""

from __future__ import annotations

from protutor.coaching.models import SurveyResponse
from protutor.core import aggregates


def survey_summary(institution_id: int, term) -> dict:
    rows = list(
        SurveyResponse.objects.filter(institution_id=institution_id, term=term).values_list(
            "side", "rating", "thought", "found", "do_differently"
        )
    )
    n = len(rows)
    responses = aggregates.count_of_people(n)
    shown = n > 0 and not responses.suppressed
    ratings = aggregates.breakdown({score: sum(1 for r in rows if r[1] == score) for score in range(1, 6)})
    sides = aggregates.breakdown(
        {label: sum(1 for r in rows if r[0] == value) for value, label in SurveyResponse.Side.choices}
    )
    return {
        "term": term,
        "responses": responses,
        "average": round(sum(r[1] for r in rows) / n, 1) if shown else None,
        "ratings": [(score, ratings[score]) for score in range(1, 6)] if shown else [],
        "sides": list(sides.items()) if shown else [],
        "thought": sorted(r[2] for r in rows if r[2]) if shown else [],
        "found": sorted(r[3] for r in rows if r[3]) if shown else [],
        "do_differently": sorted(r[4] for r in rows if r[4]) if shown else [],
        "threshold": aggregates.threshold(),
    }
