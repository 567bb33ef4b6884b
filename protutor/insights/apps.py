from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "protutor.insights"
    label = "insights"
    verbose_name = "Impact"

    def ready(self) -> None:
        from protutor.insights import permissions  # noqa: F401  (registers the scopes)
