from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from protutor.core import personal_data
from protutor.core.errors import ServiceError
from protutor.core.exports import attachment
from protutor.core.params import as_id
from protutor.cpd import coverage
from protutor.people import mfa, permissions, queries, services, sso
from protutor.people.forms import (
    AcademicYearForm,
    CaseloadForm,
    RoleForm,
    SignInPolicyForm,
    SsoProviderForm,
    StaffSearchForm,
    add_service_error,
)
from protutor.people.middleware import SECOND_FACTORS
from protutor.people.models import (
    AcademicYear,
    Department,
    Institution,
    Role,
    RoleAssignment,
    SignInPolicy,
    StaffMember,
)
from protutor.people.roles import actor_for


@require_http_methods(["GET"])
def home(request) -> HttpResponse:
    """One page that gathers a panel for each role the person holds."""
    actor = actor_for(request.user)
    context: dict = {"actor": actor}
    staff = actor.staff
    if staff is None:
        return render(request, "people/home.html", context)
    current_year = AcademicYear.objects.current().filter(institution=staff.institution_id).first()
    context["current_year"] = current_year
    if staff.department_id and current_year:
        context["my_tutor"] = queries.your_tutor(request.user, staff, current_year)
    if actor.has_reports:
        context["reports"] = list(
            permissions.staff_readable_by(request.user)
            .filter(line_manager=staff)
            .select_related("department")
        )
    if actor.is_head_of_department:
        context["headed_departments"] = list(
            permissions.departments_headed_by(request.user).annotate(
                staff_count=Count("staff", filter=Q(staff__is_active=True))
            )
        )
        tutors = queries.department_tutors(request.user, context["headed_departments"], current_year)
        for department in context["headed_departments"]:
            department.tutor = tutors.get(department.pk)
    if actor.is_tutor:
        assert actor.caseload is not None  # what is_tutor means
        context["caseload"] = actor.caseload
        context["caseload_departments"] = list(
            actor.caseload.departments.annotate(
                staff_count=Count("staff", filter=Q(staff__is_active=True))
            ).order_by("name")
        )
        context["caseload_staff_total"] = sum(d.staff_count for d in context["caseload_departments"])
        today = timezone.localdate()
        term = actor.caseload.academic_year.terms.filter(starts_on__lte=today, ends_on__gte=today).first()
        if term is not None:
            context["coverage_term"] = term
            context["coverage"] = [
                row[0] for row in coverage.board(context["caseload_departments"], [term], today)
            ]
    if actor.is_programme_lead:
        context["programme"] = _programme_overview(request.user)
    if actor.is_administrator:
        context["accounts"] = (
            permissions.staff_readable_by(request.user)
            .filter(institution__in=permissions.institutions_administered_by(request.user))
            .aggregate(
                active=Count("pk", filter=Q(is_active=True)),
                closed=Count("pk", filter=Q(is_active=False)),
                never_signed_in=Count("pk", filter=Q(is_active=True, user__last_login__isnull=True)),
            )
        )
        context["recent_imports"] = list(permissions.staff_imports_readable_by(request.user)[:5])
    return render(request, "people/home.html", context)


def _programme_overview(user) -> dict:
    """Tutors, their caseloads and which departments have a tutor this year, for the programme lead."""
    led = permissions.institutions_led_by(user)
    years = list(AcademicYear.objects.current().filter(institution__in=led))
    caseloads = list(
        permissions.caseloads_readable_by(user)
        .filter(academic_year__in=years)
        .select_related("tutor", "academic_year")
        .annotate(department_count=Count("caseload_departments"))
        .order_by("tutor__surname")
    )
    departments = list(
        permissions.departments_readable_by(user)
        .filter(institution__in=led)
        .annotate(
            covered=Count("caseload_links", filter=Q(caseload_links__academic_year__in=years)),
            staff_count=Count("staff", filter=Q(staff__is_active=True), distinct=True),
        )
        .order_by("name")
    )
    return {
        "years": years,
        "caseloads": caseloads,
        "remitted_total": sum((c.remitted_hours for c in caseloads), start=0),
        "departments": departments,
        "uncovered": [d for d in departments if not d.covered],
        "covered_count": sum(1 for d in departments if d.covered),
    }


