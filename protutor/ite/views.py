"""ITE and induction: the overview, providers and programmes, reference points, capacity, and interns'
placements. Every record is fetched through a scope in permissions.py, so what you may not see is a 404.

The intern's page gathers a section from each area (mentoring, assessment, timetable and PDP): each area's
views module offers `intern_section(request, intern, today)` and a template `ite/sections/<area>.html`.
"""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from protutor.audit import services as audit
from protutor.core.confirm import ConfirmationNeeded, ask_to_confirm
from protutor.core.errors import ServiceError
from protutor.core.params import as_id
from protutor.ite import forms, permissions, services
from protutor.ite.models import (
    CauseForConcern,
    DepartmentCapacity,
    Descriptor,
    Intern,
    MentorMeeting,
    Programme,
    Provider,
    ReferencePoint,
)
from protutor.observations.models import Observation
from protutor.observations.permissions import observations_readable_by
from protutor.people.forms import add_service_error
from protutor.people.models import AcademicYear, Department, StaffMember
from protutor.people.roles import actor_for


def staff_or_404(request) -> StaffMember:
    staff = actor_for(request.user).staff
    if staff is None:
        raise Http404
    return staff


def ite_tutor_or_404(request) -> StaffMember:
    """The ITE tutor's own staff record: the pages that set ITE up are theirs alone."""
    staff = staff_or_404(request)
    if not permissions.is_ite_tutor(request.user, staff.institution_id):
        raise Http404
    return staff


def overseer_or_404(request) -> StaffMember:
    """The ITE tutor or the programme lead: the overviews."""
    staff = staff_or_404(request)
    if not permissions.oversees_ite(request.user, staff.institution_id):
        raise Http404
    return staff


def current_year(institution_id: int) -> AcademicYear | None:
    return AcademicYear.objects.current().filter(institution_id=institution_id).first()


def _interns_with_overview(interns, today):
    """Interns with what the overview shows about each: mentor, placements, meeting dates, reference
    points and open concerns, in a fixed number of queries whatever their number."""
    return (
        interns.select_related("staff", "mentor", "department", "programme__provider")
        .prefetch_related(
            "placements",
            Prefetch("meetings", queryset=MentorMeeting.objects.only("pk", "intern_id", "held_on")),
            "programme__reference_points",
            "programme__academic_year__terms",
        )
        .annotate(open_concerns=Count("concerns", filter=Q(concerns__status=CauseForConcern.Status.OPEN)))
    )


def _decorate(interns, today):
    rows = []
    for intern in interns:
        placements = list(intern.placements.all())
        intern.gaps = services.meeting_gaps(
            placements,
            [m.held_on for m in intern.meetings.all()],
            today,
            intern.programme.academic_year.terms.all(),
        )
        intern.next_point = services.current_reference_point(
            intern.programme, today, intern.programme.reference_points.all()
        )
        intern.on_placement = any(p.starts_on <= today <= p.ends_on for p in placements)
        rows.append(intern)
    return rows


@require_GET
def index(request) -> HttpResponse:
    """One page for everyone in ITE and induction, with a part for each way they take part."""
    staff = staff_or_404(request)
    actor = actor_for(request.user)
    today = timezone.localdate()
    oversees = permissions.oversees_ite(request.user, staff.institution_id)
    if not (oversees or actor.in_ite):
        raise Http404
    interns = permissions.interns_readable_by(request.user)
    context: dict = {
        "oversees": oversees,
        "is_ite_tutor": permissions.is_ite_tutor(request.user, staff.institution_id),
        "my_internships": list(interns.filter(staff=staff).select_related("programme__provider")),
        "mentees": _decorate(
            _interns_with_overview(interns.filter(mentor=staff, status="active"), today), today
        ),
        "inductions": list(
            permissions.inductions_readable_by(request.user)
            .filter(Q(staff=staff) | Q(mentor=staff) | Q(induction_tutor=staff))
            .select_related("staff", "mentor", "induction_tutor")
        ),
        "checklists": list(
            permissions.staff_inductions_readable_by(request.user)
            .filter(Q(staff=staff) | Q(induction_tutor=staff))
            .select_related("staff")
        ),
        "today": today,
    }
    # The overview link for an induction tutor or ECT mentor; one who holds nothing has nothing to list.
    context["induction_overview"] = oversees or (
        bool(context["inductions"] or context["checklists"])
        and permissions.can_open_induction_overview(request.user, staff.institution_id)
    )
    if oversees:
        year = current_year(staff.institution_id)
        context["year"] = year
        context["interns"] = (
            _decorate(
                _interns_with_overview(
                    interns.filter(
                        programme__academic_year=year, programme__provider__institution=staff.institution_id
                    ).exclude(status=Intern.Status.WITHDRAWN),
                    today,
                ),
                today,
            )
            if year
            else []
        )
        context["providers"] = list(
            permissions.registry.readable_by(Provider, request.user)
            .filter(institution=staff.institution_id)
            .annotate(programme_count=Count("programmes"))
        )
    return render(request, "ite/index.html", context)


