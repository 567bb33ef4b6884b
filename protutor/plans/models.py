"""Support plans for staff in performance management (the case study's third role).

The plan is shared by the teacher, their line manager, the assigned tutor and the programme lead. What the
tutor holds in one-to-one support never joins it: there is no link from a plan to a support case.
History is kept with django-simple-history, so changes cannot be silently rewritten.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from protutor.core.crypto import EncryptedTextField
from protutor.people.models import Institution, StaffMember


class SupportPlan(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED_MET = "closed_met", "Closed: goals met"
        FORMAL = "formal", "Moved to the formal procedure"
        WITHDRAWN = "withdrawn", "Withdrawn"

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="+")
    teacher = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="support_plans")
    line_manager = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="plans_managed")
    opened_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    assigned_tutor = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="plans_supported"
    )
    concerns = EncryptedTextField()
    concern_standards = models.ManyToManyField("observations.Standard", blank=True, related_name="+")
    support_offered = EncryptedTextField(blank=True)
    starts_on = models.DateField(default=timezone.localdate)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    # The case study's exit rule: each of the three recorded separately.
    teacher_confident_on = models.DateField("teacher feels confident", null=True, blank=True)
    line_manager_satisfied_on = models.DateField("line manager satisfied", null=True, blank=True)
    improvement_evidenced_on = models.DateField("improvement shows in practice", null=True, blank=True)
    improvement_evidence = EncryptedTextField("evidence of improvement", blank=True)
    closed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(excluded_fields=["concerns", "support_offered", "improvement_evidence"])

    class Meta:
        ordering = ["-starts_on", "-pk"]
        indexes = [models.Index(fields=["institution", "status", "starts_on"])]

    def __str__(self) -> str:
        return f"Support plan {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("plans:plan-detail", args=[self.pk])

    @property
    def exit_conditions_met(self) -> bool:
        return bool(
            self.teacher_confident_on and self.line_manager_satisfied_on and self.improvement_evidenced_on
        )


class PlanGoal(models.Model):
    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="goals")
    goal = EncryptedTextField()
    success_criteria = EncryptedTextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"Goal {self.position} of plan {self.plan_id}"


class PlanReview(models.Model):
    class Outcome(models.TextChoices):
        CONTINUE = "continue", "Continue the plan"
        EXTENDED = "extended", "Extend the plan"
        CLOSED_MET = "closed_met", "Close: goals met"
        FORMAL = "formal", "Move to the formal procedure"

    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="reviews")
    due_on = models.DateField()
    held_on = models.DateField(null=True, blank=True)
    notes = EncryptedTextField(blank=True)
    teacher_comment = EncryptedTextField(blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    history = HistoricalRecords(excluded_fields=["notes", "teacher_comment"])

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"Review of plan {self.plan_id} due {self.due_on}"


class PlanSupportEntry(models.Model):
    """Support the assigned tutor gave, dated; its minutes count towards the tutor's remitted time."""

    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="support_entries")
    tutor = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="plan_support_entries")
    given_on = models.DateField()
    minutes = models.PositiveIntegerField()
    summary = EncryptedTextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-given_on", "-pk"]
        indexes = [models.Index(fields=["tutor", "given_on"])]

    def __str__(self) -> str:
        return f"Support on {self.given_on}"
