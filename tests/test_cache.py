"""Anonymous pages come from the cache until the data changes; nobody else's do."""

from __future__ import annotations

import datetime
import time

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities import cache, facets
from activities.models import Activity, CacheGeneration
from config import cache as shared_cache
from tests.factories import ActivityFactory, OrganizationFactory
from tests.servers import RedisServer, TcpProxy

pytestmark = pytest.mark.django_db

PUBLIC = ["/ja/", "/ja/activities/", "/en/activities/?year=2019", "/ja/partners/"]


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.CITYTIES_PAGE_CACHE = True


@pytest.fixture
def activity():
    return ActivityFactory(
        slug="visit",
        title_ja="外務省への訪問",
        start_date=datetime.date(2019, 10, 30),
        partners=[OrganizationFactory(slug="mofa")],
    )


@pytest.mark.parametrize("url", [*PUBLIC, "/ja/activities/visit/", "/ja/partners/mofa/"])
def test_anonymous_pages_are_cacheable_and_served_from_the_cache(
    client, activity, django_assert_num_queries, url
):
    first = client.get(url)
    assert first.status_code == 200
    # Cacheable by any cache: no cookie, no CSRF token, no Vary: Cookie.
    assert not first.cookies
    assert "Cookie" not in first.get("Vary", "")
    assert "csrfmiddlewaretoken" not in first.content.decode()
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    # Headers added outside the cache still come with a cached page.
    assert second["X-Frame-Options"] == "DENY"


def test_a_save_invalidates_every_cached_page(client, activity):
    assert "新しい活動" not in client.get("/ja/activities/").content.decode()
    ActivityFactory(title_ja="新しい活動", start_date=datetime.date(2020, 1, 1))
    assert "新しい活動" in client.get("/ja/activities/").content.decode()


def test_an_edit_of_a_relation_invalidates(client, activity):
    client.get("/ja/activities/visit/")
    activity.partners.add(OrganizationFactory(name_ja="環境省", slug="moe"))
    assert "環境省" in client.get("/ja/activities/visit/").content.decode()


def test_withdrawing_removes_the_page_at_once(client, activity):
    assert client.get("/ja/activities/visit/").status_code == 200
    activity.withdraw()
    activity.save()
    assert client.get("/ja/activities/visit/").status_code == 404
    assert "外務省への訪問" not in client.get("/ja/activities/").content.decode()


def test_counts_are_not_served_stale(client, activity):
    def count() -> int:
        return client.get("/ja/activities/").context["total"]

    assert count() == 1
    ActivityFactory(start_date=datetime.date(2021, 1, 1))
    assert count() == 2


def test_signed_in_staff_are_never_served_or_stored(client, django_user_model, activity):
    draft = ActivityFactory(slug="draft", draft=True, title_ja="下書きの活動")
    staff = django_user_model.objects.create_user("editor", password="pw", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_activity"))
    client.force_login(staff)
    assert client.get("/ja/activities/draft/").status_code == 200
    client.logout()
    assert client.get("/ja/activities/draft/").status_code == 404
    assert draft.title_ja not in client.get("/ja/activities/").content.decode()


def test_the_admin_and_signed_in_pages_add_nothing_to_the_cache(admin_client, activity):
    stored = caches["default"]._cache  # the local-memory backend's own store
    cache.generation()
    before = len(stored)
    assert admin_client.get("/admin/").status_code == 200
    assert admin_client.get("/ja/activities/visit/").status_code == 200
    assert len(stored) == before


def test_processes_of_one_machine_share_the_generation(client, activity):
    """With the local-memory cache each process has its own pages; a change made
    in another process reaches this one through the generation file."""
    import subprocess
    import sys

    from django.conf import settings as django_settings

    assert "外務省への訪問" in client.get("/ja/activities/").content.decode()
    # Another process changes the data and bumps the generation; this process
    # gets no signal.
    Activity.objects.filter(pk=activity.pk).update(title_ja="別のプロセスで編集")
    assert "外務省への訪問" in client.get("/ja/activities/").content.decode()  # cached
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import os, sys, time; p = sys.argv[1]; t = os.stat(p).st_mtime_ns + 10**6;"
            " os.utime(p, ns=(t, t))",
            str(django_settings.CITYTIES_GENERATION_FILE),
        ],
        check=True,
    )
    assert "別のプロセスで編集" in client.get("/ja/activities/").content.decode()


def test_production_without_a_shared_cache_is_warned_about(settings):
    from django.core.checks import run_checks

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert "cityties.W001" in [m.id for m in run_checks(include_deployment_checks=True)]
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
        }
    }
    assert "cityties.W001" not in [m.id for m in run_checks(include_deployment_checks=True)]


# -- activity cards: rendered once, kept until the data changes ------------------


