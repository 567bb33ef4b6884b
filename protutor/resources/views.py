import secrets
from urllib.parse import urlencode

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from protutor.core.errors import ServiceError
from protutor.core.exports import file_response
from protutor.observations.permissions import standards_in_use_for
from protutor.people.forms import add_service_error
from protutor.people.models import Department, Institution
from protutor.people.roles import actor_for
from protutor.resources import queries, services
from protutor.resources.forms import (
    CollectionForm,
    CollectionLinkForm,
    ResourceForm,
    ResourceSearchForm,
    ReviseResourceForm,
)
from protutor.resources.models import CollectionLink, Resource, ResourceVersion
from protutor.resources.permissions import (
    can_edit_resource,
    can_manage_collection,
    can_publish_resource,
    collection_links_readable_by,
    collections_readable_by,
    resources_readable_by,
    resources_signposted_to,
    sees_usage_ranking,
    versions_readable_by,
)
from protutor.resources.search import search

PAGE_SIZE = 20


def _institution_id(request):
    staff = actor_for(request.user).staff
    return staff.institution_id if staff else None


def _standards(request):
    institution = _institution_id(request)
    if institution is None:
        return standards_in_use_for(0).none()
    return standards_in_use_for(institution).filter(parent__isnull=True).select_related("framework")


def _departments(request):
    return Department.objects.filter(institution=_institution_id(request))


def _tag_filter(tag: str) -> Q:
    """Tags are stored as "a, b, c": match one whole tag, not a part of another."""
    tag = " ".join(tag.split()).lower()
    return (
        Q(tags__iexact=tag)
        | Q(tags__istartswith=f"{tag},")
        | Q(tags__iendswith=f", {tag}")
        | Q(tags__icontains=f", {tag},")
    )


@require_GET
def resource_list(request):
    """Browse and search: ranked full-text search with filters; retired resources only when asked."""
    form = ResourceSearchForm(
        request.GET or None, standards=_standards(request), departments=_departments(request)
    )
    resources = resources_readable_by(request.user)
    query = ""
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if not data["retired"]:
            resources = resources.filter(retired_at__isnull=True)
        if data["format"]:
            resources = resources.filter(format=data["format"])
        if data["standard"]:
            resources = resources.filter(standards=data["standard"])
        if data["department"]:
            resources = resources.filter(departments=data["department"])
        if data["tag"].strip():
            resources = resources.filter(_tag_filter(data["tag"]))
        resources = search(resources, data["q"])
        query = urlencode([(k, v) for k, v in request.GET.items() if k != "page" and v])
    elif form.is_bound:
        resources = resources.none()
    else:
        resources = resources.filter(retired_at__isnull=True)
    page = Paginator(resources.select_related("institution"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "resources/resource_list.html",
        {
            "form": form,
            "page_obj": page,
            "resources": list(page.object_list),
            "query": query,
            "own_institution": _institution_id(request),
            "searching": form.is_bound,
            "can_add": can_publish_resource(request.user),
            "sees_ranking": sees_usage_ranking(request.user),
            "page_has_errors": form.is_bound and not form.is_valid(),
        },
    )


def _readable_resource(request, pk) -> Resource:
    return get_object_or_404(
        queries.with_usage(resources_readable_by(request.user))
        .select_related("institution", "added_by")
        .prefetch_related("standards__framework", "departments"),
        pk=pk,
    )


@require_GET
def resource_detail(request, pk):
    resource = _readable_resource(request, pk)
    services.record_open(resource)
    resource.opened += 1  # this visit, counted after the usage was read
    versions = list(resource.versions.select_related("changed_by"))
    return render(
        request,
        "resources/resource_detail.html",
        {
            "resource": resource,
            "current": versions[0] if versions else None,
            "older": versions[1:],
            "usage": queries.usage_of(resource),
            "can_edit": can_edit_resource(request.user, resource),
        },
    )


def _resource_form(request, form_class, **kwargs):
    return form_class(
        request.POST or None,
        request.FILES or None,
        standards=_standards(request),
        departments=_departments(request),
        **kwargs,
    )


@require_http_methods(["GET", "POST"])
def resource_create(request):
    if not can_publish_resource(request.user):
        raise Http404
    form = _resource_form(request, ResourceForm, initial={"format": "guide"})
    if form.is_valid():
        try:
            resource = services.publish_resource(actor=request.user, **form.cleaned_data)
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"{resource.title} published in the library")
            return redirect(resource)
    return render(request, "resources/resource_form.html", {"form": form, "resource": None})


