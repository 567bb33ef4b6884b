"""Core records that belong to no domain area."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from protutor.core.crypto import EncryptedTextField


class Notification(models.Model):
    """One update for one person. The email about it says only that there is an update and carries an
    opaque link (`token`); what happened (`message`) and where (`path`) are shown only after sign-in,
    to the recipient alone (DESIGN.md section 7)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64, unique=True)
    message = EncryptedTextField()
    path = EncryptedTextField()
    created_at = models.DateTimeField(default=timezone.now)
    opened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Update {self.pk}"
