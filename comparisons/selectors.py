"""Reads for the public pages: all ORM work happens here, and each returns frozen dataclasses."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import (
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    prefetch_related_objects,
)
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from comparisons import formatting
from comparisons.facts import ModelRef, ModelSheet, OfferingFacts, ScoreConditions, ScoreFacts
from comparisons.headline import TaskScore, best_by_task_of
from comparisons.pricing import blended_price
from comparisons.related import Candidate, Neighbourhood, RelatedPair, successor_pairs
from comparisons.scores import rank_scores
from comparisons.search import Entry, SearchIndex
from models_catalog.catalog_version import (
    per_catalog_version,
    recall_for_catalog_version,
    remember_for_catalog_version,
)
from models_catalog.models import (
    CAPABILITIES,
    Benchmark,
    ComparisonViews,
    DataSource,
    LanguageModel,
    Offering,
    Organization,
    PriceHistory,
    Provider,
    Review,
    Score,
)
from models_catalog.vocabulary import PAIR_SEPARATOR


def _offering_facts(offering: Offering) -> OfferingFacts:
    return OfferingFacts(
        provider_slug=offering.provider.slug,
        provider_name=offering.provider.name,
        provider_kind=offering.provider.kind,
        input_usd_per_mtok=offering.input_usd_per_mtok,
        output_usd_per_mtok=offering.output_usd_per_mtok,
        cached_input_usd_per_mtok=offering.cached_input_usd_per_mtok,
        context_window=offering.context_window,
        free_tier=offering.free_tier,
        is_current=offering.is_current,
        source_url=offering.source_url,
        note=offering.note,
        provider_first_party_for=_first_party_slug(offering.provider),
        ended_on=offering.ended_on,
        checked_on=offering.checked_on,
        source_shows_price=offering.source_shows_price,
    )


def _first_party_slug(provider: Provider) -> str:
    # Querysets feeding this select `provider__first_party_for` (OFFERING_RELATED).
    if provider.first_party_for_id is None:
        return ""
    return provider.first_party_for.slug


# What `_offering_facts` reads, for select_related on every queryset of offerings.
OFFERING_RELATED = ("provider", "provider__first_party_for")


def _score_facts(score: Score) -> ScoreFacts:
    benchmark = score.benchmark
    return ScoreFacts(
        benchmark_slug=benchmark.slug,
        benchmark_name=benchmark.name,
        value=score.value,
        provenance=score.provenance,
        unit=benchmark.unit,
        higher_is_better=benchmark.higher_is_better,
        source_url=score.source_url,
        note=score.note,
        measured_on=score.measured_on,
        conditions=ScoreConditions(
            variant=score.variant,
            shots=score.shots,
            reasoning=score.reasoning,
            reasoning_effort=score.reasoning_effort,
            attempts=score.attempts,
            harness=score.harness,
        ),
        table=score.table,
        task=benchmark.task,
        noise_threshold=benchmark.noise_threshold,
        saturated=benchmark.saturated,
        conditions_that_matter=tuple(benchmark.conditions_that_matter)
        if benchmark.conditions_that_matter is not None
        else None,
    )


def sheet_of(model: LanguageModel, *, with_scores: bool = True) -> ModelSheet:
    """A model as plain data. Expects the querysets of `sheet_queryset` (prefetched)."""
    successor = model.successor
    return ModelSheet(
        slug=model.slug,
        name=model.name,
        short_name=model.short_name,
        organization_name=model.organization.name,
        organization_slug=model.organization.slug,
        family=model.family,
        released_on=model.released_on,
        knowledge_cutoff=model.knowledge_cutoff,
        context_window=model.context_window,
        max_output_tokens=model.max_output_tokens,
        parameter_count=model.parameter_count,
        architecture=model.get_architecture_display() if model.architecture else "",
        license=model.license,
        open_weights=model.open_weights,
        input_modalities=tuple(model.input_modalities),
        output_modalities=tuple(model.output_modalities),
        capabilities={name: getattr(model, name) for name, _ in CAPABILITIES},
        sources=tuple(model.sources),
        deprecated_on=model.deprecated_on,
        retired_on=model.retired_on,
        successor=ModelRef(successor.slug, successor.name)
        if successor and successor.published
        else None,
        lifecycle_source=model.lifecycle_source,
        last_reviewed_on=model.last_reviewed_on,
        offerings=tuple(_offering_facts(o) for o in model.offerings.all()),
        scores=tuple(_score_facts(s) for s in model.scores.all()) if with_scores else (),
    )


def sheet_queryset(*, with_scores: bool = True):
    """Published models with everything `sheet_of` reads, in a fixed number of queries."""
    # Ties (a provider's several offerings, a model's several scores on one benchmark) are
    # broken by the row's age: otherwise by the query plan, so the same data could show a
    # different score wherever the planner chose differently.
    prefetches: list[Prefetch] = [
        Prefetch(
            "offerings",
            queryset=Offering.objects.select_related(*OFFERING_RELATED).order_by(
                "provider__name", "pk"
            ),
        )
    ]
    if with_scores:
        prefetches.append(
            Prefetch(
                "scores",
                queryset=Score.objects.select_related("benchmark").order_by(
                    "benchmark__name", "pk"
                ),
            )
        )
    return (
        LanguageModel.objects.published()
        .select_related("organization", "successor")
        .prefetch_related(*prefetches)
    )


@dataclass(frozen=True)
class OrganizationGroup:
    name: str
    slug: str
    models: tuple[ModelSheet, ...]


def group_by_organization(sheets: Iterable[ModelSheet]) -> tuple[OrganizationGroup, ...]:
    groups: dict[tuple[str, str], list[ModelSheet]] = {}
    for sheet in sheets:
        groups.setdefault((sheet.organization_name, sheet.organization_slug), []).append(sheet)
    return tuple(
        OrganizationGroup(name=name, slug=slug, models=tuple(models))
        for (name, slug), models in sorted(groups.items())
    )


def models_by_organization() -> tuple[OrganizationGroup, ...]:
    """The home page's list: every published model under its maker (3 queries)."""
    models = sheet_queryset(with_scores=False).order_by("organization__name", "name")
    return group_by_organization(sheet_of(m, with_scores=False) for m in models)


