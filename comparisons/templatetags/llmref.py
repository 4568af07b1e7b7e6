"""Template filters over comparisons.formatting; a missing value becomes a marked dash."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import template
from django.utils.html import format_html

from comparisons import formatting

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
def text_or_unknown(value: str | None):
    return value if value else UNKNOWN_MARK


@register.filter
def yes_no_unknown(value: bool | None) -> str:
    if value is None:
        return UNKNOWN_MARK
    return "Yes" if value else "No"
