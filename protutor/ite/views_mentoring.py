"""Mentoring: weekly mentor meetings (logged by the mentor or the ITE tutor, commented on by the intern),
mentors with their training and the ITE tutor's quality assurance of mentoring. Every record is fetched
through a scope (permissions.py, or mentors_readable_by built on it), so what you may not see is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import dateformat, timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from protutor.audit import services as audit
from protutor.core.errors import ServiceError
from protutor.ite import permissions, services
from protutor.ite import services_mentoring as mentoring
from protutor.ite.forms_mentoring import (
    FollowUpDoneForm,
    MeetingCommentForm,
    MeetingForm,
    ReviewRecordForm,
    ReviewScheduleForm,
    TrainingForm,
)
from protutor.ite.models import Intern, MentorMeeting, MentorReview, Provider
from protutor.ite.views import current_year, intern_or_404, overseer_or_404
from protutor.observations.models import Standard
from protutor.people.forms import add_service_error


def _day(day) -> str:
    return dateformat.format(day, "j F Y")


def _standards_prefetch() -> Prefetch:
    return Prefetch("standards", queryset=Standard.objects.select_related("framework").order_by("position"))


def intern_section(request, intern: Intern, today) -> dict:
    """The intern page's mentor meetings: each meeting, the placement weeks missed, and the way to log
    one. A fixed number of queries: meetings, their standards, placements, and the reader's roles."""
    meetings = list(intern.meetings.prefetch_related(_standards_prefetch()))
    placements = list(intern.placements.all())
    is_mentor = permissions.is_mentor(request.user, intern)
    return {
        "meetings": meetings,
        "gaps": services.meeting_gaps(
            placements, [m.held_on for m in meetings], today, intern.programme.academic_year.terms.all()
        ),
        "can_log": permissions.can_log_meeting(request.user, intern),
        "can_review": permissions.can_manage_intern(request.user, intern) and intern.mentor_id is not None,
        "mentor_page": intern.mentor_id is not None
        and (is_mentor or permissions.oversees_ite(request.user, intern.programme.provider.institution_id)),
    }


# Weekly mentor meetings


@require_http_methods(["GET", "POST"])
def meeting_create(request, intern_pk):
    intern = intern_or_404(request, intern_pk)
    if not permissions.can_log_meeting(request.user, intern):
        raise Http404
    standards = mentoring.meeting_standards(intern.programme.provider.institution_id)
    form = MeetingForm(
        request.POST or None,
        standards=standards,
        initial={"held_on": timezone.localdate(), "minutes": 60},
    )
    if form.is_valid():
        try:
            meeting = mentoring.log_meeting(actor=request.user, intern=intern, **form.cleaned_data)
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Mentor meeting on {_day(meeting.held_on)} logged")
            return redirect(intern)
    return render(
        request,
        "ite/mentoring_meeting_form.html",
        {"form": form, "intern": intern, "last_meeting": intern.meetings.first()},
    )


@require_http_methods(["GET", "POST"])
def meeting_edit(request, pk):
    """Correct a meeting: whoever logged it, or the ITE tutor, while the intern is on placement."""
    meeting = _meeting_or_404(request, pk)
    if not mentoring.can_change_meeting(request.user, meeting):
        raise Http404
    intern = meeting.intern
    form = MeetingForm(
        request.POST or None,
        standards=mentoring.meeting_standards(intern.programme.provider.institution_id),
        initial={
            "held_on": meeting.held_on,
            "minutes": meeting.minutes,
            "targets_reviewed": meeting.targets_reviewed,
            "targets_set": meeting.targets_set,
            "notes": meeting.notes,
            "standards": [s.pk for s in meeting.standards.all()],
        },
    )
    if form.is_valid():
        try:
            mentoring.log_meeting(actor=request.user, intern=intern, meeting=meeting, **form.cleaned_data)
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Mentor meeting on {_day(form.cleaned_data['held_on'])} changed")
            return redirect("ite:meeting-detail", meeting.pk)
    return render(
        request, "ite/mentoring_meeting_form.html", {"form": form, "intern": intern, "meeting": meeting}
    )


