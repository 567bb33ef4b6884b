from django.apps import AppConfig


class ObservationsConfig(AppConfig):
    name = "protutor.observations"
    label = "observations"
    verbose_name = "Observations"

    def ready(self) -> None:
        from protutor.observations import permissions  # noqa: F401  (registers the scopes)
