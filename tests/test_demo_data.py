"""The demo archive loaded by ``manage.py load_demo``: Saitama City's eight records."""

from __future__ import annotations

import datetime
import io
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db.models import Q
from PIL import Image

from activities.management.commands.load_demo import Loader
from activities.models import (
    Activity,
    ActivityLink,
    Attendance,
    Department,
    Organization,
    Participant,
    Photo,
    Theme,
)

pytestmark = pytest.mark.django_db

PARTNER_HOME_PAGES = {
    "https://www.mofa.go.jp/mofaj/",
    "https://www.env.go.jp/",
    "https://iclei.org/",
    "https://japan.iclei.org/",
    "https://eastasia.iclei.org/",
    "https://www.city.saitama.lg.jp/",
}


def load_demo(*args: str) -> str:
    out = io.StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def database_snapshot() -> dict[str, list[dict]]:
    """Every row of every table of the app, through tables included."""
    app_models = apps.get_app_config("activities").get_models(include_auto_created=True)
    return {
        model._meta.db_table: list(model._default_manager.order_by("pk").values())
        for model in app_models
    }


def media_snapshot() -> dict[str, tuple[int, int]]:
    root = Path(settings.MEDIA_ROOT)
    return {
        str(path.relative_to(root)): (path.stat().st_size, path.stat().st_mtime_ns)
        for path in root.rglob("*")
        if path.is_file()
    }


def test_eight_activities_are_published_with_a_fixed_date() -> None:
    load_demo()

    published = Activity.objects.published()
    assert published.count() == 8
    assert Activity.objects.count() == 8
    assert {a.published_at for a in published} == {
        datetime.datetime(2020, 3, 10, 0, 0, tzinfo=datetime.timezone.utc)
    }
    assert list(published.values_list("start_date", flat=True)) == [
        datetime.date(2020, 2, 28),
        datetime.date(2019, 10, 30),
        datetime.date(2019, 3, 13),
        datetime.date(2018, 10, 23),
        datetime.date(2018, 10, 22),
        datetime.date(2017, 6, 4),
        datetime.date(2013, 8, 31),
        datetime.date(2013, 7, 21),
    ]


def test_records_carry_the_page_update_date_as_last_updated() -> None:
    load_demo()
    assert set(Activity.objects.values_list("updated_at", flat=True)) == {
        datetime.datetime(2020, 3, 10, 0, 0, tzinfo=datetime.timezone.utc)
    }


def test_slugs_are_stable_readable_ascii() -> None:
    load_demo()

    assert set(Activity.objects.values_list("slug", flat=True)) == {
        "2020-02-28-mofa-climate-change-division",
        "2019-10-30-iclei-japan-courtesy-call",
        "2019-03-13-request-to-environment-minister",
        "2018-10-23-iclei-world-secretariat-agreement",
        "2018-10-22-renewable-energy-conference-basel-freiburg",
        "2017-06-04-world-transport-convention-beijing",
        "2013-08-31-ecomobility-2013-suwon",
        "2013-07-21-iclei-membership",
    }
    slugs = [
        *Organization.objects.values_list("slug", flat=True),
        *Theme.objects.values_list("slug", flat=True),
    ]
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug) for slug in slugs), slugs


@pytest.mark.parametrize("again", [(), ("--reset",)], ids=["plain", "reset"])
def test_loading_twice_leaves_the_same_rows_and_files(again: tuple[str, ...]) -> None:
    first_output = load_demo()
    rows, files = database_snapshot(), media_snapshot()

    second_output = load_demo(*again)

    assert database_snapshot() == rows
    # Same names, sizes and modification times: no image was written again.
    assert media_snapshot() == files
    assert len(files) == 14
    assert "(0 rows and 0 image files written)" in second_output
    assert "14 image files written" in first_output


def test_summary_line_counts_what_was_loaded() -> None:
    output = load_demo()

    assert output.startswith("Demo archive: 8 activities, 13 people, 13 partners, 14 photos")
    assert Participant.objects.count() == 13
    assert Organization.objects.count() == 13
    assert Photo.objects.count() == 14


