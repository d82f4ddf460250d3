"""Template tags and filters of the public pages: dates as the language writes
them (era years in Japanese), the language of a text that fell back to Japanese,
and a list's activity cards (activities/fragments.py)."""

from __future__ import annotations

import datetime

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from activities import dates, fragments, maps
from activities.context_processors import PUNCTUATION

register = template.Library()


@register.filter
def date_range(activity) -> str:
    """The activity's dates with weekdays: ``{{ activity|date_range }}``."""
    return dates.format_range(activity.start_date, activity.end_date)


@register.filter
def long_date(day: datetime.date | datetime.datetime | None) -> str:
    if day is None:
        return ""
    if isinstance(day, datetime.datetime):
        day = timezone.localdate(day)
    return dates.format_date(day)


@register.filter
def month_heading(day: datetime.date) -> str:
    return dates.format_month(day)


@register.filter
def year_label(year: int) -> str:
    """令和2年（2020年） / 2020."""
    return dates.format_year(int(year))


@register.filter
def shorten(text: str, limit: int = 160) -> str:
    """At most ``limit`` characters, with … when cut: at a word's end in text
    written with spaces (English), anywhere in Japanese."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    word_start = cut.rfind(" ")
    # Mid-word, with a space near the end (English): back to the word's start.
    if text[limit - 1] != " " and word_start > limit - 30:
        cut = cut[:word_start]
    return cut.rstrip(" ,;:") + "…"


@register.filter
def venue_label(venue, with_country: bool = True) -> str:
    """A venue and where it is: 「バーゼル会議場（バーゼル、スイス）」, the card's
    without the country."""
    return place_label(venue.name, venue.city, str(venue.country.name) if with_country else "")


def place_label(name: str, city: str, country: str) -> str:
    """A place's name and where it is, in the active language's punctuation: 「バーゼル
    会議場（バーゼル、スイス）」, "Basel Congress Center (Basel, Switzerland)". Into the
    name's own closing bracket when it ends with one, not a second pair:
    「スコティッシュ・イベント・キャンパス（SEC、グラスゴー、イギリス）」. The record, the
    card and the downloads (activities/opendata.py) all say it so."""
    punct = PUNCTUATION.get(get_language() or "", PUNCTUATION["ja"])
    place = where_label(city if city != name else "", country)
    if not place:
        return name
    for close in ("）", ")"):
        if name.endswith(close):
            return f"{name[: -len(close)]}{punct['sep']}{place}{close}"
    return f"{name}{punct['open']}{place}{punct['close']}"


def where_label(city: str, country: str) -> str:
    """A city and its country, in the active language: 「グラスゴー、イギリス」,
    "Glasgow, United Kingdom"."""
    punct = PUNCTUATION.get(get_language() or "", PUNCTUATION["ja"])
    return punct["sep"].join(part for part in (city, country) if part)


@register.filter
def map_points(venues) -> list[tuple[float, float]]:
    """Where the venues with coordinates are on the world map (activities/maps.py)."""
    return [at for venue in venues if (at := maps.point(venue.latitude, venue.longitude))]


@register.simple_tag
def map_view_box() -> str:
    return maps.VIEW_BOX


@register.filter
def fallback_lang(obj, field: str) -> str:
    """`` lang="ja"`` where a translated field shows its Japanese text on a page in
    another language, so screen readers pronounce it right:
    ``<h1{{ activity|fallback_lang:"title" }}>``."""
    current = get_language() or settings.LANGUAGE_CODE
    source = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    if current == source or obj is None:
        return ""
    if getattr(obj, f"{field}_{current}", None) or not getattr(obj, f"{field}_{source}", None):
        return ""
    return mark_safe(f' lang="{source}"')


@register.simple_tag(takes_context=True)
def activity_cards(context, activities, snippets=None) -> list[fragments.Card]:
    """``{% activity_cards activities as cards %}``: each activity's card, in
    order (``card.activity``, ``card.html``), from the cache or rendered in this
    page's context, with one cache read for the list (activities/fragments.py).
    ``snippets`` ({id: highlighted text}) are a search's matches."""
    return fragments.cards(context, activities, snippets)
