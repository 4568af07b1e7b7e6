"""Template filters over comparisons.formatting; a missing value becomes a marked dash."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from comparisons import formatting
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
    payload = json.dumps(data, ensure_ascii=False).translate(
        {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}
    )
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))  # noqa: S308


@register.filter
def http_url(value: Any) -> str:
    """The URL itself when it is http(s), else "": links never carry javascript: or data:,
    even if such a value reached the database some other way."""
    return value if is_http_url(value) else ""
