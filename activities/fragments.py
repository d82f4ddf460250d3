"""Activity cards and photo galleries: rendered by their templates with the
page's own context, and kept until the data changes.

A card (templates/jinja2/activity_card.html) looks the same on every list it
appears in: the archive's pages and filters, the home page, a partner's or a
theme's page. Templates ask for a list's cards at once, with
``{% activity_cards activities as cards %}`` (activities/templatetags): one cache
read for all of them, one prefetch of the venues and partners of those not
cached, and a render of each of those with the page's context, so the context
processors' values reach it. The card is a Jinja2 template (as are a
filter's options; every page is a Django template): a list renders up to
twenty cards not seen before, and Django's engine spent most of such a page's
time on them. Rendering twenty cards is most of a list
page's time, so each is cached under the invalidation generation
(activities/cache.py), per language; a card shows only its activity, its
search snippet and what the language decides. A search result's card carries
the snippet of its match and is not cached.

A record's body (templates/includes/record.html: from its heading to its
neighbours, its photo gallery included) is kept the same way, per language: on
a hit, the page reads the activity's own row and nothing else — not its
photos, people, partners or links.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache as django_cache
from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpRequest
from django.template import Context, engines
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from activities import cache, sharing
from activities.models import Activity, Attendance, Organization, Participant, Photo, Venue

# Jinja2 (templates/jinja2/): Django's template engine spent most of a list's
# time on the cards it had not seen before.
CARD_TEMPLATE = "activity_card.html"
GALLERY_TEMPLATE = "includes/gallery.html"
RECORD_TEMPLATE = "includes/record.html"
RECORD_HEAD_TEMPLATE = "includes/record_head.html"


def card_prefetches() -> list[Prefetch]:
    """What a card shows beyond the activity's own columns (Activity.for_cards)."""
    return [
        Prefetch("venues", queryset=Venue.objects.only("name", "city", "country")),
        Prefetch("partners", queryset=Organization.objects.only("name", "short_name", "slug")),
    ]


@dataclass(frozen=True)
class Card:
    activity: Activity
    html: SafeString


def cards(
    context: Context,
    activities: Iterable[Activity],
    snippets: Mapping[int, SafeString] | None = None,
) -> list[Card]:
    """The cards of these activities, in their order: one cache read for all,
    one prefetch and a render (in ``context``) for those not cached. A card
    with a search ``snippet`` is rendered each time."""
    activities = list(activities)
    if not activities:
        return []
    snippets = snippets or {}
    language = get_language() or settings.LANGUAGE_CODE
    generation = cache.generation()
    keys = {
        a.pk: None
        if a.pk in snippets
        else cache.key("card", language, str(a.pk), generation=generation)
        for a in activities
    }
    found = django_cache.get_many([k for k in keys.values() if k])
    html = {a.pk: found[keys[a.pk]] for a in activities if keys[a.pk] in found}
    missing = [a for a in activities if a.pk not in html]
    if missing:
        prefetch_related_objects(missing, *card_prefetches())
        template = engines["jinja2"].get_template(CARD_TEMPLATE)
        # The page's context, context processors' values included, once for all.
        page: dict[str, Any] = {str(name): value for name, value in context.flatten().items()}
        rendered: dict[str, str] = {}
        for activity in missing:
            html[activity.pk] = template.render(
                {**page, "activity": activity, "snippet": snippets.get(activity.pk)}
            )
            if key := keys[activity.pk]:
                rendered[key] = html[activity.pk]
        cache.keep_many(rendered)
    return [Card(a, mark_safe(html[a.pk])) for a in activities]


@dataclass(frozen=True)
class Figure:
    """A photo of the gallery and the people pictured, each with the title
    they had then."""

    photo: Photo
    pictured: list[tuple[Participant, str]]


def gallery(
    request: HttpRequest, activity: Activity, attendances: list[Attendance]
) -> tuple[SafeString, list[Figure]]:
    """The record's gallery (HTML, empty without photos), rendered with the
    request's context, and the figures it was rendered from. The people pictured
    are named in the order they attended, then by name, with the title they had
    then (from the record's ``attendances``). Kept with the record's body
    (``record``)."""
    titles_then = {a.participant_id: a.display_title for a in attendances}
    rank = {a.participant_id: i for i, a in enumerate(attendances)}
    figures = [
        Figure(
            photo,
            [
                (person, titles_then.get(person.pk, person.title))
                for person in sorted(photo.people_pictured, key=lambda p: rank.get(p.pk, len(rank)))
            ],
        )
        for photo in Photo.objects.filter(activity=activity).with_people_pictured()
    ]
    html = render_to_string(GALLERY_TEMPLATE, {"figures": figures}, request) if figures else ""
    return mark_safe(html), figures


@dataclass(frozen=True)
class Record:
    html: SafeString
    has_gallery: bool
    # OpenGraph, Twitter-card and JSON-LD tags for the page's <head> (activities/sharing.py).
    head: SafeString


def record(
    request: HttpRequest,
    activity: Activity,
    parts: Callable[[Activity], dict],
    *,
    keep: bool,
) -> tuple[Record, dict]:
    """The record's body, from the cache or rendered with the request's context
    from ``parts(activity)`` (what it shows beyond the activity's own columns:
    its people, partners, gallery, neighbours...); and those parts, empty when
    it came from the cache. Only what a visitor may see is kept (``keep``)."""
    language = get_language() or settings.LANGUAGE_CODE
    # The head's addresses are absolute: kept per host.
    key = cache.key("record", request.get_host(), language, str(activity.pk))
    found = django_cache.get(key)
    if found is not None:
        html, has_gallery, head = found
        return Record(mark_safe(html), has_gallery, mark_safe(head)), {}
    context = parts(activity)
    html = render_to_string(RECORD_TEMPLATE, {"activity": activity, **context}, request)
    figures = context.get("figures") or []
    head = render_to_string(
        RECORD_HEAD_TEMPLATE,
        sharing.head_context(activity, figures[0].photo if figures else None, request),
        request,
    )
    has_gallery = bool(context.get("gallery"))
    if keep:
        cache.keep(key, (html, has_gallery, head))
    return Record(mark_safe(html), has_gallery, mark_safe(head)), context
