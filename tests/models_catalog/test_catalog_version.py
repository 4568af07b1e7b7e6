"""Every catalog write changes the catalog version, so nothing cached under it survives."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import User

from models_catalog import services
from models_catalog.catalog_version import (
    bump_catalog_version,
    catalog_stamp,
    catalog_state,
    one_bump,
    per_catalog_version,
)
from models_catalog.models import CatalogVersion, LanguageModel, Offering
from models_catalog.services import mark_model_reviewed
from tests.factories import (
    BenchmarkFactory,
    DataSourceFactory,
    LanguageModelFactory,
    OfferingFactory,
    OrganizationFactory,
    ProviderFactory,
    ScoreFactory,
)

pytestmark = pytest.mark.django_db


def changes_version(action) -> bool:
    before = catalog_stamp()
    action()
    return catalog_stamp() != before


@pytest.mark.parametrize(
    "factory",
    [
        OrganizationFactory,
        ProviderFactory,
        LanguageModelFactory,
        OfferingFactory,
        BenchmarkFactory,
        ScoreFactory,
        DataSourceFactory,
    ],
)
def test_saving_and_deleting_each_catalog_model_bumps(factory):
    row = factory()
    assert changes_version(row.save)
    assert changes_version(row.delete)


def test_a_price_change_bumps():
    offering = OfferingFactory()

    def change():
        offering.input_usd_per_mtok += 1
        offering.save()

    assert changes_version(change)


def test_marking_reviewed_bumps():
    model = LanguageModelFactory()
    user = User.objects.create_user("reviewer")
    assert changes_version(
        lambda: mark_model_reviewed(model=model, user=user, on=datetime.date(2026, 1, 5))
    )


def test_queryset_delete_bumps():
    LanguageModelFactory.create_batch(2)
    assert changes_version(lambda: LanguageModel.objects.all().delete())


def test_recovering_a_deleted_model_bumps():
    model = LanguageModelFactory()
    OfferingFactory(language_model=model)
    model.delete()
    record = services.deleted_models().first()
    assert changes_version(lambda: services.recover_deleted_model(record.history_id, "back"))


def test_explicit_bump_after_a_bulk_update():
    OfferingFactory()

    def bulk():
        Offering.objects.update(note="bulk")
        bump_catalog_version()

    assert changes_version(bulk)


def test_one_bump_for_many_writes():
    before = CatalogVersion.objects.get().number
    with one_bump():
        LanguageModelFactory.create_batch(3)
        assert CatalogVersion.objects.get().number == before
    assert CatalogVersion.objects.get().number == before + 1


def test_one_bump_without_writes_leaves_the_version_alone():
    before = CatalogVersion.objects.get().number
    with one_bump():
        with one_bump():
            pass
    assert CatalogVersion.objects.get().number == before


def test_changed_at_moves_with_the_version():
    first = catalog_state().changed_at
    LanguageModelFactory()
    assert catalog_state().changed_at >= first


def test_missing_row_is_recreated_by_the_next_write():
    CatalogVersion.objects.all().delete()
    assert catalog_stamp() == "none"
    LanguageModelFactory()
    assert catalog_stamp() != "none"


def test_computed_once_per_version():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert per_catalog_version("t", compute) == 1
    assert per_catalog_version("t", compute) == 1
    LanguageModelFactory()
    assert per_catalog_version("t", compute) == 2
