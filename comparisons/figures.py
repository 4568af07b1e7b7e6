"""What a pair page compares: every figure it states, from plain facts (no Django, no text).

`compare()` builds a Comparison: the two sides' headline prices, the benchmark rows chosen
like with like (comparisons/scores.py), capabilities, lifecycle and the class difference.
comparisons/narrative.py turns it into sentences.
"""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass
from decimal import Decimal

from comparisons.facts import (
    CAPABILITY_LABELS,
    BenchmarkFacts,
    ModelSheet,
    OfferingFacts,
    ScoreFacts,
)
from comparisons.memo import cached_property
from comparisons.pricing import (
    MIN_TIMES,
    SAME_PRICE_PERCENT,
    CheapestOffer,
    InputShare,
    PriceGap,
    cheapest_batch,
    cheapest_offer,
    free_tiers,
    offering_blend,
    price_gap,
    realtime_hosts,
)
from comparisons.scores import ScoreComparison, Side, compare_scores
from models_catalog.lifecycle import LifecycleStatus

# A context window must be this many times the other's to count as an advantage: 262K against
# 256K is the same class of window, whatever the rounding.
CONTEXT_ADVANTAGE = Decimal("1.25")
# Models this many times apart in parameters are different classes of model.
PARAMETER_CLASS_RATIO = 10
# An open-weights model up to this size is "small" next to a proprietary one.
SMALL_MODEL_PARAMETERS = 15_000_000_000


@dataclass(frozen=True)
class PriceSummary:
    """One model's prices as the page quotes them."""

    headline: CheapestOffer | None
    batch: OfferingFacts | None
    batch_blend: Decimal | None
    free: tuple[OfferingFacts, ...]
    # Distinct real-time paid hosts (batch endpoints and free tiers named apart).
    hosts: tuple[str, ...]
    # Every offering with its blended price: still-listed ones first, cheapest first.
    rows: tuple[tuple[OfferingFacts, Decimal], ...] = ()
    # The headline offering's context window when it is smaller than the model's.
    headline_context: int | None = None

    @property
    def cheapest(self) -> OfferingFacts | None:
        return self.headline.offering if self.headline else None

    @property
    def cheapest_blend(self) -> Decimal | None:
        return self.headline.blend if self.headline else None


# Answers price_summary keeps on one sheet (input shares × days) before starting afresh.
KEPT_PRICE_SUMMARIES = 200


def price_summary(sheet: ModelSheet, share: InputShare, today: datetime.date) -> PriceSummary:
    """A model's headline, batch and free offers, its hosts, and every offering with its blend.
    Kept on the sheet (ModelSheet.price_summaries): it is the same for every page of the model
    on that day and blend."""
    kept = sheet.price_summaries
    key = (share.percent, today)
    summary = kept.get(key)
    if summary is None:
        if len(kept) >= KEPT_PRICE_SUMMARIES:
            kept.clear()
        summary = kept[key] = _price_summary(sheet, share, today)
    return summary


def _price_summary(sheet: ModelSheet, share: InputShare, today: datetime.date) -> PriceSummary:
    fraction = share.fraction
    if sheet.lifecycle(today).is_retired:
        # A retired model is served nowhere: its offerings are shown, never quoted or counted.
        return PriceSummary(
            headline=None,
            batch=None,
            batch_blend=None,
            free=(),
            hosts=(),
            rows=tuple(
                sorted(
                    ((o, offering_blend(o, fraction)) for o in sheet.offerings),
                    key=lambda row: (row[1], row[0].provider_name),
                )
            ),
        )
    headline = cheapest_offer(sheet.offerings, fraction, today=today, maker=sheet.organization_slug)
    batch = cheapest_batch(sheet.offerings, fraction, today=today)
    smaller = None
    if headline and headline.offering.context_window and sheet.context_window:
        if headline.offering.context_window < sheet.context_window:
            smaller = headline.offering.context_window
    return PriceSummary(
        headline=headline,
        batch=batch,
        batch_blend=offering_blend(batch, fraction) if batch else None,
        free=free_tiers(sheet.offerings, today),
        hosts=realtime_hosts(sheet.offerings, today),
        rows=tuple(
            sorted(
                ((o, offering_blend(o, fraction)) for o in sheet.offerings),
                key=lambda row: (
                    not row[0].is_current or row[0].has_ended(today),
                    row[1],
                    row[0].provider_name,
                ),
            )
        ),
        headline_context=smaller,
    )


