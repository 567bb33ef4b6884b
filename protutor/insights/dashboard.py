"""The programme's figures term by term, this year beside last: the effective share of latest formal
observations, self-referrals against directed referrals, CPD coverage and hours, coaching uptake and
completion, support plans, and the tutors' time against remission. Built from each app's own insights
functions; every cell is a figure from protutor.core.aggregates or protutor.insights.figures."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from protutor.coaching.insights import COMPLETED_SESSIONS, coaching_by_term
from protutor.core import aggregates
from protutor.cpd.insights import sessions_by_term
from protutor.cpd.models import CpdPolicy
from protutor.insights import charts, figures
from protutor.insights.tables import Table
from protutor.observations.insights import effective_share
from protutor.people.models import Caseload, Department, Institution, StaffMember
from protutor.plans.insights import plans_by_term
from protutor.support.insights import routes_by_term
from protutor.support.models import Route
from protutor.team.remission import programme_time_by_term


@dataclass
class View:
    """What a dashboard shows: one institution, and either all of it or one department."""

    institution: Institution
    department: Department | None
    whole_institution: bool  # the programme lead's view, with programme-level sections

    @property
    def department_ids(self):
        return None if self.department is None else [self.department.pk]

    @property
    def label(self) -> str:
        return self.department.name if self.department else self.institution.name


def _term_label(term, year) -> str:
    return f"{term.get_name_display()} {year.name}"


def _paired(years_terms):
    """(year, term, the same term of the year before or None) for the selected year."""
    *_, (year, terms) = years_terms
    before = dict((t.number, t) for t in years_terms[0][1]) if len(years_terms) > 1 else {}
    return [(year, term, before.get(term.number)) for term in terms]


def programme_tables(user, view: View, years_terms, *, term=None) -> list[Table]:
    """`years_terms`: [(last year, its terms), (this year, its terms)] or just this year. `term` limits the
    rows to one term (and the same term last year)."""
    years = [y for y, _ in years_terms]
    all_terms = [t for _, terms in years_terms for t in terms]
    year_of = {t.pk: y for y, terms in years_terms for t in terms}
    pairs = [p for p in _paired(years_terms) if term is None or p[1].pk == term.pk]
    departments = (
        [view.department]
        if view.department
        else list(Department.objects.filter(institution=view.institution).order_by("name"))
    )
    department_ids = [d.pk for d in departments]
    tables = []

    # Effective share of latest formal observations.
    shares = {}
    department_name = view.department.name if view.department else None
    grading = True
    for year in years:
        data = effective_share(user, view.institution.pk, year)
        grading = grading and data["grading_enabled"]
        for row in data["terms"]:
            if department_name is None:
                shares[row["term"].pk] = row["institution"]
            elif department_name in data["departments"]:
                shares[row["term"].pk] = row["departments"][data["departments"].index(department_name)]
            else:
                shares[row["term"].pk] = aggregates.rate_of_people(0, 0)
    effective = Table(
        "effective",
        "Latest formal observation effective",
        ["Term", "Share effective", "Same term last year", "Change"],
        note="Of the staff with a graded formal observation in the term, the share whose latest one was "
        "effective.",
        empty="This institution does not grade observations." if not grading else "Nothing recorded yet.",
    )
    if grading:
        for year, t, before in pairs:
            now, then = shares.get(t.pk), shares.get(before.pk) if before else None
            effective.rows.append(
                [_term_label(t, year), now, then or "no figure", figures.difference(now, then)]
            )
        effective.chart = charts.bar_chart(
            "effective-chart",
            f"Share effective by term, {view.label}",
            [(_term_label(t, year_of[t.pk]), shares[t.pk].percent, str(shares[t.pk])) for t in all_terms],
        )
    tables.append(effective)

    # Self-referrals against directed referrals.
    routes = routes_by_term(user, [view.institution.pk], all_terms, view.department_ids)
    referrals = Table(
        "referrals",
        "Self-referrals and directed referrals",
        ["Term", "Self-referrals", "Directed (line manager or tutor)", "Self-referral share", "Change"],
        note="Support cases opened in the term by how they began. A directed referral is one encouraged by "
        "a line manager or begun by a tutor.",
    )
    share_of = {}
    cells_of = {}
    for t in all_terms:
        counts = routes[t.pk]
        self_n = counts.get(Route.SELF, 0)
        directed_n = sum(n for route, n in counts.items() if route != Route.SELF)
        cells = aggregates.breakdown({"self": self_n, "directed": directed_n})
        cells_of[t.pk] = cells
        share = aggregates.rate_of_people(self_n, self_n + directed_n)
        if cells["self"].suppressed or cells["directed"].suppressed:
            share = figures.hidden_rate()
        share_of[t.pk] = share
    for year, t, before in pairs:
        then = share_of.get(before.pk) if before else None
        referrals.rows.append(
            [
                _term_label(t, year),
                cells_of[t.pk]["self"],
                cells_of[t.pk]["directed"],
                share_of[t.pk],
                figures.difference(share_of[t.pk], then),
            ]
        )
    referrals.chart = charts.bar_chart(
        "referrals-chart",
        f"Self-referral share by term, {view.label}",
        [(_term_label(t, year_of[t.pk]), share_of[t.pk].percent, str(share_of[t.pk])) for t in all_terms],
    )
    tables.append(referrals)

    # CPD coverage against target, and hours per member of staff.
    cpd = sessions_by_term(department_ids, all_terms)
    target = CpdPolicy.target_for(view.institution.pk)
    staff_count = StaffMember.objects.filter(department__in=department_ids, is_active=True).count()
    coverage = Table(
        "cpd",
        "CPD coverage and hours",
        [
            "Term",
            "Sessions delivered",
            "Target",
            "Departments at target",
            "Staff who attended",
            "Hours per member of staff",
        ],
        note=f"The target is {target} bespoke sessions per department per term. Hours per member of staff "
        "are the hours of CPD attended, divided by the department's or institution's active staff.",
    )
    met_rate = {}
    for year, t, _before in pairs:
        delivered = {d: cpd["per_department"].get((d, t.pk), 0) for d in department_ids}
        met = sum(1 for n in delivered.values() if n >= target)
        met_rate[t.pk] = (met, len(department_ids))
        coverage.rows.append(
            [
                _term_label(t, year),
                figures.count_of_sessions(sum(delivered.values())),
                figures.count_of_sessions(target * len(department_ids)),
                f"{met} of {len(department_ids)}",
                aggregates.rate_of_people(cpd["attendees"].get(t.pk, 0), staff_count),
                figures.hours_per_person(cpd["minutes"].get(t.pk, 0), staff_count),
            ]
        )
    coverage.chart = charts.bar_chart(
        "cpd-chart",
        f"Share of departments at their CPD target by term, {view.label}",
        [
            (
                _term_label(t, year),
                round(100 * met / total, 1) if total else None,
                f"{met} of {total}" if total else "no departments",
            )
            for (year, t, _), (met, total) in zip(pairs, [met_rate[p[1].pk] for p in pairs], strict=True)
        ],
    )
    tables.append(coverage)

    # Support plans opened and closed as met.
    plans = plans_by_term([view.institution.pk], all_terms, view.department_ids)
    plan_table = Table(
        "plans",
        "Support plans",
        ["Term", "Opened", "Closed", "Closed as met", "Same term last year"],
        note="Support plans for performance management, by the term they opened or closed in.",
    )
    met_of = {t.pk: aggregates.rate_of_people(plans[t.pk]["met"], plans[t.pk]["closed"]) for t in all_terms}
    for year, t, before in pairs:
        plan_table.rows.append(
            [
                _term_label(t, year),
                aggregates.count_of_people(plans[t.pk]["opened"]),
                aggregates.count_of_people(plans[t.pk]["closed"]),
                met_of[t.pk],
                met_of[before.pk] if before else "no figure",
            ]
        )
    tables.append(plan_table)

    if view.whole_institution:
        coaching = coaching_by_term([view.institution.pk], all_terms)
        coaching_table = Table(
            "coaching",
            "Coaching uptake and completion",
            ["Term", "Staff who signed up", "Pairings begun", "Pairings completed", "Same term last year"],
            note=f"A pairing is completed once the pair has met {COMPLETED_SESSIONS} times. Shown for the "
            "whole institution only, so that being coached is never visible to a department.",
        )
        completion = {
            t.pk: aggregates.rate_of_people(coaching[t.pk]["completed"], coaching[t.pk]["begun"])
            for t in all_terms
        }
        for year, t, before in pairs:
            coaching_table.rows.append(
                [
                    _term_label(t, year),
                    aggregates.count_of_people(coaching[t.pk]["signed_up"]),
                    aggregates.count_of_people(coaching[t.pk]["begun"]),
                    completion[t.pk],
                    completion[before.pk] if before else "no figure",
                ]
            )
        tables.append(coaching_table)

        remission = Table(
            "remission",
            "Tutors' time against remission",
            ["Term", "Tutors", "Remitted hours", "Hours recorded", "Share of remission used"],
            note="All the professional tutors together: support, plan support, developmental observations "
            "and CPD delivered, against their remitted hours spread over the terms. No tutor is shown alone.",
        )
        today = timezone.localdate()
        time = {}
        for year in years:
            caseloads = Caseload.objects.filter(academic_year=year).select_related("academic_year")
            time.update(programme_time_by_term(caseloads, today))
        shown_terms = {p[1].pk for p in pairs} | {p[2].pk for p in pairs if p[2]}
        for t in all_terms:
            if t.pk not in shown_terms or t.pk not in time:
                continue
            row = time[t.pk]
            tutors = aggregates.count_of_people(row["tutors"])
            if tutors.suppressed:
                remission_cells = [tutors, str(tutors), str(tutors), figures.hidden_rate()]
            else:
                # Minutes against minutes, not people: a plain share.
                used = aggregates.Rate(row["used_minutes"], row["allowance_minutes"], aggregates.threshold())
                remission_cells = [
                    tutors,
                    f"{row['allowance_minutes'] / 60:.0f}",
                    f"{row['used_minutes'] / 60:.0f}",
                    used,
                ]
            remission.rows.append([_term_label(t, year_of[t.pk]), *remission_cells])
        tables.append(remission)
    return tables
