"""Put photos stored before renditions existed through today's processing.

Such a photo's file is the upload as it came, location data and all. This reads
it back from storage and saves it again as a new upload would be: checked,
re-encoded, with renditions; the old file goes once the row is saved. A file
that fails today's checks is reported and left as it is, for staff to replace.

Safe to run again: photos that already have renditions are skipped.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction

from activities.models import Photo


class Command(BaseCommand):
    help = (
        "Re-encode photos stored before renditions existed, removing their location and "
        "camera data, and make their renditions."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        done = refused = 0
        for photo in Photo.objects.filter(renditions=[]).exclude(image="").order_by("pk"):
            try:
                with photo.image.open("rb") as stored:
                    content = ContentFile(stored.read(), name=photo.image.name)
                with transaction.atomic():
                    photo.image.save(photo.image.name, content)
            except (ValidationError, OSError) as error:
                refused += 1
                message = "; ".join(getattr(error, "messages", [str(error)]))
                self.stderr.write(f"Photo {photo.pk} ({photo.image.name}) left as it is: {message}")
                continue
            done += 1
        self.stdout.write(f"{done} photos processed, {refused} left as they were.")
