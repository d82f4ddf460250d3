"""What every page's template may use: the city's name in the current language,
this page in each language (its alternates), and the punctuation of the current
language."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language, get_language_info


def _alternates(request: HttpRequest) -> list[dict]:
    """This page in each language, with its query string (the filter state)."""
    current = get_language()
    path = request.get_full_path()
    links = []
    for code, _name in settings.LANGUAGES:
        url = translate_url(path, code)
        links.append(
            {
                "code": code,
                "name": get_language_info(code)["name_local"],
                "url": url,
                "absolute_url": _absolute(request, url),
                "is_current": code == current,
            }
        )
    return links


def _absolute(request: HttpRequest, url: str) -> str:
    """The full address; the path alone for a request whose Host is not one of the
    site's (its 400 page is still drawn)."""
    try:
        return request.build_absolute_uri(url)
    except DisallowedHost:
        return url


# Brackets and list separators differ between Japanese and English text.
PUNCTUATION = {
    "ja": {"open": "（", "close": "）", "sep": "、"},
    "en": {"open": " (", "close": ")", "sep": ", "},
}


def site(request: HttpRequest) -> dict:
    return {
        "punct": PUNCTUATION.get(get_language(), PUNCTUATION["ja"]),
        "CITY_NAME": settings.CITY_NAMES.get(get_language(), settings.CITY_NAMES["ja"]),
        # Lazy: the admin renders with this context too, and never asks.
        "language_links": SimpleLazyObject(lambda: _alternates(request)),
    }
