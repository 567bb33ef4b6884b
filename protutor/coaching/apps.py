from django.apps import AppConfig


class CoachingConfig(AppConfig):
    name = "protutor.coaching"
    label = "coaching"
    verbose_name = "Coaching programme"

    def ready(self) -> None:
        from protutor.coaching import permissions  # noqa: F401  (registers the scopes)
