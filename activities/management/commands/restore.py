"""Restore a folder written by ``manage.py backup``: all of it, or nothing.

1. The whole backup is checked before anything is touched: the sizes and SHA-256
   sums in ``manifest.json`` (a backup from before manifests is checked by reading
   alone); the database dump read to its end (JSON: a list of rows of this site's
   models; a pgdump: read through by ``pg_restore``, and only into PostgreSQL); the
   media archive read to its end, every member a file or folder under ``media/``.
   A bad backup is refused with what is wrong with it.
2. The photos are set aside: on the disk, extracted into a folder beside
   MEDIA_ROOT; in a bucket (config/storage.py), written into it beside the photos
   there, an object that the backup holds with other bytes kept aside first.
3. The database is replaced in one transaction: JSON is loaded into emptied tables
   (content types and permissions stay: migrate makes them, the dump names them)
   and the derived data is rebuilt; a pgdump goes through ``pg_restore
   --single-transaction``. If that fails it is rolled back, the photos set aside
   are taken back (the extracted folder removed; in a bucket, the objects written
   deleted and those overwritten put back), and nothing has changed. The
   transaction tells every server process that the archive changed
   (activities/changes.py).
4. Once the database has committed, the photos are put in place: the extracted
   folder takes MEDIA_ROOT's place; in a bucket, every object the backup does not
   hold is deleted. Either way the photos are exactly the backup's.

The database is migrated to this release where it is behind: before JSON is loaded,
after pg_restore.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import secrets
import shutil
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from io import StringIO
from pathlib import Path, PurePosixPath
from typing import IO, NoReturn

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
from django.db.migrations.executor import MigrationExecutor

from activities.changes import archive_changed
from activities.management.commands.backup import (
    DATABASE_JSON,
    DATABASE_PGDUMP,
    MADE_BY_MIGRATE,
    MANIFEST,
    MANIFEST_VERSION,
    MEDIA_ARCHIVE,
    bucket_name,
    bucket_objects,
    is_postgres,
    on_disk,
    photo_storage,
    postgres_command,
    sha256,
)

NOTHING_CHANGED = "Nothing was changed."
ANOTHER_BACKUP = "Use another backup."


@dataclass
class Backup:
    database: Path
    media: Path
    rows: int | None  # None for a pgdump: pg_restore does not count them
    files: int
    created: str | None  # from the manifest


def refuse(path: Path, problem: str, advice: str = ANOTHER_BACKUP) -> NoReturn:
    raise CommandError(f"{path}: {problem}. {NOTHING_CHANGED} {advice}")


class Command(BaseCommand):
    help = "Replace the database and the photos with a backup folder's, all or nothing."

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
        storage = photo_storage()
        photos: Photos = (
            # Resolved: when MEDIA_ROOT is a link, the folder it points to is replaced.
            FolderPhotos(Path(settings.MEDIA_ROOT).resolve())
            if on_disk(storage)
            else BucketPhotos(storage)
        )
        try:
            backup = check_backup(folder.absolute())
        except OSError as error:
            raise CommandError(
                f"The backup could not be read: {reason(error)}. {NOTHING_CHANGED}"
            ) from error
        photos.check()
        contents = describe(backup)
        self.stdout.write(f"Checked {folder}: {contents}.")
        if interactive:
            name = connections[DEFAULT_DB_ALIAS].settings_dict["NAME"]
            answer = input(
                f"This replaces every row in the database {name!s} and every file in "
                f"{photos} with the backup's. Type 'yes' to go on: "
            )
            if answer != "yes":
                raise CommandError(f"Restore cancelled. {NOTHING_CHANGED}")

        photos.set_aside(backup.media)
        try:
            if backup.database.name == DATABASE_JSON:
                load_json(backup.database)
            else:
                load_pgdump(backup.database)
        except Exception as error:
            photos.take_back()
            raise CommandError(
                f"Restoring {backup.database} failed: {reason(error)}. The database was rolled "
                f"back. {NOTHING_CHANGED} {ANOTHER_BACKUP}"
            ) from error
        except BaseException:  # interrupted: rolled back all the same
            photos.take_back()
            raise

        photos.put_in_place()

        if backup.database.name == DATABASE_PGDUMP:
            try:
                # A backup from an older release gets this release's migrations.
                migrate()
                call_command("rebuild_search_index", stdout=StringIO())
            except Exception as error:
                raise CommandError(
                    f"The backup was restored, but bringing it up to this release failed: "
                    f"{reason(error)}. Run manage.py migrate, then manage.py rebuild_search_index."
                ) from error
        self.stdout.write(f"Restored from {folder}: {contents}.")


def reason(error: BaseException | str) -> str:
    """An error's message on one line, for a sentence of our own around it."""
    return " ".join(str(error).split()).rstrip(".") or type(error).__name__


