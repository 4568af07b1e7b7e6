"""Which benchmark scores may be compared, and what a comparison concludes. Pure: no Django.

Two scores are compared only on the same benchmark, when both have a source and the
conditions the benchmark cares about agree (comparable()). When a model has several scores on
a benchmark, the pair reported side by side in one source table is preferred
(preferred_scores()). A gap below the benchmark's noise threshold is "about even", and a
saturated benchmark never decides a verdict (ScoreComparison).
"""

from __future__ import annotations

import enum
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from comparisons.facts import BenchmarkFacts, ScoreFacts
from comparisons.memo import cached_property
from models_catalog.vocabulary import TASKS


class Side(enum.Enum):
    """One of the two models of a pair page."""

    A = "a"
    B = "b"

    @property
    def other(self) -> Side:
        return Side.B if self is Side.A else Side.A


SINGLE_ATTEMPT = "single attempt"
NO_SOURCE = "no source yet"


@dataclass(frozen=True)
class Comparability:
    """Whether two scores may be compared; when not, `reason` says why in a reader's words,
    e.g. "best-of-256 vs single attempt" or "no source yet"."""

    comparable: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.comparable


COMPARABLE = Comparability(True)


# pass@1 and an average over k samples (avg@64) both estimate one attempt's success rate.
_SINGLE = re.compile(r"^(|pass@1\b.*|.*\bsingle attempt\b.*|(avg|mean)@\d+\b.*)$")


def _attempts(score: ScoreFacts) -> str:
    # Reported scores are single attempts unless the source says otherwise.
    text = score.conditions.attempts.strip()
    return SINGLE_ATTEMPT if _SINGLE.match(text.lower()) else text


def _reasoning(value: str) -> str:
    return {"on": "reasoning on", "off": "reasoning off"}.get(value, value)


def is_single_attempt(score: ScoreFacts) -> bool:
    """A single attempt (pass@1, an average over samples, or unstated), not best-of-N."""
    return _attempts(score) == SINGLE_ATTEMPT


def _condition_clash(name: str, a: ScoreFacts, b: ScoreFacts) -> str:
    """The reason two scores differ on one condition, or "" when they agree or one is unstated.

    An unstated condition is taken as compatible (the source did not say otherwise), except
    attempts: an unstated number of attempts is a single attempt.
    """
    if name == "attempts":
        left, right = _attempts(a), _attempts(b)
        return "" if left == right else f"{left} vs {right}"
    if name == "shots":
        shots_a, shots_b = a.conditions.shots, b.conditions.shots
        if shots_a is None or shots_b is None or shots_a == shots_b:
            return ""
        return f"{shots_a}-shot vs {shots_b}-shot"
    left = str(getattr(a.conditions, name)).strip()
    right = str(getattr(b.conditions, name)).strip()
    if name == "reasoning" and bool(left) != bool(right):
        # A hybrid model run with its reasoning off is not set against a reasoning model's
        # score whose setting is not stated (most likely its default, reasoning on).
        (stated, off_score), unstated = ((left, a), b) if left else ((right, b), a)
        # Only a model that can reason was run with it off; a model without a reasoning mode
        # is simply itself.
        if (
            stated.lower() == "off"
            and off_score.model_reasoning is True
            and unstated.model_reasoning is True
        ):
            return "reasoning off vs not stated for a reasoning model"
        return ""
    if not left or not right or left.lower() == right.lower():
        return ""
    if name == "reasoning":
        return f"{_reasoning(left)} vs {_reasoning(right)}"
    if name == "harness":
        return f"{left} vs {right} harness"
    if name == "variant":
        return f"{left} vs {right} version"
    if name == "reasoning_effort":
        return f"{left} vs {right} reasoning effort"
    return f"{left} vs {right}"


def comparable(a: ScoreFacts, b: ScoreFacts, benchmark: BenchmarkFacts) -> Comparability:
    """May `a` and `b` (scores of two models on `benchmark`) be set against each other?"""
    if a.benchmark_slug != benchmark.slug or b.benchmark_slug != benchmark.slug:
        return Comparability(False, "different benchmarks")
    if not a.has_source or not b.has_source:
        return Comparability(False, NO_SOURCE)
    if a.table and a.table == b.table:
        # One table, one setting chosen by its authors: like with like by construction,
        # unless it states different subsets (tau2-bench retail vs airline) or attempts
        # (a best-of-N column next to pass@1).
        clashes = [c for n in ("variant", "attempts") if (c := _condition_clash(n, a, b))]
        return Comparability(False, " and ".join(clashes)) if clashes else COMPARABLE
    clashes = [
        clash for name in benchmark.relevant_conditions if (clash := _condition_clash(name, a, b))
    ]
    if clashes:
        return Comparability(False, " and ".join(clashes))
    return COMPARABLE


