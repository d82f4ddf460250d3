"""Photos chosen in a form that comes back with an error are not lost: the page offers
them again, with their preview, and the corrected form saves them without choosing
them again. Nothing is left behind: what was kept goes with the save, or after a day."""

from __future__ import annotations

import datetime
import io
import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core import signing
from django.core.management import call_command
from PIL import ExifTags, Image

from activities import images
from activities.models import Activity, Photo
from tests import factories
from tests.html_forms import form_data
from tests.test_admin import activity_form_data, management_form
from tests.test_photos import PHOTO_ADD, camera_jpeg, every_file_of, read, stored_files, upload

pytestmark = pytest.mark.django_db

ACTIVITY_ADD = "/admin/activities/activity/add/"


def photo_row(n: int, **fields) -> dict:
    return {
        f"photos-{n}-caption_ja": "",
        f"photos-{n}-caption_en": "",
        f"photos-{n}-alt_text_ja": f"会議の様子{n}",
        f"photos-{n}-alt_text_en": "",
        f"photos-{n}-credit_ja": "",
        f"photos-{n}-credit_en": "",
        f"photos-{n}-order": str(n),
        **{f"photos-{n}-{k}": v for k, v in fields.items()},
    }


def pending() -> set[str]:
    return {name for name in stored_files() if name.startswith("pending/")}


def test_two_photos_survive_an_error_and_are_saved_with_the_corrected_form(
    admin_client, django_capture_on_commit_callbacks
):
    first, second = factories.jpeg_bytes(80, 60, "red"), factories.jpeg_bytes(60, 80, "blue")
    data = activity_form_data(
        # The deliberate error: the end before the start.
        start_date="2021-11-03",
        end_date="2021-11-01",
        **{**management_form("photos", total=2)},
        **photo_row(0, image=upload("cop26-1.jpg", first)),
        **photo_row(1, image=upload("cop26-2.jpg", second)),
    )
    response = admin_client.post(ACTIVITY_ADD, data)

    assert response.status_code == 200
    page = response.content.decode()
    assert not Activity.objects.exists()
    # Each photo is offered again: its preview, and what was chosen, by name.
    for n, name in ((0, "cop26-1.jpg"), (1, "cop26-2.jpg")):
        assert re.search(rf'name="photos-{n}-image_retained" value="[^"]+"', page)
        assert f"「{name}」" in page
    previews = re.findall(r'<img src="(/media/pending/[^"]+-preview\.jpg)"', page)
    assert len(previews) == 2
    kept = pending()
    assert len(kept) == 4  # the clean copy and the preview of each
    assert not [name for name in stored_files() if not name.startswith("pending/")]

    # The corrected form is posted back as the page gave it: no file chosen again.
    again = form_data(page, "activity_form")
    again["end_date"] = ["2021-11-05"]
    with django_capture_on_commit_callbacks(execute=True):
        saved = admin_client.post(ACTIVITY_ADD, again)

    assert saved.status_code == 302
    photos = list(Activity.objects.get().photos.order_by("order"))
    assert len(photos) == 2
    for photo, size in zip(photos, ((80, 60), (60, 80)), strict=True):
        assert (photo.width, photo.height) == size
        with Image.open(io.BytesIO(read(photo.image.name))) as stored:
            assert stored.size == size
        assert set(every_file_of(photo)) <= stored_files()
    # What was kept aside is gone with the save.
    assert pending() == set()


def test_a_photo_page_with_an_error_keeps_its_photo(
    admin_client, django_capture_on_commit_callbacks
):
    activity = factories.ActivityFactory()
    response = admin_client.post(
        PHOTO_ADD,
        {
            "activity": str(activity.pk),
            "image": upload("p.jpg", factories.jpeg_bytes()),
            "order": "0",
        },
    )
    assert response.status_code == 200
    assert (
        "alt_text" in str(response.context["adminform"].form.errors)
        or response.context["adminform"].form.non_field_errors()
    )
    page = response.content.decode()
    assert 'name="image_retained"' in page
    # The file input is no longer required: the kept photo answers for it.
    file_input = re.search(r'<input type="file" name="image"[^>]*>', page).group(0)
    assert "required" not in file_input

    again = form_data(page, "photo_form")
    again["alt_text_ja"] = ["会議の様子"]
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post(PHOTO_ADD, again).status_code == 302
    photo = Photo.objects.get()
    assert photo.renditions and photo.width == 64
    assert pending() == set()


