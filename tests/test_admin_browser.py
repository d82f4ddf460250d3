"""The staff site in a real browser (Debian's Chromium), in Japanese, as a new member
of the international affairs division uses it."""

from __future__ import annotations

import os
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from activities.demo import read_archive
from tests import factories
from tests.test_browser import browser, live_server  # noqa: F401 - shared fixtures

# serialized_rollback: the flush after each test then leaves the content types as
# migrate made them, which the backup tests (next, in pytest's order) rely on.
pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "staff-browser-1"
# How long a page may take to appear: generous, as the suite shares two cores with
# the servers and browser it starts.
WAIT = 30


def sign_in(browser, live_server, username: str):  # noqa: F811
    """Through the login form, the admin in Japanese."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    browser.set_window_size(1280, 900)
    browser.get(live_server.url + "/admin/login/")
    browser.add_cookie({"name": "django_language", "value": "ja"})
    browser.get(live_server.url + "/admin/login/")
    browser.find_element(By.NAME, "username").send_keys(username)
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "input[type=submit]").click()
    # Signed in once the admin's header greets the user: a page opened before then
    # would cut the login short and meet the login form again.
    WebDriverWait(browser, WAIT).until(
        ec.visibility_of_element_located((By.CSS_SELECTOR, "#user-tools"))
    )
    return browser


@pytest.fixture
def signed_in(browser, live_server, django_user_model):  # noqa: F811
    """A superuser, signed in, the demo archive loaded."""
    call_command("load_demo", stdout=StringIO())
    django_user_model.objects.create_superuser("kokusai", "k@example.jp", PASSWORD)
    yield sign_in(browser, live_server, "kokusai")
    browser.delete_all_cookies()


@pytest.fixture
def signed_in_editor(browser, live_server, django_user_model):  # noqa: F811
    """A new member of staff given the Editor role (編集者), signed in, the demo
    archive loaded."""
    from django.contrib.auth.models import Group

    from activities.staff import EDITOR

    call_command("load_demo", stdout=StringIO())
    # As the user form gives the role: with staff access.
    user = django_user_model.objects.create_user("shinjin", "s@example.jp", PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=EDITOR))
    yield sign_in(browser, live_server, "shinjin")
    browser.delete_all_cookies()


# Anything that scrolls sideways inside the page (the admin puts its lists in a
# box that does) or reaches past the window's right edge.
OVERFLOWING = """
return [...document.querySelectorAll('body *')]
  .filter((e) => e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden')
  .filter((e) => (['auto', 'scroll'].includes(getComputedStyle(e).overflowX)
                  && e.scrollWidth > e.clientWidth + 1)
                 || e.getBoundingClientRect().right > window.innerWidth + 1)
  .map((e) => `${e.tagName}.${e.className}#${e.id}: ${e.scrollWidth}/${e.clientWidth}`);
"""


@pytest.mark.parametrize(
    "path",
    [
        "/admin/activities/activity/add/",
        "/admin/activities/activity/1/change/",
        "/admin/activities/activity/",
        "/admin/activities/photo/",
        "/admin/activities/organization/",
    ],
)
@pytest.mark.parametrize("window", [1280, 1440])
def test_the_staff_pages_need_no_sideways_scrolling(signed_in, live_server, path, window):  # noqa: F811
    signed_in.set_window_size(window, 900)
    signed_in.get(live_server.url + path)
    assert signed_in.find_element("css selector", "html").get_attribute("lang") == "ja"
    inner = signed_in.execute_script("return window.innerWidth")
    width = signed_in.execute_script("return document.documentElement.scrollWidth")
    assert width <= inner, f"{path} is {width}px wide in a {inner}px window"
    assert signed_in.execute_script(OVERFLOWING) == [], path


class Staff:
    """A member of staff at the browser, counting what they do: each click, each
    text typed into a box, each choice from a list, each set of files chosen."""

    def __init__(self, browser, live_server) -> None:  # noqa: F811
        self.browser, self.url, self.actions = browser, live_server.url, 0
        self.main = None

    def find(self, selector: str):
        from selenium.webdriver.support import expected_conditions as ec
        from selenium.webdriver.support.ui import WebDriverWait

        return WebDriverWait(self.browser, WAIT).until(
            ec.visibility_of_element_located(("css selector", selector))
        )

    def open(self, path: str) -> None:
        self.actions += 1
        self.browser.get(self.url + path)
        self.main = self.browser.current_window_handle

    def click(self, selector: str) -> None:
        self.actions += 1
        element = self.find(selector)
        self.browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
        element.click()

    def type(self, selector: str, text: str) -> None:
        self.actions += 1
        element = self.find(selector)
        self.browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
        element.send_keys(text)

    def choose(self, selector: str, label: str) -> None:
        """A choice from a drop-down list, picked by what it reads."""
        from selenium.webdriver.support.ui import Select

        self.actions += 1
        Select(self.find(selector)).select_by_visible_text(label)

    def search_and_pick(self, field_id: str, typed: str, result: str) -> None:
        """An autocomplete box: click it, type, pick the result that reads `result`."""
        from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import WebDriverWait

        self.click(f"#{field_id} + .select2 .select2-selection")
        self.type(".select2-container--open .select2-search__field", typed)

        def picked(driver) -> bool:
            # select2 may draw its results again while a search is under way: an
            # option drawn over is looked for again.
            for option in driver.find_elements(By.CSS_SELECTOR, ".select2-results__option"):
                if option.text.strip() == result:
                    option.click()
                    return True
            return False

        try:
            WebDriverWait(
                self.browser, WAIT, ignored_exceptions=[StaleElementReferenceException]
            ).until(picked)
        except TimeoutException:
            shown = self.browser.find_elements(By.CSS_SELECTOR, ".select2-results__option")
            raise AssertionError(
                f"{result!r} not offered for {typed!r}: {[o.text for o in shown]}"
            ) from None
        self.actions += 1

    def choose_files(self, selector: str, *paths) -> None:
        self.actions += 1
        element = self.browser.find_element("css selector", selector)
        element.send_keys("\n".join(str(path) for path in paths))

    def in_popup(self):
        """The window the last ＋ opened."""
        from selenium.webdriver.support.ui import WebDriverWait

        WebDriverWait(self.browser, WAIT).until(lambda d: len(d.window_handles) > 1)
        popup = next(h for h in self.browser.window_handles if h != self.main)
        self.browser.switch_to.window(popup)

    def back_from_popup(self) -> None:
        from selenium.webdriver.support.ui import WebDriverWait

        WebDriverWait(self.browser, WAIT).until(lambda d: len(d.window_handles) == 1)
        self.browser.switch_to.window(self.main)


COP26 = "COP26（国連気候変動枠組条約第26回締約国会議）への参加"


def test_a_new_member_of_staff_records_the_cop26_trip(
    signed_in_editor,
    live_server,  # noqa: F811
    tmp_path,
    record_property,
):
    """Issue: a three-day COP26 trip to Glasgow, recorded from an empty form, in
    Japanese: a new partner and a new venue through the ＋ pop-ups, dates as staff
    write them, two photos, a forgotten alt text, corrected, saved."""
    from activities.models import Activity, Organization, Venue

    first, second = tmp_path / "cop26-plenary.jpg", tmp_path / "cop26-pavilion.jpg"
    first.write_bytes(factories.jpeg_bytes(1200, 800, "midnightblue"))
    second.write_bytes(factories.jpeg_bytes(800, 1200, "darkgreen"))
    staff = Staff(signed_in_editor, live_server)

    staff.open("/admin/activities/activity/add/")
    staff.type("#id_title_ja", COP26)
    staff.choose("#id_kind", "国際会議")
    staff.type("#id_start_date", "2021年11月1日")
    staff.type("#id_end_date", "令和3年11月3日")
    staff.type("#id_summary_ja", "英国グラスゴーで開かれたCOP26に市長が参加しました。")

    # A partner the archive does not know yet, through the ＋ beside the field.
    staff.click("#add_id_partners")
    staff.in_popup()
    staff.type("#id_name_ja", "国連気候変動枠組条約事務局")
    staff.type("#id_short_name_ja", "UNFCCC")
    staff.choose("#id_kind", "国際ネットワーク")
    staff.click("input[name=_save]")
    staff.back_from_popup()
    staff.search_and_pick("id_partners", "イクレイ", "イクレイ（ICLEI）")
    staff.search_and_pick("id_themes", "脱炭素", "脱炭素")

    # A venue the archive does not know yet: its country found by typing 英国.
    staff.click("#add_id_venues")
    staff.in_popup()
    staff.type("#id_name_ja", "スコティッシュ・イベント・キャンパス")
    staff.type("#id_city_ja", "グラスゴー")
    staff.search_and_pick("id_country", "英国", "イギリス")
    staff.click("input[name=_save]")
    staff.back_from_popup()
    staff.choose("#id_department", read_archive().department.name)

    staff.search_and_pick("id_attendances-0-participant", "清水", "清水勇人（さいたま市長）")
    staff.type("#id_attendances-0-title_ja", "さいたま市長")
    staff.choose("#id_attendances-0-role", "本市出席者")
    staff.click("#attendances-group .add-row a")
    staff.search_and_pick("id_attendances-1-participant", "本間", "本間和義（さいたま市副市長）")
    staff.type("#id_attendances-1-title_ja", "さいたま市副市長")
    staff.choose("#id_attendances-1-role", "本市出席者")

    # Both photos at once; the second one's alt text forgotten.
    staff.choose_files("input[data-photo-rows]", first, second)
    staff.type("#id_photos-0-alt_text_ja", "COP26の本会議場で発言する市長")
    staff.type("#id_links-0-label_ja", "COP26（英語）")
    staff.type("#id_links-0-url", "https://ukcop26.org/")
    staff.click("input[name=_save]")

    # The form comes back with the error, and both photos still chosen.
    staff.find(".errornote")
    assert "代替テキストで写真を説明するか" in staff.find("#photos-1 .errorlist").text
    assert not Activity.objects.filter(title_ja=COP26).exists()
    kept = signed_in_editor.find_elements("css selector", "input[name$='-image_retained']")
    assert len([k for k in kept if k.get_attribute("value")]) == 2
    staff.type("#id_photos-1-alt_text_ja", "日本パビリオンでの展示")
    staff.click("input[name=_save]")

    staff.find(".messagelist .success, .messagelist .info")
    activity = Activity.objects.get(title_ja=COP26)
    assert (activity.start_date.isoformat(), activity.end_date.isoformat()) == (
        "2021-11-01",
        "2021-11-03",
    )
    unfccc = Organization.objects.get(short_name="UNFCCC")
    assert set(activity.partners.values_list("short_name", flat=True)) == {"UNFCCC", "ICLEI"}
    assert unfccc.slug  # made for staff from the short name
    assert [str(v.country.code) for v in activity.venues.all()] == ["GB"]
    assert Venue.objects.get(name_ja="スコティッシュ・イベント・キャンパス").city_ja == "グラスゴー"
    assert [t.name_ja for t in activity.themes.all()] == ["脱炭素"]
    assert [(a.participant.name_ja, a.title_ja) for a in activity.attendances.all()] == [
        ("清水勇人", "さいたま市長"),
        ("本間和義", "さいたま市副市長"),
    ]
    photos = list(activity.photos.order_by("order", "pk"))
    assert [(p.width, p.height) for p in photos] == [(1200, 800), (800, 1200)]
    assert [p.order for p in photos] == [0, 1]  # in the order they were chosen
    assert [p.alt_text_ja for p in photos] == [
        "COP26の本会議場で発言する市長",
        "日本パビリオンでの展示",
    ]
    assert [link.url for link in activity.links.all()] == ["https://ukcop26.org/"]
    assert activity.department is not None

    record_property("actions", staff.actions)  # 43 when written
    assert staff.actions <= 45, f"{staff.actions} actions"

    if folder := os.environ.get("CITYTIES_SCREENSHOTS"):
        # The README's picture of the activity form: CITYTIES_SCREENSHOTS=docs/screenshots
        # make test ARGS="-k cop26".
        signed_in_editor.get(f"{live_server.url}/admin/activities/activity/{activity.pk}/change/")
        height = signed_in_editor.execute_script("return document.documentElement.scrollHeight")
        signed_in_editor.set_window_size(1280, height)
        Path(folder).mkdir(parents=True, exist_ok=True)
        signed_in_editor.save_screenshot(str(Path(folder) / "activity-form.png"))


def test_a_chosen_partner_is_corrected_from_its_chip(signed_in_editor, live_server):  # noqa: F811
    """Each chosen partner, theme and venue has its own ✎, as a field of one choice
    has: it opens that partner's form in a pop-up, and the chip shows the new name."""
    from selenium.webdriver.common.keys import Keys

    from activities.models import Activity, Organization

    public = Activity.objects.filter(partners__short_name="ICLEI").first()
    partners = set(public.partners.values_list("pk", flat=True))
    staff = Staff(signed_in_editor, live_server)
    staff.open(f"/admin/activities/activity/{public.pk}/change/")
    # The activity is public: an Editor changes it through a proposed change.
    staff.click("button[name=_propose]")
    staff.find(".messagelist .info")
    activity = Activity.objects.get(replaces=public)

    chips = "#id_partners + .select2 .select2-selection__choice"
    edit = staff.find(f"{chips}[title='イクレイ（ICLEI）'] .chosen-edit")
    assert edit.get_attribute("aria-label") == "「イクレイ（ICLEI）」を変更"
    # From the keyboard, as a button.
    signed_in_editor.execute_script("arguments[0].focus()", edit)
    edit.send_keys(Keys.ENTER)
    staff.in_popup()
    name = staff.find("#id_name_ja")
    name.clear()
    name.send_keys("イクレイ日本")
    staff.click("input[name=_save]")
    staff.back_from_popup()

    staff.find(f"{chips}[title='イクレイ日本']")
    # The search box is still there, to add another partner.
    staff.find("#id_partners + .select2 .select2-search__field")
    # The list is still closed, the chips all there, each with its ✎.
    assert not signed_in_editor.find_elements("css selector", ".select2-container--open")
    shown = signed_in_editor.find_elements("css selector", chips)
    assert len(shown) == len(partners)
    assert all(chip.find_elements("css selector", ".chosen-edit") for chip in shown)
    assert Organization.objects.get(short_name="ICLEI").name_ja == "イクレイ日本"

    staff.click("input[name=_save]")
    staff.find(".messagelist .success, .messagelist .info")
    assert set(activity.partners.values_list("pk", flat=True)) == partners


def screenshot(name: str, browser, height: int | None = None) -> None:  # noqa: F811
    """The README's pictures of the staff pages: CITYTIES_SCREENSHOTS=docs/screenshots
    make test ARGS="-k approved_before"."""
    if folder := os.environ.get("CITYTIES_SCREENSHOTS"):
        height = height or browser.execute_script("return document.documentElement.scrollHeight")
        browser.set_window_size(1280, height)
        Path(folder).mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(str(Path(folder) / name))
        browser.set_window_size(1280, 900)


def public_text(live_server, path: str) -> str:  # noqa: F811
    """The page as a visitor gets it: no cookies, through the live server."""
    from urllib.request import urlopen

    with urlopen(live_server.url + path, timeout=30) as response:
        return response.read().decode()


def sign_in_as_publisher(browser, live_server, django_user_model):  # noqa: F811
    from django.contrib.auth.models import Group

    from activities.staff import PUBLISHER

    user = django_user_model.objects.create_user("koukai", "k@example.jp", PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=PUBLISHER))
    browser.delete_all_cookies()
    sign_in(browser, live_server, "koukai")


