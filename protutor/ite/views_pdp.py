"""The Professional Development Programme for interns and new teachers: the year's programme (topics
tagged to standards, sessions), scheduling a session, its register, and who has covered which topic.

Topics and sessions say nothing confidential: everyone of the institution may read them. Who attended is
part of each person's record: the ITE tutor takes the register, the ITE tutor and programme lead read it,
and the coverage page shows each reader only the people whose record they may read (their mentee, the ECT
they tutor, or themselves), with attendance read through `permissions.pdp_attendance_readable_by`.
"""

from __future__ import annotations

from typing import TypedDict

from django.contrib import messages
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from protutor.core.errors import ServiceError
from protutor.core.params import as_id
from protutor.ite import forms_pdp, permissions
from protutor.ite import services_pdp as services
from protutor.ite.models import PdpSession, PdpTopic
from protutor.ite.services_pdp import Participant
from protutor.ite.views import current_year, ite_tutor_or_404, staff_or_404
from protutor.observations.models import Standard
from protutor.observations.permissions import standards_in_use_for
from protutor.people.forms import add_service_error
from protutor.people.roles import actor_for


def _standards_prefetch() -> Prefetch:
    return Prefetch(
        "standards",
        queryset=Standard.objects.select_related("framework").order_by("framework_id", "position"),
    )


def _topic_form(institution_id: int, data=None) -> forms_pdp.TopicForm:
    standards = (
        standards_in_use_for(institution_id)
        .filter(parent__isnull=True)
        .select_related("framework")
        .order_by("framework_id", "position")
    )
    return forms_pdp.TopicForm(data, standards=standards)


def _session_status(session: PdpSession, now) -> tuple[str, str]:
    if session.register_taken:
        return ("delivered", "Register taken")
    if session.starts_at > now:
        return ("planned", "Planned")
    return ("under", "Register not taken")


def _programme_page(request, staff, topic_form=None):
    institution_id = staff.institution_id
    year = current_year(institution_id)
    is_tutor = permissions.is_ite_tutor(request.user, institution_id)
    oversees = is_tutor or permissions.oversees_ite(request.user, institution_id)
    all_topics = list(
        permissions.registry.readable_by(PdpTopic, request.user)
        .filter(institution=institution_id)
        .prefetch_related(_standards_prefetch())
        .annotate(session_count=Count("sessions", filter=Q(sessions__academic_year=year)))
    )
    sessions = []
    if year is not None:
        now = timezone.now()
        rows = (
            permissions.registry.readable_by(PdpSession, request.user)
            .filter(institution=institution_id, academic_year=year)
            .select_related("topic")
            .order_by("starts_at", "pk")
        )
        if oversees:
            rows = rows.annotate(attended=Count("attendance"))
        for session in rows:
            session.status = _session_status(session, now)
            sessions.append(session)
    if is_tutor and topic_form is None:
        topic_form = _topic_form(institution_id)
    context = {
        "year": year,
        "topics": [t for t in all_topics if t.active],
        "sessions": sessions,
        "is_ite_tutor": is_tutor,
        "oversees": oversees,
        "missing_seed": services.missing_seed_titles(t.title for t in all_topics) if is_tutor else [],
        "topic_form": topic_form,
        "page_has_errors": bool(topic_form is not None and topic_form.errors),
        "shows_coverage": oversees or actor_for(request.user).in_ite,
    }
    return render(request, "ite/pdp_programme.html", context)


@require_http_methods(["GET"])
def programme(request):
    """The year's programme: everyone of the institution may read it; the ITE tutor manages it here."""
    return _programme_page(request, staff_or_404(request))


@require_POST
def seed(request):
    staff = ite_tutor_or_404(request)
    try:
        added = services.seed_topics(actor=request.user, institution_id=staff.institution_id)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        if added:
            messages.success(request, f"{len(added)} standard topics added to the programme")
        else:
            messages.success(request, "The programme already has all the standard topics")
    return redirect("ite:pdp")


