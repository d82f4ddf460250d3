"""What must never happen on the public site and at the staff login: a server error
on any URL or query string, a draft shown to the public, a missing security header,
unlimited password guessing. The URLs and the bad input live in tests/public_urls.py."""

from __future__ import annotations

import contextlib
import datetime
import json
import logging
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.db import OperationalError
from django.test import Client
from django.utils import translation

from activities.models import Activity, Department, Organization, Participant, Theme, Venue
from tests import factories, public_urls
from tests.public_urls import (
    DRAFT_LEAK_URLS,
    DRAFT_MARKERS,
    MALFORMED_PATHS,
    MALFORMED_QUERIES,
    PUBLIC_URLS,
)

pytestmark = pytest.mark.django_db

BASE_DIR = Path(django_settings.BASE_DIR)


@pytest.fixture
def dataset() -> dict:
    return public_urls.make_dataset()


def with_query(path: str, query: str) -> str:
    return f"{path}?{query}" if query else path


# --- Bad input: a page or a 4xx, never a 5xx ---------------------------------------


def test_there_are_enough_malformed_queries() -> None:
    assert len(MALFORMED_QUERIES) >= 40


@pytest.mark.parametrize("url", PUBLIC_URLS, ids=str)
def test_malformed_queries_never_cause_a_server_error(client, dataset, url) -> None:
    failures = []
    for query in MALFORMED_QUERIES:
        response = client.get(with_query(url.path, query))
        public_urls.body_of(response)
        if response.status_code >= 500:
            failures.append((query[:80], response.status_code))
    assert failures == []


@pytest.mark.parametrize("query", ["year=99999999999", "partner=%00", "kind=" + "x" * 5000])
def test_a_bad_filter_is_ignored_with_a_message(client, dataset, query) -> None:
    response = client.get(f"/ja/activities/?{query}")

    assert response.status_code == 200
    body = response.content.decode()
    assert 'class="notice"' in body
    # Both published activities: the bad filter was dropped, not applied.
    assert "イクレイ日本の表敬訪問" in body and "外務省との意見交換" in body


def test_too_many_parameters_is_a_400(client, dataset) -> None:
    query = "&".join(f"p{n}=1" for n in range(2000))

    assert client.get(f"/ja/activities/?{query}").status_code == 400


@pytest.mark.parametrize("path", MALFORMED_PATHS)
def test_malformed_paths_never_cause_a_server_error(client, dataset, path) -> None:
    assert client.get(path).status_code < 500


@pytest.mark.parametrize(
    "path",
    [
        "/xx/activities/",
        "/zh-hans/activities/",
        f"/ja/activities/{public_urls.ACTIVITY}/junk/",
        f"/ja/activities/{public_urls.ACTIVITY}junk/",
        f"/ja/partners/{public_urls.PARTNER}/junk/",
        f"/ja/themes/{public_urls.THEME}/junk/",
        "/ja/activities/%ff%fe/",
        "/ja/activities/%00/",
    ],
)
def test_unknown_language_or_junk_after_a_slug_is_a_404(client, dataset, path) -> None:
    assert client.get(path).status_code == 404


# Parameters of the staff changelists: list filters, search, ordering, pages, dates.
ADMIN_MALFORMED_QUERIES = [
    "status__exact=%00",
    "status__exact=nonsense",
    "status__exact=draft&status__exact=published",
    "kind__exact=%00",
    "kind__exact=" + "x" * 5000,
    "themes__id__exact=%00",
    "themes__id__exact=abc",
    "themes__id__exact=99999999999999999999999",
    "year=0",
    "year=99999999999",
    "year=%00",
    "partner_kind=%00",
    "start_date__year=0",
    "start_date__year=99999999999",
    "start_date__year=2019&start_date__month=13",
    "start_date__year=2019&start_date__month=2&start_date__day=31",
    "start_date__year=%00",
    "start_date__year=1",
    "start_date__year=1&start_date__month=1&start_date__day=1",
    "start_date__year=9999",
    "start_date__year=9999&start_date__month=12",
    "start_date__year=9999&start_date__month=12&start_date__day=31",
    "q=%00",
    "q=%ff%fe",
    "q=" + "x" * 5000,
    "q=%22%27%5C%25_",
    "o=abc",
    "o=999",
    "o=1.-2.%00",
    "p=abc",
    "p=-1",
    "p=99999999999999999999",
    "e=1",
    "_to_field=password",
    "id__gt=0",
    "activity__password=x",
    "kind__in=a,b",
    "is_decorative__exact=%00",
    "is_decorative__exact=maybe",
    "organization__kind__exact=%00",
    "country=%00",
    "country=ZZ",
    "kind__exact=%00&all=",
    "%ff%fe=1",
    "%00=%00",
]

