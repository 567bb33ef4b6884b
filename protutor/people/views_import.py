"""Staff import pages: upload a MIS export, read the dry-run preview, apply it. Administrators only."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from protutor.core.csvfiles import file_name_problem
from protutor.core.errors import ServiceError
from protutor.people import imports
from protutor.people.models import Institution
from protutor.people.permissions import (
    can_import_staff,
    institutions_administered_by,
    staff_imports_readable_by,
)

ROWS_PER_PAGE = 100
KIND_FILTERS = (
    ("", "All rows"),
    ("error", "Errors"),
    ("new", "New"),
    ("update", "Updates"),
    ("unchanged", "Unchanged"),
)


class StaffImportForm(forms.Form):
    institution = forms.ModelChoiceField(
        label="School or college",
        queryset=Institution.objects.none(),
        empty_label="Select a school or college",
        error_messages={
            "required": "Select the school or college to import staff into",
            "invalid_choice": "Select the school or college to import staff into",
        },
    )
    file = forms.FileField(
        label="CSV file of staff",
        help_text="An export from your MIS, saved as CSV (any of Excel's CSV or Unicode text types), up to 5MB. The first row must be the column "
        "headings: staff code, title, forename, surname, email, department, job title, line manager's staff "
        "code, and optionally FTE and teaching hours.",
        error_messages={"required": "Select a CSV file", "empty": "The selected file is empty"},
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def __init__(self, *args, institutions, **kwargs):
        """`institutions`: those the administrator may import into; the choice appears only if there are several."""
        super().__init__(*args, **kwargs)
        available = list(institutions)
        self.has_institutions = bool(available)
        self.only_institution = available[0] if len(available) == 1 else None
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


@require_http_methods(["GET", "POST"])
def import_start(request):
    institutions = institutions_administered_by(request.user).order_by("name")
    data = (request.POST, request.FILES) if request.method == "POST" else ()
    form = StaffImportForm(*data, institutions=institutions)
    if not form.has_institutions:
        raise Http404
    if form.is_bound and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            staff_import = imports.preview_import(
                institution=form.chosen_institution(),
                actor=request.user,
                file_name=upload.name,
                data=upload.read(),
            )
        except ServiceError as e:
            form.add_error("file" if e.field == "file" else None, e.message)
        else:
            return redirect(staff_import)
    recent = staff_imports_readable_by(request.user).select_related("institution", "uploaded_by__staff")[:10]
    return render(
        request,
        "people/import_start.html",
        {
            "form": form,
            "recent": recent,
            "columns": imports.COLUMNS,
            "several": form.only_institution is None,
        },
    )


@require_http_methods(["GET"])
def import_preview(request, pk):
    staff_import = get_object_or_404(
        staff_imports_readable_by(request.user).select_related("institution"), pk=pk
    )
    summary = staff_import.summary
    kind = request.GET.get("kind", "")
    if kind not in dict(KIND_FILTERS):
        kind = ""
    rows = [row for row in summary.get("rows", []) if not kind or row["kind"] == kind]
    page_obj = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    base = reverse("people:import-preview", args=[staff_import.pk])
    counts = summary.get("counts", {})
    filters = [
        {
            "text": f"{text} ({counts.get(value, 0) if value else summary.get('total', 0)})",
            "href": f"{base}?kind={value}" if value else base,
            "current": value == kind,
        }
        for value, text in KIND_FILTERS
    ]
    return render(
        request,
        "people/import_preview.html",
        {
            "staff_import": staff_import,
            "summary": summary,
            "counts": counts,
            "page_obj": page_obj,
            "query": f"kind={kind}" if kind else "",
            "filters": filters,
            "ready_to_apply": imports.is_ready_to_apply(staff_import),
        },
    )


@require_http_methods(["POST"])
def import_apply(request, pk):
    staff_import = get_object_or_404(
        staff_imports_readable_by(request.user).select_related("institution"), pk=pk
    )
    if not can_import_staff(request.user, staff_import.institution):
        raise Http404
    try:
        staff_import = imports.apply_import(staff_import, actor=request.user)
    except ServiceError as e:
        messages.error(request, e.message)
    else:
        counts = staff_import.summary["counts"]
        messages.success(
            request,
            f"Import applied: {counts['new']} new, {counts['update']} updated, "
            f"{counts['unchanged']} unchanged",
        )
    return redirect(staff_import)
