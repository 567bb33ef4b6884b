from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "protutor.core"
    label = "core"
    verbose_name = "Core"
