"""Importing and exporting activities in the admin, as staff do it: a real CSV or
Excel file through the import page, its preview, and the confirmation."""

from __future__ import annotations

import csv
import datetime
import html
import io
import re
from io import StringIO

import openpyxl
import pytest
from django.contrib.admin.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from activities.models import Activity, Attendance, Participant, Venue
from activities.resources import (
    BODY_JA,
    DEPARTMENT,
    END,
    KIND,
    PARTNERS,
    PEOPLE,
    SLUG,
    START,
    STATUS,
    THEMES,
    TITLE_EN,
    TITLE_JA,
    VENUES,
    ActivityResource,
)
from tests import factories
from tests.test_admin import EDITOR_PERMISSIONS, PUBLISHER_PERMISSIONS, staff_client

pytestmark = pytest.mark.django_db

ACTIVITIES = "/admin/activities/activity/"
IMPORT = f"{ACTIVITIES}import/"
CONFIRM = f"{ACTIVITIES}process_import/"
EXPORT = f"{ACTIVITIES}export/"
# The import and export forms' formats, in the order they are offered.
CSV, XLSX = "0", "1"
HEADINGS = [
    "URLに使う名前",
    "タイトル（日本語）",
    "タイトル（英語）",
    "種類",
    "開始日",
    "終了日",
    "概要（日本語）",
    "概要（英語）",
    "本文（日本語）",
    "本文（英語）",
    "場所",
    "相手先",
    "テーマ",
    "人物",
    "お問い合わせ先",
    "状態",
]

# Editors and publishers who may also add the places and people a file names.
ADD_RELATED = ["add_venue", "add_participant"]


@pytest.fixture
def editor(django_user_model) -> Client:
    return staff_client(django_user_model, "editor", [*EDITOR_PERMISSIONS, *ADD_RELATED])


@pytest.fixture
def publisher(django_user_model) -> Client:
    return staff_client(
        django_user_model, "publisher", [*PUBLISHER_PERMISSIONS, *ADD_RELATED, "delete_activity"]
    )


@pytest.fixture
def demo() -> None:
    call_command("load_demo", stdout=StringIO())


# --- Files, as a spreadsheet program writes them ------------------------------------


