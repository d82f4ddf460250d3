"""Back up the database and the uploaded photos into one folder.

PostgreSQL: ``pg_dump`` in its custom format (``database.pgdump``), which
``pg_restore`` reads. SQLite, or PostgreSQL with ``--format json``: Django's JSON
serializer (``database.json``), which ``loaddata`` reads into any database. The
photos go into ``media.tar.gz`` as files under ``media/``, whether they are kept on
the disk (MEDIA_ROOT) or in an S3-compatible bucket (config/storage.py): a backup
of either restores into either. ``manifest.json`` records what the folder holds,
with each file's size and SHA-256. ``manage.py restore FOLDER`` puts everything
back. Login throttling records and sessions are left out: they expire.

The folder is written under a temporary name beside it and renamed when complete,
so a backup that stopped half-way never looks like a finished one.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import re
import secrets
import shutil
import subprocess
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.files.storage import FileSystemStorage, Storage, default_storage
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, models, router, transaction

DATABASE_JSON = "database.json"
DATABASE_PGDUMP = "database.pgdump"
MEDIA_ARCHIVE = "media.tar.gz"
MANIFEST = "manifest.json"
# Written into the manifest; a restore refuses a manifest of a later version.
MANIFEST_VERSION = 1

# Rows that migrate makes in every database (content types and permissions; the
# dump refers to them by natural key), and rows that only matter for a short time
# (sessions, login attempts). None of them is backed up.
MADE_BY_MIGRATE = {"contenttypes.contenttype", "auth.permission"}
SHORT_LIVED_APPS = {"sessions", "axes"}
# Not archive data: the shared cache's generation (activities/cache.py). Left out,
# a restored database starts a generation no cache has seen.
NOT_ARCHIVE_DATA = {"activities.cachegeneration"}
MD5 = re.compile(r"[0-9a-f]{32}")


class ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder, but times keep their microseconds (DjangoJSONEncoder cuts
    them to milliseconds, as JavaScript's dates have it)."""

    def default(self, o: object) -> object:
        if isinstance(o, (datetime.datetime, datetime.time)):
            return o.isoformat()
        return super().default(o)


def backed_up_models() -> list[type[models.Model]]:
    """The models whose rows ``database.json`` holds, in an order ``loaddata`` can
    load: those a natural key refers to first. Not the tables Django does not
    manage (SQLite's full-text index, SearchEntry: it follows the documents)."""
    app_list = [
        (config, None)
        for config in apps.get_app_configs()
        if config.models_module is not None and config.label not in SHORT_LIVED_APPS
    ]
    return [
        model
        for model in serializers.sort_dependencies(app_list, allow_cycles=True)
        if model._meta.managed
        and not model._meta.proxy
        and model._meta.label_lower not in MADE_BY_MIGRATE | NOT_ARCHIVE_DATA
        and router.allow_migrate_model(DEFAULT_DB_ALIAS, model)
    ]


def write_json(path: Path) -> None:
    """Every row of the backed-up models, as ``dumpdata`` writes them but with every
    value exact. References to content types, permissions, users and groups are
    natural keys (names, not ids), so that the content types and permissions of the
    database it is loaded into are used; each row keeps its own id."""

    def rows():
        for model in backed_up_models():
            yield from model._base_manager.order_by(model._meta.pk.name).iterator()

    connection = connections[DEFAULT_DB_ALIAS]
    # One transaction, so that every table is read as of the same moment (as pg_dump
    # does): rows written meanwhile would otherwise refer to rows the dump lacks.
    # PostgreSQL gives one snapshot to the whole transaction only when asked first.
    snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
    with transaction.atomic(), path.open("w", encoding="utf-8") as stream:
        if snapshot:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        serializers.serialize(
            "json",
            rows(),
            stream=stream,
            cls=ExactJSONEncoder,
            indent=1,
            use_natural_foreign_keys=True,
        )


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


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def photo_storage() -> Storage:
    """Where the photos are kept: the disk or a bucket (config/storage.py)."""
    return default_storage


def on_disk(storage: Storage) -> bool:
    return isinstance(storage, FileSystemStorage)


def bucket_name(storage: Storage) -> str:
    """A bucket's name as messages give it, with the prefix under which the photos
    are: "the bucket cityties-photos (under cityties/)"."""
    name, prefix = getattr(storage, "bucket_name", ""), getattr(storage, "location", "")
    return f"the bucket {name}" + (f" (under {prefix}/)" if prefix else "")


@dataclass(frozen=True)
class StoredObject:
    """An object of the bucket, as its listing gives it."""

    name: str  # under the storage's prefix
    modified: datetime.datetime
    # The MD5 of its bytes, where its ETag is one: a single-part upload's. (An ETag
    # of 32 hex digits that is not, an encrypted object's, only reads as other bytes.)
    md5: str | None


