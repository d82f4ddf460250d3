"""The demo archive loaded by ``manage.py load_demo``: Saitama City's eight records,
in Japanese and English."""

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
from django.core.management.base import CommandError
from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import translation
from modeltranslation.translator import translator
from PIL import Image

from activities.demo import ARCHIVE, DemoDataError, read_archive
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
    Venue,
)
from tests.factories import jpeg_bytes

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


# Kana, kanji and full-width forms: none belongs in an English text.
JAPANESE_SCRIPT = re.compile(r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")


def app_models() -> list[type]:
    """The app's tables: not SQLite's full-text index (SearchEntry), which the
    migrations make and the search documents fill."""
    models = apps.get_app_config("activities").get_models(include_auto_created=True)
    return [model for model in models if model._meta.managed]


def database_snapshot() -> dict[str, list[dict]]:
    """Every column of every row of every table of the app, through tables included.

    Read with SQL rather than the ORM, whose queries modeltranslation rewrites to the
    active language: here both languages' columns and the untranslated one are seen."""
    snapshot = {}
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in app_models():
            table, pk = model._meta.db_table, model._meta.pk.column
            cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY {quote(pk)}")
            columns = [column[0] for column in cursor.description]
            snapshot[table] = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    return snapshot


def content_snapshot() -> dict[str, list[dict]]:
    """The database snapshot with each primary and foreign key replaced by the row's
    place in its table, so loads into empty tables compare equal whatever keys the
    database handed out. Columns naming files are left out: storage picks the names.
    Many-to-many rows are sets: Django adds them in no particular order, so they are
    compared without their keys, sorted."""
    snapshot = database_snapshot()
    through = {
        field.remote_field.through
        for model in app_models()
        for field in model._meta.local_many_to_many
    }
    for model in app_models():
        file_columns = {
            field.column
            for field in model._meta.concrete_fields
            if isinstance(field, models.FileField) or field.name == "renditions"
        }
        for row in snapshot[model._meta.db_table]:
            for column in file_columns:
                del row[column]
    places = {
        model._meta.db_table: {
            row[model._meta.pk.column]: place
            for place, row in enumerate(snapshot[model._meta.db_table])
        }
        for model in app_models()
    }
    for model in app_models():
        keys = {model._meta.pk.column: model._meta.db_table}
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model._meta.db_table in places:
                keys[field.column] = field.related_model._meta.db_table
        rows = snapshot[model._meta.db_table]
        for row in rows:
            for column, table in keys.items():
                if row[column] is not None:
                    row[column] = places[table][row[column]]
        if model in through:
            for row in rows:
                del row[model._meta.pk.column]
            rows.sort(key=lambda row: sorted(row.items()))
    return snapshot


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
        datetime.datetime(2020, 3, 10, 0, 0, tzinfo=datetime.UTC)
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
        datetime.datetime(2020, 3, 10, 0, 0, tzinfo=datetime.UTC)
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
    # Each image with four renditions (320 to 1200 pixels wide) in WebP and JPEG.
    assert len(files) == 14 * 9
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

    mayor = Participant.objects.get(name_ja__startswith="清水")
    assert mayor.name_ja == "清水勇人"
    assert not Participant.objects.filter(name_ja__contains=" ").exists()
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
        activity=activity,
        order=9,
        alt_text="extra",
        image=ContentFile(jpeg_bytes(), name="extra.jpg"),
    )
    activity.links.create(label="extra", url="https://example.org/", order=9)
    activity.attendances.update(title="edited")
    activity.themes.clear()

    with django_capture_on_commit_callbacks(execute=True):
        load_demo("--reset")

    assert not Photo.objects.filter(pk=extra.pk).exists()
    assert not any(extra.image.storage.exists(name) for name in extra.file_names())
    assert list(activity.links.values_list("label", flat=True)) == ["さいたま市ホームページ"]
    assert set(activity.attendances.values_list("title", flat=True)) == {
        "さいたま市長",
        "イクレイ世界事務局次長",
    }
    assert list(activity.themes.values_list("slug", flat=True)) == ["decarbonization"]


