"""The public read-only JSON API at /api/v1/, with its OpenAPI 3 schema and interactive docs.

Thin like the page views: each operation reads through a selector and returns plain data.
Every figure carries its source URL and date; unknown is null, never 0. Prices are decimal
strings (USD per 1M tokens), so no value is rounded by a float on the way out.
"""

from __future__ import annotations

import datetime
from dataclasses import asdict
from decimal import Decimal

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import NinjaAPI, Query, Schema
from ninja.errors import ValidationError
from ninja.throttling import AnonRateThrottle

from comparisons import nway, selectors
from comparisons.facts import CAPABILITY_LABELS, ModelSheet, OfferingFacts, ScoreFacts
from comparisons.forms import CatalogFilterForm
from comparisons.views import default_input_share
from llmref.site import absolute_url
from models_catalog.views import client_address

PAGE_SIZE = 50


class ClientRateThrottle(AnonRateThrottle):
    """Requests per client, the client found as the rest of the site finds it (NUM_PROXIES),
    so a forged X-Forwarded-For cannot buy a fresh allowance."""

    def get_ident(self, request: HttpRequest) -> str | None:
        return client_address(request) or None


api = NinjaAPI(
    title="LLM Reference API",
    version="1",
    description=(
        "Read-only data of LLM Reference: models, offerings (prices per provider), price "
        "history, benchmark scores with their conditions and provenance, providers, "
        "organizations, benchmarks with leaderboards, and comparisons of 2 to 4 models.\n\n"
        "Every value carries its source URL and date. Unknown values are `null`, never 0. "
        "Prices are decimal strings in USD per 1M tokens. Responses carry an ETag; send it back "
        "in If-None-Match to get 304 Not Modified. Each response holds the `attribution` its "
        "sources require: keep it with the data you reuse."
    ),
    urls_namespace="api",
    docs_url="/docs/",
    throttle=[ClientRateThrottle(f"{settings.API_REQUESTS_PER_MINUTE}/m")],
)


# --- shapes ---------------------------------------------------------------------------------


class Credit(Schema):
    name: str
    url: str
    license: str
    credit: str | None


class Attribution(Schema):
    credits_url: str
    sources: list[Credit]


class ModelLink(Schema):
    slug: str
    name: str
    url: str
    api_url: str


class Lifecycle(Schema):
    deprecated_on: datetime.date | None
    retired_on: datetime.date | None
    successor: ModelLink | None
    source: str | None


class ModelSummary(Schema):
    slug: str
    name: str
    organization: str
    organization_slug: str
    released_on: datetime.date | None
    context_window: int | None
    open_weights: bool
    deprecated: bool
    cheapest_blended_usd_per_mtok: str | None
    url: str
    api_url: str


class ModelPage(Schema):
    count: int
    page: int
    pages: int
    next: str | None
    previous: str | None
    input_share_percent: int
    results: list[ModelSummary]
    attribution: Attribution


class PriceCard(Schema):
    input_usd_per_mtok: str
    output_usd_per_mtok: str
    valid_from: datetime.date | None
    valid_until: datetime.date | None


class OfferingOut(Schema):
    provider: str
    provider_slug: str
    provider_kind: str
    input_usd_per_mtok: str
    output_usd_per_mtok: str
    cached_input_usd_per_mtok: str | None
    context_window: int | None
    free_tier: bool
    still_listed: bool
    price_since: datetime.date | None
    checked_on: datetime.date | None
    ended_on: datetime.date | None
    source_shows_price: bool
    note: str | None
    source_url: str
    price_history: list[PriceCard]


class ScoreOut(Schema):
    benchmark: str
    benchmark_slug: str
    value: str
    unit: str
    higher_is_better: bool
    provenance: str
    conditions: dict[str, str | int | None]
    table: str | None
    note: str | None
    measured_on: datetime.date | None
    source_url: str | None


class ModelOut(Schema):
    slug: str
    name: str
    short_name: str | None
    url: str
    organization: str
    organization_slug: str
    family: str | None
    released_on: datetime.date | None
    knowledge_cutoff: str | None
    context_window: int | None
    max_output_tokens: int | None
    parameter_count: int | None
    architecture: str | None
    license: str | None
    open_weights: bool
    input_modalities: list[str]
    output_modalities: list[str]
    capabilities: dict[str, bool | None]
    lifecycle: Lifecycle
    sources: list[str]
    last_reviewed_on: datetime.date | None
    offerings: list[OfferingOut]
    scores: list[ScoreOut]
    attribution: Attribution


