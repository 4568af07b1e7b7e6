"""The pair page over HTTP: URLs, sections, JSON-LD, query counts, and the seed pair's figures."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest

from models_catalog.catalog_version import bump_catalog_version
from models_catalog.models import Offering, Score
from tests.factories import (
    BenchmarkFactory,
    LanguageModelFactory,
    OfferingFactory,
    ProviderFactory,
    ScoreFactory,
)

pytestmark = pytest.mark.django_db

SEED = "/compare/llama-3-2-1b-instruct-vs-o4-mini/"


def visible_text(response) -> str:
    html = response.content.decode()
    html = re.sub(r"<script.*?</script>", " ", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", text).replace("&#x27;", "'").replace("&amp;", "&")


def json_ld(response) -> dict:
    match = re.search(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    return json.loads(match.group(1))


@pytest.fixture
def pair():
    a = LanguageModelFactory(slug="alpha", name="Alpha")
    b = LanguageModelFactory(slug="beta", name="Beta")
    return a, b


def test_canonical_pair_answers_with_every_section(client, pair):
    response = client.get("/compare/alpha-vs-beta/")
    assert response.status_code == 200
    assert "comparisons/pair.html" in [t.name for t in response.templates]
    text = visible_text(response)
    sections = [
        "Alpha vs Beta",
        "Verdict:",
        "Specs",
        "Pricing and availability",
        "Capabilities",
        "Benchmarks",
        "Deep dive",
        "FAQ",
        "Last reviewed and sources",
    ]
    positions = [text.index(section) for section in sections]
    assert positions == sorted(positions)


def test_reversed_order_redirects_permanently_keeping_the_query(client, pair):
    response = client.get("/compare/beta-vs-alpha/?input_share=50")
    assert response.status_code == 301
    assert response["Location"] == "/compare/alpha-vs-beta/?input_share=50"


@pytest.mark.parametrize(
    "url",
    [
        "/compare/alpha-vs-nothing/",
        "/compare/alpha-vs-alpha/",
        "/compare/alpha/",
        "/compare/-vs-alpha/",
        "/compare/alpha-vs-/",
        "/compare/alpha-vs-beta-vs-gamma/",
        "/compare/ALPHA-vs-beta/",
    ],
)
def test_bad_pairs_are_404(client, pair, url):
    assert client.get(url).status_code == 404


def test_unpublished_model_is_404(client, pair):
    pair[1].published = False
    pair[1].save()
    assert client.get("/compare/alpha-vs-beta/").status_code == 404


def test_picker_form_redirects_to_canonical_pair(client, pair):
    response = client.get("/compare/", {"a": "beta", "b": "alpha"})
    assert response.status_code == 302
    assert response["Location"] == "/compare/alpha-vs-beta/"


def test_picker_reads_names_in_any_case(client, pair):
    response = client.get("/compare/", {"a": "BETA", "b": "alpha"})
    assert response["Location"] == "/compare/alpha-vs-beta/"
    response = client.get("/compare/", {"pick": ["alpha", "beta"]})  # the add-a-model box
    assert response["Location"] == "/compare/alpha-vs-beta/"


def test_picker_suggests_models_for_a_name_it_does_not_know(client, pair):
    response = client.get("/compare/", {"a": "alpha", "b": "bet"})
    assert response.status_code == 400
    text = visible_text(response)
    assert "No published model is called “bet”. Did you mean Beta" in text
    html = response.content.decode()
    assert 'href="/compare/?a=alpha&amp;b=beta"' in html
    assert 'value="bet"' in html  # what was typed stays in its box


def test_a_name_two_models_share_names_neither(client, pair):
    LanguageModelFactory(slug="beta-2", name="Beta")
    assert client.get("/compare/", {"a": "alpha", "b": "Beta"}).status_code == 400
    assert client.get("/compare/", {"a": "alpha", "b": "beta-2"}).status_code == 302


@pytest.mark.parametrize("query", [{}, {"a": "alpha"}, {"a": "alpha", "b": "alpha"}])
def test_picker_without_two_models_is_a_clear_400(client, pair, query):
    response = client.get("/compare/", query)
    assert response.status_code == 400
    assert "Choose two to four different models" in visible_text(response)


def test_input_share_changes_blend_and_bad_value_falls_back(client, pair):
    OfferingFactory(
        language_model=pair[0], input_usd_per_mtok=Decimal("1"), output_usd_per_mtok=Decimal("3")
    )
    default = visible_text(client.get("/compare/alpha-vs-beta/"))
    assert "Blended (70/30) $1.60" in default
    half = visible_text(client.get("/compare/alpha-vs-beta/", {"input_share": "50"}))
    assert "Blended (50/50) $2" in half
    bad = client.get("/compare/alpha-vs-beta/", {"input_share": "abc"})
    assert bad.status_code == 200
    assert "showing the default 70/30 blend" in visible_text(bad)
    assert "Blended (70/30) $1.60" in visible_text(bad)


def test_missing_values_are_marked_not_blank(client, pair):
    text = visible_text(client.get("/compare/alpha-vs-beta/"))
    assert "None" not in text
    assert "— not yet sourced" in text


def test_faq_json_ld_matches_visible_faq(client, pair):
    response = client.get("/compare/alpha-vs-beta/")
    data = json_ld(response)
    assert data["@type"] == "FAQPage"
    visible = [(q, a) for q, a in response.context["text"].faq]
    assert [(e["name"], e["acceptedAnswer"]["text"]) for e in data["mainEntity"]] == visible
    html = response.content.decode()
    for question, _ in visible:
        assert question.replace("'", "&#x27;") in html


def test_meta_tags(client, pair):
    html = client.get("/compare/alpha-vs-beta/").content.decode()
    assert "<title>Alpha vs Beta" in html
    assert '<link rel="canonical" href="http://testserver/compare/alpha-vs-beta/">' in html
    assert '<meta property="og:title" content="Alpha vs Beta">' in html
    assert '<meta name="description" content="Alpha vs Beta: prices per provider' in html


def test_admin_price_edit_shows_on_next_view(client, pair):
    offering = OfferingFactory(
        language_model=pair[0], input_usd_per_mtok=Decimal("1"), output_usd_per_mtok=Decimal("1")
    )
    OfferingFactory(
        language_model=pair[1], input_usd_per_mtok=Decimal("2"), output_usd_per_mtok=Decimal("2")
    )
    assert "Alpha costs 50% less" in visible_text(client.get("/compare/alpha-vs-beta/"))
    offering.input_usd_per_mtok = offering.output_usd_per_mtok = Decimal("1.5")
    offering.save()
    text = visible_text(client.get("/compare/alpha-vs-beta/"))
    assert "Alpha costs 25% less" in text
    assert "$1.50" in text


def test_related_pairs_link_to_canonical_pages(client, pair):
    for index in range(10):
        LanguageModelFactory(slug=f"other-{index:02d}", family="Family")
    response = client.get("/compare/alpha-vs-beta/")
    related = response.context["related"]
    assert 6 <= len(related) <= 8
    for link in related:
        first, second = link.slug.split("-vs-")
        assert first < second
        assert client.get(f"/compare/{link.slug}/").status_code == 200


def test_reviewed_date_and_staleness(client, pair, settings):
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    settings.STALE_AFTER_DAYS = 90
    for model, days in ((pair[0], 10), (pair[1], 30)):
        model.last_reviewed_on = today - datetime.timedelta(days=days)
        model.save()
    text = visible_text(client.get("/compare/alpha-vs-beta/"))
    assert f"Last reviewed {pair[1].last_reviewed_on.isoformat()}." in text
    assert "may be out of date" not in text
    settings.STALE_AFTER_DAYS = 20
    assert "may be out of date" in visible_text(client.get("/compare/alpha-vs-beta/"))


def grow(providers: int, benchmarks: int, extra_models: int, a, b) -> None:
    hosts = [ProviderFactory() for _ in range(providers)]
    tests = [BenchmarkFactory() for _ in range(benchmarks)]
    for model in (a, b, *(LanguageModelFactory() for _ in range(extra_models))):
        for host in hosts:
            OfferingFactory(language_model=model, provider=host)
        for test in tests:
            ScoreFactory(language_model=model, benchmark=test)


def test_query_count_does_not_grow_with_catalog(client, pair, django_assert_num_queries, settings):
    settings.VIEW_COUNT_FLUSH_SECONDS = 3600  # as in production: views are written in batches
    grow(2, 2, 2, *pair)
    client.get("/compare/alpha-vs-beta/")
    bump_catalog_version()  # so the next view renders the page instead of serving the cache
    # 1 both models with organization and successor; 2 their offerings with providers;
    # 3 their scores with benchmarks; 4 published models for related pairs; 5 their prices;
    # 6 the catalog version (page cache).
    with django_assert_num_queries(6):
        assert client.get("/compare/alpha-vs-beta/").status_code == 200
    grow(23, 10, 20, *pair)
    assert Offering.objects.filter(language_model=pair[0]).count() == 25
    assert Score.objects.filter(language_model=pair[0]).count() == 12
    with django_assert_num_queries(6):
        assert client.get("/compare/alpha-vs-beta/").status_code == 200


def test_home_has_search_and_picker(client, pair):
    html = client.get("/").content.decode()
    assert 'action="/compare/"' in html
    assert 'name="a"' in html and 'name="b"' in html
    assert 'action="/search/"' in html
    # The picker is boxes with suggestions; the home page does not list every model.
    assert "<option" not in html


# --- the seed pair against the bundled catalog ----------------------------------------------


def cheapest_offering(slug: str) -> Offering:
    """The headline offering recomputed from the catalog's own rows: still listed, real-time,
    paid, price shown by its source, not ended; on a tie within a cent, the maker's own API."""
    offers = [
        o
        for o in Offering.objects.filter(
            language_model__slug=slug,
            is_current=True,
            free_tier=False,
            source_shows_price=True,
            ended_on__isnull=True,
        ).select_related("provider", "language_model")
        if o.provider.kind != "batch"
    ]
    low = min(blend_70(o) for o in offers)
    tied = [o for o in offers if blend_70(o) - low < Decimal("0.01")]
    return min(
        tied,
        key=lambda o: (
            o.provider.first_party_for_id != o.language_model.organization_id,
            blend_70(o),
            o.provider.name,
        ),
    )