def describe(backup: Backup) -> str:
    parts = [] if backup.rows is None else [f"{backup.rows:,} database rows"]
    parts.append(f"{backup.files:,} media files")
    if backup.created:
        parts.append(f"made {backup.created}")
    return ", ".join(parts)


# -- 1. Checking, touching nothing ---------------------------------------------------


def check_backup(folder: Path) -> Backup:
    """The backup's files, each read to its end; a CommandError saying what is wrong
    with the first bad one."""
    if not folder.is_dir():
        raise CommandError(f"{folder} is not a folder. {NOTHING_CHANGED}")
    manifest = read_manifest(folder)
    if manifest:
        database = folder / manifest["database"]["file"]
        for name, expected in manifest["files"].items():
            check_file(folder / name, expected)
    else:
        found = [folder / name for name in (DATABASE_JSON, DATABASE_PGDUMP)]
        found = [path for path in found if path.is_file()]
        if not found:
            refuse(
                folder, f"holds no {DATABASE_JSON} or {DATABASE_PGDUMP}", "Is it a backup folder?"
            )
        if len(found) > 1:
            refuse(folder, "holds both a database.json and a database.pgdump, and no manifest")
        database = found[0]
    media = folder / MEDIA_ARCHIVE
    if not media.is_file():
        refuse(media, "is missing: a backup holds the photos too")

    # A pgdump's rows are not counted: None, as Backup.rows says.
    rows = check_json(database) if database.name == DATABASE_JSON else check_pgdump(database)  # type: ignore[func-returns-value]
    files = check_media(media)
    return Backup(database, media, rows, files, manifest.get("created") if manifest else None)


def read_manifest(folder: Path) -> dict | None:
    path = folder / MANIFEST
    if not path.exists():
        return None
    try:
        manifest = json.loads(path.read_bytes().decode())
    except ValueError as error:
        refuse(path, f"is not valid JSON ({error})")
    if not isinstance(manifest, dict) or not isinstance(manifest.get("version"), int):
        refuse(path, "is not a backup manifest")
    if manifest["version"] > MANIFEST_VERSION:
        refuse(
            path,
            f"has version {manifest['version']}: it was written by a later release of the site",
            "Restore it with that release.",
        )
    database, files = manifest.get("database"), manifest.get("files")
    names = {DATABASE_JSON, DATABASE_PGDUMP}
    if not (isinstance(database, dict) and database.get("file") in names):
        refuse(path, f"does not name the database file ({' or '.join(sorted(names))})")
    if not (isinstance(files, dict) and {database["file"], MEDIA_ARCHIVE} <= files.keys()):
        refuse(path, f"does not list {database['file']} and {MEDIA_ARCHIVE} with their sums")
    # Only the files a backup writes; a manifest names nothing else to read.
    manifest["files"] = {name: files[name] for name in (database["file"], MEDIA_ARCHIVE)}
    for name, entry in manifest["files"].items():
        if not (
            isinstance(entry, dict)
            and isinstance(entry.get("size"), int)
            and isinstance(entry.get("sha256"), str)
        ):
            refuse(path, f"does not give the size and sha256 of {name}")
    return manifest


def check_file(path: Path, expected: dict) -> None:
    if not path.is_file():
        refuse(path, f"is missing (it is listed in {MANIFEST})")
    size = path.stat().st_size
    if size != expected["size"]:
        refuse(
            path,
            f"has {size:,} bytes where {MANIFEST} says {expected['size']:,}: "
            "it is incomplete or was changed",
        )
    if sha256(path) != expected["sha256"]:
        refuse(path, f"does not match its SHA-256 sum in {MANIFEST}: it is damaged or was changed")


