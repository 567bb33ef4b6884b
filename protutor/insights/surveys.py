"""Satisfaction surveys per department and year: the share agreeing with each measure and its trend.

Each (kind, measure, year)'s department respondents are a breakdown (complementary suppression) beside
the whole-institution row; a hidden group hides its share, and a change with a hidden side is hidden.
"""

from __future__ import annotations

from protutor.core import aggregates
from protutor.insights import charts, figures
from protutor.insights.models import SurveyResult
from protutor.insights.permissions import survey_results_readable_by
from protutor.insights.tables import Table
from protutor.people.models import Department


def survey_tables(user, institution, years, department_ids=None) -> list[Table]:
    years = list(years)
    # Suppression over every row the user may read, then narrowed (see outcomes.outcome_figures).
    results = survey_results_readable_by(user).filter(institution=institution, academic_year__in=years)
    rows = list(
        results.values_list("department", "academic_year", "kind", "measure", "respondents", "agreeing")
    )
    names = dict(
        Department.objects.filter(pk__in={r[0] for r in rows if r[0] is not None}).values_list("pk", "name")
    )
    by_key: dict[tuple, dict] = {}
    for department, year_id, kind, measure, respondents, agreeing in rows:
        by_key.setdefault((kind, measure, year_id), {})[department] = (respondents, agreeing)
    shares: dict[tuple, tuple] = {}
    for (kind, measure, year_id), units in by_key.items():
        split = aggregates.breakdown({d: n for d, (n, _) in units.items() if d is not None})
        for department, (respondents, agreeing) in units.items():
            shown = aggregates.count_of_people(respondents) if department is None else split[department]
            rate = (
                figures.hidden_rate()
                if shown.suppressed
                else aggregates.rate_of_people(agreeing, respondents)
            )
            shares[(kind, measure, department, year_id)] = (shown, rate)
    tables = []
    for kind, kind_label in SurveyResult.Kind.choices:
        table = Table(
            f"survey-{kind}",
            f"{kind_label}: share agreeing, by year",
            ["Measure", "Department", "Year", "Respondents", "Agreeing", "Change since last year"],
            note="The share of respondents who agreed or strongly agreed.",
        )
        keys = sorted(
            {(m, d) for (k, m, d, _) in shares if k == kind},
            key=lambda md: (md[0], md[1] is not None, names.get(md[1], "")),
        )
        if department_ids is not None:
            keys = [(m, d) for m, d in keys if d in department_ids]
        for measure, department in keys:
            previous = None
            items = []
            label = "Whole institution" if department is None else names[department]
            for year in years:
                found = shares.get((kind, measure, department, year.pk))
                if found is None:
                    continue
                respondents, rate = found
                change = figures.difference(rate, previous) if previous is not None else "first year"
                table.rows.append([measure, label, year.name, respondents, rate, change])
                items.append((year.name, rate.percent, str(rate)))
                previous = rate
            if items and (department is None or department_ids is not None):
                table.charts.append(
                    charts.bar_chart(
                        f"survey-{kind}-{len(table.charts)}",
                        f"{kind_label}, {label}: {measure}, share agreeing by year",
                        items,
                    )
                )
        tables.append(table)
    return tables
