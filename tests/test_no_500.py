"""No URL of any shape answers 500: odd paths and query strings get 200, 3xx or 4xx."""

from __future__ import annotations

import pytest

from tests.factories import LanguageModelFactory, OfferingFactory

ODD_URLS = [
    "/compare/?a=hello world&b=x",
    "/compare/?a=a%00&b=b",
    "/compare/?pick=a&pick=b&pick=c",
    "/compare/a-vs-b-vs-c/",
    "/compare/-vs-/",
    "/compare/alpha-vs-beta/?input_share=1e9",
    "/compare/alpha-vs-beta/?input_share=%00",
    "/compare/beta-vs-alpha/?x=%ZZ",
    "/models/?min_context=99999999999999999999&max_price=1e400&released_after=2024-02-30",
    "/models/?page=-1",
    "/models/?page=999999",
    "/models/?q=%00&organization=%00",
    "/models/?sort=score",
    "/models/?capabilities=flying",
    "/models/nope/report/",
    "/search/?q=%00",
    "/search/?q=" + "a" * 5000,
    "/search/suggest.json?q=%00&kind=%00",
    "/providers/%C3%A9/",
    "/benchmarks/-/",
    "/review/?organization=%00",
    "/healthz?x=1",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ODD_URLS)
def test_odd_urls_never_answer_500(client, url):
    OfferingFactory(language_model=LanguageModelFactory(slug="alpha"))
    LanguageModelFactory(slug="beta")
    response = client.get(url)
    assert response.status_code < 500


@pytest.mark.django_db
def test_odd_report_posts_never_answer_500(client):
    LanguageModelFactory(slug="alpha")
    for data in ({}, {"message": "\x00" * 20}, {"message": "ok message", "email": "\x00"}):
        assert client.post("/models/alpha/report/", data).status_code < 500
