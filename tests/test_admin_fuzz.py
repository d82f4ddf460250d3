"""Any query string gets an admin page, never a server error: the cases found so far,
one by one, with what staff then see, and checks that real filters and initial values
still work.
"""

from __future__ import annotations

import datetime

import pytest
from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.db import DatabaseError
from django.db.models import Model
from django.test import Client

from activities.admin import SafeChangeList, SafeQueryStringMixin
from activities.models import Activity, Organization, Photo
from tests import factories
from tests.test_roles import member_of

pytestmark = pytest.mark.django_db

# What the admin shows on the plain list it falls back to, and on an add form that
# left out a value (Japanese, the staff's language).
LIST_NOTICE = "URL で指定された条件では一覧を絞り込めなかったため、すべてを表示しています。"


def left_out(field: str) -> str:
    return f"URL で指定された「{field}」の値は使えないため、入力しませんでした。"


def admin_url(model: type[Model], page: str = "changelist", pk: int | None = None) -> str:
    base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
    return {"changelist": base, "add": f"{base}add/", "change": f"{base}{pk}/change/"}[page]


def shown_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def follow_to_plain_list(client: Client, response):
    """The page Django sends staff to from a changelist it cannot filter."""
    assert response.status_code == 302, response.status_code
    assert response["Location"].endswith("?e=1")
    page = client.get(response["Location"])
    assert page.status_code == 200
    return page


# --- Changelists ---------------------------------------------------------------------


def test_every_admin_has_the_guard() -> None:
    assert {User, Group, AccessAttempt, Activity} <= set(admin.site._registry)
    for model in admin.site._registry:
        assert isinstance(admin.site.get_model_admin(model), SafeQueryStringMixin), model


@pytest.fixture
def archive() -> tuple[Activity, Activity]:
    iclei = factories.ActivityFactory(
        title="ICLEI 世界大会", start_date=datetime.date(2019, 10, 30)
    )
    c40 = factories.ActivityFactory(title="C40 サミット", start_date=datetime.date(2020, 2, 5))
    return iclei, c40


def listed_titles(client: Client, query: str) -> list[str]:
    response = client.get(f"{admin_url(Activity)}?{query}")
    assert response.status_code == 200
    return sorted(activity.title for activity in response.context["cl"].result_list)


@pytest.mark.parametrize("pattern", ["[", "(", "*", "a{2,1}", "(?P<"])
def test_a_bad_regular_expression_shows_the_plain_list(admin_client, archive, pattern) -> None:
    response = admin_client.get(admin_url(Activity), {"title__regex": pattern})

    page = follow_to_plain_list(admin_client, response)
    assert LIST_NOTICE in shown_messages(page)
    assert len(page.context["cl"].result_list) == 2
    # The refused query was undone to a savepoint: the transaction carries on.
    assert Activity.objects.count() == 2


def test_a_bad_regular_expression_in_the_facet_counts_shows_the_plain_list(
    admin_client, archive
) -> None:
    # No published activity matches the first filter, so a database that stops at the
    # first false condition never tries the pattern for the count; the facet counts,
    # which leave that filter out, would then meet it while the page renders.
    Activity.objects.update(status=Activity.Status.DRAFT, published_at=None)
    response = admin_client.get(
        admin_url(Activity), {"status__exact": "published", "title__regex": "[", "_facets": ""}
    )

    assert LIST_NOTICE in shown_messages(follow_to_plain_list(admin_client, response))
    assert Activity.objects.count() == 2


def test_a_bad_regular_expression_on_users_shows_the_plain_list(admin_client) -> None:
    response = admin_client.get(admin_url(User), {"username__iregex": "["})

    assert LIST_NOTICE in shown_messages(follow_to_plain_list(admin_client, response))


def test_a_good_regular_expression_still_filters(admin_client, archive) -> None:
    assert listed_titles(admin_client, "title__regex=^ICLEI") == ["ICLEI 世界大会"]
    assert listed_titles(admin_client, "title__iregex=^c40") == ["C40 サミット"]


@pytest.mark.parametrize(
    "query",
    [
        "start_date__range=2020",
        "start_date__range=2020-01-01",
        "start_date__range=2019-01-01,2019-12-31,2020-01-01",
        "id__range=1",
        "id__range=19",
        "id__range=abc,def",
    ],
)
def test_a_range_without_two_values_shows_the_plain_list(admin_client, archive, query) -> None:
    response = admin_client.get(f"{admin_url(Activity)}?{query}")

    assert LIST_NOTICE in shown_messages(follow_to_plain_list(admin_client, response))


def test_a_good_range_still_filters(admin_client, archive) -> None:
    iclei, c40 = archive

    assert listed_titles(admin_client, "start_date__range=2019-01-01,2019-12-31") == [
        "ICLEI 世界大会"
    ]
    assert listed_titles(admin_client, f"id__range={c40.pk},{c40.pk + 10}") == ["C40 サミット"]


