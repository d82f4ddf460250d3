from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Each test writes its uploads to a folder of its own."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """Templates resolve {% static %} without a collectstatic manifest."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _plain_http(settings):
    """Tests speak plain http to the test client, as behind a TLS-terminating proxy.

    Production redirects http to https (SECURE_SSL_REDIRECT); tests/test_security.py
    turns that back on to check the redirect and the https headers.
    """
    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture(autouse=True)
def _empty_cache(settings, tmp_path):
    """Each test starts with no cached pages or choice lists, and renders every
    page it asks for; tests/test_cache.py turns the page cache on."""
    from django.core.cache import cache

    cache.clear()
    if "filebased" in settings.CACHES["imports"]["BACKEND"]:
        settings.CACHES = {
            **settings.CACHES,
            "imports": {**settings.CACHES["imports"], "LOCATION": tmp_path / "imports"},
        }
    settings.CITYTIES_PAGE_CACHE = False
    settings.CITYTIES_GENERATION_FILE = tmp_path / "cache-generation"


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's default language: a request to an /en/ page
    leaves English active in the thread, and a factory would then fill the English
    fields of the next test's records."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def committed():
    """Call to run what the test's writes so far queued for their commit (their
    search documents, the move of the cache generation: activities/changes.py),
    as a commit would; the test's transaction itself is still rolled back at the
    end. Queued work runs once, as on a real commit."""
    from django.db import connection

    def commit() -> None:
        queued, connection.run_on_commit = connection.run_on_commit, []
        for _, callback, _ in queued:
            callback()

    return commit


def pytest_collection_modifyitems(items):
    """Every test that commits (``transaction=True``) starts from the database as
    migrate left it — content types, permissions and the staff groups of migration
    0005 — and leaves it so for the next (serialized rollback). Mixed, the flush after
    a test without it runs post_migrate, which makes the content types again, and the
    next test with it then adds them a second time; and the tests after one without it
    find no staff groups."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is None or not marker.kwargs.get("transaction"):
            continue
        if "serialized_rollback" not in marker.kwargs:
            item.add_marker(
                pytest.mark.django_db(*marker.args, **marker.kwargs, serialized_rollback=True),
                append=False,
            )
