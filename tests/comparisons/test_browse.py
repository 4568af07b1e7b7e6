"""Catalog, model, provider, organization, benchmark and search pages over HTTP."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest

from tests.factories import (
    BenchmarkFactory,
    LanguageModelFactory,
    OfferingFactory,
    OrganizationFactory,
    ProviderFactory,
    ScoreFactory,
)

pytestmark = pytest.mark.django_db


def text(response) -> str:
    html = re.sub(r"<script.*?</script>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def names_in_table(response) -> list[str]:
    return [row.name for row in response.context["rows"]]


@pytest.fixture
def catalog():
    meta = OrganizationFactory(slug="meta", name="Meta")
    host = ProviderFactory(slug="host", name="Host")
    batch = ProviderFactory(slug="batch", name="Batch", kind="batch")
    small = LanguageModelFactory(
        slug="small",
        name="Small",
        organization=meta,
        context_window=8_000,
        released_on=datetime.date(2024, 1, 1),
        vision=False,
    )
    big = LanguageModelFactory(
        slug="big",
        name="Big",
        organization=meta,
        context_window=1_000_000,
        released_on=datetime.date(2025, 6, 1),
        vision=True,
        open_weights=False,
    )
    old = LanguageModelFactory(
        slug="old",
        name="Old",
        context_window=4_000,
        released_on=datetime.date(2023, 1, 1),
        deprecated_on=datetime.date(2025, 1, 1),
    )
    OfferingFactory(
        language_model=small,
        provider=host,
        input_usd_per_mtok=Decimal("0.1"),
        output_usd_per_mtok=Decimal("0.2"),
    )
    OfferingFactory(
        language_model=big,
        provider=host,
        input_usd_per_mtok=Decimal("3"),
        output_usd_per_mtok=Decimal("15"),
    )
    OfferingFactory(
        language_model=big,
        provider=batch,
        input_usd_per_mtok=Decimal("0.01"),
        output_usd_per_mtok=Decimal("0.01"),
    )
    bench = BenchmarkFactory(slug="mmlu", name="MMLU")
    ScoreFactory(language_model=small, benchmark=bench, value=Decimal("40"), provenance="maker")
    ScoreFactory(language_model=big, benchmark=bench, value=Decimal("80"))
    return {"small": small, "big": big, "old": old, "host": host, "bench": bench, "meta": meta}


class TestCatalog:
    def test_lists_published_models(self, client, catalog):
        LanguageModelFactory(name="Hidden", published=False)
        response = client.get("/models/")
        assert response.status_code == 200
        assert sorted(names_in_table(response)) == ["Big", "Old", "Small"]

    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ("organization=meta", ["Big", "Small"]),
            ("provider=host", ["Big", "Small"]),
            ("open_weights=on", ["Old", "Small"]),
            ("capabilities=vision", ["Big"]),
            ("min_context=100000", ["Big"]),
            ("max_price=1", ["Small"]),  # the batch price does not count
            ("released_after=2024-06-01", ["Big"]),
            ("hide_deprecated=on", ["Big", "Small"]),
            ("q=sma", ["Small"]),
            ("sort=newest", ["Big", "Small", "Old"]),
            ("sort=context", ["Big", "Small", "Old"]),
            ("sort=price", ["Small", "Big", "Old"]),
            ("sort=score&benchmark=mmlu", ["Big", "Small", "Old"]),
        ],
    )
    def test_filters_and_sorts(self, client, catalog, query, expected):
        if "sort=" not in query:
            query += "&sort=name"
        assert names_in_table(client.get(f"/models/?{query}")) == expected

    def test_bad_filter_values_are_form_errors_not_500(self, client, catalog):
        response = client.get("/models/?min_context=lots&max_price=-1&sort=nope&page=abc")
        assert response.status_code == 200
        assert "Some filters were not understood" in text(response)
        assert response.context["form"].errors.keys() >= {"min_context", "max_price", "sort"}

    def test_pagination_keeps_filters(self, client, catalog):
        for index in range(30):
            LanguageModelFactory(name=f"Extra {index:02d}", organization=catalog["meta"])
        for index in range(30, 60):
            LanguageModelFactory(name=f"Extra {index:02d}", organization=catalog["meta"])
        response = client.get("/models/?organization=meta")
        assert len(response.context["rows"]) == 50
        assert 'href="?organization=meta&amp;page=2"' in response.content.decode()
        page2 = client.get("/models/?organization=meta&page=2")
        assert len(page2.context["rows"]) == 12

    def test_pick_two_rows_to_compare(self, client, catalog):
        response = client.get("/compare/?pick=small&pick=big")
        assert response.status_code == 302
        assert response["Location"] == "/compare/big-vs-small/"

    def test_pick_three_or_four_rows_opens_the_n_way_comparison(self, client, catalog):
        response = client.get("/compare/?pick=small&pick=old&pick=big")
        assert response["Location"] == "/compare/big-vs-old-vs-small/"

    @pytest.mark.parametrize("picks", [["small"], ["a", "b", "c", "d", "e"]])
    def test_too_few_or_many_ticks_return_to_the_catalog_still_ticked(self, client, catalog, picks):
        query = "&".join(f"pick={slug}" for slug in picks)
        response = client.get(f"/compare/?{query}&back=organization%3Dmeta", follow=True)
        assert response.redirect_chain[0][0].startswith("/models/?organization=meta&pick=")
        page = text(response)
        assert f"Tick two to four models to compare them; {len(picks)}" in page
        assert response.context["picked"] == picks
        if picks == ["small"]:
            assert 'value="small" aria-label="Pick Small to compare" checked' in (
                response.content.decode()
            )

    def test_best_sourced_score_per_task_column(self, client, catalog):
        catalog["bench"].task = "coding"
        catalog["bench"].save()
        response = client.get("/models/")
        rows = {row.name: row for row in response.context["rows"]}
        assert [(t.task_words, t.score.value) for t in rows["Big"].task_scores] == [
            ("coding", Decimal("80"))
        ]
        assert rows["Old"].task_scores == ()
        assert "coding <strong>80" in response.content.decode()

    def test_newest_first_by_default_with_capabilities(self, client, catalog):
        response = client.get("/models/")
        assert names_in_table(response) == ["Big", "Small", "Old"]
        assert "vision" in text(response)

    def test_query_count_does_not_grow(self, client, catalog, django_assert_num_queries):
        # 1 the catalog version (page cache); 2-4 filter choices; 5 count; 6 the page of
        # models with organization and prices; 7 their scores with benchmarks
        with django_assert_num_queries(7):
            client.get("/models/?sort=price")
        for _ in range(40):
            ScoreFactory(language_model=OfferingFactory(provider=catalog["host"]).language_model)
        with django_assert_num_queries(7):
            client.get("/models/?sort=price")


class TestModelPage:
    def test_sheet_prices_history_scores(self, client, catalog):
        offering = catalog["big"].offerings.get(provider=catalog["host"])
        offering.price_since = datetime.date(2025, 1, 1)
        offering.save()
        offering.input_usd_per_mtok = Decimal("2.5")
        offering.price_since = datetime.date(2025, 7, 1)
        offering.save()
        response = client.get("/models/big/")
        assert response.status_code == 200
        page = text(response)
        assert "1M" in page and "Meta" in page
        assert "2025-01-01 2025-07-01 $3" in page  # the old rate card with its dates
        assert "2025-07-01 now $2.50" in page
        assert "<svg" in response.content.decode() and "polyline" in response.content.decode()
        assert "an independent leaderboard" in page
        assert "/compare/big-vs-small/" in response.content.decode()
        assert "never been reviewed" in page

    def test_lifecycle_links_successor(self, client, catalog):
        catalog["old"].successor = catalog["small"]
        catalog["old"].save()
        page = client.get("/models/old/").content.decode()
        assert "is deprecated; no retirement date is announced" in page
        assert 'href="/models/small/"' in page

    def test_unknown_or_unpublished_is_404(self, client, catalog):
        assert client.get("/models/nope/").status_code == 404
        LanguageModelFactory(slug="draft", published=False)
        assert client.get("/models/draft/").status_code == 404

    def test_query_count_does_not_grow(self, client, catalog, django_assert_num_queries):
        # 1 model; 2 offerings; 3 scores; 4 price history; 5-6 models and prices for "compare with"
        with django_assert_num_queries(7):
            client.get("/models/big/")
        for _ in range(10):
            ScoreFactory(language_model=catalog["big"])
            OfferingFactory(language_model=catalog["big"])
        with django_assert_num_queries(7):
            client.get("/models/big/")


class TestProviderOrganizationBenchmark:
    def test_provider_lists_models_cheapest_first(self, client, catalog):
        response = client.get("/providers/host/")
        assert response.status_code == 200
        assert [item.model.name for item in response.context["listings"]] == ["Small", "Big"]
        assert client.get("/providers/nope/").status_code == 404

    def test_organization_lists_models_newest_first(self, client, catalog):
        response = client.get("/organizations/meta/")
        assert [sheet.name for sheet, _ in response.context["rows"]] == ["Big", "Small"]
        assert client.get("/organizations/nope/").status_code == 404

    def test_benchmark_leaderboard(self, client, catalog):
        response = client.get("/benchmarks/mmlu/")
        entries = response.context["entries"]
        assert [e.model.name for e in entries] == ["Big", "Small"]
        assert entries[0].blend == Decimal("6.6")  # 3 × 0.7 + 15 × 0.3, batch not counted
        assert entries[1].blend == Decimal("0.13")
        page = text(response)
        assert "the maker" in page and "<circle" in response.content.decode()
        assert client.get("/benchmarks/nope/").status_code == 404

    @pytest.mark.parametrize(
        "url", ["/providers/host/", "/organizations/meta/", "/benchmarks/mmlu/"]
    )
    def test_query_count_does_not_grow(self, client, catalog, django_assert_num_queries, url):
        def count() -> int:
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            return len(queries)

        before = count()
        for _ in range(15):
            model = LanguageModelFactory(organization=catalog["meta"])
            OfferingFactory(language_model=model, provider=catalog["host"])
            ScoreFactory(language_model=model, benchmark=catalog["bench"])
        assert count() == before


class TestSearch:
    def test_search_page_ranks_and_links(self, client, catalog):
        response = client.get("/search/", {"q": "smal"})
        assert response.status_code == 200
        hits = response.context["hits"]
        assert hits[0].entry.name == "Small"
        assert 'href="/models/small/"' in response.content.decode()

    def test_empty_and_missing_queries(self, client, catalog):
        assert client.get("/search/").status_code == 200
        assert "Nothing matches" in text(client.get("/search/", {"q": "zzqqxx"}))

    def test_suggestions_json_for_the_picker(self, client, catalog):
        data = client.get("/search/suggest.json", {"q": "big", "kind": "model"}).json()
        assert data["results"][0] == {
            "kind": "model",
            "slug": "big",
            "name": "Big",
            "detail": "Meta",
            "url": "/models/big/",
        }
        assert all(
            r["kind"] == "model"
            for r in client.get("/search/suggest.json", {"q": "meta", "kind": "model"}).json()[
                "results"
            ]
        )

    def test_query_count_does_not_grow(self, client, catalog, django_assert_num_queries):
        with django_assert_num_queries(5):
            client.get("/search/", {"q": "big"})
        for _ in range(20):
            LanguageModelFactory()
        with django_assert_num_queries(5):
            client.get("/search/", {"q": "big"})


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/models/",
        "/models/big/",
        "/providers/host/",
        "/organizations/meta/",
        "/benchmarks/mmlu/",
        "/search/?q=big",
        "/credits/",
        "/compare/big-vs-small/",
    ],
)
def test_every_public_page_has_meta_tags_and_no_inline_script(client, catalog, url):
    html = client.get(url).content.decode()
    assert re.search(r"<title>[^<]+</title>", html)
    assert '<meta name="description" content="' in html
    assert '<link rel="canonical" href="http://testserver/' in html
    assert '<meta property="og:title" content="' in html
    assert '<meta property="og:description" content="' in html
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    for attributes, body in scripts:
        # Only static files and JSON-LD data blocks: nothing a strict CSP would have to allow.
        assert "src=" in attributes or 'type="application/ld+json"' in attributes, attributes
        assert "src=" not in attributes or not body.strip()
