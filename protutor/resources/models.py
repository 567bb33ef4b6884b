"""The library tutors signpost from: guides, research summaries, session materials and short videos.

A resource keeps its current title, summary, link and tags in its own row (what lists and search read);
every change is also a numbered `ResourceVersion` that is never overwritten, so older versions and their
files stay listed and downloadable. Retiring hides a resource from browsing but keeps it reachable from
the sessions and cases that used it. docs/adr/0010-resource-library.md records the choices.
"""

import uuid

from django.db import models
from django.urls import reverse
from django.utils.text import get_valid_filename

from protutor.people.models import Department, Institution, StaffMember


class ResourceFormat(models.TextChoices):
    GUIDE = "guide", "Guide"
    RESEARCH = "research", "Research summary"
    SESSION = "session", "Session material"
    VIDEO = "video", "Short video (link)"
    OTHER = "other", "Other"


def split_tags(text: str) -> list[str]:
    """Tags as typed ("questioning, Feedback ,") to the stored list: trimmed, lower case, no repeats."""
    seen: list[str] = []
    for tag in text.split(","):
        tag = " ".join(tag.split()).lower()
        if tag and tag not in seen:
            seen.append(tag)
    return seen


class Resource(models.Model):
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="resources")
    title = models.CharField(max_length=200)
    url = models.URLField("link", max_length=500, blank=True)
    # The summary of the current version (the field kept its first name so existing rows and code work).
    description = models.TextField("summary", blank=True)
    tags = models.CharField(max_length=300, blank=True, help_text="Separate tags with commas.")
    format = models.CharField(max_length=20, choices=ResourceFormat.choices, default=ResourceFormat.GUIDE)
    audience = models.CharField(max_length=200, blank=True)
    standards = models.ManyToManyField("observations.Standard", blank=True, related_name="+")
    departments = models.ManyToManyField(Department, blank=True, related_name="+")
    added_by = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(null=True, blank=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["title", "pk"]
        indexes = [models.Index(fields=["institution", "retired_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("resources:resource-detail", args=[self.pk])

    @property
    def tag_list(self) -> list[str]:
        return split_tags(self.tags)

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None


def version_file_path(version: "ResourceVersion", filename: str) -> str:
    """resources/<random uuid>/<safe name>: not guessable, and never under a static route."""
    name = get_valid_filename(filename.rsplit("/", 1)[-1])[-100:] or "file"
    return f"resources/{uuid.uuid4().hex}/{name}"


class ResourceVersion(models.Model):
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)
    url = models.URLField("link", max_length=500, blank=True)
    file = models.FileField(upload_to=version_file_path, max_length=300, blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    file_size = models.PositiveBigIntegerField(null=True, blank=True)
    change_note = models.CharField(max_length=300, blank=True)
    changed_by = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["resource_id", "-number"]
        constraints = [models.UniqueConstraint("resource", "number", name="resource_version_number_unique")]

    def __str__(self) -> str:
        return f"{self.title} (version {self.number})"

    def get_download_url(self) -> str:
        return reverse("resources:version-download", args=[self.resource_id, self.number])


class ResourceOpen(models.Model):
    """How often a resource was opened on a day: a counter, with nobody's name on it."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="opens")
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint("resource", "day", name="resource_open_day_unique")]

    def __str__(self) -> str:
        return f"{self.resource_id} opened {self.count} times on {self.day}"


class Collection(models.Model):
    """A set of resources to share: with other institutions in this installation, or with a partner in
    the network through a private link."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="collections")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    resources = models.ManyToManyField(Resource, blank=True, related_name="collections")
    shared_with = models.ManyToManyField(Institution, blank=True, related_name="+")
    created_by = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("resources:collection-detail", args=[self.pk])


class CollectionLink(models.Model):
    """A read-only link for a partner organisation (no accounts). The token is the credential;
    revoking keeps the row, so the collection's page can say when it stopped working."""

    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="links")
    partner = models.ForeignKey("team.Partner", on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Link to {self.collection_id} for {self.partner_id}"

    def get_absolute_url(self) -> str:
        return reverse("resources:shared-collection", args=[self.pk, self.token])
