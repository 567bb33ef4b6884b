from django.urls import path

from protutor.resources import views

app_name = "resources"
urlpatterns = [
    path("", views.resource_list, name="resource-list"),
    path("new/", views.resource_create, name="resource-create"),
    path("<int:pk>/", views.resource_detail, name="resource-detail"),
]
