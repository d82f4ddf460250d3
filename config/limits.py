"""Request bodies are refused before they are read when they are larger than allowed.

Django reads a body when something asks for ``request.POST`` or ``request.FILES``
(CsrfViewMiddleware does, for every POST), and its upload handlers write a file
larger than FILE_UPLOAD_MAX_MEMORY_SIZE to a temporary file as they read it: a
300 MB anonymous POST would be on disk before the CSRF check refused it. This
middleware compares the length the request declares (CONTENT_LENGTH) with its
limit and answers 413 without reading a byte.

- Every request may carry REQUEST_MAX_BYTES (64 KiB by default): the language
  switch and the login form need well under 1 KiB.
- A signed-in staff member's request in the admin may carry a form's worth of
  photos (``staff_max_bytes``).

A body without a CONTENT_LENGTH (chunked) is not read by Django at all.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse

from activities.admin import MAX_PHOTOS_AT_ONCE


def staff_max_bytes() -> int:
    """The most a staff member's request in the admin may carry.

    The most photos one form takes ("add several photos"), each as large as a photo
    may be, plus as much as Django lets a form's other fields hold
    (DATA_UPLOAD_MAX_MEMORY_SIZE): 10 x 10 MiB + 2.5 MiB = 102.5 MiB by default.
    """
    photos = settings.PHOTO_MAX_UPLOAD_BYTES * MAX_PHOTOS_AT_ONCE
    return max(settings.REQUEST_MAX_BYTES, photos + settings.DATA_UPLOAD_MAX_MEMORY_SIZE)


def declared_length(request: HttpRequest) -> int:
    """The body's length as the request states it; 0, as Django reads it, when the
    header is missing or not a number."""
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0


def is_staff_in_admin(request: HttpRequest) -> bool:
    """Whether the request is a signed-in staff member's, in the admin.

    ``request.user`` comes from the session, whose key is in a cookie: asking
    reads no byte of the body.
    """
    if not request.path.startswith(reverse("admin:index")):
        return False
    user = request.user
    return user.is_active and user.is_staff


class RequestSizeLimitMiddleware:
    """413 for a body over the request's limit, before anything reads it.

    Place it after AuthenticationMiddleware (it needs ``request.user``, and asks
    for it only for an admin request over the small limit) and before anything
    that reads the body in its request phase; CsrfViewMiddleware reads it in
    ``process_view``, which runs after every middleware's request phase.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        length = declared_length(request)
        if length > settings.REQUEST_MAX_BYTES:
            staff = is_staff_in_admin(request)
            limit = staff_max_bytes() if staff else settings.REQUEST_MAX_BYTES
            if length > limit:
                return too_large(length=length, limit=limit, staff=staff)
        return self.get_response(request)


def too_large(*, length: int, limit: int, staff: bool) -> HttpResponse:
    """A short page in the active language (LocaleMiddleware has chosen it)."""
    context = {"length": length, "limit": limit, "staff": staff}
    return HttpResponse(render_to_string("413.html", context), status=413)
