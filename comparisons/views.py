"""Thin views for the public pages: resolve, select, generate, render."""

from __future__ import annotations

import re
from decimal import Decimal
from functools import partial

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.decorators.clickjacking import xframe_options_exempt

from comparisons import (
    charts,
    figures,
    formatting,
    jinja,
    narrative,
    nway,
    pricing,
    search,
    selectors,
)
from comparisons.headline import model_headline, task_leads
from comparisons.related import newest_in_family
from comparisons.templatetags.llmref import cached_url
from llmref.site import absolute_url
from models_catalog.catalog_version import catalog_state
from models_catalog.services import count_comparison_view
from models_catalog.vocabulary import PAIR_SEPARATOR, pair_slug

# What the URL's slug converter accepts; anything else cannot name a model.
SLUG = re.compile(r"[-a-zA-Z0-9_]+")


def default_input_share() -> Decimal:
    """The site's share of input tokens in a blended price, as a fraction (0.7)."""
    return Decimal(settings.DEFAULT_INPUT_SHARE) / 100


def default_blend_label() -> str:
    """The default blend for reading, e.g. "70/30"."""
    return formatting.share(settings.DEFAULT_INPUT_SHARE)


MARKDOWN = "text/markdown; charset=utf-8"


def wants_markdown(request: HttpRequest, markdown: bool) -> bool:
    """`<url>.md` or `?format=md`: the page's text and tables as markdown."""
    return markdown or request.GET.get("format") == "md"


def site_root(request: HttpRequest) -> str:
    """The site's public address (SITE_URL), for links in markdown and llms.txt."""
    return settings.SITE_URL


def render_page(
    request: HttpRequest,
    template: str,
    context: dict,
    *,
    markdown: bool = False,
    jinja2: bool = False,
) -> HttpResponse:
    """The page as HTML, or as markdown from the template of the same name ending in .md.
    With `jinja2`, the HTML template is one of templates/jinja2/ (the comparison pages: see
    comparisons/jinja.py)."""
    if markdown:
        context = {**context, "site": site_root(request)}
        md_template = template.removesuffix(".html") + ".md"
        return render(request, md_template, context, content_type=MARKDOWN)
    if jinja2:
        return HttpResponse(jinja.draw(template, context, request))
    return render(request, template, context)


def extra_picks(picked: list[str]) -> list[tuple[str, str, str]]:
    """The picker's optional third and fourth boxes, with what the visitor typed."""
    chosen = (picked + ["", "", "", ""])[2:4]
    return [("c", "Third model", chosen[0]), ("d", "Fourth model", chosen[1])]


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "comparisons/home.html",
        {
            "featured": selectors.featured_pairs(default_input_share()),
            "popular": selectors.most_viewed_comparisons(),
            "reviewed": selectors.recently_reviewed(),
            "price_changes": selectors.recent_price_changes(),
            "model_count": len(selectors.neighbourhood(default_input_share()).candidates),
            "canonical_url": absolute_url("/"),
        },
    )


# The catalog's ticks open a comparison of this many models (pair page, or N-way page).
MIN_PICKS, MAX_PICKS = 2, nway.MOST


def pick(request: HttpRequest) -> HttpResponse:
    """On to the comparison of 2 to 4 models, named by slug or by name: the target of the
    picker's boxes (a to d), the add-a-model box and the catalog's ticks (both `pick`)."""
    ticked = list(dict.fromkeys(t for t in map(typed_text, request.GET.getlist("pick")) if t))
    typed = [typed_text(request.GET.get(key, "")) for key in ("a", "b", "c", "d")]
    if ticked and not MIN_PICKS <= len(ticked) <= MAX_PICKS:
        # Too few or too many ticks: back to the catalog page they came from, ticks kept,
        # saying what is needed.
        back = QueryDict(request.GET.get("back", ""), mutable=True)
        back.pop("page", None)
        back.setlist("pick", [slug for slug in ticked if SLUG.fullmatch(slug)][:20])
        back["picked"] = str(len(ticked))
        return redirect(f"{reverse('model_list')}?{back.urlencode()}")
    texts = ticked or [text for text in typed if text]
    named = selectors.models_named(texts)
    unknown = [text for text in texts if text not in named]
    slugs = [named[text] for text in texts if text in named]
    if not unknown and MIN_PICKS <= len(slugs) <= MAX_PICKS and len(set(slugs)) == len(slugs):
        return redirect("compare", pair=nway.path_segment(slugs))
    shown = (texts + ["", ""])[:MAX_PICKS]
    return render(
        request,
        "comparisons/pick.html",
        {
            "a": shown[0],
            "b": shown[1],
            "extra_picks": extra_picks(shown),
            "unknown": [
                (text, _suggestions(request, text) if len(text) <= 100 else [])
                for text in unknown[:MAX_PICKS]
            ],
            "title": "Compare models — LLM Reference",
        },
        status=400,
    )


