"""The pair page's figures and generated text, from plain facts (no Django, no database).

`compare()` computes every figure the page states; `narrate()` turns a Comparison into the
summary, verdict, deep dive and FAQ. Each sentence states only what the figures support, so a
reader can redo the arithmetic from the page's own tables.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from comparisons import formatting as fmt
from comparisons.facts import CAPABILITY_LABELS, ModelSheet, OfferingFacts, ScoreFacts
from comparisons.pricing import (
    PriceGap,
    cheapest_batch,
    cheapest_realtime,
    free_tiers,
    offering_blend,
    price_gap,
)

# --- figures --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PriceSummary:
    """One model's prices as the page quotes them."""

    cheapest: OfferingFacts | None
    cheapest_blend: Decimal | None
    batch: OfferingFacts | None
    batch_blend: Decimal | None
    free: tuple[OfferingFacts, ...]
    # Every offering with its blended price: still-listed ones first, cheapest first.
    rows: tuple[tuple[OfferingFacts, Decimal], ...] = ()


@dataclass(frozen=True)
class BenchmarkRow:
    slug: str
    name: str
    a: ScoreFacts | None
    b: ScoreFacts | None
    higher_is_better: bool = True

    @property
    def shared(self) -> bool:
        return self.a is not None and self.b is not None

    @property
    def gap(self) -> Decimal | None:
        """Points between the two scores; None unless both models have one."""
        if self.a is None or self.b is None:
            return None
        return abs(self.a.value - self.b.value)

    @property
    def leader(self) -> str | None:
        """ "a", "b", or None for a tie or a benchmark only one model has."""
        if self.a is None or self.b is None or self.a.value == self.b.value:
            return None
        a_higher = self.a.value > self.b.value
        return "a" if a_higher == self.higher_is_better else "b"


@dataclass(frozen=True)
class CapabilityRow:
    name: str
    label: str
    a: bool | None
    b: bool | None


@dataclass(frozen=True)
class Comparison:
    a: ModelSheet
    b: ModelSheet
    input_share: int  # percent of input tokens in the blend
    price_a: PriceSummary
    price_b: PriceSummary
    benchmarks: tuple[BenchmarkRow, ...]
    capabilities: tuple[CapabilityRow, ...]

    @property
    def sides(self) -> tuple[tuple[ModelSheet, PriceSummary], ...]:
        return ((self.a, self.price_a), (self.b, self.price_b))

    def side(self, key: str) -> ModelSheet:
        return self.a if key == "a" else self.b

    def price(self, key: str) -> PriceSummary:
        return self.price_a if key == "a" else self.price_b

    @property
    def cheaper(self) -> str | None:
        """ "a" or "b" when both have a paid real-time price and they differ."""
        a, b = self.price_a.cheapest_blend, self.price_b.cheapest_blend
        if a is None or b is None or a == b:
            return None
        return "a" if a < b else "b"

    @property
    def prices_equal(self) -> bool:
        a, b = self.price_a.cheapest_blend, self.price_b.cheapest_blend
        return a is not None and a == b

    @property
    def gap(self) -> PriceGap | None:
        cheaper = self.cheaper
        if cheaper is None:
            return None
        dearer = "b" if cheaper == "a" else "a"
        return price_gap(self.price(cheaper).cheapest_blend, self.price(dearer).cheapest_blend)

    @property
    def shared_benchmarks(self) -> tuple[BenchmarkRow, ...]:
        return tuple(row for row in self.benchmarks if row.shared)

    @property
    def largest_gap(self) -> BenchmarkRow | None:
        rows = [row for row in self.shared_benchmarks if row.leader]
        # Ties in size go to the benchmark name, so the answer does not depend on row order.
        return max(rows, key=lambda row: (row.gap, _reverse_name(row.name)), default=None)

    def leads(self, key: str) -> tuple[BenchmarkRow, ...]:
        return tuple(row for row in self.shared_benchmarks if row.leader == key)

    @property
    def longer_context(self) -> str | None:
        a, b = self.a.context_window, self.b.context_window
        if a is None or b is None or a == b:
            return None
        return "a" if a > b else "b"


def _reverse_name(name: str) -> tuple[int, ...]:
    return tuple(-ord(c) for c in name)


