"""Reading LiteLLM's `model_prices_and_context_window.json` (MIT): plain Python, no Django.

The file maps a key ("gpt-4o", "bedrock/us-east-1/anthropic.claude-3-5-haiku-20241022-v1:0")
to an entry of per-token prices, token limits, a deprecation date and `supports_*` flags. This
module validates the entries (a malformed file is refused whole, naming the entry and the
field), converts per-token prices to USD per 1M tokens exactly, and folds regional and dated
duplicates of one model onto one key, so that one model at one provider is one offering.
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

# The repository file the package copy is made from; cited when no better source is known.
LITELLM_FILE_URL = (
    "https://github.com/BerriAI/litellm/blob/main/model_prices_and_context_window.json"
)
# The documentation entry at the top of the file, not a model.
SAMPLE_KEY = "sample_spec"
# Modes that are language models answering prompts; images, speech, embeddings are not ours.
TEXT_MODES = frozenset({"chat", "completion", "responses"})
# Our prices are stored with 6 decimal places (USD per 1M tokens).
PRICE_PLACES = 6
PER_MILLION = 6  # powers of ten

PRICE_FIELDS = {
    "input": "input_cost_per_token",
    "output": "output_cost_per_token",
    "cached_input": "cache_read_input_token_cost",
}
BATCH_PRICE_FIELDS = {
    "input": "input_cost_per_token_batches",
    "output": "output_cost_per_token_batches",
    "cached_input": "cache_read_input_token_cost_batches",
}
# LiteLLM flag -> our capability. Only flags whose meaning matches ours one to one.
CAPABILITY_FLAGS = {
    "supports_vision": "vision",
    "supports_function_calling": "function_calling",
    "supports_reasoning": "reasoning",
    "supports_response_schema": "structured_outputs",
}
TOKEN_FIELDS = ("max_input_tokens", "max_output_tokens")

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Region segments of a key's path ("bedrock/us-east-1/…", "azure/eu/…", "bedrock/*/…").
_REGION_SEGMENT = re.compile(
    r"^(?:\*|us|eu|global|apac|jp|au|ca|us-gov|global-standard|[a-z]{2}(?:-[a-z]+)+-\d+)$"
)
# Cross-region inference prefixes of Bedrock model ids ("us.anthropic.claude-…").
_REGION_PREFIX = re.compile(r"^(?:us|eu|apac|global|jp|au|ca|us-gov)\.")
# Bedrock's vendor prefix ("anthropic.claude-…", "meta.llama3-…").
_VENDOR_PREFIX = re.compile(
    r"^(?:anthropic|meta|mistral|cohere|amazon|ai21|deepseek|openai|qwen|writer|moonshotai|"
    r"minimax|zai|google|nvidia|twelvelabs|xai|moonshot)\."
)
# Snapshot dates and version suffixes: "-2024-08-06", "-20241022", "@20241022", "@001", "-latest",
# Bedrock's "-v1:0" and "-1:0". Four-digit suffixes ("-0528", "-2503") are kept: they often name
# distinct models, as does a bare "-v3" ("deepseek-v3").
_DATED_SUFFIX = re.compile(r"(?:-\d{4}-\d{2}-\d{2}|-20\d{6}|@[a-z0-9.]+|-latest)$")
_VERSION_SUFFIX = re.compile(r"-v?\d+:\d+$")
# Bedrock's "-v1" on vendor-prefixed ids ("meta.llama2-13b-chat-v1").
_BEDROCK_V1 = re.compile(r"-v1$")
# Reserved-capacity price lists are not on-demand prices.
_COMMITMENT = re.compile(r"(?:^|/)\d+-month-commitment/")


class LiteLLMFileError(Exception):
    """A file that cannot be imported; the message names the entry and the field."""


@dataclass(frozen=True)
class RateCard:
    """USD per 1M tokens, exact; a part LiteLLM does not list is None."""

    input: Decimal | None
    output: Decimal | None
    cached_input: Decimal | None

    @property
    def complete(self) -> bool:
        return self.input is not None and self.output is not None


@dataclass(frozen=True)
class Entry:
    """One validated entry of the file."""

    key: str
    provider: str
    mode: str
    folded_key: str
    region: str  # "" when the key names no region
    dated: bool  # a snapshot ("-2024-08-06") rather than the alias
    prices: RateCard
    batch_prices: RateCard
    max_input_tokens: int | None
    max_output_tokens: int | None
    deprecation_date: datetime.date | None
    capabilities: dict[str, bool] = field(default_factory=dict)
    source_url: str | None = None
    deprecation_source_url: str | None = None

    @property
    def list_priced(self) -> bool:
        """Its prices are list prices: no region, or the global or US one.

        Other regions (EU, GovCloud, single AWS regions) often carry an uplift, and some
        models are listed only there; their prices are not the offering's price.
        """
        return self.region in ("", "global", "us")

    @property
    def preference(self) -> tuple:
        """Sort key: the entry that speaks for its folded duplicates comes first.

        The alias without a region is what a customer gets by default; among snapshots the
        newest; among regions the global or US one, whose prices are the list prices.
        """
        region_rank = {"": 0, "global": 1, "us": 2}.get(self.region, 3)
        return (region_rank, self.dated, _negated_date(self.key), len(self.key), self.key)


def _negated_date(key: str) -> str:
    # Newest snapshot first: invert the digits so that an ascending sort puts it first.
    digits = "".join(re.findall(r"\d", key))
    return "".join(str(9 - int(d)) for d in digits)


def fold_key(key: str) -> tuple[str, str, bool]:
    """`(folded key, region, dated)` of a LiteLLM key.

    The route prefix ("bedrock/", "azure/", "fireworks_ai/accounts/fireworks/models/"),
    regions, Bedrock's vendor prefix, snapshot dates and version suffixes are removed, so
    "bedrock/us-east-1/anthropic.claude-3-5-haiku-20241022-v1:0", "claude-3-5-haiku-20241022"
    and "vertex_ai/claude-3-5-haiku@20241022" all fold to "claude-3-5-haiku".
    """
    parts = key.lower().split("/")
    region = ""
    if len(parts) > 1:
        parts = parts[1:]  # the route ("azure", "bedrock", "together_ai", …)
    while len(parts) > 1 and _REGION_SEGMENT.match(parts[0]):
        region = region or parts.pop(0)
    if parts[:3] == ["accounts", "fireworks", "models"]:
        parts = parts[3:]
    name = "/".join(parts)
    match = _REGION_PREFIX.match(name)
    if match:
        region = region or match.group(0).rstrip(".")
        name = name[match.end() :]
    vendor_prefixed = bool(_VENDOR_PREFIX.match(name))
    name = _VENDOR_PREFIX.sub("", name)
    if vendor_prefixed:
        name = _BEDROCK_V1.sub("", name)
    dated = False
    while True:
        stripped = _DATED_SUFFIX.sub("", _VERSION_SUFFIX.sub("", name))
        if stripped == name:
            break
        dated = dated or bool(re.search(r"\d{6,}|\d{4}-\d{2}-\d{2}|@", name[len(stripped) :]))
        name = stripped
    return name, region, dated


def per_million(value: Decimal) -> Decimal:
    """A per-token price as USD per 1M tokens: a decimal shift of the file's digits.

    Exact for every price written as the decimal it is (0.0000011 -> 1.1). A few entries
    carry a float's noise (0.0000029999900000000002); those are rounded to the 6 places we
    store, a millionth of a dollar per 1M tokens.
    """
    converted = value.scaleb(PER_MILLION)
    if converted.as_tuple().exponent < -PRICE_PLACES:
        converted = converted.quantize(Decimal(1).scaleb(-PRICE_PLACES), ROUND_HALF_EVEN)
    # Plain notation ("10", not "1E+1"), trailing zeros dropped: "2.999990" -> "2.99999".
    return (
        converted.normalize().quantize(Decimal(1))
        if converted == converted.to_integral()
        else converted.normalize()
    )


class _Reader:
    def __init__(self, key: str, record: dict) -> None:
        self.key, self.record = key, record

    def fail(self, name: str, message: str) -> LiteLLMFileError:
        return LiteLLMFileError(f"entry {self.key!r}, field {name!r}: {message}")

    def text(self, name: str) -> str | None:
        value = self.record.get(name)
        if value is not None and not isinstance(value, str):
            raise self.fail(name, f"expected text, found {value!r}.")
        return value

    def price(self, name: str) -> Decimal | None:
        value = self.record.get(name)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, Decimal | int):
            raise self.fail(name, f"expected a number, found {value!r}.")
        value = Decimal(value)
        if not value.is_finite() or value < 0:
            raise self.fail(name, f"expected a price of 0 or more, found {value}.")
        return per_million(value)

    def tokens(self, name: str) -> int | None:
        value = self.record.get(name)
        if value is None:
            return None
        if isinstance(value, Decimal) and value == value.to_integral():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise self.fail(name, f"expected a whole number of tokens, found {value!r}.")
        # Some entries (moderation models) write 0 for "no limit stated".
        return value or None

    def date(self, name: str) -> datetime.date | None:
        value = self.text(name)
        if value is None or value == "":
            return None
        if not _DATE.match(value):
            raise self.fail(name, f"expected a date YYYY-MM-DD, found {value!r}.")
        try:
            return datetime.date.fromisoformat(value)
        except ValueError as error:
            raise self.fail(name, f"{value!r} is not a calendar date.") from error

    def flag(self, name: str) -> bool | None:
        value = self.record.get(name)
        if value is not None and not isinstance(value, bool):
            raise self.fail(name, f"expected true or false, found {value!r}.")
        return value

    def rate_card(self, names: dict[str, str]) -> RateCard:
        return RateCard(**{part: self.price(name) for part, name in names.items()})


def _http_url(value: str | None) -> str | None:
    """Only http(s) URLs are cited; anything else in the file's source fields is dropped."""
    return value if value and value.startswith(("https://", "http://")) else None


