from django.contrib import messages
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from protutor.core.errors import ServiceError
from protutor.observations.permissions import standards_in_use_for
from protutor.people.forms import add_service_error
from protutor.people.models import AcademicYear, StaffMember
from protutor.people.roles import actor_for
from protutor.plans import forms, insights, permissions, services
from protutor.plans.models import PlanReview, SupportPlan


@require_GET
def plan_list(request):
    actor = actor_for(request.user)
    plans = permissions.plans_readable_by(request.user).select_related(
        "teacher", "line_manager", "assigned_tutor"
    )
    context = {
        "mine": list(plans.filter(teacher__user=request.user)),
        "managed": list(plans.filter(line_manager__user=request.user)),
        "supported": list(plans.filter(assigned_tutor__user=request.user)),
        "can_open": actor.has_reports or actor.is_programme_lead,
    }
    if actor.is_programme_lead:
        year = AcademicYear.objects.current().filter(institution_id__in=actor.led_institution_ids).first()
        if year is not None:
            context["overview"] = insights.plans_overview(actor.led_institution_ids, year)
            context["year"] = year
    return render(request, "plans/plan_list.html", context)


@require_http_methods(["GET", "POST"])
def plan_create(request):
    actor = actor_for(request.user)
    if actor.staff is None or not (actor.has_reports or actor.is_programme_lead):
        raise Http404
    staff = StaffMember.objects.filter(is_active=True, line_manager__isnull=False).filter(
        Q(line_manager__user=request.user) | Q(institution_id__in=actor.led_institution_ids)
    )
    today = timezone.localdate()
    tutors = StaffMember.objects.filter(
        institution=actor.staff.institution_id,
        caseloads__academic_year__starts_on__lte=today,
        caseloads__academic_year__ends_on__gte=today,
    )
    form = forms.PlanForm(
        request.POST or None,
        staff=staff.order_by("surname"),
        tutors=tutors.order_by("surname"),
        standards=standards_in_use_for(actor.staff.institution_id)
        .filter(parent__isnull=True)
        .select_related("framework"),
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.open_plan(
                actor=request.user,
                teacher=data["teacher"],
                concerns=data["concerns"],
                goals=form.goals(),
                first_review_on=data["first_review_on"],
                assigned_tutor=data["assigned_tutor"],
                support_offered=data["support_offered"],
                concern_standards=data["concern_standards"],
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Support plan opened for {plan.teacher.full_name}")
            return redirect(plan)
    return render(request, "plans/plan_form.html", {"form": form})


def _plan(request, pk) -> SupportPlan:
    return get_object_or_404(
        permissions.plans_readable_by(request.user).select_related(
            "teacher", "line_manager", "assigned_tutor", "opened_by"
        ),
        pk=pk,
    )


@require_GET
def plan_detail(request, pk):
    plan = _plan(request, pk)
    entries = list(plan.support_entries.select_related("tutor"))
    context = {
        "plan": plan,
        "goals": list(plan.goals.all()),
        "reviews": list(plan.reviews.all()),
        "entries": entries,
        "support_minutes": sum(e.minutes for e in entries),
        "is_teacher": permissions.is_plan_teacher(request.user, plan),
        "can_manage": permissions.can_manage_plan(request.user, plan),
        "can_log": permissions.can_log_plan_support(request.user, plan),
        "history": list(plan.history.select_related("history_user").order_by("-history_date")[:20]),
    }
    next_review = next((r for r in context["reviews"] if r.held_on is None), None)
    context["next_review"] = next_review
    if context["can_manage"] and next_review is not None:
        context["review_form"] = forms.ReviewForm(initial={"held_on": timezone.localdate()})
    if context["can_manage"] or (context["is_teacher"] and plan.status == SupportPlan.Status.OPEN):
        context["exit_form"] = forms.ExitForm(initial={"on": timezone.localdate()})
    if context["can_log"]:
        context["entry_form"] = forms.SupportEntryForm(initial={"given_on": timezone.localdate()})
    if context["is_teacher"] and next_review is not None:
        context["comment_form"] = forms.CommentForm(initial={"comment": next_review.teacher_comment})
    return render(request, "plans/plan_detail.html", context)


def _done(request, plan, error, success):
    if error is not None:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect(plan)


@require_POST
def plan_acknowledge(request, pk):
    plan = _plan(request, pk)
    if not permissions.is_plan_teacher(request.user, plan):
        raise Http404
    services.acknowledge_plan(actor=request.user, plan=plan)
    return _done(request, plan, None, "Thank you: you have acknowledged the plan")


@require_POST
def plan_support(request, pk):
    plan = _plan(request, pk)
    if not permissions.can_log_plan_support(request.user, plan):
        raise Http404
    form = forms.SupportEntryForm(request.POST)
    if not form.is_valid():
        return _done(request, plan, ServiceError(next(iter(form.errors.values()))[0]), "")
    try:
        services.log_plan_support(actor=request.user, plan=plan, **form.cleaned_data)
    except ServiceError as error:
        return _done(request, plan, error, "")
    return _done(request, plan, None, "Support recorded")


@require_POST
def plan_exit(request, pk):
    plan = _plan(request, pk)
    if not (
        permissions.can_manage_plan(request.user, plan) or permissions.is_plan_teacher(request.user, plan)
    ):
        raise Http404
    form = forms.ExitForm(request.POST)
    if not form.is_valid():
        return _done(request, plan, ServiceError(next(iter(form.errors.values()))[0]), "")
    try:
        services.record_exit_condition(actor=request.user, plan=plan, **form.cleaned_data)
    except ServiceError as error:
        return _done(request, plan, error, "")
    return _done(request, plan, None, "Exit condition recorded")


@require_POST
def plan_review(request, pk):
    plan = _plan(request, pk)
    if not permissions.can_manage_plan(request.user, plan):
        raise Http404
    review = plan.reviews.filter(held_on__isnull=True).first()
    if review is None:
        raise Http404
    form = forms.ReviewForm(request.POST)
    if not form.is_valid():
        return _done(request, plan, ServiceError(next(iter(form.errors.values()))[0]), "")
    try:
        services.record_review(actor=request.user, review=review, **form.cleaned_data)
    except ServiceError as error:
        return _done(request, plan, error, "")
    return _done(
        request, plan, None, f"Review recorded: {PlanReview.Outcome(form.cleaned_data['outcome']).label}"
    )


@require_POST
def plan_comment(request, pk):
    plan = _plan(request, pk)
    review = plan.reviews.filter(held_on__isnull=True).first()
    if not permissions.is_plan_teacher(request.user, plan) or review is None:
        raise Http404
    form = forms.CommentForm(request.POST)
    if not form.is_valid():
        return _done(request, plan, ServiceError("Enter your comment"), "")
    services.comment_on_review(actor=request.user, review=review, comment=form.cleaned_data["comment"])
    return _done(request, plan, None, "Your comment is saved")