def pair_sheets(slug_a: str, slug_b: str) -> tuple[ModelSheet, ModelSheet] | None:
    """Both published models of a pair, or None if either is missing (see model_sheets)."""
    sheets = model_sheets((slug_a, slug_b))
    return (sheets[0], sheets[1]) if sheets else None


def related_candidates(input_share: Decimal) -> list[Candidate]:
    """Every published model with its cheapest real-time blended price (2 queries)."""
    capability_names = [name for name, _ in CAPABILITIES]
    rows = LanguageModel.objects.published().values(
        "id",
        "slug",
        "name",
        "family",
        "released_on",
        "successor__slug",
        "organization__slug",
        *capability_names,
    )
    offers = (
        Offering.objects.headline_candidates(timezone.localdate())
        .filter(language_model__published=True)
        .values_list("language_model_id", "input_usd_per_mtok", "output_usd_per_mtok")
    )
    cheapest: dict[int, Decimal] = {}
    for model_id, input_price, output_price in offers:
        blend = blended_price(input_price, output_price, input_share)
        if model_id not in cheapest or blend < cheapest[model_id]:
            cheapest[model_id] = blend
    return [
        Candidate(
            slug=row["slug"],
            name=row["name"],
            family=row["family"],
            released_on=row["released_on"],
            blend=cheapest.get(row["id"]),
            capabilities=tuple(row[name] for name in capability_names),
            successor_slug=row["successor__slug"],
            organization_slug=row["organization__slug"],
        )
        for row in rows
    ]


def neighbourhood(input_share: Decimal) -> Neighbourhood:
    """Every published model indexed for related pairs and nearest models: built once per
    catalog version and share (2 queries then), read from memory after."""
    return per_catalog_version(
        f"neighbourhood:{input_share}", lambda: Neighbourhood(related_candidates(input_share))
    )


def featured_pairs(input_share: Decimal) -> list[RelatedPair]:
    """The home page's true successor pairs, newest first, once per catalog version."""
    return per_catalog_version(
        f"featured:{input_share}",
        lambda: successor_pairs(neighbourhood(input_share).candidates),
    )


# --- home page ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewedModel:
    model: ModelRef
    reviewed_on: datetime.date


def recently_reviewed(limit: int = 6) -> list[ReviewedModel]:
    """Published models by their latest review, newest first (1 query, once per catalog
    version)."""
    return per_catalog_version(f"recently-reviewed:{limit}", lambda: _recently_reviewed(limit))


