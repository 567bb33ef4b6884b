"""Writes to the library: publish, revise (always a new version), retire, count an open, and share
collections. Each runs in one transaction with its audit entry; a file that cannot be stored (a full disk,
a read-only media folder) is a ServiceError on the file field and nothing is written."""

from __future__ import annotations

import logging
import secrets
import shutil
from collections.abc import Iterable
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from protutor.audit import services as audit
from protutor.core.errors import ServiceError
from protutor.people.models import Institution, StaffMember
from protutor.people.roles import actor_for
from protutor.resources.models import (
    Collection,
    CollectionLink,
    Resource,
    ResourceFormat,
    ResourceOpen,
    ResourceVersion,
    split_tags,
    version_file_path,
)
from protutor.resources.permissions import (
    can_edit_resource,
    can_manage_collection,
    can_publish_resource,
)
from protutor.resources.uploads import check_upload

logger = logging.getLogger(__name__)
NO_PERMISSION = "You do not have permission to do that."


def _store(version: ResourceVersion, upload) -> None:
    """Save the file under a random folder; the version records its name, kind and size."""
    try:
        kind = check_upload(upload)
    except ValidationError as error:
        raise ServiceError(error.messages[0], field="file") from None
    original = upload.name.rsplit("/", 1)[-1]
    path = version_file_path(version, original)
    try:
        stored = default_storage.save(path, upload)
    except OSError:
        logger.exception("Could not store a library file")
        _remove_partial(path)
        raise ServiceError(
            "The file could not be saved. Try again later, or tell your administrator that file storage is"
            " full or read-only",
            field="file",
        ) from None
    version.file.name = stored
    version.file_name = original[:200]
    version.content_type = kind.content_type
    version.file_size = upload.size


def _remove_partial(path: str) -> None:
    """A write that failed part-way (a full disk) leaves a partial file and its random folder: remove both,
    so nothing is left that no record points at."""
    folder = Path(default_storage.path(path)).parent
    try:
        shutil.rmtree(folder)
    except FileNotFoundError:
        pass
    except OSError:
        logger.exception("Could not remove a partly written library file")


def _save_version(version: ResourceVersion, upload) -> None:
    """Store the upload (if any) and save the version; a stored file is removed again if the save fails."""
    if upload is None:
        version.save()
        return
    _store(version, upload)
    try:
        version.save()
    except BaseException:
        default_storage.delete(str(version.file.name))
        raise


def _staff(actor) -> StaffMember:
    staff = actor_for(actor).staff
    if staff is None:
        raise ServiceError(NO_PERMISSION)
    return staff


def _clean(value: str) -> str:
    return (value or "").strip()


def _validate(*, title: str, url: str, format: str, upload, keep_file: bool) -> None:
    if not _clean(title):
        raise ServiceError("Enter a title", field="title")
    if format not in ResourceFormat.values:
        raise ServiceError("Select the kind of resource", field="format")
    if format == ResourceFormat.VIDEO and not url:
        raise ServiceError("Enter the link to the video", field="url")
    if not url and upload is None and not keep_file:
        raise ServiceError("Enter a link or choose a file", field="url")


@transaction.atomic
def publish_resource(
    *,
    actor,
    title: str,
    summary: str = "",
    body: str = "",
    url: str = "",
    format: str = ResourceFormat.GUIDE,
    audience: str = "",
    tags: str = "",
    standards: Iterable = (),
    departments: Iterable = (),
    file=None,
    change_note: str = "",
) -> Resource:
    """Add a resource to the actor's institution's library, as its version 1."""
    if not can_publish_resource(actor):
        raise ServiceError(NO_PERMISSION)
    _validate(title=title, url=url, format=format, upload=file, keep_file=False)
    staff = _staff(actor)
    departments = [d for d in departments if d.institution_id == staff.institution_id]
    resource = Resource.objects.create(
        institution=staff.institution,
        title=_clean(title),
        url=url,
        description=_clean(summary),
        tags=", ".join(split_tags(tags)),
        format=format,
        audience=_clean(audience),
        added_by=staff,
        updated_at=timezone.now(),
    )
    resource.standards.set(list(standards))
    resource.departments.set(departments)
    version = ResourceVersion(
        resource=resource,
        number=1,
        title=resource.title,
        summary=resource.description,
        body=_clean(body),
        url=url,
        change_note=_clean(change_note) or "First version",
        changed_by=staff,
    )
    _save_version(version, file)
    audit.record(actor=actor, action="resources.resource_published", target=resource)
    return resource


def add_resource(*, actor, title: str, url: str = "", description: str = "", tags: str = "") -> Resource:
    """The first library's call: a link with a description."""
    return publish_resource(actor=actor, title=title, url=url, summary=description, tags=tags)


def current_version(resource: Resource) -> ResourceVersion | None:
    return resource.versions.order_by("-number").first()


