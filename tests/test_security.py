"""Sign-in, lockout, headers and the production settings baseline (DESIGN.md section 7)."""

import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse

from protutor.people.models import User

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"


def test_sign_in_with_username_and_with_email(client, teacher):
    response = client.post(reverse("account_login"), {"login": "teacher", "password": PASSWORD})
    assert response.status_code == 302
    client.post(reverse("account_logout"))
    response = client.post(
        reverse("account_login"), {"login": teacher.user.email.upper(), "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_sign_in_wrong_password_shows_error_summary(client, teacher):
    response = client.post(reverse("account_login"), {"login": "teacher", "password": "wrong-password"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Sign in – protutor</title>" in body
    assert "There is a problem" in body


def test_sign_in_empty_form_names_each_field(client):
    response = client.post(reverse("account_login"), {})
    body = response.content.decode()
    assert 'href="#id_login">Enter your username or email address' in body
    assert 'href="#id_password">Enter your password' in body


def test_lockout_after_repeated_failures(client, teacher):
    for _ in range(3):
        client.post(reverse("account_login"), {"login": "teacher", "password": "wrong-password"})
    response = client.post(reverse("account_login"), {"login": "teacher", "password": PASSWORD})
    assert response.status_code == 429


def test_sign_out_needs_post(client_for, teacher):
    client = client_for(teacher)
    assert client.post(reverse("account_logout")).status_code == 302
    assert client.get("/").status_code == 302


def test_change_password(client_for, teacher):
    client = client_for(teacher)
    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": PASSWORD,
            "password1": "a much longer passphrase",
            "password2": "a much longer passphrase",
        },
    )
    assert response.status_code == 302
    teacher.user.refresh_from_db()
    assert teacher.user.check_password("a much longer passphrase")


def test_change_password_wrong_current_password(client_for, teacher):
    response = client_for(teacher).post(
        reverse("account_change_password"),
        {
            "oldpassword": "not-it",
            "password1": "a much longer passphrase",
            "password2": "a much longer passphrase",
        },
    )
    assert "Your current password is not right" in response.content.decode()


def test_signup_is_closed(client):
    response = client.post(
        reverse("account_signup"),
        {
            "username": "intruder",
            "email": "intruder@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert "You cannot create your own account" in response.content.decode()
    assert not User.objects.filter(username="intruder").exists()


def test_strict_csp_and_security_headers(client_for, teacher):
    response = client_for(teacher).get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_pages_have_no_inline_script_or_style(client_for, programme_lead, tutor):
    body = client_for(programme_lead).get("/").content.decode()
    assert "style=" not in body
    assert "<style" not in body
    assert "<script>" not in body
    assert "onclick" not in body


def test_production_settings_refuse_to_start_without_secrets(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "DEBUG": "false", "PROTUTOR_VAR_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", "import protutor.settings"], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_settings_are_secure():
    env = {
        "PATH": "/usr/bin:/bin",
        "DEBUG": "false",
        "SECRET_KEY": "x" * 60,
        "PROTUTOR_ENCRYPTION_KEYS": "rjIQYIVrX0BXW6U7_4O9v7xAYJt_Eu6AVaDY0ZEwCbQ=",
        "ALLOWED_HOSTS": "protutor.example.org",
    }
    code = (
        "import protutor.settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, "
        "s.SESSION_COOKIE_SAMESITE, s.SESSION_EXPIRE_AT_BROWSER_CLOSE, s.PASSWORD_HASHERS[0].rsplit('.', 1)[1])"
    )
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert result.stdout.split() == [
        "True",
        "True",
        "True",
        "31536000",
        "Lax",
        "True",
        "Argon2PasswordHasher",
    ]


def test_signing_in_gives_a_new_session_so_a_planted_one_is_useless(client, teacher):
    from django.contrib.sessions.backends.db import SessionStore

    planted = SessionStore()
    planted["planted"] = True
    planted.create()
    client.cookies[settings.SESSION_COOKIE_NAME] = planted.session_key
    response = client.post(reverse("account_login"), {"login": "teacher", "password": PASSWORD})
    assert response.status_code == 302
    issued = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert issued != planted.session_key
    assert not SessionStore().exists(planted.session_key)
    assert client.get("/").status_code == 200


def test_signing_out_ends_the_session_on_the_server(client, teacher):
    client.post(reverse("account_login"), {"login": "teacher", "password": PASSWORD})
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post(reverse("account_logout"))
    from django.contrib.sessions.backends.db import SessionStore

    assert not SessionStore().exists(key)


def every_view(patterns=None):
    from django.urls import URLPattern, URLResolver, get_resolver

    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            yield from every_view(entry.url_patterns)
        elif isinstance(entry, URLPattern):
            yield entry


def test_no_view_is_exempt_from_csrf_checks_but_the_saml_endpoints():
    """The SAML identity provider posts its signed answer from its own site, so allauth's assertion
    consumer (which only stores the request and redirects to the step that checks the signature and that
    protutor asked for it) and logout endpoint take no CSRF token; nothing else may go without."""
    assert "django.middleware.csrf.CsrfViewMiddleware" in settings.MIDDLEWARE
    exempt = sorted(p.name for p in every_view() if getattr(p.callback, "csrf_exempt", False))
    assert exempt == ["saml_acs", "saml_sls"]


def test_a_post_without_the_csrf_token_is_refused(teacher):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(teacher.user)
    response = client.post(reverse("support:refer"), {"reason": "Questioning"})
    assert response.status_code == 403
    assert teacher.referrals.count() == 0


PRODUCTION_ENV = {
    "PATH": "/usr/bin:/bin",
    "DEBUG": "false",
    "SECRET_KEY": "x" * 60,
    "PROTUTOR_ENCRYPTION_KEYS": "rjIQYIVrX0BXW6U7_4O9v7xAYJt_Eu6AVaDY0ZEwCbQ=",
    "ALLOWED_HOSTS": "protutor.example.org",
}


@pytest.fixture(scope="module")
def migrated_database_url(django_db_setup, django_db_blocker, tmp_path_factory):
    """The test database, for a subprocess: on SQLite a copy taken before any test's transaction opens
    (a copy cannot be taken inside one), on PostgreSQL the test database itself."""
    from tests.faults.conftest import SubprocessDatabase

    with django_db_blocker.unblock():
        database = SubprocessDatabase(tmp_path_factory.mktemp("migrated"))
        database.push()
    return database.url


@pytest.mark.django_db
def test_production_responses_carry_the_security_headers(migrated_database_url, tmp_path):
    """A real request through the production middleware: plain HTTP is sent to HTTPS, and the sign-in page
    over HTTPS has HSTS, the strict policy and cookies that are Secure, HttpOnly and SameSite=Lax. The
    subprocess reads a migrated database (the sign-in page lists the single sign-on providers)."""
    env = {**PRODUCTION_ENV, "PROTUTOR_VAR_DIR": str(tmp_path), "DATABASE_URL": migrated_database_url}
    code = """
import json, django
import protutor.settings as production
# The manifest needs collectstatic; the headers under test do not depend on how static files are named.
production.STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
django.setup()
from django.test import Client
client = Client(HTTP_HOST="protutor.example.org")
plain = client.get("/accounts/login/")
secure = client.get("/accounts/login/", secure=True)
cookie = secure.cookies["csrftoken"]
print(json.dumps({
    "plain": [plain.status_code, plain.get("Location")],
    "status": secure.status_code,
    "headers": {k: secure.get(k) for k in ("Strict-Transport-Security", "Content-Security-Policy",
        "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy", "Cross-Origin-Opener-Policy")},
    "cookie": [bool(cookie["secure"]), bool(cookie["httponly"]), cookie["samesite"]],
}))
"""
    env["DJANGO_SETTINGS_MODULE"] = "protutor.settings"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    import json

    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["plain"] == [301, "https://protutor.example.org/accounts/login/"]
    assert seen["status"] == 200
    headers = seen["headers"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert seen["cookie"] == [True, True, "Lax"]


def test_no_template_carries_inline_script_style_or_handlers():
    """The policy allows no inline code, so none may be written: every template of the project. Templates
    that only WeasyPrint renders (named *.pdf.html) may carry their print stylesheet: a PDF runs no code."""
    import re
    from pathlib import Path

    root = Path(settings.BASE_DIR) / "protutor"
    # A JSON data block (type="application/json") is not code: the policy does not run it.
    inline = re.compile(
        r"""<script(?![^>]*\b(?:src=|type="application/json"))[^>]*>|<style\b|\sstyle=|\son[a-z]+=["']""",
        re.IGNORECASE,
    )
    found = [
        f"{path.relative_to(root)}: {match.group(0)}"
        for path in root.rglob("*.html")
        if not path.name.endswith(".pdf.html")
        for match in inline.finditer(path.read_text())
    ]
    assert found == []
