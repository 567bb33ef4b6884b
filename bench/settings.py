"""protutor's settings plus one page for the throughput comparison (bench/urls.py)."""

from protutor.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
