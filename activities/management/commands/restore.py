"""Restore a folder written by ``manage.py backup``: the database, then the photos.

Everything in the database is replaced by the backup's rows; the photos in the
backup are written back into the media folder (files not in the backup are kept).
"""

from __future__ import annotations

import shutil
import subprocess
import tarfile
from io import StringIO
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from activities.management.commands.backup import is_postgres, postgres_command


class Command(BaseCommand):
    help = "Replace the database and restore the photos from a backup folder."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path, help="A folder written by manage.py backup.")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )

    def handle(self, *args, folder: Path, interactive: bool, **options) -> None:
        pgdump, json_dump = folder / "database.pgdump", folder / "database.json"
        if not (pgdump.is_file() or json_dump.is_file()):
            raise CommandError(f"{folder} holds no database.pgdump or database.json.")
        db = connections["default"].settings_dict
        if interactive:
            answer = input(
                f"This replaces every row in the database {db['NAME']!s} with the backup's. "
                "Type 'yes' to go on: "
            )
            if answer != "yes":
                raise CommandError("Restore cancelled.")

        if pgdump.is_file():
            if not is_postgres():
                raise CommandError("database.pgdump can only be restored into PostgreSQL.")
            args, env = postgres_command("pg_restore")
            args += [
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
            ]
            args += ["--dbname", str(db["NAME"]), str(pgdump)]
            connections["default"].close()
            result = subprocess.run(args, env=env, capture_output=True, text=True)
            if result.returncode != 0:
                raise CommandError(f"pg_restore failed: {result.stderr.strip()}")
            # A backup from an older release gets this release's migrations.
            call_command("migrate", interactive=False, verbosity=0)
        else:
            call_command("migrate", interactive=False, verbosity=0)
            call_command("flush", interactive=False, verbosity=0)
            call_command("loaddata", str(json_dump), verbosity=0)

        # Derived data is rebuilt, not restored: the full-text index (where the search
        # is installed) and every cached page.
        if "rebuild_search_index" in get_commands():
            call_command("rebuild_search_index", stdout=StringIO())
        cache.clear()

        media = folder / "media.tar.gz"
        if media.is_file():
            restore_media(media, Path(settings.MEDIA_ROOT))
        self.stdout.write(f"Restored from {folder}")


def restore_media(archive_path: Path, media_root: Path) -> None:
    """Extract the archive's ``media/`` into MEDIA_ROOT: regular files and folders
    only, and only below it (an archive is input like any other)."""
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive_path, "r:gz") as archive:
        for member in archive.getmembers():
            parts = PurePosixPath(member.name).parts
            if not parts or parts[0] != "media" or ".." in parts or member.name.startswith("/"):
                continue
            target = media_root.joinpath(*parts[1:])
            if member.isdir():
                target.mkdir(parents=True, exist_ok=True)
            elif member.isfile():
                target.parent.mkdir(parents=True, exist_ok=True)
                source = archive.extractfile(member)
                if source is not None:
                    with source, target.open("wb") as out:
                        shutil.copyfileobj(source, out)
