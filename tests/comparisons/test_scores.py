"""Like with like: which scores may be compared, which pair is preferred, what a gap means."""

from __future__ import annotations

from decimal import Decimal

from comparisons.facts import BenchmarkFacts, ScoreConditions, ScoreFacts
from comparisons.scores import (
    Side,
    by_task,
    comparable,
    compare_scores,
    preferred_scores,
)

GPQA = BenchmarkFacts(slug="gpqa", name="GPQA Diamond", task="reasoning-knowledge")
SWE = BenchmarkFacts(slug="swe", name="SWE-bench Verified", task="coding")


def score(value: str, bench: BenchmarkFacts = GPQA, **kwargs) -> ScoreFacts:
    conditions = {
        k: kwargs.pop(k)
        for k in ("variant", "shots", "reasoning", "reasoning_effort", "attempts", "harness")
        if k in kwargs
    }
    kwargs.setdefault("source_url", "https://example.com/source")
    kwargs.setdefault("provenance", "maker")
    return ScoreFacts(
        benchmark_slug=bench.slug,
        benchmark_name=bench.name,
        value=Decimal(value),
        conditions=ScoreConditions(**conditions),
        task=bench.task,
        noise_threshold=bench.noise_threshold,
        saturated=bench.saturated,
        conditions_that_matter=bench.conditions_that_matter,
        **kwargs,
    )


def test_best_of_n_is_not_compared_with_a_single_attempt():
    result = comparable(score("84.8", attempts="best-of-256"), score("75.4"), GPQA)
    assert not result
    assert result.reason == "best-of-256 vs single attempt"


def test_pass_at_1_and_averages_are_single_attempts():
    assert comparable(score("70", attempts="pass@1"), score("71"), GPQA)
    assert comparable(score("70", attempts="avg@64"), score("71", attempts="pass@1"), GPQA)
    assert not comparable(score("70", attempts="cons@64"), score("71"), GPQA)


def test_reasoning_on_against_off_is_not_comparable():
    result = comparable(score("80", reasoning="on"), score("70", reasoning="off"), GPQA)
    assert result.reason == "reasoning on vs reasoning off"


def test_unstated_conditions_do_not_block_a_comparison():
    assert comparable(score("80", reasoning="on"), score("70"), GPQA)


def test_different_harnesses_are_not_comparable():
    a = score("49.2", SWE, harness="Agentless")
    b = score("41", SWE, harness="OpenAI internal scaffold")
    assert comparable(a, b, SWE).reason == "Agentless vs OpenAI internal scaffold harness"


def test_a_benchmark_may_say_which_conditions_matter():
    lenient = BenchmarkFacts(slug="swe", name="SWE", conditions_that_matter=("variant",))
    a = score("49.2", SWE, harness="Agentless")
    b = score("41", SWE, harness="OpenHands")
    assert comparable(a, b, lenient)


def test_unsourced_scores_are_never_compared():
    result = comparable(score("20", source_url=""), score("83.2"), GPQA)
    assert result.reason == "no source yet"


def test_one_source_table_is_preferred():
    r1 = [score("49.2", SWE, table="r1-table", source_url="https://r1.example/paper")]
    o1 = [
        score("41", SWE, harness="OpenAI scaffold", source_url="https://openai.example/o1"),
        score("48.9", SWE, table="r1-table", source_url="https://r1.example/paper"),
    ]
    row = compare_scores(SWE, r1, o1)
    assert row.counts and row.b.value == Decimal("48.9")
    assert row.gap == Decimal("0.3")
    assert row.about_even and row.leader is None


def test_a_comparable_pair_wins_over_an_incomparable_one():
    claude_37 = [score("84.8", attempts="best-of-256"), score("78.2", reasoning="on")]
    sonnet_4 = [score("75.4")]
    row = compare_scores(GPQA, claude_37, sonnet_4)
    assert row.counts and row.a.value == Decimal("78.2")
    assert row.leader is Side.A and row.decides


def test_no_comparable_pair_is_shown_marked():
    row = compare_scores(GPQA, [score("84.8", attempts="best-of-256")], [score("75.4")])
    assert not row.counts and row.leader is None and not row.decides
    assert row.mark == "not directly comparable: best-of-256 vs single attempt"


