"""The headline figures at the top of model and pair pages. Pure: no Django.

Which scores may be compared, and who leads a task, is decided in comparisons.scores; this
module only picks what the headline shows.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from comparisons.facts import ModelSheet, ScoreFacts
from comparisons.figures import benchmark_rows
from comparisons.scores import (
    TASK_WORDS,
    ScoreComparison,
    Side,
    by_task,
    is_single_attempt,
    preferred_scores,
)
from models_catalog.lifecycle import LifecycleStatus
from models_catalog.vocabulary import TASKS


@dataclass(frozen=True)
class TaskScore:
    """A model's best sourced score among the benchmarks of one task."""

    task_words: str
    score: ScoreFacts


@dataclass(frozen=True)
class Headline:
    blend: Decimal | None  # on the cheapest still-listed, real-time, paid offering
    provider_name: str  # "" when no provider is tracked
    context_window: int | None
    released_on: datetime.date | None
    status: LifecycleStatus
    tasks: tuple[TaskScore, ...]

    @property
    def price_note(self) -> str:
        """What the price card says instead of a figure: a retired model has no price to
        quote, which is not the same as a price nobody has sourced yet ("" otherwise)."""
        return "none: retired" if self.blend is None and self.status.is_retired else ""


@dataclass(frozen=True)
class TaskLead:
    """One line of a pair page's headline: who leads a task, or nobody clearly."""

    task_words: str
    leader_name: str  # "" when neither leads on every counted benchmark of the task
    deciding: int  # benchmarks of the task whose scores could be compared


def best_by_task(sheet: ModelSheet) -> tuple[TaskScore, ...]:
    return best_by_task_of(sheet.scores)


def best_by_task_of(scores: Sequence[ScoreFacts]) -> tuple[TaskScore, ...]:
    """Per task, the highest of a model's sourced single-attempt percentage scores, one per
    benchmark (the score comparisons.scores prefers when a model has several on one)."""
    benchmarks = {s.benchmark_slug: s.benchmark for s in scores}
    best: dict[str, ScoreFacts] = {}
    for benchmark in benchmarks.values():
        if not benchmark.task or benchmark.unit != "percent" or not benchmark.higher_is_better:
            continue
        (score,) = preferred_scores(benchmark, (scores,))
        # A best-of-N figure is no model's "best score": it is many attempts' best.
        if score is None or not score.has_source or not is_single_attempt(score):
            continue
        current = best.get(benchmark.task)
        if current is None or score.value > current.value:
            best[benchmark.task] = score
    return tuple(
        TaskScore(TASK_WORDS.get(task, task), best[task]) for task, _ in TASKS if task in best
    )


def model_headline(
    sheet: ModelSheet,
    *,
    cheapest_blend: Decimal | None,
    cheapest_provider: str,
    today: datetime.date,
) -> Headline:
    return Headline(
        blend=cheapest_blend,
        provider_name=cheapest_provider,
        context_window=sheet.context_window,
        released_on=sheet.released_on,
        status=sheet.lifecycle(today),
        tasks=best_by_task(sheet),
    )


def task_leads(
    a: ModelSheet, b: ModelSheet, rows: Sequence[ScoreComparison] | None = None
) -> tuple[TaskLead, ...]:
    """Per task with at least one comparable, sourced pair of scores: who leads it. `rows`
    are the pair's benchmark_rows(a, b), when the caller has them already."""
    # The pair page's own rows, so the headline and the verdict judge the same pairs.
    if rows is None:
        rows = benchmark_rows(a, b)
    names = {Side.A: a.name, Side.B: b.name}
    return tuple(
        TaskLead(
            summary.words,
            names[summary.leader] if summary.leader is not None else "",
            len(summary.counted),
        )
        for summary in by_task(rows)
    )
