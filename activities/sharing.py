"""What a record says about itself to search engines and to sites a link is
shared on: schema.org JSON-LD (an Event, and the breadcrumbs to it) and the
OpenGraph and Twitter-card tags, with its first photo. Rendered with the record's
body and kept with it (activities/fragments.py), from the same parts: no query
of its own."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import _json_script_escapes  # type: ignore[attr-defined]
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from activities.models import Activity, Photo


def as_json_ld(data: dict) -> SafeString:
    """JSON for a <script type="application/ld+json">: <, > and & escaped, as
    Django's json_script does, so no text can close the script."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_json_script_escapes))


def _place(venue) -> dict[str, Any]:
    place: dict[str, Any] = {"@type": "Place", "name": venue.name}
    address = {
        "@type": "PostalAddress",
        "addressCountry": str(venue.country.code) if venue.country else None,
        "addressLocality": venue.city or None,
        "streetAddress": venue.address or None,
    }
    place["address"] = {k: v for k, v in address.items() if v}
    if venue.latitude is not None and venue.longitude is not None:
        place["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(venue.latitude),
            "longitude": float(venue.longitude),
        }
    return place


def event(activity: Activity, photo: Photo | None, request: HttpRequest) -> dict[str, Any]:
    """The record as a schema.org Event: its dates, where, who organized it (the
    city) and the partner organizations, its first photo."""
    absolute = request.build_absolute_uri
    language = get_language() or settings.LANGUAGE_CODE
    city = settings.CITY_NAMES.get(language, settings.CITY_NAMES["ja"])
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": activity.title,
        "url": absolute(activity.get_absolute_url()),
        "startDate": activity.start_date.isoformat(),
        "endDate": (activity.end_date or activity.start_date).isoformat(),
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "inLanguage": language,
        "organizer": {
            "@type": "GovernmentOrganization",
            "name": city,
            "url": absolute(reverse("activities:home")),
        },
    }
    if activity.summary:
        data["description"] = activity.summary
    venues = list(activity.venues.all())
    if venues:
        data["location"] = [_place(venue) for venue in venues]
    partners = list(activity.partners.all())
    if partners:
        data["contributor"] = [
            {
                "@type": "Organization",
                "name": org.name,
                "url": absolute(org.get_absolute_url()),
                **({"sameAs": org.website} if getattr(org, "website", "") else {}),
            }
            for org in partners
        ]
    if photo is not None:
        data["image"] = [absolute(photo.large["url"])]
    return data


def breadcrumbs(activity: Activity, request: HttpRequest) -> dict[str, Any]:
    absolute = request.build_absolute_uri
    trail = [
        (_("Home"), reverse("activities:home")),
        (_("Archive"), reverse("activities:activity_list")),
        (activity.title, activity.get_absolute_url()),
    ]
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": n, "name": str(name), "item": absolute(url)}
            for n, (name, url) in enumerate(trail, start=1)
        ],
    }


def head_context(activity: Activity, photo: Photo | None, request: HttpRequest) -> dict:
    """What templates/includes/record_head.html draws."""
    language = get_language() or settings.LANGUAGE_CODE
    return {
        "activity": activity,
        "event_json": as_json_ld(event(activity, photo, request)),
        "breadcrumbs_json": as_json_ld(breadcrumbs(activity, request)),
        "og_url": request.build_absolute_uri(activity.get_absolute_url()),
        "og_locale": {"ja": "ja_JP", "en": "en_US"}.get(language, language),
        "og_image": request.build_absolute_uri(photo.large["url"]) if photo else "",
        "og_image_size": photo.large if photo else None,
        "og_image_alt": (photo.alt_text or photo.caption) if photo else "",
    }
