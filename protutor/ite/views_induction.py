"""Induction: new staff checklists and the statutory induction of early-career teachers. Every record is
fetched through a scope in permissions.py, so what you may not see is a 404; each action is a predicate
checked on the record once fetched, then one service call.

- The overview (`induction-list`): the ITE tutor and the programme lead see the institution's; an
  induction tutor or ECT mentor sees the inductions and checklists they hold
  (`permissions.induction_overview_reach`).
- Checklist templates and starting a checklist or an ECT's induction: the ITE tutor.
- A checklist: the person, their induction tutor, the ITE tutor and the programme lead read it; all but
  the programme lead tick items.
- An ECT's induction: the ECT, their mentor, their induction tutor, the ITE tutor and the programme lead
  read it; the induction tutor and the ITE tutor record reviews, assessments and the timetable (the
  mentor does not assess); the ECT, mentor, induction tutor and ITE tutor add evidence.
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from protutor.audit import services as audit
from protutor.core.errors import ServiceError
from protutor.core.params import as_id
from protutor.ite import forms_induction as forms
from protutor.ite import permissions
from protutor.ite import services_induction as services
from protutor.ite.models import ChecklistTemplate, EctInduction, InductionEvent, Intern
from protutor.ite.views import ite_tutor_or_404, staff_or_404
from protutor.people.forms import add_service_error
from protutor.people.models import StaffMember


def _staff_choices(institution_id: int):
    return (
        StaffMember.objects.filter(institution=institution_id, is_active=True)
        .select_related("department")
        .order_by("surname", "forename")
    )


def _colleague_choices(institution_id: int):
    """Who may be an induction tutor or mentor: active staff who are not interns on placement."""
    return _staff_choices(institution_id).exclude(internships__status=Intern.Status.ACTIVE)


def _templates(request, institution_id: int):
    return permissions.registry.readable_by(ChecklistTemplate, request.user).filter(
        institution=institution_id
    )


def _terms(served: Fraction | None) -> Decimal | None:
    """Terms served to one decimal place, rounded down: 5.96 terms is not yet 6."""
    return None if served is None else Decimal(math.floor(served * 10)) / 10


def _decorate_events(events, today, *, can_record: bool):
    """Whether each event is overdue, and what must follow it: an instruction for whoever records the
    events (the early-career teacher is not told to send a recommendation to the appropriate body)."""
    for event in events:
        event.overdue = event.held_on is None and event.due_on < today
        event.follow_up = services.follow_up(event) if can_record else ""
    return events


# The overview


@require_GET
def induction_list(request):
    """Every early-career teacher in induction and every new member of staff's checklist: the institution's
    for the ITE tutor and the programme lead, those they hold for an induction tutor or ECT mentor."""
    staff = staff_or_404(request)
    reach = permissions.induction_overview_reach(request.user, staff.institution_id)
    if reach is None:
        raise Http404
    today = timezone.localdate()
    oversees = reach == "institution"
    inductions = (
        (
            permissions.inductions_readable_by(request.user)
            if oversees
            else permissions.inductions_held_by(request.user)
        )
        .filter(
            staff__institution=staff.institution_id,
            status__in=[EctInduction.Status.IN_PROGRESS, EctInduction.Status.EXTENDED],
        )
        .select_related("staff", "induction_tutor", "mentor")
        .prefetch_related("events", "timetables")
    )
    ects = []
    for induction in inductions:
        pending = [event for event in induction.events.all() if event.held_on is None]
        ects.append(
            {
                "induction": induction,
                "next_event": min(pending, key=lambda event: event.due_on, default=None),
                "overdue": sum(1 for event in pending if event.due_on < today),
                "checks": services.timetable_checks(induction.timetables.all()),
            }
        )
    audit.log_list_access(
        reader=request.user,
        subjects=[row["induction"].staff for row in ects],
        record_type="induction overview",
    )
    checklists = (
        (
            permissions.staff_inductions_readable_by(request.user)
            if oversees
            else permissions.staff_inductions_held_by(request.user)
        )
        .filter(staff__institution=staff.institution_id)
        .select_related("staff", "template", "induction_tutor")
        .annotate(
            total=Count("checklist"),
            done=Count("checklist", filter=Q(checklist__done_on__isnull=False)),
        )
    )
    return render(
        request,
        "ite/induction_list.html",
        {
            "ects": ects,
            "checklists": list(checklists),
            "is_ite_tutor": permissions.is_ite_tutor(request.user, staff.institution_id),
            "today": today,
        },
    )


# Checklists for new staff


@require_http_methods(["GET", "POST"])
def checklist_template(request):
    """The institution's checklist templates; with none yet, the form offers the default one."""
    staff = ite_tutor_or_404(request)
    templates = _templates(request, staff.institution_id)
    editing = None
    if "template" in request.GET:
        if as_id(request.GET["template"]) is None:
            raise Http404
        editing = get_object_or_404(templates, pk=request.GET["template"])
    listed = list(templates)
    if editing is not None:
        initial = {"name": editing.name, "items_text": "\n".join(editing.items)}
    elif not listed:
        initial = {
            "name": services.DEFAULT_TEMPLATE_NAME,
            "items_text": "\n".join(services.DEFAULT_TEMPLATE_ITEMS),
        }
    else:
        initial = {}
    form = forms.ChecklistTemplateForm(request.POST or None, initial=initial)
    if form.is_valid():
        try:
            saved = services.save_checklist_template(
                actor=request.user,
                name=form.cleaned_data["name"],
                items_text=form.cleaned_data["items_text"],
                template=editing,
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"{saved.name} checklist template saved")
            return redirect("ite:checklist-template")
    return render(
        request,
        "ite/induction_checklist_template.html",
        {"templates": listed, "editing": editing, "form": form, "offering_default": not listed},
    )