def _recently_reviewed(limit: int) -> list[ReviewedModel]:
    latest = (
        LanguageModel.objects.published()
        .annotate(last_review=Max("reviews__reviewed_on"))
        .filter(last_review__isnull=False)
        .order_by("-last_review", "name")
        .values_list("slug", "name", "last_review")[:limit]
    )
    return [ReviewedModel(ModelRef(slug, name), day) for slug, name, day in latest]


@dataclass(frozen=True)
class PriceMove:
    """One price of a rate card that changed: "input", "output" or "cached input"."""

    label: str
    old: Decimal | None
    new: Decimal | None


@dataclass(frozen=True)
class PriceChange:
    """A provider changed a model's rate card on `changed_on` (from the price history).
    `moves` holds only the prices that changed, so a line never reads "$1.50 → $1.50"."""

    model: ModelRef
    provider_name: str
    changed_on: datetime.date
    moves: tuple[PriceMove, ...]


def _price_moves(old, new) -> tuple[PriceMove, ...]:
    fields = (
        ("input", "input_usd_per_mtok"),
        ("output", "output_usd_per_mtok"),
        ("cached input", "cached_input_usd_per_mtok"),
    )
    # A price first sourced (unknown before) is new information, not a change of price.
    return tuple(
        PriceMove(label, getattr(old, name), getattr(new, name))
        for label, name in fields
        if getattr(old, name) is not None and getattr(old, name) != getattr(new, name)
    )


def recent_price_changes(limit: int = 6) -> list[PriceChange]:
    """The latest price changes of published models, newest first (1 query, once per catalog
    version)."""
    return per_catalog_version(f"price-changes:{limit}", lambda: _recent_price_changes(limit))


def _recent_price_changes(limit: int) -> list[PriceChange]:
    # A history row is the rate card that ended on `valid_until`; the card that replaced it is
    # the next history row of the offering, or the offering's current one.
    ended = (
        PriceHistory.objects.filter(offering__language_model__published=True)
        .select_related("offering__language_model", "offering__provider")
        .order_by("-valid_until", "-pk")[: limit * 3]
    )
    rows = list(ended)
    changes = []
    for row in rows:
        offering = row.offering
        # The card that followed: a later history row of the same offering, else the current.
        later = [
            r for r in rows if r.offering_id == row.offering_id and r.valid_from == row.valid_until
        ]
        new = later[0] if later else offering
        moves = _price_moves(row, new)
        if not moves:  # a card re-dated without a new price is no price change
            continue
        changes.append(
            PriceChange(
                model=ModelRef(offering.language_model.slug, offering.language_model.name),
                provider_name=offering.provider.name,
                changed_on=row.valid_until,
                moves=moves,
            )
        )
    return changes[:limit]


@dataclass(frozen=True)
class PopularPair:
    slug: str
    title: str
    views: int


def most_viewed_comparisons(limit: int = 6) -> list[PopularPair]:
    """The most-viewed pair pages whose models are still published (2 queries, once per
    catalog version and day: views are counted all the time, so the list is a day's)."""
    today = timezone.localdate()
    day, popular = per_catalog_version(
        f"most-viewed:{limit}", lambda: (today, _most_viewed_comparisons(limit))
    )
    if day != today:
        popular = _most_viewed_comparisons(limit)
        remember_for_catalog_version(f"most-viewed:{limit}", (today, popular))
    return popular


def _most_viewed_comparisons(limit: int) -> list[PopularPair]:
    counts = list(
        ComparisonViews.objects.order_by("-views", "pair").values_list("pair", "views")[: limit * 2]
    )
    slugs = {slug for pair, _ in counts for slug in pair.split(PAIR_SEPARATOR)}
    names = dict(
        LanguageModel.objects.published().filter(slug__in=slugs).values_list("slug", "name")
    )
    popular = []
    for pair, views in counts:
        sides = pair.split(PAIR_SEPARATOR)
        if len(sides) == 2 and all(side in names for side in sides):
            popular.append(PopularPair(pair, f"{names[sides[0]]} vs {names[sides[1]]}", views))
    return popular[:limit]


