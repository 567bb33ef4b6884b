from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "protutor.audit"
    label = "audit"
    verbose_name = "Audit"

    def ready(self) -> None:
        from protutor.audit import permissions  # noqa: F401  (registers the scopes)
