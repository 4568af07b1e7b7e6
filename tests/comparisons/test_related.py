"""The indexed neighbourhood gives exactly what sorting every candidate would."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

import pytest

from comparisons.related import Candidate, Neighbourhood, distance, family_links, related_pairs


def random_catalog(rng: random.Random, size: int) -> list[Candidate]:
    slugs = [f"m{i:03d}" for i in range(size)]
    candidates = []
    for slug in slugs:
        candidates.append(
            Candidate(
                slug=slug,
                name=rng.choice(["Alpha", "Beta", "Gamma", "Delta"]) + f" {rng.randrange(size)}",
                family=rng.choice(["", "F1", "F2", "F3"]),
                released_on=rng.choice(
                    [None, datetime.date(2024, 1, 1) + datetime.timedelta(days=rng.randrange(400))]
                ),
                # Few distinct prices and capability vectors, so ties are common.
                blend=rng.choice([None, *map(Decimal, ("0", "0.5", "1", "2.5"))]),
                capabilities=tuple(rng.choice([True, False, None]) for _ in range(3)),
                successor_slug=rng.choice([None, None, rng.choice(slugs)]),
            )
        )
    return candidates


@pytest.mark.parametrize("seed", range(40))
def test_same_as_sorting_everything(seed):
    rng = random.Random(seed)
    candidates = random_catalog(rng, rng.randrange(3, 60))
    index = Neighbourhood(candidates)
    for _ in range(5):
        a, b = rng.sample(candidates, 2)
        assert index.related_pairs(a, b) == related_pairs(a, b, candidates)
        others = [c for c in candidates if c.slug != a.slug]
        expected = sorted(others, key=lambda c: (distance(c, a), c.name))[:6]
        assert index.nearest(a, 6) == expected
        others = [c for c in candidates if c.slug not in (a.slug, b.slug)]
        assert index.family_links(a, {b.slug}) == family_links(a, others)
