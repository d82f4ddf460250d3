"""The database objects search needs are made by the migrations alone: on a new
database, on one an earlier release migrated (which made them after every migrate),
and on one where they are missing. Right after migrate, the archive is searchable."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from activities import search
from tests.factories import ActivityFactory

TRIGGERS = {
    "activities_activity_fts_insert",
    "activities_activity_fts_delete",
    "activities_activity_fts_update",
}


def search_objects() -> set[str]:
    """The names of the full-text index's parts that the database holds."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = "
                "'activities_activity' AND column_name = 'search_vector' AND is_generated = "
                "'ALWAYS' UNION SELECT indexname FROM pg_indexes WHERE indexname = "
                "'activities_activity_search'"
            )
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = "
                "'activities_activity' OR name = 'activities_activity_fts'"
            )
        return {name for (name,) in cursor.fetchall()}


def expected_objects() -> set[str]:
    if connection.vendor == "postgresql":
        return {"search_vector", "activities_activity_search"}
    return {"activities_activity_fts", *TRIGGERS}


def drop_search_objects() -> None:
    """The database as if nothing had made the index, or a table rebuild had
    dropped its triggers and left it behind the documents."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE activities_activity DROP COLUMN search_vector CASCADE")
        else:
            for trigger in sorted(TRIGGERS):
                cursor.execute(f"DROP TRIGGER {trigger}")
            cursor.execute("DROP TABLE activities_activity_fts")


def found(client, q: str) -> set[str]:
    response = client.get("/ja/activities/", {"q": q})
    assert response.status_code == 200
    return {activity.slug for activity in response.context["activities"]}


@pytest.mark.django_db
def test_a_new_database_has_the_search_index() -> None:
    # Also fails when a later migration rebuilds the activities table on SQLite,
    # which drops the triggers, without making them again.
    assert search_objects() == expected_objects()


# serialized_rollback: the flush after the test then leaves the content types and
# groups as migrate made them, for the tests that run after it.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("index", ["made by an earlier release", "missing"])
def test_the_archive_is_searchable_right_after_migrate(client, index) -> None:
    ActivityFactory(slug="before", title_ja="イクレイ総会への出席")
    call_command("migrate", "activities", "0010", verbosity=0)
    try:
        if index == "missing":
            drop_search_objects()
            assert search_objects() == set()
        # Written while nothing keeps the index in step, when it is missing; as the
        # app then wrote it (its document made on save), in the table as it then was.
        old_activity = (
            MigrationExecutor(connection)
            .loader.project_state(("activities", "0010_activity_labels"))
            .apps.get_model("activities", "Activity")
        )
        title = "イクレイ世界事務局の訪問"
        old_activity.objects.create(
            slug="meanwhile",
            title=title,
            title_ja=title,
            kind="meeting",
            start_date=datetime.date(2019, 10, 30),
            status="published",
            published_at=timezone.now(),
            search_document=search.document(title),
        )
    finally:
        call_command("migrate", verbosity=0)

    assert search_objects() == expected_objects()
    assert found(client, "イクレイ") == {"before", "meanwhile"}
    ActivityFactory(slug="after", title_ja="イクレイ東アジア事務局との会議")
    assert found(client, "イクレイ") == {"before", "meanwhile", "after"}
    assert found(client, "世界事務局") == {"meanwhile"}
