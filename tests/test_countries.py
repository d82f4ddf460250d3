"""Countries in the admin: in 五十音順 on the Japanese pages, alphabetical in
English, and found by typing a Japanese name in kana, an alias, the English name or
the code."""

from __future__ import annotations

import re
import shutil
import tempfile
import threading
import time
from html import unescape

import pytest
from django.utils import translation
from django_countries import countries as django_countries

from activities import countries
from activities.models import Organization, Venue
from tests.html_forms import form_data
from tests.test_admin import assert_saved, url
from tests.test_browser import CHROMEDRIVER, CHROMIUM, live_server  # noqa: F401  (fixture)

OPTION = re.compile(r'<option value="([A-Z]*)"[^>]*>([^<]*)</option>')


def country_options(client, model: type, **headers) -> list[tuple[str, str]]:
    page = client.get(url(model, "add"), **headers).content.decode()
    select = re.search(r'<select name="country".*?</select>', page, re.S).group()
    return [(code, unescape(name)) for code, name in OPTION.findall(select)]


# --- Order ---------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("model", [Venue, Organization])
def test_japanese_admin_lists_countries_in_gojuon_order(admin_client, model):
    options = country_options(admin_client, model)
    names = [name for _code, name in options]

    assert len(options) == 1 + len(django_countries)
    assert names[:6] == [
        "---------",
        "アイスランド",
        "アイルランド",
        "アゼルバイジャン",
        "アフガニスタン",
        "アメリカ合衆国",
    ]
    uk = names.index("イギリス")
    assert names[uk - 2 : uk + 3] == ["アンドラ", "イエメン", "イギリス", "イスラエル", "イタリア"]
    # Names in kanji go by their reading: 日本 is にほん, 西サハラ にしさはら.
    japan = names.index("日本")
    assert names[japan - 2 : japan + 3] == [
        "ニジェール",
        "西サハラ",
        "日本",
        "ニューカレドニア",
        "ニュージーランド",
    ]
    korea = names.index("韓国")
    assert names[korea - 1 : korea + 3] == ["カメルーン", "韓国", "ガンビア", "カンボジア"]


@pytest.mark.django_db
def test_english_admin_lists_countries_alphabetically_and_finds_them_as_well(admin_client):
    page = admin_client.get(url(Venue, "add"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert re.search(r'<option value="GB" data-search="[^"]*\|英国\|[^"]*">United Kingdom<', page)
    names = [
        name for _code, name in country_options(admin_client, Venue, HTTP_ACCEPT_LANGUAGE="en")
    ]

    assert names[:6] == [
        "---------",
        "Afghanistan",
        "Åland Islands",
        "Albania",
        "Algeria",
        "American Samoa",
    ]
    assert names[-2:] == ["Zambia", "Zimbabwe"]


@pytest.mark.parametrize(
    "readings",
    [
        ["はり", "ばり", "ぱり"],  # voiced marks after the plain kana
        ["りーだ", "りすと"],  # ー as the vowel it lengthens: りいだ
        ["きって", "きつね"],  # small っ as つ, then by the next kana
        ["かんこく", "がんびあ", "かんぼじあ"],  # が as か first
    ],
)
def test_gojuon_order_is_a_dictionarys(readings):
    assert sorted(readings, key=countries.gojuon_key) == readings


def test_every_country_has_a_reading_in_kana():
    with translation.override("ja"):
        names = {country.code: str(country.name) for country in django_countries}

    for code, name in names.items():
        reading = countries.reading(code)
        assert re.fullmatch(r"[ぁ-ゖー]+", reading), (code, name, reading)
        # A name in kanji has its reading written down, and the reading fits the name:
        # its kana parts come in it, in order.
        assert code in countries.READINGS or not re.search(r"[一-龯]", name), (code, name)
        kana_parts = re.findall(r"[ぁ-ゖァ-ヶー]+", countries.fold(name))
        assert re.search(".*".join(map(re.escape, kana_parts)), reading), (code, name)
    assert set(countries.READINGS) <= set(names)
    assert set(countries.ALIASES) <= set(names)


# --- Finding by typing --------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("イギリス", "GB"),
        ("いぎりす", "GB"),
        ("ｲｷﾞﾘｽ", "GB"),
        ("英国", "GB"),
        ("えいこく", "GB"),
        ("スコットランド", "GB"),
        ("United Kingdom", "GB"),
        ("uk", "GB"),
        ("GB", "GB"),
        ("ｇｂ", "GB"),
        ("米国", "US"),
        ("アメリカ", "US"),
        ("us", "US"),
        ("独", "DE"),
        ("germany", "DE"),
        ("de", "DE"),
        ("仏", "FR"),
        ("韓国", "KR"),
        ("かんこく", "KR"),
        ("北朝鮮", "KP"),
        ("中国", "CN"),
        ("ちゅうごく", "CN"),
        ("台湾", "TW"),
        ("にほん", "JP"),
        ("ジョージア", "GE"),
        ("cote", "CI"),
        ("セント ルシア", "LC"),
    ],
)
def test_typing_finds_the_country_first(typed, code):
    assert countries.find(typed, "ja")[0] == code