ADMIN_CHANGELISTS = [
    Activity,
    Organization,
    Theme,
    Venue,
    Participant,
    Department,
]


@pytest.mark.parametrize("model", ADMIN_CHANGELISTS, ids=lambda m: m._meta.model_name)
def test_admin_changelist_parameters_never_cause_a_server_error(admin_client, dataset, model):
    path = f"/admin/activities/{model._meta.model_name}/"
    failures = []
    for query in ADMIN_MALFORMED_QUERIES:
        response = admin_client.get(with_query(path, query))
        if response.status_code >= 500:
            failures.append((query[:80], response.status_code))
        elif response.status_code == 302:
            # Django's answer to a lookup it cannot run: the list again, with a notice.
            assert admin_client.get(response["Location"]).status_code == 200
    assert failures == []


def test_nul_in_an_admin_list_filter_shows_the_list(admin_client, dataset) -> None:
    response = admin_client.get("/admin/activities/activity/?status__exact=%00", follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0].endswith("?e=1")


# --- Drafts never reach the public --------------------------------------------------


def assert_no_draft(response, url: str) -> str:
    assert response.status_code in (200, 301, 302, 404), url
    body = public_urls.body_of(response).decode(errors="replace")
    # A search box shows the visitor's own term again: that one proves nothing.
    leaked = [marker for marker in DRAFT_MARKERS if marker in body and marker not in url]
    assert leaked == [], f"{url} shows the draft ({leaked})"
    return body


@pytest.mark.parametrize("url", DRAFT_LEAK_URLS)
def test_draft_does_not_leak(client, dataset, url) -> None:
    assert_no_draft(client.get(url), url)


@pytest.mark.parametrize("url", DRAFT_LEAK_URLS)
def test_draft_does_not_leak_to_staff_without_view_permission(
    client, django_user_model, dataset, url
) -> None:
    client.force_login(django_user_model.objects.create_user("clerk", is_staff=True))
    assert_no_draft(client.get(url), url)


# What a proposed change of a published activity says, and nothing public does.
PENDING_MARKERS = ("PENDINGCHANGETITLE", "PENDINGCHANGEBODY", "PENDINGCHANGECAPTION")


@pytest.fixture
def pending_and_overdue(dataset, committed) -> Activity:
    """A proposed change of the published record, waiting for review, its title,
    body and photo caption changed; and the draft scheduled to go public a minute
    ago, the command that publishes it not run yet (late). Committed, as the site
    would have them: search documents written, caches moved on."""
    from activities import review

    live = Activity.objects.get(slug=public_urls.ACTIVITY)
    factories.PhotoFactory(activity=live, caption="公開中の写真")
    copy = review.start_replacement(live)
    copy.title_ja, copy.body_ja = PENDING_MARKERS[0], PENDING_MARKERS[1]
    copy.save()
    photo = copy.photos.get(origin__caption_ja="公開中の写真")
    photo.caption_ja = PENDING_MARKERS[2]
    photo.save()
    review.request_review(copy, None)
    Activity.objects.filter(slug=public_urls.DRAFT_SLUG).update(
        publish_at=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=1)
    )
    committed()
    return copy


@pytest.mark.parametrize(
    "url",
    [
        *DRAFT_LEAK_URLS,
        *(f"/{lang}/activities/?q={marker}" for lang in ("ja", "en") for marker in PENDING_MARKERS),
    ],
)
def test_a_pending_change_or_an_overdue_schedule_does_not_leak(
    client, pending_and_overdue, url
) -> None:
    response = client.get(url)
    body = assert_no_draft(response, url)
    leaked = [marker for marker in PENDING_MARKERS if marker in body and marker not in url]
    assert leaked == [], f"{url} shows the pending change ({leaked})"


def test_a_pending_change_has_no_public_page(client, pending_and_overdue) -> None:
    assert client.get(pending_and_overdue.get_absolute_url()).status_code == 404
    page = client.get(f"/ja/activities/{public_urls.ACTIVITY}/").content.decode()
    assert "公開中の写真" in page


