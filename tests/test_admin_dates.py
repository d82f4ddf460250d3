"""Dates in the admin as Japanese staff write them: 2021/11/1, 2021年11月1日,
令和3年11月1日, R3.11.1, in full-width characters too; an example under each date
field, and a refusal that says why and what is accepted."""

from __future__ import annotations

import datetime
import json
import re
from html import unescape

import pytest
from django import forms
from django.contrib import admin
from django.contrib.auth.models import User
from django.forms import SplitDateTimeField
from django.test import Client, RequestFactory

from activities.forms import StaffDateField, StaffSplitDateTimeField
from activities.models import Activity
from tests import factories
from tests.html_forms import form_data
from tests.test_admin import (
    EDITOR_PERMISSIONS,
    PUBLISHER_PERMISSIONS,
    activity_form_data,
    assert_saved,
    change_data,
    staff_client,
    url,
)

pytestmark = pytest.mark.django_db

TOKYO = datetime.timezone(datetime.timedelta(hours=9))

DATE_EXAMPLE = "例：2021/11/1、2021年11月1日、令和3年11月1日、R3.11.1"


@pytest.fixture
def editor_client(django_user_model) -> Client:
    return staff_client(django_user_model, "editor", EDITOR_PERMISSIONS)


@pytest.fixture
def publisher_client(django_user_model) -> Client:
    return staff_client(django_user_model, "publisher", PUBLISHER_PERMISSIONS)


def page_text(response) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))


def field_errors(response, name: str) -> list[str]:
    return response.context["adminform"].form.errors.get(name, [])


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("2021年11月1日", "令和3年11月3日"),
        ("２０２１／１１／１", "Ｒ３．１１．３"),
        ("2021/11/1", "R3.11.3"),
        ("令和３年１１月１日", "令3.11.3"),
    ],
    ids=["kanji-and-era", "full-width", "slashes-and-initial", "full-width-era-and-kanji"],
)
def test_an_editor_saves_an_activity_with_dates_as_staff_write_them(editor_client, start, end):
    response = editor_client.post(
        url(Activity, "add"), activity_form_data(start_date=start, end_date=end)
    )

    assert_saved(response)
    activity = Activity.objects.get()
    assert (activity.start_date, activity.end_date) == (
        datetime.date(2021, 11, 1),
        datetime.date(2021, 11, 3),
    )


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (
            "11/01/2021",
            "年・月・日の順に、2021/11/1 のように入力してください。"
            "月/日/年の順は読み違えやすいため使えません。",
        ),
        (
            "平成31年5月1日",
            "平成は平成31年4月30日で終わりました。2019年5月1日は令和元年5月1日です。",
        ),
        ("2021/2/30", "2021年2月に30日はありません（28日までです）。"),
        (
            "来週",
            "日付は年・月・日の順に、2021/11/1、2021-11-01、2021年11月1日、令和3年11月1日、"
            "R3.11.1 のように入力してください（全角でも入力できます）。",
        ),
    ],
    ids=["month-day-year", "after-heisei", "no-such-day", "not-a-date"],
)
def test_a_date_the_form_cannot_read_says_why_and_keeps_what_was_typed(
    editor_client, typed, message
):
    response = editor_client.post(url(Activity, "add"), activity_form_data(start_date=typed))

    assert response.status_code == 200
    assert not Activity.objects.exists()
    assert field_errors(response, "start_date") == [message]
    assert message in page_text(response)
    # Shown again as typed, to be corrected rather than typed again.
    assert form_data(response.content.decode(), "activity_form")["start_date"] == [typed]


def test_the_date_fields_show_an_example(editor_client, publisher_client):
    page = page_text(editor_client.get(url(Activity, "add")))

    # Start date alone, and the end date after its own help.
    assert page.count(DATE_EXAMPLE) == 2
    assert f"複数日にわたる活動の場合のみ。 {DATE_EXAMPLE}" in page

    # The first publication date is set by publishing; once public, it can be corrected.
    published = factories.ActivityFactory()
    page = page_text(publisher_client.get(url(Activity, "change", published.pk)))
    assert "日付の例：2021/11/1、令和3年11月1日　時刻の例：10:00" in page


