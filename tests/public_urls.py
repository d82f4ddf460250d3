"""Every public surface of the site, in one place, with the bad input thrown at it.

A new public page (search, a feed, an export, the sitemap) gets one line in
PUBLIC_URLS, and with it the draft-leak test and the malformed-input test
(tests/test_security.py) and the fuzz test (tests/test_fuzz.py). A new filter or
query parameter goes into PARAMETERS.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import translation

from activities.models import Activity, Attendance, Organization
from tests import factories

# What the dataset names; the paths below use these slugs.
PARTNER = "iclei"
DIVISION = "iclei-japan"
THEME = "decarbonization"
ACTIVITY = "2019-10-30-iclei-japan"

# The draft: every marker it has is unique to it, so a page that shows any of them
# has leaked it. Its year, country, kind, partner and theme are used by no
# published activity either, so a filter on them must match nothing.
DRAFT_TITLE = "SECRETDRAFTTITLE"
DRAFT_SLUG = "secret-draft-slug"
DRAFT_SUMMARY = "SECRETDRAFTSUMMARY"
DRAFT_BODY = "SECRETDRAFTBODY"
DRAFT_PARTNER = "draft-only-partner"
DRAFT_PARTNER_NAME = "DRAFTONLYPARTNER"
DRAFT_THEME = "draft-only-theme"
DRAFT_THEME_NAME = "DRAFTONLYTHEME"
DRAFT_YEAR = 2011
DRAFT_COUNTRY = "FR"
DRAFT_KIND = Activity.Kind.MEMBERSHIP
DRAFT_PERSON = "DRAFTONLYPERSON"
DRAFT_MARKERS = (DRAFT_TITLE, DRAFT_SLUG, DRAFT_SUMMARY, DRAFT_BODY, DRAFT_PERSON)


SITEMAP_SECTIONS = ("pages", "activities", "partners", "themes")


@dataclass(frozen=True)
class PublicUrl:
    name: str
    path: str
    # A file to download (activities/opendata.py), streamed: not an HTML page.
    download: bool = False

    def __str__(self) -> str:
        return self.name


# Every public view, once per language where the language changes what runs.
PUBLIC_URLS = [
    PublicUrl("home", "/ja/"),
    PublicUrl("home-en", "/en/"),
    PublicUrl("archive", "/ja/activities/"),
    PublicUrl("archive-en", "/en/activities/"),
    PublicUrl("activity", f"/ja/activities/{ACTIVITY}/"),
    PublicUrl("activity-en", f"/en/activities/{ACTIVITY}/"),
    PublicUrl("partners", "/ja/partners/"),
    PublicUrl("partner", f"/ja/partners/{PARTNER}/"),
    PublicUrl("theme", f"/ja/themes/{THEME}/"),
    PublicUrl("themes", "/ja/themes/"),
    PublicUrl("feed", "/ja/activities/feed.atom"),
    PublicUrl("feed-en", "/en/activities/feed.atom"),
    PublicUrl("partner-feed", f"/ja/partners/{PARTNER}/feed.atom"),
    PublicUrl("theme-feed", f"/ja/themes/{THEME}/feed.atom"),
    PublicUrl("statistics", "/ja/statistics/"),
    PublicUrl("statistics-en", "/en/statistics/"),
    PublicUrl("open-data", "/ja/open-data/"),
    PublicUrl("open-data-en", "/en/open-data/"),
    PublicUrl("csv", "/ja/activities/export.csv", download=True),
    PublicUrl("csv-en", "/en/activities/export.csv", download=True),
    PublicUrl("json", "/ja/activities/export.json", download=True),
    PublicUrl("ics", "/ja/activities/export.ics", download=True),
    PublicUrl("event-list", "/ja/activities/event-list.csv", download=True),
    PublicUrl("robots", "/robots.txt"),
    PublicUrl("favicon", "/favicon.ico"),
    PublicUrl("sitemap", "/sitemap.xml"),
    *(PublicUrl(f"sitemap-{s}", f"/sitemap-{s}.xml") for s in SITEMAP_SECTIONS),
    PublicUrl("healthz", "/healthz"),
    PublicUrl("set-language", "/i18n/setlang/"),
]

# Query parameters the public pages read; the fuzz test favours these names.
PARAMETERS = (
    "year",
    "partner",
    "partner_kind",
    "theme",
    "kind",
    "country",
    "q",
    "calendar",
    "page",
    "before",
    "after",
)

# Pages that could show the draft, each with what would show it if it leaked:
# a filter on exactly the draft's year, partner, theme...
DRAFT_LEAK_URLS = [
    *(url.path for url in PUBLIC_URLS),
    f"/ja/activities/?year={DRAFT_YEAR}",
    f"/ja/activities/?partner={DRAFT_PARTNER}",
    f"/ja/activities/?theme={DRAFT_THEME}",
    f"/ja/activities/?kind={DRAFT_KIND}",
    f"/ja/activities/?country={DRAFT_COUNTRY}",
    "/ja/activities/?partner_kind=ngo",
    f"/ja/activities/?q={DRAFT_TITLE}",
    f"/en/activities/?q={DRAFT_TITLE}",
    f"/ja/activities/?q={DRAFT_SLUG}",
    f"/ja/activities/?partner={PARTNER}",
    f"/ja/activities/?theme={THEME}",
    "/ja/activities/?page=2",
    "/ja/activities/?after=0001-01-01.0",
    f"/ja/activities/?before={DRAFT_YEAR + 1}-01-01.0",
    f"/ja/activities/?calendar=fiscal&year={DRAFT_YEAR}",
    f"/ja/partners/{DRAFT_PARTNER}/",
    f"/ja/themes/{DRAFT_THEME}/",
    f"/ja/activities/feed.atom?year={DRAFT_YEAR}",
    f"/ja/activities/feed.atom?q={DRAFT_TITLE}",
    f"/ja/activities/feed.atom?kind={DRAFT_KIND}&country={DRAFT_COUNTRY}",
    f"/ja/partners/{DRAFT_PARTNER}/feed.atom",
    f"/ja/themes/{DRAFT_THEME}/feed.atom",
    f"/ja/statistics/?year={DRAFT_YEAR}",
    f"/ja/statistics/?partner={DRAFT_PARTNER}&calendar=fiscal",
    f"/en/statistics/?q={DRAFT_TITLE}",
    f"/ja/activities/export.csv?year={DRAFT_YEAR}",
    f"/en/activities/export.csv?partner={DRAFT_PARTNER}",
    f"/ja/activities/export.json?q={DRAFT_TITLE}",
    f"/ja/activities/export.ics?kind={DRAFT_KIND}&country={DRAFT_COUNTRY}",
    f"/ja/activities/event-list.csv?theme={DRAFT_THEME}",
]


def body_of(response) -> bytes:
    """What the visitor receives. A download is streamed: read to its end, since an
    error while it is written shows only then."""
    return b"".join(response.streaming_content) if response.streaming else response.content


LONG = "x" * 5000

# Malformed query strings, raw (as they arrive on the wire): every one goes to every
# public URL, and each must give a page or a 4xx, never a 5xx.
MALFORMED_QUERIES = [
    # Years out of range, or not numbers.
    "year=0",
    "year=-1",
    "year=10000",
    "year=99999999999",
    "year=99999999999999999999999999999999",
    "year=1e5",
    "year=abc",
    "year=%00",
    "year=2019%00",
    "year=%EF%BC%92%EF%BC%90%EF%BC%91%EF%BC%99",  # full-width digits
    "year=2019&year=2018",
    "year=",
    # Slugs and choices that do not exist, or cannot.
    "partner=no-such-partner",
    "partner=%00",
    "partner=..%2F..%2Fetc%2Fpasswd",
    "partner=%E2%80%AEiclei",
    f"partner={PARTNER}%0d%0aSet-Cookie:%20x=1",
    "partner_kind=planet",
    "theme=%00",
    "theme=%27%20OR%20%271%27=%271",
    "kind=%3Cscript%3Ealert(1)%3C/script%3E",
    f"kind={LONG}",
    "country=ZZ",
    "country=de",
    f"country={LONG}",
    # Invalid UTF-8 and broken percent-escapes, in values and in names.
    "year=%ff%fe",
    "partner=%E3%81",
    "%ff%fe=1",
    "%C0%AF=%C0%AF",
    "%=%",
    "%zz=%zz",
    "&&&=&=&",
    ";;;",
    "year[]=2019",
    f"{LONG}=1",
    # Pages, by number and by position in the archive.
    "page=abc",
    "page=0",
    "page=-1",
    "page=99999999999999999999",
    "page=1e9",
    "page=NaN",
    "page=%00",
    "page=2&page=3",
    "before=abc",
    "after=%00",
    "before=2019-10-30.99999999999999999999999",
    "after=9999-12-31.9223372036854775808",
    "before=0000-00-00.0",
    "after=2019-02-30.1",
    "before=2019-10-30.-1",
    "before=2019-10-30.1&after=2019-10-30.2",
    "after=0001-01-01.0&page=2",
    # How years are counted.
    "calendar=%00",
    "calendar=fiscal&year=99999999999",
    "calendar=fiscal&year=1",
    # Search terms with operators, quotes and junk.
    "q=%22unterminated",
    "q=a%20AND%20b%20OR%20NOT%20c",
    "q=-foo%20%2Bbar%20*baz%20~qux",
    "q=%27%3B%20DROP%20TABLE%20activities_activity%3B--",
    "q=%00",
    f"q={LONG}",
    "q=%25%5F%5C",
    "q=(((",
    "q=%E3%82%A4%E3%82%AF%E3%83%AC%E3%82%A4",  # イクレイ
    # Parameters no public page has.
    "status=draft",
    "status__exact=draft",
    "id__gt=0",
    "o=-title",
    "format=json",
    "next=https://evil.example/",
    # Everything at once, and a lot of it.
    f"year=2019&partner={PARTNER}&theme={THEME}&kind=meeting&country=DE&page=2&q=ICLEI",
    "&".join(f"p{n}=1" for n in range(2000)),
]

# Paths that name nothing: a 404 (or a redirect to a page), never a 5xx.
MALFORMED_PATHS = [
    "/xx/activities/",
    "/xx/",
    "/zh-hans/activities/",
    f"/ja/activities/{ACTIVITY}/junk/",
    f"/ja/activities/{ACTIVITY}junk/",
    f"/ja/partners/{PARTNER}/junk/",
    f"/ja/themes/{THEME}/junk/",
    "/ja/activities/%ff%fe/",
    "/ja/activities/%00/",
    "/ja/partners/%E3%81/",
    f"/ja/activities/{LONG}/",
    "/ja/activities/../../etc/passwd",
    "/ja/activities/;/",
    "/ja//activities/",
    "/healthz/junk",
    "/static/../config/settings.py",
    "/media/../db.sqlite3",
]


def make_dataset() -> dict:
    """A small, fixed archive: two published activities and the draft."""
    # Japanese is the source language; a request earlier in the test may have left
    # English active, which would put the factories' text in the English columns.
    with translation.override("ja"):
        return _make_dataset()


def _make_dataset() -> dict:
    iclei = factories.OrganizationFactory(name="イクレイ", short_name="ICLEI", slug=PARTNER)
    division = factories.OrganizationFactory(name="イクレイ日本", slug=DIVISION, parent=iclei)
    mofa = factories.OrganizationFactory(
        name="外務省", slug="mofa", kind=Organization.Kind.NATIONAL_GOVERNMENT, country="JP"
    )
    theme = factories.ThemeFactory(name="脱炭素", slug=THEME)
    bonn = factories.VenueFactory(name="イクレイ世界事務局", city="Bonn", country="DE")
    department = factories.DepartmentFactory()
    published = factories.ActivityFactory(
        slug=ACTIVITY,
        title="イクレイ日本の表敬訪問",
        start_date=datetime.date(2019, 10, 30),
        partners=[division],
        themes=[theme],
        venues=[bonn],
        department=department,
    )
    factories.AttendanceFactory(activity=published)
    factories.ActivityLinkFactory(activity=published)
    factories.PhotoFactory(activity=published)
    factories.ActivityFactory(
        slug="2020-02-28-mofa",
        title="外務省との意見交換",
        start_date=datetime.date(2020, 2, 28),
        kind=Activity.Kind.MEETING,
        partners=[mofa],
        themes=[theme],
    )

    draft_partner = factories.OrganizationFactory(
        name=DRAFT_PARTNER_NAME, slug=DRAFT_PARTNER, kind=Organization.Kind.NGO
    )
    draft_theme = factories.ThemeFactory(name=DRAFT_THEME_NAME, slug=DRAFT_THEME)
    draft = factories.ActivityFactory(
        draft=True,
        slug=DRAFT_SLUG,
        title=DRAFT_TITLE,
        summary=DRAFT_SUMMARY,
        body=DRAFT_BODY,
        kind=DRAFT_KIND,
        start_date=datetime.date(DRAFT_YEAR, 5, 1),
        partners=[iclei, draft_partner],
        themes=[theme, draft_theme],
        venues=[factories.VenueFactory(name="Paris", city="Paris", country=DRAFT_COUNTRY)],
        department=department,
    )
    factories.AttendanceFactory(
        activity=draft,
        participant=factories.ParticipantFactory(name=DRAFT_PERSON, title="DRAFT"),
        role=Attendance.Role.COUNTERPART,
    )
    return {"published": published, "draft": draft}