def test_a_card_is_rendered_once_and_shared_by_every_list(
    client, activity, settings, django_assert_num_queries
):
    settings.CITYTIES_PAGE_CACHE = False  # the pages themselves are rendered anew
    first = client.get("/ja/activities/").content.decode()
    assert "外務省への訪問" in first
    # Another list with the same activity: its card comes from the cache, so
    # neither its venues nor its partners are read again.
    client.get("/ja/activities/?year=2019")  # its choice lists and counts
    with django_assert_num_queries(1):
        again = client.get("/ja/activities/?year=2019")
    card = first[first.index('<article class="card">') : first.index("</article>")]
    assert card in again.content.decode()


def test_a_card_follows_an_edit_of_what_it_shows(client, activity, settings):
    settings.CITYTIES_PAGE_CACHE = False
    partner = activity.partners.get()
    before = client.get("/ja/activities/").content.decode()
    old_name = partner.name
    assert f">{old_name}</a>" in before and ">外務省国際協力局</a>" not in before
    # A Japanese card names a partner in full.
    partner.name_ja = "外務省国際協力局"
    partner.save()
    body = client.get("/ja/activities/").content.decode()
    assert ">外務省国際協力局</a>" in body
    assert f">{old_name}</a>" not in body


def test_cards_are_kept_per_language(client, activity, settings):
    settings.CITYTIES_PAGE_CACHE = False
    activity.title_en = "A visit to the ministry"
    activity.save()
    assert "外務省への訪問" in client.get("/ja/activities/").content.decode()
    english = client.get("/en/activities/").content.decode()
    assert "A visit to the ministry" in english
    assert "外務省への訪問" not in english


def test_a_search_result_card_shows_its_own_match(client, activity, settings):
    settings.CITYTIES_PAGE_CACHE = False
    activity.summary_ja = "環境省と外務省の会合について"
    activity.save()
    client.get("/ja/activities/")  # the plain card is cached
    body = client.get("/ja/activities/", {"q": "会合"}).content.decode()
    assert "<mark>会合</mark>" in body


# -- a record's gallery: rendered once, kept until the data changes --------------


def test_a_gallery_is_kept_and_follows_edits_of_its_photos(
    client, activity, settings, django_assert_num_queries
):
    from tests.factories import ParticipantFactory, PhotoFactory

    settings.CITYTIES_PAGE_CACHE = False
    photo = PhotoFactory(activity=activity, caption_ja="会談の様子")
    url = "/ja/activities/visit/"
    first = client.get(url).content.decode()
    assert "会談の様子" in first and "data-gallery-item" in first
    # Kept, with the rest of the record's body: the photos, people, partners...
    # are not read again, only the activity's own row; the page is the same.
    with django_assert_num_queries(1):
        again = client.get(url).content.decode()
    assert again == first
    assert "css/gallery.css" in again and "js/gallery.js" in again
    photo.caption_ja = "署名式"
    photo.save()
    assert "署名式" in client.get(url).content.decode()
    photo.people.add(ParticipantFactory(name_ja="清水勇人"))
    assert "清水勇人" in client.get(url).content.decode()
    english = client.get("/en/activities/visit/").content.decode()
    assert "(open the large photo)" in english
    photo.delete()
    body = client.get(url).content.decode()
    assert "data-gallery-item" not in body and "js/gallery.js" not in body


def test_filter_options_follow_a_change(client, activity, settings):
    settings.CITYTIES_PAGE_CACHE = False

    def partners() -> list[str]:
        return [o["value"] for o in client.get("/ja/activities/").context["options"]["partner"]]

    assert partners() == ["mofa"]
    ActivityFactory(
        start_date=datetime.date(2020, 1, 1), partners=[OrganizationFactory(slug="moe")]
    )
    assert sorted(partners()) == ["moe", "mofa"]
    body = client.get("/ja/activities/").content.decode()
    assert '<option value="moe">' in body


def test_a_page_asked_for_with_a_parameter_its_view_does_not_read_is_not_kept(
    client, activity, django_assert_num_queries
):
    client.get("/ja/activities/?year=2019")
    with django_assert_num_queries(0):
        client.get("/ja/activities/?year=2019")
    client.get("/ja/activities/?year=2019&utm_source=mail")
    with CaptureQueriesContext(connection) as rendered:
        client.get("/ja/activities/?year=2019&utm_source=mail")
    assert len(rendered) > 0, "served from the cache"


# -- a shared cache (Redis): bounded, and its trouble is not an outage ---------------


@pytest.fixture
def redis(settings, tmp_path):
    """A Redis of this test's own, reached through a relay the test can cut."""
    server = RedisServer(tmp_path / "redis").start()
    proxy = TcpProxy(server.port).mend()
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{proxy.port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5, "RETRY_SECONDS": 0},
        }
    }
    yield server, proxy
    proxy.cut()
    server.stop()
    shared_cache._outage.until = 0.0


