"""Optimistic locking for records that several staff edit: no save is silently lost.

A model with a ``version`` field is edited through a VersionLockedModelForm. The form
carries, hidden, the version it was opened at and a fingerprint of each value it
showed (and of each row of the parts it shows inline). Saving from an older version
is refused with an error that names what a colleague changed meanwhile; the
colleague's save stays as it is. ``claim_next_version`` is the guard behind the form:
in the saving transaction it moves the stored version on only if it is still the
expected one, so two saves that pass the form's check at the same moment cannot both
be written.

An activity's parts — its photos, attendances and links — are shown and saved with
it, and photos can also be edited on their own page and in the photo list. So any
save or deletion of a part moves its activity's version on (``part_changed``, from
activities/changes.py; a photo's people are saved by the same forms as the photo), and
a photo has a version of its own that the activity's save moves on for each photo
it changes. Locks are always taken activity first, then photo, so
that two such saves wait for each other rather than deadlock.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import formats, timezone
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from activities.models import Activity, Photo

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

LOCK_FIELDS = ("version", "loaded_state")


class EditConflict(Exception):
    """Someone else saved the record between this save's check and its write."""


def claim_next_version(obj: Activity | Photo) -> None:
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


def move_version_on(model: type[models.Model], pks: Iterable[int]) -> None:
    """Make every form opened before now on these records stale. On PostgreSQL the
    UPDATE also holds their rows until the transaction ends."""
    pks = sorted({pk for pk in pks if pk is not None})
    if pks:
        model._default_manager.filter(pk__in=pks).update(version=F("version") + 1)


def part_changed(activity_ids: Iterable[int]) -> None:
    """A photo, attendance or link of these activities was written or deleted: their
    forms opened before now are stale. Called by activities/changes.py for every
    such row written, and first by the photo's own save (PhotoAdmin)."""
    move_version_on(Activity, activity_ids)


