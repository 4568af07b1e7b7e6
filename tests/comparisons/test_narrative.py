"""The generated text: every rule of the pair page, on plain data (no database)."""

from __future__ import annotations

import datetime
import re
from dataclasses import replace
from decimal import Decimal

import pytest

from comparisons.facts import ModelRef, ModelSheet, OfferingFacts, ScoreConditions, ScoreFacts
from comparisons.figures import compare as compare_on
from comparisons.narrative import (
    advantages,
    capability_sentences,
    choose_sentence,
    cost_comparison,
    describe,
    narrate,
    price_sentence,
    review_line,
    verdict,
)
from comparisons.scores import Side

D = Decimal
TODAY = datetime.date(2026, 11, 29)
A, B = Side.A, Side.B
ALL_CAPS = (
    "vision",
    "multimodal",
    "reasoning",
    "function_calling",
    "tool_use",
    "structured_outputs",
    "code_execution",
)


def compare(a, b, input_share=70, today=TODAY):
    return compare_on(a, b, input_share, today=today)


def offer(provider, input_price, output_price, kind="inference", **extra) -> OfferingFacts:
    return OfferingFacts(
        provider.lower().replace(" ", "-"), provider, kind, D(input_price), D(output_price), **extra
    )


def score(slug, value, provenance="independent", name=None, **extra) -> ScoreFacts:
    conditions = {
        k: extra.pop(k)
        for k in ("variant", "shots", "reasoning", "reasoning_effort", "attempts", "harness")
        if k in extra
    }
    extra.setdefault("source_url", "https://s")
    return ScoreFacts(
        slug,
        name or slug.upper(),
        D(value),
        provenance,
        conditions=ScoreConditions(**conditions),
        **extra,
    )


def sheet(name="Alpha", **extra) -> ModelSheet:
    base = {
        "slug": name.lower().replace(" ", "-"),
        "name": name,
        "organization_name": "Org " + name,
        "released_on": datetime.date(2025, 1, 1),
        "context_window": 128_000,
        "open_weights": False,
        "license": "Proprietary",
        "capabilities": dict.fromkeys(ALL_CAPS),
    }
    base.update(extra)
    return ModelSheet(**base)


def caps(**values) -> dict:
    return {**dict.fromkeys(ALL_CAPS), **values}


def all_text(n) -> str:
    return " ".join(
        [
            n.description,
            n.summary,
            n.verdict,
            *n.deep_dive,
            *n.choose,
            *(q + " " + a for q, a in n.faq),
            *(notice.text for notice in n.notices),
            *(label for _, label in n.benchmark_rows),
        ]
    )


# --- descriptions -----------------------------------------------------------------------


def test_describe_uses_only_the_data():
    small = sheet("Tiny", open_weights=True, capabilities=caps(reasoning=False))
    assert describe(small) == "an open-weights model from Org Tiny, released 2025-01-01"
    thinker = sheet("Thinker", capabilities=caps(reasoning=True))
    assert (
        describe(thinker) == "a proprietary reasoning model from Org Thinker, released 2025-01-01"
    )


def test_describe_unknown_reasoning_and_date_claims_nothing():
    text = describe(sheet("X", released_on=None))
    assert "reasoning" not in text
    assert "release date not yet sourced" in text


def test_no_frontier_label_ever():
    n = narrate(compare(sheet("A"), sheet("B")))
    assert "frontier" not in all_text(n).lower()


# --- prices ---------------------------------------------------------------------------------


def test_cheaper_percent_and_times_from_exact_decimals():
    a = sheet("A", offerings=(offer("Host", "0.06", "0.06"),))
    b = sheet("B", offerings=(offer("Cloud", "1", "4"),))
    c = compare(a, b)
    assert c.cheaper is A
    assert c.price_a.cheapest_blend == D("0.06") and c.price_b.cheapest_blend == D("1.9")
    text = cost_comparison(c)
    assert "A costs 97% less" in text  # (1 - 0.06/1.9) * 100 = 96.84
    assert "B costs 31.7× as much" in text  # 1.9 / 0.06 = 31.67
    assert "$0.06" in text and "$1.90" in text


