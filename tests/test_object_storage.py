"""Photos in S3-compatible object storage (config/storage.py), against moto's
S3-compatible server started by the tests on 127.0.0.1: uploads and their
renditions, photos kept after a form error, replacement and deletion leave no
orphans, public pages show the bucket's URLs and may load them, and backups and
restores work on the bucket exactly as on the disk — a failed restore leaves it
as it was. Nothing reaches the internet; a server that cannot start fails."""

from __future__ import annotations

import copy
import datetime
import hashlib
import io
import json
import re
import secrets
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from PIL import Image
from storages.backends.s3 import S3Storage

from activities import images
from activities.models import Activity, Photo
from config.storage import ObjectStorage, object_storage
from tests import factories
from tests.html_forms import form_data
from tests.servers import ROOT, ObjectStore, public_read
from tests.test_admin import activity_form_data, management_form
from tests.test_backup import (
    change_everything,
    make_backup,
    row_with_a_missing_activity,
    snapshot,
    transactional,
)
from tests.test_backup import demo as demo  # the fixture, under its own name
from tests.test_photos import PHOTO_ADD, camera_jpeg, upload
from tests.test_retained_uploads import ACTIVITY_ADD, photo_row
from tests.test_security import manage_in

QUIET = {"stdout": io.StringIO()}


@pytest.fixture(scope="module")
def object_store(tmp_path_factory):
    store = ObjectStore(tmp_path_factory.mktemp("object-store")).start()
    yield store
    store.stop()


@dataclass
class Bucket:
    store: ObjectStore
    name: str
    configured: ObjectStorage

    def objects(self) -> dict[str, bytes]:
        return self.store.objects(self.name)

    def hashes(self, prefix: str = "") -> dict[str, str]:
        """The objects under ``prefix``, by name inside it, with their SHA-256."""
        return {
            key.removeprefix(prefix): hashlib.sha256(data).hexdigest()
            for key, data in self.objects().items()
            if key.startswith(prefix)
        }


def use_bucket(store: ObjectStore, settings, monkeypatch, **env: str) -> Bucket:
    """A new bucket of the store, and the site's settings as the environment
    variables would make them (config/storage.py), prefix and all."""
    name = f"photos-{secrets.token_hex(4)}"
    store.create_bucket(name)
    variables = store.env(name, **env)
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(key, variables[key])
    configured = object_storage(variables)
    assert configured is not None
    settings.STORAGES = {**settings.STORAGES, "default": configured.storage}
    settings.MEDIA_URL = configured.media_url
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["img-src"].append(configured.origin)
    settings.CONTENT_SECURITY_POLICY = policy
    return Bucket(store, name, configured)


@pytest.fixture
def bucket(object_store, settings, monkeypatch) -> Bucket:
    return use_bucket(object_store, settings, monkeypatch)


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    """What a visitor's browser gets for ``url``: no keys, no signature."""
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def files_on_disk(settings) -> list[Path]:
    media = Path(settings.MEDIA_ROOT)
    return [path for path in media.rglob("*") if path.is_file()] if media.exists() else []


# -- the settings ---------------------------------------------------------------------


def test_photo_urls_come_from_one_base_and_only_its_origin_is_allowed() -> None:
    keys = {"DJANGO_S3_BUCKET": "photos"}
    assert object_storage({}) is None, "no bucket: the disk"
    aws = object_storage(keys)
    assert aws is not None
    assert aws.media_url == "https://photos.s3.ap-northeast-1.amazonaws.com/"
    assert aws.origin == "https://photos.s3.ap-northeast-1.amazonaws.com"
    local = object_storage({**keys, "DJANGO_S3_ENDPOINT_URL": "http://127.0.0.1:9000"})
    assert local is not None
    assert (local.media_url, local.origin) == (
        "http://127.0.0.1:9000/photos/",
        "http://127.0.0.1:9000",
    )
    assert local.storage["OPTIONS"]["addressing_style"] == "path"
    proxied = object_storage(
        {
            **keys,
            "DJANGO_S3_ENDPOINT_URL": "http://storage.internal:9000",
            "DJANGO_S3_PUBLIC_URL": "https://archive.city.example.jp/media/",
            "DJANGO_S3_PREFIX": "/cityties/",
        }
    )
    assert proxied is not None
    assert proxied.media_url == "https://archive.city.example.jp/media/cityties/"
    assert proxied.origin == "https://archive.city.example.jp"
    options = proxied.storage["OPTIONS"]
    assert options["location"] == "cityties"
    assert options["querystring_auth"] is False and options["file_overwrite"] is False
    with pytest.raises(ImproperlyConfigured, match="DJANGO_S3_PUBLIC_URL"):
        object_storage({**keys, "DJANGO_S3_PUBLIC_URL": "archive.city.example.jp/media"})