def check_json(path: Path) -> int:
    """The number of rows in a JSON dump, once it has parsed completely into a list
    of rows of this site's models."""
    data = path.read_bytes()
    if not data.strip():
        refuse(path, "is empty")
    try:
        rows = json.loads(data.decode())
    except UnicodeDecodeError as error:
        if error.end == len(data):  # a character cut in two at the very end
            refuse(path, "is not complete JSON (it ends inside a character): it may be cut short")
        refuse(path, "is not text, so not a database dump")
    except json.JSONDecodeError as error:
        refuse(
            path,
            f"is not complete JSON ({error.msg}: line {error.lineno}, column {error.colno}): "
            "it may be cut short",
        )
    if not isinstance(rows, list):
        refuse(
            path, f"is JSON but not a database dump: a list of rows, not a {type(rows).__name__}"
        )
    for number, row in enumerate(rows, start=1):
        if not (
            isinstance(row, dict)
            and isinstance(row.get("model"), str)
            and isinstance(row.get("fields"), dict)
        ):
            refuse(path, f'row {number:,} is not a database row (a "model" and its "fields")')
        try:
            apps.get_model(row["model"])
        except (LookupError, ValueError):
            refuse(path, f"row {number:,} is of a model this site does not have: {row['model']!r}")
    return len(rows)


def check_pgdump(path: Path) -> None:
    """A pgdump is read through by pg_restore: its table of contents (which is at the
    start of the file, so a file cut short still lists), then every data block."""
    if not is_postgres():
        database = connections[DEFAULT_DB_ALIAS].display_name
        refuse(
            path,
            f"is a PostgreSQL backup (pg_dump), and this site's database is {database}",
            "Restore it into PostgreSQL, or restore a backup made with "
            "'manage.py backup --format json'.",
        )
    listing = run_pg_restore(path, "--list")
    if not re.search(r"\bTABLE DATA \S+ activities_activity\b", listing):
        refuse(path, "is a PostgreSQL dump, but not of this site's database (no activities table)")
    run_pg_restore(path, "--file", os.devnull)


def run_pg_restore(path: Path, *args: str) -> str:
    try:
        result = subprocess.run(
            ["pg_restore", *args, str(path)], capture_output=True, text=True, check=False
        )
    except FileNotFoundError:
        raise CommandError(
            f"pg_restore was not found. {NOTHING_CHANGED} Install the PostgreSQL client tools."
        ) from None
    if result.returncode != 0:
        refuse(path, f"cannot be read to its end by pg_restore ({reason(result.stderr)})")
    return result.stdout


class UnsafeMember(Exception):
    pass


def media_members(path: Path) -> Iterator[tuple[tarfile.TarInfo, PurePosixPath, tarfile.TarFile]]:
    """Each member of the media archive with its path inside the media folder, read
    in one pass. An UnsafeMember when a member is not a regular file or folder under
    ``media/``: anything else (links, devices, absolute paths, ``..``) could write
    outside the folder or mean something else than a photo."""
    with gzip.open(path) as raw, tarfile.open(fileobj=raw, mode="r|") as archive:
        for member in archive:
            parts = PurePosixPath(member.name).parts
            if member.name.startswith("/") or ".." in parts or parts[:1] != ("media",):
                raise UnsafeMember(f"{member.name!r}, which is not a path inside media/")
            if not (member.isreg() or member.isdir()):
                raise UnsafeMember(f"{member.name!r}, which is not a regular file or folder")
            if parts == ("media",) and not member.isdir():
                raise UnsafeMember(f"{member.name!r}, which is not a folder")
            yield member, PurePosixPath(*parts[1:]), archive
        # The archive ends before the gzip stream does: read on to its end, where the
        # checksum is, so that a damaged file or one cut short is noticed.
        while raw.read(1 << 20):
            pass


def check_media(path: Path) -> int:
    """The number of files in the media archive, once it has been read to its end."""
    try:
        return sum(member.isreg() for member, _, _ in media_members(path))
    except UnsafeMember as error:
        refuse(path, f"holds {error}; the archive is refused as a whole")
    except (OSError, tarfile.TarError, EOFError, zlib.error) as error:
        refuse(path, f"cannot be read to its end ({error}): it is cut short or damaged")


# -- 2. and 4. The photos: set aside, then put in place or taken back ----------------


class Photos:
    """Where the photos are kept, as a restore replaces them."""

    def check(self) -> None:
        """Refuse, touching nothing, a place the photos cannot be restored into."""

    def set_aside(self, archive: Path) -> None:
        """The backup's photos written where they can be put in place, or taken back."""
        raise NotImplementedError

    def take_back(self) -> None:
        """Undo ``set_aside``: the photos are as they were before the restore."""
        raise NotImplementedError

    def put_in_place(self) -> None:
        """After the database has committed: the photos become exactly the backup's."""
        raise NotImplementedError