def test_percent_less_is_always_below_100():
    a = sheet("A", offerings=(offer("Host", "0.0001", "0.0001"),))
    b = sheet("B", offerings=(offer("Cloud", "100", "100"),))
    text = cost_comparison(compare(a, b))
    percent = re.search(r"costs ([\d.]+)% less", text).group(1)
    assert D(percent) < 100


def test_equal_prices_read_about_the_same():
    a = sheet("A", offerings=(offer("H1", "1", "2"),))
    b = sheet("B", offerings=(offer("H2", "1", "2"),))
    c = compare(a, b)
    assert c.cheaper is None and c.about_same_price
    assert "they cost about the same" in cost_comparison(c)
    assert "less" not in cost_comparison(c)
    assert "lower price" not in " ".join(advantages(c, A) + advantages(c, B))


def test_under_three_percent_is_about_the_same_price():
    # GPT-4.1 mini vs Qwen2.5-Coder 32B read "costs 0.3% less, and … costs 1× as much".
    a = sheet("A", offerings=(offer("H1", "0.40", "1.60"),))
    b = sheet("B", offerings=(offer("H2", "0.66", "1"),))
    c = compare(a, b)
    assert c.cheaper is A and c.about_same_price and c.clearly_cheaper is None
    n = narrate(c)
    assert "about the same" in n.verdict and "less" not in n.verdict
    assert "0.3%" not in all_text(n) and "1×" not in all_text(n)
    assert not any("lower price" in line for line in n.choose)


def test_times_only_from_1_15():
    a = sheet("A", offerings=(offer("H1", "1", "1"),))
    b = sheet("B", offerings=(offer("H2", "1.1", "1.1"),))
    text = cost_comparison(compare(a, b))
    assert "9.1% less" in text and "as much" not in text
    b2 = sheet("B", offerings=(offer("H2", "1.2", "1.2"),))
    assert "1.2× as much" in cost_comparison(compare(a, b2))


def test_zero_priced_paid_offering_does_not_divide_by_zero():
    a = sheet("A", offerings=(offer("Gift", "0", "0"),))
    b = sheet("B", offerings=(offer("Cloud", "1", "1"),))
    text = cost_comparison(compare(a, b))
    assert "A costs" in text and "as much" not in text


def test_free_tier_is_named_and_never_cheapest():
    a = sheet(
        "A",
        offerings=(offer("Free Host", "0", "0", free_tier=True), offer("Paid", "1", "2")),
    )
    c = compare(a, sheet("B"))
    assert c.price_a.cheapest.provider_name == "Paid"
    assert "free tier is offered on Free Host" in price_sentence(a, c.price_a, "A", TODAY)
    assert c.price_a.hosts == ("Paid",)


def test_cheaper_batch_is_mentioned_on_its_own():
    b = sheet(
        "B",
        offerings=(offer("API", "1.10", "4.40"), offer("Batch API", "0.55", "2.20", kind="batch")),
    )
    c = compare(sheet("A"), b)
    assert c.price_b.cheapest.provider_name == "API"
    text = price_sentence(b, c.price_b, "B", TODAY)
    assert text.startswith("B costs $1.10/1M input and $4.40/1M output tokens at API.")
    assert "Through Batch API it costs $0.55/1M input and $2.20/1M output tokens." in text
    assert c.price_b.hosts == ("API",)


def test_only_batch_offering_is_not_called_cheapest():
    b = sheet("B", offerings=(offer("Batch API", "0.5", "1", kind="batch"),))
    c = compare(sheet("A"), b)
    assert c.price_b.cheapest is None
    assert "no paid real-time price" in price_sentence(b, c.price_b, "B", TODAY)


def test_missing_price_is_not_compared():
    a = sheet("A", offerings=(offer("Host", "1", "1"),))
    text = cost_comparison(compare(a, sheet("B")))
    assert text == "B has no paid real-time price tracked yet, so cost is not compared."
    assert "Neither" in cost_comparison(compare(sheet("A"), sheet("B")))