@require_http_methods(["GET", "POST"])
def resource_edit(request, pk):
    resource = get_object_or_404(resources_readable_by(request.user), pk=pk)
    if not can_edit_resource(request.user, resource):
        raise Http404
    current = services.current_version(resource)
    form = _resource_form(
        request,
        ReviseResourceForm,
        has_file=bool(current and current.file),
        initial=ReviseResourceForm.initial_for(resource, current),
    )
    if form.is_valid():
        try:
            version = services.revise_resource(resource, actor=request.user, **form.cleaned_data)
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Version {version.number} saved; earlier versions are still listed")
            return redirect(resource)
    return render(
        request, "resources/resource_form.html", {"form": form, "resource": resource, "current": current}
    )


@require_POST
def resource_retire(request, pk):
    resource = get_object_or_404(resources_readable_by(request.user), pk=pk)
    if not can_edit_resource(request.user, resource):
        raise Http404
    try:
        if resource.retired_at is None:
            services.retire_resource(resource, actor=request.user)
            messages.success(request, "Resource retired: it no longer shows when browsing, but still opens")
        else:
            services.reinstate_resource(resource, actor=request.user)
            messages.success(request, "Resource back in the library")
    except ServiceError as error:
        messages.error(request, error.message)
    return redirect(resource)


def _file_response(version: ResourceVersion) -> FileResponse:
    if not version.file:
        raise Http404
    try:
        handle = default_storage.open(str(version.file.name), "rb")
    except FileNotFoundError:
        raise Http404 from None
    # Always saved, never shown: a file can be a PDF and an HTML page at once (core.exports.attachment).
    return file_response(
        handle, filename=version.file_name, content_type=version.content_type or "application/octet-stream"
    )


@require_GET
def version_download(request, pk, number):
    version = get_object_or_404(
        versions_readable_by(request.user).select_related("resource"), resource_id=pk, number=number
    )
    services.record_open(version.resource)
    return _file_response(version)


@require_GET
def signposted(request):
    """What the signed-in person's tutors signposted to them: the resource and the date, nothing of the case."""
    return render(
        request,
        "resources/signposted.html",
        {"resources": list(resources_signposted_to(request.user).select_related("institution")[:200])},
    )


@require_GET
def most_used(request):
    if not sees_usage_ranking(request.user):
        raise Http404
    own = resources_readable_by(request.user).filter(institution=_institution_id(request))
    ranked = list(queries.ranked_by_use(own)[:25])
    return render(
        request,
        "resources/most_used.html",
        {"rows": [(resource, queries.usage_of(resource)) for resource in ranked]},
    )


@require_GET
def collection_list(request):
    collections = collections_readable_by(request.user).select_related("institution")
    return render(
        request,
        "resources/collection_list.html",
        {"collections": list(collections[:200]), "can_add": can_publish_resource(request.user)},
    )


def _collection_form(request, collection=None):
    own = _institution_id(request)
    initial = None
    if collection is not None:
        initial = {
            "title": collection.title,
            "description": collection.description,
            "resources": [r.pk for r in collection.resources.all()],
            "shared_with": [i.pk for i in collection.shared_with.all()],
        }
    return CollectionForm(
        request.POST or None,
        initial=initial,
        resources=resources_readable_by(request.user).filter(institution=own),
        institutions=Institution.objects.exclude(pk=own),
    )


def _save_collection(request, form, collection=None):
    try:
        saved = services.save_collection(
            actor=request.user,
            collection=collection,
            title=form.cleaned_data["title"],
            description=form.cleaned_data["description"],
            resources=form.cleaned_data["resources"],
            shared_with=form.cleaned_data.get("shared_with", []),
        )
    except ServiceError as error:
        add_service_error(form, error)
        return None
    messages.success(request, f"Collection {saved.title} saved")
    return redirect(saved)


