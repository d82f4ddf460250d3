"""Staff accounts in the staff's language: roles and permissions named in Japanese, a
role that brings staff access with it, and a refused sign-in that says why."""

from __future__ import annotations

import re
from html import unescape

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group, Permission
from django.test import Client

from activities.staff import EDITOR, PUBLISHER
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"
# Django's own message for a wrong user name or password, in Japanese.
WRONG_PASSWORD = "スタッフアカウントの正しいユーザー名とパスワードを入力してください"
NOT_STAFF = (
    "このアカウントには職員用サイトを使う権限がありません。"
    "サイト管理者に、役割（「編集者」または「公開担当」）を付けるよう依頼してください。"
)
INACTIVE = (
    "このアカウントは無効になっています。"
    "引き続き使う必要がある場合は、サイト管理者に有効にするよう依頼してください。"
)
ENGLISH_PERMISSION = re.compile(r"\bCan (add|change|delete|view|publish)\b")


def text(response) -> str:
    """What the page says, tags left out."""
    return unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))


def options(page: str, name: str) -> list[str]:
    """The labels of a select's options."""
    select = re.search(rf'<select name="{name}".*?</select>', page, re.S)
    assert select, f"no select {name}"
    return [unescape(label) for label in re.findall(r"<option[^>]*>([^<]*)</option>", select[0])]


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# --- Roles and permissions named in Japanese ------------------------------------------


def test_the_user_form_names_roles_and_permissions_in_japanese(admin_client, django_user_model):
    user = django_user_model.objects.create_user("tanaka")

    page = admin_client.get(f"/admin/auth/user/{user.pk}/change/").content.decode()

    assert options(page, "groups") == ["編集者", "公開担当"]
    permissions = options(page, "user_permissions")
    assert "国際活動 | 活動を追加できる" in permissions
    assert "国際活動 | 活動を公開・非公開にできる" in permissions
    assert "国際活動 | 相手先を削除できる" in permissions
    # Django's own models too, and django-axes'.
    assert "認証と認可 | ユーザーを変更できる" in permissions
    assert "ログイン試行の制限 | ログイン試行を閲覧できる" in permissions
    assert not [label for label in permissions if ENGLISH_PERMISSION.search(label)]
    # Only what staff work with: not the tables the app keeps for itself.
    assert not [label for label in permissions if "内部用" in label or "キャッシュ" in label]
    assert len([label for label in permissions if label.startswith("国際活動 | ")]) == (
        # view, add, change, delete of each of the app's models staff work with,
        # and the activities' own publish permission.
        4 * 12 + 1
    )


def test_the_group_list_and_form_name_the_roles_in_japanese(admin_client):
    editor = Group.objects.get(name=EDITOR)

    listing = admin_client.get("/admin/auth/group/")
    assert ["編集者", "公開担当"] == re.findall(
        r'<th class="field-name_shown"><a [^>]*>([^<]*)<', listing.content.decode()
    )

    response = admin_client.get(f"/admin/auth/group/{editor.pk}/change/")
    page = response.content.decode()
    assert "<title>編集者 |" in page
    assert re.search(r'<div class="breadcrumbs">.*&rsaquo; 編集者\s*</div>', page, re.S)
    assert "国際活動 | 活動を追加できる" in options(page, "permissions")
    assert not ENGLISH_PERMISSION.search(text(response))

    # A group staff add themselves is shown, and renamed, by its own name.
    assert admin_client.post("/admin/auth/group/add/", {"name": "国際交流課"}).status_code == 302
    own = Group.objects.get(name="国際交流課")
    assert "国際交流課" in text(admin_client.get("/admin/auth/group/"))
    assert 'name="name"' in admin_client.get(f"/admin/auth/group/{own.pk}/change/").content.decode()


def test_a_roles_identifier_cannot_be_renamed(admin_client):
    editor = Group.objects.get(name=EDITOR)
    page = admin_client.get(f"/admin/auth/group/{editor.pk}/change/").content.decode()
    assert 'name="name"' not in page
    assert "識別名（システムが使うため変更できません）" in page

    data = form_data(page, "group_form")
    data["name"] = ["編集者"]
    assert admin_client.post(f"/admin/auth/group/{editor.pk}/change/", data).status_code == 302

    assert Group.objects.filter(name=EDITOR).exists()


def test_the_user_list_shows_and_filters_by_role_in_japanese(admin_client, django_user_model):
    sato = django_user_model.objects.create_user("sato", is_staff=True)
    sato.groups.add(Group.objects.get(name=PUBLISHER))
    django_user_model.objects.create_user("suzuki", is_staff=True)

    page = admin_client.get("/admin/auth/user/").content.decode()
    row = re.search(r"<tr>.*?sato.*?</tr>", page, re.S)[0]
    assert '<td class="field-roles">公開担当</td>' in row
    assert ">編集者</a>" in page and ">公開担当</a>" in page
    assert ">Editor<" not in page and ">Publisher<" not in page

    editor = Group.objects.get(name=EDITOR)
    filtered = admin_client.get(f"/admin/auth/user/?groups__id__exact={editor.pk}")
    assert "sato" not in text(filtered)


# --- A role brings staff access ---------------------------------------------------------


def user_form(client: Client, user) -> dict:
    return form_data(
        client.get(f"/admin/auth/user/{user.pk}/change/").content.decode(), "user_form"
    )


