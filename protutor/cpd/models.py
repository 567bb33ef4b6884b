"""Communities of practice. Development requests: what staff would like to develop, optionally anonymous."""

from django.db import models
from django.utils import timezone

from protutor.people.models import Department, StaffMember


class DevelopmentRequest(models.Model):
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="development_requests")
    requested_by = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="development_requests"
    )
    anonymous = models.BooleanField(default=False)
    topic = models.CharField(max_length=300)
    standards = models.ManyToManyField("observations.Standard", blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.topic


class CpdPolicy(models.Model):
    """How many bespoke sessions each department should have each term (the case study: at least two)."""

    institution = models.OneToOneField(
        "people.Institution", on_delete=models.CASCADE, related_name="cpd_policy"
    )
    sessions_per_term = models.PositiveSmallIntegerField(default=2)

    class Meta:
        verbose_name_plural = "CPD policies"

    def __str__(self) -> str:
        return f"CPD policy of {self.institution}"

    @classmethod
    def target_for(cls, institution_id: int) -> int:
        policy = cls.objects.filter(institution_id=institution_id).first()
        return policy.sessions_per_term if policy else 2


class Session(models.Model):
    """A bespoke community-of-practice session for one department, planned by its tutor and head."""

    class Format(models.TextChoices):
        TAKEAWAY = "takeaway", "10-minute takeaway"
        MEETING = "meeting", "30-minute meeting"
        WORKSHOP = "workshop", "Longer workshop"

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        DELIVERED = "delivered", "Delivered"
        CANCELLED = "cancelled", "Cancelled"

    uid = models.UUIDField(unique=True, editable=False)
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="cpd_sessions")
    term = models.ForeignKey("people.Term", on_delete=models.PROTECT, related_name="cpd_sessions")
    title = models.CharField(max_length=200)
    aims = models.TextField(blank=True)
    format = models.CharField(max_length=20, choices=Format.choices, default=Format.MEETING)
    length_minutes = models.PositiveIntegerField()
    starts_at = models.DateTimeField(db_index=True)
    room = models.CharField(max_length=100, blank=True)
    focus_standards = models.ManyToManyField("observations.Standard", blank=True, related_name="+")
    requests = models.ManyToManyField(DevelopmentRequest, blank=True, related_name="sessions")
    resources = models.ManyToManyField("resources.Resource", blank=True, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    sequence = models.PositiveIntegerField(
        default=0, help_text="Bumped on every change, for calendar clients."
    )
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies"
    )
    created_by = models.ForeignKey(StaffMember, on_delete=models.SET_NULL, null=True, related_name="+")
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancelled_reason = models.TextField(
        "reason for cancelling", blank=True, help_text="Shown to everyone invited."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["department", "term", "status"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("cpd:session-detail", args=[self.pk])

    @property
    def ends_at(self):
        import datetime as dt

        return self.starts_at + dt.timedelta(minutes=self.length_minutes)


class Attendance(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="cpd_attendance")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint("session", "staff", name="attendance_once")]

    def __str__(self) -> str:
        return f"{self.staff} at {self.session}"


class EvaluationResponse(models.Model):
    """An anonymous evaluation: no link to the person who gave it (their receipt is a separate row)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="evaluations")
    usefulness = models.PositiveSmallIntegerField()
    will_try = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Evaluation of {self.session}"


class EvaluationReceipt(models.Model):
    """That a person has evaluated a session, so they cannot do it twice; says nothing of what they said."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="evaluation_receipts")
    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint("session", "staff", name="evaluation_once")]

    def __str__(self) -> str:
        return f"{self.staff} evaluated {self.session}"


class CalendarToken(models.Model):
    """A private, revocable calendar feed address. Revoking deletes the row; a new one gets a new token."""

    user = models.OneToOneField("people.User", on_delete=models.CASCADE, related_name="calendar_token")
    token = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"