# English: every translated field, checked against modeltranslation's own registry.


def translated_models() -> list[type]:
    return [
        model
        for model in translator.get_registered_models(abstract=False)
        if model._meta.app_label == "activities"
    ]


def test_every_translated_field_of_every_demo_row_has_english() -> None:
    load_demo()

    assert {model.__name__ for model in translated_models()} == {
        "Department",
        "Organization",
        "Theme",
        "Venue",
        "Participant",
        "Activity",
        "Attendance",
        "ActivityLink",
        "Photo",
    }
    missing, not_english, invented = [], [], []
    for model in translated_models():
        fields = translator.get_options_for_model(model).fields
        rows = list(model._default_manager.all())
        assert rows, f"the demo has no {model.__name__}"
        for row in rows:
            for field in fields:
                japanese, english = getattr(row, f"{field}_ja"), getattr(row, f"{field}_en")
                where = f"{model.__name__} {row.pk} {field}"
                if not japanese:
                    # Nothing to translate: an unnamed person, a venue with no address.
                    if english:
                        invented.append(where)
                elif not english:
                    missing.append(where)
                elif JAPANESE_SCRIPT.search(english):
                    not_english.append(f"{where}: {english}")
    assert missing == []
    assert not_english == []
    assert invented == []


def test_fields_with_no_japanese_stay_empty_in_english() -> None:
    load_demo()

    unnamed = Participant.objects.filter(name_ja="")
    assert unnamed.count() == 2
    assert set(unnamed.values_list("name_en", flat=True)) == {""}
    assert set(Venue.objects.values_list("address_ja", "address_en")) == {("", "")}
    without_short_name = Organization.objects.filter(short_name_ja="")
    assert set(without_short_name.values_list("short_name_en", flat=True)) == {""}


def test_english_bodies_keep_the_japanese_paragraphs() -> None:
    load_demo()

    for activity in Activity.objects.all():
        japanese, english = activity.body_ja.split("\n\n"), activity.body_en.split("\n\n")
        assert len(english) == len(japanese), activity.slug
        assert all(paragraph.strip() == paragraph and paragraph for paragraph in english)
        assert "\n" not in activity.summary_en and "\n" not in activity.title_en
    bonn = Activity.objects.get(slug="2018-10-23-iclei-world-secretariat-agreement")
    first, second = bonn.body_en.split("\n\n")
    assert first == "The Mayor visited the ICLEI World Secretariat, based in Bonn, Germany."
    assert "Gino Van Begin" in second and "agreement on mutual cooperation" in second


def test_people_have_their_names_and_titles_as_written_in_english() -> None:
    load_demo()

    mayor = Participant.objects.get(name_ja="清水勇人")
    assert (mayor.name_en, mayor.title_en) == ("Hayato Shimizu", "Mayor of Saitama City")
    assert set(mayor.attendances.values_list("title_en", flat=True)) == {"Mayor of Saitama City"}
    gino = Participant.objects.get(name_ja="ジノ・ヴァン・ベギン")
    assert (gino.name_en, gino.title_en) == ("Gino Van Begin", "Secretary General, ICLEI")
    minister = Attendance.objects.get(
        activity__slug="2019-03-13-request-to-environment-minister", participant__name_ja="原田義昭"
    )
    assert minister.title_en == "Minister of the Environment"
    assert minister.participant.title_en == "Former Minister of the Environment"
    activity = Activity.objects.get(slug="2020-02-28-mofa-climate-change-division")
    assert [
        (a.participant.name_en, a.title_en)
        for a in activity.attendances.select_related("participant")
    ] == [
        ("", "Deputy Director, Future City Promotion Department, Saitama City"),
        ("", "Director, Climate Change Division, Ministry of Foreign Affairs of Japan"),
    ]