class ProviderSummary(Schema):
    slug: str
    name: str
    kind: str
    website: str | None
    url: str
    api_url: str


class ProviderOut(ProviderSummary):
    offerings: list[dict]
    attribution: Attribution


class ProviderList(Schema):
    results: list[ProviderSummary]
    attribution: Attribution


class OrganizationSummary(Schema):
    slug: str
    name: str
    website: str | None
    url: str
    api_url: str


class OrganizationOut(OrganizationSummary):
    models: list[ModelLink]
    attribution: Attribution


class OrganizationList(Schema):
    results: list[OrganizationSummary]
    attribution: Attribution


class BenchmarkSummary(Schema):
    slug: str
    name: str
    description: str | None
    unit: str
    higher_is_better: bool
    min_score: str
    max_score: str | None
    website: str | None
    url: str
    api_url: str


class LeaderboardRow(Schema):
    rank: int
    model: ModelLink
    score: ScoreOut


class BenchmarkOut(BenchmarkSummary):
    leaderboard: list[LeaderboardRow]
    attribution: Attribution


class BenchmarkList(Schema):
    results: list[BenchmarkSummary]
    attribution: Attribution


class ComparisonModel(Schema):
    slug: str
    name: str
    url: str
    context_window: int | None
    open_weights: bool
    retired: bool
    cheapest_provider: str | None
    cheapest_input_usd_per_mtok: str | None
    cheapest_output_usd_per_mtok: str | None
    cheapest_blended_usd_per_mtok: str | None
    cheapest_source_url: str | None
    capabilities: dict[str, bool | None]


class ComparisonBenchmark(Schema):
    benchmark: str
    benchmark_slug: str
    scores: dict[str, ScoreOut | None]
    compared: list[str]
    comparable: bool
    leader: str | None
    decides: bool


class ComparisonOut(Schema):
    slugs: list[str]
    url: str
    input_share_percent: int
    models: list[ComparisonModel]
    benchmarks: list[ComparisonBenchmark]
    summary: list[str]
    attribution: Attribution


class Index(Schema):
    openapi: str
    docs: str
    endpoints: dict[str, str]
    bulk_downloads: str
    attribution: Attribution


# --- helpers --------------------------------------------------------------------------------


def _money(value: Decimal | None) -> str | None:
    if value is None:
        return None
    return format(value.normalize(), "f") if value else "0"


def _blank(value: str) -> str | None:
    return value or None


def _attribution(request: HttpRequest) -> dict:
    return {
        "credits_url": absolute_url(reverse("credits")),
        "sources": [
            {"name": s.name, "url": s.url, "license": s.license, "credit": s.credit or None}
            for s in selectors.data_sources()
        ],
    }


def _model_link(request: HttpRequest, slug: str, name: str) -> dict:
    return {
        "slug": slug,
        "name": name,
        "url": absolute_url(reverse("model_detail", args=[slug])),
        "api_url": absolute_url(reverse("api:model", args=[slug])),
    }


def _score(score: ScoreFacts) -> dict:
    return {
        "benchmark": score.benchmark_name,
        "benchmark_slug": score.benchmark_slug,
        "value": _money(score.value),
        "unit": score.unit,
        "higher_is_better": score.higher_is_better,
        "provenance": score.provenance,
        "conditions": _conditions(score),
        "note": _blank(score.note),
        "measured_on": score.measured_on,
        "source_url": _blank(score.source_url),
        "table": _blank(score.table),
    }


def _conditions(score: ScoreFacts) -> dict[str, str | int | None]:
    """What the score was measured under; null where the source does not say."""
    return {
        key: value if value not in ("", None) else None
        for key, value in asdict(score.conditions).items()
    }


