"""load_catalog and export_catalog: idempotent, all or nothing, lossless round trip."""

from __future__ import annotations

import datetime
import io
import json
import subprocess
import sys
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from models_catalog.importers.catalog import BUNDLED_CATALOG, export_catalog, load_catalog
from models_catalog.models import (
    Benchmark,
    DataSource,
    LanguageModel,
    Offering,
    Organization,
    PriceHistory,
    Provider,
    Score,
)

pytestmark = pytest.mark.django_db

TABLES = (Organization, Provider, Benchmark, LanguageModel, Offering, Score, DataSource)


def bundled() -> dict:
    return json.loads(BUNDLED_CATALOG.read_text(encoding="utf-8"))


def small() -> dict:
    """The bundled file cut to its first twelve models, for error paths that need no more."""
    data = bundled()
    data["models"] = data["models"][:12]
    kept = {record["slug"] for record in data["models"]}
    for record in data["models"]:
        # A successor among the models cut away would fail the load for the wrong reason.
        lifecycle = record.get("lifecycle") or {}
        if lifecycle.get("successor") not in kept:
            lifecycle["successor"] = None
    data["offerings"] = [record for record in data["offerings"] if record["model"] in kept]
    data["scores"] = [record for record in data["scores"] if record["model"] in kept]
    data["litellm_models"] = [r for r in data["litellm_models"] if r["model"] in kept]
    return data


def table_counts() -> dict[str, int]:
    return {table.__name__: table.objects.count() for table in TABLES}


def run(*args) -> str:
    out = io.StringIO()
    call_command("load_catalog", *args, stdout=out)
    return out.getvalue()


def test_loads_every_record_of_the_bundled_file(bundled_catalog):
    # bundled_catalog holds the rows the full import wrote (captured once per test run).
    data = bundled()
    assert table_counts() == {
        "Organization": len(data["organizations"]),
        "Provider": len(data["providers"]),
        "Benchmark": len(data["benchmarks"]),
        "LanguageModel": len(data["models"]),
        "Offering": len(data["offerings"]),
        "Score": len(data["scores"]),
        "DataSource": len(data["attribution"]),
    }
    llama = LanguageModel.objects.get(slug="llama-3-2-1b-instruct")
    assert llama.parameter_count == 1_230_000_000
    assert llama.knowledge_cutoff == datetime.date(2023, 12, 1)
    assert llama.vision is False and llama.code_execution is None
    batch = Offering.objects.get(language_model__slug="o4-mini", provider__slug="openai-batch")
    assert batch.provider.is_batch


def test_second_load_changes_nothing_and_says_so(bundled_catalog):
    before = table_counts()
    history = PriceHistory.objects.count()
    output = run()
    assert "nothing changed" in output
    assert table_counts() == before
    # Only the price history the file records: a reload archives no rate card.
    recorded = sum(len(o.get("price_history", [])) for o in bundled()["offerings"])
    assert PriceHistory.objects.count() == history == recorded


def test_if_empty_leaves_an_edited_catalog_alone(bundled_catalog):
    offering = Offering.objects.first()
    offering.input_usd_per_mtok = Decimal("123")
    offering.save()
    assert "nothing loaded" in run("--if-empty")
    offering.refresh_from_db()
    assert offering.input_usd_per_mtok == Decimal("123")


@pytest.mark.parametrize(
    ("section", "index", "field", "value", "message"),
    [
        ("offerings", 7, "input_per_mtok", -1, "offerings[7]"),
        ("scores", 3, "score", 140, "outside that range"),
        ("models", 5, "slug", "a-vs-b", "-vs-"),
        ("models", 9, "context_window", 0, "context_window"),
        ("models", 2, "organization", "nobody", "No organization with slug 'nobody'"),
        ("models", 4, "released", "2024-13-01", "released"),
        ("providers", 1, "kind", "teleport", "kind"),
    ],
)
def test_bad_record_refuses_the_whole_file(tmp_path, section, index, field, value, message):
    data = small()
    data[section][index][field] = value
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    with pytest.raises(CommandError) as error:
        call_command("load_catalog", str(path), stdout=io.StringIO())
    assert message in str(error.value)
    assert f"{section}[{index}]" in str(error.value)
    assert all(count == 0 for count in table_counts().values()), "nothing may be written"


