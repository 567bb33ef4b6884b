from django.contrib import messages
from django.db.models import F, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from protutor.audit import permissions as audit_permissions
from protutor.audit import services as audit
from protutor.audit.models import AccessRecord
from protutor.audit.permissions import access_records_readable_by
from protutor.core.errors import ServiceError
from protutor.people import permissions as people_permissions
from protutor.people.forms import add_service_error
from protutor.people.models import StaffMember
from protutor.people.roles import actor_for
from protutor.resources.permissions import resources_to_offer
from protutor.support import forms, insights, permissions, services
from protutor.support.models import Referral, Route, SafeguardingConcern, SupportCase


def _current_tutors(institution_id, *, exclude_user=None):
    today = timezone.localdate()
    tutors = StaffMember.objects.filter(
        institution_id=institution_id,
        is_active=True,
        caseloads__academic_year__starts_on__lte=today,
        caseloads__academic_year__ends_on__gte=today,
    ).annotate(specialisms=F("caseloads__specialisms"))
    if exclude_user is not None:
        tutors = tutors.exclude(user=exclude_user)
    return tutors.order_by("surname", "forename")


@require_http_methods(["GET"])
def index(request):
    """Support: what the person has asked for, what they hold as a tutor, what they have suggested."""
    actor = actor_for(request.user)
    user = request.user
    context = {
        "my_cases": list(
            permissions.cases_readable_by(user).filter(teacher__user=user).prefetch_related("holdings__tutor")
        ),
        "my_referrals": list(
            permissions.referrals_readable_by(user)
            .filter(teacher__user=user)
            .exclude(status=Referral.Status.ACCEPTED)
            .exclude(status=Referral.Status.CLOSED)
            .select_related("preferred_tutor")
        ),
        "referrals_made": list(
            permissions.referrals_known_to(user)
            .filter(referred_by__user=user)
            .exclude(teacher__user=user)
            .select_related("teacher")
        ),
        "can_encourage": actor.has_reports,
        "is_tutor": actor.is_tutor,
        "is_safeguarding_lead": actor.is_safeguarding_lead,
        "sees_insights": actor.is_programme_lead or actor.is_head_of_department,
    }
    if actor.is_tutor:
        context["requests"] = list(
            permissions.requests_for(user).select_related("teacher__department", "preferred_tutor")
        )
    return render(request, "support/index.html", context)


@require_http_methods(["GET"])
def case_list(request):
    """The cases a tutor holds, searchable by teacher or focus."""
    if not actor_for(request.user).is_tutor:
        raise Http404
    form = forms.CaseSearchForm(request.GET or None)
    cases = (
        permissions.cases_readable_by(request.user)
        .exclude(teacher__user=request.user)
        .select_related("teacher__department")
    )
    if form.is_valid() and form.cleaned_data["q"]:
        for word in form.cleaned_data["q"].split():
            cases = cases.filter(
                Q(teacher__forename__icontains=word)
                | Q(teacher__surname__icontains=word)
                | Q(focus_tags__icontains=word)
            )
    status = request.GET.get("status", "open")
    if status in SupportCase.Status.values:
        cases = cases.filter(status=status)
    return render(request, "support/case_list.html", {"form": form, "cases": list(cases), "status": status})


@require_http_methods(["GET", "POST"])
def refer(request):
    """A teacher asks for support."""
    staff = actor_for(request.user).staff
    if staff is None:
        raise Http404
    form = forms.SelfReferralForm(
        request.POST or None, tutors=_current_tutors(staff.institution_id, exclude_user=request.user)
    )
    if form.is_valid():
        try:
            referral = services.self_refer(actor=request.user, **form.cleaned_data)
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Your request has been sent. A professional tutor will be in touch.")
            return redirect(referral)
    return render(request, "support/refer.html", {"form": form})


@require_http_methods(["GET", "POST"])
def encourage(request):
    """A line manager suggests support to one of their reports."""
    reports = people_permissions.staff_readable_by(request.user).filter(
        line_manager__user=request.user, is_active=True
    )
    if not reports.exists():
        raise Http404
    form = forms.EncourageReferralForm(request.POST or None, reports=reports)
    if form.is_valid():
        try:
            services.encourage_referral(actor=request.user, **form.cleaned_data)
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                f"{form.cleaned_data['teacher'].full_name} has been told. They decide whether to take it up.",
            )
            return redirect("support:index")
    return render(request, "support/encourage.html", {"form": form})


