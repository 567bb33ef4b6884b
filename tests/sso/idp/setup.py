"""Run inside the provider's process environment: migrate, then create its users and protutor's client."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.sso.idp.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from oauth2_provider.models import Application  # noqa: E402

call_command("migrate", verbosity=0)
for username, claims in settings.IDP_USERS.items():
    User.objects.create_user(username=username, password=claims["password"], email=claims.get("email", ""))
Application.objects.create(
    name="protutor",
    client_id=os.environ["IDP_CLIENT_ID"],
    client_secret=os.environ["IDP_CLIENT_SECRET"],
    client_type=Application.CLIENT_CONFIDENTIAL,
    authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
    redirect_uris=os.environ["IDP_REDIRECT_URIS"],
    algorithm=Application.RS256_ALGORITHM,
    skip_authorization=True,
)
