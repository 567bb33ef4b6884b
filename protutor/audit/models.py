"""What was done, by whom, to what: written in the same transaction as the change it records.

Entries name the action and the record, never confidential text.
"""

from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=100)
    target_type = models.CharField(max_length=100, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.action} {self.target_type}:{self.target_id}"


class AccessRecordQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The access log cannot be changed")

    def delete(self):
        raise PermissionError("The access log cannot be deleted through the app")


class AccessRecord(models.Model):
    """One read of confidential content: who, whose record, which record, when and why.

    Rows are only ever added; the app offers no way to change or delete one.
    """

    class Reason(models.TextChoices):
        VIEW = "view", "Viewed"
        EXPORT = "export", "Exported"
        SAFEGUARDING = "safeguarding", "Safeguarding"

    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reader_name = models.CharField(max_length=200)
    subject = models.ForeignKey("people.StaffMember", on_delete=models.CASCADE, related_name="access_records")
    record_type = models.CharField(max_length=100)
    record_id = models.CharField(max_length=64)
    reason = models.CharField(max_length=20, choices=Reason.choices)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = AccessRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.reader_name} {self.reason} {self.record_type} {self.record_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The access log cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The access log cannot be deleted through the app")
