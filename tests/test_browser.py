"""The public pages in a real browser (Debian's Chromium through chromedriver):
what a visitor on a phone, on a keyboard or with a printer gets."""

from __future__ import annotations

import os
import shutil
import tempfile
from io import StringIO

import pytest
from django.core.management import call_command
from selenium.webdriver.common.by import By
from selenium.webdriver.support.wait import WebDriverWait

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"

PAGES = [
    "/ja/",
    "/ja/activities/",
    "/ja/activities/2018-10-22-renewable-energy-conference-basel-freiburg/",
    "/ja/partners/",
    "/ja/partners/iclei/",
    "/ja/themes/decarbonization/",
    "/en/",
    "/en/activities/?year=2018",
    "/en/activities/2019-10-30-iclei-japan-courtesy-call/",
    "/en/partners/mofa/",
]

# WCAG 2.x contrast of every element that holds text (or of those the optional
# selector names), against the first opaque background behind it. Returns the failures.
CONTRAST_JS = """
function rgb(c) { const m = c.match(/[\\d.]+/g).map(Number); return m.length > 3 ? m : [...m, 1]; }
function lum([r, g, b]) {
  const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
  return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
}
function background(el) {
  for (; el; el = el.parentElement) {
    const c = rgb(getComputedStyle(el).backgroundColor);
    if (c[3] > 0.99) return c;
  }
  return [255, 255, 255, 1];
}
const failures = [];
for (const el of document.body.querySelectorAll(arguments[0] || "*")) {
  const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
  const style = getComputedStyle(el);
  if (!own || style.visibility === "hidden" || !el.getClientRects().length) continue;
  const fg = lum(rgb(style.color)), bg = lum(background(el));
  const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
  const size = parseFloat(style.fontSize), bold = parseInt(style.fontWeight) >= 700;
  const large = size >= 24 || (bold && size >= 18.66);
  if (ratio < (large ? 3 : 4.5)) {
    failures.push(`${el.tagName}.${el.className}: ${ratio.toFixed(2)}`);
  }
}
return failures;
"""


@pytest.fixture(scope="session")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="cityties-chromium-")
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def live_server():
    """pytest-django's live server, speaking plain http on 127.0.0.1 as behind a
    TLS-terminating proxy. SecurityMiddleware reads the setting once, when the
    server thread starts, so it is overridden for that moment only."""
    from django.test.utils import override_settings
    from pytest_django.live_server_helper import LiveServer

    with override_settings(SECURE_SSL_REDIRECT=False):
        server = LiveServer("localhost")
    yield server
    server.stop()


@pytest.fixture
def site(live_server):
    call_command("load_demo", stdout=StringIO())
    return live_server.url


def test_pages_fit_a_320_pixel_screen_without_sideways_scrolling(browser, site):
    browser.set_window_size(320, 800)
    for page in PAGES:
        browser.get(site + page)
        inner = browser.execute_script("return window.innerWidth")
        width = browser.execute_script("return document.documentElement.scrollWidth")
        assert width <= inner, f"{page} is {width}px wide in a {inner}px window"


def test_text_contrast_is_at_least_4_5_to_1(browser, site):
    browser.set_window_size(1280, 900)
    for page in PAGES:
        browser.get(site + page)
        assert browser.execute_script(CONTRAST_JS) == [], page


def test_skip_link_is_first_and_visible_when_focused(browser, site):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    browser.set_window_size(1280, 900)
    browser.get(site + "/ja/activities/")
    ActionChains(browser).send_keys(Keys.TAB).perform()
    focused = browser.switch_to.active_element
    assert focused.get_attribute("class") == "skip-link"
    assert focused.text == "本文へ移動"
    rect = browser.execute_script("return arguments[0].getBoundingClientRect().toJSON()", focused)
    assert rect["left"] >= 0 and rect["top"] >= 0 and rect["width"] > 0
    focused.send_keys(Keys.ENTER)
    assert browser.switch_to.active_element.get_attribute("id") == "main"


def test_keyboard_focus_is_visible(browser, site):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    browser.set_window_size(1280, 900)
    browser.get(site + "/en/activities/")
    for _ in range(4):
        ActionChains(browser).send_keys(Keys.TAB).perform()
        outline = browser.execute_script(
            "const s = getComputedStyle(document.activeElement);"
            "return [s.outlineStyle, parseFloat(s.outlineWidth)];"
        )
        assert outline[0] != "none" and outline[1] >= 2, outline


