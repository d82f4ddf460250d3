"""Make sure the local demo has a staff login, and say how to use it.

`make run` calls this before starting the server. The first run creates the
superuser "admin" with a random password and keeps the password in `.staff-login`
(readable by its owner only, ignored by git); later runs print it again and
change nothing.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser

USERNAME = "admin"


class Command(BaseCommand):
    help = "Create the demo superuser 'admin' if missing and print how to sign in."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--url",
            default="http://127.0.0.1:8000/admin/",
            help="Where the staff site is served, for the printed instructions.",
        )
        parser.add_argument(
            "--password-file",
            type=Path,
            default=None,
            help="Where to keep the generated password (default: .staff-login in the "
            "project folder).",
        )

    def handle(self, *args, url: str, password_file: Path | None, **options) -> None:
        path = password_file or Path(settings.BASE_DIR) / ".staff-login"
        User = get_user_model()
        user = User._default_manager.filter(**{User.USERNAME_FIELD: USERNAME}).first()

        if user is None:
            password = secrets.token_urlsafe(16)
            # The file first: a login nobody can recover is worse than a stale file,
            # which the next run replaces.
            write_private(path, password)
            User._default_manager.create_superuser(
                **{User.USERNAME_FIELD: USERNAME}, email="", password=password
            )
            self.stdout.write(self.style.SUCCESS(f"Created the superuser {USERNAME!r}."))
            self.print_login(url, password, path)
            return

        if not path.exists():
            self.stdout.write(
                self.style.WARNING(
                    f"The user {USERNAME!r} exists, but its password is not stored in {path}.\n"
                    f"Set a new one with: python manage.py changepassword {USERNAME}"
                )
            )
            self.print_login(url, None, path)
            return

        password = path.read_text(encoding="utf-8").strip()
        if not user.check_password(password):
            self.stdout.write(
                self.style.WARNING(
                    f"The password stored in {path} no longer matches the user "
                    f"{USERNAME!r}.\n"
                    f"Set a new one with: python manage.py changepassword {USERNAME}\n"
                    f"and write it into {path} to have it shown here again."
                )
            )
            self.print_login(url, None, path)
            return
        if not (user.is_active and user.is_staff):
            self.stdout.write(
                self.style.WARNING(
                    f"The user {USERNAME!r} is inactive or not staff and cannot sign in "
                    "to the staff site; fix that in the admin or the shell."
                )
            )
        self.print_login(url, password, path)

    def print_login(self, url: str, password: str | None, path: Path) -> None:
        self.stdout.write("")
        self.stdout.write("Staff login")
        self.stdout.write(f"  URL:      {url}")
        self.stdout.write(f"  Username: {USERNAME}")
        if password is not None:
            self.stdout.write(f"  Password: {password}")
            self.stdout.write(f"  (kept in {path})")
        self.stdout.write("")


def write_private(path: Path, text: str) -> None:
    """Write `text` to `path`, readable and writable by the owner only."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    # The mode above applies only when the file is new.
    os.chmod(path, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        file.write(text + "\n")
