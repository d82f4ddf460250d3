"""The statistics page and the partners' and themes' activities per year: every
figure is the number of activities its link lists in the archive, and the SQL
filters (filters.selected) count the same; drafts are never counted."""

from __future__ import annotations

import datetime
import re
from html import unescape

import pytest
from django.http import QueryDict

from activities import filters
from activities.models import Activity
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


def test_the_page_has_at_most_8_queries_and_is_kept(
    client, dataset, settings, django_assert_max_num_queries, django_assert_num_queries
):
    settings.CITYTIES_PAGE_CACHE = True
    with django_assert_max_num_queries(8):
        client.get("/ja/statistics/?theme=decarbonization")
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