@pytest.mark.django_db(transaction=True)
def test_with_redis_the_generation_is_in_the_database_and_every_process_sees_it(
    client, redis, activity
):
    server, _ = redis
    assert "外務省への訪問" in client.get("/ja/activities/").content.decode()
    before = CacheGeneration.objects.get().token
    assert any(key.startswith(f":1:cityties:{before}:") for key in server.keys())
    ActivityFactory(title_ja="Redis経由", start_date=datetime.date(2022, 1, 1))
    # Committed: the token moved on once, for every process to read.
    assert CacheGeneration.objects.get().token != before
    assert "Redis経由" in client.get("/ja/activities/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_cached_page_costs_one_query_with_redis(
    client, redis, activity, django_assert_num_queries
):
    client.get("/ja/activities/visit/")
    # 1 the generation; the page itself comes from Redis.
    with django_assert_num_queries(1):
        assert client.get("/ja/activities/visit/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_while_redis_is_cut_off_pages_are_served_uncached_and_nothing_stale_after(
    client, redis, activity
):
    server, proxy = redis
    url = "/ja/activities/visit/"
    assert "外務省への訪問" in client.get(url).content.decode()
    assert client.get("/healthz").content == b"ok"
    cached = set(server.keys())
    assert cached

    # Redis keeps running with the old pages, but this server cannot reach it.
    proxy.cut()
    health = client.get("/healthz")
    assert (health.status_code, health.content) == (200, b"degraded: cache unavailable")
    assert "外務省への訪問" in client.get(url).content.decode()
    activity.title_ja = "環境省への訪問"
    activity.save()
    for page in (url, "/ja/activities/", "/ja/"):
        response = client.get(page)
        assert response.status_code == 200
        assert "環境省への訪問" in response.content.decode()
        assert "外務省への訪問" not in response.content.decode()

    # Back, with the pages it held from before the change: none is served.
    proxy.mend()
    assert client.get("/healthz").content == b"ok"
    for page in (url, "/ja/activities/", "/ja/"):
        body = client.get(page).content.decode()
        assert "環境省への訪問" in body and "外務省への訪問" not in body
    assert set(server.keys()) - cached, "caching resumed"


@pytest.mark.django_db(transaction=True)
def test_a_stopped_redis_is_no_outage(client, redis, activity, django_assert_num_queries):
    server, _ = redis
    url = "/ja/activities/visit/"
    client.get(url)
    server.stop()
    for _ in range(3):
        assert "外務省への訪問" in client.get(url).content.decode()
    assert client.get("/ja/activities/?q=外務省").status_code == 200
    assert client.get("/healthz").status_code == 200
    server.start()
    client.get(url)
    with django_assert_num_queries(1):
        assert "外務省への訪問" in client.get(url).content.decode()


@pytest.mark.django_db(transaction=True)
def test_every_key_in_redis_expires(client, redis, activity):
    server, _ = redis
    from tests.factories import PhotoFactory

    PhotoFactory(activity=activity, caption_ja="会談の様子")
    for url in (
        "/ja/",
        "/en/",
        "/ja/activities/",
        "/ja/activities/?year=2019",
        "/ja/activities/?q=訪問",
        "/ja/activities/visit/",
        "/ja/partners/",
        "/ja/partners/mofa/",
    ):
        assert client.get(url).status_code == 200
    keys = server.keys()
    assert len(keys) > 10
    for key in keys:
        ttl = int(server.cli("TTL", key))
        assert 0 < ttl <= 86400, (key, ttl)


@pytest.mark.django_db(transaction=True)
def test_what_visitors_add_to_redis_per_generation_is_bounded(client, redis, activity, settings):
    server, _ = redis
    settings.CITYTIES_CACHE_VISITOR_ENTRIES = 10
    for n in range(60):
        response = client.get(f"/ja/activities/?q=ことば{n}")
        assert response.status_code == 200 and response.context["total"] == 0
    # The page, counts, options and matches of the first searches, the counter, and
    # the archive's index and its generation (two keys, whatever the visitors ask).
    assert len(server.keys()) == 10 + 1 + 2
    assert sum(1 for key in server.keys() if key.endswith(facets.SHARED_KEY)) == 1
    # A change opens a new generation, with room again.
    ActivityFactory(title_ja="新しい活動", start_date=datetime.date(2020, 1, 1))
    client.get("/ja/activities/?q=新しい")
    assert len(server.keys()) > 12


# -- the archive index, built once a change and shared through Redis ----------------


def index_builds(queries) -> int:
    """How many times the archive index was built: its one query reads every
    published activity with its partners' links."""
    return sum(
        1 for q in queries if "UNION" in q["sql"] and "activities_activitypartner" in q["sql"]
    )


def as_another_process() -> None:
    """What a process of another server starts with: no index of its own."""
    facets._index = None


