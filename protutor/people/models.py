"""Institutions, their people and the programme's structure: years, terms, roles and tutor caseloads."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone


class User(AbstractUser):
    """A sign-in account. Everything about the person lives on their StaffMember."""

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), condition=~Q(email=""), name="user_email_unique_ci")
        ]

    def __str__(self) -> str:
        # Names are kept in step with the staff record, so no query is needed to show who is signed in.
        return self.get_full_name() or self.username


class Institution(models.Model):
    """A school or college. Several institutions in one installation make a trust."""

    class Kind(models.TextChoices):
        SCHOOL = "school", "School"
        COLLEGE = "college", "Further education college"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.COLLEGE)
    full_time_hours = models.DecimalField(
        "full-time teaching hours a year",
        max_digits=6,
        decimal_places=1,
        default=Decimal("773"),
        validators=[MinValueValidator(Decimal("1"))],
        help_text="A full-time teacher's teaching caseload over an academic year.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Campus(models.Model):
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="campuses")
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["institution__name", "name"]
        verbose_name_plural = "campuses"
        constraints = [models.UniqueConstraint("institution", "name", name="campus_name_unique")]

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    """A department, school or curriculum area: the unit a tutor's caseload is made of."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="departments")
    campus = models.ForeignKey(
        Campus, on_delete=models.SET_NULL, null=True, blank=True, related_name="departments"
    )
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint("institution", "name", name="department_name_unique")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("people:department-detail", args=[self.pk])

    def clean(self) -> None:
        if self.campus is not None and self.campus.institution_id != self.institution_id:
            raise ValidationError({"campus": "Select a campus of the same institution"})


class AcademicYearQuerySet(models.QuerySet):
    def containing(self, day: dt.date) -> AcademicYearQuerySet:
        return self.filter(starts_on__lte=day, ends_on__gte=day)

    def current(self) -> AcademicYearQuerySet:
        return self.containing(timezone.localdate())


