"""The error pages: 400, 403, 404, 500 and a refused form (CSRF), in the site's
design and the URL's language, each with the ways on (templates/error.html); and
a 503 when the photos' object storage cannot be reached during a save.

The 500 page is rendered without the request's context: no session, no
database, nothing that may be what failed. The others are rendered as any page.
"""

from __future__ import annotations

import logging

from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import get_language_from_path
from django.utils.translation import gettext_lazy as _

from activities.context_processors import PUNCTUATION

PAGES = {
    400: (
        _("Bad request"),
        _(
            "The site could not understand this request. Check the address, or start "
            "again from one of the pages below."
        ),
    ),
    403: (_("Not available"), _("This page cannot be shown to you.")),
    404: (
        _("Page not found"),
        _(
            "There is no page at this address. It may have been mistyped, or the page "
            "may have been moved or withdrawn."
        ),
    ),
    500: (
        _("Something went wrong"),
        _(
            "The site could not show this page just now. The error has been recorded; "
            "please try again in a few minutes."
        ),
    ),
}
CSRF = (
    _("The form could not be sent"),
    _(
        "The page with the form was open too long, or your browser did not send the "
        "cookie the site needs. Go back, reload the page and try again."
    ),
)


STORAGE_UNAVAILABLE = (
    _("The photos could not be saved"),
    _(
        "The place where the photos are kept did not answer, so nothing was saved. Go "
        "back, choose the photos again and save in a few minutes; the rest of the form "
        "is usually still filled in."
    ),
)
# What django-storages' S3 backend (boto3) raises when the bucket cannot be reached
# or refuses a request.
STORAGE_ERRORS = (BotoCoreError, ClientError)

logger = logging.getLogger(__name__)


def _page(request: HttpRequest, status: int, text=None) -> HttpResponse:
    heading, explanation = text or PAGES[status]
    html = render_to_string(
        "error.html", {"heading": heading, "explanation": explanation}, request=request
    )
    return HttpResponse(html, status=status)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _page(request, 400)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _page(request, 403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _page(request, 404)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _page(request, 403, CSRF)


def server_error(request: HttpRequest) -> HttpResponse:
    """In the language of the URL (else the site's), from settings alone."""
    language = get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    heading, explanation = PAGES[500]
    with translation.override(language):
        html = render_to_string(
            "error.html",
            {
                "heading": heading,
                "explanation": explanation,
                "CITY_NAME": settings.CITY_NAMES.get(language, settings.CITY_NAMES["ja"]),
                "punct": PUNCTUATION.get(language, PUNCTUATION["ja"]),
            },
        )
    return HttpResponse(html, status=500)


class PhotoStorageErrorMiddleware:
    """A request that fails because the photos' object storage (config/storage.py)
    cannot be reached — a staff member's save with a photo — is a 503 page saying
    that nothing was saved, not a server error. Nothing was: the admin saves in one
    transaction, which the error rolls back, and the files written before it are
    deleted (activities/images.py). The error is logged with its traceback."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, STORAGE_ERRORS):
            return None
        logger.error(
            "The photos' storage could not be reached: nothing was saved",
            exc_info=exception,
            extra={"request": request, "status_code": 503},
        )
        response = _page(request, 503, STORAGE_UNAVAILABLE)
        response["Retry-After"] = "60"
        return response
