"""Student outcomes per department and year: rates, the gap between groups and how it moved, beside the
tutor work done with the department in the same year (docs/adr/0011).

Definitions (also on the page): retention = completers / starters; achievement = achieved / completers;
success = achieved / starters. A gap is the difference in percentage points between two groups'
achievement rates (female minus male for gender); its movement is this year's gap minus last year's.

Suppression: each year's department cohorts are a breakdown of the institution's (complementary
suppression), and each group type's cohorts a breakdown of the department's. A hidden cohort hides all of
its rates; a gap or movement with a hidden side is hidden too.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Sum

from protutor.core import aggregates
from protutor.cpd.insights import sessions_by_term
from protutor.insights import charts, figures
from protutor.insights.permissions import outcome_records_readable_by
from protutor.insights.tables import Table
from protutor.observations.insights import themes_by_department
from protutor.people.models import Department, Term

ALL = "all"
INSTITUTION = "institution"
GENDER_ORDER = ("female", "male")
THEMES_SHOWN = 3


def _ordered_values(group_type: str, values) -> list[str]:
    if group_type == "gender":
        return sorted(values, key=lambda v: (GENDER_ORDER.index(v) if v in GENDER_ORDER else 9, v))
    return sorted(values)


def _rates(cell, hidden: bool) -> dict:
    starters, completers, achieved = cell
    if hidden:
        gone = figures.hidden_rate()
        return {"retention": gone, "achievement": gone, "success": gone}
    return {
        "retention": aggregates.rate_of_people(completers, starters),
        "achievement": aggregates.rate_of_people(achieved, completers),
        "success": aggregates.rate_of_people(achieved, starters),
    }


def _protect_year(cells, units, year) -> dict:
    """Every cohort count of the year, suppressed together: each unit's cohort is the sum of each of its
    group types' cells, and each department cell adds up to the institution's."""
    everyone = [*units, INSTITUTION]
    keys = {(ALL, ALL)} | {k for u in everyone for k in cells.get((u, year.pk), {})}
    counts = {
        (u, t, v): cells.get((u, year.pk), {}).get((t, v), (0, 0, 0))[0] for u in everyone for t, v in keys
    }
    equations = []
    for unit in everyone:
        for group_type in {t for t, _ in keys if t != ALL}:
            members = [(unit, t, v) for t, v in keys if t == group_type]
            equations.append(((unit, ALL, ALL), members))
    for t, v in keys:
        equations.append(((INSTITUTION, t, v), [(u, t, v) for u in units]))
    return figures.protect(counts, equations)


def outcome_figures(user, institution, years, department_ids=None) -> dict:
    """Figures per (department or the institution, year): cohort, rates, groups and gaps. One query for
    the records; `years` in order, oldest first. `department_ids` None means the whole institution."""
    years = list(years)
    # Suppression is decided over every row the user may read, and only then narrowed to the departments
    # asked for: a department's page and the whole institution's then hide the same cells, so comparing
    # the two views cannot reveal one either.
    records = outcome_records_readable_by(user).filter(institution=institution, academic_year__in=years)
    cells: dict[tuple, dict[tuple[str, str], tuple[int, ...]]] = defaultdict(dict)
    for row in (
        records.values("department", "academic_year", "group_type", "group_value")
        .annotate(s=Sum("starters"), c=Sum("completers"), a=Sum("achieved"))
        .order_by()
    ):
        key = (row["group_type"].strip().lower(), row["group_value"].strip().lower())
        cells[(row["department"], row["academic_year"])][key] = (row["s"], row["c"], row["a"])
    department_ids_seen = {d for d, _ in cells if d is not None}
    names = dict(Department.objects.filter(pk__in=department_ids_seen).values_list("pk", "name"))
    units = sorted(department_ids_seen, key=lambda d: names[d])
    if any(d is None for d, _ in cells):
        units.append(None)
    if department_ids is None:
        for year in years:
            total: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
            for (d, y), unit_groups in list(cells.items()):
                if y != year.pk or d == INSTITUTION:
                    continue
                for key, triple in unit_groups.items():
                    for i in range(3):
                        total[key][i] += triple[i]
            if total:
                cells[(INSTITUTION, year.pk)] = {k: tuple(v) for k, v in total.items()}
    result: dict[tuple, dict] = {}
    for year in years:
        protected = _protect_year(cells, units, year)
        for unit in [*units, INSTITUTION]:
            groups = cells.get((unit, year.pk))
            if not groups:
                continue
            all_cell = groups.get((ALL, ALL), (0, 0, 0))
            starters = protected[(unit, ALL, ALL)]
            entry = {"starters": starters, **_rates(all_cell, starters.suppressed), "groups": {}}
            for group_type in sorted({t for t, _ in groups if t != ALL}):
                values = _ordered_values(group_type, [v for t, v in groups if t == group_type])
                rows = []
                for value in values:
                    shown = protected[(unit, group_type, value)]
                    rates = _rates(groups[(group_type, value)], shown.suppressed)
                    rows.append((value, shown, rates["achievement"]))
                gap = (
                    figures.difference(rows[0][2], rows[1][2])
                    if len(rows) == 2
                    else figures.Difference(None, aggregates.threshold())
                )
                entry["groups"][group_type] = {"rows": rows, "gap": gap, "two": len(rows) == 2}
            result[(unit, year.pk)] = entry
    for index, year in enumerate(years[1:], start=1):
        before = years[index - 1]
        for (unit, year_id), entry in result.items():
            if year_id != year.pk:
                continue
            previous = result.get((unit, before.pk))
            for group_type, group in entry["groups"].items():
                old = previous["groups"].get(group_type) if previous else None
                group["movement"] = figures.difference(group["gap"], old["gap"] if old else None)
    if department_ids is not None:
        wanted = set(department_ids)
        units = [u for u in units if u in wanted]
        result = {key: entry for key, entry in result.items() if key[0] in wanted}
    return {"cells": result, "units": units, "names": names}


def _movement(group) -> str:
    """The movement with what it means: towards zero is narrowed."""
    movement = group.get("movement")
    if movement is None:
        return "first year"
    if movement.suppressed or group["gap"].suppressed:
        return str(movement)
    now = abs(group["gap"].points)
    before = abs(group["gap"].points - movement.points)
    word = "narrowed" if now < before else "widened" if now > before else "unchanged"
    return f"{movement}: {word}"


def _label(unit, names) -> str:
    if unit == INSTITUTION:
        return "Whole institution"
    if unit is None:
        return "No department recorded"
    return names[unit]


def outcome_tables(user, institution, years, department_ids=None) -> list[Table]:
    """The outcomes table, the gaps table (with the tutor work beside each department and year) and a
    chart of each department's gender gap by year."""
    years = list(years)
    data = outcome_figures(user, institution, years, department_ids)
    cells, units, names = data["cells"], data["units"], data["names"]
    order = [*units, INSTITUTION] if department_ids is None else units
    terms = list(Term.objects.filter(academic_year__in=years).order_by("starts_on"))
    real_departments = [u for u in units if isinstance(u, int)]
    cpd = sessions_by_term(real_departments, terms)
    themes = themes_by_department(user, real_departments, years)
    year_of_term = {t.pk: t.academic_year_id for t in terms}
    sessions: dict[tuple[int, int], int] = defaultdict(int)
    for (department, term_id), n in cpd["per_department"].items():
        sessions[(department, year_of_term[term_id])] += n

    rates = Table(
        "outcomes",
        "Retention, achievement and success by department and year",
        ["Department", "Year", "Starters", "Retention", "Achievement", "Success"],
        note="Retention is completers out of starters; achievement is achievers out of completers; success "
        "is achievers out of starters.",
    )
    gaps = Table(
        "gaps",
        "Gaps between groups and the tutor work beside them",
        [
            "Department",
            "Year",
            "Groups",
            "Achievement by group",
            "Gap",
            "Movement since last year",
            "CPD sessions delivered",
            "Focus standards",
            "Observation themes",
        ],
        note="A gap is the difference in percentage points between two groups' achievement rates (female "
        "minus male for gender). Movement is this year's gap minus last year's: a move towards zero means "
        "the gap narrowed.",
    )
    gap_charts = []
    for unit in order:
        chart_items = []
        for year in years:
            entry = cells.get((unit, year.pk))
            if entry is None:
                continue
            label = _label(unit, names)
            rates.rows.append(
                [
                    label,
                    year.name,
                    entry["starters"],
                    entry["retention"],
                    entry["achievement"],
                    entry["success"],
                ]
            )
            work = (
                [
                    figures.count_of_sessions(sessions.get((unit, year.pk), 0)),
                    ", ".join(cpd["focus"].get((unit, year.pk), [])) or "None recorded",
                    "; ".join(
                        f"{t['standard'].label} ({t['people']} staff)"
                        for t in themes.get((unit, year.pk), [])[:THEMES_SHOWN]
                    )
                    or "None recorded",
                ]
                if isinstance(unit, int)
                else ["", "", ""]
            )
            for group_type, group in entry["groups"].items():
                by_group = "; ".join(
                    f"{value.capitalize()}: {starters} starters"
                    if starters.suppressed
                    else f"{value.capitalize()}: {rate} of {starters} starters"
                    for value, starters, rate in group["rows"]
                )
                pair = (
                    f"{group['rows'][0][0].capitalize()} minus {group['rows'][1][0]}"
                    if group["two"]
                    else f"{group_type.capitalize()} (no gap: more than two groups)"
                )
                gaps.rows.append(
                    [
                        label,
                        year.name,
                        pair,
                        by_group,
                        group["gap"],
                        _movement(group),
                        *work,
                    ]
                )
                if group_type == "gender":
                    chart_items.append((year.name, group["gap"].points, str(group["gap"])))
        if chart_items:
            gap_charts.append(
                charts.bar_chart(
                    f"gap-{unit}",
                    f"{_label(unit, names)}: female minus male achievement gap by year, in percentage points",
                    chart_items,
                )
            )
    gaps.charts = gap_charts
    return [rates, gaps]
