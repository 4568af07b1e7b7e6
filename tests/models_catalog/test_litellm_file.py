"""Reading LiteLLM's price file: folding keys, exact conversion, refusing a malformed file."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from models_catalog.importers.litellm_file import (
    LiteLLMFileError,
    canonical_entries,
    fold_key,
    parse_entries,
    per_million,
)

FIXTURE = Path(__file__).parent / "fixtures" / "litellm_small.json"


@pytest.mark.parametrize(
    ("key", "folded", "region", "dated"),
    [
        ("gpt-4o", "gpt-4o", "", False),
        ("gpt-4o-2024-08-06", "gpt-4o", "", True),
        ("azure/eu/gpt-4o-2024-08-06", "gpt-4o", "eu", True),
        ("azure/global-standard/gpt-4o", "gpt-4o", "global-standard", False),
        ("claude-3-5-haiku-20241022", "claude-3-5-haiku", "", True),
        ("vertex_ai/claude-3-5-haiku@20241022", "claude-3-5-haiku", "", True),
        (
            "bedrock/us-east-1/anthropic.claude-3-5-haiku-20241022-v1:0",
            "claude-3-5-haiku",
            "us-east-1",
            True,
        ),
        ("us.anthropic.claude-sonnet-4-5-20250929-v1:0", "claude-sonnet-4-5", "us", True),
        ("meta.llama2-13b-chat-v1", "llama2-13b-chat", "", False),
        ("openai.gpt-oss-120b-1:0", "gpt-oss-120b", "", False),
        ("claude-3-5-sonnet-latest", "claude-3-5-sonnet", "", False),
        # Kept apart: these suffixes name other models, not snapshots of one.
        ("deepseek/deepseek-v3", "deepseek-v3", "", False),
        ("fireworks_ai/accounts/fireworks/models/deepseek-r1-0528", "deepseek-r1-0528", "", False),
        (
            "together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo",
            "meta-llama/llama-3.3-70b-instruct-turbo",
            "",
            False,
        ),
    ],
)
def test_fold_key(key, folded, region, dated):
    assert fold_key(key) == (folded, region, dated)


@pytest.mark.parametrize(
    ("per_token", "per_mtok"),
    [
        ("1.1e-06", "1.1"),
        ("2.75e-07", "0.275"),
        ("3e-05", "30"),
        ("0.000005", "5"),
        ("1.5e-08", "0.015"),
        ("0", "0"),
        # A float's noise in the file is rounded to the 6 places stored.
        ("0.0000029999900000000002", "2.99999"),
    ],
)
def test_per_token_prices_become_exact_decimals_per_million(per_token, per_mtok):
    converted = per_million(Decimal(per_token))
    assert converted == Decimal(per_mtok)
    assert str(converted) == per_mtok


def test_parse_reads_prices_from_text_not_floats():
    entries = {e.key: e for e in parse_entries(FIXTURE.read_bytes())}
    alpha = entries["alpha-1"]
    # 1.1e-06 as a float times 1e6 is 1.0999999999999999; read as text it is exactly 1.1.
    assert alpha.prices.input == Decimal("1.1")
    assert alpha.prices.cached_input == Decimal("0.275")
    assert alpha.batch_prices.input == Decimal("0.55")
    assert alpha.capabilities == {"vision": True, "reasoning": True}
    assert alpha.source_url == "https://acme.example/pricing"
    assert "acme-embed" not in entries  # not a language model
    assert "sample_spec" not in entries


def test_alias_and_listed_region_speak_for_their_duplicates():
    groups = canonical_entries(parse_entries(FIXTURE.read_bytes()))
    assert [e.key for e in groups[("acme", "alpha-1")]] == ["alpha-1", "alpha-1-2025-04-16"]
    cloudy = groups[("cloudy", "alpha-1")]
    assert [e.key for e in cloudy] == [
        "cloudy/us.meta.alpha-1-v1:0",
        "cloudy/eu-west-1/meta.alpha-1-v1:0",
    ]
    assert cloudy[0].list_priced and not cloudy[1].list_priced


def _with(entry: dict) -> bytes:
    data = json.loads(FIXTURE.read_text())
    data["broken-model"] = {"litellm_provider": "acme", "mode": "chat", **entry}
    return json.dumps(data).encode()


@pytest.mark.parametrize(
    ("entry", "field"),
    [
        ({"input_cost_per_token": "cheap"}, "input_cost_per_token"),
        ({"output_cost_per_token": -1e-06}, "output_cost_per_token"),
        ({"cache_read_input_token_cost": True}, "cache_read_input_token_cost"),
        ({"max_input_tokens": 1.5}, "max_input_tokens"),
        ({"max_output_tokens": "lots"}, "max_output_tokens"),
        ({"deprecation_date": "soon"}, "deprecation_date"),
        ({"deprecation_date": "2026-02-30"}, "deprecation_date"),
        ({"supports_vision": "yes"}, "supports_vision"),
        ({"litellm_provider": 7}, "litellm_provider"),
    ],
)
def test_a_malformed_entry_is_refused_naming_entry_and_field(entry, field):
    with pytest.raises(LiteLLMFileError) as error:
        parse_entries(_with(entry))
    assert "'broken-model'" in str(error.value)
    assert f"'{field}'" in str(error.value)


def test_a_file_that_is_not_json_or_not_an_object_is_refused():
    with pytest.raises(LiteLLMFileError, match="not valid JSON"):
        parse_entries(b"{nope")
    with pytest.raises(LiteLLMFileError, match="JSON object"):
        parse_entries(b"[]")
    with pytest.raises(LiteLLMFileError, match="'x': expected an object"):
        parse_entries(b'{"x": 3}')
