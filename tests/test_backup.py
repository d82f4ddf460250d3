"""Backup and restore give back the archive exactly: every row of every table of the
app, the staff with their groups, permissions and history, and the photo files. A
bad backup is refused with what is wrong with it, and changes nothing at all."""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import tarfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from PIL import Image

from activities import cache
from activities.management.commands import backup
from activities.models import Activity, Photo, Venue
from tests.test_photos import read, stored_files

QUIET = {"stdout": io.StringIO()}
ON_POSTGRES = connection.vendor == "postgresql"
# Derived tables that a restore rebuilds rather than loads: the same rows, under new
# ids of their own (nothing refers to those).
REBUILT = {"activities_organizationancestor"}
# A time whose microseconds JSON used to lose (DjangoJSONEncoder keeps milliseconds).
EXACT = datetime.datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=datetime.UTC)


def activity_tables() -> list[str]:
    """The tables of the app's models, many-to-many tables included (the full-text
    index the database keeps beside them, SearchEntry, is derived data that follows
    the restored documents)."""
    models = apps.get_app_config("activities").get_models(include_auto_created=True)
    return sorted(model._meta.db_table for model in models if model._meta.managed)


def unnamed_rows() -> set[str]:
    """Tables whose rows have ids nothing refers to, which a restore may renumber:
    Django's own many-to-many tables (a dump stores the relation, not the row) and
    the derived tables a restore rebuilds."""
    models = apps.get_app_config("activities").get_models(include_auto_created=True)
    return {model._meta.db_table for model in models if model._meta.auto_created} | REBUILT


def snapshot(*, renumbered: bool = True) -> dict:
    """Every column of every row of the app's tables, of the users, the groups and
    the admin history; the groups' and users' permissions; a hash of every media file.

    ``renumbered``: leave out the ids a restore may renumber (unnamed_rows())."""
    rows = {}
    with connection.cursor() as cursor:
        for table in [*activity_tables(), "auth_user", "auth_group", "django_admin_log"]:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} ORDER BY 1")
            rows[table] = cursor.fetchall()
            if renumbered and table in unnamed_rows():
                rows[table] = sorted(row[1:] for row in rows[table])
    permission = ("permission__content_type__app_label", "permission__codename")
    rows["group permissions"] = sorted(
        Group.permissions.through.objects.values_list("group__name", *permission)
    )
    user = apps.get_model(settings.AUTH_USER_MODEL)
    rows["user groups"] = sorted(user.groups.through.objects.values_list("user__id", "group__id"))
    rows["user permissions"] = sorted(
        user.user_permissions.through.objects.values_list("user__id", *permission)
    )
    # Through the storage API: the disk's folder, or a bucket (tests/test_object_storage.py).
    rows["media"] = {name: hashlib.sha256(read(name)).hexdigest() for name in stored_files()}
    return rows


