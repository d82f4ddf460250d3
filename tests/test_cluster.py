"""Two app servers behind a proxy, as a city's IT department runs the site: Debian's
nginx (config/nginx.conf) in front of two gunicorns on ports of their own, each
with two workers, sharing one database, one Redis and one S3-compatible bucket
for the photos (moto's server), which visitors read through nginx; every part
started and stopped by the test, on 127.0.0.1. A failing part fails the test:
nothing here is skipped."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
import time

import pytest

from tests.factories import jpeg_bytes
from tests.servers import (
    ROOT,
    Nginx,
    ObjectStore,
    RedisServer,
    ServedArchive,
    StaffBrowser,
    request,
)

pytestmark = pytest.mark.slow

PASSWORD = "cluster-staff-1"
MOFA = "2020-02-28-mofa-climate-change-division"
RECORD = f"/ja/activities/{MOFA}/"


class Cluster:
    def __init__(self, tmp_path) -> None:
        self.redis = RedisServer(tmp_path / "redis").start()
        self.bucket = ObjectStore(tmp_path / "bucket").start()
        self.nginx = Nginx(tmp_path / "nginx", [], self.bucket.endpoint, f"/{self.bucket.bucket}/")
        # Photos' URLs through the proxy: one origin for pages and photos.
        photos = self.bucket.env(DJANGO_S3_PUBLIC_URL=f"http://127.0.0.1:{self.nginx.port}/media/")
        self.first = ServedArchive(
            tmp_path / "first", workers=2, redis_url=self.redis.url, photos=photos
        )
        self.second = ServedArchive(
            tmp_path / "second",
            workers=2,
            redis_url=self.redis.url,
            database_url=self.first.database_url,
            photos=photos,
        )

    def start(self) -> Cluster:
        self.first.manage("migrate", "--noinput", "-v", "0")
        self.first.manage("load_demo")
        self.first.shell(
            "from django.contrib.auth.models import Group, User\n"
            f"user = User.objects.create_user('publisher', password={PASSWORD!r}, is_staff=True)\n"
            "user.groups.add(Group.objects.get(name='Publisher'))\n"
        )
        self.first.start()
        self.second.start()
        self.nginx.upstreams([self.first.port, self.second.port]).start()
        return self

    def stop(self) -> None:
        self.nginx.stop()
        self.second.stop()
        self.first.stop()  # drops the database both shared
        self.redis.stop()
        self.bucket.stop()


def matches(body: str) -> int:
    """How many activities the archive says it lists."""
    return int(re.search(r'class="result-count"[^>]*>\s*(\d+)', body).group(1))


@pytest.fixture
def cluster(tmp_path):
    built = Cluster(tmp_path)
    try:
        yield built.start()
    finally:
        built.stop()


def photo_urls(body: str) -> set[str]:
    return set(re.findall(r'src="(http://127\.0\.0\.1:\d+/media/[^"]+)"', body))


def test_an_edit_through_one_server_is_seen_at_once_through_the_other(cluster):
    first, second, nginx = cluster.first, cluster.second, cluster.nginx
    conferences = "/ja/activities/?kind=conference"
    # Every page as it was, on both servers and through the proxy (and so cached).
    before = {}
    for server in (first, second, nginx):
        record = server.get(RECORD).body
        assert "外務省" in record
        before[server] = photo_urls(record), matches(server.get(conferences).body)
        assert matches(server.get("/ja/activities/?q=新しい題名").body) == 0
    shown, counted = before[nginx]
    assert shown and all(before[server] == (shown, counted) for server in (first, second))

    staff = StaffBrowser(first, "publisher", PASSWORD)
    activity = json.loads(
        first.shell(
            "import json\nfrom activities.models import Activity\n"
            f"print(json.dumps(Activity.objects.get(slug={MOFA!r}).pk))"
        ).strip()
    )
    path = f"/admin/activities/activity/{activity}/change/"
    form = staff.form(path, "activity_form")
    assert form["kind"] != ["conference"]
    form["title_ja"] = ["新しい題名"]
    form["kind"] = ["conference"]
    form["photos-0-caption_ja"] = ["新しいキャプション"]
    # And a photo added, uploaded through this server into the shared bucket.
    n = int(form["photos-TOTAL_FORMS"][0])
    form["photos-TOTAL_FORMS"] = [str(n + 1)]
    form |= {f"photos-{n}-alt_text_ja": ["新しい写真"], f"photos-{n}-order": ["9"]}
    upload = {f"photos-{n}-image": ("新しい写真.jpg", jpeg_bytes(640, 480, "teal"))}
    answer = staff.post(path, form, files=upload)
    assert answer.status == 302, answer.body[:2000]

    for server in (second, nginx, first):
        record = server.get(RECORD).body
        assert "新しい題名" in record and "新しいキャプション" in record
        assert 'alt="新しい写真"' in record
        assert len(photo_urls(record) - shown) >= 1, "the new photo, at its own address"
        assert matches(server.get(conferences).body) == counted + 1
        assert matches(server.get("/ja/activities/?q=新しい題名").body) == 1
    # Every photo the record shows is served by nginx from the shared bucket.
    for url in photo_urls(nginx.get(RECORD).body):
        answer = nginx.get(url.split(str(nginx.port), 1)[1])
        assert answer.status == 200, url
        assert answer.headers["content-type"] in ("image/jpeg", "image/webp")
    # Visitors read photos through the proxy, never write or list the bucket.
    for method in ("PUT", "DELETE", "POST"):
        assert request(nginx.port, method, "/media/photos/x.jpg", body=b"x").status == 404
    assert "photos/x.jpg" not in cluster.bucket.objects()
    for listing in ("/media/", "/media/photos/", "/media/?list-type=2"):
        assert nginx.get(listing).status == 404, listing
    # A query string asks the bucket nothing else (?acl, ?tagging): the photo itself.
    asked = nginx.get(url.split(str(nginx.port), 1)[1] + "?acl")
    assert asked.status == 200 and asked.headers["content-type"].startswith("image/")
    assert nginx.get("/media/photos/no-such-photo.jpg").status == 404
    assert not first.server_errors() and not second.server_errors()


def test_a_server_stopped_gracefully_loses_no_request(cluster):
    nginx = cluster.nginx
    paths = ["/ja/", "/ja/activities/", RECORD, "/ja/statistics/", "/healthz"]
    statuses: list[int] = []
    stop = threading.Event()

    def visitor(number: int) -> None:
        n = number
        while not stop.is_set():
            # A query string of its own: the page cache does not answer every one.
            path = paths[n % len(paths)]
            statuses.append(request(nginx.port, "GET", f"{path}?v={n}").status)
            n += 7

    visitors = [threading.Thread(target=visitor, args=(n,)) for n in range(4)]
    for thread in visitors:
        thread.start()
    time.sleep(2)
    served_before = len(statuses)
    cluster.first.terminate()  # SIGTERM: gunicorn finishes what it has, takes no more
    time.sleep(3)
    stop.set()
    for thread in visitors:
        thread.join(30)

    assert served_before > 0 and len(statuses) > served_before
    assert [s for s in statuses if s != 200 and s != 404] == []
    assert cluster.second.get("/healthz").status == 200


def test_the_load_test_through_the_proxy_has_no_errors(cluster):
    """`make loadtest URL=…` against the cluster: good and malformed URLs from
    several connections at once, through nginx to both servers."""
    before = len(cluster.first.access_entries()), len(cluster.second.access_entries())
    load = subprocess.run(
        [
            sys.executable,
            "bench/loadtest.py",
            "--url",
            f"http://127.0.0.1:{cluster.nginx.port}",
            "--duration",
            "8",
            "--connections",
            "4",
            "--min-requests",
            "100",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert load.returncode == 0, load.stdout + load.stderr
    # Both servers took a share of it.
    after = len(cluster.first.access_entries()), len(cluster.second.access_entries())
    assert after[0] > before[0] + 20 and after[1] > before[1] + 20, (before, after)