def test_noise_threshold_and_saturation():
    easy = BenchmarkFacts(slug="gpqa", name="GPQA", saturated=True, noise_threshold=Decimal("1"))
    row = compare_scores(easy, [score("90")], [score("80")])
    assert row.leader is Side.A and not row.decides
    close = compare_scores(GPQA, [score("80")], [score("81.9")])
    assert close.about_even and close.leader is None


def test_lower_is_better_benchmarks():
    errors = BenchmarkFacts(slug="gpqa", name="Error rate", higher_is_better=False)
    assert compare_scores(errors, [score("10")], [score("20")]).leader is Side.A


def test_one_model_only():
    row = compare_scores(GPQA, [score("80")], [])
    assert not row.shared and row.mark == "one model only"


def test_n_way_choice_keeps_the_comparable_models_together():
    chosen = preferred_scores(
        SWE,
        [
            [score("49.2", SWE, table="t")],
            [score("41", SWE, harness="X"), score("48.9", SWE, table="t")],
            [score("30", SWE, table="t")],
            [],
        ],
    )
    assert [s.value if s else None for s in chosen] == [
        Decimal("49.2"),
        Decimal("48.9"),
        Decimal("30"),
        None,
    ]


def test_tasks_group_counted_rows():
    coding = compare_scores(SWE, [score("60", SWE)], [score("40", SWE)])
    knowledge = compare_scores(GPQA, [score("84.8", attempts="best-of-256")], [score("70")])
    tasks = by_task([coding, knowledge])
    assert [t.task for t in tasks] == ["coding"]
    assert tasks[0].leader is Side.A and tasks[0].words == "coding"


def test_reasoning_off_against_a_reasoning_models_unstated_setting():
    sonnet_off = score("43.4", reasoning="off", model_reasoning=True)
    gemini = score("92", model_reasoning=True)
    assert comparable(sonnet_off, gemini, GPQA).reason == (
        "reasoning off vs not stated for a reasoning model"
    )
    plain = score("40", model_reasoning=False)
    assert comparable(sonnet_off, plain, GPQA)
    # A model without a reasoning mode reported "off" is just itself.
    kimi_off = score("65.8", reasoning="off", model_reasoning=False)
    assert comparable(kimi_off, gemini, GPQA)
    assert comparable(score("1", attempts="pass@1 (single attempt)"), score("2"), GPQA)


def test_leaderboard_ranks_only_sourced_single_attempts_once_per_model():
    from comparisons.scores import rank_scores

    entries = [
        ("claude-3-7", score("84.8", attempts="best-of-256")),
        ("o1", score("75.7")),
        ("o1", score("75.7", provenance="third-party", table="r1")),
        ("llama", score("20", source_url="")),
        ("r1", score("71.5")),
        ("gemini", score("75.7", provenance="independent")),
    ]
    places = rank_scores(GPQA, entries)
    ranked = [(entries[p.index][0], p.rank) for p in places if p.rank]
    assert ranked == [("gemini", 1), ("o1", 1), ("r1", 3)]
    marks = {entries[p.index][0]: p.mark for p in places if p.rank is None}
    assert marks["claude-3-7"] == "not ranked: best-of-256"
    assert marks["llama"] == "no source yet"
    assert marks["o1"] == "not ranked: another score of this model is"


def test_single_attempt_helper():
    from comparisons.scores import is_single_attempt

    assert is_single_attempt(score("1")) and is_single_attempt(score("1", attempts="avg@64"))
    assert not is_single_attempt(score("1", attempts="best-of-256"))


def test_one_table_with_subsets_pairs_like_subsets():
    tau = BenchmarkFacts(slug="tau2", name="tau2-bench", task="tool-use")
    a = [
        score("75", tau, table="k2", variant="retail"),
        score("55.5", tau, table="k2", variant="airline"),
    ]
    b = [score("70.6", tau, table="k2", variant="airline")]
    assert not comparable(a[0], b[0], tau)
    row = compare_scores(tau, a, b)
    assert row.counts and row.a.conditions.variant == row.b.conditions.variant == "airline"
