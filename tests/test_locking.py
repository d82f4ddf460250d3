"""No lost edits: two staff open the same activity; the second, stale save is refused
with what changed, and the first edit is kept."""

from __future__ import annotations

import html
import re
from unittest import mock

import pytest
from django.test import Client

from activities.forms import ActivityAdminForm
from activities.locking import EditConflict, claim_next_version
from activities.models import Activity, Photo
from tests import factories
from tests.html_forms import form_data
from tests.test_admin import (
    ACTIVITIES,
    PUBLISHER_PERMISSIONS,
    activity_form_data,
    assert_saved,
    change_data,
    staff_client,
    url,
)

pytestmark = pytest.mark.django_db


def staff(django_user_model, username: str, first_name: str = "") -> Client:
    client = staff_client(django_user_model, username, PUBLISHER_PERMISSIONS)
    django_user_model.objects.filter(username=username).update(first_name=first_name)
    return client


def open_form(client: Client, activity: Activity) -> dict:
    """GET the change form, and post back what the browser would: the stored values
    and the hidden lock fields as they are in the page."""
    page = client.get(url(Activity, "change", activity.pk)).content.decode()
    hidden = {
        name: html.unescape(value)
        for name, value in re.findall(
            r'<input type="hidden" name="(version|loaded_state)" value="([^"]*)"', page
        )
    }
    assert set(hidden) == {"version", "loaded_state"}, "lock fields missing from the form"
    activity.refresh_from_db()
    texts = {
        f"{name}_{language}": getattr(activity, f"{name}_{language}") or ""
        for name in ("title", "summary", "body")
        for language in ("ja", "en")
    }
    return change_data(activity, **texts, **hidden)


@pytest.fixture
def activity() -> Activity:
    return factories.ActivityFactory(
        draft=True,
        title="Before",
        body="Original body.",
        partners=[factories.OrganizationFactory()],
    )