def _offering(offering: OfferingFacts, history: list[selectors.PricePoint]) -> dict:
    current = next((p for p in history if p.valid_until is None), None)
    return {
        "provider": offering.provider_name,
        "provider_slug": offering.provider_slug,
        "provider_kind": offering.provider_kind,
        "input_usd_per_mtok": _money(offering.input_usd_per_mtok),
        "output_usd_per_mtok": _money(offering.output_usd_per_mtok),
        "cached_input_usd_per_mtok": _money(offering.cached_input_usd_per_mtok),
        "context_window": offering.context_window,
        "free_tier": offering.free_tier,
        "still_listed": offering.is_current,
        "price_since": current.valid_from if current else None,
        "checked_on": offering.checked_on,
        "ended_on": offering.ended_on,
        "source_shows_price": offering.source_shows_price,
        "note": _blank(offering.note),
        "source_url": offering.source_url,
        "price_history": [
            {
                "input_usd_per_mtok": _money(p.input_usd_per_mtok),
                "output_usd_per_mtok": _money(p.output_usd_per_mtok),
                "valid_from": p.valid_from,
                "valid_until": p.valid_until,
            }
            for p in history
            if p.valid_until is not None
        ],
    }


def _capabilities(sheet: ModelSheet) -> dict[str, bool | None]:
    return {name: sheet.capability(name) for name, _ in CAPABILITY_LABELS}


# --- operations -----------------------------------------------------------------------------


@api.get("/", response=Index, url_name="index", summary="What this API offers")
def index(request: HttpRequest):
    def absolute(name: str, *args: str) -> str:
        return absolute_url(reverse(name, args=args))

    return {
        "openapi": absolute("api:openapi-json"),
        "docs": absolute("api:openapi-view"),
        "endpoints": {
            "models": absolute("api:models"),
            "model": absolute("api:models") + "{slug}/",
            "providers": absolute("api:providers"),
            "provider": absolute("api:providers") + "{slug}/",
            "organizations": absolute("api:organizations"),
            "organization": absolute("api:organizations") + "{slug}/",
            "benchmarks": absolute("api:benchmarks"),
            "benchmark": absolute("api:benchmarks") + "{slug}/",
            "compare": absolute("api:index") + "compare/{a}-vs-{b}[-vs-{c}[-vs-{d}]]/",
        },
        "bulk_downloads": absolute("data_index"),
        "attribution": _attribution(request),
    }


class ModelFilters(Schema):
    q: str | None = None
    organization: str | None = None
    provider: str | None = None
    open_weights: bool | None = None
    capabilities: list[str] = []
    min_context: int | None = None
    max_price: Decimal | None = None
    released_after: datetime.date | None = None
    hide_deprecated: bool | None = None
    sort: str | None = None
    benchmark: str | None = None
    page: int = 1


@api.get("/models/", response=ModelPage, url_name="models", summary="Published models")
def models(request: HttpRequest, filters: Query[ModelFilters]):
    """The catalog's filters and sorts (as on /models/), 50 models a page. `max_price` is the
    cheapest blended price (70% input by default), `capabilities` may be repeated."""
    data = {k: v for k, v in filters.dict().items() if v not in (None, [], "") and k != "page"}
    form = CatalogFilterForm(data, choices=selectors.filter_choices())
    if not form.is_valid():
        raise ValidationError(
            [{"loc": ["query", k], "msg": " ".join(v)} for k, v in form.errors.items()]
        )
    share = default_input_share()
    paginator = Paginator(selectors.catalog_queryset(form.cleaned_data, share), PAGE_SIZE)
    page = paginator.get_page(filters.page)
    query = request.GET.copy()

    def page_url(number: int) -> str:
        query["page"] = str(number)
        return absolute_url(f"{request.path}?{query.urlencode()}")

    return {
        "count": paginator.count,
        "page": page.number,
        "pages": paginator.num_pages,
        "next": page_url(page.next_page_number()) if page.has_next() else None,
        "previous": page_url(page.previous_page_number()) if page.has_previous() else None,
        "input_share_percent": settings.DEFAULT_INPUT_SHARE,
        "results": [
            {
                "slug": row.slug,
                "name": row.name,
                "organization": row.organization_name,
                "organization_slug": row.organization_slug,
                "released_on": row.released_on,
                "context_window": row.context_window,
                "open_weights": row.open_weights,
                "deprecated": row.deprecated,
                "cheapest_blended_usd_per_mtok": _money(row.blend),
                "url": absolute_url(reverse("model_detail", args=[row.slug])),
                "api_url": absolute_url(reverse("api:model", args=[row.slug])),
            }
            for row in selectors.catalog_rows(page.object_list)
        ],
        "attribution": _attribution(request),
    }


