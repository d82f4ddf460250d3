"""The model signals of the archive's tables, reported to activities/changes.py,
which decides what follows each change. Nothing else happens here."""

from __future__ import annotations

from django.db import connections
from django.db.models.signals import m2m_changed, post_delete, post_save

from activities import changes
from activities.models import (
    Activity,
    ActivityLink,
    ActivityPartner,
    ActivityTheme,
    ActivityVenue,
    Attendance,
    Department,
    Organization,
    Participant,
    Photo,
    Theme,
    Venue,
)

# The tables whose rows a public page shows.
PUBLIC_MODELS = (
    Activity,
    ActivityLink,
    ActivityPartner,
    ActivityTheme,
    ActivityVenue,
    Attendance,
    Department,
    Organization,
    Participant,
    Photo,
    Theme,
    Venue,
)
RELATIONS = (
    Activity.partners.through,
    Activity.themes.through,
    Activity.venues.through,
    Activity.participants.through,
    Photo.people.through,
)


def on_save(sender, instance, raw=False, **kwargs) -> None:
    changes.row_saved(instance, raw=raw)


def on_delete(sender, instance, **kwargs) -> None:
    changes.row_deleted(instance)


def on_m2m_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if action.startswith("post_"):
        changes.relation_changed(instance, sender, reverse=reverse, pks=pk_set or ())


def on_post_migrate(sender, using, **kwargs) -> None:
    """A migration, or a ``flush``, changes rows without the signals above: the
    search documents are checked against the current rule (a new release may
    index more) and every process is told that the archive changed. The
    database objects search needs are the migrations' own (activities/migrations/0011)."""
    connection = connections[using]
    if Activity._meta.db_table in connection.introspection.table_names():
        if _activities_table_is_current(connection):
            changes.documents_checked(using=using)
        changes.archive_changed(using=using)


def _activities_table_is_current(connection) -> bool:
    """Whether the activities table has every column the model reads: not after
    migrating backwards to an earlier schema."""
    with connection.cursor() as cursor:
        columns = {
            column.name
            for column in connection.introspection.get_table_description(
                cursor, Activity._meta.db_table
            )
        }
    return {field.column for field in Activity._meta.concrete_fields} <= columns


def connect() -> None:
    for model in PUBLIC_MODELS:
        post_save.connect(on_save, sender=model, dispatch_uid=f"cityties-save-{model.__name__}")
        post_delete.connect(
            on_delete, sender=model, dispatch_uid=f"cityties-delete-{model.__name__}"
        )
    for through in RELATIONS:
        m2m_changed.connect(
            on_m2m_changed, sender=through, dispatch_uid=f"cityties-m2m-{through.__name__}"
        )
