"""Scores carry their conditions; models their lifecycle; offerings their end and check dates."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from models_catalog.importers.catalog import export_catalog, load_catalog
from models_catalog.lifecycle import Stage, lifecycle_status
from models_catalog.models import Benchmark, Offering, Provider, Score
from tests.factories import (
    BenchmarkFactory,
    LanguageModelFactory,
    OfferingFactory,
    OrganizationFactory,
    ProviderFactory,
    ScoreFactory,
)

DAY = datetime.date(2025, 7, 14)


def test_lifecycle_stages_on_a_given_day():
    assert lifecycle_status(deprecated_on=None, retired_on=None, today=DAY).is_active
    status = lifecycle_status(
        deprecated_on=datetime.date(2025, 4, 14), retired_on=DAY, today=DAY - datetime.timedelta(1)
    )
    assert status.stage is Stage.DEPRECATED and status.retires_on == DAY
    status = lifecycle_status(deprecated_on=datetime.date(2025, 4, 14), retired_on=DAY, today=DAY)
    assert status.is_retired and status.retired_on == DAY
    # A deprecation announced for a later day has not happened yet.
    later = lifecycle_status(deprecated_on=DAY, retired_on=None, today=DAY - datetime.timedelta(1))
    assert later.is_active
    # A retirement date on the calendar is a deprecation even without an announcement date.
    new_year = datetime.date(2025, 1, 1)
    scheduled = lifecycle_status(deprecated_on=None, retired_on=DAY, today=new_year)
    assert scheduled.is_deprecated


@pytest.mark.django_db
def test_model_lifecycle_and_short_name():
    model = LanguageModelFactory(name="GPT-4.5 Preview", retired_on=DAY)
    assert model.lifecycle_on(DAY).is_retired
    assert model.display_short_name == "GPT-4.5 Preview"
    model.short_name = "GPT-4.5"
    assert model.display_short_name == "GPT-4.5"


@pytest.mark.django_db
def test_offering_ends():
    offering = OfferingFactory(ended_on=DAY)
    assert offering.has_ended(DAY) and not offering.has_ended(DAY - datetime.timedelta(1))


@pytest.mark.django_db
def test_several_scores_per_model_and_benchmark_when_conditions_or_sources_differ():
    model, benchmark = LanguageModelFactory(), BenchmarkFactory()
    ScoreFactory(language_model=model, benchmark=benchmark, attempts="best-of-256")
    ScoreFactory(language_model=model, benchmark=benchmark, attempts="pass@1")
    ScoreFactory(
        language_model=model, benchmark=benchmark, attempts="pass@1", source_url="https://x.org/t"
    )
    assert Score.objects.filter(language_model=model).count() == 3
    same = Score(
        language_model=model,
        benchmark=benchmark,
        value=Decimal("1"),
        provenance="maker",
        attempts="pass@1",
        source_url="https://x.org/t",
    )
    with pytest.raises(ValidationError):
        same.full_clean()


@pytest.mark.django_db
def test_reasoning_setting_is_on_off_or_unstated():
    score = ScoreFactory.build(
        language_model=LanguageModelFactory(), benchmark=BenchmarkFactory(), reasoning="maybe"
    )
    with pytest.raises(ValidationError) as error:
        score.full_clean()
    assert "reasoning" in error.value.message_dict


@pytest.mark.django_db
def test_benchmark_conditions_that_matter_are_known_names():
    benchmark = BenchmarkFactory.build(conditions_that_matter=["harness", "colour"])
    with pytest.raises(ValidationError) as error:
        benchmark.full_clean()
    assert "conditions_that_matter" in error.value.message_dict
    benchmark.conditions_that_matter = ["harness"]
    benchmark.full_clean()


def _catalog() -> dict:
    return {
        "schema_version": 1,
        "compiled_on": "2026-11-29",
        "organizations": [{"slug": "acme", "name": "Acme", "website": "https://acme.test"}],
        "providers": [
            {
                "slug": "acme-api",
                "name": "Acme API",
                "website": "https://acme.test/api",
                "kind": "first-party",
                "first_party_for": "acme",
            }
        ],
        "benchmarks": [
            {
                "slug": "swe-bench-verified",
                "name": "SWE-bench Verified",
                "description": "Issues.",
                "unit": "percent",
                "higher_is_better": True,
                "url": "https://www.swebench.com",
                "task": "coding",
                "noise_threshold": 1.5,
                "saturated": False,
                "conditions_that_matter": ["variant", "harness", "attempts"],
            }
        ],
        "models": [
            {
                "slug": "rocket-1",
                "name": "Acme Rocket 1",
                "short_name": "Rocket 1",
                "organization": "acme",
                "open_weights": False,
                "input_modalities": ["text"],
                "output_modalities": ["text"],
                "capabilities": {},
                "sources": ["https://acme.test/rocket"],
                "lifecycle": {
                    "deprecated_on": "2025-04-14",
                    "retired_on": "2025-07-14",
                    "successor": None,
                    "source": "https://acme.test/deprecations",
                },
            }
        ],
        "offerings": [
            {
                "model": "rocket-1",
                "provider": "acme-api",
                "input_per_mtok": 1,
                "output_per_mtok": 2,
                "source_url": "https://pypi.org/project/x/",
                "source_shows_price": False,
                "ended_on": "2025-07-14",
                "checked_on": "2025-06-01",
            }
        ],
        "scores": [
            {
                "model": "rocket-1",
                "benchmark": "swe-bench-verified",
                "score": 49.2,
                "source_url": "https://acme.test/paper",
                "note": "",
                "provenance": "third-party",
                "variant": "Verified",
                "shots": None,
                "reasoning": "on",
                "reasoning_effort": "high",
                "attempts": "pass@1",
                "harness": "Agentless",
                "table": "acme-paper-table-4",
            },
            {
                "model": "rocket-1",
                "benchmark": "swe-bench-verified",
                "score": 55,
                "source_url": "https://acme.test/paper",
                "note": "",
                "provenance": "maker",
                "variant": "Verified",
                "harness": "own scaffold",
            },
        ],
    }


@pytest.mark.django_db
def test_load_and_export_carry_the_new_keys():
    load_catalog(_catalog())
    provider = Provider.objects.get(slug="acme-api")
    assert provider.first_party_for.slug == "acme"
    benchmark = Benchmark.objects.get()
    assert benchmark.task == "coding" and benchmark.noise_threshold == Decimal("1.5")
    offering = Offering.objects.get()
    assert not offering.source_shows_price and offering.ended_on == DAY
    assert Score.objects.count() == 2
    exported = export_catalog(compiled_on=datetime.date(2026, 11, 29))
    score = next(s for s in exported["scores"] if s["harness"] == "Agentless")
    assert score["table"] == "acme-paper-table-4" and score["reasoning"] == "on"
    assert exported["models"][0]["short_name"] == "Rocket 1"
    assert exported["models"][0]["lifecycle"]["source"] == "https://acme.test/deprecations"
    # Loading again changes nothing: each score is found by its source and conditions.
    assert not load_catalog(_catalog()).changed


@pytest.mark.django_db
def test_first_party_provider_is_an_organization():
    provider = ProviderFactory(first_party_for=OrganizationFactory(slug="openai"))
    assert provider.first_party_for.slug == "openai"
    assert provider.kind == Provider.Kind.INFERENCE


@pytest.mark.django_db
def test_conditions_added_in_the_file_update_the_loaded_score():
    catalog = _catalog()
    bare = {k: v for k, v in catalog["scores"][1].items() if k not in ("variant", "harness")}
    catalog["scores"] = [bare]
    load_catalog(catalog)
    assert Score.objects.get().harness == ""
    # The same score, now with its conditions: updated in place, not added beside it.
    load_catalog(_catalog())
    assert Score.objects.count() == 2
    assert set(Score.objects.values_list("harness", flat=True)) == {"own scaffold", "Agentless"}
    assert Score.objects.filter(value=Decimal("55")).get().variant == "Verified"
