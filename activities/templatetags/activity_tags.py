from __future__ import annotations

import datetime

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from activities import dates, fragments
from activities.filters import option_tags

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


@register.simple_tag
def activity_card(activity) -> str:
    """``{% activity_card activity %}``: the activity's card, cached
    (activities/fragments.py); views call fragments.attach_cards() on their
    lists first, so that a list costs one cache read."""
    return fragments.card(activity)


# A facet's <option>s, built in Python rather than a template loop.
register.filter("option_tags", option_tags)
