"""Full-text search: Japanese by any substring of two characters or more,
English by word, both languages' text and the names of partners, venues and
people; ranked, highlighted, never a draft. Runs on SQLite (FTS5) and on
PostgreSQL (tsvector + GIN) alike."""

from __future__ import annotations

import datetime

import pytest

from activities import search
from tests.factories import (
    ActivityFactory,
    AttendanceFactory,
    OrganizationFactory,
    ParticipantFactory,
    ThemeFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive():
    iclei = OrganizationFactory(name_ja="イクレイ", name_en="ICLEI", slug="iclei")
    environment = ActivityFactory(
        slug="environment",
        title_ja="原田環境大臣への要望",
        title_en="Request to the Minister of the Environment",
        summary_ja="脱炭素化に向けた支援を要望しました。",
        body_ja="持続可能な脱炭素社会の実現に向けて、市長が要望書を提出しました。",
        body_en="The mayor handed over a written request for a decarbonized society.",
        start_date=datetime.date(2019, 3, 13),
    )
    membership = ActivityFactory(
        slug="membership",
        title_ja="イクレイへの加盟",
        title_en="Joining ICLEI",
        summary_ja="会員証を授与されました。",
        body_ja="イクレイ世界事務局次長を訪問しました。",
        start_date=datetime.date(2013, 7, 21),
        partners=[iclei],
    )
    bonn = ActivityFactory(
        slug="bonn",
        title_ja="世界事務局長と面会",
        title_en="Meeting the Secretary General",
        summary_ja="協定を締結しました。",
        body_ja="本市の取組を紹介しました。",
        start_date=datetime.date(2018, 10, 23),
        venues=[VenueFactory(name_ja="世界事務局", name_en="World Secretariat", city_ja="ボン")],
    )
    AttendanceFactory(
        activity=bonn,
        participant=ParticipantFactory(name_ja="ジノ・ヴァン・ベギン", name_en="Gino Van Begin"),
        title_ja="イクレイ世界事務局長",
    )
    ActivityFactory(
        slug="draft",
        draft=True,
        title_ja="環境とイクレイの下書き",
        body_ja="市長 環境 イクレイ",
        partners=[iclei],
    )
    return {"environment": environment, "membership": membership, "bonn": bonn}


def found(client, q: str, lang: str = "ja") -> list[str]:
    response = client.get(f"/{lang}/activities/", {"q": q})
    assert response.status_code == 200
    return [a.slug for a in response.context["activities"]]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("環境", {"environment"}),  # two characters inside 原田環境大臣
        ("イクレイ", {"membership", "bonn"}),  # the partner's name and a title at the time
        ("市長", {"environment"}),  # inside the body
        ("脱炭素", {"environment"}),
        ("事務局長", {"bonn"}),
        ("ボン", {"bonn"}),  # the venue's city
        ("ベギン", {"bonn"}),  # a person's name
        ("iclei", {"membership"}),  # English name of the partner
        ("ＩＣＬＥＩ", {"membership"}),  # full-width letters
        ("Minister", {"environment"}),  # English text, any case
        ("gino", {"bonn"}),
        ("環境 市長", {"environment"}),  # AND
        ("環境 OR 加盟", {"environment", "membership"}),
        # OR joins two words, and the group is ANDed with the rest: environment
        # says 環境 but not イクレイ.
        ("環境 OR 加盟 イクレイ", {"membership"}),
        ("イクレイ 環境 OR 加盟", {"membership"}),
        ("イクレイ -加盟", {"bonn"}),
        ('"事務局次長"', {"membership"}),
        ("存在しない語", set()),
    ],
)
def test_search_finds(client, archive, q, expected):
    assert set(found(client, q)) == expected


@pytest.mark.parametrize("q", ["-1", "-市長", "!!!", '-"環境"'])
def test_a_search_with_nothing_to_look_for_is_ignored_with_a_message(client, archive, q):
    response = client.get("/ja/activities/", {"q": q})
    assert response.status_code == 200
    assert len(response.context["activities"]) == 3
    assert [label for label, _value in response.context["ignored_filters"]] == ["キーワード検索"]


def test_search_never_finds_a_draft(client, archive):
    assert "draft" not in found(client, "下書き")
    assert found(client, "下書き") == []


def test_search_is_the_same_in_both_languages(client, archive):
    assert found(client, "イクレイ", "ja") == found(client, "イクレイ", "en")


def test_search_combines_with_filters(client, archive):
    assert found(client, "イクレイ") and set(found(client, "イクレイ")) == {"membership", "bonn"}
    response = client.get("/ja/activities/", {"q": "イクレイ", "partner": "iclei"})
    assert [a.slug for a in response.context["activities"]] == ["membership"]
    assert response.context["options"]["year"] == [
        {"value": "2013", "label": "平成25年（2013年）", "count": 1, "selected": False, "depth": 0}
    ]


def test_results_are_ranked(client, archive):
    ActivityFactory(
        slug="many",
        title_ja="環境 環境 環境",
        summary_ja="環境",
        body_ja="環境未来都市の環境政策と環境教育",
        start_date=datetime.date(2000, 1, 1),
    )
    # The older activity that says it again and again ranks first.
    assert found(client, "環境")[0] == "many"


def test_matches_are_highlighted_in_a_snippet(client, archive):
    body = client.get("/ja/activities/", {"q": "脱炭素"}).content.decode()
    assert "<mark>脱炭素</mark>" in body


def test_highlight_escapes_html():
    terms = search.parse("script")
    out = search.highlight("<script>alert(1)</script>", terms)
    assert "<script>" not in out
    assert "&lt;<mark>script</mark>&gt;" in out