# Providers and programmes


@require_GET
def provider_list(request):
    staff = overseer_or_404(request)
    providers = permissions.registry.readable_by(Provider, request.user).filter(
        institution=staff.institution_id
    )
    return render(
        request,
        "ite/provider_list.html",
        {
            "providers": list(providers.annotate(programme_count=Count("programmes"))),
            "is_ite_tutor": permissions.is_ite_tutor(request.user, staff.institution_id),
        },
    )


def _provider_form_page(request, provider):
    ite_tutor_or_404(request)
    initial = {}
    if provider is not None:
        initial = {name: getattr(provider, name) for name in forms.ProviderForm.base_fields}
    form = forms.ProviderForm(request.POST or None, initial=initial)
    if form.is_valid():
        try:
            saved = services.save_provider(actor=request.user, provider=provider, **form.cleaned_data)
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"{saved.name} saved")
            return redirect(saved)
    return render(request, "ite/provider_form.html", {"form": form, "provider": provider})


@require_http_methods(["GET", "POST"])
def provider_create(request):
    return _provider_form_page(request, None)


def _provider(request, pk) -> Provider:
    return get_object_or_404(permissions.registry.readable_by(Provider, request.user), pk=pk)


@require_http_methods(["GET", "POST"])
def provider_edit(request, pk):
    provider = _provider(request, pk)
    if not permissions.is_ite_tutor(request.user, provider.institution_id):
        raise Http404
    return _provider_form_page(request, provider)


@require_http_methods(["GET", "POST"])
def provider_detail(request, pk):
    """The provider's contacts and programmes; the ITE tutor adds a programme here."""
    overseer_or_404(request)
    provider = _provider(request, pk)
    is_tutor = permissions.is_ite_tutor(request.user, provider.institution_id)
    years = AcademicYear.objects.filter(institution=provider.institution_id)
    form = None
    if is_tutor:
        year = current_year(provider.institution_id)
        form = forms.ProgrammeForm(
            request.POST or None, years=years, initial={"academic_year": year.pk if year else None}
        )
        if request.method == "POST" and form.is_valid():
            try:
                programme = services.add_programme(actor=request.user, provider=provider, **form.cleaned_data)
            except ServiceError as error:
                add_service_error(form, error)
            else:
                messages.success(request, f"{programme.name} added")
                return redirect("ite:programme-detail", programme.pk)
    elif request.method == "POST":
        raise Http404
    programmes = provider.programmes.select_related("academic_year").annotate(
        intern_count=Count("interns", distinct=True), point_count=Count("reference_points", distinct=True)
    )
    return render(
        request,
        "ite/provider_detail.html",
        {"provider": provider, "programmes": list(programmes), "form": form, "is_ite_tutor": is_tutor},
    )


def _programme(request, pk) -> Programme:
    return get_object_or_404(
        permissions.registry.readable_by(Programme, request.user).select_related("provider", "academic_year"),
        pk=pk,
    )


@require_GET
def programme_detail(request, pk):
    overseer_or_404(request)
    programme = _programme(request, pk)
    points = list(
        programme.reference_points.prefetch_related(
            Prefetch("descriptors", queryset=Descriptor.objects.select_related("standard__framework"))
        )
    )
    return render(
        request,
        "ite/programme_detail.html",
        {
            "programme": programme,
            "points": points,
            "interns": list(
                permissions.interns_readable_by(request.user)
                .filter(programme=programme)
                .select_related("staff", "mentor", "department")
            ),
            "is_ite_tutor": permissions.is_ite_tutor(request.user, programme.provider.institution_id),
        },
    )


