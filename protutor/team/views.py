from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from protutor.core.errors import ServiceError
from protutor.people import permissions as people_permissions
from protutor.people.forms import add_service_error
from protutor.people.models import AcademicYear, StaffMember
from protutor.resources.permissions import resources_to_offer
from protutor.team import forms, permissions, services
from protutor.team.models import TutorTarget
from protutor.team.remission import balance_for, balances_for


@require_GET
def remission(request):
    """A tutor's own time against remission; the programme lead sees every tutor, over or under."""
    today = timezone.localdate()
    caseloads = list(
        people_permissions.caseloads_readable_by(request.user)
        .filter(academic_year__in=AcademicYear.objects.containing(today))
        .select_related("tutor", "academic_year")
        .order_by("tutor__surname")
    )
    if not caseloads:
        # A programme lead whose tutors have no caseload this year sees the page, empty, not a dead end.
        if not people_permissions.institutions_led_by(request.user).exists():
            raise Http404
        return render(request, "team/remission.html", {"balances": [], "is_lead": True})
    balances = []
    for year_id in sorted({c.academic_year_id for c in caseloads}):
        balances += balances_for([c for c in caseloads if c.academic_year_id == year_id], today)
    is_lead = any(
        permissions.is_programme_lead_of(request.user, c.academic_year.institution_id) for c in caseloads[:1]
    )
    return render(request, "team/remission.html", {"balances": balances, "is_lead": is_lead})


@require_GET
def remission_detail(request, pk):
    caseload = get_object_or_404(
        people_permissions.caseloads_readable_by(request.user).select_related("tutor", "academic_year"), pk=pk
    )
    return render(
        request, "team/remission_detail.html", {"balance": balance_for(caseload, timezone.localdate())}
    )


def _institution(request):
    institution = permissions.team_institutions_of(request.user).first()
    if institution is None:
        raise Http404
    return institution


def _team(institution):
    today = timezone.localdate()
    return StaffMember.objects.filter(
        institution=institution,
        caseloads__academic_year__starts_on__lte=today,
        caseloads__academic_year__ends_on__gte=today,
    ) | StaffMember.objects.filter(
        role_assignments__role="programme_lead", role_assignments__institution=institution
    )


