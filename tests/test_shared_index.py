"""The archive index built once a change for every process (activities/facets.py):
gunicorn with three worker processes, DEBUG off, sharing a Redis of the test's
own, on a database of its own; a colleague's edit made in another process, as an
operator's or the admin's would be. The processes say in their logs whether they
built the index or read it from Redis."""

from __future__ import annotations

import json

import pytest

from tests.servers import RedisServer, ServedArchive

pytestmark = pytest.mark.slow

# A parameter the archive does not read: the page is never kept, so every worker
# renders it, from its index (the page cache, shared too, would answer otherwise).
ARCHIVE = "/ja/activities/?utm_source=test"


@pytest.fixture
def served(tmp_path):
    redis = RedisServer(tmp_path / "redis").start()
    archive = ServedArchive(tmp_path / "served", workers=3, redis_url=redis.url)
    archive.env["DJANGO_LOG_LEVEL"] = "INFO"  # the index's lines
    try:
        archive.manage("migrate", "--noinput", "-v", "0")
        archive.manage("load_demo")
        yield archive.start()
    finally:
        archive.stop()
        redis.stop()


def index_events(archive: ServedArchive) -> list[str]:
    events = []
    for line in archive.error_log.read_text().splitlines():
        try:
            message = json.loads(line).get("message", "")
        except ValueError:
            continue
        if message.startswith("archive index"):
            events.append(message)
    return events


def test_after_a_change_one_process_builds_the_index_and_the_others_read_it(served):
    served.on_every_worker(ARCHIVE, lambda body: "<article" in body)
    before = index_events(served)
    assert before.count("archive index built") == 1  # the master's, before forking

    served.shell(
        "from django.db import transaction\n"
        "from activities.changes import archive_changed\n"
        "from activities.models import Activity\n"
        "with transaction.atomic():\n"
        "    activity = Activity.objects.get(slug='2020-02-28-mofa-climate-change-division')\n"
        "    activity.title_ja = '共有された索引'\n"
        "    activity.save()\n"
    )
    served.on_every_worker(ARCHIVE, lambda body: "共有された索引" in body)

    after = index_events(served)[len(before) :]
    assert after.count("archive index built") == 1, after
    assert after.count("archive index read from the shared cache") == served.workers - 1, after
    assert not served.server_errors()
