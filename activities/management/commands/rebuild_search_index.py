"""``manage.py rebuild_search_index``: every search document and the organization
tree made anew, in one transaction, for after rows written in bulk."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from activities import search
from activities.changes import archive_changed
from activities.models import Activity, OrganizationAncestor


class Command(BaseCommand):
    help = (
        "Rebuild every activity's search document (the database's full-text index "
        "follows them) and the organization tree. Saves keep them up to date; run "
        "this after writing rows in bulk (bulk_create and update() send no signals), "
        "and once after migrating a database from before search (migration 0006)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            OrganizationAncestor.rebuild()
            ids = list(Activity.objects.values_list("pk", flat=True))
            search.refresh(ids)
            archive_changed()
        self.stdout.write(f"Search index rebuilt for {len(ids)} activities.")