def blend_70(o: Offering) -> Decimal:
    return o.input_usd_per_mtok * Decimal("0.7") + o.output_usd_per_mtok * Decimal("0.3")


def test_price_figures_recomputed_from_the_catalog(client, bundled_catalog):
    # A model with no retirement dates at any host, so the headline does not move with the clock.
    response = client.get("/compare/claude-opus-4-7-vs-llama-3-2-1b-instruct/")
    text = visible_text(response)
    c = response.context["c"]
    claude, llama = (
        cheapest_offering("claude-opus-4-7"),
        cheapest_offering("llama-3-2-1b-instruct"),
    )
    assert c.price_a.cheapest.provider_name == claude.provider.name
    assert c.price_b.cheapest.provider_name == llama.provider.name
    blend_a, blend_b = blend_70(claude), blend_70(llama)
    assert (c.price_a.cheapest_blend, c.price_b.cheapest_blend) == (blend_a, blend_b)
    # The X% and N× figures, recomputed from those Decimals and rounded as the page rounds.
    percent = (1 - blend_b / blend_a) * 100
    times = blend_a / blend_b
    assert percent < 100
    # Full names at first mention, short names after.
    assert f"Llama 3.2 1B costs {percent.quantize(Decimal('1'))}% less" in text
    # Ratios of 100 and more are read to the whole number.
    assert f"Opus 4.7 costs {times.quantize(Decimal('1'))}× as much" in text
    assert times >= 100


