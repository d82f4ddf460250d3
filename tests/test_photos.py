"""Photos: what an upload may be, what is stored of it, and what the public sees.

Every image here is made by Pillow in the test; none is over a few kilobytes
except the deliberately oversized upload and the photos of extreme shapes, which
are built in memory.
"""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st
from PIL import ExifTags, Image, PngImagePlugin

from activities import images
from activities.models import Activity, Photo
from tests import factories
from tests.test_admin import activity_form_data, assert_saved, management_form

# The browser and live server of the browser tests, shared rather than started twice.
from tests.test_browser import browser, live_server  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _japanese():
    """Factories write the active language's columns; a request to an English page
    leaves English active. Each test starts, and ends, in Japanese."""
    with translation.override("ja"):
        yield


PHOTO_ADD = "/admin/activities/photo/add/"


# -- images made for the tests ---------------------------------------------------


def encoded(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def two_colour_image(width: int = 60, height: int = 40) -> Image.Image:
    """Red on the left half, blue on the right: which way is up can be checked."""
    image = Image.new("RGB", (width, height), "red")
    image.paste((0, 0, 255), (width // 2, 0, width, height))
    return image


def camera_jpeg() -> bytes:
    """A JPEG as a phone writes it: turned on its side with EXIF orientation 6
    (display rotated 90° clockwise), GPS coordinates, camera data, XMP, a comment."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "SecretCam"
    exif[ExifTags.Base.Model] = "Model 7"
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(
        {
            ExifTags.GPS.GPSLatitudeRef: "N",
            ExifTags.GPS.GPSLatitude: (35.0, 51.0, 40.0),
            ExifTags.GPS.GPSLongitudeRef: "E",
            ExifTags.GPS.GPSLongitude: (139.0, 38.0, 42.0),
        }
    )
    xmp = (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
        b'xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="35,51.6N"/>'
        b"</rdf:RDF></x:xmpmeta>"
    )
    data = encoded(two_colour_image(), "JPEG", exif=exif, xmp=xmp, comment=b"secret comment")
    # The test is only worth something if the upload really carries all this.
    with Image.open(io.BytesIO(data)) as check:
        assert check.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert {"xmp", "comment"} <= set(check.info)
    return data


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` x ``height`` pixels: a decompression
    bomb as a check sees it, without the memory a real one would take."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


def upload(name: str, content: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def stored_files(path: str = "") -> set[str]:
    """Every file in the default storage, listed through the storage API."""
    try:
        directories, files = default_storage.listdir(path)
    except FileNotFoundError:  # no such folder on the disk (a bucket lists nothing)
        return set()
    names = {f"{path}{name}" for name in files}
    for directory in directories:
        names |= stored_files(f"{path}{directory}/")
    return names


def read(name: str) -> bytes:
    with default_storage.open(name, "rb") as f:
        return f.read()


def every_file_of(photo: Photo) -> list[str]:
    return [photo.image.name] + [r[kind] for r in photo.renditions for kind in ("webp", "jpeg")]


# -- refused uploads ---------------------------------------------------------------

REFUSED = {
    "400-megapixel bomb": ("bomb.png", png_claiming(20_000, 20_000), "too_many_pixels"),
    "49-megapixel bomb": ("bomb.png", png_claiming(7_000, 7_000), "too_many_pixels"),
    "SVG": (
        "logo.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "extension",
    ),
    "HTML": ("page.html", b"<html><script>alert(1)</script></html>", "extension"),
    "PDF": ("scan.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "extension"),
    "PSD": ("layers.psd", b"8BPS\x00\x01" + b"\x00" * 32, "extension"),
    "no extension": ("photo", factories.jpeg_bytes(), "extension"),
    "GIF renamed .jpg": ("photo.jpg", encoded(two_colour_image(), "GIF"), "unreadable"),
    "PNG named .jpg": ("photo.jpg", encoded(two_colour_image(), "PNG"), "format_mismatch"),
    "11 MB file": ("big.jpg", factories.jpeg_bytes() + b"\0" * (11 * 1024 * 1024), "too_large"),
    "truncated JPEG": (
        "cut.jpg",
        encoded(Image.effect_noise((64, 64), 50), "JPEG")[:400],
        "unreadable",
    ),
    "not an image at all": ("notes.png", b"just some text", "unreadable"),
}


@pytest.mark.parametrize(("name", "content", "code"), REFUSED.values(), ids=REFUSED.keys())
def test_refused_upload_is_a_form_error_and_leaves_no_file(admin_client, name, content, code):
    activity = factories.ActivityFactory()

    response = admin_client.post(
        PHOTO_ADD,
        {
            "activity": str(activity.pk),
            "image": upload(name, content),
            "alt_text_ja": "会議の様子",
            "order": "0",
        },
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors.as_data()
    assert [error.code for error in errors["image"]] == [code]
    assert not Photo.objects.exists()
    assert stored_files() == set()


def test_refusals_say_what_is_wrong_in_the_staff_language(admin_client):
    activity = factories.ActivityFactory()

    response = admin_client.post(
        PHOTO_ADD,
        {
            "activity": str(activity.pk),
            "image": upload("bomb.png", png_claiming(20_000, 20_000)),
            "alt_text_ja": "会議の様子",
            "order": "0",
        },
        HTTP_ACCEPT_LANGUAGE="ja",
    )

    message = response.context["adminform"].form.errors["image"][0]
    assert "bomb.png" in message and "40" in message and "メガピクセル" in message


@pytest.mark.parametrize(("name", "content", "code"), REFUSED.values(), ids=REFUSED.keys())
def test_refused_upload_through_code_raises_and_leaves_no_file(name, content, code):
    activity = factories.ActivityFactory()

    with pytest.raises(ValidationError) as excinfo:
        Photo.objects.create(
            activity=activity, alt_text="会議の様子", image=ContentFile(content, name=name)
        )

    assert excinfo.value.error_list[0].code == code
    assert not Photo.objects.exists()
    assert stored_files() == set()


def test_full_clean_checks_a_new_image():
    photo = Photo(
        activity=factories.ActivityFactory(),
        alt_text="会議の様子",
        image=ContentFile(png_claiming(20_000, 20_000), name="bomb.png"),
    )

    with pytest.raises(ValidationError) as excinfo:
        photo.full_clean()

    assert "image" in excinfo.value.message_dict
    assert stored_files() == set()


def test_limits_come_from_settings(settings):
    settings.PHOTO_MAX_UPLOAD_BYTES = 1000
    settings.PHOTO_MAX_PIXELS = 100

    with pytest.raises(ValidationError) as too_large:
        images.check_upload(ContentFile(factories.jpeg_bytes() + b"\0" * 1000, name="a.jpg"))
    with pytest.raises(ValidationError) as too_many_pixels:
        images.check_upload(ContentFile(factories.jpeg_bytes(11, 10), name="a.jpg"))

    assert too_large.value.code == "too_large"
    assert too_many_pixels.value.code == "too_many_pixels"
    images.check_upload(ContentFile(factories.jpeg_bytes(10, 10), name="a.jpg"))


@pytest.mark.parametrize("name", ["photo.jpg", "photo.JPEG", "photo.png", "photo.webp"])
def test_each_allowed_format_is_accepted(name):
    fmt = {"jpg": "JPEG", "jpeg": "JPEG", "png": "PNG", "webp": "WEBP"}[name.rsplit(".")[1].lower()]

    photo = factories.PhotoFactory(image=ContentFile(encoded(two_colour_image(), fmt), name=name))

    with Image.open(default_storage.open(photo.image.name)) as stored:
        assert stored.format == fmt
        assert stored.size == (60, 40)


# -- what is stored ----------------------------------------------------------------


def test_stored_image_and_renditions_are_upright_with_no_location_or_camera_data():
    photo = factories.PhotoFactory(image=ContentFile(camera_jpeg(), name="IMG_0001.JPG"))

    names = every_file_of(photo)
    assert len(names) == 3  # the image, and one rendition (40 px wide) in WebP and JPEG
    for name in names:
        data = read(name)
        for marker in (b"Exif", b"GPS", b"SecretCam", b"xmpmeta", b"secret comment"):
            assert marker not in data, (name, marker)
        with Image.open(io.BytesIO(data)) as image:
            assert not image.getexif()
            assert "xmp" not in image.info and "comment" not in image.info
            # Turned upright: the left (red) half of the sensor image is now on top.
            assert image.size == (40, 60)
            rgb = image.convert("RGB")
            top, bottom = rgb.getpixel((20, 10)), rgb.getpixel((20, 50))
            assert top[0] > 200 and top[2] < 60, (name, top)
            assert bottom[2] > 200 and bottom[0] < 60, (name, bottom)
    assert (photo.width, photo.height) == (40, 60)


def test_png_with_html_appended_is_stored_without_it():
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "<script>alert('text chunk')</script>")
    png = encoded(two_colour_image(), "PNG", pnginfo=info) + b"<html><script>alert(1)</script>"
    assert png.count(b"<script") == 2

    photo = factories.PhotoFactory(image=upload("diagram.png", png, "image/png"))

    for name in every_file_of(photo):
        assert b"<script" not in read(name), name


def test_uploaded_bytes_are_never_what_is_stored():
    original = factories.jpeg_bytes()

    photo = factories.PhotoFactory(image=ContentFile(original, name="plain.jpg"))

    assert read(photo.image.name) != original
    assert photo.image.name.startswith("photos/")
    # A random name: nothing of the uploaded name, and nothing to guess a draft's by.
    assert "plain" not in photo.image.name


def test_renditions_are_made_once_at_upload_in_webp_and_jpeg():
    photo = factories.PhotoFactory(
        image=ContentFile(encoded(two_colour_image(2000, 1500), "JPEG"), name="wide.jpg")
    )

    assert [(r["width"], r["height"]) for r in photo.renditions] == [
        (320, 240),
        (640, 480),
        (960, 720),
        (1600, 1200),
    ]
    for rendition in photo.renditions:
        for kind, fmt in (("webp", "WEBP"), ("jpeg", "JPEG")):
            with Image.open(default_storage.open(rendition[kind])) as image:
                assert (image.format, image.size) == (
                    fmt,
                    (rendition["width"], rendition["height"]),
                )
    photo.refresh_from_db()
    assert len(photo.renditions) == 4
    assert (photo.width, photo.height) == (2000, 1500)


def test_transparent_png_keeps_its_alpha_in_webp_and_is_flattened_on_white_in_jpeg():
    image = Image.new("RGBA", (40, 40), (255, 0, 0, 0))

    photo = factories.PhotoFactory(image=upload("logo.png", encoded(image, "PNG"), "image/png"))

    rendition = photo.renditions[0]
    with Image.open(default_storage.open(rendition["webp"])) as webp:
        assert webp.convert("RGBA").getpixel((5, 5))[3] == 0
    with Image.open(default_storage.open(rendition["jpeg"])) as jpeg:
        assert min(jpeg.convert("RGB").getpixel((5, 5))) > 240


def test_cmyk_jpeg_is_stored_as_rgb():
    cmyk = Image.new("CMYK", (32, 32), (0, 255, 255, 0))

    photo = factories.PhotoFactory(image=ContentFile(encoded(cmyk, "JPEG"), name="print.jpg"))

    with Image.open(default_storage.open(photo.image.name)) as stored:
        assert stored.mode == "RGB"


# -- any shape within the caps ---------------------------------------------------------

# Far under the pixel cap, yet each has a side beyond what WebP (16,383 pixels) or
# JPEG (65,500 in libjpeg) can hold: the renditions are scaled down to fit both.
WITHIN_THE_CAPS = {
    "320x20000 PNG": (
        "scroll.png",
        "PNG",
        (320, 20_000),
        [(262, 16_383)],
    ),
    "1600x17000 JPEG": (
        "timeline.jpg",
        "JPEG",
        (1600, 17_000),
        [(320, 3400), (640, 6800), (960, 10_200), (1542, 16_383)],
    ),
    "20000x320 PNG": (
        "panorama.png",
        "PNG",
        (20_000, 320),
        [(320, 5), (640, 10), (960, 15), (1600, 26)],
    ),
    "1x100000 PNG": ("line.png", "PNG", (1, 100_000), [(1, 16_383)]),
    "100000x1 PNG": ("rule.png", "PNG", (100_000, 1), [(320, 1), (640, 1), (960, 1), (1600, 1)]),
}


def assert_scaled_from(size: tuple[int, int], original: tuple[int, int]) -> None:
    """``size`` is ``original`` scaled down, its aspect ratio kept to the pixel."""
    long_side = 0 if original[0] >= original[1] else 1
    scale = size[long_side] / original[long_side]
    short = original[1 - long_side] * scale
    assert 0 < scale <= 1
    assert abs(size[1 - long_side] - max(1, short)) <= 0.5 + 1e-9, (size, original)


@pytest.mark.parametrize(
    ("name", "fmt", "size", "expected"), WITHIN_THE_CAPS.values(), ids=WITHIN_THE_CAPS.keys()
)
def test_a_photo_of_any_shape_within_the_caps_is_saved_and_shown(
    admin_client, client, name, fmt, size, expected
):
    content = encoded(two_colour_image(*size), fmt)
    assert len(content) <= django_settings.PHOTO_MAX_UPLOAD_BYTES
    assert size[0] * size[1] <= django_settings.PHOTO_MAX_PIXELS

    response = admin_client.post(
        "/admin/activities/activity/add/",
        activity_form_data(
            status=Activity.Status.PUBLISHED,
            **management_form("photos", total=1),
            **{
                "photos-0-image": upload(name, content, f"image/{fmt.lower()}"),
                "photos-0-alt_text_ja": "細長い図",
                "photos-0-order": "0",
            },
        ),
    )

    assert_saved(response)
    photo = Photo.objects.get()
    assert (photo.width, photo.height) == size
    with Image.open(default_storage.open(photo.image.name)) as master:
        master.load()
        assert (master.format, master.size) == (fmt, size)
    assert [(r["width"], r["height"]) for r in photo.renditions] == expected
    for rendition in photo.renditions:
        rendition_size = (rendition["width"], rendition["height"])
        assert_scaled_from(rendition_size, size)
        assert rendition["width"] <= max(images.RENDITION_WIDTHS)
        assert max(rendition_size) <= 16_383
        for kind, kind_format in (("webp", "WEBP"), ("jpeg", "JPEG")):
            with Image.open(default_storage.open(rendition[kind])) as image:
                image.load()
                assert (image.format, image.size) == (kind_format, rendition_size)
    page = client.get(photo.activity.get_absolute_url())
    assert page.status_code == 200
    assert default_storage.url(photo.renditions[0]["jpeg"]) in page.content.decode()
    assert 'alt="細長い図"' in page.content.decode()


@given(
    st.integers(1, 200_000).flatmap(
        lambda width: st.tuples(
            st.just(width), st.integers(1, max(1, django_settings.PHOTO_MAX_PIXELS // width))
        )
    )
)
def test_rendition_sizes_fit_every_format_whatever_the_shape(size):
    sizes = images.rendition_sizes(size)

    assert sizes, size
    widths = [width for width, _ in sizes]
    assert widths == sorted(set(widths), reverse=True)  # each width made once
    for rendition in sizes:
        assert_scaled_from(rendition, size)
        assert rendition[0] <= max(images.RENDITION_WIDTHS)
        assert max(rendition) <= images.MAX_SIDE["webp"] <= images.MAX_SIDE["jpg"]
    # A photo no wider than a target width, and short enough, is kept at its size.
    if size[0] <= max(images.RENDITION_WIDTHS) and size[1] <= images.MAX_SIDE["webp"]:
        assert sizes[0] == size


def test_a_photo_that_cannot_be_encoded_is_a_form_error_naming_it(admin_client, monkeypatch):
    activity = factories.ActivityFactory()
    real_encode = images._encode

    def failing_webp(image, extension, options):
        if extension == "webp":
            raise ValueError("encoding error 5")
        return real_encode(image, extension, options)

    monkeypatch.setattr(images, "_encode", failing_webp)

    response = admin_client.post(
        PHOTO_ADD,
        {
            "activity": str(activity.pk),
            "image": upload("会議.jpg", factories.jpeg_bytes()),
            "alt_text_ja": "会議の様子",
            "order": "0",
        },
        HTTP_ACCEPT_LANGUAGE="ja",
    )

    assert response.status_code == 200
    (error,) = response.context["adminform"].form.errors.as_data()["image"]
    assert error.code == "unprocessable"
    message = response.context["adminform"].form.errors["image"][0]
    assert "会議.jpg" in message and "処理できませんでした" in message
    assert not Photo.objects.exists()
    assert stored_files() == set()


# -- no orphan files -----------------------------------------------------------------


def test_deleting_a_photo_removes_its_files_after_the_commit(django_capture_on_commit_callbacks):
    before = stored_files()
    photo = factories.PhotoFactory(
        image=ContentFile(encoded(two_colour_image(800, 600), "JPEG"), name="a.jpg")
    )
    assert len(stored_files()) == len(before) + 1 + 2 * 3  # 320, 640 and 800 wide

    with django_capture_on_commit_callbacks(execute=True):
        photo.delete()

    assert stored_files() == before


def test_deleting_an_activity_removes_its_photos_files(django_capture_on_commit_callbacks):
    activity = factories.ActivityFactory()
    factories.PhotoFactory.create_batch(3, activity=activity)
    assert stored_files()

    with django_capture_on_commit_callbacks(execute=True):
        activity.delete()

    assert stored_files() == set()


def test_deleting_in_the_admin_removes_the_files(admin_client, django_capture_on_commit_callbacks):
    photo = factories.PhotoFactory()

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"/admin/activities/photo/{photo.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert stored_files() == set()


def test_a_rolled_back_deletion_keeps_the_files(django_capture_on_commit_callbacks):
    photo = factories.PhotoFactory()
    pk, files = photo.pk, stored_files()

    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            photo.delete()
            transaction.set_rollback(True)

    assert stored_files() == files
    assert Photo.objects.filter(pk=pk).exists()


def test_replacing_the_image_in_the_admin_leaves_no_orphans(
    admin_client, django_capture_on_commit_callbacks
):
    photo = factories.PhotoFactory(alt_text="会議の様子")
    old_files = set(every_file_of(photo))
    assert stored_files() == old_files

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            f"/admin/activities/photo/{photo.pk}/change/",
            {
                "activity": str(photo.activity_id),
                "image": upload("new.png", encoded(two_colour_image(), "PNG"), "image/png"),
                "alt_text_ja": "会議の様子",
                "order": "0",
                "version": str(photo.version),
            },
        )

    assert response.status_code == 302
    photo.refresh_from_db()
    assert photo.image.name.endswith(".png")
    assert stored_files() == set(every_file_of(photo))
    assert not stored_files() & old_files


def test_replacing_the_image_in_code_leaves_no_orphans(django_capture_on_commit_callbacks):
    photo = factories.PhotoFactory()
    photo = Photo.objects.get(pk=photo.pk)

    with django_capture_on_commit_callbacks(execute=True):
        photo.image = ContentFile(factories.jpeg_bytes(30, 20), name="second.jpg")
        photo.save()
        photo.image.save("third.jpg", ContentFile(factories.jpeg_bytes(20, 10)))

    assert stored_files() == set(every_file_of(photo))
    assert (photo.width, photo.height) == (20, 10)


def test_saving_without_a_new_image_writes_and_deletes_nothing(django_capture_on_commit_callbacks):
    photo = Photo.objects.get(pk=factories.PhotoFactory().pk)
    files = stored_files()

    with django_capture_on_commit_callbacks(execute=True):
        photo.caption = "新しいキャプション"
        photo.save()

    assert stored_files() == files


# -- alt text ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "alt_text",
    ["IMG_1234", "DSC01234", "DSCN0042.JPG", "写真.jpg", "PXL_20190313_142233", "20190313_142233"],
)
def test_alt_text_that_looks_like_a_file_name_is_refused(alt_text):
    photo = factories.PhotoFactory.build(activity=factories.ActivityFactory(), alt_text=alt_text)

    with pytest.raises(ValidationError) as excinfo:
        photo.full_clean()

    assert "alt_text_ja" in excinfo.value.message_dict


@pytest.mark.parametrize(
    "alt_text", ["市長と代表が握手する様子", "IMG ホールの外観", "2019年の調印式"]
)
def test_alt_text_that_describes_is_accepted(alt_text):
    factories.PhotoFactory.build(
        activity=factories.ActivityFactory(), alt_text=alt_text
    ).full_clean()


def test_alt_text_must_not_repeat_the_caption(admin_client):
    activity = factories.ActivityFactory()

    response = admin_client.post(
        PHOTO_ADD,
        {
            "activity": str(activity.pk),
            "image": upload("p.jpg", factories.jpeg_bytes()),
            "caption_ja": "協定締結の様子",
            "alt_text_ja": "協定締結の様子 ",
            "order": "0",
        },
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors().as_data()
    assert [error.code for error in errors] == ["alt_text_is_caption"]
    # No photo is stored; the chosen one is kept aside for the corrected form
    # (tests/test_retained_uploads.py).
    assert {name for name in stored_files() if not name.startswith("pending/")} == set()


def test_decorative_photo_needs_no_alt_text():
    photo = factories.PhotoFactory(alt_text="", is_decorative=True)

    photo.full_clean()


# -- the public page ---------------------------------------------------------------


def test_gallery_serves_renditions_with_sizes_and_reserved_space(client):
    activity = factories.ActivityFactory()
    first = factories.PhotoFactory(
        activity=activity,
        alt_text="握手する二人",
        image=ContentFile(encoded(two_colour_image(1200, 800), "JPEG"), name="a.jpg"),
    )
    second = factories.PhotoFactory(activity=activity, order=1)
    decorative = factories.PhotoFactory(activity=activity, order=2, alt_text="", is_decorative=True)

    body = client.get(activity.get_absolute_url()).content.decode()

    url = default_storage.url
    webp = ", ".join(f"{url(r['webp'])} {r['width']}w" for r in first.renditions)
    jpeg = ", ".join(f"{url(r['jpeg'])} {r['width']}w" for r in first.renditions)
    assert f'<source type="image/webp" srcset="{webp}" sizes="' in body
    assert f'srcset="{jpeg}" sizes="' in body
    assert 'alt="握手する二人"' in body
    assert 'width="1200" height="800"' in body
    # The plain link works without script: the largest rendition, not the stored image.
    large = url(first.renditions[-1]["jpeg"])
    assert f'href="{large}" data-gallery-item data-width="1200" data-height="800"' in body
    assert url(first.image.name) not in body
    # The first photo loads at once, the rest when scrolled to.
    first_tag = body[body.index(f'src="{url(first.renditions[2]["jpeg"])}"') :]
    assert "loading" not in first_tag[: first_tag.index(">")]
    gallery = body[: body.index('class="lightbox-image"')]
    assert gallery.count('loading="lazy"') == 2
    # A decorative photo is silent to screen readers and opens nothing.
    assert f'src="{url(decorative.renditions[0]["jpeg"])}"' in body
    assert 'alt=""' in body
    assert body.count("data-gallery-item") == 2
    assert second.alt_text in body


def test_gallery_dialog_is_labelled_and_scripted_from_a_file(client):
    photo = factories.PhotoFactory()

    body = client.get(photo.activity.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ja").content.decode()

    assert '<dialog class="lightbox" aria-labelledby="lightbox-title"' in body
    assert 'data-template="写真 {number} / {total}"' in body
    assert '<script src="/static/js/gallery.js" defer></script>' in body
    assert '<link rel="stylesheet" href="/static/css/gallery.css">' in body
    # No inline script: a Content-Security-Policy without 'unsafe-inline' allows it.
    assert "<script>" not in body


def test_page_without_photos_loads_no_gallery(client):
    activity = factories.ActivityFactory()

    body = client.get(activity.get_absolute_url()).content.decode()

    assert "gallery.js" not in body and "gallery.css" not in body


def test_a_page_request_never_writes_to_storage(client, monkeypatch):
    photo = factories.PhotoFactory()

    def refuse(*args, **kwargs):
        raise AssertionError("a page request wrote to storage")

    monkeypatch.setattr(type(default_storage._wrapped), "save", refuse)

    assert client.get(photo.activity.get_absolute_url()).status_code == 200


def test_photo_saved_before_renditions_existed_still_shows():
    photo = factories.PhotoFactory()
    Photo.objects.filter(pk=photo.pk).update(renditions=[])
    photo.refresh_from_db()

    assert photo.src == photo.image.url
    assert photo.large == {"url": photo.image.url, "width": 64, "height": 48}
    assert photo.jpeg_srcset == ""


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_twelve_photos_cost_the_queries_one_photo_costs(client):
    one = factories.ActivityFactory()
    factories.PhotoFactory(activity=one).people.add(factories.ParticipantFactory())
    twelve = factories.ActivityFactory()
    for _ in range(12):
        factories.PhotoFactory(activity=twelve).people.add(
            *factories.ParticipantFactory.create_batch(2)
        )

    # The first request after a change builds the archive's index
    # (activities/facets.py); both pages are measured after it.
    client.get("/ja/activities/")
    assert count_queries(client, one.get_absolute_url()) == 8
    assert count_queries(client, twelve.get_absolute_url()) == 8


def test_people_pictured_are_named_with_their_english_names_falling_back(client):
    person = factories.ParticipantFactory(name="清水勇人", name_en="Hayato Shimizu", title="市長")
    unnamed_en = factories.ParticipantFactory(name="原田義昭", title="環境大臣")
    photo = factories.PhotoFactory(alt_text="握手する二人")
    photo.people.add(person, unnamed_en)

    body = client.get(f"/en{photo.activity.get_absolute_url()[3:]}").content.decode()

    assert "Hayato Shimizu" in body
    assert "原田義昭" in body
    # The Japanese alt text stands in for the missing English one, marked as Japanese.
    assert 'alt="握手する二人" lang="ja"' in body


# -- the admin -----------------------------------------------------------------------


def add_several_url(activity) -> str:
    return f"/admin/activities/photo/add-several/{activity.pk}/"


def test_several_photos_are_added_at_once_after_the_existing_ones(admin_client):
    activity = factories.ActivityFactory()
    factories.PhotoFactory(activity=activity, order=3)

    response = admin_client.post(
        add_several_url(activity),
        {
            "photos": [
                upload("one.jpg", factories.jpeg_bytes()),
                upload("two.png", encoded(two_colour_image(), "PNG"), "image/png"),
                upload("three.webp", encoded(two_colour_image(), "WEBP"), "image/webp"),
            ],
            "alt_text": "会議の会場の様子",
            "credit": "さいたま市",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == f"/admin/activities/activity/{activity.pk}/change/#photos-group"
    added = list(activity.photos.filter(order__gt=3))
    assert [p.order for p in added] == [4, 5, 6]
    assert {p.alt_text for p in added} == {"会議の会場の様子"}
    assert {p.credit for p in added} == {"さいたま市"}
    assert [p.image.name.rsplit(".")[-1] for p in added] == ["jpg", "png", "webp"]
    assert all(p.renditions for p in added)


def test_one_bad_file_among_several_adds_none(admin_client):
    activity = factories.ActivityFactory()

    response = admin_client.post(
        add_several_url(activity),
        {
            "photos": [
                upload("good.jpg", factories.jpeg_bytes()),
                upload("bomb.png", png_claiming(20_000, 20_000), "image/png"),
            ],
            "alt_text": "会議の会場の様子",
        },
    )

    assert response.status_code == 200
    assert "bomb.png" in str(response.context["form"].errors["photos"])
    assert not Photo.objects.exists()
    assert stored_files() == set()


def test_several_photos_need_an_alt_text(admin_client):
    activity = factories.ActivityFactory()

    response = admin_client.post(
        add_several_url(activity),
        {"photos": [upload("good.jpg", factories.jpeg_bytes())], "alt_text": "IMG_0001"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["alt_text"]
    assert not Photo.objects.exists()


def test_adding_several_photos_needs_the_right_to_change_the_activity(django_user_model):
    activity = factories.ActivityFactory()
    user = django_user_model.objects.create_user(username="clerk", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(codename__in=["add_photo", "view_activity", "view_photo"])
    )
    client = Client()
    client.force_login(user)

    assert client.get(add_several_url(activity)).status_code == 403


def test_activity_page_links_to_adding_several_photos(admin_client):
    activity = factories.ActivityFactory()

    body = admin_client.get(f"/admin/activities/activity/{activity.pk}/change/").content.decode()

    assert add_several_url(activity) in body


def test_upload_form_says_what_may_be_uploaded(admin_client):
    body = admin_client.get(PHOTO_ADD, HTTP_ACCEPT_LANGUAGE="ja").content.decode()

    assert 'accept="image/jpeg,image/png,image/webp,.jpg,.jpeg,.png,.webp"' in body
    assert "10.0 MB" in body or "10.0\xa0MB" in body


# -- photos stored before this processing existed --------------------------------------


def test_old_photos_are_reprocessed_without_leaving_their_old_files(
    django_capture_on_commit_callbacks,
):
    photo = factories.PhotoFactory()
    for name in every_file_of(photo)[1:]:
        default_storage.delete(name)
    # As an upload used to be stored: the camera's bytes, location data and all.
    default_storage.delete(photo.image.name)
    old_name = default_storage.save(photo.image.name, ContentFile(camera_jpeg()))
    Photo.objects.filter(pk=photo.pk).update(image=old_name, renditions=[], width=60, height=40)
    broken = factories.PhotoFactory()
    for name in every_file_of(broken):
        default_storage.delete(name)
    Photo.objects.filter(pk=broken.pk).update(renditions=[])
    default_storage.save(broken.image.name, ContentFile(b"not an image"))
    out, err = io.StringIO(), io.StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("reprocess_photos", stdout=out, stderr=err)

    photo.refresh_from_db()
    assert photo.renditions and (photo.width, photo.height) == (40, 60)
    assert b"GPS" not in read(photo.image.name)
    assert not default_storage.exists(old_name)
    assert "1 photos processed, 1 left as they were." in out.getvalue()
    assert f"Photo {broken.pk}" in err.getvalue()
    broken.refresh_from_db()
    assert stored_files() == set(every_file_of(photo)) | {broken.image.name}

    call_command("reprocess_photos", stdout=out, stderr=io.StringIO())
    assert "0 photos processed, 1 left as they were." in out.getvalue()


# -- the enlarged view in a real browser -----------------------------------------------


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_enlarged_view_works_from_the_keyboard(browser, live_server):  # noqa: F811
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    call_command("load_demo", stdout=io.StringIO())
    browser.set_window_size(1280, 900)
    browser.get(
        live_server.url + "/ja/activities/2018-10-22-renewable-energy-conference-basel-freiburg/"
    )
    dialog = browser.find_element(By.CSS_SELECTOR, "dialog.lightbox")
    title = browser.find_element(By.ID, "lightbox-title")
    caption = browser.find_element(By.ID, "lightbox-caption")
    links = browser.find_elements(By.CSS_SELECTOR, "[data-gallery-item]")
    assert len(links) == 4 and not dialog.is_displayed()

    links[1].send_keys(Keys.ENTER)

    assert dialog.is_displayed()
    assert browser.switch_to.active_element.text == "閉じる"
    assert title.text == "写真 2 / 4"
    second_caption = browser.find_elements(By.CSS_SELECTOR, ".photos figcaption .caption")[1]
    assert second_caption.text in caption.text
    image = browser.find_element(By.CSS_SELECTOR, ".lightbox-image")
    assert image.get_attribute("src") == links[1].get_attribute("href")
    assert image.get_attribute("alt") == links[1].find_element(By.TAG_NAME, "img").get_attribute(
        "alt"
    )

    ActionChains(browser).send_keys(Keys.ARROW_RIGHT).perform()
    assert title.text == "写真 3 / 4"
    ActionChains(browser).send_keys(Keys.ARROW_LEFT, Keys.ARROW_LEFT, Keys.ARROW_LEFT).perform()
    assert title.text == "写真 4 / 4"

    ActionChains(browser).send_keys(Keys.ESCAPE).perform()

    assert not dialog.is_displayed()
    # Back where the visitor was.
    assert browser.switch_to.active_element == links[1]