@pytest.mark.parametrize("language", ["ja", "en"])
def test_draft_record_is_a_404(client, dataset, language) -> None:
    assert client.get(f"/{language}/activities/{public_urls.DRAFT_SLUG}/").status_code == 404


def test_draft_only_values_are_not_offered(client, dataset) -> None:
    """No filter choice, count or link comes from the draft alone."""
    for path in ("/ja/", "/ja/activities/", "/en/activities/", "/ja/partners/"):
        body = client.get(path).content.decode()
        for text in (
            public_urls.DRAFT_PARTNER,
            public_urls.DRAFT_PARTNER_NAME,
            public_urls.DRAFT_THEME,
            public_urls.DRAFT_THEME_NAME,
            f'value="{public_urls.DRAFT_YEAR}"',
            f"year={public_urls.DRAFT_YEAR}",
            f'value="{public_urls.DRAFT_COUNTRY}"',
            f"country={public_urls.DRAFT_COUNTRY}",
        ):
            assert text not in body, f"{path} offers {text}"


def test_every_public_url_is_covered(dataset) -> None:
    """A new public route must be added to tests/public_urls.py, so that the draft,
    malformed-input and fuzz tests cover it."""
    from django.urls import get_resolver

    resolver = get_resolver()
    names = set()
    for url in PUBLIC_URLS:
        path = url.path.split("?")[0]
        language = path.split("/")[1] if path.startswith(("/ja/", "/en/")) else "ja"
        with translation.override(language):
            names.add(resolver.resolve(path).view_name)
    public = {
        name
        for name in _all_view_names(resolver)
        if not name.startswith("admin:") and name not in {"set_language", "javascript-catalog"}
    }
    assert public <= names | {"set_language"}


def _all_view_names(resolver, namespace: str = "") -> set[str]:
    names = set()
    for pattern in resolver.url_patterns:
        if hasattr(pattern, "url_patterns"):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _all_view_names(pattern, inner)
        elif pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


# --- Headers -----------------------------------------------------------------------

HEADER_URLS = [
    "/ja/",
    "/ja/activities/",
    f"/en/activities/{public_urls.ACTIVITY}/",
    "/admin/login/",
]


@pytest.fixture
def https(settings) -> Client:
    """Production's behaviour: http is redirected, https gets HSTS."""
    settings.SECURE_SSL_REDIRECT = True
    return Client()


@pytest.mark.parametrize("url", HEADER_URLS)
def test_http_is_redirected_to_https(https, dataset, url) -> None:
    response = https.get(url)

    assert response.status_code == 301
    assert response["Location"] == f"https://testserver{url}"


