"""What a record tells search engines and the sites it is shared on: schema.org
JSON-LD (parsed) and OpenGraph / Twitter-card tags with the first photo."""

from __future__ import annotations

import datetime
import json
import re
from decimal import Decimal

import pytest

from activities.models import Organization
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(committed):
    venue = factories.VenueFactory(
        name="スコティッシュ・イベント・キャンパス",
        city="グラスゴー",
        country="GB",
        address="Exhibition Way, Glasgow G3 8YW",
        latitude=Decimal("55.860700"),
        longitude=Decimal("-4.288300"),
    )
    partner = factories.OrganizationFactory(
        name="イクレイ",
        slug="iclei",
        kind=Organization.Kind.INTERNATIONAL_NETWORK,
        website="https://iclei.org/",
    )
    activity = factories.ActivityFactory(
        title="COP26への参加 </script><script>alert(1)</script>",
        slug="cop26",
        start_date=datetime.date(2021, 11, 1),
        end_date=datetime.date(2021, 11, 3),
        summary="英国グラスゴーで開かれたCOP26に市長が参加しました。",
        venues=[venue],
        partners=[partner],
    )
    factories.PhotoFactory(activity=activity, alt_text="本会議場で発言する市長", order=1)
    committed()
    return activity


def json_ld(body: str) -> list[dict]:
    return [
        json.loads(block)
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', body, re.S)
    ]


def meta(body: str, name: str) -> str | None:
    found = re.search(rf'<meta (?:property|name)="{re.escape(name)}" content="([^"]*)">', body)
    return found.group(1) if found else None


def test_a_record_is_an_event_with_its_place_organizer_partners_and_photo(client, record):
    body = client.get("/ja/activities/cop26/").content.decode()
    event, trail = json_ld(body)
    assert event["@context"] == "https://schema.org" and event["@type"] == "Event"
    assert event["name"] == record.title
    assert (event["startDate"], event["endDate"]) == ("2021-11-01", "2021-11-03")
    assert event["url"] == "http://testserver/ja/activities/cop26/"
    (place,) = event["location"]
    assert place["@type"] == "Place" and place["name"] == "スコティッシュ・イベント・キャンパス"
    assert place["address"] == {
        "@type": "PostalAddress",
        "addressCountry": "GB",
        "addressLocality": "グラスゴー",
        "streetAddress": "Exhibition Way, Glasgow G3 8YW",
    }
    assert place["geo"] == {"@type": "GeoCoordinates", "latitude": 55.8607, "longitude": -4.2883}
    assert event["organizer"]["@type"] == "GovernmentOrganization"
    assert event["organizer"]["name"] == "さいたま市"
    assert event["contributor"] == [
        {
            "@type": "Organization",
            "name": "イクレイ",
            "url": "http://testserver/ja/partners/iclei/",
            "sameAs": "https://iclei.org/",
        }
    ]
    assert event["image"][0].startswith("http://testserver/") and event["image"][0].endswith(".jpg")
    assert trail["@type"] == "BreadcrumbList"
    assert [item["position"] for item in trail["itemListElement"]] == [1, 2, 3]
    assert trail["itemListElement"][-1]["item"] == event["url"]
    # The title's markup cannot end the script.
    assert "</script><script>alert(1)" not in body.split("<body>")[0].split("og:title")[1]


def test_a_shared_link_shows_the_title_summary_and_first_photo(client, record):
    body = client.get("/en/activities/cop26/").content.decode()
    assert meta(body, "og:url") == "http://testserver/en/activities/cop26/"
    assert meta(body, "og:image").startswith("http://testserver/")
    assert meta(body, "og:image:alt")
    assert int(meta(body, "og:image:width")) > 0
    assert meta(body, "og:locale") == "en_US"
    assert meta(body, "twitter:card") == "summary_large_image"
    assert meta(body, "og:site_name") == "International activities of Saitama City"


def test_the_head_is_kept_with_the_record(client, record, django_assert_max_num_queries):
    first = client.get("/ja/activities/cop26/?_=1").content.decode()
    with django_assert_max_num_queries(1):
        again = client.get("/ja/activities/cop26/?_=2").content.decode()
    assert json_ld(first) == json_ld(again)


def test_a_record_without_photo_or_venue_is_still_an_event(client, committed):
    factories.ActivityFactory(slug="plain", summary="")
    committed()
    body = client.get("/ja/activities/plain/").content.decode()
    event, _trail = json_ld(body)
    assert "location" not in event and "image" not in event and "description" not in event
    assert meta(body, "twitter:card") == "summary"
