"""Deployment checks (``manage.py check --deploy``): what production needs that
development does not."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.caches, deploy=True)
def shared_cache(app_configs, **kwargs) -> list[Warning]:
    """Production runs several processes, usually on several servers: cached
    pages must be dropped everywhere when the data changes."""
    if settings.CACHES["default"]["BACKEND"].endswith("LocMemCache"):
        return [
            Warning(
                "The cache is each process's own memory.",
                hint=(
                    "Set CITYTIES_REDIS_URL so every process and server shares the "
                    "cache. Without it, a change reaches the other processes of this "
                    "machine only (through CITYTIES_GENERATION_FILE)."
                ),
                id="cityties.W001",
            )
        ]
    return []