def test_a_lost_photo_file_is_made_again_without_a_new_row() -> None:
    load_demo()
    photo = Photo.objects.get(activity__slug="2019-03-13-request-to-environment-minister")
    photo.image.storage.delete(photo.image.name)

    output = load_demo()

    assert "1 image files written" in output
    assert Photo.objects.count() == 14
    photo = Photo.objects.get(activity__slug="2019-03-13-request-to-environment-minister")
    assert photo.image.storage.exists(photo.image.name)


def test_the_mayor_is_one_person_with_the_title_he_held_each_time() -> None:
    load_demo()

    mayor = Participant.objects.get(name__startswith="清水")
    assert mayor.name == "清水勇人"
    assert not Participant.objects.filter(name__contains=" ").exists()
    attendances = Attendance.objects.filter(participant=mayor).select_related("activity")
    assert sorted(a.activity.start_date.isoformat() for a in attendances) == [
        "2013-07-21",
        "2013-08-31",
        "2018-10-22",
        "2018-10-23",
        "2019-03-13",
        "2019-10-30",
    ]
    assert {(a.title, a.role) for a in attendances} == {("さいたま市長", "delegation")}


def test_a_former_minister_keeps_the_title_he_held_on_the_day() -> None:
    load_demo()

    attendance = Attendance.objects.get(
        activity__slug="2019-03-13-request-to-environment-minister", participant__name="原田義昭"
    )
    assert attendance.display_title == "環境大臣"
    assert attendance.participant.title == "元環境大臣"
    assert attendance.role == Attendance.Role.COUNTERPART


def test_gino_van_begin_is_one_record_however_the_page_spells_him() -> None:
    load_demo()

    assert not Participant.objects.filter(name__contains="ベキン").exists()
    gino = Participant.objects.get(name__contains="ヴァン")
    assert gino.name == "ジノ・ヴァン・ベギン"
    assert gino.organization.slug == "iclei"
    assert list(gino.activities.values_list("slug", flat=True)) == [
        "2018-10-23-iclei-world-secretariat-agreement"
    ]
    assert gino.photos.get().caption == "イクレイ世界事務局長 ジノ・ヴァン・ベギン氏(左)との会談"


def test_unnamed_officials_are_recorded_by_their_post() -> None:
    load_demo()

    activity = Activity.objects.get(slug="2020-02-28-mofa-climate-change-division")
    assert [
        (a.participant.name, a.display_title, a.role)
        for a in activity.attendances.select_related("participant")
    ] == [
        ("", "さいたま市未来都市推進部 副参事", "delegation"),
        ("", "外務省気候変動課長", "counterpart"),
    ]


def test_courtesy_call_lists_host_then_visitors() -> None:
    load_demo()

    activity = Activity.objects.get(slug="2019-10-30-iclei-japan-courtesy-call")
    assert [
        (a.participant.name, a.role) for a in activity.attendances.select_related("participant")
    ] == [("清水勇人", "delegation"), ("浜中裕徳", "visitor"), ("内田東吾", "visitor")]
    venue = activity.venues.get()
    assert (venue.name, venue.country.code) == ("さいたま市役所", "JP")


def test_2018_has_exactly_two_activities() -> None:
    load_demo()

    assert set(
        Activity.objects.published().filter(start_date__year=2018).values_list("slug", flat=True)
    ) == {
        "2018-10-23-iclei-world-secretariat-agreement",
        "2018-10-22-renewable-energy-conference-basel-freiburg",
    }


def test_date_ranges_end_on_the_right_day() -> None:
    load_demo()

    ranges = {a.slug: (a.start_date, a.end_date) for a in Activity.objects.all()}
    assert all(end is None or end >= start for start, end in ranges.values())
    multi_day = {slug: end for slug, (_, end) in ranges.items() if end is not None}
    assert multi_day == {
        "2018-10-22-renewable-energy-conference-basel-freiburg": datetime.date(2018, 10, 25),
        "2017-06-04-world-transport-convention-beijing": datetime.date(2017, 6, 6),
        "2013-08-31-ecomobility-2013-suwon": datetime.date(2013, 9, 2),
    }


def test_every_activity_names_the_department_with_phone_and_fax() -> None:
    load_demo()

    department = Department.objects.get()
    assert department.name == "都市戦略本部 未来都市推進部 環境未来都市推進担当"
    assert (department.phone, department.fax) == ("048-829-1457", "048-829-1997")
    assert department.inquiry_url == "https://www.city.saitama.lg.jp/"
    assert not Activity.objects.exclude(department=department).exists()


