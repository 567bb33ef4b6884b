from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "protutor.support"
    label = "support"
    verbose_name = "One-to-one support"

    def ready(self) -> None:
        from protutor.support import permissions  # noqa: F401  (registers the scopes)