# -- photos ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_upload_is_kept_in_the_bucket_and_the_public_page_loads_it_from_there(
    bucket, admin_client, client, settings, django_capture_on_commit_callbacks
) -> None:
    activity = factories.ActivityFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            PHOTO_ADD,
            {
                "activity": str(activity.pk),
                "image": upload("会議.jpg", camera_jpeg()),
                "alt_text_ja": "会議の様子",
                "order": "0",
            },
        )
    assert response.status_code == 302
    photo = Photo.objects.get()
    stored = bucket.objects()
    # The clean copy and each rendition, in the bucket; nothing on the disk.
    assert set(stored) == set(photo.file_names()) and len(stored) >= 3
    assert not files_on_disk(settings)

    page = client.get(f"/ja/activities/{activity.slug}/")
    body = page.content.decode()
    urls = set(re.findall(r'(?:src|srcset)="([^" ]+)', body))
    photo_urls = {url for url in urls if url.startswith(bucket.configured.media_url)}
    assert {url.rsplit("/", 1)[1] for url in photo_urls} <= {
        name.rsplit("/", 1)[1] for name in stored
    }
    assert photo_urls, "the record shows its photo from the bucket"
    assert bucket.configured.origin in page["Content-Security-Policy"].split("img-src")[1]
    for url in photo_urls:
        status, headers, data = fetch(url)
        assert status == 200, url
        assert headers["content-type"] in ("image/jpeg", "image/webp")
        assert headers["cache-control"] == "public, max-age=2592000"
        with Image.open(io.BytesIO(data)) as image:
            assert not image.getexif(), "no camera or location data reaches the public"
    # Anyone may read; nobody may write without the keys.
    request = urllib.request.Request(next(iter(photo_urls)), data=b"x", method="PUT")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 403


@pytest.mark.django_db
def test_a_replaced_or_deleted_photo_leaves_nothing_in_the_bucket(
    bucket, django_capture_on_commit_callbacks
) -> None:
    activity = factories.ActivityFactory()
    with django_capture_on_commit_callbacks(execute=True):
        photo = Photo.objects.create(
            activity=activity, image=ContentFile(camera_jpeg(), "a.jpg"), alt_text="会議"
        )
    first = set(photo.file_names())
    assert set(bucket.objects()) == first

    with django_capture_on_commit_callbacks(execute=True):
        photo.image = ContentFile(factories.jpeg_bytes(90, 60, "red"), "b.jpg")
        photo.save()
    second = set(photo.file_names())
    assert set(bucket.objects()) == second and not first & second

    with django_capture_on_commit_callbacks(execute=True):
        photo.delete()
    assert bucket.objects() == {}