def bucket_objects(storage: Storage) -> Iterator[StoredObject]:
    """Every object under the storage's prefix in its bucket, from the bucket's
    listing (one request a thousand objects), by name: no object is read, nor
    asked for one by one."""
    location = storage.location.strip("/")  # type: ignore[attr-defined]
    prefix = f"{location}/" if location else ""
    for listed in storage.bucket.objects.filter(Prefix=prefix):  # type: ignore[attr-defined]
        name = listed.key.removeprefix(prefix)
        if not name or name.endswith("/"):
            continue  # a folder's marker, not a file
        etag = listed.e_tag.strip('"').lower()
        yield StoredObject(name, listed.last_modified, etag if MD5.fullmatch(etag) else None)


def write_media_archive(path: Path, storage: Storage) -> list[str]:
    """The photos as ``media/...``; the names of what was left out are returned."""
    if on_disk(storage):
        return write_folder_archive(path, Path(settings.MEDIA_ROOT))
    try:
        write_bucket_archive(path, storage)
    except OSError:
        raise
    except Exception as error:  # storage backends raise their own kinds of error
        raise CommandError(
            f"The photos could not be read from {bucket_name(storage)}: "
            f"{' '.join(str(error).split())}. No backup was written."
        ) from error
    return []


def write_bucket_archive(path: Path, storage: Storage) -> None:
    """Every object under the storage's prefix, as ``media/<name>``."""
    with tarfile.open(path, "w:gz") as archive:
        root = tarfile.TarInfo("media")
        root.type, root.mode = tarfile.DIRTYPE, 0o755
        root.mtime = int(datetime.datetime.now().timestamp())
        archive.addfile(root)
        for stored in sorted(bucket_objects(storage), key=lambda o: o.name):
            with storage.open(stored.name, "rb") as file:
                data = file.read()
            member = tarfile.TarInfo(f"media/{stored.name}")
            member.size, member.mode = len(data), 0o644
            member.mtime = int(stored.modified.timestamp())
            archive.addfile(member, io.BytesIO(data))


def write_folder_archive(path: Path, media: Path) -> list[str]:
    """The media folder as ``media/...``: its folders and regular files. Anything
    else (a link, a socket) is left out, so that the archive holds only what a
    restore accepts; the names of what was left out are returned."""
    left_out = []

    def regular(member: tarfile.TarInfo) -> tarfile.TarInfo | None:
        if member.isdir() or member.isreg():
            return member
        left_out.append(member.name)
        return None

    with tarfile.open(path, "w:gz") as archive:
        if media.is_dir():
            # resolve(): when MEDIA_ROOT is a link, its folder is what is backed up.
            archive.add(media.resolve(), arcname="media", filter=regular)
    return left_out


def write_manifest(folder: Path, database: Path, vendor: str) -> None:
    files = {}
    for path in (database, folder / MEDIA_ARCHIVE):
        files[path.name] = {"size": path.stat().st_size, "sha256": sha256(path)}
    manifest = {
        "version": MANIFEST_VERSION,
        "created": datetime.datetime.now(datetime.UTC).isoformat(),
        "database": {
            "vendor": vendor,
            "format": "pgdump" if database.name == DATABASE_PGDUMP else "json",
            "file": database.name,
        },
        "files": files,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")


def sync(path: Path) -> None:
    """Flush a file or folder to disk, so that a crash after the rename cannot leave
    a finished-looking backup with empty files."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


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
        folder = (output or Path(settings.BASE_DIR) / "backups" / stamp).absolute()
        if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
            raise CommandError(f"{folder} exists and is not an empty folder.")
        folder.parent.mkdir(parents=True, exist_ok=True)
        partial = folder.with_name(f".{folder.name}.partial-{secrets.token_hex(4)}")
        partial.mkdir(mode=0o700)  # the dump holds password hashes
        try:
            self.write(partial, native=format == "native" and is_postgres())
            # An empty folder given as --output is replaced whole (rename allows that).
            partial.rename(folder)
        except BaseException:
            shutil.rmtree(partial, ignore_errors=True)
            raise
        sync(folder.parent)
        self.stdout.write(f"Backed up to {folder}")

    def write(self, folder: Path, *, native: bool) -> None:
        connection = connections[DEFAULT_DB_ALIAS]
        if native:
            database = folder / DATABASE_PGDUMP
            args, env = postgres_command("pg_dump")
            name = connection.settings_dict["NAME"]
            args += ["--format=custom", "--no-owner", "--no-privileges", "--file", str(database)]
            args += [
                f"--exclude-table-data={apps.get_model(label)._meta.db_table}"
                for label in sorted(NOT_ARCHIVE_DATA)
            ]
            result = subprocess.run([*args, name], env=env, capture_output=True, text=True)
            if result.returncode != 0:
                raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
        else:
            database = folder / DATABASE_JSON
            write_json(database)
        for name in write_media_archive(folder / MEDIA_ARCHIVE, photo_storage()):
            self.stderr.write(f"Left out of the backup, not a regular file or folder: {name}")
        write_manifest(folder, database, connection.vendor)
        for path in (database, folder / MEDIA_ARCHIVE, folder / MANIFEST, folder):
            sync(path)
