"""Sign-in, lockout, headers and the production settings baseline (DESIGN.md section 7)."""

import subprocess
import sys

import pytest
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