def test_giving_a_role_gives_staff_status_and_says_so(admin_client, django_user_model):
    user = django_user_model.objects.create_user("yamada", password="a-long-password-42")
    data = user_form(admin_client, user)
    assert "is_staff" not in data

    # Without a role, the account stays as it is.
    response = admin_client.post(f"/admin/auth/user/{user.pk}/change/", data, follow=True)
    user.refresh_from_db()
    assert not user.is_staff
    assert not [m for m in messages_of(response) if "スタッフ権限" in m]

    data["groups"] = [str(Group.objects.get(name=EDITOR).pk)]

    response = admin_client.post(f"/admin/auth/user/{user.pk}/change/", data, follow=True)

    user.refresh_from_db()
    assert user.is_staff
    assert list(user.groups.values_list("name", flat=True)) == [EDITOR]
    assert (
        "「yamada」にスタッフ権限も付けました。グループやパーミッションを使うには、"
        "職員用サイトにログインできる必要があるためです。"
    ) in messages_of(response)
    # The new editor can now sign in and enter activities.
    client = Client()
    response = client.post(LOGIN, {"username": "yamada", "password": "a-long-password-42"})
    assert response.status_code == 302
    assert client.get("/admin/activities/activity/add/").status_code == 200


def test_taking_staff_status_away_from_a_role_holder_is_refused(admin_client, django_user_model):
    user = django_user_model.objects.create_user("kato", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITOR))
    data = user_form(admin_client, user)
    del data["is_staff"]

    response = admin_client.post(f"/admin/auth/user/{user.pk}/change/", data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["is_staff"] == [
        "グループ・パーミッション・スーパーユーザー権限のいずれかを持つ利用者がログインするには、"
        "スタッフ権限が必要です。この利用者が職員用サイトを使えないようにするには、"
        "代わりに「有効」のチェックを外すか、それらもすべて外してください。"
    ]
    user.refresh_from_db()
    assert user.is_staff


def test_a_direct_permission_gives_staff_status_too(admin_client, django_user_model):
    user = django_user_model.objects.create_user("ito")
    data = user_form(admin_client, user)
    data["user_permissions"] = [str(Permission.objects.get(codename="view_activity").pk)]

    assert admin_client.post(f"/admin/auth/user/{user.pk}/change/", data).status_code == 302

    user.refresh_from_db()
    assert user.is_staff


# --- A refused sign-in says why, only to someone with the right password -----------------


def sign_in(username: str, password: str) -> str:
    response = Client().post(LOGIN, {"username": username, "password": password})
    assert response.status_code == 200
    errors = re.findall(r'<p class="errornote">\s*(.*?)\s*</p>', response.content.decode(), re.S)
    return " ".join(unescape(error) for error in errors)


@pytest.fixture
def accounts(django_user_model) -> None:
    make = django_user_model.objects.create_user
    make("no-role", password="right-password-1")
    make("switched-off", password="right-password-1", is_staff=True, is_active=False)
    make("off-and-no-role", password="right-password-1", is_active=False)
    make("editor", password="right-password-1", is_staff=True)


def said_to_a_wrong_password() -> str:
    """What anyone gets for a wrong password: Django's message, and nothing more."""
    said = sign_in("nobody", "wrong-password")
    assert WRONG_PASSWORD in said
    return said


def test_a_non_staff_account_with_its_password_is_told_what_to_ask_for(accounts) -> None:
    assert sign_in("no-role", "right-password-1") == NOT_STAFF

    assert sign_in("no-role", "wrong-password") == said_to_a_wrong_password()
    assert sign_in("editor", "wrong-password") == said_to_a_wrong_password()


@pytest.mark.parametrize("username", ["switched-off", "off-and-no-role"])
def test_an_inactive_account_with_its_password_is_told_it_is_switched_off(
    accounts, settings, username
) -> None:
    assert sign_in(username, "right-password-1") == INACTIVE

    assert sign_in(username, "wrong-password") == said_to_a_wrong_password()
    # Locked out after repeated failures: the right password learns nothing either.
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": username, "password": "wrong"})
    response = client.post(LOGIN, {"username": username, "password": "right-password-1"})
    assert response.status_code == 429
    assert "無効" not in text(response)


# --- The sign-in throttle's section -----------------------------------------------------


def test_the_sign_in_throttle_is_named_in_japanese(admin_client, settings) -> None:
    index = text(admin_client.get("/admin/"))
    assert "ログイン試行の制限" in index
    assert {"ログイン試行", "ログイン履歴", "ログイン失敗"} <= set(index.split())
    assert not re.search(r"\bAxes\b|\b[Aa]ccess (attempts|logs|failures)\b", index)

    Client().post(LOGIN, {"username": "someone", "password": "wrong"})
    listing = text(admin_client.get("/admin/axes/accessattempt/"))
    for heading in ("ログイン試行", "試行日時", "IP アドレス", "ユーザー名", "失敗回数", "状態"):
        assert heading in listing
    assert f"{settings.AXES_FAILURE_LIMIT - 1} 回まで試行できます" in listing
    assert not re.search(r"Attempt|IP Address|Failed Logins|Status|Axes", listing)

    attempt = AccessAttempt.objects.get()
    record = admin_client.get(f"/admin/axes/accessattempt/{attempt.pk}/change/")
    assert "<title>someone（127.0.0.1 から） |" in record.content.decode()
    assert not re.search(r"Attempted Access|Form Data|Meta Data|User Agent", text(record))


def test_a_photos_activity_is_labelled_in_japanese(admin_client):
    page = admin_client.get("/admin/activities/photo/add/").content.decode()

    assert re.search(r'<label[^>]* for="id_activity">活動', page)
    assert ">Activity" not in page
