"""What follows a change to the archive's data: the search documents of the
activities it touches are rebuilt, cached public pages are invalidated
(activities/changes.py), and a change to a part of an activity makes the forms
of that activity opened before it stale (activities/locking.py)."""

from __future__ import annotations

from django.db import connections
from django.db.models.signals import m2m_changed, post_delete, post_save

from activities import locking, search
from activities.changes import archive_changed
from activities.models import (
    Activity,
    ActivityLink,
    ActivityPartner,
    ActivityTheme,
    ActivityVenue,
    Attendance,
    Department,
    Organization,
    OrganizationAncestor,
    Participant,
    Photo,
    Theme,
    Venue,
)

# Whose change can alter a public page. Everything here bumps the cache generation.
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


def _activities_of(sender, instance) -> list[int]:
    """The activities whose search document includes this row's text."""
    if sender is Activity:
        return [instance.pk]
    if sender in (ActivityPartner, ActivityVenue, Attendance):
        return [instance.activity_id]
    if sender is Organization:
        return list(
            ActivityPartner.objects.filter(organization=instance).values_list(
                "activity_id", flat=True
            )
        )
    if sender is Venue:
        return list(
            ActivityVenue.objects.filter(venue=instance).values_list("activity_id", flat=True)
        )
    if sender is Participant:
        return list(
            Attendance.objects.filter(participant=instance).values_list("activity_id", flat=True)
        )
    return []


# The parts of an activity: shown and saved with it, some also edited on their own.
PARTS = (ActivityLink, Attendance, Photo)


def on_save(sender, instance, raw=False, **kwargs) -> None:
    archive_changed()
    if raw:  # loaddata: the dump holds the documents and versions already
        return
    if sender in PARTS:
        locking.part_changed([instance.activity_id])
    ids = _activities_of(sender, instance)
    if ids:
        search.refresh(ids)
    if sender is Organization:
        OrganizationAncestor.rebuild()


def on_delete(sender, instance, **kwargs) -> None:
    archive_changed()
    if sender in PARTS:
        locking.part_changed([instance.activity_id])
    if sender in (ActivityPartner, ActivityVenue, Attendance):
        search.refresh([instance.activity_id])


def on_m2m_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if not action.startswith("post_"):
        return
    archive_changed()
    if sender in (Activity.partners.through, Activity.venues.through, Attendance):
        search.refresh((pk_set or []) if reverse else [instance.pk])


def on_post_migrate(sender, using, **kwargs) -> None:
    """A migration, or a ``flush``, changes rows without the signals above: every
    process is told that the archive changed. The database objects search needs
    are the migrations' own (activities/migrations/0011)."""
    connection = connections[using]
    if Activity._meta.db_table in connection.introspection.table_names():
        archive_changed(using=using)


def connect() -> None:
    for model in PUBLIC_MODELS:
        post_save.connect(on_save, sender=model, dispatch_uid=f"cityties-save-{model.__name__}")
        post_delete.connect(
            on_delete, sender=model, dispatch_uid=f"cityties-delete-{model.__name__}"
        )
    for through in (
        Activity.partners.through,
        Activity.themes.through,
        Activity.venues.through,
        Activity.participants.through,
        Photo.people.through,
    ):
        m2m_changed.connect(
            on_m2m_changed, sender=through, dispatch_uid=f"cityties-m2m-{through.__name__}"
        )
