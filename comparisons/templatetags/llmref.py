"""Template filters over comparisons.formatting; a missing value becomes a marked dash."""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from html import escape as html_escape
from itertools import chain
from typing import Any

from django import template
from django.template import engines
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from comparisons import charts, formatting
from models_catalog import catalog_version
from models_catalog.validators import is_http_url

register = template.Library()

UNKNOWN_MARK = format_html(
    '<span class="unknown" title="{}">—<span class="visually-hidden"> {}</span></span>',
    formatting.NOT_SOURCED,
    formatting.NOT_SOURCED,
)


def _table_filter(name: str, fn: Callable[[Any], str]) -> None:
    # A missing attribute reaches a filter as "" (the template engine's invalid value).
    register.filter(name, lambda value: UNKNOWN_MARK if value in (None, "") else fn(value))


_table_filter("usd", formatting.usd)
_table_filter("tokens", formatting.tokens)
_table_filter("parameters", formatting.parameters)
_table_filter("score", formatting.score)
_table_filter("day", formatting.day)
_table_filter("month", formatting.month)


# What the `slug` path converter accepts, and what reverse() puts in an address unquoted.
_SLUG = re.compile(r"[-a-zA-Z0-9_]+")


@lru_cache(maxsize=1024)
def _route(urlconf: str | None, prefix: str, name: str, arity: int) -> tuple[str, ...] | None:
    """The address of `name` cut where its `arity` arguments go, if reverse() puts any slug
    there as it is; else None. The URLconf and script prefix are part of the key: reverse()
    reads both."""
    # Two sets of stand-ins, the second with every kind of character a slug may hold.
    first = [f"slot{i}x" for i in range(arity)]
    second = [f"Slot-{i}_9" for i in range(arity)]
    try:
        address = reverse(name, urlconf=urlconf, args=first)
        check = reverse(name, urlconf=urlconf, args=second)
    except NoReverseMatch:
        return None  # an argument that is not a slug (an <int:pk>)
    parts = []
    for stand_in in first:
        before, found, address = address.partition(stand_in)
        if not found:
            return None
        parts.append(before)
    parts.append(address)
    if _joined(parts, second) != check:
        return None  # a stand-in was also part of the route's own text, or was changed
    return tuple(parts)


def _joined(parts: Sequence[str], args: Sequence[str]) -> str:
    if len(args) == 1:  # nearly every address
        return parts[0] + args[0] + parts[1]
    return "".join(chain.from_iterable(zip(parts, [*args, ""], strict=True)))


def _address(urlconf: str | None, prefix: str, name: str, args: Sequence[Any]) -> str:
    values = [str(arg) for arg in args]
    if all(_SLUG.fullmatch(value) for value in values):
        parts = _route(urlconf, prefix, name, len(values))
        if parts is not None:
            return _joined(parts, values)
    return reverse(name, urlconf=urlconf, args=values)


@register.simple_tag
def cached_url(name: str, *args: Any) -> str:
    """{% url %}, without reverse() on every call: each address is cut once where its slugs
    go, and then joined. A pair page links about thirty addresses, a third of them to pairs
    it has never linked before, at about 15 µs per reverse(). Public templates use this tag."""
    return _address(get_urlconf(), get_script_prefix(), name, args)


def url_maker() -> Callable[..., str]:
    """cached_url for one page: the URLconf and script prefix (per-request values, each
    about 2 µs to read) are read once rather than for each of its thirty links."""
    urlconf, prefix = get_urlconf(), get_script_prefix()
    return lambda name, *args: _address(urlconf, prefix, name, args)


@register.filter
def tokens_exact(value: int | None) -> str:
    """The exact count for a title attribute ("131,072 tokens"); empty when unknown."""
    return formatting.tokens_exact(value) if isinstance(value, int) else ""


@register.filter
def prices_checked(rows) -> str:
    """The caption of an offerings table: when its still-listed prices were last checked."""
    return formatting.prices_checked(
        [offering.checked_on for offering, _blend in rows if offering.is_current]
    )


@register.filter
def text_or_unknown(value: str | None):
    return value if value else UNKNOWN_MARK


@register.filter
def yes_no_unknown(value: bool | None) -> str:
    if value is None:
        return UNKNOWN_MARK
    return "Yes" if value else "No"


@register.simple_tag
def faq_json_ld(items: tuple[tuple[str, str], ...]):
    """schema.org FAQPage with exactly the visible questions and answers."""
    data = {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "mainEntity": [
            {
                "@type": "Question",
                "name": question,
                "acceptedAnswer": {"@type": "Answer", "text": answer},
            }
            for question, answer in items
        ],
    }
    # Escape <, > and & as JSON unicode escapes, so the text cannot close the script element.
    payload = (
        json.dumps(data, ensure_ascii=False)
        .replace("<", "\\u003C")
        .replace(">", "\\u003E")
        .replace("&", "\\u0026")
    )
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')  # noqa: S308


PROVENANCE_BADGES = {
    "maker": mark_safe(' <span class="badge maker">maker</span>'),
    "independent": mark_safe(' <span class="badge">independent</span>'),
    "third party": mark_safe(' <span class="badge">third party</span>'),
}


