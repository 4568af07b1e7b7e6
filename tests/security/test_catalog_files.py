"""load_catalog refuses every malformed file with a message naming the record and the field,
never a traceback, and writes nothing."""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from models_catalog.importers import catalog as importer
from models_catalog.models import LanguageModel, Offering, PriceHistory

pytestmark = pytest.mark.django_db


def small_catalog() -> dict:
    """Two models at one provider, a benchmark and a score: every section, small."""
    return {
        "schema_version": 1,
        "compiled_on": "2026-01-01",
        "organizations": [{"slug": "acme", "name": "Acme", "website": "https://acme.example"}],
        "providers": [
            {"slug": "host", "name": "Host", "website": "https://host.example", "kind": "inference"}
        ],
        "benchmarks": [
            {
                "slug": "bench",
                "name": "Bench",
                "description": "A test.",
                "unit": "percent",
                "higher_is_better": True,
                "url": "https://bench.example",
            }
        ],
        "models": [
            {
                "slug": slug,
                "name": name,
                "organization": "acme",
                "open_weights": False,
                "capabilities": {"vision": True},
                "sources": ["https://acme.example/card"],
                "input_modalities": ["text"],
                "output_modalities": ["text"],
                "context_window": 128000,
                "lifecycle": {"deprecated_on": None, "retired_on": None, "successor": None},
            }
            for slug, name in (("alpha", "Alpha"), ("beta", "Beta"))
        ],
        "offerings": [
            {
                "model": "alpha",
                "provider": "host",
                "input_per_mtok": 1,
                "output_per_mtok": 2.5,
                "source_url": "https://host.example/pricing",
                "price_history": [
                    {"input_per_mtok": 2, "output_per_mtok": 3, "valid_until": "2025-06-01"}
                ],
            }
        ],
        "scores": [
            {
                "model": "alpha",
                "benchmark": "bench",
                "score": 71.5,
                "provenance": "maker",
                "source_url": "https://acme.example/card",
            }
        ],
        "attribution": [
            {
                "name": "Acme",
                "url": "https://acme.example",
                "license": "CC BY 4.0",
                "used_for": "Specs",
            }
        ],
    }


def load_bytes(tmp_path: Path, raw: bytes) -> str:
    path = tmp_path / "catalog.json"
    path.write_bytes(raw)
    out = io.StringIO()
    call_command("load_catalog", str(path), stdout=out)
    return out.getvalue()


def load(tmp_path: Path, data: dict) -> str:
    return load_bytes(tmp_path, json.dumps(data).encode())


def refused(tmp_path: Path, raw: bytes | dict) -> str:
    """The CommandError's message; the database must be as it was."""
    before = (LanguageModel.objects.count(), Offering.objects.count(), PriceHistory.objects.count())
    with pytest.raises(CommandError) as error:
        if isinstance(raw, dict):
            load(tmp_path, raw)
        else:
            load_bytes(tmp_path, raw)
    after = (LanguageModel.objects.count(), Offering.objects.count(), PriceHistory.objects.count())
    assert after == before
    return str(error.value)


def with_model(**changes) -> dict:
    data = small_catalog()
    data["models"][0].update(changes)
    return data


def test_the_small_catalog_loads(tmp_path):
    load(tmp_path, small_catalog())
    assert LanguageModel.objects.count() == 2
    assert PriceHistory.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"sources": ["javascript:alert(1)"]}, "field 'sources'"),
        ({"sources": "https://acme.example/card"}, "field 'sources': Expected a list"),
        ({"sources": [1]}, "field 'sources': Item 1 should be text"),
        ({"name": 12345}, "field 'name': Expected text, not a number"),
        ({"name": "Al\x00pha"}, "field 'name': Contains a control character"),
        ({"name": "Alpha\u202e"}, "field 'name': Contains a bidirectional"),
        ({"lifecycle": "retired"}, "field 'lifecycle': Expected an object, not a string"),
        ({"lifecycle": {"retired_on": 2025}}, "field 'lifecycle.retired_on'"),
        ({"capabilities": {"vision": "yes"}}, "field 'capabilities.vision'"),
        ({"open_weights": "false"}, "field 'open_weights'"),
        ({"context_window": "128000"}, "field 'context_window'"),
        ({"context_window": 1.5}, "field 'context_window'"),
        ({"released": 20250101}, "field 'released'"),
        ({"organization": ["acme"]}, "field 'organization'"),
        ({"input_modalities": "text"}, "field 'input_modalities'"),
    ],
)
def test_bad_model_values_are_refused_naming_record_and_field(tmp_path, changes, expected):
    message = refused(tmp_path, with_model(**changes))
    assert "models[0] (alpha)" in message
    assert expected in message


