"""The catalog's rules, at the database level and as form errors."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.forms import modelform_factory

from models_catalog.models import LanguageModel, Offering, PriceHistory, Score
from tests.factories import (
    BenchmarkFactory,
    LanguageModelFactory,
    OfferingFactory,
    OrganizationFactory,
    ProviderFactory,
    ScoreFactory,
)

pytestmark = pytest.mark.django_db


def raises_integrity(action) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        action()


def form_errors(model, instance=None, **data) -> dict:
    form_class = modelform_factory(model, fields="__all__")
    initial = {}
    if instance is not None:
        initial = {
            f.name: f.value_from_object(instance)
            for f in model._meta.fields
            if f.editable and not f.primary_key
        }
        initial = {k: ("" if v is None else v) for k, v in initial.items()}
    form = form_class(data={**initial, **data}, instance=instance)
    assert not form.is_valid()
    return form.errors


class TestDatabaseRules:
    def test_negative_prices_refused(self):
        offering = OfferingFactory()
        for field in ("input_usd_per_mtok", "output_usd_per_mtok", "cached_input_usd_per_mtok"):
            raises_integrity(
                lambda field=field: Offering.objects.filter(pk=offering.pk).update(
                    **{field: Decimal("-0.01")}
                )
            )

    def test_one_offering_per_model_and_provider(self):
        offering = OfferingFactory()
        raises_integrity(
            lambda: OfferingFactory(
                language_model=offering.language_model, provider=offering.provider
            )
        )

    def test_one_score_per_model_and_benchmark(self):
        score = ScoreFactory()
        raises_integrity(
            lambda: ScoreFactory(language_model=score.language_model, benchmark=score.benchmark)
        )

    def test_slug_may_not_contain_vs(self):
        raises_integrity(lambda: LanguageModelFactory(slug="gpt-vs-claude"))

    def test_model_is_not_its_own_successor(self):
        model = LanguageModelFactory()
        raises_integrity(
            lambda: LanguageModel.objects.filter(pk=model.pk).update(successor=model.pk)
        )

    def test_retirement_not_before_deprecation(self):
        raises_integrity(
            lambda: LanguageModelFactory(
                deprecated_on=datetime.date(2025, 6, 1), retired_on=datetime.date(2025, 5, 1)
            )
        )

    @pytest.mark.parametrize("field", ["context_window", "parameter_count", "max_output_tokens"])
    def test_counts_positive(self, field):
        raises_integrity(lambda: LanguageModelFactory(**{field: 0}))


class TestFormRules:
    def test_negative_price_is_a_form_error(self):
        offering = OfferingFactory()
        errors = form_errors(Offering, offering, input_usd_per_mtok="-1")
        assert "input_usd_per_mtok" in errors

    def test_duplicate_offering_is_a_form_error(self):
        offering = OfferingFactory()
        errors = form_errors(
            Offering,
            language_model=offering.language_model.pk,
            provider=offering.provider.pk,
            input_usd_per_mtok="1",
            output_usd_per_mtok="1",
            source_url="https://example.com",
        )
        assert "already has an offering" in str(errors)

    def test_score_outside_benchmark_range(self):
        score = ScoreFactory(benchmark=BenchmarkFactory())
        errors = form_errors(Score, score, value="100.5")
        assert "outside that range" in errors["value"][0]

    def test_score_on_unbounded_benchmark(self):
        elo = BenchmarkFactory(unit="Elo", min_score=0, max_score=None)
        score = ScoreFactory(benchmark=elo, value=Decimal("1300"))
        score.full_clean()

    def test_duplicate_score_is_a_form_error(self):
        score = ScoreFactory()
        errors = form_errors(
            Score,
            language_model=score.language_model.pk,
            benchmark=score.benchmark.pk,
            value="10",
            provenance="maker",
            source_url=score.source_url,
        )
        assert "already has this score from this source" in str(errors)

    @pytest.mark.parametrize("slug", ["gpt-vs-claude", "Upper", "under_score", "-dash", ""])
    def test_bad_slug_is_a_form_error(self, slug):
        errors = form_errors(
            LanguageModel,
            slug=slug,
            name="X",
            organization=OrganizationFactory().pk,
            input_modalities="[]",
            output_modalities="[]",
            sources="[]",
        )
        assert "slug" in errors

    def test_own_successor_is_a_form_error(self):
        model = LanguageModelFactory()
        model.successor = model
        with pytest.raises(ValidationError) as error:
            model.full_clean()
        assert "successor" in error.value.message_dict

    def test_retired_before_deprecated_is_a_form_error(self):
        model = LanguageModelFactory.build(
            organization=OrganizationFactory(),
            deprecated_on=datetime.date(2025, 6, 1),
            retired_on=datetime.date(2025, 5, 1),
        )
        with pytest.raises(ValidationError) as error:
            model.full_clean()
        assert "retired_on" in error.value.message_dict

    def test_zero_context_window_is_a_form_error(self):
        model = LanguageModelFactory.build(organization=OrganizationFactory(), context_window=0)
        with pytest.raises(ValidationError) as error:
            model.full_clean()
        assert "context_window" in error.value.message_dict

    def test_unknown_modality_is_a_form_error(self):
        model = LanguageModelFactory.build(
            organization=OrganizationFactory(), input_modalities=["smell"]
        )
        with pytest.raises(ValidationError) as error:
            model.full_clean()
        assert "input_modalities" in error.value.message_dict


class TestPriceHistory:
    def change_price(self, offering, new_input, new_output, on):
        offering.input_usd_per_mtok = Decimal(new_input)
        offering.output_usd_per_mtok = Decimal(new_output)
        offering.price_since = on
        offering.save()

    def test_change_keeps_old_rate_card_with_end_date(self):
        offering = OfferingFactory(price_since=datetime.date(2025, 1, 1))
        self.change_price(offering, "0.80", "1.60", datetime.date(2025, 6, 1))
        (old,) = PriceHistory.objects.filter(offering=offering)
        assert (old.input_usd_per_mtok, old.output_usd_per_mtok) == (Decimal("1"), Decimal("2"))
        assert old.valid_from == datetime.date(2025, 1, 1)
        assert old.valid_until == datetime.date(2025, 6, 1)

    def test_saving_without_price_change_writes_no_history(self):
        offering = OfferingFactory()
        offering.note = "edited"
        offering.save()
        assert not PriceHistory.objects.exists()

    def test_price_on_a_date(self):
        offering = OfferingFactory(price_since=datetime.date(2025, 1, 1))
        self.change_price(offering, "0.80", "1.60", datetime.date(2025, 6, 1))
        self.change_price(offering, "0.50", "1.00", datetime.date(2025, 9, 1))

        def on(day):
            card = offering.price_on(day)
            return card and (card.input, card.output)

        assert on(datetime.date(2024, 12, 31)) is None
        assert on(datetime.date(2025, 1, 1)) == (Decimal("1"), Decimal("2"))
        assert on(datetime.date(2025, 5, 31)) == (Decimal("1"), Decimal("2"))
        assert on(datetime.date(2025, 6, 1)) == (Decimal("0.8"), Decimal("1.6"))
        assert on(datetime.date(2025, 8, 31)) == (Decimal("0.8"), Decimal("1.6"))
        assert on(datetime.date(2025, 9, 1)) == (Decimal("0.5"), Decimal("1"))
        assert on(datetime.date(2030, 1, 1)) == (Decimal("0.5"), Decimal("1"))

    def test_price_on_with_unknown_start(self):
        offering = OfferingFactory(price_since=None)
        assert offering.price_on(datetime.date(2020, 1, 1)).input == Decimal("1")
        self.change_price(offering, "3", "4", datetime.date(2025, 6, 1))
        # Before the change the old card applied, as far back as anything is known.
        assert offering.price_on(datetime.date(2020, 1, 1)).input == Decimal("1")
        assert offering.price_on(datetime.date(2025, 6, 1)).input == Decimal("3")

    def test_queryset_annotates_every_offering(self):
        first = OfferingFactory(price_since=datetime.date(2025, 1, 1))
        second = OfferingFactory(price_since=datetime.date(2025, 3, 1))
        self.change_price(first, "0.1", "0.2", datetime.date(2025, 2, 1))
        rows = {
            o.pk: o.input_usd_per_mtok_on_date
            for o in Offering.objects.with_price_on(datetime.date(2025, 1, 15))
        }
        assert rows == {first.pk: Decimal("1"), second.pk: None}

    def test_cached_price_follows_its_own_card(self):
        offering = OfferingFactory(
            price_since=datetime.date(2025, 1, 1), cached_input_usd_per_mtok=None
        )
        offering.cached_input_usd_per_mtok = Decimal("0.1")
        offering.price_since = datetime.date(2025, 6, 1)
        offering.save()
        assert offering.price_on(datetime.date(2025, 2, 1)).cached_input is None
        assert offering.price_on(datetime.date(2025, 7, 1)).cached_input == Decimal("0.1")


def test_stale_queryset(settings):
    settings.STALE_AFTER_DAYS = 90
    today = datetime.date(2026, 6, 1)
    never = LanguageModelFactory(last_reviewed_on=None)
    old = LanguageModelFactory(last_reviewed_on=today - datetime.timedelta(days=91))
    LanguageModelFactory(last_reviewed_on=today - datetime.timedelta(days=90))
    assert set(LanguageModel.objects.stale(today)) == {never, old}


def test_provider_factory_kind():
    assert not ProviderFactory().is_batch