def test_input_share_changes_the_blend():
    a = sheet("A", offerings=(offer("Host", "1", "3"),))
    assert compare(a, sheet("B"), input_share=50).price_a.cheapest_blend == D("2")
    assert compare(a, sheet("B"), input_share=70).price_a.cheapest_blend == D("1.6")
    assert "50/50" in cost_comparison(
        compare(a, sheet("B", offerings=(offer("X", "9", "9"),)), input_share=50)
    )


def test_delisted_offering_is_not_a_current_price():
    a = sheet(
        "A", offerings=(offer("Old", "0.01", "0.01", is_current=False), offer("New", "1", "1"))
    )
    assert compare(a, sheet("B")).price_a.cheapest.provider_name == "New"


def test_on_a_tie_the_makers_own_api_is_named():
    # GPT-5 was headlined by Azure: the alphabetical first of equal prices.
    gpt5 = sheet(
        "GPT-5",
        organization_slug="openai",
        offerings=(
            offer("Azure", "1.25", "10"),
            offer("OpenAI API", "1.25", "10", provider_first_party_for="openai"),
            offer("OpenRouter", "1.25", "10.005"),
        ),
    )
    price = compare(gpt5, sheet("B")).price_a
    assert price.cheapest.provider_name == "OpenAI API"
    assert price.headline.same_price_on == ("Azure", "OpenRouter")
    assert "the same price as on Azure and OpenRouter" in price_sentence(
        gpt5, price, "GPT-5", TODAY
    )


def test_a_source_that_shows_no_price_never_headlines():
    a = sheet(
        "A",
        offerings=(
            offer("Cheap", "0.1", "0.1", source_shows_price=False),
            offer("Listed", "1", "1"),
        ),
    )
    price = compare(a, sheet("B")).price_a
    assert price.cheapest.provider_name == "Listed"
    assert set(price.hosts) == {"Cheap", "Listed"}


def test_ended_offerings_are_not_cheapest_nor_available():
    a = sheet(
        "A",
        offerings=(
            offer("Gone", "0.1", "0.1", ended_on=datetime.date(2025, 7, 14)),
            offer("Here", "1", "1"),
        ),
    )
    price = compare(a, sheet("B")).price_a
    assert price.cheapest.provider_name == "Here" and price.hosts == ("Here",)
    before = compare(a, sheet("B"), today=datetime.date(2025, 7, 13)).price_a
    assert before.cheapest.provider_name == "Gone"


def test_smaller_context_at_the_cheapest_host_is_said():
    a = sheet("A", offerings=(offer("DeepInfra", "0.1", "0.1", context_window=64_000),))
    price = compare(a, sheet("B")).price_a
    assert price.headline_context == 64_000
    assert "DeepInfra serves up to 64K tokens of context." in price_sentence(a, price, "A", TODAY)


# --- context ------------------------------------------------------------------------------


def test_context_gap_under_25_percent_is_no_advantage():
    a = sheet("A", context_window=262_144)
    b = sheet("B", context_window=256_000)
    c = compare(a, b)
    assert c.longer_context is None
    assert not any("context" in x for x in advantages(c, A))
    assert "Both have a 256K-token context window." in narrate(c).summary
    wide = compare(sheet("A", context_window=1_047_576), sheet("B", context_window=128_000))
    assert wide.longer_context is A
    assert "1M tokens against 128K" in " ".join(advantages(wide, A))


# --- benchmarks -----------------------------------------------------------------------------


def test_leads_only_on_comparable_sourced_scores_and_largest_gap_named():
    a = sheet("A", scores=(score("mmlu", "20"), score("bfcl", "10.8"), score("aime", "90")))
    b = sheet("B", scores=(score("mmlu", "83.2"), score("bfcl", "53.2")))
    c = compare(a, b)
    assert [row.slug for row in c.shared_benchmarks] == ["bfcl", "mmlu"]
    assert c.largest_gap.slug == "mmlu" and c.largest_gap.gap == D("63.2")
    text = narrate(c).deep_dive[0]
    assert "The largest gap is 63.2 points on MMLU, in favour of B." in text
    assert "AIME for A only" in text
    assert "aime" not in [row.slug for row in c.leads(A)]


