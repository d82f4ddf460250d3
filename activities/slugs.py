"""Slugs: the ASCII names of records in public addresses (/ja/partners/iclei/) and in
filter links (?partner=iclei).

Staff may leave a slug blank: it is made when the record is saved, from a name in
Latin letters, else from the romanized reading of the Japanese name, else from the
record's number (``partner-12``), with ``-2``, ``-3``... when another record has it
already. Once made it never changes by itself, as links to it may have been shared:
staff change it only by typing another one.
"""

from __future__ import annotations

import re
import uuid
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.core.validators import slug_re
from django.db import IntegrityError, models, router, transaction
from django.utils.text import slugify

# Room left at the end of a slug made from a name, for "-2", "-3"...
SUFFIX_ROOM = 6

# How often a save tries the next free slug when colleagues keep taking the one chosen.
ATTEMPTS = 10

# Runs of Japanese script: kana (half-width too), the prolonged sound mark, kanji.
JAPANESE = re.compile(r"[\u3005\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]+")


def romanize(text: str) -> str:
    """The text with each run of Japanese in Hepburn romaji, words apart
    ("ICLEI日本" → "ICLEI nippon"); the rest as it is.

    The reading is pykakasi's, from its dictionary: right for common words, not
    always for names. The first call in a process loads the dictionary (0.3 s).
    """
    if not JAPANESE.search(text):
        return text
    import pykakasi  # only when there is Japanese to read

    kakasi = pykakasi.kakasi()

    def read(match: re.Match) -> str:
        return " " + " ".join(item["hepburn"] for item in kakasi.convert(match.group())) + " "

    return JAPANESE.sub(read, text)


def slug_from(text: str | None, max_length: int) -> str:
    """A slug of at most ``max_length`` characters made from ``text``: lower-case
    ASCII letters, digits and hyphens. Empty when nothing in it can be written so.

    Only the start of a long text is read, four characters for each of the slug's
    (more than a slug ever needs): pykakasi's time grows faster than the text, and
    30,000 kanji took it 40 s.
    """
    slug = slugify(romanize((text or "")[: max_length * 4]))
    if len(slug) > max_length:
        # Cut at a word's end when there is one.
        cut = slug[: max_length + 1].rfind("-")
        slug = slug[:cut] if cut > 0 else slug[:max_length]
    return slug.strip("-")


def is_latin(text: str | None) -> bool:
    """Written without Japanese script, so a slug from it needs no reading."""
    return bool(text and not JAPANESE.search(text))


def free_slug(rows: models.QuerySet[Any], base: str) -> str:
    """The first of ``base``, ``base-2``, ``base-3``... that none of ``rows`` has."""
    taken = set(rows.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


if TYPE_CHECKING:
    # What the mixin is mixed into, for the checker; a plain class at run time.
    _Model = models.Model
else:
    _Model = object


class AutoSlugMixin(_Model):
    """A model with a unique ``slug`` that is made on save when left empty.

    The model says what to make it from (``slug_base()``) and the fallback's prefix
    (``slug_prefix``). Every way of saving goes through this, the admin and the
    management commands alike.
    """

    slug: str
    slug_prefix = ""

    def slug_base(self) -> str:
        """What the slug is made from, already a slug; empty if nothing can make one."""
        raise NotImplementedError

    @classmethod
    def slug_length(cls) -> int:
        """The slug field's length."""
        field = cast(models.SlugField, cls._meta.get_field("slug"))
        # A SlugField always has a length: 50 unless given.
        return field.max_length or 50

    def slug_base_length(self) -> int:
        """How long ``slug_base()`` may be: the slug's length less room for a suffix."""
        return self.slug_length() - SUFFIX_ROOM

    def save(self, *args: Any, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        if self.slug or (update_fields is not None and "slug" not in update_fields):
            super().save(*args, **kwargs)
            return
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using):
            # Emptied on a record that has one: it keeps it.
            self.slug = self._stored_slug(using)
            if self.slug:
                super().save(*args, **kwargs)
                return
            base = self.slug_base()
            if base:
                self._save_with_free_slug(base, using, args, kwargs)
                return
            # Nothing to read a slug from: the record's number makes one, known once
            # the row is in. The placeholder is replaced before the transaction ends.
            self.slug = f"{self.slug_prefix}-{uuid.uuid4().hex}"
            super().save(*args, **kwargs)
            self._save_with_free_slug(
                f"{self.slug_prefix}-{self.pk}",
                using,
                (),
                {"using": using, "update_fields": ["slug"]},
            )

    def _stored_slug(self, using: str) -> str:
        if self.pk is None:
            return ""
        rows = type(self)._base_manager.using(using).filter(pk=self.pk)
        return rows.values_list("slug", flat=True).first() or ""

    def _save_with_free_slug(self, base: str, using: str, args: tuple, kwargs: dict) -> None:
        """Save under the first free slug from ``base``.

        A colleague saving a record of the same name at the same moment may take that
        slug between the look and the save: the database's unique constraint then
        refuses this save (undone to a savepoint), and it is tried again with the
        next free one, rather than failing.
        """
        others = type(self)._base_manager.using(using)
        if self.pk is not None:
            others = others.exclude(pk=self.pk)
        for attempt in range(ATTEMPTS):
            self.slug = free_slug(others, base)
            try:
                with transaction.atomic(using=using):
                    super().save(*args, **kwargs)
                return
            except IntegrityError:
                if attempt == ATTEMPTS - 1 or not others.filter(slug=self.slug).exists():
                    raise


class SlugInputField(forms.SlugField):
    """The admin's slug field: what staff type becomes a slug rather than an error
    ("Climate Change" → climate-change, 気候変動 → kikou-hendou), a slug as it is. Left
    blank (or with nothing that makes one), the model makes one on save."""

    default_validators: list = []

    def to_python(self, value: object) -> str | None:
        value = super().to_python(value)
        if not value or slug_re.fullmatch(value):
            return value
        return slug_from(value, self.max_length or 50)
