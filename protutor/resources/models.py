"""The library tutors signpost from: guides, research and materials."""

from django.db import models
from django.urls import reverse

from protutor.people.models import Institution, StaffMember


class Resource(models.Model):
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="resources")
    title = models.CharField(max_length=200)
    url = models.URLField("link", max_length=500, blank=True)
    description = models.TextField(blank=True)
    tags = models.CharField(max_length=300, blank=True, help_text="Separate tags with commas.")
    added_by = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("resources:resource-detail", args=[self.pk])

    @property
    def tag_list(self) -> list[str]:
        return [tag.strip() for tag in self.tags.split(",") if tag.strip()]
