"""Comparisons of 2-4 models: URL rules (pure), figures, and the page over HTTP."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from comparisons import nway
from comparisons.facts import ModelSheet, OfferingFacts, ScoreConditions, ScoreFacts
from tests.factories import (
    BenchmarkFactory,
    LanguageModelFactory,
    OfferingFactory,
    ProviderFactory,
    ScoreFactory,
)


@pytest.mark.parametrize(
    ("slugs", "parsed"),
    [
        ("a-vs-b", ("a", "b")),
        ("c-vs-a-vs-b", ("c", "a", "b")),
        ("a-vs-b-vs-c-vs-d", ("a", "b", "c", "d")),
        ("a", None),
        ("a-vs-b-vs-c-vs-d-vs-e", None),
        ("a-vs-b-vs-a", None),
        ("a-vs--vs-b", None),
        ("-vs-a", None),
    ],
)
def test_parse(slugs, parsed):
    assert nway.parse(slugs) == parsed


def test_canonical_order_is_alphabetical():
    assert nway.path_segment(["o4-mini", "gpt-5", "gpt-5-mini"]) == "gpt-5-vs-gpt-5-mini-vs-o4-mini"


def sheet(slug: str, *, price: str | None = None, context: int | None = None, scores=(), **kw):
    offerings = (
        (OfferingFacts(slug + "-host", "Host", "inference", Decimal(price), Decimal(price)),)
        if price
        else ()
    )
    return ModelSheet(
        slug=slug,
        name=slug.title(),
        organization_name="Org",
        context_window=context,
        offerings=offerings,
        scores=tuple(scores),
        **kw,
    )


TODAY = datetime.date(2025, 6, 1)


def score(value: str, source: str = "https://example.com/s", **kw) -> ScoreFacts:
    kw.setdefault("task", "coding")
    return ScoreFacts("bench", "Bench", Decimal(value), "independent", source_url=source, **kw)


def test_summary_names_cheapest_longest_context_leader_and_retired():
    sheets = [
        sheet("a", price="1", context=100_000, scores=[score("80")]),
        sheet("b", price="3", context=400_000, scores=[score("70")]),
        sheet("c", price="0.5", retired_on=datetime.date(2025, 1, 1), scores=[score("90", "")]),
    ]
    figures = nway.compare(sheets, input_share=70, today=TODAY)
    text = " ".join(nway.summary(figures))
    # The retired model is never named cheapest; the unsourced 90 is never counted.
    assert "A is the cheapest, at $1.00 per million blended tokens on Host" in text
    assert "the dearest, B, costs $3.00." in text
    assert "B has the longest context window, 400K tokens (the shortest here is 100K)." in text
    assert "On coding, A leads on comparable scores (Bench)." in text
    assert "C is retired" in text
    [row] = figures.benchmarks
    assert row.leader == "a" and row.lead_label == "A"


def test_summary_names_a_deprecated_model_and_its_retirement_date():
    sheets = [
        sheet("a", price="1", deprecated_on=datetime.date(2025, 5, 1)),
        sheet(
            "b",
            price="2",
            deprecated_on=datetime.date(2025, 5, 1),
            retired_on=datetime.date(2025, 9, 30),
        ),
        sheet("c", price="3"),
    ]
    text = " ".join(nway.summary(nway.compare(sheets, input_share=70, today=TODAY)))
    assert "A is deprecated; no retirement date is announced." in text
    assert "B is deprecated and will be retired on 2025-09-30." in text
    assert "C is deprecated" not in text


def test_no_shared_sourced_scores_ranks_nothing():
    sheets = [sheet("a", scores=[score("80")]), sheet("b"), sheet("c", scores=[score("90", "")])]
    figures = nway.compare(sheets, input_share=70, today=TODAY)
    [row] = figures.benchmarks
    assert not row.comparable and row.leader is None
    assert any("none is ranked" in s for s in nway.summary(figures))


def test_gap_under_the_noise_threshold_is_about_even():
    sheets = [sheet("a", scores=[score("80")]), sheet("b", scores=[score("81.5")])]
    [row] = nway.compare(sheets, input_share=70, today=TODAY).benchmarks
    assert row.comparable and row.leader is None and row.lead_label == "about even"


def test_scores_under_other_conditions_are_shown_not_compared():
    best_of = ScoreConditions(attempts="best-of-256")
    sheets = [
        sheet("a", scores=[score("95", conditions=best_of)]),
        sheet("b", scores=[score("80")]),
        sheet("c", scores=[score("70")]),
    ]
    figures = nway.compare(sheets, input_share=70, today=TODAY)
    [row] = figures.benchmarks
    assert row.counted == (False, True, True)
    assert row.leader == "b"
    assert "On coding, B leads" in " ".join(nway.summary(figures))


def test_reasoning_off_is_not_ranked_against_a_reasoning_models_unstated_setting():
    # As on a pair page: "off" for one reasoning model, nothing stated for another.
    off = ScoreConditions(reasoning="off")
    sheets = [
        sheet("a", scores=[score("43", conditions=off)], capabilities={"reasoning": True}),
        sheet("b", scores=[score("92")], capabilities={"reasoning": True}),
        sheet("c"),
    ]
    [row] = nway.compare(sheets, input_share=70, today=TODAY).benchmarks
    assert not row.comparable and row.leader is None
    assert row.lead_label == "not compared: no two like-for-like sourced scores"


def test_saturated_benchmark_decides_nothing():
    sheets = [
        sheet("a", scores=[score("95", saturated=True)]),
        sheet("b", scores=[score("80", saturated=True)]),
    ]
    figures = nway.compare(sheets, input_share=70, today=TODAY)
    [row] = figures.benchmarks
    assert row.leader == "a" and not row.decides
    assert "saturated" in row.lead_label
    assert any("none is ranked" in s for s in nway.summary(figures))


def test_split_lead_within_a_task():
    def two(slug, first, second):
        return sheet(
            slug,
            scores=[
                score(first),
                ScoreFacts(
                    "other",
                    "Other",
                    Decimal(second),
                    "independent",
                    source_url="https://example.com/o",
                    task="coding",
                ),
            ],
        )

    figures = nway.compare([two("a", "90", "50"), two("b", "60", "80")], 70, today=TODAY)
    text = " ".join(nway.summary(figures))
    assert "On coding, the lead is split: A on Bench and B on Other." in text


# --- over HTTP ------------------------------------------------------------------------------


@pytest.fixture
def trio(db):
    host = ProviderFactory(name="Host")
    bench = BenchmarkFactory(slug="bench", name="Bench")
    models = {}
    for slug, price, value in (("alpha", "1", "60"), ("beta", "2", "75"), ("gamma", "3", None)):
        models[slug] = LanguageModelFactory(slug=slug, name=slug.title())
        OfferingFactory(
            language_model=models[slug],
            provider=host,
            input_usd_per_mtok=Decimal(price),
            output_usd_per_mtok=Decimal(price),
        )
        if value:
            ScoreFactory(language_model=models[slug], benchmark=bench, value=Decimal(value))
    return models


def test_three_columns_with_conclusions(client, trio):
    LanguageModelFactory(slug="delta", name="Delta")
    response = client.get("/compare/alpha-vs-beta-vs-gamma/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Alpha vs Beta vs Gamma</h1>" in html
    assert "Alpha is the cheapest" in html
    assert "On other benchmarks, Beta leads on comparable scores (Bench)." in html
    assert '/compare/alpha-vs-gamma/"' in html  # each pair in detail
    assert '<input type="hidden" name="pick" value="gamma">' in html  # add a fourth
    assert 'rel="canonical" href="http://testserver/compare/alpha-vs-beta-vs-gamma/"' in html


@pytest.mark.parametrize(
    "url",
    [
        "/compare/gamma-vs-alpha-vs-beta/",
        "/compare/beta-vs-gamma-vs-alpha/?input_share=50",
    ],
)
def test_other_orders_redirect_permanently(client, trio, url):
    response = client.get(url)
    assert response.status_code == 301
    assert response["Location"].startswith("/compare/alpha-vs-beta-vs-gamma/")
    assert ("input_share=50" in response["Location"]) == ("input_share" in url)


@pytest.mark.parametrize(
    "url",
    [
        "/compare/alpha-vs-beta-vs-gamma-vs-delta-vs-omega/",
        "/compare/alpha-vs-beta-vs-alpha/",
        "/compare/alpha-vs-beta-vs-nope/",
        "/compare/alpha-vs--vs-beta/",
    ],
)
def test_more_than_four_duplicates_and_unknown_are_404(client, trio, url):
    assert client.get(url).status_code == 404


def test_pair_url_still_works(client, trio):
    assert client.get("/compare/alpha-vs-beta/").status_code == 200
    assert client.get("/compare/beta-vs-alpha/").status_code == 301


def test_catalog_ticks_and_picker_lead_there(client, trio):
    ticked = client.get("/compare/?pick=gamma&pick=alpha&pick=beta")
    assert ticked.status_code == 302
    assert ticked["Location"] == "/compare/alpha-vs-beta-vs-gamma/"
    picked = client.get("/compare/?a=gamma&b=beta&c=alpha")
    assert picked["Location"] == "/compare/alpha-vs-beta-vs-gamma/"
    assert client.get("/compare/?a=gamma&b=beta&c=gamma").status_code == 400


def test_query_count_does_not_grow(client, trio, django_assert_num_queries):
    # 1 the catalog version (the page cache's key), 2 models, 3 their offerings,
    # 4 their scores (the box to add a model asks for nothing: it suggests as one types)
    with django_assert_num_queries(4):
        client.get("/compare/alpha-vs-beta-vs-gamma/")
    for _ in range(10):
        provider = ProviderFactory()
        for model in trio.values():
            OfferingFactory(language_model=model, provider=provider)
            ScoreFactory(language_model=model)
        LanguageModelFactory()
    with django_assert_num_queries(4):
        client.get("/compare/alpha-vs-beta-vs-gamma/")


def test_pair_page_adds_a_third_model(client, trio):
    html = client.get("/compare/alpha-vs-beta/").content.decode()
    assert '<input type="hidden" name="pick" value="alpha">' in html
    assert '<input type="text" name="pick" required' in html
    response = client.get("/compare/?pick=alpha&pick=beta&pick=gamma")
    assert response["Location"] == "/compare/alpha-vs-beta-vs-gamma/"
