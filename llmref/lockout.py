"""The page a client sees when django-axes has locked it out of the admin login."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials=None
) -> HttpResponse:
    """429 with the branded page, saying how long to wait (also as Retry-After)."""
    cooloff = settings.AXES_COOLOFF_TIME
    minutes = int(cooloff.total_seconds() // 60)
    response = render(
        request,
        "429.html",
        {"cooloff_minutes": minutes, "title": "Too many attempts — LLM Reference"},
        status=429,
    )
    response["Retry-After"] = str(int(cooloff.total_seconds()))
    return response