@pytest.mark.parametrize("url", HEADER_URLS)
def test_security_headers(https, dataset, url) -> None:
    response = https.get(url, secure=True)

    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = dict(
        (directive.split(" ", 1) + [""])[:2]
        for directive in (part.strip() for part in response["Content-Security-Policy"].split(";"))
        if directive
    )
    assert policy["default-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["script-src"] == "'self'"
    assert "unsafe" not in response["Content-Security-Policy"]


@pytest.mark.parametrize("url", HEADER_URLS)
def test_pages_load_nothing_from_elsewhere_and_have_no_inline_script(https, dataset, url) -> None:
    body = https.get(url, secure=True).content.decode()

    scripts = re.findall(r"<script\b[^>]*>", body)
    # JSON-LD is data: browsers never run it, and the CSP does not govern it.
    code = [tag for tag in scripts if tag != '<script type="application/ld+json">']
    assert all(" src=" in tag for tag in code), scripts
    assert not re.search(r"\son[a-z]+\s*=", body), "inline event handler"
    assert not re.search(r"\sstyle\s*=", body), "inline style (blocked by the CSP)"
    # Anything the browser fetches by itself: scripts, styles, images, icons, frames.
    fetched = re.findall(r'<(?:script|img|iframe|source|video|audio)\b[^>]*\ssrc="([^"]*)"', body)
    fetched += [
        url.split()[0]
        for srcset in re.findall(r'\ssrcset="([^"]*)"', body)
        for url in srcset.split(",")
    ]
    for tag in re.findall(r"<link\b[^>]*>", body):
        rel = re.search(r'\srel="([^"]*)"', tag)
        href = re.search(r'\shref="([^"]*)"', tag)
        # Alternates and canonical links are addresses, not requests.
        if (
            rel
            and href
            and set(rel.group(1).split())
            & {"stylesheet", "icon", "preload", "modulepreload", "manifest", "prefetch"}
        ):
            fetched.append(href.group(1))
    assert fetched, "the page loads its stylesheet at least"
    external = [url for url in fetched if re.match(r"^(?:[a-z]+:)?//(?!testserver[/:])", url, re.I)]
    assert external == []


def test_cookies_are_secure_and_http_only(https, django_user_model) -> None:
    django_user_model.objects.create_user("editor", password="right-password", is_staff=True)

    csrf = https.get("/admin/login/", secure=True).cookies["csrftoken"]
    response = https.post(
        "/admin/login/",
        {"username": "editor", "password": "right-password"},
        secure=True,
        REMOTE_ADDR="192.0.2.1",
    )

    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert (session["secure"], session["httponly"], session["samesite"]) == (True, True, "Lax")
    assert (csrf["secure"], csrf["samesite"]) == (True, "Lax")


def test_language_cookie_is_secure_same_site_and_http_only(https) -> None:
    assert not django_settings.DEBUG

    response = https.post("/i18n/setlang/", {"language": "en", "next": "/en/"}, secure=True)

    assert response.status_code == 302
    assert response["Location"] == "/en/"
    cookie = response.cookies["django_language"]
    assert cookie.value == "en"
    assert (cookie["secure"], cookie["samesite"], cookie["httponly"]) == (True, "Lax", True)


# --- check --deploy under the documented production environment --------------------

# As in the README's "Production" section.
PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "k3Y-" + "x7Qp9" * 12,
    "DJANGO_ALLOWED_HOSTS": "archive.city.example.jp",
    "DATABASE_URL": "postgres://cityties:secret@db.internal:5432/cityties",
    "DJANGO_SECURE_PROXY_SSL_HEADER": "1",
    "CITYTIES_REDIS_URL": "redis://cache.internal:6379/0",
}


