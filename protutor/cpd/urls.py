from django.urls import path

from protutor.cpd import views

app_name = "cpd"
urlpatterns = [
    path("develop/", views.request_development, name="request-development"),
]