def test_unsourced_scores_are_shown_never_counted():
    # The seed pair's MMLU-Pro 20 vs 83.2, both without a source.
    a = sheet("A", scores=(score("mmlu-pro", "20", source_url=""), score("bfcl", "10.82")))
    b = sheet("B", scores=(score("mmlu-pro", "83.2", source_url=""), score("bfcl", "53.24")))
    c = compare(a, b)
    n = narrate(c)
    assert [row.slug for row in c.counted_benchmarks] == ["bfcl"]
    assert {row.slug: label for row, label in n.benchmark_rows}["mmlu-pro"] == ("no source yet")
    assert "MMLU-PRO" not in n.verdict and "MMLU-PRO" not in " ".join(n.choose)
    assert not any("MMLU-PRO" in a for _, a in n.faq)


def test_best_of_n_against_single_attempt_never_decides():
    # Claude 3.7 Sonnet's GPQA 84.8 is best-of-256; its AIME and MATH used extended thinking.
    a = sheet(
        "Claude 3.7 Sonnet",
        scores=(
            score("gpqa", "84.8", "maker", reasoning="on", attempts="best-of-256"),
            score("aime", "80", "maker", reasoning="on"),
            score("math", "96.2", "maker", reasoning="on"),
        ),
    )
    b = sheet(
        "Claude Sonnet 4",
        short_name="Sonnet 4",
        scores=(
            score("gpqa", "70", "maker", reasoning="off"),
            score("aime", "43.4", "third-party", reasoning="off"),
            score("math", "94", "third-party", reasoning="off"),
        ),
    )
    c = compare(a, b)
    n = narrate(c)
    assert c.counted_benchmarks == ()
    assert "scores higher" not in n.verdict
    assert "higher scores" not in " ".join(n.choose)
    labels = {row.slug: label for row, label in n.benchmark_rows}
    assert labels["gpqa"] == (
        "not directly comparable: reasoning on vs reasoning off and best-of-256 vs single attempt"
    )
    assert labels["aime"] == "not directly comparable: reasoning on vs reasoning off"


def test_one_harness_one_table():
    # DeepSeek-R1 vs o1 on SWE-bench: the R1 table gives both, 0.3 points apart.
    r1 = sheet("DeepSeek-R1", scores=(score("swe", "49.2", "maker", table="r1"),))
    o1 = sheet(
        "o1",
        scores=(
            score("swe", "41", "maker", harness="OpenAI scaffold", source_url="https://o"),
            score("swe", "48.9", "third-party", table="r1"),
        ),
    )
    c = compare(r1, o1)
    row = c.benchmarks[0]
    assert row.b.value == D("48.9") and row.about_even
    n = narrate(c)
    assert "8.2" not in all_text(n)
    assert "about even" in n.deep_dive[0]
    assert c.largest_gap is None


def test_one_sided_benchmark_is_never_compared():
    c = compare(sheet("A", scores=(score("x", "50"),)), sheet("B"))
    assert c.largest_gap is None
    assert "No benchmark has comparable, sourced scores" in narrate(c).deep_dive[0]


def test_close_scores_are_about_even():
    c = compare(sheet("A", scores=(score("x", "50"),)), sheet("B", scores=(score("x", "51.9"),)))
    assert c.largest_gap is None and c.leads(A) == () and c.leads(B) == ()
    assert "about even" in narrate(c).deep_dive[0]


def test_saturated_benchmark_never_decides():
    easy = score("he", "95", saturated=True)
    c = compare(sheet("A", scores=(easy,)), sheet("B", scores=(replace(easy, value=D("80")),)))
    assert c.benchmarks[0].leader is A and not c.benchmarks[0].decides
    n = narrate(c)
    assert "scores higher" not in n.verdict and "higher scores" not in n.choose[0]