@require_http_methods(["GET"])
def staff_list(request):
    """Everyone the user may see, searchable; the htmx search swaps only the results."""
    form = StaffSearchForm(request.GET or None)
    staff = permissions.staff_readable_by(request.user).select_related("department", "line_manager", "user")
    query = ""
    if form.is_valid() and form.cleaned_data["q"]:
        query = form.cleaned_data["q"].strip()
        for word in query.split():
            staff = staff.filter(
                Q(forename__icontains=word)
                | Q(surname__icontains=word)
                | Q(staff_code__iexact=word)
                | Q(job_title__icontains=word)
                | Q(department__name__icontains=word)
            )
    page = Paginator(staff.order_by("surname", "forename", "pk"), 50).get_page(request.GET.get("page"))
    actor = actor_for(request.user)
    context = {
        "form": form,
        "page_obj": page,
        "query": f"q={query}" if query else "",
        "show_accounts": actor.is_administrator,
    }
    template = "people/staff_list.html#results" if request.htmx else "people/staff_list.html"
    response = render(request, template, context)
    response["Vary"] = "HX-Request"
    return response


@require_http_methods(["GET"])
def staff_detail(request, pk):
    staff = get_object_or_404(
        permissions.staff_readable_by(request.user).select_related(
            "department__campus", "line_manager", "institution", "user"
        ),
        pk=pk,
    )
    context = {
        "staff": staff,
        "roles": list(staff.role_assignments.select_related("department", "academic_year", "institution")),
        "reports": list(permissions.staff_readable_by(request.user).filter(line_manager=staff)),
        "caseloads": list(
            permissions.caseloads_readable_by(request.user)
            .filter(tutor=staff)
            .select_related("academic_year")
            .prefetch_related("departments")
        ),
        "can_manage": permissions.can_manage_accounts(request.user, staff),
    }
    if context["can_manage"]:
        context["role_form"] = RoleForm(institution=staff.institution)
        context["second_factors"] = Authenticator.objects.filter(
            user=staff.user, type__in=SECOND_FACTORS
        ).count()
    return render(request, "people/staff_detail.html", context)


def _managed_staff(request, pk) -> StaffMember:
    """A member of staff whose account the user administers; anyone else's is a 404, like a missing one."""
    staff = get_object_or_404(
        permissions.staff_readable_by(request.user).select_related("user", "institution"), pk=pk
    )
    if not permissions.can_manage_accounts(request.user, staff):
        raise Http404
    return staff


@require_POST
def second_factor_reset(request, pk):
    """The administrator removes a lost phone's authenticator app, so the person sets up a new one."""
    staff = _managed_staff(request, pk)
    try:
        services.reset_second_factor(actor=request.user, staff=staff)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{staff} will set up two-step sign-in again the next time they sign in")
    return redirect(staff)


@require_http_methods(["GET", "POST"])
def staff_erase(request, pk):
    """The administrator erases a leaver's personal data, where the policy allows (confirm first)."""
    staff = _managed_staff(request, pk)
    refusals = services.erasure_refusals(staff)
    if request.method == "POST" and not refusals:
        name = staff.full_name
        try:
            services.erase_leaver(actor=request.user, staff=staff)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"{name}'s personal data has been erased")
            return redirect(staff)
    return render(request, "people/staff_erase.html", {"staff": staff, "refusals": refusals})


@require_http_methods(["GET"])
def my_data(request):
    """Subject access: what the app holds about me, and the download."""
    return render(request, "people/my_data.html", {"staff": actor_for(request.user).staff})


@require_http_methods(["GET"])
def my_data_download(request):
    staff = actor_for(request.user).staff
    if staff is None:
        raise Http404
    response = HttpResponse(personal_data.download(request.user, staff), content_type="application/zip")
    attachment(response, "protutor-my-data.zip")
    return response


@require_http_methods(["GET", "POST"])
def role_add(request, pk):
    staff = _managed_staff(request, pk)
    form = RoleForm(request.POST or None, institution=staff.institution)
    if form.is_valid():
        try:
            services.assign_role(
                actor=request.user,
                staff=staff,
                role=Role(form.cleaned_data["role"]),
                department=form.cleaned_data["department"],
                academic_year=form.cleaned_data["academic_year"],
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"{staff} is now {Role(form.cleaned_data['role']).label.lower()}")
            return redirect(staff)
    return render(request, "people/role_add.html", {"staff": staff, "form": form})


