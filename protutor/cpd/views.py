import csv
import datetime as dt
import secrets

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, Q, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from protutor.core.errors import ServiceError
from protutor.core.exports import attachment
from protutor.core.params import as_id
from protutor.cpd import calendar, coverage, insights, permissions, services
from protutor.cpd.forms import (
    CancelSessionForm,
    DevelopmentRequestForm,
    EvaluationForm,
    RegisterForm,
    SessionForm,
)
from protutor.cpd.models import Attendance, CalendarToken, EvaluationReceipt, Session
from protutor.observations.permissions import standards_in_use_for
from protutor.people.forms import add_service_error
from protutor.people.models import AcademicYear, StaffMember
from protutor.people.roles import actor_for
from protutor.resources.permissions import resources_to_offer


@require_http_methods(["GET", "POST"])
def request_development(request):
    """Anyone says what they would like to develop; their department's CPD is planned from it."""
    staff = actor_for(request.user).staff
    standards = standards_in_use_for(staff.institution_id).select_related("framework") if staff else []
    form = DevelopmentRequestForm(request.POST or None, standards=standards)
    if form.is_valid():
        try:
            services.request_development(actor=request.user, **form.cleaned_data)
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                "Thank you. Your head of department and tutor will plan sessions from requests like yours.",
            )
            return redirect("cpd:request-development")
    mine = permissions.development_requests_readable_by(request.user).filter(requested_by__user=request.user)
    return render(request, "cpd/request_development.html", {"form": form, "mine": list(mine[:50])})


@require_GET
def session_list(request):
    sessions = permissions.sessions_readable_by(request.user).select_related("department", "term")
    now = timezone.now()
    return render(
        request,
        "cpd/session_list.html",
        {
            # Cancelled ones stay on the list, marked, so nobody turns up to a session that is off.
            "upcoming": list(sessions.filter(starts_at__gte=now)[:100]),
            "past": list(sessions.filter(starts_at__lt=now).order_by("-starts_at")[:50]),
            "plans": permissions.departments_planned_by(request.user).exists(),
            "can_see_coverage": permissions.can_see_coverage(request.user),
        },
    )


def _session_form(request, *, session=None, initial=None, department_id=None):
    staff = actor_for(request.user).staff
    if staff is None:
        raise Http404
    departments = permissions.departments_planned_by(request.user)
    if not departments.exists():
        raise Http404
    if session is not None:
        # A session stays with its department; copying it is how another department gets one.
        departments = departments.filter(pk=session.department_id)
    chosen = department_id or (session.department_id if session else None) or request.POST.get("department")
    requests = permissions.development_requests_readable_by(request.user).filter(department__in=departments)
    if chosen and as_id(chosen) is not None:
        requests = requests.filter(department_id=chosen)
    return SessionForm(
        request.POST or None,
        initial=initial,
        departments=departments,
        standards=standards_in_use_for(staff.institution_id)
        .filter(parent__isnull=True)
        .select_related("framework"),
        requests=requests,
        resources=resources_to_offer(
            request.user, keeping=session.resources.values_list("pk", flat=True) if session else ()
        ),
    )