def price_summary(sheet: ModelSheet, share: Decimal) -> PriceSummary:
    """A model's cheapest real-time, batch and free offers, and every offering with its blend."""
    cheapest = cheapest_realtime(sheet.offerings, share)
    batch = cheapest_batch(sheet.offerings, share)
    return PriceSummary(
        cheapest=cheapest,
        cheapest_blend=offering_blend(cheapest, share) if cheapest else None,
        batch=batch,
        batch_blend=offering_blend(batch, share) if batch else None,
        free=free_tiers(sheet.offerings),
        rows=tuple(
            sorted(
                ((o, offering_blend(o, share)) for o in sheet.offerings),
                key=lambda row: (not row[0].is_current, row[1], row[0].provider_name),
            )
        ),
    )


def compare(a: ModelSheet, b: ModelSheet, input_share: int = 70) -> Comparison:
    """Every figure of a pair page; `input_share` is the percent of input tokens in the blend."""
    share = Decimal(input_share) / 100
    names: dict[str, tuple[str, bool]] = {}
    for score in (*a.scores, *b.scores):
        names.setdefault(score.benchmark_slug, (score.benchmark_name, score.higher_is_better))
    benchmarks = tuple(
        BenchmarkRow(
            slug=slug,
            name=name,
            a=a.score_on(slug),
            b=b.score_on(slug),
            higher_is_better=higher,
        )
        for slug, (name, higher) in sorted(names.items(), key=lambda item: item[1][0].lower())
    )
    capabilities = tuple(
        CapabilityRow(name, label, a.capability(name), b.capability(name))
        for name, label in CAPABILITY_LABELS
    )
    return Comparison(
        a=a,
        b=b,
        input_share=input_share,
        price_a=price_summary(a, share),
        price_b=price_summary(b, share),
        benchmarks=benchmarks,
        capabilities=capabilities,
    )


# --- text -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Narrative:
    title: str
    description: str
    summary: str
    verdict: str
    deep_dive: tuple[str, ...]
    choose: tuple[str, str]
    faq: tuple[tuple[str, str], ...]
    benchmark_rows: tuple[tuple[BenchmarkRow, str], ...]


def describe(sheet: ModelSheet) -> str:
    """E.g. "an open-weights model from Meta, released 2024-09-25": only what the data says."""
    weights = "an open-weights" if sheet.open_weights else "a proprietary"
    kind = "reasoning model" if sheet.capability("reasoning") else "model"
    released = (
        f"released {fmt.day(sheet.released_on)}"
        if sheet.released_on
        else "release date not yet sourced"
    )
    return f"{weights} {kind} from {sheet.organization_name}, {released}"


def _context(sheet: ModelSheet) -> str:
    if sheet.context_window is None:
        return "a context window not yet sourced"
    return f"a {fmt.tokens(sheet.context_window)}-token context window"


def _rate(offering: OfferingFacts) -> str:
    return (
        f"{fmt.usd(offering.input_usd_per_mtok)}/1M input and "
        f"{fmt.usd(offering.output_usd_per_mtok)}/1M output tokens"
    )


def price_sentence(sheet: ModelSheet, price: PriceSummary) -> str:
    """Where a model is cheapest, with the batch and free-tier offers named on their own."""
    parts = []
    if price.cheapest:
        parts.append(
            f"{sheet.name} costs {_rate(price.cheapest)} on its cheapest tracked provider, "
            f"{price.cheapest.provider_name}"
        )
    else:
        parts.append(f"{sheet.name} has no paid real-time price tracked yet")
    if price.batch and (price.cheapest_blend is None or price.batch_blend < price.cheapest_blend):
        parts.append(f"via {price.batch.provider_name}: {_rate(price.batch)}")
    if price.free:
        names = fmt.human_list([o.provider_name for o in price.free])
        parts.append(f"a free tier is offered on {names}")
    return "; ".join(parts) + "."