@api.get("/models/{slug:slug}/", response=ModelOut, url_name="model", summary="One model")
def model(request: HttpRequest, slug: str):
    """Spec sheet, capabilities, lifecycle, every offering with its price history, and every
    score with its conditions, provenance and source."""
    found = selectors.model_page(slug)
    if found is None:
        raise Http404("No such published model.")
    sheet, points = found
    by_provider: dict[str, list[selectors.PricePoint]] = {}
    for point in points:
        by_provider.setdefault(point.provider_name, []).append(point)
    successor = sheet.successor
    return {
        "slug": sheet.slug,
        "name": sheet.name,
        "short_name": _blank(sheet.short_name),
        "url": absolute_url(reverse("model_detail", args=[sheet.slug])),
        "organization": sheet.organization_name,
        "organization_slug": sheet.organization_slug,
        "family": _blank(sheet.family),
        "released_on": sheet.released_on,
        "knowledge_cutoff": sheet.knowledge_cutoff.strftime("%Y-%m")
        if sheet.knowledge_cutoff
        else None,
        "context_window": sheet.context_window,
        "max_output_tokens": sheet.max_output_tokens,
        "parameter_count": sheet.parameter_count,
        "architecture": _blank(sheet.architecture),
        "license": _blank(sheet.license),
        "open_weights": sheet.open_weights,
        "input_modalities": list(sheet.input_modalities),
        "output_modalities": list(sheet.output_modalities),
        "capabilities": _capabilities(sheet),
        "lifecycle": {
            "deprecated_on": sheet.deprecated_on,
            "retired_on": sheet.retired_on,
            "successor": _model_link(request, successor.slug, successor.name)
            if successor
            else None,
            "source": _blank(sheet.lifecycle_source),
        },
        "sources": list(sheet.sources),
        "last_reviewed_on": sheet.last_reviewed_on,
        "offerings": [_offering(o, by_provider.get(o.provider_name, [])) for o in sheet.offerings],
        "scores": [_score(s) for s in sheet.scores],
        "attribution": _attribution(request),
    }


def _provider_summary(request: HttpRequest, provider) -> dict:
    return {
        "slug": provider.slug,
        "name": provider.name,
        "kind": provider.kind,
        "website": _blank(provider.website),
        "url": absolute_url(reverse("provider_detail", args=[provider.slug])),
        "api_url": absolute_url(reverse("api:provider", args=[provider.slug])),
    }


@api.get("/providers/", response=ProviderList, url_name="providers", summary="Providers")
def providers(request: HttpRequest):
    return {
        "results": [_provider_summary(request, p) for p in selectors.all_providers()],
        "attribution": _attribution(request),
    }


@api.get(
    "/providers/{slug:slug}/", response=ProviderOut, url_name="provider", summary="One provider"
)
def provider(request: HttpRequest, slug: str):
    """The provider and every published model it lists (or listed), cheapest first."""
    found = selectors.provider_page(slug, default_input_share())
    if found is None:
        raise Http404("No such provider.")
    row, listings = found
    return {
        **_provider_summary(request, row),
        "offerings": [
            {
                "model": _model_link(request, item.model.slug, item.model.name),
                **{k: v for k, v in _offering(item.offering, []).items() if k != "price_history"},
            }
            for item in listings
        ],
        "attribution": _attribution(request),
    }


def _organization_summary(request: HttpRequest, organization) -> dict:
    slug = organization.slug
    return {
        "slug": slug,
        "name": organization.name,
        "website": _blank(organization.website),
        "url": absolute_url(reverse("organization_detail", args=[slug])),
        "api_url": absolute_url(reverse("api:organization", args=[slug])),
    }


@api.get("/organizations/", response=OrganizationList, url_name="organizations", summary="Makers")
def organizations(request: HttpRequest):
    return {
        "results": [_organization_summary(request, o) for o in selectors.all_organizations()],
        "attribution": _attribution(request),
    }


@api.get(
    "/organizations/{slug:slug}/",
    response=OrganizationOut,
    url_name="organization",
    summary="One maker and its models",
)
def organization(request: HttpRequest, slug: str):
    found = selectors.organization_page(slug)
    if found is None:
        raise Http404("No such organization.")
    row, sheets = found
    return {
        **_organization_summary(request, row),
        "models": [_model_link(request, s.slug, s.name) for s in sheets],
        "attribution": _attribution(request),
    }


