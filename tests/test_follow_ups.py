"""What follows a change (activities/changes.py) runs once per transaction, on
commit: a record saved with many rows has its search document rebuilt once, and
a transaction that is rolled back leaves the search as it was. These tests
commit, as the site does."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from activities import search
from activities.models import Activity, Attendance
from tests import factories
from tests.test_admin import activity_form_data, assert_saved, management_form, url

pytestmark = pytest.mark.django_db(transaction=True)


def found(client, q: str) -> list[str]:
    response = client.get("/ja/activities/", {"q": q})
    assert response.status_code == 200
    return [a.slug for a in response.context["activities"]]


def document_writes(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries if "search_document" in q["sql"] and "UPDATE" in q["sql"]]


def test_a_record_saved_with_many_rows_is_reindexed_once_on_commit(admin_client, client):
    partners = [
        factories.OrganizationFactory(name_ja="気候同盟"),
        factories.OrganizationFactory(name_ja="地方自治体協議会"),
    ]
    venues = [factories.VenueFactory(name_ja="国際会議場"), factories.VenueFactory()]
    people = [factories.ParticipantFactory(name_ja=f"代表者{n}") for n in range(4)]
    rows = {}
    for n, person in enumerate(people):
        rows |= {
            f"attendances-{n}-participant": str(person.pk),
            f"attendances-{n}-title_ja": f"肩書{n}",
            f"attendances-{n}-role": Attendance.Role.COUNTERPART,
            f"attendances-{n}-order": str(n),
        }

    with CaptureQueriesContext(connection) as queries:
        response = admin_client.post(
            url(Activity, "add"),
            activity_form_data(
                status=Activity.Status.PUBLISHED,
                published_at_0="2020-02-05",
                published_at_1="12:00:00",
                partners=[str(p.pk) for p in partners],
                venues=[str(v.pk) for v in venues],
                **management_form("attendances", total=len(people)),
                **rows,
            ),
        )
    assert_saved(response)

    # Two partners, two venues and four attendances, one document write.
    assert len(document_writes(queries)) == 1
    # ... made from every row, as saved.
    activity = Activity.objects.get()
    assert activity.search_document == search.document_of(activity)
    for q in ("気候同盟", "国際会議場", "代表者0", "肩書3"):
        assert found(client, q) == ["2020-02-05"], q


def test_a_rolled_back_change_leaves_the_search_as_it_was(client):
    iclei = factories.OrganizationFactory(name_ja="イクレイ")
    factories.ActivityFactory(
        slug="membership", start_date=datetime.date(2013, 7, 21), partners=[iclei]
    )
    assert found(client, "イクレイ") == ["membership"]

    with pytest.raises(RuntimeError), transaction.atomic():
        iclei.name_ja = "自治体協議会"
        iclei.save()
        raise RuntimeError("the rest of the change failed")

    assert found(client, "イクレイ") == ["membership"]
    assert found(client, "自治体協議会") == []


def test_a_transaction_finds_what_it_wrote_before_it_commits(client):
    activity = factories.ActivityFactory(slug="membership", title_ja="加盟")
    with transaction.atomic():
        activity.title_ja = "新しい題名"
        activity.save()
        assert found(client, "題名") == ["membership"]
    assert found(client, "題名") == ["membership"]
