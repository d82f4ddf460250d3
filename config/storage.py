"""Where photos are kept: on the disk under MEDIA_ROOT (the default), or in an
S3-compatible bucket through django-storages when DJANGO_S3_BUCKET is set, so that
several app servers share one store (README, "Deployment").

Photo URLs are not signed, so that cached pages keep working links: the bucket, or
the proxy in front of it (DJANGO_S3_PUBLIC_URL), lets anyone read its objects.
Photos' names are random and never reused (file_overwrite off), as on the disk,
so a draft's photos cannot be guessed. Every URL is built from one base, and the
pages' Content-Security-Policy allows images from that base's origin and no other.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

S3_BACKEND = "storages.backends.s3.S3Storage"
# Photos' names are random: their files never change, so browsers may keep them.
CACHE_CONTROL = "public, max-age=2592000"


@dataclass(frozen=True)
class ObjectStorage:
    storage: dict[str, Any]  # STORAGES["default"]
    media_url: str  # the photos' base URL, ending in "/"
    origin: str  # scheme://host[:port] of media_url, for the CSP's img-src


def object_storage(env: Mapping[str, str]) -> ObjectStorage | None:
    """The object storage the variables in ``env`` describe, or None for the disk."""
    bucket = env.get("DJANGO_S3_BUCKET", "")
    if not bucket:
        return None
    endpoint = env.get("DJANGO_S3_ENDPOINT_URL", "")
    region = env.get("DJANGO_S3_REGION", "") or "ap-northeast-1"
    prefix = env.get("DJANGO_S3_PREFIX", "").strip("/")
    if env.get("DJANGO_S3_PUBLIC_URL"):
        public = urlsplit(env["DJANGO_S3_PUBLIC_URL"])
        variable = "DJANGO_S3_PUBLIC_URL"
    elif endpoint:  # path-style addressing, which MinIO and most others expect
        public = urlsplit(endpoint)
        public = public._replace(path=f"{public.path.rstrip('/')}/{bucket}")
        variable = "DJANGO_S3_ENDPOINT_URL"
    else:  # Amazon S3's virtual-hosted style
        public = urlsplit(f"https://{bucket}.s3.{region}.amazonaws.com")
        variable = "DJANGO_S3_BUCKET"
    if public.scheme not in ("http", "https") or not public.netloc or public.query:
        raise ImproperlyConfigured(
            f"{variable} must give an http(s) address without a query, got {env[variable]!r}"
        )
    base = public.netloc + public.path.rstrip("/")
    return ObjectStorage(
        storage={
            "BACKEND": S3_BACKEND,
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": endpoint or None,
                "region_name": region,
                "addressing_style": "path" if endpoint else None,
                "location": prefix,
                "file_overwrite": False,
                "querystring_auth": False,
                "custom_domain": base,
                "url_protocol": f"{public.scheme}:",
                "object_parameters": {"CacheControl": CACHE_CONTROL},
            },
        },
        media_url=f"{public.scheme}://{base}/" + (f"{prefix}/" if prefix else ""),
        origin=f"{public.scheme}://{public.netloc}",
    )