def test_a_date_hierarchy_year_past_the_calendar_shows_the_plain_list(admin_client) -> None:
    response = admin_client.get(admin_url(AccessAttempt), {"attempt_time__year": "9999"})

    follow_to_plain_list(admin_client, response)


def test_search_filters_and_date_hierarchy_still_work(admin_client, archive) -> None:
    assert listed_titles(admin_client, "q=ICLEI") == ["ICLEI 世界大会"]
    assert listed_titles(admin_client, "start_date__year=2020&start_date__month=2") == [
        "C40 サミット"
    ]
    assert listed_titles(admin_client, "year=2019&kind=meeting") == ["ICLEI 世界大会"]
    plain = admin_client.get(admin_url(Activity))
    assert LIST_NOTICE not in shown_messages(plain)


def test_the_next_request_works_after_a_refused_query(admin_client, archive) -> None:
    response = admin_client.get(admin_url(Activity), {"title__regex": "["})

    assert response.status_code == 302
    # On PostgreSQL, without the savepoint, every later query in the transaction fails.
    assert admin_client.get(admin_url(Activity, "change", archive[0].pk)).status_code == 200


def test_a_bad_regular_expression_with_the_error_flag_shows_the_plain_list(
    admin_client, archive
) -> None:
    response = admin_client.get(admin_url(Activity), {"e": "1", "title__regex": "["})

    assert LIST_NOTICE in shown_messages(follow_to_plain_list(admin_client, response))


def test_a_database_error_on_the_plain_list_is_not_hidden(admin_client, archive, monkeypatch):
    def fail(changelist, request):
        raise DatabaseError("the database is away")

    monkeypatch.setattr(SafeChangeList, "get_results", fail)

    # With parameters, they may be the cause: staff get the plain list.
    assert admin_client.get(admin_url(Activity), {"kind": "meeting"}).status_code == 302
    # Without, the error is the database's own, and is raised.
    with pytest.raises(DatabaseError):
        admin_client.get(admin_url(Activity))
    with pytest.raises(DatabaseError):
        admin_client.get(admin_url(Activity), {"e": "1"})


# --- Change forms -------------------------------------------------------------------


def test_an_empty_to_field_on_a_change_form_means_the_primary_key(admin_client) -> None:
    organization = factories.OrganizationFactory()

    response = admin_client.get(
        admin_url(Organization, "change", organization.pk), {"_to_field": ""}
    )

    assert response.status_code == 200
    assert response.context["original"] == organization


# --- Add forms ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "query", "field"),
    [
        (Activity, "partners=abc", "相手先"),
        (Activity, "partners=1,abc", "相手先"),
        (Activity, "partners=99999", "相手先"),
        # Photo.activity has no verbose name of its own: the form labels it "Activity" too.
        (Photo, "activity=x", "Activity"),
        (Organization, "parent=abc", "上位組織"),
        (Organization, "parent=99999", "上位組織"),
        (Organization, "parent=1,2", "上位組織"),
        (Organization, f"parent={'9' * 30}", "上位組織"),
        (Activity, f"partners={'9' * 30}", "相手先"),
        (Activity, f"department=-{'9' * 30}", "お問い合わせ先"),
        (Photo, "image=x.jpg", "画像"),
    ],
)
def test_an_initial_value_its_field_cannot_take_is_left_out(
    admin_client, model, query, field
) -> None:
    response = admin_client.get(f"{admin_url(model, 'add')}?{query}")

    assert response.status_code == 200
    assert left_out(field) in shown_messages(response)
    name = query.split("=")[0]
    assert name not in response.context["adminform"].form.initial


def test_a_publisher_gets_the_add_form_with_a_bad_publication_date(django_user_model) -> None:
    publisher = member_of(django_user_model, "Publisher")

    response = publisher.get(admin_url(Activity, "add"), {"published_at": "abc"})

    assert response.status_code == 200
    assert left_out("初回公開日時") in shown_messages(response)


def test_good_initial_values_still_fill_in_the_add_form(django_user_model) -> None:
    publisher = member_of(django_user_model, "Publisher")
    iclei, c40 = factories.OrganizationFactory.create_batch(2)

    response = publisher.get(
        admin_url(Activity, "add"),
        {
            "partners": f"{iclei.pk},{c40.pk}",
            "published_at": "2020-02-05 10:00",
            "start_date": "2020-02-05",
            "title_ja": "ICLEI 世界大会",
        },
    )

    assert response.status_code == 200
    assert shown_messages(response) == []
    form = response.context["adminform"].form
    assert sorted(form["partners"].value()) == sorted([iclei.pk, c40.pk])
    assert form["title_ja"].value() == "ICLEI 世界大会"
    page = response.content.decode()
    assert 'value="2020-02-05"' in page and 'value="10:00:00"' in page


def test_an_empty_initial_value_is_no_value(admin_client) -> None:
    response = admin_client.get(admin_url(Photo, "add"), {"activity": "", "order": ""})

    assert response.status_code == 200
    assert shown_messages(response) == []