def test_verdict_count_says_when_a_saturated_benchmark_is_left_out():
    easy = score("he", "95", saturated=True)
    a = sheet("A", scores=(easy, score("x", "70"), score("y", "60")))
    b = sheet("B", scores=(replace(easy, value=D("80")), score("x", "50"), score("y", "40")))
    n = narrate(compare(a, b))
    # The deep dive compares three benchmarks; the verdict counts the two that decide.
    assert "comparable, sourced scores on 3 benchmarks" in n.deep_dive[0]
    assert "both benchmarks with comparable, sourced scores not near their ceiling" in n.verdict


def test_lower_is_better_benchmark():
    low = ScoreFacts(
        "err", "Error rate", D("5"), "independent", higher_is_better=False, source_url="https://s"
    )
    high = replace(low, value=D("9"))
    c = compare(sheet("A", scores=(low,)), sheet("B", scores=(high,)))
    assert c.benchmarks[0].leader is A


def test_maker_scores_are_flagged():
    c = compare(
        sheet("A", scores=(score("x", "50", provenance="maker"),)),
        sheet("B", scores=(score("x", "60"),)),
    )
    assert "reported by the models' makers" in narrate(c).deep_dive[0]


# --- capabilities ---------------------------------------------------------------------------


def test_capabilities_differences_shared_and_unknown():
    a = sheet("A", capabilities=caps(vision=False, tool_use=True, reasoning=True))
    b = sheet("B", capabilities=caps(vision=True, tool_use=True, reasoning=None))
    text = " ".join(capability_sentences(compare(a, b)))
    assert "Only B supports vision." in text
    assert "For B, support for reasoning mode is not yet sourced." in text
    assert "Both support tool use" in text
    assert "For both, support for" in text and "code execution" in text


def test_neither_reads_or():
    a = sheet("A", capabilities=caps(vision=False, multimodal=False))
    b = sheet("B", capabilities=caps(vision=False, multimodal=False))
    assert "Neither supports vision or multimodal input." in capability_sentences(compare(a, b))


def test_unknown_is_never_an_advantage():
    a = sheet("A", capabilities=caps(vision=True))
    assert not any("vision" in x for x in advantages(compare(a, sheet("B")), A))


# --- choose when ----------------------------------------------------------------------------


def test_choose_lists_only_advantages_in_the_data():
    a = sheet(
        "A",
        open_weights=True,
        license="Apache-2.0",
        offerings=(offer("H1", "0.1", "0.1"), offer("H2", "0.2", "0.2"), offer("H4", "1", "1")),
        capabilities=caps(function_calling=True),
        scores=(score("x", "80"),),
    )
    b = sheet(
        "B",
        context_window=1_000_000,
        offerings=(offer("H3", "1", "1"),),
        capabilities=caps(function_calling=False, vision=True),
        scores=(score("x", "70"),),
    )
    c = compare(a, b)
    found_a = " | ".join(advantages(c, A))
    assert "a lower price, 90% less at a 70/30 blend" in found_a
    assert "open weights" in found_a
    assert "support for function calling" in found_a
    assert "higher scores on X" in found_a
    assert "more real-time providers, 3 against 1" in found_a
    assert advantages(c, B) == ["a longer context window of 1M tokens against 128K"]
    assert choose_sentence(c, B) == (
        "Choose B if you need a longer context window of 1M tokens against 128K."
    )
    assert choose_sentence(c, A).startswith("Choose A if you need a lower price, 90% less")
    assert choose_sentence(c, A).endswith("; or more real-time providers, 3 against 1.")
    one_more = compare(replace(a, offerings=a.offerings[:2]), b)
    assert not any("providers" in x for x in advantages(one_more, A))


def test_no_advantage_is_said_plainly():
    n = narrate(compare(sheet("A"), sheet("B")))
    assert n.choose == (
        "The data on this page shows no advantage for A.",
        "The data on this page shows no advantage for B.",
    )


# --- lifecycle ------------------------------------------------------------------------------


