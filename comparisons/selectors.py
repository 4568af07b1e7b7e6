"""Reads for the public pages: all ORM work happens here, and each returns frozen dataclasses."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch

from comparisons.facts import ModelRef, ModelSheet, OfferingFacts, ScoreFacts
from comparisons.pricing import blended_price
from comparisons.related import Candidate
from models_catalog.models import CAPABILITIES, LanguageModel, Offering, Provider, Score


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
    )


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
    )


def sheet_of(model: LanguageModel, *, with_scores: bool = True) -> ModelSheet:
    """A model as plain data. Expects the querysets of `sheet_queryset` (prefetched)."""
    successor = model.successor
    return ModelSheet(
        slug=model.slug,
        name=model.name,
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
        last_reviewed_on=model.last_reviewed_on,
        offerings=tuple(_offering_facts(o) for o in model.offerings.all()),
        scores=tuple(_score_facts(s) for s in model.scores.all()) if with_scores else (),
    )


def sheet_queryset(*, with_scores: bool = True):
    """Published models with everything `sheet_of` reads, in a fixed number of queries."""
    prefetches: list[Prefetch] = [
        Prefetch(
            "offerings",
            queryset=Offering.objects.select_related("provider").order_by("provider__name"),
        )
    ]
    if with_scores:
        prefetches.append(
            Prefetch(
                "scores",
                queryset=Score.objects.select_related("benchmark").order_by("benchmark__name"),
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
    """Both published models of a pair, or None if either is missing (3 queries)."""
    found = {m.slug: m for m in sheet_queryset().filter(slug__in=[slug_a, slug_b])}
    if slug_a not in found or slug_b not in found:
        return None
    return sheet_of(found[slug_a]), sheet_of(found[slug_b])


def related_candidates(input_share: Decimal) -> list[Candidate]:
    """Every published model with its cheapest real-time blended price (2 queries)."""
    capability_names = [name for name, _ in CAPABILITIES]
    rows = LanguageModel.objects.published().values(
        "id", "slug", "name", "family", "released_on", "successor__slug", *capability_names
    )
    offers = (
        Offering.objects.current()
        .filter(free_tier=False, language_model__published=True)
        .exclude(provider__kind=Provider.Kind.BATCH)
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
        )
        for row in rows
    ]


def model_choices() -> list[tuple[str, str]]:
    """(slug, name) of every published model, for the two-model picker (1 query)."""
    return list(LanguageModel.objects.published().order_by("name").values_list("slug", "name"))
