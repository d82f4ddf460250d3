"""Small things a visitor notices: addresses without empty fields, one month said
once, a way on from an empty result, no doubled brackets or roles, names on
Japanese cards, English cut at a word, a viewer image with a source."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import translation

from activities.models import Attendance, Organization
from activities.templatetags.activity_tags import shorten
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_submitted_filter_form_leads_to_the_address_of_its_choices(client):
    response = client.get("/ja/activities/?q=&year=2019&calendar=&partner=&theme=")
    assert (response.status_code, response["Location"]) == (302, "/ja/activities/?year=2019")
    response = client.get("/ja/activities/?q=+&year=")
    assert response["Location"] == "/ja/activities/"
    assert client.get("/ja/activities/?year=2019").status_code == 200


def test_a_page_within_one_month_names_it_once(client, committed):
    for day in (1, 15):
        factories.ActivityFactory(start_date=datetime.date(2021, 11, day))
    committed()
    body = client.get("/ja/activities/").content.decode()
    assert "このページ：令和3年11月<" in body
    assert "令和3年11月～令和3年11月" not in body


def test_an_empty_result_offers_a_way_on(client, committed):
    factories.ActivityFactory(start_date=datetime.date(2021, 11, 1))
    committed()
    body = client.get("/ja/activities/?year=2021&kind=membership").content.decode()
    assert "すべての活動を見る" in body and 'href="/ja/activities/"' in body


def test_no_doubled_brackets_or_roles(client, committed):
    iclei = factories.OrganizationFactory(
        name="イクレイ（ICLEI）", short_name="ICLEI", slug="iclei"
    )
    activity = factories.ActivityFactory(slug="visit", partners=[iclei])
    factories.AttendanceFactory(
        activity=activity, participant__name="事務総長", role=Attendance.Role.COUNTERPART
    )
    factories.AttendanceFactory(
        activity=activity, participant__name="来訪者", role=Attendance.Role.VISITOR
    )
    committed()
    partners = client.get("/ja/partners/").content.decode()
    assert "（ICLEI）（ICLEI）" not in partners and "イクレイ（ICLEI）" in partners
    record = client.get("/ja/activities/visit/").content.decode()
    assert "（先方）" not in record
    assert "（来訪者）" in record


def test_japanese_cards_name_partners_in_full(client, committed):
    moe = factories.OrganizationFactory(
        name_ja="環境省",
        name_en="Ministry of the Environment",
        short_name_en="MOE",
        slug="moe",
        kind=Organization.Kind.NATIONAL_GOVERNMENT,
    )
    factories.ActivityFactory(partners=[moe])
    committed()
    japanese = client.get("/ja/activities/").content.decode()
    assert ">環境省</a>" in japanese and ">MOE</a>" not in japanese
    assert ">MOE</a>" in client.get("/en/activities/").content.decode()


def test_english_is_cut_at_a_word_japanese_anywhere():
    english = "The mayor attended the conference and spoke about decarbonization " * 4
    short = shorten(english, 60)
    assert short.endswith("…") and len(short) <= 60
    assert english.startswith(short[:-1]) and english[len(short) - 1] == " "
    japanese = "市長が会議に出席し、脱炭素について講演しました。" * 10
    assert shorten(japanese, 30) == japanese[:29] + "…"
    assert shorten("短い", 30) == "短い"


def test_the_photo_viewer_image_has_a_source(client, committed):
    activity = factories.ActivityFactory(slug="with-photo")
    factories.PhotoFactory(activity=activity)
    committed()
    body = client.get("/ja/activities/with-photo/").content.decode()
    viewer = body.split('class="lightbox-image"')[1].split(">")[0]
    assert ' src="/' in viewer and 'loading="lazy"' in viewer


def test_a_venue_named_with_brackets_gets_no_second_pair(client, committed):
    sec = factories.VenueFactory(
        name_ja="スコティッシュ・イベント・キャンパス（SEC）",
        name_en="Scottish Event Campus (SEC)",
        city_ja="グラスゴー",
        city_en="Glasgow",
        country="GB",
    )
    basel = factories.VenueFactory(name_ja="バーゼル会議場", city_ja="バーゼル", country="CH")
    factories.ActivityFactory(slug="cop26", venues=[sec, basel])
    committed()

    record = client.get("/ja/activities/cop26/").content.decode()
    assert "スコティッシュ・イベント・キャンパス（SEC、グラスゴー、イギリス）" in record
    assert "バーゼル会議場（バーゼル、スイス）" in record
    assert "）（" not in record
    card = client.get("/ja/activities/").content.decode()
    assert "スコティッシュ・イベント・キャンパス（SEC、グラスゴー）" in card
    english = client.get("/en/activities/cop26/").content.decode()
    assert "Scottish Event Campus (SEC, Glasgow, United Kingdom)" in english


def test_partner_kinds_come_in_the_same_order_in_both_languages(client, committed):
    # Alphabetically by their codes: academic, embassy, international-network, other.
    kinds = [
        Organization.Kind.OTHER,
        Organization.Kind.ACADEMIC,
        Organization.Kind.INTERNATIONAL_NETWORK,
        Organization.Kind.EMBASSY,
    ]
    partners = [
        factories.OrganizationFactory(name=f"相手{i}", slug=f"partner-{i}", kind=kind)
        for i, kind in enumerate(kinds)
    ]
    factories.ActivityFactory(partners=partners)
    committed()

    declared = [k for k in Organization.Kind if k in kinds]
    for language in ("ja", "en"):
        page = client.get(f"/{language}/partners/").content.decode()
        headings = re.findall(r'<h2 id="kind-\d+">([^<]+)</h2>', page)
        with translation.override(language):
            assert headings == [str(kind.label) for kind in declared]