@pytest.fixture
def demo(django_user_model) -> dict:
    """The demo archive, a staff member with a group, a permission of their own and
    a history entry, and values JSON must keep exactly: timestamps with
    microseconds, decimals with six places."""
    call_command("load_demo", **QUIET)
    editor = django_user_model.objects.create_user("editor", password="pw", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editor"))
    editor.user_permissions.add(Permission.objects.get(codename="publish_activity"))
    django_user_model.objects.filter(pk=editor.pk).update(last_login=EXACT)
    activity = Activity.objects.published().first()
    Activity.objects.filter(pk=activity.pk).update(published_at=EXACT, updated_at=EXACT)
    Venue.objects.filter(pk=Venue.objects.first().pk).update(
        latitude=Decimal("35.689487"), longitude=Decimal("-139.691706")
    )
    LogEntry.objects.create(
        user=editor,
        content_type=ContentType.objects.get_for_model(Activity),
        object_id=str(activity.pk),
        object_repr=str(activity),
        action_flag=ADDITION,
        change_message="[]",
        action_time=EXACT,
    )
    before = snapshot()
    assert len(before["activities_activity"]) == 8
    assert before["media"], "the demo has photo files"
    assert Photo.objects.exclude(renditions=[]).exists(), "and JSON in the photos' renditions"
    return before


def assert_exact_values_survived() -> None:
    activity = Activity.objects.get(published_at=EXACT)
    assert activity.updated_at == EXACT
    assert LogEntry.objects.get().action_time == EXACT
    assert apps.get_model(settings.AUTH_USER_MODEL).objects.get(username="editor").last_login == (
        EXACT
    )
    assert Venue.objects.filter(latitude=Decimal("35.689487")).exists()


def change_everything(django_user_model) -> None:
    """The archive after a backup: rows gone, rows changed, rows added, photos lost
    and photos added."""
    Activity.objects.filter(status=Activity.Status.PUBLISHED).first().delete()
    Activity.objects.update(title_ja="changed after the backup")
    Group.objects.filter(name="Editor").delete()
    django_user_model.objects.create_user("newcomer", password="pw")
    default_storage.delete(min(stored_files()))
    default_storage.save("added-after-the-backup.txt", ContentFile(b"x"))


def make_backup(tmp_path: Path, **options) -> Path:
    folder = tmp_path / "backups" / "one"
    call_command("backup", output=folder, **options, **QUIET)
    return folder


# Restoring commits, as the command does when run for real (and migrate, which it
# runs first, cannot run inside a test's transaction on SQLite).
transactional = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@transactional
def test_json_backup_round_trips_every_value(demo, tmp_path, django_user_model) -> None:
    folder = make_backup(tmp_path, format="json")
    assert sorted(p.name for p in folder.iterdir()) == [
        "database.json",
        "manifest.json",
        "media.tar.gz",
    ]
    assert "07:08:09.123456" in (folder / "database.json").read_text()

    change_everything(django_user_model)
    generation = cache.generation()
    call_command("restore", folder, interactive=False, **QUIET)

    assert snapshot() == demo
    assert_exact_values_survived()
    assert cache.generation() != generation, "every server process drops its cached pages"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backups", "cache-generation", "media"]


@transactional
def test_native_backup_round_trips_every_value(demo, tmp_path, django_user_model) -> None:
    """pg_dump and pg_restore on PostgreSQL; JSON on SQLite."""
    folder = make_backup(tmp_path)
    expected = "database.pgdump" if ON_POSTGRES else "database.json"
    assert (folder / expected).is_file()

    change_everything(django_user_model)
    generation = cache.generation()
    call_command("restore", folder, interactive=False, **QUIET)

    assert snapshot() == demo
    assert_exact_values_survived()
    assert cache.generation() != generation, "every server process drops its cached pages"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backups", "cache-generation", "media"]


@transactional
def test_backup_from_before_manifests_is_restored(demo, tmp_path, django_user_model) -> None:
    folder = make_backup(tmp_path)
    (folder / "manifest.json").unlink()

    change_everything(django_user_model)
    call_command("restore", folder, interactive=False, **QUIET)

    assert snapshot() == demo


def test_manifest_describes_the_backup(db, tmp_path) -> None:
    folder = make_backup(tmp_path)
    manifest = json.loads((folder / "manifest.json").read_text())

    database = "database.pgdump" if ON_POSTGRES else "database.json"
    assert manifest["version"] == 1
    assert manifest["database"] == {
        "vendor": connection.vendor,
        "format": "pgdump" if ON_POSTGRES else "json",
        "file": database,
    }
    assert datetime.datetime.fromisoformat(manifest["created"]).tzinfo is not None
    for name in (database, "media.tar.gz"):
        data = (folder / name).read_bytes()
        assert manifest["files"][name] == {
            "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
        }


def test_backup_that_fails_leaves_no_folder(db, tmp_path, monkeypatch) -> None:
    def disk_full(*args) -> None:
        raise OSError("No space left on device")

    monkeypatch.setattr(backup, "write_media_archive", disk_full)

    with pytest.raises(OSError, match="No space left"):
        make_backup(tmp_path)
    assert list((tmp_path / "backups").iterdir()) == []


def test_backup_refuses_a_folder_that_is_not_empty(tmp_path) -> None:
    (tmp_path / "something").write_text("x")

    with pytest.raises(CommandError, match="not an empty folder"):
        call_command("backup", output=tmp_path, **QUIET)


def test_restore_refuses_a_folder_without_a_backup(tmp_path) -> None:
    with pytest.raises(CommandError, match="holds no database.json or database.pgdump"):
        call_command("restore", tmp_path, interactive=False, **QUIET)


# -- Bad backups ---------------------------------------------------------------------


def rewrite(folder: Path, name: str, data: bytes) -> None:
    """Replace a file of the backup, and its sums in the manifest, so that what is
    checked next is the file itself."""
    (folder / name).write_bytes(data)
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["files"][name] = {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    (folder / "manifest.json").write_text(json.dumps(manifest))


def cut_in_half(name: str):
    def damage(folder: Path) -> None:
        data = (folder / name).read_bytes()
        rewrite(folder, name, data[: len(data) // 2])

    return damage


def cut_inside_a_character(folder: Path) -> None:
    """database.json cut after the first byte of a Japanese character."""
    data = (folder / "database.json").read_bytes()
    at = data.index("訪問".encode())
    rewrite(folder, "database.json", data[: at + 1])


def database_json(data: bytes):
    return lambda folder: rewrite(folder, "database.json", data)


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, "PNG")
    return out.getvalue()


def row_with_a_missing_activity(folder: Path) -> None:
    rows = json.loads((folder / "database.json").read_text())
    link = {"model": "activities.activitylink", "pk": 99999}
    link["fields"] = {"activity": 999999, "label": "x", "url": "https://example.org/"}
    rewrite(folder, "database.json", json.dumps([*rows, link]).encode())


def changed_after_the_manifest(folder: Path) -> None:
    path = folder / "media.tar.gz"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def pgdump_on_sqlite(folder: Path) -> None:
    (folder / "manifest.json").unlink()
    (folder / "database.json").unlink()
    (folder / "database.pgdump").write_bytes(b"PGDMP" + bytes(100))


def media_member(name: str, kind: bytes = tarfile.REGTYPE, target: str = ""):
    """The backup's media archive with one more member."""

    def add(folder: Path) -> None:
        out = io.BytesIO()
        with (
            tarfile.open(folder / "media.tar.gz", "r:gz") as old,
            tarfile.open(fileobj=out, mode="w:gz") as new,
        ):
            for member in old.getmembers():
                new.addfile(member, old.extractfile(member) if member.isreg() else None)
            extra = tarfile.TarInfo(name)
            extra.type, extra.linkname = kind, target
            extra.size = 4 if kind == tarfile.REGTYPE else 0
            new.addfile(extra, io.BytesIO(b"evil") if kind == tarfile.REGTYPE else None)
        rewrite(folder, "media.tar.gz", out.getvalue())

    return add


BAD_BACKUPS = [
    pytest.param(
        "json", cut_in_half("database.json"), r"database.json: is not complete JSON", id="json-cut"
    ),
    pytest.param(
        "json",
        cut_inside_a_character,
        r"database.json: is not complete JSON \(it ends inside a character\)",
        id="json-cut-inside-a-character",
    ),
    pytest.param("json", database_json(b""), r"database.json: is empty", id="json-empty"),
    pytest.param(
        "json",
        database_json(b'{"activities": []}'),
        r"database.json: is JSON but not a database dump",
        id="json-not-a-dump",
    ),
    pytest.param("json", database_json(png()), r"database.json: is not text", id="json-is-png"),
    pytest.param(
        "json",
        database_json(b'[{"model": "activities.spaceship", "pk": 1, "fields": {}}]'),
        r"database.json: row 1 is of a model this site does not have: 'activities.spaceship'",
        id="json-unknown-model",
    ),
    pytest.param(
        "json",
        row_with_a_missing_activity,
        r"Restoring .*database.json failed: .*activities_activitylink.*999999",
        id="json-fails-while-loading",
    ),
    pytest.param(
        "json",
        cut_in_half("media.tar.gz"),
        r"media.tar.gz: cannot be read to its end .*: it is cut short or damaged",
        id="media-cut",
    ),
    pytest.param(
        "json",
        changed_after_the_manifest,
        r"media.tar.gz: does not match its SHA-256 sum in manifest.json",
        id="manifest-mismatch",
    ),
    pytest.param(
        "json",
        media_member("media/../escaped.txt"),
        r"media.tar.gz: holds 'media/../escaped.txt', which is not a path inside media/",
        id="media-dot-dot",
    ),
    pytest.param(
        "json",
        media_member("/tmp/absolute.txt"),
        r"media.tar.gz: holds '/tmp/absolute.txt', which is not a path inside media/",
        id="media-absolute",
    ),
    pytest.param(
        "json",
        media_member("elsewhere/file.txt"),
        r"media.tar.gz: holds 'elsewhere/file.txt', which is not a path inside media/",
        id="media-outside",
    ),
    pytest.param(
        "json",
        media_member("media/link", tarfile.SYMTYPE, "/etc/passwd"),
        r"media.tar.gz: holds 'media/link', which is not a regular file or folder",
        id="media-symlink",
    ),
    pytest.param(
        "json",
        media_member("media/hardlink", tarfile.LNKTYPE, "/etc/passwd"),
        r"media.tar.gz: holds 'media/hardlink', which is not a regular file or folder",
        id="media-hardlink",
    ),
    pytest.param(
        "json",
        media_member("media"),
        r"media.tar.gz: holds 'media', which is not a folder",
        id="media-folder-is-a-file",
    ),
    pytest.param(
        "json",
        media_member("media/device", tarfile.CHRTYPE),
        r"media.tar.gz: holds 'media/device', which is not a regular file or folder",
        id="media-device",
    ),
    # A pgdump cut in half on PostgreSQL; on SQLite, any pgdump at all.
    pytest.param(
        "native",
        cut_in_half("database.pgdump") if ON_POSTGRES else pgdump_on_sqlite,
        r"database.pgdump: cannot be read to its end by pg_restore"
        if ON_POSTGRES
        else r"database.pgdump: is a PostgreSQL backup \(pg_dump\), and this site's database "
        r"is SQLite",
        id="pgdump-cut-or-on-sqlite",
    ),
]


@transactional
@pytest.mark.parametrize(("backup_format", "damage", "problem"), BAD_BACKUPS)
def test_bad_backup_is_refused_and_changes_nothing(
    demo, tmp_path, django_user_model, backup_format, damage, problem
) -> None:
    folder = make_backup(tmp_path, format=backup_format)
    damage(folder)
    # The archive has moved on since the backup: a restore that replaced anything
    # would show.
    change_everything(django_user_model)
    before, generation = snapshot(renumbered=False), cache.generation()
    beside_media = sorted(os.listdir(tmp_path))

    with pytest.raises(CommandError, match=problem) as refused:
        call_command("restore", folder, interactive=False, **QUIET)

    assert "Nothing was changed." in str(refused.value)
    assert snapshot(renumbered=False) == before
    assert sorted(os.listdir(tmp_path)) == beside_media, "no folder left beside the media"
    assert cache.generation() == generation, "no server process drops its cached pages"