def _preference(a: ScoreFacts, b: ScoreFacts) -> tuple[int, int, int]:
    """Lower is better: one source table first, then one source, then independent measures."""
    same_table = 0 if a.table and a.table == b.table else 1
    same_source = 0 if a.source_url and a.source_url == b.source_url else 1
    makers = int(a.by_maker) + int(b.by_maker)
    return (same_table, same_source, makers)


def _single_preference(score: ScoreFacts) -> tuple[int, int, int]:
    """Which of a model's scores to show alone: sourced, single attempt, independent first."""
    return (
        0 if score.has_source else 1,
        0 if _attempts(score) == SINGLE_ATTEMPT else 1,
        1 if score.by_maker else 0,
    )


@dataclass(frozen=True)
class ScoreComparison:
    """The scores a pair page shows on one benchmark, and what they support.

    `a` and `b` are the chosen scores (None when a model has none); `comparability` says
    whether they may be compared at all.

    What a row supports is worked out once per row: a pair page's text asks it of each row
    dozens of times.
    """

    benchmark: BenchmarkFacts
    a: ScoreFacts | None
    b: ScoreFacts | None
    comparability: Comparability

    @property
    def slug(self) -> str:
        return self.benchmark.slug

    @property
    def name(self) -> str:
        return self.benchmark.name

    @cached_property
    def shared(self) -> bool:
        return self.a is not None and self.b is not None

    @cached_property
    def counts(self) -> bool:
        """Both scores exist, have sources and are comparable: the row may make conclusions."""
        return self.shared and self.comparability.comparable

    def score(self, side: Side) -> ScoreFacts | None:
        return self.a if side is Side.A else self.b

    @cached_property
    def gap(self) -> Decimal | None:
        """Points between the two scores; None unless the row counts."""
        if not self.counts or self.a is None or self.b is None:
            return None
        return abs(self.a.value - self.b.value)

    @cached_property
    def about_even(self) -> bool:
        """Counted, but the gap is below the benchmark's noise threshold."""
        gap = self.gap
        return gap is not None and gap < self.benchmark.noise_threshold

    @cached_property
    def leader(self) -> Side | None:
        """The side ahead by at least the noise threshold; None when even or not counted."""
        if self.gap is None or self.about_even or self.a is None or self.b is None:
            return None
        a_higher = self.a.value > self.b.value
        return Side.A if a_higher == self.benchmark.higher_is_better else Side.B

    @cached_property
    def decides(self) -> bool:
        """A lead that may enter a verdict: a saturated benchmark never decides one."""
        return self.leader is not None and not self.benchmark.saturated

    @cached_property
    def mark(self) -> str:
        """What the table says about a row that is shown but not counted ("" when it counts)."""
        if not self.shared:
            return "one model only"
        if self.comparability.reason == NO_SOURCE:
            return NO_SOURCE
        if not self.comparability.comparable:
            return f"not directly comparable: {self.comparability.reason}"
        return ""


def compare_scores(
    benchmark: BenchmarkFacts, scores_a: Sequence[ScoreFacts], scores_b: Sequence[ScoreFacts]
) -> ScoreComparison:
    """Choose the pair of scores to set side by side on `benchmark` and judge it.

    A comparable pair wins over any other; among comparable pairs, one source table first.
    With no comparable pair, each model's most trustworthy score is shown, marked.
    """
    chosen = preferred_scores(benchmark, (scores_a, scores_b))
    a, b = chosen
    if a is None or b is None:
        return ScoreComparison(benchmark, a, b, Comparability(False, "one model only"))
    return ScoreComparison(benchmark, a, b, comparable(a, b, benchmark))


def preferred_scores(
    benchmark: BenchmarkFacts, per_model: Sequence[Sequence[ScoreFacts]]
) -> tuple[ScoreFacts | None, ...]:
    """One score per model on `benchmark`, chosen so that as many as possible are mutually
    comparable (same source table preferred); for N-way pages as well as pairs.

    A model without a score gets None. Models left out of the comparable set get their own
    most trustworthy score, so the table still shows it.
    """
    own = [
        sorted(
            (s for s in scores if s.benchmark_slug == benchmark.slug),
            key=_single_preference,
        )
        for scores in per_model
    ]
    present = [i for i, scores in enumerate(own) if scores]
    best: tuple[int, tuple[int, int, int], dict[int, ScoreFacts]] | None = None
    # Few models and few scores each: trying every combination is cheap and exact. Past a
    # bound, fall back to each model's own best score.
    combinations = 1
    for i in present:
        combinations *= len(own[i])
    if combinations <= 4096 and len(present) >= 2:
        for combo in itertools.product(*(own[i] for i in present)):
            picked = dict(zip(present, combo, strict=True))
            group = _largest_comparable_group(picked, benchmark)
            if len(group) < 2:
                continue
            rank = _group_preference([picked[i] for i in group])
            key = (len(group), rank)
            if best is None or (-key[0], key[1]) < (-best[0], best[1]):
                best = (len(group), rank, {i: picked[i] for i in group})
    result: list[ScoreFacts | None] = []
    for i, scores in enumerate(own):
        if best is not None and i in best[2]:
            result.append(best[2][i])
        else:
            result.append(scores[0] if scores else None)
    return tuple(result)