def test_iclei_activities_include_its_japan_office() -> None:
    load_demo()

    iclei = Organization.objects.get(slug="iclei")
    with_iclei = Activity.objects.filter(Q(partners=iclei) | Q(partners__parent=iclei)).distinct()
    assert set(with_iclei.values_list("slug", flat=True)) == {
        "2019-10-30-iclei-japan-courtesy-call",
        "2018-10-23-iclei-world-secretariat-agreement",
        "2013-08-31-ecomobility-2013-suwon",
        "2013-07-21-iclei-membership",
    }


def test_only_the_two_ministry_activities_have_a_national_government_partner() -> None:
    load_demo()

    national = Activity.objects.filter(
        partners__kind=Organization.Kind.NATIONAL_GOVERNMENT
    ).distinct()
    assert set(national.values_list("slug", flat=True)) == {
        "2020-02-28-mofa-climate-change-division",
        "2019-03-13-request-to-environment-minister",
    }
    division = Organization.objects.get(slug="mofa-climate-change-division")
    assert division.parent.name == "外務省 国際協力局"
    assert division.parent.parent.slug == "mofa"
    assert Organization.objects.get(slug="jetro-dusseldorf").parent.slug == "jetro"


def test_world_transport_convention_names_no_partner() -> None:
    load_demo()

    activity = Activity.objects.get(slug="2017-06-04-world-transport-convention-beijing")
    assert not activity.partners.exists()
    assert activity.venues.get().country.code == "CN"


def test_bodies_are_the_page_text_without_arrows_or_link_sentences() -> None:
    load_demo()

    for activity in Activity.objects.all():
        assert activity.title and activity.summary and activity.body, activity.slug
        for leftover in ("↑", "↓", "ツイッター", "でも紹介しています", "こちら", "<", "\n\n\n"):
            assert leftover not in activity.body, (activity.slug, leftover)
    bonn = Activity.objects.get(slug="2018-10-23-iclei-world-secretariat-agreement")
    assert bonn.body.split("\n\n") == [
        "ドイツ・ボン市を拠点とする「イクレイ世界事務局」を市長が訪問しました。",
        "イクレイ世界事務局長のジノ・ヴァン・ベキン氏と面会し、本市の取組を紹介するほか、"
        "2021年度に開催予定の「(仮称)E-KIZUNAグローバルサミット」に向けて協力を要請。"
        "イクレイとさいたま市における相互協力に関する協定を締結しました。",
    ]


def test_links_go_only_to_partner_home_pages() -> None:
    load_demo()

    assert set(ActivityLink.objects.values_list("url", flat=True)) <= PARTNER_HOME_PAGES
    mofa_visit = Activity.objects.get(slug="2020-02-28-mofa-climate-change-division")
    assert list(mofa_visit.links.values_list("label", "url")) == [
        ("外務省ホームページ", "https://www.mofa.go.jp/mofaj/"),
        ("さいたま市ホームページ", "https://www.city.saitama.lg.jp/"),
    ]


def test_every_photo_is_a_real_image_marked_as_a_placeholder() -> None:
    load_demo()

    # Read from the rows: a loaded photo with no stored size would measure its file.
    assert set(Photo.objects.values_list("width", "height")) == {(1200, 800)}
    photos = list(Photo.objects.all())
    assert len(photos) == 14
    for photo in photos:
        with photo.image.open("rb") as f, Image.open(f) as image:
            assert (image.format, image.size) == ("JPEG", (1200, 800))
        assert photo.credit == "仮画像（実際の写真ではありません）"
        assert photo.alt_text.startswith("仮画像（") and photo.alt_text.endswith("の代わり）")
        assert photo.caption and "↑" not in photo.caption
        assert not photo.is_decorative


