"""Staff saving at the same moment: nothing fails, nothing is silently lost.

Real concurrent requests: the site served by gunicorn (three worker processes) on
a database of its own, staff signed in through the admin's login form, each save
posted from the form as the page gave it, all of a round at the same moment.
"""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.servers import ServedArchive, StaffBrowser

pytestmark = pytest.mark.slow

PASSWORD = "concurrent-saves-1"
MOFA = "2020-02-28-mofa-climate-change-division"


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    served = ServedArchive(tmp_path_factory.mktemp("concurrency"), workers=3)
    try:
        served.manage("migrate", "--noinput", "-v", "0")
        served.manage("load_demo")
        served.shell(
            # Publishers: the record they change together is public, which an
            # Editor changes only through a proposed change (tests/test_review.py).
            "from django.contrib.auth.models import Group, User\n"
            "publishers = Group.objects.get(name='Publisher')\n"
            "for n in range(4):\n"
            f"    user = User.objects.create_user(f'staff{{n}}', password={PASSWORD!r},"
            " is_staff=True)\n"
            "    user.groups.add(publishers)\n"
        )
        yield served.start()
    finally:
        served.stop()


def query(archive: ServedArchive, code: str):
    """The JSON that ``code`` prints, run in the archive's database."""
    return json.loads(archive.shell(code).strip().splitlines()[-1])


def at_once(posts: list[tuple[StaffBrowser, str, dict]]) -> list:
    """Post each form from a thread of its own, all at the same moment."""
    barrier = threading.Barrier(len(posts))

    def post(job: tuple[StaffBrowser, str, dict]):
        browser, path, data = job
        barrier.wait()
        return browser.post(path, data)

    with ThreadPoolExecutor(len(posts)) as pool:
        return list(pool.map(post, posts))


def test_organizations_saved_at_the_same_moment_are_all_saved(archive) -> None:
    orgs = query(
        archive,
        "import json\nfrom activities.models import Organization\n"
        "print(json.dumps(list(Organization.objects.order_by('pk').values_list('pk', flat=True))))",
    )
    mine, parents = orgs[:4], orgs[4:8]
    staff = [StaffBrowser(archive, f"staff{n}", PASSWORD) for n in range(4)]

    def save(n: int, round_: int) -> tuple[StaffBrowser, str, dict]:
        path = f"/admin/activities/organization/{mine[n]}/change/"
        data = staff[n].form(path, "organization_form")
        data["name_ja"] = [f"組織{n}の{round_}回目"]
        # Every other save moves the organization under another one, or back.
        data["parent"] = [str(parents[n])] if round_ % 2 else [""]
        return staff[n], path, data

    for round_ in range(16):
        statuses = [answer.status for answer in at_once([save(n, round_) for n in range(4)])]
        assert statuses == [302] * 4, f"round {round_}: {statuses}"

    saved = query(
        archive,
        "import json\nfrom activities.models import Organization, OrganizationAncestor\n"
        "orgs = Organization.objects.all()\n"
        "print(json.dumps({"
        "'names': {o.pk: o.name_ja for o in orgs}, "
        "'parents': {o.pk: o.parent_id for o in orgs}, "
        "'ancestors': sorted(OrganizationAncestor.objects.values_list("
        "'organization_id', 'ancestor_id'))}))",
    )
    for n in range(4):
        assert saved["names"][str(mine[n])] == f"組織{n}の15回目"
        assert saved["parents"][str(mine[n])] == parents[n]
    # The ancestor table is exactly the parent chains as saved.
    parent_of = {int(pk): parent for pk, parent in saved["parents"].items()}
    expected = []
    for pk in parent_of:
        current = pk
        while current is not None:
            expected.append([pk, current])
            current = parent_of[current]
    assert saved["ancestors"] == sorted(expected)
    assert not archive.server_errors()