def test_bad_record_leaves_existing_data_untouched(tmp_path):
    load_catalog(small())
    past = PriceHistory.objects.count()
    data = small()
    data["offerings"][0]["input_per_mtok"] = 99
    data["offerings"][-1]["output_per_mtok"] = -5
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    with pytest.raises(CommandError):
        call_command("load_catalog", str(path), stdout=io.StringIO())
    first = data["offerings"][0]
    offering = Offering.objects.get(
        language_model__slug=first["model"], provider__slug=first["provider"]
    )
    assert offering.input_usd_per_mtok != 99
    assert PriceHistory.objects.count() == past


def test_unreadable_and_malformed_files(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("load_catalog", str(tmp_path / "missing.json"), stdout=io.StringIO())
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("load_catalog", str(broken), stdout=io.StringIO())


def test_export_round_trip_loses_nothing(bundled_catalog, tmp_path):
    # Give the round trip fields the bundled file does not use, so they are covered too.
    model = LanguageModel.objects.get(slug="o4-mini")
    model.deprecated_on = datetime.date(2026, 1, 1)
    model.successor = LanguageModel.objects.get(slug="gpt-4o")
    model.save()
    offering = Offering.objects.filter(language_model=model).first()
    offering.price_since = datetime.date(2025, 1, 1)
    offering.save()
    offering.input_usd_per_mtok += 1
    offering.price_since = datetime.date(2025, 6, 1)
    offering.ended_on = datetime.date(2026, 2, 1)
    offering.checked_on = datetime.date(2025, 12, 1)
    offering.source_shows_price = False
    offering.save()
    model.short_name = "o4 mini"
    model.lifecycle_source = "https://example.com/deprecations"
    model.save()
    score = Score.objects.filter(language_model=model).first()
    score.variant, score.shots, score.reasoning = "Verified", 0, "on"
    score.reasoning_effort, score.attempts, score.harness = "high", "pass@1", "Agentless"
    score.table = "example-table-2"
    score.save()
    benchmark = score.benchmark
    benchmark.task, benchmark.noise_threshold, benchmark.saturated = "coding", Decimal("1.5"), True
    benchmark.conditions_that_matter = ["variant", "harness"]
    benchmark.save()
    provider = offering.provider
    provider.first_party_for = model.organization
    provider.save()

    first = export_catalog(compiled_on=datetime.date(2026, 11, 29))
    path = tmp_path / "export.json"
    call_command("export_catalog", str(path), stderr=io.StringIO())
    assert "nothing changed" in run(str(path))
    again = export_catalog(compiled_on=datetime.date(2026, 11, 29))
    assert again == first


# Keys export always writes (unknown = null); the bundled file may leave them out.
EXPORT_DEFAULTS = {
    "models": {
        "short_name": None,
        "lifecycle": {"deprecated_on": None, "retired_on": None, "successor": None, "source": None},
    },
    "offerings": {"source_shows_price": True, "ended_on": None, "checked_on": None},
    "scores": {
        "variant": None,
        "shots": None,
        "reasoning": None,
        "reasoning_effort": None,
        "attempts": None,
        "harness": None,
        "table": None,
        "measured_on": None,
    },
    "benchmarks": {
        "task": None,
        "noise_threshold": 2,
        "saturated": False,
        "conditions_that_matter": None,
    },
    "providers": {"first_party_for": None},
}


def with_defaults(section: str, record: dict) -> dict:
    filled = {**EXPORT_DEFAULTS[section], **record}
    if section == "models":
        filled["lifecycle"] = {**EXPORT_DEFAULTS["models"]["lifecycle"], **filled["lifecycle"]}
    return filled


def test_export_is_the_bundled_data(bundled_catalog):
    exported = export_catalog(compiled_on=datetime.date(2026, 11, 29))
    original = bundled()
    by_slug = {m["slug"]: m for m in exported["models"]}
    for record in original["models"]:
        assert by_slug[record["slug"]] == with_defaults("models", record)
    for section in ("offerings", "scores", "benchmarks", "providers"):
        key = lambda o: json.dumps(o, sort_keys=True)  # noqa: E731
        expected = [with_defaults(section, r) for r in original[section]]
        assert sorted(exported[section], key=key) == sorted(expected, key=key), section
    assert exported["attribution"] == original["attribution"]


def test_export_passes_the_catalog_validator(bundled_catalog, tmp_path):
    path = tmp_path / "export.json"
    path.write_text(json.dumps(export_catalog(compiled_on=datetime.date(2026, 11, 29))))
    validator = BUNDLED_CATALOG.parent / "validate_catalog.py"
    result = subprocess.run(
        [sys.executable, str(validator), str(path)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout


def test_load_function_reports_counts(db):
    summary = load_catalog(small())
    assert summary.created["models"] == len(small()["models"])
    assert summary.changed
