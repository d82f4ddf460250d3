"""Review before anything goes public: an Editor's change to a published activity
waits, as a proposed change (変更案), for a Publisher's approval (承認)."""

from __future__ import annotations

import datetime
import re
from io import StringIO

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from activities import review
from activities.locking import EditConflict
from activities.models import Activity, Photo, ReviewRequest
from tests import factories
from tests.test_admin import (
    EDITOR_PERMISSIONS,
    PUBLISHER_PERMISSIONS,
    assert_saved,
    change_data,
    staff_client,
    url,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(django_user_model) -> Client:
    client = staff_client(django_user_model, "henshu", EDITOR_PERMISSIONS)
    django_user_model.objects.filter(username="henshu").update(email="henshu@example.jp")
    return client


@pytest.fixture
def publisher(django_user_model) -> Client:
    client = staff_client(django_user_model, "koukai", PUBLISHER_PERMISSIONS)
    django_user_model.objects.filter(username="koukai").update(email="koukai@example.jp")
    return client


@pytest.fixture
def public_activity():
    """A published activity with a partner, a theme, a person, a link and two photos."""
    activity = factories.ActivityFactory(
        title="ICLEI世界会議2018への参加",
        slug="iclei-2018",
        partners=[factories.OrganizationFactory(name="イクレイ")],
        themes=[factories.ThemeFactory(name="脱炭素")],
    )
    factories.AttendanceFactory(activity=activity, participant__name="清水勇人")
    factories.ActivityLinkFactory(activity=activity, url="https://iclei.org/")
    factories.PhotoFactory(activity=activity, caption="開会式", order=1)
    factories.PhotoFactory(activity=activity, caption="市長の講演", order=2)
    return activity


def propose(client: Client, activity: Activity) -> Activity:
    response = client.post(url(Activity, "propose-change", activity.pk))
    assert response.status_code == 302
    copy = Activity.objects.get(replaces=activity)
    assert response["Location"] == url(Activity, "change", copy.pk)
    return copy


def public_page(activity: Activity) -> str:
    response = Client().get(f"/ja/activities/{activity.slug}/")
    assert response.status_code == 200
    return response.content.decode()


def test_an_editor_cannot_change_a_published_activity_directly(editor, public_activity):
    page = editor.get(url(Activity, "change", public_activity.pk))
    assert page.status_code == 200
    text = page.content.decode()
    assert "変更案を作る" in text
    # Shown, not editable: no title field to type in.
    assert 'name="title_ja"' not in text

    response = editor.post(
        url(Activity, "change", public_activity.pk),
        change_data(public_activity, title_ja="書き換えたタイトル"),
    )
    assert response.status_code == 403
    public_activity.refresh_from_db()
    assert public_activity.title == "ICLEI世界会議2018への参加"


def test_a_proposed_change_copies_everything_and_stays_out_of_public_view(
    editor, public_activity, committed
):
    copy = propose(editor, public_activity)
    assert copy.status == Activity.Status.DRAFT
    assert copy.title == public_activity.title
    assert [o.name for o in copy.partners.all()] == ["イクレイ"]
    assert [t.name for t in copy.themes.all()] == ["脱炭素"]
    assert [a.participant.name for a in copy.attendances.all()] == ["清水勇人"]
    assert [link.url for link in copy.links.all()] == ["https://iclei.org/"]
    originals = list(public_activity.photos.all())
    copies = list(copy.photos.all())
    assert [p.caption for p in copies] == ["開会式", "市長の講演"]
    assert [p.origin_id for p in copies] == [p.pk for p in originals]
    # The copy shares the photos' files.
    assert [p.image.name for p in copies] == [p.image.name for p in originals]

    # Proposing again opens the same copy.
    assert propose(editor, public_activity) == copy

    editor_saves_title(editor, copy, "ICLEI世界会議2018（ソウル）への参加")
    committed()
    anonymous = Client()
    assert anonymous.get(f"/ja/activities/{copy.slug}/").status_code == 404
    assert "（ソウル）" not in public_page(public_activity)
    assert "（ソウル）" not in anonymous.get("/ja/activities/").content.decode()
    assert "（ソウル）" not in anonymous.get("/ja/activities/?q=ソウル").content.decode()
    # Its author previews it, marked as a preview.
    preview = editor.get(f"/ja/activities/{copy.slug}/").content.decode()
    assert "変更案のプレビュー" in preview and "（ソウル）" in preview


def editor_saves_title(client: Client, copy: Activity, title: str) -> None:
    data = change_data(copy, title_ja=title)
    # Status and publication are not the editor's to set: the form has no such fields.
    for name in ("status", "published_at_0", "published_at_1"):
        data.pop(name)
    assert_saved(client.post(url(Activity, "change", copy.pk), data))


def test_request_approve_and_the_public_page_changes(
    editor, publisher, public_activity, committed, django_capture_on_commit_callbacks
):
    copy = propose(editor, public_activity)
    editor_saves_title(editor, copy, "ICLEI世界会議2018（ソウル）への参加")
    first = copy.photos.get(order=1)
    first.caption = "開会式で挨拶する市長"
    first.save()
    removed = copy.photos.get(order=2)
    removed.delete()

    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(
            url(Activity, "request-review", copy.pk), {"comment": "会場名を補いました。"}
        )
    assert response.status_code == 302
    request = ReviewRequest.objects.get()
    assert request.is_open and request.comment == "会場名を補いました。"
    assert [m.to for m in mail.outbox] == [["koukai@example.jp"]]
    assert "ICLEI世界会議2018（ソウル）への参加" in mail.outbox[0].subject
    committed()
    assert "（ソウル）" not in public_page(public_activity)

    waiting = publisher.get("/admin/activities/activity/reviews/").content.decode()
    assert "ICLEI世界会議2018（ソウル）への参加" in waiting and "henshu" in waiting
    # The editor has no such list.
    assert editor.get("/admin/activities/activity/reviews/").status_code == 403

    page = publisher.get(f"/admin/activities/activity/reviews/{request.pk}/").content.decode()
    assert "<ins>（ソウル）</ins>" in page
    assert "<ins>で挨拶する市長</ins>" in page
    assert "市長の講演" in page  # the removed photo

    photo_pks = sorted(public_activity.photos.values_list("pk", flat=True))
    response = publisher.post(
        f"/admin/activities/activity/reviews/{request.pk}/", {"_approve": "1", "reply": ""}
    )
    assert response.status_code == 302
    committed()
    assert not Activity.objects.filter(pk=copy.pk).exists()
    public_activity.refresh_from_db()
    assert public_activity.title == "ICLEI世界会議2018（ソウル）への参加"
    assert public_activity.slug == "iclei-2018" and public_activity.is_published
    # The first photo kept its id with the new caption; the removed one is gone.
    assert [(p.pk, p.caption) for p in public_activity.photos.all()] == [
        (photo_pks[0], "開会式で挨拶する市長")
    ]
    page = public_page(public_activity)
    assert "ICLEI世界会議2018（ソウル）への参加" in page and "開会式で挨拶する市長" in page
    assert "市長の講演" not in page
    request.refresh_from_db()
    assert request.decision == ReviewRequest.Decision.APPROVED
    assert request.activity == public_activity


def test_send_back_needs_a_reply_which_the_author_reads(
    editor, publisher, public_activity, django_capture_on_commit_callbacks
):
    copy = propose(editor, public_activity)
    editor.post(url(Activity, "request-review", copy.pk), {"comment": ""})
    request = ReviewRequest.objects.get()

    response = publisher.post(
        f"/admin/activities/activity/reviews/{request.pk}/", {"_send_back": "1", "reply": " "}
    )
    assert response.status_code == 200
    assert "差し戻す理由" in response.content.decode()
    request.refresh_from_db()
    assert request.is_open

    with django_capture_on_commit_callbacks(execute=True):
        response = publisher.post(
            f"/admin/activities/activity/reviews/{request.pk}/",
            {"_send_back": "1", "reply": "写真の説明を英語でも入れてください。"},
        )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.decision == ReviewRequest.Decision.RETURNED
    assert [m.to for m in mail.outbox] == [["henshu@example.jp"]]
    form = editor.get(url(Activity, "change", copy.pk)).content.decode()
    assert "写真の説明を英語でも入れてください。" in form
    # Asking again is possible once sent back.
    assert "承認を依頼" in form
    public_activity.refresh_from_db()
    assert public_activity.title == "ICLEI世界会議2018への参加"


def test_approval_is_refused_when_the_public_activity_changed_since(
    editor, publisher, public_activity
):
    copy = propose(editor, public_activity)
    review.request_review(copy, None)
    # A Publisher corrects the public activity meanwhile.
    Activity.objects.filter(pk=public_activity.pk).update(version=public_activity.version + 1)
    request = ReviewRequest.objects.get()
    response = publisher.post(
        f"/admin/activities/activity/reviews/{request.pk}/", {"_approve": "1", "reply": ""}
    )
    assert response.status_code == 200
    assert "承認すると、その変更が失われます" in response.content.decode()
    assert Activity.objects.filter(pk=copy.pk).exists()
    with pytest.raises(EditConflict):
        review.apply_replacement(copy)


def test_a_draft_is_published_on_approval(editor, publisher):
    draft = factories.ActivityFactory(draft=True, title="新しい記録")
    editor.post(url(Activity, "request-review", draft.pk), {"comment": "確認お願いします"})
    request = ReviewRequest.objects.get()
    assert (
        publisher.post(
            f"/admin/activities/activity/reviews/{request.pk}/", {"_approve": "1"}
        ).status_code
        == 302
    )
    draft.refresh_from_db()
    assert draft.is_published and draft.published_at is not None


def test_the_database_keeps_a_proposed_change_a_draft(public_activity):
    copy = review.start_replacement(public_activity)
    copy.status, copy.published_at = Activity.Status.PUBLISHED, copy.created_at
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()


def test_publish_action_does_not_publish_a_proposed_change(publisher, public_activity):
    copy = review.start_replacement(public_activity)
    response = publisher.post(
        url(Activity),
        {"action": "publish", "_selected_action": [str(copy.pk)]},
        follow=True,
    )
    assert "承認待ち" in response.content.decode()
    copy.refresh_from_db()
    assert copy.status == Activity.Status.DRAFT


def test_an_editor_cannot_change_or_add_photos_of_a_published_activity(editor, public_activity):
    photo = public_activity.photos.first()
    response = editor.post(
        url(Photo, "change", photo.pk),
        {"activity": public_activity.pk, "caption_ja": "書き換え", "version": photo.version},
    )
    assert response.status_code == 403
    photo.refresh_from_db()
    assert photo.caption == "開会式"
    upload = ContentFile(factories.jpeg_bytes(), name="new.jpg")
    response = editor.post(
        url(Photo, "add"),
        {
            "activity": public_activity.pk,
            "image": upload,
            "alt_text_ja": "市長と事務総長",
            "order": 3,
        },
    )
    assert response.status_code == 200
    assert "変更案" in response.content.decode()
    assert public_activity.photos.count() == 2


def test_approval_replaces_photo_files_and_leaves_no_orphans(
    public_activity, committed, django_capture_on_commit_callbacks
):
    original = public_activity.photos.get(order=1)
    old_files = original.file_names()
    copy = review.start_replacement(public_activity)
    replaced = copy.photos.get(order=1)
    replaced.image = ContentFile(factories.jpeg_bytes(80, 60, "tomato"), name="new.jpg")
    with django_capture_on_commit_callbacks(execute=True):
        replaced.save()
    # The public photo's files are still there: only the copy moved on.
    assert all(default_storage.exists(name) for name in old_files)
    new_files = replaced.file_names()

    review.request_review(copy, None)
    with django_capture_on_commit_callbacks(execute=True):
        review.approve(ReviewRequest.objects.get(), None)
    original.refresh_from_db()
    assert original.file_names() == new_files
    assert all(default_storage.exists(name) for name in new_files)
    assert not any(default_storage.exists(name) for name in old_files)
    second = public_activity.photos.get(order=2)
    assert all(default_storage.exists(name) for name in second.file_names())


def test_the_diff_marks_what_changed_and_escapes_what_staff_typed():
    before, after = review.inline_diff("開会式", "開会式で挨拶する市長")
    assert (before, after) == ("開会式", "開会式<ins>で挨拶する市長</ins>")
    # Rewritten rather than edited: marked whole.
    before, after = review.inline_diff("さいたま市長（中央）", "会場で握手を交わす両市長")
    assert (before, after) == (
        "<del>さいたま市長（中央）</del>",
        "<ins>会場で握手を交わす両市長</ins>",
    )
    before, after = review.inline_diff("<b>市長</b>", "<i>市長</i>")
    assert "<b>" not in before and "&lt;" in before and "<i>" not in after
    # A browser's CR LF is not a change.
    comparison = review.Comparison()
    comparison.add("本文", "一段落目\n\n二段落目", "一段落目\r\n\r\n二段落目")
    assert comparison.differences == []


# -- scheduled publication (公開予約) -------------------------------------------------


def schedule_form(activity: Activity, **fields) -> dict:
    return change_data(activity, **fields)


def test_a_publisher_schedules_a_draft_and_it_stays_a_draft_until_its_time(publisher):
    draft = factories.ActivityFactory(draft=True, title="予約した記録")
    when = timezone.localtime() + datetime.timedelta(days=2)
    response = publisher.post(
        url(Activity, "change", draft.pk),
        schedule_form(
            draft,
            publish_at_0=when.date().isoformat(),
            publish_at_1=when.strftime("%H:%M"),
        ),
        follow=True,
    )
    assert "公開予約しました" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Activity.Status.DRAFT and draft.publish_at is not None
    assert "公開予約" in publisher.get(url(Activity)).content.decode()
    preview = publisher.get(f"/ja/activities/{draft.slug}/").content.decode()
    assert "公開予定です" in preview
    assert Client().get(f"/ja/activities/{draft.slug}/").status_code == 404


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"publish_at_0": "2001-01-01", "publish_at_1": "10:00"}, "これから先の日時"),
        (
            {
                "status": Activity.Status.PUBLISHED,
                "publish_at_0": "2099-01-01",
                "publish_at_1": "10:00",
            },
            "すでに公開中です",
        ),
        (
            {
                "publish_at_0": "2099-01-02",
                "publish_at_1": "10:00",
                "withdraw_at_0": "2099-01-01",
                "withdraw_at_1": "10:00",
            },
            "公開終了日時は公開予約日時より後",
        ),
    ],
)
def test_a_schedule_that_cannot_be_carried_out_is_refused(publisher, fields, error):
    draft = factories.ActivityFactory(draft=True)
    response = publisher.post(url(Activity, "change", draft.pk), schedule_form(draft, **fields))
    assert response.status_code == 200
    assert error in response.content.decode()
    draft.refresh_from_db()
    assert draft.publish_at is None


