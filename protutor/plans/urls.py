from django.urls import path

from protutor.plans import views

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="plan-list"),
    path("new/", views.plan_create, name="plan-create"),
    path("<int:pk>/", views.plan_detail, name="plan-detail"),
    path("<int:pk>/acknowledge/", views.plan_acknowledge, name="plan-acknowledge"),
    path("<int:pk>/support/", views.plan_support, name="plan-support"),
    path("<int:pk>/exit/", views.plan_exit, name="plan-exit"),
    path("<int:pk>/review/", views.plan_review, name="plan-review"),
    path("<int:pk>/comment/", views.plan_comment, name="plan-comment"),
]
