"""Pure choice of the "Continue comparing" pairs: each side against the models nearest to the
other side (in blended price and capabilities), and family predecessors and successors."""

from __future__ import annotations

import datetime
import heapq
import math
import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from models_catalog.vocabulary import pair_slug


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


# An unknown price is far from everything, but not excluded.
UNPRICED_DISTANCE = 3.0


def distance(candidate: Candidate, target: Candidate) -> float:
    """Smaller is nearer: price ratio on a log scale plus capabilities that disagree."""
    if candidate.blend and target.blend:
        price = abs(math.log(float(candidate.blend)) - math.log(float(target.blend)))
    else:
        price = UNPRICED_DISTANCE
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
    return _interleave(queues, limit)


def _interleave(queues: list[list[RelatedPair]], limit: int) -> list[RelatedPair]:
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


class Neighbourhood:
    """Candidates indexed once (per catalog version), so finding a model's nearest models and
    family links reads a few entries instead of scanning the catalog.

    Gives exactly what sorting every candidate by (distance, name) would.
    """

    def __init__(self, candidates: Iterable[Candidate]) -> None:
        self.candidates = list(candidates)
        self.by_slug = {c.slug: c for c in self.candidates}
        self._position = {c.slug: i for i, c in enumerate(self.candidates)}
        self._family: dict[str, list[Candidate]] = {}
        self._predecessors: dict[str, list[Candidate]] = {}
        for c in self.candidates:
            if c.family:
                self._family.setdefault(c.family, []).append(c)
            if c.successor_slug:
                self._predecessors.setdefault(c.successor_slug, []).append(c)
        # Priced candidates by log price: distance is at least the price gap, so the nearest
        # are found by walking outwards from the target's price.
        priced = sorted(
            (math.log(float(c.blend)), i, c) for i, c in enumerate(self.candidates) if c.blend
        )
        self._logs = [p[0] for p in priced]
        self._priced = [p[2] for p in priced]
        self._unpriced = [c for c in self.candidates if not c.blend]
        self._nearest: dict[tuple[str, int], list[Candidate]] = {}

    def nearest(self, target: Candidate, k: int, exclude: Iterable[str] = ()) -> list[Candidate]:
        """The k candidates nearest to `target` by (distance, name), leaving out `target`
        and the slugs in `exclude`."""
        excluded = {target.slug, *exclude}
        found = self._nearest_to(target, k + len(excluded) - 1)
        return [c for c in found if c.slug not in excluded][:k]

    def _nearest_to(self, target: Candidate, k: int) -> list[Candidate]:
        key = (target.slug, k)
        if key in self._nearest and self.by_slug.get(target.slug) == target:
            return self._nearest[key]
        need = k + 1  # the target itself may be among them
        if target.blend:
            seen = self._walk_prices(target, need)
            # Unpriced candidates are 3.0 away in price: they count only when the walk kept
            # one as far or farther.
            if len(seen) < need or sorted(d for d, _ in seen)[need - 1] >= UNPRICED_DISTANCE:
                seen += [(distance(c, target), c) for c in self._unpriced]
        else:
            # An unpriced target is 3.0 from everything in price: only capabilities differ.
            seen = [(distance(c, target), c) for c in self.candidates]
        seen.sort(key=lambda p: (p[0], p[1].name, self._position[p[1].slug]))
        found = [c for _, c in seen if c.slug != target.slug][:k]
        if self.by_slug.get(target.slug) == target:
            self._nearest[key] = found
        return found

    def _walk_prices(self, target: Candidate, need: int) -> list[tuple[float, Candidate]]:
        """Priced candidates outwards from the target's price, until the price gap alone is
        farther than the need-th nearest seen: everything past it is farther still."""
        t = math.log(float(target.blend))  # type: ignore[arg-type]
        logs = self._logs
        lo = bisect_left(logs, t) - 1
        hi = lo + 1
        seen: list[tuple[float, Candidate]] = []
        nearest: list[float] = []  # the need smallest distances, negated (a max-heap)
        while lo >= 0 or hi < len(logs):
            if hi >= len(logs) or (lo >= 0 and t - logs[lo] <= logs[hi] - t):
                gap, candidate, lo = t - logs[lo], self._priced[lo], lo - 1
            else:
                gap, candidate, hi = logs[hi] - t, self._priced[hi], hi + 1
            if len(nearest) == need and gap > -nearest[0]:
                break
            d = distance(candidate, target)
            seen.append((d, candidate))
            if len(nearest) < need:
                heapq.heappush(nearest, -d)
            elif d < -nearest[0]:
                heapq.heapreplace(nearest, -d)
        return seen

    def family_links(self, side: Candidate, exclude: Iterable[str] = ()) -> list[Candidate]:
        """`family_links(side, others)` without scanning: `others` is every candidate but
        `side` and `exclude`."""
        excluded = {side.slug, *exclude}
        declared_set = {
            c.slug: c
            for c in (
                self.by_slug.get(side.successor_slug or ""),
                *self._predecessors.get(side.slug, ()),
            )
            if c is not None and c.slug not in excluded
        }
        declared = sorted(declared_set.values(), key=lambda c: self._position[c.slug])
        if side.family:
            kin = [
                m
                for m in self._family.get(side.family, ())
                if m.slug not in excluded and m.slug not in declared_set
            ]
            ref = side.released_on or datetime.date.min
            kin.sort(key=lambda m: (abs(((m.released_on or datetime.date.min) - ref).days), m.name))
            declared.extend(kin)
        return declared

    def related_pairs(self, a: Candidate, b: Candidate, limit: int = 8) -> list[RelatedPair]:
        """`related_pairs(a, b, candidates, limit)`, reading only what it needs: no queue
        gives up more than 2·limit entries (each is chosen or repeats a chosen pair)."""
        return _interleave(
            [
                [RelatedPair(a, m) for m in self.family_links(a, {b.slug})[:2]],
                [RelatedPair(b, m) for m in self.family_links(b, {a.slug})[:2]],
                [RelatedPair(a, m) for m in self.nearest(b, 2 * limit, {a.slug})],
                [RelatedPair(b, m) for m in self.nearest(a, 2 * limit, {b.slug})],
            ],
            limit,
        )


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
