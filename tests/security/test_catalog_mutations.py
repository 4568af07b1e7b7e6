"""Property: any mutant of a valid catalog file either loads exactly or is refused with a
CatalogError, and a refused file leaves the database as it was."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models_catalog.importers.catalog import CatalogError, load_catalog, parse_catalog
from models_catalog.models import Benchmark, LanguageModel, Offering, PriceHistory, Score
from tests.security.test_catalog_files import small_catalog

pytestmark = pytest.mark.django_db

ODD_VALUES = [
    None,
    0,
    -1,
    1.5,
    10**30,
    True,
    "",
    "x",
    "\x00",
    "\u202e",
    "javascript:alert(1)",
    "https://example.com/a",
    "2025-13-45",
    "2025-06-01",
    "a" * 5000,
    [],
    ["x"],
    {},
    {"a": 1},
]


def paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    """Every place in the document a mutation can hit."""
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, child in value.items():
            found += paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += paths(child, (*prefix, index))
    return found


BASE = small_catalog()
PATHS = paths(BASE)


@st.composite
def mutants(draw) -> bytes:
    data = copy.deepcopy(BASE)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(PATHS))
        parent = data
        try:
            for step in path[:-1]:
                parent = parent[step]
            last = path[-1]
            parent[last]  # noqa: B018 (the path may be gone after an earlier mutation)
        except (KeyError, IndexError, TypeError):
            continue
        if not isinstance(parent, dict | list):
            continue
        action = draw(st.sampled_from(["replace", "delete", "duplicate"]))
        if action == "replace":
            parent[last] = draw(st.sampled_from(ODD_VALUES))
        elif action == "delete":
            del parent[last]
        elif isinstance(parent, list):
            parent.append(copy.deepcopy(parent[last]))
        else:
            parent[f"{last}_copy"] = copy.deepcopy(parent[last])
    raw = json.dumps(data).encode()
    if draw(st.booleans()):
        # Byte-level damage too: a cut, or a stray byte.
        cut = draw(st.integers(0, len(raw)))
        raw = raw[:cut] + draw(st.sampled_from([b"", b"\xff", b"\x00", b"}", b'"']))
    return raw


def state() -> tuple:
    return (
        tuple(LanguageModel.objects.order_by("pk").values_list("slug", "name", "version")),
        tuple(Offering.objects.order_by("pk").values_list("pk", "input_usd_per_mtok", "version")),
        PriceHistory.objects.count(),
        Score.objects.count(),
        Benchmark.objects.count(),
    )


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(raw=mutants())
def test_each_mutant_loads_exactly_or_is_refused_leaving_the_database_unchanged(raw):
    with transaction.atomic():
        load_catalog(small_catalog(), source="the base")
        before = state()
        try:
            data = parse_catalog(raw)
            load_catalog(data, source="a mutant")
        except CatalogError as error:
            assert str(error)
            assert state() == before
        else:
            # Loaded: what the file says is what is stored, and loading again changes nothing.
            for record in data["models"]:
                stored = LanguageModel.objects.get(slug=record["slug"])
                assert stored.name == record["name"]
                assert stored.sources == (record.get("sources") or [])  # null: none yet
            assert not load_catalog(data, source="the mutant again").changed
        transaction.set_rollback(True)
