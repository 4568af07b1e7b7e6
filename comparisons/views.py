"""Thin views for the public pages: resolve, select, generate, render."""

from __future__ import annotations

import re
from decimal import Decimal

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from comparisons import charts, formatting, narrative, pricing, selectors
from comparisons.headline import model_headline, task_leads
from comparisons.related import PAIR_SEPARATOR, pair_slug, related_pairs, successor_pairs
from llmref.site import absolute_url
from models_catalog.services import count_comparison_view

# What the URL's slug converter accepts; anything else cannot name a model.
SLUG = re.compile(r"[-a-zA-Z0-9_]+")


def default_input_share() -> Decimal:
    """The site's share of input tokens in a blended price, as a fraction (0.7)."""
    return Decimal(settings.DEFAULT_INPUT_SHARE) / 100


def default_blend_label() -> str:
    """The default blend for reading, e.g. "70/30"."""
    return formatting.share(settings.DEFAULT_INPUT_SHARE)


def home(request: HttpRequest) -> HttpResponse:
    candidates = selectors.related_candidates(default_input_share())
    choices = [(c.slug, c.name) for c in sorted(candidates, key=lambda c: c.name.lower())]
    return render(
        request,
        "comparisons/home.html",
        {
            "featured": successor_pairs(candidates),
            "popular": selectors.most_viewed_comparisons(),
            "reviewed": selectors.recently_reviewed(),
            "price_changes": selectors.recent_price_changes(),
            "model_count": len(candidates),
            "choices": choices,
            "canonical_url": absolute_url("/"),
        },
    )


# The catalog's ticks open a comparison of this many models (pair page, or N-way page).
MIN_PICKS, MAX_PICKS = 2, 4


def pick(request: HttpRequest) -> HttpResponse:
    """The plain two-select form's and the catalog's ticks' target: on to the comparison."""
    picked = list(dict.fromkeys(s.strip() for s in request.GET.getlist("pick") if s.strip()))
    if picked:
        picked = [slug for slug in picked if SLUG.fullmatch(slug)]
        if MIN_PICKS <= len(picked) <= MAX_PICKS:
            return redirect("compare", pair=PAIR_SEPARATOR.join(sorted(picked)))
        # Back to the catalog page the ticks came from, ticks kept, saying what is needed.
        back = QueryDict(request.GET.get("back", ""), mutable=True)
        back.pop("page", None)
        back.setlist("pick", picked[:20])
        back["picked"] = str(len(picked))
        return redirect(f"{reverse('model_list')}?{back.urlencode()}")
    a, b = request.GET.get("a", "").strip(), request.GET.get("b", "").strip()
    if a and b and a != b and SLUG.fullmatch(a) and SLUG.fullmatch(b):
        return redirect("compare", pair=pair_slug(a, b))
    return render(
        request,
        "comparisons/pick.html",
        {
            "choices": selectors.model_choices(),
            "a": a,
            "b": b,
            "title": "Compare two models — LLM Reference",
        },
        status=400,
    )


def compare(request: HttpRequest, pair: str) -> HttpResponse:
    slug_a, separator, slug_b = pair.partition(PAIR_SEPARATOR)
    if not separator or not slug_a or not slug_b or slug_a == slug_b:
        raise Http404("A pair page needs two different models: /compare/<a>-vs-<b>/.")
    canonical = pair_slug(slug_a, slug_b)
    if pair != canonical:
        url = reverse("compare", args=[canonical])
        if request.META.get("QUERY_STRING"):
            url = f"{url}?{request.META['QUERY_STRING']}"
        return redirect(url, permanent=True)
    sheets = selectors.pair_sheets(slug_a, slug_b)
    if sheets is None:
        raise Http404("No such published model.")
    count_comparison_view(pair=canonical)
    share, refused = pricing.parse_input_share(
        request.GET.get("input_share"), settings.DEFAULT_INPUT_SHARE
    )
    comparison = narrative.compare(*sheets, input_share=share)
    text = narrative.narrate(comparison)
    candidates = {c.slug: c for c in selectors.related_candidates(Decimal(share) / 100)}
    related = related_pairs(candidates[slug_a], candidates[slug_b], list(candidates.values()))
    bars = charts.benchmark_bars(
        [
            (row.name, row.a.value if row.a else None, row.b.value if row.b else None)
            for row in comparison.benchmarks
            if row.a is None or row.a.unit == "percent"
        ],
        series_names=(comparison.a.name, comparison.b.name),
    )
    today = timezone.localdate()
    review, stale = narrative.review_line(
        sheets, today=today, stale_after_days=settings.STALE_AFTER_DAYS
    )
    headlines = [
        (
            sheet,
            model_headline(
                sheet,
                cheapest_blend=price.cheapest_blend,
                cheapest_provider=price.cheapest.provider_name if price.cheapest else "",
                today=today,
            ),
        )
        for sheet, price in comparison.sides
    ]
    return render(
        request,
        "comparisons/compare.html",
        {
            "c": comparison,
            "headlines": headlines,
            "leads": task_leads(*sheets),
            "blend_label": formatting.share(share),
            "text": text,
            "related": related,
            "bars": bars,
            "review_line": review,
            "review_stale": stale,
            "input_share": share,
            "output_share": 100 - share,
            "share_refused": refused,
            "default_blend": default_blend_label(),
            "canonical_url": absolute_url(reverse("compare", args=[canonical])),
            "title": f"{text.title}: price, specs and benchmarks — LLM Reference",
            "og_title": text.title,
            "og_type": "article",
            "description": text.description,
        },
    )
