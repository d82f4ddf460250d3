"""The benchmark's seeder (bench/seed.py): the shape of what it writes, on a tiny N."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count, Q

from activities import search
from activities.models import Activity, Organization, Participant, Photo, Theme, Venue
from bench.seed import SeedError, check, seed_database
from tests import factories

pytestmark = pytest.mark.django_db

N = 50


def seed(tmp_path, n: int = N) -> dict:
    manifest = tmp_path / "manifest.json"
    seed_database(n=n, manifest=manifest, log=StringIO().write)
    return json.loads(manifest.read_text())


def test_seeds_n_published_activities_and_a_few_drafts(tmp_path) -> None:
    manifest = seed(tmp_path)

    assert Activity.objects.published().count() == N
    assert Activity.objects.filter(status=Activity.Status.DRAFT).count() == N // 50
    assert manifest["n"] == N
    years = {day.year for day in Activity.objects.values_list("start_date", flat=True)}
    assert min(years) >= 1990 and max(years) <= 2025


def test_the_cast_is_the_size_of_a_real_archive(tmp_path) -> None:
    seed(tmp_path)

    assert Organization.objects.count() == 300
    assert Organization.objects.filter(parent__isnull=False).exists()
    assert Theme.objects.count() == 20
    assert Participant.objects.count() == 2000
    assert Venue.objects.count() == 500
    assert Venue.objects.values("country").distinct().count() == 40


def test_every_activity_has_partners_themes_venues_people_and_links(tmp_path) -> None:
    manifest = seed(tmp_path)

    rows = Activity.objects.annotate(
        partners_n=Count("partners", distinct=True),
        themes_n=Count("themes", distinct=True),
        venues_n=Count("venues", distinct=True),
        people_n=Count("attendances", distinct=True),
        links_n=Count("links", distinct=True),
    ).exclude(slug=manifest["showcase"]["slug"])
    for row in rows:
        assert 1 <= row.partners_n <= 3
        assert 1 <= row.themes_n <= 2
        assert 1 <= row.venues_n <= 2
        assert 2 <= row.people_n <= 6
        assert 1 <= row.links_n <= 2
        assert row.title_ja and row.summary_ja and row.body_ja


def test_the_showcase_has_12_photos_and_8_people_whose_files_exist(tmp_path) -> None:
    manifest = seed(tmp_path)

    showcase = Activity.objects.get(slug=manifest["showcase"]["slug"])
    assert showcase.is_published
    assert showcase.attendances.count() == 8
    photos = list(Photo.objects.filter(activity=showcase))
    assert len(photos) == 12
    for photo in photos:
        assert photo.renditions, "the project's processing made renditions"
        for name in photo.file_names():
            assert default_storage.exists(name)


def test_each_rare_term_is_in_exactly_one_activity(tmp_path) -> None:
    manifest = seed(tmp_path)

    assert len(manifest["rare_terms"]) == 3
    for rare in manifest["rare_terms"]:
        text = Q()
        for name in ("title", "summary", "body"):
            text |= Q(**{f"{name}_{rare['lang']}__contains": rare["term"]})
        assert list(Activity.objects.filter(text).values_list("slug", flat=True)) == [rare["slug"]]
    assert manifest["common_term"]["activities"] > N // 4


def test_every_activity_is_found_by_search_as_its_saved_rows_say(client, tmp_path) -> None:
    """The documents written with the rows are the project's own, and the
    database's full-text index holds them: each rare term finds its activity."""
    manifest = seed(tmp_path)

    for activity in Activity.objects.prefetch_related(
        "partners", "venues", "participants", "attendances"
    ):
        assert sorted(activity.search_document.split()) == sorted(
            search.document_of(activity).split()
        )
    for rare in manifest["rare_terms"]:
        response = client.get(f"/{rare['lang']}/activities/", {"q": rare["term"]})
        assert [a.slug for a in response.context["activities"]] == [rare["slug"]]


def test_the_filter_in_the_manifest_matches_what_it_says(tmp_path) -> None:
    manifest = seed(tmp_path, n=400)
    chosen = manifest["filter"]

    family = Organization.objects.filter(
        Q(slug=chosen["partner"]) | Q(parent__slug=chosen["partner"])
    )
    matches = (
        Activity.objects.published()
        .filter(start_date__year=chosen["year"], themes__slug=chosen["theme"])
        .filter(partners__in=family)
        .distinct()
    )
    assert chosen["activities"] > 0
    assert matches.count() == chosen["activities"]


class _Undo(Exception):
    pass


def seeded_rows() -> list[tuple]:
    try:
        with transaction.atomic():
            seed_database(n=N, seed=7, log=StringIO().write)
            rows = list(
                Activity.objects.order_by("pk").values_list(
                    "slug", "title_ja", "title_en", "start_date", "kind"
                )
            )
            raise _Undo
    except _Undo:
        return rows


def test_the_same_seed_gives_the_same_rows() -> None:
    assert seeded_rows() == seeded_rows()


def test_a_second_run_with_the_same_n_changes_nothing(tmp_path) -> None:
    seed(tmp_path)
    out = StringIO()

    seed_database(n=N, log=out.write)

    assert "Already seeded" in out.getvalue()
    assert Activity.objects.count() == N + N // 50


def test_check_says_whether_the_database_holds_this_seed(tmp_path) -> None:
    with pytest.raises(SeedError):
        check(n=N)
    seed(tmp_path)

    check(n=N)
    with pytest.raises(SeedError):
        check(n=N + 1)


def test_refuses_a_database_that_holds_other_data() -> None:
    factories.ActivityFactory()

    with pytest.raises(SeedError, match="other data"):
        seed_database(n=N, log=StringIO().write)


WRK_OUTPUT = """\
Running 10s test @ http://127.0.0.1:8000/ja/activities/
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   812.40ms  301.22ms   2.07s    70.00%
    Req/Sec     5.10      2.90    10.00     60.00%
  Latency Distribution
     50%  834.23ms
     75%    1.01s
     90%    1.40s
     99%    1.86s
  88 requests in 10.01s, 4.02MB read
  Socket errors: connect 0, read 0, write 0, timeout 2
  Non-2xx or 3xx responses: 3
Requests/sec:      8.79
Transfer/sec:    411.00KB
"""


def test_reads_throughput_latency_and_errors_from_wrk() -> None:
    from bench.run import parse_wrk

    assert parse_wrk(WRK_OUTPUT) == {
        "rps": 8.8,
        "p50_ms": 834.23,
        "p99_ms": 1860.0,
        "requests": 88,
        "errors": 5,
    }
