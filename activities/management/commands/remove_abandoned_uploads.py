"""Remove photos kept for forms that came back with an error and were never saved.

A photo chosen in such a form is kept for a day (activities/images.py); this
removes what is older. Saving the photo at a new upload does it too, at most
once an hour per process; run this daily as well (cron or a systemd timer), so
that nothing stays where nobody uploads.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from activities import images


class Command(BaseCommand):
    help = "Remove photos kept for forms that were never saved, after a day."

    def handle(self, *args: Any, **options: Any) -> None:
        removed = images.remove_abandoned_uploads()
        self.stdout.write(f"{removed} abandoned upload files removed.")
