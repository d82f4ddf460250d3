"""Open data: the archive and any filter of it as CSV, JSON, iCalendar and in the
national standard event-list layout, parsed as a program reading them would;
streamed a chunk of activities at a time; drafts never in them; the open-data page."""

from __future__ import annotations

import csv
import datetime
import io
import json

import icalendar
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from activities import opendata
from activities.models import Activity, Venue
from tests import factories, public_urls

pytestmark = pytest.mark.django_db

PUBLISHED = {"イクレイ日本の表敬訪問", "外務省との意見交換"}

# The columns of 自治体標準オープンデータセット「イベント一覧」, in its order, as the
# standard lists them.
STANDARD = [
    "都道府県コード又は市区町村コード", "NO", "都道府県名", "市区町村名", "イベント名",
    "イベント名_カナ", "イベント名_英語", "開始日", "終了日", "開始時間", "終了時間",
    "開始日時特記事項", "説明", "料金(基本)", "料金(詳細)", "連絡先名称", "連絡先電話番号",
    "連絡先内線番号", "主催者", "場所名称", "住所", "方書", "緯度", "経度", "アクセス方法",
    "駐車場情報", "定員", "参加申込終了日", "参加申込終了時間", "参加申込方法", "URL", "備考",
]  # fmt: skip


@pytest.fixture
def dataset(committed) -> dict:
    data = public_urls.make_dataset()
    committed()
    return data


def download(client, path: str, media_type: str) -> bytes:
    response = client.get(path)
    assert response.status_code == 200, path
    assert response.streaming, "a download is streamed"
    assert response["Content-Type"] == media_type
    assert response["Content-Disposition"].startswith("attachment; filename=")
    return public_urls.body_of(response)


def csv_rows(client, path: str) -> list[dict[str, str]]:
    data = download(client, path, "text/csv; charset=utf-8")
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 with a BOM, for Excel"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_the_csv_lists_every_published_activity_in_the_page_s_language(client, dataset):
    rows = csv_rows(client, "/ja/activities/export.csv")

    assert [row["タイトル"] for row in rows] == ["外務省との意見交換", "イクレイ日本の表敬訪問"]
    visit = rows[1]
    assert visit["開始日"] == "2019-10-30" and visit["終了日"] == "2019-10-30"
    assert visit["相手先"] == "イクレイ日本"
    assert visit["テーマ"] == "脱炭素"
    assert visit["場所"] == "イクレイ世界事務局"
    assert visit["所在地"] == "Bonn、ドイツ"
    assert visit["URL"] == f"http://testserver/ja/activities/{public_urls.ACTIVITY}/"

    english = csv_rows(client, "/en/activities/export.csv")
    assert english[1]["URL"] == f"http://testserver/en/activities/{public_urls.ACTIVITY}/"
    assert english[1]["Start date"] == "2019-10-30"
    # Where, in the language's own punctuation (as the English record says it).
    assert english[1]["Places"] == "Bonn, Germany"


def test_downloads_follow_the_archive_s_filters_and_search(client, dataset):
    by_year = csv_rows(client, "/ja/activities/export.csv?calendar=fiscal&year=2019")
    assert [row["タイトル"] for row in by_year] == ["外務省との意見交換", "イクレイ日本の表敬訪問"]
    by_country = csv_rows(client, "/ja/activities/export.csv?country=DE")
    assert [row["タイトル"] for row in by_country] == ["イクレイ日本の表敬訪問"]
    by_partner = csv_rows(client, f"/ja/activities/export.csv?partner={public_urls.PARTNER}")
    assert [row["タイトル"] for row in by_partner] == ["イクレイ日本の表敬訪問"]  # its division's
    searched = csv_rows(client, "/ja/activities/export.csv?q=外務省")
    assert [row["タイトル"] for row in searched] == ["外務省との意見交換"]
    ignored = csv_rows(client, "/ja/activities/export.csv?year=abc")
    assert {row["タイトル"] for row in ignored} == PUBLISHED


def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_text(client, dataset):
    factories.ActivityFactory(title='=HYPERLINK("http://evil.example")', slug="formula")

    rows = csv_rows(client, "/ja/activities/export.csv")

    assert '\'=HYPERLINK("http://evil.example")' in [row["タイトル"] for row in rows]


def test_the_json_describes_itself_and_each_activity(client, dataset):
    data = json.loads(download(client, "/en/activities/export.json", "application/json"))

    assert data["license"]["url"].startswith("https://creativecommons.org/licenses/by/4.0/")
    assert data["publisher"] == "Saitama City"
    assert data["source"] == "http://testserver/en/activities/"
    visit = next(a for a in data["activities"] if a["url"].endswith(f"/{public_urls.ACTIVITY}/"))
    assert visit["start_date"] == "2019-10-30"
    assert visit["venues"][0]["country"] == "DE"
    assert visit["venues"][0]["city"] == "Bonn"
    assert visit["themes"] == ["脱炭素"]  # no English name: the Japanese one
    assert len(data["activities"]) == 2

    filtered = json.loads(
        download(client, "/ja/activities/export.json?year=2020", "application/json")
    )
    assert [a["title"] for a in filtered["activities"]] == ["外務省との意見交換"]
    assert filtered["source"] == "http://testserver/ja/activities/?year=2020"


