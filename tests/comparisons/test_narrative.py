"""The generated text: every rule of the pair page, on plain data (no database)."""

from __future__ import annotations

import datetime
import re
from dataclasses import replace
from decimal import Decimal

import pytest

from comparisons.facts import ModelSheet, OfferingFacts, ScoreFacts
from comparisons.narrative import (
    advantages,
    capability_sentences,
    compare,
    cost_comparison,
    describe,
    narrate,
    price_sentence,
    review_line,
    verdict,
)

D = Decimal
ALL_CAPS = (
    "vision",
    "multimodal",
    "reasoning",
    "function_calling",
    "tool_use",
    "structured_outputs",
    "code_execution",
)


def offer(provider, input_price, output_price, kind="inference", **extra) -> OfferingFacts:
    return OfferingFacts(
        provider.lower().replace(" ", "-"), provider, kind, D(input_price), D(output_price), **extra
    )


def score(slug, value, provenance="independent", name=None) -> ScoreFacts:
    return ScoreFacts(slug, name or slug.upper(), D(value), provenance, source_url="https://s")


def sheet(name="Alpha", **extra) -> ModelSheet:
    base = {
        "slug": name.lower(),
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
        [n.summary, n.verdict, *n.deep_dive, *n.choose, *(q + " " + a for q, a in n.faq)]
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
    assert c.cheaper == "a"
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


def test_equal_prices_are_said_to_be_equal():
    a = sheet("A", offerings=(offer("H1", "1", "2"),))
    b = sheet("B", offerings=(offer("H2", "1", "2"),))
    c = compare(a, b)
    assert c.cheaper is None and c.prices_equal
    assert "both cost $1.30" in cost_comparison(c)
    assert "less" not in cost_comparison(c)
    assert "lower price" not in " ".join(advantages(c, "a") + advantages(c, "b"))


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
    assert "free tier is offered on Free Host" in price_sentence(a, c.price_a)


def test_cheaper_batch_is_mentioned_on_its_own():
    b = sheet(
        "B",
        offerings=(offer("API", "1.10", "4.40"), offer("Batch API", "0.55", "2.20", kind="batch")),
    )
    c = compare(sheet("A"), b)
    assert c.price_b.cheapest.provider_name == "API"
    text = price_sentence(b, c.price_b)
    assert text.startswith("B costs $1.10/1M input and $4.40/1M output tokens")
    assert "via Batch API: $0.55/1M input and $2.20/1M output tokens" in text


def test_only_batch_offering_is_not_called_cheapest():
    b = sheet("B", offerings=(offer("Batch API", "0.5", "1", kind="batch"),))
    c = compare(sheet("A"), b)
    assert c.price_b.cheapest is None
    assert "no paid real-time price tracked yet; via Batch API" in price_sentence(b, c.price_b)


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


# --- benchmarks -----------------------------------------------------------------------------


def test_leads_only_on_shared_benchmarks_and_largest_gap_named():
    a = sheet("A", scores=(score("mmlu", "20"), score("bfcl", "10.8"), score("aime", "90")))
    b = sheet("B", scores=(score("mmlu", "83.2"), score("bfcl", "53.2")))
    c = compare(a, b)
    assert [row.slug for row in c.shared_benchmarks] == ["bfcl", "mmlu"]
    assert c.largest_gap.slug == "mmlu" and c.largest_gap.gap == D("63.2")
    text = narrate(c).deep_dive[0]
    assert "The largest gap is 63.2 points on MMLU, in favour of B." in text
    assert "AIME (A only)" in text
    assert "aime" not in [row.slug for row in c.leads("a")]


def test_one_sided_benchmark_is_never_compared():
    c = compare(sheet("A", scores=(score("x", "50"),)), sheet("B"))
    assert c.largest_gap is None
    assert "no benchmark in common" in narrate(c).deep_dive[0]
    assert not any(q.startswith("Which scores higher") for q, _ in narrate(c).faq)


def test_tie_is_a_tie():
    c = compare(sheet("A", scores=(score("x", "50"),)), sheet("B", scores=(score("x", "50"),)))
    assert c.largest_gap is None
    assert "a tie" in narrate(c).deep_dive[0]


def test_lower_is_better_benchmark():
    low = ScoreFacts("err", "Error rate", D("5"), "independent", higher_is_better=False)
    high = replace(low, value=D("9"))
    c = compare(sheet("A", scores=(low,)), sheet("B", scores=(high,)))
    assert c.benchmarks[0].leader == "a"


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
    assert "vision: B has it, A does not" in text
    assert "reasoning mode: A has it; for B it is not yet sourced" in text
    assert "Both support tool use" in text
    assert "Not yet sourced for either:" in text and "code execution" in text


def test_unknown_is_never_no():
    a = sheet("A", capabilities=caps(vision=True))
    n = narrate(compare(a, sheet("B")))
    vision = dict(n.faq)["Which supports vision, A or B?"]
    assert vision == "A supports vision; for B vision is not yet sourced."
    assert "vision" not in advantages(compare(a, sheet("B")), "a")


def test_capability_questions_only_when_answerable():
    questions = [q for q, _ in narrate(compare(sheet("A"), sheet("B"))).faq]
    assert not any("vision" in q or "reasoning" in q for q in questions)


# --- choose when ----------------------------------------------------------------------------


def test_choose_lists_only_advantages_in_the_data():
    a = sheet(
        "A",
        open_weights=True,
        license="Apache-2.0",
        offerings=(offer("H1", "0.1", "0.1"), offer("H2", "0.2", "0.2")),
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
    found_a = " | ".join(advantages(c, "a"))
    assert "lower price (90% less at the blend)" in found_a
    assert "open weights" in found_a
    assert "support for function calling" in found_a
    assert "higher scores on X" in found_a
    assert "more providers (2 vs 1)" in found_a
    found_b = advantages(c, "b")
    assert found_b == [
        "a longer context window (1M vs 128K tokens)"
    ]  # vision vs unknown is no advantage


def test_no_advantage_is_said_plainly():
    n = narrate(compare(sheet("A"), sheet("B")))
    assert n.choose == (
        "The data on this page shows no advantage for A.",
        "The data on this page shows no advantage for B.",
    )


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
        "A costs 97% less at a 70/30 blend; B scores higher on both shared benchmarks; "
        "B has the longer context window."
    )


def test_verdict_with_no_shared_data():
    assert "not yet hold enough shared data" in verdict(
        compare(sheet("A", context_window=None), sheet("B"))
    )


def test_faq_questions_only_where_data_answers():
    full_a = sheet(
        "A",
        offerings=(offer("H", "1", "1"),),
        scores=(score("x", "1"),),
        capabilities=caps(vision=True, reasoning=False),
    )
    full_b = sheet("B", offerings=(offer("H", "2", "2"),), scores=(score("x", "2"),))
    questions = [q for q, _ in narrate(compare(full_a, full_b)).faq]
    assert questions == [
        "Which is cheaper, A or B?",
        "Is A or B open source?",
        "Which supports vision, A or B?",
        "Which supports reasoning mode, A or B?",
        "Which has the longer context window, A or B?",
        "Where can I run A and B?",
        "Which scores higher on X, A or B?",
    ]
    bare = [q for q, _ in narrate(compare(sheet("A", context_window=None), sheet("B"))).faq]
    assert bare == ["Is A or B open source?"]


def test_model_without_offerings_scores_or_review_reads_sensibly():
    a = sheet("A", context_window=None, released_on=None, license="")
    n = narrate(compare(a, sheet("B")))
    text = all_text(n)
    assert "None" not in text
    assert " 0 " not in text
    assert "a context window not yet sourced" in n.summary
    line, stale = review_line((a, sheet("B")), datetime.date(2026, 1, 1), 90)
    assert line == "A and B have never been reviewed; the data may be out of date." and stale


def test_identical_models_data():
    same = sheet("A", offerings=(offer("H", "1", "1"),), scores=(score("x", "5"),))
    twin = replace(same, slug="twin", name="Twin")
    n = narrate(compare(same, twin))
    assert "both cost" in n.summary
    assert "a tie" in n.deep_dive[0]


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