@require_http_methods(["GET", "POST"])
def reference_point_form(request, programme_pk, pk=None):
    """Add or change an Assessment Reference Point: its date and a descriptor for each standard."""
    ite_tutor_or_404(request)
    programme = _programme(request, programme_pk)
    if not permissions.is_ite_tutor(request.user, programme.provider.institution_id):
        raise Http404
    point = (
        get_object_or_404(
            permissions.registry.readable_by(ReferencePoint, request.user).filter(programme=programme), pk=pk
        )
        if pk
        else None
    )
    standards = services.teachers_standards(programme.provider.institution_id)
    initial = {}
    if point is not None:
        initial = {"name": point.name, "due_on": point.due_on}
        initial.update({f"descriptor_{d.standard_id}": d.text for d in point.descriptors.all()})
    else:
        initial = {"name": f"Assessment Reference Point {programme.reference_points.count() + 1}"}
    form = forms.ReferencePointForm(request.POST or None, standards=standards, initial=initial)
    if form.is_valid():
        try:
            services.save_reference_point(
                actor=request.user,
                programme=programme,
                name=form.cleaned_data["name"],
                due_on=form.cleaned_data["due_on"],
                descriptors=form.descriptors(),
                reference_point=point,
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Reference point saved")
            return redirect("ite:programme-detail", programme.pk)
    return render(
        request, "ite/reference_point_form.html", {"form": form, "programme": programme, "point": point}
    )


# Capacity


@require_http_methods(["GET", "POST"])
def capacity(request):
    """Each department's intern places against the interns placed there this year."""
    staff = overseer_or_404(request)
    year = current_year(staff.institution_id)
    if year is None:
        return render(request, "ite/capacity.html", {"year": None})
    is_tutor = permissions.is_ite_tutor(request.user, staff.institution_id)
    departments = list(
        Department.objects.filter(institution=staff.institution_id).annotate(
            placed=Count(
                "interns",
                filter=Q(interns__programme__academic_year=year)
                & ~Q(interns__status=Intern.Status.WITHDRAWN),
            )
        )
    )
    places = {
        c.department_id: c.places
        for c in permissions.registry.readable_by(DepartmentCapacity, request.user).filter(academic_year=year)
    }
    form = forms.CapacityForm(
        request.POST if request.method == "POST" else None,
        departments=departments,
        initial={f"places_{d}": n for d, n in places.items()},
    )
    if request.method == "POST":
        if not is_tutor:
            raise Http404
        if form.is_valid():
            try:
                services.set_capacity(actor=request.user, academic_year=year, places=form.places())
            except ServiceError as error:
                add_service_error(form, error)
            else:
                messages.success(request, "Intern places saved")
                return redirect("ite:capacity")
    rows = []
    for department in departments:
        offered = places.get(department.pk)
        if offered is None and not department.placed:
            status = ("upcoming", "No places stated")
        elif offered is None or department.placed > offered:
            status = ("over", "More interns than places")
        elif department.placed == offered:
            status = ("met", "Full")
        else:
            status = ("open", f"{offered - department.placed} free")
        rows.append(
            {
                "department": department,
                "places": offered,
                "placed": department.placed,
                "status": status,
                "field": form[f"places_{department.pk}"],
            }
        )
    totals = {"places": sum(places.values()), "placed": sum(d.placed for d in departments)}
    return render(
        request,
        "ite/capacity.html",
        {"year": year, "rows": rows, "form": form, "totals": totals, "is_ite_tutor": is_tutor},
    )


# Interns


def _intern_form_choices(institution_id: int):
    staff = StaffMember.objects.filter(institution=institution_id, is_active=True).select_related(
        "department"
    )
    return {
        "staff": staff.order_by("surname", "forename"),
        "departments": Department.objects.filter(institution=institution_id),
        "mentors": staff.exclude(internships__status=Intern.Status.ACTIVE).order_by("surname", "forename"),
    }


@require_http_methods(["GET", "POST"])
def intern_create(request):
    """Place an intern: programme, subject, department, mentor and the first placement phase."""
    staff = ite_tutor_or_404(request)
    programmes = Programme.objects.filter(provider__institution=staff.institution_id).select_related(
        "provider", "academic_year"
    )
    initial = {}
    if as_id(request.GET.get("programme", "")) is not None:
        initial["programme"] = int(request.GET["programme"])
    form = forms.InternForm(
        request.POST or None,
        programmes=programmes,
        initial=initial,
        **_intern_form_choices(staff.institution_id),
    )
    if form.is_valid():
        try:
            intern = services.place_intern(actor=request.user, **form.cleaned_data)
        except ConfirmationNeeded as error:
            ask_to_confirm(form, error)
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"{intern.staff.full_name} placed in {intern.department.name}")
            return redirect(intern)
    return render(request, "ite/intern_form.html", {"form": form})