@pytest.mark.django_db
def test_a_photo_chosen_in_a_form_with_an_error_is_kept_in_the_bucket_until_saved(
    bucket, admin_client, django_capture_on_commit_callbacks
) -> None:
    def with_an_error() -> dict:
        return activity_form_data(
            start_date="2021-11-03",
            end_date="2021-11-01",  # the error: the end before the start
            **management_form("photos", total=1),
            **photo_row(0, image=upload("cop26.jpg", camera_jpeg())),
        )

    response = admin_client.post(ACTIVITY_ADD, with_an_error())
    assert response.status_code == 200 and not Activity.objects.exists()
    page = response.content.decode()
    kept = set(bucket.objects())
    assert len(kept) == 2 and all(name.startswith("pending/") for name in kept)
    preview = re.search(r'<img src="([^"]+-preview\.jpg)"', page).group(1)
    assert preview.startswith(bucket.configured.media_url) and fetch(preview)[0] == 200

    again = form_data(page, "activity_form")
    again["end_date"] = ["2021-11-05"]
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post(ACTIVITY_ADD, again).status_code == 302
    photo = Photo.objects.get()
    assert set(bucket.objects()) == set(photo.file_names()), "the pending copies went"

    # One abandoned: removed once it is old enough, by the daily job.
    admin_client.post(ACTIVITY_ADD, with_an_error())
    assert any(name.startswith("pending/") for name in bucket.objects())
    assert images.remove_abandoned_uploads() == 0, "younger than a day: kept"
    time.sleep(1.1)  # the bucket keeps times to the second
    assert images.remove_abandoned_uploads(older_than=datetime.timedelta(0)) == 2
    assert set(bucket.objects()) == set(photo.file_names())


# -- backups and restores ----------------------------------------------------------


@pytest.fixture
def prefixed_bucket(object_store, settings, monkeypatch) -> Bucket:
    """The photos under a prefix, beside something else's objects in the same
    bucket, which a restore must leave alone."""
    bucket = use_bucket(object_store, settings, monkeypatch, DJANGO_S3_PREFIX="cityties")
    object_store.client().put_object(Bucket=bucket.name, Key="other/keep.txt", Body=b"not ours")
    return bucket


@transactional
def test_a_backup_of_the_bucket_restores_exactly(
    prefixed_bucket, demo, tmp_path, django_user_model, monkeypatch
) -> None:
    bucket = prefixed_bucket
    photos = bucket.hashes("cityties/")
    assert photos and photos == demo["media"], "the demo's photos are in the bucket"
    folder = make_backup(tmp_path)

    change_everything(django_user_model)
    # And one photo overwritten with other bytes under its own name.
    name = next(iter(photos))
    bucket.store.client().put_object(Bucket=bucket.name, Key=f"cityties/{name}", Body=b"other")
    read: list[str] = []
    opened = S3Storage._open

    def reading(storage, name, *args, **kwargs):
        read.append(name)
        return opened(storage, name, *args, **kwargs)

    monkeypatch.setattr(S3Storage, "_open", reading)
    call_command("restore", folder, interactive=False, **QUIET)

    # The photos the bucket holds with the backup's bytes are known so by the
    # listing's checksums: only the overwritten one is read (to keep it aside).
    assert read == [name]
    assert snapshot() == demo
    assert bucket.hashes("cityties/") == photos
    assert bucket.objects()["other/keep.txt"] == b"not ours"


@transactional
def test_a_failed_restore_leaves_the_bucket_as_it_was(
    prefixed_bucket, demo, tmp_path, django_user_model
) -> None:
    bucket = prefixed_bucket
    folder = make_backup(tmp_path, format="json")
    row_with_a_missing_activity(folder)  # fails while the database is loaded
    change_everything(django_user_model)
    name = next(iter(demo["media"]))
    bucket.store.client().put_object(Bucket=bucket.name, Key=f"cityties/{name}", Body=b"other")
    before, objects = snapshot(renumbered=False), bucket.objects()

    with pytest.raises(CommandError, match="rolled back") as failed:
        call_command("restore", folder, interactive=False, **QUIET)

    assert "Nothing was changed." in str(failed.value)
    assert snapshot(renumbered=False) == before
    assert bucket.objects() == objects, "written objects deleted, overwritten ones put back"


@transactional
def test_a_backup_from_the_disk_restores_into_a_bucket(
    demo, tmp_path, django_user_model, object_store, settings, monkeypatch
) -> None:
    """Moving a site from the disk to object storage: a backup, then a restore with
    the bucket configured."""
    folder = make_backup(tmp_path)
    bucket = use_bucket(object_store, settings, monkeypatch)
    call_command("restore", folder, interactive=False, **QUIET)
    assert snapshot() == demo
    assert bucket.hashes() == demo["media"]


