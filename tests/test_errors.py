"""The error pages: in the site's design and the URL's language, with the ways on;
the 500 page without the database."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.urls import path
from django.utils import translation

from activities import errors

pytestmark = pytest.mark.django_db


def broken(request):
    raise RuntimeError("a bug")


urlpatterns = [path("ja/broken/", broken), path("en/broken/", broken)]


def assert_site_page(response, *, status: int, lang: str, heading: str) -> str:
    assert response.status_code == status
    body = response.content.decode()
    assert f'<html lang="{lang}">' in body
    assert f"<h1>{heading}</h1>" in body
    assert 'class="site-header"' in body and 'class="site-footer"' in body
    # The ways on, in the same language.
    assert f'href="/{lang}/activities/"' in body and f'href="/{lang}/"' in body
    assert 'name="robots" content="noindex"' in body
    return body


@pytest.mark.parametrize(
    ("lang", "heading"), [("ja", "ページが見つかりません"), ("en", "Page not found")]
)
def test_a_missing_page_is_a_404_in_the_url_s_language(client, lang, heading):
    for missing in (f"/{lang}/no-such-page/", f"/{lang}/activities/no-such-activity/"):
        assert_site_page(client.get(missing), status=404, lang=lang, heading=heading)


def test_a_bad_host_gets_the_400_page(client):
    response = client.get("/ja/", HTTP_HOST="evil.example")
    body = assert_site_page(response, status=400, lang="ja", heading="不正なリクエストです")
    assert "evil.example" not in body


def test_a_form_sent_without_its_cookie_gets_the_csrf_page():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/en/"})
    assert_site_page(response, status=403, lang="ja", heading="フォームを送信できませんでした")


def test_the_403_page(rf):
    request = rf.get("/en/activities/")
    with translation.override("en"):
        response = errors.permission_denied(request, PermissionError())
    assert response.status_code == 403
    assert "<h1>Not available</h1>" in response.content.decode()


@pytest.mark.parametrize(
    ("lang", "heading"), [("ja", "エラーが発生しました"), ("en", "Something went wrong")]
)
@override_settings(ROOT_URLCONF="tests.test_errors_urls")
def test_a_server_error_is_the_500_page_without_the_database(
    lang, heading, django_assert_num_queries, monkeypatch
):
    client = Client(raise_request_exception=False)

    def no_database(*args, **kwargs):
        raise AssertionError("the 500 page read the database")

    with django_assert_num_queries(0):
        monkeypatch.setattr(connection, "cursor", no_database)
        response = client.get(f"/{lang}/broken/")
    assert response.status_code == 500
    body = response.content.decode()
    assert f'<html lang="{lang}">' in body and f"<h1>{heading}</h1>" in body
    assert f'href="/{lang}/activities/"' in body
    assert "a bug" not in body and "Traceback" not in body