def test_an_activity_and_its_photo_saved_at_the_same_moment_lose_nothing(archive) -> None:
    """Each round, one colleague saves the activity form (its title and a photo's
    caption or order, inline) while another saves that photo on its own page or in
    the photo list, both opened before either save: one of them is saved whole,
    the other is refused with a message — never both, never half of one."""
    ids = query(
        archive,
        "import json\nfrom activities.models import Activity\n"
        f"a = Activity.objects.get(slug={MOFA!r})\n"
        "print(json.dumps([a.pk, a.photos.order_by('order', 'pk').first().pk]))",
    )
    activity, photo = ids
    alice = StaffBrowser(archive, "staff0", PASSWORD)
    bob = StaffBrowser(archive, "staff1", PASSWORD)
    activity_path = f"/admin/activities/activity/{activity}/change/"
    photo_path = f"/admin/activities/photo/{photo}/change/"
    list_path = "/admin/activities/photo/"

    for round_ in range(10):
        on_list = round_ % 2 == 1
        form = alice.form(activity_path, "activity_form")
        row = next(
            name.split("-")[1]
            for name, value in form.items()
            if name.startswith("photos-") and name.endswith("-id") and value == [str(photo)]
        )
        form["title_ja"] = [f"題名{round_}"]
        if on_list:
            form[f"photos-{row}-order"] = [str(100 + round_)]
            other = bob.form(list_path, "changelist-form")
            index = next(
                name.split("-")[1]
                for name, value in other.items()
                if name.endswith("-id") and value == [str(photo)]
            )
            other[f"form-{index}-order"] = [str(200 + round_)]
            other["_save"] = ["1"]
            other_path = list_path
        else:
            form[f"photos-{row}-caption_ja"] = [f"活動の画面で{round_}"]
            other = bob.form(photo_path, "photo_form")
            other["caption_ja"] = [f"写真の画面で{round_}"]
            other_path = photo_path

        answers = at_once([(alice, activity_path, form), (bob, other_path, other)])
        assert all(answer.status in (200, 302) for answer in answers), [a.status for a in answers]
        state = query(
            archive,
            "import json\nfrom activities.models import Activity, Photo\n"
            f"a = Activity.objects.get(pk={activity})\np = Photo.objects.get(pk={photo})\n"
            "print(json.dumps([a.title_ja, p.caption_ja, p.order]))",
        )
        title, caption, order = state
        activity_won = title == f"題名{round_}"
        if on_list:
            other_won = order == 200 + round_
            assert activity_won != other_won, f"round {round_}: {state}"
            assert order == (100 + round_ if activity_won else 200 + round_)
        else:
            other_won = caption == f"写真の画面で{round_}"
            assert activity_won != other_won, f"round {round_}: {state}"
            assert caption == (f"活動の画面で{round_}" if activity_won else f"写真の画面で{round_}")
        loser, loser_path = (bob, other_path) if activity_won else (alice, activity_path)
        refused = answers[1] if activity_won else answers[0]
        if refused.status == 302:
            # Lost the race inside the database: back to the form, with a message.
            refused = loser.get(refused.headers["location"])
        assert "保存されていません" in refused.body, f"round {round_}: no message for the loser"

    assert not archive.server_errors()


def test_partners_of_the_same_name_added_at_the_same_moment_are_all_saved(archive) -> None:
    """Each round, four colleagues add a partner of the same Japanese name at once,
    leaving its URL name blank: every one is saved, each with a slug of its own."""
    staff = [StaffBrowser(archive, f"staff{n}", PASSWORD) for n in range(4)]
    path = "/admin/activities/organization/add/"

    for round_ in range(8):
        posts = []
        for browser in staff:
            data = browser.form(path, "organization_form")
            data.update(name_ja=[f"同名の相手先{round_}"], slug=[""], kind=["ngo"])
            posts.append((browser, path, data))
        statuses = [answer.status for answer in at_once(posts)]
        assert statuses == [302] * 4, f"round {round_}: {statuses}"

    slugs = query(
        archive,
        "import json\nfrom activities.models import Organization\n"
        "rows = Organization.objects.filter(name_ja__startswith='同名の相手先')\n"
        "print(json.dumps(sorted(rows.values_list('name_ja', 'slug'))))",
    )
    for round_ in range(8):
        made = sorted(slug for name, slug in slugs if name == f"同名の相手先{round_}")
        base = f"doumei-no-aitesaki-{round_}"
        assert made == [base, f"{base}-2", f"{base}-3", f"{base}-4"]
    assert not archive.server_errors()
