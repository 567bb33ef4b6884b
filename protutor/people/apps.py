from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "protutor.people"
    label = "people"
    verbose_name = "People"

    def ready(self) -> None:
        from protutor.people import permissions  # noqa: F401  (registers the scopes)
