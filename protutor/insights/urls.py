from django.urls import path

from protutor.insights import views

app_name = "insights"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("outcomes/", views.outcomes, name="outcomes"),
    path("surveys/", views.surveys, name="surveys"),
    path("import/outcomes/", views.outcome_import, name="outcome-import"),
    path("import/outcomes/<int:pk>/", views.outcome_import_preview, name="outcome-import-preview"),
    path("import/outcomes/<int:pk>/apply/", views.outcome_import_apply, name="outcome-import-apply"),
    path("import/surveys/", views.survey_import, name="survey-import"),
    path("import/surveys/<int:pk>/", views.survey_import_preview, name="survey-import-preview"),
    path("import/surveys/<int:pk>/apply/", views.survey_import_apply, name="survey-import-apply"),
    path("reports/", views.report_list, name="report-list"),
    path("reports/build/", views.report_build, name="report-build"),
    path("reports/<int:pk>/", views.report, name="report"),
    path("reports/<int:pk>/pdf/", views.report_pdf, name="report-pdf"),
]
