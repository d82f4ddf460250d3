"""Request bodies over their limit are refused before a byte of them is read: nothing
reaches memory or the disk, whoever sends them. Staff in the admin may send photos."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from activities.models import Photo
from config.limits import staff_max_bytes
from tests import factories

MB = 1024 * 1024
HUGE = 300 * MB


class BodyWasRead(Exception):
    pass


class Tripwire:
    """A request body that may not be read: it fails the request (and the test) if
    more than a few bytes are asked of it."""

    allowed = 16

    def __init__(self) -> None:
        self.asked = 0

    def read(self, size: int | None = -1) -> bytes:
        size = self.allowed + 1 if size is None or size < 0 else size
        self.asked += size
        if self.asked > self.allowed:
            raise BodyWasRead(f"{self.asked} bytes asked for")
        return b"-" * size

    def readline(self, size: int | None = -1) -> bytes:
        return self.read(size)


def multipart(length: int, body: Tripwire) -> dict:
    """The WSGI variables of a file upload of ``length`` bytes that cannot be read."""
    return {
        "REQUEST_METHOD": "POST",
        "CONTENT_TYPE": "multipart/form-data; boundary=BoUnDaRy",
        "CONTENT_LENGTH": str(length),
        "wsgi.input": body,
    }


@pytest.fixture
def upload_dir(settings, tmp_path):
    """Where Django would spool an uploaded file larger than it keeps in memory."""
    folder = tmp_path / "uploads"
    folder.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(folder)
    return folder


def post(path: str, length: int, *, client: Client | None = None, **extra) -> tuple:
    """POST a body of ``length`` bytes that cannot be read: (response, the body).

    Django checks CSRF as in production, reading ``request.POST`` to find the token.
    """
    body = Tripwire()
    client = client or Client(enforce_csrf_checks=True)
    response = client.generic("POST", path, **multipart(length, body), **extra)
    return response, body


# No database here: an anonymous request is refused before anything looks up a session.
@pytest.mark.parametrize(
    "path",
    [
        "/ja/",
        "/en/activities/",
        "/admin/login/",
        "/i18n/setlang/",
        "/admin/activities/photo/add-several/1/",
    ],
)
def test_a_300_mb_anonymous_body_is_refused_unread_and_nothing_is_written(upload_dir, path):
    response, body = post(path, HUGE)

    assert response.status_code == 413
    assert body.asked == 0
    assert list(upload_dir.iterdir()) == []
    page = response.content.decode()
    assert "300.0" in page and "64.0" in page


@pytest.mark.parametrize(
    ("path", "language", "texts"),
    [
        ("/en/activities/", "ja", ['lang="en"', "Too much sent at once", "Nothing was saved."]),
        ("/ja/activities/", "en", ['lang="ja"', "送信できる量を超えています", "何も保存"]),
        ("/admin/login/", "ja", ['lang="ja"', "送信できる量を超えています"]),
        ("/admin/login/", "en", ['lang="en"', "Too much sent at once"]),
    ],
)
def test_the_413_page_is_short_and_in_the_request_language(upload_dir, path, language, texts):
    response, _body = post(path, HUGE, HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 413
    page = response.content.decode()
    for text in texts:
        assert text in page
    assert len(page) < 2000


@pytest.mark.django_db
def test_a_body_within_the_small_limit_is_read_as_usual(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/en/"})

    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"


def noisy_jpeg(width: int, height: int) -> bytes:
    """A photo that compresses as badly as a real one: about 0.8 byte a pixel."""
    buffer = io.BytesIO()
    Image.effect_noise((width, height), 80).convert("RGB").save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


@pytest.mark.django_db
def test_a_staff_photo_upload_of_a_normal_size_still_works(settings, upload_dir, admin_client):
    activity = factories.ActivityFactory()
    photo = noisy_jpeg(1600, 1200)
    assert 3 * len(photo) > settings.FILE_UPLOAD_MAX_MEMORY_SIZE > settings.REQUEST_MAX_BYTES

    response = admin_client.post(
        f"/admin/activities/photo/add-several/{activity.pk}/",
        {
            "photos": [
                SimpleUploadedFile(f"{n}.jpg", photo, content_type="image/jpeg") for n in range(3)
            ],
            "alt_text": "会議の会場の様子",
        },
    )

    assert response.status_code == 302
    assert activity.photos.count() == 3
    # Spooled while the request lasted, and gone with it.
    assert list(upload_dir.iterdir()) == []


def refused_unread(client: Client, path: str, length: int) -> bool:
    response, body = post(path, length, client=client)
    if response.status_code == 413:
        assert body.asked == 0
        return True
    return False


@pytest.mark.django_db
def test_a_staff_body_over_the_admin_limit_is_refused_unread(upload_dir, admin_client):
    activity = factories.ActivityFactory()
    path = f"/admin/activities/photo/add-several/{activity.pk}/"

    response, body = post(path, staff_max_bytes() + 1, client=admin_client)

    assert response.status_code == 413
    assert body.asked == 0
    # Staff are told what to do about it, in the staff site's language.
    assert "写真の枚数を減らす" in response.content.decode()
    assert refused_unread(admin_client, path, HUGE)
    assert list(upload_dir.iterdir()) == []
    assert not Photo.objects.exists()


def test_the_admin_limit_is_ten_photos_at_their_largest_and_the_other_fields(settings):
    assert staff_max_bytes() == 10 * 10 * MB + int(2.5 * MB)

    settings.PHOTO_MAX_UPLOAD_BYTES = 1 * MB

    assert staff_max_bytes() == 10 * MB + int(2.5 * MB)


@pytest.mark.django_db
def test_the_admin_limit_follows_the_photo_limit(settings, admin_client):
    settings.PHOTO_MAX_UPLOAD_BYTES = 1 * MB
    path = "/admin/activities/activity/add/"

    assert refused_unread(admin_client, path, 13 * MB)
    assert not refused_unread_or_read(admin_client, path, 12 * MB)


def refused_unread_or_read(client: Client, path: str, length: int) -> bool:
    """Whether the request was refused; a request let through reads its body."""
    try:
        return refused_unread(client, path, length)
    except BodyWasRead:
        return False


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/admin/activities/activity/add/", "/ja/", "/i18n/setlang/"])
def test_only_staff_in_the_admin_may_send_more_than_the_small_limit(
    django_user_model, upload_dir, path
):
    clerk = Client()
    clerk.force_login(django_user_model.objects.create_user("clerk", is_staff=False))
    staff = Client()
    staff.force_login(django_user_model.objects.create_user("editor", is_staff=True))
    length = 1 * MB

    assert refused_unread(clerk, path, length)
    if path.startswith("/admin/"):
        assert not refused_unread_or_read(staff, path, length)
    else:
        assert refused_unread(staff, path, length)
    assert list(upload_dir.iterdir()) == []


@pytest.mark.slow
def test_through_gunicorn_a_300_mb_post_is_answered_413_before_it_is_sent(tmp_path) -> None:
    """On a real socket: the headers announce 300 MB, the client sends 1 MB of it and
    then waits. The answer comes without the rest, and nothing was spooled to disk."""
    import socket

    from tests.servers import ServedArchive

    archive = ServedArchive(tmp_path / "served", workers=1)
    try:
        archive.start()
        for path in ("/ja/", "/admin/login/"):
            with socket.create_connection(("127.0.0.1", archive.port), timeout=10) as sock:
                sock.sendall(
                    f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    "Content-Type: multipart/form-data; boundary=x\r\n"
                    f"Content-Length: {HUGE}\r\nConnection: close\r\n\r\n".encode()
                    + b"--x\r\n"
                    + b"-" * MB
                )
                answer = sock.recv(4096).decode("latin-1")
            assert answer.startswith("HTTP/1.1 413"), (path, answer[:100])
        assert list((tmp_path / "served" / "tmp").iterdir()) == []
    finally:
        archive.stop()
