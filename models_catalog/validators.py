"""Rules on single values that every way in (admin, load_catalog, importers, forms) shares.

The models call these from their fields and from `TextChecked.clean_fields`, so a value the
admin refuses is refused by every loader too.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.http import url_has_allowed_host_and_scheme

HTTP_SCHEMES = ("http", "https")

# Django's URLValidator also accepts ftp(s); a link readers follow must be a web page.
validate_http_url = URLValidator(
    schemes=list(HTTP_SCHEMES), message="Enter a web address starting with http:// or https://."
)

# C0 controls and DEL. Tabs and line breaks are allowed in long text only.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LINE_BREAK_OR_TAB = re.compile(r"[\t\n\r]")
# Bidirectional embeddings, overrides and isolates (and their marks) can make a name read
# differently from what it is, e.g. “gpt‮4-ih” shown as another model's name.
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def is_http_url(value: Any) -> bool:
    """True for a well-formed http:// or https:// URL (the only links pages render)."""
    if not isinstance(value, str) or not value:
        return False
    return _is_http_url(value)


@lru_cache(maxsize=8192)
def _is_http_url(value: str) -> bool:
    # Remembered: pages render the same few thousand source links again and again, and the
    # validator's regular expressions cost about 50 µs a link.
    try:
        validate_http_url(value)
    except ValidationError:
        return False
    return True


def text_problem(value: str, *, single_line: bool) -> str | None:
    """Why a text value is refused, or None. NUL and other control characters are never
    accepted; names and other one-line values also refuse line breaks and bidi overrides."""
    if _CONTROL.search(value):
        return "Contains a control character (such as NUL); remove it."
    if single_line and _LINE_BREAK_OR_TAB.search(value):
        return "Must be on one line (no tabs or line breaks)."
    if single_line and _BIDI.search(value):
        return "Contains a bidirectional text override; remove it."
    return None


def validate_source_list(value: Any) -> None:
    """A list of http(s) URLs, no duplicates; a single string is not a list."""
    if not isinstance(value, list):
        raise ValidationError(f"Expected a list of URLs, not {kind(value)}.")
    seen: set[str] = set()
    for number, url in enumerate(value, start=1):
        if not isinstance(url, str):
            raise ValidationError(f"Item {number} is {kind(url)}, not a URL.")
        if not is_http_url(url):
            raise ValidationError(f"Item {number} is not an http(s) URL: {url[:200]!r}.")
        if url in seen:
            raise ValidationError(f"Item {number} repeats {url[:200]!r}.")
        seen.add(url)


def kind(value: Any) -> str:
    """The JSON name of a value's type, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def is_local_path(value: Any) -> bool:
    """A path on this site ("/models/x/"), never another site ("//evil.example", "https://…",
    "/\\evil.example"): the only kind of address a "Back" link may point to."""
    return (
        isinstance(value, str)
        and value.startswith("/")
        and len(value) <= 300
        and text_problem(value, single_line=True) is None
        and url_has_allowed_host_and_scheme(value, allowed_hosts=None)
    )