def test_retired_model_is_never_recommended():
    # GPT-4.5 Preview was removed from the API on 2025-07-14.
    gpt41 = sheet("GPT-4.1", context_window=1_047_576, offerings=(offer("OpenAI API", "2", "8"),))
    gpt45 = sheet(
        "GPT-4.5 Preview",
        deprecated_on=datetime.date(2025, 4, 14),
        retired_on=datetime.date(2025, 7, 14),
        successor=ModelRef("gpt-4-1", "GPT-4.1"),
        offerings=(offer("OpenAI API", "75", "150"),),
        scores=(score("x", "90"),),
    )
    c = compare(gpt41, replace(gpt45, scores=(score("x", "90"),)))
    n = narrate(c)
    assert not n.choose[1].startswith("Choose")
    assert n.choose[1] == (
        "GPT-4.5 Preview is retired and is not recommended. Its maker recommends GPT-4.1 instead."
    )
    assert n.verdict.startswith("GPT-4.5 Preview was retired on 2025-07-14.")
    assert c.price_b.headline is None and c.price_b.hosts == ()
    assert n.notices[0].text.startswith("GPT-4.5 Preview was retired on 2025-07-14.")
    assert dict(n.faq)["Is GPT-4.5 Preview still available?"].startswith("No.")
    assert "retired 2025-07-14" in n.description


def test_deprecated_model_notice_and_pair_link_to_successor():
    old = sheet(
        "Old",
        deprecated_on=datetime.date(2026, 1, 1),
        retired_on=datetime.date(2027, 1, 1),
        successor=ModelRef("new", "New"),
    )
    n = narrate(compare(old, sheet("Other")))
    notice = n.notices[0]
    assert notice.text == (
        "Old is deprecated and will be retired on 2027-01-01. Its maker names New as its successor."
    )
    assert notice.successor_pair == "new-vs-other"
    assert dict(n.faq)["Is Old still available?"].startswith("For now.")
    assert n.choose[0].startswith("The data") or n.choose[0].startswith("Choose")


# --- prose ----------------------------------------------------------------------------------


def test_names_keep_their_case():
    o3 = sheet("o3", offerings=(offer("H", "2", "8"),), scores=(score("x", "90"),))
    oss = sheet("gpt-oss-20b", offerings=(offer("H", "0.05", "0.2"),), scores=(score("x", "50"),))
    n = narrate(compare(o3, oss))
    text = all_text(n)
    assert "O3" not in text and "Gpt-oss" not in text


def test_short_name_after_the_first_mention():
    a = sheet(
        "Llama 3.2 1B Instruct",
        short_name="Llama 3.2 1B",
        organization_name="Meta",
        context_window=131_072,
    )
    summary = narrate(compare(a, sheet("Other Model", context_window=128_000))).summary
    assert "Both have a 128K-token context window." in summary
    summary = narrate(compare(a, sheet("Other Model", context_window=32_768))).summary
    assert summary.count("Llama 3.2 1B Instruct") == 1
    assert "Llama 3.2 1B has a 128K-token context window" in summary


def test_class_difference_is_said_once_from_the_data():
    small = sheet("Tiny", open_weights=True, parameter_count=1_230_000_000)
    large = sheet("Huge", open_weights=True, parameter_count=405_000_000_000)
    summary = narrate(compare(small, large)).summary
    assert "They are different classes of model: Huge has 405B parameters" in summary
    thinker = sheet("Thinker", capabilities=caps(reasoning=True))
    plain = sheet("Plain", capabilities=caps(reasoning=False))
    assert (
        "Thinker has a reasoning mode and Plain does not"
        in narrate(compare(thinker, plain)).summary
    )
    frontier = sheet("Frontier", capabilities=caps(reasoning=None))
    assert "small open-weights model" in narrate(compare(small, frontier)).summary


def test_meta_description_holds_facts_not_the_verdict():
    a = sheet("A", offerings=(offer("H", "0.06", "0.06"),), scores=(score("x", "10"),))
    b = sheet("B", offerings=(offer("H", "1", "4"),), scores=(score("x", "80"),))
    n = narrate(compare(a, b))
    assert n.verdict not in n.description
    assert "less" not in n.description and "higher" not in n.description
    assert "$0.06 in / $0.06 out per 1M tokens" in n.description


