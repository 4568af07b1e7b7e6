"""Who the client is, seen through the proxies the site is told it sits behind."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's IP: with NUM_PROXIES=n, the n-th address from the right of X-Forwarded-For
    (each proxy appends the address it saw; anything further left was written by the client).
    Used by the report limit and the login throttle alike."""
    if settings.NUM_PROXIES:
        hops = [
            h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()
        ]
        if len(hops) >= settings.NUM_PROXIES:
            return hops[-settings.NUM_PROXIES][:64]
    return request.META.get("REMOTE_ADDR", "")[:64]
