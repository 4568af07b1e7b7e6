"""The pair page's prose, from a Comparison (comparisons/figures.py). Pure: no Django.

Every sentence states only what the figures support, so a reader can redo the arithmetic from
the page's own tables. Rules of the prose:
- conclusions (verdict, "Choose", FAQ answers) use only comparable, sourced scores;
- a retired model is never recommended;
- each fact once per section; a model's full name at its first mention in a section and its
  short name after; a name is never re-cased (no sentence starts by upper-casing a name);
- no nested parentheses; complete sentences.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from comparisons import formatting as fmt
from comparisons.facts import ModelRef, ModelSheet
from comparisons.figures import (
    ClassGap,
    Comparison,
    PriceSummary,
    compare,
    price_summary,
)
from comparisons.scores import ScoreComparison, Side, TaskSummary, by_task
from models_catalog.vocabulary import pair_slug

__all__ = [
    "Narrative",
    "Notice",
    "compare",
    "narrate",
    "price_summary",
    "review_line",
]

NON_COMMERCIAL_MARKERS = ("non-commercial", "noncommercial", "-nc", " nc", "research")


class Names:
    """The full name at a model's first mention in a section, its short name after.

    When the two short names would read alike, full names are used throughout.
    """

    def __init__(self, c: Comparison) -> None:
        self._seen: set[str] = set()
        short_a, short_b = c.a.display_short_name, c.b.display_short_name
        self._short_ok = short_a.lower() != short_b.lower()

    def __call__(self, sheet: ModelSheet) -> str:
        if sheet.slug in self._seen and self._short_ok:
            return sheet.display_short_name
        self._seen.add(sheet.slug)
        return sheet.name


@dataclass(frozen=True)
class Notice:
    """A lifecycle notice at the top of a page: the text, and where to go instead."""

    slug: str
    text: str
    successor: ModelRef | None = None
    # The pair page of the other model of this pair with the successor ("" when none).
    successor_pair: str = ""


@dataclass(frozen=True)
class Narrative:
    title: str
    description: str
    summary: str
    verdict: str
    deep_dive: tuple[str, ...]
    choose: tuple[str, ...]
    faq: tuple[tuple[str, str], ...]
    benchmark_rows: tuple[tuple[ScoreComparison, str], ...]
    notices: tuple[Notice, ...] = ()


# --- the models ----------------------------------------------------------------------------


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


def lifecycle_sentence(sheet: ModelSheet, today: datetime.date, name: str) -> str:
    """ "X was retired on D." / "X is deprecated and will be retired on D." / "" when active."""
    status = sheet.lifecycle(today)
    if status.is_retired and status.retired_on:
        return f"{name} was retired on {fmt.day(status.retired_on)}."
    if status.is_deprecated:
        if status.retires_on:
            return f"{name} is deprecated and will be retired on {fmt.day(status.retires_on)}."
        return f"{name} is deprecated; no retirement date is announced."
    return ""


def notices(c: Comparison) -> tuple[Notice, ...]:
    found = []
    for side in (Side.A, Side.B):
        sheet = c.side(side)
        text = lifecycle_sentence(sheet, c.today, sheet.name)
        if not text:
            continue
        other = c.side(side.other)
        successor = sheet.successor
        pair = ""
        if successor is not None:
            text += f" Its maker names {successor.name} as its successor."
            if successor.slug != other.slug:
                pair = pair_slug(other.slug, successor.slug)
        found.append(Notice(sheet.slug, text, successor, pair))
    return tuple(found)


def class_sentence(c: Comparison) -> str:
    """One sentence when the two are different classes of model, from the data; else ""."""
    diff = c.class_difference
    if diff is None:
        return ""
    big, small = c.side(diff.bigger), c.side(diff.bigger.other)
    if diff.kind is ClassGap.PARAMETERS and big.parameter_count and small.parameter_count:
        ratio = fmt.times(Decimal(big.parameter_count) / Decimal(small.parameter_count))
        return (
            f"They are different classes of model: {big.display_short_name} has "
            f"{fmt.parameters(big.parameter_count)} parameters, {ratio} the "
            f"{fmt.parameters(small.parameter_count)} of {small.display_short_name}."
        )
    if diff.kind is ClassGap.REASONING:
        return (
            f"They are different classes of model: {big.display_short_name} has a reasoning "
            f"mode and {small.display_short_name} does not."
        )
    size = (
        f"{fmt.parameters(big.parameter_count)} parameters"
        if big.parameter_count
        else "a size its maker does not publish"
    )
    return (
        f"They are different classes of model: {small.display_short_name} is a small "
        f"open-weights model with {fmt.parameters(small.parameter_count)} parameters, and "
        f"{big.display_short_name} a proprietary model with {size}."
    )


def summary(c: Comparison) -> str:
    names = Names(c)
    a, b = c.a, c.b
    parts = [f"{names(a)} is {describe(a)}; {names(b)} is {describe(b)}."]
    cls = class_sentence(c)
    if cls:
        parts.append(cls)
    parts.append(_context_sentence(c, names))
    return " ".join(parts)


def _context_sentence(c: Comparison, names: Names) -> str:
    a, b = c.a, c.b
    ca, cb = a.context_window, b.context_window
    if ca is None and cb is None:
        return "Neither model's context window is sourced yet."
    if ca is None or cb is None:
        known, unknown = (a, b) if ca is not None else (b, a)
        return (
            f"{names(known)} has a {fmt.tokens(known.context_window)}-token context window; "
            f"for {names(unknown)} it is not yet sourced."
        )
    if fmt.tokens(ca) == fmt.tokens(cb):
        return f"Both have a {fmt.tokens(ca)}-token context window."
    return (
        f"{names(a)} has a {fmt.tokens(ca)}-token context window and {names(b)} {fmt.tokens(cb)}."
    )


# --- price --------------------------------------------------------------------------------


def _rate(price: PriceSummary) -> str:
    offering = price.cheapest
    if offering is None:
        return ""
    return (
        f"{fmt.usd(offering.input_usd_per_mtok)}/1M input and "
        f"{fmt.usd(offering.output_usd_per_mtok)}/1M output tokens"
    )


def price_sentence(sheet: ModelSheet, price: PriceSummary, name: str, today: datetime.date) -> str:
    """Where a model is cheapest, with ties, a smaller context there, batch and free tiers."""
    if sheet.lifecycle(today).is_retired:
        return f"{name} is retired, so no price is quoted and no provider is counted."
    headline = price.headline
    if headline is None:
        return _no_price(name, price) + "."
    text = f"{name} costs {_rate(price)} at {headline.offering.provider_name}"
    if headline.same_price_on:
        text += f", the same price as on {fmt.human_list(list(headline.same_price_on))}"
    text += "."
    if price.headline_context:
        text += (
            f" {headline.offering.provider_name} serves up to "
            f"{fmt.tokens(price.headline_context)} tokens of context."
        )
    if price.batch and price.batch_blend is not None and price.batch_blend < headline.blend:
        batch = price.batch
        text += (
            f" Through {batch.provider_name} it costs {fmt.usd(batch.input_usd_per_mtok)}/1M "
            f"input and {fmt.usd(batch.output_usd_per_mtok)}/1M output tokens."
        )
    if price.free:
        text += (
            f" A free tier is offered on {fmt.human_list([o.provider_name for o in price.free])}."
        )
    return text


def _no_price(name: str, price: PriceSummary) -> str:
    """Why a model has no headline price (no full stop)."""
    if price.hosts:
        return f"{name} has tracked prices only from sources that do not show them"
    return f"{name} has no paid real-time price tracked yet"


def cost_comparison(c: Comparison, names: Names | None = None) -> str:
    """The "X% less / N× as much" sentence, "about the same price", or why there is none."""
    names = names or Names(c)
    share = c.share.label
    for side in (Side.A, Side.B):
        if c.lifecycle(side).is_retired:
            return f"{names(c.side(side))} is retired, so the two are not compared on price."
    a_blend, b_blend = c.price_a.cheapest_blend, c.price_b.cheapest_blend
    if a_blend is None and b_blend is None:
        return "Neither model has a paid real-time price tracked yet, so cost is not compared."
    if a_blend is None or b_blend is None:
        side = Side.A if a_blend is None else Side.B
        return f"{_no_price(names(c.side(side)), c.price(side))}, so cost is not compared."
    if c.about_same_price:
        return (
            f"At a {share} input/output blend they cost about the same: "
            f"{fmt.usd(a_blend)} for {names(c.a)} and {fmt.usd(b_blend)} for {names(c.b)} "
            "per million blended tokens."
        )
    cheaper, gap = c.cheaper, c.gap
    assert cheaper is not None and gap is not None
    side = cheaper
    cheap, dear = c.side(side), c.side(side.other)
    low, high = c.price(side).cheapest_blend, c.price(side.other).cheapest_blend
    cheap_first = names(cheap)
    dear_first = names(dear)
    sentence = (
        f"At a {share} input/output blend, {cheap_first} costs {fmt.usd(low)} and "
        f"{dear_first} {fmt.usd(high)} per million blended tokens, so {names(cheap)} costs "
        f"{fmt.percent_less(gap.percent_less)} less"
    )
    if c.times_worth_saying and gap.times is not None:
        sentence += f" and {names(dear)} costs {fmt.times(gap.times)} as much"
    return sentence + "."


def availability_sentence(c: Comparison, names: Names) -> str:
    """Real-time hosts of each model not retired ("" when both are: the price sentences say so)."""
    parts = []
    for sheet, price in c.sides:
        if sheet.lifecycle(c.today).is_retired:
            continue
        hosts = price.hosts
        if hosts:
            noun = "provider" if len(hosts) == 1 else "providers"
            parts.append(
                f"{names(sheet)} is served in real time by {len(hosts)} tracked {noun}: "
                f"{fmt.human_list(list(hosts))}"
            )
        else:
            parts.append(f"{names(sheet)} is served in real time by no tracked provider")
    return "; ".join(parts) + "." if parts else ""


# --- benchmarks ---------------------------------------------------------------------------


def _row_clause(row: ScoreComparison, c: Comparison, names: Names) -> str:
    a, b = row.a, row.b
    assert a is not None and b is not None
    head = (
        f"on {row.name}, {names(c.a)} scores {fmt.score(a.value)} and "
        f"{names(c.b)} {fmt.score(b.value)}"
    )
    if row.about_even:
        return f"{head}, about even"
    if row.leader is None:
        return f"{head}, a tie"
    lead = f"{head}, {names(c.side(row.leader))} ahead by {fmt.points(row.gap or Decimal(0))}"
    if row.benchmark.saturated:
        lead += ", on a benchmark near its ceiling that decides nothing"
    return lead


def benchmark_paragraph(c: Comparison) -> str:
    names = Names(c)
    counted = c.counted_benchmarks
    sentences = []
    if counted:
        count = "one benchmark" if len(counted) == 1 else f"{len(counted)} benchmarks"
        clauses = "; ".join(_row_clause(row, c, names) for row in counted)
        sentences.append(f"Both models have comparable, sourced scores on {count}: {clauses}.")
        largest = c.largest_gap
        if largest is not None and len(c.leads(Side.A)) + len(c.leads(Side.B)) > 1:
            assert largest.leader is not None
            sentences.append(
                f"The largest gap is {fmt.points(largest.gap or Decimal(0))} on {largest.name}, "
                f"in favour of {names(c.side(largest.leader))}."
            )
        if any(row.a and row.b and (row.a.by_maker or row.b.by_maker) for row in counted):
            sentences.append(
                "Some of these scores are reported by the models' makers rather than measured "
                "independently; the table labels each score's source."
            )
    else:
        sentences.append(
            "No benchmark has comparable, sourced scores for both models, so none is compared."
        )
    marked = [row for row in c.shared_benchmarks if not row.counts]
    if marked:
        items = [f"{row.name}, {row.mark}" for row in marked]
        sentences.append(f"Shown but not counted: {'; '.join(items)}.")
    one_sided = [row for row in c.benchmarks if not row.shared]
    if one_sided:
        only = [
            f"{row.name} for {(c.a if row.a else c.b).display_short_name} only" for row in one_sided
        ]
        sentences.append(
            f"Scores only one model has are shown but not compared: {fmt.human_list(only)}."
        )
    return " ".join(sentences)


def lead_label(row: ScoreComparison, c: Comparison) -> str:
    """The table's "Lead" cell."""
    if row.mark:
        return row.mark
    if row.about_even:
        return f"about even, under {fmt.points(row.benchmark.noise_threshold)}"
    if row.leader is None:
        return "tie"
    text = f"{c.side(row.leader).display_short_name} by {fmt.points(row.gap or Decimal(0))}"
    if row.benchmark.saturated:
        text += "; saturated, not counted in the verdict"
    return text


