"""Secret tokens in addresses never reach the logs."""

import logging

import pytest

from protutor.core.logging import RedactTokens, redact

TOKEN = "GJE6SBiq7IPd_s3roNz_CfURBAEoKQUR4pRbv-Vey1c"


def test_a_calendar_feed_token_is_redacted_and_the_rest_of_the_path_kept():
    assert redact(f"/cpd/calendar/2/{TOKEN}.ics") == "/cpd/calendar/2/[token].ics"
    assert redact("/support/cases/12/interactions/new/") == "/support/cases/12/interactions/new/"


@pytest.mark.parametrize(
    "message, args",
    [
        ("Internal Server Error: %s", (f"/cpd/calendar/2/{TOKEN}.ics",)),
        ('"%s" %s', (f"GET /cpd/calendar/2/{TOKEN}.ics HTTP/1.1", 500)),
    ],
)
def test_the_filter_rewrites_the_record_as_django_logs_it(message, args):
    record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, message, args, None)
    RedactTokens().filter(record)
    assert TOKEN not in record.getMessage()
    assert "[token]" in record.getMessage()


def test_every_handler_of_the_settings_redacts():
    from django.conf import settings

    for handler in settings.LOGGING["handlers"].values():
        assert "redact_tokens" in handler["filters"]
