"""Thin views for the public pages: resolve, select, generate, render."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from comparisons import pricing, selectors


def home(request: HttpRequest) -> HttpResponse:
    input_share = Decimal(settings.DEFAULT_INPUT_SHARE) / 100
    groups = [
        (
            group,
            [
                (sheet, pricing.cheapest_realtime(sheet.offerings, input_share))
                for sheet in group.models
            ],
        )
        for group in selectors.models_by_organization()
    ]
    return render(request, "comparisons/home.html", {"groups": groups})
