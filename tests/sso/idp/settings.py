"""A real OpenID Connect provider for the single sign-on tests, built with django-oauth-toolkit and run in
its own process on loopback, with its own database: it shares nothing with protutor but HTTP."""

import json
import os
from pathlib import Path

HERE = Path(__file__).resolve().parent
SECRET_KEY = "test-identity-provider-only"
DEBUG = True
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "oauth2_provider",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
ROOT_URLCONF = "tests.sso.idp.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [HERE / "templates"],
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["IDP_DATABASE"]}}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The protutor tests sign in at both sides within one browser: give the provider its own cookie names.
SESSION_COOKIE_NAME = "idp_session"
CSRF_COOKIE_NAME = "idp_csrftoken"
LOGIN_URL = "/login/"
USE_TZ = True
# username -> claims the provider vouches for (email, email_verified, tid, hd, names).
IDP_USERS = json.loads(os.environ.get("IDP_USERS", "{}"))
OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": Path(os.environ["IDP_RSA_KEY"]).read_text(),
    "PKCE_REQUIRED": False,
    "OAUTH2_VALIDATOR_CLASS": "tests.sso.idp.validators.ClaimsValidator",
    "SCOPES": {"openid": "OpenID Connect", "profile": "Your name", "email": "Your email address"},
}