def cost_comparison(c: Comparison) -> str:
    """The "X% less / N× as much" sentence, or why there is none."""
    share = fmt.share(c.input_share)
    a_blend, b_blend = c.price_a.cheapest_blend, c.price_b.cheapest_blend
    if a_blend is None and b_blend is None:
        return (
            "Neither model has a paid real-time price tracked yet, so their cost is not compared."
        )
    if a_blend is None or b_blend is None:
        missing = c.a if a_blend is None else c.b
        return f"{missing.name} has no paid real-time price tracked yet, so cost is not compared."
    if c.prices_equal:
        return (
            f"At a {share} input/output blend both cost {fmt.usd(a_blend)} per million "
            "blended tokens on their cheapest tracked providers."
        )
    cheaper = c.side(c.cheaper)
    dearer = c.b if c.cheaper == "a" else c.a
    low = c.price(c.cheaper).cheapest_blend
    high = c.price("b" if c.cheaper == "a" else "a").cheapest_blend
    gap = c.gap
    sentence = (
        f"At a {share} input/output blend, {cheaper.name} costs {fmt.usd(low)} and "
        f"{dearer.name} {fmt.usd(high)} per million blended tokens: {cheaper.name} costs "
        f"{fmt.percent_less(gap.percent_less)} less"
    )
    if gap.times is not None:
        sentence += f", and {dearer.name} costs {fmt.times(gap.times)} as much"
    return sentence + "."


def _benchmark_clause(row: BenchmarkRow, c: Comparison) -> str:
    a_value, b_value = fmt.score(row.a.value), fmt.score(row.b.value)
    head = f"on {row.name} {c.a.name} scores {a_value} and {c.b.name} {b_value}"
    if row.leader is None:
        return f"{head}, a tie"
    return f"{head}, {c.side(row.leader).name} ahead by {fmt.points(row.gap)}"


def benchmark_paragraph(c: Comparison) -> str:
    shared = c.shared_benchmarks
    one_sided = [row for row in c.benchmarks if not row.shared]
    sentences = []
    if shared:
        clauses = "; ".join(_benchmark_clause(row, c) for row in shared)
        count = "one benchmark" if len(shared) == 1 else f"{len(shared)} benchmarks"
        sentences.append(f"Both models have scores on {count}: {clauses}.")
        largest = c.largest_gap
        if largest:
            sentences.append(
                f"The largest gap is {fmt.points(largest.gap)} on {largest.name}, "
                f"in favour of {c.side(largest.leader).name}."
            )
        if any(row.a.by_maker or row.b.by_maker for row in shared):
            sentences.append(
                "Some of these scores are reported by the models' makers, not measured "
                "independently; the table labels them."
            )
    else:
        sentences.append("The two models have no benchmark in common here, so none is compared.")
    if one_sided:
        only = [f"{row.name} ({(c.a if row.a else c.b).name} only)" for row in one_sided]
        sentences.append(
            f"Scores only one model has are shown but not compared: {fmt.human_list(only)}."
        )
    return " ".join(sentences)


def capability_sentences(c: Comparison) -> list[str]:
    differences, shared, neither, unknown = [], [], [], []
    for row in c.capabilities:
        if row.a is True and row.b is True:
            shared.append(row.label)
        elif row.a is False and row.b is False:
            neither.append(row.label)
        elif row.a is None and row.b is None:
            unknown.append(row.label)
        elif row.a is True or row.b is True:
            has, other = (c.a, c.b) if row.a is True else (c.b, c.a)
            other_value = row.b if row.a is True else row.a
            if other_value is False:
                differences.append(f"{row.label}: {has.name} has it, {other.name} does not")
            else:
                differences.append(
                    f"{row.label}: {has.name} has it; for {other.name} it is not yet sourced"
                )
        else:
            # One "no" and one unknown: nothing to set them apart yet.
            lacks, other = (c.a, c.b) if row.a is False else (c.b, c.a)
            differences.append(
                f"{row.label}: {lacks.name} does not have it; "
                f"for {other.name} it is not yet sourced"
            )
    sentences = []
    if differences:
        sentences.append(f"The capabilities differ on {'; '.join(differences)}.")
    else:
        sentences.append("No capability is recorded for one model and not the other.")
    if shared:
        sentences.append(f"Both support {fmt.human_list(shared)}.")
    if neither:
        sentences.append(f"Neither supports {fmt.human_list(neither)}.")
    if unknown:
        sentences.append(f"Not yet sourced for either: {fmt.human_list(unknown)}.")
    return sentences


def _provider_count(sheet: ModelSheet) -> int:
    return len(sheet.provider_names)


def availability_sentence(c: Comparison) -> str:
    counts = []
    for sheet in (c.a, c.b):
        count = _provider_count(sheet)
        if count:
            noun = "provider" if count == 1 else "providers"
            counts.append(
                f"{sheet.name} on {count} {noun} ({fmt.human_list(sheet.provider_names)})"
            )
        else:
            counts.append(f"{sheet.name} on no tracked provider")
    return f"Tracked availability: {counts[0]}; {counts[1]}."


