"""`protutor worker`: runs queued background work (emails, report builds, imports) from the database queue.

It is django-tasks-db's `db_worker` with production defaults: every queue, no autoreload, a worker id that
names the host and process. It refuses to start when the task backend is the immediate one, where work
runs inside the web request and a worker would wait for ever on an empty queue.
"""

import os
import socket

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from protutor.core.checks import DATABASE_TASK_BACKEND, is_database_task_backend, task_backend_path


class Command(BaseCommand):
    help = "Run the background-task worker (needs PROTUTOR_TASK_BACKEND=django_tasks_db.DatabaseBackend)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--queue-name", default="*", help="Queues to work, comma-separated (default: all)."
        )
        parser.add_argument(
            "--interval", default="1", help="Seconds to wait when the queue is empty before looking again."
        )
        parser.add_argument("--batch", action="store_true", help="Run every task waiting now, then exit.")
        parser.add_argument(
            "--max-tasks", help="Exit after this many tasks (the supervisor starts a fresh one)."
        )

    def handle(self, *args, queue_name, interval, batch, max_tasks, verbosity, **options):
        backend = task_backend_path()
        if not is_database_task_backend(backend):
            raise CommandError(
                f"The task backend is {backend}: tasks run inside the web process, so there is nothing for a "
                f"worker to do. To queue them for workers, set PROTUTOR_TASK_BACKEND={DATABASE_TASK_BACKEND} "
                "in the environment of both the web and the worker processes."
            )
        worker_id = f"{socket.gethostname()}-{os.getpid()}"[-64:]
        arguments = [
            f"--queue-name={queue_name}",
            f"--interval={interval}",
            "--no-reload",
            f"--worker-id={worker_id}",
            f"--verbosity={verbosity}",
        ]
        if batch:
            arguments += ["--batch", "--no-startup-delay"]
        if max_tasks:
            arguments.append(f"--max-tasks={max_tasks}")
        if verbosity:
            self.stdout.write(f"Worker {worker_id} working queue(s) {queue_name}.")
        call_command("db_worker", *arguments, stdout=self.stdout._out, stderr=self.stderr._out)
