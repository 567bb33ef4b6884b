from django.apps import AppConfig


class TeamConfig(AppConfig):
    name = "protutor.team"
    label = "team"
    verbose_name = "Tutor team"
