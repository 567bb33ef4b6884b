from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "protutor.plans"
    label = "plans"
    verbose_name = "Support plans"

    def ready(self) -> None:
        from protutor.plans import permissions  # noqa: F401  (registers the scopes)
