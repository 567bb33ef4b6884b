from django.apps import AppConfig


class CpdConfig(AppConfig):
    name = "protutor.cpd"
    label = "cpd"
    verbose_name = "Communities of practice"

    def ready(self) -> None:
        from protutor.cpd import permissions  # noqa: F401  (registers the scopes)
