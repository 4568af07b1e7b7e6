"""load_catalog writes new rows in bulk: history is still recorded, duplicates still refused."""

from __future__ import annotations

import copy

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from models_catalog.catalog_version import catalog_stamp
from models_catalog.importers.catalog import (
    BUNDLED_CATALOG,
    CatalogError,
    load_catalog,
    read_catalog_file,
)
from models_catalog.models import (
    Benchmark,
    LanguageModel,
    Offering,
    Organization,
    PriceHistory,
    Provider,
    Score,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def bundled() -> dict:
    return read_catalog_file(BUNDLED_CATALOG)


def test_every_bulk_written_row_has_its_created_history(bundled):
    load_catalog(copy.deepcopy(bundled), source="catalog.json")
    for model in (LanguageModel, Offering, Score):
        rows = model.objects.count()
        assert rows > 0
        created = model.history.filter(history_type="+")
        assert created.count() == rows
        assert set(created.values_list("history_change_reason", flat=True)) == {
            "Imported by load_catalog from catalog.json"
        }


@pytest.mark.parametrize("section", ["models", "offerings", "scores"])
def test_a_second_record_for_the_same_row_is_refused(bundled, section):
    data = copy.deepcopy(bundled)
    data[section].append(copy.deepcopy(data[section][0]))
    with pytest.raises(CatalogError, match=rf"{section}\[\d+\].*repeats"):
        load_catalog(data)
    assert not LanguageModel.objects.exists()


def test_one_version_bump_per_load(bundled):
    before = catalog_stamp()
    load_catalog(copy.deepcopy(bundled))
    assert catalog_stamp() != before


def _first_models(data: dict, count: int) -> dict:
    """`data` cut to its first `count` models and what belongs to them."""
    data = copy.deepcopy(data)
    data["models"] = data["models"][:count]
    kept = {record["slug"] for record in data["models"]}
    for record in data["models"]:
        lifecycle = record.get("lifecycle") or {}
        if lifecycle.get("successor") not in kept:
            lifecycle["successor"] = None
    for section in ("offerings", "scores", "litellm_models"):
        data[section] = [r for r in data.get(section, []) if r.get("model") in kept]
    return data


def _history_rows() -> int:
    return (
        sum(
            model.history.count()
            for model in (Organization, Provider, Benchmark, LanguageModel, Offering, Score)
        )
        + PriceHistory.history.count()
    )


def test_history_rows_hold_the_values_written(bundled):
    load_catalog(copy.deepcopy(bundled), source="catalog.json")
    for model in (LanguageModel, Offering, Score):
        history = model.history.model
        names = [f.attname for f in history.tracked_fields]
        rows = list(model.objects.order_by("pk").values_list(*names))
        # Each row's latest history record holds its values (a model's successor is set by a
        # second, "~" record once every model exists).
        latest = {}
        for values in model.history.order_by("history_id").values_list(*names):
            latest[values[0]] = values
        assert [latest[row[0]] for row in rows] == rows
        assert model.history.filter(history_type="+").count() == len(rows)
        assert not model.history.exclude(history_user=None).exists()


def test_a_second_load_writes_nothing_in_the_same_number_of_queries_at_any_size(bundled):
    queries = []
    for count in (10, len(bundled["models"])):
        data = _first_models(bundled, count)
        load_catalog(copy.deepcopy(data))
        history = _history_rows()
        with CaptureQueriesContext(connection) as captured:
            summary = load_catalog(copy.deepcopy(data))
        assert not summary.changed
        assert _history_rows() == history
        writes = [q["sql"] for q in captured if not q["sql"].lstrip().startswith("SELECT")]
        # Nothing is written, not even the catalog version: caches stay as they are.
        assert all("SAVEPOINT" in sql for sql in writes), writes
        queries.append(len(captured))
    assert queries[0] == queries[1]
    assert len(bundled["models"]) > 10 * 5


def test_a_bad_value_shared_by_many_records_is_refused_at_its_first_record(bundled):
    data = _first_models(bundled, 20)
    for record in data["offerings"][3:]:
        record["source_url"] = "javascript:alert(1)"
    with pytest.raises(CatalogError, match=r"offerings\[3\].*'source_url'"):
        load_catalog(data)
    assert not LanguageModel.objects.exists()
    assert not LanguageModel.history.exists()


def test_a_value_checked_once_is_still_checked_for_each_field(bundled):
    # The same text is fine as a note and refused as a source: checks are remembered per field.
    data = _first_models(bundled, 20)
    data["offerings"][1]["note"] = "not a web address"
    data["offerings"][2]["source_url"] = "not a web address"
    with pytest.raises(CatalogError, match=r"offerings\[2\].*'source_url'"):
        load_catalog(data)
    assert not Offering.objects.exists()


def test_a_price_with_too_many_decimal_places_is_refused(bundled):
    data = _first_models(bundled, 20)
    data["offerings"][4]["input_per_mtok"] = 0.1234567
    with pytest.raises(CatalogError, match=r"offerings\[4\].*input_usd_per_mtok"):
        load_catalog(data)
    assert not Offering.objects.exists()


def test_a_new_score_outside_its_benchmark_range_names_the_record(bundled):
    # clean() still runs for every new row, after the remembered field checks.
    data = _first_models(bundled, 20)
    data["scores"][5]["score"] = -5
    data["scores"][5]["source_url"] = "ftp://example.com/x"
    with pytest.raises(CatalogError) as error:
        load_catalog(data)
    message = str(error.value)
    assert "scores[5]" in message and "'source_url'" in message and "outside" in message


def test_a_load_that_only_adds_bulk_rows_still_changes_the_version(bundled):
    from models_catalog.catalog_version import catalog_stamp

    data = _first_models(bundled, 10)
    with_scores = copy.deepcopy(data)
    data["scores"] = []
    load_catalog(copy.deepcopy(data))
    before = catalog_stamp()
    load_catalog(copy.deepcopy(data))
    assert catalog_stamp() == before  # nothing written: caches kept
    assert with_scores["scores"]
    load_catalog(with_scores)  # new scores only: written in bulk, without signals
    assert catalog_stamp() != before
