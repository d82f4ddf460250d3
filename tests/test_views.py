from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Permission

from activities.models import Attendance
from tests.factories import (
    ActivityFactory,
    ActivityLinkFactory,
    AttendanceFactory,
    DepartmentFactory,
    OrganizationFactory,
    ParticipantFactory,
    PhotoFactory,
    ThemeFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def iclei():
    return OrganizationFactory(name="イクレイ", short_name="ICLEI", slug="iclei")


@pytest.fixture
def theme():
    return ThemeFactory(name="脱炭素", slug="decarbonization")


@pytest.fixture
def draft(iclei, theme):
    return ActivityFactory(
        draft=True,
        title="SECRET DRAFT VISIT",
        slug="secret-draft",
        partners=[iclei],
        themes=[theme],
    )


def full_activity(n: int, iclei, theme) -> object:
    """An activity with everything a card or a record shows."""
    activity = ActivityFactory(
        start_date=datetime.date(2019, 1 + n % 12, 1 + n % 28),
        partners=[iclei],
        themes=[theme],
        venues=[VenueFactory()],
        department=DepartmentFactory(),
    )
    AttendanceFactory(activity=activity)
    AttendanceFactory(activity=activity, role=Attendance.Role.COUNTERPART)
    PhotoFactory(activity=activity)
    ActivityLinkFactory(activity=activity)
    return activity


# -- drafts never reach the public -------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/ja/",
        "/ja/activities/",
        "/ja/activities/?partner=iclei",
        "/ja/activities/?theme=decarbonization",
        "/ja/activities/?year=2019",
        "/ja/activities/?kind=meeting",
        "/ja/partners/",
        "/ja/partners/iclei/",
        "/ja/themes/decarbonization/",
    ],
)
def test_draft_is_not_listed(client, draft, url):
    # Published with the draft's partners and themes: their pages are public.
    ActivityFactory(
        title="Published visit", partners=draft.partners.all(), themes=draft.themes.all()
    )
    response = client.get(url)
    assert response.status_code == 200
    assert "SECRET DRAFT VISIT" not in response.content.decode()
    assert "secret-draft" not in response.content.decode()


def test_draft_is_a_404_for_visitors(client, draft):
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_draft_only_partner_is_not_offered(client, draft):
    response = client.get("/ja/partners/")
    assert "イクレイ" not in response.content.decode()
    options = client.get("/ja/activities/").context["options"]
    assert "iclei" not in [o["value"] for o in options["partner"]]
    # Asked for by its URL, it is no filter of the public archive: ignored, and said so.
    response = client.get("/ja/activities/?partner=iclei")
    assert [value for _, value in response.context["ignored_filters"]] == ["iclei"]
    assert "イクレイ" not in response.content.decode()


