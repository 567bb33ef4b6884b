from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "protutor.people"
    label = "people"
    verbose_name = "People"

    def ready(self) -> None:
        from protutor.people import (  # noqa: F401
            middleware,  # notes at sign-in whether a second factor must be set up
            permissions,  # registers the scopes
        )
