from django.urls import path

from protutor.people import views, views_import

app_name = "people"
urlpatterns = [
    path("staff/", views.staff_list, name="staff-list"),
    path("staff/<int:pk>/", views.staff_detail, name="staff-detail"),
    path("staff/<int:pk>/roles/", views.role_add, name="role-add"),
    path("staff/<int:pk>/roles/<int:assignment_pk>/remove/", views.role_remove, name="role-remove"),
    path("staff/<int:pk>/account/", views.account_status, name="account-status"),
    path("staff/<int:pk>/erase/", views.staff_erase, name="staff-erase"),
    path("my-data/", views.my_data, name="my-data"),
    path("my-data/download/", views.my_data_download, name="my-data-download"),
    path("staff/<int:pk>/two-step/", views.second_factor_reset, name="second-factor-reset"),
    path("departments/<int:pk>/", views.department_detail, name="department-detail"),
    path("years/", views.year_list, name="year-list"),
    path("years/new/", views.year_create, name="year-create"),
    path("years/<int:pk>/", views.year_edit, name="year-edit"),
    path("caseloads/", views.caseload_list, name="caseload-list"),
    path("caseloads/new/", views.caseload_create, name="caseload-create"),
    path("caseloads/<int:pk>/", views.caseload_edit, name="caseload-edit"),
    path("sign-in/", views.sign_in_policy, name="sign-in-policy"),
    path("sign-in/providers/new/", views.sso_add, name="sso-add"),
    path("sign-in/providers/<int:pk>/remove/", views.sso_remove, name="sso-remove"),
    path("import/", views_import.import_start, name="import-start"),
    path("import/<int:pk>/", views_import.import_preview, name="import-preview"),
    path("import/<int:pk>/apply/", views_import.import_apply, name="import-apply"),
]
