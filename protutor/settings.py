"""protutor settings. Configuration comes from the environment only (DESIGN.md section 6).

Every variable is listed in `.env.example`. With DEBUG off, a missing secret stops start-up rather than
falling back to a default; in development throwaway secrets are generated under `var/` and we say so.
"""

import os
import secrets
import sys
from pathlib import Path
from typing import Any, overload

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("PROTUTOR_VAR_DIR", BASE_DIR / "var"))


@overload
def env_str(name: str, default: str) -> str: ...
@overload
def env_str(name: str, default: None = None) -> str | None: ...
def env_str(name: str, default: str | None = None) -> str | None:
    """A variable, or the contents of the file named by NAME_FILE (for container secrets)."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text().strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from exc


def env_list(name: str, default: str = "") -> list[str]:
    value = env_str(name, default) or ""
    return [item.strip() for item in value.split(",") if item.strip()]


def dev_secret(name: str, make) -> str:
    """A development-only secret kept in var/ so that restarts keep sessions and encrypted text readable."""
    path = VAR_DIR / f"dev-{name}"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(make())
        sys.stderr.write(f"protutor: development {name} generated in {path} (never use it in production)\n")
    return path.read_text().strip()


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = dev_secret("secret-key", lambda: secrets.token_urlsafe(50))


def _fernet_key() -> str:
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode()


PROTUTOR_ENCRYPTION_KEYS = env_list("PROTUTOR_ENCRYPTION_KEYS")
if not PROTUTOR_ENCRYPTION_KEYS:
    if not DEBUG:
        raise ImproperlyConfigured(
            "PROTUTOR_ENCRYPTION_KEYS must be set when DEBUG is off (comma-separated Fernet keys, newest first)"
        )
    PROTUTOR_ENCRYPTION_KEYS = [dev_secret("encryption-key", _fernet_key)]

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "axes",
    "csp",
    "django_htmx",
    "template_partials",
    "import_export",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "protutor.core",
    "protutor.audit",
    "protutor.people",
    "protutor.resources",
    "protutor.support",
    "protutor.observations",
    "protutor.cpd",
    "protutor.plans",
    "protutor.team",
    "protutor.coaching",
    "protutor.ite",
    "protutor.insights",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "protutor.people.middleware.RequireMfaMiddleware",
    "protutor.people.middleware.SsoFormActionMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "protutor.urls"
WSGI_APPLICATION = "protutor.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "protutor" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "protutor.people.context_processors.navigation",
            ],
            "builtins": ["protutor.core.templatetags.govuk", "template_partials.templatetags.partials"],
        },
    }
]
FORM_RENDERER = "protutor.core.forms.GovukFormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'protutor.sqlite3'}",
        conn_max_age=60,
        # A kept connection is checked before a request reuses it, so a database restart costs no request
        # an error once the server is back (tests/faults/test_database_restart.py).
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"

# Accounts come from the staff directory (import or administrator), never from public sign-up.
ACCOUNT_ADAPTER = "protutor.people.adapters.AccountAdapter"
ACCOUNT_FORMS = {
    "login": "protutor.people.account_forms.GovukLoginForm",
    "change_password": "protutor.people.account_forms.GovukChangePasswordForm",
}
ACCOUNT_LOGIN_METHODS = {"email", "username"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
# allauth's rate limits (counted in the shared cache below), plus protutor's own for addresses whose token
# is the credential. Failed sign-ins are also locked out per account by django-axes.
ACCOUNT_RATE_LIMITS = {
    "login": env_str("PROTUTOR_RATE_LOGIN", "30/m/ip"),
    "login_failed": env_str("PROTUTOR_RATE_LOGIN_FAILED", "10/m/ip,5/300s/key"),
    "token_feed": env_str("PROTUTOR_RATE_TOKEN_FEED", "60/m/ip,30/m/key"),
}
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PRESERVE_USERNAME_CASING = False
MFA_ADAPTER = "protutor.people.adapters.MfaAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
# Passkeys need a secure origin; http://127.0.0.1 and localhost are allowed for development only.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
MFA_FORMS = {
    "activate_totp": "protutor.people.account_forms.GovukActivateTotpForm",
    "authenticate": "protutor.people.account_forms.GovukAuthenticateForm",
    "reauthenticate": "protutor.people.account_forms.GovukReauthenticateMfaForm",
    "add_webauthn": "protutor.people.account_forms.GovukAddPasskeyForm",
}
MFA_TOTP_ISSUER = env_str("PROTUTOR_MFA_ISSUER", "protutor")
# Roles that must set up a second factor when their institution has saved no sign-in policy of its own
# (people.mfa.ROLE_CHOICES). On by default in production for those who hold confidential records.
PROTUTOR_MFA_REQUIRED_ROLES = env_list(
    "PROTUTOR_MFA_REQUIRED_ROLES",
    "" if DEBUG else "professional_tutor,ite_tutor,safeguarding_lead,programme_lead,administrator",
)

# Single sign-on: providers are set up by the administrator in the app (people.sso); identities are matched
# to staff already in the directory, and nobody is created by signing in.
SOCIALACCOUNT_ADAPTER = "protutor.people.adapters.SocialAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_QUERY_EMAIL = True
# SAML service-provider addresses must have a dotted host name; a development server on localhost has not.
PROTUTOR_SAML_ALLOW_SINGLE_LABEL_HOSTS = env_bool("PROTUTOR_SAML_ALLOW_SINGLE_LABEL_HOSTS", DEBUG)

AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "protutor.people.adapters.axes_username"
AXES_RESET_ON_SUCCESS = True

SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Preloading binds the whole domain to HTTPS in browsers for months: the school's IT manager
        # opts in with SECURE_HSTS_PRELOAD=true once the domain is settled (docs/adr/0004).
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if env_bool("BEHIND_TLS_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
        # Rate limits count the client's address from the one proxy's X-Forwarded-For, not the proxy's own.
        ALLAUTH_TRUSTED_PROXY_COUNT = 1

# GOV.UK Frontend's one-line "js-enabled" snippet is not used: static/js/init.mjs sets the classes itself,
# so the policy allows no inline script or style at all.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT") or BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or VAR_DIR / "media")
# Library uploads (resources.uploads): the largest file, and the kinds accepted (checked by content).
PROTUTOR_UPLOAD_MAX_BYTES = env_int("PROTUTOR_UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
PROTUTOR_UPLOAD_TYPES = env_list("PROTUTOR_UPLOAD_TYPES", "pdf,docx,pptx,xlsx,odt,png,jpg,jpeg,txt,csv")
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "protutor <protutor@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# One cache shared by every web process (rate limits must hold across gunicorn workers): a table in the
# database, created by the core app's migration.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "protutor_cache",
    }
}

TASKS = {
    "default": {
        "BACKEND": env_str("PROTUTOR_TASK_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"),
    }
}

# Small-number suppression: any aggregate of fewer than this many people is shown as "fewer than N".
PROTUTOR_SUPPRESSION_THRESHOLD = env_int("PROTUTOR_SUPPRESSION_THRESHOLD", 5)

# Years each kind of record is kept (protutor/core/retention.py; `protutor retention`); 0 keeps it for ever.
# The defaults are a starting point, not advice: set them from the school's records-management policy.
PROTUTOR_RETENTION_YEARS = {
    key: env_int(f"PROTUTOR_RETAIN_{key.upper()}_YEARS", default)
    for key, default in {
        "support_cases": 6,
        "support_referrals": 6,
        "observations": 6,
        "coaching_journals": 2,
        "trainee_records": 6,
        "access_log": 6,
        "notifications": 1,
    }.items()
}

LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_tokens": {"()": "protutor.core.logging.RedactTokens"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact_tokens"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
AXES_VERBOSE = False
LOGGING["loggers"]["axes"] = {"level": "WARNING"}

# Links in emails point here.
PROTUTOR_BASE_URL = env_str("PROTUTOR_BASE_URL", "http://127.0.0.1:8000")
