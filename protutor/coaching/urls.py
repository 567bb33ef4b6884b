from django.urls import path

from protutor.coaching import views

app_name = "coaching"
urlpatterns = [
    path("", views.index, name="index"),
    path("agreement/", views.agreement, name="agreement"),
    path("volunteer/", views.volunteer, name="volunteer"),
    path("sign-up/", views.signup, name="signup"),
    path("coordinator/", views.coordinator, name="coordinator"),
    path("pairs/<int:pk>/", views.pairing_detail, name="pairing-detail"),
    path("journal/", views.journal, name="journal"),
    path("survey/", views.survey, name="survey"),
    path("survey/results/", views.survey_results, name="survey-results"),
]