@require_http_methods(["GET", "POST"])
def checklist_create(request):
    """Give a new member of staff an induction checklist from a template."""
    staff = ite_tutor_or_404(request)
    templates = _templates(request, staff.institution_id)
    choices = _staff_choices(staff.institution_id)
    form = forms.ChecklistForm(
        request.POST or None,
        staff=choices,
        templates=templates,
        initial={"starts_on": timezone.localdate()},
    )
    if form.is_valid():
        try:
            induction = services.start_checklist(actor=request.user, **form.cleaned_data)
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Induction checklist started for {induction.staff.full_name}")
            return redirect(induction)
    return render(
        request,
        "ite/induction_checklist_form.html",
        {"form": form, "has_templates": templates.exists()},
    )


@require_http_methods(["GET", "POST"])
def checklist_detail(request, pk):
    """A new member of staff's checklist; who may tick does so here (POST with the item's id)."""
    induction = get_object_or_404(
        permissions.staff_inductions_readable_by(request.user).select_related(
            "staff", "template", "induction_tutor"
        ),
        pk=pk,
    )
    can_tick = permissions.can_tick_checklist(request.user, induction)
    form = None
    if request.method == "POST":
        if not can_tick:
            raise Http404
        form = forms.TickForm(request.POST)
        if form.is_valid():
            item = get_object_or_404(induction.checklist, pk=form.cleaned_data["item"])
            undo = form.cleaned_data["undo"]
            try:
                services.tick_checklist_item(actor=request.user, item=item, done=not undo)
            except ServiceError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, f"{item.title}: {'not done' if undo else 'done'}")
                return redirect(induction)
    if induction.staff.user_id != request.user.pk:
        audit.log_access(reader=request.user, subject=induction.staff, record=induction)
    items = list(induction.checklist.select_related("done_by"))
    return render(
        request,
        "ite/induction_checklist_detail.html",
        {
            "induction": induction,
            "items": items,
            "done": sum(1 for item in items if item.done_on is not None),
            "can_tick": can_tick,
            "form": form,
        },
    )


