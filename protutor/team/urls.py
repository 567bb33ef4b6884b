from django.urls import path

from protutor.team import views

app_name = "team"
urlpatterns = [
    path("remission/", views.remission, name="remission"),
    path("remission/<int:pk>/", views.remission_detail, name="remission-detail"),
    path("meetings/", views.meeting_list, name="meeting-list"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path("meetings/<int:meeting_pk>/actions/<int:pk>/done/", views.action_done, name="action-done"),
    path("partners/", views.partners, name="partners"),
    path("targets/<int:pk>/", views.targets, name="targets"),
]
