from django.urls import path

from protutor.observations import views

app_name = "observations"
urlpatterns = [
    path("", views.observation_list, name="observation-list"),
    path("new/", views.observation_create, name="observation-create"),
    path("<int:pk>/", views.observation_detail, name="observation-detail"),
    path("<int:pk>/change/", views.observation_edit, name="observation-edit"),
    path("<int:pk>/share/", views.observation_share, name="observation-share"),
    path("<int:pk>/respond/", views.observation_respond, name="observation-respond"),
    path("<int:pk>/tutor/", views.observation_share_with_tutor, name="observation-share-with-tutor"),
    path("<int:pk>/support/", views.observation_add_to_support, name="observation-add-to-support"),
    path("my-development/", views.my_development, name="my-development"),
    path("departments/<int:pk>/needs/", views.department_needs, name="department-needs"),
    path("outcomes/", views.outcomes, name="outcomes"),
    path("frameworks/", views.framework_list, name="framework-list"),
    path("frameworks/new/", views.framework_create, name="framework-create"),
    path("frameworks/choose/", views.framework_choose, name="framework-choose"),
    path("frameworks/<int:pk>/", views.framework_detail, name="framework-detail"),
]
