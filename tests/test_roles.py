"""The Editor and Publisher groups the migrations create, used as staff would be."""

from __future__ import annotations

import html
import json
import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from activities.models import Activity, Organization
from tests import factories
from tests.test_admin import ACTIVITIES, assert_saved, change_data, post_action, url

pytestmark = pytest.mark.django_db


def member_of(django_user_model, group: str) -> Client:
    user = django_user_model.objects.create_user(username=group.lower(), is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def editor(django_user_model) -> Client:
    return member_of(django_user_model, "Editor")


@pytest.fixture
def publisher(django_user_model) -> Client:
    return member_of(django_user_model, "Publisher")


def codenames(group: str) -> set[str]:
    return set(Group.objects.get(name=group).permissions.values_list("codename", flat=True))


def test_the_migrations_create_both_groups() -> None:
    editor, publisher = codenames("Editor"), codenames("Publisher")

    assert {"add_activity", "change_activity", "view_activity", "add_photo"} <= editor
    assert {"add_organization", "change_venue", "delete_attendance"} <= editor
    assert not {"publish_activity", "delete_activity", "delete_organization"} & editor
    assert editor < publisher
    assert {"publish_activity", "delete_activity", "delete_organization"} <= publisher


def test_editor_edits_but_the_status_is_read_only(editor) -> None:
    activity = factories.ActivityFactory(draft=True, title="Before")

    page = editor.get(url(Activity, "change", activity.pk)).content.decode()
    assert 'name="title_ja"' in page
    assert 'name="status"' not in page and 'name="published_at_0"' not in page

    data = change_data(activity, title_ja="After")
    del data["status"]
    assert_saved(editor.post(url(Activity, "change", activity.pk), data))
    activity.refresh_from_db()
    assert (activity.title, activity.status) == ("After", Activity.Status.DRAFT)


def test_editor_is_not_offered_publish_or_withdraw(editor, publisher) -> None:
    factories.ActivityFactory(draft=True)

    def offered(client: Client) -> set[str]:
        form = client.get(ACTIVITIES).context["action_form"]
        return {value for value, _label in form.fields["action"].choices} if form else set()

    assert not {"publish", "withdraw", "delete_selected"} & offered(editor)
    assert {"publish", "withdraw", "delete_selected"} <= offered(publisher)


def test_editor_cannot_publish_or_withdraw_by_forging_a_post(editor) -> None:
    draft = factories.ActivityFactory(draft=True)
    published = factories.ActivityFactory()

    post_action(editor, "publish", [draft])
    post_action(editor, "withdraw", [published])
    editor.post(
        url(Activity, "change", draft.pk),
        change_data(draft, status="published", published_at_0="2020-02-05", published_at_1="10:00"),
    )
    editor.post(url(Activity, "change", published.pk), change_data(published, status="draft"))

    draft.refresh_from_db()
    published.refresh_from_db()
    assert (draft.status, draft.published_at) == (Activity.Status.DRAFT, None)
    assert published.status == Activity.Status.PUBLISHED


def test_editor_cannot_delete_an_activity(editor) -> None:
    activity = factories.ActivityFactory()

    assert editor.post(url(Activity, "delete", activity.pk), {"post": "yes"}).status_code == 403
    assert Activity.objects.filter(pk=activity.pk).exists()


def test_editor_adds_a_partner_but_cannot_delete_one(editor) -> None:
    response = editor.post(
        url(Organization, "add"),
        {"name_ja": "イクレイ", "slug": "iclei", "kind": Organization.Kind.INTERNATIONAL_NETWORK},
    )
    assert response.status_code == 302
    organization = Organization.objects.get(slug="iclei")

    assert (
        editor.post(url(Organization, "delete", organization.pk), {"post": "yes"}).status_code
        == 403
    )
    assert Organization.objects.filter(pk=organization.pk).exists()


def test_publisher_publishes_and_withdraws(publisher) -> None:
    activity = factories.ActivityFactory(draft=True)

    post_action(publisher, "publish", [activity])
    activity.refresh_from_db()
    assert activity.is_published

    post_action(publisher, "withdraw", [activity])
    activity.refresh_from_db()
    assert not activity.is_published


def test_publisher_deletes_an_unused_partner(publisher) -> None:
    organization = factories.OrganizationFactory()

    response = publisher.post(url(Organization, "delete", organization.pk), {"post": "yes"})

    assert response.status_code == 302
    assert not Organization.objects.filter(pk=organization.pk).exists()


def test_an_editor_can_add_every_related_record_from_the_activity_form(editor) -> None:
    """Partners, themes, venues, the department and people: each field has its ＋,
    opening the related record's add form in a pop-up."""
    page = editor.get(url(Activity, "add")).content.decode()
    for field, model in [
        ("partners", "organization"),
        ("themes", "theme"),
        ("venues", "venue"),
        ("department", "department"),
        ("attendances-0-participant", "participant"),
    ]:
        link = re.search(rf'<a[^>]*id="add_id_{field}"[^>]*>', page)
        assert link, f"no ＋ for {field}"
        assert f"/admin/activities/{model}/add/?_to_field=id&amp;_popup=1" in link.group(0)


def test_the_pop_up_returns_the_new_partner_to_the_activity_form(editor) -> None:
    response = editor.post(
        "/admin/activities/organization/add/?_to_field=id&_popup=1",
        {
            "_popup": "1",
            "_to_field": "id",
            "name_ja": "国連気候変動枠組条約事務局",
            "name_en": "UNFCCC secretariat",
            "short_name_ja": "UNFCCC",
            "slug": "unfccc",
            "kind": Organization.Kind.INTERNATIONAL_NETWORK,
        },
    )
    assert response.status_code == 200
    created = Organization.objects.get(slug="unfccc")
    # The page that closes the pop-up and puts the new partner into the field.
    data = re.search(r'data-popup-response="([^"]*)"', response.content.decode())
    assert data, "not the pop-up's closing page"
    assert json.loads(html.unescape(data.group(1)))["value"] == str(created.pk)
