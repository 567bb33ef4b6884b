from django.urls import path

from protutor.cpd import views

app_name = "cpd"
urlpatterns = [
    path("develop/", views.request_development, name="request-development"),
    path("sessions/", views.session_list, name="session-list"),
    path("sessions/new/", views.session_create, name="session-create"),
    path("sessions/<int:pk>/", views.session_detail, name="session-detail"),
    path("sessions/<int:pk>/change/", views.session_edit, name="session-edit"),
    path("sessions/<int:pk>/copy/", views.session_copy, name="session-copy"),
    path("sessions/<int:pk>/cancel/", views.session_cancel, name="session-cancel"),
    path("sessions/<int:pk>/register/", views.session_register, name="session-register"),
    path("sessions/<int:pk>/evaluate/", views.session_evaluate, name="session-evaluate"),
    path("sessions/<int:pk>/invite.ics", views.session_ics, name="session-ics"),
    path("coverage/", views.coverage_board, name="coverage"),
    path("my-record/", views.my_record, name="my-record"),
    path("calendar/", views.calendar_settings, name="calendar-settings"),
    path("calendar/<int:pk>/<str:token>.ics", views.calendar_feed, name="calendar-feed"),
]
