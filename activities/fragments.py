"""Activity cards, rendered once and kept until the data changes.

A card (templates/includes/activity_card.html) looks the same on every list it
appears in: the archive's pages and filters, the home page, a partner's or a
theme's page. Rendering twenty of them is most of a list page's time, so each
is cached under the invalidation generation (activities/cache.py), per
language. A list asks for all of its cards in one cache read; only the cards
not found are rendered, after one prefetch of their venues and partners.

A search result's card carries the snippet of its match and is not cached.

A record's photo gallery is kept the same way: on a hit, its photos and the
people pictured are not read at all.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache as django_cache
from django.db.models import Prefetch, prefetch_related_objects
from django.template.loader import get_template, render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from activities import cache
from activities.context_processors import PUNCTUATION
from activities.models import Activity, Attendance, Organization, Photo, Venue

CARD_TEMPLATE = "includes/activity_card.html"
GALLERY_TEMPLATE = "includes/gallery.html"


def card_prefetches() -> list[Prefetch]:
    """What a card shows beyond the activity's own columns (Activity.for_cards)."""
    return [
        Prefetch("venues", queryset=Venue.objects.only("name", "city", "country")),
        Prefetch("partners", queryset=Organization.objects.only("name", "short_name", "slug")),
    ]


def _key(language: str, activity: Activity, generation: str) -> str | None:
    if getattr(activity, "snippet", ""):
        return None
    return cache.key("card", language, str(activity.pk), generation=generation)


def attach_cards(activities: Iterable[Activity]) -> list[Activity]:
    """Sets ``activity.card`` (HTML) on each activity and returns them as a list:
    one cache read for all, one prefetch and a render for those not cached."""
    activities = list(activities)
    if not activities:
        return activities
    language = get_language() or settings.LANGUAGE_CODE
    generation = cache.generation()
    keys = {activity.pk: _key(language, activity, generation) for activity in activities}
    found = django_cache.get_many([k for k in keys.values() if k])
    missing = [a for a in activities if found.get(keys[a.pk]) is None]
    if missing:
        prefetch_related_objects(missing, *card_prefetches())
        template = get_template(CARD_TEMPLATE)
        context = {"punct": PUNCTUATION.get(language, PUNCTUATION["ja"])}
        rendered: dict[str, str] = {}
        for activity in missing:
            html = template.render({**context, "activity": activity})
            if key := keys[activity.pk]:
                rendered[key] = html
            found[keys[activity.pk] or activity.pk] = html
        cache.keep_many(rendered)
    for activity in activities:
        activity.card = mark_safe(found[keys[activity.pk] or activity.pk])
    return activities


def card(activity: Activity) -> SafeString:
    """The card of one activity: the one attach_cards() set, or rendered now."""
    if getattr(activity, "card", None) is None:
        attach_cards([activity])
    return activity.card


def gallery(
    activity: Activity, attendances: list[Attendance], *, keep: bool
) -> tuple[SafeString, list[Photo]]:
    """The record's gallery (HTML, empty without photos) and the photos it was
    rendered from: none when it came from the cache. The people pictured are
    named in the order they attended, then by name, with the title they had
    then (from the record's ``attendances``). Only what a visitor may see is
    kept (``keep``): not a staff preview of a draft, nor a signed-in view."""
    language = get_language() or settings.LANGUAGE_CODE
    key = cache.key("gallery", language, str(activity.pk))
    html = django_cache.get(key)
    if html is not None:
        return mark_safe(html), []
    titles_then = {a.participant_id: a.display_title for a in attendances}
    rank = {a.participant_id: i for i, a in enumerate(attendances)}
    photos = list(Photo.objects.filter(activity=activity).with_people_pictured())
    for photo in photos:
        people = sorted(photo.people_pictured, key=lambda p: rank.get(p.pk, len(rank)))
        photo.pictured = [(p, titles_then.get(p.pk, p.title)) for p in people]
    html = ""
    if photos:
        punct = PUNCTUATION.get(language, PUNCTUATION["ja"])
        html = render_to_string(GALLERY_TEMPLATE, {"photos": photos, "punct": punct})
    if keep:
        cache.keep(key, html)
    return mark_safe(html), photos
