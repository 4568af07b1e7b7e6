"""load_catalog writes new rows in bulk: history is still recorded, duplicates still refused."""

from __future__ import annotations

import copy

import pytest

from models_catalog.catalog_version import catalog_stamp
from models_catalog.importers.catalog import (
    BUNDLED_CATALOG,
    CatalogError,
    load_catalog,
    read_catalog_file,
)
from models_catalog.models import LanguageModel, Offering, Score

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