def test_no_nested_parentheses():
    a = sheet("Mistral Large (24.11)", offerings=(offer("La Plateforme (EU)", "2", "6"),))
    b = sheet("B", offerings=(offer("H", "1", "1"),))
    text = all_text(narrate(compare(a, b)))
    depth = 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        assert depth <= 1


# --- verdict, FAQ, missing data -------------------------------------------------------------


def test_verdict_follows_the_figures():
    a = sheet("A", offerings=(offer("H", "0.06", "0.06"),), scores=(score("x", "10"),))
    b = sheet(
        "B",
        context_window=200_000,
        offerings=(offer("H", "1", "4"),),
        scores=(score("x", "80"), score("y", "50")),
    )
    a = replace(a, scores=(*a.scores, score("y", "20")))
    assert verdict(compare(a, b)) == (
        "A costs 97% less at a 70/30 blend. "
        "B scores higher on both benchmarks with comparable, sourced scores. "
        "B has the longer context window."
    )


def test_verdict_with_no_shared_data():
    assert "not yet hold enough comparable data" in verdict(
        compare(sheet("A", context_window=None), sheet("B"))
    )


def test_faq_asks_by_task_and_only_where_data_answers():
    a = sheet(
        "A",
        open_weights=True,
        license="CC-BY-NC-4.0",
        offerings=(offer("H", "1", "1"),),
        scores=(score("swe", "60", task="coding"), score("aime", "50", task="math")),
    )
    b = sheet(
        "B",
        offerings=(offer("H", "2", "2"),),
        scores=(score("swe", "40", task="coding"),),
    )
    faq = narrate(compare(a, b)).faq
    questions = [q for q, _ in faq]
    assert questions == [
        "Which is better for coding, A or B?",
        "Which is cheaper, A or B?",
        "Can I self-host A?",
    ]
    assert "does not allow commercial use" in dict(faq)["Can I self-host A?"]
    bare = [q for q, _ in narrate(compare(sheet("A", context_window=None), sheet("B"))).faq]
    assert bare == []


def test_model_without_offerings_scores_or_review_reads_sensibly():
    a = sheet("A", context_window=None, released_on=None, license="")
    n = narrate(compare(a, sheet("B")))
    text = all_text(n)
    assert "None" not in text
    assert " 0 " not in text
    assert "for A it is not yet sourced" in n.summary
    line, stale = review_line((a, sheet("B")), datetime.date(2026, 1, 1), 90)
    assert line == "A and B have never been reviewed; the data may be out of date." and stale


def test_identical_models_data():
    same = sheet("A", offerings=(offer("H", "1", "1"),), scores=(score("x", "5"),))
    twin = replace(same, slug="twin", name="Twin")
    n = narrate(compare(same, twin))
    assert "about the same" in n.verdict
    assert "about even" in n.deep_dive[0]


def test_review_line_uses_older_date_and_threshold():
    a = sheet("A", last_reviewed_on=datetime.date(2026, 4, 24))
    b = sheet("B", last_reviewed_on=datetime.date(2026, 6, 1))
    assert review_line((a, b), datetime.date(2026, 5, 1), 90) == (
        "Last reviewed 2026-04-24.",
        False,
    )
    line, stale = review_line((a, b), datetime.date(2026, 11, 29), 90)
    assert stale and line == "Last reviewed 2026-04-24, 219 days ago: the data may be out of date."
    one_never = review_line((a, sheet("B")), datetime.date(2026, 5, 1), 90)
    assert one_never == ("B has never been reviewed; the data may be out of date.", True)


@pytest.mark.parametrize("share", [1, 50, 70, 99])
def test_narrative_never_prints_python_values(share):
    a = sheet("A", offerings=(offer("H", "0.3", "0.9"),), scores=(score("x", "12.5"),))
    b = sheet("B", offerings=(offer("H", "0.3", "0.9"),))
    text = all_text(narrate(compare(a, b, input_share=share)))
    assert "None" not in text and "Decimal" not in text
