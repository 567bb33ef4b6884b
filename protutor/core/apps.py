from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "protutor.core"
    label = "core"
    verbose_name = "Core"

    def ready(self):
        # Registers protutor's production-configuration checks with Django's check framework.
        from protutor.core import checks  # noqa: F401
