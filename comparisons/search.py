"""Pure, typo-tolerant ranking of names for site search and type-ahead.

Names are compared in a normalised form (lowercase; letters and digits split into tokens, so
"gpt4o", "GPT-4o" and "gpt 4o" agree), then scored: exact > prefix > every query token found
(allowing small typos) > overall similarity.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher

TOKEN = re.compile(r"[a-z]+|\d+")


@dataclass(frozen=True)
class Entry:
    kind: str  # "model", "family", "organization" or "provider"
    slug: str
    name: str
    url: str
    detail: str = ""


@dataclass(frozen=True)
class Hit:
    entry: Entry
    score: float


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text.lower())


def compact(text: str) -> str:
    return "".join(tokens(text))


def _token_matches(query_token: str, name_tokens: list[str]) -> bool:
    for token in name_tokens:
        if token == query_token or (len(query_token) >= 2 and token.startswith(query_token)):
            return True
        # A typo is forgiven in words, never in numbers ("3" must not match "4").
        if query_token.isalpha() and len(query_token) >= 4 and token.isalpha():
            if SequenceMatcher(None, query_token, token).ratio() >= 0.8:
                return True
    return False


def score(query: str, entry: Entry) -> float:
    q, name = compact(query), compact(entry.name)
    if not q:
        return 0.0
    if q == name or q == compact(entry.slug):
        return 1.0
    if name.startswith(q):
        return 0.9
    query_tokens, name_tokens = tokens(query), tokens(entry.name) + tokens(entry.slug)
    matched = sum(_token_matches(t, name_tokens) for t in query_tokens)
    if matched == len(query_tokens):
        # Fewer extra words in the name means a closer match, and so do query words that
        # stand together in the name ("1 b" in "3.2 1B", not split as in "3.1 8B").
        pairs = list(zip(query_tokens, query_tokens[1:], strict=False))
        adjacent = sum(
            pair in set(zip(name_tokens, name_tokens[1:], strict=False)) for pair in pairs
        )
        together = adjacent / len(pairs) if pairs else 1.0
        return 0.6 + 0.1 * len(q) / max(len(name), 1) + 0.1 * together
    similarity = SequenceMatcher(None, q, name).ratio()
    return 0.5 * similarity if similarity >= 0.6 else 0.0


def rank(query: str, entries: Iterable[Entry], limit: int = 20) -> list[Hit]:
    # A model is usually what a visitor is after, so other kinds give way to a model that
    # matches about as well; an exact name still wins.
    hits = [
        Hit(entry, s if entry.kind == "model" or s == 1.0 else s * 0.9)
        for entry in entries
        for s in [score(query, entry)]
    ]
    hits = [hit for hit in hits if hit.score > 0]
    # Models before families, organizations and providers at equal scores.
    order = {"model": 0, "family": 1, "organization": 2, "provider": 3}
    hits.sort(key=lambda h: (-h.score, order.get(h.entry.kind, 9), h.entry.name.lower()))
    return hits[:limit]