# --- capabilities ------------------------------------------------------------------------


def capability_sentences(c: Comparison) -> list[str]:
    names = Names(c)
    only: dict[Side, list[str]] = {Side.A: [], Side.B: []}
    unknown_for: dict[Side, list[str]] = {Side.A: [], Side.B: []}
    shared, neither, unknown = [], [], []
    for row in c.capabilities:
        if row.a is True and row.b is True:
            shared.append(row.label)
        elif row.a is False and row.b is False:
            neither.append(row.label)
        elif row.a is None and row.b is None:
            unknown.append(row.label)
        elif row.a is True and row.b is False:
            only[Side.A].append(row.label)
        elif row.b is True and row.a is False:
            only[Side.B].append(row.label)
        else:
            side = Side.A if row.a is None else Side.B
            unknown_for[side].append(row.label)
    sentences = []
    for side in (Side.A, Side.B):
        if only[side]:
            sentences.append(f"Only {names(c.side(side))} supports {fmt.human_list(only[side])}.")
    if shared:
        sentences.append(f"Both support {fmt.human_list(shared)}.")
    if neither:
        sentences.append(f"Neither supports {fmt.human_list(neither, 'or')}.")
    for side in (Side.A, Side.B):
        if unknown_for[side]:
            sentences.append(
                f"For {names(c.side(side))}, support for "
                f"{fmt.human_list(unknown_for[side], 'or')} is not yet sourced."
            )
    if unknown:
        sentences.append(
            f"For both, support for {fmt.human_list(unknown, 'or')} is not yet sourced."
        )
    return sentences


