from django.urls import reverse

from protutor.people.roles import actor_for


def navigation(request):
    """The menu: only what the person's roles let them use."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    actor = actor_for(user)
    items = [
        ("Home", reverse("home")),
        ("Support", reverse("support:index")),
        ("Observations", reverse("observations:observation-list")),
        ("CPD", reverse("cpd:session-list")),
        ("Coaching", reverse("coaching:index")),
    ]
    if actor.sees_other_staff:
        items.append(("Staff", reverse("people:staff-list")))
    if actor.is_programme_lead or actor.is_tutor:
        items.append(("Caseloads", reverse("people:caseload-list")))
    if actor.is_programme_lead:
        items.append(("Academic years", reverse("people:year-list")))
    if actor.is_programme_lead or actor.is_tutor:
        items.append(("Tutor team", reverse("team:meeting-list")))
    if actor.is_administrator:
        items.append(("Import staff", reverse("people:import-start")))
        items.append(("Sign-in settings", reverse("people:sign-in-policy")))
    items.append(("Plans", reverse("plans:plan-list")))
    if actor.is_programme_lead or actor.is_head_of_department:
        items.append(("Impact", reverse("insights:dashboard")))
    elif actor.is_administrator:
        items.append(("Import outcomes", reverse("insights:outcome-import")))
    if actor.in_ite or actor.is_ite_tutor or actor.is_programme_lead:
        items.append(("ITE and induction", reverse("ite:index")))
    if actor.is_cover_manager:
        items.append(("Cover", reverse("cover-requests")))
    if actor.is_safeguarding_lead:
        items.append(("Safeguarding", reverse("support:concern-list")))
    items.append(("Resources", reverse("resources:resource-list")))
    path = request.path
    return {
        "actor": actor,
        "nav_items": [
            {"text": text, "href": href, "current": path == href or (href != "/" and path.startswith(href))}
            for text, href in items
        ],
    }
