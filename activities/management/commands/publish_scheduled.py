"""Carry out scheduled publications and withdrawals (公開予約) whose time has come.

Run it every minute (cron, or a systemd timer: README, "Production"). A draft
scheduled to go public stays a draft, on every public page, until this runs; a
scheduled withdrawal takes effect when it runs.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from activities import review


class Command(BaseCommand):
    help = "Publish and withdraw the activities whose scheduled time has come."

    def handle(self, *args: Any, **options: Any) -> None:
        published, withdrawn = review.carry_out_schedule()
        for activity in published:
            self.stdout.write(f"published: {activity.pk} {activity}")
        for activity in withdrawn:
            self.stdout.write(f"withdrawn: {activity.pk} {activity}")
        self.stdout.write(f"{len(published)} published, {len(withdrawn)} withdrawn.")
