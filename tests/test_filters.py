from __future__ import annotations

import datetime

import pytest

from activities.models import Activity, Organization
from tests.factories import ActivityFactory, OrganizationFactory, ThemeFactory, VenueFactory

pytestmark = pytest.mark.django_db

NATIONAL = Organization.Kind.NATIONAL_GOVERNMENT
NETWORK = Organization.Kind.INTERNATIONAL_NETWORK


@pytest.fixture
def archive():
    """A small archive shaped like the seed page's."""
    iclei = OrganizationFactory(name="イクレイ", slug="iclei", kind=NETWORK, country="DE")
    iclei_japan = OrganizationFactory(
        name="イクレイ日本", slug="iclei-japan", kind=NETWORK, parent=iclei, country="JP"
    )
    mofa = OrganizationFactory(name="外務省", slug="mofa", kind=NATIONAL, country="JP")
    division = OrganizationFactory(name="気候変動課", slug="mofa-cc", kind=NATIONAL, parent=mofa)
    moe = OrganizationFactory(name="環境省", slug="moe", kind=NATIONAL, country="JP")
    freiburg = OrganizationFactory(
        name="フライブルク市", slug="freiburg", kind=Organization.Kind.LOCAL_GOVERNMENT
    )
    decarb = ThemeFactory(name="脱炭素", slug="decarbonization")
    mobility = ThemeFactory(name="電動モビリティ", slug="electric-mobility")
    bonn = VenueFactory(name="イクレイ世界事務局", country="DE")
    basel = VenueFactory(name="バーゼル", country="CH")
    freiburg_venue = VenueFactory(name="フライブルク", country="DE")
    hall = VenueFactory(name="さいたま市役所", country="JP")

    def make(slug, start, kind, partners=(), themes=(), venues=(), **kw):
        return ActivityFactory(
            slug=slug,
            title=slug,
            start_date=start,
            kind=kind,
            partners=list(partners),
            themes=list(themes),
            venues=list(venues),
            **kw,
        )

    K = Activity.Kind
    return {
        "mofa": make("mofa", datetime.date(2020, 2, 28), K.MEETING, [division], [decarb]),
        "iclei-japan": make(
            "iclei-japan",
            datetime.date(2019, 10, 30),
            K.COURTESY_CALL,
            [iclei_japan],
            [decarb],
            [hall],
        ),
        "moe": make("moe", datetime.date(2019, 3, 13), K.REQUEST, [moe], [decarb, mobility]),
        "bonn": make("bonn", datetime.date(2018, 10, 23), K.AGREEMENT, [iclei], [decarb], [bonn]),
        "basel": make(
            "basel",
            datetime.date(2018, 10, 22),
            K.CONFERENCE,
            [freiburg],
            [mobility],
            [basel, freiburg_venue],
            end_date=datetime.date(2018, 10, 25),
        ),
        "membership": make("membership", datetime.date(2013, 7, 21), K.MEMBERSHIP, [iclei]),
        "draft": make(
            "draft",
            datetime.date(2018, 5, 1),
            K.MEETING,
            [iclei, moe],
            [decarb],
            [bonn],
            draft=True,
        ),
    }


def slugs(client, query: str) -> set[str]:
    response = client.get(f"/ja/activities/?{query}")
    assert response.status_code == 200
    return {a.slug for a in response.context["page_obj"].paginator.object_list}


def test_no_filter_lists_every_published_activity(client, archive):
    assert slugs(client, "") == {"mofa", "iclei-japan", "moe", "bonn", "basel", "membership"}


def test_year(client, archive):
    assert slugs(client, "year=2018") == {"bonn", "basel"}
    assert slugs(client, "year=2013") == {"membership"}
    assert slugs(client, "year=1999") == set()


def test_partner_includes_its_divisions_and_member_bodies(client, archive):
    assert slugs(client, "partner=iclei") == {"iclei-japan", "bonn", "membership"}
    assert slugs(client, "partner=iclei-japan") == {"iclei-japan"}
    assert slugs(client, "partner=mofa") == {"mofa"}


def test_partner_kind_national_government_lists_the_ministry_activities(client, archive):
    assert slugs(client, "partner_kind=national-government") == {"mofa", "moe"}
    assert slugs(client, "partner_kind=local-government") == {"basel"}


def test_theme(client, archive):
    assert slugs(client, "theme=electric-mobility") == {"moe", "basel"}


def test_kind(client, archive):
    assert slugs(client, "kind=agreement") == {"bonn"}


def test_country_follows_every_venue_of_a_trip(client, archive):
    assert slugs(client, "country=CH") == {"basel"}
    assert slugs(client, "country=DE") == {"bonn", "basel"}


