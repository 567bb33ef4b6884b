from django.urls import path

from protutor.team import views

app_name = "team"
urlpatterns = [
    path("remission/", views.remission, name="remission"),
    path("remission/<int:pk>/", views.remission_detail, name="remission-detail"),
]
