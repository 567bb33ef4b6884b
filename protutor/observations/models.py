"""Standards frameworks, observations and their feedback.

Visibility (DESIGN.md section 2, permissions.py): a developmental observation belongs to its observer and
observee (and the tutor the observee shares it with); formal observations, learning walks and drop-ins
are also visible to the observee's line manager, head of department and the programme lead.
"""

from __future__ import annotations

from typing import ClassVar, NotRequired, TypedDict

from django.db import models
from django.urls import reverse
from django.utils import timezone

from protutor.core.crypto import EncryptedTextField
from protutor.people.models import Department, Institution, StaffMember


class Framework(models.Model):
    """A set of standards: shipped (the Teachers' Standards, the ETF standards) or an institution's own."""

    code = models.CharField(max_length=20)
    name = models.CharField(max_length=200)
    version = models.CharField(max_length=50, blank=True)
    description = models.TextField(blank=True)
    institution = models.ForeignKey(
        Institution,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="own_frameworks",
        help_text="Empty for the frameworks protutor ships.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["institution_id", "name"]
        constraints = [
            models.UniqueConstraint(
                "code",
                "version",
                condition=models.Q(institution__isnull=True),
                name="framework_builtin_unique",
            ),
            models.UniqueConstraint("institution", "code", name="framework_code_unique_in_institution"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.version})" if self.version else self.name

    def get_absolute_url(self) -> str:
        return reverse("observations:framework-detail", args=[self.pk])

    @property
    def is_builtin(self) -> bool:
        return self.institution_id is None


class Standard(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="standards")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    number = models.CharField(max_length=20)
    heading = models.CharField(max_length=300)
    group = models.CharField(max_length=200, blank=True)
    position = models.PositiveIntegerField(default=0)
    may_not_apply = models.BooleanField(default=False)

    class Meta:
        ordering = ["framework_id", "position"]
        constraints = [models.UniqueConstraint("framework", "number", name="standard_number_unique")]

    def __str__(self) -> str:
        return f"{self.framework.code} {self.number}: {self.heading}"

    @property
    def label(self) -> str:
        return f"{self.framework.code} {self.number}"


class InstitutionFramework(models.Model):
    """A framework an institution uses for its observations."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="framework_choices")
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint("institution", "framework", name="institution_framework_unique")
        ]

    def __str__(self) -> str:
        return f"{self.institution} uses {self.framework}"


class OutcomeOption(TypedDict):
    """One outcome of a graded formal observation, as kept in ObservationPolicy.outcomes."""

    code: str
    label: str
    effective: NotRequired[bool]


class ObservationPolicy(models.Model):
    """How an institution grades formal observations. Grading can be switched off (Ofsted stopped grading
    lessons in 2014; many schools followed)."""

    DEFAULT_OUTCOMES: ClassVar[list[OutcomeOption]] = [
        {"code": "effective", "label": "Effective", "effective": True},
        {"code": "not_yet_effective", "label": "Not yet effective", "effective": False},
    ]

    institution = models.OneToOneField(
        Institution, on_delete=models.CASCADE, related_name="observation_policy"
    )
    grading_enabled = models.BooleanField(default=True)
    outcomes = models.JSONField(default=list)

    class Meta:
        verbose_name_plural = "observation policies"

    def __str__(self) -> str:
        return f"Observation policy of {self.institution}"

    @classmethod
    def for_institution(cls, institution_id: int) -> ObservationPolicy:
        policy = cls.objects.filter(institution_id=institution_id).first()
        return policy or cls(
            institution_id=institution_id, grading_enabled=True, outcomes=cls.DEFAULT_OUTCOMES
        )

    @property
    def outcome_choices(self) -> list[tuple[str, str]]:
        return [(o["code"], o["label"]) for o in self.outcomes or self.DEFAULT_OUTCOMES]

    @property
    def effective_codes(self) -> set[str]:
        return {o["code"] for o in self.outcomes or self.DEFAULT_OUTCOMES if o.get("effective")}


class Observation(models.Model):
    class Kind(models.TextChoices):
        DEVELOPMENTAL = "developmental", "Developmental peer observation"
        FORMAL = "formal", "Formal observation"
        LEARNING_WALK = "learning_walk", "Learning walk"
        DROP_IN = "drop_in", "Drop-in"
        TRAINING = "training", "Lesson observation of a trainee or early-career teacher"

    FORMAL_KINDS = (Kind.FORMAL, Kind.LEARNING_WALK, Kind.DROP_IN)

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SHARED = "shared", "Shared with the observee"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    observer = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="observations_made")
    observee = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="observations")
    department = models.ForeignKey(
        Department, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    observed_on = models.DateField("date", db_index=True)
    group_name = models.CharField("class or group", max_length=100, blank=True)
    length_minutes = models.PositiveIntegerField("length in minutes")
    focus_standards = models.ManyToManyField(Standard, blank=True, related_name="+", verbose_name="focus")
    outcome = models.CharField(max_length=40, blank=True)
    feedback_on = models.DateField("feedback conversation date", null=True, blank=True)
    agreed_actions = EncryptedTextField(blank=True)
    observee_response = EncryptedTextField("response", blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    shared_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    shared_with_tutor = models.ForeignKey(
        StaffMember,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="observations_shared_with_me",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-observed_on", "-pk"]
        indexes = [
            models.Index(fields=["institution", "kind", "observed_on"]),
            models.Index(fields=["department", "observed_on"]),
            models.Index(fields=["observee", "observed_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {self.observed_on}"

    def get_absolute_url(self) -> str:
        return reverse("observations:observation-detail", args=[self.pk])

    @property
    def is_formal(self) -> bool:
        return self.kind in self.FORMAL_KINDS


class ObservationPoint(models.Model):
    class Kind(models.TextChoices):
        STRENGTH = "strength", "Strength"
        DEVELOPMENT = "development", "Development point"

    observation = models.ForeignKey(Observation, on_delete=models.CASCADE, related_name="points")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = EncryptedTextField()
    standards = models.ManyToManyField(Standard, blank=True, related_name="points")

    class Meta:
        ordering = ["kind", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on observation {self.observation_id}"