def test_index_follows_edits_to_names_and_text(client, archive):
    membership = archive["membership"]
    iclei = membership.partners.get()
    iclei.name_ja = "イクレイ－持続可能な都市と地域をめざす自治体協議会"
    iclei.save()
    assert found(client, "自治体協議会") == ["membership"]
    membership.title_ja = "新しい題名"
    membership.save()
    assert found(client, "題名") == ["membership"]
    membership.partners.clear()
    assert found(client, "自治体協議会") == []


@pytest.mark.parametrize(
    "q", ['"', "-", "OR", "***", '"unterminated', "a" * 5000, "NEAR(a b)", "x AND", "\x00"]
)
def test_odd_queries_never_fail(client, archive, q):
    response = client.get("/ja/activities/", {"q": q})
    assert response.status_code == 200


def test_tokens_cut_japanese_into_overlapping_pairs():
    # Katakana folded to hiragana, so that either finds the other.
    assert search.tokens("イクレイ日本") == ["いく", "くれ", "れい", "い日", "日本"]
    assert search.tokens("E-KIZUNA Project") == ["e", "kizuna", "project"]
    assert search.tokens("市") == ["市"]


def test_query_syntax():
    terms = search.parse('環境 OR "イクレイ日本" -市長')
    assert [(t.text, t.negated, t.or_with_previous) for t in terms] == [
        ("環境", False, False),
        ("イクレイ日本", False, True),
        ("市長", True, False),
    ]
    assert search.fts5_query(terms) == '(("環境" OR "いく くれ れい い日 日本")) NOT "市長"'
    assert search.tsquery(terms) == (
        "('環境' | 'いく' <-> 'くれ' <-> 'れい' <-> 'い日' <-> '日本') & !('市長')"
    )


def test_counts_follow_the_search_not_the_archive_seen_before(client, archive):
    # The archive's counts are cached first; each search must count its own.
    assert client.get("/ja/activities/").context["total"] == 3
    for q, expected in [("イクレイ", 2), ("市長", 1), ("存在しない語", 0)]:
        response = client.get("/ja/activities/", {"q": q})
        assert response.context["total"] == expected, q
        years = sum(option["count"] for option in response.context["options"]["year"])
        assert years == expected, q


def test_a_broad_search_lists_its_matches_newest_first_page_by_page(client, archive, settings):
    """More matches than SEARCH_RANK_LIMIT: newest first, from the archive's
    index, with highlighted snippets and the archive's older/newer pages; still
    never a draft, and the counts are the search's."""
    settings.SEARCH_RANK_LIMIT = 1
    settings.ACTIVITIES_PER_PAGE = 1
    response = client.get("/ja/activities/", {"q": "イクレイ"})  # membership, bonn; a draft
    assert response.context["total"] == 2
    assert not response.context["ranked"]
    body = response.content.decode()
    assert "一致が1件を超えるため、新しい順に表示しています。" in body
    assert [a.slug for a in response.context["activities"]] == ["bonn"]
    # bonn matches through a person's title: its card shows its summary.
    assert "協定を締結しました。" in body
    older = client.get("/ja/activities/" + response.context["pager"]["older_url"])
    assert [a.slug for a in older.context["activities"]] == ["membership"]
    assert "older_url" not in older.context["pager"]
    assert "<mark>イクレイ</mark>" in older.content.decode()  # in membership's body
    # With a narrower search the matches are ranked again.
    narrow = client.get("/ja/activities/", {"q": "加盟"})
    assert narrow.context["ranked"] and [a.slug for a in narrow.context["activities"]] == [
        "membership"
    ]
    english = client.get("/en/activities/", {"q": "イクレイ"}).content.decode()
    assert "More than 1 matches: the newest come first." in english


@pytest.mark.django_db
def test_theme_and_country_names_find_activities_in_both_languages(client, committed):
    theme = ThemeFactory(name_ja="脱炭素", name_en="Decarbonization", slug="decarb")
    venue = VenueFactory(name="会場", country="GB")
    ActivityFactory(
        slug="found", title="本文に何も書かれていない記録", themes=[theme], venues=[venue]
    )
    ActivityFactory(slug="other", title="別の記録")
    committed()
    for query in ("脱炭素", "decarbonization", "イギリス", "英国", "いぎりす", "United Kingdom"):
        assert set(found(client, query)) == {"found"}, query
    # A theme renamed: its activities are found by the new name.
    theme.name_ja = "カーボンニュートラル"
    theme.save()
    committed()
    assert found(client, "カーボンニュートラル") == ["found"]
    assert found(client, "脱炭素") == []


@pytest.mark.django_db
def test_hiragana_finds_katakana_and_the_reverse(client, committed):
    ActivityFactory(slug="iclei", title="イクレイ世界会議")
    ActivityFactory(slug="hira", title="さいたま市の取組")
    committed()
    assert found(client, "いくれい") == ["iclei"]
    assert found(client, "サイタマ") == ["hira"]


@pytest.mark.django_db
def test_documents_made_by_an_earlier_rule_are_made_anew_after_migrate(committed):
    from django.core.management import call_command

    from activities.models import Activity

    activity = ActivityFactory(slug="old", title="イクレイ")
    committed()
    Activity.objects.filter(pk=activity.pk).update(search_document="イク クレ レイ")
    call_command("migrate", verbosity=0)
    activity.refresh_from_db()
    assert activity.search_document == search.document_of(
        Activity.objects.prefetch_related("themes", "venues", "partners").get(pk=activity.pk)
    )
    assert "いく" in activity.search_document.split()