# --- conclusions --------------------------------------------------------------------------


def advantages(c: Comparison, side: Side) -> list[str]:
    """What the data shows in favour of one side, as noun phrases without inner lists of
    clauses: price, context, weights, capabilities, benchmark leads, hosts."""
    other = side.other
    me, them = c.side(side), c.side(other)
    found = []
    gap = c.gap
    if c.clearly_cheaper is side and gap is not None:
        found.append(
            f"a lower price, {fmt.percent_less(gap.percent_less)} less at a {c.share.label} blend"
        )
    if c.longer_context is side:
        found.append(
            f"a longer context window of {fmt.tokens(me.context_window)} tokens against "
            f"{fmt.tokens(them.context_window)}"
        )
    if me.open_weights and not them.open_weights:
        found.append("open weights you can host yourself")
    caps = [
        row.label for row in c.capabilities if row.value(side) is True and row.value(other) is False
    ]
    if caps:
        found.append(f"support for {fmt.human_list(caps)}")
    leads = c.leads(side)
    if leads:
        found.append(f"higher scores on {fmt.human_list([row.name for row in leads])}")
    mine, theirs = len(c.price(side).hosts), len(c.price(other).hosts)
    # One host more is no reason to choose a model; half as many again, and two more, is.
    if mine >= theirs * 1.5 and mine - theirs >= 2 and not c.lifecycle(other).is_retired:
        found.append(f"more real-time providers, {mine} against {theirs}")
    return found


