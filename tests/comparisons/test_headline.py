"""Headline figures: best sourced score per task, status, and who leads each task."""

from __future__ import annotations

import datetime
from decimal import Decimal

from comparisons.facts import BenchmarkFacts, ModelSheet, ScoreFacts
from comparisons.headline import best_by_task, model_headline, task_leads

TODAY = datetime.date(2026, 11, 29)
GPQA = BenchmarkFacts(slug="gpqa", name="GPQA Diamond", task="reasoning-knowledge")
MMLU = BenchmarkFacts(slug="mmlu", name="MMLU-Pro", task="reasoning-knowledge")
SWE = BenchmarkFacts(slug="swe", name="SWE-bench Verified", task="coding")
NO_TASK = BenchmarkFacts(slug="misc", name="Misc")


def score(value: str, bench: BenchmarkFacts, source: str = "https://example.com/s") -> ScoreFacts:
    return ScoreFacts(
        benchmark_slug=bench.slug,
        benchmark_name=bench.name,
        value=Decimal(value),
        provenance="independent",
        source_url=source,
        task=bench.task,
        table="t1",
    )


def sheet(name: str, *scores: ScoreFacts, **kwargs) -> ModelSheet:
    return ModelSheet(
        slug=name.lower(), name=name, organization_name="Org", scores=scores, **kwargs
    )


def test_best_sourced_score_per_task_in_vocabulary_order():
    model = sheet(
        "A",
        score("60", GPQA),
        score("80", MMLU),
        score("99", SWE, source=""),  # no source: never a headline
        score("50", NO_TASK),
    )
    best = best_by_task(model)
    assert [(b.task_words, b.score.benchmark_name, b.score.value) for b in best] == [
        ("reasoning and knowledge", "MMLU-Pro", Decimal("80"))
    ]


def test_headline_carries_price_context_release_and_status():
    model = sheet(
        "A",
        context_window=200_000,
        released_on=datetime.date(2025, 1, 2),
        deprecated_on=datetime.date(2026, 1, 1),
    )
    headline = model_headline(
        model, cheapest_blend=Decimal("1.5"), cheapest_provider="Host", today=TODAY
    )
    assert headline.blend == Decimal("1.5") and headline.provider_name == "Host"
    assert headline.context_window == 200_000
    assert headline.status.stage.value == "deprecated"


def test_a_retired_model_has_no_price_rather_than_an_unsourced_one():
    retired = sheet("A", retired_on=datetime.date(2025, 1, 1))
    active = sheet("B")
    none = {"cheapest_blend": None, "cheapest_provider": "", "today": TODAY}
    assert model_headline(retired, **none).price_note == "none: retired"
    assert model_headline(active, **none).price_note == ""


def test_task_leads_name_the_leader_or_nobody():
    a = sheet("A", score("70", SWE), score("50", GPQA))
    b = sheet("B", score("60", SWE), score("50.5", GPQA))
    leads = {lead.task_words: lead.leader_name for lead in task_leads(a, b)}
    assert leads == {"coding": "A", "reasoning and knowledge": ""}


def test_a_best_of_n_figure_is_never_the_best_score():
    from dataclasses import replace

    from comparisons.facts import ScoreConditions

    best_of_256 = replace(score("84.8", GPQA), conditions=ScoreConditions(attempts="best-of-256"))
    model = sheet("A", best_of_256, score("70", MMLU))
    assert [(b.score.benchmark_name, b.score.value) for b in best_by_task(model)] == [
        ("MMLU-Pro", Decimal("70"))
    ]