def test_the_calendar_has_an_all_day_event_an_activity(client, dataset):
    Activity.objects.filter(title="外務省との意見交換").update(end_date=datetime.date(2020, 3, 2))
    Venue.objects.filter(name="イクレイ世界事務局").update(latitude="50.7139", longitude="7.1217")
    data = download(client, "/ja/activities/export.ics", "text/calendar; charset=utf-8")

    calendar = icalendar.Calendar.from_ical(data)
    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == PUBLISHED
    meeting = events["外務省との意見交換"]
    assert meeting.decoded("dtstart") == datetime.date(2020, 2, 28)
    # The end is the day after the last (RFC 5545).
    assert meeting.decoded("dtend") == datetime.date(2020, 3, 3)
    visit = events["イクレイ日本の表敬訪問"]
    assert str(visit["location"]) == "イクレイ世界事務局（Bonn、ドイツ）"
    english = icalendar.Calendar.from_ical(
        download(client, "/en/activities/export.ics", "text/calendar; charset=utf-8")
    )
    locations = [str(e["location"]) for e in english.walk("VEVENT") if "location" in e]
    assert locations == ["イクレイ世界事務局 (Bonn, Germany)"]
    assert (visit["geo"].latitude, visit["geo"].longitude) == (50.7139, 7.1217)
    assert str(visit["url"]).endswith(f"/ja/activities/{public_urls.ACTIVITY}/")
    assert len({str(e["uid"]) for e in events.values()}) == 2


def test_the_standard_event_list_has_its_columns_in_its_order(client, dataset):
    Venue.objects.filter(name="イクレイ世界事務局").update(latitude="50.7139", longitude="-7.5")
    data = download(client, "/en/activities/event-list.csv", "text/csv; charset=utf-8")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))

    assert rows[0] == STANDARD
    records = [dict(zip(STANDARD, row, strict=True)) for row in rows[1:]]
    assert {r["イベント名"] for r in records} == PUBLISHED
    visit = next(r for r in records if r["イベント名"] == "イクレイ日本の表敬訪問")
    assert visit["都道府県コード又は市区町村コード"] == "111007"
    assert visit["都道府県名"] == "埼玉県" and visit["市区町村名"] == "さいたま市"
    assert visit["開始日"] == "2019-10-30"
    assert visit["場所名称"] == "イクレイ世界事務局"
    assert (visit["緯度"], visit["経度"]) == ("50.713900", "-7.500000")  # not taken for formulas
    # Japanese whatever the page's language.
    assert visit["URL"] == f"http://testserver/ja/activities/{public_urls.ACTIVITY}/"
    assert "相手先：イクレイ日本" in visit["備考"]


@override_settings(CITYTIES_MUNICIPALITY_CODE="141003", CITYTIES_PREFECTURE_NAME="神奈川県")
def test_the_municipality_code_is_a_setting(client, dataset):
    response = client.get("/ja/activities/event-list.csv")
    data = public_urls.body_of(response).decode("utf-8-sig")

    assert response["Content-Disposition"] == 'attachment; filename="141003_event.csv"'
    assert data.splitlines()[1].startswith("141003,")
    assert ",神奈川県," in data.splitlines()[1]


@pytest.mark.parametrize("path", ["export.csv", "export.json", "export.ics", "event-list.csv"])
def test_a_download_reads_its_activities_a_chunk_at_a_time(client, dataset, monkeypatch, path):
    """Constant memory: the venues, partners and themes of each chunk are read with
    it, so a download of 100,000 activities never holds them all (`make bench`
    measures the peak)."""
    monkeypatch.setattr(opendata, "CHUNK", 2)
    for number in range(3):
        factories.ActivityFactory(slug=f"more-{number}", start_date=datetime.date(2018, 1, 1))
    # 5 published activities: 3 chunks.

    with CaptureQueriesContext(connection) as queries:
        body = public_urls.body_of(client.get(f"/ja/activities/{path}"))

    venue_reads = [q for q in queries if "activities_activityvenue" in q["sql"]]
    assert len(venue_reads) == 3
    assert all(f"/activities/more-{number}/".encode() in body for number in range(3))


def test_the_archive_links_to_its_selection_s_downloads(client, dataset):
    page = client.get("/ja/activities/", {"theme": public_urls.THEME}).content.decode()

    for path in ("export.csv", "export.json", "export.ics", "event-list.csv"):
        assert f'href="/ja/activities/{path}?theme={public_urls.THEME}"' in page
    assert 'href="/ja/open-data/"' in page


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_open_data_page_lists_every_download_and_the_license(client, dataset, language):
    page = client.get(f"/{language}/open-data/").content.decode()

    for path in ("export.csv", "export.json", "export.ics", "event-list.csv", "feed.atom"):
        assert f'href="/{language}/activities/{path}"' in page
    assert 'rel="license"' in page
    assert "111007" in page
    assert "都道府県コード又は市区町村コード" in page
    home = client.get(f"/{language}/").content.decode()
    assert f'href="/{language}/open-data/"' in home  # in every page's footer
