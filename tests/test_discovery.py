"""Found by search engines: the sitemap (parsed as XML), robots.txt, a meta
description on every page, the themes index in the menu."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from django.utils.timezone import localdate

from activities import review
from activities.models import Activity
from tests import factories, public_urls

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


@pytest.fixture
def dataset(committed) -> dict:
    data = public_urls.make_dataset()
    # A proposed change waiting for review: never in the sitemap.
    review.start_replacement(Activity.objects.get(slug=public_urls.ACTIVITY))
    committed()
    return data


def sitemap(client: Client, path: str) -> ET.Element:
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)


def entries(client: Client) -> dict[str, dict]:
    """Every address the sitemap lists, with its alternates and last change."""
    index = sitemap(client, "/sitemap.xml")
    found = {}
    for location in index.findall("s:sitemap/s:loc", NS):
        section = sitemap(client, location.text.removeprefix("http://testserver"))
        for url in section.findall("s:url", NS):
            found[url.find("s:loc", NS).text] = {
                "lastmod": getattr(url.find("s:lastmod", NS), "text", None),
                "alternates": {
                    link.get("hreflang"): link.get("href") for link in url.findall("x:link", NS)
                },
            }
    return found


def test_the_sitemap_lists_every_public_page_in_both_languages(client, dataset):
    listed = entries(client)
    base = "http://testserver"
    published = Activity.objects.published().exclude(replaces__isnull=False)
    for activity in published:
        for lang in ("ja", "en"):
            url = f"{base}/{lang}/activities/{activity.slug}/"
            assert url in listed, url
            assert listed[url]["alternates"] == {
                "ja": f"{base}/ja/activities/{activity.slug}/",
                "en": f"{base}/en/activities/{activity.slug}/",
                "x-default": f"{base}/activities/{activity.slug}/",
            }
            # The city's date (Asia/Tokyo), whatever the hour in UTC.
            assert listed[url]["lastmod"] == localdate(activity.updated_at).isoformat()
    for path in ("/ja/", "/ja/activities/", "/ja/partners/", "/ja/themes/", "/en/themes/"):
        assert base + path in listed
    assert f"{base}/ja/partners/{public_urls.PARTNER}/" in listed
    assert f"{base}/ja/themes/{public_urls.THEME}/" in listed
    # Nothing of a draft or a proposed change.
    text = " ".join(listed)
    assert public_urls.DRAFT_SLUG not in text
    assert public_urls.DRAFT_PARTNER not in text and public_urls.DRAFT_THEME not in text
    assert "henkouan" not in text
    # Every public activity twice, and nothing else under /activities/<slug>/.
    records = [u for u in listed if re.search(r"/activities/[^/]+/$", u)]
    assert len(records) == 2 * published.count()


def test_robots_txt_names_the_sitemap_and_keeps_out_of_the_staff_site(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Disallow: /admin/" in lines


@pytest.mark.parametrize(
    "path",
    [
        "/ja/",
        "/en/",
        "/ja/activities/",
        f"/ja/activities/{public_urls.ACTIVITY}/",
        "/ja/partners/",
        f"/ja/partners/{public_urls.PARTNER}/",
        "/ja/themes/",
        f"/en/themes/{public_urls.THEME}/",
    ],
)
def test_every_page_has_a_meta_description(client, dataset, path):
    body = client.get(path).content.decode()
    match = re.search(r'<meta name="description" content="([^"]+)">', body)
    assert match and len(match.group(1)) > 10, path


def test_the_themes_index_is_in_the_menu_and_lists_public_themes_only(client, dataset):
    home = client.get("/ja/").content.decode()
    assert '<a href="/ja/themes/"' in home
    page = client.get("/ja/themes/").content.decode()
    assert public_urls.DRAFT_THEME_NAME not in page
    assert f'href="/ja/themes/{public_urls.THEME}/"' in page
    assert 'aria-current="page">テーマ' in page


def test_a_theme_only_a_draft_has_is_not_in_the_index(client, dataset):
    factories.ThemeFactory(name="未使用のテーマ", slug="unused")
    assert "未使用のテーマ" not in client.get("/ja/themes/").content.decode()


def test_a_partner_counts_its_divisions_activities_everywhere(client, dataset):
    """One count per partner, by the archive filter's rule (its divisions' too)."""
    from activities import facets

    expected = facets.PARTNER.filter(Activity.objects.published(), public_urls.PARTNER).count()
    assert expected >= 1
    listed = client.get("/ja/partners/").content.decode()
    row = re.search(rf'<li><a href="/ja/partners/{public_urls.PARTNER}/">.*?</li>', listed)
    assert row and f"{expected}件" in row.group(0)
    home = client.get("/ja/").content.decode()
    row = re.search(rf'<a href="/ja/partners/{public_urls.PARTNER}/">.*?</li>', home, re.S)
    assert row and f"{expected}" in row.group(0)


def test_the_icons_are_named_on_every_page_and_served(client, dataset):
    body = client.get("/ja/").content.decode()
    icons = re.findall(r'<link rel="(?:icon|apple-touch-icon)" href="([^"]+)"', body)
    assert len(icons) == 4
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("icons/favicon.ico")
    from django.contrib.staticfiles import finders
    from PIL import Image

    for icon in icons:
        found = finders.find(icon.removeprefix("/static/"))
        assert found, icon
        if not icon.endswith(".svg"):
            with Image.open(found) as image:
                assert image.width == image.height >= 48
