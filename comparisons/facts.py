"""Plain, frozen records of what the catalog says: what selectors return and narrative reads.

No Django here, so the text generator can be tested without a database.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from comparisons.memo import cached_property
from models_catalog.lifecycle import LifecycleStatus, lifecycle_status
from models_catalog.vocabulary import CAPABILITY_VOCABULARY, SCORE_CONDITIONS

# Capability field names with the words prose uses for them ("multimodal input").
CAPABILITY_LABELS: tuple[tuple[str, str], ...] = tuple(
    (name, words) for name, _label, words in CAPABILITY_VOCABULARY
)


@dataclass(frozen=True)
class OfferingFacts:
    """One provider's rate card for one model, USD per 1M tokens."""

    provider_slug: str
    provider_name: str
    provider_kind: str
    input_usd_per_mtok: Decimal
    output_usd_per_mtok: Decimal
    cached_input_usd_per_mtok: Decimal | None = None
    context_window: int | None = None
    free_tier: bool = False
    is_current: bool = True
    source_url: str = ""
    note: str = ""
    # The organization slug whose own API this provider is ("" when it is nobody's).
    provider_first_party_for: str = ""
    ended_on: datetime.date | None = None
    checked_on: datetime.date | None = None
    source_shows_price: bool = True

    @property
    def is_batch(self) -> bool:
        return self.provider_kind == "batch"

    def has_ended(self, today: datetime.date) -> bool:
        """The provider retired the model on `ended_on`; from then on it is not available."""
        return self.ended_on is not None and self.ended_on <= today

    def is_first_party_for(self, organization_slug: str) -> bool:
        return bool(organization_slug) and self.provider_first_party_for == organization_slug


@dataclass(frozen=True)
class ScoreConditions:
    """What a score was measured under; "" or None means the source does not say."""

    variant: str = ""
    shots: int | None = None
    reasoning: str = ""  # "on", "off" or "" (not stated)
    reasoning_effort: str = ""
    attempts: str = ""
    harness: str = ""

    @property
    def label(self) -> str:
        """The stated conditions for a table cell, e.g. "0-shot · reasoning on · best-of-256"."""
        parts = [
            self.variant,
            f"{self.shots}-shot" if self.shots is not None else "",
            f"reasoning {self.reasoning}" if self.reasoning else "",
            self.reasoning_effort,
            self.attempts,
            f"{self.harness} harness" if self.harness else "",
        ]
        return " · ".join(part for part in parts if part)


@dataclass(frozen=True)
class BenchmarkFacts:
    """A benchmark and the rules for comparing scores on it."""

    slug: str
    name: str
    unit: str = "percent"
    higher_is_better: bool = True
    task: str = ""  # "coding", "math", "reasoning-knowledge", "tool-use", "long-context", "vision"
    noise_threshold: Decimal = Decimal("2")
    saturated: bool = False
    # None: every condition matters.
    conditions_that_matter: tuple[str, ...] | None = None

    @property
    def relevant_conditions(self) -> tuple[str, ...]:
        if self.conditions_that_matter is None:
            return SCORE_CONDITIONS
        return self.conditions_that_matter


@dataclass(frozen=True)
class ScoreFacts:
    benchmark_slug: str
    benchmark_name: str
    value: Decimal
    provenance: str  # "maker", "independent" or "third-party"
    unit: str = "percent"
    higher_is_better: bool = True
    source_url: str = ""
    note: str = ""
    measured_on: datetime.date | None = None
    conditions: ScoreConditions = ScoreConditions()
    # Scores sharing a table id come from one source table reporting several models.
    table: str = ""
    task: str = ""
    noise_threshold: Decimal = Decimal("2")
    saturated: bool = False
    conditions_that_matter: tuple[str, ...] | None = None
    # The scored model's reasoning capability, when the comparison knows it: an unstated
    # reasoning setting of a reasoning model is not assumed to be "off".
    model_reasoning: bool | None = None

    @property
    def by_maker(self) -> bool:
        return self.provenance == "maker"

    @property
    def has_source(self) -> bool:
        return bool(self.source_url)

    @property
    def benchmark(self) -> BenchmarkFacts:
        return BenchmarkFacts(
            slug=self.benchmark_slug,
            name=self.benchmark_name,
            unit=self.unit,
            higher_is_better=self.higher_is_better,
            task=self.task,
            noise_threshold=self.noise_threshold,
            saturated=self.saturated,
            conditions_that_matter=self.conditions_that_matter,
        )


@dataclass(frozen=True)
class ModelRef:
    slug: str
    name: str


@dataclass(frozen=True)
class ModelSheet:
    """Everything a page says about one model."""

    slug: str
    name: str
    organization_name: str
    short_name: str = ""
    organization_slug: str = ""
    family: str = ""
    released_on: datetime.date | None = None
    knowledge_cutoff: datetime.date | None = None
    context_window: int | None = None
    max_output_tokens: int | None = None
    parameter_count: int | None = None
    architecture: str = ""
    license: str = ""
    open_weights: bool = False
    input_modalities: tuple[str, ...] = ()
    output_modalities: tuple[str, ...] = ()
    capabilities: dict[str, bool | None] = field(default_factory=dict)
    sources: tuple[str, ...] = ()
    deprecated_on: datetime.date | None = None
    retired_on: datetime.date | None = None
    successor: ModelRef | None = None
    lifecycle_source: str = ""
    last_reviewed_on: datetime.date | None = None
    offerings: tuple[OfferingFacts, ...] = ()
    scores: tuple[ScoreFacts, ...] = ()

    def capability(self, name: str) -> bool | None:
        return self.capabilities.get(name)

    @property
    def display_short_name(self) -> str:
        """The name prose uses after the first mention: the short name, else the full name."""
        return self.short_name or self.name

    def lifecycle(self, today: datetime.date) -> LifecycleStatus:
        return lifecycle_status(
            deprecated_on=self.deprecated_on, retired_on=self.retired_on, today=today
        )

    def score_on(self, benchmark_slug: str) -> ScoreFacts | None:
        """The first score on the benchmark; see `judged_scores` when a model has several."""
        return next((s for s in self.scores if s.benchmark_slug == benchmark_slug), None)

    @cached_property
    def judged_scores(self) -> dict[str, tuple[ScoreFacts, ...]]:
        """Every score, by benchmark slug, marked with this model's reasoning capability, as
        comparisons judge them. Worked out once per sheet: sheets are kept per
        catalog version, and every pair page judges every benchmark of both its models."""
        reasoning = self.capability("reasoning")
        judged: dict[str, list[ScoreFacts]] = {}
        for score in self.scores:
            judged.setdefault(score.benchmark_slug, []).append(
                replace(score, model_reasoning=reasoning)
            )
        return {slug: tuple(scores) for slug, scores in judged.items()}

    @cached_property
    def price_summaries(self) -> dict[tuple[int, datetime.date], Any]:
        """Where figures.price_summary keeps its answers for this sheet, by input share and
        day: sheets are kept per catalog version, and every pair page of a model asks again."""
        return {}

    @property
    def current_offerings(self) -> tuple[OfferingFacts, ...]:
        return tuple(o for o in self.offerings if o.is_current)

    @property
    def provider_names(self) -> tuple[str, ...]:
        """Providers still listing the model, each once, in the order of the offerings."""
        return tuple(dict.fromkeys(o.provider_name for o in self.current_offerings))
