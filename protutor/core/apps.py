from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "protutor.core"
    label = "core"
    verbose_name = "Core"

    def ready(self):
        # Registers protutor's production-configuration checks with Django's check framework.
        from protutor.core import checks  # noqa: F401

        # Imported here, once the app registry is ready: the scope of the updates kept for each person.
        from protutor.core import permissions as registry
        from protutor.core.models import Notification
        from protutor.core.notify import notifications_readable_by

        registry.register(Notification, notifications_readable_by)

        # `__in` on an integer column ignores numbers no column can hold, as `=` does (core.lookups).
        from protutor.core.lookups import register as register_lookups

        register_lookups()