def _meeting_or_404(request, pk) -> MentorMeeting:
    meetings = permissions.registry.readable_by(MentorMeeting, request.user)
    return get_object_or_404(
        meetings.select_related(
            "mentor",
            "intern__staff",
            "intern__mentor",
            "intern__programme__provider",
            "intern__programme__academic_year",
        ).prefetch_related(_standards_prefetch()),
        pk=pk,
    )


def _render_meeting(request, meeting: MentorMeeting, comment_form=None):
    return render(
        request,
        "ite/mentoring_meeting_detail.html",
        {
            "meeting": meeting,
            "intern": meeting.intern,
            "comment_form": comment_form,
            "can_change": mentoring.can_change_meeting(request.user, meeting),
            "page_has_errors": bool(comment_form is not None and comment_form.errors),
        },
    )


@require_GET
def meeting_detail(request, pk):
    meeting = _meeting_or_404(request, pk)
    comment_form = None
    if permissions.is_intern(request.user, meeting.intern):
        comment_form = MeetingCommentForm(initial={"comment": meeting.intern_comment})
    else:
        audit.log_access(reader=request.user, subject=meeting.intern.staff, record=meeting)
    return _render_meeting(request, meeting, comment_form)


@require_POST
def meeting_comment(request, pk):
    meeting = _meeting_or_404(request, pk)
    if not permissions.is_intern(request.user, meeting.intern):
        raise Http404
    form = MeetingCommentForm(request.POST)
    if form.is_valid():
        try:
            mentoring.comment_on_meeting(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Your comment is saved")
            return redirect("ite:meeting-detail", meeting.pk)
    return _render_meeting(request, meeting, form)


# Mentors and their quality assurance


@require_GET
def mentor_list(request):
    """The QA overview: every current mentor and how their mentoring stands."""
    staff = overseer_or_404(request)
    year = current_year(staff.institution_id)
    today = timezone.localdate()
    rows = (
        mentoring.mentor_overview(request.user, institution_id=staff.institution_id, year=year, today=today)
        if year
        else []
    )
    audit.log_list_access(
        reader=request.user, subjects=[row.mentor for row in rows], record_type="mentoring overview"
    )
    return render(
        request,
        "ite/mentoring_mentor_list.html",
        {
            "year": year,
            "rows": rows,
            "today": today,
            "is_ite_tutor": permissions.is_ite_tutor(request.user, staff.institution_id),
        },
    )


def _mentor_or_404(request, pk):
    return get_object_or_404(
        mentoring.mentors_readable_by(request.user).select_related("department", "user"), pk=pk
    )


def _providers(request, mentor):
    return permissions.registry.readable_by(Provider, request.user).filter(institution=mentor.institution_id)


def _render_mentor(request, mentor, training_form=None):
    today = timezone.localdate()
    is_tutor = permissions.is_ite_tutor(request.user, mentor.institution_id)
    if is_tutor and training_form is None:
        training_form = TrainingForm(
            providers=_providers(request, mentor),
            initial={"completed_on": today},
        )
    record = mentoring.mentor_record(
        request.user, mentor, year=current_year(mentor.institution_id), today=today
    )
    return render(
        request,
        "ite/mentoring_mentor_detail.html",
        {
            "mentor": mentor,
            "record": record,
            "row": record.row,
            "is_ite_tutor": is_tutor,
            "is_self": mentor.user_id == request.user.pk,
            "training_form": training_form if is_tutor else None,
            "page_has_errors": bool(training_form is not None and training_form.errors),
            "today": today,
        },
    )


@require_GET
def mentor_detail(request, pk):
    mentor = _mentor_or_404(request, pk)
    if mentor.user_id != request.user.pk:
        audit.log_access(reader=request.user, subject=mentor, record=mentor)
    return _render_mentor(request, mentor)


@require_POST
def training_add(request, pk):
    mentor = _mentor_or_404(request, pk)
    if not permissions.is_ite_tutor(request.user, mentor.institution_id):
        raise Http404
    form = TrainingForm(request.POST, providers=_providers(request, mentor))
    if form.is_valid():
        try:
            mentoring.add_training(actor=request.user, mentor=mentor, **form.cleaned_data)
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Training recorded")
            return redirect("ite:mentor-detail", mentor.pk)
    return _render_mentor(request, mentor, training_form=form)


@require_http_methods(["GET", "POST"])
def review_create(request, intern_pk):
    """Plan a review of an intern's mentoring."""
    intern = intern_or_404(request, intern_pk)
    if not permissions.can_manage_intern(request.user, intern):
        raise Http404
    form = ReviewScheduleForm(request.POST or None)
    if form.is_valid():
        try:
            review = mentoring.schedule_review(actor=request.user, intern=intern, **form.cleaned_data)
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Review of the mentoring planned for {_day(review.scheduled_on)}")
            return redirect("ite:mentor-detail", review.mentor_id)
    return render(request, "ite/mentoring_review_form.html", {"form": form, "intern": intern})


@require_http_methods(["GET", "POST"])
def review_record(request, pk):
    """Record a review held, or correct it; then mark its follow-up as done."""
    reviews = permissions.mentor_records_readable_by(request.user, MentorReview)
    review = get_object_or_404(
        reviews.select_related("mentor", "reviewer", "intern__staff", "intern__programme__provider"), pk=pk
    )
    if not permissions.is_ite_tutor(request.user, review.mentor.institution_id):
        raise Http404
    step = None
    if request.method == "POST":
        step = "follow-up" if request.POST.get("step") == "follow-up" else "record"
    record_form = ReviewRecordForm(
        request.POST if step == "record" else None,
        initial={
            "held_on": review.held_on or timezone.localdate(),
            "programme_set_up": review.programme_set_up,
            "meetings_logged": review.meetings_logged,
            "feedback_referenced": review.feedback_referenced,
            "findings": review.findings,
            "actions": review.actions,
            "follow_up_on": review.follow_up_on,
        },
    )
    follow_up_form = None
    # A follow-up posted twice still goes to the service, which says why it cannot be done again.
    if (review.held_on and review.actions and review.follow_up_done_on is None) or step == "follow-up":
        follow_up_form = FollowUpDoneForm(
            request.POST if step == "follow-up" else None, initial={"done_on": timezone.localdate()}
        )
    if step is not None:
        form = follow_up_form if step == "follow-up" else record_form
        if form.is_valid():
            try:
                if step == "record":
                    mentoring.record_review(actor=request.user, review=review, **form.cleaned_data)
                else:
                    mentoring.complete_follow_up(actor=request.user, review=review, **form.cleaned_data)
            except ServiceError as error:
                add_service_error(form, error)
            else:
                messages.success(
                    request, "Review recorded" if step == "record" else "Follow-up marked as done"
                )
                return redirect("ite:mentor-detail", review.mentor_id)
    else:
        audit.log_access(reader=request.user, subject=review.mentor, record=review)
    return render(
        request,
        "ite/mentoring_review_record.html",
        {
            "review": review,
            "record_form": record_form,
            "follow_up_form": follow_up_form,
            "page_has_errors": bool(
                record_form.errors or (follow_up_form is not None and follow_up_form.errors)
            ),
            "mentor_page": reverse("ite:mentor-detail", args=[review.mentor_id]),
        },
    )


urlpatterns = [
    path("interns/<int:intern_pk>/meetings/new/", meeting_create, name="meeting-create"),
    path("meetings/<int:pk>/", meeting_detail, name="meeting-detail"),
    path("meetings/<int:pk>/comment/", meeting_comment, name="meeting-comment"),
    path("meetings/<int:pk>/edit/", meeting_edit, name="meeting-edit"),
    path("mentors/", mentor_list, name="mentor-list"),
    path("mentors/<int:pk>/", mentor_detail, name="mentor-detail"),
    path("mentors/<int:pk>/training/", training_add, name="training-add"),
    path("interns/<int:intern_pk>/mentor-reviews/new/", review_create, name="review-create"),
    path("mentor-reviews/<int:pk>/", review_record, name="review-record"),
]
