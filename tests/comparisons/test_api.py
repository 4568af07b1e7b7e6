"""The public JSON API: schema validity, shapes, null for unknown, 304, CORS, GET only,
rate limits and query counts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.cache import cache
from openapi_spec_validator import validate

from models_catalog.models import Offering
from tests.factories import (
    BenchmarkFactory,
    DataSourceFactory,
    LanguageModelFactory,
    OfferingFactory,
    ProviderFactory,
    ScoreFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def catalog():
    host = ProviderFactory(slug="host", name="Host")
    alpha = LanguageModelFactory(
        slug="alpha", name="Alpha", context_window=None, parameter_count=None, license=""
    )
    beta = LanguageModelFactory(slug="beta", name="Beta", context_window=200_000)
    gamma = LanguageModelFactory(slug="gamma", name="Gamma")
    OfferingFactory(
        language_model=alpha,
        provider=host,
        input_usd_per_mtok=Decimal("0.10"),
        output_usd_per_mtok=Decimal("0.40"),
        source_url="https://example.com/host/alpha",
    )
    OfferingFactory(language_model=beta, provider=host)
    bench = BenchmarkFactory(slug="bench", name="Bench")
    ScoreFactory(
        language_model=alpha,
        benchmark=bench,
        value=Decimal("61.5"),
        source_url="https://example.com/alpha-score",
    )
    ScoreFactory(language_model=beta, benchmark=bench, value=Decimal("70"))
    DataSourceFactory(name="Leaderboard", credit="Data by Leaderboard, CC BY 4.0.")
    LanguageModelFactory(slug="hidden", name="Hidden", published=False)
    return {"host": host, "alpha": alpha, "beta": beta, "gamma": gamma, "bench": bench}


def test_index_lists_the_endpoints(client, catalog):
    data = client.get("/api/v1/").json()
    assert data["endpoints"]["model"] == "http://testserver/api/v1/models/{slug}/"
    assert data["openapi"] == "http://testserver/api/v1/openapi.json"
    assert data["attribution"]["credits_url"] == "http://testserver/credits/"


def test_openapi_document_validates(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    validate(schema)
    assert schema["openapi"].startswith("3.")
    # Read-only: every operation is a GET.
    methods = {method for item in schema["paths"].values() for method in item}
    assert methods == {"get"}


def test_docs_page_loads_self_hosted_scripts_only(client):
    html = client.get("/api/v1/docs/").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    # No executable inline script: every <script> either has src or holds JSON data.
    import re

    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag


def test_model_detail_has_offerings_sourced_scores_and_nulls(client, catalog):
    response = client.get("/api/v1/models/alpha/")
    assert response.status_code == 200
    data = response.json()
    assert data["context_window"] is None
    assert data["parameter_count"] is None
    assert data["license"] is None
    assert data["capabilities"]["code_execution"] is None
    [offering] = data["offerings"]
    assert offering["provider_slug"] == "host"
    assert offering["input_usd_per_mtok"] == "0.1"
    assert offering["output_usd_per_mtok"] == "0.4"
    assert offering["cached_input_usd_per_mtok"] is None
    assert offering["source_url"] == "https://example.com/host/alpha"
    [score] = data["scores"]
    assert score["value"] == "61.5"
    assert score["source_url"] == "https://example.com/alpha-score"
    assert score["provenance"] == "independent"
    # Conditions the source does not state are null, never "" or 0.
    assert score["conditions"] == dict.fromkeys(
        ("variant", "shots", "reasoning", "reasoning_effort", "attempts", "harness")
    )
    assert data["attribution"]["sources"][0]["credit"] == "Data by Leaderboard, CC BY 4.0."


def test_price_history_is_listed_with_dates(client, catalog):
    offering = Offering.objects.get(language_model=catalog["alpha"])
    offering.input_usd_per_mtok = Decimal("0.05")
    offering.save()
    [listed] = client.get("/api/v1/models/alpha/").json()["offerings"]
    assert listed["input_usd_per_mtok"] == "0.05"
    [past] = listed["price_history"]
    assert past["input_usd_per_mtok"] == "0.1"
    assert past["valid_until"] == listed["price_since"]


def test_unknown_and_unpublished_models_are_404(client, catalog):
    assert client.get("/api/v1/models/nope/").status_code == 404
    # Not a slug (PostgreSQL refuses NUL in a query): no query is made, 404.
    for url in (
        "/api/v1/models/%00/",
        "/api/v1/compare/a%00-vs-b/",
        "/api/v1/benchmarks/%E2%80%A8/",
    ):
        assert client.get(url).status_code == 404
    assert client.get("/api/v1/models/hidden/").status_code == 404


def test_model_list_filters_and_pages(client, catalog):
    data = client.get("/api/v1/models/").json()
    assert [m["slug"] for m in data["results"]] == ["alpha", "beta", "gamma"]
    assert data["count"] == 3 and data["next"] is None
    assert data["results"][2]["cheapest_blended_usd_per_mtok"] is None
    wide = client.get("/api/v1/models/?min_context=150000").json()
    assert [m["slug"] for m in wide["results"]] == ["beta"]
    cheap = client.get("/api/v1/models/?max_price=0.5").json()
    assert [m["slug"] for m in cheap["results"]] == ["alpha"]
    assert client.get("/api/v1/models/?min_context=-1").status_code == 422


def test_other_endpoints_answer_with_their_shapes(client, catalog):
    providers = client.get("/api/v1/providers/").json()["results"]
    assert [p["slug"] for p in providers] == ["host"]
    provider = client.get("/api/v1/providers/host/").json()
    assert {o["model"]["slug"] for o in provider["offerings"]} == {"alpha", "beta"}
    org_slug = catalog["alpha"].organization.slug
    organization = client.get(f"/api/v1/organizations/{org_slug}/").json()
    assert [m["slug"] for m in organization["models"]] == ["alpha"]
    board = client.get("/api/v1/benchmarks/bench/").json()
    assert [(r["rank"], r["model"]["slug"]) for r in board["leaderboard"]] == [
        (1, "beta"),
        (2, "alpha"),
    ]
    assert client.get("/api/v1/benchmarks/").json()["results"][0]["slug"] == "bench"
    for url in ("/api/v1/providers/nope/", "/api/v1/organizations/nope/", "/api/v1/benchmarks/x/"):
        assert client.get(url).status_code == 404


def test_compare_figures(client, catalog):
    data = client.get("/api/v1/compare/gamma-vs-alpha-vs-beta/").json()
    assert data["slugs"] == ["alpha", "beta", "gamma"]
    assert data["url"].endswith("/compare/alpha-vs-beta-vs-gamma/")
    gamma = next(m for m in data["models"] if m["slug"] == "gamma")
    assert gamma["cheapest_provider"] is None
    assert gamma["cheapest_blended_usd_per_mtok"] is None
    [bench] = data["benchmarks"]
    assert bench["scores"]["gamma"] is None
    assert bench["comparable"] is True and bench["leader"] == "beta"
    for bad in ("alpha", "alpha-vs-alpha", "a-vs-b-vs-c-vs-d-vs-e", "alpha-vs-nope"):
        assert client.get(f"/api/v1/compare/{bad}/").status_code == 404


def test_etag_and_304(client, catalog):
    first = client.get("/api/v1/models/alpha/")
    etag = first["ETag"]
    assert etag
    again = client.get("/api/v1/models/alpha/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    offering = Offering.objects.get(language_model=catalog["alpha"])
    offering.output_usd_per_mtok = Decimal("0.5")
    offering.save()
    assert client.get("/api/v1/models/alpha/", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_cors_open_for_get_and_only_get(client, catalog):
    response = client.get("/api/v1/models/", HTTP_ORIGIN="https://elsewhere.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = client.options("/api/v1/models/", HTTP_ORIGIN="https://elsewhere.example")
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    head = client.head("/api/v1/models/")
    assert head.status_code == 200 and head["ETag"] and head.content == b""
    assert client.post("/api/v1/models/").status_code == 405
    assert client.delete("/api/v1/models/alpha/").status_code == 405


def test_rate_limit_per_client(client, catalog, settings):
    from comparisons.api import ClientRateThrottle

    throttle = ClientRateThrottle("2/m")
    from django.test import RequestFactory

    one = RequestFactory().get("/api/v1/", REMOTE_ADDR="203.0.113.1")
    other = RequestFactory().get("/api/v1/", REMOTE_ADDR="203.0.113.2")
    assert throttle.allow_request(one) and throttle.allow_request(one)
    assert not throttle.allow_request(one)
    assert throttle.allow_request(other)
    # A forged X-Forwarded-For does not buy a fresh allowance when no proxy is trusted.
    forged = RequestFactory().get(
        "/api/v1/", REMOTE_ADDR="203.0.113.1", HTTP_X_FORWARDED_FOR="198.51.100.9"
    )
    assert not throttle.allow_request(forged)


def test_api_answers_429_past_the_limit(client, catalog, monkeypatch):
    from comparisons import api

    [throttle] = api.api.throttle
    monkeypatch.setattr(throttle, "num_requests", 3)
    statuses = [client.get("/api/v1/providers/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        # throttle uses the cache; 1 models page count, 2 page, 3 the catalog version (the
        # filter choices are kept per version), 4-6 filter choices, 7 credits
        ("/api/v1/models/", 7),
        # 1 the catalog version (the model's page is kept per version), 2 model,
        # 3 offerings, 4 scores, 5 price history, 6 credits
        ("/api/v1/models/alpha/", 6),
        # 1 the catalog version (listings are kept per version), 2 provider, 3 its
        # offerings, 4 credits
        ("/api/v1/providers/host/", 4),
        # 1 the catalog version, 2 benchmark, 3 scores, 4 credits
        ("/api/v1/benchmarks/bench/", 4),
        # 1 the catalog version (sheets are kept per version), 2 models, 3 offerings,
        # 4 scores, 5 credits
        ("/api/v1/compare/alpha-vs-beta-vs-gamma/", 5),
    ],
)
def test_query_count_does_not_grow(client, catalog, django_assert_num_queries, url, queries):
    with django_assert_num_queries(queries):
        client.get(url)
    for index in range(15):
        provider = ProviderFactory()
        for model in ("alpha", "beta", "gamma"):
            OfferingFactory(language_model=catalog[model], provider=provider)
        ScoreFactory(language_model=catalog["alpha"])
        LanguageModelFactory(name=f"Extra {index}")
    cache.clear()
    with django_assert_num_queries(queries):
        client.get(url)
