from django.apps import AppConfig


class IteConfig(AppConfig):
    name = "protutor.ite"
    label = "ite"
    verbose_name = "Initial Teacher Education and induction"

    def ready(self) -> None:
        from protutor.ite import permissions  # noqa: F401  (registers the scopes)
