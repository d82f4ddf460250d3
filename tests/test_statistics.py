"""The statistics page and the partners' and themes' activities per year: every
figure is the number of activities its link lists in the archive, and the SQL
filters (filters.selected) count the same; drafts are never counted."""

from __future__ import annotations

import datetime
import json
import re
from decimal import Decimal
from html import unescape

import pytest
from django.http import QueryDict

from activities import filters, maps
from activities.models import Activity, Venue
from tests import factories, public_urls

pytestmark = pytest.mark.django_db

ROW = re.compile(
    r'<th scope="row"><a href="([^"]+)"[^>]*>([^<]+)</a></th>.*?<td class="n">(\d+)', re.S
)
CELL = re.compile(r'<td class="level-\d"><a href="([^"]+)">(\d+)</a></td>')
COUNT = re.compile(r'class="result-count"[^>]*>\s*(\d+)')

STATES = [
    "",
    "calendar=fiscal",
    f"partner={public_urls.PARTNER}",
    f"theme={public_urls.THEME}",
    "country=DE",
    "kind=meeting&calendar=fiscal",
    "q=外務省",
    "year=2019",
]


@pytest.fixture
def dataset(committed) -> dict:
    data = public_urls.make_dataset()
    # The March/April boundary: fiscal 2019 holds March 2020, calendar 2020 does not.
    factories.ActivityFactory(
        slug="march-2020",
        start_date=datetime.date(2020, 3, 31),
        partners=[data["published"].partners.get()],
        kind=Activity.Kind.CONFERENCE,
    )
    factories.ActivityFactory(slug="april-2020", start_date=datetime.date(2020, 4, 1))
    committed()
    return data


def listed(client, url: str) -> int:
    """How many activities the archive says a link lists."""
    body = client.get(url).content.decode()
    return int(COUNT.search(body).group(1))


def figures(client, query: str) -> tuple[str, list[tuple[str, str, int]]]:
    response = client.get(f"/ja/statistics/?{query}" if query else "/ja/statistics/")
    assert response.status_code == 200
    body = response.content.decode()
    rows = [(unescape(url), label, int(n)) for url, label, n in ROW.findall(body)]
    rows += [(unescape(url), "cell", int(n)) for url, n in CELL.findall(body)]
    return body, rows


@pytest.mark.parametrize("query", STATES)
def test_every_figure_is_what_its_link_lists(client, dataset, query):
    body, rows = figures(client, query)

    assert rows, "no figures"
    for url, label, n in rows:
        assert listed(client, url) == n, f"{label}: {n} against {url}"
    # The whole: what the archive and the SQL filters count for this state.
    total = int(COUNT.search(body).group(1))
    archive = "/ja/activities/" + (f"?{query}" if query else "")
    assert total == listed(client, archive) == filters.selected(QueryDict(query)).count()


def test_the_years_add_up_and_the_fiscal_year_moves_march(client, dataset):
    body, rows = figures(client, "")
    years = [(label, n) for url, label, n in rows if "year=" in url and "theme=" not in url]
    assert sum(n for _label, n in years) == Activity.objects.published().count()
    calendar = dict(years)
    assert calendar["令和2年（2020年）"] == 3  # February, March and April

    body, rows = figures(client, "calendar=fiscal")
    fiscal = {label: n for url, label, n in rows if "year=" in url and "theme=" not in url}
    assert fiscal["令和元年度（2019年度）"] == 3  # October 2019, February and March 2020
    assert fiscal["令和2年度（2020年度）"] == 1


def test_drafts_are_never_counted(client, dataset):
    body, rows = figures(client, "")
    assert public_urls.DRAFT_PARTNER_NAME not in body
    assert public_urls.DRAFT_THEME_NAME not in body
    assert str(public_urls.DRAFT_YEAR) not in body
    assert "フランス" not in body  # the draft's venue
    # A partner counts its division's activities, not the draft's.
    partner = next(n for url, label, n in rows if url.endswith(f"partner={public_urls.PARTNER}"))
    assert partner == 2


def test_the_page_has_at_most_6_queries_and_is_kept(
    client, dataset, settings, django_assert_max_num_queries, django_assert_num_queries
):
    """The index's (built on the first request), the partners' and themes' names
    and choices, and the mapped venues' names: every figure is counted in the index."""
    settings.CITYTIES_PAGE_CACHE = True
    for venue in Venue.objects.all():  # as staff would, through save()
        venue.latitude, venue.longitude = Decimal("50.7"), Decimal("7.1")
        venue.save()
    with django_assert_max_num_queries(6):
        body = client.get("/ja/statistics/?theme=decarbonization").content.decode()
    assert POINT.findall(body), "the map's points are drawn"
    with django_assert_num_queries(0):
        client.get("/ja/statistics/?theme=decarbonization")


@pytest.mark.parametrize(
    "path", [f"/ja/partners/{public_urls.PARTNER}/", f"/ja/themes/{public_urls.THEME}/"]
)
def test_a_partner_s_and_a_theme_s_page_show_activities_per_year(client, dataset, path):
    body = client.get(path).content.decode()
    rows = [(unescape(url), label, int(n)) for url, label, n in ROW.findall(body)]

    assert rows and "年ごとの活動" in body
    for url, label, n in rows:
        assert listed(client, url) == n, label


