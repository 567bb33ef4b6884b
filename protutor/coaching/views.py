import datetime as dt

from django.contrib import messages
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from protutor.coaching import forms, permissions, services
from protutor.coaching.insights import survey_summary
from protutor.coaching.models import Cohort, MatchingRun, Pairing, SurveyReceipt
from protutor.core.confirm import ConfirmationNeeded, ask_to_confirm
from protutor.core.errors import ServiceError
from protutor.core.params import as_id
from protutor.people.forms import add_service_error
from protutor.people.roles import actor_for


def _staff(request):
    staff = actor_for(request.user).staff
    if staff is None:
        raise Http404
    return staff


@require_GET
def index(request):
    staff = _staff(request)
    agreement = services.latest_agreement(staff.institution_id)
    pairings = (
        permissions.pairings_readable_by(request.user)
        .filter(Q(coach__staff=staff) | Q(coachee__staff=staff))
        .exclude(status=Pairing.Status.PROPOSED)
        .select_related("coach__staff", "coachee__staff")
    )
    return render(
        request,
        "coaching/index.html",
        {
            "agreement": agreement,
            "accepted": services.has_accepted_latest(staff),
            "coach": permissions.coaches_readable_by(request.user).filter(staff=staff).first(),
            "signup": permissions.signups_readable_by(request.user).filter(staff=staff).first(),
            "pairings": list(pairings),
            "is_coordinator": permissions.is_coordinator(request.user, staff.institution_id),
            "is_cover_manager": permissions.is_cover_manager(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def agreement(request):
    staff = _staff(request)
    current = services.latest_agreement(staff.institution_id)
    is_coordinator = permissions.is_coordinator(request.user, staff.institution_id)
    form = forms.AgreementForm(
        request.POST if request.POST.get("action") == "publish" else None,
        initial={"text": current.text if current else ""},
    )
    if request.method == "POST":
        if request.POST.get("action") == "publish":
            if not is_coordinator:
                raise Http404
            if form.is_valid():
                services.publish_agreement(actor=request.user, text=form.cleaned_data["text"])
                messages.success(request, "New version published: everyone accepts it before taking part")
                return redirect("coaching:agreement")
        elif current is not None:
            services.accept_agreement(actor=request.user, agreement=current)
            messages.success(request, "Thank you: you have accepted the coaching agreement")
            return redirect("coaching:index")
    return render(
        request,
        "coaching/agreement.html",
        {
            "agreement": current,
            "accepted": services.has_accepted_latest(staff),
            "form": form if is_coordinator else None,
        },
    )


def _form_page(request, form_class, service, template, initial, success):
    form = form_class(request.POST or None, initial=initial)
    if form.is_valid():
        try:
            service(actor=request.user, **form.cleaned_data)
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, success)
            return redirect("coaching:index")
    return render(
        request, template, {"form": form, "accepted": services.has_accepted_latest(_staff(request))}
    )


@require_http_methods(["GET", "POST"])
def volunteer(request):
    coach = permissions.coaches_readable_by(request.user).filter(staff__user=request.user).first()
    initial = (
        {
            "strengths": coach.strengths,
            "capacity": coach.capacity,
            "ready_for_ect": coach.ready_for_ect,
            "free_periods": [f"{d}-{p}" for d, p in coach.free_periods],
        }
        if coach
        else {}
    )
    return _form_page(
        request,
        forms.VolunteerForm,
        services.volunteer,
        "coaching/volunteer.html",
        initial,
        "Thank you for volunteering. The coordinator will arrange your training.",
    )


@require_http_methods(["GET", "POST"])
def signup(request):
    existing = permissions.signups_readable_by(request.user).filter(staff__user=request.user).first()
    initial = (
        {
            "focus": existing.focus,
            "outside_department": existing.outside_department,
            "is_ect": existing.is_ect,
            "free_periods": [f"{d}-{p}" for d, p in existing.free_periods],
        }
        if existing
        else {}
    )
    return _form_page(
        request,
        forms.SignupForm,
        services.sign_up,
        "coaching/signup.html",
        initial,
        "You are signed up. The coordinator will pair you with a trained coach.",
    )


def _coordinator_institution(request) -> int:
    staff = _staff(request)
    if not permissions.is_coordinator(request.user, staff.institution_id):
        raise Http404
    return staff.institution_id


@require_http_methods(["GET", "POST"])
def coordinator(request):
    institution_id = _coordinator_institution(request)
    training_form = forms.TrainingForm(initial={"on": timezone.localdate()})
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "train":
                coach = get_object_or_404(
                    permissions.coaches_readable_by(request.user), pk=request.POST.get("coach")
                )
                training_form = forms.TrainingForm(request.POST)
                if training_form.is_valid():
                    services.record_training(actor=request.user, coach=coach, **training_form.cleaned_data)
                    messages.success(request, f"Training recorded for {coach.staff.full_name}")
                    return redirect("coaching:coordinator")
                # The page writes one small form per coach and shows no field errors, so a bad date is
                # reported like the service's refusals instead of re-rendering the page silently.
                raise ServiceError(next(iter(training_form.errors.values()))[0])
            elif action == "match":
                pinned = _pairs(request.POST.getlist("pin"))
                forbidden = _pairs(request.POST.getlist("forbid"))
                run = services.propose_pairs(
                    actor=request.user, institution_id=institution_id, pinned=pinned, forbidden=forbidden
                )
                messages.success(
                    request,
                    f"Pairs proposed (score {run.total_score}{', proved optimal' if run.optimal else ''})",
                )
                return redirect("coaching:coordinator")
            elif action == "cohort":
                cohort = services.start_cohort(actor=request.user, name=request.POST.get("name", ""))
                messages.success(request, f"{cohort.name} started: new volunteers join it")
                return redirect("coaching:coordinator")
            elif action == "confirm":
                count = services.confirm_pairs(actor=request.user, institution_id=institution_id)
                messages.success(request, f"{count} pairs confirmed; each pair has been told")
                return redirect("coaching:coordinator")
            else:
                raise Http404
        except (ServiceError, ValueError) as error:
            messages.error(request, getattr(error, "message", str(error)))
            return redirect("coaching:coordinator")
    coaches = list(
        permissions.coaches_readable_by(request.user)
        .filter(staff__institution_id=institution_id)
        .select_related("staff", "cohort")
    )
    signups = {
        s.pk: s
        for s in permissions.signups_readable_by(request.user)
        .filter(staff__institution_id=institution_id)
        .select_related("staff")
    }
    pairings = list(
        permissions.pairings_readable_by(request.user)
        .filter(coach__staff__institution_id=institution_id)
        .exclude(status=Pairing.Status.ENDED)
        .select_related("coach__staff", "coachee__staff")
    )
    run = MatchingRun.objects.filter(institution_id=institution_id).first()
    unmatched = [
        (signups[int(pk)], reason)
        for pk, reason in (run.unmatched.items() if run else [])
        if int(pk) in signups
    ]
    return render(
        request,
        "coaching/coordinator.html",
        {
            "coaches": coaches,
            "waiting": [c for c in coaches if not c.is_trained],
            "signups": list(signups.values()),
            "proposed": [p for p in pairings if p.status == Pairing.Status.PROPOSED],
            "confirmed": [p for p in pairings if p.status == Pairing.Status.CONFIRMED],
            "run": run,
            "unmatched": unmatched,
            "training_form": training_form,
            "cohorts": list(Cohort.objects.filter(institution_id=institution_id)),
        },
    )


def _pairs(values) -> list[tuple[int, int]]:
    """Pin/forbid values "coach staff id:coachee staff id"."""
    pairs = []
    for value in values:
        coach, _, coachee = value.partition(":")
        if as_id(coach) is not None and as_id(coachee) is not None:
            pairs.append((int(coach), int(coachee)))
    return pairs


@require_http_methods(["GET", "POST"])
def pairing_detail(request, pk):
    pairing = get_object_or_404(
        permissions.pairings_readable_by(request.user).select_related("coach__staff", "coachee__staff"), pk=pk
    )
    in_pair = permissions.is_in_pair(request.user, pairing)
    form = forms.SessionForm(request.POST or None)
    if request.method == "POST":
        if not in_pair:
            raise Http404
        if form.is_valid():
            try:
                session = services.book_session(actor=request.user, pairing=pairing, **form.cleaned_data)
            except ConfirmationNeeded as error:
                ask_to_confirm(form, error)
            except ServiceError as error:
                add_service_error(form, error)
            else:
                messages.success(
                    request,
                    "Session booked. Cover has been requested for you both as professional development."
                    if session.cover_requests.exists()
                    else "Session booked, outside the school day: no cover has been requested.",
                )
                return redirect(pairing)
    return render(
        request,
        "coaching/pairing_detail.html",
        {
            "pairing": pairing,
            "sessions": list(pairing.sessions.all()),
            "form": form if in_pair and pairing.status == Pairing.Status.CONFIRMED else None,
            "school_day": services.school_day_text(),
        },
    )


@require_http_methods(["GET", "POST"])
def journal(request):
    form = forms.JournalForm(request.POST or None)
    if form.is_valid():
        try:
            services.write_journal(actor=request.user, **form.cleaned_data)
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Saved to your journal. Only you can read it.")
            return redirect("coaching:journal")
    return render(
        request,
        "coaching/journal.html",
        {"form": form, "entries": list(permissions.journal_readable_by(request.user)[:100])},
    )


@require_GET
def cover(request):
    """Cover requests for the cover manager: who, when, and "professional development"; nothing more."""
    if not permissions.is_cover_manager(request.user):
        raise Http404
    requests = (
        permissions.cover_requests_readable_by(request.user)
        .filter(starts_at__gte=timezone.now() - dt.timedelta(days=1))
        .select_related("staff")
    )
    return render(request, "coaching/cover.html", {"requests": list(requests[:300])})


def _current_term(institution_id):
    from protutor.people.models import Term

    today = timezone.localdate()
    return Term.objects.filter(
        academic_year__institution_id=institution_id, starts_on__lte=today, ends_on__gte=today
    ).first()


@require_http_methods(["GET", "POST"])
def survey(request):
    """The termly anonymous survey for coaches and coachees."""
    staff = _staff(request)
    term = _current_term(staff.institution_id)
    if term is None or services.survey_side(staff) is None:
        raise Http404
    answered = SurveyReceipt.objects.filter(staff=staff, term=term).exists()
    form = forms.SurveyForm(request.POST or None)
    if not answered and form.is_valid():
        try:
            services.answer_survey(actor=request.user, term=term, **form.cleaned_data)
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Thank you. Your answers are anonymous.")
            return redirect("coaching:index")
    return render(request, "coaching/survey.html", {"form": form, "answered": answered, "term": term})


@require_GET
def survey_results(request):
    institution_id = _coordinator_institution(request)
    term = _current_term(institution_id)
    summary = survey_summary(institution_id, term) if term else None
    return render(request, "coaching/survey_results.html", {"summary": summary})
