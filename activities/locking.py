"""Optimistic locking for records that several staff edit: no save is silently lost.

A model with a ``version`` field is edited through a VersionLockedModelForm. The form
carries, hidden, the version it was opened at and a fingerprint of each value it
showed. Saving from an older version is refused with an error that names each field a
colleague changed meanwhile, with its new value; the colleague's save stays as it is.
``claim_next_version`` is the guard behind the form: in the saving transaction it
moves the stored version on only if it is still the expected one, so two saves that
pass the form's check at the same moment cannot both be written.
"""

from __future__ import annotations

import datetime
import hashlib
import json

from django import forms
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import formats, timezone
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

LOCK_FIELDS = ("version", "loaded_state")


class EditConflict(Exception):
    """Someone else saved the record between this save's check and its write."""


def claim_next_version(obj: models.Model) -> None:
    """Move ``obj``'s stored version on by one, if it is still ``obj.version``.

    One UPDATE, which on PostgreSQL also waits for any other transaction holding the
    row. Raises EditConflict (and so undoes the surrounding transaction) if another
    save came first.
    """
    model = type(obj)
    claimed = model._default_manager.filter(pk=obj.pk, version=obj.version).update(
        version=obj.version + 1
    )
    if not claimed:
        raise EditConflict(f"{model._meta.label} {obj.pk} changed since version {obj.version}")
    obj.version += 1


def watched_fields(model: type[models.Model]) -> list[models.Field]:
    """The fields an edit can change: editable columns and many-to-many relations.

    A translated field's language-neutral alias is left out (its ``_ja``/``_en``
    columns are watched): what it reads depends on the active language.
    """
    names = {field.name for field in model._meta.get_fields()}
    return [
        field
        for field in model._meta.get_fields()
        if (field.concrete or field.many_to_many)
        and not field.auto_created
        and getattr(field, "editable", False)
        and field.name not in LOCK_FIELDS
        and f"{field.name}_{settings.LANGUAGE_CODE}" not in names
    ]


def _value(instance: models.Model, field: models.Field) -> object:
    if field.many_to_many:
        return sorted(getattr(instance, field.name).values_list("pk", flat=True))
    value = field.value_from_object(instance)
    # An empty text column may be NULL until its first save through a form.
    return "" if value is None else value


def fingerprints(instance: models.Model) -> dict[str, str]:
    """A short hash of each watched value: enough to tell whether it changed.

    One query per many-to-many relation.
    """
    return {
        field.name: hashlib.sha256(
            json.dumps(_value(instance, field), default=str).encode()
        ).hexdigest()[:16]
        for field in watched_fields(type(instance))
    }


def display_value(instance: models.Model, field: models.Field) -> str:
    """The value as staff would read it, shortened."""
    if field.many_to_many:
        text = "、".join(str(obj) for obj in getattr(instance, field.name).all())
    elif field.is_relation:
        related = getattr(instance, field.name)
        text = "" if related is None else str(related)
    else:
        value = field.value_from_object(instance)
        if value is None:
            text = ""
        elif field.choices:
            text = str(dict(field.flatchoices).get(value, value))
        elif isinstance(value, datetime.datetime):
            text = formats.localize(timezone.localtime(value))
        else:
            text = str(formats.localize(value))
    return Truncator(text).chars(120) if text else gettext("(empty)")


class VersionLockedModelForm(forms.ModelForm):
    """A ModelForm for a model with a ``version`` field that refuses stale saves.

    Subclasses list "version" in Meta.fields. The admin must show "version" and
    "loaded_state" (both hidden) in its fieldsets when the user may change the
    record, and call ``claim_next_version`` when saving a change.
    """

    loaded_state = forms.CharField(widget=forms.HiddenInput, required=False, max_length=10_000)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        editing = self.instance.pk is not None
        if "version" in self.fields:
            self.fields["version"].widget = forms.HiddenInput()
            # A change must say which version it was made from; a new record has none.
            self.fields["version"].required = editing
        if editing and not self.is_bound:
            self.initial["loaded_state"] = json.dumps(fingerprints(self.instance))

    def clean(self) -> dict:
        cleaned_data = super().clean()
        if self.instance.pk is not None and "version" in self.fields:
            version = cleaned_data.get("version")
            # Until _post_clean copies the form's values onto it, the instance is as
            # stored: the admin read it at the start of this request.
            if version is not None and version != self.instance.version:
                self.conflict = True
                raise ValidationError(self._conflict_messages(), code="edit_conflict")
        return cleaned_data

    def _post_clean(self) -> None:
        # After a conflict the instance stays as stored: the admin decides from it what
        # the page shows (a published record's slug is read-only, for one).
        if not getattr(self, "conflict", False):
            super()._post_clean()

    def _conflict_messages(self) -> list[str]:
        instance = self.instance
        entry = (
            LogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(type(instance)),
                object_id=str(instance.pk),
            )
            .select_related("user")
            .order_by("-action_time")
            .first()
        )
        who = (entry.user.get_full_name() or entry.user.get_username()) if entry else "?"
        when = formats.localize(timezone.localtime(entry.action_time)) if entry else "?"
        messages = [
            _(
                "Not saved: %(who)s saved this record at %(when)s, after you opened it. "
                "Your changes below are not saved yet."
            )
            % {"who": who, "when": when}
        ]
        try:
            loaded = json.loads(self.data.get(self.add_prefix("loaded_state"), ""))
        except ValueError:
            loaded = None
        if isinstance(loaded, dict):
            now = fingerprints(instance)
            changed = [
                field
                for field in watched_fields(type(instance))
                if loaded.get(field.name) != now[field.name]
            ]
            for field in changed:
                messages.append(
                    _("Changed by %(who)s — %(field)s: %(value)s")
                    % {
                        "who": who,
                        "field": capfirst(field.verbose_name),
                        "value": display_value(instance, field),
                    }
                )
            if not changed:
                messages.append(_("Its fields are unchanged; its photos, people or links changed."))
        messages.append(
            _(
                "Open the record again to see the latest version, then make your changes "
                "there. Copy anything you typed here first: reopening discards it."
            )
        )
        return messages
