"""Sitemaps list every public page, every pair of published models exactly once."""

from __future__ import annotations

import itertools
import re

import pytest

from comparisons.sitemaps import Pairs, PairSitemap, pair_at
from models_catalog.vocabulary import pair_slug
from tests.factories import (
    BenchmarkFactory,
    LanguageModelFactory,
    OfferingFactory,
    ProviderFactory,
)


def locations(response) -> list[str]:
    return re.findall(r"<loc>([^<]+)</loc>", response.content.decode())


@pytest.mark.parametrize("n", range(2, 25))
def test_pair_index_arithmetic_matches_counting(n):
    expected = list(itertools.combinations(range(n), 2))
    assert [pair_at(k, n) for k in range(len(expected))] == expected


def test_pairs_slice_across_rows():
    slugs = [f"m{i:02d}" for i in range(9)]
    every = [f"{a}-vs-{b}" for a, b in itertools.combinations(sorted(slugs), 2)]
    pairs = Pairs(slugs)
    assert len(pairs) == len(every) == 36
    assert pairs[:] == every
    for start, stop in ((0, 5), (7, 20), (30, 36), (35, 36), (36, 36)):
        assert pairs[start:stop] == every[start:stop]
    assert pairs[-1] == every[-1]


@pytest.mark.django_db
class TestSitemaps:
    @pytest.fixture
    def catalog(self):
        models = [LanguageModelFactory(slug=f"model-{c}") for c in "fbdaeghc"]
        LanguageModelFactory(slug="hidden", published=False)
        OfferingFactory(language_model=models[0], provider=ProviderFactory(slug="host"))
        BenchmarkFactory(slug="mmlu")
        return models

    def test_index_lists_every_section(self, client, catalog):
        response = client.get("/sitemap.xml")
        assert response.status_code == 200
        assert "<sitemapindex" in response.content.decode()
        sections = {re.sub(r".*/sitemap-(\w+)\.xml.*", r"\1", loc) for loc in locations(response)}
        assert sections == {"models", "organizations", "providers", "benchmarks", "pairs"}
        assert "<lastmod>" in response.content.decode()

    def test_every_pair_once_with_canonical_urls_across_files(self, client, catalog, monkeypatch):
        monkeypatch.setattr(PairSitemap, "limit", 5)  # 28 pairs → 6 files
        index = locations(client.get("/sitemap.xml"))
        pair_files = [loc for loc in index if "sitemap-pairs" in loc]
        assert len(pair_files) == 6
        listed = []
        for url in pair_files:
            response = client.get(url.removeprefix("http://testserver"))
            assert response.status_code == 200
            listed += locations(response)
        slugs = sorted(m.slug for m in catalog)
        expected = {
            f"http://testserver/compare/{pair_slug(a, b)}/"
            for a, b in itertools.combinations(slugs, 2)
        }
        assert len(listed) == len(expected) == 28
        assert set(listed) == expected
        assert not any("hidden" in url for url in listed)
        # Each listed URL is the canonical page itself, not a redirect.
        assert client.get(listed[0].removeprefix("http://testserver")).status_code == 200

    def test_entity_sections(self, client, catalog):
        models = locations(client.get("/sitemap-models.xml"))
        assert "http://testserver/models/model-a/" in models and len(models) == 8
        assert locations(client.get("/sitemap-providers.xml")) == [
            "http://testserver/providers/host/"
        ]
        assert locations(client.get("/sitemap-benchmarks.xml")) == [
            "http://testserver/benchmarks/mmlu/"
        ]

    def test_query_counts_do_not_grow_with_the_catalog(self, client, catalog):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        def counts() -> list[int]:
            found = []
            for url in ("/sitemap.xml", "/sitemap-pairs.xml", "/sitemap-models.xml"):
                with CaptureQueriesContext(connection) as queries:
                    assert client.get(url).status_code == 200
                found.append(len(queries))
            return found

        before = counts()
        LanguageModelFactory.create_batch(30)
        assert counts() == before

    def test_a_new_model_appears_in_the_next_sitemap(self, client, catalog):
        client.get("/sitemap-pairs.xml")
        LanguageModelFactory(slug="model-z")
        assert "http://testserver/compare/model-a-vs-model-z/" in locations(
            client.get("/sitemap-pairs.xml")
        )


def test_robots_points_to_the_sitemap_and_keeps_staff_pages_out(client):
    text = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /admin/" in text and "Disallow: /review/" in text


@pytest.mark.django_db
def test_sitemap_and_robots_addresses_come_from_site_url_not_the_host_header(client, settings):
    settings.ALLOWED_HOSTS = ["*"]
    settings.SITE_URL = "https://llmref.example.com"
    LanguageModelFactory(slug="alpha")
    LanguageModelFactory(slug="beta")
    forged = {"HTTP_HOST": "evil.example"}
    robots = client.get("/robots.txt", **forged).content.decode()
    assert "Sitemap: https://llmref.example.com/sitemap.xml" in robots
    index = locations(client.get("/sitemap.xml", **forged))
    assert index and all(url.startswith("https://llmref.example.com/sitemap-") for url in index)
    pairs = locations(client.get("/sitemap-pairs.xml", **forged))
    assert pairs == ["https://llmref.example.com/compare/alpha-vs-beta/"]


def test_favicon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("favicon.svg")
