"""Pure choice of the "Continue comparing" pairs: each side against the models nearest to the
other side (in blended price and capabilities), and family predecessors and successors."""

from __future__ import annotations

import datetime
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


def _mismatches(x: tuple[bool | None, ...], y: tuple[bool | None, ...]) -> int:
    return sum(
        1
        for mine, theirs in zip(x, y, strict=False)
        if mine is not None and theirs is not None and mine != theirs
    )


class _Group:
    """Candidates with one capability vector: priced ones by log price, all by name."""

    def __init__(self, members: list[Candidate]) -> None:
        # Members come in catalog order; sorts are stable, so equal names keep that order.
        priced = sorted(
            ((math.log(float(m.blend)), m.name, i, m) for i, m in enumerate(members) if m.blend),
            key=lambda p: p[:3],
        )
        self.logs = [p[0] for p in priced]
        self.priced = [p[3] for p in priced]
        self.unpriced = sorted((m for m in members if not m.blend), key=lambda m: m.name)
        self.by_name = sorted(members, key=lambda m: m.name)

    def nearest(self, target: Candidate, need: int) -> list[Candidate]:
        """At least `need` members nearest to `target` (all ties at the edge included)."""
        if not target.blend:
            return self.by_name[:need]  # every member is equally far in price
        t = math.log(float(target.blend))
        picks: list[Candidate] = []
        lo = bisect_left(self.logs, t) - 1
        hi = lo + 1
        last = -1.0
        while lo >= 0 or hi < len(self.logs):
            if hi >= len(self.logs) or (lo >= 0 and t - self.logs[lo] <= self.logs[hi] - t):
                gap, index, lo = t - self.logs[lo], lo, lo - 1
            else:
                gap, index, hi = self.logs[hi] - t, hi, hi + 1
            if len(picks) >= need and gap > last:
                break
            picks.append(self.priced[index])
            last = gap
        # Unpriced members are all 3.0 away in price; the first by name win ties.
        return picks + self.unpriced[:need]


class Neighbourhood:
    """Candidates indexed once (per catalog version), so finding a model's nearest models and
    family links reads a few entries instead of scanning the catalog.

    Gives exactly what sorting every candidate by (distance, name) would.
    """

    def __init__(self, candidates: Iterable[Candidate]) -> None:
        self.candidates = list(candidates)
        self.by_slug = {c.slug: c for c in self.candidates}
        self._position = {c.slug: i for i, c in enumerate(self.candidates)}
        groups: dict[tuple[bool | None, ...], list[Candidate]] = {}
        self._family: dict[str, list[Candidate]] = {}
        self._predecessors: dict[str, list[Candidate]] = {}
        for c in self.candidates:
            groups.setdefault(c.capabilities, []).append(c)
            if c.family:
                self._family.setdefault(c.family, []).append(c)
            if c.successor_slug:
                self._predecessors.setdefault(c.successor_slug, []).append(c)
        self._groups = [(caps, _Group(members)) for caps, members in groups.items()]
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
        by_mismatch: dict[int, list[_Group]] = {}
        for caps, group in self._groups:
            by_mismatch.setdefault(_mismatches(caps, target.capabilities), []).append(group)
        picks: list[tuple[float, str, int, Candidate]] = []
        for mismatches in sorted(by_mismatch):
            # Everything from here on is at least this far; stop once k nearer are found.
            if len(picks) >= need and picks[need - 1][0] < 0.5 * mismatches:
                break
            for group in by_mismatch[mismatches]:
                picks.extend(
                    (distance(c, target), c.name, self._position[c.slug], c)
                    for c in group.nearest(target, need)
                )
            # Equal distance and name: catalog order, as a stable sort of everything gives.
            picks.sort(key=lambda p: p[:3])
        found = [p[3] for p in picks if p[3].slug != target.slug][:k]
        if self.by_slug.get(target.slug) == target:
            self._nearest[key] = found
        return found

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