@require_http_methods(["GET", "POST"])
def collection_create(request):
    if not can_publish_resource(request.user):
        raise Http404
    form = _collection_form(request)
    if form.is_valid() and (response := _save_collection(request, form)):
        return response
    return render(request, "resources/collection_form.html", {"form": form, "collection": None})


@require_http_methods(["GET", "POST"])
def collection_edit(request, pk):
    collection = get_object_or_404(collections_readable_by(request.user), pk=pk)
    if not can_manage_collection(request.user, collection):
        raise Http404
    form = _collection_form(request, collection)
    if form.is_valid() and (response := _save_collection(request, form, collection)):
        return response
    return render(request, "resources/collection_form.html", {"form": form, "collection": collection})


def _partners(request):
    from protutor.team.permissions import partners_readable_by

    return partners_readable_by(request.user).filter(institution=_institution_id(request))


@require_GET
def collection_detail(request, pk):
    collection = get_object_or_404(collections_readable_by(request.user).select_related("institution"), pk=pk)
    manages = can_manage_collection(request.user, collection)
    resources = resources_readable_by(request.user).filter(collections=collection)
    links = []
    if manages:
        links = [
            (link, request.build_absolute_uri(link.get_absolute_url()))
            for link in collection_links_readable_by(request.user)
            .filter(collection=collection)
            .select_related("partner")
        ]
    return render(
        request,
        "resources/collection_detail.html",
        {
            "collection": collection,
            "resources": list(resources),
            "shared_with": list(collection.shared_with.all()) if manages else [],
            "manages": manages,
            "links": links,
            "link_form": CollectionLinkForm(partners=_partners(request)) if manages else None,
        },
    )


@require_POST
def collection_link_create(request, pk):
    collection = get_object_or_404(collections_readable_by(request.user), pk=pk)
    if not can_manage_collection(request.user, collection):
        raise Http404
    form = CollectionLinkForm(request.POST, partners=_partners(request))
    if form.is_valid():
        try:
            link = services.issue_collection_link(
                collection, actor=request.user, partner=form.cleaned_data["partner"]
            )
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"Link for {link.partner.name} ready: copy it from the list below")
    else:
        messages.error(request, "Select a partner")
    return redirect(collection)


@require_POST
def collection_link_revoke(request, pk, link_pk):
    link = get_object_or_404(
        collection_links_readable_by(request.user).select_related("collection", "partner"),
        pk=link_pk,
        collection_id=pk,
    )
    try:
        services.revoke_collection_link(link, actor=request.user)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"The link for {link.partner.name} no longer works")
    return redirect(link.collection)


def _shared_link(request, pk, token) -> CollectionLink:
    """The token is the credential, compared in constant time; wrong, revoked or unknown is a 404."""
    link = CollectionLink.objects.filter(pk=pk).select_related("collection__institution", "partner").first()
    if link is None or link.revoked_at is not None or not secrets.compare_digest(link.token, token):
        raise Http404
    return link


def _shared_versions(link: CollectionLink):
    """The current version of each live resource in the collection."""
    resources = (
        link.collection.resources.filter(retired_at__isnull=True)
        .order_by("title", "pk")
        .prefetch_related(Prefetch("versions", queryset=ResourceVersion.objects.order_by("-number")))
    )
    return [(resource, next(iter(resource.versions.all()), None)) for resource in resources]


@login_not_required
@require_GET
def shared_collection(request, pk, token):
    if limited := ratelimit.consume_or_429(request, action="token_feed", key=f"resources-shared:{pk}"):
        return limited
    link = _shared_link(request, pk, token)
    response = render(
        request,
        "resources/shared_collection.html",
        {"link": link, "collection": link.collection, "items": _shared_versions(link), "token": token},
    )
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


@login_not_required
@require_GET
def shared_file(request, pk, token, version_pk):
    if limited := ratelimit.consume_or_429(request, action="token_feed", key=f"resources-shared:{pk}"):
        return limited
    link = _shared_link(request, pk, token)
    current = {version.pk: version for _, version in _shared_versions(link) if version is not None}
    version = current.get(version_pk)
    if version is None:
        raise Http404
    services.record_open(version.resource)
    return _file_response(version)