def test_production_environment_is_the_documented_one() -> None:
    readme = (BASE_DIR / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Production", 1)[1].split("\n## ", 1)[0]
    for name in PRODUCTION_ENV:
        assert name in section, name


def manage_in(environment: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    """manage.py in a process whose site settings are ``environment`` alone (none of
    this test run's own)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "CITYTIES_", "AWS_"))
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**env, **environment},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow
def test_check_deploy_reports_no_issue_in_production() -> None:
    result = manage_in(PRODUCTION_ENV, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_needs_a_secret_key() -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env["DJANGO_DEBUG"] = "0"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


# --- Staff login: repeated failures are locked out ---------------------------------


def attempt(client: Client, password: str, address: str = "192.0.2.10"):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": "editor", "password": password},
        REMOTE_ADDR=address,
    )


def test_repeated_failed_logins_are_locked_out(client, django_user_model) -> None:
    django_user_model.objects.create_user("editor", password="right-password", is_staff=True)

    for _ in range(django_settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "wrong").status_code == 200
    response = attempt(client, "wrong")

    assert response.status_code == 429
    assert "ログインの試行が多すぎます" in response.content.decode()
    # Locked out: even the right password is refused now...
    assert attempt(client, "right-password").status_code == 429
    # ...from this address; the same user elsewhere is not locked out.
    assert attempt(Client(), "right-password", address="198.51.100.7").status_code == 302


def test_a_successful_login_resets_the_count(client, django_user_model) -> None:
    django_user_model.objects.create_user("editor", password="right-password", is_staff=True)

    for _ in range(django_settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "wrong")
    assert attempt(client, "right-password").status_code == 302
    client.logout()

    for _ in range(django_settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "wrong").status_code == 200


def test_lockout_counts_the_client_behind_a_trusted_proxy(settings) -> None:
    from config.security import client_ip

    settings.TRUSTED_PROXY_COUNT = 1
    request = mock.Mock(
        META={"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "203.0.113.9, 198.51.100.7"}
    )
    # The proxy appended the address it saw; what the client wrote is to its left.
    assert client_ip(request) == "198.51.100.7"
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.2"


# --- /healthz ----------------------------------------------------------------------


def test_healthz_checks_the_database(client) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok"
    assert "Set-Cookie" not in response


def test_healthz_answers_a_load_balancer_over_http(https) -> None:
    response = https.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok"


def test_healthz_is_a_503_when_the_database_is_down(client) -> None:
    with mock.patch(
        "django.db.backends.base.base.BaseDatabaseWrapper.cursor",
        side_effect=OperationalError("connection refused"),
    ):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/plain")
    assert b"database" in response.content


# --- Structured logs ---------------------------------------------------------------


@contextlib.contextmanager
def log_lines(*names: str) -> Iterator[list[str]]:
    """The lines the project's JSON formatter writes for the named loggers' records."""
    from config.logs import JsonFormatter

    lines: list[str] = []
    handler = logging.Handler()
    handler.setFormatter(JsonFormatter())
    handler.emit = lambda record: lines.append(handler.format(record))
    loggers = [logging.getLogger(name) for name in names]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        yield lines
    finally:
        for logger in loggers:
            logger.removeHandler(handler)


def test_request_errors_are_logged_as_json(client, dataset) -> None:
    """A server error is one JSON line with the request, the status and the traceback."""
    client.raise_request_exception = False
    with (
        log_lines("django.request") as lines,
        mock.patch(
            "activities.views.ThemeDetailView.get_context_data",
            side_effect=RuntimeError("boom"),
        ),
    ):
        response = client.get(f"/ja/themes/{public_urls.THEME}/?page=2")

    assert response.status_code == 500
    (line,) = lines
    entry = json.loads(line)
    assert entry["level"] == "ERROR"
    assert entry["logger"] == "django.request"
    assert entry["method"] == "GET"
    assert entry["path"] == f"/ja/themes/{public_urls.THEME}/"
    assert entry["status_code"] == 500
    assert entry["exception"]["type"] == "RuntimeError"
    assert entry["exception"]["message"] == "boom"
    assert "get_context_data" in entry["exception"]["traceback"]
    assert entry["time"].endswith("Z")


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("path", ["/ja/activities/", "/admin/login/", "/healthz"])
def test_a_bad_host_header_is_one_warning_line_without_a_traceback(client, method, path) -> None:
    # Every record of the request: Django's loggers stop at "django", the rest at the root.
    with log_lines("", "django") as lines:
        response = client.generic(method, path, HTTP_HOST="evil.example")

    assert response.status_code == 400
    (line,) = lines
    entry = json.loads(line)
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "django.security.DisallowedHost"
    assert "evil.example" in entry["message"]
    assert (entry["host"], entry["method"], entry["path"]) == ("evil.example", method, path)
    assert entry["status_code"] == 400
    assert "exception" not in entry
    assert "Traceback" not in line


def test_withdrawing_form_with_an_error_is_shown_again(admin_client) -> None:
    """A publisher sets a published activity back to draft, clears its publication
    date and makes a mistake elsewhere: the form comes back with the error."""
    from tests.test_admin import change_data

    activity = factories.ActivityFactory()
    data = change_data(
        activity, status="draft", published_at_0="", published_at_1="", end_date="2000-01-01"
    )

    response = admin_client.post(f"/admin/activities/activity/{activity.pk}/change/", data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors


@pytest.mark.parametrize(
    "path",
    [
        f"/ja/partners/{public_urls.DRAFT_PARTNER}/",
        f"/ja/themes/{public_urls.DRAFT_THEME}/",
        f"/ja/partners/{public_urls.DRAFT_PARTNER}/feed.atom",
        f"/ja/themes/{public_urls.DRAFT_THEME}/feed.atom",
    ],
)
def test_a_partner_or_theme_only_a_draft_has_is_not_served(client, dataset, path) -> None:
    assert client.get(path).status_code == 404


def test_a_division_only_a_draft_has_is_not_listed_under_its_parent(client, dataset) -> None:
    parent = Organization.objects.get(slug=public_urls.PARTNER)
    hidden = factories.OrganizationFactory(
        name="下書きだけの部署", slug="draft-division", parent=parent
    )
    factories.ActivityFactory(draft=True, slug="draft-with-division", partners=[hidden])
    page = client.get(f"/ja/partners/{public_urls.PARTNER}/").content.decode()
    assert "下書きだけの部署" not in page
    assert client.get("/ja/partners/draft-division/").status_code == 404
