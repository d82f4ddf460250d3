"""The demo archive: the eight records of Saitama City's page "さいたま市のこれまでの取組"
(updated 2020-03-10, page C065484), in Japanese and English, kept as data in
``archive.toml`` beside this module, which reads and checks it.

Titles, bodies and captions are the page's own words; the summaries, descriptions,
alt texts and link labels are written here, and people's titles use full-width
brackets. The page's link sentences ("外務省のツイッターでも紹介しています" and the
like) are links, not body text. Their addresses are not known, so each link goes
to a partner's home page and says so in its label.

Japanese is the source language: a plain field (``title``) holds the Japanese and
its ``_en`` twin (``title_en``) the English translation. The English follows the
Japanese paragraph for paragraph; people's names are romanised given name first,
as they appear in English, and titles use the organizations' own English where
they have one. An English link label says "(in Japanese)" when the page it opens
is in Japanese, as the Japanese labels say "（英語）" of English pages. Where the
Japanese is empty (an unnamed person's name, a missing address) so is the English.

``read_archive()`` returns the file's records as the dataclasses below, each value
as the file has it. A file that is not what ``load_demo`` needs raises
``DemoDataError`` with a message naming the record and the field: a field missing,
unknown or of the wrong type, a kind, role or country the database does not take, a
key that points to no record, or an English body whose paragraphs do not match the
Japanese ones.
"""

from __future__ import annotations

import dataclasses
import datetime
import tomllib
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from activities.countries import choices as country_choices
from activities.models import Activity, Attendance, Organization

ARCHIVE = Path(__file__).with_name("archive.toml")


class DemoDataError(ValueError):
    """The archive file is not what load_demo needs; the message says where."""


@dataclass(frozen=True)
class DemoDepartment:
    name: str
    name_en: str
    phone: str
    fax: str
    inquiry_url: str


@dataclass(frozen=True)
class DemoOrganization:
    slug: str
    name: str
    name_en: str
    kind: str
    country: str
    short_name: str = ""
    short_name_en: str = ""
    parent: str | None = None  # slug of an organization listed earlier
    website: str = ""
    description: str = ""
    description_en: str = ""


@dataclass(frozen=True)
class DemoTheme:
    slug: str
    name: str
    name_en: str
    description: str
    description_en: str


@dataclass(frozen=True)
class DemoVenue:
    name: str
    name_en: str
    city: str
    city_en: str
    country: str
    address: str = ""
    address_en: str = ""
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True)
class DemoPerson:
    """One person however the page spells them; ``name`` is the canonical spelling
    (no space between family and given name), blank when the page gives only a post.
    ``name_en`` is the name as written in English, given name first."""

    name: str
    name_en: str
    title: str  # the latest title known; the title on the day goes on the attendance
    title_en: str
    organization: str | None = None  # organization slug


@dataclass(frozen=True)
class DemoAttendance:
    person: str  # key in people
    title: str
    title_en: str
    role: str


@dataclass(frozen=True)
class DemoLink:
    label: str
    label_en: str
    url: str


@dataclass(frozen=True)
class DemoPhoto:
    caption: str
    caption_en: str
    alt_text: str
    alt_text_en: str
    people: tuple[str, ...] = ()  # keys in people, only those the caption names


@dataclass(frozen=True)
class DemoActivity:
    slug: str
    title: str
    title_en: str
    kind: str
    start_date: datetime.date
    summary: str
    summary_en: str
    body: str  # paragraphs separated by a blank line
    body_en: str  # one paragraph for each Japanese paragraph, in order
    end_date: datetime.date | None = None
    venues: tuple[str, ...] = ()  # keys in venues
    partners: tuple[str, ...] = ()  # organization slugs
    themes: tuple[str, ...] = ()  # theme slugs
    attendances: tuple[DemoAttendance, ...] = ()
    links: tuple[DemoLink, ...] = ()
    photos: tuple[DemoPhoto, ...] = ()


@dataclass(frozen=True)
class DemoArchive:
    """The whole file: its records, and the values every record shares."""

    published_at: datetime.datetime  # when every record was public
    photo_credit: str
    photo_credit_en: str
    department: DemoDepartment
    organizations: tuple[DemoOrganization, ...]  # parents before their children
    themes: tuple[DemoTheme, ...]
    venues: dict[str, DemoVenue]
    people: dict[str, DemoPerson]
    activities: tuple[DemoActivity, ...]