def csv_file(rows: list[list], encoding: str = "utf-8-sig") -> bytes:
    out = StringIO(newline="")
    csv.writer(out).writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_file(rows: list[list]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def table(headings: list[str], *rows: dict) -> list[list]:
    return [headings, *[[row.get(heading, "") for heading in headings] for row in rows]]


def read_export(content: bytes, fmt: str) -> list[list[str]]:
    if fmt == CSV:
        return list(csv.reader(StringIO(content.decode("utf-8-sig"), newline="")))
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [["" if cell is None else str(cell) for cell in row] for row in sheet.values]


# --- The pages, as staff use them ----------------------------------------------------


def export(client: Client, fmt: str = CSV, query: str = "") -> bytes:
    response = client.post(f"{EXPORT}{query}", {"format": fmt, "resource": "0"})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"], response.content[:500]
    return response.content


def preview(client: Client, content: bytes, fmt: str = CSV, name: str = "") -> object:
    name = name or ("activities.csv" if fmt == CSV else "activities.xlsx")
    response = client.post(
        IMPORT, {"resource": "0", "format": fmt, "import_file": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 200
    return response


def confirm(client: Client, previewed) -> object:
    form = previewed.context["confirm_form"]
    assert form is not None, errors_shown(previewed)
    data = {name: form[name].value() for name in form.fields}
    return client.post(CONFIRM, data, follow=True)


def import_file(client: Client, content: bytes, fmt: str = CSV) -> object:
    response = confirm(client, preview(client, content, fmt))
    assert response.status_code == 200
    return response


def text_of(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def errors_shown(response) -> list[str]:
    """The problems the page lists, as staff read them."""
    page = response.content.decode()
    found = re.search(r'<ul class="errorlist import-errors">(.*?)</ul>', page, re.S)
    listed = re.findall(r"<li>(.*?)</li>", found.group(1), re.S) if found else []
    form_errors = re.findall(r'<ul class="errorlist"[^>]*>(.*?)</ul>', page, re.S)
    return [text_of(item) for item in listed] + [text_of(item) for item in form_errors]


def messages_shown(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def offers_confirmation(response) -> bool:
    return 'action="/admin/activities/activity/process_import/"' in response.content.decode()


def snapshot() -> list[tuple]:
    """Everything an import could change, to compare before and after."""
    return [
        (
            activity.slug,
            activity.title_ja,
            activity.title_en,
            activity.status,
            activity.version,
            activity.updated_at,
            sorted(activity.partners.values_list("pk", flat=True)),
            sorted(activity.venues.values_list("pk", flat=True)),
            list(activity.attendances.values_list("participant_id", "title_ja", "role")),
        )
        for activity in Activity.objects.order_by("pk")
    ] + [(Venue.objects.count(), Participant.objects.count())]


def new_activity(**cells) -> dict:
    return {
        TITLE_JA: "ボン気候会議への参加",
        KIND: "国際会議",
        START: "令和3年11月1日",
        **cells,
    }


# --- Export, then import: nothing changes ---------------------------------------------


@pytest.mark.parametrize("fmt", [CSV, XLSX], ids=["csv", "xlsx"])
def test_an_exported_file_imported_again_changes_nothing(admin_client, demo, fmt) -> None:
    before = snapshot()
    content = export(admin_client, fmt)

    previewed = preview(admin_client, content, fmt)
    assert "追加 0 件、変更 0 件、変更なし 8 件" in text_of(previewed.content.decode())
    done = import_file(admin_client, content, fmt)

    assert "インポートしました：追加 0 件、変更 0 件、変更なし 8 件。" in messages_shown(done)
    assert snapshot() == before
    # And a second export is the same file.
    assert read_export(export(admin_client, fmt), fmt) == read_export(content, fmt)


@pytest.mark.parametrize("fmt", [CSV, XLSX], ids=["csv", "xlsx"])
def test_a_text_a_spreadsheet_would_run_as_a_formula_is_exported_as_text(admin_client, fmt) -> None:
    factories.ActivityFactory(
        title_ja='=HYPERLINK("http://example.com/","詳細")',
        summary_ja="-5度の中での視察",
        body_ja="@ 本文",
    )
    before = snapshot()
    content = export(admin_client, fmt)

    headings, row = read_export(content, fmt)[:2]
    cells = dict(zip(headings, row, strict=True))
    assert cells["タイトル（日本語）"] == '\'=HYPERLINK("http://example.com/","詳細")'
    assert cells["概要（日本語）"] == "'-5度の中での視察"
    assert cells["本文（日本語）"] == "'@ 本文"
    if fmt == XLSX:
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        assert not [cell for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]

    done = import_file(admin_client, content, fmt)
    assert "インポートしました：追加 0 件、変更 0 件、変更なし 1 件。" in messages_shown(done)
    assert snapshot() == before
    activity = Activity.objects.get()
    assert (activity.summary_ja, activity.body_ja) == ("-5度の中での視察", "@ 本文")


def test_the_export_is_csv_in_utf8_with_a_byte_order_mark_and_japanese_headings(
    admin_client, demo
) -> None:
    content = export(admin_client, CSV)

    assert content.startswith(b"\xef\xbb\xbf")
    rows = read_export(content, CSV)
    assert rows[0] == HEADINGS
    row = dict(
        zip(
            rows[0],
            next(r for r in rows if r[0] == "2019-10-30-iclei-japan-courtesy-call"),
            strict=True,
        )
    )
    assert row[TITLE_JA] == "イクレイ日本理事長との面会"
    assert row[KIND] == "表敬訪問（来訪）"
    assert row[START] == "2019/10/30"
    assert row[STATUS] == "公開中"
    assert all("：" in line for line in row[PEOPLE].splitlines())


def test_the_export_follows_the_list_filters(admin_client, demo) -> None:
    rows = read_export(export(admin_client, CSV, "?year=2018"), CSV)

    assert len(rows) > 1
    assert {row[4][:4] for row in rows[1:]} == {"2018"}


def test_export_queries_do_not_grow_with_the_number_of_activities(
    admin_client, django_assert_max_num_queries
) -> None:
    def archive(count: int) -> None:
        department = factories.DepartmentFactory()
        for _ in range(count):
            activity = factories.ActivityFactory(
                partners=[factories.OrganizationFactory()],
                themes=[factories.ThemeFactory()],
                venues=[factories.VenueFactory()],
                department=department,
            )
            factories.AttendanceFactory(activity=activity)

    # 1-2: the session and the user; 3 and 12: the savepoint the export runs in;
    # 4-5: the list's filters, which the export follows (years, themes); 6: places
    # that share a name; 7: the activities with their departments; 8-11: their
    # partners, themes, places, and people with their attendances.
    archive(2)
    with django_assert_max_num_queries(12):
        small = export(admin_client)
    archive(30)
    with django_assert_max_num_queries(12):
        large = export(admin_client)
    assert len(read_export(small, CSV)) == 3 and len(read_export(large, CSV)) == 33


def test_places_compare_by_number_not_by_text(admin_client) -> None:
    # Keys that sort one way as numbers and the other as text (99999 < 100000).
    venues = [Venue.objects.create(pk=pk, name=f"会場{pk}", country="DE") for pk in (99999, 100000)]
    factories.ActivityFactory(venues=venues)
    content = export(admin_client)

    assert "変更なし 1 件" in text_of(preview(admin_client, content).content.decode())


# --- A new archive from a spreadsheet ------------------------------------------------


def test_a_shift_jis_file_from_excel_adds_activities_with_their_relations(publisher) -> None:
    iclei = factories.OrganizationFactory(name="イクレイ", short_name="ICLEI", slug="iclei")
    mofa = factories.OrganizationFactory(name="外務省", short_name="MOFA", slug="mofa")
    theme = factories.ThemeFactory(name="脱炭素", slug="decarbonization")
    department = factories.DepartmentFactory(name="未来都市推進部")
    mayor = factories.ParticipantFactory(name="清水勇人", title="さいたま市長")
    rows = table(
        HEADINGS,
        new_activity(
            **{
                TITLE_EN: "Bonn climate conference",
                END: "2021年11月3日",
                BODY_JA: "一段落目。\n\n二段落目。",
                VENUES: "ボン世界会議センター",
                PARTNERS: "ICLEI、外務省",
                THEMES: "decarbonization",
                PEOPLE: "本市出席者：清水勇人（さいたま市長）\n先方：ボン市長（ボン市長）",
                DEPARTMENT: "未来都市推進部",
                STATUS: "下書き",
            }
        ),
    )

    done = import_file(publisher, csv_file(rows, "cp932"))

    assert "インポートしました：追加 1 件、変更 0 件、変更なし 0 件。" in messages_shown(done)
    assert (
        "新しい場所を登録しました：ボン世界会議センター。それぞれの画面で国を入力してください。"
        in messages_shown(done)
    )
    activity = Activity.objects.get()
    # The slug is made as the admin makes it: from the start date.
    assert activity.slug == "2021-11-01"
    assert (activity.start_date, activity.end_date) == (
        datetime.date(2021, 11, 1),
        datetime.date(2021, 11, 3),
    )
    assert (activity.kind, activity.status) == (Activity.Kind.CONFERENCE, Activity.Status.DRAFT)
    assert activity.title_en == "Bonn climate conference"
    assert activity.body_ja == "一段落目。\n\n二段落目。"
    assert set(activity.partners.all()) == {iclei, mofa}
    assert list(activity.themes.all()) == [theme]
    assert activity.department == department
    assert [venue.name for venue in activity.venues.all()] == ["ボン世界会議センター"]
    people = list(activity.attendances.select_related("participant"))
    assert [(a.participant, a.title, a.role) for a in people[:1]] == [
        (mayor, "さいたま市長", Attendance.Role.DELEGATION)
    ]
    assert (people[1].participant.name, people[1].title, people[1].role) == (
        "ボン市長",
        "ボン市長",
        Attendance.Role.COUNTERPART,
    )
    entry = LogEntry.objects.get(object_id=str(activity.pk))
    assert entry.get_change_message() == "ファイルのインポートで追加しました。"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
def test_csv_is_read_in_utf8_with_or_without_bom_and_in_shift_jis(publisher, encoding) -> None:
    import_file(publisher, csv_file(table([TITLE_JA, KIND, START], new_activity()), encoding))

    assert Activity.objects.get().title == "ボン気候会議への参加"


def test_an_excel_file_with_date_cells_is_imported(publisher) -> None:
    rows = table([TITLE_JA, KIND, START], new_activity(**{START: datetime.datetime(2021, 11, 1)}))

    import_file(publisher, xlsx_file(rows), XLSX)

    assert Activity.objects.get().start_date == datetime.date(2021, 11, 1)


def test_the_preview_shows_what_would_change_and_writes_nothing(admin_client, demo) -> None:
    before = snapshot()
    rows = read_export(export(admin_client), CSV)
    rows[1][1] = "新しいタイトル"
    rows[1][10] = "まだない会場"
    rows[1][13] = "本市出席者：新しい人（部長）"
    rows.append([""] * len(HEADINGS))  # a blank row is passed over
    rows.append([new_activity().get(heading, "") for heading in HEADINGS])

    previewed = preview(admin_client, csv_file(rows))

    text = text_of(previewed.content.decode())
    assert "追加 1 件、変更 1 件、変更なし 7 件" in text
    assert "新しく登録される場所： まだない会場" in text
    assert "新しく登録される人物： 新しい人" in text
    assert "新しいタイトル" in text
    assert offers_confirmation(previewed)
    assert snapshot() == before


# --- Updating by URL name --------------------------------------------------------------


def test_a_row_with_an_activitys_url_name_updates_it(publisher) -> None:
    activity = factories.ActivityFactory(slug="bonn-2021", title="旧タイトル", draft=True)
    kept = factories.AttendanceFactory(activity=activity, title="市長", title_en="Mayor")
    version = activity.version
    line = f"本市出席者：{kept.participant.name}（市長）"
    rows = table(
        [SLUG, TITLE_JA, PEOPLE], {SLUG: "bonn-2021", TITLE_JA: "新タイトル", PEOPLE: line}
    )

    done = import_file(publisher, csv_file(rows))

    assert "インポートしました：追加 0 件、変更 1 件、変更なし 0 件。" in messages_shown(done)
    activity.refresh_from_db()
    assert Activity.objects.count() == 1
    assert activity.title == "新タイトル"
    # Columns left out of the file are as they were; so is an unchanged attendance.
    assert activity.kind == Activity.Kind.MEETING and activity.summary == "A short summary."
    kept.refresh_from_db()
    assert (kept.title, kept.title_en) == ("市長", "Mayor")
    # A form a colleague opened before the import is now refused on save.
    assert activity.version > version


def test_a_row_without_url_name_is_not_added_a_second_time(publisher) -> None:
    content = csv_file(table([TITLE_JA, KIND, START], new_activity()))
    import_file(publisher, content)

    again = preview(publisher, content)

    assert errors_shown(again) == [
        "2行目「URLに使う名前」: 同じタイトルと開始日の活動がすでにあります（2021-11-01）。"
        "その活動を更新するなら、ここにそのURLに使う名前を書いてください。"
        "別の活動として追加するなら、別のURLに使う名前を書いてください。"
    ]
    assert Activity.objects.count() == 1


# --- Errors: named by row and column, and nothing written ------------------------------


def test_errors_name_the_row_and_column_and_nothing_is_written(publisher) -> None:
    factories.OrganizationFactory(name="イクレイ", slug="iclei")
    rows = table(
        [TITLE_JA, KIND, START, END, PARTNERS, PEOPLE],
        new_activity(**{PARTNERS: "イクレイ"}),
        new_activity(**{TITLE_JA: "二件目", START: "2021/13/45"}),
        new_activity(**{TITLE_JA: "三件目", KIND: "宴会", PARTNERS: "国連\nイクレイ"}),
        new_activity(**{TITLE_JA: "四件目", START: "2021/11/5", END: "2021/11/1"}),
        new_activity(**{TITLE_JA: "五件目", PEOPLE: "来賓：山田太郎"}),
        {TITLE_JA: "六件目"},
    )

    previewed = preview(publisher, csv_file(rows))

    errors = errors_shown(previewed)
    assert errors[0].startswith("3行目「開始日」: 日付を読めません。")
    assert errors[1:] == [
        "4行目「種類」: 「宴会」という種類はありません。次のどれかを書いてください："
        "海外訪問、表敬訪問（来訪）、面会・会議、国際会議、協定締結、加盟、要望・提案、その他。",
        "4行目「相手先」: 「国連」という相手先は登録されていません。先に相手先として登録するか、"
        "登録されている名前・略称・URLに使う名前で書いてください。",
        "5行目「終了日」: 終了日が開始日より前になっています。",
        "6行目「人物」: 「来賓」という役割はありません。コロンの前には次のどれかを書いてください："
        "本市出席者、先方、登壇者、来訪者（例：本市出席者：清水勇人（さいたま市長））。",
        "7行目「種類」: 新しい活動には必要です。",
        "7行目「開始日」: 新しい活動には必要です。",
    ]
    assert "Traceback" not in previewed.content.decode()
    assert not offers_confirmation(previewed)
    assert not Activity.objects.exists()


def test_a_confirmation_that_now_fails_writes_nothing(editor) -> None:
    content = csv_file(
        table(
            [SLUG, TITLE_JA, KIND, START],
            new_activity(**{SLUG: "first"}),
            new_activity(**{SLUG: "second", TITLE_JA: "二件目"}),
        )
    )
    previewed = preview(editor, content)
    # Between the preview and the confirmation, a publisher publishes "second" under
    # another title: the editor's file would now change a published activity.
    factories.ActivityFactory(slug="second", title="公開済み", start_date=datetime.date(2021, 1, 1))

    done = confirm(editor, previewed)

    assert errors_shown(done)[0].startswith("3行目: 「second」は公開中です。")
    assert not Activity.objects.filter(slug="first").exists()
    assert Activity.objects.get(slug="second").title == "公開済み"


@pytest.mark.parametrize(
    ("content", "fmt", "shown"),
    [
        (b"", CSV, "入力されたファイルは空です。"),
        (csv_file([HEADINGS]), CSV, "インポートできるデータがありません。"),
        (
            csv_file([HEADINGS, [""] * 16]),
            CSV,
            "見出しの行はありますが、その下に活動の行がありません。",
        ),
        (
            csv_file([["タイトル", "開始日"], ["a", "2021/1/1"]]),
            CSV,
            "使えない列があります：「タイトル」。",
        ),
        (
            csv_file([[TITLE_JA, TITLE_JA], ["a", "b"]]),
            CSV,
            "「タイトル（日本語）」の列が2つあります。",
        ),
        (
            csv_file([[TITLE_JA, ""], ["a", "b"]]),
            CSV,
            "2 列目に値がありますが、見出しがありません。",
        ),
        (b"\x81\x20\xff\xfe\x00", CSV, "ファイルを文字として読み込めませんでした。"),
        (
            csv_file([[TITLE_JA], ["a"]]),
            XLSX,
            "ファイルを Excel ブック（.xlsx）として読み込めませんでした。",
        ),
        (xlsx_file([]), XLSX, "インポートできるデータがありません。"),
    ],
    ids=[
        "empty",
        "headings only",
        "blank rows only",
        "unknown heading",
        "heading twice",
        "values without heading",
        "not text",
        "not a workbook",
        "empty workbook",
    ],
)
def test_a_file_that_cannot_be_imported_is_refused_with_a_message(
    publisher, content, fmt, shown
) -> None:
    previewed = preview(publisher, content, fmt)

    assert any(shown in error for error in errors_shown(previewed)), errors_shown(previewed)
    assert "Traceback" not in previewed.content.decode()
    assert not offers_confirmation(previewed)
    assert not Activity.objects.exists()


def test_an_unforeseen_failure_names_the_row_and_shows_no_traceback(publisher, monkeypatch) -> None:
    def fail(*args, **kwargs) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(ActivityResource, "_save_people", fail)
    rows = table([TITLE_JA, KIND, START, PEOPLE], new_activity(**{PEOPLE: "本市出席者：市長"}))

    previewed = preview(publisher, csv_file(rows))

    assert errors_shown(previewed) == [
        "2行目: この行をインポートできませんでした。値を確かめてください。"
        "何度も失敗する場合は、サイトの管理者に知らせてください。"
    ]
    assert "disk on fire" not in previewed.content.decode()
    assert not Activity.objects.exists()


def test_a_place_or_person_is_added_only_by_someone_who_may(django_user_model) -> None:
    editor = staff_client(django_user_model, "plain-editor", EDITOR_PERMISSIONS)
    rows = table(
        [TITLE_JA, KIND, START, VENUES, PEOPLE],
        new_activity(**{VENUES: "新しい会場", PEOPLE: "先方：新しい人"}),
    )

    previewed = preview(editor, csv_file(rows))

    assert errors_shown(previewed) == [
        "2行目「場所」: 「新しい会場」という場所は登録されておらず、あなたには場所を追加する権限が"
        "ありません。追加できる職員に、先に登録を依頼してください。",
        "2行目「人物」: 「新しい人」という人物は登録されておらず、あなたには人物を追加する権限が"
        "ありません。追加できる職員に、先に登録を依頼してください。",
    ]


def test_crafted_confirmations_get_a_message_not_a_server_error(publisher) -> None:
    for data in (
        {},
        {"import_file_name": "../../etc/passwd", "original_file_name": "a", "format": "0"},
        {"import_file_name": "nothing-here", "original_file_name": "a.csv", "format": "0"},
        {"import_file_name": "x", "original_file_name": "a.csv", "format": "99"},
        {"import_file_name": "x", "original_file_name": "a.csv", "format": "csv"},
    ):
        response = publisher.post(CONFIRM, data, follow=True)
        assert response.status_code == 200, data
        assert (
            "インポートするファイルがもう残っていません。ファイルを選び直して、もう一度プレビューしてください。"
            in messages_shown(response)
        )
    assert publisher.get(CONFIRM).status_code == 405


@pytest.mark.parametrize("query", ["?id__range=1", "?start_date__year=99999", "?kind__regex=("])
def test_an_export_with_unusable_filters_gets_a_page(admin_client, query) -> None:
    factories.ActivityFactory()

    response = admin_client.get(f"{EXPORT}{query}", follow=True)

    assert response.status_code == 200


# --- Roles -------------------------------------------------------------------------------


def test_an_editors_import_is_a_draft_and_cannot_publish(editor) -> None:
    rows = table(
        [TITLE_JA, KIND, START, STATUS],
        new_activity(**{STATUS: ""}),
        new_activity(**{TITLE_JA: "二件目", STATUS: "公開中"}),
    )

    refused = preview(editor, csv_file(rows))

    assert errors_shown(refused) == [
        "3行目「状態」: 活動を公開できるのは公開担当の職員だけです。"
        "「下書き」と書くか空欄にすると、下書きとしてインポートされます。"
    ]
    done = import_file(editor, csv_file(rows[:2]))
    assert "インポートした活動は下書きです。公開するには、公開担当の職員に依頼してください。" in (
        messages_shown(done)
    )
    assert Activity.objects.get().status == Activity.Status.DRAFT


def test_an_editor_cannot_change_a_published_activity_by_importing(editor, admin_client) -> None:
    published = factories.ActivityFactory(slug="public", title="公開中の題")
    draft = factories.ActivityFactory(slug="draft", title="下書きの題", draft=True)
    rows = read_export(export(admin_client), CSV)

    # Left as exported, the published row is fine: it changes nothing.
    import_file(editor, csv_file(rows))
    for row in rows[1:]:
        row[1] += "（改）"
    refused = preview(editor, csv_file(rows))

    line = next(number for number, row in enumerate(rows, start=1) if row[0] == "public")
    assert errors_shown(refused) == [
        f"{line}行目: 「public」は公開中です。"
        "公開中の活動をインポートで変更できるのは公開担当の職員だけです。"
        "この行をエクスポートしたときのままにするか、ファイルから外すか、"
        "公開担当の職員にインポートを依頼してください。"
    ]
    published.refresh_from_db()
    draft.refresh_from_db()
    assert (published.title, draft.title) == ("公開中の題", "下書きの題")


def test_a_publisher_publishes_by_importing_and_the_public_pages_show_it(
    publisher, settings
) -> None:
    settings.CITYTIES_PAGE_CACHE = True
    visitor = Client()
    factories.ActivityFactory(title="前からある活動")
    assert "ボン気候会議への参加" not in visitor.get("/ja/activities/").content.decode()

    import_file(
        publisher,
        csv_file(table([TITLE_JA, KIND, START, STATUS], new_activity(**{STATUS: "公開中"}))),
    )

    activity = Activity.objects.get(slug="2021-11-01")
    assert activity.is_published and activity.published_at is not None
    # The archive page served before the import is not served again.
    assert "ボン気候会議への参加" in visitor.get("/ja/activities/").content.decode()
    assert visitor.get(activity.get_absolute_url()).status_code == 200


def test_who_may_import_and_export(django_user_model, admin_client) -> None:
    viewer = staff_client(django_user_model, "viewer", ["view_activity"])
    nobody = staff_client(django_user_model, "nobody", [])

    assert viewer.get(IMPORT).status_code == 403
    assert viewer.post(CONFIRM, {}).status_code == 403
    assert viewer.get(EXPORT).status_code == 200
    list_page = viewer.get(ACTIVITIES).content.decode()
    assert "エクスポート" in list_page and f"href='{IMPORT}'" not in list_page
    assert nobody.get(EXPORT).status_code == 403
    assert f"href='{IMPORT}'" in admin_client.get(ACTIVITIES).content.decode()


def test_the_import_page_is_in_japanese(admin_client) -> None:
    page = admin_client.get(IMPORT).content.decode()
    text = text_of(page)
    # The first button only reads the file: it says so.
    assert 'value="ファイルを確認する（まだ保存されません）"' in page

    assert "インポートするファイル" in text and "フォーマット" in text
    assert "以下の列をインポートします。" in text and "お問い合わせ先" in text
    assert "人物は「役割：名前（役職）」の形で書きます" in text
    assert "以下の列をエクスポートします。" in text_of(admin_client.get(EXPORT).content.decode())


def test_a_previewed_file_waits_where_another_process_finds_it(settings, tmp_path) -> None:
    """The confirmation may reach another gunicorn worker than the preview did: the
    file waits where every process of the site reads it, not in one's memory."""
    import os
    import subprocess
    import sys

    from activities.resources import ImportUploads

    folder = tmp_path / "shared-imports"
    settings.CACHES = {
        **settings.CACHES,
        "imports": {**settings.CACHES["imports"], "LOCATION": folder},
    }
    kept = ImportUploads(encoding="utf-8")
    kept.save("タイトル（日本語）\nボン気候会議への参加\n")

    other = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "--no-imports",
            "-c",
            "from activities.resources import ImportUploads; "
            f"print(ImportUploads(name={kept.name!r}).read(), end='')",
        ],
        env={**os.environ, "CITYTIES_IMPORT_FOLDER": str(folder)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert other.stdout == "タイトル（日本語）\nボン気候会議への参加\n"
    # And it is where the admin's import keeps its files.
    assert settings.IMPORT_EXPORT_TMP_STORAGE_CLASS == "activities.resources.ImportUploads"