def test_partners_themes_and_places_have_english_names() -> None:
    load_demo()

    iclei = Organization.objects.get(slug="iclei")
    assert (iclei.name_en, iclei.short_name_en) == (
        "ICLEI – Local Governments for Sustainability",
        "ICLEI",
    )
    assert Organization.objects.get(slug="mofa").name_en == "Ministry of Foreign Affairs of Japan"
    assert dict(Theme.objects.values_list("slug", "name_en")) == {
        "decarbonization": "Decarbonization",
        "electric-mobility": "Electric mobility",
        "smart-city": "Smart city",
        "renewable-energy": "Renewable energy",
        "sustainable-transport": "Sustainable transport",
        "economic-cooperation": "Economic cooperation",
    }
    city_hall = Venue.objects.get(name_ja="さいたま市役所")
    assert (city_hall.name_en, city_hall.city_en) == ("Saitama City Hall", "Saitama")
    assert Department.objects.get().name_en.startswith("Environmental Future City Promotion")


def test_english_titles_say_what_the_activity_was() -> None:
    load_demo()

    titles = dict(Activity.objects.values_list("slug", "title_en"))
    conference = titles["2018-10-22-renewable-energy-conference-basel-freiburg"]
    assert "Local Renewables Conference 2018" in conference
    assert "Basel" in conference and "Freiburg" in conference
    assert titles["2013-07-21-iclei-membership"] == "Joining ICLEI"
    assert titles["2017-06-04-world-transport-convention-beijing"] == (
        "World Transport Convention 2017"
    )


def test_english_photo_texts_and_link_labels() -> None:
    load_demo()

    assert set(Photo.objects.values_list("credit_en", flat=True)) == {
        "Placeholder image (not a real photograph)"
    }
    for photo in Photo.objects.all():
        assert photo.alt_text_en.startswith("Placeholder image (in place of "), photo.pk
        assert photo.caption_en, photo.pk
    minister_photo = Photo.objects.get(activity__slug="2019-03-13-request-to-environment-minister")
    assert "Yoshiaki Harada" in minister_photo.caption_en
    assert "Hayato Shimizu" in minister_photo.caption_en
    mofa_visit = Activity.objects.get(slug="2020-02-28-mofa-climate-change-division")
    assert list(mofa_visit.links.values_list("label_en", flat=True)) == [
        "Ministry of Foreign Affairs of Japan website (in Japanese)",
        "Saitama City website (in Japanese)",
    ]


def test_the_english_site_reads_english_without_falling_back() -> None:
    load_demo()

    with translation.override("en"):
        activity = Activity.objects.get(slug="2013-07-21-iclei-membership")
        assert activity.title == "Joining ICLEI"
        assert activity.body.startswith("The Mayor visited the Deputy Secretary General")
        assert Theme.objects.get(slug="smart-city").name == "Smart city"
        assert [str(a.participant) for a in activity.attendances.all()] == [
            "Hayato Shimizu（Mayor of Saitama City）",
            "Monika Zimmermann（Deputy Secretary General, ICLEI）",
        ]
    with translation.override("ja"):
        assert Activity.objects.get(slug="2013-07-21-iclei-membership").title == "イクレイへの加盟"


@pytest.mark.parametrize("again", [(), ("--reset",)], ids=["plain", "reset"])
@pytest.mark.parametrize("first, second", [("ja", "en"), ("en", "ja")], ids=["ja-en", "en-ja"])
def test_loading_again_in_the_other_language_changes_nothing(
    first: str, second: str, again: tuple[str, ...]
) -> None:
    with translation.override(first):
        load_demo()
    rows, files = database_snapshot(), media_snapshot()

    with translation.override(second):
        output = load_demo(*again)

    assert database_snapshot() == rows
    assert media_snapshot() == files
    assert "(0 rows and 0 image files written)" in output
    assert Activity.objects.count() == 8
    assert Participant.objects.count() == 13


def test_a_load_in_english_gives_the_rows_a_load_in_japanese_gives(settings, tmp_path) -> None:
    with transaction.atomic():
        with translation.override("ja"):
            load_demo()
        in_japanese = content_snapshot()
        transaction.set_rollback(True)
    assert not Activity.objects.exists()
    # The rolled-back load's files are still on disk: a fresh folder gives the same names.
    settings.MEDIA_ROOT = tmp_path / "media-en"

    with translation.override("en"):
        load_demo()

    assert content_snapshot() == in_japanese
    # modeltranslation's untranslated column holds the source language either way.
    themes = database_snapshot()["activities_theme"]
    assert [row["name"] for row in themes] == [row["name_ja"] for row in themes]