def test_draft_is_a_404_for_staff_without_view_permission(client, django_user_model, draft):
    user = django_user_model.objects.create_user("clerk", password="pw", is_staff=True)
    client.force_login(user)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_staff_can_preview_a_draft_on_the_public_template(client, django_user_model, draft):
    user = django_user_model.objects.create_user("editor", password="pw", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_activity"))
    client.force_login(user)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "activities/activity_detail.html" in [t.name for t in response.templates]
    body = response.content.decode()
    assert "SECRET DRAFT VISIT" in body
    assert "preview-banner" in body
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"


def test_admin_view_on_site_leads_to_the_preview(admin_client, draft):
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(draft)
    response = admin_client.get(f"/admin/r/{ct.pk}/{draft.pk}/", follow=True)
    assert response.status_code == 200
    assert "SECRET DRAFT VISIT" in response.content.decode()


# -- the record ----------------------------------------------------------------


def test_detail_page_shows_everything_the_seed_page_shows(client, iclei, theme):
    mayor = ParticipantFactory(name="清水勇人", title="さいたま市長（現職）")
    counterpart = ParticipantFactory(name="ジノ・ヴァン・ベギン", title="")
    activity = ActivityFactory(
        title="イクレイ世界事務局長と面会",
        start_date=datetime.date(2018, 10, 22),
        end_date=datetime.date(2018, 10, 25),
        summary="市長がイクレイ世界事務局を訪問しました。",
        body="第一段落です。\n\n第二段落 <script>alert(1)</script>",
        partners=[iclei],
        themes=[theme],
        venues=[VenueFactory(name="イクレイ世界事務局", city="ボン", country="DE")],
        department=DepartmentFactory(
            name="未来都市推進部", phone="048-829-1457", fax="048-829-1997"
        ),
    )
    AttendanceFactory(activity=activity, participant=mayor, title="さいたま市長")
    AttendanceFactory(
        activity=activity,
        participant=counterpart,
        title="イクレイ世界事務局長",
        role=Attendance.Role.COUNTERPART,
    )
    photo = PhotoFactory(activity=activity, caption="協定締結の様子", alt_text="握手する二人")
    photo.people.add(counterpart, mayor)
    ActivityLinkFactory(activity=activity, label="イクレイのホームページ", url="https://iclei.org/")

    response = client.get(activity.get_absolute_url())
    assert response.status_code == 200
    body = response.content.decode()
    # Dates with the weekday computed from the date (25 Oct 2018 was a Thursday).
    assert "平成30年10月22日(月曜日)～25日(木曜日)" in body
    assert "イクレイ世界事務局" in body and "ボン" in body
    # Titles at the time, not today's.
    assert "さいたま市長</span>" in body
    assert "さいたま市長（現職）" not in body
    assert "イクレイ世界事務局長" in body
    assert "第一段落です。" in body
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;" in body
    assert "協定締結の様子" in body
    assert 'alt="握手する二人"' in body
    assert f'width="{photo.width}" height="{photo.height}"' in body
    assert 'href="https://iclei.org/"' in body and "イクレイのホームページ" in body
    assert iclei.get_absolute_url() in body
    assert theme.get_absolute_url() in body
    assert "048-829-1457" in body and "048-829-1997" in body
    assert "最終更新日" in body
    assert f"A{activity.pk:06d}" in body  # the page number
    delegation = response.context["delegation"]
    counterparts = response.context["counterparts"]
    assert [a.participant for a in delegation] == [mayor]
    assert [a.participant for a in counterparts] == [counterpart]
    # Named in the order they attended, each with the title held at the time.
    assert response.context["figures"][0].pictured == [
        (mayor, "さいたま市長"),
        (counterpart, "イクレイ世界事務局長"),
    ]


def test_unknown_slug_is_a_404(client):
    assert client.get("/ja/activities/no-such-activity/").status_code == 404
    assert client.get("/ja/partners/no-such-partner/").status_code == 404
    assert client.get("/ja/themes/no-such-theme/").status_code == 404


def test_partner_page_lists_its_divisions_activities(client):
    mofa = OrganizationFactory(name="外務省", slug="mofa", kind="national-government")
    division = OrganizationFactory(name="気候変動課", slug="mofa-climate", parent=mofa)
    ActivityFactory(title="気候変動課への訪問", partners=[division])
    ActivityFactory(title="無関係な会議")
    response = client.get(mofa.get_absolute_url())
    body = response.content.decode()
    assert "気候変動課への訪問" in body
    assert "無関係な会議" not in body
    assert division.get_absolute_url() in body


def test_theme_page_lists_its_activities(client, theme):
    ActivityFactory(title="脱炭素の会議", themes=[theme])
    ActivityFactory(title="別の会議")
    body = client.get(theme.get_absolute_url()).content.decode()
    assert "脱炭素の会議" in body
    assert "別の会議" not in body


def test_healthz_is_plain_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")


def test_root_redirects_to_the_japanese_site(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="ja")
    assert response.status_code == 302
    assert response["Location"] == "/ja/"


def test_unprefixed_archive_link_keeps_its_filters(client):
    response = client.get("/activities/?year=2018", HTTP_ACCEPT_LANGUAGE="ja")
    assert response.status_code == 302
    assert response["Location"] == "/ja/activities/?year=2018"


def test_archive_is_paginated_20_per_page_newest_first(client):
    for day in range(1, 26):
        ActivityFactory(title=f"Day {day:02d}", start_date=datetime.date(2019, 5, day))
    first = client.get("/ja/activities/")
    titles = [a.title for a in first.context["activities"]]
    assert len(titles) == 20
    assert titles[0] == "Day 25" and titles[-1] == "Day 06"
    older = first.context["pager"]["older_url"]
    second = client.get("/ja/activities/" + older)
    assert [a.title for a in second.context["activities"]] == [
        f"Day {d:02d}" for d in range(5, 0, -1)
    ]
    # Old links by page number keep working.
    by_number = client.get("/ja/activities/?page=2")
    assert [a.title for a in by_number.context["activities"]] == [
        f"Day {d:02d}" for d in range(5, 0, -1)
    ]


@pytest.mark.parametrize("page", ["abc", "0", "-1", "99999999999999999999", "2.5", "\x00"])
def test_junk_page_number_shows_a_page(client, page):
    ActivityFactory()
    assert client.get("/ja/activities/", {"page": page}).status_code == 200


def test_archive_sections_are_headed_by_month(client):
    ActivityFactory(title="Feb", start_date=datetime.date(2020, 2, 28))
    ActivityFactory(title="Oct", start_date=datetime.date(2019, 10, 30))
    body = client.get("/ja/activities/").content.decode()
    assert body.index("令和2年2月</h2>") < body.index("Feb") < body.index("令和元年10月</h2>")
    assert body.index("令和元年10月</h2>") < body.index("Oct")


# -- query counts: designed, and flat in the number of rows -------------------


@pytest.mark.parametrize("rows", [1, 50])
def test_archive_query_count_does_not_grow(client, django_assert_num_queries, iclei, theme, rows):
    for n in range(rows):
        full_activity(n, iclei, theme)
    url = (
        "/ja/activities/?year=2019&partner=iclei&partner_kind=international-network"
        "&theme=decarbonization&kind=meeting&country=DE"
    )
    # 1 partner choices, 2 theme choices, 3 the in-memory index of the archive
    # (activities/facets.py: built once after a change, for the counts and the
    # page's ids), 4 the page's activities, 5 their venues, 6 their partners
    with django_assert_num_queries(6):
        response = client.get(url)
    assert response.context["total"] == rows
    # The choice lists, counts and cards are cached until the data changes:
    # 1 the page's activities
    with django_assert_num_queries(1):
        client.get(url)
    # A deep page costs what the first does: its activities, then the venues
    # and partners of the cards not cached yet.
    older = f"{url}&before=2019-01-02.{10**9}"
    with django_assert_num_queries(3 if rows > 1 else 1):
        client.get(older)


@pytest.mark.parametrize("rows", [1, 50])
def test_search_query_count_does_not_grow(
    client, django_assert_num_queries, committed, iclei, theme, rows
):
    for n in range(rows):
        full_activity(n, iclei, theme)
    # Committed, as staff's saves are: the search documents are rebuilt then.
    committed()
    # 1 partner choices, 2 theme choices, 3 the index, 4 the ids of the matches
    # (for the counts), 5 the ranked matches, 6 their venues, 7 their partners
    with django_assert_num_queries(7):
        response = client.get("/ja/activities/?q=Activity&partner=iclei")
    assert response.context["total"] == rows
    # The same words under another filter: the index and the matches' ids are
    # kept; 1 the ranked matches, and as a search's card shows its match, it
    # is rendered: 2 the venues, 3 the partners.
    with django_assert_num_queries(3):
        response = client.get("/ja/activities/?q=Activity&theme=decarbonization")
    assert response.context["total"] == rows


@pytest.mark.parametrize("rows", [1, 50])
def test_detail_query_count_does_not_grow(client, django_assert_num_queries, iclei, theme, rows):
    activity = full_activity(0, iclei, theme)
    # An earlier and a later activity, related through the partner.
    full_activity(1, iclei, theme)
    ActivityFactory(start_date=datetime.date(2018, 12, 31), partners=[iclei])
    for _ in range(rows - 1):
        AttendanceFactory(activity=activity, role=Attendance.Role.COUNTERPART)
        PhotoFactory(activity=activity).people.add(ParticipantFactory())
        ActivityLinkFactory(activity=activity)
    # 1 activity + department, 2 venues, 3 themes, 4 partners + parents,
    # 5 attendances + people, 6 links, 7 photos with the people pictured (joined),
    # 8 the earlier, later and related activities (their ids from the index)
    client.get("/ja/activities/")  # the index of the archive, built once after a change
    with django_assert_num_queries(8):
        response = client.get(activity.get_absolute_url())
    assert len(response.context["figures"]) == rows
    assert response.context["older"] and response.context["newer"]
    assert len(response.context["related"]) == 2
    # The record's body is kept until the data changes: then only the
    # activity's own row is read, however many people, photos and links.
    with django_assert_num_queries(1):
        again = client.get(activity.get_absolute_url())
    assert again.content == response.content
    # The first request after a change builds the index: one query more.
    activity.save()
    with django_assert_num_queries(9):
        client.get(activity.get_absolute_url())


@pytest.mark.parametrize("rows", [1, 50])
def test_home_query_count_does_not_grow(client, django_assert_num_queries, iclei, theme, rows):
    for n in range(rows):
        full_activity(n, iclei, theme)
    # 1 latest activities, 2 their venues, 3 their partners, 4 counts per year,
    # 5 themes with counts, 6 partners with counts
    with django_assert_num_queries(6):
        client.get("/ja/")


@pytest.mark.parametrize("rows", [1, 50])
def test_partner_pages_query_counts_do_not_grow(
    client, django_assert_num_queries, iclei, theme, rows
):
    for n in range(rows):
        full_activity(n, iclei, theme)
    # 1 partners with their counts of published activities
    with django_assert_num_queries(1):
        client.get("/ja/partners/")
    # 1 the partner, 2 the organization tree, 3 count, 4 activities, 5 venues, 6 partners,
    # 7 the archive's index, built once a change (its activities per year come from it)
    with django_assert_num_queries(7):
        client.get(iclei.get_absolute_url())


@pytest.mark.parametrize("rows", [1, 50])
def test_theme_page_query_count_does_not_grow(
    client, django_assert_num_queries, iclei, theme, rows
):
    for n in range(rows):
        full_activity(n, iclei, theme)
    # 1 the theme, 2 count, 3 activities, 4 venues, 5 partners, 6 the archive's index,
    # built once a change (its activities per year come from it)
    with django_assert_num_queries(6):
        client.get(theme.get_absolute_url())