def test_typing_narrows_the_list():
    assert countries.find("英国", "ja") == ["GB"]
    assert set(countries.find("いぎりす", "ja")) == {"GB", "VG"}  # ヴァージン諸島(イギリス領)
    assert countries.find("存在しない国", "ja") == []


@pytest.mark.django_db
def test_the_country_select_is_a_plain_select_whose_options_say_what_finds_them(admin_client):
    page = admin_client.get(url(Venue, "add")).content.decode()

    select = re.search(r"<select name=\"country\"[^>]*>", page).group()
    assert 'class="country-select"' in select and "data-ajax" not in select
    option = re.search(r'<option value="GB" data-search="([^"]*)">イギリス</option>', page)
    assert option is not None
    terms = option.group(1).split("|")
    assert {"gb", "いぎりす", "英国", "えいこく", "united kingdom"} <= set(terms)

    # Without JavaScript, the select is posted as it is.
    data = form_data(page, "venue_form")
    data.update(
        name_ja=["スコティッシュ・イベント・キャンパス"], city_ja=["グラスゴー"], country=["GB"]
    )
    assert_saved(admin_client.post(url(Venue, "add"), data))
    assert Venue.objects.get().country == "GB"


# --- In a real browser ----------------------------------------------------------------


@pytest.fixture(scope="module")
def japanese_browser(live_server):  # noqa: F811
    """Chromium asking for Japanese pages, as on a city office's desk. Quit before the
    live server stops, and its open connections closed by then: their server
    threads share the test's in-memory database connection only while it runs."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="cityties-chromium-")
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--lang=ja",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"intl.accept_languages": "ja"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    yield driver
    driver.quit()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(
        "process_request_thread" in thread.name for thread in threading.enumerate()
    ):
        time.sleep(0.05)
    shutil.rmtree(profile, ignore_errors=True)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_typing_in_the_venue_forms_country_field_finds_the_country(
    japanese_browser,
    live_server,  # noqa: F811
    django_user_model,
):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    browser = japanese_browser
    django_user_model.objects.create_superuser("kokusai", password="a-long-password-1")
    site = live_server.url
    browser.set_window_size(1280, 900)
    browser.get(site + "/admin/login/")
    browser.find_element(By.ID, "id_username").send_keys("kokusai")
    browser.find_element(By.ID, "id_password").send_keys("a-long-password-1" + Keys.ENTER)
    WebDriverWait(browser, 30).until(lambda b: "/admin/login/" not in b.current_url)

    browser.get(site + url(Venue, "add"))
    browser.find_element(By.ID, "id_name_ja").send_keys("スコティッシュ・イベント・キャンパス")

    def offered(typed: str) -> list[str]:
        browser.find_element(By.CSS_SELECTOR, ".field-country .select2-selection").click()
        search = browser.find_element(By.CSS_SELECTOR, ".select2-container--open input")
        search.clear()
        search.send_keys(typed)
        WebDriverWait(browser, 5).until(
            lambda b: b.find_elements(By.CSS_SELECTOR, ".select2-results__option")
        )
        options = browser.find_elements(By.CSS_SELECTOR, ".select2-results__option")
        return [option.text for option in options]

    assert offered("英国") == ["イギリス"]
    search = browser.find_element(By.CSS_SELECTOR, ".select2-container--open input")
    search.send_keys(Keys.ESCAPE)
    assert offered("いぎりす") == ["イギリス", "ヴァージン諸島(イギリス領)"]
    # The first offered is chosen with Enter, as staff would.
    browser.find_element(By.CSS_SELECTOR, ".select2-container--open input").send_keys(Keys.ENTER)
    chosen = browser.find_element(By.CSS_SELECTOR, ".field-country .select2-selection__rendered")
    assert chosen.text.strip("×\n ") == "イギリス"

    browser.find_element(By.NAME, "_save").click()
    WebDriverWait(browser, 30).until(lambda b: b.current_url.endswith(url(Venue)))
    venue = Venue.objects.get()
    assert (venue.name_ja, venue.country.code) == ("スコティッシュ・イベント・キャンパス", "GB")