@require_http_methods(["GET", "POST"])
def referral_detail(request, pk):
    """The teacher and the tutors it is addressed to read the referral; the referrer sees its status only."""
    referral = get_object_or_404(
        permissions.referrals_known_to(request.user).select_related(
            "teacher__department", "preferred_tutor", "referred_by"
        ),
        pk=pk,
    )
    readable = permissions.referrals_readable_by(request.user).filter(pk=referral.pk).exists()
    context = {"referral": referral, "readable": readable}
    if readable:
        if referral.teacher.user_id != request.user.pk:
            audit.log_access(reader=request.user, subject=referral.teacher, record=referral)
        elif referral.route == Route.LINE_MANAGER:
            # The teacher sees exactly what her line manager sees of it.
            context["line_manager_sees"] = referral.status_for_referrer
        if permissions.can_respond_to_referral(request.user, referral):
            context["respond_form"] = forms.RespondForm(request.POST or None)
            if request.method == "POST":
                return _respond(request, referral, context)
        if permissions.can_accept_referral(request.user, referral):
            context["accept_form"] = forms.CaseShapeForm()
    elif request.method == "POST":
        raise Http404
    return render(request, "support/referral_detail.html", context)


def _respond(request, referral, context):
    form = context["respond_form"]
    if form.is_valid():
        accept = form.cleaned_data["answer"] == "accept"
        try:
            services.respond_to_referral(
                actor=request.user,
                referral=referral,
                accept=accept,
                availability=form.cleaned_data["availability"],
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                "Thank you. A professional tutor will be in touch."
                if accept
                else "Thank you. Nothing more will happen.",
            )
            return redirect(referral)
    return render(request, "support/referral_detail.html", context)


@require_http_methods(["POST"])
def referral_accept(request, pk):
    referral = get_object_or_404(permissions.referrals_readable_by(request.user), pk=pk)
    if not permissions.can_accept_referral(request.user, referral):
        raise Http404
    form = forms.CaseShapeForm(request.POST)
    if form.is_valid():
        try:
            case = services.accept_referral(actor=request.user, referral=referral, **form.cleaned_data)
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"You have taken on support for {referral.teacher.full_name}")
            return redirect(case)
    return render(
        request, "support/referral_detail.html", {"referral": referral, "readable": True, "accept_form": form}
    )


@require_http_methods(["GET", "POST"])
def case_open(request):
    """A tutor opens a case proactively, recording that the teacher agreed."""
    staff = permissions.staff_supportable_by(request.user).select_related("department")
    if not actor_for(request.user).is_tutor:
        raise Http404
    form = forms.OpenCaseForm(request.POST or None, staff=staff)
    if form.is_valid():
        try:
            case = services.open_case(actor=request.user, **form.cleaned_data)
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Case opened with {case.teacher.full_name}")
            return redirect(case)
    return render(request, "support/case_open.html", {"form": form})


def _fetch_case(request, pk) -> SupportCase:
    return get_object_or_404(
        permissions.cases_readable_by(request.user).select_related("teacher__department", "referral"), pk=pk
    )


@require_http_methods(["GET"])
def case_detail(request, pk):
    case = _fetch_case(request, pk)
    is_teacher = case.teacher.user_id == request.user.pk
    if not is_teacher:
        audit.log_access(reader=request.user, subject=case.teacher, record=case)
    interactions = list(
        permissions.interactions_readable_by(request.user)
        .filter(case=case)
        .select_related("tutor")
        .prefetch_related(
            "resources",
            Prefetch(
                "private_notes",
                queryset=permissions.private_notes_readable_by(request.user),
                to_attr="my_private_notes",
            ),
        )
    )
    return render(
        request,
        "support/case_detail.html",
        {
            "case": case,
            "is_teacher": is_teacher,
            "interactions": interactions,
            "holdings": list(case.holdings.select_related("tutor").order_by("started_at")),
            "can_work": permissions.can_work_on_case(request.user, case),
            "concerns": list(permissions.concerns_readable_by(request.user).filter(case=case)),
            "concern_count": case.concerns.count() if not is_teacher else 0,
            "minutes_total": sum(i.minutes for i in interactions),
        },
    )