def models_named(texts: Iterable[str]) -> dict[str, str]:
    """The published model each text names, by slug or by its name or short name in any case;
    a name two models share names neither (1 query)."""
    texts = [t for t in texts if t]
    if not texts:
        return {}
    lowered = {t.lower() for t in texts}
    rows = (
        LanguageModel.objects.published()
        .annotate(lower_name=Lower("name"), lower_short=Lower("short_name"))
        .filter(Q(slug__in=texts) | Q(lower_name__in=lowered) | Q(lower_short__in=lowered))
        .values_list("slug", "lower_name", "lower_short")
    )
    by_slug: dict[str, str] = {}
    by_name: dict[str, set[str]] = {}
    for slug, name, short in rows:
        by_slug[slug] = slug
        for key in {name, short} - {""}:
            by_name.setdefault(key, set()).add(slug)
    named = {}
    for text in texts:
        slugs = by_name.get(text.lower(), set())
        if text in by_slug:
            named[text] = text
        elif len(slugs) == 1:
            named[text] = next(iter(slugs))
    return named


# --- browsing pages -------------------------------------------------------------------------


def cheapest_blend_subquery(input_share: Decimal, model: str = "pk") -> Subquery:
    """The lowest blended price among the offerings that may headline a model's price
    (Offering.objects.headline_candidates); `model` names the outer query's field that holds
    the model's id."""
    blend = ExpressionWrapper(
        F("input_usd_per_mtok") * Value(input_share)
        + F("output_usd_per_mtok") * Value(1 - input_share),
        output_field=DecimalField(max_digits=14, decimal_places=6),
    )
    offers = (
        Offering.objects.headline_candidates(timezone.localdate())
        .filter(language_model=OuterRef(model))
        .annotate(blend=blend)
        .order_by("blend")
        .values("blend")[:1]
    )
    return Subquery(offers, output_field=DecimalField(max_digits=14, decimal_places=6))


@dataclass(frozen=True)
class CatalogRow:
    slug: str
    name: str
    organization_name: str
    organization_slug: str
    released_on: datetime.date | None
    context_window: int | None
    open_weights: bool
    blend: Decimal | None
    benchmark_score: Decimal | None
    deprecated: bool
    capabilities: tuple[str, ...] = ()  # labels of the key capabilities the model has
    task_scores: tuple[TaskScore, ...] = ()  # best sourced score per task


# The capabilities the catalog shows as columns: the ones readers filter by most.
KEY_CAPABILITIES = (
    ("vision", "vision"),
    ("reasoning", "reasoning"),
    ("function_calling", "tools"),
    ("structured_outputs", "JSON"),
)


def catalog_queryset(filters: dict, input_share: Decimal) -> QuerySet:
    """Published models narrowed by the catalog page's cleaned filters, with `blend` annotated
    and, when sorting by a benchmark, `benchmark_score`."""
    models = (
        LanguageModel.objects.published()
        .select_related("organization")
        .annotate(blend=cheapest_blend_subquery(input_share))
    )
    if filters.get("q"):
        models = models.filter(Q(name__icontains=filters["q"]) | Q(family__icontains=filters["q"]))
    if filters.get("organization"):
        models = models.filter(organization__slug=filters["organization"])
    if filters.get("provider"):
        models = models.filter(
            Exists(
                Offering.objects.current().filter(
                    language_model=OuterRef("pk"), provider__slug=filters["provider"]
                )
            )
        )
    if filters.get("open_weights"):
        models = models.filter(open_weights=True)
    for name in filters.get("capabilities") or ():
        models = models.filter(**{name: True})
    if filters.get("min_context"):
        models = models.filter(context_window__gte=filters["min_context"])
    if filters.get("max_price") is not None:
        models = models.filter(blend__lte=filters["max_price"])
    if filters.get("released_after"):
        models = models.filter(released_on__gte=filters["released_after"])
    if filters.get("hide_deprecated"):
        models = models.filter(deprecated_on__isnull=True)
    sort = filters.get("sort") or "newest"
    benchmark = filters.get("benchmark")
    if benchmark:
        models = models.annotate(
            benchmark_score=Subquery(
                Score.objects.filter(
                    language_model=OuterRef("pk"), benchmark__slug=benchmark
                ).values("value")[:1]
            )
        )
    orderings = {
        "name": [Lower("name")],
        "newest": [F("released_on").desc(nulls_last=True), Lower("name")],
        "context": [F("context_window").desc(nulls_last=True), Lower("name")],
        "price": [F("blend").asc(nulls_last=True), Lower("name")],
        "score": [F("benchmark_score").desc(nulls_last=True), Lower("name")]
        if benchmark
        else [Lower("name")],
    }
    return models.order_by(*orderings.get(sort, orderings["newest"]))


