"""The shared cache's table (settings.CACHES), so that `protutor migrate` is the only set-up step."""

from typing import ClassVar

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

TABLE = "protutor_cache"


def create_cache_table(apps, schema_editor):
    # Created whatever CACHES says at migration time (the test settings keep their cache in memory), so
    # the table is always there for the production setting.
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, TABLE, dry_run=False)


def drop_cache_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies: ClassVar[list[tuple[str, str]]] = []

    operations = [migrations.RunPython(create_cache_table, drop_cache_table)]
