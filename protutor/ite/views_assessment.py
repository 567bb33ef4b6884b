"""Assessment Reference Points and causes for concern: the page of one intern at one reference point
(judgements, reflection, moderation), the progress grid, and causes for concern. Every record is fetched
through a scope in permissions.py, so what you may not see is a 404; actions are predicates checked on the
record, and again in services_assessment."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.contrib import messages
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from protutor.audit import services as audit
from protutor.core import permissions as registry
from protutor.core.errors import ServiceError
from protutor.ite import forms_assessment as forms
from protutor.ite import permissions
from protutor.ite import services_assessment as assessment
from protutor.ite.models import CauseForConcern, Intern, Judgement, ReferencePoint, ReferencePointReview
from protutor.ite.services import current_reference_point
from protutor.ite.views import current_year, intern_or_404, staff_or_404
from protutor.observations.models import Observation, Standard
from protutor.observations.permissions import observations_readable_by
from protutor.people.forms import add_service_error
from protutor.people.models import StaffMember

MODERATION_LABELS = {
    "": "Not moderated",
    ReferencePointReview.Moderation.AGREED: "Agreed",
    ReferencePointReview.Moderation.CHANGES: "To look at again",
}
HISTORY_VERBS = {"+": "Recorded", "~": "Changed", "-": "Removed"}


def _name_of(user) -> str:
    if user is None:
        return "an unknown user"
    staff = getattr(user, "staff", None)  # a missing staff record raises an AttributeError subclass
    return staff.full_name if staff is not None else str(user)


def _point_or_404(request, intern: Intern, pk) -> ReferencePoint:
    return get_object_or_404(
        registry.readable_by(ReferencePoint, request.user).filter(programme=intern.programme_id), pk=pk
    )


# One intern at one reference point


def _judgement_rows(request, intern, point, standards, judgements, judge_form):
    """For each standard: the provider's descriptor, the judgement, its history and the form's fields."""
    scale = dict(intern.programme.scale_choices)
    lowest = assessment.lowest_grade(intern)
    descriptors = {d.standard_id: d for d in point.descriptors.all()}
    history = defaultdict(list)
    changes = (
        registry.readable_by(Judgement.history.model, request.user)
        .filter(intern_id=intern.pk, reference_point_id=point.pk)
        .select_related("history_user__staff")
        .order_by("history_date", "history_id")
    )
    for change in changes:
        history[change.standard_id].append(
            {
                "verb": HISTORY_VERBS.get(change.history_type, "Changed"),
                "when": change.history_date,
                "by": _name_of(change.history_user),
                "grade": scale.get(change.grade, change.grade),
            }
        )
    rows = []
    for standard in standards:
        judgement = judgements.get(standard.pk)
        fields = []
        if judge_form is not None:
            fields = [
                judge_form[name]
                for name in (f"grade_{standard.pk}", f"evidence_{standard.pk}", f"observations_{standard.pk}")
                if name in judge_form.fields
            ]
        rows.append(
            {
                "standard": standard,
                "descriptor": descriptors.get(standard.pk),
                "judgement": judgement,
                "grade_label": scale.get(judgement.grade, judgement.grade) if judgement else "",
                "is_lowest": judgement is not None and judgement.grade == lowest,
                "observations": list(judgement.observations.all()) if judgement else [],
                "history": history.get(standard.pk, []),
                "fields": fields,
            }
        )
    return rows


@require_http_methods(["GET", "POST"])
def reference_point_record(request, intern_pk, point_pk):
    """The intern's record at one reference point: the provider's descriptor and the judgement for each
    standard, the intern's reflection and the ITE tutor's moderation. One POST `action` per form."""
    intern = intern_or_404(request, intern_pk)
    point = _point_or_404(request, intern, point_pk)
    user = request.user
    may = {
        "judge": permissions.can_judge(user, intern),
        "reflect": assessment.can_reflect(user, intern),
        "moderate": assessment.can_moderate(user, intern),
    }
    action = request.POST.get("action") if request.method == "POST" else None
    if request.method == "POST" and not may.get(action or ""):
        raise Http404
    review = (
        registry.readable_by(ReferencePointReview, user)
        .filter(intern=intern, reference_point=point)
        .select_related("moderated_by")
        .first()
    )
    agreed = review is not None and review.moderation == ReferencePointReview.Moderation.AGREED
    standards = list(assessment.standards_to_judge(intern.programme.provider.institution_id))
    judgements = {
        j.standard_id: j
        for j in registry.readable_by(Judgement, user)
        .filter(intern=intern, reference_point=point)
        .select_related("recorded_by")
        .prefetch_related(
            Prefetch("observations", queryset=observations_readable_by(user).select_related("observer"))
        )
    }
    judge_form = reflect_form = moderate_form = None
    if may["judge"] and (not agreed or action == "judge"):
        observations = (
            observations_readable_by(user)
            .filter(observee=intern.staff, kind=Observation.Kind.TRAINING)
            .exclude(status=Observation.Status.DRAFT)
            .select_related("observer")
        )
        initial = {}
        for standard_id, judgement in judgements.items():
            initial[f"grade_{standard_id}"] = judgement.grade
            initial[f"evidence_{standard_id}"] = judgement.evidence
            initial[f"observations_{standard_id}"] = [str(o.pk) for o in judgement.observations.all()]
        judge_form = forms.JudgementForm(
            request.POST if action == "judge" else None,
            standards=standards,
            scale_choices=intern.programme.scale_choices,
            observations=list(observations),
            intern_name=intern.staff.full_name,
            initial=initial,
        )
    if may["reflect"] and (not agreed or action == "reflect"):
        reflect_form = forms.ReflectionForm(
            request.POST if action == "reflect" else None,
            initial={"reflection": review.reflection if review else ""},
        )
    if may["moderate"]:
        moderate_form = forms.ModerationForm(
            request.POST if action == "moderate" else None,
            initial={
                "moderation": review.moderation if review else "",
                "moderation_note": review.moderation_note if review else "",
            },
        )
    done = _act(request, action, intern, point, judge_form, reflect_form, moderate_form)
    if done:
        messages.success(request, done)
        return redirect("ite:reference-point-record", intern.pk, point.pk)
    if not permissions.is_intern(user, intern):
        audit.log_access(reader=user, subject=intern.staff, record=point)
    forms_shown = [f for f in (judge_form, reflect_form, moderate_form) if f is not None]
    context = {
        "intern": intern,
        "point": point,
        "review": review,
        "agreed": agreed,
        "moderation_label": MODERATION_LABELS[review.moderation if review else ""],
        "rows": _judgement_rows(request, intern, point, standards, judgements, judge_form),
        "judged": len(judgements),
        "total": len(standards),
        "judge_form": judge_form,
        "reflect_form": reflect_form,
        "moderate_form": moderate_form,
        "error_forms": [f for f in forms_shown if f.is_bound and f.errors],
        "page_has_errors": any(f.is_bound and f.errors for f in forms_shown),
        "is_intern": permissions.is_intern(user, intern),
    }
    return render(request, "ite/assessment_record.html", context)


def _act(request, action, intern, point, judge_form, reflect_form, moderate_form) -> str:
    """Run the service behind a valid POST: the success message, or "" to show the page again."""
    form = {"judge": judge_form, "reflect": reflect_form, "moderate": moderate_form}.get(action or "")
    if form is None or not form.is_valid():
        return ""
    common = {"actor": request.user, "intern": intern, "reference_point": point}
    try:
        if action == "judge":
            assessment.record_judgements(**common, entries=form.entries())
            return "Judgements saved"
        if action == "reflect":
            assessment.add_reflection(**common, reflection=form.cleaned_data["reflection"])
            return "Reflection saved"
        assessment.moderate(
            **common, moderation=form.cleaned_data["moderation"], note=form.cleaned_data["moderation_note"]
        )
        return "Moderation recorded"
    except ServiceError as error:
        add_service_error(form, error)
        return ""


# The progress grid


@require_GET
def progress_grid(request):
    """Every current intern x standard x reference point: the ITE tutor and the programme lead see every
    intern of the institution this year; a mentor sees their own mentees; anyone else gets a 404. The
    same queries whatever the number of interns."""
    staff = staff_or_404(request)
    oversees = permissions.oversees_ite(request.user, staff.institution_id)
    year = current_year(staff.institution_id)
    interns = (
        permissions.interns_readable_by(request.user)
        .filter(programme__academic_year=year)
        .exclude(status=Intern.Status.WITHDRAWN)
    )
    if oversees:
        interns = interns.filter(programme__provider__institution=staff.institution_id)
    else:
        interns = interns.filter(mentor=staff)
    interns = list(
        interns.select_related("staff", "programme").prefetch_related("programme__reference_points")
    )
    if not oversees and not interns:
        raise Http404
    standards = list(assessment.standards_to_judge(staff.institution_id))
    pks = [i.pk for i in interns]
    grades = {
        (intern_id, point_id, standard_id): grade
        for intern_id, point_id, standard_id, grade in registry.readable_by(Judgement, request.user)
        .filter(intern__in=pks)
        .values_list("intern_id", "reference_point_id", "standard_id", "grade")
    }
    moderation = {
        (intern_id, point_id): value
        for intern_id, point_id, value in registry.readable_by(ReferencePointReview, request.user)
        .filter(intern__in=pks)
        .values_list("intern_id", "reference_point_id", "moderation")
    }
    grid = []
    for intern in interns:
        scale = dict(intern.programme.scale_choices)
        lowest = assessment.lowest_grade(intern)
        rows = []
        for point in intern.programme.reference_points.all():
            cells = []
            for standard in standards:
                grade = grades.get((intern.pk, point.pk, standard.pk), "")
                cells.append((scale.get(grade, grade), bool(grade) and grade == lowest))
            status = moderation.get((intern.pk, point.pk), "")
            rows.append(
                {
                    "point": point,
                    "cells": cells,
                    "moderation": status,
                    "moderation_label": MODERATION_LABELS[status],
                    "url": reverse("ite:reference-point-record", args=[intern.pk, point.pk]),
                }
            )
        grid.append({"intern": intern, "rows": rows})
    audit.log_list_access(
        reader=request.user, subjects=[i.staff for i in interns], record_type="progress grid"
    )
    return render(
        request,
        "ite/assessment_grid.html",
        {"grid": grid, "standards": standards, "year": year, "oversees": oversees},
    )


# Causes for concern


def _supporter_choices(intern: Intern):
    return (
        StaffMember.objects.filter(institution=intern.programme.provider.institution_id, is_active=True)
        .exclude(pk=intern.staff_id)
        .exclude(internships__status=Intern.Status.ACTIVE)
        .select_related("department")
        .order_by("surname", "forename")
    )


@require_http_methods(["GET", "POST"])
def concern_create(request, intern_pk):
    """The mentor (or ITE tutor) raises a cause for concern against named standards, with its plan."""
    intern = intern_or_404(request, intern_pk)
    if not permissions.can_raise_concern(request.user, intern):
        raise Http404
    today = timezone.localdate()
    form = forms.ConcernForm(
        request.POST if request.method == "POST" else None,
        standards=assessment.standards_to_judge(intern.programme.provider.institution_id),
        supporters=_supporter_choices(intern),
        initial={"review_on": today + dt.timedelta(days=14)},
    )
    if form.is_valid():
        try:
            concern = assessment.raise_concern(
                actor=request.user, intern=intern, today=today, **form.cleaned_data
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Cause for concern raised")
            return redirect(concern)
    return render(request, "ite/assessment_concern_form.html", {"form": form, "intern": intern})


def _concern_or_404(request, pk) -> CauseForConcern:
    return get_object_or_404(
        registry.readable_by(CauseForConcern, request.user)
        .select_related(
            "intern__staff",
            "intern__mentor",
            "intern__department",
            "intern__programme__provider",
            "intern__programme__academic_year",
            "raised_by",
        )
        .prefetch_related(
            Prefetch("standards", queryset=Standard.objects.select_related("framework").order_by("position")),
            Prefetch("supporters", queryset=StaffMember.objects.select_related("department")),
        ),
        pk=pk,
    )


def _render_concern(request, concern: CauseForConcern, outcome_form=None, update_form=None):
    intern = concern.intern
    manage = assessment.can_moderate(request.user, intern)
    closed = concern.status in assessment.CLOSED
    if manage and outcome_form is None and not closed:
        outcome_form = forms.OutcomeForm(initial={"outcome_on": timezone.localdate()})
    if manage and update_form is None:
        update_form = forms.ConcernUpdateForm(
            supporters=_supporter_choices(intern),
            initial={
                "link_tutor_informed_on": concern.link_tutor_informed_on,
                "supporters": [s.pk for s in concern.supporters.all()],
            },
        )
    if intern.staff.user_id != request.user.pk:
        audit.log_access(reader=request.user, subject=intern.staff, record=concern)
    history = [
        {
            "when": change.history_date,
            "by": _name_of(change.history_user),
            "status": change.get_status_display(),
        }
        for change in registry.readable_by(CauseForConcern.history.model, request.user)
        .filter(id=concern.pk)
        .select_related("history_user__staff")
        .order_by("history_date", "history_id")
    ]
    bound = [f for f in (outcome_form, update_form) if f is not None and f.is_bound and f.errors]
    return render(
        request,
        "ite/assessment_concern_detail.html",
        {
            "concern": concern,
            "intern": intern,
            "closed": closed,
            "outcome_form": outcome_form,
            "update_form": update_form,
            "error_forms": bound,
            "page_has_errors": bool(bound),
            "history": history,
        },
    )


@require_GET
def concern_detail(request, pk):
    return _render_concern(request, _concern_or_404(request, pk))


@require_POST
def concern_outcome(request, pk):
    """The ITE tutor records the outcome: resolved, extended with a new review date, or escalated."""
    concern = _concern_or_404(request, pk)
    if not assessment.can_moderate(request.user, concern.intern):
        raise Http404
    form = forms.OutcomeForm(request.POST)
    if form.is_valid():
        try:
            assessment.record_outcome(actor=request.user, concern=concern, **form.cleaned_data)
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Outcome recorded")
            return redirect(concern)
    return _render_concern(request, concern, outcome_form=form)


@require_POST
def concern_update(request, pk):
    """The ITE tutor records when the provider's link tutor was informed, and who supports the intern."""
    concern = _concern_or_404(request, pk)
    if not assessment.can_moderate(request.user, concern.intern):
        raise Http404
    form = forms.ConcernUpdateForm(request.POST, supporters=_supporter_choices(concern.intern))
    if form.is_valid():
        try:
            assessment.update_concern(actor=request.user, concern=concern, **form.cleaned_data)
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Cause for concern updated")
            return redirect(concern)
    return _render_concern(request, concern, update_form=form)


