"""The site's own public address, from settings rather than from the request."""

from __future__ import annotations

from django.conf import settings


def absolute_url(path: str) -> str:
    """SITE_URL + path: canonical links and og:url never echo a client's Host header."""
    return f"{settings.SITE_URL}{path}"