def test_each_chart_says_what_it_shows_and_is_linked_from_the_archive(client, dataset):
    body = client.get("/ja/statistics/").content.decode()
    for title in ("年ごとの活動", "活動の多い相手先（下部組織を含む）", "開催国", "テーマの推移"):
        assert f">{title}</h2>" in body
    assert "最も多いのは" in body
    archive = client.get(f"/ja/activities/?theme={public_urls.THEME}").content.decode()
    assert f'href="/ja/statistics/?theme={public_urls.THEME}"' in archive
    english = client.get("/en/statistics/").content.decode()
    assert ">Activities per year</h2>" in english


COUNTRY_LINK = re.compile(r'<a href="([^"]+)" aria-label="([^"]+)"><path d="M')
POINT = re.compile(r"<circle [^>]*><title>([^<]+)</title></circle>")


def test_the_map_shades_the_countries_and_places_the_venues(client, dataset, committed):
    Venue.objects.filter(name="イクレイ世界事務局").update(latitude="50.7139", longitude="7.1217")
    Venue.objects.filter(country="FR").update(latitude="48.8566", longitude="2.3522")  # the draft's
    committed()
    body = client.get("/ja/statistics/").content.decode()

    shaded = {unescape(url): label for url, label in COUNTRY_LINK.findall(body)}
    assert shaded == {"/ja/activities/?country=DE": "ドイツ：1件"}
    assert listed(client, "/ja/activities/?country=DE") == 1
    assert POINT.findall(body) == ["イクレイ世界事務局: 1"]  # not the draft's Paris
    assert 'href="/static/maps/world.svg"' in body
    # Filtered as the archive: no German venue among the meetings.
    other = client.get("/ja/statistics/?kind=conference").content.decode()
    assert POINT.findall(other) == [] and COUNTRY_LINK.findall(other) == []


@pytest.mark.parametrize("query", STATES)
def test_each_point_of_the_map_counts_what_the_sql_filters_select_there(
    client, dataset, committed, query
):
    """The map's venues are counted in the archive's index, as every other figure
    is: the same numbers as the SQL filters' (filters.selected), drafts left out."""
    for number, venue in enumerate(Venue.objects.order_by("pk")):
        venue.latitude, venue.longitude = Decimal(10 + number), Decimal(20 + number)
        venue.save()
    committed()
    selected = filters.selected(QueryDict(query))
    expected = {
        venue.name: n
        for venue in Venue.objects.all()
        if (n := venue.activityvenue_set.filter(activity__in=selected).count())
    }
    assert expected or query, "the whole archive has venues to count"

    body, _rows = figures(client, query)
    shown = dict(point.rsplit(": ", 1) for point in POINT.findall(body))
    assert {name: int(n) for name, n in shown.items()} == expected


def test_a_record_with_coordinates_has_a_locator_map(client, dataset, committed):
    path = f"/ja/activities/{public_urls.ACTIVITY}/"
    assert 'class="locator"' not in client.get(path).content.decode()

    venue = Venue.objects.get(name="イクレイ世界事務局")
    venue.latitude, venue.longitude = Decimal("50.7139"), Decimal("7.1217")
    venue.save()  # as staff would: the kept record is renewed
    committed()
    body = client.get(path).content.decode()
    locator = body.split('<svg class="locator"')[1].split("</svg>")[0]
    assert 'role="img" aria-label="地図：会場の位置"' in locator
    x, y = maps.project(7.1217, 50.7139)
    assert f'cx="{x:.1f}" cy="{y:.1f}"' in locator


def test_the_projection_puts_places_where_they_are():
    west, east = maps.project(-180, 0), maps.project(180, 0)
    assert (round(west[0]), round(east[0])) == (0, maps.WIDTH)
    assert maps.project(0, 0) == (maps.WIDTH / 2, maps.HEIGHT / 2)
    tokyo, sydney = maps.project(139.7, 35.7), maps.project(151.2, -33.9)
    assert tokyo[0] < sydney[0] and tokyo[1] < maps.HEIGHT / 2 < sydney[1]
    assert set(maps.shapes()) >= {"JP", "DE", "GB", "US", "CN", "FR", "BR", "AU"}


def test_the_map_files_are_built_from_world_atlas_topojson(tmp_path):
    """A two-country TopoJSON as world-atlas writes it (quantized, delta-encoded
    arcs; ISO numeric ids): Japan's square, and Fiji's across the antimeridian,
    pressed onto the eastern edge rather than drawn across the world."""
    topology = {
        "type": "Topology",
        "transform": {"scale": [1, 1], "translate": [0, 0]},
        "objects": {
            "countries": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "Polygon", "arcs": [[0]], "id": "392"},
                    {"type": "MultiPolygon", "arcs": [[[1]]], "id": "242"},
                ],
            }
        },
        "arcs": [
            [[130, 30], [10, 0], [0, 10], [-10, 0], [0, -10]],
            [[178, -16], [2, 0], [-360, 0], [0, -2], [358, 0], [0, 2]],
        ],
    }
    source = tmp_path / "countries-110m.json"
    source.write_text(json.dumps(topology))

    data, svg = maps.build(source)

    assert set(data["countries"]) == {"JP", "FJ"}
    assert data["countries"]["JP"].startswith("M") and data["countries"]["JP"].endswith("z")
    xs = [int(x) for x in re.findall(r"M(\d+)", data["countries"]["FJ"])]
    assert xs and all(x > maps.WIDTH * 0.9 for x in xs)
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"') and "Natural Earth" in svg


def test_a_value_that_is_ignored_is_not_carried_into_the_links(client, dataset):
    client.get("/ja/statistics/?theme=decarbonization&year=abc")
    body, rows = figures(client, "theme=decarbonization")

    assert rows and all("abc" not in url for url, _label, _n in rows)
    assert all("theme=decarbonization" in url for url, label, _n in rows if label != "cell")
