"""Settings for the test suite: fast hashing and plain static storage, so the live server finds files."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-0123456789abcdefghijklmnop")
os.environ.setdefault("PROTUTOR_ENCRYPTION_KEYS", "rjIQYIVrX0BXW6U7_4O9v7xAYJt_Eu6AVaDY0ZEwCbQ=")

from protutor.settings import *  # noqa: F403  (the test settings are the real ones with three overrides)
from protutor.settings import STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
AXES_FAILURE_LIMIT = 3
WHITENOISE_AUTOREFRESH = True
# Uploads made by tests (library files, the demo's) go to a folder of their own, never var/media.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="protutor-test-media-"))
# A cache in memory, emptied before each test (tests/conftest.py), so that one test's sign-ins never count
# against the next; tests/core/test_rate_limits.py checks the database cache the real settings use.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Close connections after each request, so nothing holds the test database open when it is dropped.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405  (DATABASES comes from the star import above)
# Browser journeys sign in as many people within a minute from one address; tests/core/test_rate_limits.py
# checks the real limits.
ACCOUNT_RATE_LIMITS = {**ACCOUNT_RATE_LIMITS, "login": "600/m/ip"}  # noqa: F405
