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