def test_photo_galleries_follow_the_page() -> None:
    load_demo()

    per_activity = {
        a.slug: [p.caption for p in a.photos.all()]
        for a in Activity.objects.prefetch_related("photos")
    }
    assert {slug: len(captions) for slug, captions in per_activity.items()} == {
        "2020-02-28-mofa-climate-change-division": 1,
        "2019-10-30-iclei-japan-courtesy-call": 1,
        "2019-03-13-request-to-environment-minister": 1,
        "2018-10-23-iclei-world-secretariat-agreement": 2,
        "2018-10-22-renewable-energy-conference-basel-freiburg": 4,
        "2017-06-04-world-transport-convention-beijing": 1,
        "2013-08-31-ecomobility-2013-suwon": 2,
        "2013-07-21-iclei-membership": 2,
    }
    assert per_activity["2018-10-22-renewable-energy-conference-basel-freiburg"][0] == (
        "バーゼル市長(兼市議会議員) ルーカス・オット氏(右)との面会"
    )


def test_people_named_in_a_caption_are_linked_to_the_photo() -> None:
    load_demo()

    minister_photo = Photo.objects.get(activity__slug="2019-03-13-request-to-environment-minister")
    assert set(minister_photo.people.values_list("name", flat=True)) == {"原田義昭", "清水勇人"}
    signing = Photo.objects.get(caption="イクレイとの協定締結の様子")
    assert not signing.people.exists()
    mayor = Participant.objects.get(name="清水勇人")
    assert mayor.photos.count() == 6


def test_themes_have_japanese_names_and_descriptions() -> None:
    load_demo()

    assert dict(Theme.objects.values_list("slug", "name")) == {
        "decarbonization": "脱炭素",
        "electric-mobility": "電動モビリティ",
        "smart-city": "スマートシティ",
        "renewable-energy": "再生可能エネルギー",
        "sustainable-transport": "持続可能な交通",
        "economic-cooperation": "経済交流",
    }
    assert all(theme.description.endswith("。") for theme in Theme.objects.all())
    assert not Theme.objects.filter(activities=None).exists()


def test_a_failed_load_leaves_no_rows_and_no_image_files(monkeypatch) -> None:
    original = Loader.load_photos
    loaded: list[str] = []

    def fail_on_the_third_activity(self, activity, *args, **kwargs) -> None:
        original(self, activity, *args, **kwargs)
        loaded.append(activity.slug)
        if len(loaded) == 3:
            raise RuntimeError("disk full")

    monkeypatch.setattr(Loader, "load_photos", fail_on_the_third_activity)

    with pytest.raises(RuntimeError):
        load_demo()

    assert not Activity.objects.exists()
    assert not Photo.objects.exists()
    assert media_snapshot() == {}


def test_loading_again_keeps_edits_made_in_admin() -> None:
    load_demo()
    activity = Activity.objects.get(slug="2013-07-21-iclei-membership")
    activity.title = "イクレイへの加盟（編集済み）"
    activity.save()
    activity.links.create(label="extra", url="https://example.org/", order=9)
    activity.themes.clear()
    Theme.objects.filter(slug="smart-city").update(name="スマートシティ（編集済み）")

    load_demo()

    activity.refresh_from_db()
    assert activity.title == "イクレイへの加盟（編集済み）"
    assert "extra" in activity.links.values_list("label", flat=True)
    assert not activity.themes.exists()
    assert Theme.objects.get(slug="smart-city").name == "スマートシティ（編集済み）"


def test_reset_restores_a_demo_activity_to_the_demo_content(
    django_capture_on_commit_callbacks,
) -> None:
    load_demo()
    activity = Activity.objects.get(slug="2013-07-21-iclei-membership")
    extra = Photo.objects.create(
        activity=activity, order=9, alt_text="extra", image=ContentFile(b"x", name="extra.jpg")
    )
    activity.links.create(label="extra", url="https://example.org/", order=9)
    activity.attendances.update(title="edited")
    activity.themes.clear()

    with django_capture_on_commit_callbacks(execute=True):
        load_demo("--reset")

    assert not Photo.objects.filter(pk=extra.pk).exists()
    assert not extra.image.storage.exists(extra.image.name)
    assert list(activity.links.values_list("label", flat=True)) == ["さいたま市ホームページ"]
    assert set(activity.attendances.values_list("title", flat=True)) == {
        "さいたま市長",
        "イクレイ世界事務局次長",
    }
    assert list(activity.themes.values_list("slug", flat=True)) == ["decarbonization"]