def choose_sentence(c: Comparison, side: Side) -> str:
    sheet = c.side(side)
    status = c.lifecycle(side)
    if status.is_retired:
        text = f"{sheet.name} is retired and is not recommended."
        if sheet.successor:
            text += f" Its maker recommends {sheet.successor.name} instead."
        return text
    found = advantages(c, side)
    if not found:
        return f"The data on this page shows no advantage for {sheet.name}."
    if len(found) == 1:
        return f"Choose {sheet.name} if you need {found[0]}."
    return f"Choose {sheet.name} if you need {'; '.join(found[:-1])}; or {found[-1]}."


def verdict(c: Comparison) -> str:
    names = Names(c)
    sentences = []
    retired = [side for side in (Side.A, Side.B) if c.lifecycle(side).is_retired]
    for side in retired:
        sentences.append(lifecycle_sentence(c.side(side), c.today, names(c.side(side))))
    if len(retired) == 1:
        live = c.side(retired[0].other)
        sentences.append(f"Of the two, only {names(live)} can still be used.")
    if not retired and c.both_priced:
        if c.about_same_price:
            sentences.append(f"They cost about the same at a {c.share.label} blend.")
        elif c.cheaper is not None and c.gap is not None:
            sentences.append(
                f"{names(c.side(c.cheaper))} costs {fmt.percent_less(c.gap.percent_less)} less "
                f"at a {c.share.label} blend."
            )
    deciding = c.deciding_benchmarks
    if deciding:
        leads_a, leads_b = c.leads(Side.A), c.leads(Side.B)
        even = len(deciding) - len(leads_a) - len(leads_b)
        total = len(deciding)
        # Benchmarks near their ceiling are compared in the deep dive but decide nothing here:
        # say so, or the two counts of "comparable, sourced" benchmarks disagree.
        what = "with comparable, sourced scores"
        if total != len(c.counted_benchmarks):
            what += " not near their ceiling"
        scope = {
            1: f"the one benchmark {what}",
            2: f"both benchmarks {what}",
        }.get(total, f"all {total} benchmarks {what}")
        if len(leads_a) == total:
            sentences.append(f"{names(c.a)} scores higher on {scope}.")
        elif len(leads_b) == total:
            sentences.append(f"{names(c.b)} scores higher on {scope}.")
        elif even == total:
            where = ("the one benchmark" if total == 1 else f"the {total} benchmarks") + f" {what}"
            sentences.append(f"Their scores are about even on {where}.")
        else:
            parts = [
                f"{names(c.side(side))} leads on {len(leads)}"
                for side, leads in ((Side.A, leads_a), (Side.B, leads_b))
                if leads
            ]
            if even:
                parts.append(f"{even} {'is' if even == 1 else 'are'} about even")
            sentences.append(f"On the {total} benchmarks {what}, {fmt.human_list(parts)}.")
    if c.longer_context is not None:
        sentences.append(f"{names(c.side(c.longer_context))} has the longer context window.")
    if not sentences:
        return (
            "The catalog does not yet hold enough comparable data to set these two apart; "
            "see the tables below."
        )
    return " ".join(sentences)