def catalog_rows(
    models: Iterable[LanguageModel], *, with_task_scores: bool = False
) -> list[CatalogRow]:
    """Rows for the catalog; `with_task_scores` adds each model's best score per task
    (1 more query for the whole page)."""
    models = list(models)
    if with_task_scores:
        prefetch_related_objects(
            models,
            Prefetch("scores", queryset=Score.objects.select_related("benchmark").order_by("pk")),
        )
    return [
        CatalogRow(
            slug=m.slug,
            name=m.name,
            organization_name=m.organization.name,
            organization_slug=m.organization.slug,
            released_on=m.released_on,
            context_window=m.context_window,
            open_weights=m.open_weights,
            blend=m.blend,
            benchmark_score=getattr(m, "benchmark_score", None),
            deprecated=m.deprecated_on is not None,
            capabilities=tuple(label for name, label in KEY_CAPABILITIES if getattr(m, name)),
            task_scores=best_by_task_of([_score_facts(s) for s in m.scores.all()])
            if with_task_scores
            else (),
        )
        for m in models
    ]


@dataclass(frozen=True)
class CatalogPage:
    rows: list[CatalogRow]
    count: int  # models matching the filters, on every page
    number: int  # this page's number, after Paginator's corrections


def filters_key(filters: dict) -> str:
    """A listing's cleaned filters as a key for what is kept per catalog version."""
    return repr(sorted(filters.items()))


def catalog_page(
    filters: dict, input_share: Decimal, page: str | None, per_page: int, today: datetime.date
) -> CatalogPage:
    """One page of the catalog for its cleaned filters, with each model's best score per task
    (3 queries, once per catalog version, day and set of filters)."""

    def compute() -> CatalogPage:
        found = Paginator(catalog_queryset(filters, input_share), per_page).get_page(page)
        rows = catalog_rows(found.object_list, with_task_scores=True)
        return CatalogPage(rows, found.paginator.count, found.number)

    key = f"catalog-page:{filters_key(filters)}:{input_share}:{page!r}:{per_page}:{today}"
    return per_catalog_version(key, compute)


def filter_choices() -> dict[str, list[tuple[str, str]]]:
    """Organizations, providers and benchmarks for the catalog's filter form (3 queries, once
    per catalog version)."""
    return per_catalog_version(
        "filter-choices",
        lambda: {
            "organizations": list(
                Organization.objects.order_by("name").values_list("slug", "name")
            ),
            "providers": list(Provider.objects.order_by("name").values_list("slug", "name")),
            "benchmarks": list(Benchmark.objects.order_by("name").values_list("slug", "name")),
        },
    )


@dataclass(frozen=True)
class PricePoint:
    provider_name: str
    input_usd_per_mtok: Decimal
    output_usd_per_mtok: Decimal
    valid_from: datetime.date | None
    valid_until: datetime.date | None  # None: the current rate card


def model_page(slug: str) -> tuple[ModelSheet, tuple[PricePoint, ...]] | None:
    """A published model's sheet and its dated rate cards, current and past (4 queries, once
    per catalog version)."""
    return per_catalog_version(f"model-page:{slug}", lambda: _model_page(slug))


def _model_page(slug: str) -> tuple[ModelSheet, tuple[PricePoint, ...]] | None:
    model = sheet_queryset().filter(slug=slug).first()
    if model is None:
        return None
    sheet = sheet_of(model)
    history = PriceHistory.objects.filter(offering__language_model=model).select_related(
        "offering__provider"
    )
    points = [
        PricePoint(
            h.offering.provider.name,
            h.input_usd_per_mtok,
            h.output_usd_per_mtok,
            h.valid_from,
            h.valid_until,
        )
        for h in history
    ] + [
        PricePoint(
            o.provider.name, o.input_usd_per_mtok, o.output_usd_per_mtok, o.price_since, None
        )
        for o in model.offerings.all()
        if o.is_current
    ]
    points.sort(key=lambda p: (p.provider_name, p.valid_from or datetime.date.min))
    return sheet, tuple(points)


@dataclass(frozen=True)
class ProviderListing:
    model: ModelRef
    organization_name: str
    offering: OfferingFacts
    blend: Decimal
    organization_slug: str = ""
    released_on: datetime.date | None = None