def intern_or_404(request, pk, queryset=None) -> Intern:
    """An intern's record through its scope, with what every page of the record shows."""
    interns = queryset if queryset is not None else permissions.interns_readable_by(request.user)
    return get_object_or_404(
        interns.select_related(
            "staff", "mentor", "department", "programme__provider", "programme__academic_year"
        ),
        pk=pk,
    )


def _sections():
    """Each area's part of the intern's page, in page order."""
    from protutor.ite import views_assessment, views_mentoring, views_pdp, views_timetable

    return [
        ("mentoring", views_mentoring.intern_section),
        ("assessment", views_assessment.intern_section),
        ("timetable", views_timetable.intern_section),
        ("pdp", views_pdp.intern_section),
    ]


def _render_detail(request, intern: Intern, placement_form=None):
    today = timezone.localdate()
    can_manage = permissions.can_manage_intern(request.user, intern)
    if placement_form is None and can_manage:
        placement_form = forms.PlacementForm()
    observations = (
        observations_readable_by(request.user)
        .filter(observee=intern.staff, kind=Observation.Kind.TRAINING)
        .select_related("observer")
    )
    context = {
        "intern": intern,
        "placements": list(intern.placements.all()),
        "observations": list(observations),
        "is_intern": permissions.is_intern(request.user, intern),
        "is_mentor": permissions.is_mentor(request.user, intern),
        "can_manage": can_manage,
        "can_observe": permissions.can_log_meeting(request.user, intern),
        "can_export": permissions.is_intern(request.user, intern)
        or permissions.oversees_ite(request.user, intern.programme.provider.institution_id),
        "placement_form": placement_form,
        "page_has_errors": bool(placement_form is not None and placement_form.errors),
        "today": today,
        "sections": [(name, section(request, intern, today)) for name, section in _sections()],
    }
    return render(request, "ite/intern_detail.html", context)


@require_GET
def intern_detail(request, pk):
    intern = intern_or_404(request, pk)
    if intern.staff.user_id != request.user.pk:
        audit.log_access(reader=request.user, subject=intern.staff, record=intern)
    return _render_detail(request, intern)


@require_http_methods(["GET", "POST"])
def intern_edit(request, pk):
    intern = intern_or_404(request, pk)
    if not permissions.can_manage_intern(request.user, intern):
        raise Http404
    choices = _intern_form_choices(intern.programme.provider.institution_id)
    form = forms.InternEditForm(
        request.POST or None,
        departments=choices["departments"],
        mentors=choices["mentors"].exclude(pk=intern.staff_id),
        initial={
            "subject": intern.subject,
            "department": intern.department_id,
            "mentor": intern.mentor_id,
            "tutor_group": intern.tutor_group,
            "target_periods": intern.target_periods,
            "status": intern.status,
        },
    )
    if form.is_valid():
        try:
            services.update_intern(actor=request.user, intern=intern, **form.cleaned_data)
        except ConfirmationNeeded as error:
            ask_to_confirm(form, error)
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Placement details saved")
            return redirect(intern)
    return render(request, "ite/intern_edit.html", {"form": form, "intern": intern})


@require_POST
def placement_add(request, pk):
    intern = intern_or_404(request, pk)
    if not permissions.can_manage_intern(request.user, intern):
        raise Http404
    form = forms.PlacementForm(request.POST)
    if form.is_valid():
        try:
            services.add_placement(actor=request.user, intern=intern, **form.cleaned_data)
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Placement phase added")
            return redirect(intern)
    return _render_detail(request, intern, placement_form=form)


urlpatterns = [
    path("", index, name="index"),
    path("providers/", provider_list, name="provider-list"),
    path("providers/new/", provider_create, name="provider-create"),
    path("providers/<int:pk>/", provider_detail, name="provider-detail"),
    path("providers/<int:pk>/edit/", provider_edit, name="provider-edit"),
    path("programmes/<int:pk>/", programme_detail, name="programme-detail"),
    path(
        "programmes/<int:programme_pk>/reference-points/new/",
        reference_point_form,
        name="reference-point-create",
    ),
    path(
        "programmes/<int:programme_pk>/reference-points/<int:pk>/edit/",
        reference_point_form,
        name="reference-point-edit",
    ),
    path("capacity/", capacity, name="capacity"),
    path("interns/new/", intern_create, name="intern-create"),
    path("interns/<int:pk>/", intern_detail, name="intern-detail"),
    path("interns/<int:pk>/edit/", intern_edit, name="intern-edit"),
    path("interns/<int:pk>/placements/", placement_add, name="placement-add"),
]
