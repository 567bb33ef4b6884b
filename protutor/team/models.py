"""The tutor team's own work: the weekly meeting with its actions, the partner network, yearly targets
and each tutor's own development."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone

from protutor.people.models import Caseload, Institution, StaffMember


class TeamMeeting(models.Model):
    """The weekly tutor meeting, chaired by the programme lead."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="team_meetings")
    held_on = models.DateField()
    minutes = models.TextField(blank=True)
    practice_seen = models.TextField(
        "the practice we saw this week", blank=True, help_text="Standing item. No staff names."
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-pk"]
        constraints = [models.UniqueConstraint("institution", "held_on", name="team_meeting_one_a_day")]

    def __str__(self) -> str:
        return f"Tutor meeting {self.held_on:%d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("team:meeting-detail", args=[self.pk])


class AgendaItem(models.Model):
    meeting = models.ForeignKey(TeamMeeting, on_delete=models.CASCADE, related_name="agenda")
    added_by = models.ForeignKey(StaffMember, on_delete=models.SET_NULL, null=True, related_name="+")
    title = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.title


class MeetingAction(models.Model):
    """An action from a meeting; it is carried forward to every later meeting until it is done."""

    meeting = models.ForeignKey(TeamMeeting, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(max_length=300)
    owner = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="team_actions")
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.description


class TutorTarget(models.Model):
    """A yearly target the programme lead sets a tutor; measurable ones are filled in from the app's data."""

    class Measure(models.TextChoices):
        SESSIONS = "sessions", "CPD sessions delivered in the caseload"
        SELF_REFERRALS = "self_referrals", "Self-referrals taken on"
        CASES = "cases", "One-to-one support cases"
        OBSERVATIONS = "observations", "Developmental observations made"
        NONE = "none", "Not measured by protutor"

    caseload = models.ForeignKey(Caseload, on_delete=models.CASCADE, related_name="targets")
    description = models.CharField(max_length=300)
    measure = models.CharField(max_length=20, choices=Measure.choices, default=Measure.NONE)
    target_value = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.description


class TargetReview(models.Model):
    class Kind(models.TextChoices):
        MID_YEAR = "mid_year", "Mid-year review"
        END_OF_YEAR = "end_of_year", "End-of-year review"

    caseload = models.ForeignKey(Caseload, on_delete=models.CASCADE, related_name="target_reviews")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    held_on = models.DateField()
    figures = models.JSONField(default=dict, help_text="The measured figures on the day of the review.")
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["held_on", "pk"]
        constraints = [models.UniqueConstraint("caseload", "kind", name="target_review_once_a_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.caseload}"


class OwnDevelopment(models.Model):
    class Kind(models.TextChoices):
        COURSE = "course", "Course or conference"
        READING = "reading", "Reading and research"
        QUALIFICATION = "qualification", "Qualification"
        VISIT = "visit", "Visit to another provider"

    tutor = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="own_development")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200)
    done_on = models.DateField()
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-done_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class Partner(models.Model):
    """An institution in the partner network (the case study's teaching school alliance)."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="partners")
    name = models.CharField(max_length=200)
    contacts = models.TextField(
        blank=True, help_text="Names, roles and email addresses of the partner's contacts."
    )

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint("institution", "name", name="partner_name_unique")]

    def __str__(self) -> str:
        return self.name


class PartnerMeeting(models.Model):
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="partner_meetings")
    held_on = models.DateField()
    partners = models.ManyToManyField(Partner, blank=True, related_name="meetings")
    agenda = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    resources = models.ManyToManyField("resources.Resource", blank=True, related_name="+")

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"Network meeting {self.held_on:%d %B %Y}"


class PartnerVisit(models.Model):
    class Direction(models.TextChoices):
        OUT = "out", "We visited them"
        IN = "in", "They visited us"

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="visits")
    direction = models.CharField(max_length=10, choices=Direction.choices)
    visited_on = models.DateField()
    purpose = models.CharField(max_length=300)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-visited_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_direction_display()}: {self.partner}"
