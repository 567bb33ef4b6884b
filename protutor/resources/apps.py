from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "protutor.resources"
    label = "resources"
    verbose_name = "Resources"

    def ready(self) -> None:
        from protutor.resources import permissions  # noqa: F401  (registers the scopes)
