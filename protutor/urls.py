from django.contrib import admin
from django.urls import include, path

from protutor.coaching import views as coaching_views
from protutor.core import views as core_views
from protutor.core.health import health
from protutor.people import views as people_views

urlpatterns = [
    path("", people_views.home, name="home"),
    path("accounts/", include("allauth.urls")),
    path("people/", include("protutor.people.urls")),
    path("support/", include("protutor.support.urls")),
    path("resources/", include("protutor.resources.urls")),
    path("observations/", include("protutor.observations.urls")),
    path("cpd/", include("protutor.cpd.urls")),
    path("plans/", include("protutor.plans.urls")),
    path("team/", include("protutor.team.urls")),
    path("coaching/", include("protutor.coaching.urls")),
    path("ite/", include("protutor.ite.urls")),
    path("impact/", include("protutor.insights.urls")),
    # Cover requests live outside /coaching/: a cover manager's link must not say what the cover is for.
    path("cover/", coaching_views.cover, name="cover-requests"),
    path("admin/", admin.site.urls),
    path("health/", health, name="health"),
    # The link in every email: an opaque token, so the address says nothing about what the update is.
    path("updates/<str:token>/", core_views.notification, name="notification"),
]
