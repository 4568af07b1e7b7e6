"""Thin views for browsing: the catalog, one model, provider, organization, benchmark, search."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from comparisons import charts, figures, narrative, pricing, search, selectors
from comparisons.facts import CAPABILITY_LABELS
from comparisons.forms import CatalogFilterForm, ProviderFilterForm
from comparisons.headline import model_headline
from comparisons.pricing import InputShare
from comparisons.related import RelatedPair
from comparisons.views import (
    default_blend_label,
    default_input_share,
    render_page,
    typed_text,
    wants_markdown,
)
from llmref.site import absolute_url
from models_catalog.catalog_version import per_catalog_version

PAGE_SIZE = 50
# A leaderboard's chart plots at most this many models, the best-ranked.
SCATTER_DOTS = 50


def _search_text(request: HttpRequest) -> str:
    return typed_text(request.GET.get("q", ""), 100)


def _form_key(request: HttpRequest, form: forms.Form) -> str:
    """What a filter form shows besides its choices (which change only with the catalog):
    the values typed into its fields. The key of its rendering kept per catalog version."""
    return repr([(name, request.GET.getlist(name)) for name in form.fields])


def _canonical(request: HttpRequest) -> str:
    return absolute_url(request.path)


def catalog(request: HttpRequest) -> HttpResponse:
    form = CatalogFilterForm(request.GET or None, choices=selectors.filter_choices())
    filters = form.cleaned_data if form.is_valid() else {}
    found = selectors.catalog_page(
        filters, default_input_share(), request.GET.get("page"), PAGE_SIZE, timezone.localdate()
    )
    rows = found.rows
    # The pagination's numbers, without the models themselves (they are in `rows`).
    page = Paginator(range(found.count), PAGE_SIZE).page(found.number)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("picked", None)
    # Ticks sent back by the compare button (too few or too many) stay ticked.
    picked = [slug for slug in request.GET.getlist("pick") if slug][:20]
    on_page = {row.slug for row in rows}
    filters_only = query.copy()
    filters_only.pop("pick", None)
    return render(
        request,
        "catalog/model_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "picked": picked,
            "picked_elsewhere": [slug for slug in picked if slug not in on_page],
            "picked_count": request.GET.get("picked", ""),
            "filters_querystring": filters_only.urlencode(),
            "form_key": _form_key(request, form),
            "filters_key": selectors.filters_key(filters),
            "querystring": query.urlencode(),
            "sorting_by_score": bool(filters.get("benchmark")),
            "blend_label": default_blend_label(),
            "title": "All models — LLM Reference",
            "description": "Every published language model: filter by organization, provider, "
            "open weights, capability, context window and price; sort and compare.",
            "canonical_url": _canonical(request),
        },
    )


def model_detail(request: HttpRequest, slug: str, markdown: bool = False) -> HttpResponse:
    found = selectors.model_page(slug)
    if found is None:
        raise Http404("No such published model.")
    sheet, history = found
    share = default_input_share()
    today = timezone.localdate()
    prices = figures.price_summary(sheet, InputShare(settings.DEFAULT_INPUT_SHARE), today)
    index = selectors.neighbourhood(share)
    me = index.by_slug.get(sheet.slug)
    # Missing only from an index a moment older than the sheet (a write between).
    nearest = index.nearest(me, 6) if me else []
    series: dict[str, list] = {}
    for point in history:
        if point.valid_from is not None:
            blend = pricing.blended_price(
                point.input_usd_per_mtok, point.output_usd_per_mtok, share
            )
            series.setdefault(point.provider_name, []).append((point.valid_from, blend))
    review, stale = narrative.review_line((sheet,), today, settings.STALE_AFTER_DAYS)
    headline = model_headline(
        sheet,
        cheapest_blend=prices.cheapest_blend,
        cheapest_provider=prices.cheapest.provider_name if prices.cheapest else "",
        today=today,
    )
    return render_page(
        request,
        "catalog/model_detail.html",
        {
            "sheet": sheet,
            "headline": headline,
            "prices": prices,
            "history": history,
            "chart": charts.price_steps(series, today),
            "compare_with": [RelatedPair(me, other) for other in nearest],
            "capabilities": [(label, sheet.capability(name)) for name, label in CAPABILITY_LABELS],
            "review_line": review,
            "review_stale": stale,
            "blend_label": default_blend_label(),
            "title": f"{sheet.name}: specs, prices and benchmarks — LLM Reference",
            "description": f"{sheet.name} is {narrative.describe(sheet)}. "
            f"{narrative.price_sentence(sheet, prices, sheet.name, today)}",
            "lifecycle_notice": narrative.lifecycle_sentence(sheet, today, sheet.name),
            "canonical_url": absolute_url(reverse("model_detail", args=[slug])),
            "markdown_url": reverse("model_detail_md", args=[slug]),
            "feed_url": reverse("feed_model", args=[slug]),
        },
        markdown=wants_markdown(request, markdown),
    )


def provider_detail(request: HttpRequest, slug: str) -> HttpResponse:
    found = selectors.provider_page(slug, default_input_share())
    if found is None:
        raise Http404("No such provider.")
    provider, listings = found
    form = ProviderFilterForm(
        request.GET or None,
        organizations=lambda: selectors.provider_organizations(slug, default_input_share()),
    )
    filters = form.cleaned_data if form.is_valid() else {}
    shown = selectors.filter_listings(listings, filters)
    page = Paginator(shown, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "catalog/provider_detail.html",
        {
            "provider": provider,
            "form": form,
            "page": page,
            "listings": page.object_list,
            "total": len(listings),
            "matching": len(shown),
            "querystring": query.urlencode(),
            "form_key": _form_key(request, form),
            "filters_key": selectors.filters_key(filters),
            "blend_label": default_blend_label(),
            "title": f"{provider.name}: models and prices — LLM Reference",
            "description": f"The {len(listings)} models {provider.name} serves, "
            "with their prices per 1M tokens, cheapest first.",
            "canonical_url": _canonical(request),
            "feed_url": reverse("feed_provider", args=[slug]),
        },
    )


def organization_detail(request: HttpRequest, slug: str) -> HttpResponse:
    found = selectors.organization_page(slug)
    if found is None:
        raise Http404("No such organization.")
    organization, sheets = found
    share = default_input_share()
    today = timezone.localdate()
    page = Paginator(sheets, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = per_catalog_version(
        f"organization-rows:{slug}:{page.number}:{today.isoformat()}",
        lambda: [
            (
                sheet,
                pricing.cheapest_realtime(
                    sheet.offerings, share, today=today, maker=sheet.organization_slug
                ),
            )
            for sheet in page.object_list
        ],
    )
    return render(
        request,
        "catalog/organization_detail.html",
        {
            "organization": organization,
            "rows": rows,
            "page": page,
            "total": len(sheets),
            "title": f"{organization.name}: models — LLM Reference",
            "description": f"The {len(sheets)} models made by {organization.name}, newest first, "
            "with context windows and prices.",
            "canonical_url": _canonical(request),
        },
    )


def benchmark_detail(request: HttpRequest, slug: str) -> HttpResponse:
    found = selectors.benchmark_page(slug, default_input_share())
    if found is None:
        raise Http404("No such benchmark.")
    benchmark, entries = found
    # Only ranked scores are plotted: a best-of-N figure or an unsourced one is no point to read.
    # The best-ranked few only: thousands of dots would be unreadable and slow to draw.
    ranked = per_catalog_version(
        f"benchmark-ranked:{benchmark.slug}",
        lambda: [e for e in entries if e.blend is not None and e.rank is not None],
    )

    def scatter() -> charts.Scatter | None:
        plotted = ranked[:SCATTER_DOTS]
        return charts.price_score_scatter(
            [(e.model.name, e.blend, e.score.value) for e in plotted],
            y_label=f"{benchmark.name} score",
            x_label=f"Blended price, $/1M tokens ({default_blend_label()}, log scale)",
            marks=[str(e.rank) for e in plotted],
        )

    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "catalog/benchmark_detail.html",
        {
            "benchmark": benchmark,
            "entries": page.object_list,
            "page": page,
            "scatter": per_catalog_version(f"benchmark-scatter:{benchmark.slug}", scatter),
            "scatter_all": len(ranked) <= SCATTER_DOTS,
            "title": f"{benchmark.name} leaderboard — LLM Reference",
            "description": f"Sourced {benchmark.name} scores of {len(entries)} models, with who "
            f"reported each. {benchmark.description}",
            "canonical_url": _canonical(request),
        },
    )


def search_page(request: HttpRequest) -> HttpResponse:
    query = _search_text(request)
    hits = search.rank(query, selectors.search_entries(query)) if query else []
    return render(
        request,
        "catalog/search.html",
        {
            "query": query,
            "hits": hits,
            "title": f"Search: {query} — LLM Reference" if query else "Search — LLM Reference",
            "description": "Find models, families, organizations and providers by name.",
            "canonical_url": _canonical(request),
        },
    )


def suggest(request: HttpRequest) -> JsonResponse:
    """Type-ahead: the best few matches as JSON; `kind=model` for the two-model picker."""
    query = _search_text(request)
    kind = request.GET.get("kind", "")
    entries = selectors.search_entries(query) if query else []
    if kind:
        entries = [e for e in entries if e.kind == kind]
    hits = search.rank(query, entries, limit=8)
    return JsonResponse(
        {
            "query": query,
            "results": [
                {
                    "kind": h.entry.kind,
                    "slug": h.entry.slug,
                    "name": h.entry.name,
                    "detail": h.entry.detail,
                    "url": h.entry.url,
                }
                for h in hits
            ],
        }
    )
