"""Confidential one-to-one support: referrals, cases, interactions, private notes, safeguarding concerns.

Free text is encrypted at rest (EncryptedTextField); what queries and aggregates need (dates, route,
formality, span, status, tags) stays in plain columns. Who may read what is written once, in
permissions.py.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone

from protutor.core.crypto import EncryptedTextField
from protutor.people.models import Department, Institution, StaffMember
from protutor.resources.models import Resource


class Route(models.TextChoices):
    SELF = "self", "Self-referral"
    LINE_MANAGER = "line_manager", "Encouraged by line manager"
    TUTOR = "tutor", "Tutor-initiated"


class Referral(models.Model):
    """A request for support. Its referrer (a line manager) may only ever know its status."""

    class Status(models.TextChoices):
        AWAITING_TEACHER = "awaiting_teacher", "Waiting for the teacher"
        DECLINED = "declined", "Declined by the teacher"
        RECEIVED = "received", "Received"
        ACCEPTED = "accepted", "Accepted"
        CLOSED = "closed", "Closed"

    teacher = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="referrals")
    route = models.CharField(max_length=20, choices=Route.choices)
    referred_by = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="referrals_made")
    preferred_tutor = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="referrals_preferring"
    )
    department = models.ForeignKey(
        Department, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = EncryptedTextField()
    availability = EncryptedTextField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices)
    created_at = models.DateTimeField(default=timezone.now)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "department"])]

    def __str__(self) -> str:
        return f"Referral {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("support:referral-detail", args=[self.pk])

    @property
    def status_for_referrer(self) -> str:
        """What the person who made the referral may know of it (DESIGN.md section 2): whether it is waiting
        for the teacher, was taken up (accepted), declined or closed; never who took it on, nor anything said.

        A line manager's suggestion is taken up when the teacher agrees, whether or not a tutor has taken
        it on yet: that wait is between the teacher and the tutors."""
        return _FOR_REFERRER[(self.route == Route.LINE_MANAGER, self.status)][0]

    @property
    def status_for_referrer_hint(self) -> str:
        """One sentence saying what `status_for_referrer` means, for the person who made the referral."""
        return _FOR_REFERRER[(self.route == Route.LINE_MANAGER, self.status)][1]


_S = Referral.Status
# (suggested by a line manager, status) -> what the referrer sees, and what it means.
_FOR_REFERRER: dict[tuple[bool, str], tuple[str, str]] = {
    (True, _S.AWAITING_TEACHER): (
        "Waiting for the teacher",
        "They have been told and have not decided yet.",
    ),
    (True, _S.RECEIVED): ("Accepted", "They chose to take up support."),
    (True, _S.ACCEPTED): ("Accepted", "They chose to take up support."),
    (True, _S.DECLINED): ("Declined", "They chose not to take it up."),
    (True, _S.CLOSED): ("Closed", "They took up support, and it has ended."),
    (False, _S.AWAITING_TEACHER): ("Received", "The request has been received."),
    (False, _S.RECEIVED): ("Received", "The request has been received."),
    (False, _S.ACCEPTED): ("Accepted", "A professional tutor has taken the request on."),
    (False, _S.DECLINED): ("Declined", "The request was declined."),
    (False, _S.CLOSED): ("Closed", "The support has ended."),
}


class SupportCase(models.Model):
    class Formality(models.TextChoices):
        FORMAL = "formal", "Formal"
        SEMI_FORMAL = "semi_formal", "Semi-formal"
        INFORMAL = "informal", "Informal"

    class Span(models.TextChoices):
        ONE_TOUCH = "one_touch", "One-touch"
        ONGOING = "ongoing", "Ongoing"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    class Outcome(models.TextChoices):
        GOALS_MET = "goals_met", "Goals met"
        SIGNPOSTED = "signposted", "Signposted elsewhere"
        TEACHER_ENDED = "teacher_ended", "Ended by the teacher"
        NO_LONGER_NEEDED = "no_longer_needed", "No longer needed"
        REFERRED_ON = "referred_on", "Referred to another service"

    teacher = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="support_cases")
    referral = models.OneToOneField(
        Referral, on_delete=models.SET_NULL, null=True, blank=True, related_name="case"
    )
    department = models.ForeignKey(
        Department, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="+")
    route = models.CharField(max_length=20, choices=Route.choices)
    formality = models.CharField(max_length=20, choices=Formality.choices, default=Formality.INFORMAL)
    span = models.CharField(max_length=20, choices=Span.choices, default=Span.ONGOING)
    focus_tags = models.CharField(
        "focus",
        max_length=300,
        blank=True,
        help_text="Separate areas of focus with commas, for example questioning, behaviour.",
    )
    teacher_agreed = models.BooleanField(default=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    outcome = models.CharField(max_length=30, choices=Outcome.choices, blank=True)
    closing_summary = EncryptedTextField(blank=True)
    opened_at = models.DateTimeField(default=timezone.now, db_index=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    tutors = models.ManyToManyField(StaffMember, through="CaseTutor", related_name="tutored_cases")

    class Meta:
        ordering = ["-opened_at", "-pk"]
        indexes = [models.Index(fields=["institution", "opened_at"])]

    def __str__(self) -> str:
        return f"Case {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("support:case-detail", args=[self.pk])

    @property
    def focus_list(self) -> list[str]:
        return [tag.strip() for tag in self.focus_tags.split(",") if tag.strip()]


class CaseTutor(models.Model):
    """A tutor holding a case. A handover ends one holding and starts another; history stays."""

    case = models.ForeignKey(SupportCase, on_delete=models.CASCADE, related_name="holdings")
    tutor = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="case_holdings")
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                "case", "tutor", condition=models.Q(ended_at__isnull=True), name="case_tutor_one_current"
            )
        ]

    def __str__(self) -> str:
        return f"{self.tutor} on case {self.case_id}"


class Interaction(models.Model):
    class Kind(models.TextChoices):
        CONVERSATION = "conversation", "Conversation"
        COACHING = "coaching", "Coaching session"
        OBSERVATION = "observation", "Developmental observation"
        FEEDBACK = "feedback", "Feedback"
        SIGNPOSTING = "signposting", "Signposting"
        EMAIL = "email", "Email"

    case = models.ForeignKey(SupportCase, on_delete=models.CASCADE, related_name="interactions")
    tutor = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="support_interactions")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    occurred_on = models.DateField("date")
    minutes = models.PositiveIntegerField("minutes spent")
    shared_notes = EncryptedTextField("notes shared with the teacher", blank=True)
    next_steps = EncryptedTextField("agreed next steps", blank=True)
    resources = models.ManyToManyField(Resource, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        indexes = [models.Index(fields=["tutor", "occurred_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.occurred_on}"


class PrivateNote(models.Model):
    """A tutor's own note on an interaction: readable by its author alone, never by the teacher."""

    interaction = models.ForeignKey(Interaction, on_delete=models.CASCADE, related_name="private_notes")
    author = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="+")
    text = EncryptedTextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Private note {self.pk}"


class SafeguardingConcern(models.Model):
    """Raised from a case; the safeguarding lead sees this text and the teacher's name, nothing of the case."""

    case = models.ForeignKey(SupportCase, on_delete=models.PROTECT, related_name="concerns")
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="+")
    teacher = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="+")
    raised_by = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="concerns_raised")
    text = EncryptedTextField("the concern")
    raised_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-raised_at", "-pk"]

    def __str__(self) -> str:
        return f"Safeguarding concern {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("support:concern-detail", args=[self.pk])
