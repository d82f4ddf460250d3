"""Names: the city's name in every title; a filtered archive says what it shows in
its title, heading and printout."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings

from tests import public_urls

pytestmark = pytest.mark.django_db


@pytest.fixture
def dataset(committed) -> dict:
    data = public_urls.make_dataset()
    committed()
    return data


def title(body: str) -> str:
    return re.search(r"<title>(.*?)</title>", body, re.S).group(1).strip()


def h1(body: str) -> str:
    return re.sub(r"<[^>]+>", "", re.search(r"<h1>(.*?)</h1>", body, re.S).group(1))


@pytest.mark.parametrize(
    "url",
    [u for u in public_urls.PUBLIC_URLS if u.path.startswith(("/ja/", "/en/")) and not u.download],
    ids=str,
)
def test_every_title_ends_with_the_city_s_name(client, dataset, url):
    body = client.get(url.path).content.decode()
    assert title(body).endswith(
        ("| さいたま市の国際活動", "| International activities of Saitama City")
    )


@override_settings(CITY_NAMES={"ja": "横浜市", "en": "Yokohama"})
def test_the_city_s_name_is_a_setting(client, dataset):
    assert title(client.get("/ja/").content.decode()).endswith("| 横浜市の国際活動")
    assert title(client.get("/en/").content.decode()).endswith("Yokohama")


def test_a_filtered_archive_says_what_it_shows(client, dataset):
    body = client.get(
        "/ja/activities/",
        {"partner": public_urls.PARTNER, "theme": public_urls.THEME, "q": "会議"},
    ).content.decode()
    shown = title(body)
    assert shown.startswith("イクレイ・脱炭素・「会議」 | 活動一覧 | ")
    assert h1(body).endswith("：イクレイ・脱炭素・「会議」")
    # Each filter state its own title; the plain archive none of that.
    other = client.get("/ja/activities/", {"year": "2019"}).content.decode()
    assert title(other).startswith("平成31年・令和元年（2019年） | 活動一覧")
    assert title(client.get("/ja/activities/").content.decode()).startswith("活動一覧 | ")
    english = client.get("/en/activities/", {"theme": public_urls.THEME}).content.decode()
    assert h1(english) == "Archive of international activities: 脱炭素"  # no English name
