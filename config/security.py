"""Helpers for the staff login throttle (django-axes), referred to from settings."""

from __future__ import annotations

import math

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _


def client_ip(request: HttpRequest) -> str | None:
    """The address a login attempt came from.

    Behind DJANGO_TRUSTED_PROXY_COUNT proxies, each of which appends the address it
    saw to X-Forwarded-For, the client is that many entries from the right; entries
    further left were written by the client and prove nothing. With no proxy it is
    the connection's own address.
    """
    remote = request.META.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    return forwarded[-count] if len(forwarded) >= count else remote


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """The staff site's page for a refused login: 429, in the staff site's language."""
    minutes = max(1, math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    context = {
        **admin.site.each_context(request),
        "title": _("Sign-in temporarily refused"),
        "cooloff_minutes": minutes,
    }
    return render(request, "admin/lockout.html", context, status=429)
