"""The Jinja2 environment that draws the layout and the comparison pages: the same filters,
marks and escaping as the Django templates."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.template import engines
from django.urls import set_script_prefix
from django.utils import timezone

from comparisons.templatetags.llmref import UNKNOWN_MARK
from models_catalog.catalog_version import bump_catalog_version
from tests.factories import LanguageModelFactory, OfferingFactory


def draw(source: str, **context) -> str:
    return engines["jinja2"].from_string(source).render(context)


def test_text_is_escaped_and_markup_from_filters_is_not():
    assert draw("{{ name }}", name='<b>"A" & B</b>') == "&lt;b&gt;&#34;A&#34; &amp; B&lt;/b&gt;"
    assert draw("{{ price|usd }}", price=None) == UNKNOWN_MARK


def test_a_missing_value_reads_as_not_yet_sourced_as_in_django_templates():
    # price.cheapest is None for a model no provider serves: reading through it is missing.
    for source in ("{{ price.cheapest.input_usd_per_mtok|usd }}", "{{ nothing|text_or_unknown }}"):
        assert draw(source, price={"cheapest": None}) == UNKNOWN_MARK
    assert draw("{{ price.cheapest.provider_name }}", price={"cheapest": None}) == ""
    assert draw("{{ price|usd }}", price=Decimal("1.5")) == "$1.50"


def test_django_filters_and_tags_are_the_same_functions():
    assert draw("{{ 2|pluralize }} {{ 'vision'|capfirst }}") == "s Vision"
    assert draw("{{ url('model_detail', 'gpt-4o') }}") == "/models/gpt-4o/"
    assert draw("{{ path|urlencode }}", path="/compare/a-vs-b/?x=1") == "/compare/a-vs-b/%3Fx%3D1"


@pytest.mark.django_db
def test_a_call_block_is_kept_per_catalog_version_like_the_django_tag(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda: datetime.date(2026, 1, 5))
    source = '{% call per_catalog_version("test", key) %}{{ value }}{% endcall %}'
    assert draw(source, key="alpha", value="<first>") == "&lt;first&gt;"
    assert draw(source, key="alpha", value="second") == "&lt;first&gt;"  # reused
    assert draw(source, key="beta", value="second") == "second"
    bump_catalog_version()
    assert draw(source, key="alpha", value="third") == "third"


@pytest.mark.django_db
def test_the_pair_page_extends_the_layout(client):
    alpha = LanguageModelFactory(slug="alpha", name="Alpha")
    LanguageModelFactory(slug="beta", name="Beta")
    OfferingFactory(language_model=alpha, note="Terms & conditions apply")
    response = client.get("/compare/alpha-vs-beta/")
    html = response.content.decode()
    assert html.count("<article") == 1 and html.count("<html") == 1
    assert "<title>Alpha vs Beta" in html
    # The FAQ's structured data goes in the layout's head, once.
    assert html.count("application/ld+json") == 1
    assert html.index("application/ld+json") < html.index("</head>")
    # Escaped once (the offerings table is a Django partial inside the Jinja2 page).
    assert "Terms &amp; conditions apply" in html and "&amp;amp;" not in html
    assert "Beta" in html and UNKNOWN_MARK in html  # Beta has no price


@pytest.mark.django_db
def test_a_call_block_is_kept_for_the_page_s_own_day():
    source = '{% call per_catalog_version("test-day", "k") %}{{ value }}{% endcall %}'
    monday, tuesday = datetime.date(2026, 1, 5), datetime.date(2026, 1, 6)
    assert draw(source, today=monday, value="monday") == "monday"
    assert draw(source, today=monday, value="again") == "monday"
    assert draw(source, today=tuesday, value="tuesday") == "tuesday"


@pytest.mark.django_db
def test_a_page_of_three_models_is_drawn_with_its_add_form(client):
    for slug in ("alpha", "beta", "gamma"):
        LanguageModelFactory(slug=slug, name=slug.title())
    html = client.get("/compare/alpha-vs-beta-vs-gamma/").content.decode()
    assert html.count("<article") == 1 and "<h1>Alpha vs Beta vs Gamma</h1>" in html
    form = html[html.index('<form class="inline add-model"') :]
    form = form[: form.index("</form>")]
    for slug in ("alpha", "beta", "gamma"):
        assert f'<input type="hidden" name="pick" value="{slug}">' in form


def test_once_per_process_draws_its_block_once_for_each_script_prefix(settings):
    settings.DEBUG = False
    source = (
        '{% call once_per_process("test-once") %}<a href="{{ url("home") }}">{{ v }}</a>'
        "{% endcall %}"
    )
    assert draw(source, v="first") == '<a href="/">first</a>'
    assert draw(source, v="second") == '<a href="/">first</a>'
    set_script_prefix("/mirror/")
    try:
        assert draw(source, v="third") == '<a href="/mirror/">third</a>'
    finally:
        set_script_prefix("/")
    settings.DEBUG = True  # templates change while developing: drawn every time
    assert draw(source, v="fourth") == '<a href="/">fourth</a>'


@pytest.mark.django_db
def test_django_pages_are_drawn_in_the_jinja2_layout(client):
    html = client.get("/search/", {"q": '"><b>'}).content.decode()
    assert html.startswith("<!doctype html>") and html.count("<html") == 1
    assert "<title>Search: &#34;&gt;&lt;b&gt; — LLM Reference</title>" in html
    assert 'name="q" value="&#34;&gt;&lt;b&gt;"' in html  # the header's box, escaped
    assert '<link rel="stylesheet" href="/static/css/site.css">' in html
    assert html.rstrip().endswith("</footer>\n</body>\n</html>")