@register.simple_tag
def score_cell(score, hide_provenance: bool = False):
    """One score as a table cell's content: the value linked to its source (or marked as
    unsourced), whose number it is, and the conditions it was measured under. A tag rather
    than an included template: a comparison page shows dozens, and an include costs more
    than the rest of the row (so does format_html; every value is escaped here instead)."""
    if not score:
        return UNKNOWN_MARK
    value, note = html_escape(formatting.score(score.value)), html_escape(score.note)
    url = http_url(score.source_url)
    if url:
        cell = f'<a href="{html_escape(url)}" rel="external nofollow" title="{note}">{value}</a>'
    else:
        cell = f'<span title="{note}">{value}</span> <span class="badge">no source yet</span>'
    if not hide_provenance:
        if score.by_maker:
            cell += PROVENANCE_BADGES["maker"]
        elif score.provenance == "independent":
            cell += PROVENANCE_BADGES["independent"]
        else:
            cell += PROVENANCE_BADGES["third party"]
    if score.conditions.label:
        cell += f' <span class="meta">{html_escape(score.conditions.label)}</span>'
    return mark_safe(cell)  # noqa: S308


@register.simple_tag
def bar_shapes(chart: charts.BarChart):
    """A bar chart's shapes (charts.benchmark_bars): each group's label, and each bar with its
    value. A tag rather than a loop in the template, for the same reason as score_cell: a
    pair page draws up to forty of them, at several escaped values each."""
    shapes = []
    for group in chart.groups:
        shapes.append(
            f'<text class="tick" x="{chart.label_end}" y="{group.label_y_svg}" '
            f'text-anchor="end" dominant-baseline="middle">{html_escape(group.label)}</text>'
        )
        for bar in group.bars:
            svg = bar.svg
            shapes.append(
                f'<rect class="series-{bar.series}" x="{chart.label_width}" y="{svg["y"]}" '
                f'width="{svg["width"]}" height="{charts.BAR_HEIGHT}"/>'
                f'<text class="value" x="{svg["text_x"]}" y="{svg["text_y"]}" '
                f'dominant-baseline="middle">{html_escape(bar.value_text)}</text>'
            )
    return mark_safe("\n".join(shapes))  # noqa: S308


@register.filter
def http_url(value: Any) -> str:
    """The URL itself when it is http(s), else "": links never carry javascript: or data:,
    even if such a value reached the database some other way."""
    return value if is_http_url(value) else ""


class PerCatalogVersionNode(template.Node):
    def __init__(self, name: str, keys: list[template.base.FilterExpression], nodelist) -> None:
        self.name, self.keys, self.nodelist = name, keys, nodelist

    def render(self, context) -> str:
        return fragment(
            self.name,
            [key.resolve(context) for key in self.keys],
            lambda: self.nodelist.render(context),
            context.get("today"),
        )


def fragment(
    name: str,
    keys: Iterable[Any],
    render: Callable[[], str],
    today: datetime.date | None = None,
) -> str:
    """`render()`'s markup, kept once per catalog version and day under `name` and `keys`
    (the Django tag below and the Jinja2 pages' call block both come here). `today` is the
    page's own date, when it has one (reading the clock costs more than the rest)."""
    # repr() keeps keys apart whatever they contain; the day is always part of the key,
    # because what is current or retired changes with it.
    values = tuple(str(key) for key in keys)
    day = (today or timezone.localdate()).isoformat()
    key = f"fragment:{name}:{values!r}:{day}"
    return catalog_version.per_catalog_version(key, render)


@register.tag
def per_catalog_version(parser, token) -> PerCatalogVersionNode:
    """{% per_catalog_version "name" key… %}…{% end_per_catalog_version %}: the block is
    rendered once per catalog version and day in this process, then reused by every page
    whose keys are the same. The keys must name everything the block shows, such as one
    model's slug and the input share for its offerings table on any of its pair pages."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(f"{bits[0]} needs a name")
    name = bits[1].strip("\"'")
    keys = [parser.compile_filter(bit) for bit in bits[2:]]
    nodelist = parser.parse(("end_per_catalog_version",))
    parser.delete_first_token()
    return PerCatalogVersionNode(name, keys, nodelist)


# What the layout shows of a page's context (besides the blocks).
LAYOUT_CONTEXT = (
    "title",
    "description",
    "canonical_url",
    "og_type",
    "og_title",
    "feed_url",
    "markdown_url",
    "query",
)


class LayoutNode(template.Node):
    child_nodelists = ("head", "content")  # so that {% extends %} finds the blocks in them

    def __init__(self, head, content) -> None:
        self.head, self.content = head, content

    def render(self, context) -> str:
        layout = engines["jinja2"].env.get_template("layout.html")
        return layout.render(
            {
                **{name: context.get(name) for name in LAYOUT_CONTEXT},
                "head": self.head.render(context),
                "content": self.content.render(context),
            }
        )


@register.tag
def layout(parser, token) -> LayoutNode:
    """{% layout %}…{% layout_content %}…{% end_layout %}: the page in the site's layout
    (templates/jinja2/layout.html), with the first part in <head> and the second in <main>.
    base.html uses it, so Django pages share the layout that the comparison pages, Jinja2
    templates, extend: it has one home."""
    head = parser.parse(("layout_content",))
    parser.delete_first_token()
    content = parser.parse(("end_layout",))
    parser.delete_first_token()
    return LayoutNode(head, content)
