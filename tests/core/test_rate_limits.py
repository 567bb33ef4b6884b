"""Rate limits on sign-in and on addresses whose token is the credential (DESIGN.md section 7)."""

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import override_settings
from django.urls import reverse

from protutor.cpd import services as cpd

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"


def limits(**rates):
    return override_settings(ACCOUNT_RATE_LIMITS={**settings.ACCOUNT_RATE_LIMITS, **rates})


def feed_url(token, value=None):
    return reverse("cpd:calendar-feed", args=[token.pk, value or token.token])


def test_guessing_a_calendar_token_is_cut_off_and_then_the_real_token_waits_too(client, teacher):
    token = cpd.issue_calendar_token(actor=teacher.user)
    with limits(token_feed="100/m/ip,3/m/key"):
        for _ in range(3):
            assert client.get(feed_url(token, "wrong-guess")).status_code == 404
        response = client.get(feed_url(token))
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()


def test_one_address_cannot_sweep_many_feeds(client, teacher, colleague):
    mine = cpd.issue_calendar_token(actor=teacher.user)
    theirs = cpd.issue_calendar_token(actor=colleague.user)
    with limits(token_feed="2/m/ip,100/m/key"):
        assert client.get(feed_url(mine)).status_code == 200
        assert client.get(feed_url(theirs, "guess")).status_code == 404
        assert client.get(feed_url(theirs)).status_code == 429


def test_a_calendar_app_polling_within_the_limit_is_never_refused(client, teacher):
    token = cpd.issue_calendar_token(actor=teacher.user)
    for _ in range(10):
        assert client.get(feed_url(token)).status_code == 200


def test_sign_in_attempts_from_one_address_are_limited(client, teacher):
    with limits(login="3/m/ip"):
        for _ in range(3):
            client.post(reverse("account_login"), {"login": "nobody", "password": "wrong-password"})
        response = client.post(reverse("account_login"), {"login": "teacher", "password": PASSWORD})
    assert response.status_code == 429


def test_failed_sign_ins_across_many_accounts_are_refused_with_a_message(client, teacher):
    with limits(login_failed="2/m/ip,5/300s/key"):
        for name in ("alice", "bob"):
            client.post(reverse("account_login"), {"login": name, "password": "wrong-password"})
        response = client.post(reverse("account_login"), {"login": "carol", "password": "wrong-password"})
    assert "Too many failed login attempts" in response.content.decode()


def test_the_production_cache_is_a_table_every_web_process_shares():
    assert settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")  # tests: emptied per test
    from protutor import settings as real

    assert real.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    with override_settings(CACHES=real.CACHES):
        shared = caches.create_connection("default")
        shared.set("probe", 41)
        assert shared.incr("probe") == 42