class FolderPhotos(Photos):
    """MEDIA_ROOT on the disk: the backup's files are extracted into a new folder
    beside it (on the same file system), which takes its place by a rename."""

    def __init__(self, media_root: Path) -> None:
        self.media_root = media_root
        self.staging: Path | None = None

    def __str__(self) -> str:
        return str(self.media_root)

    def check(self) -> None:
        media_root = self.media_root
        if media_root.exists() and not media_root.is_dir():
            raise CommandError(f"MEDIA_ROOT {media_root} is not a folder. {NOTHING_CHANGED}")
        if os.path.ismount(media_root):
            raise CommandError(
                f"MEDIA_ROOT {media_root} is a mount point, and a restore puts the photos in "
                f"place by renaming it. {NOTHING_CHANGED} Set DJANGO_MEDIA_ROOT to a folder "
                "inside the mount."
            )

    def set_aside(self, archive: Path) -> None:
        try:
            self.staging = stage_media(archive, self.media_root)
        except (OSError, tarfile.TarError, EOFError, zlib.error) as error:
            raise CommandError(
                f"The photos could not be extracted beside {self.media_root}: {reason(error)}. "
                f"{NOTHING_CHANGED} Check the free space and permissions there."
            ) from error

    def take_back(self) -> None:
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)

    def put_in_place(self) -> None:
        assert self.staging is not None
        try:
            replace_folder(self.media_root, self.staging)
        except OSError as error:
            raise CommandError(
                f"The database was restored, but the photos could not be put in place: "
                f"{reason(error)}. The backup's photos are in {self.staging}: put that folder "
                f"in the place of {self.media_root}."
            ) from error


def stage_media(archive: Path, media_root: Path) -> Path:
    """The archive's files extracted into a new folder beside MEDIA_ROOT (on the same
    file system, so that it can take MEDIA_ROOT's place by a rename)."""
    media_root.parent.mkdir(parents=True, exist_ok=True)
    staging = media_root.with_name(f".{media_root.name}.restoring-{secrets.token_hex(4)}")
    staging.mkdir()
    try:
        if media_root.is_dir():
            shutil.copymode(media_root, staging)
        for member, relative, tar in media_members(archive):
            target = staging / relative
            if member.isdir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            # A regular member (media_members) always has a file to read.
            source: IO[bytes] = tar.extractfile(member)  # type: ignore[assignment]
            with source, target.open("wb") as out:
                shutil.copyfileobj(source, out)
            os.utime(target, (member.mtime, member.mtime))
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging


def replace_folder(media_root: Path, staging: Path) -> None:
    """Put ``staging`` in the place of ``media_root`` by renames, then remove the
    old folder."""
    old = None
    if media_root.exists():
        old = media_root.with_name(f".{media_root.name}.replaced-{secrets.token_hex(4)}")
        media_root.rename(old)
    try:
        staging.rename(media_root)
    except BaseException:
        if old:
            old.rename(media_root)
        raise
    if old:
        shutil.rmtree(old, ignore_errors=True)


