import csv

from django.contrib import messages
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from protutor.audit import services as audit
from protutor.core.errors import ServiceError
from protutor.core.exports import attachment
from protutor.core.params import as_id
from protutor.observations import forms, insights, permissions, services
from protutor.observations.frameworks import create_custom_framework, parse_standard_lines
from protutor.observations.models import (
    Framework,
    InstitutionFramework,
    Observation,
    ObservationPoint,
    ObservationPolicy,
    Standard,
)
from protutor.people import queries as people_queries
from protutor.people.forms import add_service_error
from protutor.people.models import AcademicYear, StaffMember
from protutor.people.roles import actor_for
from protutor.support import permissions as support_permissions
from protutor.support import services as support_services
from protutor.support.models import Interaction, SupportCase

VIEWS = {
    "of-me": "Observations of me",
    "by-me": "Observations I made",
    "formal": "Formal observations I can see",
}


def _visible(request):
    return permissions.observations_readable_by(request.user).select_related(
        "observer", "observee", "department"
    )


@require_http_methods(["GET"])
def observation_list(request):
    """Three views of what the user may read: of me, by me, and formal ones of staff I manage or lead."""
    view = request.GET.get("view", "of-me")
    if view not in VIEWS:
        view = "of-me"
    observations = _visible(request)
    if view == "of-me":
        observations = observations.filter(observee__user=request.user)
    elif view == "by-me":
        observations = observations.filter(observer__user=request.user)
    else:
        observations = observations.filter(kind__in=Observation.FORMAL_KINDS).exclude(
            Q(observee__user=request.user) | Q(observer__user=request.user)
        )
    form = forms.ObservationSearchForm(request.GET or None)
    if form.is_valid() and form.cleaned_data["q"]:
        for word in form.cleaned_data["q"].split():
            observations = observations.filter(
                Q(observee__forename__icontains=word)
                | Q(observee__surname__icontains=word)
                | Q(observer__forename__icontains=word)
                | Q(observer__surname__icontains=word)
            )
    if request.GET.get("format") == "csv":
        return _csv(observations)
    return render(
        request,
        "observations/observation_list.html",
        {
            "observations": list(observations[:200]),
            "view": view,
            "views": VIEWS,
            "form": form,
            "can_see_outcomes": permissions.can_see_outcomes(request.user),
        },
    )


def _csv(observations) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    attachment(response, "observations.csv")
    writer = csv.writer(response)
    writer.writerow(
        ["date", "kind", "observer", "observee", "department", "group", "minutes", "outcome", "status"]
    )
    for o in observations:
        writer.writerow(
            [
                o.observed_on,
                o.get_kind_display(),
                o.observer.full_name,
                o.observee.full_name,
                o.department or "",
                o.group_name,
                o.length_minutes,
                o.outcome,
                o.get_status_display(),
            ]
        )
    return response


def _prefill(request) -> dict:
    """A link such as an intern's "Observe a lesson" starts the form with its kind and observee."""
    initial = {}
    if request.GET.get("kind") in Observation.Kind.values:
        initial["kind"] = request.GET["kind"]
    if as_id(request.GET.get("observee", "")) is not None:
        initial["observee"] = int(request.GET["observee"])
    return initial


def _form(request, observation=None):
    staff = actor_for(request.user).staff
    if staff is None:
        raise Http404
    standards = permissions.standards_in_use_for(staff.institution_id).select_related("framework")
    policy = ObservationPolicy.for_institution(staff.institution_id)
    return forms.ObservationForm(
        request.POST or None,
        initial=forms.ObservationForm.initial_for(observation)
        if observation
        else {"observed_on": timezone.localdate(), **_prefill(request)},
        staff=StaffMember.objects.filter(institution=staff.institution_id, is_active=True)
        .exclude(pk=staff.pk)
        .select_related("department"),
        standards=standards,
        focus_standards=standards.filter(parent__isnull=True),
        outcome_choices=policy.outcome_choices if policy.grading_enabled else [],
    )


