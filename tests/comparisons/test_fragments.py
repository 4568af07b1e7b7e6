"""Parts of pages rendered once per catalog version, and the cells they are made of."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from comparisons.charts import svg_number
from comparisons.facts import ScoreConditions, ScoreFacts
from comparisons.templatetags.llmref import cached_url, score_cell, url_maker
from models_catalog.catalog_version import bump_catalog_version
from tests.factories import LanguageModelFactory, OfferingFactory, ScoreFactory

pytestmark = pytest.mark.django_db

FRAGMENT = Template(
    '{% load llmref %}{% per_catalog_version "test" key %}{{ value }}{% end_per_catalog_version %}'
)


def render(key: str, value: str) -> str:
    return FRAGMENT.render(Context({"key": key, "value": value}))


def test_a_fragment_is_reused_for_the_same_keys_until_the_catalog_changes(monkeypatch):
    # The day is part of every key: held still, so the test cannot straddle midnight.
    monkeypatch.setattr(timezone, "localdate", lambda: datetime.date(2026, 1, 5))
    assert render("alpha", "first") == "first"
    assert render("alpha", "second") == "first"  # same version, same keys: reused
    assert render("beta", "second") == "second"  # other keys: rendered
    bump_catalog_version()
    assert render("alpha", "third") == "third"  # a write: rendered afresh


def test_a_fragment_is_rendered_afresh_on_a_new_day(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda: datetime.date(2026, 1, 5))
    assert render("alpha", "monday") == "monday"
    monkeypatch.setattr(timezone, "localdate", lambda: datetime.date(2026, 1, 6))
    assert render("alpha", "tuesday") == "tuesday"


def test_an_offering_edit_shows_on_every_pair_page_of_the_model(client):
    alpha = LanguageModelFactory(slug="alpha", name="Alpha")
    LanguageModelFactory(slug="beta", name="Beta")
    LanguageModelFactory(slug="gamma", name="Gamma")
    offering = OfferingFactory(language_model=alpha, note="Old terms")
    assert b"Old terms" in client.get("/compare/alpha-vs-beta/").content
    offering.note = "New terms"
    offering.save()
    # Another page showing the same model's offerings table, and the first page again.
    for page in ("/compare/alpha-vs-gamma/", "/compare/alpha-vs-beta/"):
        content = client.get(page).content
        assert b"New terms" in content and b"Old terms" not in content


def score(**changes) -> ScoreFacts:
    values = {
        "benchmark_slug": "mmlu",
        "benchmark_name": "MMLU",
        "value": Decimal("88.5"),
        "provenance": "maker",
        "source_url": "https://example.com/card",
        "note": 'Says "5-shot" & more',
    }
    return ScoreFacts(**{**values, **changes})


def test_a_score_cell_links_its_source_and_names_its_reporter():
    cell = score_cell(score(provenance="maker"))
    assert cell == (
        '<a href="https://example.com/card" rel="external nofollow" '
        'title="Says &quot;5-shot&quot; &amp; more">88.5</a> <span class="badge maker">maker</span>'
    )
    assert score_cell(score(provenance="independent")).endswith(
        '<span class="badge">independent</span>'
    )
    assert score_cell(score(provenance="third-party")).endswith(
        '<span class="badge">third party</span>'
    )


def test_a_score_cell_marks_a_missing_source_and_states_conditions():
    cell = score_cell(
        score(source_url="javascript:alert(1)", conditions=ScoreConditions(shots=0)),
        hide_provenance=True,
    )
    assert "javascript" not in cell
    assert '<span class="badge">no source yet</span>' in cell
    assert "maker" not in cell
    assert cell.endswith('<span class="meta">0-shot</span>')


def test_no_score_is_the_unknown_mark():
    assert "not yet sourced" in score_cell(None)


def test_svg_numbers_have_one_decimal():
    assert [svg_number(v) for v in (0, 12.345, 99.96)] == ["0.0", "12.3", "100.0"]


def test_cached_url_is_reverse_under_any_script_prefix():
    assert cached_url("model_detail", "gpt-4o") == reverse("model_detail", args=["gpt-4o"])
    set_script_prefix("/mirror/")
    try:
        assert cached_url("model_detail", "gpt-4o") == "/mirror/models/gpt-4o/"
        assert url_maker()("model_detail", "gpt-4o") == "/mirror/models/gpt-4o/"
    finally:
        set_script_prefix("/")
    assert cached_url("model_detail", "gpt-4o") == "/models/gpt-4o/"


@given(slug=st.from_regex(r"[-a-zA-Z0-9_]{1,40}", fullmatch=True))
def test_cached_url_gives_what_reverse_gives_for_any_slug(slug):
    page_url = url_maker()
    for name in ("model_detail", "compare", "api:compare", "report_error", "feed_model"):
        assert cached_url(name, slug) == page_url(name, slug) == reverse(name, args=[slug])


def test_cached_url_falls_back_to_reverse_for_other_arguments():
    assert cached_url("home") == "/"
    assert cached_url("resolve_report", 7) == reverse("resolve_report", args=[7])
    with pytest.raises(NoReverseMatch):
        cached_url("model_detail", "not a slug")


def test_listing_pages_show_an_edit_on_their_next_view(client):
    alpha = LanguageModelFactory(slug="alpha", name="Alpha")
    offering = OfferingFactory(language_model=alpha, input_usd_per_mtok=Decimal("1.25"))
    score = ScoreFactory(language_model=alpha, value=Decimal("61.5"))
    pages = {
        "provider": f"/providers/{offering.provider.slug}/",
        "organization": f"/organizations/{alpha.organization.slug}/",
        "benchmark": f"/benchmarks/{score.benchmark.slug}/",
    }
    before = {kind: client.get(page).content for kind, page in pages.items()}
    assert b"$1.25" in before["provider"] and b"$1.25" in before["organization"]
    assert b"61.5" in before["benchmark"]
    offering.input_usd_per_mtok = Decimal("9.75")
    offering.save()
    score.value = Decimal("72.5")
    score.save()
    # An ignored parameter makes each a page the page cache has not seen: only the parts
    # kept per catalog version could still show the old figures.
    after = {kind: client.get(f"{page}?seen=2").content for kind, page in pages.items()}
    assert b"$9.75" in after["provider"] and b"$1.25" not in after["provider"]
    assert b"$9.75" in after["organization"] and b"$1.25" not in after["organization"]
    assert b"72.5" in after["benchmark"] and b"61.5" not in after["benchmark"]


def test_a_provider_page_keeps_its_filters_apart(client):
    alpha = LanguageModelFactory(slug="alpha", name="Alpha")
    beta = LanguageModelFactory(slug="beta", name="Beta")
    offering = OfferingFactory(language_model=alpha)
    OfferingFactory(language_model=beta, provider=offering.provider)
    page = f"/providers/{offering.provider.slug}/"
    assert b"Beta" in client.get(page).content
    narrowed = client.get(page, {"q": "alp"}).content.decode()
    assert ">Alpha<" in narrowed and ">Beta<" not in narrowed
    assert 'value="alp"' in narrowed  # the form shows what was typed, not the first page's
    assert 'value="alp"' not in client.get(page, {"seen": "1"}).content.decode()


def test_the_catalog_shows_an_edit_and_keeps_filters_and_ticks_apart(client):
    alpha = LanguageModelFactory(slug="alpha", name="Alpha", open_weights=True)
    LanguageModelFactory(slug="beta", name="Beta", open_weights=False)
    everything = client.get("/models/").content.decode()
    assert ">Alpha<" in everything and ">Beta<" in everything
    open_only = client.get("/models/", {"open_weights": "on"}).content.decode()
    assert ">Alpha<" in open_only and ">Beta<" not in open_only
    ticked = client.get("/models/", {"pick": "alpha", "picked": "1"}).content.decode()
    assert 'value="alpha" aria-label="Pick Alpha to compare" checked' in ticked
    assert "checked" not in client.get("/models/", {"seen": "1"}).content.decode()
    alpha.name = "Alpha Renamed"
    alpha.save()
    assert ">Alpha Renamed<" in client.get("/models/", {"seen": "2"}).content.decode()
