from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from protutor.core.errors import ServiceError
from protutor.cpd import services
from protutor.cpd.forms import DevelopmentRequestForm
from protutor.cpd.permissions import development_requests_readable_by
from protutor.observations.permissions import standards_in_use_for
from protutor.people.forms import add_service_error
from protutor.people.roles import actor_for


@require_http_methods(["GET", "POST"])
def request_development(request):
    """Anyone says what they would like to develop; their department's CPD is planned from it."""
    staff = actor_for(request.user).staff
    standards = standards_in_use_for(staff.institution_id).select_related("framework") if staff else []
    form = DevelopmentRequestForm(request.POST or None, standards=standards)
    if form.is_valid():
        try:
            services.request_development(actor=request.user, **form.cleaned_data)
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                "Thank you. Your head of department and tutor will plan sessions from requests like yours.",
            )
            return redirect("cpd:request-development")
    mine = development_requests_readable_by(request.user).filter(requested_by__user=request.user)
    return render(request, "cpd/request_development.html", {"form": form, "mine": list(mine[:50])})