def _benchmark_summary(request: HttpRequest, benchmark) -> dict:
    slug = benchmark.slug
    return {
        "slug": slug,
        "name": benchmark.name,
        "description": _blank(benchmark.description),
        "unit": benchmark.unit,
        "higher_is_better": benchmark.higher_is_better,
        "min_score": _money(benchmark.min_score),
        "max_score": _money(benchmark.max_score),
        "website": _blank(benchmark.url),
        "url": absolute_url(reverse("benchmark_detail", args=[slug])),
        "api_url": absolute_url(reverse("api:benchmark", args=[slug])),
    }


@api.get("/benchmarks/", response=BenchmarkList, url_name="benchmarks", summary="Benchmarks")
def benchmarks(request: HttpRequest):
    return {
        "results": [_benchmark_summary(request, b) for b in selectors.all_benchmarks()],
        "attribution": _attribution(request),
    }


@api.get(
    "/benchmarks/{slug:slug}/",
    response=BenchmarkOut,
    url_name="benchmark",
    summary="One benchmark and its leaderboard",
)
def benchmark(request: HttpRequest, slug: str):
    """Every published model's sourced score, best first, with conditions and provenance."""
    found = selectors.benchmark_page(slug, default_input_share())
    if found is None:
        raise Http404("No such benchmark.")
    row, entries = found
    return {
        **_benchmark_summary(request, row),
        "leaderboard": [
            {
                "rank": rank,
                "model": _model_link(request, e.model.slug, e.model.name),
                "score": _score(e.score),
            }
            for rank, e in enumerate(entries, start=1)
        ],
        "attribution": _attribution(request),
    }


@api.get(
    "/compare/{slug:slugs}/",
    response=ComparisonOut,
    url_name="compare",
    summary="The figures of a comparison of 2 to 4 models",
)
def compare(request: HttpRequest, slugs: str):
    """`slugs` is `a-vs-b`, up to `a-vs-b-vs-c-vs-d`, in any order. Prices are each model's
    cheapest current real-time provider at the site's default blend; a benchmark's `leader`
    is named only where the scores are comparable."""
    wanted = nway.parse(slugs)
    if wanted is None:
        raise Http404("Name 2 to 4 different models: a-vs-b[-vs-c[-vs-d]].")
    sheets = selectors.model_sheets(nway.canonical(wanted))
    if sheets is None:
        raise Http404("No such published model.")
    figures = nway.compare(
        sheets, input_share=settings.DEFAULT_INPUT_SHARE, today=timezone.localdate()
    )
    return {
        "slugs": [s.slug for s in sheets],
        "url": absolute_url(nway.url(sheets)),
        "input_share_percent": figures.input_share,
        "models": [
            {
                "slug": column.sheet.slug,
                "name": column.sheet.name,
                "url": absolute_url(reverse("model_detail", args=[column.sheet.slug])),
                "context_window": column.sheet.context_window,
                "open_weights": column.sheet.open_weights,
                "retired": column.retired,
                "cheapest_provider": column.price.cheapest.provider_name
                if column.price.cheapest
                else None,
                "cheapest_input_usd_per_mtok": _money(column.price.cheapest.input_usd_per_mtok)
                if column.price.cheapest
                else None,
                "cheapest_output_usd_per_mtok": _money(column.price.cheapest.output_usd_per_mtok)
                if column.price.cheapest
                else None,
                "cheapest_blended_usd_per_mtok": _money(column.price.cheapest_blend),
                "cheapest_source_url": column.price.cheapest.source_url
                if column.price.cheapest
                else None,
                "capabilities": _capabilities(column.sheet),
            }
            for column in figures.columns
        ],
        "benchmarks": [
            {
                "benchmark": row.name,
                "benchmark_slug": row.slug,
                "scores": {
                    sheet.slug: _score(score) if score else None
                    for sheet, score in zip(sheets, row.scores, strict=True)
                },
                "compared": [
                    sheet.slug
                    for sheet, counted in zip(sheets, row.counted, strict=True)
                    if counted
                ],
                "comparable": row.comparable,
                "leader": row.leader,
                "decides": row.decides,
            }
            for row in figures.benchmarks
        ],
        "summary": list(nway.summary(figures)),
        "attribution": _attribution(request),
    }
