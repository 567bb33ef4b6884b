"""Log records never carry the secret tokens some addresses hold (calendar feeds, shared collections):
Django's request and server loggers print the path of a failing or slow request."""

import logging
import re

# A path segment this long in URL-safe alphabet is a token (secrets.token_urlsafe(32) is 43 characters);
# no page's own address has one.
TOKEN = re.compile(r"(?<=/)[A-Za-z0-9_-]{24,}")


def redact(text: str) -> str:
    return TOKEN.sub("[token]", text)


class RedactTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.args:
            args = record.args if isinstance(record.args, tuple) else (record.args,)
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in args)
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        return True