def typed_text(value: str, limit: int = 200) -> str:
    """What a visitor typed, ready to look up: NUL cannot be stored or compared in PostgreSQL
    text, and no name is longer than 200 characters."""
    return value.replace("\x00", "").strip()[:limit]


def _suggestions(request: HttpRequest, text: str) -> list[tuple[str, str]]:
    """(name, address) of the models `text` may have meant: the same request with `text`
    replaced by each model's slug."""
    entries = [entry for entry in selectors.search_entries(text) if entry.kind == "model"]
    found = []
    for hit in search.rank(text, entries, limit=5):
        query = request.GET.copy()
        for key in query:
            query.setlist(
                key, [hit.entry.slug if typed_text(v) == text else v for v in query.getlist(key)]
            )
        found.append((hit.entry.name, f"{reverse('pick')}?{query.urlencode()}"))
    return found


def count_cached_view(request: HttpRequest, pair: str, markdown: bool = False) -> None:
    """A pair page served from the page cache is a view too (compare() counts its renders;
    pages of three or four models are not counted)."""
    if pair.count(PAIR_SEPARATOR) == 1:
        count_comparison_view(pair=pair)


def _canonical_redirect(request: HttpRequest, name: str, segment: str) -> HttpResponse:
    url = reverse(name, args=[segment])
    if request.META.get("QUERY_STRING"):
        url = f"{url}?{request.META['QUERY_STRING']}"
    return redirect(url, permanent=True)


def compare(request: HttpRequest, pair: str, markdown: bool = False) -> HttpResponse:
    if pair.count(PAIR_SEPARATOR) > 1:
        return compare_many(request, pair)
    slug_a, separator, slug_b = pair.partition(PAIR_SEPARATOR)
    if not separator or not slug_a or not slug_b or slug_a == slug_b:
        raise Http404("A pair page needs two different models: /compare/<a>-vs-<b>/.")
    canonical = pair_slug(slug_a, slug_b)
    if pair != canonical:
        return _canonical_redirect(request, "compare_md" if markdown else "compare", canonical)
    sheets = selectors.pair_sheets(slug_a, slug_b)
    if sheets is None:
        raise Http404("No such published model.")
    count_comparison_view(pair=canonical)
    share, refused = pricing.parse_input_share(
        request.GET.get("input_share"), settings.DEFAULT_INPUT_SHARE
    )
    today = timezone.localdate()
    comparison = figures.compare(*sheets, input_share=share, today=today)
    text = narrative.narrate(comparison)
    index = selectors.neighbourhood(Decimal(share) / 100)
    a, b = index.by_slug.get(slug_a), index.by_slug.get(slug_b)
    # Both are missing only from an index a moment older than the sheets (a write between).
    related = index.related_pairs(a, b) if a and b else []
    bars = charts.benchmark_bars(
        [
            (row.name, row.a.value if row.a else None, row.b.value if row.b else None)
            for row in comparison.benchmarks
            if row.a is None or row.a.unit == "percent"
        ],
        series_names=(comparison.a.name, comparison.b.name),
    )
    # Drawn inside a part kept per catalog version: worked out only when that part is drawn.
    headlines = [
        (
            sheet,
            SimpleLazyObject(
                partial(
                    model_headline,
                    sheet,
                    cheapest_blend=price.cheapest_blend,
                    cheapest_provider=price.cheapest.provider_name if price.cheapest else "",
                    today=today,
                )
            ),
        )
        for sheet, price in comparison.sides
    ]
    return render_page(
        request,
        "comparisons/pair.html",
        {
            "c": comparison,
            "headlines": headlines,
            "leads": task_leads(*sheets, rows=comparison.benchmarks),
            "blend_label": formatting.share(share),
            "text": text,
            "related": related,
            "bars": bars,
            **_comparison_page_context(
                sheets,
                share=share,
                refused=refused,
                canonical=canonical,
                title=text.title,
                today=today,
            ),
            "og_type": "article",
            "description": text.description,
            "current": (slug_a, slug_b),
            "canonical": canonical,
            "markdown_url": cached_url("compare_md", canonical),
            "embed_url": cached_url("embed_compare", canonical),
        },
        markdown=wants_markdown(request, markdown),
        jinja2=True,
    )


