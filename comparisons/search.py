"""Pure, typo-tolerant ranking of names for site search and type-ahead.

Names are compared in a normalised form (lowercase; letters and digits split into tokens, so
"gpt4o", "GPT-4o" and "gpt 4o" agree), then scored: exact > prefix > every query token found
(allowing small typos) > overall similarity.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cached_property, lru_cache

TOKEN = re.compile(r"[a-z]+|\d+")


@dataclass(frozen=True)
class Entry:
    kind: str  # "model", "family", "organization" or "provider"
    slug: str
    name: str
    url: str
    detail: str = ""

    # Normalised once per entry: entries other than models are kept per catalog version and
    # scored against every query.
    @cached_property
    def compact_name(self) -> str:
        return compact(self.name)

    @cached_property
    def compact_slug(self) -> str:
        return compact(self.slug)

    @cached_property
    def name_tokens(self) -> list[str]:
        return tokens(self.name) + tokens(self.slug)


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
        if _typo_of(query_token, token):
            return True
    return False


@lru_cache(maxsize=65536)
def _typo_of(query_token: str, token: str) -> bool:
    """`query_token` is `token` with a small typo. Remembered: the same few thousand words
    recur across names, and each comparison runs difflib."""
    # A typo is forgiven in words, never in numbers ("3" must not match "4").
    if not (query_token.isalpha() and len(query_token) >= 4 and token.isalpha()):
        return False
    return bool(_ratio_if_at_least(query_token, token, 0.8))


def _ratio_if_at_least(a: str, b: str, at_least: float) -> float:
    """SequenceMatcher's ratio when it is at least `at_least`, else 0. Its cheap upper bounds
    rule out most pairs first, as difflib.get_close_matches does."""
    matcher = SequenceMatcher(None, a, b)
    if matcher.real_quick_ratio() < at_least or matcher.quick_ratio() < at_least:
        return 0.0
    ratio = matcher.ratio()
    return ratio if ratio >= at_least else 0.0


def score(query: str, entry: Entry) -> float:
    q, name = compact(query), entry.compact_name
    if not q:
        return 0.0
    if q == name or q == entry.compact_slug:
        return 1.0
    if name.startswith(q):
        return 0.9
    query_tokens, name_tokens = tokens(query), entry.name_tokens
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
    return 0.5 * _ratio_if_at_least(q, name, 0.6)


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


def trigrams(text: str) -> set[str]:
    """The three-letter pieces of each word, padded as PostgreSQL's pg_trgm pads them, so a
    prefix ("smal") or a small typo ("gtp 4o") still shares most of them with the name."""
    grams: set[str] = set()
    for token in tokens(text):
        padded = f"  {token} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


class SearchIndex:
    """Every name, with an inverted index of their trigrams, built once per catalog version:
    a query reads only the names that share a trigram with it, so the ranking stays small
    however large the catalog grows."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        self.entries = list(entries)
        self.postings: dict[str, list[int]] = {}
        for index, entry in enumerate(self.entries):
            for gram in trigrams(entry.name) | trigrams(entry.slug):
                self.postings.setdefault(gram, []).append(index)

    def candidates(self, query: str, limit: int) -> list[Entry]:
        """The `limit` names sharing the most trigrams with `query` (ties: index order)."""
        shared: Counter[int] = Counter()
        for gram in trigrams(query):
            shared.update(self.postings.get(gram, ()))
        # Two sorts with C keys rather than one with a Python key: thousands of names can share
        # a common trigram. The second sort is stable, so ties stay in index order.
        ranked = sorted(shared)
        ranked.sort(key=shared.__getitem__, reverse=True)
        return [self.entries[index] for index in sorted(ranked[:limit])]
