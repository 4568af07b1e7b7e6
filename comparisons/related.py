"""Pure choice of the "Continue comparing" pairs: each side against the models nearest to the
other side (in blended price and capabilities), and family predecessors and successors."""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

PAIR_SEPARATOR = "-vs-"


@dataclass(frozen=True)
class Candidate:
    slug: str
    name: str
    family: str = ""
    released_on: datetime.date | None = None
    blend: Decimal | None = None
    capabilities: tuple[bool | None, ...] = ()
    successor_slug: str | None = None
    organization_slug: str = ""


@dataclass(frozen=True)
class RelatedPair:
    first: Candidate
    second: Candidate

    @property
    def slug(self) -> str:
        return pair_slug(self.first.slug, self.second.slug)

    @property
    def title(self) -> str:
        return f"{self.first.name} vs {self.second.name}"


def pair_slug(x: str, y: str) -> str:
    """The canonical pair slug: the two slugs in alphabetical order."""
    return PAIR_SEPARATOR.join(sorted((x, y)))


def distance(candidate: Candidate, target: Candidate) -> float:
    """Smaller is nearer: price ratio on a log scale plus capabilities that disagree."""
    if candidate.blend and target.blend:
        price = abs(math.log(float(candidate.blend)) - math.log(float(target.blend)))
    else:
        price = 3.0  # an unknown price is far from everything, but not excluded
    mismatches = sum(
        1
        for mine, theirs in zip(candidate.capabilities, target.capabilities, strict=False)
        if mine is not None and theirs is not None and mine != theirs
    )
    return price + 0.5 * mismatches


def family_links(side: Candidate, others: Sequence[Candidate]) -> list[Candidate]:
    """Declared successor and predecessors first, then the same family by release date."""
    declared = [m for m in others if m.slug == side.successor_slug or m.successor_slug == side.slug]
    if side.family:
        kin = [m for m in others if m.family == side.family and m not in declared]
        ref = side.released_on or datetime.date.min
        kin.sort(key=lambda m: (abs(((m.released_on or datetime.date.min) - ref).days), m.name))
        declared.extend(kin)
    return declared


def related_pairs(
    a: Candidate, b: Candidate, candidates: Sequence[Candidate], limit: int = 8
) -> list[RelatedPair]:
    others = [m for m in candidates if m.slug not in (a.slug, b.slug)]
    near_b = sorted(others, key=lambda m: (distance(m, b), m.name))
    near_a = sorted(others, key=lambda m: (distance(m, a), m.name))
    queues = [
        [RelatedPair(a, m) for m in family_links(a, others)[:2]],
        [RelatedPair(b, m) for m in family_links(b, others)[:2]],
        [RelatedPair(a, m) for m in near_b],
        [RelatedPair(b, m) for m in near_a],
    ]
    chosen: list[RelatedPair] = []
    seen: set[str] = set()
    # Take from each queue in turn, so both sides and both kinds of link are represented.
    while len(chosen) < limit and any(queues):
        for queue in queues:
            while queue:
                pair = queue.pop(0)
                if pair.slug not in seen:
                    seen.add(pair.slug)
                    chosen.append(pair)
                    break
            if len(chosen) >= limit:
                break
    return chosen


_VERSION = re.compile(r"\d+(\.\d+)*[a-z]?|\d{4}")  # 4, 4.1, 2.5, 4o, 2507 (not 70b)
_LETTERS_THEN_VERSION = re.compile(r"([a-z]+)\d+(\.\d+)*")  # qwen3, v3.1, o3


def line_of(name: str) -> str:
    """A model's line: its name without version numbers or dates, so "Claude Sonnet 4" and
    "Claude Sonnet 4.5" share "claude sonnet", "GPT-4.1 mini" and "GPT-5 mini" share
    "gpt mini", while sizes ("70b") and tiers ("flash", "pro", "mini") stay apart."""
    words = []
    for word in re.split(r"[\s\-_/()]+", name.lower()):
        if not word or (_VERSION.fullmatch(word) and not word.endswith("b")):
            continue
        match = _LETTERS_THEN_VERSION.fullmatch(word)
        words.append(match.group(1) if match else word)
    return " ".join(words)


def successor_pairs(candidates: Sequence[Candidate], limit: int = 6) -> list[RelatedPair]:
    """For the home page: true successors, newest first. Declared successor links, then each
    model against the one released before it in the same line of the same organization (so a
    new Sonnet meets the previous Sonnet, never an Opus)."""
    by_slug = {c.slug: c for c in candidates}
    pairs: list[RelatedPair] = []
    seen: set[str] = set()

    def add(newer: Candidate, older: Candidate) -> None:
        pair = RelatedPair(newer, older)
        if pair.slug not in seen:
            seen.add(pair.slug)
            pairs.append(pair)

    lines: dict[tuple[str, str], list[Candidate]] = {}
    for candidate in candidates:
        line = line_of(candidate.name)
        if line and candidate.released_on:
            lines.setdefault((candidate.organization_slug, line), []).append(candidate)
    declared = [
        (by_slug[c.successor_slug], c)
        for c in candidates
        if c.successor_slug in by_slug and by_slug[c.successor_slug].released_on
    ]
    found = list(declared)
    for members in lines.values():
        members.sort(key=lambda m: (m.released_on, m.name))
        found.extend(zip(members[1:], members[:-1], strict=True))
    found.sort(key=lambda p: (p[0].released_on, p[0].name), reverse=True)
    newest_per_line: set[tuple[str, str]] = set()
    for newer, older in found:
        key = (newer.organization_slug, line_of(newer.name))
        if key in newest_per_line:
            continue  # one pair per line: its newest step
        newest_per_line.add(key)
        add(newer, older)
    return pairs[:limit]


def newest_in_family(candidates: Sequence[Candidate], limit: int = 6) -> list[RelatedPair]:
    """For the home page: each family's newest model against the one released before it,
    newest families first."""
    families: dict[str, list[Candidate]] = {}
    for candidate in candidates:
        if candidate.family and candidate.released_on:
            families.setdefault(candidate.family, []).append(candidate)
    pairs = []
    for members in families.values():
        if len(members) >= 2:
            members.sort(key=lambda m: (m.released_on, m.name), reverse=True)
            pairs.append(RelatedPair(members[0], members[1]))
    pairs.sort(key=lambda p: (p.first.released_on, p.first.name), reverse=True)
    return pairs[:limit]
