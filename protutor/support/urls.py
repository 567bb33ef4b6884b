from django.urls import path

from protutor.support import views

app_name = "support"
urlpatterns = [
    path("", views.index, name="index"),
    path("ask/", views.refer, name="refer"),
    path("suggest/", views.encourage, name="encourage"),
    path("referrals/<int:pk>/", views.referral_detail, name="referral-detail"),
    path("referrals/<int:pk>/accept/", views.referral_accept, name="referral-accept"),
    path("cases/", views.case_list, name="case-list"),
    path("cases/new/", views.case_open, name="case-open"),
    path("cases/<int:pk>/", views.case_detail, name="case-detail"),
    path("cases/<int:pk>/record/", views.interaction_add, name="interaction-add"),
    path("cases/<int:pk>/close/", views.case_close, name="case-close"),
    path("cases/<int:pk>/hand-over/", views.case_handover, name="case-handover"),
    path("cases/<int:pk>/concern/", views.concern_raise, name="concern-raise"),
    path("concerns/", views.concern_list, name="concern-list"),
    path("concerns/<int:pk>/", views.concern_detail, name="concern-detail"),
    path("who-opened-my-records/", views.access_log, name="access-log"),
    path("insights/", views.insights_view, name="insights"),
]