def _largest_comparable_group(
    picked: dict[int, ScoreFacts], benchmark: BenchmarkFacts
) -> tuple[int, ...]:
    indexes = list(picked)
    for size in range(len(indexes), 1, -1):
        for group in itertools.combinations(indexes, size):
            if all(
                comparable(picked[x], picked[y], benchmark)
                for x, y in itertools.combinations(group, 2)
            ):
                return group
    return ()


def _group_preference(scores: Sequence[ScoreFacts]) -> tuple[int, int, int]:
    pairs = list(itertools.combinations(scores, 2))
    ranks = [_preference(x, y) for x, y in pairs]
    return (
        sum(r[0] for r in ranks),
        sum(r[1] for r in ranks),
        sum(r[2] for r in ranks),
    )


# --- tasks ----------------------------------------------------------------------------------

TASK_WORDS: dict[str, str] = dict(TASKS)


@dataclass(frozen=True)
class TaskSummary:
    """The counted rows of one task (coding, math…) and who leads them."""

    task: str
    rows: tuple[ScoreComparison, ...]

    @property
    def words(self) -> str:
        return TASK_WORDS.get(self.task, self.task)

    @property
    def counted(self) -> tuple[ScoreComparison, ...]:
        return tuple(row for row in self.rows if row.counts)

    def leads(self, side: Side) -> tuple[ScoreComparison, ...]:
        return tuple(row for row in self.counted if row.decides and row.leader is side)

    @property
    def leader(self) -> Side | None:
        """The side that leads on more of the task's deciding benchmarks and trails on none."""
        a, b = self.leads(Side.A), self.leads(Side.B)
        if a and not b:
            return Side.A
        if b and not a:
            return Side.B
        return None


def by_task(rows: Iterable[ScoreComparison]) -> tuple[TaskSummary, ...]:
    """Rows grouped by their benchmark's task, in the vocabulary's order; rows of benchmarks
    without a task are left out. Only tasks with at least one counted row are returned."""
    groups: dict[str, list[ScoreComparison]] = {}
    for row in rows:
        if row.benchmark.task:
            groups.setdefault(row.benchmark.task, []).append(row)
    order = [task for task, _ in TASKS]
    summaries = (
        TaskSummary(task, tuple(groups[task]))
        for task in sorted(groups, key=lambda t: order.index(t) if t in order else len(order))
    )
    return tuple(summary for summary in summaries if summary.counted)


# --- leaderboards ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Ranked:
    """A leaderboard place: `rank` is None for a score shown but not ranked, `mark` says why."""

    index: int  # position of the score in the list given to rank_scores()
    rank: int | None
    mark: str = ""


def rank_scores(
    benchmark: BenchmarkFacts, scores: Sequence[tuple[str, ScoreFacts]]
) -> tuple[Ranked, ...]:
    """Rank (model slug, score) pairs on one benchmark, best first.

    Only sourced single-attempt scores are ranked, one per model (its most trustworthy one),
    so a best-of-N figure or a number without a source never takes a place; the rest follow,
    marked. Equal values share a rank.
    """
    rankable = [
        i for i, (_, s) in enumerate(scores) if s.has_source and _attempts(s) == SINGLE_ATTEMPT
    ]
    best_of_model: dict[str, int] = {}
    for i in sorted(rankable, key=lambda i: _single_preference(scores[i][1])):
        best_of_model.setdefault(scores[i][0], i)
    ranked_indexes = set(best_of_model.values())

    def order(i: int) -> tuple[Decimal, str]:
        value = scores[i][1].value
        return (-value if benchmark.higher_is_better else value, scores[i][0])

    places: list[Ranked] = []
    previous: Decimal | None = None
    rank = 0
    for position, i in enumerate(sorted(ranked_indexes, key=order), start=1):
        value = scores[i][1].value
        if value != previous:
            rank, previous = position, value
        places.append(Ranked(i, rank))
    for i in sorted(set(range(len(scores))) - ranked_indexes, key=order):
        score = scores[i][1]
        if not score.has_source:
            mark = NO_SOURCE
        elif _attempts(score) != SINGLE_ATTEMPT:
            mark = f"not ranked: {_attempts(score)}"
        else:
            mark = "not ranked: another score of this model is"
        places.append(Ranked(i, None, mark))
    return tuple(places)