def test_language_switch_keeps_the_filters(browser, site):
    from selenium.webdriver.common.by import By

    browser.set_window_size(1280, 900)
    browser.get(site + "/ja/activities/?year=2018&partner=iclei")
    browser.find_element(By.CSS_SELECTOR, ".languages a[hreflang=en]").click()
    assert browser.current_url == site + "/en/activities/?year=2018&partner=iclei"
    titles = [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".card-title")]
    assert len(titles) == 1


def test_print_keeps_the_record_and_photos_and_drops_navigation(browser, site):
    from selenium.webdriver.common.by import By

    browser.set_window_size(1280, 900)
    browser.get(site + "/ja/activities/2018-10-23-iclei-world-secretariat-agreement/")
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:

        def shown(selector: str) -> bool:
            return all(e.is_displayed() for e in browser.find_elements(By.CSS_SELECTOR, selector))

        assert not browser.find_element(By.CSS_SELECTOR, ".site-header nav").is_displayed()
        assert not browser.find_element(By.CSS_SELECTOR, ".breadcrumb").is_displayed()
        assert browser.find_element(By.TAG_NAME, "h1").is_displayed()
        assert browser.find_elements(By.CSS_SELECTOR, ".photos img") and shown(".photos img")
        assert shown("figcaption")
        address = browser.find_element(By.CSS_SELECTOR, ".print-only")
        assert address.is_displayed()
        assert "/ja/activities/2018-10-23-iclei-world-secretariat-agreement/" in address.text
        # A related link's address is written after it.
        link = browser.find_element(By.CSS_SELECTOR, ".external-links a")
        after = browser.execute_script(
            "return getComputedStyle(arguments[0], '::after').content", link
        )
        assert after == '" <https://iclei.org/>"'
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def test_staff_see_each_status_as_a_readable_badge_and_what_a_save_did(browser, site):
    """An editor signs in to the Japanese staff site, finds a draft by its badge, saves
    it and is told what comes next: in both of the admin's colour themes."""
    from django.contrib.auth.models import Permission, User
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.wait import WebDriverWait

    from tests import factories
    from tests.test_admin import EDITOR_PERMISSIONS

    editor = User.objects.create_user("editor", password="a-long-password-42", is_staff=True)
    # Permissions, not the Editor group: the migration's groups are gone once a test
    # like this one has emptied the database.
    editor.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="activities", codename__in=EDITOR_PERMISSIONS
        )
    )
    draft = factories.ActivityFactory(draft=True, title="グラスゴー COP26 出席")

    browser.set_window_size(1280, 900)
    browser.get(site + "/admin/login/")
    browser.add_cookie({"name": "django_language", "value": "ja", "path": "/"})
    browser.get(site + "/admin/login/?next=/admin/activities/activity/")
    browser.find_element(By.NAME, "username").send_keys("editor")
    browser.find_element(By.NAME, "password").send_keys("a-long-password-42")
    browser.find_element(By.CSS_SELECTOR, "#login-form [type=submit]").submit()
    # Signed in once the list has come back: a page opened before then would cut
    # the login short.
    WebDriverWait(browser, 30).until(lambda b: "/admin/login/" not in b.current_url)

    try:
        for scheme in ("light", "dark"):
            browser.execute_cdp_cmd(
                "Emulation.setEmulatedMedia",
                {"features": [{"name": "prefers-color-scheme", "value": scheme}]},
            )
            browser.get(site + "/admin/activities/activity/")
            badges = browser.find_elements(By.CSS_SELECTOR, ".status-badge")
            assert {badge.text for badge in badges} == {"下書き", "公開中"}
            # The stylesheet applied (the CSP lets it through): a badge has its own colours.
            backgrounds = {
                browser.execute_script("return getComputedStyle(arguments[0]).backgroundColor", b)
                for b in badges
            }
            assert len(backgrounds) == 2 and "rgba(0, 0, 0, 0)" not in backgrounds
            assert browser.execute_script(CONTRAST_JS, ".status-badge") == [], scheme
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})

    browser.get(f"{site}/admin/activities/activity/{draft.pk}/change/")
    assert browser.find_element(By.CSS_SELECTOR, ".activity-status").text == "状態： 下書き"
    browser.find_element(By.NAME, "_continue").click()
    # The click submits the form; the saved page comes back with its messages.
    WebDriverWait(browser, 30).until(lambda b: b.find_elements(By.CSS_SELECTOR, ".messagelist li"))
    said = [item.text for item in browser.find_elements(By.CSS_SELECTOR, ".messagelist li")]
    assert said[-1] == (
        "下書きとして保存しました。公開するには、公開担当の職員に依頼してください。"
        " 下書きをプレビュー"
    )