def provider_page(slug: str, input_share: Decimal) -> tuple[Provider, list[ProviderListing]] | None:
    """A provider and the published models it serves, cheapest first (2 queries, once per
    catalog version: a page of them is shown, filtered in memory)."""
    return per_catalog_version(
        f"provider-page:{slug}:{input_share}", lambda: _provider_page(slug, input_share)
    )


def provider_organizations(slug: str, input_share: Decimal) -> list[tuple[str, str]]:
    """(slug, name) of the organizations whose models a provider serves, for its filter
    (once per catalog version)."""

    def organizations() -> list[tuple[str, str]]:
        found = provider_page(slug, input_share)
        listings = found[1] if found else []
        return sorted({(x.organization_slug, x.organization_name) for x in listings})

    return per_catalog_version(f"provider-organizations:{slug}", organizations)


def _provider_page(
    slug: str, input_share: Decimal
) -> tuple[Provider, list[ProviderListing]] | None:
    provider = Provider.objects.filter(slug=slug).first()
    if provider is None:
        return None
    offerings = Offering.objects.filter(
        provider=provider, language_model__published=True
    ).select_related("language_model__organization", *OFFERING_RELATED)
    listings = [
        ProviderListing(
            model=ModelRef(o.language_model.slug, o.language_model.name),
            organization_name=o.language_model.organization.name,
            offering=_offering_facts(o),
            blend=blended_price(o.input_usd_per_mtok, o.output_usd_per_mtok, input_share),
            organization_slug=o.language_model.organization.slug,
            released_on=o.language_model.released_on,
        )
        for o in offerings
    ]
    listings.sort(key=lambda x: (not x.offering.is_current, x.blend, x.model.name))
    return provider, listings


def filter_listings(listings: list[ProviderListing], filters: dict) -> list[ProviderListing]:
    """A provider page's listings narrowed and sorted by its cleaned filters, as the catalog
    does it (the listings are already in memory: one provider serves a few hundred at most)."""
    found = listings
    if filters.get("q"):
        found = [x for x in found if filters["q"].lower() in x.model.name.lower()]
    if filters.get("organization"):
        found = [x for x in found if x.organization_slug == filters["organization"]]
    if filters.get("current_only"):
        found = [x for x in found if x.offering.is_current]
    if filters.get("max_price") is not None:
        found = [x for x in found if x.blend <= filters["max_price"]]
    sort = filters.get("sort") or "price"
    if sort == "newest":
        found = sorted(found, key=lambda x: x.model.name)
        found.sort(key=lambda x: x.released_on or datetime.date.min, reverse=True)
    elif sort == "name":
        found = sorted(found, key=lambda x: x.model.name.lower())
    return found


def organization_page(slug: str) -> tuple[Organization, list[ModelSheet]] | None:
    """An organization and its published models, newest first (4 queries, once per catalog
    version: a page of them is shown)."""
    return per_catalog_version(f"organization-page:{slug}", lambda: _organization_page(slug))


def _organization_page(slug: str) -> tuple[Organization, list[ModelSheet]] | None:
    organization = Organization.objects.filter(slug=slug).first()
    if organization is None:
        return None
    models = sheet_queryset(with_scores=False).filter(organization=organization)
    sheets = sorted(
        (sheet_of(m, with_scores=False) for m in models),
        key=lambda s: (s.released_on or datetime.date.min, s.name),
        reverse=True,
    )
    return organization, sheets


@dataclass(frozen=True)
class LeaderboardEntry:
    model: ModelRef
    organization_name: str
    score: ScoreFacts
    blend: Decimal | None
    # None for a score shown but not ranked (no source, best-of-N, the model's other score).
    rank: int | None = None
    mark: str = ""


def benchmark_page(
    slug: str, input_share: Decimal
) -> tuple[Benchmark, list[LeaderboardEntry]] | None:
    """A benchmark and every published model's score on it, best first (2 queries, once per
    catalog version: a page of them is shown)."""
    return per_catalog_version(
        f"benchmark-page:{slug}:{input_share}", lambda: _benchmark_page(slug, input_share)
    )