@require_http_methods(["GET", "POST"])
def meeting_list(request):
    institution = _institution(request)
    is_lead = permissions.is_programme_lead_of(request.user, institution.pk)
    form = forms.MeetingForm(request.POST or None, initial={"held_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.schedule_meeting(
                actor=request.user, institution=institution, **form.cleaned_data
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            return redirect(meeting)
    meetings = permissions.meetings_readable_by(request.user).filter(institution=institution)[:30]
    return render(
        request, "team/meeting_list.html", {"meetings": list(meetings), "form": form if is_lead else None}
    )


def _meeting(request, pk):
    return get_object_or_404(permissions.meetings_readable_by(request.user), pk=pk)


@require_http_methods(["GET", "POST"])
def meeting_detail(request, pk):
    meeting = _meeting(request, pk)
    is_lead = permissions.is_programme_lead_of(request.user, meeting.institution_id)
    team = _team(meeting.institution_id).distinct().order_by("surname")
    agenda_form = forms.AgendaItemForm(prefix="agenda")
    action_form = forms.ActionForm(prefix="action", team=team)
    minutes_form = forms.MinutesForm(
        prefix="minutes", initial={"minutes": meeting.minutes, "practice_seen": meeting.practice_seen}
    )
    if request.method == "POST":
        which = request.POST.get("form")
        try:
            if which == "agenda":
                agenda_form = forms.AgendaItemForm(request.POST, prefix="agenda")
                if agenda_form.is_valid():
                    services.add_agenda_item(actor=request.user, meeting=meeting, **agenda_form.cleaned_data)
                    messages.success(request, "Added to the agenda")
                    return redirect(meeting)
            elif which == "action":
                action_form = forms.ActionForm(request.POST, prefix="action", team=team)
                if action_form.is_valid():
                    services.add_action(actor=request.user, meeting=meeting, **action_form.cleaned_data)
                    messages.success(request, "Action added")
                    return redirect(meeting)
            elif which == "minutes" and is_lead:
                minutes_form = forms.MinutesForm(request.POST, prefix="minutes")
                if minutes_form.is_valid():
                    services.record_minutes(actor=request.user, meeting=meeting, **minutes_form.cleaned_data)
                    messages.success(request, "Minutes saved")
                    return redirect(meeting)
            else:
                raise Http404
        except ServiceError as error:
            target = {"agenda": agenda_form, "action": action_form, "minutes": minutes_form}[which]
            add_service_error(target, error)
    return render(
        request,
        "team/meeting_detail.html",
        {
            "meeting": meeting,
            "agenda": list(meeting.agenda.select_related("added_by")),
            "actions": list(services.open_actions_for(meeting)),
            "agenda_form": agenda_form,
            "action_form": action_form,
            "minutes_form": minutes_form if is_lead else None,
            "forms": [agenda_form, action_form, minutes_form],
            "page_has_errors": any(f.errors for f in (agenda_form, action_form, minutes_form)),
        },
    )


@require_POST
def action_done(request, meeting_pk, pk):
    """Mark an action done from the meeting page it is shown on (its own, or a later one)."""
    meeting = _meeting(request, meeting_pk)
    action = get_object_or_404(services.open_actions_for(meeting), pk=pk)
    services.complete_action(actor=request.user, action=action)
    messages.success(request, "Action marked done")
    return redirect(meeting)


@require_http_methods(["GET", "POST"])
def partners(request):
    institution = _institution(request)
    partner_list = permissions.partners_readable_by(request.user).filter(institution=institution)
    partner_form = forms.PartnerForm(prefix="partner")
    library = resources_to_offer(request.user)
    meeting_form = forms.PartnerMeetingForm(prefix="meeting", partners=partner_list, resources=library)
    visit_form = forms.VisitForm(prefix="visit", partners=partner_list)
    if request.method == "POST":
        which = request.POST.get("form")
        chosen = {
            "partner": (forms.PartnerForm, services.add_partner, {}),
            "meeting": (
                forms.PartnerMeetingForm,
                services.record_partner_meeting,
                {"partners": partner_list, "resources": library},
            ),
            "visit": (
                forms.VisitForm,
                services.record_visit,
                {"partners": partner_list},
            ),
        }.get(which)
        if chosen is None:
            raise Http404
        form_class, service, extra = chosen
        form = form_class(request.POST, prefix=which, **extra)
        if form.is_valid():
            try:
                data = dict(form.cleaned_data)
                if which != "visit":
                    data["institution"] = institution
                service(actor=request.user, **data)
            except ServiceError as error:
                add_service_error(form, error)
            else:
                messages.success(request, "Saved")
                return redirect("team:partners")
        if which == "partner":
            partner_form = form
        elif which == "meeting":
            meeting_form = form
        else:
            visit_form = form
    return render(
        request,
        "team/partners.html",
        {
            "partners": list(partner_list.prefetch_related("visits")),
            "meetings": list(institution.partner_meetings.prefetch_related("partners", "resources")[:20]),
            "partner_form": partner_form,
            "meeting_form": meeting_form,
            "visit_form": visit_form,
            "forms": [partner_form, meeting_form, visit_form],
            "page_has_errors": any(f.errors for f in (partner_form, meeting_form, visit_form)),
        },
    )


@require_http_methods(["GET", "POST"])
def targets(request, pk):
    """A tutor's targets with the app's own figures beside them, reviews, and their own development."""
    caseload = get_object_or_404(
        people_permissions.caseloads_readable_by(request.user).select_related("tutor", "academic_year"), pk=pk
    )
    is_lead = permissions.is_programme_lead_of(request.user, caseload.academic_year.institution_id)
    is_tutor = caseload.tutor.user_id == request.user.pk
    target_form = forms.TargetForm(prefix="target")
    review_form = forms.TargetReviewForm(prefix="review")
    development_form = forms.OwnDevelopmentForm(
        prefix="development", initial={"done_on": timezone.localdate()}
    )
    if request.method == "POST":
        which = request.POST.get("form")
        try:
            if which == "target" and is_lead:
                target_form = forms.TargetForm(request.POST, prefix="target")
                if target_form.is_valid():
                    services.set_target(actor=request.user, caseload=caseload, **target_form.cleaned_data)
                    return redirect("team:targets", pk=caseload.pk)
            elif which == "review" and (is_lead or is_tutor):
                review_form = forms.TargetReviewForm(request.POST, prefix="review")
                if review_form.is_valid():
                    services.review_targets(actor=request.user, caseload=caseload, **review_form.cleaned_data)
                    return redirect("team:targets", pk=caseload.pk)
            elif which == "development" and is_tutor:
                development_form = forms.OwnDevelopmentForm(request.POST, prefix="development")
                if development_form.is_valid():
                    services.record_own_development(actor=request.user, **development_form.cleaned_data)
                    return redirect("team:targets", pk=caseload.pk)
            else:
                raise Http404
        except ServiceError as error:
            add_service_error(
                {"target": target_form, "review": review_form, "development": development_form}[which], error
            )
    figures = services.measured_figures(caseload, timezone.localdate())
    target_rows = [
        (t, figures.get(t.measure))
        for t in permissions.targets_readable_by(request.user).filter(caseload=caseload)
    ]
    return render(
        request,
        "team/targets.html",
        {
            "caseload": caseload,
            "targets": target_rows,
            "reviews": list(caseload.target_reviews.all()),
            "development": list(
                permissions.own_development_readable_by(request.user).filter(tutor=caseload.tutor)
            ),
            "measure_labels": dict(TutorTarget.Measure.choices),
            "target_form": target_form if is_lead else None,
            "review_form": review_form if (is_lead or is_tutor) else None,
            "development_form": development_form if is_tutor else None,
            "forms": [target_form, review_form, development_form],
            "page_has_errors": any(f.errors for f in (target_form, review_form, development_form)),
        },
    )
