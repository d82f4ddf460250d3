"""Management commands."""

from __future__ import annotations

import io
import re
import stat
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from activities import cache

pytestmark = pytest.mark.django_db

ADMIN_URL = "http://127.0.0.1:8000/admin/"


def ensure_staff_login(password_file: Path) -> str:
    out = io.StringIO()
    call_command("ensure_staff_login", url=ADMIN_URL, password_file=password_file, stdout=out)
    return out.getvalue()


def printed_password(output: str) -> str:
    match = re.search(r"^\s*Password:\s*(\S+)\s*$", output, re.MULTILINE)
    assert match, output
    return match.group(1)


@pytest.fixture
def password_file(tmp_path) -> Path:
    return tmp_path / ".staff-login"


def test_creates_a_superuser_and_prints_how_to_sign_in(password_file) -> None:
    output = ensure_staff_login(password_file)

    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser and user.is_staff and user.is_active
    password = printed_password(output)
    assert user.check_password(password)
    assert ADMIN_URL in output
    assert re.search(r"Username:\s*admin\b", output)
    assert password_file.read_text().strip() == password


def test_password_file_is_private(password_file) -> None:
    ensure_staff_login(password_file)

    assert stat.S_IMODE(password_file.stat().st_mode) == 0o600


def test_printed_password_signs_in_to_the_staff_site(password_file) -> None:
    password = printed_password(ensure_staff_login(password_file))
    client = Client()

    response = client.post(
        "/admin/login/?next=/admin/", {"username": "admin", "password": password}
    )

    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_second_run_changes_nothing_and_prints_the_same_password(password_file) -> None:
    first = printed_password(ensure_staff_login(password_file))
    hashed = get_user_model().objects.get(username="admin").password

    second = printed_password(ensure_staff_login(password_file))

    assert second == first
    assert get_user_model().objects.count() == 1
    assert get_user_model().objects.get(username="admin").password == hashed


def test_says_so_when_the_stored_password_no_longer_works(password_file) -> None:
    ensure_staff_login(password_file)
    user = get_user_model().objects.get(username="admin")
    user.set_password("changed-by-hand-1234")
    user.save()

    output = ensure_staff_login(password_file)

    assert "no longer matches" in output
    assert "python manage.py changepassword admin" in output
    assert "Password:" not in output
    # The password set by hand is left alone.
    assert get_user_model().objects.get(username="admin").check_password("changed-by-hand-1234")


def test_existing_user_without_a_stored_password_is_left_alone(
    password_file, django_user_model
) -> None:
    django_user_model.objects.create_superuser("admin", "", "chosen-by-someone-1234")

    output = ensure_staff_login(password_file)

    assert "python manage.py changepassword admin" in output
    assert "Password:" not in output
    assert not password_file.exists()
    assert django_user_model.objects.get(username="admin").check_password("chosen-by-someone-1234")


def test_a_stale_file_is_replaced_when_the_user_is_created(password_file) -> None:
    # E.g. the demo database was deleted and made again.
    password_file.write_text("left-over\n")
    password_file.chmod(0o644)

    password = printed_password(ensure_staff_login(password_file))

    assert password != "left-over"
    assert password_file.read_text().strip() == password
    assert stat.S_IMODE(password_file.stat().st_mode) == 0o600
    assert get_user_model().objects.get(username="admin").check_password(password)


def test_default_file_is_in_the_project_folder(settings, tmp_path) -> None:
    settings.BASE_DIR = tmp_path
    out = io.StringIO()

    call_command("ensure_staff_login", stdout=out)

    assert (tmp_path / ".staff-login").read_text().strip() == printed_password(out.getvalue())


def test_rebuilding_the_search_index_moves_the_cache_generation_on(
    django_capture_on_commit_callbacks,
) -> None:
    """It rewrites search documents in bulk, which sends no signals: cached pages
    and every process's archive index must still learn of it."""
    before = cache.generation()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("rebuild_search_index", stdout=io.StringIO())

    assert cache.generation() != before
