"""The database's full-text index over ``Activity.search_document``, made here
and nowhere else (activities/search.py queries it):

- SQLite: an FTS5 table with the documents as external content, kept in step by
  three triggers, ranked by bm25.
- PostgreSQL: a stored generated tsvector column (``simple`` configuration) with
  a GIN index.

Until this migration the index was (re)made after every migrate, so a database
migrated by an earlier release holds it already: the PostgreSQL statements say
IF NOT EXISTS; on SQLite the table and triggers are dropped and made again (a
table rebuild, as migration 0009 does to the activities table, drops the
triggers), and the FTS5 table is rebuilt from the documents. The documents
themselves are not touched: saves have kept them, and a database from before
migration 0006 (no search yet) needs ``manage.py rebuild_search_index`` once.

A later migration that makes SQLite rebuild the activities table (most
AlterField/RemoveField operations on Activity) drops the triggers: it must run
SQLITE_INDEX again. tests/test_migrations.py fails until it does.

The SQL is written out here, not imported: a migration must mean the same after
the app's code changes.
"""

import django.db.models.deletion
from django.db import migrations, models

SQLITE_INDEX = [
    "DROP TRIGGER IF EXISTS activities_activity_fts_insert",
    "DROP TRIGGER IF EXISTS activities_activity_fts_delete",
    "DROP TRIGGER IF EXISTS activities_activity_fts_update",
    "DROP TABLE IF EXISTS activities_activity_fts",
    """CREATE VIRTUAL TABLE activities_activity_fts USING fts5(
        search_document, content='activities_activity', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER activities_activity_fts_insert
        AFTER INSERT ON activities_activity BEGIN
        INSERT INTO activities_activity_fts(rowid, search_document)
        VALUES (new.id, new.search_document); END""",
    """CREATE TRIGGER activities_activity_fts_delete
        AFTER DELETE ON activities_activity BEGIN
        INSERT INTO activities_activity_fts(activities_activity_fts, rowid, search_document)
        VALUES ('delete', old.id, old.search_document); END""",
    """CREATE TRIGGER activities_activity_fts_update
        AFTER UPDATE OF search_document ON activities_activity BEGIN
        INSERT INTO activities_activity_fts(activities_activity_fts, rowid, search_document)
        VALUES ('delete', old.id, old.search_document);
        INSERT INTO activities_activity_fts(rowid, search_document)
        VALUES (new.id, new.search_document); END""",
    # The documents already in the table go into the index.
    "INSERT INTO activities_activity_fts(activities_activity_fts) VALUES ('rebuild')",
]

POSTGRESQL_INDEX = [
    """ALTER TABLE activities_activity ADD COLUMN IF NOT EXISTS search_vector tsvector
        GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_document)) STORED""",
    """CREATE INDEX IF NOT EXISTS activities_activity_search
        ON activities_activity USING gin (search_vector)""",
]


def make_index(apps, schema_editor):
    statements = {"sqlite": SQLITE_INDEX, "postgresql": POSTGRESQL_INDEX}
    for statement in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ('activities', '0010_activity_labels'),
    ]

    operations = [
        # Backwards, the index stays as migration 0006 made it.
        migrations.RunPython(make_index, migrations.RunPython.noop),
        # The FTS5 table as the ORM sees it (SQLite): no table of Django's own.
        migrations.CreateModel(
            name='SearchEntry',
            fields=[
                ('activity', models.OneToOneField(db_column='rowid', on_delete=django.db.models.deletion.DO_NOTHING, primary_key=True, related_name='search_entry', serialize=False, to='activities.activity')),
                ('search_document', models.TextField()),
                ('rank', models.FloatField()),
            ],
            options={
                'db_table': 'activities_activity_fts',
                'managed': False,
                'default_permissions': (),
            },
        ),
    ]
