from django.apps import AppConfig


class TeamConfig(AppConfig):
    name = "protutor.team"
    label = "team"
    verbose_name = "Tutor team"

    def ready(self) -> None:
        from protutor.team import permissions  # noqa: F401  (registers the scopes)