def propose_and_request_review(staff: Staff, public, title: str, caption: str) -> None:
    """As an Editor: a proposed change of the public activity, its title and its
    first photo's caption changed, saved, and a review requested with a comment."""
    staff.open(f"/admin/activities/activity/{public.pk}/change/")
    staff.click("button[name=_propose]")
    staff.find("#id_title_ja").clear()
    staff.type("#id_title_ja", title)
    staff.find("#id_photos-0-caption_ja").clear()
    staff.type("#id_photos-0-caption_ja", caption)
    staff.click("input[name=_continue]")
    staff.find(".messagelist .info")
    staff.click(".review-notice a.button")
    staff.type("#id_comment", "タイトルと写真の説明を直しました。")
    staff.click("input[name=_request]")
    staff.find(".messagelist .success")


def test_an_editor_s_change_to_a_public_record_is_approved_before_it_shows(
    signed_in_editor,
    live_server,  # noqa: F811
    django_user_model,
):
    """Issue: an Editor changes a published activity's title and a photo caption
    and requests review; the public page keeps the old ones until a Publisher,
    who sees it in 承認待ち with what changes, approves it."""
    from activities.models import Activity

    public = Activity.objects.filter(status="published", photos__isnull=False).first()
    old_title = public.title_ja
    path = f"/ja/activities/{public.slug}/"
    assert old_title in public_text(live_server, path)
    staff = Staff(signed_in_editor, live_server)
    new_title, new_caption = f"{old_title}（改訂）", "会場で握手を交わす両市長"
    propose_and_request_review(staff, public, new_title, new_caption)

    page = public_text(live_server, path)
    assert old_title in page and new_title not in page and new_caption not in page

    sign_in_as_publisher(signed_in_editor, live_server, django_user_model)
    staff.open("/admin/")
    staff.click("#user-tools a[href$='/reviews/']")
    row = staff.find(".review-list tbody tr")
    assert new_title in row.text and "shinjin" in row.text
    screenshot("waiting-for-review.png", signed_in_editor, 300)
    staff.click(".review-list tbody tr a")
    differences = staff.find(".review-diff").text
    screenshot("review.png", signed_in_editor)
    assert "（改訂）" in differences and new_caption in differences
    staff.click("input[name=_approve]")
    staff.find(".messagelist .success")

    page = public_text(live_server, path)
    assert new_title in page and new_caption in page
    assert not Activity.objects.filter(replaces=public).exists()


def test_a_publisher_sends_a_change_back_and_the_editor_reads_why(
    signed_in_editor,
    live_server,  # noqa: F811
    django_user_model,
):
    from activities.models import Activity

    public = Activity.objects.filter(status="published", photos__isnull=False).last()
    old_title = public.title_ja
    staff = Staff(signed_in_editor, live_server)
    propose_and_request_review(staff, public, f"{old_title}（改訂）", "差し戻される説明")
    proposal = Activity.objects.get(replaces=public)

    sign_in_as_publisher(signed_in_editor, live_server, django_user_model)
    staff.open("/admin/activities/activity/reviews/")
    staff.click(".review-list tbody tr a")
    staff.type("#id_reply", "英語のタイトルも入れてください。")
    staff.click("input[name=_send_back]")
    staff.find(".messagelist .success")
    assert old_title in public_text(live_server, f"/ja/activities/{public.slug}/")

    signed_in_editor.delete_all_cookies()
    sign_in(signed_in_editor, live_server, "shinjin")
    staff.open(f"/admin/activities/activity/{proposal.pk}/change/")
    notice = staff.find(".review-notice.returned")
    assert "英語のタイトルも入れてください。" in notice.text and "koukai" in notice.text