@dataclass(frozen=True)
class CapabilityRow:
    name: str
    label: str
    a: bool | None
    b: bool | None

    def value(self, side: Side) -> bool | None:
        return self.a if side is Side.A else self.b


class ClassGap(enum.Enum):
    """Why two models are different classes of model, from the data."""

    PARAMETERS = "parameters"  # one has at least 10× the other's parameters
    REASONING = "reasoning"  # one has a reasoning mode, the other not
    SMALL_OPEN_VS_PROPRIETARY = "small-open"  # a small open-weights model vs a proprietary one


@dataclass(frozen=True)
class ClassDifference:
    kind: ClassGap
    # The larger, reasoning, or proprietary side.
    bigger: Side


# The type the pair page uses for a benchmark row.
BenchmarkRow = ScoreComparison


@dataclass(frozen=True)
class Comparison:
    a: ModelSheet
    b: ModelSheet
    share: InputShare
    today: datetime.date
    price_a: PriceSummary
    price_b: PriceSummary
    benchmarks: tuple[ScoreComparison, ...]
    capabilities: tuple[CapabilityRow, ...]

    # What follows from the fields is worked out once (cached_property): the page's text asks
    # the same questions of a comparison many times over.

    @property
    def input_share(self) -> int:
        return self.share.percent

    @property
    def sides(self) -> tuple[tuple[ModelSheet, PriceSummary], ...]:
        return ((self.a, self.price_a), (self.b, self.price_b))

    def side(self, side: Side) -> ModelSheet:
        return self.a if side is Side.A else self.b

    def price(self, side: Side) -> PriceSummary:
        return self.price_a if side is Side.A else self.price_b

    def lifecycle(self, side: Side) -> LifecycleStatus:
        return self._lifecycles[0 if side is Side.A else 1]

    @cached_property
    def _lifecycles(self) -> tuple[LifecycleStatus, LifecycleStatus]:
        return (self.a.lifecycle(self.today), self.b.lifecycle(self.today))

    # --- price ------------------------------------------------------------------------------

    @cached_property
    def cheaper(self) -> Side | None:
        """The side with the lower headline blend; None when either is missing or they are equal."""
        a, b = self.price_a.cheapest_blend, self.price_b.cheapest_blend
        if a is None or b is None or a == b:
            return None
        return Side.A if a < b else Side.B

    @cached_property
    def gap(self) -> PriceGap | None:
        cheaper = self.cheaper
        if cheaper is None:
            return None
        low = self.price(cheaper).cheapest_blend
        high = self.price(cheaper.other).cheapest_blend
        if low is None or high is None:
            return None
        return price_gap(low, high)

    @cached_property
    def both_priced(self) -> bool:
        return self.price_a.headline is not None and self.price_b.headline is not None

    @cached_property
    def about_same_price(self) -> bool:
        """Both priced, and less than 3% apart (or equal)."""
        if not self.both_priced:
            return False
        gap = self.gap
        return gap is None or gap.percent_less < SAME_PRICE_PERCENT

    @cached_property
    def clearly_cheaper(self) -> Side | None:
        """The cheaper side when the difference is worth a sentence (3% or more)."""
        return None if self.about_same_price else self.cheaper

    @cached_property
    def times_worth_saying(self) -> bool:
        gap = self.gap
        return gap is not None and gap.times is not None and gap.times >= MIN_TIMES

    # --- scores -----------------------------------------------------------------------------

    @cached_property
    def shared_benchmarks(self) -> tuple[ScoreComparison, ...]:
        return tuple(row for row in self.benchmarks if row.shared)

    @cached_property
    def counted_benchmarks(self) -> tuple[ScoreComparison, ...]:
        """Rows with comparable, sourced scores: the only ones that make conclusions."""
        return tuple(row for row in self.benchmarks if row.counts)

    @cached_property
    def deciding_benchmarks(self) -> tuple[ScoreComparison, ...]:
        """Counted rows that may decide a verdict (not saturated)."""
        return tuple(row for row in self.counted_benchmarks if not row.benchmark.saturated)

    def leads(self, side: Side) -> tuple[ScoreComparison, ...]:
        return self._leads[0 if side is Side.A else 1]

    @cached_property
    def _leads(self) -> tuple[tuple[ScoreComparison, ...], tuple[ScoreComparison, ...]]:
        deciding = [row for row in self.benchmarks if row.decides]
        return (
            tuple(row for row in deciding if row.leader is Side.A),
            tuple(row for row in deciding if row.leader is Side.B),
        )

    @cached_property
    def largest_gap(self) -> ScoreComparison | None:
        rows = [row for row in self.benchmarks if row.decides]
        # Ties in size go to the benchmark name, so the answer does not depend on row order.
        return max(
            rows, key=lambda row: (row.gap or Decimal(0), _reverse_name(row.name)), default=None
        )

    # --- specs ------------------------------------------------------------------------------

    @cached_property
    def longer_context(self) -> Side | None:
        """The side whose context window is at least 25% longer; None otherwise."""
        a, b = self.a.context_window, self.b.context_window
        if a is None or b is None:
            return None
        if a >= b * CONTEXT_ADVANTAGE:
            return Side.A
        if b >= a * CONTEXT_ADVANTAGE:
            return Side.B
        return None

    @cached_property
    def class_difference(self) -> ClassDifference | None:
        a, b = self.a, self.b
        if a.parameter_count and b.parameter_count:
            if a.parameter_count >= b.parameter_count * PARAMETER_CLASS_RATIO:
                return ClassDifference(ClassGap.PARAMETERS, Side.A)
            if b.parameter_count >= a.parameter_count * PARAMETER_CLASS_RATIO:
                return ClassDifference(ClassGap.PARAMETERS, Side.B)
        ra, rb = a.capability("reasoning"), b.capability("reasoning")
        if ra is True and rb is False:
            return ClassDifference(ClassGap.REASONING, Side.A)
        if rb is True and ra is False:
            return ClassDifference(ClassGap.REASONING, Side.B)
        for small, big in ((Side.A, Side.B), (Side.B, Side.A)):
            s, g = self.side(small), self.side(big)
            if (
                s.open_weights
                and s.parameter_count is not None
                and s.parameter_count <= SMALL_MODEL_PARAMETERS
                and not g.open_weights
            ):
                return ClassDifference(ClassGap.SMALL_OPEN_VS_PROPRIETARY, big)
        return None

    def available(self, side: Side) -> bool:
        """Not retired, and served by at least one real-time paid host."""
        return not self.lifecycle(side).is_retired and bool(self.price(side).hosts)