def read_archive(path: Path = ARCHIVE) -> DemoArchive:
    """The archive in ``path``, checked; DemoDataError if it is not valid TOML or not
    what load_demo needs. OSError if it cannot be read."""
    with path.open("rb") as file:
        try:
            data = tomllib.load(file)
        except tomllib.TOMLDecodeError as error:
            raise DemoDataError(f"not valid TOML: {error}") from error
    archive: DemoArchive = build(DemoArchive, data, "")
    check(archive)
    return archive


# Reading: each table of the file becomes the dataclass its place calls for.

SCALARS: dict[Any, str] = {
    str: "text in quotes",
    float: "a number with a decimal point, such as 35.8617",
    datetime.date: "a date such as 2020-02-28",
    datetime.datetime: "a date and time with its offset, such as 2020-03-10T09:00:00+09:00",
}


def build(cls: Any, table: Any, where: str) -> Any:
    """An instance of the dataclass ``cls`` from a table of the file, each field
    converted to its annotated type."""
    expect(isinstance(table, dict), where, f"should be a table, not {describe(table)}")
    names = {field.name for field in dataclasses.fields(cls)}
    for name in table:
        expect(name in names, where, f'unknown field "{name}"')
    hints = typing.get_type_hints(cls)
    values = {}
    for field in dataclasses.fields(cls):
        if field.name in table:
            values[field.name] = convert(hints[field.name], table[field.name], where, field.name)
        else:
            has_default = field.default is not dataclasses.MISSING
            expect(has_default, where, f'"{field.name}" is missing')
    return cls(**values)


def convert(hint: Any, value: Any, where: str, name: str) -> Any:
    """``value`` as the type ``hint``: text, a date, a list of those or of records
    (a tuple), records by key (a dict) or one record (a dataclass)."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is types.UnionType:
        # ``X | None``: a field that may be left out; TOML has no null.
        (hint,) = [arg for arg in args if arg is not type(None)]
        return convert(hint, value, where, name)
    if origin is tuple:
        expect(isinstance(value, list), where, f'"{name}" should be a list, not {describe(value)}')
        return tuple(
            convert_item(args[0], item, where, name, number)
            for number, item in enumerate(value, start=1)
        )
    if origin is dict:
        expect(isinstance(value, dict), where, f'"{name}" should be tables, not {describe(value)}')
        return {
            key: build(args[1], table, f'{record_noun(args[1])} "{key}"')
            for key, table in value.items()
        }
    if is_record(hint):
        return build(hint, value, record_noun(hint))
    expect(
        is_scalar(hint, value), where, f'"{name}" should be {SCALARS[hint]}, not {describe(value)}'
    )
    return value


def convert_item(hint: Any, item: Any, where: str, name: str, number: int) -> Any:
    """Item ``number`` of the list ``name``: a record, named by its slug when it has one,
    or text."""
    if is_record(hint):
        slug = item.get("slug") if isinstance(item, dict) else None
        label = f'"{slug}"' if isinstance(slug, str) else str(number)
        return build(hint, item, inside(where, f"{record_noun(hint)} {label}"))
    return convert(hint, item, where, f"{name}[{number}]")


def is_record(hint: Any) -> bool:
    """Whether ``hint`` is one of the dataclasses above, read from a table."""
    return isinstance(hint, type) and dataclasses.is_dataclass(hint)


def is_scalar(hint: Any, value: Any) -> bool:
    """Whether ``value`` is of the scalar type ``hint``: a date is not a date and time,
    and a date and time says its offset from UTC."""
    if hint is datetime.date:
        return isinstance(value, datetime.date) and not isinstance(value, datetime.datetime)
    if hint is datetime.datetime:
        return isinstance(value, datetime.datetime) and value.tzinfo is not None
    return isinstance(value, hint)


def describe(value: Any) -> str:
    """What the file has where something else was expected, for an error message."""
    if isinstance(value, bool):
        return f"true or false ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, str):
        return f'text ("{value}")'
    if isinstance(value, datetime.datetime):
        return f"a date and time without its offset ({value.isoformat()})"
    if isinstance(value, (datetime.date, datetime.time)):
        return f"a {type(value).__name__} ({value.isoformat()})"
    if isinstance(value, list):
        return "a list"
    return "a table"


def record_noun(cls: type) -> str:
    """``DemoActivity`` → "activity"."""
    return cls.__name__.removeprefix("Demo").lower()


def inside(where: str, label: str) -> str:
    """Where a record inside another one is: 'activity "…", photo 2'."""
    return f"{where}, {label}" if where else label


def expect(condition: bool, where: str, problem: str) -> None:
    """DemoDataError saying where the problem is, unless ``condition`` holds."""
    if not condition:
        raise DemoDataError(f"{where}: {problem}" if where else problem)


# Checking: values the database takes, and keys that point to records.


def check(archive: DemoArchive) -> None:
    """DemoDataError for the first kind, role, country, key or body that load_demo
    could not write."""
    check_unique([org.slug for org in archive.organizations], "organization")
    check_unique([theme.slug for theme in archive.themes], "theme")
    check_unique([activity.slug for activity in archive.activities], "activity")
    check_organizations(archive)
    for key, venue in archive.venues.items():
        check_country(venue.country, f'venue "{key}"')
    for key, person in archive.people.items():
        if person.organization is not None:
            where = f'person "{key}"'
            check_key(person.organization, organization_slugs(archive), where, "organization")
    for activity in archive.activities:
        check_activity(archive, activity)


def check_organizations(archive: DemoArchive) -> None:
    """Each organization's kind and country, and its parent listed before it."""
    earlier: set[str] = set()
    for org in archive.organizations:
        where = f'organization "{org.slug}"'
        check_choice(org.kind, Organization.Kind.values, where, "kind")
        check_country(org.country, where)
        if org.parent is not None:
            expect(
                org.parent in earlier,
                where,
                f'"parent" is "{org.parent}", which is not the slug of an organization '
                "listed before it",
            )
        earlier.add(org.slug)


