"""Site-wide pages that are not about one model: credits and the health check."""

from __future__ import annotations

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from models_catalog.models import DataSource


def credits(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "catalog/credits.html",
        {
            "sources": DataSource.objects.all(),
            "title": "Data sources and credits — LLM Reference",
            "description": "Where the facts on LLM Reference come from, under which licenses, "
            "with the credit lines they require.",
            "canonical_url": request.build_absolute_uri(request.path),
        },
    )


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers, 503 when it does not (so a load balancer drops the host)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
