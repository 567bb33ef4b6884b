"""Who may see whom, and who may change the programme's structure.

DESIGN.md section 1: a teacher sees themself; a line manager their reports; a head of department their
department; a professional tutor the departments of their caseload this year; the programme lead and the
administrator the staff of their institution (names and posts only: confidential records have their own
scopes in their own apps, which never include the administrator).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from protutor.core import permissions as registry
from protutor.people.models import (
    AcademicYear,
    Campus,
    Caseload,
    CaseloadDepartment,
    Department,
    Institution,
    Role,
    RoleAssignment,
    SignInPolicy,
    SsoProvider,
    StaffImport,
    StaffMember,
    Term,
    User,
)


def roles_in_force(user, *roles: Role) -> QuerySet[RoleAssignment]:
    """The user's assignments of these roles that hold today (every year, or this academic year)."""
    return RoleAssignment.objects.in_force().filter(staff__user=user, role__in=roles)


def caseload_links_now(user) -> QuerySet[CaseloadDepartment]:
    """The departments of the user's caseload in the academic year containing today."""
    today = timezone.localdate()
    return CaseloadDepartment.objects.filter(
        caseload__tutor__user=user,
        academic_year__starts_on__lte=today,
        academic_year__ends_on__gte=today,
    )


def institutions_led_by(user) -> QuerySet[Institution]:
    """Institutions where `user` is the programme lead."""
    if not user.is_authenticated:
        return Institution.objects.none()
    led = roles_in_force(user, Role.PROGRAMME_LEAD).filter(institution=OuterRef("pk"))
    return Institution.objects.filter(Exists(led))


def institutions_administered_by(user) -> QuerySet[Institution]:
    """Institutions where `user` is an administrator (accounts, imports, configuration)."""
    if not user.is_authenticated:
        return Institution.objects.none()
    administered = roles_in_force(user, Role.ADMINISTRATOR).filter(institution=OuterRef("pk"))
    return Institution.objects.filter(Exists(administered))


def departments_headed_by(user) -> QuerySet[Department]:
    if not user.is_authenticated:
        return Department.objects.none()
    headed = roles_in_force(user, Role.HEAD_OF_DEPARTMENT).filter(department=OuterRef("pk"))
    return Department.objects.filter(Exists(headed))


def departments_in_caseload_of(user) -> QuerySet[Department]:
    """The departments of the user's caseload in the current academic year."""
    if not user.is_authenticated:
        return Department.objects.none()
    return Department.objects.filter(Exists(caseload_links_now(user).filter(department=OuterRef("pk"))))


def staff_readable_by(user) -> QuerySet[StaffMember]:
    """Staff whose page `user` may open: themself, their reports, their department (head), their caseload
    (tutor), and their institution's staff (programme lead, administrator)."""
    if not user.is_authenticated:
        return StaffMember.objects.none()
    headed = roles_in_force(user, Role.HEAD_OF_DEPARTMENT).values("department")
    caseload = caseload_links_now(user).values("department")
    whole_institution = roles_in_force(user, Role.PROGRAMME_LEAD, Role.ADMINISTRATOR).values("institution")
    return StaffMember.objects.filter(
        Q(user=user)
        | Q(line_manager__user=user)
        | Q(department__in=headed)
        | Q(department__in=caseload)
        | Q(institution__in=whole_institution)
    )


def departments_readable_by(user) -> QuerySet[Department]:
    """Departments whose page (its staff and tutor) `user` may open: heads, tutors, programme lead, administrator."""
    if not user.is_authenticated:
        return Department.objects.none()
    headed = roles_in_force(user, Role.HEAD_OF_DEPARTMENT).values("department")
    caseload = caseload_links_now(user).values("department")
    whole_institution = roles_in_force(user, Role.PROGRAMME_LEAD, Role.ADMINISTRATOR).values("institution")
    return Department.objects.filter(
        Q(pk__in=headed) | Q(pk__in=caseload) | Q(institution__in=whole_institution)
    )


def caseloads_readable_by(user) -> QuerySet[Caseload]:
    """A tutor's own caseloads; every caseload of the institutions the user leads as programme lead."""
    if not user.is_authenticated:
        return Caseload.objects.none()
    return Caseload.objects.filter(Q(tutor__user=user) | Q(tutor__institution__in=institutions_led_by(user)))


