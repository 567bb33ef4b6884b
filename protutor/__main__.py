"""The `protutor` command: Django's manage.py under the project's own name.

Commands may be spelt with hyphens as well as underscores (`protutor import-staff` = `import_staff`).
"""

import os
import sys


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "protutor.settings")
    from django.core.management import execute_from_command_line

    argv = list(argv or sys.argv)
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    execute_from_command_line(argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