def _working_case(request, pk) -> SupportCase:
    case = _fetch_case(request, pk)
    if not permissions.can_work_on_case(request.user, case):
        raise Http404
    return case


@require_http_methods(["GET", "POST"])
def interaction_add(request, pk):
    case = _working_case(request, pk)
    form = forms.InteractionForm(
        request.POST or None,
        resources=resources_to_offer(request.user),
        initial={"occurred_on": timezone.localdate()},
    )
    if form.is_valid():
        try:
            services.log_interaction(actor=request.user, case=case, **form.cleaned_data)
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Support recorded")
            return redirect(case)
    return render(request, "support/interaction_form.html", {"case": case, "form": form})


@require_http_methods(["GET", "POST"])
def case_close(request, pk):
    case = _working_case(request, pk)
    form = forms.CloseCaseForm(request.POST or None)
    if form.is_valid():
        try:
            services.close_case(actor=request.user, case=case, **form.cleaned_data)
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Case closed")
            return redirect(case)
    return render(request, "support/case_close.html", {"case": case, "form": form})


@require_http_methods(["GET", "POST"])
def case_handover(request, pk):
    case = _working_case(request, pk)
    tutors = _current_tutors(case.institution_id, exclude_user=request.user).exclude(pk=case.teacher_id)
    form = forms.HandOverForm(request.POST or None, tutors=tutors)
    if form.is_valid():
        try:
            services.hand_over(actor=request.user, case=case, **form.cleaned_data)
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Case handed over to {form.cleaned_data['to_tutor'].full_name}")
            return redirect("support:index")
    return render(request, "support/case_handover.html", {"case": case, "form": form})


@require_http_methods(["GET", "POST"])
def concern_raise(request, pk):
    case = _fetch_case(request, pk)
    if not permissions.is_current_tutor(request.user, case):
        raise Http404
    form = forms.ConcernForm(request.POST or None)
    if form.is_valid():
        try:
            services.raise_concern(actor=request.user, case=case, **form.cleaned_data)
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                "The safeguarding lead has been told. They will see the concern and the teacher's name only.",
            )
            return redirect(case)
    return render(request, "support/concern_raise.html", {"case": case, "form": form})


@require_http_methods(["GET"])
def concern_list(request):
    concerns = list(permissions.concerns_readable_by(request.user).select_related("teacher", "raised_by"))
    if not concerns and not actor_for(request.user).is_safeguarding_lead:
        raise Http404
    if concerns:
        audit.log_list_access(
            reader=request.user,
            subjects=[concern.teacher for concern in concerns],
            record_type=str(SafeguardingConcern._meta.verbose_name),
        )
    return render(request, "support/concern_list.html", {"concerns": concerns})


@require_http_methods(["GET", "POST"])
def concern_detail(request, pk):
    concern = get_object_or_404(
        permissions.concerns_readable_by(request.user).select_related(
            "teacher", "raised_by", "acknowledged_by"
        ),
        pk=pk,
    )
    can_acknowledge = permissions.can_acknowledge_concern(request.user, concern)
    if request.method == "POST":
        if not can_acknowledge:
            raise Http404
        services.acknowledge_concern(actor=request.user, concern=concern)
        messages.success(request, "Concern acknowledged")
        return redirect("support:concern-detail", pk=concern.pk)
    audit.log_access(
        reader=request.user, subject=concern.teacher, record=concern, reason=AccessRecord.Reason.SAFEGUARDING
    )
    return render(
        request,
        "support/concern_detail.html",
        {
            "concern": concern,
            "can_acknowledge": can_acknowledge,
            "reads": list(audit_permissions.reads_of(request.user, concern)[:200]),
        },
    )


@require_http_methods(["GET"])
def access_log(request):
    """Who has opened my confidential records, and when."""
    records = access_records_readable_by(request.user).filter(subject__user=request.user)[:500]
    return render(request, "support/access_log.html", {"records": records})


@require_http_methods(["GET"])
def insights_view(request):
    """Aggregates for the programme lead and heads of department: counts only, suppressed."""
    actor = actor_for(request.user)
    if not (actor.is_programme_lead or actor.is_head_of_department):
        raise Http404
    return render(request, "support/insights.html", insights.support_overview(request.user, actor))
