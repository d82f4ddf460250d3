"""The Editor and Publisher groups the migrations create, used as staff would be."""

from __future__ import annotations

import datetime
import html
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.test import Client

from activities.models import Activity, Organization
from tests import factories
from tests.html_forms import form_data
from tests.test_admin import (
    ACTIVITIES,
    activity_form_data,
    assert_saved,
    change_data,
    post_action,
    url,
)

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


def test_each_chosen_partner_theme_and_venue_can_be_changed_in_a_pop_up(
    editor, django_user_model
) -> None:
    """For js/admin-chosen-edit.js: where each chosen one's ✎ leads, and only for staff
    who may change it (the click itself: tests/test_admin_browser.py)."""
    page = editor.get(url(Activity, "add")).content.decode()
    for field, model in [
        ("partners", "organization"),
        ("themes", "theme"),
        ("venues", "venue"),
    ]:
        select = re.search(rf'<select[^>]*id="id_{field}"[^>]*>', page).group(0)
        assert (
            f'data-change-url="/admin/activities/{model}/__fk__/change/?_to_field=id&amp;_popup=1"'
            in select
        )
        assert 'data-change-label="「{name}」を変更"' in select

    # Someone who may change activities but only look at partners gets no ✎ there.
    user = django_user_model.objects.create_user("viewer", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="activities",
            codename__in=["add_activity", "change_activity", "view_organization"],
        )
    )
    client = Client()
    client.force_login(user)
    page = client.get(url(Activity, "add")).content.decode()
    select = re.search(r'<select[^>]*id="id_partners"[^>]*>', page).group(0)
    assert "data-change-url" not in select


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


# --- State at a glance, and what comes next ---------------------------------------------


def messages_after(response) -> list[str]:
    """The messages on the page a save led to, as the page shows them (with links)."""
    assert response.redirect_chain, "not saved"
    page = response.content.decode()
    return re.findall(r'<li class="(?:success|info)">(.*?)</li>', page, re.S)


def badge(status: str, label: str) -> str:
    return f'<span class="status-badge status-{status}">{label}</span>'


def test_the_list_shows_each_status_as_a_badge(editor) -> None:
    factories.ActivityFactory(draft=True, title="下書きの活動")
    factories.ActivityFactory(title="公開中の活動")

    page = editor.get(ACTIVITIES).content.decode()

    rows = dict(
        re.findall(r">([^<]*の活動)</a>.*?<td class=\"field-status_badge\">(.*?)</td>", page, re.S)
    )
    assert rows == {
        "下書きの活動": badge("draft", "下書き"),
        "公開中の活動": badge("published", "公開中"),
    }
    # Styled by the project's stylesheet, which says what each badge looks like.
    assert 'href="/static/css/admin.css"' in page
    css = (Path(settings.BASE_DIR) / "static" / "css" / "admin.css").read_text()
    assert ".status-draft {" in css and ".status-published {" in css


@pytest.mark.parametrize("draft", [True, False], ids=["draft", "published"])
def test_the_form_shows_the_status_at_its_top(editor, draft) -> None:
    activity = factories.ActivityFactory(draft=draft)

    page = editor.get(url(Activity, "change", activity.pk)).content.decode()

    top = page.split('id="activity_form"')[1].split("<fieldset")[0]
    expected = badge("draft", "下書き") if draft else badge("published", "公開中")
    assert f'<p class="activity-status">状態： {expected}' in top


def test_a_form_with_errors_shows_the_status_as_stored(publisher) -> None:
    activity = factories.ActivityFactory(draft=True)

    response = publisher.post(
        url(Activity, "change", activity.pk),
        change_data(activity, status="published", end_date="2000-01-01"),
    )

    assert response.status_code == 200
    assert (
        f'<p class="activity-status">状態： {badge("draft", "下書き")}' in response.content.decode()
    )


def test_an_editor_is_told_the_draft_waits_for_a_publisher(editor) -> None:
    # Added in a pop-up (from a photo's form), which closes at once: no message waits
    # for a later page.
    assert editor.post(url(Activity, "add"), activity_form_data(_popup="1")).status_code == 200
    assert "下書きとして保存しました" not in editor.get(ACTIVITIES).content.decode()

    response = editor.post(url(Activity, "add"), activity_form_data(), follow=True)

    activity = Activity.objects.latest("pk")
    assert messages_after(response)[-1] == (
        "下書きとして保存しました。公開するには、公開担当の職員に依頼してください。 "
        f'<a href="/ja/activities/{activity.slug}/">下書きをプレビュー</a>'
    )
    # The preview is there for the editor, not for the public.
    assert editor.get(f"/ja/activities/{activity.slug}/").status_code == 200
    assert Client().get(f"/ja/activities/{activity.slug}/").status_code == 404


