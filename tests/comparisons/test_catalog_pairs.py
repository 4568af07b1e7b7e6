"""The pairs that read wrong before, on the bundled catalog, as a reader sees them."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from comparisons import figures, narrative, selectors
from comparisons.scores import Side
from tests.comparisons.test_views import visible_text

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 29)


def pair(a: str, b: str):
    sheets = selectors.pair_sheets(a, b)
    assert sheets is not None
    c = figures.compare(*sheets, input_share=70, today=TODAY)
    return c, narrative.narrate(c)


def rows(c) -> dict:
    return {row.slug: row for row in c.benchmarks}


def test_claude_3_7_sonnet_vs_sonnet_4_rests_on_no_best_of_n(bundled_catalog):
    c, n = pair("claude-3-7-sonnet", "claude-sonnet-4")
    gpqa = rows(c)["gpqa-diamond"]
    assert not gpqa.counts
    assert gpqa.mark.startswith("not directly comparable: best-of-256 vs")
    assert not rows(c)["aime-2024"].counts and not rows(c)["math-500"].counts
    assert "scores higher" not in n.verdict
    assert not any("higher scores" in line for line in n.choose)
    assert not any("better for" in question for question, _ in n.faq)
    assert "on all 3 shared benchmarks" not in n.description


def test_deepseek_r1_vs_o1_compares_one_table(bundled_catalog):
    c, n = pair("deepseek-r1", "o1")
    swe = rows(c)["swe-bench-verified"]
    assert swe.counts and swe.a.table == swe.b.table != ""
    assert (swe.a.value, swe.b.value) == (Decimal("49.2"), Decimal("48.9"))
    assert swe.about_even and swe.leader is None
    assert "8.2" not in " ".join([n.verdict, *n.deep_dive, *n.choose])


def test_seed_pair_concludes_only_from_sourced_scores(bundled_catalog):
    c, n = pair("llama-3-2-1b-instruct", "o4-mini")
    assert rows(c)["mmlu-pro"].mark == "no source yet"
    assert [row.slug for row in c.counted_benchmarks] == ["bfcl"]
    assert "MMLU-Pro" not in n.verdict and "MMLU-Pro" not in " ".join(n.choose)
    assert not any("MMLU-Pro" in answer for _, answer in n.faq)


def test_gpt_4_5_preview_is_retired_and_never_recommended(bundled_catalog, client):
    c, n = pair("gpt-4-1", "gpt-4-5-preview")
    side = Side.A if c.a.slug == "gpt-4-5-preview" else Side.B
    assert c.lifecycle(side).is_retired
    line = n.choose[0 if side is Side.A else 1]
    assert line.startswith("GPT-4.5 Preview is retired and is not recommended.")
    notice = next(x for x in n.notices if x.slug == "gpt-4-5-preview")
    assert "retired on 2025-07-14" in notice.text
    assert c.price(side).headline is None
    page = visible_text(client.get("/compare/gpt-4-1-vs-gpt-4-5-preview/"))
    assert "GPT-4.5 Preview was retired on 2025-07-14." in page
    assert "Choose GPT-4.5 Preview" not in page
    model_page = visible_text(client.get("/models/gpt-4-5-preview/"))
    assert "GPT-4.5 Preview was retired on 2025-07-14." in model_page


def test_gpt_5_headline_provider_is_the_openai_api(bundled_catalog):
    c, _ = pair("gpt-5", "gpt-5-mini")
    assert c.price_a.cheapest.provider_name == "OpenAI API"
    assert c.price_b.cheapest.provider_name == "OpenAI API"


def test_gpt_4_1_mini_vs_qwen_coder_prices_about_the_same(bundled_catalog):
    c, n = pair("gpt-4-1-mini", "qwen2-5-coder-32b-instruct")
    assert c.about_same_price
    text = " ".join([n.verdict, *n.choose, *(a for _, a in n.faq)])
    assert "1× as much" not in text and "0.3%" not in text
    assert "They cost about the same" in n.verdict


def test_package_pages_never_headline(bundled_catalog):
    for sheet in selectors.sheet_queryset():
        price = figures.price_summary(selectors.sheet_of(sheet), figures.InputShare(70), TODAY)
        if price.headline is not None:
            assert "pypi.org" not in price.headline.offering.source_url