@require_POST
def role_remove(request, pk, assignment_pk):
    staff = _managed_staff(request, pk)
    assignment = get_object_or_404(
        permissions.role_assignments_readable_by(request.user).filter(staff=staff), pk=assignment_pk
    )
    try:
        services.remove_role(actor=request.user, assignment=assignment)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Role removed: {assignment.get_role_display()}")
    return redirect(staff)


@require_POST
def account_status(request, pk):
    staff = _managed_staff(request, pk)
    active = request.POST.get("active") == "yes"
    try:
        services.set_account_active(actor=request.user, staff=staff, active=active)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{staff} can {'now' if active else 'no longer'} sign in")
    return redirect(staff)


@require_http_methods(["GET"])
def department_detail(request, pk):
    department = get_object_or_404(
        permissions.departments_readable_by(request.user).select_related("campus", "institution"), pk=pk
    )
    year = AcademicYear.objects.current().filter(institution=department.institution_id).first()
    heads = list(StaffMember.objects.filter(_holds_role(Role.HEAD_OF_DEPARTMENT, department=department)))
    staff = list(
        permissions.staff_readable_by(request.user)
        .filter(department=department, is_active=True)
        .select_related("line_manager")
    )
    return render(
        request,
        "people/department_detail.html",
        {
            "department": department,
            "year": year,
            "department_tutor": queries.department_tutors(request.user, [department], year).get(
                department.pk
            ),
            "heads": heads,
            "staff": staff,
        },
    )


def _holds_role(role, **filters) -> Exists:
    return Exists(RoleAssignment.objects.in_force().filter(staff=OuterRef("pk"), role=role, **filters))


def _led_institution(request) -> Institution:
    """The institution the programme lead works on (the first they lead, or ?institution=)."""
    institutions = permissions.institutions_led_by(request.user)
    chosen = request.GET.get("institution") or request.POST.get("institution")
    if chosen and as_id(chosen) is not None:
        institution = institutions.filter(pk=chosen).first()
    else:
        institution = institutions.first()
    if institution is None:
        raise Http404
    return institution


@require_http_methods(["GET"])
def year_list(request):
    institution = _led_institution(request)
    years = AcademicYear.objects.filter(institution=institution).prefetch_related("terms")
    return render(request, "people/year_list.html", {"institution": institution, "years": years})


@require_http_methods(["GET", "POST"])
def year_create(request):
    institution = _led_institution(request)
    return _year_form(request, institution, None)


@require_http_methods(["GET", "POST"])
def year_edit(request, pk):
    year = get_object_or_404(permissions.academic_years_readable_by(request.user), pk=pk)
    if not permissions.can_manage_years(request.user, year.institution):
        raise Http404
    return _year_form(request, year.institution, year)


