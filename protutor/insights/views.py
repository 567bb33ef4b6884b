"""Impact pages: the programme dashboard, outcomes, surveys, their CSV exports, the imports and the termly
reports. Every figure comes through protutor.insights' table builders, which read through the scopes in
protutor.insights.permissions and each app's countable scopes; a department or report outside the user's
scope answers 404."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypedDict
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from protutor.core.csvfiles import file_name_problem
from protutor.core.errors import ServiceError
from protutor.core.exports import attachment, csv_response
from protutor.core.params import as_id
from protutor.insights import imports
from protutor.insights.dashboard import View, programme_tables
from protutor.insights.models import ImpactReport
from protutor.insights.outcomes import outcome_tables
from protutor.insights.permissions import (
    impact_reports_readable_by,
    outcome_imports_readable_by,
    survey_imports_readable_by,
)
from protutor.insights.reports import report_tables
from protutor.insights.surveys import survey_tables
from protutor.insights.tables import find
from protutor.insights.tasks import queue_report
from protutor.people.models import AcademicYear, Department, Institution, Term
from protutor.people.permissions import institutions_administered_by
from protutor.people.roles import actor_for


@dataclass
class Selection:
    view: View
    institutions: list
    departments: list
    years: list
    year: AcademicYear | None
    terms: list
    term: Term | None

    def query(self, **extra) -> str:
        params = {}
        if len(self.institutions) > 1:
            params["institution"] = self.view.institution.pk
        if self.view.department is not None:
            params["department"] = self.view.department.pk
        if self.year is not None:
            params["year"] = self.year.pk
        if self.term is not None:
            params["term"] = self.term.pk
        params.update(extra)
        return urlencode(params)


def _int(value) -> int | None:
    return as_id(value)


def _select(request) -> Selection:
    """What the person may look at, narrowed by the GET form: programme lead (an institution they lead,
    all of it or one department) or head of department (their own department only). Otherwise 404."""
    actor = actor_for(request.user)
    wanted_department = request.GET.get("department") or None
    if actor.is_programme_lead:
        institutions = list(Institution.objects.filter(pk__in=actor.led_institution_ids).order_by("name"))
        chosen = _int(request.GET.get("institution"))
        institution = next((i for i in institutions if i.pk == chosen), None) if chosen else institutions[0]
        if institution is None:
            raise Http404
        departments = list(Department.objects.filter(institution=institution).order_by("name"))
        department = None
        if wanted_department:
            department = next((d for d in departments if d.pk == _int(wanted_department)), None)
            if department is None:
                raise Http404
        view = View(institution, department, whole_institution=department is None)
    elif actor.is_head_of_department:
        departments = list(
            Department.objects.filter(pk__in=actor.headed_department_ids)
            .select_related("institution")
            .order_by("name")
        )
        department = departments[0]
        if wanted_department:
            department = next((d for d in departments if d.pk == _int(wanted_department)), None)
            if department is None:
                raise Http404
        institutions = [department.institution]
        view = View(department.institution, department, whole_institution=False)
    else:
        raise Http404
    years = list(
        AcademicYear.objects.filter(institution=view.institution)
        .order_by("starts_on")
        .prefetch_related("terms")
    )
    chosen_year = _int(request.GET.get("year"))
    today = timezone.localdate()
    year = next((y for y in years if y.pk == chosen_year), None) if chosen_year else None
    if chosen_year and year is None:
        raise Http404
    year = year or next((y for y in years if y.starts_on <= today <= y.ends_on), years[-1] if years else None)
    terms = list(year.terms.all()) if year else []
    chosen_term = _int(request.GET.get("term"))
    term = next((t for t in terms if t.pk == chosen_term), None) if chosen_term else None
    return Selection(view, institutions, departments, years, year, terms, term)


def _years_before(selection: Selection, count: int) -> list:
    if selection.year is None:
        return []
    index = selection.years.index(selection.year)
    return selection.years[max(0, index - count + 1) : index + 1]


PAGES = [
    ("insights:dashboard", "Programme"),
    ("insights:outcomes", "Student outcomes"),
    ("insights:surveys", "Surveys"),
]


LEAD_PAGES = [*PAGES, ("insights:report-list", "Termly reports")]


def _page(request, template: str, selection: Selection, tables, title: str, current: str):
    wanted = request.GET.get("table")
    if request.GET.get("format") == "csv":
        table = find(tables, wanted or "")
        if table is None:
            raise Http404
        year = selection.year.name.replace("/", "-") if selection.year else "no-year"
        return csv_response(f"{table.key}-{year}.csv", table.csv_rows())
    lead = actor_for(request.user).is_programme_lead
    return render(
        request,
        template,
        {
            "selection": selection,
            "tables": tables,
            "title": title,
            "query": selection.query(),
            "pages": LEAD_PAGES if lead else PAGES,
            "current": current,
            "show_departments": lead or len(selection.departments) > 1,
            "department_all": lead,
            "with_term": current == "insights:dashboard",
        },
    )


@require_GET
def dashboard(request):
    selection = _select(request)
    tables = []
    if selection.year is not None:
        years_terms = [(y, list(y.terms.all())) for y in _years_before(selection, 2)]
        tables = programme_tables(request.user, selection.view, years_terms, term=selection.term)
    return _page(request, "insights/dashboard.html", selection, tables, "Impact", "insights:dashboard")


@require_GET
def outcomes(request):
    selection = _select(request)
    years = _years_before(selection, 3)
    tables = (
        outcome_tables(request.user, selection.view.institution, years, selection.view.department_ids)
        if years
        else []
    )
    return _page(
        request, "insights/outcomes.html", selection, tables, "Student outcomes", "insights:outcomes"
    )


@require_GET
def surveys(request):
    selection = _select(request)
    years = _years_before(selection, 3)
    tables = (
        survey_tables(request.user, selection.view.institution, years, selection.view.department_ids)
        if years
        else []
    )
    return _page(request, "insights/surveys.html", selection, tables, "Surveys", "insights:surveys")


# Imports (administrators).


class ImportForm(forms.Form):
    institution = forms.ModelChoiceField(
        label="School or college",
        queryset=Institution.objects.none(),
        empty_label="Select a school or college",
        error_messages={
            "required": "Select the school or college to import into",
            "invalid_choice": "Select the school or college to import into",
        },
    )
    file = forms.FileField(
        label="CSV file",
        error_messages={"required": "Select a CSV file", "empty": "The selected file is empty"},
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def __init__(self, *args, institutions, help_text, **kwargs):
        super().__init__(*args, **kwargs)
        available = list(institutions)
        self.has_institutions = bool(available)
        self.only_institution = available[0] if len(available) == 1 else None
        self.fields["file"].help_text = help_text
        if self.only_institution is None:
            self.fields["institution"].queryset = institutions
        else:
            del self.fields["institution"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        problem = file_name_problem(upload.name)
        if problem is not None:
            raise forms.ValidationError(problem)
        if upload.size > imports.MAX_FILE_SIZE:
            raise forms.ValidationError("The selected file must be smaller than 5MB")
        return upload

    def chosen_institution(self):
        return self.cleaned_data.get("institution") or self.only_institution


class ImportSpec(TypedDict):
    # Any: the views pick the outcomes or the surveys entry by name at run time, so both share one type.
    kind: imports.Kind[Any, Any]
    scope: Callable[[Any], QuerySet[Any]]
    title: str
    help: str
    url: str
    preview: str
    apply: str


KINDS: dict[str, ImportSpec] = {
    "outcomes": {
        "kind": imports.OUTCOMES,
        "scope": outcome_imports_readable_by,
        "title": "Import student outcomes",
        "help": "An export from your MIS, saved from Excel or your MIS as CSV (any of Excel's CSV or Unicode text types), up to 5MB: one row per course, year and group, "
        'with the whole cohort as group type "all", group value "all".',
        "url": "insights:outcome-import",
        "preview": "insights:outcome-import-preview",
        "apply": "insights:outcome-import-apply",
    },
    "surveys": {
        "kind": imports.SURVEYS,
        "scope": survey_imports_readable_by,
        "title": "Import survey results",
        "help": "Saved as CSV (any of Excel's CSV or Unicode text types), up to 5MB: one row per survey, year, department and measure. Leave the "
        "department empty for a whole-institution result.",
        "url": "insights:survey-import",
        "preview": "insights:survey-import-preview",
        "apply": "insights:survey-import-apply",
    },
}


def _import_start(request, name: str):
    spec = KINDS[name]
    institutions = institutions_administered_by(request.user).order_by("name")
    data = (request.POST, request.FILES) if request.method == "POST" else ()
    form = ImportForm(*data, institutions=institutions, help_text=spec["help"])
    if not form.has_institutions:
        raise Http404
    if form.is_bound and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            record = imports.preview_import(
                spec["kind"],
                institution=form.chosen_institution(),
                actor=request.user,
                file_name=upload.name,
                data=upload.read(),
            )
        except ServiceError as e:
            form.add_error("file" if e.field == "file" else None, e.message)
        else:
            return redirect(record)
    recent = spec["scope"](request.user).select_related("institution")[:10]
    return render(
        request,
        "insights/import_start.html",
        {"form": form, "spec": spec, "recent": recent, "columns": spec["kind"].columns},
    )


def _import_preview(request, name: str, pk: int):
    spec = KINDS[name]
    record = get_object_or_404(spec["scope"](request.user).select_related("institution"), pk=pk)
    return render(
        request,
        "insights/import_preview.html",
        {
            "record": record,
            "spec": spec,
            "counts": record.summary.get("counts", {}),
            "rows": record.summary.get("rows", []),
            "ready_to_apply": imports.is_ready_to_apply(record),
        },
    )


def _import_apply(request, name: str, pk: int):
    spec = KINDS[name]
    record = get_object_or_404(spec["scope"](request.user).select_related("institution"), pk=pk)
    try:
        record = imports.apply_import(spec["kind"], record, actor=request.user)
    except ServiceError as e:
        messages.error(request, e.message)
    else:
        counts = record.summary["counts"]
        messages.success(
            request,
            f"Import applied: {counts['new']} new, {counts['update']} updated, {counts['unchanged']} unchanged",
        )
    return redirect(record)


@require_http_methods(["GET", "POST"])
def outcome_import(request):
    return _import_start(request, "outcomes")


@require_GET
def outcome_import_preview(request, pk):
    return _import_preview(request, "outcomes", pk)


@require_POST
def outcome_import_apply(request, pk):
    return _import_apply(request, "outcomes", pk)


@require_http_methods(["GET", "POST"])
def survey_import(request):
    return _import_start(request, "surveys")


@require_GET
def survey_import_preview(request, pk):
    return _import_preview(request, "surveys", pk)


@require_POST
def survey_import_apply(request, pk):
    return _import_apply(request, "surveys", pk)


# Termly reports (programme lead).


class BuildForm(forms.Form):
    term = forms.ModelChoiceField(
        label="Term",
        queryset=Term.objects.none(),
        empty_label="Select a term",
        error_messages={
            "required": "Select the term to report on",
            "invalid_choice": "Select the term to report on",
        },
    )

    def __init__(self, *args, terms, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["term"].queryset = terms
        self.fields["term"].label_from_instance = lambda t: (
            f"{t.get_name_display()} term {t.academic_year.name}"
        )


def _led_institution(request, institution_id=None):
    actor = actor_for(request.user)
    if not actor.is_programme_lead:
        raise Http404
    institutions = Institution.objects.filter(pk__in=actor.led_institution_ids).order_by("name")
    return institutions


def _terms_for(institutions):
    return (
        Term.objects.filter(academic_year__institution__in=institutions, starts_on__lte=timezone.localdate())
        .select_related("academic_year__institution")
        .order_by("-starts_on")
    )


@require_GET
def report_list(request):
    institutions = _led_institution(request)
    reports = (
        impact_reports_readable_by(request.user)
        .select_related("term__academic_year", "institution")
        .defer("pdf")
    )
    form = BuildForm(terms=_terms_for(institutions))
    return render(
        request, "insights/report_list.html", {"reports": reports, "form": form, "pages": LEAD_PAGES}
    )


@require_POST
def report_build(request):
    institutions = _led_institution(request)
    form = BuildForm(request.POST, terms=_terms_for(institutions))
    if not form.is_valid():
        reports = (
            impact_reports_readable_by(request.user)
            .select_related("term__academic_year", "institution")
            .defer("pdf")
        )
        return render(
            request,
            "insights/report_list.html",
            {"reports": reports, "form": form, "pages": LEAD_PAGES},
            status=400,
        )
    term = form.cleaned_data["term"]
    with transaction.atomic():
        _report, queued = queue_report(term.academic_year.institution, term, requested_by=request.user)
    if queued:
        messages.success(request, "The report is being built. You will get an email when it is ready.")
    else:
        messages.info(request, "The report is already being built.")
    return redirect("insights:report-list")


@require_GET
def report(request, pk):
    report = get_object_or_404(
        impact_reports_readable_by(request.user)
        .select_related("institution", "term__academic_year")
        .defer("pdf"),
        pk=pk,
    )
    if request.GET.get("format") == "csv":
        groups = report_tables(request.user, report.institution, report.term)
        table = find([t for tables in groups.values() for t in tables], request.GET.get("table", ""))
        if table is None:
            raise Http404
        return csv_response(
            f"{table.key}-{report.term.academic_year.name.replace('/', '-')}.csv", table.csv_rows()
        )
    return render(
        request,
        "insights/report.html",
        {"report": report, "query": "", **report_tables(request.user, report.institution, report.term)},
    )


@require_GET
def report_pdf(request, pk):
    report = get_object_or_404(impact_reports_readable_by(request.user), pk=pk)
    if report.status != ImpactReport.Status.READY or not report.pdf:
        raise Http404
    response = HttpResponse(bytes(report.pdf), content_type="application/pdf")
    attachment(response, f"impact-report-{report.pk}.pdf")
    return response
