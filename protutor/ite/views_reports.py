"""The intern's record for the provider: placements, mentor meetings, reference-point judgements, causes for
concern, PDP attendance and lesson observations, as a PDF or a CSV. The ITE tutor and the programme lead
export it for the provider; an intern may download their own. Each download is written to the access log.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET

from protutor.audit import services as audit
from protutor.core.exports import csv_response, pdf_response
from protutor.ite import permissions
from protutor.ite.models import (
    CauseForConcern,
    Intern,
    Judgement,
    MentorMeeting,
    ReferencePointReview,
)
from protutor.ite.views import intern_or_404
from protutor.observations.models import Observation
from protutor.observations.permissions import observations_readable_by


@dataclass
class Section:
    title: str
    headings: list[str]
    rows: list[list] = field(default_factory=list)
    empty: str = "None recorded."


def can_export(user, intern: Intern) -> bool:
    return permissions.is_intern(user, intern) or permissions.oversees_ite(
        user, intern.programme.provider.institution_id
    )


def _standards(items) -> str:
    return ", ".join(s.label for s in items)


def record_sections(user, intern: Intern) -> list[Section]:
    """The whole record in sections of rows, read through the scopes: a fixed number of queries."""
    placements = Section("Placement", ["Phase", "From", "To"])
    for p in intern.placements.all():
        placements.rows.append([p.name, p.starts_on, p.ends_on])

    meetings = Section(
        "Weekly mentor meetings",
        ["Date", "Minutes", "Targets reviewed", "Targets set", "Standards", "Intern's comment"],
    )
    for m in (
        permissions.registry.readable_by(MentorMeeting, user)
        .filter(intern=intern)
        .prefetch_related("standards__framework")
        .order_by("held_on")
    ):
        meetings.rows.append(
            [
                m.held_on,
                m.minutes,
                m.targets_reviewed,
                m.targets_set,
                _standards(m.standards.all()),
                m.intern_comment,
            ]
        )

    scale = dict(intern.programme.scale_choices)
    points = list(intern.programme.reference_points.all())
    judgements = Section(
        "Assessment Reference Points", ["Reference point", "Standard", "Judgement", "Evidence"]
    )
    by_point: dict[int, list[Judgement]] = {}
    for j in (
        permissions.registry.readable_by(Judgement, user)
        .filter(intern=intern)
        .select_related("standard__framework")
    ):
        by_point.setdefault(j.reference_point_id, []).append(j)
    reviews = {
        r.reference_point_id: r
        for r in permissions.registry.readable_by(ReferencePointReview, user).filter(intern=intern)
    }
    for point in points:
        for j in by_point.get(point.pk, []):
            judgements.rows.append([point.name, j.standard.label, scale.get(j.grade, j.grade), j.evidence])
        review = reviews.get(point.pk)
        if review is not None and review.reflection:
            judgements.rows.append([point.name, "Intern's reflection", "", review.reflection])
        if review is not None and review.moderation:
            judgements.rows.append(
                [point.name, "Moderation", review.get_moderation_display(), review.moderation_note]
            )

    concerns = Section(
        "Causes for concern",
        [
            "Raised",
            "Category",
            "Standards",
            "Concern",
            "Targets",
            "Support",
            "Review",
            "Status",
            "Outcome",
            "Link tutor informed",
        ],
    )
    for c in (
        permissions.registry.readable_by(CauseForConcern, user)
        .filter(intern=intern)
        .prefetch_related("standards__framework")
        .order_by("raised_on")
    ):
        outcome = f"{c.outcome_on}: {c.outcome_note}" if c.outcome_on else ""
        concerns.rows.append(
            [
                c.raised_on,
                c.get_category_display(),
                _standards(c.standards.all()),
                c.concern,
                c.targets,
                c.support,
                c.review_on,
                c.get_status_display(),
                outcome,
                c.link_tutor_informed_on or "Not yet",
            ]
        )

    pdp = Section("Professional Development Programme attended", ["Date", "Topic", "Speaker"])
    for a in (
        permissions.pdp_attendance_readable_by(user)
        .filter(staff=intern.staff, session__academic_year=intern.programme.academic_year)
        .select_related("session__topic")
        .order_by("session__starts_at")
    ):
        pdp.rows.append(
            [timezone.localtime(a.session.starts_at).date(), a.session.topic.title, a.session.speaker]
        )

    observations = Section("Lesson observations", ["Date", "Observer", "Class or group", "Minutes"])
    for o in (
        observations_readable_by(user)
        .filter(observee=intern.staff, kind=Observation.Kind.TRAINING)
        .exclude(status=Observation.Status.DRAFT)  # the exporter's own drafts are not the intern's record
        .select_related("observer")
        .order_by("observed_on")
    ):
        observations.rows.append([o.observed_on, o.observer.full_name, o.group_name, o.length_minutes])

    return [placements, meetings, judgements, concerns, pdp, observations]


@require_GET
def intern_export(request, pk) -> HttpResponse:
    intern = intern_or_404(
        request,
        pk,
        permissions.interns_readable_by(request.user).prefetch_related(
            "placements", Prefetch("programme__reference_points")
        ),
    )
    if not can_export(request.user, intern):
        raise Http404
    kind = request.GET.get("format", "pdf")
    if kind not in ("pdf", "csv"):
        raise Http404
    sections = record_sections(request.user, intern)
    if intern.staff.user_id != request.user.pk:
        audit.log_access(reader=request.user, subject=intern.staff, record=intern, reason="export")
    name = f"intern-record-{intern.staff.surname.lower()}-{intern.pk}"
    summary = [
        ("Intern", intern.staff.full_name),
        ("Programme", f"{intern.programme.name} {intern.programme.academic_year.name}"),
        ("Provider", intern.programme.provider.name),
        ("Link tutor", intern.programme.provider.link_tutor_name or "Not recorded"),
        ("Subject", f"{intern.subject} ({intern.department.name})"),
        ("Mentor", intern.mentor.full_name if intern.mentor else "Not appointed"),
        ("Form (tutor) group", intern.tutor_group or "None"),
        ("Status", intern.get_status_display()),
        ("Exported", timezone.localdate().isoformat()),
    ]
    if kind == "csv":
        rows: list[list] = [["Section", "Field", "Value"]]
        rows += [["Intern", label, value] for label, value in summary]
        for section in sections:
            rows.append([])
            rows.append([section.title, *section.headings])
            rows += [[section.title, *row] for row in section.rows]
        return csv_response(f"{name}.csv", rows)
    return pdf_response(
        request,
        "ite/report_intern.pdf.html",
        {"intern": intern, "summary": summary, "sections": sections},
        f"{name}.pdf",
    )


urlpatterns = [path("interns/<int:pk>/record/", intern_export, name="intern-export")]
