"""Run a `protutor` command with one fault hook, for the fault tests: after the Nth SQL statement that
matches FAULT_SQL has run, print FAULT_PAUSED and sleep, so the test can SIGKILL the process at that point,
inside whatever transaction the statement belongs to.

    FAULT_SQL='INSERT INTO "people_staffmember"' FAULT_AFTER=2 python -m tests.faults.driver import-staff ...

FAULT_IMPORT_BATCH sets the staff import's batch size, so a small file still takes several batches. Without
FAULT_SQL the command runs as `protutor` would. Only the tests run this; nothing in the app reads these.
"""

import os
import re
import sys
import time

PAUSED = "FAULT_PAUSED"
PAUSE_SECONDS = 60


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "protutor.test_settings")
    import django

    django.setup()
    from django.core.management import execute_from_command_line
    from django.db import connection

    batch = os.environ.get("FAULT_IMPORT_BATCH")
    if batch:
        from protutor.people.imports import StaffResource

        StaffResource._meta.batch_size = int(batch)

    pattern = re.compile(os.environ["FAULT_SQL"]) if os.environ.get("FAULT_SQL") else None
    after = int(os.environ.get("FAULT_AFTER", "1"))
    seen = 0

    def hook(execute, sql, params, many, context):
        nonlocal seen
        result = execute(sql, params, many, context)
        if pattern is not None and pattern.search(sql):
            seen += 1
            if seen == after:
                sys.stdout.write(f"{PAUSED}\n")
                sys.stdout.flush()
                time.sleep(PAUSE_SECONDS)  # the test kills us here; if it does not, we go on
        return result

    command = [argv[0].replace("-", "_"), *argv[1:]]
    with connection.execute_wrapper(hook):
        execute_from_command_line(["protutor", *command])


if __name__ == "__main__":
    main(sys.argv[1:])