# The intern's page


def intern_section(request, intern, today) -> dict:
    """The assessment part of the intern's page: each reference point with its progress, and the causes
    for concern. Five queries at most, whatever the number of points or concerns."""
    user = request.user
    points = list(registry.readable_by(ReferencePoint, user).filter(programme=intern.programme_id))
    total = assessment.standards_to_judge(intern.programme.provider.institution_id).count()
    judged = dict(
        registry.readable_by(Judgement, user)
        .filter(intern=intern)
        .values("reference_point")
        .annotate(n=Count("pk"))
        .values_list("reference_point", "n")
    )
    reviews = {
        r.reference_point_id: r
        for r in registry.readable_by(ReferencePointReview, user)
        .filter(intern=intern)
        .only("pk", "intern_id", "reference_point_id", "reflected_at", "moderation")
    }
    current = current_reference_point(intern.programme, today, points)
    rows = []
    for point in points:
        review = reviews.get(point.pk)
        status = review.moderation if review else ""
        rows.append(
            {
                "point": point,
                "judged": judged.get(point.pk, 0),
                "total": total,
                "reflected": bool(review and review.reflected_at),
                "moderation": status,
                "moderation_label": MODERATION_LABELS[status],
                "url": reverse("ite:reference-point-record", args=[intern.pk, point.pk]),
                "current": current is not None and point.pk == current.pk,
            }
        )
    concerns = list(
        registry.readable_by(CauseForConcern, user)
        .filter(intern=intern)
        .only("pk", "intern_id", "raised_on", "category", "status", "review_on")
    )
    return {
        "points": rows,
        "concerns": concerns,
        "can_raise_concern": permissions.can_raise_concern(user, intern),
    }


urlpatterns = [
    path(
        "interns/<int:intern_pk>/reference-points/<int:point_pk>/",
        reference_point_record,
        name="reference-point-record",
    ),
    path("progress/", progress_grid, name="progress-grid"),
    path("interns/<int:intern_pk>/concerns/new/", concern_create, name="concern-create"),
    path("concerns/<int:pk>/", concern_detail, name="concern-detail"),
    path("concerns/<int:pk>/outcome/", concern_outcome, name="concern-outcome"),
    path("concerns/<int:pk>/update/", concern_update, name="concern-update"),
]