def watched_fields(model: type[models.Model]) -> list[models.Field]:
    """The fields an edit can change: editable columns and many-to-many relations.

    A translated field's language-neutral alias is left out (its ``_ja``/``_en``
    columns are watched): what it reads depends on the active language.
    """
    names = {field.name for field in model._meta.get_fields()}
    return [
        field
        for field in model._meta.get_fields()
        if isinstance(field, models.Field)
        and (field.concrete or field.many_to_many)
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


def _hash(value: object) -> str:
    return hashlib.sha256(json.dumps(value, default=str).encode()).hexdigest()[:12]


def fingerprints(instance: models.Model) -> dict[str, str]:
    """A short hash of each watched value: enough to tell whether it changed.

    One query per many-to-many relation.
    """
    return {field.name: _hash(_value(instance, field)) for field in watched_fields(type(instance))}


def part_fingerprints(instance: models.Model, relation: str) -> dict[str, str]:
    """One hash per row of a part (``instance.<relation>``) over its watched values:
    ``{pk: hash}``. One query for the rows, and one per many-to-many relation of
    the part (a photo's people) for all its rows."""
    manager = getattr(instance, relation)
    model = manager.model
    fields = watched_fields(model)
    names = [f.name for f in fields if not f.many_to_many]
    rows = {row["pk"]: row for row in manager.values("pk", *names)}
    for field in fields:
        if isinstance(field, models.ManyToManyField):
            for row in rows.values():
                row[field.name] = []
            # A model class once the app registry is ready (None only before).
            through = cast("type[models.Model]", field.remote_field.through)
            source = field.m2m_field_name()
            target = field.m2m_reverse_field_name()
            pairs = through._default_manager.filter(**{f"{source}__in": list(rows)})
            for pk, other in sorted(pairs.values_list(f"{source}_id", f"{target}_id")):
                rows[pk][field.name].append(other)
    return {str(pk): _hash(row) for pk, row in rows.items()}


def display_value(instance: models.Model, field: models.Field) -> str:
    """The value as staff would read it, shortened."""
    if field.many_to_many:
        text = "、".join(str(obj) for obj in getattr(instance, field.name).all())
    elif field.is_relation:
        related = getattr(instance, field.name)
        text = "" if related is None else str(related)
    else:
        text = shown_value(field, field.value_from_object(instance))
    return Truncator(text).chars(120) if text else gettext("(empty)")


def shown_value(field: models.Field, value: object) -> str:
    """A stored value as staff read it: a choice by its label, はい/いいえ, dates and
    times in the site's format and time zone. The conflict messages here and the
    history's comparisons (activities/review.py) both say values so."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, datetime.datetime):
        return formats.localize(timezone.localtime(value))
    return str(formats.localize(value))


class VersionLockedModelForm(forms.ModelForm):
    """A ModelForm for a model with a ``version`` field that refuses stale saves.

    Subclasses list "version" in Meta.fields. The admin must show "version" and
    "loaded_state" (both hidden) in its fieldsets when the user may change the
    record, and call ``claim_next_version`` when saving a change.
    """

    loaded_state = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100_000)
    # Reverse relations whose rows the page shows and saves with the record (inlines):
    # a change to one of them is named in the conflict message too.
    parts: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        editing = self.instance.pk is not None
        if "version" in self.fields:
            self.fields["version"].widget = forms.HiddenInput()
            # A change must say which version it was made from; a new record has none.
            self.fields["version"].required = editing
        if editing and not self.is_bound:
            self.initial["loaded_state"] = json.dumps(self._state())

    def _state(self) -> dict:
        state: dict = fingerprints(self.instance)
        for relation in self.parts:
            state[f"parts:{relation}"] = part_fingerprints(self.instance, relation)
        return state

    def logged_objects(self) -> list[models.Model]:
        """The records whose admin history says who changed this one: itself, and
        (in subclasses) the records whose own page also edits it."""
        return [self.instance]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned_data = self.cleaned_data
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
            # BaseModelForm._post_clean is missing from django-stubs.
            super()._post_clean()  # type: ignore[misc]

    def _conflict_messages(self) -> list[StrOrPromise]:
        instance = self.instance
        try:
            loaded = json.loads(self.data.get(self.add_prefix("loaded_state"), ""))
        except ValueError:
            loaded = None
        entry = self._last_change(loaded if isinstance(loaded, dict) else {})
        # django-stubs leaves LogEntry.user's model unresolved: it is the user model.
        user: Any = entry.user if entry else None
        who = (user.get_full_name() or user.get_username()) if user else "?"
        when = formats.localize(timezone.localtime(entry.action_time)) if entry else "?"
        messages: list[StrOrPromise] = [
            _(
                "Not saved: %(who)s saved this record at %(when)s, after you opened it. "
                "Your changes below are not saved yet."
            )
            % {"who": who, "when": when}
        ]
        if isinstance(loaded, dict):
            now = self._state()
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
            parts = self._changed_parts(loaded, now)
            for text in parts:
                messages.append(_("Changed by %(who)s — %(part)s") % {"who": who, "part": text})
            if not changed and not parts:
                messages.append(_("Its fields are unchanged; its photos, people or links changed."))
        messages.append(
            _(
                "Open the record again to see the latest version, then make your changes "
                "there. Copy anything you typed here first: reopening discards it."
            )
        )
        return messages

    def _changed_parts(self, loaded: dict, now: dict) -> list[str]:
        """What became of each row of each part since the form was opened."""
        texts: list[str] = []
        for relation in self.parts:
            before = loaded.get(f"parts:{relation}")
            after = now[f"parts:{relation}"]
            if not isinstance(before, dict):
                continue
            model = getattr(self.instance, relation).model
            label = capfirst(model._meta.verbose_name)
            rows = model._default_manager.in_bulk(
                [int(pk) for pk in after if before.get(pk) != after[pk]]
            )
            for pk, row in sorted(rows.items()):
                texts.append(
                    _("%(part)s “%(name)s”: %(state)s")
                    % {
                        "part": label,
                        "name": Truncator(str(row)).chars(60),
                        "state": _("added") if str(pk) not in before else _("changed"),
                    }
                )
            removed = len(set(before) - set(after))
            if removed:
                texts.append(
                    ngettext("%(part)s: %(count)d removed", "%(part)s: %(count)d removed", removed)
                    % {"part": label, "count": removed}
                )
        return texts

    def _last_change(self, loaded: dict) -> LogEntry | None:
        """The latest admin history entry of this record or of one that edits it
        (a part's own page), whoever made it."""
        objects: set[tuple[int, str]] = set()
        for obj in self.logged_objects():
            objects.add((ContentType.objects.get_for_model(type(obj)).pk, str(obj.pk)))
        for relation in self.parts:
            model = getattr(self.instance, relation).model
            content_type = ContentType.objects.get_for_model(model).pk
            for pk in loaded.get(f"parts:{relation}") or {}:
                objects.add((content_type, str(pk)))
        condition = Q(pk__in=[])
        for content_type, object_id in objects:
            condition |= Q(content_type_id=content_type, object_id=object_id)
        return (
            LogEntry.objects.filter(condition)
            .select_related("user")
            .order_by("-action_time", "-pk")
            .first()
        )