class BucketPhotos(Photos):
    """An S3-compatible bucket (under its prefix): the backup's files are written into
    it beside the photos there — those it holds already with the same bytes are left
    alone, those with other bytes are first copied aside, on the disk, so that they
    can be put back. Once the database has committed, every object the backup does
    not hold is deleted. Until then the site goes on showing the photos it had."""

    def __init__(self, storage: Storage) -> None:
        self.storage = storage
        self.names: set[str] = set()  # the backup's
        self.written: list[str] = []  # new objects
        self.replaced: dict[str, Path] = {}  # overwritten objects: their old bytes
        self.aside: Path | None = None

    def __str__(self) -> str:
        return bucket_name(self.storage)

    def check(self) -> None:
        try:
            self.storage.listdir("")
        except Exception as error:  # storage backends raise their own kinds of error
            raise CommandError(
                f"The photos' object storage, {self}, could not be read: {reason(error)}. "
                f"{NOTHING_CHANGED}"
            ) from error

    def set_aside(self, archive: Path) -> None:
        writer = overwriting()
        self.aside = Path(tempfile.mkdtemp(prefix="cityties-restore-"))
        try:
            there = {stored.name: stored.md5 for stored in bucket_objects(self.storage)}
            for member, relative, tar in media_members(archive):
                if member.isdir():
                    continue
                name = str(relative)
                # A regular member (media_members) always has a file to read.
                data = tar.extractfile(member).read()  # type: ignore[union-attr]
                self.names.add(name)
                if name in there:
                    # The same bytes, by the listing's MD5 where it gives one (no
                    # download), else by reading the object.
                    if there[name] == hashlib.md5(data, usedforsecurity=False).hexdigest():
                        continue
                    with self.storage.open(name, "rb") as stored:
                        old = stored.read()
                    if old == data:
                        continue
                    kept = self.aside / name  # a relative path (media_members)
                    kept.parent.mkdir(parents=True, exist_ok=True)
                    kept.write_bytes(old)
                    self.replaced[name] = kept
                else:
                    self.written.append(name)
                if writer.save(name, ContentFile(data)) != name:
                    raise OSError(f"the storage wrote {name} under another name")
        except Exception as error:  # storage backends raise their own kinds of error
            self.take_back()
            raise CommandError(
                f"The photos could not be written into {self}: {reason(error)}. {NOTHING_CHANGED}"
            ) from error
        except BaseException:
            self.take_back()
            raise

    def take_back(self) -> None:
        failed: list[str] = []
        writer = overwriting()
        for name in self.written:
            try:
                self.storage.delete(name)
            except Exception:  # noqa: BLE001 (storage backends raise their own kinds)
                failed.append(name)
        for name, kept in self.replaced.items():
            try:
                writer.save(name, ContentFile(kept.read_bytes()))
            except Exception:  # noqa: BLE001 (storage backends raise their own kinds)
                failed.append(name)
        if failed:  # the copies aside stay, for the operator to put back
            raise CommandError(
                f"The restore stopped and the database is as it was, but {len(failed):,} "
                f"photos in {self} could not be put back as they were ({', '.join(failed[:5])}"
                f"{', …' if len(failed) > 5 else ''}). The photos it had overwritten are "
                f"kept in {self.aside} under their names; the others it wrote are not the site's."
            )
        self.forget()

    def put_in_place(self) -> None:
        self.forget()
        try:
            unused = [o.name for o in bucket_objects(self.storage) if o.name not in self.names]
            for name in unused:
                self.storage.delete(name)
        except Exception as error:  # storage backends raise their own kinds of error
            raise CommandError(
                f"The database and the backup's photos were restored, but photos the backup "
                f"does not hold could not all be removed from {self}: {reason(error)}. They are "
                "used by nothing; run the restore again to remove them."
            ) from error

    def forget(self) -> None:
        if self.aside is not None:
            shutil.rmtree(self.aside, ignore_errors=True)
            self.aside = None


def overwriting() -> Storage:
    """The photos' bucket, but a save writes the name it is given, over what is
    there: the site's own storage chooses a new name beside it."""
    default = settings.STORAGES["default"]
    return storages.create_storage(
        {**default, "OPTIONS": {**default.get("OPTIONS", {}), "file_overwrite": True}}
    )


# -- 3. The database in one transaction ----------------------------------------------


def load_json(path: Path) -> None:
    """Empty the tables and load the dump into them, and rebuild what is derived from
    the rows, in one transaction."""
    # Outside the transaction: SQLite alters tables with foreign key checks off, which
    # it cannot do inside one.
    migrate()
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                for table in replaced_tables():
                    # DELETE rather than TRUNCATE: until the commit, the site goes on
                    # reading the rows it had. Foreign keys are checked at the end.
                    cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")
            call_command("loaddata", str(path), verbosity=0)
            call_command("rebuild_search_index", stdout=StringIO())
            archive_changed()
    except BaseException:
        # The content-type cache may hold what the rolled-back transaction read.
        ContentType.objects.clear_cache()
        raise


def migrate() -> None:
    """Bring the database to this release, if it is not there yet. On a site already
    running it, nothing is written at all (migrate would rebuild derived rows)."""
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        call_command("migrate", interactive=False, verbosity=0)


def replaced_tables() -> list[str]:
    """Every table of the site's models but content types and permissions (migrate
    makes those; the dump names them): sessions and login attempts are emptied too,
    as a backup does not keep them. The database has been migrated: every one of
    these tables exists."""
    return sorted(
        {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model._meta.managed
            and not model._meta.proxy
            and model._meta.label_lower not in MADE_BY_MIGRATE
            and router.allow_migrate_model(DEFAULT_DB_ALIAS, model)
        }
    )


def load_pgdump(path: Path) -> None:
    """pg_restore in a single transaction: it replaces everything the dump holds,
    or, failing, changes nothing."""
    connection = connections[DEFAULT_DB_ALIAS]
    args, env = postgres_command("pg_restore")
    args += ["--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction"]
    args += ["--dbname", str(connection.settings_dict["NAME"]), str(path)]
    # pg_restore drops and recreates tables: this process must hold no lock on them.
    connection.close()
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise CommandError(f"pg_restore failed: {result.stderr.strip()}")
    # Committed in pg_restore's own connection: every server process is told now.
    archive_changed()
    # The content types came from the dump, ids and all.
    ContentType.objects.clear_cache()
