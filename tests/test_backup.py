"""Backup and restore give back the archive exactly: every row of every table of the
app, the staff and their groups, and the photo files."""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import shutil
import tarfile
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from activities.management.commands import backup
from activities.management.commands.restore import restore_media
from activities.models import Activity, Photo

QUIET = {"stdout": io.StringIO()}
# Derived tables that a restore rebuilds rather than loads: the same rows, under new
# ids of their own (nothing refers to those).
REBUILT = {"activities_organizationancestor"}


def activity_tables() -> list[str]:
    """The tables of the app's models, many-to-many tables included (a full-text
    index the database keeps beside them is derived data, rebuilt on restore)."""
    models = apps.get_app_config("activities").get_models(include_auto_created=True)
    return sorted(model._meta.db_table for model in models)


def unnamed_rows() -> set[str]:
    """Tables whose rows have ids nothing refers to, which a restore may renumber:
    Django's own many-to-many tables (dumpdata stores the relation, not the row) and
    the derived tables a restore rebuilds."""
    models = apps.get_app_config("activities").get_models(include_auto_created=True)
    return {model._meta.db_table for model in models if model._meta.auto_created} | REBUILT


def snapshot() -> dict:
    """Every row of every table of the app, the users, the groups with their
    permissions, and a hash of every media file."""
    rows = {}
    with connection.cursor() as cursor:
        for table in activity_tables():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} ORDER BY 1")
            rows[table] = cursor.fetchall()
            if table in unnamed_rows():
                rows[table] = sorted(row[1:] for row in rows[table])
        cursor.execute(
            "SELECT username, password, is_staff, is_superuser, is_active FROM auth_user "
            "ORDER BY username"
        )
        rows["auth_user"] = cursor.fetchall()
    rows["groups"] = {
        group.name: sorted(group.permissions.values_list("codename", flat=True))
        for group in Group.objects.all()
    }
    media = Path(settings.MEDIA_ROOT)
    rows["media"] = {
        str(path.relative_to(media)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(media.rglob("*"))
        if path.is_file()
    }
    return rows


@pytest.fixture
def demo(django_user_model) -> dict:
    call_command("load_demo", **QUIET)
    django_user_model.objects.create_user("editor", password="pw", is_staff=True).groups.add(
        Group.objects.get(name="Editor")
    )
    before = snapshot()
    assert len(before["activities_activity"]) == 8
    assert before["media"], "the demo has photo files"
    return before


def wipe_media() -> None:
    shutil.rmtree(settings.MEDIA_ROOT)


# Restoring runs migrate and flush, which PostgreSQL refuses inside a transaction that
# has just deleted rows: these tests commit, as the commands do when run for real.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_json_backup_round_trips_the_demo_archive(demo, tmp_path) -> None:
    folder = tmp_path / "backup"
    call_command("backup", output=folder, format="json", **QUIET)
    assert sorted(p.name for p in folder.iterdir()) == [
        "database.json",
        "manifest.json",
        "media.tar.gz",
    ]

    Activity.objects.all().delete()
    Group.objects.all().delete()
    wipe_media()
    call_command("restore", folder, interactive=False, **QUIET)

    assert snapshot() == demo


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_native_backup_round_trips_the_demo_archive(demo, tmp_path) -> None:
    """pg_dump and pg_restore on PostgreSQL; dumpdata and loaddata on SQLite."""
    folder = tmp_path / "backup"
    call_command("backup", output=folder, **QUIET)
    expected = "database.pgdump" if connection.vendor == "postgresql" else "database.json"
    assert (folder / expected).is_file()

    Photo.objects.all().delete()
    Activity.objects.filter(status=Activity.Status.PUBLISHED).update(title="overwritten")
    wipe_media()
    call_command("restore", folder, interactive=False, **QUIET)

    assert snapshot() == demo


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_json_backup_keeps_microseconds(demo, tmp_path) -> None:
    """DjangoJSONEncoder keeps milliseconds only."""
    exact = datetime.datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=datetime.timezone.utc)
    Activity.objects.filter(pk=Activity.objects.published().first().pk).update(published_at=exact)
    folder = tmp_path / "backup"
    call_command("backup", output=folder, format="json", **QUIET)

    Activity.objects.update(published_at=None, status=Activity.Status.DRAFT)
    call_command("restore", folder, interactive=False, **QUIET)

    assert Activity.objects.filter(published_at=exact).exists()


def test_manifest_describes_the_backup(db, tmp_path) -> None:
    folder = tmp_path / "backup"
    call_command("backup", output=folder, **QUIET)
    manifest = json.loads((folder / "manifest.json").read_text())

    on_postgres = connection.vendor == "postgresql"
    database = "database.pgdump" if on_postgres else "database.json"
    assert manifest["version"] == 1
    assert manifest["database"] == {
        "vendor": connection.vendor,
        "format": "pgdump" if on_postgres else "json",
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
        call_command("backup", output=tmp_path / "backups" / "one", **QUIET)
    assert list((tmp_path / "backups").iterdir()) == []


def test_backup_refuses_a_folder_that_is_not_empty(tmp_path) -> None:
    (tmp_path / "something").write_text("x")

    with pytest.raises(CommandError, match="not an empty folder"):
        call_command("backup", output=tmp_path, **QUIET)


def test_restore_refuses_a_folder_without_a_backup(tmp_path) -> None:
    with pytest.raises(CommandError):
        call_command("restore", tmp_path, interactive=False, **QUIET)


def test_media_archive_cannot_write_outside_the_media_folder(tmp_path) -> None:
    archive = tmp_path / "media.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        for name in ("media/photos/ok.jpg", "media/../escaped.txt", "/etc/evil", "other/x"):
            data = b"data"
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        link = tarfile.TarInfo("media/link")
        link.type = tarfile.SYMTYPE
        link.linkname = "/etc/passwd"
        tar.addfile(link)

    root = tmp_path / "root" / "media"
    restore_media(archive, root)

    found = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file())
    assert found == ["media.tar.gz", "root/media/photos/ok.jpg"]
    assert not (root / "link").exists()