# Early-career teachers


def _induction_or_404(request, pk) -> EctInduction:
    return get_object_or_404(
        permissions.inductions_readable_by(request.user).select_related(
            "staff__department", "induction_tutor", "mentor"
        ),
        pk=pk,
    )


@require_http_methods(["GET", "POST"])
def ect_create(request):
    """Start an early-career teacher's induction: its events are worked out from the start date and FTE."""
    staff = ite_tutor_or_404(request)
    form = forms.EctForm(
        request.POST or None,
        staff=_staff_choices(staff.institution_id).filter(ect_induction__isnull=True),
        colleagues=_colleague_choices(staff.institution_id),
        initial={"fte": 1},
    )
    if form.is_valid():
        try:
            induction = services.start_ect_induction(actor=request.user, **form.cleaned_data)
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Induction started for {induction.staff.full_name}")
            return redirect(induction)
    return render(request, "ite/induction_ect_form.html", {"form": form, "induction": None})


@require_http_methods(["GET", "POST"])
def ect_edit(request, pk):
    """Change an induction; the events not yet held are worked out again, those held stay."""
    induction = _induction_or_404(request, pk)
    if not permissions.can_manage_induction(request.user, induction):
        raise Http404
    form = forms.EctEditForm(
        request.POST or None,
        induction=induction,
        colleagues=_colleague_choices(induction.staff.institution_id).exclude(pk=induction.staff_id),
        initial={
            "starts_on": induction.starts_on,
            "fte": induction.fte,
            "induction_tutor": induction.induction_tutor_id,
            "mentor": induction.mentor_id,
            "appropriate_body": induction.appropriate_body,
            "legacy_nqt": induction.legacy_nqt,
            "status": induction.status,
        },
    )
    if form.is_valid():
        try:
            services.update_ect_induction(actor=request.user, induction=induction, **form.cleaned_data)
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Induction saved; dates not yet held worked out again")
            return redirect(induction)
    return render(request, "ite/induction_ect_form.html", {"form": form, "induction": induction})


def _render_detail(request, induction: EctInduction, *, evidence_form=None, timetable_form=None):
    today = timezone.localdate()
    user = request.user
    if induction.staff.user_id != user.pk:
        audit.log_access(reader=user, subject=induction.staff, record=induction)
    can_record = permissions.can_record_induction_event(user, induction)
    can_evidence = permissions.can_add_evidence(user, induction)
    standards = services.evidence_standards()
    if evidence_form is None and can_evidence:
        evidence_form = forms.EvidenceForm(standards=standards, initial={"recorded_on": today})
    years = services.induction_years(induction)
    if timetable_form is None and can_record:
        timetable_form = forms.TimetableForm(years=years)
    terms = services.term_dates(induction.staff.institution_id)
    events = _decorate_events(list(induction.events.all()), today, can_record=can_record)
    checks = {
        check.timetable.induction_year: check
        for check in services.timetable_checks(induction.timetables.all())
    }
    evidence = list(induction.evidence.select_related("standard__framework", "recorded_by"))
    grouped: dict[int, list] = {}
    for item in evidence:
        grouped.setdefault(item.standard_id, []).append(item)
    by_standard = [(standard, grouped.pop(standard.pk, [])) for standard in standards]
    # Evidence against a standard no longer among the top-level ones still shows, after them.
    by_standard += [(items[0].standard, items) for items in grouped.values()]
    context = {
        "induction": induction,
        "is_ect": induction.staff.user_id == user.pk,
        "served": _terms(services.served_so_far(induction, terms, today)),
        "needed": services.assessment_points(induction)[-1],
        "events": events,
        "any_estimated": any(event.estimated for event in events),
        "timetable_years": [(year, checks.get(year)) for year in years],
        "by_standard": by_standard,
        "evidence_count": len(evidence),
        "can_manage": permissions.can_manage_induction(user, induction),
        "can_record": can_record,
        "evidence_form": evidence_form,
        "timetable_form": timetable_form,
        "page_has_errors": bool(
            (evidence_form is not None and evidence_form.errors)
            or (timetable_form is not None and timetable_form.errors)
        ),
        "today": today,
    }
    return render(request, "ite/induction_ect_detail.html", context)