def advantages(c: Comparison, key: str) -> list[str]:
    """What the data shows in favour of one side: price, context, weights, capabilities, leads."""
    other = "b" if key == "a" else "a"
    me, them = c.side(key), c.side(other)
    found = []
    if c.cheaper == key:
        found.append(f"a lower price ({fmt.percent_less(c.gap.percent_less)} less at the blend)")
    if c.longer_context == key:
        found.append(
            f"a longer context window ({fmt.tokens(me.context_window)} vs "
            f"{fmt.tokens(them.context_window)} tokens)"
        )
    if me.open_weights and not them.open_weights:
        found.append("open weights you can host yourself")
    caps = [
        row.label
        for row in c.capabilities
        if getattr(row, key) is True and getattr(row, other) is False
    ]
    if caps:
        found.append(f"support for {fmt.human_list(caps)}")
    leads = c.leads(key)
    if leads:
        found.append(f"higher scores on {fmt.human_list([row.name for row in leads])}")
    if _provider_count(me) > _provider_count(them):
        found.append(f"more providers ({_provider_count(me)} vs {_provider_count(them)})")
    return found


def choose_sentence(c: Comparison, key: str) -> str:
    sheet = c.side(key)
    found = advantages(c, key)
    if not found:
        return f"The data on this page shows no advantage for {sheet.name}."
    return f"Choose {sheet.name} when you need {'; '.join(found)}."


def verdict(c: Comparison) -> str:
    parts = []
    if c.cheaper:
        cheaper = c.side(c.cheaper)
        parts.append(
            f"{cheaper.name} costs {fmt.percent_less(c.gap.percent_less)} less at a "
            f"{fmt.share(c.input_share)} blend"
        )
    elif c.prices_equal:
        parts.append("they cost the same at the cheapest tracked providers")
    leads_a, leads_b = c.leads("a"), c.leads("b")
    total = len(c.shared_benchmarks)
    if total:
        for key, leads in (("a", leads_a), ("b", leads_b)):
            if leads and len(leads) == total:
                every = {1: "the shared benchmark", 2: "both shared benchmarks"}.get(
                    total, f"all {total} shared benchmarks"
                )
                parts.append(f"{c.side(key).name} scores higher on {every}")
                break
        else:
            parts.append(
                f"{c.a.name} leads on {len(leads_a)} and {c.b.name} on {len(leads_b)} of "
                f"{total} shared benchmarks"
            )
    if c.longer_context:
        parts.append(f"{c.side(c.longer_context).name} has the longer context window")
    if not parts:
        return (
            "The catalog does not yet hold enough shared data to set these two apart; "
            "see the tables below."
        )
    text = "; ".join(parts) + "."
    return text[0].upper() + text[1:]


def faq(c: Comparison) -> tuple[tuple[str, str], ...]:
    a, b = c.a, c.b
    items: list[tuple[str, str]] = []
    if c.price_a.cheapest and c.price_b.cheapest:
        answer = (
            cost_comparison(c)
            + " "
            + " ".join(price_sentence(sheet, c.price(key)) for key, sheet in (("a", a), ("b", b)))
        )
        items.append((f"Which is cheaper, {a.name} or {b.name}?", answer))

    def weights(sheet: ModelSheet) -> str:
        if sheet.open_weights:
            license = f"license: {sheet.license}" if sheet.license else "license not yet sourced"
            return f"{sheet.name} has open weights ({license}), so it can be self-hosted."
        return f"{sheet.name} is proprietary: its weights are not published."

    items.append(
        (
            f"Is {a.name} or {b.name} open source?",
            f"{weights(a)} {weights(b)} Check the license terms before deploying.",
        )
    )
    for row in c.capabilities:
        if row.name not in ("vision", "reasoning") or (row.a is None and row.b is None):
            continue
        items.append(
            (
                f"Which supports {row.label}, {a.name} or {b.name}?",
                _capability_answer(row, c),
            )
        )
    if c.a.context_window and c.b.context_window:
        if c.longer_context:
            longer = c.side(c.longer_context)
            shorter = c.b if c.longer_context == "a" else c.a
            answer = (
                f"{longer.name} has the longer context window: {fmt.tokens(longer.context_window)} "
                f"tokens against {fmt.tokens(shorter.context_window)} for {shorter.name}."
            )
        else:
            answer = f"Both have a {fmt.tokens(a.context_window)}-token context window."
        items.append((f"Which has the longer context window, {a.name} or {b.name}?", answer))
    if a.provider_names or b.provider_names:
        items.append(
            (
                f"Where can I run {a.name} and {b.name}?",
                " ".join(_where(sheet) for sheet in (a, b)),
            )
        )
    for row in c.shared_benchmarks:
        items.append(
            (f"Which scores higher on {row.name}, {a.name} or {b.name}?", _score_answer(row, c))
        )
    return tuple(items)


