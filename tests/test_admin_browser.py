"""The staff site in a real browser (Debian's Chromium), in Japanese, as a new member
of the international affairs division uses it."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from tests.test_browser import browser, live_server  # noqa: F401 - shared fixtures

# serialized_rollback: the flush after each test then leaves the content types as
# migrate made them, which the backup tests (next, in pytest's order) rely on.
pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "staff-browser-1"


@pytest.fixture
def signed_in(browser, live_server, django_user_model):  # noqa: F811
    """A superuser signed in through the login form, the admin in Japanese."""
    from selenium.webdriver.common.by import By

    call_command("load_demo", stdout=StringIO())
    django_user_model.objects.create_superuser("kokusai", "k@example.jp", PASSWORD)
    browser.set_window_size(1280, 900)
    browser.get(live_server.url + "/admin/login/")
    browser.add_cookie({"name": "django_language", "value": "ja"})
    browser.get(live_server.url + "/admin/login/")
    browser.find_element(By.NAME, "username").send_keys("kokusai")
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "input[type=submit]").click()
    yield browser
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
def test_the_staff_pages_need_no_sideways_scrolling_at_1280_pixels(signed_in, live_server, path):  # noqa: F811
    signed_in.set_window_size(1280, 900)
    signed_in.get(live_server.url + path)
    assert signed_in.find_element("css selector", "html").get_attribute("lang") == "ja"
    inner = signed_in.execute_script("return window.innerWidth")
    width = signed_in.execute_script("return document.documentElement.scrollWidth")
    assert width <= inner, f"{path} is {width}px wide in a {inner}px window"
    assert signed_in.execute_script(OVERFLOWING) == [], path
