"""Activities in a spreadsheet: the file staff import and export in the admin
(django-import-export). One row per activity, with the columns below; the export
writes the layout the import reads, so a file exported and imported again changes
nothing.

The headings are Japanese whatever the staff member's language, so that a file
means the same to everyone who opens it. Cells that hold several values (places,
partners, themes, people) hold one per line; places, partners and themes may also
be separated by 「、」. People are written ``役割：名前（当時の役職）``.

Partners, themes and the contact department are looked up, never made: each is a
public page or contact, and a misspelt name would otherwise become a new one. A
place or a person not yet registered is added (by someone who may add them).

An update is found by the URL name (slug); a row without one is a new activity,
and gets its slug as the admin makes it (activities/slugs.py). Every error names
its row, as a spreadsheet numbers it (the headings are row 1), and its column.
"""

from __future__ import annotations

import csv
import datetime
import io
import logging
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from uuid import uuid4

import tablib
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.core.validators import slug_re
from django.db import models
from django.db.models import Prefetch, QuerySet
from django.utils import translation
from django.utils.translation import gettext, gettext_noop
from import_export import fields, resources
from import_export.formats import base_formats
from import_export.tmp_storages import CacheStorage

from activities import dates, review
from activities.locking import EditConflict, claim_next_version
from activities.models import (
    Activity,
    Attendance,
    Department,
    Organization,
    Participant,
    Theme,
    Venue,
)
from activities.slugs import slug_from

logger = logging.getLogger(__name__)

# The headings, in the file's order. Fixed Japanese text, not translated: a file
# exported by one colleague must read the same for the next.
SLUG = "URLに使う名前"
TITLE_JA = "タイトル（日本語）"
TITLE_EN = "タイトル（英語）"
KIND = "種類"
START = "開始日"
END = "終了日"
SUMMARY_JA = "概要（日本語）"
SUMMARY_EN = "概要（英語）"
BODY_JA = "本文（日本語）"
BODY_EN = "本文（英語）"
VENUES = "場所"
PARTNERS = "相手先"
THEMES = "テーマ"
PEOPLE = "人物"
DEPARTMENT = "お問い合わせ先"
STATUS = "状態"

# Columns a new activity cannot do without.
REQUIRED = (TITLE_JA, KIND, START)

# Plain text columns and the field each fills.
TEXT_COLUMNS = {
    TITLE_JA: "title_ja",
    TITLE_EN: "title_en",
    SUMMARY_JA: "summary_ja",
    SUMMARY_EN: "summary_en",
    BODY_JA: "body_ja",
    BODY_EN: "body_en",
}

# Most rows a file may have: one transaction holds them all.
MAX_ROWS = 5000


class ImportUploads(CacheStorage):
    """Where an import's file waits between its preview and its confirmation: the
    "imports" cache (config/settings.py), which every process of the site reads —
    the confirmation may reach another gunicorn worker, or another server, than the
    preview did. Each file under a random name, for a day."""

    name: str | None

    def _key(self) -> str:
        if not self.name:
            self.name = uuid4().hex
        return f"{self.CACHE_PREFIX}{self.name}"

    def save(self, data: str | bytes) -> None:
        caches["imports"].set(self._key(), data, self.CACHE_LIFETIME)

    def read(self) -> str | bytes | None:
        return caches["imports"].get(self._key())

    def remove(self) -> None:
        caches["imports"].delete(self._key())


class FileProblem(ValueError):
    """The file as a whole cannot be imported; the message says why, to staff."""


def normalized(text: object) -> str:
    """How names are compared: full-width and half-width alike, any case, spaces
    squeezed (ＩＣＬＥＩ, iclei and ICLEI are one)."""
    return " ".join(unicodedata.normalize("NFKC", str(text)).casefold().split())


