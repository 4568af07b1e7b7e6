"""Properties of the pair page's figures and text over generated catalogs (no database)."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from comparisons import formatting as fmt
from comparisons.facts import ModelRef, ModelSheet, OfferingFacts, ScoreConditions, ScoreFacts
from comparisons.figures import Comparison, compare
from comparisons.narrative import Narrative, narrate
from comparisons.scores import Side, comparable

TODAY = datetime.date(2026, 11, 29)
NAMES = ("o3", "gpt-oss-20b", "Llama 3.2 1B Instruct", "GPT-4.5 Preview", "Claude Sonnet 4")
BENCHMARKS = (
    ("bench-alpha", "Bench Alpha", "coding", False),
    ("bench-beta", "Bench Beta", "math", False),
    ("bench-gamma", "Bench Gamma", "math", True),
    ("bench-delta", "Bench Delta", "", False),
)
CAPS = (
    "vision",
    "multimodal",
    "reasoning",
    "function_calling",
    "tool_use",
    "structured_outputs",
    "code_execution",
)

prices = st.decimals(min_value=0, max_value=100, places=3, allow_nan=False, allow_infinity=False)
dates = st.one_of(st.none(), st.dates(datetime.date(2024, 1, 1), datetime.date(2027, 12, 31)))


@st.composite
def offerings(draw) -> OfferingFacts:
    provider = draw(st.sampled_from(("Host A", "Host B", "Maker API", "Batch")))
    return OfferingFacts(
        provider_slug=provider.lower().replace(" ", "-"),
        provider_name=provider,
        provider_kind="batch" if provider == "Batch" else "inference",
        input_usd_per_mtok=draw(prices),
        output_usd_per_mtok=draw(prices),
        context_window=draw(st.one_of(st.none(), st.integers(1_000, 2_000_000))),
        free_tier=draw(st.booleans()),
        is_current=draw(st.booleans()),
        provider_first_party_for="maker" if provider == "Maker API" else "",
        ended_on=draw(dates),
        source_shows_price=draw(st.booleans()),
    )


@st.composite
def scores(draw) -> ScoreFacts:
    slug, name, task, saturated = draw(st.sampled_from(BENCHMARKS))
    return ScoreFacts(
        benchmark_slug=slug,
        benchmark_name=name,
        value=draw(st.decimals(min_value=0, max_value=100, places=2)),
        provenance=draw(st.sampled_from(("maker", "independent", "third-party"))),
        source_url=draw(st.sampled_from(("", "https://a.example", "https://b.example"))),
        conditions=ScoreConditions(
            reasoning=draw(st.sampled_from(("", "on", "off"))),
            attempts=draw(st.sampled_from(("", "pass@1", "best-of-256"))),
            harness=draw(st.sampled_from(("", "Agentless", "OpenHands"))),
        ),
        table=draw(st.sampled_from(("", "t1"))),
        task=task,
        saturated=saturated,
    )


@st.composite
def sheets(draw, name: str, slug: str) -> ModelSheet:
    retired = draw(dates)
    return ModelSheet(
        slug=slug,
        name=name,
        short_name=draw(st.sampled_from(("", name.split(" ")[0]))),
        organization_name="Maker",
        organization_slug="maker",
        released_on=draw(dates),
        context_window=draw(st.one_of(st.none(), st.integers(1_000, 2_000_000))),
        parameter_count=draw(st.one_of(st.none(), st.integers(10**8, 2 * 10**12))),
        open_weights=draw(st.booleans()),
        license=draw(st.sampled_from(("", "Apache-2.0", "CC-BY-NC-4.0", "Proprietary"))),
        capabilities={c: draw(st.sampled_from((None, True, False))) for c in CAPS},
        retired_on=retired,
        deprecated_on=retired - datetime.timedelta(days=90) if retired else None,
        successor=draw(st.sampled_from((None, ModelRef("next", "Next Model")))),
        offerings=tuple(draw(st.lists(offerings(), max_size=4))),
        scores=tuple(draw(st.lists(scores(), max_size=5))),
    )


@st.composite
def pairs(draw) -> tuple[Comparison, Narrative]:
    name_a, name_b = draw(st.lists(st.sampled_from(NAMES), min_size=2, max_size=2, unique=True))
    a = draw(sheets(name_a, "model-a"))
    b = draw(sheets(name_b, "model-b"))
    share = draw(st.integers(1, 99))
    c = compare(a, b, share, today=TODAY)
    return c, narrate(c)


def all_text(n: Narrative) -> str:
    return " ".join(
        [
            n.title,
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


PROPERTY = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(pairs())
def test_no_python_values_in_text(pair):
    _, n = pair
    text = all_text(n)
    for word in ("None", "Decimal", "nan", "NaN", "inf"):
        assert not re.search(rf"\b{word}\b", text), word


@PROPERTY
@given(pairs())
def test_percent_less_below_100_and_matching_the_figures(pair):
    c, n = pair
    text = all_text(n)
    stated = re.findall(r"([\d.]+)% less", text)
    for value in stated:
        assert Decimal(value) < 100
    if stated:
        assert c.gap is not None
        assert set(stated) == {fmt.percent_less(c.gap.percent_less).rstrip("%")}
        assert c.gap.percent_less >= 3


@PROPERTY
@given(pairs())
def test_ratios_are_consistent_and_only_from_1_15(pair):
    c, n = pair
    for value in re.findall(r"costs ([\d.]+)× as much", all_text(n)):
        assert c.gap is not None and c.gap.times is not None
        assert c.gap.times >= Decimal("1.15")
        assert f"{value}×" == fmt.times(c.gap.times)
        # X% less and N× as much describe the same two prices.
        assert abs((1 - c.gap.percent_less / 100) * c.gap.times - 1) < Decimal("1e-9")


@PROPERTY
@given(pairs())
def test_leads_only_from_comparable_sourced_scores(pair):
    c, n = pair
    for side in (Side.A, Side.B):
        for row in c.leads(side):
            assert row.a is not None and row.b is not None
            assert row.a.source_url and row.b.source_url
            assert comparable(row.a, row.b, row.benchmark)
            assert not row.benchmark.saturated
    deciding = {row.name for row in c.benchmarks if row.decides}
    for row in c.benchmarks:
        if row.name not in deciding:
            assert row.name not in n.verdict
            assert not any(f"higher scores on {row.name}" in line for line in n.choose)


@PROPERTY
@given(pairs())
def test_a_retired_model_is_never_recommended(pair):
    c, n = pair
    for side, line in zip((Side.A, Side.B), n.choose, strict=True):
        if c.lifecycle(side).is_retired:
            assert not line.startswith("Choose")
            assert c.price(side).headline is None


@PROPERTY
@given(pairs())
def test_names_keep_their_case(pair):
    c, n = pair
    text = all_text(n)
    for sheet in (c.a, c.b):
        for name in {sheet.name, sheet.display_short_name}:
            for match in re.finditer(re.escape(name), text, flags=re.IGNORECASE):
                assert match.group(0) == name


@PROPERTY
@given(pairs())
def test_no_nested_parentheses(pair):
    _, n = pair
    depth = 0
    for char in all_text(n):
        depth += {"(": 1, ")": -1}.get(char, 0)
        assert depth <= 1