# --- FAQ ------------------------------------------------------------------------------------


def _task_answer(task: TaskSummary, c: Comparison) -> str:
    names = Names(c)
    parts = []
    for row in task.counted:
        a, b = row.a, row.b
        assert a is not None and b is not None
        ceiling = ", near its ceiling," if row.benchmark.saturated else ","
        parts.append(
            f"on {row.name}{ceiling} {names(c.a)} scores {fmt.score(a.value)} and {names(c.b)} "
            f"{fmt.score(b.value)}"
        )
    facts = "; ".join(parts)
    leader = task.leader
    if leader is not None:
        ahead = len(task.leads(leader))
        deciding = len([row for row in task.counted if not row.benchmark.saturated])
        scope = {1: "the one", 2: "both"}.get(deciding, f"all {deciding}")
        if ahead < deciding:
            scope = f"{ahead} of the {deciding}"
        noun = "benchmark" if deciding == 1 else "benchmarks"
        head = (
            f"{names(c.side(leader))} scores higher on {scope} {task.words} {noun} with "
            "comparable, sourced scores"
        )
        if deciding < len(task.counted):
            head += " that " + ("is" if deciding == 1 else "are") + " not near the ceiling"
        return f"{head}: {facts}."
    if all(row.about_even for row in task.counted if not row.benchmark.saturated):
        return (
            f"They score about the same on {task.words} benchmarks with comparable, sourced "
            f"scores: {facts}."
        )
    return (
        f"Neither leads clearly on {task.words} benchmarks with comparable, sourced scores: "
        f"{facts}."
    )


def _self_host(sheet: ModelSheet) -> str:
    if not sheet.open_weights:
        return (
            f"{sheet.name} is proprietary: its weights are not published, so it runs only "
            "through hosted APIs."
        )
    if not sheet.license:
        return f"{sheet.name} has open weights; its license is not yet sourced."
    lowered = f" {sheet.license.lower()}"
    if any(marker in lowered for marker in NON_COMMERCIAL_MARKERS):
        return (
            f"{sheet.name} has open weights under {sheet.license}, which does not allow "
            "commercial use."
        )
    return f"{sheet.name} has open weights under {sheet.license}, so you can host it yourself."


def _availability_answer(sheet: ModelSheet, c: Comparison, side: Side) -> str:
    status = c.lifecycle(side)
    if status.is_retired and status.retired_on:
        text = f"No. {sheet.name} was retired on {fmt.day(status.retired_on)}."
    elif status.retires_on:
        text = (
            f"For now. {sheet.name} is deprecated and will be retired on "
            f"{fmt.day(status.retires_on)}."
        )
    else:
        text = f"For now. {sheet.name} is deprecated; no retirement date is announced."
    if sheet.successor:
        text += f" Its maker names {sheet.successor.name} as its successor."
    return text