def test_saving_a_published_activity_says_the_public_page_shows_it(publisher) -> None:
    # Only a publisher saves a published activity; an editor proposes a change
    # (tests/test_review.py).
    activity = factories.ActivityFactory()

    response = publisher.post(
        url(Activity, "change", activity.pk), change_data(activity), follow=True
    )

    assert messages_after(response)[-1] == (
        "保存しました。公開中のページに反映されています。 "
        f'<a href="/ja/activities/{activity.slug}/">公開ページで見る</a>'
    )


def test_a_publisher_is_told_how_to_publish_a_draft(publisher) -> None:
    activity = factories.ActivityFactory(draft=True)

    response = publisher.post(
        url(Activity, "change", activity.pk), change_data(activity), follow=True
    )

    assert messages_after(response)[-1].startswith(
        "下書きとして保存しました。まだ公開されていません。"
        "公開するには、状態を「公開中」にして保存してください。 "
    )


def test_publishing_and_withdrawing_from_the_form_say_so(publisher) -> None:
    activity = factories.ActivityFactory(draft=True)

    response = publisher.post(
        url(Activity, "change", activity.pk),
        change_data(activity, status="published"),
        follow=True,
    )
    assert messages_after(response)[-1].startswith(
        "公開しました。公開ページでだれでも見られます。 "
        f'<a href="/ja/activities/{activity.slug}/">公開ページで見る</a>'
    )

    activity.refresh_from_db()
    response = publisher.post(
        url(Activity, "change", activity.pk),
        change_data(activity, status="draft"),
        follow=True,
    )
    assert messages_after(response)[-1].startswith(
        "公開を取り下げました。下書きに戻り、公開サイトには表示されません。 "
    )


@pytest.mark.parametrize("draft", [True, False], ids=["draft", "published"])
def test_the_button_to_the_site_says_what_it_opens(editor, draft) -> None:
    activity = factories.ActivityFactory(draft=draft)

    page = editor.get(url(Activity, "change", activity.pk)).content.decode()

    label = re.search(r'class="viewsitelink">([^<]*)<', page)[1]
    assert label == ("下書きをプレビュー" if draft else "公開ページで見る")


# --- The first publication date ----------------------------------------------------------


def test_a_drafts_first_publication_date_is_shown_not_typed(publisher) -> None:
    first = datetime.datetime(2020, 2, 5, 10, 0, tzinfo=datetime.UTC)
    withdrawn = factories.ActivityFactory(draft=True, published_at=first)

    page = publisher.get(url(Activity, "change", withdrawn.pk)).content.decode()

    assert 'name="published_at_0"' not in page
    assert re.search(r'field-published_at">.*?2020年2月5日', page, re.S)

    data = change_data(withdrawn, published_at_0="2024-01-01", published_at_1="09:00:00")
    assert_saved(publisher.post(url(Activity, "change", withdrawn.pk), data))
    withdrawn.refresh_from_db()
    assert withdrawn.published_at == first


def test_publishing_sets_the_date_which_a_publisher_may_then_correct(publisher) -> None:
    activity = factories.ActivityFactory(draft=True)
    assert (
        'name="published_at_0"'
        not in publisher.get(url(Activity, "change", activity.pk)).content.decode()
    )
    assert_saved(
        publisher.post(
            url(Activity, "change", activity.pk), change_data(activity, status="published")
        )
    )
    activity.refresh_from_db()
    assert activity.published_at is not None

    page = publisher.get(url(Activity, "change", activity.pk)).content.decode()
    assert 'name="published_at_0"' in page
    data = form_data(page, "activity_form")
    data.update(published_at_0=["2020-02-05"], published_at_1=["10:00:00"])
    assert_saved(publisher.post(url(Activity, "change", activity.pk), data))

    activity.refresh_from_db()
    assert activity.published_at.date() == datetime.date(2020, 2, 5)


def test_a_new_activity_has_no_publication_date_to_type(publisher) -> None:
    page = publisher.get(url(Activity, "add")).content.decode()

    assert 'name="status"' in page
    assert 'name="published_at_0"' not in page