def _save_session(request, form, session=None, copied_from=None):
    if form.is_valid():
        data = form.cleaned_data
        changes = (
            services.changes_for_invited(
                session,
                starts_at=data["starts_at"],
                length_minutes=data["length_minutes"],
                room=data["room"],
                format=data["format"],
            )
            if session is not None
            else []
        )
        try:
            saved = services.save_session(
                actor=request.user, session=session, copied_from=copied_from, **data
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            if session is None:
                messages.success(
                    request, f"{saved.title} saved. Staff in {saved.department.name} have been invited."
                )
            elif changes:
                messages.success(
                    request,
                    f"{saved.title} saved. Staff in {saved.department.name} have been told what changed: "
                    + "; ".join(change[0].lower() + change[1:] for change in changes)
                    + ".",
                )
            else:
                messages.success(
                    request,
                    f"{saved.title} saved. The date, time, room and format are as before, so nobody was told.",
                )
            return redirect(saved)
    return render(
        request, "cpd/session_form.html", {"form": form, "session": session, "copied_from": copied_from}
    )


@require_http_methods(["GET", "POST"])
def session_create(request):
    """Plan a session; from the needs page the department, and the standards staff need, come filled in."""
    department_id = request.GET.get("department")
    initial = {"format": Session.Format.MEETING, "length_minutes": 30}
    if department_id and as_id(department_id) is not None:
        initial["department"] = int(department_id)
    standard_ids = [s for s in request.GET.getlist("standard") if as_id(s) is not None]
    if standard_ids:
        initial["focus_standards"] = [int(s) for s in standard_ids]
    form = _session_form(
        request,
        initial=initial,
        department_id=department_id if department_id and as_id(department_id) is not None else None,
    )
    return _save_session(request, form)


def _editable(request, pk) -> Session:
    session = get_object_or_404(
        permissions.sessions_readable_by(request.user).select_related("department"), pk=pk
    )
    if not permissions.can_edit_session(request.user, session):
        raise Http404
    return session


@require_http_methods(["GET", "POST"])
def session_edit(request, pk):
    session = _editable(request, pk)
    if refusal := services.change_refusal(session):
        messages.error(request, refusal)
        return redirect(session)
    initial = SessionForm.initial_for(session)
    # Only the requests the planner may read are offered; links to others are kept by the service.
    readable = set(
        permissions.development_requests_readable_by(request.user)
        .filter(sessions=session)
        .values_list("pk", flat=True)
    )
    initial["requests"] = [pk for pk in initial["requests"] if pk in readable]
    return _save_session(request, _session_form(request, session=session, initial=initial), session)


@require_http_methods(["GET", "POST"])
def session_copy(request, pk):
    """Copy a session to another department (or another date) and adapt it."""
    original = get_object_or_404(permissions.sessions_readable_by(request.user), pk=pk)
    if not permissions.departments_planned_by(request.user).exists():
        raise Http404
    initial = SessionForm.initial_for(original)
    initial["department"] = None
    initial["requests"] = []
    form = _session_form(request, initial=initial)
    return _save_session(request, form, copied_from=original)


@require_http_methods(["GET", "POST"])
def session_cancel(request, pk):
    """Cancel a session: confirm, and say why; the invited are told and the page shows the reason."""
    session = _editable(request, pk)
    if refusal := services.cancel_refusal(session):
        messages.error(request, refusal)
        return redirect(session)
    form = CancelSessionForm(request.POST or None)
    if form.is_valid():
        try:
            services.cancel_session(actor=request.user, session=session, reason=form.cleaned_data["reason"])
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                f"Session cancelled. Staff in {session.department.name} have been told; calendars will show "
                "it as cancelled.",
            )
            return redirect(session)
    return render(request, "cpd/session_cancel.html", {"session": session, "form": form})


@require_GET
def session_detail(request, pk):
    session = get_object_or_404(
        permissions.sessions_readable_by(request.user)
        .select_related("department", "term", "copied_from")
        .prefetch_related("focus_standards__framework", "resources"),
        pk=pk,
    )
    can_edit = permissions.can_edit_session(request.user, session)
    attended = Attendance.objects.filter(session=session, staff__user=request.user).exists()
    context = {
        "session": session,
        "can_edit": can_edit,
        "attended": attended,
        "evaluated": EvaluationReceipt.objects.filter(session=session, staff__user=request.user).exists(),
        "attendance_count": session.attendance.count(),
        # Only the requests the reader may read one by one: never an anonymous one's words.
        "requests": list(permissions.development_requests_readable_by(request.user).filter(sessions=session)),
    }
    if permissions.can_read_evaluation_summary(request.user, session):
        context["evaluation"] = insights.evaluation_summary(session)
    if attended and not context["evaluated"]:
        context["evaluation_form"] = EvaluationForm()
    return render(request, "cpd/session_detail.html", context)


