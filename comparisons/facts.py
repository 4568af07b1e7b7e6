"""Plain, frozen records of what the catalog says: what selectors return and narrative reads.

No Django here, so the text generator can be tested without a database.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

CAPABILITY_LABELS: tuple[tuple[str, str], ...] = (
    ("vision", "vision"),
    ("multimodal", "multimodal input"),
    ("reasoning", "reasoning mode"),
    ("function_calling", "function calling"),
    ("tool_use", "tool use"),
    ("structured_outputs", "structured outputs"),
    ("code_execution", "code execution"),
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

    @property
    def is_batch(self) -> bool:
        return self.provider_kind == "batch"


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

    @property
    def by_maker(self) -> bool:
        return self.provenance == "maker"


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
    last_reviewed_on: datetime.date | None = None
    offerings: tuple[OfferingFacts, ...] = ()
    scores: tuple[ScoreFacts, ...] = ()

    def capability(self, name: str) -> bool | None:
        return self.capabilities.get(name)

    def score_on(self, benchmark_slug: str) -> ScoreFacts | None:
        return next((s for s in self.scores if s.benchmark_slug == benchmark_slug), None)

    @property
    def current_offerings(self) -> tuple[OfferingFacts, ...]:
        return tuple(o for o in self.offerings if o.is_current)

    @property
    def provider_names(self) -> tuple[str, ...]:
        """Providers still listing the model, each once, in the order of the offerings."""
        return tuple(dict.fromkeys(o.provider_name for o in self.current_offerings))