def _comparison_page_context(
    sheets, *, share: int, refused: bool, canonical: str, title: str, today
) -> dict:
    """What pair and N-way pages say alike: the review line, the blend form, the canonical
    address and the page title."""
    review, stale = narrative.review_line(
        sheets, today=today, stale_after_days=settings.STALE_AFTER_DAYS
    )
    return {
        "today": today,
        "review_line": review,
        "review_stale": stale,
        "input_share": share,
        "output_share": 100 - share,
        "share_refused": refused,
        "default_blend": default_blend_label(),
        "canonical_url": absolute_url(cached_url("compare", canonical)),
        "title": f"{title}: price, specs and benchmarks — LLM Reference",
        "og_title": title,
    }


def compare_many(request: HttpRequest, slugs: str) -> HttpResponse:
    """Three or four models side by side (two are the pair page)."""
    wanted = nway.parse(slugs)
    if wanted is None:
        raise Http404("Compare 2 to 4 different models: /compare/<a>-vs-<b>-vs-<c>/.")
    canonical = nway.path_segment(wanted)
    if slugs != canonical:
        return _canonical_redirect(request, "compare", canonical)
    sheets = selectors.model_sheets(nway.canonical(wanted))
    if sheets is None:
        raise Http404("No such published model.")
    share, refused = pricing.parse_input_share(
        request.GET.get("input_share"), settings.DEFAULT_INPUT_SHARE
    )
    today = timezone.localdate()
    figures = nway.compare(sheets, input_share=share, today=today)
    summary = nway.summary(figures)
    title = nway.title(figures)
    return render_page(
        request,
        "comparisons/many.html",
        {
            "f": figures,
            "summary": summary,
            "pairs": [
                (first.sheet, second.sheet, pair_slug(first.sheet.slug, second.sheet.slug))
                for i, first in enumerate(figures.columns)
                for second in figures.columns[i + 1 :]
            ],
            **_comparison_page_context(
                sheets,
                share=share,
                refused=refused,
                canonical=canonical,
                title=title,
                today=today,
            ),
            "description": f"{title}, side by side: specs, prices on each model's cheapest "
            f"provider, capabilities and comparable benchmark scores. {' '.join(summary[:1])}",
            "heading": title,
            "current": [sheet.slug for sheet in sheets],
            "can_add": len(sheets) < nway.MOST,
        },
        jinja2=True,
    )


EMBED_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; "
    "form-action 'none'; frame-ancestors *"
)


@xframe_options_exempt
def embed_compare(request: HttpRequest, pair: str) -> HttpResponse:
    """A small dated card of a pair's prices and shared scores, made to sit in an iframe."""
    slug_a, separator, slug_b = pair.partition(PAIR_SEPARATOR)
    if not separator or not slug_a or not slug_b or slug_a == slug_b or PAIR_SEPARATOR in slug_b:
        raise Http404("An embed names two different models: /embed/compare/<a>-vs-<b>/.")
    canonical = pair_slug(slug_a, slug_b)
    if pair != canonical:
        return _canonical_redirect(request, "embed_compare", canonical)
    sheets = selectors.pair_sheets(slug_a, slug_b)
    if sheets is None:
        raise Http404("No such published model.")
    comparison = figures.compare(
        *sheets, input_share=settings.DEFAULT_INPUT_SHARE, today=timezone.localdate()
    )
    text = narrative.narrate(comparison)
    response = render(
        request,
        "comparisons/embed.html",
        {
            "c": comparison,
            "text": text,
            # The day the catalog last changed: the card shows the data as of then.
            "as_of": catalog_state().changed_at.date(),
            "page_url": absolute_url(reverse("compare", args=[canonical])),
            "blend": default_blend_label(),
        },
    )
    # Framing is the point of this page (the rest of the site refuses it); it runs no script.
    response["Content-Security-Policy"] = EMBED_POLICY
    return response


def llms_txt(request: HttpRequest) -> HttpResponse:
    """/llms.txt: what the site is, and where its pages are as markdown (llmstxt.org)."""
    candidates = selectors.related_candidates(default_input_share())
    return render(
        request,
        "llms.txt",
        {
            "site": site_root(request),
            "models": sorted(candidates, key=lambda c: c.name.lower()),
            "featured": newest_in_family(candidates),
        },
        content_type="text/plain; charset=utf-8",
    )
