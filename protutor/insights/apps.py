from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "protutor.insights"
    verbose_name = "Impact"
