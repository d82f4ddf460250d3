"""What follows a change to the archive's data, written once.

Every row the ORM writes to the archive's tables is reported here: the model
signals (activities/signals.py) call ``row_saved``, ``row_deleted`` and
``relation_changed`` and do nothing else. Writes that send no signals
(``QuerySet.update()``, ``bulk_create()``, management commands writing in bulk)
call ``archive_changed()`` themselves.

What follows, and when:

- **At once, in the writing transaction** (rolled back with it): after an
  organization is saved, the organization tree the partner filter reads
  (``OrganizationAncestor``); after a photo, attendance or link is written or
  deleted, its activity's version moves on, so forms opened before are stale
  (activities/locking.py).
- **Once per transaction, when it commits**: the search documents of the
  activities whose searchable text changed (their own texts, or the names of
  their partners, venues and people), each once however many rows of it were
  written; then the cache generation moves on (activities/cache.py), so every
  process drops its cached pages and rebuilds its archive index. A transaction
  that is rolled back does neither. Until it commits, the transaction reads
  through a generation of its own, so nothing it renders from its uncommitted
  rows is served to anyone else; and when it searches, its documents are
  brought up to date first, so it finds what it wrote (activities/search.py).

Outside a transaction a write is committed at once, and so are its follow-ups.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models, transaction

from activities import cache, locking, search
from activities.models import (
    Activity,
    ActivityLink,
    ActivityPartner,
    ActivityTheme,
    ActivityVenue,
    Attendance,
    Organization,
    OrganizationAncestor,
    Participant,
    Photo,
    Theme,
    Venue,
)

# The parts of an activity: shown and saved with it, some also edited on their own.
PARTS = (ActivityLink, Attendance, Photo)
# Rows that tie an activity to a searchable name: the activity's search document
# follows their creation and deletion.
SEARCHED_LINKS = (ActivityPartner, ActivityTheme, ActivityVenue, Attendance)


def archive_changed(activities: Iterable[int] = (), *, using: str | None = None) -> None:
    """Note that the current transaction changed the archive's data, and the
    searchable text of ``activities`` with it. On commit, their search documents
    are rebuilt, then the cache generation moves on: once each, for the whole
    transaction (in that order: both are queued at its first change)."""
    search.refresh_on_commit(activities, using=using)
    cache.invalidate_on_commit(using)


def documents_checked(*, using: str | None = None) -> None:
    """After a migration: search documents made by an earlier rule are made anew."""
    with transaction.atomic(using=using):
        search.rebuild_if_stale(using=using or "default")


# -- what the model signals report ---------------------------------------------------


def row_saved(row: models.Model, *, raw: bool = False) -> None:
    if raw:
        # loaddata: the dump holds the documents, versions and tree already.
        archive_changed(using=row._state.db)
        return
    if isinstance(row, PARTS):
        locking.part_changed([row.activity_id])
    if isinstance(row, Organization):
        OrganizationAncestor.rebuild(using=row._state.db)
    archive_changed(_searched_with(row), using=row._state.db)


def row_deleted(row: models.Model) -> None:
    if isinstance(row, PARTS):
        locking.part_changed([row.activity_id])
    touched = [row.activity_id] if isinstance(row, SEARCHED_LINKS) else []
    archive_changed(touched, using=row._state.db)


def relation_changed(
    row: models.Model, relation: type[models.Model], *, reverse: bool, pks: Iterable[int]
) -> None:
    """A many-to-many relation of ``row`` changed (``add()``, ``set()``,
    ``clear()``); ``pks`` are the rows at its other end."""
    touched: Iterable[int] = ()
    if relation in (
        Activity.partners.through,
        Activity.themes.through,
        Activity.venues.through,
        Attendance,
    ):
        touched = pks if reverse else [row.pk]
    archive_changed(touched, using=row._state.db)


def _searched_with(row: models.Model) -> list[int]:
    """The activities whose search document includes this row's text."""
    if isinstance(row, Activity):
        return [row.pk]
    if isinstance(row, SEARCHED_LINKS):
        return [row.activity_id]
    links: models.QuerySet | None = None
    if isinstance(row, Organization):
        links = ActivityPartner.objects.filter(organization=row)
    elif isinstance(row, Theme):
        links = ActivityTheme.objects.filter(theme=row)
    elif isinstance(row, Venue):
        links = ActivityVenue.objects.filter(venue=row)
    elif isinstance(row, Participant):
        links = Attendance.objects.filter(participant=row)
    if links is None:
        return []
    return list(links.using(row._state.db).values_list("activity_id", flat=True))
