"""Load the demo archive (activities/demo/archive.toml, or the file given with
``--archive``) into the database. The file is read and checked whole first: one that
is not what the loader needs stops the command before anything is written, with a
message naming the record and the field.

Safe to run again: records are found by their natural keys (slugs, the
department's name, a person's name or, for an unnamed person, their post; names
and posts in Japanese, the source language).
A record that already exists is left as staff left it — ``make run`` runs this
command every time, and must not undo edits made in admin — except that a demo
photo whose file has gone gets its placeholder again.

With ``--reset`` the demo records are put back to the demo content instead:
only rows whose values differ are written (a second run changes nothing, not
even ``updated_at``), and attendances, links and photos on demo activities that
the demo does not list are removed.

Content is written in both languages, column by column (``title_ja`` and
``title_en``), and looked up by its Japanese columns: the language active when the
command runs makes no difference to what it finds or writes.
"""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction
from django.utils import translation
from django.utils.translation import gettext_lazy
from modeltranslation.settings import DEFAULT_LANGUAGE
from PIL import Image, ImageDraw, ImageFont

from activities import demo, review
from activities.changes import archive_changed
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

M = TypeVar("M", bound=models.Model)

PHOTO_SIZE = (1200, 800)
# Muted backgrounds, one per activity, so neighbouring galleries look different.
PALETTE = ("#5b7083", "#6b8e6b", "#8a6f5a", "#6d6a8f", "#5e8c8a", "#8c7a4f", "#7a5e7a", "#4f6f8c")


def bilingual(record: Any, *fields: str) -> dict[str, Any]:
    """``{"name_ja": record.name, "name_en": record.name_en, ...}`` for a demo record,
    whose plain fields are Japanese and ``_en`` fields English."""
    values: dict[str, Any] = {}
    for field in fields:
        values[f"{field}_ja"] = getattr(record, field)
        values[f"{field}_en"] = getattr(record, f"{field}_en")
    return values