# The data file: checked whole before anything is written.

MEMBERSHIP = 'activity "2013-07-21-iclei-membership"'


def edited_archive(tmp_path: Path, old: str, new: str) -> Path:
    """A copy of the shipped archive in ``tmp_path`` with ``old`` (found once) made ``new``."""
    text = ARCHIVE.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path = tmp_path / "archive.toml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


@pytest.mark.parametrize("again", [(), ("--reset",)], ids=["plain", "reset"])
def test_a_broken_archive_stops_the_load_and_changes_nothing(
    tmp_path: Path, again: tuple[str, ...]
) -> None:
    load_demo()
    rows, files = database_snapshot(), media_snapshot()
    archive = edited_archive(tmp_path, 'title = "イクレイへの加盟"\n', "")

    with pytest.raises(CommandError) as raised:
        load_demo("--archive", str(archive), *again)

    assert str(raised.value) == (
        f'The demo archive {archive} cannot be loaded: {MEMBERSHIP}: "title" is missing'
    )
    assert database_snapshot() == rows
    assert media_snapshot() == files


def test_a_broken_archive_loads_nothing_into_an_empty_database(tmp_path: Path) -> None:
    archive = edited_archive(tmp_path, 'kind = "membership"', 'kind = "member"')

    with pytest.raises(CommandError, match=f'{MEMBERSHIP}: "kind" is "member", which is not one'):
        load_demo("--archive", str(archive))

    assert database_snapshot() == {table: [] for table in database_snapshot()}
    assert media_snapshot() == {}


def test_a_missing_archive_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No such file"):
        load_demo("--archive", str(tmp_path / "nowhere.toml"))


@pytest.mark.parametrize(
    "old, new, problem",
    [
        (
            "start_date = 2013-07-21",
            'start_date = "2013-07-21"',
            f'{MEMBERSHIP}: "start_date" should be a date such as 2020-02-28, '
            'not text ("2013-07-21")',
        ),
        (
            'title = "イクレイへの加盟"',
            'titel = "イクレイへの加盟"',
            f'{MEMBERSHIP}: unknown field "titel"',
        ),
        (
            "membership certificate.'''",
            "membership certificate.\n\nAnd a paragraph the Japanese does not have.'''",
            f'{MEMBERSHIP}: "body_en" has 2 paragraphs and "body" 1',
        ),
        (
            "membership certificate.'''",
            "membership certificate.\n'''",
            f'{MEMBERSHIP}: "body_en" starts or ends with a blank line or spaces',
        ),
        (
            'people = ["harada", "shimizu"]',
            'people = ["harada", "shimizu-hayato"]',
            'activity "2019-03-13-request-to-environment-minister", photo 1: '
            '"people" names "shimizu-hayato", which is not in the file',
        ),
        (
            'organization = "djw"',
            'organization = "dwj"',
            'person "munch": "organization" names "dwj", which is not in the file',
        ),
        (
            'parent = "jetro"',
            'parent = "jetro-dusseldorf"',
            'organization "jetro-dusseldorf": "parent" is "jetro-dusseldorf", which is not '
            "the slug of an organization listed before it",
        ),
        (
            "published_at = 2020-03-10T09:00:00+09:00",
            "published_at = 2020-03-10T09:00:00",
            '"published_at" should be a date and time with its offset',
        ),
        ('title = "イクレイへの加盟"', 'title = "イクレイへの加盟', "not valid TOML"),
    ],
    ids=[
        "wrong-type",
        "unknown-field",
        "paragraphs",
        "blank-line",
        "unknown-person",
        "unknown-organization",
        "parent-after-child",
        "no-offset",
        "syntax",
    ],
)
def test_the_archive_check_names_the_record_and_the_field(
    tmp_path: Path, old: str, new: str, problem: str
) -> None:
    with pytest.raises(DemoDataError) as raised:
        read_archive(edited_archive(tmp_path, old, new))

    assert str(raised.value).startswith(problem)
