"""Existing resources become version 1 of themselves (their description is the summary), and SQLite gets
the FTS5 index the library search reads (PostgreSQL searches with its own full-text functions)."""

from django.db import migrations

FTS_TABLE = "resources_resource_fts"

SQLITE_CREATE = [
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
    "title, description, tags, content='resources_resource', content_rowid='id',"
    " tokenize='porter unicode61 remove_diacritics 2')",
    f"CREATE TRIGGER resources_resource_fts_ai AFTER INSERT ON resources_resource BEGIN"
    f" INSERT INTO {FTS_TABLE}(rowid, title, description, tags)"
    " VALUES (new.id, new.title, new.description, new.tags); END",
    f"CREATE TRIGGER resources_resource_fts_ad AFTER DELETE ON resources_resource BEGIN"
    f" INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, description, tags)"
    " VALUES ('delete', old.id, old.title, old.description, old.tags); END",
    f"CREATE TRIGGER resources_resource_fts_au AFTER UPDATE ON resources_resource BEGIN"
    f" INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, description, tags)"
    " VALUES ('delete', old.id, old.title, old.description, old.tags);"
    f" INSERT INTO {FTS_TABLE}(rowid, title, description, tags)"
    " VALUES (new.id, new.title, new.description, new.tags); END",
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS resources_resource_fts_ai",
    "DROP TRIGGER IF EXISTS resources_resource_fts_ad",
    "DROP TRIGGER IF EXISTS resources_resource_fts_au",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in SQLITE_CREATE:
        schema_editor.execute(statement)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in SQLITE_DROP:
        schema_editor.execute(statement)


def first_versions(apps, schema_editor):
    Resource = apps.get_model("resources", "Resource")
    ResourceVersion = apps.get_model("resources", "ResourceVersion")
    with_version = ResourceVersion.objects.values("resource")
    ResourceVersion.objects.bulk_create(
        [
            ResourceVersion(
                resource=resource,
                number=1,
                title=resource.title,
                summary=resource.description,
                url=resource.url,
                changed_by_id=resource.added_by_id,
                change_note="First version",
            )
            for resource in Resource.objects.exclude(pk__in=with_version).iterator()
        ],
        batch_size=500,
    )


class Migration(migrations.Migration):
    dependencies = [("resources", "0002_library")]

    operations = [
        migrations.RunPython(first_versions, migrations.RunPython.noop),
        migrations.RunPython(create_index, drop_index),
    ]