def test_what_is_kept_has_no_location_or_camera_data(admin_client):
    activity = factories.ActivityFactory()
    response = admin_client.post(
        PHOTO_ADD,
        {"activity": str(activity.pk), "image": upload("gps.jpg", camera_jpeg()), "order": "0"},
    )
    assert response.status_code == 200
    kept = pending()
    assert kept
    for name in kept:
        content = read(name)
        for marker in (b"Exif", b"GPS", b"SecretCam", b"xmpmeta", b"secret comment"):
            assert marker not in content, (name, marker)
        with Image.open(io.BytesIO(content)) as image:
            assert not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)


def test_a_new_file_chosen_replaces_the_kept_one(admin_client, django_capture_on_commit_callbacks):
    activity = factories.ActivityFactory()
    first = admin_client.post(
        PHOTO_ADD,
        {
            "activity": str(activity.pk),
            "image": upload("a.jpg", factories.jpeg_bytes(30, 20)),
            "order": "0",
        },
    )
    again = form_data(first.content.decode(), "photo_form")
    again["alt_text_ja"] = ["会議の様子"]
    again["image"] = upload("b.jpg", factories.jpeg_bytes(50, 40))
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post(PHOTO_ADD, again).status_code == 302
    assert (Photo.objects.get().width, Photo.objects.get().height) == (50, 40)


def test_a_reference_older_than_a_day_asks_for_the_photo_again(admin_client, monkeypatch):
    activity = factories.ActivityFactory()
    day_ago = datetime.datetime.now().timestamp() - images.RETAINED_SECONDS - 60
    with monkeypatch.context() as past:
        past.setattr(signing.time, "time", lambda: day_ago)
        first = admin_client.post(
            PHOTO_ADD,
            {
                "activity": str(activity.pk),
                "image": upload("p.jpg", factories.jpeg_bytes()),
                "order": "0",
            },
        )
    again = form_data(first.content.decode(), "photo_form")
    again["alt_text_ja"] = ["会議の様子"]

    response = admin_client.post(PHOTO_ADD, again)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors.as_data()
    assert [error.code for error in errors["image"]] == ["retained_expired"]
    assert "もう一度選んでください" in response.content.decode()
    assert not Photo.objects.exists()


@pytest.mark.parametrize(
    "token",
    [
        "garbage",
        # A well-formed reference to a file that is not a kept upload: refused by its
        # signature, whatever it names.
        signing.dumps({"master": "photos/x.jpg", "preview": "p", "filename": "x"}, salt="other"),
    ],
)
def test_a_forged_reference_is_refused_without_reading_anything(admin_client, token):
    activity = factories.ActivityFactory()
    response = admin_client.post(
        PHOTO_ADD,
        {
            "activity": str(activity.pk),
            "image_retained": token,
            "alt_text_ja": "会議の様子",
            "order": "0",
        },
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors.as_data()
    assert [error.code for error in errors["image"]] == ["retained_expired"]


def test_abandoned_uploads_are_removed_after_a_day(admin_client):
    activity = factories.ActivityFactory()

    def abandon(name: str) -> set[str]:
        before = pending()
        admin_client.post(
            PHOTO_ADD,
            {
                "activity": str(activity.pk),
                "image": upload(name, factories.jpeg_bytes()),
                "order": "0",
            },
        )
        return pending() - before

    old, recent = abandon("old.jpg"), abandon("new.jpg")
    assert len(old) == len(recent) == 2
    past = datetime.datetime.now().timestamp() - 25 * 3600
    for name in old:
        os.utime(Path(settings.MEDIA_ROOT) / name, (past, past))

    out = io.StringIO()
    call_command("remove_abandoned_uploads", stdout=out)

    assert pending() == recent
    assert out.getvalue().startswith("2 ")