def _benchmark_page(
    slug: str, input_share: Decimal
) -> tuple[Benchmark, list[LeaderboardEntry]] | None:
    benchmark = Benchmark.objects.filter(slug=slug).first()
    if benchmark is None:
        return None
    scores = (
        Score.objects.filter(benchmark=benchmark, language_model__published=True)
        .select_related("language_model__organization", "benchmark")
        .annotate(blend=cheapest_blend_subquery(input_share, model="language_model"))
    )
    rows = list(scores)
    facts = [(s.language_model.slug, _score_facts(s)) for s in rows]
    if not facts:
        return benchmark, []
    places = rank_scores(facts[0][1].benchmark, facts)
    entries = [
        LeaderboardEntry(
            model=ModelRef(rows[p.index].language_model.slug, rows[p.index].language_model.name),
            organization_name=rows[p.index].language_model.organization.name,
            score=facts[p.index][1],
            blend=rows[p.index].blend,
            rank=p.rank,
            mark=p.mark,
        )
        for p in places
    ]
    return benchmark, entries


# --- search ---------------------------------------------------------------------------------


# Names passed on to be ranked: many more than a page of results shows.
SEARCH_POOL = 100


def search_entries(query: str) -> list[Entry]:
    """Names to rank for `query`: the models, families, organizations and providers that share
    most trigrams with it (no query: the index is built once per catalog version, 4 queries)."""
    return per_catalog_version("search-index", _search_index).candidates(query, SEARCH_POOL)


def _search_index() -> SearchIndex:
    models = LanguageModel.objects.published().select_related("organization").order_by("name")
    entries = [
        Entry("model", m.slug, m.name, reverse("model_detail", args=[m.slug]), m.organization.name)
        for m in models
    ]
    return SearchIndex(entries + _other_search_entries())


def _other_search_entries() -> list[Entry]:
    """Families, organizations and providers (3 queries)."""
    families = (
        LanguageModel.objects.published()
        .exclude(family="")
        .values_list("family", "organization__name")
        .order_by("family", "organization__name")  # no default ordering inside DISTINCT
        .distinct()
    )
    entries = [
        Entry(
            "family",
            slugify(family),
            family,
            f"{reverse('model_list')}?{urlencode({'q': family})}",
            f"family by {org_name}",
        )
        for family, org_name in families
    ]
    entries += [
        Entry("organization", o.slug, o.name, reverse("organization_detail", args=[o.slug]))
        for o in Organization.objects.all()
    ]
    entries += [
        Entry("provider", p.slug, p.name, reverse("provider_detail", args=[p.slug]))
        for p in Provider.objects.all()
    ]
    return entries


# --- comparisons of several models, and data for programs -----------------------------------


def model_sheets(slugs: Sequence[str]) -> tuple[ModelSheet, ...] | None:
    """The published models named, in the order given, or None if any is missing.

    Each sheet is kept once per catalog version, so comparison pages read the database only
    for models not shown since the last write (3 queries for all of those, else none).
    """
    found: dict[str, ModelSheet] = {}
    missing = []
    for slug in slugs:
        sheet = recall_for_catalog_version(f"sheet:{slug}")
        if sheet is None:
            missing.append(slug)
        else:
            found[slug] = sheet
    if missing:
        for model in sheet_queryset().filter(slug__in=missing):
            found[model.slug] = sheet_of(model)
            remember_for_catalog_version(f"sheet:{model.slug}", found[model.slug])
    if any(slug not in found for slug in slugs):
        return None
    return tuple(found[slug] for slug in slugs)


def data_sources() -> list[DataSource]:
    """The sources credited on /credits/, with the credit lines their licenses require."""
    return list(DataSource.objects.all())


def all_providers() -> list[Provider]:
    return list(Provider.objects.order_by("name"))


def all_organizations() -> list[Organization]:
    return list(Organization.objects.order_by("name"))


def all_benchmarks() -> list[Benchmark]:
    return list(Benchmark.objects.order_by("name"))


# --- changes, for the Atom feeds ------------------------------------------------------------


@dataclass(frozen=True)
class ChangeEvent:
    kind: str  # "new-model", "price-change", "deprecated", "retired", "reviewed"
    key: str  # unique and stable, for the entry's id
    on: datetime.date
    title: str
    text: str
    model: ModelRef
    provider_slug: str = ""


def _card(input_price: Decimal, output_price: Decimal) -> str:
    return (
        f"{formatting.usd(input_price)} input and {formatting.usd(output_price)} output "
        "per 1M tokens"
    )