# What a spreadsheet reads as the start of a formula. A text written by staff that
# starts so (「-ボン会議」, or =HYPERLINK(...) typed into a title) is exported with an
# apostrophe before it, so that opening the file runs nothing; the apostrophe is
# dropped again on import, so an exported file still imports unchanged.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell_text(value: object) -> str:
    """A cell as text: empty for nothing, a number as Excel shows it (3, not 3.0), an
    exported text without the apostrophe that kept it from being a formula."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").strip()
    if text.startswith("'") and text[1:].startswith(FORMULA_START):
        return text[1:]
    return text


def not_a_formula(text: str) -> str:
    """A text as exported: never read as a formula by a spreadsheet (FORMULA_START)."""
    return f"'{text}" if text.startswith(FORMULA_START) else text


def lines_of(value: object) -> list[str]:
    return [line.strip() for line in cell_text(value).split("\n") if line.strip()]


def date_text(day: datetime.date | None) -> str:
    """A date as the admin shows it: 2021/11/01."""
    return f"{day:%Y/%m/%d}" if day else ""


def choice_names(choices: type[models.Choices]) -> dict[str, str]:
    """Every way of writing a choice — its value, its Japanese and its English
    label — to its value."""
    names = {}
    for value, label in choices.choices:
        names[normalized(value)] = value
        for lang in ("en", "ja"):
            with translation.override(lang):
                names[normalized(label)] = value
    return names


def ja_label(choices: type[models.Choices], value: str) -> str:
    with translation.override("ja"):
        return str(dict(choices.choices).get(value, value))


def ja_labels(choices: type[models.Choices]) -> str:
    with translation.override("ja"):
        return "、".join(str(label) for _value, label in choices.choices)


# --- Reading files --------------------------------------------------------------


class CSV(base_formats.CSV):
    """CSV in UTF-8 (with or without a byte order mark) or in Shift_JIS (CP932, as
    Japanese Excel saves it); written in UTF-8 with a byte order mark, which Excel
    needs to open it in Japanese rather than as mojibake.

    Read as bytes, so that the encoding is found here, and row by row, so that a
    short row is padded rather than refused and rows keep the numbers a
    spreadsheet shows them with."""

    def is_binary(self) -> bool:
        return True

    def get_read_mode(self) -> str:
        return "rb"

    def create_dataset(self, in_stream: bytes | str, **kwargs) -> tablib.Dataset:
        text = in_stream if isinstance(in_stream, str) else decode(in_stream)
        try:
            rows = list(csv.reader(io.StringIO(text, newline="")))
        except csv.Error as exc:
            raise FileProblem(
                gettext("The file could not be read as CSV (comma-separated values).")
            ) from exc
        return rectangular(rows)

    def export_data(self, dataset: tablib.Dataset, **kwargs) -> bytes:
        return dataset.export("csv", **kwargs).encode("utf-8-sig")


def decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileProblem(
        gettext(
            "The file could not be read as text. Save it as CSV in UTF-8, or in "
            "Shift_JIS as Japanese Excel does, and upload it again."
        )
    )


class XLSX(base_formats.XLSX):
    """An Excel workbook: its first sheet, rows padded to the headings' width."""

    def create_dataset(self, in_stream: bytes) -> tablib.Dataset:
        import openpyxl

        try:
            book = openpyxl.load_workbook(io.BytesIO(in_stream), read_only=True, data_only=True)
            rows = [[cell.value for cell in row] for row in book.worksheets[0].iter_rows()]
        except Exception as exc:  # openpyxl raises many kinds for a file it cannot read
            raise FileProblem(
                gettext(
                    "The file could not be read as an Excel workbook (.xlsx). Save it "
                    "from Excel as .xlsx, or choose CSV if it is a CSV file."
                )
            ) from exc
        return rectangular(rows)


def rectangular(rows: list[list]) -> tablib.Dataset:
    """A dataset of ``rows``, the first being the headings, every row as wide as
    the widest: spreadsheets leave out empty cells at the end of a row. Blank
    rows are kept, so that each row keeps its number."""
    dataset = tablib.Dataset()
    if not rows:
        return dataset
    width = max(len(row) for row in rows)
    padded = [list(row) + [None] * (width - len(row)) for row in rows]
    dataset.headers = [cell_text(value) for value in padded[0]]
    for row in padded[1:]:
        dataset.append(row)
    return dataset


FORMATS = [CSV, XLSX]


# --- Looking up names -----------------------------------------------------------


class Names:
    """Records of one model by every name staff may write for them."""

    def __init__(self) -> None:
        self.keys: dict[str, list[int]] = defaultdict(list)

    def add(self, pk: int, *names: str | None) -> None:
        for name in names:
            if name:
                found = self.keys[normalized(name)]
                if pk not in found:
                    found.append(pk)

    def find(self, name: str) -> list[int]:
        return list(self.keys.get(normalized(name), []))


def person_name(person: Participant) -> str:
    """How the file names a person: by name, or by title for one known only by it."""
    return person.name_ja or person.name_en or person.title_ja or ""


def venue_label(venue: Venue) -> str:
    """A place's name with its country and city, for places that share a name."""
    place = "・".join(str(part) for part in (venue.country.name, venue.city_ja) if part)
    return f"{venue.name_ja}（{place}）" if place else venue.name_ja or ""


@dataclass
class RowPlan:
    """What one row asks for, as read and checked, before it is written."""

    line: int
    instance: Activity
    new: bool
    # Column → value as compared: ids, texts, tuples.
    before: dict = field(default_factory=dict)
    after: dict = field(default_factory=dict)
    venues: list = field(default_factory=list)  # pks, or names of places to add
    partners: list[int] = field(default_factory=list)
    themes: list[int] = field(default_factory=list)
    # (pk or (name, title) of a person to add, title at the time, role)
    people: list[tuple] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.new or self.before != self.after


