"""Impact evidence imported from the MIS and surveys, and the termly impact reports built from it.

Outcome and survey rows are aggregates already (a cohort, not a student); they reach a page only through
protutor.insights.figures, which applies small-number suppression (docs/adr/0011).
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse

from protutor.people.models import AcademicYear, Department, Institution, Term, User


class ImportStatus(models.TextChoices):
    PREVIEWED = "previewed", "Previewed"
    APPLIED = "applied", "Applied"
    FAILED = "failed", "Failed"


class OutcomeRecord(models.Model):
    """One course's (or department's) cohort in one year, for one group: starters, completers, achievers."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="+")
    academic_year = models.ForeignKey(AcademicYear, on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey(
        Department, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    course_code = models.CharField(max_length=50)
    course_name = models.CharField(max_length=200, blank=True)
    group_type = models.CharField(
        max_length=50, help_text='"all", "gender" or a group the institution chooses'
    )
    group_value = models.CharField(
        max_length=100, help_text='For example "female"; "all" for the whole cohort'
    )
    starters = models.PositiveIntegerField()
    completers = models.PositiveIntegerField()
    achieved = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "academic_year", "course_code", "group_type", "group_value"],
                name="insights_outcome_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(completers__lte=models.F("starters"))
                & models.Q(achieved__lte=models.F("completers")),
                name="insights_outcome_counts_nest",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course_code} {self.academic_year} {self.group_type}={self.group_value}"


class SurveyResult(models.Model):
    """One measure of a satisfaction survey for a department (or the whole institution) in one year."""

    class Kind(models.TextChoices):
        STUDENT = "student", "Student survey"
        STAFF = "staff", "Staff survey"

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="+")
    academic_year = models.ForeignKey(AcademicYear, on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey(
        Department, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    measure = models.CharField(max_length=200)
    respondents = models.PositiveIntegerField()
    agreeing = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "academic_year", "department", "kind", "measure"],
                condition=models.Q(department__isnull=False),
                name="insights_survey_unique_department",
            ),
            models.UniqueConstraint(
                fields=["institution", "academic_year", "kind", "measure"],
                condition=models.Q(department__isnull=True),
                name="insights_survey_unique_institution",
            ),
            models.CheckConstraint(
                condition=models.Q(agreeing__lte=models.F("respondents")), name="insights_survey_counts_nest"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.academic_year}: {self.measure}"


class _Import(models.Model):
    uploaded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    file_name = models.CharField(max_length=255)
    content = models.TextField(help_text="The decoded CSV text, kept so that the check and the apply agree.")
    status = models.CharField(max_length=20, choices=ImportStatus.choices, default=ImportStatus.PREVIEWED)
    summary = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"


class OutcomeImport(_Import):
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="outcome_imports")

    def get_absolute_url(self) -> str:
        return reverse("insights:outcome-import-preview", args=[self.pk])


class SurveyImport(_Import):
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="survey_imports")

    def get_absolute_url(self) -> str:
        return reverse("insights:survey-import-preview", args=[self.pk])


class ImpactReport(models.Model):
    """The termly impact report for governors and inspectors, built in the background as a PDF."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="impact_reports")
    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    built_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    pdf = models.BinaryField(blank=True, default=b"", editable=False)

    class Meta:
        ordering = ["-term__starts_on", "institution__name"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "term"], name="insights_report_one_per_term")
        ]

    def __str__(self) -> str:
        return f"Impact report {self.term} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("insights:report", args=[self.pk])
