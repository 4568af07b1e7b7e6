"""Comparisons of two to four models side by side: the URL's slugs and the page's figures.

Pure: plain model sheets in, figures and short generated sentences out (no Django). Which
scores may be compared, and which of a model's scores to show, is `comparisons.scores`'s
rule, the same as on pair pages.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from comparisons import formatting as fmt
from comparisons import scores
from comparisons.facts import CAPABILITY_LABELS, BenchmarkFacts, ModelSheet, ScoreFacts
from comparisons.figures import PriceSummary, price_summary
from comparisons.narrative import lifecycle_sentence
from comparisons.pricing import InputShare
from models_catalog.vocabulary import TASKS

TASK_WORDS = dict(TASKS)

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
    # Per column: whether the score is one of the like-for-like group that is ranked.
    counted: tuple[bool, ...]
    leader: str | None  # a model slug; None when nothing is ranked or it is about even
    saturated: bool = False
    lead_label: str = ""

    @property
    def comparable(self) -> bool:
        return sum(self.counted) >= 2

    @property
    def decides(self) -> bool:
        """A lead that may enter the summary: a saturated benchmark never decides."""
        return self.leader is not None and not self.saturated

    @property
    def cells(self) -> tuple[tuple[ScoreFacts | None, bool], ...]:
        return tuple(zip(self.scores, self.counted, strict=True))


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
    today: datetime.date

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.sheet.name for c in self.columns)

    def name_of(self, slug: str) -> str:
        return next(c.sheet.name for c in self.columns if c.sheet.slug == slug)


def _comparable_group(
    chosen: Sequence[ScoreFacts | None], benchmark: BenchmarkFacts
) -> tuple[int, ...]:
    """The largest set of the chosen scores that are pairwise comparable (at most four)."""
    present = [i for i, score in enumerate(chosen) if score is not None]
    for size in range(len(present), 1, -1):
        for group in itertools.combinations(present, size):
            if all(
                scores.comparable(chosen[x], chosen[y], benchmark)
                for x, y in itertools.combinations(group, 2)
            ):
                return group
    return ()


def _benchmark_row(sheets: Sequence[ModelSheet], slug: str) -> BenchmarkRow:
    benchmark = next(
        s for sheet in sheets for s in sheet.scores if s.benchmark_slug == slug
    ).benchmark
    # Judged as a pair page judges them: each score knows whether its model has a reasoning mode.
    chosen = scores.preferred_scores(
        benchmark, [sheet.judged_scores.get(slug, ()) for sheet in sheets]
    )
    group = _comparable_group(chosen, benchmark)
    leader: str | None = None
    if group:
        ranked = sorted(group, key=lambda i: chosen[i].value, reverse=benchmark.higher_is_better)
        gap = abs(chosen[ranked[0]].value - chosen[ranked[1]].value)
        if gap >= benchmark.noise_threshold:
            leader = sheets[ranked[0]].slug
    if not group:
        label = "not compared: no two like-for-like sourced scores"
    elif leader is None:
        label = "about even"
    else:
        label = next(s.name for s in sheets if s.slug == leader)
        if benchmark.saturated:
            label += " (saturated benchmark: decides nothing)"
    return BenchmarkRow(
        slug=slug,
        name=benchmark.name,
        task=benchmark.task,
        scores=chosen,
        counted=tuple(i in group for i in range(len(sheets))),
        leader=leader,
        saturated=benchmark.saturated,
        lead_label=label,
    )


def compare(sheets: Sequence[ModelSheet], input_share: int, today: datetime.date) -> Figures:
    """Every figure of an N-way page; `input_share` is the percent of input tokens."""
    columns = tuple(
        Column(
            sheet=sheet,
            price=price_summary(sheet, InputShare(input_share), today),
            retired=sheet.lifecycle(today).is_retired,
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
    widest = [s.name for s in known if s.context_window == longest]
    verb = "has" if len(widest) == 1 else "have"
    return (
        f"{fmt.human_list(widest)} {verb} the longest context window, {fmt.tokens(longest)} "
        f"tokens (the shortest here is {fmt.tokens(shortest)})."
    )


def _task_sentences(f: Figures) -> list[str]:
    """Who leads each task (coding, math…) on comparable scores; saturated benchmarks and
    gaps under the noise threshold decide nothing."""
    deciding = [row for row in f.benchmarks if row.decides]
    if not deciding:
        return [
            "No benchmark here has like-for-like scores with a clear leader, so none is ranked."
        ]
    by_task: dict[str, list[BenchmarkRow]] = {}
    for row in deciding:
        by_task.setdefault(row.task, []).append(row)
    order = [task for task, _ in TASKS]
    sentences = []
    for task in sorted(by_task, key=lambda t: order.index(t) if t in order else len(order)):
        rows = by_task[task]
        leaders = {row.leader for row in rows}
        benchmarks = fmt.human_list([row.name for row in rows])
        subject = f"On {TASK_WORDS[task]}" if task in TASK_WORDS else "On other benchmarks"
        if len(leaders) == 1:
            sentences.append(
                f"{subject}, {f.name_of(rows[0].leader)} leads on comparable scores ({benchmarks})."
            )
        else:
            parts = [f"{f.name_of(row.leader)} on {row.name}" for row in rows]
            sentences.append(f"{subject}, the lead is split: {fmt.human_list(parts)}.")
    return sentences


def _retired_sentence(f: Figures) -> str | None:
    retired = [c.sheet for c in f.columns if c.retired]
    if not retired:
        return None
    names = fmt.human_list([s.name for s in retired])
    verb = "is" if len(retired) == 1 else "are"
    return f"{names} {verb} retired: shown for reference, never recommended."


def _deprecated_sentences(f: Figures) -> list[str]:
    """One sentence for each model still served but deprecated, with its retirement date."""
    return [
        lifecycle_sentence(c.sheet, f.today, c.sheet.name)
        for c in f.columns
        if not c.retired and c.sheet.lifecycle(f.today).is_deprecated
    ]


def summary(f: Figures) -> tuple[str, ...]:
    """The short generated summary: cheapest, longest context, leader per task, lifecycle."""
    sentences = [
        _cheapest_sentence(f),
        _context_sentence(f),
        *_task_sentences(f),
        _retired_sentence(f),
        *_deprecated_sentences(f),
    ]
    return tuple(s for s in sentences if s)


def title(f: Figures) -> str:
    return " vs ".join(f.names)
