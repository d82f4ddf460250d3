"""Forms for the staff side (Django admin)."""

from __future__ import annotations

import datetime
import unicodedata
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from activities import dates
from activities.locking import VersionLockedModelForm
from activities.models import Activity, Organization, Photo

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class ActivityAdminForm(VersionLockedModelForm):
    """The activity form. Its partners, themes and venues are made by the admin
    (ActivityAdmin.formfield_for_manytomany), with the autocomplete and the ＋ of
    every other relation; ModelForm loads them from the instance and stores them
    with ``.set()`` in ``save_m2m()``, which the admin calls after ``save_model()``,
    so a new activity already has its primary key. Plain ``.set()`` works for
    their through models because they hold nothing but the two foreign keys.
    """

    # Shown and saved with the activity (the admin's inlines).
    parts = ("attendances", "photos", "links")

    class Meta:
        model = Activity
        fields = [
            "title",
            "slug",
            "kind",
            "start_date",
            "end_date",
            "summary",
            "body",
            "partners",
            "themes",
            "venues",
            "department",
            "status",
            "published_at",
            "publish_at",
            "withdraw_at",
            "version",
        ]

    def clean(self) -> dict:
        cleaned_data = super().clean()
        self._check_schedule(cleaned_data)
        # Published without a date means "now", as in Activity.publish(). Fill it in
        # before the model's constraints are checked, which would refuse the pair.
        if (
            "published_at" in self.fields
            and cleaned_data.get("status") == Activity.Status.PUBLISHED
            and cleaned_data.get("published_at") is None
        ):
            cleaned_data["published_at"] = timezone.now()
        return cleaned_data

    def _check_schedule(self, cleaned_data: dict) -> None:
        """A scheduled publication is for a draft, and in the future; so is a
        scheduled withdrawal, when it is newly set."""
        now = timezone.now()
        publish_at = cleaned_data.get("publish_at")
        withdraw_at = cleaned_data.get("withdraw_at")
        status = cleaned_data.get("status", self.instance.status)
        if publish_at is not None:
            if status == Activity.Status.PUBLISHED:
                self.add_error(
                    "publish_at",
                    _(
                        "It is published already: clear the scheduled publication, or set "
                        "the status to “Draft” to publish it at this time."
                    ),
                )
            elif publish_at <= now and "publish_at" in self.changed_data:
                self.add_error("publish_at", _("Choose a time in the future."))
        if withdraw_at is not None and withdraw_at <= now and "withdraw_at" in self.changed_data:
            self.add_error("withdraw_at", _("Choose a time in the future."))


class PhotoAdminForm(VersionLockedModelForm):
    """A photo on its own page. The activity's form edits the photo too, so its
    history says who did (see VersionLockedModelForm.logged_objects)."""

    class Meta:
        model = Photo
        fields = [
            "activity",
            "image",
            "caption",
            "alt_text",
            "is_decorative",
            "credit",
            "order",
            "people",
            "version",
        ]

    def logged_objects(self) -> list:
        return [self.instance, self.instance.activity]