class AcademicYear(models.Model):
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="academic_years")
    name = models.CharField(max_length=20, help_text="For example, 2026/27")
    starts_on = models.DateField("start date")
    ends_on = models.DateField("end date")

    objects = AcademicYearQuerySet.as_manager()

    class Meta:
        ordering = ["institution__name", "-starts_on"]
        constraints = [
            models.UniqueConstraint("institution", "name", name="academic_year_name_unique"),
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="academic_year_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.starts_on and self.ends_on:
            if self.ends_on <= self.starts_on:
                errors["ends_on"] = "End date must be after the start date"
            elif (self.ends_on - self.starts_on).days > 366:
                errors["ends_on"] = "An academic year must last no more than 366 days"
            elif self.institution_id:
                overlapping = (
                    AcademicYear.objects.filter(institution_id=self.institution_id)
                    .exclude(pk=self.pk)
                    .filter(starts_on__lte=self.ends_on, ends_on__gte=self.starts_on)
                    .first()
                )
                if overlapping:
                    errors["starts_on"] = f"The dates overlap academic year {overlapping.name}"
        if errors:
            raise ValidationError(errors)

    @property
    def is_current(self) -> bool:
        return self.starts_on <= timezone.localdate() <= self.ends_on


class Term(models.Model):
    class Name(models.TextChoices):
        AUTUMN = "autumn", "Autumn"
        SPRING = "spring", "Spring"
        SUMMER = "summer", "Summer"

    academic_year = models.ForeignKey(AcademicYear, on_delete=models.CASCADE, related_name="terms")
    number = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(3)])
    name = models.CharField(max_length=20, choices=Name.choices)
    starts_on = models.DateField("start date")
    ends_on = models.DateField("end date")

    class Meta:
        ordering = ["academic_year", "number"]
        constraints = [
            models.UniqueConstraint("academic_year", "number", name="term_number_unique"),
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="term_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_name_display()} {self.academic_year.name}"


class StaffMember(models.Model):
    """Anyone who teaches or supports learning, and everyone else the programme works with."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="staff")
    user = models.OneToOneField(User, on_delete=models.PROTECT, related_name="staff")
    staff_code = models.CharField(max_length=30)
    title = models.CharField(max_length=20, blank=True)
    forename = models.CharField(max_length=100)
    surname = models.CharField(max_length=100)
    email = models.EmailField()
    department = models.ForeignKey(
        Department, on_delete=models.SET_NULL, null=True, blank=True, related_name="staff"
    )
    job_title = models.CharField(max_length=200, blank=True)
    line_manager = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="reports"
    )
    fte = models.DecimalField(
        "FTE",
        max_digits=4,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
    )
    teaching_hours = models.DecimalField(
        "teaching hours a year",
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["surname", "forename"]
        constraints = [
            models.UniqueConstraint("institution", "staff_code", name="staff_code_unique"),
            models.UniqueConstraint(Lower("email"), name="staff_email_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("people:staff-detail", args=[self.pk])

    @property
    def full_name(self) -> str:
        return f"{self.forename} {self.surname}"

    def clean(self) -> None:
        if self.line_manager_id and self.line_manager_id == self.pk:
            raise ValidationError({"line_manager": "A member of staff cannot be their own line manager"})
        if (
            self.department is not None
            and self.institution_id
            and self.department.institution_id != self.institution_id
        ):
            raise ValidationError({"department": "Select a department of the same institution"})


class Role(models.TextChoices):
    """Roles held by assignment. Teacher (everyone), line manager (report line) and professional tutor
    (a caseload) follow from other records and are not assigned here."""

    HEAD_OF_DEPARTMENT = "head_of_department", "Head of department"
    PROGRAMME_LEAD = "programme_lead", "Programme lead"
    SAFEGUARDING_LEAD = "safeguarding_lead", "Designated safeguarding lead"
    ADMINISTRATOR = "administrator", "Administrator"
    COACHING_COORDINATOR = "coaching_coordinator", "Coaching coordinator"
    COVER_MANAGER = "cover_manager", "Cover manager"
    ITE_TUTOR = "ite_tutor", "Professional tutor for ITE and induction"


class RoleAssignmentQuerySet(models.QuerySet):
    def in_force(self, day: dt.date | None = None) -> RoleAssignmentQuerySet:
        """Assignments for every year, or for a year that contains `day` (today by default)."""
        day = day or timezone.localdate()
        return self.filter(
            Q(academic_year__isnull=True)
            | Q(academic_year__starts_on__lte=day, academic_year__ends_on__gte=day)
        )


class RoleAssignment(models.Model):
    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(max_length=40, choices=Role.choices)
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="role_assignments")
    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, null=True, blank=True, related_name="role_assignments"
    )
    academic_year = models.ForeignKey(
        AcademicYear,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        help_text="Leave empty for a role that holds every year.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["role", "institution__name"]
        constraints = [
            # Four partial constraints say "no duplicate assignment" where NULL department or year
            # would otherwise slip past a plain unique constraint (SQLite has no NULLS NOT DISTINCT).
            models.UniqueConstraint(
                "staff",
                "role",
                "institution",
                "department",
                "academic_year",
                condition=Q(department__isnull=False, academic_year__isnull=False),
                name="role_unique_department_year",
            ),
            models.UniqueConstraint(
                "staff",
                "role",
                "institution",
                "academic_year",
                condition=Q(department__isnull=True, academic_year__isnull=False),
                name="role_unique_year",
            ),
            models.UniqueConstraint(
                "staff",
                "role",
                "institution",
                "department",
                condition=Q(department__isnull=False, academic_year__isnull=True),
                name="role_unique_department",
            ),
            models.UniqueConstraint(
                "staff",
                "role",
                "institution",
                condition=Q(department__isnull=True, academic_year__isnull=True),
                name="role_unique_institution",
            ),
            models.CheckConstraint(
                condition=Q(role="head_of_department", department__isnull=False)
                | (~Q(role="head_of_department") & Q(department__isnull=True)),
                name="role_department_only_for_heads",
            ),
        ]

    def __str__(self) -> str:
        scope = self.department.name if self.department is not None else self.institution.name
        return f"{self.get_role_display()}, {scope}"

    def clean(self) -> None:
        if self.role == Role.HEAD_OF_DEPARTMENT and not self.department_id:
            raise ValidationError({"department": "Select the department this person leads"})
        if self.role != Role.HEAD_OF_DEPARTMENT and self.department_id:
            raise ValidationError({"department": "Only a head of department is assigned to a department"})


class Caseload(models.Model):
    """A professional tutor's year: the departments they serve and the hours remitted for it."""

    tutor = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="caseloads")
    academic_year = models.ForeignKey(AcademicYear, on_delete=models.CASCADE, related_name="caseloads")
    remitted_hours = models.DecimalField(
        max_digits=6, decimal_places=1, validators=[MinValueValidator(Decimal("0"))]
    )
    full_time_hours = models.DecimalField(
        "teaching caseload hours",
        max_digits=6,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("1"))],
        help_text="The tutor's teaching caseload before remission, for example 773.",
    )
    specialisms = models.CharField(
        max_length=300, blank=True, help_text="For example: mathematics and numeracy across curriculum areas."
    )
    departments = models.ManyToManyField(Department, through="CaseloadDepartment", related_name="caseloads")

    class Meta:
        ordering = ["academic_year", "tutor__surname"]
        constraints = [
            models.UniqueConstraint("tutor", "academic_year", name="caseload_one_per_tutor_year"),
            models.CheckConstraint(
                condition=Q(remitted_hours__lte=models.F("full_time_hours")),
                name="caseload_remission_within_hours",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tutor} {self.academic_year}"

    def get_absolute_url(self) -> str:
        return reverse("people:caseload-edit", args=[self.pk])

    def clean(self) -> None:
        if (
            self.remitted_hours is not None
            and self.full_time_hours is not None
            and self.remitted_hours > self.full_time_hours
        ):
            raise ValidationError(
                {
                    "remitted_hours": f"Remitted hours must be no more than the {self.full_time_hours} caseload hours"
                }
            )

    @property
    def remission_percent(self) -> Decimal:
        return (100 * self.remitted_hours / self.full_time_hours).quantize(Decimal("0.1"))


class CaseloadDepartment(models.Model):
    """One department in one tutor's caseload. A department has one tutor a year."""

    caseload = models.ForeignKey(Caseload, on_delete=models.CASCADE, related_name="caseload_departments")
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="caseload_links")
    academic_year = models.ForeignKey(AcademicYear, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint("department", "academic_year", name="department_one_tutor_a_year"),
        ]

    def __str__(self) -> str:
        return f"{self.department} in {self.caseload}"


