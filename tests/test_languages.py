"""The site in Japanese and in English: prefixed URLs, the language switch,
hreflang, era dates, and Japanese text shown (and announced) where English is
missing."""

from __future__ import annotations

import datetime
import re
from html import unescape

import pytest

from tests.factories import ActivityFactory, OrganizationFactory, ThemeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bilingual():
    iclei = OrganizationFactory(
        name_ja="イクレイ", name_en="ICLEI", slug="iclei", kind="international-network"
    )
    theme = ThemeFactory(name_ja="脱炭素", name_en="Decarbonization", slug="decarbonization")
    translated = ActivityFactory(
        slug="translated",
        title_ja="イクレイ世界事務局長と面会",
        title_en="Meeting the Secretary General of ICLEI",
        summary_ja="市長が面会しました。",
        summary_en="The mayor met the Secretary General.",
        body_ja="本文です。",
        body_en="The body.",
        start_date=datetime.date(2018, 10, 23),
        partners=[iclei],
        themes=[theme],
    )
    japanese_only = ActivityFactory(
        slug="japanese-only",
        title_ja="外務省気候変動課への訪問",
        title_en="",
        summary_ja="外務省を訪問しました。",
        summary_en="",
        body_ja="日本語の本文です。",
        body_en="",
        start_date=datetime.date(2020, 2, 28),
        partners=[iclei],
    )
    return {"translated": translated, "japanese_only": japanese_only}


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/activities/",
        "/activities/?year=2018",
        "/activities/translated/",
        "/activities/japanese-only/",
        "/partners/",
        "/partners/iclei/",
        "/themes/decarbonization/",
    ],
)
def test_every_public_page_renders_in_both_languages(client, bilingual, lang, path):
    response = client.get(f"/{lang}{path}")
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in response.content.decode()


def test_unknown_language_prefix_is_a_404(client, bilingual):
    assert client.get("/fr/activities/").status_code == 404


def test_english_page_is_in_english(client, bilingual):
    body = client.get("/en/activities/translated/").content.decode()
    assert "Meeting the Secretary General of ICLEI" in body
    assert "23 October 2018 (Tue)" in body
    assert "Decarbonization" in body
    assert "Available in Japanese only" not in body


def test_japanese_page_gives_the_era_date(client, bilingual):
    body = client.get("/ja/activities/translated/").content.decode()
    assert "平成30年10月23日(火曜日)" in body
    assert "イクレイ世界事務局長と面会" in body


def test_missing_english_shows_the_japanese_text_and_says_so(client, bilingual):
    body = client.get("/en/activities/japanese-only/").content.decode()
    assert "Available in Japanese only" in body
    assert '<h1 lang="ja">外務省気候変動課への訪問</h1>' in body
    assert re.search(r'<div class="body" lang="ja">\s*<p>日本語の本文です。</p>', body)
    # The notice is English UI; the Japanese page has none.
    assert (
        "Available in Japanese only"
        not in client.get("/ja/activities/japanese-only/").content.decode()
    )


def test_archive_cards_mark_japanese_fallback_text(client, bilingual):
    body = client.get("/en/activities/").content.decode()
    assert 'lang="ja">外務省気候変動課への訪問</a>' in body
    assert ">Meeting the Secretary General of ICLEI</a>" in body


def test_month_headings_follow_the_language(client, bilingual):
    assert "令和2年2月</h2>" in client.get("/ja/activities/").content.decode()
    assert "February 2020</h2>" in client.get("/en/activities/").content.decode()


def test_year_filter_labels_give_the_era_beside_the_western_year(client, bilingual):
    def label(lang: str, query: str = "") -> str:
        options = client.get(f"/{lang}/activities/?{query}").context["options"]["year"]
        return next(o["label"] for o in options if o["value"] == "2018")

    assert label("ja") == "平成30年（2018年）"
    assert label("en") == "2018"
    assert label("ja", "calendar=fiscal") == "平成30年度（2018年度）"
    assert label("en", "calendar=fiscal") == "FY2018"


@pytest.mark.parametrize(
    "query", ["year=2018", "partner=iclei", "theme=decarbonization", "partner=iclei&year=2020"]
)
def test_filters_give_the_same_results_in_both_languages(client, bilingual, query):
    def slugs(lang: str) -> list[str]:
        response = client.get(f"/{lang}/activities/?{query}")
        return [a.slug for a in response.context["activities"]]

    assert slugs("ja") == slugs("en")
    assert slugs("ja")


def test_language_switch_keeps_the_page_and_its_filters(client, bilingual):
    body = client.get("/ja/activities/?year=2018&partner=iclei").content.decode()
    assert 'href="/en/activities/?year=2018&amp;partner=iclei" hreflang="en" lang="en"' in body
    body = client.get("/en/activities/translated/").content.decode()
    assert 'href="/ja/activities/translated/" hreflang="ja" lang="ja"' in body


def test_every_page_has_hreflang_alternates(client, bilingual):
    body = client.get("/ja/partners/iclei/").content.decode()
    links = set(re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)">', body))
    assert links == {
        ("ja", "http://testserver/ja/partners/iclei/"),
        ("en", "http://testserver/en/partners/iclei/"),
        ("x-default", "http://testserver/ja/partners/iclei/"),
    }


def test_record_links_to_earlier_later_and_related_activities(client, bilingual):
    unrelated = ActivityFactory(slug="unrelated", start_date=datetime.date(2019, 3, 13))
    response = client.get("/en/activities/unrelated/")
    assert response.context["older"].slug == "translated"
    assert response.context["newer"].slug == "japanese-only"
    assert response.context["related"] == []

    response = client.get("/en/activities/translated/")
    assert response.context["older"] is None
    assert response.context["newer"] == unrelated
    assert [a.slug for a in response.context["related"]] == ["japanese-only"]
    body = unescape(response.content.decode())
    assert "Related activities" in body and "28 February 2020 (Fri)" in body


def test_drafts_are_never_neighbours_or_related(client, bilingual):
    ActivityFactory(
        slug="draft-between",
        draft=True,
        start_date=datetime.date(2019, 1, 1),
        partners=list(bilingual["translated"].partners.all()),
    )
    response = client.get("/en/activities/translated/")
    assert response.context["newer"].slug == "japanese-only"
    assert "draft-between" not in response.content.decode()


def test_print_stylesheet_and_printed_address(client, bilingual):
    body = client.get("/ja/activities/translated/").content.decode()
    assert 'href="/static/css/print.css" media="print"' in body
    assert (
        '<p class="print-only">このページのURL： http://testserver/ja/activities/translated/</p>'
        in body
    )