@require_http_methods(["GET", "POST"])
def session_register(request, pk):
    session = _editable(request, pk)
    staff = (
        StaffMember.objects.filter(
            Q(department=session.department_id, is_active=True) | Q(cpd_attendance__session=session)
        )
        .distinct()
        .order_by("surname", "forename")
    )
    form = RegisterForm(
        request.POST or None,
        staff=staff,
        initial={"attendees": list(session.attendance.values_list("staff_id", flat=True))},
    )
    if form.is_valid():
        try:
            services.record_attendance(
                actor=request.user, session=session, attendees=form.cleaned_data["attendees"]
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Register saved: {len(form.cleaned_data['attendees'])} attended")
            return redirect(session)
    return render(request, "cpd/session_register.html", {"session": session, "form": form})


@require_POST
def session_evaluate(request, pk):
    session = get_object_or_404(permissions.sessions_readable_by(request.user), pk=pk)
    form = EvaluationForm(request.POST)
    if form.is_valid():
        try:
            services.evaluate_session(actor=request.user, session=session, **form.cleaned_data)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Thank you. Your answers are anonymous.")
        return redirect(session)
    messages.error(request, "Select how useful the session was")
    return redirect(session)


@require_GET
def session_ics(request, pk):
    session = get_object_or_404(
        permissions.sessions_readable_by(request.user).select_related("department"), pk=pk
    )
    response = HttpResponse(
        calendar.calendar_for([session], name=session.title, method="PUBLISH"),
        content_type="text/calendar; charset=utf-8",
    )
    attachment(response, f"cpd-session-{session.pk}.ics")
    return response


@require_GET
def coverage_board(request):
    if not permissions.can_see_coverage(request.user):
        raise Http404
    staff = actor_for(request.user).staff
    years = (
        AcademicYear.objects.filter(institution=staff.institution_id)
        if staff
        else AcademicYear.objects.none()
    )
    chosen = request.GET.get("year")
    year = years.filter(pk=chosen).first() if chosen and as_id(chosen) is not None else None
    year = year or years.filter(pk__in=AcademicYear.objects.current()).first() or years.first()
    rows = []
    terms = []
    if year is not None:
        terms = list(year.terms.all())
        rows = coverage.board(
            permissions.coverage_departments_for(request.user).order_by("name"), terms, timezone.localdate()
        )
    planned_ids = set(permissions.departments_planned_by(request.user).values_list("pk", flat=True))
    return render(
        request,
        "cpd/coverage.html",
        {"rows": rows, "terms": terms, "year": year, "years": list(years), "planned_ids": planned_ids},
    )


@require_GET
def my_record(request):
    """My CPD this year: the sessions I attended and the hours, with a CSV download."""
    staff = actor_for(request.user).staff
    year = AcademicYear.objects.current().filter(institution=staff.institution_id).first() if staff else None
    attended = Attendance.objects.filter(staff__user=request.user).select_related("session__department")
    if year is not None:
        attended = attended.filter(session__term__academic_year=year)
    attended = attended.order_by("session__starts_at")
    totals = attended.aggregate(sessions=Count("pk"), minutes=Sum("session__length_minutes"))
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        attachment(response, "my-cpd-record.csv")
        writer = csv.writer(response)
        writer.writerow(["date", "session", "department", "format", "hours"])
        for a in attended:
            s = a.session
            writer.writerow(
                [
                    timezone.localtime(s.starts_at).date(),
                    s.title,
                    s.department.name,
                    s.get_format_display(),
                    round(s.length_minutes / 60, 2),
                ]
            )
        return response
    return render(
        request,
        "cpd/my_record.html",
        {
            "attended": list(attended),
            "year": year,
            "sessions": totals["sessions"],
            "hours": round((totals["minutes"] or 0) / 60, 1),
        },
    )


@require_http_methods(["GET", "POST"])
def calendar_settings(request):
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.revoke_calendar_token(actor=request.user)
            messages.success(request, "Your calendar address no longer works")
        else:
            services.issue_calendar_token(actor=request.user)
            messages.success(request, "Your new calendar address is ready; any old one has stopped working")
        return redirect("cpd:calendar-settings")
    token = CalendarToken.objects.filter(user=request.user).first()
    feed_url = None
    if token is not None:
        feed_url = request.build_absolute_uri(reverse("cpd:calendar-feed", args=[token.pk, token.token]))
    return render(request, "cpd/calendar_settings.html", {"feed_url": feed_url})


@login_not_required
@require_GET
def calendar_feed(request, pk, token):
    """The private feed calendar apps subscribe to. The token is the credential, compared in constant time;
    a wrong token is a 404, the same as a revoked one. Requests are rate limited per address and per feed,
    wrong tokens included, so a token cannot be guessed by trying."""
    if limited := ratelimit.consume_or_429(
        request, action="token_feed", key=f"cpd-calendar:{pk}", limit_get=True
    ):
        return limited
    entry = CalendarToken.objects.filter(pk=pk).select_related("user").first()
    if entry is None or not secrets.compare_digest(entry.token, token) or not entry.user.is_active:
        raise Http404
    sessions = (
        permissions.sessions_readable_by(entry.user)
        .filter(
            Q(department__staff__user=entry.user)
            | Q(department__in=permissions.departments_planned_by(entry.user))
        )
        .filter(starts_at__gte=timezone.now() - dt.timedelta(days=120))
        .select_related("department")
        .distinct()
    )
    response = HttpResponse(
        calendar.calendar_for(sessions, name="protutor CPD"), content_type="text/calendar; charset=utf-8"
    )
    response["Cache-Control"] = "private, max-age=900"
    return response
