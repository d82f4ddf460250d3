"""Every way of writing the archive tells every server process: nothing stale is served.

The site runs as in production — gunicorn, three worker processes, DEBUG off — on
the embedded default (each process its own cache, no Redis) and on a database of
its own. Each management command that writes runs in a process of its own, as an
operator runs it; before it, every worker has served (and cached) the page as it
was, and after it, every worker serves the page as it now is.
"""

from __future__ import annotations

import json
import re

import pytest
from django.core.management import get_commands

from tests.servers import ServedArchive

pytestmark = pytest.mark.slow

MOFA = "/ja/activities/2020-02-28-mofa-climate-change-division/"
MOFA_TITLE = "外務省気候変動課への訪問"
ARCHIVE = "/ja/activities/"
SEARCH = "/ja/activities/?q=イクレイ"
ICLEI_TITLE = "イクレイ日本理事長との面会"

# Commands of this project that write nothing a public page shows.
READ_ONLY = {"backup", "ensure_staff_login", "remove_abandoned_uploads"}


def retitle(archive: ServedArchive, title: str) -> None:
    """A colleague's edit, made the way every write path must: through archive_changed()."""
    archive.shell(
        "from django.db import transaction\n"
        "from activities.changes import archive_changed\n"
        "from activities.models import Activity\n"
        "with transaction.atomic():\n"
        "    Activity.objects.filter(slug='2020-02-28-mofa-climate-change-division')"
        f".update(title_ja={title!r})\n"
        "    archive_changed()\n"
    )


def shows(text: str):
    return lambda body: text in body


def lacks(text: str):
    return lambda body: text not in body


def rendition_names(body: str) -> set[str]:
    return set(re.findall(r"/media/photos/[\w/]+-\d+\.webp", body))


@pytest.fixture
def archive(tmp_path):
    served = ServedArchive(tmp_path / "served", workers=3)
    try:
        served.manage("migrate", "--noinput", "-v", "0")
        served.manage("load_demo")
        yield served.start()
    finally:
        served.stop()


def test_every_command_that_writes_makes_every_process_see_the_change(archive, tmp_path):
    tried: set[str] = set()

    # load_demo --reset puts back a demo record a colleague edited.
    retitle(archive, "書き換えた題名")
    archive.on_every_worker(MOFA, shows("書き換えた題名"))
    archive.manage("load_demo", "--reset")
    archive.on_every_worker(MOFA, lambda body: MOFA_TITLE in body and "書き換えた題名" not in body)
    tried.add("load_demo")

    # restore brings back the archive as it was backed up.
    archive.manage("backup", "--output", str(tmp_path / "backup"))
    tried.add("backup")
    retitle(archive, "復元前の題名")
    archive.on_every_worker(MOFA, shows("復元前の題名"))
    archive.manage("restore", str(tmp_path / "backup"), "--noinput")
    archive.on_every_worker(MOFA, lambda body: MOFA_TITLE in body and "復元前の題名" not in body)
    tried.add("restore")

    # rebuild_search_index mends search documents written around the ORM.
    archive.shell(
        "from activities.changes import archive_changed\n"
        "from activities.models import Activity\n"
        "Activity.objects.update(search_document='')\n"
        "archive_changed()\n"
    )
    archive.on_every_worker(SEARCH, lacks(ICLEI_TITLE))
    archive.manage("rebuild_search_index")
    archive.on_every_worker(SEARCH, shows(ICLEI_TITLE))
    tried.add("rebuild_search_index")

    # reprocess_photos gives a photo stored before renditions existed its renditions.
    before = rendition_names(archive.get(MOFA).body)
    assert before
    archive.shell(
        "from activities.changes import archive_changed\n"
        "from activities.models import Activity, Photo\n"
        "photo = Photo.objects.filter(activity__slug='2020-02-28-mofa-climate-change-division')"
        ".first()\n"
        "Photo.objects.filter(pk=photo.pk).update(renditions=[])\n"
        "archive_changed()\n"
    )
    archive.on_every_worker(MOFA, lambda body: not rendition_names(body))
    archive.manage("reprocess_photos")
    archive.on_every_worker(MOFA, lambda body: rendition_names(body) - before)
    tried.add("reprocess_photos")

    # ensure_staff_login writes a staff account, and remove_abandoned_uploads
    # removes photos kept for forms never saved: no public page shows either.
    archive.manage("ensure_staff_login", "--password-file", str(tmp_path / "login"))
    archive.manage("remove_abandoned_uploads")
    tried |= {"ensure_staff_login", "remove_abandoned_uploads"}

    # publish_scheduled publishes a draft whose scheduled time has come.
    archive.shell(
        "from django.db import transaction\n"
        "from django.utils import timezone\n"
        "from activities.changes import archive_changed\n"
        "from activities.models import Activity\n"
        "with transaction.atomic():\n"
        "    Activity.objects.filter(slug='2020-02-28-mofa-climate-change-division')"
        ".update(status='draft', publish_at=timezone.now())\n"
        "    archive_changed()\n"
    )
    archive.on_every_worker(ARCHIVE, lacks(MOFA_TITLE))
    archive.manage("publish_scheduled")
    archive.on_every_worker(ARCHIVE, shows(MOFA_TITLE))
    archive.on_every_worker(MOFA, shows(MOFA_TITLE))
    tried.add("publish_scheduled")

    # Django's loaddata, with a fixture that changes a title.
    dump = json.loads(
        archive.manage(
            "dumpdata", "activities.activity", "--natural-foreign", "--natural-primary"
        ).stdout
    )
    row = next(r for r in dump if r["fields"]["slug"] == "2020-02-28-mofa-climate-change-division")
    row["fields"]["title_ja"] = "読み込んだ題名"
    fixture = tmp_path / "fixture.json"
    fixture.write_text(json.dumps([row], ensure_ascii=False))
    archive.on_every_worker(MOFA, shows(MOFA_TITLE))
    archive.manage("loaddata", str(fixture))
    archive.on_every_worker(MOFA, shows("読み込んだ題名"))

    # Django's flush empties the archive.
    archive.on_every_worker(ARCHIVE, shows(ICLEI_TITLE))
    archive.manage("flush", "--noinput")
    archive.on_every_worker(ARCHIVE, lacks(ICLEI_TITLE))

    # The benchmark's seeder (bench/seed.py) fills an empty database with bulk inserts.
    archive.on_every_worker(ARCHIVE, lacks('<article class="card">'))
    archive.shell("from bench.seed import seed_database\nseed_database(n=30)\n")
    archive.on_every_worker(ARCHIVE, shows('<article class="card">'))

    # build_world_map writes the map's files, not the archive: they come with a
    # release, as the code does (make world-map, then a deploy and collectstatic).
    tried.add("build_world_map")

    assert not archive.server_errors()
    # Every command of the project is accounted for: a new one must be added here.
    ours = {name for name, app in get_commands().items() if app == "activities"}
    assert tried == ours
    assert READ_ONLY <= ours