@transaction.atomic
def revise_resource(
    resource: Resource,
    *,
    actor,
    title: str,
    summary: str = "",
    body: str = "",
    url: str = "",
    format: str = ResourceFormat.GUIDE,
    audience: str = "",
    tags: str = "",
    standards: Iterable = (),
    departments: Iterable = (),
    file=None,
    remove_file: bool = False,
    change_note: str = "",
) -> ResourceVersion:
    """A new version: the old one, and its file, stay as they were. Without a new file the current one
    carries over (the same stored file), unless `remove_file`."""
    resource = Resource.objects.select_for_update(of=("self",)).get(pk=resource.pk)
    if not can_edit_resource(actor, resource):
        raise ServiceError(NO_PERMISSION)
    previous = current_version(resource)
    keep = previous is not None and bool(previous.file) and not remove_file
    _validate(title=title, url=url, format=format, upload=file, keep_file=keep)
    if not _clean(change_note):
        raise ServiceError("Enter what changed in this version", field="change_note")
    staff = _staff(actor)
    version = ResourceVersion(
        resource=resource,
        number=(previous.number if previous else 0) + 1,
        title=_clean(title),
        summary=_clean(summary),
        body=_clean(body),
        url=url,
        change_note=_clean(change_note),
        changed_by=staff,
    )
    if file is None and keep and previous is not None:
        version.file = previous.file.name
        version.file_name = previous.file_name
        version.content_type = previous.content_type
        version.file_size = previous.file_size
    _save_version(version, file)
    resource.title = version.title
    resource.description = version.summary
    resource.url = url
    resource.format = format
    resource.audience = _clean(audience)
    resource.tags = ", ".join(split_tags(tags))
    resource.updated_at = timezone.now()
    resource.save()
    resource.standards.set(list(standards))
    resource.departments.set([d for d in departments if d.institution_id == resource.institution_id])
    audit.record(actor=actor, action="resources.resource_revised", target=resource, version=version.number)
    return version


@transaction.atomic
def retire_resource(resource: Resource, *, actor) -> Resource:
    """Hide it from browsing and search; its page and files stay reachable from where it was used."""
    resource = Resource.objects.select_for_update(of=("self",)).get(pk=resource.pk)
    if not can_edit_resource(actor, resource):
        raise ServiceError(NO_PERMISSION)
    if resource.retired_at is not None:
        raise ServiceError("This resource is already retired")
    resource.retired_at = timezone.now()
    resource.save(update_fields=["retired_at"])
    audit.record(actor=actor, action="resources.resource_retired", target=resource)
    return resource


@transaction.atomic
def reinstate_resource(resource: Resource, *, actor) -> Resource:
    resource = Resource.objects.select_for_update(of=("self",)).get(pk=resource.pk)
    if not can_edit_resource(actor, resource):
        raise ServiceError(NO_PERMISSION)
    if resource.retired_at is None:
        raise ServiceError("This resource is not retired")
    resource.retired_at = None
    resource.save(update_fields=["retired_at"])
    audit.record(actor=actor, action="resources.resource_reinstated", target=resource)
    return resource


def record_open(resource: Resource) -> None:
    """Count one opening today: a number per resource and day, with no name on it."""
    today = timezone.localdate()
    if ResourceOpen.objects.filter(resource=resource, day=today).update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            ResourceOpen.objects.create(resource=resource, day=today, count=1)
    except IntegrityError:
        # Another request created today's row first.
        ResourceOpen.objects.filter(resource=resource, day=today).update(count=F("count") + 1)


def _shareable_institutions(institutions: Iterable, own_id: int) -> list[Institution]:
    return [i for i in institutions if i.pk != own_id]


@transaction.atomic
def save_collection(
    *,
    actor,
    title: str,
    description: str = "",
    resources: Iterable[Resource] = (),
    shared_with: Iterable[Institution] = (),
    collection: Collection | None = None,
) -> Collection:
    """Create a collection, or change one (its resources and the institutions it is shared with)."""
    if collection is None:
        if not can_publish_resource(actor):
            raise ServiceError(NO_PERMISSION)
        staff = _staff(actor)
        collection = Collection(institution_id=staff.institution_id, created_by=staff)
    else:
        collection = Collection.objects.select_for_update(of=("self",)).get(pk=collection.pk)
        if not can_manage_collection(actor, collection):
            raise ServiceError(NO_PERMISSION)
    if not _clean(title):
        raise ServiceError("Enter a title", field="title")
    own = [r for r in resources if r.institution_id == collection.institution_id]
    collection.title = _clean(title)
    collection.description = _clean(description)
    collection.save()
    collection.resources.set(own)
    collection.shared_with.set(_shareable_institutions(shared_with, collection.institution_id))
    audit.record(actor=actor, action="resources.collection_saved", target=collection)
    return collection


@transaction.atomic
def issue_collection_link(collection: Collection, *, actor, partner) -> CollectionLink:
    """A private, read-only link for a partner in the network."""
    if not can_manage_collection(actor, collection):
        raise ServiceError(NO_PERMISSION)
    if partner.institution_id != collection.institution_id:
        raise ServiceError("Select a partner in your network", field="partner")
    link = CollectionLink.objects.create(
        collection=collection,
        partner=partner,
        token=secrets.token_urlsafe(32),
        created_by=actor_for(actor).staff,
    )
    audit.record(actor=actor, action="resources.collection_link_issued", target=collection)
    return link


@transaction.atomic
def revoke_collection_link(link: CollectionLink, *, actor) -> CollectionLink:
    link = CollectionLink.objects.select_for_update(of=("self",)).select_related("collection").get(pk=link.pk)
    if not can_manage_collection(actor, link.collection):
        raise ServiceError(NO_PERMISSION)
    if link.revoked_at is not None:
        raise ServiceError("This link has already stopped working")
    link.revoked_at = timezone.now()
    link.save(update_fields=["revoked_at"])
    audit.record(actor=actor, action="resources.collection_link_revoked", target=link.collection)
    return link