@pytest.mark.django_db(transaction=True)
def test_with_redis_the_index_is_built_once_a_change_for_every_process(client, redis, activity):
    with CaptureQueriesContext(connection) as first:
        built = facets.index()
    assert index_builds(first) == 1
    as_another_process()
    with CaptureQueriesContext(connection) as second:
        shared = facets.index()
    assert index_builds(second) == 0
    assert shared is not built and shared.generation == built.generation
    assert shared.pks.tolist() == built.pks.tolist() and shared.values == built.values

    ActivityFactory(title_ja="変更", start_date=datetime.date(2022, 1, 1))
    as_another_process()
    with CaptureQueriesContext(connection) as after_a_change:
        changed = facets.index()
    assert index_builds(after_a_change) == 1
    assert len(changed.pks) == len(built.pks) + 1
    # One entry in Redis, whatever the number of changes.
    server, _ = redis
    assert sum(1 for key in server.keys() if key.endswith(facets.SHARED_KEY)) == 1


@pytest.mark.django_db(transaction=True)
def test_a_process_waits_for_the_one_building_the_index(redis, activity, monkeypatch):
    import threading

    from django.core.cache import cache as django_cache

    # The last change's index is in Redis, as it is until a new one is kept.
    facets.index()
    stale = cache.generation()
    ActivityFactory(title_ja="変更前", start_date=datetime.date(2021, 1, 1))
    generation = cache.generation()
    assert generation != stale
    lock = f"{facets.SHARED_KEY}:building:{generation}"
    django_cache.add(lock, "another process", timeout=60)
    ready = facets.build(generation)

    def the_other_process_finishes() -> None:
        django_cache.set(facets.SHARED_KEY, (generation, ready), 60)
        django_cache.set(facets.SHARED_GENERATION_KEY, generation, 60)
        django_cache.delete(lock)

    large_reads = []

    class Counting:
        """The cache as facets sees it, counting its reads of the large key."""

        def __getattr__(self, name):
            return getattr(django_cache, name)

        def get(self, key, *args, **kwargs):
            if key == facets.SHARED_KEY:
                large_reads.append(time.monotonic())
            return django_cache.get(key, *args, **kwargs)

    monkeypatch.setattr(facets, "django_cache", Counting())
    timer = threading.Timer(0.3, the_other_process_finishes)
    timer.start()
    as_another_process()
    with CaptureQueriesContext(connection) as waited:
        taken = facets.index()
    timer.join()
    assert index_builds(waited) == 0
    assert taken.pks.tolist() == ready.pks.tolist()
    # While it waited, it never read the large key: only once, when it was kept (a
    # read of the stale one overlapping the other's finishing would build it twice).
    assert len(large_reads) == 1

    # A builder that gave up (its lock gone, nothing kept): built here, not waited for.
    ActivityFactory(title_ja="変更", start_date=datetime.date(2022, 1, 1))
    django_cache.add(f"{facets.SHARED_KEY}:building:{cache.generation()}", "gone", timeout=1)
    monkeypatch.setattr(facets, "BUILD_WAIT", 5.0)
    as_another_process()
    with CaptureQueriesContext(connection) as alone:
        facets.index()
    assert index_builds(alone) == 1


@pytest.mark.django_db(transaction=True)
def test_a_process_that_locks_after_another_kept_the_index_reads_it(redis, activity, monkeypatch):
    from django.core.cache import cache as django_cache

    facets.index()
    ActivityFactory(title_ja="変更", start_date=datetime.date(2022, 1, 1))
    generation = cache.generation()
    ready = facets.build(generation)

    class Late:
        """The cache as facets sees it, where another process builds, keeps the
        index and lets its lock go between this one's look and its lock."""

        def __getattr__(self, name):
            return getattr(django_cache, name)

        def add(self, key, *args, **kwargs):
            django_cache.set(facets.SHARED_KEY, (generation, ready), 60)
            django_cache.set(facets.SHARED_GENERATION_KEY, generation, 60)
            return django_cache.add(key, *args, **kwargs)

    monkeypatch.setattr(facets, "django_cache", Late())
    as_another_process()
    with CaptureQueriesContext(connection) as queries:
        taken = facets.index()
    assert index_builds(queries) == 0
    assert taken.pks.tolist() == ready.pks.tolist()
    assert not django_cache.has_key(f"{facets.SHARED_KEY}:building:{generation}")


@pytest.mark.django_db(transaction=True)
def test_with_redis_cut_off_each_process_builds_its_own_index(client, redis, activity):
    _, proxy = redis
    proxy.cut()
    as_another_process()
    with CaptureQueriesContext(connection) as queries:
        built = facets.index()
    assert index_builds(queries) == 1 and len(built.pks) == 1
    assert "外務省への訪問" in client.get("/ja/activities/").content.decode()