def test_on_a_phone_the_first_activity_shows_on_the_first_screen(browser, site):
    """At 360×740 the filters other than the search fold behind the browser's own
    <details> (no script is on the page; the keyboard opens it), and the search's
    help shows while the search box has focus."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 360, "height": 740, "deviceScaleFactor": 2, "mobile": True},
    )
    try:
        for path in ("/ja/activities/", "/ja/activities/?partner=iclei&theme=decarbonization"):
            browser.get(site + path)
            assert browser.execute_script("return [innerWidth, innerHeight]") == [360, 740]
            card = browser.find_element(By.CSS_SELECTOR, ".cards li")
            top = browser.execute_script("return arguments[0].getBoundingClientRect().top", card)
            # The card starts on the first screen, its title line with it.
            assert top + 40 <= 740, f"{path}: the first card starts at {top}px"
            assert not shown(browser, "id_year")
        summary = browser.find_element(By.CSS_SELECTOR, ".filter-more summary")
        assert summary.text == "年・相手先などで絞り込む（2件選択中）"
        no_script = "script:not([type='application/ld+json'])"
        assert (
            browser.execute_script(f"return document.querySelectorAll({no_script!r}).length") == 0
        )
        assert not shown(browser, "q-help")
        browser.find_element(By.ID, "id_q").click()
        assert shown(browser, "q-help")
        browser.execute_script("arguments[0].focus()", summary)
        ActionChains(browser).send_keys(Keys.ENTER).perform()
        assert shown(browser, "id_year")
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})

    # On a wide screen every filter is open, and the keyboard goes from the search's
    # button to the year.
    browser.set_window_size(1280, 900)
    browser.get(site + "/ja/activities/")
    assert shown(browser, "id_year") and shown(browser, "q-help")
    assert not browser.find_element(By.CSS_SELECTOR, ".filter-more summary").is_displayed()
    browser.execute_script("document.querySelector('.search-row button').focus()")
    ActionChains(browser).send_keys(Keys.TAB).perform()
    assert browser.switch_to.active_element.get_attribute("id") == "id_year"


# The width a select's chosen text needs, in the select's own font.
TEXT_WIDTH_JS = """
const select = document.getElementById(arguments[0]);
const probe = document.createElement("span");
probe.style.font = getComputedStyle(select).font;
probe.style.whiteSpace = "pre";
probe.textContent = select.options[select.selectedIndex].text;
document.body.append(probe);
const width = probe.getBoundingClientRect().width;
probe.remove();
return [width, select.clientWidth];
"""


@pytest.mark.parametrize("width", [1280, 360])
def test_the_chosen_year_is_not_cut_off_in_its_select(browser, site, width):
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 768},
    )
    try:
        for query in ("year=2019", "calendar=fiscal&year=2019", "year=2019&partner=iclei"):
            browser.get(f"{site}/ja/activities/?{query}")
            text, room = browser.execute_script(TEXT_WIDTH_JS, "id_year")
            # The arrow and the padding take about 30 px.
            assert text + 30 <= room, f"{query}: {text:.0f}px of text in {room}px"
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def shown(browser, element_id: str) -> bool:
    """Rendered and on top where it is: the browser's own answer. (Selenium's
    is_displayed() calls everything in a closed <details> hidden, whatever the
    stylesheet shows.)"""
    return browser.execute_script(
        "const e = document.getElementById(arguments[0]);"
        "if (!e.checkVisibility()) return false;"
        "e.scrollIntoView({block: 'center'});"
        "const r = e.getBoundingClientRect();"
        "const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);"
        "return e === hit || e.contains(hit);",
        element_id,
    )


# Pages added for search engines, sharing, open data and errors, with the archive's
# pages: axe-core (Deque's accessibility engine, `make test` installs it) runs on each.
AXE_PAGES = [
    *PAGES,
    "/ja/activities/?partner=iclei&theme=decarbonization",
    "/ja/themes/",
    "/en/themes/",
    "/ja/open-data/",
    "/en/open-data/",
    "/ja/statistics/",
    "/en/statistics/?calendar=fiscal",
    "/ja/statistics/?partner=iclei",
    "/ja/no-such-page/",
    "/en/activities/no-such-activity/",
    "/ja/activities/?" + "&".join(f"p{n}=1" for n in range(1200)),  # a 400
]


@pytest.fixture(scope="module")
def axe_source() -> str:
    import os
    from pathlib import Path

    path = Path(os.environ.get("AXE_JS", ".venv/axe-4.14.1/node_modules/axe-core/axe.min.js"))
    assert path.is_file(), f"axe-core is missing at {path}: `make test` installs it"
    return path.read_text()


def axe_violations(browser, source: str) -> list[str]:
    browser.execute_script(source)
    return browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document).then((r) => done(r.violations.map("
        "  (v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).join(', '))));"
    )


def test_axe_finds_no_violations_on_the_403_and_500_pages(browser, site, axe_source):
    """The CSRF failure page, from a form posted without its token; the 500 page as
    handler500 renders it (nothing on the site fails on purpose), written into a
    page of the site so that its stylesheet loads."""
    from django.test import RequestFactory

    from activities.errors import server_error

    browser.set_window_size(1280, 900)
    browser.get(f"{site}/ja/")
    browser.add_cookie({"name": "django_language", "value": "ja", "path": "/"})
    browser.execute_script(
        "const f = document.createElement('form'); f.method = 'post';"
        "f.action = '/i18n/setlang/'; document.body.append(f); f.submit();"
    )
    WebDriverWait(browser, 30).until(lambda b: "/i18n/setlang/" in b.current_url)
    # An address without a language: the visitor's chosen one (the cookie).
    assert browser.find_element(By.TAG_NAME, "h1").text == "フォームを送信できませんでした"
    assert axe_violations(browser, axe_source) == [], "403"

    for language in ("ja", "en"):
        page = server_error(RequestFactory().get(f"/{language}/activities/")).content.decode()
        browser.get(f"{site}/{language}/")
        browser.execute_script(
            "document.open(); document.write(arguments[0]); document.close();", page
        )
        assert browser.find_elements(By.CSS_SELECTOR, ".error-page")
        assert axe_violations(browser, axe_source) == [], f"500 ({language})"


@pytest.mark.parametrize("width", [1280, 360])
def test_axe_finds_no_accessibility_violations(browser, site, axe_source, width):
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 768},
    )
    found = {}
    try:
        for page in AXE_PAGES:
            browser.get(site + page)
            violations = axe_violations(browser, axe_source)
            if violations:
                found[page[:80]] = violations
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    assert found == {}


def test_the_statistics_and_a_record_s_map_ask_nothing_of_another_site(browser, site):
    """The map's shapes are the site's own file; every request the pages make goes to
    the site, and the map and the locator are drawn."""
    browser.set_window_size(1280, 900)
    for path in (
        "/ja/statistics/",
        "/en/statistics/?calendar=fiscal",
        "/ja/activities/2018-10-22-renewable-energy-conference-basel-freiburg/",
    ):
        browser.get(site + path)
        requested = browser.execute_script(
            "return performance.getEntriesByType('resource').map((e) => e.name)"
        )
        assert requested and all(url.startswith(site) for url in requested), requested
        assert any(url.endswith(".svg") and "/maps/world" in url for url in requested)
    circles = browser.find_elements(By.CSS_SELECTOR, ".locator circle")
    assert len(circles) == 2  # Basel and Freiburg
    browser.get(site + "/ja/statistics/")
    if folder := os.environ.get("CITYTIES_SCREENSHOTS"):
        # The README's pictures: CITYTIES_SCREENSHOTS=docs/screenshots make test
        # ARGS="-k another_site"
        height = browser.execute_script("return document.documentElement.scrollHeight")
        browser.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": 1280, "height": height, "deviceScaleFactor": 1, "mobile": False},
        )
        try:
            top = browser.find_element(By.CSS_SELECTOR, "main")
            top.screenshot(os.path.join(folder, "statistics.png"))
            section = browser.find_element(By.CSS_SELECTOR, "section[aria-labelledby=chart-map]")
            section.screenshot(os.path.join(folder, "map.png"))
        finally:
            browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    countries = browser.find_elements(By.CSS_SELECTOR, ".world-map a")
    assert countries
    # A country is a link the keyboard reaches and Enter follows.
    from selenium.webdriver.common.keys import Keys

    browser.execute_script("arguments[0].focus()", countries[0])
    label = countries[0].get_attribute("aria-label")
    countries[0].send_keys(Keys.ENTER)
    WebDriverWait(browser, 30).until(lambda b: "country=" in b.current_url)
    assert "/ja/activities/?country=" in browser.current_url, label
