"""The coaching programme: trained volunteer coaches, opt-in coachees, pairings, sessions in protected
time with cover, and private journals. No session content is stored; a journal is its writer's alone."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone

from protutor.core.crypto import EncryptedTextField
from protutor.people.models import Institution, StaffMember


class Agreement(models.Model):
    """The programme's standard operating procedures; each published version must be accepted anew."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="coaching_agreements")
    version = models.PositiveIntegerField()
    text = models.TextField()
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-version"]
        constraints = [models.UniqueConstraint("institution", "version", name="agreement_version_unique")]

    def __str__(self) -> str:
        return f"Coaching agreement, version {self.version}"


class AgreementAcceptance(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="acceptances")
    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="coaching_acceptances")
    accepted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint("agreement", "staff", name="agreement_accepted_once")]

    def __str__(self) -> str:
        return f"{self.staff} accepted {self.agreement}"


class Cohort(models.Model):
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="coaching_cohorts")
    name = models.CharField(max_length=100)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint("institution", "name", name="cohort_name_unique")]

    def __str__(self) -> str:
        return self.name


class Coach(models.Model):
    """A volunteer coach. Trained once the initial day and both follow-up one-to-ones are done."""

    staff = models.OneToOneField(StaffMember, on_delete=models.CASCADE, related_name="coach")
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="coaches")
    strengths = models.CharField(
        max_length=300, blank=True, help_text="Areas you could coach on, separated by commas."
    )
    free_periods = models.JSONField(default=list, help_text="[[weekday, period], ...]")
    capacity = models.PositiveSmallIntegerField(default=2)
    ready_for_ect = models.BooleanField("ready to coach early-career teachers", default=False)
    training_day_on = models.DateField(null=True, blank=True)
    first_follow_up_on = models.DateField(null=True, blank=True)
    second_follow_up_on = models.DateField(null=True, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["staff__surname"]

    def __str__(self) -> str:
        return f"Coach {self.staff}"

    @property
    def is_trained(self) -> bool:
        return bool(self.training_day_on and self.first_follow_up_on and self.second_follow_up_on)

    @property
    def next_step(self) -> str:
        if not self.training_day_on:
            return "Initial training day"
        if not self.first_follow_up_on:
            return "First follow-up one-to-one"
        if not self.second_follow_up_on:
            return "Second follow-up one-to-one"
        return "Trained"


class CoacheeSignup(models.Model):
    """A member of staff who has chosen to be coached."""

    staff = models.OneToOneField(StaffMember, on_delete=models.CASCADE, related_name="coachee_signup")
    focus = models.CharField(max_length=300, help_text="What you would like to work on, separated by commas.")
    free_periods = models.JSONField(default=list)
    outside_department = models.BooleanField("a coach from outside my department", default=False)
    is_ect = models.BooleanField("I am an early-career teacher", default=False)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Coachee {self.staff}"


class Pairing(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        CONFIRMED = "confirmed", "Confirmed"
        ENDED = "ended", "Ended"

    coach = models.ForeignKey(Coach, on_delete=models.CASCADE, related_name="pairings")
    coachee = models.ForeignKey(CoacheeSignup, on_delete=models.CASCADE, related_name="pairings")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PROPOSED)
    score = models.IntegerField(default=0)
    reasons = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "pk"]

    def __str__(self) -> str:
        return f"Pairing {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("coaching:pairing-detail", args=[self.pk])


class CoachingSession(models.Model):
    """When a pair meets, in school time. Its content is never recorded."""

    pairing = models.ForeignKey(Pairing, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField()
    length_minutes = models.PositiveIntegerField(default=50)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return f"Session {self.pk}"


class CoverRequest(models.Model):
    """Cover for a member of staff's lesson. The reason is "Professional development", never "coaching"."""

    REASON = "Professional development"

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="cover_requests")
    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="cover_requests")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    reason = models.CharField(max_length=100, default=REASON)
    coaching_session = models.ForeignKey(
        CoachingSession, on_delete=models.CASCADE, related_name="cover_requests"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return f"Cover for {self.staff}"


class JournalEntry(models.Model):
    """A private reflection: readable by its writer alone."""

    author = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="coaching_journal")
    text = EncryptedTextField()
    written_on = models.DateField(default=timezone.localdate)

    class Meta:
        ordering = ["-written_on", "-pk"]

    def __str__(self) -> str:
        return f"Journal entry {self.pk}"


class MatchingRun(models.Model):
    """The coordinator's last request for proposed pairs: who was left unmatched, and why."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="coaching_runs")
    created_at = models.DateTimeField(default=timezone.now)
    total_score = models.IntegerField(default=0)
    optimal = models.BooleanField(default=False)
    unmatched = models.JSONField(default=dict, help_text="{coachee signup id: reason}")
    pinned = models.JSONField(default=list)
    forbidden = models.JSONField(default=list)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Matching run {self.pk}"


class SurveyResponse(models.Model):
    """A termly anonymous evaluation: what people thought, found and now do differently. No link to who
    answered (the receipt is a separate row), and nothing about what was said in sessions."""

    class Side(models.TextChoices):
        COACH = "coach", "Coach"
        COACHEE = "coachee", "Coachee"

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="+")
    term = models.ForeignKey("people.Term", on_delete=models.CASCADE, related_name="+")
    side = models.CharField(max_length=10, choices=Side.choices)
    rating = models.PositiveSmallIntegerField()
    thought = models.TextField(blank=True)
    found = models.TextField(blank=True)
    do_differently = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Survey response {self.pk}"


class SurveyReceipt(models.Model):
    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="+")
    term = models.ForeignKey("people.Term", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint("staff", "term", name="coaching_survey_once_a_term")]

    def __str__(self) -> str:
        return f"{self.staff} answered in {self.term}"
