"""Pages for machines: /llms.txt, markdown views of model and pair pages, the embed card."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from tests.factories import (
    BenchmarkFactory,
    LanguageModelFactory,
    OfferingFactory,
    ProviderFactory,
    ScoreFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair():
    host = ProviderFactory(slug="host", name="Host")
    a = LanguageModelFactory(slug="alpha", name="Alpha", context_window=None)
    b = LanguageModelFactory(slug="beta", name="Beta", context_window=200_000)
    OfferingFactory(
        language_model=a,
        provider=host,
        input_usd_per_mtok=Decimal("0.15"),
        output_usd_per_mtok=Decimal("0.60"),
    )
    OfferingFactory(
        language_model=b,
        provider=host,
        input_usd_per_mtok=Decimal("1.25"),
        output_usd_per_mtok=Decimal("10"),
    )
    bench = BenchmarkFactory(name="Bench | Hard")
    ScoreFactory(language_model=a, benchmark=bench, value=Decimal("61.5"))
    ScoreFactory(language_model=b, benchmark=bench, value=Decimal("80.25"))
    return a, b


def visible_text(html: str) -> str:
    html = re.sub(r"<script.*?</script>", " ", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", text).replace("&#x27;", "'").replace("&amp;", "&")


def test_llms_txt_links_to_markdown_views(client, pair):
    response = client.get("/llms.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("# LLM Reference\n\n> ")
    assert "[Alpha](http://testserver/models/alpha.md)" in text
    assert "http://testserver/api/v1/openapi.json" in text
    assert "http://testserver/data/" in text


@pytest.mark.parametrize("url", ["/compare/alpha-vs-beta.md", "/compare/alpha-vs-beta/?format=md"])
def test_pair_markdown_holds_the_same_figures_and_text(client, pair, url):
    html_response = client.get("/compare/alpha-vs-beta/")
    md_response = client.get(url)
    assert md_response.status_code == 200
    assert md_response["Content-Type"] == "text/markdown; charset=utf-8"
    md = md_response.content.decode()
    text = html_response.context["text"]
    for sentence in (text.summary, text.verdict, *text.deep_dive, *text.choose):
        assert sentence in md
    for question, answer in text.faq:
        assert f"### {question}" in md and answer in md
    html_text = visible_text(html_response.content.decode())
    for figure in ("$0.15", "$0.60", "$1.25", "$10", "61.5", "80.25", "200K"):
        assert figure in html_text and figure in md
    # A pipe in a name does not break the table; unknown is said, never blank or 0.
    assert "Bench \\| Hard" in md
    assert "| Context window | — (not yet sourced) | 200K |" in md
    assert "None" not in md


def test_model_markdown(client, pair):
    md = client.get("/models/alpha.md").content.decode()
    assert md.startswith("# Alpha\n")
    assert "| Host | $0.15 | $0.60 |" in md
    assert client.get("/models/alpha/?format=md").content.decode() == md
    assert client.get("/models/nope.md").status_code == 404


def test_markdown_redirects_keep_the_format(client, pair):
    response = client.get("/compare/beta-vs-alpha.md")
    assert response.status_code == 301
    assert response["Location"] == "/compare/alpha-vs-beta.md"


def test_pages_link_their_markdown_and_embed(client, pair):
    html = client.get("/compare/alpha-vs-beta/").content.decode()
    assert 'type="text/markdown"' in html and 'href="/compare/alpha-vs-beta.md"' in html
    assert 'href="/embed/compare/alpha-vs-beta/"' in html
    assert 'href="/api/v1/compare/alpha-vs-beta/"' in html


def test_embed_card_may_be_framed_and_is_dated(client, pair):
    response = client.get("/embed/compare/alpha-vs-beta/")
    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    policy = response["Content-Security-Policy"]
    assert "frame-ancestors *" in policy and "default-src 'none'" in policy
    html = response.content.decode()
    assert "Data as of " in html
    assert 'href="http://testserver/compare/alpha-vs-beta/"' in html
    assert "$0.15" in html and "80.25" in html
    # The ordinary pages still refuse framing.
    assert client.get("/compare/alpha-vs-beta/")["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/embed/compare/beta-vs-alpha/", 301),
        ("/embed/compare/alpha-vs-alpha/", 404),
        ("/embed/compare/alpha-vs-nope/", 404),
        ("/embed/compare/alpha-vs-beta-vs-gamma/", 404),
    ],
)
def test_embed_urls(client, pair, url, status):
    assert client.get(url).status_code == status
