"""Settings for CityTies, driven by environment variables.

One module for every environment: the embedded default (SQLite and media under
the project folder) needs no variables at all beyond DJANGO_DEBUG=1; production
sets DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and DATABASE_URL.
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.storage import object_storage

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {value!r}")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from None


def envlist(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = envbool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = "insecure-local-development-key-not-for-production"

ALLOWED_HOSTS = envlist(
    "DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)

INSTALLED_APPS = [
    # Before the admin, so that translated fields get its widgets.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    # Form widgets' templates, which templates/widgets/ extends (FORM_RENDERER below).
    "django.forms",
    "django_filters",
    "django_countries",
    "csp",
    # Import and export of activities in the admin (activities/resources.py).
    "import_export",
    # Every saved version of an activity, with who saved it (activities/review.py).
    "reversion",
    # django-axes, with a name staff can read (activities/apps.py).
    "activities.apps.LoginThrottleConfig",
    "activities",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A body over its limit is a 413 before anything reads it: CsrfViewMiddleware reads
    # it in process_view, after every request phase. After authentication (which reads
    # the session cookie, never the body): staff in the admin may send photos.
    "config.limits.RequestSizeLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A save that cannot reach the photos' bucket: a 503 saying nothing was saved.
    "activities.errors.PhotoStorageErrorMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
    # Innermost, so the middleware above still add their headers to cached pages.
    "activities.cache.AnonymousPageCacheMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "activities.context_processors.site",
            ],
        },
    },
    {
        # The two fragments rendered most often, several times faster in Jinja2:
        # the activity card (activities/fragments.py), up to twenty a page when
        # not cached, and a filter's options (activities/filters.py), hundreds for
        # each new filter state. Every page is a Django template.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "NAME": "jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "config.jinja2.environment",
            "extensions": ["jinja2.ext.i18n"],
        },
    },
]

# Form widgets are rendered with the templates above, so templates/widgets/ may add
# the project's own.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# SQLite under the project folder unless DATABASE_URL points elsewhere.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=envint("DJANGO_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes may write (gunicorn's workers): a writing transaction takes
    # the write lock when it begins, and others wait for it (up to the timeout)
    # rather than fail with "database is locked" halfway.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": envint("DJANGO_SQLITE_TIMEOUT", 20),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("Japanese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "activities" / "locale"]
# Content: Japanese is the source; missing English falls back to it.
MODELTRANSLATION_DEFAULT_LANGUAGE = "ja"
MODELTRANSLATION_LANGUAGES = ("ja", "en")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("ja",)
# Dates in Japanese forms: 2021/11/01 (activities/formats/ja/formats.py).
FORMAT_MODULE_PATH = ["activities.formats"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

LOGIN_URL = "admin:login"

# --- Security: production defaults, relaxed only when DEBUG is on ----------------

# Behind a proxy or load balancer that terminates TLS: trust its X-Forwarded-Proto.
# Only safe when the proxy sets (overwrites) that header on every request.
if envbool("DJANGO_SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Off when the proxy itself redirects http to https.
SECURE_SSL_REDIRECT = envbool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
# Load balancers probe the app directly, often over plain http.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = envint("DJANGO_SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
# The token only makes the site eligible; listing it in browsers is a separate step.
SECURE_HSTS_PRELOAD = envbool("DJANGO_SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
# The language switch's cookie, like the session's: no script reads it (static/js).
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
CSRF_TRUSTED_ORIGINS = envlist("DJANGO_CSRF_TRUSTED_ORIGINS", [])
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# No inline script or style and nothing from another site, on public pages and in
# the admin alike (Django's admin has no inline script since 4.x).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Photos in an S3-compatible bucket when DJANGO_S3_BUCKET is set (config/storage.py).
OBJECT_STORAGE = object_storage(os.environ)
if OBJECT_STORAGE:
    STORAGES["default"] = OBJECT_STORAGE.storage
    MEDIA_URL = OBJECT_STORAGE.media_url
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(OBJECT_STORAGE.origin)

# Repeated failed staff logins (django-axes): after DJANGO_LOGIN_FAILURE_LIMIT
# failures for one user name from one address, that pair is refused for
# DJANGO_LOGIN_COOLOFF_MINUTES. The count lives in the database, so it holds across
# processes and servers.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = envint("DJANGO_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=envint("DJANGO_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "config.security.client_ip"
AXES_LOCKOUT_CALLABLE = "config.security.lockout_response"
# How many proxies in front of the app append to X-Forwarded-For (0: none, use the
# connection's address).
TRUSTED_PROXY_COUNT = envint("DJANGO_TRUSTED_PROXY_COUNT", 0)

# --- Logging: one JSON object per line on stderr ---------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "config.logs.JsonFormatter"}},
    "filters": {"disallowed_host": {"()": "config.logs.DisallowedHostFilter"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["stderr"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # Replaces Django's default handlers (console in DEBUG only, mail to admins);
        # django.request logs each 4xx and 5xx with its request and status.
        "django": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        # A Host header not in ALLOWED_HOSTS: one warning line, not an error with a
        # traceback. On this logger itself: a parent's filters never see its records.
        "django.security.DisallowedHost": {"filters": ["disallowed_host"]},
        # Failed logins and lockouts are warnings; skip its start-up and success notes.
        "axes": {"level": "WARNING"},
    },
}

# Cache: this process's memory by default; Redis, shared by every process and
# server, when CITYTIES_REDIS_URL is set (redis://127.0.0.1:6379/0). Redis being
# unreachable makes pages uncached, not unavailable (config/cache.py): a request
# waits at most the socket timeouts below, and then none for RETRY_SECONDS.
REDIS_URL = os.environ.get("CITYTIES_REDIS_URL", "")
CACHES: dict[str, dict[str, Any]] = {
    "default": (
        {
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "socket_connect_timeout": 0.5,
                "socket_timeout": 0.5,
                "RETRY_SECONDS": envint("CITYTIES_REDIS_RETRY_SECONDS", 5),
            },
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "cityties"}
    ),
    # An import's file between its preview and its confirmation, which may reach
    # another process (activities/resources.py, ImportUploads): Redis, or without it
    # a folder of this machine's, readable by this user only.
    "imports": (
        {"BACKEND": "config.cache.ResilientRedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("CITYTIES_IMPORT_FOLDER", BASE_DIR / "var" / "imports"),
        }
    ),
}
# Anonymous GETs of public pages are served from the cache until the data changes
# (activities/cache.py). Every cached entry expires: pages after
# CITYTIES_PAGE_CACHE_SECONDS, fragments (cards, galleries, counts) after
# CITYTIES_FRAGMENT_CACHE_SECONDS; visitors' requests add at most
# CITYTIES_CACHE_VISITOR_ENTRIES pages, counts and searches per generation.
CITYTIES_PAGE_CACHE = envbool("CITYTIES_PAGE_CACHE", True)
# Without Redis, the processes of one machine learn of a change from this file.
CITYTIES_GENERATION_FILE = Path(
    os.environ.get("CITYTIES_GENERATION_FILE", BASE_DIR / "var" / "cache-generation")
)
CITYTIES_PAGE_CACHE_SECONDS = envint("CITYTIES_PAGE_CACHE_SECONDS", 3600)
CITYTIES_FRAGMENT_CACHE_SECONDS = envint("CITYTIES_FRAGMENT_CACHE_SECONDS", 86400)
CITYTIES_CACHE_VISITOR_ENTRIES = envint("CITYTIES_CACHE_VISITOR_ENTRIES", 10_000)

# The archive shows this many activities per page.
ACTIVITIES_PER_PAGE = envint("CITYTIES_ACTIVITIES_PER_PAGE", 20)
# A search with more matches than this lists them newest first, as the archive
# does, rather than ranking them all: ranking half the archive takes seconds,
# and says little about a word that common.
SEARCH_RANK_LIMIT = envint("CITYTIES_SEARCH_RANK_LIMIT", 1000)
# Limits of a photo upload (activities/images.py): file size in bytes, and pixels
# (width x height) — the memory a photo takes once decoded.
PHOTO_MAX_UPLOAD_BYTES = envint("CITYTIES_PHOTO_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
PHOTO_MAX_PIXELS = envint("CITYTIES_PHOTO_MAX_PIXELS", 40_000_000)
# Request bodies (config/limits.py): a larger one is refused with a 413 before it is
# read. Staff in the admin may send a form's worth of photos: derived from the photo
# limits above, 102.5 MiB by default.
REQUEST_MAX_BYTES = envint("CITYTIES_REQUEST_MAX_BYTES", 64 * 1024)
# Django's own limits. A form's fields other than files may hold 2.5 MiB (Django's
# default). A body up to FILE_UPLOAD_MAX_MEMORY_SIZE is parsed in memory, and at least
# REQUEST_MAX_BYTES: only a staff member's upload is ever spooled to a temporary file.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = max(2_621_440, REQUEST_MAX_BYTES)
# Import and export (django-import-export, activities/resources.py). An import
# runs in one transaction: the preview is rolled back, and a confirmed import
# writes every row or none.
IMPORT_EXPORT_USE_TRANSACTIONS = True
# The file kept between the preview and the confirmation, which another process
# may answer: in the "imports" cache (Redis, shared by every server, or a private
# folder of this machine) — never under media/, which is served. A file gone
# meanwhile is asked for again.
IMPORT_EXPORT_TMP_STORAGE_CLASS = "activities.resources.ImportUploads"
# Characters a workbook cannot hold (control characters pasted into a text) are
# replaced in an Excel export rather than failing it.
IMPORT_EXPORT_ESCAPE_ILLEGAL_CHARS_ON_EXPORT = True
# A refused form (no CSRF cookie or token) gets the site's own error page.
CSRF_FAILURE_VIEW = "activities.errors.csrf_failure"

# Where staff reach the site, for the links in e-mails (review requests).
CITYTIES_SITE_URL = os.environ.get("CITYTIES_SITE_URL", "http://127.0.0.1:8000")
# E-mail: Django's EMAIL_* variables (EMAIL_HOST, EMAIL_PORT, ...) in production;
# printed to the console while developing.
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = envint("DJANGO_EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "webmaster@localhost")

# Open data (activities/opendata.py): the municipality's code in the national list
# (全国地方公共団体コード, six digits with the check digit) and its prefecture, for
# the standard event-list layout; the license every download is published under.
CITYTIES_MUNICIPALITY_CODE = os.environ.get("CITYTIES_MUNICIPALITY_CODE", "111007")
CITYTIES_PREFECTURE_NAME = os.environ.get("CITYTIES_PREFECTURE_NAME", "埼玉県")
CITYTIES_LICENSE_NAME = os.environ.get("CITYTIES_LICENSE_NAME", "CC BY 4.0")
CITYTIES_LICENSE_URL = os.environ.get(
    "CITYTIES_LICENSE_URL", "https://creativecommons.org/licenses/by/4.0/"
)
# The city whose archive this is, in each language of the site.
CITY_NAMES = {
    "ja": os.environ.get("CITYTIES_CITY_NAME", "さいたま市"),
    "en": os.environ.get("CITYTIES_CITY_NAME_EN", "Saitama City"),
}