def test_seed_pair_figures(client, bundled_catalog):
    response = client.get(SEED)
    assert response.status_code == 200
    text = visible_text(response)
    c = response.context["c"]

    # Benchmarks: both models have MMLU-Pro and BFCL; only BFCL has sources for both, so
    # only BFCL makes a lead; MMLU-Pro is shown, marked.
    rows = {row.slug: row for row in c.shared_benchmarks}
    assert set(rows) == {"mmlu-pro", "bfcl"}
    assert (rows["mmlu-pro"].a.value, rows["mmlu-pro"].b.value) == (Decimal("20"), Decimal("83.2"))
    assert rows["mmlu-pro"].gap is None and rows["mmlu-pro"].leader is None
    assert rows["mmlu-pro"].mark == "no source yet"
    assert (rows["bfcl"].a.value, rows["bfcl"].b.value) == (Decimal("10.82"), Decimal("53.24"))
    assert rows["bfcl"].gap == Decimal("42.42")
    assert "63.2" not in text
    verdict = response.context["text"].verdict
    assert "MMLU" not in verdict and "o4-mini scores higher on the one benchmark" in verdict

    # o4-mini was retired on 2026-10-23: no headline price, no hosts, no cost comparison.
    assert c.price_b.headline is None and c.price_b.hosts == ()
    assert "o4-mini is retired, so no price is quoted" in text
    assert "% less" not in text
    llama = cheapest_offering("llama-3-2-1b-instruct")
    assert c.price_a.cheapest.provider_name == llama.provider.name

    # No label the data does not support, and no unsupported claims.
    assert "frontier" not in text.lower()
    assert "coding workflow" not in text
    assert "Llama 3.2 1B Instruct is an open-weights model from Meta, released 2024-09-25" in text
    assert "o4-mini is a proprietary reasoning model from OpenAI, released 2025-04-16" in text
    # A score without a source says so.
    assert "no source yet" in text


def test_headline_cards_open_the_pair_and_model_pages(client, pair):
    for url in ("/compare/alpha-vs-beta/", "/models/alpha/"):
        page = visible_text(client.get(url))
        assert "Blended price, $/1M" in page and "Status Active" in page
        assert page.index("Context window") < page.index("Specs" if "vs" in url else "Spec sheet")


def test_a_models_scores_on_one_benchmark_keep_their_order_after_an_edit(db):
    # Two scores from different sources: neither is preferred, so the first one shows. The
    # sources sort the other way, and an edit moves a row on disk in PostgreSQL: neither may
    # change which one is first.
    from comparisons import selectors
    from tests.factories import BenchmarkFactory, ScoreFactory

    model = LanguageModelFactory(slug="alpha")
    bench = BenchmarkFactory(slug="tau2", name="τ²-bench")
    first = ScoreFactory(
        language_model=model,
        benchmark=bench,
        value=Decimal("65.8"),
        source_url="https://z.example/1",
    )
    ScoreFactory(
        language_model=model,
        benchmark=bench,
        value=Decimal("70.6"),
        source_url="https://b.example/2",
    )
    first.note = "edited"
    first.save()
    (sheet,) = selectors.model_sheets(["alpha"])
    assert [s.value for s in sheet.scores] == [Decimal("65.8"), Decimal("70.6")]
