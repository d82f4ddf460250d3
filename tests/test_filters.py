from __future__ import annotations

import datetime

import pytest

from activities import facets
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
    found = {a.slug for a in response.context["activities"]}
    assert response.context["total"] == len(found)  # one page holds them all here
    return found


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
    assert [a.slug for a in response.context["activities"]] == ["bonn"]


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
        # Another form of a real code (Germany's alpha-3 and numeric) is not an
        # alpha-2 code either: ignored, not read as a country with no venue.
        ("country=DEU", "country"),
        ("country=276", "country"),
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
    assert {a.slug for a in response.context["activities"]} == expected


def test_valid_filters_show_no_message(client, archive):
    response = client.get("/ja/activities/?year=2018&partner=iclei")
    assert response.context["ignored_filters"] == []
    assert 'class="notice"' not in response.content.decode()


def options(client, query: str = "") -> dict[str, dict[str, int]]:
    """{facet: {value: count}} as offered beside each filter."""
    response = client.get(f"/ja/activities/?{query}")
    return {
        facet: {o["value"]: o["count"] for o in offered}
        for facet, offered in response.context["options"].items()
    }


def test_filters_offer_only_published_values_with_their_counts(client, archive):
    offered = options(client)
    assert offered["year"] == {"2020": 1, "2019": 2, "2018": 2, "2013": 1}
    # A parent counts its divisions' activities; drafts count for nothing.
    assert offered["partner"]["iclei"] == 3
    assert offered["partner"]["iclei-japan"] == 1
    assert offered["partner"]["mofa"] == 1 and offered["partner"]["mofa-cc"] == 1
    assert offered["partner"]["moe"] == 1
    assert offered["partner_kind"] == {
        "international-network": 3,
        "national-government": 2,
        "local-government": 1,
    }
    assert offered["theme"] == {"decarbonization": 4, "electric-mobility": 2}
    assert offered["country"] == {"CH": 1, "DE": 2, "JP": 1}
    assert sum(offered["kind"].values()) == 6


def test_counts_follow_the_other_filters_but_not_their_own(client, archive):
    offered = options(client, "partner=iclei")
    # Picking ICLEI does not zero the other partners: their counts ignore the
    # partner filter itself.
    assert offered["partner"]["moe"] == 1 and offered["partner"]["iclei"] == 3
    # Every other facet counts within ICLEI's activities.
    assert offered["year"] == {"2019": 1, "2018": 1, "2013": 1}
    assert offered["theme"] == {"decarbonization": 2}
    offered = options(client, "year=2018&theme=decarbonization")
    assert offered["partner"] == {"iclei": 1}
    assert offered["year"] == {"2020": 1, "2019": 2, "2018": 1}


def test_zero_count_values_are_hidden_but_a_chosen_one_stays(client, archive):
    offered = options(client, "year=2013&theme=electric-mobility")
    # No 2013 activity has a theme: only the chosen one is offered, with 0.
    assert offered["theme"] == {"electric-mobility": 0}
    assert "moe" not in offered["partner"]


def test_divisions_are_indented_under_their_ministry(client, archive):
    response = client.get("/ja/activities/")
    partners = [(o["value"], o["label"]) for o in response.context["options"]["partner"]]
    slugs_in_order = [value for value, _label in partners]
    assert slugs_in_order.index("mofa") + 1 == slugs_in_order.index("mofa-cc")
    assert dict(partners)["mofa-cc"] == "\u3000気候変動課"
    assert '<option value="mofa-cc">\u3000気候変動課 (1)</option>' in response.content.decode()


def test_fiscal_year_runs_april_to_march(client):
    ActivityFactory(slug="march", start_date=datetime.date(2019, 3, 31))
    ActivityFactory(slug="april", start_date=datetime.date(2019, 4, 1))
    assert slugs(client, "year=2019") == {"march", "april"}
    assert slugs(client, "year=2018&calendar=fiscal") == {"march"}
    assert slugs(client, "year=2019&calendar=fiscal") == {"april"}
    assert options(client, "calendar=fiscal")["year"] == {"2019": 1, "2018": 1}
    assert options(client)["year"] == {"2019": 2}


def test_unknown_calendar_is_ignored_with_a_message(client):
    ActivityFactory(slug="march", start_date=datetime.date(2019, 3, 31))
    response = client.get("/ja/activities/?calendar=lunar&year=2019")
    assert {a.slug for a in response.context["activities"]} == {"march"}
    assert len(response.context["ignored_filters"]) == 1


