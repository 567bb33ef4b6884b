"""`GET /health/`: is this web process able to serve? For uptime monitors and load balancers.

Three probes: the database answers `SELECT 1`; the task queue is being worked (no ready task has waited
longer than PROTUTOR_HEALTH_TASK_MINUTES, 10 by default); the media folder takes a write. The answer holds
counts, ages and error kinds only: no record, no task content, no path or host name. 200 when every probe
passes, 503 otherwise. `?checks=database,storage` runs only the probes named.
"""

from __future__ import annotations

import datetime as dt
import secrets
import time

from django.contrib.auth.decorators import login_not_required
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection
from django.db.models import Case, Count, F, Min, Q, When
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from protutor.core.checks import is_database_task_backend, ops_setting, task_backend_path

DEFAULT_TASK_MINUTES = 10


def check_database() -> dict:
    started = time.monotonic()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return {"status": "fail", "error": type(exc).__name__}
    return {"status": "ok", "ms": round((time.monotonic() - started) * 1000, 1)}


def check_task_queue() -> dict:
    backend = task_backend_path()
    if not is_database_task_backend(backend):
        return {"status": "ok", "backend": "immediate"}
    from django_tasks_db.models import DBTaskResult, get_date_max

    minutes = int(ops_setting("PROTUTOR_HEALTH_TASK_MINUTES", str(DEFAULT_TASK_MINUTES)))
    now = timezone.now()
    stale_before = now - dt.timedelta(minutes=minutes)
    # A task waits from when it became due: its run_after, or when it was queued if it had no delay.
    due_since = Case(When(run_after=get_date_max(), then=F("enqueued_at")), default=F("run_after"))
    try:
        waiting = (
            DBTaskResult.objects.ready()
            .annotate(due_since=due_since)
            .aggregate(
                ready=Count("pk"),
                stale=Count("pk", filter=Q(due_since__lt=stale_before)),
                oldest=Min("due_since"),
            )
        )
    except DatabaseError as exc:
        return {"status": "fail", "backend": "database", "error": type(exc).__name__}
    oldest_seconds = int((now - waiting["oldest"]).total_seconds()) if waiting["oldest"] else 0
    return {
        "status": "fail" if waiting["stale"] else "ok",
        "backend": "database",
        "ready": waiting["ready"],
        f"waiting_over_{minutes}_minutes": waiting["stale"],
        "oldest_waiting_seconds": max(oldest_seconds, 0),
    }


def check_storage() -> dict:
    """Write a small file where uploads go, and delete it: a full disk or a read-only folder fails here first."""
    name = f"health-probe-{secrets.token_hex(8)}.tmp"
    try:
        saved = default_storage.save(name, ContentFile(b"protutor health probe\n"))
        default_storage.delete(saved)
    except OSError as exc:
        return {"status": "fail", "error": exc.strerror or type(exc).__name__}
    return {"status": "ok"}


PROBES = {"database": check_database, "task_queue": check_task_queue, "storage": check_storage}


def report(names=None) -> dict:
    checks = {name: probe() for name, probe in PROBES.items() if names is None or name in names}
    status = "ok" if all(check["status"] == "ok" for check in checks.values()) else "fail"
    return {"status": status, "checks": checks}


@login_not_required
@require_safe
@never_cache
def health(request):
    # ?checks=database,storage probes only those: a load balancer asks whether this node can serve, which a
    # stalled queue (shared by every node) does not change.
    wanted = {name.strip() for name in request.GET.get("checks", "").split(",") if name.strip()}
    body = report((wanted & set(PROBES)) or None)
    return JsonResponse(body, status=200 if body["status"] == "ok" else 503)