def test_combined_filters_intersect(client, archive):
    assert slugs(client, "year=2018&partner=iclei") == {"bonn"}
    assert slugs(client, "year=2018&theme=decarbonization") == {"bonn"}
    assert slugs(client, "partner_kind=national-government&theme=electric-mobility") == {"moe"}
    assert slugs(client, "year=2019&partner=iclei&theme=decarbonization&country=JP") == {
        "iclei-japan"
    }
    assert slugs(client, "year=2013&kind=agreement") == set()


def test_a_filtered_activity_appears_once(client, archive):
    response = client.get("/ja/activities/?theme=decarbonization&country=DE")
    assert [a.slug for a in response.context["page_obj"]] == ["bonn"]


@pytest.mark.parametrize(
    ("bad", "name"),
    [
        ("year=abc", "year"),
        ("year=0", "year"),
        ("year=-1", "year"),
        ("year=10000", "year"),
        ("year=99999999999", "year"),
        ("partner=no-such-partner", "partner"),
        ("partner_kind=planet", "partner_kind"),
        ("theme=%00", "theme"),
        ("kind=" + "x" * 5000, "kind"),
        ("country=ZZ", "country"),
    ],
)
def test_invalid_value_is_ignored_with_a_visible_message(client, archive, bad, name):
    # A valid filter beside the bad one keeps applying.
    good, expected = (
        ("theme=electric-mobility", {"moe", "basel"})
        if name == "year"
        else ("year=2018", {"bonn", "basel"})
    )
    response = client.get(f"/ja/activities/?{bad}&{good}")
    assert response.status_code == 200
    label = str(response.context["filter"].form.fields[name].label)
    assert [shown for shown, _value in response.context["ignored_filters"]] == [label]
    body = response.content.decode()
    assert 'class="notice"' in body and label in body
    assert {a.slug for a in response.context["page_obj"].paginator.object_list} == expected


def test_valid_filters_show_no_message(client, archive):
    response = client.get("/ja/activities/?year=2018&partner=iclei")
    assert response.context["ignored_filters"] == []
    assert 'class="notice"' not in response.content.decode()


def test_filter_form_offers_only_published_values(client, archive):
    form = client.get("/ja/activities/").context["filter"].form
    years = [value for value, _label in form.fields["year"].widget.choices]
    assert years == ["", 2020, 2019, 2018, 2013]
    partner_slugs = [value for value, _label in form.fields["partner"].choices]
    assert "iclei" in partner_slugs and "iclei-japan" in partner_slugs
    # The division comes indented under its ministry.
    labels = dict(form.fields["partner"].choices)
    assert labels["mofa-cc"] == "\u3000気候変動課"
    assert partner_slugs.index("mofa") + 1 == partner_slugs.index("mofa-cc")
    countries = [value for value, _label in form.fields["country"].choices]
    assert set(countries) == {"", "CH", "DE", "JP"}


def test_filter_state_survives_pagination(client, archive, settings):
    settings.ACTIVITIES_PER_PAGE = 1
    body = client.get("/ja/activities/?year=2018&theme=decarbonization").content.decode()
    assert "page=2" not in body  # one match, one page
    body = client.get("/ja/activities/?partner=iclei").content.decode()
    assert 'href="?partner=iclei&amp;page=2"' in body
    body = client.get("/ja/activities/?partner=iclei&page=2").content.decode()
    assert 'href="?partner=iclei&amp;page=1"' in body
    assert 'href="?partner=iclei&amp;page=3"' in body


def test_the_demo_archive_answers_the_seed_page_questions(client):
    from io import StringIO

    from django.core.management import call_command

    call_command("load_demo", stdout=StringIO())
    assert slugs(client, "year=2018") == {
        "2018-10-23-iclei-world-secretariat-agreement",
        "2018-10-22-renewable-energy-conference-basel-freiburg",
    }
    assert slugs(client, "partner=iclei") == {
        "2019-10-30-iclei-japan-courtesy-call",
        "2018-10-23-iclei-world-secretariat-agreement",
        "2013-08-31-ecomobility-2013-suwon",
        "2013-07-21-iclei-membership",
    }
    assert slugs(client, "partner_kind=national-government") == {
        "2020-02-28-mofa-climate-change-division",
        "2019-03-13-request-to-environment-minister",
    }
    assert slugs(client, "partner=mofa") == {"2020-02-28-mofa-climate-change-division"}
    assert slugs(client, "year=2018&partner=iclei") == {
        "2018-10-23-iclei-world-secretariat-agreement"
    }
    assert slugs(client, "country=CH") == {"2018-10-22-renewable-energy-conference-basel-freiburg"}
