"""Back up the database and the uploaded photos into one folder.

PostgreSQL: ``pg_dump`` in its custom format (``database.pgdump``), which
``pg_restore`` reads. SQLite, or PostgreSQL with ``--format json``: Django's
``dumpdata`` (``database.json``), which ``loaddata`` reads into any database.
The media folder goes into ``media.tar.gz``. ``manage.py restore FOLDER`` puts
everything back. Login throttling records and sessions are left out: they expire.
"""

from __future__ import annotations

import datetime
import os
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

# Rows that a fresh database makes for itself (content types, permissions) or that
# only matter for a short time (sessions, login attempts).
DUMPDATA_EXCLUDE = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "axes",
]


def dumpdata_options() -> dict:
    """How ``database.json`` is written: references by natural key, so that the
    content types and permissions of the database it is loaded into are used."""
    return {
        "natural_foreign": True,
        "natural_primary": True,
        "exclude": DUMPDATA_EXCLUDE,
        "indent": 1,
    }


def postgres_command(program: str, alias: str = "default") -> tuple[list[str], dict]:
    """``program`` with the connection options of a PostgreSQL database, and an
    environment carrying its password (never on the command line)."""
    db = connections[alias].settings_dict
    args = [program, "--no-password"]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            args += [flag, str(db[key])]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def is_postgres(alias: str = "default") -> bool:
    return connections[alias].vendor == "postgresql"


class Command(BaseCommand):
    help = "Back up the database and the uploaded photos into one folder."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            default=None,
            help="Folder to write (default: backups/<date-time> in the project folder).",
        )
        parser.add_argument(
            "--format",
            choices=["native", "json"],
            default="native",
            help="native: pg_dump on PostgreSQL, JSON on SQLite; json: JSON on either.",
        )

    def handle(self, *args, output: Path | None, format: str, **options) -> None:
        stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
        folder = output or Path(settings.BASE_DIR) / "backups" / stamp
        if folder.exists() and any(folder.iterdir()):
            raise CommandError(f"{folder} exists and is not empty.")
        folder.mkdir(parents=True, exist_ok=True)

        if format == "native" and is_postgres():
            target = folder / "database.pgdump"
            args, env = postgres_command("pg_dump")
            name = connections["default"].settings_dict["NAME"]
            args += ["--format=custom", "--no-owner", "--no-privileges", "--file", str(target)]
            result = subprocess.run([*args, name], env=env, capture_output=True, text=True)
            if result.returncode != 0:
                raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
        else:
            target = folder / "database.json"
            call_command("dumpdata", output=str(target), verbosity=0, **dumpdata_options())

        media = Path(settings.MEDIA_ROOT)
        with tarfile.open(folder / "media.tar.gz", "w:gz") as archive:
            if media.is_dir():
                archive.add(media, arcname="media")
        self.stdout.write(f"Backed up to {folder}")
