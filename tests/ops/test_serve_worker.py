"""`protutor serve` (gunicorn) and `protutor worker` (the database task queue)."""

import shlex
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django_tasks_db.models import DBTaskResult
from gunicorn.config import Config

from protutor.core.management.commands import serve
from protutor.core.notify import send_notification

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def dry_run(**environment) -> list[str]:
    out = StringIO()
    with override_settings(**environment):
        call_command("serve", "--dry-run", stdout=out)
    return shlex.split(out.getvalue())


def option(command: list[str], name: str) -> str:
    return command[command.index(name) + 1]


def test_serve_runs_the_virtualenvs_gunicorn_on_the_wsgi_application():
    command = dry_run()
    assert command[0].endswith("/gunicorn")
    assert command[1] == "protutor.wsgi:application"
    assert option(command, "--bind") == "127.0.0.1:8000"
    assert 3 <= int(option(command, "--workers")) <= serve.MAX_DEFAULT_WORKERS
    assert option(command, "--access-logfile") == "-"
    assert option(command, "--graceful-timeout") == "30"
    # The access log carries the path only: a search's query string can name people.
    assert "%(U)s" in option(command, "--access-logformat")
    assert "%(r)s" not in option(command, "--access-logformat")


def test_serve_takes_bind_and_workers_from_the_environment(monkeypatch):
    monkeypatch.setenv("PROTUTOR_BIND", "unix:/run/protutor/web.sock")
    monkeypatch.setenv("PROTUTOR_WEB_WORKERS", "3")
    command = dry_run()
    assert (option(command, "--bind"), option(command, "--workers")) == ("unix:/run/protutor/web.sock", "3")


def test_serve_options_override_the_environment(monkeypatch):
    monkeypatch.setenv("PROTUTOR_WEB_WORKERS", "3")
    out = StringIO()
    call_command("serve", "--dry-run", "--bind=0.0.0.0:9000", "--workers=7", stdout=out)
    command = shlex.split(out.getvalue())
    assert (option(command, "--bind"), option(command, "--workers")) == ("0.0.0.0:9000", "7")


def test_serve_rejects_a_bad_worker_count(monkeypatch):
    monkeypatch.setenv("PROTUTOR_WEB_WORKERS", "many")
    with pytest.raises(
        CommandError, match="PROTUTOR_WEB_WORKERS must be a whole number of 1 or more, not 'many'"
    ):
        dry_run()


def test_access_log_hides_calendar_feed_tokens():
    logger = serve.AccessLogger(Config())
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": "", "SERVER_PROTOCOL": "HTTP/1.1"}
    response = SimpleNamespace(status="200 OK", headers=[], sent=10)
    request_time = SimpleNamespace(seconds=0, microseconds=1000)
    feed = logger.atoms(
        response, [], {**environ, "PATH_INFO": "/cpd/calendar/12/s3cr3t-t0ken.ics"}, request_time
    )
    page = logger.atoms(response, [], {**environ, "PATH_INFO": "/cpd/sessions/12/"}, request_time)
    assert (feed["U"], page["U"]) == ("/cpd/calendar/12/[token].ics", "/cpd/sessions/12/")


def test_worker_refuses_the_immediate_backend_and_names_the_setting():
    with pytest.raises(CommandError) as raised:
        call_command("worker", "--batch")
    assert "PROTUTOR_TASK_BACKEND=django_tasks_db.DatabaseBackend" in str(raised.value)
    assert "nothing for a worker to do" in str(raised.value)


# The worker closes old connections between tasks, which needs real transactions on PostgreSQL.
@pytest.mark.django_db(transaction=True)
def test_worker_runs_queued_work_and_stops_in_batch_mode(settings, teacher, mailoutbox):
    settings.TASKS = DATABASE_TASKS
    result = send_notification.enqueue(
        [teacher.user.pk], "Referral received", "A referral came in.", "/support/"
    )
    assert DBTaskResult.objects.get(pk=result.id).status == "READY"
    out = StringIO()
    call_command("worker", "--batch", stdout=out, stderr=StringIO())
    assert DBTaskResult.objects.get(pk=result.id).status == "SUCCESSFUL"
    assert [message.subject for message in mailoutbox] == ["protutor: there is an update for you"]
    assert "working queue(s) *" in out.getvalue()
