"""The error pages: 400, 403, 404, 500 and a refused form (CSRF), in the site's
design and the URL's language, each with the ways on (templates/error.html).

The 500 page is rendered without the request's context: no session, no
database, nothing that may be what failed. The others are rendered as any page.
"""

from __future__ import annotations

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