def test_stale_save_is_refused_and_names_what_the_colleague_changed(
    django_user_model, activity
) -> None:
    alice, bob = staff(django_user_model, "alice"), staff(django_user_model, "bob")
    alice_form, bob_form = open_form(alice, activity), open_form(bob, activity)
    new_partner = factories.OrganizationFactory(name="ICLEI Japan")

    assert_saved(
        alice.post(
            url(Activity, "change", activity.pk),
            {**alice_form, "title_ja": "Alice's title", "partners": [str(new_partner.pk)]},
        )
    )
    response = bob.post(
        url(Activity, "change", activity.pk), {**bob_form, "body_ja": "Body by Bob."}
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors()
    text = " ".join(errors)
    assert "alice" in text
    assert "Alice's title" in text
    assert "ICLEI Japan" in text
    # Only what Alice changed is listed, not what Bob changed.
    assert "body" not in text.lower() and "本文" not in text
    assert "Body by Bob." in response.content.decode()  # his typing is still in the form
    activity.refresh_from_db()
    assert activity.title == "Alice's title"
    assert activity.body == "Original body."
    assert list(activity.partners.all()) == [new_partner]
    assert activity.version == 2


def test_after_reopening_the_second_save_goes_through(django_user_model, activity) -> None:
    alice, bob = staff(django_user_model, "alice"), staff(django_user_model, "bob")
    alice_form, bob_form = open_form(alice, activity), open_form(bob, activity)
    assert_saved(alice.post(url(Activity, "change", activity.pk), {**alice_form, "title_ja": "A"}))
    bob.post(url(Activity, "change", activity.pk), {**bob_form, "body_ja": "Body by Bob."})

    reopened = open_form(bob, activity)
    assert_saved(bob.post(url(Activity, "change", activity.pk), {**reopened, "body_ja": "B"}))

    activity.refresh_from_db()
    assert (activity.title, activity.body, activity.version) == ("A", "B", 3)


def test_own_consecutive_saves_are_not_conflicts(admin_client, activity) -> None:
    for title in ("One", "Two", "Three"):
        form = open_form(admin_client, activity)
        data = {**form, "title_ja": title, "_continue": "1"}
        assert_saved(admin_client.post(url(Activity, "change", activity.pk), data))
    activity.refresh_from_db()
    assert (activity.title, activity.version) == ("Three", 4)


def test_publishing_meanwhile_makes_an_open_form_stale(django_user_model, activity) -> None:
    alice, bob = staff(django_user_model, "alice"), staff(django_user_model, "bob")
    bob_form = open_form(bob, activity)  # shows status "draft"

    alice.post(ACTIVITIES, {"action": "publish", "index": "0", "_selected_action": [activity.pk]})
    response = bob.post(url(Activity, "change", activity.pk), {**bob_form, "title_ja": "Bob"})

    assert response.status_code == 200
    assert "公開" in " ".join(response.context["adminform"].form.non_field_errors())
    activity.refresh_from_db()
    assert activity.is_published  # not put back to draft by Bob's stale form
    assert activity.title == "Before"


def test_an_editors_stale_save_is_refused_too(django_user_model, activity) -> None:
    from tests.test_admin import EDITOR_PERMISSIONS

    editor = staff_client(django_user_model, "editor", EDITOR_PERMISSIONS)
    alice = staff(django_user_model, "alice")
    editor_form, alice_form = open_form(editor, activity), open_form(alice, activity)
    editor_form.pop("status")
    assert_saved(alice.post(url(Activity, "change", activity.pk), {**alice_form, "title_ja": "A"}))

    response = editor.post(url(Activity, "change", activity.pk), {**editor_form, "body_ja": "E"})

    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors()
    activity.refresh_from_db()
    assert (activity.title, activity.body) == ("A", "Original body.")


def test_a_save_without_a_version_is_refused(admin_client, activity) -> None:
    data = open_form(admin_client, activity)
    del data["version"]

    response = admin_client.post(url(Activity, "change", activity.pk), {**data, "title_ja": "X"})

    assert response.status_code == 200
    activity.refresh_from_db()
    assert activity.title == "Before"


def test_garbled_loaded_state_still_refuses_without_a_field_list(
    django_user_model, activity
) -> None:
    alice, bob = staff(django_user_model, "alice"), staff(django_user_model, "bob")
    alice_form, bob_form = open_form(alice, activity), open_form(bob, activity)
    assert_saved(alice.post(url(Activity, "change", activity.pk), {**alice_form, "title_ja": "A"}))

    response = bob.post(
        url(Activity, "change", activity.pk), {**bob_form, "loaded_state": "{not json" * 100}
    )

    assert response.status_code == 200
    assert len(response.context["adminform"].form.non_field_errors()) == 2
    activity.refresh_from_db()
    assert activity.title == "A"


def test_adding_needs_no_version(admin_client) -> None:
    assert_saved(admin_client.post(url(Activity, "add"), activity_form_data()))
    assert Activity.objects.get().version == 1


def test_a_save_that_loses_the_race_is_undone(admin_client, activity) -> None:
    """Both saves pass the form's check at once; the database lets one through."""
    data = open_form(admin_client, activity)
    original_clean = ActivityAdminForm.clean

    def clean_then_colleague_saves(form):
        cleaned = original_clean(form)
        Activity.objects.filter(pk=activity.pk).update(title="Colleague", version=2)
        return cleaned

    with mock.patch.object(ActivityAdminForm, "clean", clean_then_colleague_saves):
        response = admin_client.post(
            url(Activity, "change", activity.pk), {**data, "title_ja": "Mine"}
        )

    assert response.status_code == 302
    assert response["Location"] == url(Activity, "change", activity.pk)
    page = admin_client.get(response["Location"]).content.decode()
    assert "同時に" in page
    # The whole save was rolled back (here with the simulated colleague's write, which
    # ran on the same connection; in production it is another, committed transaction).
    activity.refresh_from_db()
    assert activity.title == "Before"
    assert activity.version == 1


def test_claim_next_version_refuses_a_stale_version(activity) -> None:
    stale = Activity.objects.get(pk=activity.pk)
    claim_next_version(activity)

    with pytest.raises(EditConflict):
        claim_next_version(stale)
    assert Activity.objects.get(pk=activity.pk).version == 2


# -- the parts of an activity: photos, people, links -------------------------------


def page_form(client: Client, path: str, form_id: str) -> dict:
    response = client.get(path)
    assert response.status_code == 200
    return form_data(response.content.decode(), form_id)


def refusal(response) -> str:
    assert response.status_code == 200, "the stale save went through"
    return " ".join(response.context["adminform"].form.non_field_errors())


@pytest.fixture
def with_photo(activity) -> Photo:
    return factories.PhotoFactory(activity=activity, caption_ja="会談の様子", alt_text_ja="握手")


def test_a_photo_edited_on_its_own_page_makes_an_open_activity_form_stale(
    django_user_model, activity, with_photo
) -> None:
    alice = staff(django_user_model, "alice")
    bob = staff(django_user_model, "bob", first_name="Bob")
    activity_form = page_form(alice, url(Activity, "change", activity.pk), "activity_form")
    assert activity_form["photos-0-caption_ja"] == ["会談の様子"]

    photo_form = page_form(bob, url(Photo, "change", with_photo.pk), "photo_form")
    assert_saved(
        bob.post(url(Photo, "change", with_photo.pk), {**photo_form, "caption_ja": ["署名式"]})
    )
    # Alice saves her form, which still shows the old caption.
    text = refusal(
        alice.post(url(Activity, "change", activity.pk), {**activity_form, "title_ja": ["A"]})
    )

    assert "Bob" in text and "署名式" in text and "写真" in text
    with_photo.refresh_from_db()
    activity.refresh_from_db()
    assert (with_photo.caption_ja, activity.title) == ("署名式", "Before")


def test_an_order_changed_in_the_photo_list_makes_an_open_activity_form_stale(
    django_user_model, activity, with_photo
) -> None:
    alice, bob = staff(django_user_model, "alice"), staff(django_user_model, "bob")
    activity_form = page_form(alice, url(Activity, "change", activity.pk), "activity_form")
    listed = page_form(bob, url(Photo), "changelist-form")
    assert listed["form-0-version"] == [str(with_photo.version)]

    response = bob.post(url(Photo), {**listed, "form-0-order": ["5"], "_save": ["1"]})
    assert response.status_code == 302
    response = alice.post(url(Activity, "change", activity.pk), activity_form)

    assert "写真" in refusal(response)
    with_photo.refresh_from_db()
    assert with_photo.order == 5


def test_an_activity_save_that_changed_a_photo_makes_its_open_photo_page_stale(
    django_user_model, activity, with_photo
) -> None:
    alice = staff(django_user_model, "alice")
    bob = staff(django_user_model, "bob", first_name="Bob")
    photo_form = page_form(alice, url(Photo, "change", with_photo.pk), "photo_form")

    activity_form = page_form(bob, url(Activity, "change", activity.pk), "activity_form")
    assert_saved(
        bob.post(
            url(Activity, "change", activity.pk),
            {**activity_form, "photos-0-caption_ja": ["署名式"]},
        )
    )
    text = refusal(
        alice.post(url(Photo, "change", with_photo.pk), {**photo_form, "credit_ja": ["市"]})
    )

    assert "Bob" in text and "署名式" in text
    with_photo.refresh_from_db()
    assert with_photo.caption_ja == "署名式" and not with_photo.credit_ja


def test_a_stale_photo_list_is_refused_where_it_would_undo_a_change(
    django_user_model, activity, with_photo
) -> None:
    other = factories.PhotoFactory(activity=activity, alt_text_ja="会場", order=1)
    alice, bob = staff(django_user_model, "alice"), staff(django_user_model, "bob")
    listed = page_form(alice, url(Photo), "changelist-form")
    rows = {int(listed[f"form-{i}-id"][0]): i for i in range(2)}

    photo_form = page_form(bob, url(Photo, "change", with_photo.pk), "photo_form")
    assert_saved(bob.post(url(Photo, "change", with_photo.pk), {**photo_form, "order": ["7"]}))

    # Alice moves the photo Bob moved: refused, and nothing of her list is saved.
    i, j = rows[with_photo.pk], rows[other.pk]
    response = alice.post(
        url(Photo), {**listed, f"form-{i}-order": ["3"], f"form-{j}-order": ["4"], "_save": "1"}
    )
    assert response.status_code == 200
    assert "一覧を開き直して" in response.content.decode()
    with_photo.refresh_from_db()
    other.refresh_from_db()
    assert (with_photo.order, other.order) == (7, 1)

    # Moving only the other photo is no conflict, and Bob's change is not undone:
    # the list keeps the order it showed, so the row Alice left is not saved.
    response = alice.post(url(Photo), {**listed, f"form-{j}-order": ["4"], "_save": "1"})
    assert response.status_code == 302
    with_photo.refresh_from_db()
    other.refresh_from_db()
    assert (with_photo.order, other.order) == (7, 4)


def test_a_person_or_link_added_meanwhile_makes_an_open_form_stale(
    django_user_model, activity
) -> None:
    alice, bob = staff(django_user_model, "alice"), staff(django_user_model, "bob")
    activity_form = page_form(alice, url(Activity, "change", activity.pk), "activity_form")
    version = activity.version

    factories.AttendanceFactory(activity=activity, participant__name_ja="浜中裕徳")
    factories.ActivityLinkFactory(activity=activity, label_ja="イクレイ日本")
    activity.refresh_from_db()
    assert activity.version == version + 2

    text = refusal(alice.post(url(Activity, "change", activity.pk), activity_form))
    assert "浜中裕徳" in text and "イクレイ日本" in text
    assert bob  # a second account exists; the change came from elsewhere


def test_a_photo_deleted_meanwhile_makes_an_open_form_stale(
    django_user_model, activity, with_photo
) -> None:
    alice = staff(django_user_model, "alice")
    activity_form = page_form(alice, url(Activity, "change", activity.pk), "activity_form")
    with_photo.delete()

    text = refusal(
        alice.post(url(Activity, "change", activity.pk), {**activity_form, "title_ja": ["A"]})
    )
    assert "1件削除" in text


def test_the_activity_form_saves_its_photos_and_moves_their_versions_on(
    admin_client, activity, with_photo
) -> None:
    form = page_form(admin_client, url(Activity, "change", activity.pk), "activity_form")
    assert_saved(
        admin_client.post(
            url(Activity, "change", activity.pk), {**form, "photos-0-caption_ja": ["署名式"]}
        )
    )
    with_photo.refresh_from_db()
    assert (with_photo.caption_ja, with_photo.version) == ("署名式", 2)
    # Saving it again unchanged moves nothing.
    form = page_form(admin_client, url(Activity, "change", activity.pk), "activity_form")
    assert_saved(admin_client.post(url(Activity, "change", activity.pk), form))
    with_photo.refresh_from_db()
    assert with_photo.version == 2