class StaffImport(models.Model):
    """An uploaded MIS export: previewed as a dry run, then applied in one transaction or not at all."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", "Previewed"
        APPLIED = "applied", "Applied"
        FAILED = "failed", "Failed"

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="staff_imports")
    uploaded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    file_name = models.CharField(max_length=255)
    content = models.TextField(
        help_text="The decoded CSV text, kept so that the preview and the apply agree."
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PREVIEWED)
    summary = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("people:import-preview", args=[self.pk])


class SignInPolicy(models.Model):
    """How an institution's staff sign in: the roles that must use a second factor (an authenticator app
    or a passkey). With no policy saved, settings.PROTUTOR_MFA_REQUIRED_ROLES applies."""

    institution = models.OneToOneField(Institution, on_delete=models.CASCADE, related_name="sign_in_policy")
    mfa_required_roles = models.JSONField(default=list, blank=True)
    password_sign_in = models.BooleanField(
        default=True,
        help_text="Off: staff sign in only through single sign-on (administrators keep their password, so "
        "the institution is never locked out when the provider fails).",
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"Sign-in policy of {self.institution}"


class SsoProvider(models.Model):
    """A single sign-on provider an administrator set up for their institution. The OpenID Connect client
    itself is allauth's SocialApp (its secret encrypted with the app's keys); this says whose it is and
    which tenant or domain its identities must come from."""

    class Kind(models.TextChoices):
        ENTRA = "entra", "Microsoft Entra ID (Microsoft 365)"
        GOOGLE = "google", "Google Workspace"
        OIDC = "oidc", "Another OpenID Connect provider"
        SAML = "saml", "A SAML 2.0 identity provider (for example ADFS, Shibboleth or Okta)"

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="sso_providers")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    app = models.OneToOneField("socialaccount.SocialApp", on_delete=models.CASCADE, related_name="+")
    tenant = models.CharField(
        "tenant ID", max_length=100, blank=True, help_text="Microsoft Entra ID: the directory (tenant) ID."
    )
    domain = models.CharField(
        max_length=200,
        blank=True,
        help_text="Google Workspace: the organisation's domain, e.g. school.org.uk. SAML: if given, only "
        "addresses at this domain are accepted.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["institution__name", "kind"]

    def __str__(self) -> str:
        return self.app.name