@require_POST
def topic_add(request):
    staff = ite_tutor_or_404(request)
    form = _topic_form(staff.institution_id, request.POST)
    if form.is_valid():
        try:
            topic = services.add_topic(
                actor=request.user, institution_id=staff.institution_id, **form.cleaned_data
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Topic added: {topic.title}")
            return redirect("ite:pdp")
    return _programme_page(request, staff, topic_form=form)


@require_http_methods(["GET", "POST"])
def session_create(request):
    """Schedule a session: topic, speaker, date and time, length and room."""
    staff = ite_tutor_or_404(request)
    topics = permissions.registry.readable_by(PdpTopic, request.user).filter(
        institution=staff.institution_id, active=True
    )
    initial = {}
    if as_id(request.GET.get("topic", "")) is not None:
        initial["topic"] = int(request.GET["topic"])
    form = forms_pdp.SessionForm(
        request.POST if request.method == "POST" else None, topics=topics, initial=initial
    )
    if form.is_valid():
        try:
            session = services.schedule_session(
                actor=request.user, institution_id=staff.institution_id, **form.cleaned_data
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Session scheduled: {session.topic.title}")
            return redirect(session)
    return render(
        request, "ite/pdp_session_form.html", {"form": form, "year": current_year(staff.institution_id)}
    )


@require_http_methods(["GET", "POST"])
def session_detail(request, pk):
    """A session's details for everyone of the institution; the ITE tutor takes its register here, and
    the ITE tutor and programme lead see who attended."""
    session = get_object_or_404(
        permissions.registry.readable_by(PdpSession, request.user)
        .select_related("topic", "academic_year")
        .prefetch_related(
            Prefetch("topic__standards", queryset=Standard.objects.select_related("framework"))
        ),
        pk=pk,
    )
    is_tutor = permissions.is_ite_tutor(request.user, session.institution_id)
    if request.method == "POST" and not is_tutor:
        raise Http404
    oversees = is_tutor or permissions.oversees_ite(request.user, session.institution_id)
    now = timezone.now()
    attendance = permissions.pdp_attendance_readable_by(request.user).filter(session=session)
    attendees = (
        list(attendance.select_related("staff").order_by("staff__surname", "staff__forename"))
        if oversees
        else []
    )
    form = None
    if is_tutor:
        form = forms_pdp.RegisterForm(
            request.POST if request.method == "POST" else None,
            people=services.register_choices(session, timezone.localdate()),
            initial={"attendees": [a.staff_id for a in attendees]},
        )
        if form.is_valid():
            try:
                services.take_register(
                    actor=request.user, session=session, attendee_ids=form.cleaned_data["attendees"]
                )
            except ServiceError as error:
                add_service_error(form, error)
            else:
                messages.success(request, f"Register saved: {len(form.cleaned_data['attendees'])} attended")
                return redirect(session)
    context = {
        "session": session,
        "status": _session_status(session, now),
        "started": session.starts_at <= now,
        "form": form,
        "oversees": oversees,
        "attendees": attendees,
        "you_attended": (not oversees) and attendance.filter(staff__user=request.user).exists(),
    }
    return render(request, "ite/pdp_session.html", context)


class _CoverageRow(TypedDict):
    person: Participant
    covered: list[PdpTopic]
    missing: list[PdpTopic]
    covered_ids: set[int]


@require_http_methods(["GET"])
def coverage(request) -> HttpResponse:
    """Each participant against each topic this year: covered or missing. The ITE tutor and programme
    lead see everyone; a mentor or induction tutor their mentees; an intern or ECT themselves."""
    staff = staff_or_404(request)
    institution_id = staff.institution_id
    oversees = permissions.oversees_ite(request.user, institution_id)
    year = current_year(institution_id)
    if year is None:
        if not oversees:
            raise Http404
        return render(request, "ite/pdp_coverage.html", {"year": None})
    staff_inductions = permissions.staff_inductions_readable_by(request.user)
    if not oversees:
        # A new member of staff's induction tutor may read their checklist but not their attendance.
        staff_inductions = staff_inductions.filter(staff__user=request.user)
    people = services.participants(
        institution_id,
        year,
        timezone.localdate(),
        interns=permissions.interns_readable_by(request.user),
        inductions=permissions.inductions_readable_by(request.user),
        staff_inductions=staff_inductions,
    )
    if not people and not oversees:
        raise Http404
    covered = services.coverage_for(
        [p.staff.pk for p in people],
        institution_id,
        year,
        attendance=permissions.pdp_attendance_readable_by(request.user),
    )
    topics: list[PdpTopic] = []
    rows: list[_CoverageRow] = []
    for person in people:
        result = covered[person.staff.pk]
        topics = topics or result["covered"] + result["missing"]
        rows.append(
            {
                "person": person,
                "covered": result["covered"],
                "missing": result["missing"],
                "covered_ids": {t.pk for t in result["covered"]},
            }
        )
    topics = sorted(topics, key=lambda t: (t.position, t.pk))
    grid = [{"topic": topic, "cells": [topic.pk in row["covered_ids"] for row in rows]} for topic in topics]
    return render(
        request,
        "ite/pdp_coverage.html",
        {"year": year, "rows": rows, "grid": grid, "topic_count": len(topics), "oversees": oversees},
    )


def intern_section(request, intern, today) -> dict:
    """The intern's PDP topics covered and missing in their programme's year, as the reader may see."""
    year = intern.programme.academic_year
    result = services.coverage_for(
        [intern.staff_id],
        intern.programme.provider.institution_id,
        year,
        attendance=permissions.pdp_attendance_readable_by(request.user),
    )[intern.staff_id]
    return {"year": year, "total": len(result["covered"]) + len(result["missing"]), **result}


urlpatterns = [
    path("pdp/", programme, name="pdp"),
    path("pdp/seed/", seed, name="pdp-seed"),
    path("pdp/topics/", topic_add, name="pdp-topic-add"),
    path("pdp/sessions/new/", session_create, name="pdp-session-create"),
    path("pdp/sessions/<int:pk>/", session_detail, name="pdp-session"),
    path("pdp/coverage/", coverage, name="pdp-coverage"),
]