def _reverse_name(name: str) -> tuple[int, ...]:
    return tuple(-ord(c) for c in name)


def benchmark_rows(a: ModelSheet, b: ModelSheet) -> tuple[ScoreComparison, ...]:
    """One row per benchmark either model has, in name order, each judged like with like."""
    benchmarks: dict[str, BenchmarkFacts] = {}
    for score in (*a.scores, *b.scores):
        benchmarks.setdefault(score.benchmark_slug, score.benchmark)
    return tuple(
        compare_scores(bench, a.judged_scores.get(slug, ()), b.judged_scores.get(slug, ()))
        for slug, bench in sorted(benchmarks.items(), key=lambda item: item[1].name.lower())
    )


def compare(
    a: ModelSheet,
    b: ModelSheet,
    input_share: int | InputShare = 70,
    *,
    today: datetime.date,
) -> Comparison:
    """Every figure of a pair page on `today`; `input_share` is the percent of input tokens."""
    share = input_share if isinstance(input_share, InputShare) else InputShare(input_share)
    capabilities = tuple(
        CapabilityRow(name, label, a.capability(name), b.capability(name))
        for name, label in CAPABILITY_LABELS
    )
    return Comparison(
        a=a,
        b=b,
        share=share,
        today=today,
        price_a=price_summary(a, share, today),
        price_b=price_summary(b, share, today),
        benchmarks=benchmark_rows(a, b),
        capabilities=capabilities,
    )


__all__ = [
    "BenchmarkRow",
    "CapabilityRow",
    "ClassDifference",
    "ClassGap",
    "Comparison",
    "PriceSummary",
    "ScoreFacts",
    "Side",
    "compare",
    "price_summary",
]
