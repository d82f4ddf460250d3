"""Atom feeds of the archive, of any filter, partner and theme: parsed as XML,
the same activities as the pages, in each language, discoverable."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from activities import facets
from activities.models import Activity
from tests import public_urls

pytestmark = pytest.mark.django_db

ATOM = {"a": "http://www.w3.org/2005/Atom"}


@pytest.fixture
def dataset(committed) -> dict:
    data = public_urls.make_dataset()
    committed()
    return data


def feed(client, path: str) -> ET.Element:
    response = client.get(path)
    assert response.status_code == 200, path
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    for required in ("a:title", "a:id", "a:updated", "a:link"):
        assert root.find(required, ATOM) is not None, required
    return root


def entry_links(root: ET.Element) -> list[str]:
    links = []
    for entry in root.findall("a:entry", ATOM):
        for required in ("a:title", "a:id", "a:updated", "a:published"):
            assert entry.find(required, ATOM) is not None, required
        links.append(entry.find("a:link", ATOM).get("href"))
    return links


def expected(queryset) -> list[str]:
    return [
        f"http://testserver/ja/activities/{a.slug}/"
        for a in queryset.order_by("-start_date", "-pk")[:20]
    ]


def test_the_archive_feed_lists_the_newest_published_activities(client, dataset):
    root = feed(client, "/ja/activities/feed.atom")
    assert entry_links(root) == expected(Activity.objects.published())
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "ja"
    assert public_urls.DRAFT_TITLE not in ET.tostring(root, encoding="unicode")


def test_a_filtered_feed_follows_the_filter(client, dataset):
    query = f"year=2020&theme={public_urls.THEME}"
    root = feed(client, f"/ja/activities/feed.atom?{query}")
    chosen = facets.THEME.filter(Activity.objects.published(), public_urls.THEME).filter(
        start_date__year=2020
    )
    assert entry_links(root) == expected(chosen)
    assert 0 < len(entry_links(root)) < Activity.objects.published().count()
    # Its link is the archive filtered the same way.
    alternate = root.find("a:link[@rel='alternate']", ATOM).get("href")
    assert alternate.endswith(f"/ja/activities/?{query}")


def test_a_searched_feed_holds_the_matches_alone(client, dataset):
    root = feed(client, "/ja/activities/feed.atom?q=外務省")

    assert entry_links(root) == ["http://testserver/ja/activities/2020-02-28-mofa/"]


def test_a_partner_s_feed_takes_in_its_divisions(client, dataset):
    root = feed(client, f"/ja/partners/{public_urls.PARTNER}/feed.atom")
    divisions = facets.PARTNER.filter(Activity.objects.published(), public_urls.PARTNER)
    assert entry_links(root) == expected(divisions) and entry_links(root)
    assert client.get("/ja/partners/no-such-partner/feed.atom").status_code == 404


def test_the_english_feed_speaks_english(client, dataset):
    root = feed(client, "/en/activities/feed.atom")
    assert root.find("a:title", ATOM).text == (
        "Archive of international activities | International activities of Saitama City"
    )
    assert all("/en/activities/" in link for link in entry_links(root))


@pytest.mark.parametrize(
    ("page", "feed_path"),
    [
        ("/ja/activities/", "/ja/activities/feed.atom"),
        (
            f"/ja/activities/?theme={public_urls.THEME}&page=2",
            f"/ja/activities/feed.atom?theme={public_urls.THEME}",
        ),
        (f"/ja/partners/{public_urls.PARTNER}/", f"/ja/partners/{public_urls.PARTNER}/feed.atom"),
        (f"/ja/themes/{public_urls.THEME}/", f"/ja/themes/{public_urls.THEME}/feed.atom"),
    ],
)
def test_each_page_names_its_feed(client, dataset, page, feed_path):
    body = client.get(page).content.decode()
    found = re.search(
        r'<link rel="alternate" type="application/atom\+xml" title="[^"]+" href="([^"]+)">', body
    )
    assert found and found.group(1).replace("&amp;", "&") == feed_path
    assert f'href="{feed_path.replace("&", "&amp;")}" type="application/atom+xml"' in body