def parse_entries(text: str | bytes) -> list[Entry]:
    """Every model entry of the file, validated. Raises LiteLLMFileError on the first bad one.

    Numbers are read as Decimal straight from the file's text, so no price passes through a
    binary float on its way to the database.
    """
    try:
        data = json.loads(text, parse_float=Decimal)
    except (ValueError, UnicodeDecodeError) as error:
        raise LiteLLMFileError(f"The file is not valid JSON: {error}.") from error
    if not isinstance(data, dict):
        raise LiteLLMFileError("The file must be a JSON object of entries keyed by model.")
    entries = []
    for key, record in data.items():
        if key == SAMPLE_KEY:
            continue
        if not isinstance(record, dict):
            raise LiteLLMFileError(f"entry {key!r}: expected an object, found {record!r}.")
        reader = _Reader(key, record)
        provider = reader.text("litellm_provider")
        mode = reader.text("mode")
        source = _http_url(reader.text("source"))
        deprecation_source = _http_url(reader.text("deprecation_source"))
        entry_fields = {
            "prices": reader.rate_card(PRICE_FIELDS),
            "batch_prices": reader.rate_card(BATCH_PRICE_FIELDS),
            "max_input_tokens": reader.tokens("max_input_tokens"),
            "max_output_tokens": reader.tokens("max_output_tokens"),
            "deprecation_date": reader.date("deprecation_date"),
        }
        capabilities = {
            ours: value
            for theirs, ours in CAPABILITY_FLAGS.items()
            if (value := reader.flag(theirs)) is not None
        }
        if not provider or mode not in TEXT_MODES or _COMMITMENT.search(key):
            continue  # validated, but not a language model served on demand
        folded, region, dated = fold_key(key)
        entries.append(
            Entry(
                key=key,
                provider=provider,
                mode=mode,
                folded_key=folded,
                region=region,
                dated=dated,
                capabilities=capabilities,
                source_url=source,
                deprecation_source_url=deprecation_source,
                **entry_fields,
            )
        )
    return entries


def canonical_entries(entries: list[Entry]) -> dict[tuple[str, str], list[Entry]]:
    """Entries grouped by (LiteLLM provider, folded key), the preferred entry first."""
    groups: dict[tuple[str, str], list[Entry]] = {}
    for entry in entries:
        groups.setdefault((entry.provider, entry.folded_key), []).append(entry)
    return {key: sorted(group, key=lambda e: e.preference) for key, group in groups.items()}


def as_json_value(value: Any) -> Any:
    """A value as stored in a proposed change: Decimals as exact strings, dates ISO."""
    if isinstance(value, Decimal):
        # Plain notation without trailing zeros: the database's 2.500000 reads as 2.5.
        return format(value.normalize(), "f")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: as_json_value(v) for k, v in value.items()}
    return value