def test_an_editor_cannot_schedule(editor):
    draft = factories.ActivityFactory(draft=True)
    page = editor.get(url(Activity, "change", draft.pk)).content.decode()
    assert 'name="publish_at_0"' not in page
    data = schedule_form(draft, publish_at_0="2099-01-01", publish_at_1="10:00")
    assert_saved(editor.post(url(Activity, "change", draft.pk), data))
    draft.refresh_from_db()
    assert draft.publish_at is None


def test_the_command_publishes_when_due_and_withdraws_when_due(committed):
    due = factories.ActivityFactory(
        draft=True,
        title="予約の時が来た記録",
        slug="due",
        publish_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    later = factories.ActivityFactory(
        draft=True,
        title="まだ先の記録",
        slug="later",
        publish_at=timezone.now() + datetime.timedelta(days=1),
    )
    ending = factories.ActivityFactory(
        title="公開を終える記録",
        slug="ending",
        withdraw_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    out = StringIO()
    call_command("publish_scheduled", stdout=out)
    assert "1 published, 1 withdrawn." in out.getvalue()
    committed()
    for activity in (due, later, ending):
        activity.refresh_from_db()
    assert due.is_published and due.publish_at is None and due.published_at is not None
    assert not later.is_published and later.publish_at is not None
    assert not ending.is_published and ending.withdraw_at is None
    anonymous = Client()
    assert anonymous.get("/ja/activities/due/").status_code == 200
    assert anonymous.get("/ja/activities/later/").status_code == 404
    assert anonymous.get("/ja/activities/ending/").status_code == 404
    # Run again: nothing left to do.
    out = StringIO()
    call_command("publish_scheduled", stdout=out)
    assert "0 published, 0 withdrawn." in out.getvalue()


# -- history -----------------------------------------------------------------------


def publisher_saves(client: Client, activity: Activity, **fields) -> None:
    activity.refresh_from_db()
    assert_saved(client.post(url(Activity, "change", activity.pk), change_data(activity, **fields)))


def test_history_lists_each_save_with_its_author_and_compares_two(publisher, public_activity):
    publisher_saves(publisher, public_activity, title_ja="一度目の修正")
    publisher_saves(publisher, public_activity, title_ja="二度目の修正")

    versions = review.history(public_activity)
    assert [v.revision.user.username for v in versions] == ["koukai", "koukai"]
    assert versions[0].revision.get_comment() == "タイトル（日本語） を変更しました。"
    page = publisher.get(url(Activity, "history", public_activity.pk)).content.decode()
    assert page.count("koukai") >= 2
    # The two newest compared by default: what the second save changed.
    assert "<del>一</del>度目の修正" in page and "<ins>二</ins>度目の修正" in page
    older, newer = versions[1], versions[0]
    page = publisher.get(
        url(Activity, "history", public_activity.pk), {"a": newer.pk, "b": older.pk}
    ).content.decode()
    assert "<ins>二</ins>度目の修正" in page  # always older to newer


def test_the_history_says_dates_and_choices_as_staff_read_them(publisher, public_activity):
    """As the conflict messages do (activities/locking.shown_value): 2020年2月28日, not
    2020-02-28; a kind by its name."""
    publisher_saves(publisher, public_activity, start_date="2020-02-27", kind="conference")
    publisher_saves(publisher, public_activity, start_date="2020-02-28", kind="courtesy-call")

    page = publisher.get(
        url(Activity, "history", public_activity.pk), HTTP_ACCEPT_LANGUAGE="ja"
    ).content.decode()
    text = re.sub(r"</?(?:del|ins)>", "", page)
    assert "2020年2月27日" in text and "2020年2月28日" in text
    assert "2020-02-2" not in text
    assert "国際会議" in text and "表敬訪問" in text


def test_a_versions_content_costs_the_same_queries_however_many_photos(publisher, public_activity):
    """The history compares two versions: each read in a fixed number of queries,
    not one more per photo for the people pictured."""
    people = [factories.ParticipantFactory(name=f"写っている人{i}", title="") for i in range(3)]
    for photo in public_activity.photos.all():
        photo.people.set(people[:2])
    publisher_saves(publisher, public_activity, title_ja="写真二枚")

    def read(version):
        with CaptureQueriesContext(connection) as queries:
            content = review.content_of_version(version)
        return content, len(queries)

    two, with_two = read(review.history(public_activity)[0])
    assert sorted(p["people"] for p in two.photos.values()) == ["写っている人0、写っている人1"] * 2

    for order in range(3, 9):
        factories.PhotoFactory(activity=public_activity, order=order).people.set(people)
    publisher_saves(publisher, public_activity, title_ja="写真八枚")
    eight, with_eight = read(review.history(public_activity)[0])
    assert len(eight.photos) == 8
    assert (
        sum(
            p["people"] == "写っている人0、写っている人1、写っている人2"
            for p in eight.photos.values()
        )
        == 6
    )
    assert with_eight == with_two


def test_a_form_with_errors_saves_no_version(publisher, public_activity):
    response = publisher.post(
        url(Activity, "change", public_activity.pk), change_data(public_activity, title_ja="")
    )
    assert response.status_code == 200
    assert review.history(public_activity) == []


def test_a_publisher_restores_an_earlier_version(publisher, public_activity):
    publisher_saves(publisher, public_activity, title_ja="元のタイトル")
    first = review.history(public_activity)[0]
    publisher_saves(publisher, public_activity, title_ja="間違えたタイトル")
    photo = public_activity.photos.get(order=1)
    photo.caption_ja = "間違えた説明"
    photo.save()
    version_before = Activity.objects.get(pk=public_activity.pk).version

    response = publisher.post(url(Activity, "history", public_activity.pk) + f"{first.pk}/restore/")
    assert response.status_code == 302
    public_activity.refresh_from_db()
    assert public_activity.title == "元のタイトル" and public_activity.is_published
    assert public_activity.version > version_before
    photo.refresh_from_db()
    assert photo.caption == "開会式"
    assert "の版に戻しました" in review.history(public_activity)[0].revision.get_comment()


def test_an_editor_restoring_a_public_activity_makes_a_proposed_change(
    editor, publisher, public_activity
):
    publisher_saves(publisher, public_activity, title_ja="元のタイトル")
    first = review.history(public_activity)[0]
    publisher_saves(publisher, public_activity, title_ja="今のタイトル")

    response = editor.post(url(Activity, "history", public_activity.pk) + f"{first.pk}/restore/")
    copy = Activity.objects.get(replaces=public_activity)
    assert response["Location"] == url(Activity, "change", copy.pk)
    assert copy.title == "元のタイトル" and copy.status == Activity.Status.DRAFT
    public_activity.refresh_from_db()
    assert public_activity.title == "今のタイトル"


def test_approval_is_a_version_by_the_publisher_naming_the_author(
    editor, publisher, public_activity
):
    copy = propose(editor, public_activity)
    editor_saves_title(editor, copy, "承認される題")
    editor.post(url(Activity, "request-review", copy.pk), {"comment": "題を直しました"})
    request = ReviewRequest.objects.get()
    publisher.post(f"/admin/activities/activity/reviews/{request.pk}/", {"_approve": "1"})
    latest = review.history(public_activity)[0]
    assert latest.revision.user.username == "koukai"
    assert "henshu" in latest.revision.get_comment()
    assert "題を直しました" in latest.revision.get_comment()
    assert latest.field_dict["title_ja"] == "承認される題"


def test_a_restored_version_names_the_photos_whose_files_are_gone(
    publisher, public_activity, django_capture_on_commit_callbacks
):
    publisher_saves(publisher, public_activity)
    first = review.history(public_activity)[0]
    with django_capture_on_commit_callbacks(execute=True):
        public_activity.photos.get(order=2).delete()
    response = publisher.post(
        url(Activity, "history", public_activity.pk) + f"{first.pk}/restore/", follow=True
    )
    text = response.content.decode()
    assert "以前の版に戻しました" in text
    assert "ファイルが削除済みのため戻せませんでした：市長の講演" in text
    assert [p.caption for p in public_activity.photos.all()] == ["開会式"]


def test_each_member_of_staff_may_turn_review_mails_off(
    editor, publisher, public_activity, django_capture_on_commit_callbacks
):
    page = publisher.get("/admin/activities/activity/reviews/mail/").content.decode()
    assert "koukai@example.jp" in page
    assert (
        publisher.post("/admin/activities/activity/reviews/mail/", {}).status_code == 302
    )  # the box unticked
    copy = review.start_replacement(public_activity)
    with django_capture_on_commit_callbacks(execute=True):
        editor.post(url(Activity, "request-review", copy.pk), {"comment": ""})
    assert mail.outbox == []
    assert (
        publisher.post(
            "/admin/activities/activity/reviews/mail/", {"review_mail": "on"}
        ).status_code
        == 302
    )
    assert [u.username for u in review.publishers()] == ["koukai"]


def test_publishing_now_is_done_with_a_schedule(publisher):
    later = timezone.now() + datetime.timedelta(days=3)
    draft = factories.ActivityFactory(draft=True, publish_at=later)
    publisher.post(url(Activity), {"action": "publish", "_selected_action": [str(draft.pk)]})
    draft.refresh_from_db()
    assert draft.is_published and draft.publish_at is None
    # Nothing is left for the command to do, and the form saves as it is.
    assert review.carry_out_schedule() == ([], [])
    assert_saved(publisher.post(url(Activity, "change", draft.pk), change_data(draft)))
