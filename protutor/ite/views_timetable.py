"""The school's teaching groups and balanced intern timetables (ITE tutor; the programme lead reads)."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods, require_POST

from protutor.core.errors import ServiceError
from protutor.ite import forms_timetable as forms
from protutor.ite import permissions
from protutor.ite import services_timetable as services
from protutor.ite.models import TeachingGroup, TimetableAllocation, TimetableRule, TimetableRun
from protutor.ite.timetable import key_stage
from protutor.ite.views import current_year, overseer_or_404
from protutor.people.forms import add_service_error


def _year_or_404(request):
    staff = overseer_or_404(request)
    year = current_year(staff.institution_id)
    return staff, year


def _groups(request, year):
    return permissions.registry.readable_by(TeachingGroup, request.user).filter(academic_year=year)


@require_http_methods(["GET"])
def group_list(request):
    return _group_page(request)


def _group_page(request, form=None, check=None):
    staff, year = _year_or_404(request)
    is_tutor = permissions.is_ite_tutor(request.user, staff.institution_id)
    groups = list(_groups(request, year).select_related("teacher")) if year else []
    return render(
        request,
        "ite/timetable_groups.html",
        {
            "year": year,
            "groups": groups,
            "form": (form or forms.GroupImportForm()) if is_tutor and year else None,
            "check": check,
            "page_has_errors": bool(check and check.errors),
        },
    )


@require_POST
def group_import(request):
    staff, year = _year_or_404(request)
    if year is None or not permissions.is_ite_tutor(request.user, staff.institution_id):
        raise Http404
    form = forms.GroupImportForm(request.POST, request.FILES)
    check = None
    if form.is_valid():
        apply = request.POST.get("apply") == "yes"
        try:
            check = services.import_groups(
                actor=request.user, academic_year=year, data=form.cleaned_data["file"].read(), apply=apply
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            if apply and not check.errors:
                messages.success(
                    request,
                    f"Classes imported: {len(check.created)} new, {len(check.changed)} changed, "
                    f"{check.unchanged} unchanged",
                )
                return redirect("ite:group-list")
    return _group_page(request, form=form, check=check)


def _run_rows(request, year, run):
    """Each intern's classes, load and range from the run, and each class's interns: four queries."""
    interns = list(
        services.interns_of_year(year).filter(pk__in=permissions.interns_readable_by(request.user))
    )
    rules = list(
        permissions.registry.readable_by(TimetableRule, request.user)
        .filter(intern__in=interns)
        .select_related("group", "intern__staff")
    )
    allocations = (
        list(
            permissions.registry.readable_by(TimetableAllocation, request.user)
            .filter(run=run)
            .select_related("group", "intern__staff")
        )
        if run
        else []
    )
    pinned = {(r.intern_id, r.group_id) for r in rules if r.kind == TimetableRule.Kind.PIN}
    by_intern = defaultdict(list)
    by_group = defaultdict(list)
    for allocation in allocations:
        by_intern[allocation.intern_id].append(allocation.group)
        by_group[allocation.group_id].append(allocation.intern)
    rows = []
    for intern in interns:
        groups = sorted(by_intern.get(intern.pk, []), key=lambda g: (g.year_group, g.code))
        load = sum(g.periods for g in groups)
        rows.append(
            {
                "intern": intern,
                "groups": [(g, (intern.pk, g.pk) in pinned) for g in groups],
                "load": load,
                "shortfall": max(intern.target_periods - load, 0),
                # Worked out from the data when the run was proposed (timetable.Result.short); an intern
                # added since has no reason, and none is made up.
                "short_because": run.short.get(str(intern.pk), "") if run else "",
                "key_stages": sorted({key_stage(g.year_group) for g in groups}),
                "abilities": sorted({g.ability for g in groups if g.ability}, key=str.lower),
            }
        )
    return rules, rows, by_group


@require_http_methods(["GET", "POST"])
def timetable_page(request):
    staff, year = _year_or_404(request)
    is_tutor = permissions.is_ite_tutor(request.user, staff.institution_id)
    if year is None:
        return render(request, "ite/timetable.html", {"year": None})
    run = (
        permissions.registry.readable_by(TimetableRun, request.user)
        .filter(academic_year=year, institution=staff.institution_id)
        .first()
    )
    groups = _groups(request, year)
    rules, rows, by_group = _run_rows(request, year, run)
    run_form = forms.RunForm(initial={"class_limit": run.class_limit if run else 1})
    rule_form = forms.RuleForm(
        interns=services.interns_of_year(year), groups=groups.order_by("subject", "year_group", "code")
    )
    if request.method == "POST":
        if not is_tutor:
            raise Http404
        action = request.POST.get("action")
        if action == "run":
            run_form = forms.RunForm(request.POST)
            if run_form.is_valid():
                try:
                    run = services.propose_timetable(
                        actor=request.user, academic_year=year, **run_form.cleaned_data
                    )
                except services.TimetableNotProposed as error:
                    run_form.add_error(None, error.message)
                    for problem in error.problems:
                        run_form.add_error(None, problem)
                except ServiceError as error:
                    add_service_error(run_form, error)
                else:
                    if run.feasible:
                        messages.success(
                            request,
                            "Timetables proposed"
                            + (", proved optimal" if run.optimal else "")
                            + f" in {run.seconds:.1f} s",
                        )
                    return redirect("ite:timetable")
        elif action == "rule":
            rule_form = forms.RuleForm(
                request.POST,
                interns=services.interns_of_year(year),
                groups=groups.order_by("subject", "year_group", "code"),
            )
            if rule_form.is_valid():
                try:
                    services.set_rule(actor=request.user, **rule_form.cleaned_data)
                except ServiceError as error:
                    add_service_error(rule_form, error)
                else:
                    messages.success(request, "Saved: propose timetables again to see the effect")
                    return redirect("ite:timetable")
        else:
            raise Http404
    counts = groups.aggregate(total=Count("pk"), subjects=Count("subject", distinct=True))
    uncovered = []
    covered = []
    if run is not None and run.feasible:
        for group in groups.order_by("subject", "year_group", "code"):
            names = by_group.get(group.pk, [])
            if names:
                covered.append((group, names))
            else:
                uncovered.append((group, run.uncovered.get(str(group.pk), "")))
    return render(
        request,
        "ite/timetable.html",
        {
            "year": year,
            "run": run,
            "rows": rows,
            "rules": rules,
            "covered": covered,
            "uncovered": uncovered,
            "counts": counts,
            "is_ite_tutor": is_tutor,
            "run_form": run_form,
            "rule_form": rule_form,
            "page_has_errors": bool(run_form.errors or rule_form.errors),
        },
    )


def intern_section(request, intern, today) -> dict:
    """The classes the intern teaches in the year's latest proposal, and the tutor's pins and bans."""
    allocations = list(
        permissions.registry.readable_by(TimetableAllocation, request.user)
        .filter(intern=intern)
        .select_related("group")
        .order_by("group__year_group", "group__code")
    )
    rules = list(
        permissions.registry.readable_by(TimetableRule, request.user)
        .filter(intern=intern)
        .select_related("group")
    )
    load = sum(a.group.periods for a in allocations)
    return {
        "groups": [a.group for a in allocations],
        "load": load,
        "key_stages": sorted({key_stage(a.group.year_group) for a in allocations}),
        "rules": rules,
        "can_manage": permissions.can_manage_intern(request.user, intern),
    }


urlpatterns = [
    path("timetable/", timetable_page, name="timetable"),
    path("timetable/classes/", group_list, name="group-list"),
    path("timetable/classes/import/", group_import, name="group-import"),
]