def test_a_publisher_types_the_first_publication_in_an_era(publisher_client):
    activity = factories.ActivityFactory()
    response = publisher_client.post(
        url(Activity, "change", activity.pk),
        change_data(
            activity,
            start_date="R3.11.1",
            published_at_0="令和3年11月5日",
            published_at_1="１０：３０",
        ),
    )

    assert_saved(response)
    activity.refresh_from_db()
    assert activity.start_date == datetime.date(2021, 11, 1)
    assert activity.is_published
    assert activity.published_at == datetime.datetime(2021, 11, 5, 10, 30, tzinfo=TOKYO)


def test_a_bad_first_publication_date_says_why(publisher_client):
    first = datetime.datetime(2021, 11, 5, 10, 30, tzinfo=TOKYO)
    activity = factories.ActivityFactory(published_at=first)
    response = publisher_client.post(
        url(Activity, "change", activity.pk),
        change_data(activity, published_at_0="令和0年11月5日", published_at_1="10:30"),
    )

    assert response.status_code == 200
    assert field_errors(response, "published_at") == [
        "令和0年はありません。令和の最初の年は令和元年です。"
    ]
    activity.refresh_from_db()
    assert activity.published_at == first


def test_a_saved_date_shows_as_staff_write_it_and_saves_back_unchanged(publisher_client):
    activity = factories.ActivityFactory(
        start_date=datetime.date(2021, 11, 1),
        end_date=datetime.date(2021, 11, 3),
        published_at=datetime.datetime(2021, 11, 5, 10, 30, tzinfo=TOKYO),
    )
    page = publisher_client.get(url(Activity, "change", activity.pk)).content.decode()

    data = form_data(page, "activity_form")
    assert (data["start_date"], data["end_date"]) == (["2021/11/01"], ["2021/11/03"])
    assert (data["published_at_0"], data["published_at_1"]) == (["2021/11/05"], ["10:30:00"])

    assert_saved(publisher_client.post(url(Activity, "change", activity.pk), data))
    activity.refresh_from_db()
    assert (activity.start_date, activity.end_date) == (
        datetime.date(2021, 11, 1),
        datetime.date(2021, 11, 3),
    )
    assert activity.published_at == datetime.datetime(2021, 11, 5, 10, 30, tzinfo=TOKYO)


def test_the_calendar_writes_dates_as_staff_write_them(editor_client):
    # DateTimeShortcuts.js writes the day picked with the first of these.
    catalog = editor_client.get("/admin/jsi18n/").content.decode()
    formats = json.loads(re.search(r"django.formats = (\{.*?\});", catalog, re.S).group(1))
    picked = datetime.date(2021, 11, 1).strftime(formats["DATE_INPUT_FORMATS"][0])
    assert picked == "2021/11/01"

    activity = factories.ActivityFactory(draft=True)
    response = editor_client.post(
        url(Activity, "change", activity.pk), change_data(activity, start_date=picked)
    )

    assert_saved(response)
    activity.refresh_from_db()
    assert activity.start_date == datetime.date(2021, 11, 1)


def every_admin_form(request) -> list[tuple[str, type[forms.BaseForm]]]:
    """The add and change forms of each admin and of each inline, as a superuser gets
    them (some admins, the users', have a form of their own for adding)."""
    found = []
    for model, model_admin in admin.site._registry.items():
        # A published activity's form has its first publication date too.
        shown = [Activity(status=Activity.Status.PUBLISHED)] if model is Activity else []
        for obj in (None, model(), *shown):
            found.append((model.__name__, model_admin.get_form(request, obj)))
            for inline in model_admin.get_inline_instances(request, obj):
                name = f"{model.__name__} › {inline.model.__name__}"
                found.append((name, inline.get_formset(request, obj).form))
    return found


def test_every_date_typed_in_the_admin_is_read_as_staff_write_it(django_user_model):
    request = RequestFactory().get("/admin/")
    request.user = django_user_model.objects.create_superuser("boss", "boss@example.com", "x")

    date_fields, plain = [], []
    for name, form_class in every_admin_form(request):
        for field_name, field in form_class.base_fields.items():
            if isinstance(field, (StaffDateField, StaffSplitDateTimeField)):
                date_fields.append(f"{name}.{field_name}")
            elif isinstance(field, (forms.DateField, forms.DateTimeField, SplitDateTimeField)):
                plain.append(f"{name}.{field_name}")

    assert plain == []
    # Ours, and those of Django's own admins.
    assert {"Activity.start_date", "Activity.end_date", "Activity.published_at"} <= set(date_fields)
    assert {f"{User.__name__}.date_joined", f"{User.__name__}.last_login"} <= set(date_fields)