@require_GET
def ect_detail(request, pk):
    return _render_detail(request, _induction_or_404(request, pk))


@require_POST
def ect_evidence(request, pk):
    induction = _induction_or_404(request, pk)
    if not permissions.can_add_evidence(request.user, induction):
        raise Http404
    form = forms.EvidenceForm(request.POST, standards=services.evidence_standards())
    if form.is_valid():
        try:
            services.add_evidence(actor=request.user, induction=induction, **form.cleaned_data)
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Evidence added against {form.cleaned_data['standard'].label}")
            return redirect(reverse("ite:ect-detail", args=[induction.pk]) + "#evidence")
    return _render_detail(request, induction, evidence_form=form)


@require_POST
def ect_timetable(request, pk):
    induction = _induction_or_404(request, pk)
    if not permissions.can_record_induction_event(request.user, induction):
        raise Http404
    form = forms.TimetableForm(request.POST, years=services.induction_years(induction))
    if form.is_valid():
        try:
            timetable = services.record_reduced_timetable(
                actor=request.user, induction=induction, **form.cleaned_data
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            check = services.timetable_checks([timetable])[0]
            # A reduction not met is news to act on, not a success.
            (messages.success if check.check.met else messages.warning)(request, check.summary)
            return redirect(reverse("ite:ect-detail", args=[induction.pk]) + "#timetable")
    return _render_detail(request, induction, timetable_form=form)


@require_http_methods(["GET", "POST"])
def ect_event(request, pk, event_pk):
    """Record a progress review or formal assessment as held: the induction tutor or the ITE tutor."""
    induction = _induction_or_404(request, pk)
    if not permissions.can_record_induction_event(request.user, induction):
        raise Http404
    event = get_object_or_404(induction.events.all(), pk=event_pk)
    if event.held_on is not None:
        initial = {"held_on": event.held_on, "outcome": event.outcome, "notes": event.notes}
    else:
        initial = {"held_on": min(event.due_on, timezone.localdate())}
    form = forms.EventForm(request.POST or None, initial=initial, event=event)
    if form.is_valid():
        try:
            event = services.record_event(actor=request.user, event=event, **form.cleaned_data)
        except ServiceError as error:
            add_service_error(form, error)
        else:
            follow_up = services.follow_up(event)
            (messages.warning if follow_up else messages.success)(
                request, f"{event} recorded. {follow_up}".strip()
            )
            return redirect(induction)
    audit.log_access(reader=request.user, subject=induction.staff, record=induction)
    return render(
        request,
        "ite/induction_ect_event.html",
        {
            "induction": induction,
            "event": event,
            "form": form,
            "follow_up": services.follow_up(event),
            "is_formal": event.kind == InductionEvent.Kind.FORMAL_ASSESSMENT,
            "is_final": services.is_final_assessment(event),
        },
    )


urlpatterns = [
    path("induction/", induction_list, name="induction-list"),
    path("induction/checklists/templates/", checklist_template, name="checklist-template"),
    path("induction/checklists/new/", checklist_create, name="checklist-create"),
    path("induction/checklists/<int:pk>/", checklist_detail, name="checklist-detail"),
    path("induction/ects/new/", ect_create, name="ect-create"),
    path("induction/ects/<int:pk>/", ect_detail, name="ect-detail"),
    path("induction/ects/<int:pk>/edit/", ect_edit, name="ect-edit"),
    path("induction/ects/<int:pk>/evidence/", ect_evidence, name="ect-evidence"),
    path("induction/ects/<int:pk>/timetable/", ect_timetable, name="ect-timetable"),
    path("induction/ects/<int:pk>/events/<int:event_pk>/", ect_event, name="ect-event"),
]