def _save(request, form, observation):
    if form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.record_observation(
                actor=request.user,
                observee=data["observee"],
                kind=data["kind"],
                observed_on=data["observed_on"],
                length_minutes=data["length_minutes"],
                group_name=data["group_name"],
                focus_standards=data["focus_standards"],
                points=form.points(),
                outcome=data.get("outcome", ""),
                feedback_on=data["feedback_on"],
                agreed_actions=data["agreed_actions"],
                observation=observation,
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Observation saved as a draft. Only you can see it until you share it.")
            return redirect(saved)
    return render(request, "observations/observation_form.html", {"form": form, "observation": observation})


@require_http_methods(["GET", "POST"])
def observation_create(request):
    return _save(request, _form(request), None)


@require_http_methods(["GET", "POST"])
def observation_edit(request, pk):
    observation = get_object_or_404(_visible(request), pk=pk)
    if not permissions.can_edit_observation(request.user, observation):
        raise Http404
    return _save(request, _form(request, observation), observation)


@require_http_methods(["GET"])
def observation_detail(request, pk):
    observation = get_object_or_404(
        _visible(request).prefetch_related(
            "focus_standards__framework",
            Prefetch("points", queryset=ObservationPoint.objects.prefetch_related("standards__framework")),
        ),
        pk=pk,
    )
    if observation.observee.user_id != request.user.pk:
        audit.log_access(reader=request.user, subject=observation.observee, record=observation)
    context = {
        "observation": observation,
        "points": {
            kind: [p for p in observation.points.all() if p.kind == kind]
            for kind in ObservationPoint.Kind.values
        },
        "can_edit": permissions.can_edit_observation(request.user, observation),
        "can_respond": permissions.can_respond(request.user, observation),
        "outcome_label": dict(
            ObservationPolicy.for_institution(observation.institution_id).outcome_choices
        ).get(observation.outcome, observation.outcome),
    }
    if context["can_respond"]:
        context["response_form"] = forms.ResponseForm(initial={"response": observation.observee_response})
    if permissions.can_share_with_tutor(request.user, observation):
        context["tutor_form"] = forms.ShareWithTutorForm(
            initial={"tutor": observation.shared_with_tutor_id}, tutors=_tutors(observation)
        )
    if observation.kind == Observation.Kind.DEVELOPMENTAL and permissions.is_observer(
        request.user, observation
    ):
        context["support_case"] = _open_case_held_for(request.user, observation.observee)
    return render(request, "observations/observation_detail.html", context)


def _tutors(observation):
    """The tutors an observee may share with: never themself."""
    return (
        people_queries.tutors_this_year(observation.institution_id)
        .exclude(pk=observation.observee_id)
        .order_by("surname", "forename")
    )


def _open_case_held_for(user, teacher) -> SupportCase | None:
    """The open case of `teacher` that `user` holds, if any: one query, however many cases there are."""
    return support_permissions.cases_worked_on_by(user).filter(teacher=teacher).order_by("-opened_at").first()


@require_POST
def observation_share(request, pk):
    observation = get_object_or_404(_visible(request), pk=pk)
    if not permissions.can_edit_observation(request.user, observation):
        raise Http404
    services.share_observation(actor=request.user, observation=observation)
    messages.success(request, f"Shared with {observation.observee.full_name}")
    return redirect(observation)


@require_POST
def observation_respond(request, pk):
    observation = get_object_or_404(_visible(request), pk=pk)
    if not permissions.can_respond(request.user, observation):
        raise Http404
    form = forms.ResponseForm(request.POST)
    if form.is_valid():
        try:
            services.respond_to_observation(actor=request.user, observation=observation, **form.cleaned_data)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Thank you: your response is saved")
    return redirect(observation)


@require_POST
def observation_share_with_tutor(request, pk):
    observation = get_object_or_404(_visible(request), pk=pk)
    if not permissions.can_share_with_tutor(request.user, observation):
        raise Http404
    form = forms.ShareWithTutorForm(request.POST, tutors=_tutors(observation))
    if form.is_valid():
        tutor = form.cleaned_data["tutor"]
        try:
            services.share_with_tutor(actor=request.user, observation=observation, tutor=tutor)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, f"Shared with {tutor.full_name}" if tutor else "No longer shared with a tutor"
            )
    return redirect(observation)


@require_POST
def observation_add_to_support(request, pk):
    """A tutor who observed, and holds the observee's open support case, records the observation there."""
    observation = get_object_or_404(_visible(request), pk=pk)
    if observation.kind != Observation.Kind.DEVELOPMENTAL or not permissions.is_observer(
        request.user, observation
    ):
        raise Http404
    case = _open_case_held_for(request.user, observation.observee)
    if case is None:
        raise Http404
    support_services.log_interaction(
        actor=request.user,
        case=case,
        kind=Interaction.Kind.OBSERVATION,
        occurred_on=observation.observed_on,
        minutes=observation.length_minutes,
        shared_notes=services.summary_for_support(observation),
    )
    messages.success(request, "Added to the support case")
    return redirect(case)


@require_http_methods(["GET"])
def my_development(request) -> HttpResponse:
    """A teacher's view: observations over time, development points by standard, and what they have
    worked on since (later strengths on the same standard)."""
    mine = (
        permissions.observations_readable_by(request.user)
        .filter(observee__user=request.user)
        .order_by("observed_on", "pk")
        .prefetch_related(
            Prefetch("points", queryset=ObservationPoint.objects.prefetch_related("standards__framework"))
        )
    )
    by_standard: dict[int, dict] = {}
    timeline = []
    for observation in mine:
        timeline.append(observation)
        for point in observation.points.all():
            for standard in point.standards.all():
                top = standard.parent_id or standard.pk
                entry = by_standard.setdefault(top, {"standard_id": top, "development": [], "since": []})
                if point.kind == ObservationPoint.Kind.DEVELOPMENT:
                    entry["development"].append((observation.observed_on, point.text))
                elif entry["development"]:
                    entry["since"].append((observation.observed_on, point.text))
    standards = Standard.objects.select_related("framework").in_bulk(list(by_standard))
    rows = sorted(
        ({**entry, "standard": standards[key]} for key, entry in by_standard.items() if entry["development"]),
        key=lambda e: (e["standard"].framework_id, e["standard"].position),
    )
    return render(
        request, "observations/my_development.html", {"timeline": list(reversed(timeline)), "rows": rows}
    )