def change_events(
    *, today: datetime.date, model: str | None = None, provider: str | None = None, limit: int = 50
) -> list[ChangeEvent]:
    """The newest changes to published models, newest first (5 queries): models added, rate
    cards replaced, deprecations and retirements up to `today`, reviews. `model` or
    `provider` (slugs) narrow it to one model or one provider's offerings."""
    events: list[ChangeEvent] = []
    models = LanguageModel.objects.published()
    if model:
        models = models.filter(slug=model)
    if provider:
        models = models.filter(offerings__provider__slug=provider).distinct()

    if not provider:
        added = (
            LanguageModel.history.filter(history_type="+", id__in=models.values("id"))
            .order_by("-history_date")
            .values_list("id", "slug", "name", "history_date")[:limit]
        )
        for pk, slug, name, when in added:
            events.append(
                ChangeEvent(
                    "new-model",
                    f"new-model-{pk}",
                    when.date(),
                    f"New model: {name}",
                    f"{name} was added to the catalog.",
                    ModelRef(slug, name),
                )
            )

    past = PriceHistory.objects.filter(offering__language_model__published=True)
    if model:
        past = past.filter(offering__language_model__slug=model)
    if provider:
        past = past.filter(offering__provider__slug=provider)
    past = list(
        past.select_related("offering__language_model", "offering__provider").order_by(
            "-valid_until", "-pk"
        )[:limit]
    )
    # The card that replaced each one: the next archived card, else the offering's current one.
    later = {}
    for h in PriceHistory.objects.filter(offering__in={h.offering_id for h in past}).order_by(
        "valid_until"
    ):
        later.setdefault(h.offering_id, []).append(h)
    for h in past:
        offering = h.offering
        successor = next(
            (n for n in later.get(offering.id, []) if n.valid_until > h.valid_until), None
        )
        new = (
            (successor.input_usd_per_mtok, successor.output_usd_per_mtok)
            if successor
            else (offering.input_usd_per_mtok, offering.output_usd_per_mtok)
        )
        lm = offering.language_model
        events.append(
            ChangeEvent(
                "price-change",
                f"price-{h.pk}",
                h.valid_until,
                f"Price change: {lm.name} on {offering.provider.name}",
                f"From {h.valid_until.isoformat()}, {lm.name} on {offering.provider.name} costs "
                f"{_card(*new)}; before, {_card(h.input_usd_per_mtok, h.output_usd_per_mtok)}.",
                ModelRef(lm.slug, lm.name),
                offering.provider.slug,
            )
        )

    lifecycle = models.filter(
        Q(deprecated_on__lte=today) | Q(retired_on__lte=today)
    ).select_related("successor")
    for m in lifecycle.order_by("-deprecated_on")[:limit]:
        successor = (
            f" Its maker recommends {m.successor.name} instead."
            if m.successor and m.successor.published
            else ""
        )
        if m.deprecated_on and m.deprecated_on <= today:
            retiring = (
                f" It retires on {m.retired_on.isoformat()}."
                if m.retired_on and m.retired_on > today
                else ""
            )
            events.append(
                ChangeEvent(
                    "deprecated",
                    f"deprecated-{m.pk}-{m.deprecated_on.isoformat()}",
                    m.deprecated_on,
                    f"Deprecated: {m.name}",
                    f"{m.name} was deprecated on {m.deprecated_on.isoformat()}.{retiring}"
                    f"{successor}",
                    ModelRef(m.slug, m.name),
                )
            )
        if m.retired_on and m.retired_on <= today:
            events.append(
                ChangeEvent(
                    "retired",
                    f"retired-{m.pk}-{m.retired_on.isoformat()}",
                    m.retired_on,
                    f"Retired: {m.name}",
                    f"{m.name} was retired on {m.retired_on.isoformat()}.{successor}",
                    ModelRef(m.slug, m.name),
                )
            )

    if not provider:
        reviews = (
            Review.objects.filter(language_model__in=models)
            .select_related("language_model")
            .order_by("-reviewed_on", "-pk")[:limit]
        )
        for r in reviews:
            lm = r.language_model
            events.append(
                ChangeEvent(
                    "reviewed",
                    f"reviewed-{r.pk}",
                    r.reviewed_on,
                    f"Reviewed: {lm.name}",
                    f"{lm.name}'s spec sheet, prices and scores were checked against their "
                    f"sources on {r.reviewed_on.isoformat()}.",
                    ModelRef(lm.slug, lm.name),
                )
            )

    events.sort(key=lambda e: (e.on, e.key), reverse=True)
    return events[:limit]
