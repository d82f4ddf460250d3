"""Japanese and English content. Japanese is the source language: each field's
English column may be empty, and the English site then shows the Japanese text
and says so.

django-modeltranslation keeps both languages' columns on the same table, so
filters, sorting and search stay one-table queries.
"""

from __future__ import annotations

from modeltranslation.translator import TranslationOptions, register

from activities.models import (
    Activity,
    ActivityLink,
    Attendance,
    Department,
    Organization,
    Participant,
    Photo,
    Theme,
    Venue,
)


@register(Department)
class DepartmentTranslation(TranslationOptions):
    fields = ("name",)


@register(Organization)
class OrganizationTranslation(TranslationOptions):
    fields = ("name", "short_name", "description")


@register(Theme)
class ThemeTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Venue)
class VenueTranslation(TranslationOptions):
    fields = ("name", "city", "address")


@register(Participant)
class ParticipantTranslation(TranslationOptions):
    fields = ("name", "title")


@register(Activity)
class ActivityTranslation(TranslationOptions):
    fields = ("title", "summary", "body")


@register(Attendance)
class AttendanceTranslation(TranslationOptions):
    fields = ("title",)


@register(ActivityLink)
class ActivityLinkTranslation(TranslationOptions):
    fields = ("label",)


@register(Photo)
class PhotoTranslation(TranslationOptions):
    fields = ("caption", "alt_text", "credit")