def _term_choice(request, institution_id):
    year = AcademicYear.objects.current().filter(institution_id=institution_id).first()
    if year is None:
        return None, []
    terms = list(year.terms.all())
    chosen = request.GET.get("term")
    today = timezone.localdate()
    term = next((t for t in terms if str(t.pk) == chosen), None)
    term = term or next((t for t in terms if t.starts_on <= today <= t.ends_on), None) or terms[0]
    return term, terms


@require_http_methods(["GET"])
def department_needs(request, pk):
    """Where CPD planning starts: the department's development themes by standard, with no names."""
    department = get_object_or_404(permissions.departments_countable_by(request.user), pk=pk)
    term, terms = _term_choice(request, department.institution_id)
    context = {"department": department, "term": term, "terms": terms}
    if term is not None:
        context.update(insights.department_needs(request.user, department, term))
    return render(request, "observations/department_needs.html", context)


@require_http_methods(["GET"])
def outcomes(request):
    """The share of observed staff whose latest formal observation in each term was effective."""
    institution = permissions.outcomes_institution_for(request.user)
    if institution is None:
        raise Http404
    institution_id = institution.pk
    years = list(AcademicYear.objects.filter(institution_id=institution_id))
    chosen = request.GET.get("year")
    year = next((y for y in years if str(y.pk) == chosen), None) or next(
        (y for y in years if y.is_current), None
    )
    context = {"year": year, "years": years}
    if year is not None:
        context.update(insights.effective_share(request.user, institution_id, year))
    return render(request, "observations/outcomes.html", context)


@require_http_methods(["GET"])
def framework_list(request):
    staff = actor_for(request.user).staff
    frameworks = permissions.frameworks_readable_by(request.user)
    chosen = set()
    if staff is not None:
        chosen = set(
            InstitutionFramework.objects.filter(institution=staff.institution_id).values_list(
                "framework", flat=True
            )
        )
    return render(
        request,
        "observations/framework_list.html",
        {
            "frameworks": list(frameworks),
            "chosen": chosen,
            "can_manage": staff is not None
            and permissions.can_manage_frameworks(request.user, staff.institution_id),
        },
    )


@require_http_methods(["GET"])
def framework_detail(request, pk):
    framework = get_object_or_404(permissions.frameworks_readable_by(request.user), pk=pk)
    standards = list(framework.standards.all())
    return render(
        request, "observations/framework_detail.html", {"framework": framework, "standards": standards}
    )


def _managed_institution(request):
    staff = actor_for(request.user).staff
    if staff is None or not permissions.can_manage_frameworks(request.user, staff.institution_id):
        raise Http404
    return staff.institution


@require_http_methods(["GET", "POST"])
def framework_create(request):
    institution = _managed_institution(request)
    form = forms.CustomFrameworkForm(request.POST or None)
    if form.is_valid():
        try:
            lines = parse_standard_lines(form.cleaned_data["standards"])
        except ValueError as error:
            form.add_error("standards", str(error))
        else:
            if Framework.objects.filter(institution=institution, code=form.cleaned_data["code"]).exists():
                form.add_error("code", "Your institution already has a framework with this code")
            else:
                framework = create_custom_framework(
                    institution=institution,
                    code=form.cleaned_data["code"],
                    name=form.cleaned_data["name"],
                    lines=lines,
                )
                audit.record(actor=request.user, action="observations.framework_created", target=framework)
                messages.success(request, f"{framework.name} added with {len(lines)} standards")
                return redirect(framework)
    return render(request, "observations/framework_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def framework_choose(request):
    institution = _managed_institution(request)
    available = permissions.frameworks_readable_by(request.user)
    policy = ObservationPolicy.for_institution(institution.pk)
    chosen = list(
        InstitutionFramework.objects.filter(institution=institution).values_list("framework", flat=True)
    )
    form = forms.FrameworkChoiceForm(
        request.POST or None,
        frameworks=available,
        initial={
            "frameworks": chosen
            or list(available.filter(institution__isnull=True).values_list("pk", flat=True)),
            "grading_enabled": policy.grading_enabled,
        },
    )
    if form.is_valid():
        services.choose_frameworks(
            actor=request.user,
            institution=institution,
            frameworks=form.cleaned_data["frameworks"],
            grading_enabled=form.cleaned_data["grading_enabled"],
        )
        messages.success(request, "Frameworks and grading saved")
        return redirect("observations:framework-list")
    return render(request, "observations/framework_choose.html", {"form": form})