def check_activity(archive: DemoArchive, activity: DemoActivity) -> None:
    """An activity's kind, dates and bodies, and the records its keys name."""
    where = f'activity "{activity.slug}"'
    check_choice(activity.kind, Activity.Kind.values, where, "kind")
    check_body(activity, where)
    if activity.end_date is not None:
        expect(activity.end_date >= activity.start_date, where, '"end_date" is before "start_date"')
    check_keys(activity.venues, set(archive.venues), where, "venues")
    check_keys(activity.partners, organization_slugs(archive), where, "partners")
    check_keys(activity.themes, {theme.slug for theme in archive.themes}, where, "themes")
    for number, attendance in enumerate(activity.attendances, start=1):
        check_choice(
            attendance.role, Attendance.Role.values, f"{where}, attendance {number}", "role"
        )
        check_key(attendance.person, set(archive.people), f"{where}, attendance {number}", "person")
    for number, photo in enumerate(activity.photos, start=1):
        check_keys(photo.people, set(archive.people), f"{where}, photo {number}", "people")


def check_body(activity: DemoActivity, where: str) -> None:
    """Each body starts and ends with text, and the English has as many paragraphs as
    the Japanese."""
    for name in ("body", "body_en"):
        text = getattr(activity, name)
        expect(
            text == text.strip(),
            where,
            f"\"{name}\" starts or ends with a blank line or spaces; the closing ''' goes "
            "straight after the last sentence",
        )
        expect("\n\n\n" not in text, where, f'"{name}" has two blank lines together')
    japanese, english = activity.body.split("\n\n"), activity.body_en.split("\n\n")
    expect(
        len(japanese) == len(english),
        where,
        f'"body_en" has {len(english)} paragraphs and "body" {len(japanese)}',
    )


def check_unique(slugs: list[str], noun: str) -> None:
    """No slug is used by two records of a kind."""
    for number, slug in enumerate(slugs, start=1):
        expect(slug not in slugs[: number - 1], f'{noun} "{slug}"', "its slug is used twice")


def check_choice(value: str, choices: list[str], where: str, name: str) -> None:
    """The value is one the model's field takes."""
    expect(
        value in choices,
        where,
        f'"{name}" is "{value}", which is not one of: {", ".join(choices)}',
    )


def check_country(code: str, where: str) -> None:
    """The code is one of the countries the admin offers."""
    known = dict(country_choices("en"))
    expect(code in known, where, f'"country" is "{code}", which is not a country code')


def check_keys(values: tuple[str, ...], known: set[str], where: str, name: str) -> None:
    """Each key names a record of the file."""
    for value in values:
        check_key(value, known, where, name)


def check_key(value: str, known: set[str], where: str, name: str) -> None:
    """The key names a record of the file."""
    expect(value in known, where, f'"{name}" names "{value}", which is not in the file')


def organization_slugs(archive: DemoArchive) -> set[str]:
    return {org.slug for org in archive.organizations}
