from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from protutor.people import permissions as people_permissions
from protutor.people.models import AcademicYear
from protutor.people.roles import actor_for
from protutor.team.remission import balance_for, balances_for


@require_GET
def remission(request):
    """A tutor's own time against remission; the programme lead sees every tutor, over or under."""
    actor = actor_for(request.user)
    today = timezone.localdate()
    caseloads = (
        people_permissions.caseloads_readable_by(request.user)
        .filter(academic_year__in=AcademicYear.objects.containing(today))
        .select_related("tutor", "academic_year")
        .order_by("tutor__surname")
    )
    if not caseloads.exists():
        raise Http404
    balances = []
    for year_id in sorted({c.academic_year_id for c in caseloads}):
        balances += balances_for([c for c in caseloads if c.academic_year_id == year_id], today)
    return render(request, "team/remission.html", {"balances": balances, "is_lead": actor.is_programme_lead})


@require_GET
def remission_detail(request, pk):
    caseload = get_object_or_404(
        people_permissions.caseloads_readable_by(request.user).select_related("tutor", "academic_year"), pk=pk
    )
    return render(
        request, "team/remission_detail.html", {"balance": balance_for(caseload, timezone.localdate())}
    )