def _year_form(request, institution, year):
    initial = AcademicYearForm.initial_for(year) if year else None
    form = AcademicYearForm(request.POST or None, initial=initial)
    if form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.save_academic_year(
                actor=request.user,
                institution=institution,
                name=data["name"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                terms=form.term_dates(),
                year=year,
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Academic year {saved.name} saved with its three terms")
            return redirect("people:year-list")
    return render(request, "people/year_form.html", {"form": form, "year": year, "institution": institution})


@require_http_methods(["GET"])
def caseload_list(request):
    """Programme lead: every tutor's caseload in a year and the departments still without a tutor.
    Tutor: their own caseloads."""
    if not permissions.can_see_caseloads(request.user):
        raise Http404
    years = AcademicYear.objects.filter(
        Q(institution__in=permissions.institutions_led_by(request.user))
        | Q(pk__in=permissions.caseloads_readable_by(request.user).values("academic_year"))
    ).select_related("institution")
    year_id = request.GET.get("year")
    year = None
    if year_id and as_id(year_id) is not None:
        year = years.filter(pk=year_id).first()
    if year is None:
        year = years.filter(pk__in=AcademicYear.objects.current()).first() or years.first()
    caseloads = []
    uncovered = []
    can_manage = year is not None and permissions.can_manage_caseloads(request.user, year.institution)
    if year is not None:
        caseloads = list(
            permissions.caseloads_readable_by(request.user)
            .filter(academic_year=year)
            .select_related("tutor")
            .prefetch_related(Prefetch("departments", queryset=Department.objects.order_by("name")))
            .order_by("tutor__surname")
        )
        if can_manage:
            uncovered = list(
                Department.objects.filter(institution=year.institution_id)
                .exclude(caseload_links__academic_year=year)
                .order_by("name")
            )
    return render(
        request,
        "people/caseload_list.html",
        {
            "years": years,
            "year": year,
            "caseloads": caseloads,
            "uncovered": uncovered,
            "remitted_total": sum((c.remitted_hours for c in caseloads), start=0),
            "can_manage": can_manage,
            "several_institutions": len({option.institution_id for option in years}) > 1,
        },
    )


@require_http_methods(["GET", "POST"])
def caseload_create(request):
    institution = _led_institution(request)
    initial = {"full_time_hours": institution.full_time_hours, "remitted_hours": 150}
    current = AcademicYear.objects.current().filter(institution=institution).first()
    if current:
        initial["academic_year"] = current.pk
    form = CaseloadForm(request.POST or None, institution=institution, initial=initial)
    return _caseload_form(request, form, None)


@require_http_methods(["GET", "POST"])
def caseload_edit(request, pk):
    caseload = get_object_or_404(
        permissions.caseloads_readable_by(request.user).select_related("academic_year__institution", "tutor"),
        pk=pk,
    )
    institution = caseload.academic_year.institution
    if not permissions.can_manage_caseloads(request.user, institution):
        raise Http404
    initial = {
        "tutor": caseload.tutor_id,
        "academic_year": caseload.academic_year_id,
        "departments": list(caseload.departments.values_list("pk", flat=True)),
        "remitted_hours": caseload.remitted_hours,
        "full_time_hours": caseload.full_time_hours,
        "specialisms": caseload.specialisms,
    }
    form = CaseloadForm(request.POST or None, institution=institution, initial=initial, editing=True)
    return _caseload_form(request, form, caseload)


def _caseload_form(request, form, caseload):
    if form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.save_caseload(
                actor=request.user,
                tutor=data["tutor"],
                academic_year=data["academic_year"],
                remitted_hours=data["remitted_hours"],
                full_time_hours=data["full_time_hours"],
                specialisms=data["specialisms"],
                departments=data["departments"],
                caseload=caseload,
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Caseload saved for {saved.tutor}")
            return redirect(f"{reverse('people:caseload-list')}?year={saved.academic_year_id}")
    return render(request, "people/caseload_form.html", {"form": form, "caseload": caseload})


@require_http_methods(["GET", "POST"])
def sign_in_policy(request):
    """The administrator chooses how staff sign in: passwords or single sign-on, and who needs MFA."""
    institution = permissions.institutions_administered_by(request.user).order_by("name").first()
    if institution is None:
        raise Http404
    policy = SignInPolicy.objects.filter(institution=institution).first()
    initial = {
        "mfa_required_roles": mfa.required_roles(institution.pk),
        "password_sign_in": "yes" if policy is None or policy.password_sign_in else "no",
    }
    form = SignInPolicyForm(request.POST or None, initial=initial)
    if form.is_valid():
        try:
            services.set_sign_in_policy(
                actor=request.user,
                institution=institution,
                mfa_required_roles=form.cleaned_data["mfa_required_roles"],
                password_sign_in=form.cleaned_data["password_sign_in"],
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Sign-in settings saved")
            return redirect("people:sign-in-policy")
    providers = list(
        permissions.sso_providers_readable_by(request.user)
        .filter(institution=institution)
        .select_related("app")
    )
    return render(
        request,
        "people/sign_in_policy.html",
        {
            "institution": institution,
            "form": form,
            "saved": policy is not None,
            "defaults": [mfa.ROLE_LABELS[role] for role in mfa.default_required_roles()],
            "providers": [(p, sso.service_provider_details(request, p)) for p in providers],
        },
    )


@require_http_methods(["GET", "POST"])
def sso_add(request):
    institution = permissions.institutions_administered_by(request.user).order_by("name").first()
    if institution is None:
        raise Http404
    form = SsoProviderForm(request.POST or None)
    if form.is_valid():
        try:
            provider = sso.add_provider(actor=request.user, institution=institution, **form.cleaned_data)
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"{provider} is set up: staff can use it on the sign-in page")
            return redirect("people:sign-in-policy")
    return render(request, "people/sso_add.html", {"institution": institution, "form": form})


@require_POST
def sso_remove(request, pk):
    provider = get_object_or_404(
        permissions.sso_providers_readable_by(request.user).select_related("app"), pk=pk
    )
    try:
        sso.remove_provider(actor=request.user, provider=provider)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{provider} removed")
    return redirect("people:sign-in-policy")