def can_see_caseloads(user) -> bool:
    """The caseloads page: a tutor sees their own caseloads; a programme lead those of their institutions."""
    return caseloads_readable_by(user).exists() or institutions_led_by(user).exists()


def caseload_links_readable_by(user) -> QuerySet[CaseloadDepartment]:
    """Which tutor serves which department. Staff are meant to know who their department's professional
    tutor is (that is the point of the programme), so the link is known to the department's own staff and
    to whoever may open the department's page (its head, its tutor, the programme lead and administrator
    of its institution), as well as to the tutor and programme lead who may read the caseload. The
    caseload itself (remitted hours, the other departments) stays with caseloads_readable_by: pages show
    a link's tutor and specialisms through people.queries, never the caseload behind it."""
    if not user.is_authenticated:
        return CaseloadDepartment.objects.none()
    own = StaffMember.objects.filter(user=user, department__isnull=False).values("department")
    return CaseloadDepartment.objects.filter(
        Q(department__in=own)
        | Q(department__in=departments_readable_by(user))
        | Q(caseload__in=caseloads_readable_by(user))
    )


def users_readable_by(user) -> QuerySet[User]:
    """Accounts: one's own, and those of one's institution for its administrators."""
    if not user.is_authenticated:
        return User.objects.none()
    return User.objects.filter(Q(pk=user.pk) | Q(staff__institution__in=institutions_administered_by(user)))


def role_assignments_readable_by(user) -> QuerySet[RoleAssignment]:
    """Role assignments are visible wherever the person holding them is."""
    return RoleAssignment.objects.filter(staff__in=staff_readable_by(user))


def academic_years_readable_by(user) -> QuerySet[AcademicYear]:
    """Years of the institutions the user belongs to, leads or administers."""
    if not user.is_authenticated:
        return AcademicYear.objects.none()
    own = StaffMember.objects.filter(user=user).values("institution")
    return AcademicYear.objects.filter(
        Q(institution__in=own)
        | Q(institution__in=institutions_led_by(user))
        | Q(institution__in=institutions_administered_by(user))
    )


# Actions: predicates on objects already fetched through a scope.


def can_manage_years(user, institution: Institution) -> bool:
    return institutions_led_by(user).filter(pk=institution.pk).exists()


def can_manage_caseloads(user, institution: Institution) -> bool:
    return institutions_led_by(user).filter(pk=institution.pk).exists()


def can_import_staff(user, institution: Institution) -> bool:
    return institutions_administered_by(user).filter(pk=institution.pk).exists()


def sso_providers_readable_by(user) -> QuerySet[SsoProvider]:
    """Single sign-on set-up: the administrators of its institution."""
    return SsoProvider.objects.filter(institution__in=institutions_administered_by(user))


def can_manage_accounts(user, staff: StaffMember) -> bool:
    return institutions_administered_by(user).filter(pk=staff.institution_id).exists()


registry.register(StaffMember, staff_readable_by)
registry.register(Caseload, caseloads_readable_by)
registry.register(User, users_readable_by)
registry.register(RoleAssignment, role_assignments_readable_by)
registry.register(CaseloadDepartment, caseload_links_readable_by)
registry.register_public(Institution, "The name and settings of a school or college")
registry.register(SsoProvider, sso_providers_readable_by)
registry.register(
    SignInPolicy,
    lambda user: SignInPolicy.objects.filter(institution__in=institutions_administered_by(user)),
)
registry.register_public(Campus, "A campus name")
registry.register(Department, departments_readable_by)
registry.register(AcademicYear, academic_years_readable_by)
registry.register(Term, lambda user: Term.objects.filter(academic_year__in=academic_years_readable_by(user)))


def staff_imports_readable_by(user) -> QuerySet[StaffImport]:
    """Imports are the administrators' business, for their own institution."""
    if not user.is_authenticated:
        return StaffImport.objects.none()
    return StaffImport.objects.filter(institution__in=institutions_administered_by(user))


registry.register(StaffImport, staff_imports_readable_by)