@pytest.mark.django_db
def test_a_backup_from_a_bucket_that_cannot_be_read_says_so_and_leaves_nothing(
    object_store, settings, monkeypatch, tmp_path
) -> None:
    bucket = use_bucket(object_store, settings, monkeypatch)
    object_store.client().delete_bucket(Bucket=bucket.name)

    with pytest.raises(CommandError, match=f"could not be read from the bucket {bucket.name}"):
        make_backup(tmp_path)
    assert not (tmp_path / "backups").exists() or not any((tmp_path / "backups").iterdir())


@transactional
def test_a_restore_into_a_bucket_that_cannot_be_read_changes_nothing(
    demo, tmp_path, django_user_model, object_store, settings, monkeypatch
) -> None:
    folder = make_backup(tmp_path)
    change_everything(django_user_model)
    before = snapshot(renumbered=False)
    bucket = use_bucket(object_store, settings, monkeypatch)
    object_store.client().delete_bucket(Bucket=bucket.name)

    with pytest.raises(CommandError, match="could not be read") as refused:
        call_command("restore", folder, interactive=False, **QUIET)
    assert "Nothing was changed." in str(refused.value)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    assert snapshot(renumbered=False) == before


# -- the deployment guide ----------------------------------------------------------


def deployment_guide() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return readme.split("\n## Deployment\n", 1)[1].split("\n## ", 1)[0]


def test_the_guide_s_bucket_policy_is_the_one_the_tests_use() -> None:
    policy = re.search(r"```json\n(.*?)```", deployment_guide(), re.DOTALL).group(1)
    assert json.loads(policy) == public_read("cityties-photos")


@pytest.mark.slow
def test_the_guide_s_environment_passes_the_deployment_checks() -> None:
    """Every app server's environment as the guide gives it: Django's deployment
    checks find nothing, and photos are linked where the guide says."""
    block = re.search(r"```sh\n(.*?)```", deployment_guide(), re.DOTALL).group(1)
    given = dict(re.findall(r"(?:^|\s)([A-Z][A-Z0-9_]+)=(\S+)", block, re.MULTILINE))
    assert {"DJANGO_S3_BUCKET", "DJANGO_S3_PUBLIC_URL", "CITYTIES_REDIS_URL"} <= set(given)
    given["DJANGO_SECRET_KEY"] = "k3Y-" + "x7Qp9" * 12  # the guide's "..."
    code = (
        "from django.conf import settings\n"
        "from django.core.files.storage import default_storage\n"
        "print(default_storage.url('photos/a.jpg'))\n"
        "print(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'])\n"
    )
    for args in (["check", "--deploy", "--fail-level", "WARNING"], ["shell", "-c", code]):
        result = manage_in(given, *args)
        assert result.returncode == 0, result.stdout + result.stderr
    assert "https://archive.city.example.jp/media/photos/a.jpg" in result.stdout
    assert "'https://archive.city.example.jp'" in result.stdout


@pytest.mark.django_db
def test_a_save_while_the_bucket_cannot_be_reached_says_nothing_was_saved(
    object_store, settings, monkeypatch, admin_client
) -> None:
    """The activity's edit and its new photo, in one transaction: neither is kept,
    and staff are told so in Japanese, not shown a server error."""
    bucket = use_bucket(object_store, settings, monkeypatch)
    activity = factories.ActivityFactory(title="元の題名")
    object_store.client().delete_bucket(Bucket=bucket.name)  # as good as unreachable
    path = f"/admin/activities/activity/{activity.pk}/change/"
    data = form_data(admin_client.get(path).content.decode(), "activity_form")
    data["title_ja"] = ["新しい題名"]
    n = int(data["photos-TOTAL_FORMS"][0])
    data["photos-TOTAL_FORMS"] = [str(n + 1)]
    data |= photo_row(n, image=upload("会議.jpg", camera_jpeg()))

    response = admin_client.post(path, data, HTTP_ACCEPT_LANGUAGE="ja")

    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    page = response.content.decode()
    assert "写真を保存できませんでした" in page and "何も保存されていません" in page
    activity.refresh_from_db()
    assert activity.title == "元の題名" and not Photo.objects.exists()
