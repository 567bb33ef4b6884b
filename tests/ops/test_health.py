"""GET /health/: what a monitor or load balancer reads (protutor/core/health.py)."""

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

pytestmark = pytest.mark.django_db
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def queue_task(*, waited_minutes: float, delayed_until=None) -> DBTaskResult:
    task = DBTaskResult.objects.create(
        task_path="protutor.core.notify.send_notification",
        args_kwargs={"args": [[1], "subject", "message", "/"], "kwargs": {}},
        backend_name="default",
        run_after=delayed_until or get_date_max(),
    )
    # enqueued_at is set on insert; move it back to when the task was queued.
    DBTaskResult.objects.filter(pk=task.pk).update(
        enqueued_at=timezone.now() - dt.timedelta(minutes=waited_minutes)
    )
    return task


def test_health_answers_anonymous_monitors_without_caching(client, media):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "task_queue", "storage"}
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["task_queue"] == {"status": "ok", "backend": "immediate"}
    assert body["checks"]["storage"] == {"status": "ok"}
    assert list(media.iterdir()) == []  # the probe file is gone


def test_health_refuses_writes(client):
    assert client.post(reverse("health")).status_code == 405


def test_health_fails_when_uploads_cannot_be_written(client, tmp_path, settings):
    (tmp_path / "not-a-folder").write_text("")
    settings.MEDIA_ROOT = tmp_path / "not-a-folder" / "media"
    response = client.get(reverse("health"))
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["storage"]["status"] == "fail"
    assert body["checks"]["storage"]["error"] == "Not a directory"
    assert str(tmp_path) not in response.content.decode()  # no server paths to the public
    assert body["checks"]["database"]["status"] == "ok"


def test_health_with_the_database_queue_being_worked(client, settings):
    settings.TASKS = DATABASE_TASKS
    queue_task(waited_minutes=1)
    queue_task(waited_minutes=30, delayed_until=timezone.now() + dt.timedelta(hours=1))  # not due yet
    response = client.get(reverse("health"))
    assert response.status_code == 200
    queue = response.json()["checks"]["task_queue"]
    assert queue["status"] == "ok"
    assert queue["backend"] == "database"
    assert queue["ready"] == 1
    assert queue["waiting_over_10_minutes"] == 0
    assert 55 <= queue["oldest_waiting_seconds"] <= 120


@pytest.mark.parametrize("stale", [1, 3])
def test_health_fails_when_tasks_wait_too_long(client, settings, stale, django_assert_max_num_queries):
    settings.TASKS = DATABASE_TASKS
    for _ in range(stale):
        queue_task(waited_minutes=25)
    queue_task(waited_minutes=0)
    # A task due 20 minutes ago (it was delayed) has waited 20 minutes, not since it was queued.
    queue_task(waited_minutes=120, delayed_until=timezone.now() - dt.timedelta(minutes=20))
    # Queries: SELECT 1; the queue's one aggregate. The storage probe touches files only.
    with django_assert_max_num_queries(2):
        response = client.get(reverse("health"))
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    queue = body["checks"]["task_queue"]
    assert (queue["status"], queue["ready"], queue["waiting_over_10_minutes"]) == (
        "fail",
        stale + 2,
        stale + 1,
    )
    assert 25 * 60 <= queue["oldest_waiting_seconds"] <= 27 * 60
    assert "send_notification" not in json.dumps(body)  # nothing about what the work is


def test_health_waiting_limit_is_configurable(client, settings):
    settings.TASKS = DATABASE_TASKS
    settings.PROTUTOR_HEALTH_TASK_MINUTES = 60
    queue_task(waited_minutes=25)
    queue = client.get(reverse("health")).json()["checks"]["task_queue"]
    assert (queue["status"], queue["waiting_over_60_minutes"]) == ("ok", 0)


def test_health_can_leave_the_shared_queue_out_for_load_balancers(client, settings):
    settings.TASKS = DATABASE_TASKS
    queue_task(waited_minutes=25)
    assert client.get(reverse("health")).status_code == 503
    response = client.get(reverse("health"), {"checks": "database,storage"})
    assert response.status_code == 200
    assert set(response.json()["checks"]) == {"database", "storage"}
