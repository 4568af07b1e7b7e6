"""Comparisons of two to four models side by side: the URL's slugs and the page's figures.

Pure: plain model sheets in, figures and short generated sentences out (no Django). Which
scores may be compared follows the pair page's rule (see `_best_of`).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from comparisons import formatting as fmt
from comparisons.facts import CAPABILITY_LABELS, ModelSheet, ScoreFacts
from comparisons.narrative import PriceSummary, price_summary

SEPARATOR = "-vs-"
MOST = 4


def parse(slugs: str) -> tuple[str, ...] | None:
    """The slugs named by `a-vs-b[-vs-c[-vs-d]]`, or None: fewer than 2, more than 4,
    an empty part, or one named twice."""
    parts = tuple(slugs.split(SEPARATOR))
    if not 2 <= len(parts) <= MOST or not all(parts) or len(set(parts)) != len(parts):
        return None
    return parts


def canonical(slugs: Sequence[str]) -> tuple[str, ...]:
    """The order every comparison URL uses: alphabetical, as for pairs."""
    return tuple(sorted(slugs))


def path_segment(slugs: Sequence[str]) -> str:
    return SEPARATOR.join(canonical(slugs))


def url(sheets: Sequence[ModelSheet]) -> str:
    return f"/compare/{path_segment([s.slug for s in sheets])}/"


@dataclass(frozen=True)
class Column:
    sheet: ModelSheet
    price: PriceSummary
    retired: bool


@dataclass(frozen=True)
class BenchmarkRow:
    slug: str
    name: str
    task: str
    # One per column, None where the model has no score on the benchmark.
    scores: tuple[ScoreFacts | None, ...]
    # Whether at least two of the scores are like for like, and the leader among those.
    comparable: bool
    leader: str | None  # a model slug; None for no comparable pair or "about even"
    lead_label: str = ""


@dataclass(frozen=True)
class CapabilityRow:
    name: str
    label: str
    values: tuple[bool | None, ...]


@dataclass(frozen=True)
class Figures:
    columns: tuple[Column, ...]
    input_share: int  # percent of input tokens in the blend
    benchmarks: tuple[BenchmarkRow, ...]
    capabilities: tuple[CapabilityRow, ...]
    today: datetime.date | None = None

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.sheet.name for c in self.columns)

    def name_of(self, slug: str) -> str:
        return next(c.sheet.name for c in self.columns if c.sheet.slug == slug)


@dataclass(frozen=True)
class Best:
    comparable: bool
    leader: str | None


def _best_of(scores: list[tuple[str, ScoreFacts]]) -> Best:
    """Sourced scores on a benchmark two or more models have are compared; the leader is
    the single best value. Unsourced scores are shown, never counted."""
    scores = [(slug, score) for slug, score in scores if score.source_url]
    if len(scores) < 2:
        return Best(False, None)
    higher = scores[0][1].higher_is_better
    ranked = sorted(scores, key=lambda item: item[1].value, reverse=higher)
    if ranked[0][1].value == ranked[1][1].value:
        return Best(True, None)
    return Best(True, ranked[0][0])


def _is_retired(sheet: ModelSheet, today: datetime.date | None) -> bool:
    return sheet.retired_on is not None and (today is None or sheet.retired_on <= today)


def _benchmark_row(sheets: Sequence[ModelSheet], slug: str) -> BenchmarkRow:
    scores = tuple(sheet.score_on(slug) for sheet in sheets)
    first = next(s for s in scores if s is not None)
    best = _best_of(
        [(sheet.slug, score) for sheet, score in zip(sheets, scores, strict=True) if score]
    )
    if not best.comparable:
        label = "not compared: fewer than two sourced scores"
    elif best.leader is None:
        label = "tie"
    else:
        label = next(s.name for s in sheets if s.slug == best.leader)
    return BenchmarkRow(
        slug=slug,
        name=first.benchmark_name,
        task="",
        scores=scores,
        comparable=best.comparable,
        leader=best.leader,
        lead_label=label,
    )


def compare(
    sheets: Sequence[ModelSheet], input_share: int, today: datetime.date | None = None
) -> Figures:
    """Every figure of an N-way page; `input_share` is the percent of input tokens."""
    share = Decimal(input_share) / 100
    columns = tuple(
        Column(
            sheet=sheet,
            price=price_summary(sheet, share),
            retired=_is_retired(sheet, today),
        )
        for sheet in sheets
    )
    benchmark_slugs = sorted(
        {score.benchmark_slug: score.benchmark_name for s in sheets for score in s.scores}.items(),
        key=lambda item: item[1].lower(),
    )
    return Figures(
        columns=columns,
        input_share=input_share,
        benchmarks=tuple(_benchmark_row(sheets, slug) for slug, _ in benchmark_slugs),
        capabilities=tuple(
            CapabilityRow(name, label, tuple(sheet.capability(name) for sheet in sheets))
            for name, label in CAPABILITY_LABELS
        ),
        today=today,
    )


# --- text -----------------------------------------------------------------------------------


def _cheapest_sentence(f: Figures) -> str | None:
    priced = [c for c in f.columns if c.price.cheapest_blend is not None and not c.retired]
    if len(priced) < 2:
        return None
    priced.sort(key=lambda c: (c.price.cheapest_blend, c.sheet.name))
    low, high = priced[0], priced[-1]
    if low.price.cheapest_blend == high.price.cheapest_blend:
        return (
            f"At a {fmt.share(f.input_share)} input/output blend they cost the same, "
            f"{fmt.usd(low.price.cheapest_blend)} per million blended tokens."
        )
    ties = [c for c in priced if c.price.cheapest_blend == low.price.cheapest_blend]
    names = fmt.human_list([c.sheet.name for c in ties])
    verb = "is" if len(ties) == 1 else "are"
    return (
        f"At a {fmt.share(f.input_share)} input/output blend {names} {verb} the cheapest, at "
        f"{fmt.usd(low.price.cheapest_blend)} per million blended tokens on "
        f"{ties[0].price.cheapest.provider_name}; the dearest, {high.sheet.name}, costs "
        f"{fmt.usd(high.price.cheapest_blend)}."
    )


def _context_sentence(f: Figures) -> str | None:
    known = [c.sheet for c in f.columns if c.sheet.context_window is not None]
    if len(known) < 2:
        return None
    longest = max(s.context_window for s in known)
    shortest = min(s.context_window for s in known)
    if longest == shortest:
        return f"All with a known context window have {fmt.tokens(longest)} tokens."
    names = fmt.human_list([s.name for s in known if s.context_window == longest])
    return (
        f"The longest context window is {names}'s, {fmt.tokens(longest)} tokens "
        f"(the shortest here is {fmt.tokens(shortest)})."
    )


def _task_sentences(f: Figures) -> list[str]:
    rows = [row for row in f.benchmarks if row.comparable and row.leader]
    if not rows:
        return [
            "No benchmark here has like-for-like scores with a clear leader, so none is ranked."
        ]
    parts = [f"{f.name_of(row.leader)} on {row.name}" for row in rows]
    return [f"Leading on comparable scores: {fmt.human_list(parts)}."]


def _retired_sentence(f: Figures) -> str | None:
    retired = [c.sheet for c in f.columns if c.retired]
    if not retired:
        return None
    names = fmt.human_list([s.name for s in retired])
    verb = "is" if len(retired) == 1 else "are"
    return f"{names} {verb} retired: shown for reference, never recommended."


def summary(f: Figures) -> tuple[str, ...]:
    """The short generated summary: cheapest, longest context, leader per task, retirements."""
    sentences = [
        _cheapest_sentence(f),
        _context_sentence(f),
        *_task_sentences(f),
        _retired_sentence(f),
    ]
    return tuple(s for s in sentences if s)


def title(f: Figures) -> str:
    return " vs ".join(f.names)
