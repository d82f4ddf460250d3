from __future__ import annotations

import datetime

from django import template
from django.utils import timezone

from activities import dates

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