def placeholder_jpeg(*, label: str, number: int, total: int, colour: str) -> bytes:
    """A 1200x800 stand-in for a photo: a plain colour, a picture icon and ASCII
    text (Pillow's bundled font has no Japanese glyphs). Same input, same bytes."""
    width, height = PHOTO_SIZE
    image = Image.new("RGB", PHOTO_SIZE, colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, width - 40, height - 40), outline="white", width=6)
    # The usual "image" icon: a sun over two hills.
    draw.ellipse((690, 170, 790, 270), fill="#f2e3a0")
    draw.polygon([(380, 470), (530, 260), (680, 470)], fill="#e8e8e8")
    draw.polygon([(560, 470), (680, 330), (820, 470)], fill="#d0d0d0")
    big = ImageFont.load_default(size=96)
    small = ImageFont.load_default(size=36)
    draw.text((width / 2, 560), "Placeholder", fill="white", font=big, anchor="mm")
    draw.text(
        (width / 2, 650),
        f"Not a real photo - {number} of {total}",
        fill="white",
        font=small,
        anchor="mm",
    )
    draw.text((width / 2, 700), label, fill="white", font=small, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


class Loader:
    """Writes the demo data and counts what it wrote."""

    def __init__(self, archive: demo.DemoArchive, *, reset: bool = False) -> None:
        self.archive = archive
        self.reset = reset
        self.rows_written = 0
        # Per image written: its storage and its files (the image and its renditions).
        self.files_written: list[tuple[Storage, list[str]]] = []

    def upsert(self, model: type[M], lookup: dict[str, Any], values: dict[str, Any]) -> M:
        obj = model._default_manager.filter(**lookup).order_by("pk").first()
        if obj is None:
            obj = model(**lookup, **values)
            obj.save()
            self.rows_written += 1
            # Marks that the loader reads back with getattr(); no model declares them.
            obj._demo_created = obj._demo_written = True  # type: ignore[attr-defined]
            return obj
        if not self.reset:
            return obj
        changed = {name: value for name, value in values.items() if _differs(obj, name, value)}
        if changed:
            for name, value in changed.items():
                setattr(obj, name, value)
            obj.save()
            self.rows_written += 1
            obj._demo_written = True  # type: ignore[attr-defined]
        return obj

    def sync_related(self, manager: Any, objs: list[models.Model]) -> None:
        """Make a many-to-many hold exactly ``objs``; rows already there stay."""
        if {obj.pk for obj in manager.all()} != {obj.pk for obj in objs}:
            manager.set(objs)
            self.rows_written += 1

    def load(self) -> None:
        # Every value is written to its language's column, but modeltranslation also
        # saves the untranslated column (``title``) from the active language. Pinning
        # it to the source language keeps the rows the same whoever runs this.
        with translation.override(DEFAULT_LANGUAGE):
            self.load_records()

    def load_records(self) -> None:
        archive = self.archive
        department = self.upsert(
            Department,
            {"name_ja": archive.department.name},
            {
                "name_en": archive.department.name_en,
                "phone": archive.department.phone,
                "fax": archive.department.fax,
                "inquiry_url": archive.department.inquiry_url,
            },
        )

        organizations: dict[str, Organization] = {}
        for org in archive.organizations:
            organizations[org.slug] = self.upsert(
                Organization,
                {"slug": org.slug},
                {
                    **bilingual(org, "name", "short_name", "description"),
                    "kind": org.kind,
                    "parent": organizations[org.parent] if org.parent else None,
                    "country": org.country,
                    "website": org.website,
                },
            )

        themes = {
            theme.slug: self.upsert(
                Theme, {"slug": theme.slug}, bilingual(theme, "name", "description")
            )
            for theme in archive.themes
        }

        venues = {
            key: self.upsert(
                Venue,
                {"name_ja": venue.name, "country": venue.country},
                {
                    "name_en": venue.name_en,
                    **bilingual(venue, "city", "address"),
                    "latitude": degrees(venue.latitude),
                    "longitude": degrees(venue.longitude),
                },
            )
            for key, venue in archive.venues.items()
        }

        people: dict[str, Participant] = {}
        for key, person in archive.people.items():
            organization = organizations[person.organization] if person.organization else None
            if person.name:
                lookup = {"name_ja": person.name}
                values = {
                    "name_en": person.name_en,
                    **bilingual(person, "title"),
                    "organization": organization,
                }
            else:
                # Unnamed people are known by their post, which is then their key.
                lookup = {"name_ja": "", "title_ja": person.title}
                values = {"name_en": "", "title_en": person.title_en, "organization": organization}
            people[key] = self.upsert(Participant, lookup, values)

        for index, record in enumerate(archive.activities):
            activity = self.upsert(
                Activity,
                {"slug": record.slug},
                {
                    **bilingual(record, "title", "summary", "body"),
                    "kind": record.kind,
                    "start_date": record.start_date,
                    "end_date": record.end_date,
                    "department": department,
                    "status": Activity.Status.PUBLISHED,
                    "published_at": archive.published_at,
                },
            )
            if getattr(activity, "_demo_written", False):
                # The record is the page's as of its update date, not as of this run.
                Activity.objects.filter(pk=activity.pk).update(
                    created_at=archive.published_at, updated_at=archive.published_at
                )
            if not (self.reset or getattr(activity, "_demo_created", False)):
                self.restore_photo_files(activity, record, colour=PALETTE[index % len(PALETTE)])
                continue
            self.sync_related(activity.venues, [venues[key] for key in record.venues])
            self.sync_related(activity.partners, [organizations[slug] for slug in record.partners])
            self.sync_related(activity.themes, [themes[slug] for slug in record.themes])
            self.load_attendances(activity, record, people)
            self.load_links(activity, record)
            self.load_photos(activity, record, people, colour=PALETTE[index % len(PALETTE)])

    def load_attendances(
        self, activity: Activity, record: demo.DemoActivity, people: dict[str, Participant]
    ) -> None:
        attending = []
        for order, attendance in enumerate(record.attendances, start=1):
            participant = people[attendance.person]
            attending.append(participant.pk)
            self.upsert(
                Attendance,
                {"activity": activity, "participant": participant},
                {**bilingual(attendance, "title"), "role": attendance.role, "order": order},
            )
        deleted, _ = activity.attendances.exclude(participant__in=attending).delete()
        self.rows_written += deleted

    def load_links(self, activity: Activity, record: demo.DemoActivity) -> None:
        for order, link in enumerate(record.links, start=1):
            self.upsert(
                ActivityLink,
                {"activity": activity, "order": order},
                {**bilingual(link, "label"), "url": link.url},
            )
        deleted, _ = activity.links.exclude(order__in=range(1, len(record.links) + 1)).delete()
        self.rows_written += deleted

    def load_photos(
        self,
        activity: Activity,
        record: demo.DemoActivity,
        people: dict[str, Participant],
        *,
        colour: str,
    ) -> None:
        total = len(record.photos)
        for order, item in enumerate(record.photos, start=1):
            values = {
                **bilingual(item, "caption", "alt_text"),
                "credit_ja": self.archive.photo_credit,
                "credit_en": self.archive.photo_credit_en,
                "is_decorative": False,
            }
            photo = activity.photos.filter(order=order).order_by("pk").first()
            if photo is None:
                photo = Photo(activity=activity, order=order, **values)
                dirty = True
            else:
                changed = {k: v for k, v in values.items() if _differs(photo, k, v)}
                for name, value in changed.items():
                    setattr(photo, name, value)
                dirty = bool(changed)
            # A row whose file has gone (media wiped, new bucket) gets a new file;
            # an existing file is never written again.
            if not photo.image or not photo.image.storage.exists(photo.image.name):
                self.write_placeholder(photo, record, order, total, colour)
                dirty = True
            if dirty:
                photo.save()
                self.rows_written += 1
            self.sync_related(photo.people, [people[key] for key in item.people])

        for stale in activity.photos.exclude(order__in=range(1, total + 1)):
            # Its files go once the deletion is committed (Photo's pre_delete handler).
            stale.delete()
            self.rows_written += 1

    def restore_photo_files(
        self, activity: Activity, record: demo.DemoActivity, *, colour: str
    ) -> None:
        """Put back the placeholder of a demo photo whose file has gone."""
        total = len(record.photos)
        for photo in activity.photos.filter(order__in=range(1, total + 1)):
            if photo.image and not photo.image.storage.exists(photo.image.name):
                self.write_placeholder(photo, record, photo.order, total, colour)
                photo.save()
                self.rows_written += 1

    def write_placeholder(
        self, photo: Photo, record: demo.DemoActivity, order: int, total: int, colour: str
    ) -> None:
        content = placeholder_jpeg(label=record.slug, number=order, total=total, colour=colour)
        filename = f"{record.slug}-{order}.jpg"
        # Stored as an upload is: checked, re-encoded, with its renditions.
        photo.image.save(filename, ContentFile(content, name=filename), save=False)
        self.files_written.append((photo.image.storage, photo.file_names()))

    def discard_files(self) -> None:
        """Storage is not transactional: after a rollback, remove what this run wrote."""
        for storage, names in self.files_written:
            for name in names:
                storage.delete(name)


def _differs(obj: models.Model, name: str, value: Any) -> bool:
    field = obj._meta.get_field(name)
    if isinstance(field, models.ForeignKey):
        # Compare keys, not instances: reading the instance would cost a query.
        return getattr(obj, field.attname) != (value.pk if value is not None else None)
    return getattr(obj, name) != value


def read_archive(path: Path) -> demo.DemoArchive:
    """The archive in ``path``; CommandError, naming the file, if it cannot be read or is
    not what the loader needs."""
    try:
        return demo.read_archive(path)
    except (OSError, demo.DemoDataError) as error:
        raise CommandError(f"The demo archive {path} cannot be loaded: {error}") from error


# The first version of each demo activity says where it came from (its history).
DEMO_COMMENT = gettext_lazy("Loaded with the demo archive.")


class Command(BaseCommand):
    help = (
        "Load the demo archive: Saitama City's eight international activities "
        "(2013-2020) with their people, partners, themes and placeholder photos. "
        "Running it again adds what is missing and keeps edits made since; "
        "--reset puts the demo records back as they were."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Put the demo records back to the demo content, undoing edits made to them.",
        )
        parser.add_argument(
            "--archive",
            type=Path,
            default=demo.ARCHIVE,
            help="The demo archive file to load (default: the one the app ships).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        archive = read_archive(options["archive"])
        loader = Loader(archive, reset=options["reset"])
        try:
            with transaction.atomic(), review.saved_version(comment=DEMO_COMMENT):
                loader.load()
                # Some rows are written with update(), which sends no signal.
                archive_changed()
        except BaseException:
            loader.discard_files()
            raise
        photos = sum(len(record.photos) for record in archive.activities)
        self.stdout.write(
            f"Demo archive: {len(archive.activities)} activities, {len(archive.people)} people, "
            f"{len(archive.organizations)} partners, {photos} photos "
            f"({loader.rows_written} rows and {len(loader.files_written)} image files written)."
        )


def degrees(value: float | None) -> Decimal | None:
    """A coordinate as the database keeps it (six decimals)."""
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.000001"))
