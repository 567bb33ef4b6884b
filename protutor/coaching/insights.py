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


COMPLETED_SESSIONS = 3


def coaching_by_term(institution_ids, terms) -> dict[int, dict]:
    """Per term: staff who signed up to be coached (uptake), pairings begun (confirmed or ended), and of
    those the pairings that have met at least COMPLETED_SESSIONS times (completion). Raw counts for the
    impact dashboard, which suppresses them. Two queries."""
    from django.db.models import Count, Q
    from django.utils import timezone

    from protutor.coaching.models import CoacheeSignup, Pairing

    terms = list(terms)
    if not terms:
        return {}
    start, end = min(t.starts_on for t in terms), max(t.ends_on for t in terms)
    signups = list(
        CoacheeSignup.objects.filter(
            staff__institution__in=institution_ids, created_at__date__gte=start, created_at__date__lte=end
        ).values_list("created_at", flat=True)
    )
    pairings = list(
        Pairing.objects.filter(
            coachee__staff__institution__in=institution_ids,
            status__in=[Pairing.Status.CONFIRMED, Pairing.Status.ENDED],
            created_at__date__gte=start,
            created_at__date__lte=end,
        )
        .annotate(met=Count("sessions", filter=Q(sessions__starts_at__lte=timezone.now())))
        .values_list("created_at", "met")
    )
    result = {}
    for term in terms:

        def within(moment, term=term):
            return term.starts_on <= timezone.localdate(moment) <= term.ends_on

        begun = [met for created, met in pairings if within(created)]
        result[term.pk] = {
            "signed_up": sum(1 for created in signups if within(created)),
            "begun": len(begun),
            "completed": sum(1 for met in begun if met >= COMPLETED_SESSIONS),
        }
    return result