def _capability_answer(row: CapabilityRow, c: Comparison) -> str:
    def state(sheet: ModelSheet, value: bool | None) -> str:
        if value is None:
            return f"for {sheet.name} {row.label} is not yet sourced"
        return f"{sheet.name} {'supports' if value else 'does not support'} {row.label}"

    if row.a is True and row.b is True:
        return f"Both support {row.label}."
    if row.a is False and row.b is False:
        return f"Neither supports {row.label}."
    first = state(c.a, row.a)
    return f"{first[0].upper()}{first[1:]}; {state(c.b, row.b)}."


def _where(sheet: ModelSheet) -> str:
    if not sheet.provider_names:
        return f"{sheet.name} is not listed by any tracked provider."
    return f"{sheet.name} is available on {fmt.human_list(sheet.provider_names)}."


def _score_answer(row: BenchmarkRow, c: Comparison) -> str:
    text = (
        f"{c.a.name} scores {fmt.score(row.a.value)} and {c.b.name} {fmt.score(row.b.value)} "
        f"on {row.name}"
    )
    if row.leader is None:
        return text + ": a tie."
    return f"{text}, so {c.side(row.leader).name} leads by {fmt.points(row.gap)}."


def lead_label(row: BenchmarkRow, c: Comparison) -> str:
    if not row.shared:
        return "not compared: one model only"
    if row.leader is None:
        return "tie"
    return f"{c.side(row.leader).name} by {fmt.points(row.gap)}"


def review_line(
    sheets: Sequence[ModelSheet], today: datetime.date, stale_after_days: int
) -> tuple[str, bool]:
    """The "Last reviewed" line for the models on a page (the oldest review counts), and
    whether it warns that the data may be out of date."""
    never = [s.name for s in sheets if s.last_reviewed_on is None]
    if never:
        names = fmt.human_list(never)
        verb = "has" if len(never) == 1 else "have"
        return (f"{names} {verb} never been reviewed; the data may be out of date.", True)
    oldest = min(s.last_reviewed_on for s in sheets)
    age = (today - oldest).days
    if age > stale_after_days:
        return (
            f"Last reviewed {fmt.day(oldest)}, {age} days ago: the data may be out of date.",
            True,
        )
    return (f"Last reviewed {fmt.day(oldest)}.", False)


def narrate(c: Comparison) -> Narrative:
    a, b = c.a, c.b
    title = f"{a.name} vs {b.name}"
    summary = " ".join(
        [
            f"{a.name} is {describe(a)}; {b.name} is {describe(b)}.",
            f"{a.name} has {_context(a)} and {b.name} {_context(b)}.",
            cost_comparison(c),
        ]
    )
    deep_dive = (
        benchmark_paragraph(c),
        " ".join(capability_sentences(c)),
        " ".join(
            [
                price_sentence(a, c.price_a),
                price_sentence(b, c.price_b),
                cost_comparison(c)
                if c.price_a.cheapest and c.price_b.cheapest
                else "So their cost is not compared.",
                availability_sentence(c),
            ]
        ),
    )
    choose = (choose_sentence(c, "a"), choose_sentence(c, "b"))
    the_verdict = verdict(c)
    description = (
        f"{title}: specs, prices per provider, capabilities and benchmark scores. {the_verdict}"
    )
    return Narrative(
        title=title,
        description=description,
        summary=summary,
        verdict=the_verdict,
        deep_dive=deep_dive,
        choose=choose,
        faq=faq(c),
        benchmark_rows=tuple((row, lead_label(row, c)) for row in c.benchmarks),
    )
