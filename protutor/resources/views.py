from django.contrib import messages
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from protutor.core.errors import ServiceError
from protutor.people.forms import add_service_error
from protutor.resources import services
from protutor.resources.forms import ResourceForm, ResourceSearchForm
from protutor.resources.permissions import can_add_resource, resources_readable_by


@require_http_methods(["GET"])
def resource_list(request):
    form = ResourceSearchForm(request.GET or None)
    resources = resources_readable_by(request.user)
    if form.is_valid() and form.cleaned_data["q"]:
        for word in form.cleaned_data["q"].split():
            resources = resources.filter(
                Q(title__icontains=word) | Q(description__icontains=word) | Q(tags__icontains=word)
            )
    return render(
        request,
        "resources/resource_list.html",
        {"form": form, "resources": list(resources[:200]), "can_add": can_add_resource(request.user)},
    )


@require_http_methods(["GET"])
def resource_detail(request, pk):
    resource = get_object_or_404(resources_readable_by(request.user).select_related("added_by"), pk=pk)
    return render(request, "resources/resource_detail.html", {"resource": resource})


@require_http_methods(["GET", "POST"])
def resource_create(request):
    if not can_add_resource(request.user):
        raise Http404
    form = ResourceForm(request.POST or None)
    if form.is_valid():
        try:
            resource = services.add_resource(actor=request.user, **form.cleaned_data)
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"{resource.title} added to the library")
            return redirect(resource)
    return render(request, "resources/resource_form.html", {"form": form})