def test_a_javascript_source_is_refused_with_a_message(tmp_path):
    message = refused(tmp_path, with_model(sources=["javascript:alert(1)"]))
    assert "http" in message and "Nothing was loaded" in message


@pytest.mark.parametrize(
    ("section", "index", "changes", "expected"),
    [
        ("offerings", 0, {"source_url": "javascript:alert(1)"}, "field 'source_url'"),
        ("offerings", 0, {"input_per_mtok": "1"}, "field 'input_per_mtok'"),
        ("offerings", 0, {"price_history": {"valid_until": "x"}}, "field 'price_history'"),
        ("offerings", 0, {"price_history": ["2025"]}, "field 'price_history'"),
        ("offerings", 0, {"price_history": [{"valid_until": 1}]}, "price_history[0]."),
        ("scores", 0, {"score": "71.5"}, "field 'score'"),
        ("scores", 0, {"source_url": "data:text/html,x"}, "field 'source_url'"),
        ("benchmarks", 0, {"higher_is_better": 1}, "field 'higher_is_better'"),
        ("attribution", 0, {"url": "ftp://acme.example"}, "field 'url'"),
        ("organizations", 0, {"website": ["https://acme.example"]}, "field 'website'"),
    ],
)
def test_bad_values_in_other_sections(tmp_path, section, index, changes, expected):
    data = small_catalog()
    data[section][index].update(changes)
    message = refused(tmp_path, data)
    assert f"{section}[{index}]" in message and expected in message


def test_a_second_record_with_the_same_slug_is_refused_naming_both(tmp_path):
    data = small_catalog()
    data["models"].append({**data["models"][0], "name": "Impostor"})
    message = refused(tmp_path, data)
    assert "models[2] (alpha) repeats models[0] (alpha)" in message


def test_a_duplicate_offering_is_refused_and_fabricates_no_price_history(tmp_path):
    load(tmp_path, small_catalog())
    data = small_catalog()
    data["offerings"].append({**data["offerings"][0], "input_per_mtok": 999})
    message = refused(tmp_path, data)
    assert "offerings[1] (alpha/host) repeats offerings[0] (alpha/host)" in message
    assert PriceHistory.objects.count() == 1


def test_a_key_twice_in_one_record_is_refused(tmp_path):
    raw = json.dumps(small_catalog()).replace('"name": "Alpha"', '"name": "Alpha", "name": "B"')
    assert "'name' appears twice" in refused(tmp_path, raw.encode())


def test_latin1_bytes_are_refused_with_the_offset(tmp_path):
    raw = json.dumps(small_catalog()).replace("Alpha", "Alph\u00e9").encode("latin-1")
    message = refused(tmp_path, raw)
    assert "not UTF-8" in message and "0xe9" in message


def test_a_byte_order_mark_is_accepted(tmp_path):
    load_bytes(tmp_path, b"\xef\xbb\xbf" + json.dumps(small_catalog()).encode())
    assert LanguageModel.objects.count() == 2


def test_deep_nesting_is_refused(tmp_path):
    assert "nested" in refused(tmp_path, b'{"a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}")
    data = with_model(note=[[[[[[[[[["deep"]]]]]]]]]])
    assert "nested deeper" in refused(tmp_path, data)


def test_a_huge_file_is_refused_before_it_is_parsed(tmp_path, monkeypatch):
    monkeypatch.setattr(importer, "MAX_FILE_BYTES", 1000)
    assert "larger than" in refused(tmp_path, json.dumps(small_catalog()).encode())


@pytest.mark.parametrize("raw", [b"NaN", b'{"schema_version": Infinity}', b"[]", b"", b"\x00"])
def test_other_malformed_files(tmp_path, raw):
    assert refused(tmp_path, raw)


def test_not_a_list_of_records(tmp_path):
    data = small_catalog()
    data["models"] = {"alpha": {}}
    assert "models: expected a list" in refused(tmp_path, data)
    data = small_catalog()
    data["models"][1] = "beta"
    assert "models[1]: A record must be a JSON object" in refused(tmp_path, data)


def test_loaded_values_are_stored_exactly(tmp_path):
    data = copy.deepcopy(small_catalog())
    load(tmp_path, data)
    alpha = LanguageModel.objects.get(slug="alpha")
    assert alpha.name == "Alpha" and alpha.sources == ["https://acme.example/card"]
    assert "nothing changed" in load(tmp_path, data)