class PhotoListForm(forms.ModelForm):
    """A row of the photo list (its order). A row changed in the list is refused if
    the photo changed since the list was opened; the version is checked, never
    saved."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    class Meta:
        model = Photo
        fields = ["order"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.initial.setdefault("version", self.instance.version)
        # The page keeps the order it showed, so that a row left as it was is not
        # saved back over a colleague's change (has_changed compares with it).
        self.fields["order"].show_hidden_initial = True

    def has_changed(self) -> bool:
        return bool(set(self.changed_data) - {"version"})

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned_data = self.cleaned_data
        if (
            self.instance.pk is not None
            and self.has_changed()
            and cleaned_data.get("version") != self.instance.version
        ):
            raise ValidationError(
                _(
                    "Not saved: a colleague changed this photo after you opened the list. "
                    "Open the list again to see its order now."
                ),
                code="edit_conflict",
            )
        return cleaned_data


# Shown under every date staff type (admin.StaffDatesMixin puts these fields there).
DATE_EXAMPLE = _("e.g. 2021/11/1, 2021年11月1日, 令和3年11月1日, R3.11.1")
DATE_TIME_EXAMPLE = _("Date e.g. 2021/11/1, 令和3年11月1日; time e.g. 10:00")


def _with_example(help_text: StrOrPromise, example: StrOrPromise) -> StrOrPromise:
    return format_lazy("{} {}", help_text, example) if help_text else example


class StaffDateField(forms.DateField):
    """A date as Japanese staff write it, read by activities.dates.parse_date.

    Examples show under the field. A date it cannot read is refused with the reason
    (an era that had ended, a day that does not exist) or with the forms it reads. A
    saved date shows in the first of the language's DATE_INPUT_FORMATS, which is also
    what the admin's calendar writes: 2021/11/01 in Japanese (activities/formats/ja).
    """

    def __init__(self, *, example: bool = True, **kwargs) -> None:
        super().__init__(**kwargs)
        if example:
            self.help_text = _with_example(self.help_text, DATE_EXAMPLE)

    def to_python(self, value: object) -> datetime.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        try:
            return dates.parse_date(str(value))
        except ValueError as exc:
            raise ValidationError(str(exc), code="invalid") from exc

    def widget_attrs(self, widget: forms.Widget) -> dict:
        attrs = super().widget_attrs(widget)
        if not widget.is_hidden:
            # Room for 令和3年11月10日: Japanese characters are twice as wide as digits.
            attrs["size"] = "16"
        return attrs


class StaffTimeField(forms.TimeField):
    """A time such as 10:00, typed in full-width characters too."""

    default_error_messages = {
        "invalid": _("Enter the time as hours and minutes, for example 10:00 or 14:30.")
    }

    def to_python(self, value: str | datetime.time | None) -> datetime.time | None:
        if isinstance(value, str):
            value = unicodedata.normalize("NFKC", value)
        return super().to_python(value)


class StaffSplitDateTimeField(forms.SplitDateTimeField):
    """A date and a time in two boxes, the date read as StaffDateField reads it."""

    default_error_messages = {
        # Raised when one of the two boxes is left empty.
        "invalid_date": _("Enter the date as well as the time."),
        "invalid_time": _("Enter the time as well as the date, for example 10:00."),
    }

    def __init__(self, **kwargs) -> None:
        localize = kwargs.get("localize", False)
        fields = (
            StaffDateField(localize=localize, example=False),
            StaffTimeField(localize=localize),
        )
        # MultiValueField's constructor: SplitDateTimeField's would build Django's own
        # date and time fields.
        super(forms.SplitDateTimeField, self).__init__(fields, **kwargs)
        date_widget = getattr(self.widget, "widgets", [None])[0]
        if date_widget is not None and not date_widget.is_hidden:
            # The date box, as wide as StaffDateField's.
            date_widget.attrs["size"] = "16"
        self.help_text = _with_example(self.help_text, DATE_TIME_EXAMPLE)


def https_url_fields(db_field: models.Field, **kwargs) -> forms.Field | None:
    """Form fields as usual, except that an address typed without a scheme gets https."""
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


class OrganizationAdminForm(forms.ModelForm):
    class Meta:
        model = Organization
        # The admin builds its form with its own callback (formfield_overrides).
        formfield_callback = https_url_fields
        fields = [
            "name",
            "short_name",
            "slug",
            "kind",
            "parent",
            "country",
            "website",
            "description",
        ]

    def clean_parent(self) -> Organization | None:
        """Refuse a parent chain that leads back to this organization.

        The database only forbids an organization being its own parent; a longer loop
        (A under B, B under A) would make every walk up the hierarchy endless. This
        costs one query per level, and hierarchies are a few levels deep.
        """
        parent = self.cleaned_data.get("parent")
        if self.instance.pk is None:
            return parent
        ancestor, seen = parent, set()
        while ancestor is not None and ancestor.pk not in seen:
            if ancestor.pk == self.instance.pk:
                raise ValidationError(
                    _("An organization cannot belong to itself or to one of its own divisions."),
                    code="parent_cycle",
                )
            seen.add(ancestor.pk)
            ancestor = ancestor.parent
        return parent
