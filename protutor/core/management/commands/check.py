"""`protutor check`: Django's own `check`, unchanged, plus protutor's production checks (protutor/core/checks.py).

Every option of Django's command works as before. The one difference: with DEBUG off the configuration is a
production one, so the deployment checks (Django's security checks and protutor's) run without `--deploy`,
and the command lists everything that is missing or unsafe.
"""

from django.conf import settings
from django.core.management.commands.check import Command as DjangoCheckCommand


class Command(DjangoCheckCommand):
    help = (
        "Check the project for problems; with --deploy, or whenever DEBUG is off, also what is missing or "
        "unsafe in the production configuration."
    )

    def handle(self, *app_labels, **options):
        if not options["deploy"] and not settings.DEBUG:
            options["deploy"] = True
            if not options["list_tags"]:
                self.stderr.write("DEBUG is off, so the production checks (--deploy) run too.")
        return super().handle(*app_labels, **options)
