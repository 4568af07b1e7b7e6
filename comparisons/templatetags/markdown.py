"""Filters for the markdown views: the same formatting as the HTML pages, as plain text.

A missing value reads "— (not yet sourced)"; a table cell never breaks the table.
"""

from __future__ import annotations

from typing import Any

from django import template

from comparisons import formatting

register = template.Library()

UNKNOWN = f"— ({formatting.NOT_SOURCED})"
FORMATS = {
    "usd": formatting.usd,
    "tokens": formatting.tokens,
    "parameters": formatting.parameters,
    "score": formatting.score,
    "day": formatting.day,
    "month": formatting.month,
    "text": str,
}


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")


@register.filter
def md(value: Any, kind: str = "text") -> str:
    """`value` formatted as on the HTML page (`kind` names the formatting), safe in a cell."""
    if value is None or value == "":
        return UNKNOWN
    return _cell(FORMATS[kind](value))


@register.filter
def md_yes_no(value: bool | None) -> str:
    if value is None:
        return UNKNOWN
    return "yes" if value else "no"


@register.filter
def md_cell(value: Any) -> str:
    return _cell(str(value))


@register.filter
def md_offering_notes(offering: Any, price: Any) -> str:
    """The badges of the HTML offering table (batch, free tier, ...) and the note, as text."""
    notes = [
        label
        for label, shown in (
            ("batch", offering.is_batch),
            ("free tier", offering.free_tier),
            ("no longer listed", not offering.is_current),
            ("cheapest", price.cheapest == offering),
        )
        if shown
    ]
    if offering.note:
        notes.append(offering.note)
    return _cell("; ".join(notes))
