"""The Jinja2 environment of the templates under templates/jinja2/ (the activity
card and a filter's options): Django's translations, and the filters those
templates share with the Django-template pages, so a card reads the same
whichever engine renders it."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language, gettext, ngettext
from jinja2 import Environment

from activities.templatetags import activity_tags


def environment(**options: Any) -> Environment:
    env = Environment(**options)
    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(
        date_range=activity_tags.date_range,
        fallback_lang=activity_tags.fallback_lang,
        shorten=activity_tags.shorten,
        venue_label=activity_tags.venue_label,
    )
    env.globals["current_language"] = get_language
    return env