def faq(c: Comparison) -> tuple[tuple[str, str], ...]:
    a, b = c.a, c.b
    items: list[tuple[str, str]] = []
    for task in by_task(c.benchmarks):
        if all(row.benchmark.saturated for row in task.counted):
            # Only benchmarks near their ceiling: they cannot answer "which is better".
            continue
        items.append(
            (f"Which is better for {task.words}, {a.name} or {b.name}?", _task_answer(task, c))
        )
    if c.both_priced and not any(c.lifecycle(s).is_retired for s in (Side.A, Side.B)):
        names = Names(c)
        answer = " ".join(
            [
                cost_comparison(c, names),
                *(price_sentence(sheet, price, names(sheet), c.today) for sheet, price in c.sides),
            ]
        )
        items.append((f"Which is cheaper, {a.name} or {b.name}?", answer))
    if c.longer_context is not None:
        longer, shorter = c.side(c.longer_context), c.side(c.longer_context.other)
        items.append(
            (
                f"Which has the longer context window, {a.name} or {b.name}?",
                f"{longer.name} has the longer context window: "
                f"{fmt.tokens(longer.context_window)} tokens against "
                f"{fmt.tokens(shorter.context_window)} for {shorter.name}.",
            )
        )
    if a.open_weights or b.open_weights:
        names_q = fmt.human_list([s.name for s in (a, b) if s.open_weights], "or")
        items.append(
            (
                f"Can I self-host {names_q}?",
                " ".join(_self_host(s) for s in sorted((a, b), key=lambda s: not s.open_weights)),
            )
        )
    for side in (Side.A, Side.B):
        sheet = c.side(side)
        if not c.lifecycle(side).is_active:
            items.append(
                (f"Is {sheet.name} still available?", _availability_answer(sheet, c, side))
            )
    return tuple(items)


# --- the page ------------------------------------------------------------------------------


def meta_description(c: Comparison) -> str:
    """Undisputed facts only (prices, context, release, lifecycle), never the verdict."""

    def facts(sheet: ModelSheet, price: PriceSummary) -> str:
        parts = []
        status = sheet.lifecycle(c.today)
        if status.is_retired and status.retired_on:
            parts.append(f"retired {fmt.day(status.retired_on)}")
        elif price.cheapest is not None:
            parts.append(
                f"{fmt.usd(price.cheapest.input_usd_per_mtok)} in / "
                f"{fmt.usd(price.cheapest.output_usd_per_mtok)} out per 1M tokens"
            )
        if sheet.context_window:
            parts.append(f"{fmt.tokens(sheet.context_window)} context")
        if sheet.released_on:
            parts.append(f"released {fmt.day(sheet.released_on)}")
        return f"{sheet.name}: {', '.join(parts)}." if parts else ""

    head = f"{c.a.name} vs {c.b.name}: prices per provider, specs, capabilities and benchmarks."
    return " ".join(part for part in (head, facts(c.a, c.price_a), facts(c.b, c.price_b)) if part)


def deep_dive(c: Comparison) -> tuple[str, ...]:
    names = Names(c)
    parts = [price_sentence(sheet, price, names(sheet), c.today) for sheet, price in c.sides]
    prices = " ".join(part for part in (*parts, availability_sentence(c, names)) if part)
    return (benchmark_paragraph(c), " ".join(capability_sentences(c)), prices)


def narrate(c: Comparison) -> Narrative:
    return Narrative(
        title=f"{c.a.name} vs {c.b.name}",
        description=meta_description(c),
        summary=summary(c),
        verdict=verdict(c),
        deep_dive=deep_dive(c),
        choose=(choose_sentence(c, Side.A), choose_sentence(c, Side.B)),
        faq=faq(c),
        benchmark_rows=tuple((row, lead_label(row, c)) for row in c.benchmarks),
        notices=notices(c),
    )


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
    oldest = min(s.last_reviewed_on for s in sheets if s.last_reviewed_on is not None)
    age = (today - oldest).days
    if age > stale_after_days:
        return (
            f"Last reviewed {fmt.day(oldest)}, {age} days ago: the data may be out of date.",
            True,
        )
    return (f"Last reviewed {fmt.day(oldest)}.", False)