def test_older_and_newer_pages_go_by_position_not_number(client, archive, settings):
    settings.ACTIVITIES_PER_PAGE = 3
    first = client.get("/ja/activities/?theme=decarbonization")
    assert [a.slug for a in first.context["activities"]] == ["mofa", "iclei-japan", "moe"]
    pager = first.context["pager"]
    assert "newer_url" not in pager
    moe = archive["moe"]
    assert pager["older_url"] == f"?theme=decarbonization&before=2019-03-13.{moe.pk}"
    second = client.get("/ja/activities/" + pager["older_url"])
    assert [a.slug for a in second.context["activities"]] == ["bonn"]
    assert "older_url" not in second.context["pager"]
    settings.ACTIVITIES_PER_PAGE = 2
    page = client.get("/ja/activities/")
    seen = [a.slug for a in page.context["activities"]]
    while "older_url" in page.context["pager"]:
        page = client.get("/ja/activities/" + page.context["pager"]["older_url"])
        seen += [a.slug for a in page.context["activities"]]
    assert seen == ["mofa", "iclei-japan", "moe", "bonn", "basel", "membership"]
    back = client.get("/ja/activities/" + page.context["pager"]["newer_url"])
    assert [a.slug for a in back.context["activities"]] == ["moe", "bonn"]
    newest = client.get("/ja/activities/" + page.context["pager"]["newest_url"])
    assert [a.slug for a in newest.context["activities"]] == ["mofa", "iclei-japan"]
    body = client.get("/ja/activities/?after=0001-01-01.0").content.decode()
    assert "?after=" in body and "?before=" not in body


def test_page_numbers_from_old_links_still_work(client, archive, settings):
    settings.ACTIVITIES_PER_PAGE = 2
    response = client.get("/ja/activities/?partner=iclei&page=2")
    assert [a.slug for a in response.context["activities"]] == ["membership"]
    assert 'href="?partner=iclei&amp;page=1"' in response.content.decode()


@pytest.mark.parametrize("cursor", ["before=yesterday", "after=2018-13-45.1", "before=%00"])
def test_a_bad_position_is_ignored_with_a_message(client, archive, cursor):
    response = client.get(f"/ja/activities/?{cursor}")
    assert response.status_code == 200
    assert len(response.context["activities"]) == 6
    assert response.context["ignored_filters"]


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


def test_walking_the_pages_lists_every_match_once_in_order(client, settings):
    """Pages come from the in-memory index (activities/facets.py): under filters,
    with several activities on one day (ordered by id), a fiscal year and a
    draft among them, walking older and then newer pages gives exactly the
    database's order of the published matches."""
    settings.ACTIVITIES_PER_PAGE = 2
    iclei = OrganizationFactory(slug="iclei")
    days = [
        datetime.date(2019, 4, 1),
        datetime.date(2019, 4, 1),
        datetime.date(2019, 4, 1),
        datetime.date(2019, 12, 31),
        datetime.date(2020, 3, 31),
        datetime.date(2020, 3, 31),
        datetime.date(2020, 4, 1),  # the next fiscal year
        datetime.date(2019, 3, 31),  # the fiscal year before
    ]
    for n, day in enumerate(days):
        ActivityFactory(slug=f"a{n}", start_date=day, partners=[iclei])
    ActivityFactory(slug="other", start_date=datetime.date(2019, 6, 1))  # no partner
    ActivityFactory(
        slug="draft", start_date=datetime.date(2019, 6, 1), partners=[iclei], status="draft"
    )
    expected = list(
        Activity.objects.published()
        .filter(slug__startswith="a", start_date__range=("2019-04-01", "2020-03-31"))
        .order_by("-start_date", "-pk")
        .values_list("slug", flat=True)
    )
    assert len(expected) == 6
    url = "/ja/activities/?partner=iclei&year=2019&calendar=fiscal"
    page = client.get(url)
    assert page.context["total"] == 6
    seen = [a.slug for a in page.context["activities"]]
    while "older_url" in page.context["pager"]:
        page = client.get("/ja/activities/" + page.context["pager"]["older_url"])
        seen += [a.slug for a in page.context["activities"]]
    assert seen == expected
    back = []
    while "newer_url" in page.context["pager"]:
        page = client.get("/ja/activities/" + page.context["pager"]["newer_url"])
        back = [a.slug for a in page.context["activities"]] + back
    assert back == expected[:-2]


def test_each_filter_selects_the_same_in_the_database_and_in_the_index(archive):
    """Each filter is defined once (activities/facets.py); the database's filter
    (ranked search, numbered pages, the partner and theme pages, the admin's
    list) and the in-memory index (the archive's pages and counts) both follow
    that definition: for every value, in both kinds of year, they select the same
    published activities."""
    index = facets.index()
    published = Activity.objects.published()
    compared = 0
    for fiscal in (False, True):
        for name, facet in facets.DEFINITIONS.items():
            source = "fiscal_year" if fiscal and name == "year" else name
            for value in index.values[source]:
                in_index, _ = index.page(
                    index.select({name: value}, fiscal=fiscal), size=len(index.pks)
                )
                in_database = facet.filter(published, value, fiscal=fiscal)
                assert in_index == list(in_database.values_list("pk", flat=True)), (name, value)
                compared += 1
    assert compared > 30