class Column(fields.Field):
    """A column of the file: its heading, and how an activity is written in it.
    Reading is the resource's (ActivityResource.read_row): columns depend on each
    other and on names in the database."""

    def __init__(self, heading: str, write, attribute: str | None = None) -> None:
        super().__init__(attribute=attribute, column_name=heading)
        self.write = write

    def export(self, instance: Activity, **kwargs) -> str:
        if instance.pk is None or self.write is None:
            return ""
        return self.write(instance)


class Diff(resources.Diff):
    """The preview's before and after, as the file writes them."""

    @classmethod
    def _read_field_values(cls, resource: ActivityResource, instance: Activity) -> list[str]:
        return [resource.export_field(column, instance) for column in resource.get_import_fields()]


def write_people(activity: Activity) -> str:
    return "\n".join(
        person_line(attendance.role, person_name(attendance.participant), attendance.title_ja or "")
        for attendance in activity.attendances.all()
    )


def person_line(role: str, name: str, title: str) -> str:
    line = f"{ja_label(Attendance.Role, role)}：{name}"
    return f"{line}（{title}）" if title else line


class ActivityResource(resources.ModelResource):
    slug = Column(SLUG, lambda a: a.slug, attribute="slug")
    title_ja = Column(TITLE_JA, lambda a: a.title_ja or "")
    title_en = Column(TITLE_EN, lambda a: a.title_en or "")
    kind = Column(KIND, lambda a: ja_label(Activity.Kind, a.kind))
    start_date = Column(START, lambda a: date_text(a.start_date))
    end_date = Column(END, lambda a: date_text(a.end_date))
    summary_ja = Column(SUMMARY_JA, lambda a: a.summary_ja or "")
    summary_en = Column(SUMMARY_EN, lambda a: a.summary_en or "")
    body_ja = Column(BODY_JA, lambda a: a.body_ja or "")
    body_en = Column(BODY_EN, lambda a: a.body_en or "")
    # Written by export_field: places that share a name need the whole file's view.
    venues = Column(VENUES, None)
    partners = Column(PARTNERS, lambda a: "\n".join(o.name_ja for o in a.partners.all()))
    themes = Column(THEMES, lambda a: "\n".join(t.name_ja for t in a.themes.all()))
    people = Column(PEOPLE, write_people)
    department = Column(DEPARTMENT, lambda a: a.department.name_ja if a.department else "")
    status = Column(STATUS, lambda a: ja_label(Activity.Status, a.status))

    class Meta:
        model = Activity
        fields = (
            "slug",
            "title_ja",
            "title_en",
            "kind",
            "start_date",
            "end_date",
            "summary_ja",
            "summary_en",
            "body_ja",
            "body_en",
            "venues",
            "partners",
            "themes",
            "people",
            "department",
            "status",
        )
        import_id_fields = ("slug",)
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = False
        use_transactions = True

    @classmethod
    def get_display_name(cls) -> str:
        return str(Activity._meta.verbose_name_plural)

    def __init__(self, user=None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.user = user
        self.lines: list[int] = []
        self.plan: RowPlan | None = None
        self.added_venues: list[str] = []
        self.added_people: list[str] = []

    @property
    def row_plan(self) -> RowPlan:
        """The plan of the row being imported: import_instance() makes it first."""
        if self.plan is None:
            raise RuntimeError("No row is being imported.")
        return self.plan

    # --- Export ---------------------------------------------------------------

    def filter_export(self, queryset: QuerySet, **kwargs) -> QuerySet:
        """Every column from a fixed number of queries per 2,000 activities: the
        activities with their department, then each relation for all of them."""
        return queryset.select_related("department").prefetch_related(
            "partners",
            "themes",
            "venues",
            Prefetch("attendances", Attendance.objects.select_related("participant")),
        )

    def iter_queryset(self, queryset: QuerySet):
        yield from queryset.iterator(chunk_size=2000)

    def export(self, queryset=None, **kwargs) -> tablib.Dataset:
        # Places that share a name are written with their country and city.
        self.shared_venue_names = self._shared_venue_names()
        with translation.override("ja"):
            return super().export(queryset, **kwargs)

    # --- Import: the file -----------------------------------------------------

    def before_import(self, dataset: tablib.Dataset, **kwargs) -> None:
        """Check the headings and leave out blank rows, remembering the number each
        row has in the spreadsheet; then load the names rows are matched by."""
        self.shared_venue_names = self._shared_venue_names()
        problem = None
        try:
            self._check_headings(dataset)
        except FileProblem as exc:
            problem = exc
        if SLUG not in (dataset.headers or []):
            dataset.append_col([""] * dataset.height, header=SLUG)
        if problem is not None:
            del dataset[0 : dataset.height]
            raise problem
        kept, self.lines = [], []
        for number, row in enumerate(dataset, start=2):
            if any(cell_text(value) for value in row):
                kept.append(row)
                self.lines.append(number)
        del dataset[0 : dataset.height]
        for row in kept:
            dataset.append(row)
        if not kept:
            raise FileProblem(gettext("The file has headings but no activities under them."))
        if dataset.height > MAX_ROWS:
            count = dataset.height
            del dataset[0 : dataset.height]
            raise FileProblem(
                gettext(
                    "The file has %(count)d activities; import at most %(max)d at a time, "
                    "in several files."
                )
                % {"count": count, "max": MAX_ROWS}
            )
        self._load_names()
        self.seen_slugs: dict[str, int] = {}

    def _check_headings(self, dataset: tablib.Dataset) -> None:
        known = [column.column_name for column in self.get_import_fields()]
        by_key = {normalized(heading): heading for heading in known}
        headings = list(dataset.headers or [])
        if not any(headings):
            raise FileProblem(
                gettext(
                    "The file has no headings. Its first row must name the columns, for "
                    "example: %(columns)s."
                )
                % {"columns": "、".join(REQUIRED)}
            )
        unknown, renamed = [], []
        for number, heading in enumerate(headings, start=1):
            if not heading:
                if any(cell_text(value) for value in dataset.get_col(number - 1)):
                    raise FileProblem(
                        gettext("Column %(number)d has values but no heading.") % {"number": number}
                    )
                renamed.append(f"_blank_{number}")
                continue
            canonical = by_key.get(normalized(heading))
            if canonical is None:
                unknown.append(heading)
            elif canonical in renamed:
                raise FileProblem(
                    gettext("The column “%(column)s” appears twice.") % {"column": canonical}
                )
            renamed.append(canonical or heading)
        if unknown:
            raise FileProblem(
                gettext("Columns not known: %(unknown)s. The columns are: %(known)s.")
                % {
                    "unknown": "、".join(f"「{heading}」" for heading in unknown),
                    "known": "、".join(known),
                }
            )
        dataset.headers = renamed
        for heading in renamed:
            if heading.startswith("_blank_"):
                del dataset[heading]

    def _load_names(self) -> None:
        with translation.override("ja"):  # places' labels name countries as exports do
            self._load_names_now()

    def _load_names_now(self) -> None:
        self.partner_names = Names()
        rows = Organization.objects.values_list(
            "pk", "name_ja", "name_en", "short_name_ja", "short_name_en", "slug"
        )
        for pk, *names in rows:
            self.partner_names.add(pk, *names)
        self.theme_names = Names()
        for pk, *names in Theme.objects.values_list("pk", "name_ja", "name_en", "slug"):
            self.theme_names.add(pk, *names)
        self.department_names = Names()
        for pk, *names in Department.objects.values_list("pk", "name_ja", "name_en"):
            self.department_names.add(pk, *names)
        self.venue_names = Names()
        for venue in Venue.objects.only("pk", "name_ja", "name_en", "city_ja", "country"):
            self.venue_names.add(venue.pk, venue.name_ja, venue.name_en, venue_label(venue))
        self.person_names = Names()
        for person in Participant.objects.only("pk", "name_ja", "name_en", "title_ja"):
            self.person_names.add(person.pk, person_name(person), person.name_en)

    def _shared_venue_names(self) -> set[str]:
        counts: dict[str, int] = defaultdict(int)
        for name in Venue.objects.values_list("name_ja", flat=True):
            counts[normalized(name)] += 1
        return {name for name, count in counts.items() if count > 1}

    def venue_text(self, activity: Activity) -> str:
        shared: set[str] = getattr(self, "shared_venue_names", set())
        return "\n".join(
            venue_label(venue) if normalized(venue.name_ja) in shared else venue.name_ja or ""
            for venue in activity.venues.all()
        )

    def export_field(self, field: fields.Field, instance: Activity, **kwargs) -> str:
        if field.column_name == VENUES:
            text = self.venue_text(instance) if instance.pk else ""
        else:
            text = super().export_field(field, instance, **kwargs)
        return not_a_formula(text) if isinstance(text, str) else text

    def get_diff_class(self) -> type[Diff]:
        return Diff

    def after_import(self, dataset: tablib.Dataset, result, **kwargs) -> None:
        """What the import added besides activities, for the preview and the message.
        (No sequence to reset, as ModelResource does: rows never bring their keys.)"""
        result.added_venues = list(self.added_venues)
        result.added_people = list(self.added_people)
        result.staff_errors = self.describe_errors(result)

    def describe_errors(self, result) -> list[str]:
        """Every problem of the import, in the order of the file, in words for staff.
        What the resource did not foresee is logged with its traceback, for the
        site's administrators, and staff are told which row it was."""
        described = []
        for error in result.base_errors:
            if isinstance(error.error, FileProblem):
                described.append(str(error.error))
            else:
                logger.error("Import failed", exc_info=error.error)
                described.append(gettext("The file could not be imported. Nothing was changed."))
        problems: list[tuple[int, BaseException | None, list[str]]] = [
            (number, error.error, []) for number, errors in result.row_errors() for error in errors
        ]
        problems += [(row.number, None, row.error.messages) for row in result.invalid_rows]
        for number, unforeseen, messages in sorted(problems, key=lambda problem: problem[0]):
            if unforeseen is not None:
                logger.error("Import of row %d failed", number, exc_info=unforeseen)
                described.append(
                    RowErrors(self.line_of(number)).message(
                        None,
                        gettext(
                            "This row could not be imported. Check its values; if it keeps "
                            "failing, tell the site's administrators."
                        ),
                    )
                )
            else:
                described += messages
        return described

    # --- Import: each row -----------------------------------------------------

    def line_of(self, row_number: int) -> int:
        return self.lines[row_number - 1] if row_number <= len(self.lines) else row_number + 1

    def get_or_init_instance(self, instance_loader, row: dict) -> tuple[Activity, bool]:
        slug = self._slug(row)
        if slug:
            instance = Activity.objects.filter(slug=slug).first()
            if instance is not None:
                return instance, False
        return Activity(), True

    @staticmethod
    def _slug(row: dict) -> str:
        text = unicodedata.normalize("NFKC", cell_text(row.get(SLUG)))
        if not text or slug_re.fullmatch(text):
            return text
        return slug_from(text, Activity.slug_length())

    def import_instance(self, instance: Activity, row: dict, **kwargs) -> None:
        """Read the row onto ``instance`` and plan its relations, or raise a
        ValidationError whose every message names the row and column."""
        line = self.line_of(kwargs["row_number"])
        self.plan = plan = RowPlan(line=line, instance=instance, new=instance.pk is None)
        errors = RowErrors(line)
        if not plan.new:
            plan.before = self._state(instance, row)
        self.read_row(plan, row, errors)
        if not errors:
            self._check_permission(plan, errors)
        if errors:
            raise errors.as_validation_error()

    def read_row(self, plan: RowPlan, row: dict, errors: RowErrors) -> None:
        activity = plan.instance
        present = set(row)

        slug = self._slug(row)
        if cell_text(row.get(SLUG)) and not slug:
            errors.add(SLUG, gettext("Write the URL name with letters, digits and hyphens."))
        if slug:
            if slug in self.seen_slugs:
                errors.add(
                    SLUG,
                    gettext(
                        "Row %(other)d has the same URL name: an activity may appear "
                        "only once in a file."
                    )
                    % {"other": self.seen_slugs[slug]},
                )
            self.seen_slugs.setdefault(slug, plan.line)
            if plan.new:
                activity.slug = slug

        for column in REQUIRED:
            if plan.new and not cell_text(row.get(column)):
                errors.add(column, gettext("A new activity needs this."))
            elif column in present and not cell_text(row.get(column)):
                errors.add(column, gettext("This cannot be left empty."))

        for column, name in TEXT_COLUMNS.items():
            if column in present:
                setattr(activity, name, cell_text(row[column]))

        if KIND in present and cell_text(row[KIND]):
            kind = choice_names(Activity.Kind).get(normalized(cell_text(row[KIND])))
            if kind is None:
                errors.add(
                    KIND,
                    gettext("“%(value)s” is not a kind of activity. Write one of: %(choices)s.")
                    % {"value": cell_text(row[KIND]), "choices": ja_labels(Activity.Kind)},
                )
            else:
                activity.kind = kind

        for column, name in ((START, "start_date"), (END, "end_date")):
            if column in present:
                try:
                    setattr(activity, name, read_date(row[column]))
                except ValueError as exc:
                    errors.add(column, str(exc))
        if (
            START not in errors
            and END not in errors
            and activity.start_date
            and activity.end_date
            and activity.end_date < activity.start_date
        ):
            errors.add(END, gettext("The end date is before the start date."))

        if VENUES in present:
            plan.venues = self._read_venues(row[VENUES], activity, errors)
        if PARTNERS in present:
            plan.partners = self._read_named(
                row[PARTNERS], self.partner_names, Organization, PARTNERS, errors
            )
        if THEMES in present:
            plan.themes = self._read_named(row[THEMES], self.theme_names, Theme, THEMES, errors)
        if PEOPLE in present:
            plan.people = self._read_people(row[PEOPLE], activity, errors)
        if DEPARTMENT in present:
            activity.department = self._read_department(row[DEPARTMENT], errors)

        if STATUS in present and cell_text(row[STATUS]):
            status = choice_names(Activity.Status).get(normalized(cell_text(row[STATUS])))
            if status is None:
                errors.add(
                    STATUS,
                    gettext("“%(value)s” is not a status. Write one of: %(choices)s.")
                    % {"value": cell_text(row[STATUS]), "choices": ja_labels(Activity.Status)},
                )
            elif status != activity.status:
                if status == Activity.Status.PUBLISHED:
                    activity.publish()
                else:
                    activity.withdraw()

        if plan.new and slug == "" and not errors:
            self._refuse_a_second_copy(activity, errors)
        if not errors:
            self._check_model(activity, errors)
        plan.after = self._planned_state(plan, row)

    def _check_permission(self, plan: RowPlan, errors: RowErrors) -> None:
        """Only a publisher changes what is public: an editor's rows are drafts, and
        leave published activities as they are."""
        if self.user is None or review.may_publish(self.user):
            return
        activity = plan.instance
        stored_status = plan.before.get(STATUS, Activity.Status.DRAFT)
        if plan.new or stored_status == Activity.Status.DRAFT:
            if activity.status == Activity.Status.PUBLISHED:
                errors.add(
                    STATUS,
                    gettext(
                        "Only a publisher may publish an activity. Write “%(draft)s” or "
                        "leave it empty, and the activity is imported as a draft."
                    )
                    % {"draft": ja_label(Activity.Status, Activity.Status.DRAFT)},
                )
            return
        if plan.changed:
            errors.add(
                None,
                gettext(
                    "“%(slug)s” is published, and only a publisher may change a published "
                    "activity by importing it. Leave this row as it was exported, take it "
                    "out of the file, or ask a publisher to import it."
                )
                % {"slug": activity.slug},
            )

    def _refuse_a_second_copy(self, activity: Activity, errors: RowErrors) -> None:
        """A row without a URL name is a new activity: not when the same title on
        the same day is there already, as when a file is imported twice."""
        same = Activity.objects.filter(
            title_ja=activity.title_ja, start_date=activity.start_date
        ).first()
        if same is not None:
            errors.add(
                SLUG,
                gettext(
                    "An activity with this title and start date exists already "
                    "(%(slug)s). To update it, write its URL name here; to add another, "
                    "give this one a URL name of its own."
                )
                % {"slug": same.slug},
            )

    def _check_model(self, activity: Activity, errors: RowErrors) -> None:
        """The model's own checks: lengths, and a URL name another activity has."""
        by_field = {name: column for column, name in TEXT_COLUMNS.items()}
        by_field.update({"slug": SLUG, "kind": KIND, "start_date": START, "end_date": END})
        try:
            activity.full_clean(
                exclude=["title", "summary", "body", "venues", "partners", "themes"],
                validate_constraints=False,
            )
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                for message in messages:
                    errors.add(by_field.get(name), message)

    def _read_named(
        self,
        value: object,
        names: Names,
        model: type[Organization | Theme],
        column: str,
        errors: RowErrors,
    ) -> list[int]:
        """Partners or themes, by any of their names or their URL name."""
        found: list[int] = []
        for name in self._items(value, names):
            pks = names.find(name)
            if len(pks) == 1:
                if pks[0] not in found:
                    found.append(pks[0])
                continue
            if not pks:
                message = (
                    gettext(
                        "No partner is called “%(name)s”. Register it as a partner first, "
                        "or write its name, short name or URL name as registered."
                    )
                    if model is Organization
                    else gettext(
                        "No theme is called “%(name)s”. Register it as a theme first, or "
                        "write its name or URL name as registered."
                    )
                )
                errors.add(column, message % {"name": name})
                continue
            slugs = model.objects.filter(pk__in=pks).values_list("slug", flat=True)
            errors.add(
                column,
                gettext("“%(name)s” could mean any of %(slugs)s: write the URL name of one.")
                % {"name": name, "slugs": "、".join(sorted(slugs))},
            )
        return found

    @staticmethod
    def _items(value: object, names: Names) -> list[str]:
        """A cell's values: one a line, and lines split at 「、」 unless a whole line
        is a name (a name may hold 「、」)."""
        items = []
        for line in lines_of(value):
            if names.find(line) or "、" not in line:
                items.append(line)
            else:
                items += [part.strip() for part in line.split("、") if part.strip()]
        return items

    def _read_venues(self, value: object, activity: Activity, errors: RowErrors) -> list:
        current = set(activity.venues.values_list("pk", flat=True)) if activity.pk else set()
        found: list = []
        new_names: set[str] = set()
        for name in self._items(value, self.venue_names):
            pks = self.venue_names.find(name)
            if len(pks) > 1:
                # Places that share a name: the one this activity has already.
                pks = [pk for pk in pks if pk in current] or pks
            if len(pks) == 1:
                if pks[0] not in found:
                    found.append(pks[0])
            elif pks:
                errors.add(
                    VENUES,
                    gettext(
                        "%(count)d places are called “%(name)s”: write the one meant with "
                        "its country and city, as in %(example)s."
                    )
                    % {
                        "count": len(pks),
                        "name": name,
                        "example": venue_label(Venue.objects.get(pk=pks[0])),
                    },
                )
            elif not self._may_add(Venue):
                errors.add(
                    VENUES,
                    gettext(
                        "No place is called “%(name)s”, and you may not add places. Ask a "
                        "colleague who may to add it first."
                    )
                    % {"name": name},
                )
            elif normalized(name) not in new_names:
                new_names.add(normalized(name))
                found.append(name)
        return found

    def _read_people(self, value: object, activity: Activity, errors: RowErrors) -> list[tuple]:
        roles = choice_names(Attendance.Role)
        current = (
            set(activity.attendances.values_list("participant_id", flat=True))
            if activity.pk
            else set()
        )
        people: list[tuple] = []
        seen: set = set()
        role: str | None
        for line in lines_of(value):
            role, name, title = Attendance.Role.DELEGATION, line, ""
            head, colon, rest = line.replace(":", "：").partition("：")
            if colon:
                role = roles.get(normalized(head))
                if role is None:
                    errors.add(
                        PEOPLE,
                        gettext(
                            "“%(value)s” is not a role. Write one of %(choices)s before "
                            "the colon, as in 本市出席者：清水勇人（さいたま市長）."
                        )
                        % {"value": head, "choices": ja_labels(Attendance.Role)},
                    )
                    continue
                name = rest.strip()
            name, title = split_title(name)
            if not name:
                errors.add(
                    PEOPLE,
                    gettext(
                        "Write each person on a line of their own, as 役割：名前（役職）, "
                        "for example 本市出席者：清水勇人（さいたま市長）."
                    ),
                )
                continue
            pks = self.person_names.find(name)
            if len(pks) > 1:
                pks = [pk for pk in pks if pk in current] or pks
            if len(pks) > 1:
                errors.add(
                    PEOPLE,
                    gettext(
                        "%(count)d people are called “%(name)s”. Add this person to the "
                        "activity in its form, where each is shown with their title."
                    )
                    % {"count": len(pks), "name": name},
                )
                continue
            if not pks and not self._may_add(Participant):
                errors.add(
                    PEOPLE,
                    gettext(
                        "No person is called “%(name)s”, and you may not add people. Ask "
                        "a colleague who may to add them first."
                    )
                    % {"name": name},
                )
                continue
            who = pks[0] if pks else (name, title)
            key = who if pks else normalized(name)
            if key in seen:
                errors.add(PEOPLE, gettext("“%(name)s” is listed twice.") % {"name": name})
                continue
            seen.add(key)
            people.append((who, title, role))
        return people

    def _read_department(self, value: object, errors: RowErrors) -> Department | None:
        name = cell_text(value)
        if not name:
            return None
        pks = self.department_names.find(name)
        if len(pks) != 1:
            errors.add(
                DEPARTMENT,
                gettext(
                    "No department is called “%(name)s”. Register it as a department "
                    "first, or write its name as registered."
                )
                % {"name": name},
            )
            return None
        return Department.objects.get(pk=pks[0])

    def _may_add(self, model: type[models.Model]) -> bool:
        return self.user is None or self.user.has_perm(f"activities.add_{model._meta.model_name}")

    # --- Import: comparing and writing ------------------------------------------

    @staticmethod
    def _field_state(activity: Activity, row: dict) -> dict:
        """The activity's own fields, as the columns in ``row`` compare them."""
        fields = {
            **{column: getattr(activity, name) or "" for column, name in TEXT_COLUMNS.items()},
            KIND: activity.kind,
            START: activity.start_date,
            END: activity.end_date,
            DEPARTMENT: activity.department_id,
        }
        return {column: value for column, value in fields.items() if column in row}

    def _state(self, activity: Activity, row: dict) -> dict:
        """The stored activity, as the columns in ``row`` compare it."""
        state = self._field_state(activity, row)
        if VENUES in row:
            state[VENUES] = sorted(activity.venues.values_list("pk", flat=True))
        if PARTNERS in row:
            state[PARTNERS] = sorted(activity.partners.values_list("pk", flat=True))
        if THEMES in row:
            state[THEMES] = sorted(activity.themes.values_list("pk", flat=True))
        if PEOPLE in row:
            state[PEOPLE] = [
                (pk, title or "", role)
                for pk, title, role in activity.attendances.values_list(
                    "participant_id", "title_ja", "role"
                )
            ]
        state[STATUS] = activity.status
        return state

    def _planned_state(self, plan: RowPlan, row: dict) -> dict:
        activity = plan.instance
        state = self._field_state(activity, row)
        if VENUES in row:
            # Places already registered by key, then those to add by name.
            state[VENUES] = sorted(v for v in plan.venues if isinstance(v, int)) + sorted(
                v for v in plan.venues if isinstance(v, str)
            )
        if PARTNERS in row:
            state[PARTNERS] = sorted(plan.partners)
        if THEMES in row:
            state[THEMES] = sorted(plan.themes)
        if PEOPLE in row:
            state[PEOPLE] = [(who, title, role) for who, title, role in plan.people]
        state[STATUS] = activity.status
        return state

    def skip_row(self, instance, original, row, import_validation_errors=None) -> bool:
        return not import_validation_errors and self.plan is not None and not self.plan.changed

    def save_instance(self, instance: Activity, is_create: bool, row: dict, **kwargs) -> None:
        if not is_create:
            try:
                # A form a colleague opened before the import is refused on save.
                claim_next_version(instance)
            except EditConflict as exc:
                raise ValidationError(
                    RowErrors(self.row_plan.line).message(
                        None,
                        gettext(
                            "A colleague saved this activity while the file was being "
                            "imported. Import the file again."
                        ),
                    )
                ) from exc
        super().save_instance(instance, is_create, row, **kwargs)

    def save_m2m(self, instance: Activity, row: dict, **kwargs) -> None:
        """The relations the row gave, once the activity has its key."""
        plan = self.row_plan
        if VENUES in row:
            instance.venues.set([self._venue(item) for item in plan.venues])
        if PARTNERS in row:
            instance.partners.set(plan.partners)
        if THEMES in row:
            instance.themes.set(plan.themes)
        if PEOPLE in row:
            self._save_people(instance, plan.people)

    def _venue(self, item: int | str) -> int:
        if isinstance(item, int):
            return item
        pks = self.venue_names.find(item)  # added by an earlier row of this file
        if pks:
            return pks[0]
        venue = Venue.objects.create(name_ja=item)
        self.venue_names.add(venue.pk, item)
        self.added_venues.append(item)
        return venue.pk

    def _person(self, who: int | tuple) -> int:
        if isinstance(who, int):
            return who
        name, title = who
        pks = self.person_names.find(name)
        if pks:
            return pks[0]
        person = Participant.objects.create(name_ja=name, title_ja=title)
        self.person_names.add(person.pk, name)
        self.added_people.append(name)
        return person.pk

    def _save_people(self, activity: Activity, people: list[tuple]) -> None:
        """Attendances as listed, in that order; an attendance kept keeps its
        English title unless its Japanese one changed."""
        existing = {a.participant_id: a for a in activity.attendances.all()}
        wanted = []
        for order, (who, title, role) in enumerate(people, start=1):
            pk = self._person(who)
            wanted.append(pk)
            attendance = existing.get(pk)
            if attendance is None:
                Attendance.objects.create(
                    activity=activity, participant_id=pk, title_ja=title, role=role, order=order
                )
                continue
            changes = {"role": role, "order": order, "title_ja": title}
            if attendance.title_ja != title:
                changes["title_en"] = ""
            if any(getattr(attendance, name) != value for name, value in changes.items()):
                for name, value in changes.items():
                    setattr(attendance, name, value)
                attendance.save()
        for pk, attendance in existing.items():
            if pk not in wanted:
                attendance.delete()


def split_title(text: str) -> tuple[str, str]:
    """名前（役職） → (名前, 役職); the last brackets hold the title."""
    text = text.strip()
    if not text.endswith(("）", ")")):
        return text, ""
    depth = 0
    for index in range(len(text) - 1, -1, -1):
        char = text[index]
        if char in "）)":
            depth += 1
        elif char in "（(":
            depth -= 1
            if depth == 0:
                return text[:index].strip(), text[index + 1 : -1].strip()
    return text, ""


def read_date(value: object) -> datetime.date | None:
    """A date cell: a date from Excel, or text as staff write dates."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = cell_text(value)
    if not text:
        return None
    try:
        return dates.parse_date(text)
    except ValueError as exc:
        raise ValueError(
            gettext("Cannot read this as a date. %(reason)s") % {"reason": exc}
        ) from exc


class RowErrors:
    """A row's errors, each message naming its row and column."""

    def __init__(self, line: int) -> None:
        self.line = line
        self.messages: dict[str, list[str]] = {}

    def add(self, column: str | None, message: str) -> None:
        key = column or "__all__"
        self.messages.setdefault(key, []).append(self.message(column, message))

    def message(self, column: str | None, message: str) -> str:
        if column is None:
            return gettext("Row %(line)d: %(message)s") % {"line": self.line, "message": message}
        return gettext("Row %(line)d, “%(column)s”: %(message)s") % {
            "line": self.line,
            "column": column,
            "message": message,
        }

    def __contains__(self, column: str) -> bool:
        return column in self.messages

    def __bool__(self) -> bool:
        return bool(self.messages)

    def as_validation_error(self) -> ValidationError:
        return ValidationError(self.messages)


# Shown by django-import-export, whose Japanese catalog lacks them (or has the
# import's text for the export's): listed here so that makemessages keeps them in
# this app's catalog, which translates them.
IMPORT_EXPORT_STRINGS = [
    gettext_noop("Resource"),
    gettext_noop("Select all"),
    gettext_noop("This exporter will export the following fields: "),
    gettext_noop(
        "No valid data to import. Ensure your file has the correct headers or data for import."
    ),
    gettext_noop("export failed due to IllegalCharacterError"),
    gettext_noop('Select at least 1 field for "%(resource_name)s" to export'),
    gettext_noop("Row"),
    gettext_noop("Non field specific"),
    # A row the import leaves as it is: "unchanged" rather than "skipped".
    gettext_noop("Skipped"),
]
