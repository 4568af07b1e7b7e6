"""Load and export the catalog JSON format (see models_catalog/catalog/README.md).

A load is all-or-nothing: every record is validated like an admin form would validate it, and
the first bad one aborts the whole transaction with an error naming the record and the field.
Loading the same file twice changes nothing the second time.
"""

from __future__ import annotations

import contextlib
import datetime
import json
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, connections, models, transaction
from django.utils import timezone

from models_catalog.catalog_version import bump_catalog_version, one_bump
from models_catalog.models import (
    CAPABILITIES,
    Benchmark,
    DataSource,
    LanguageModel,
    LiteLLMModelMapping,
    LiteLLMProviderMapping,
    Offering,
    Organization,
    PriceHistory,
    Provider,
    Score,
    clean_field_value,
)
from models_catalog.validators import kind

BUNDLED_CATALOG = Path(__file__).resolve().parent.parent / "catalog" / "catalog.json"
SCHEMA_VERSION = 1
SECTIONS = ("organizations", "providers", "benchmarks", "models", "offerings", "scores")
# New rows of these sections are written in bulk (a catalog has thousands of them).
BULK_SECTIONS = ("models", "offerings", "scores")
BATCH_SIZE = 1000
# Optional sections: how LiteLLM's provider names and model keys map to ours (import_litellm).
MAPPING_SECTIONS = ("litellm_providers", "litellm_models")

FORMAT_NOTES = (
    "Prices are USD per 1M tokens at the base tier. Zero-priced offerings are free developer "
    "tiers and are left out of 'cheapest provider' figures. A score's provenance is 'maker' "
    "(reported by the model's maker), 'independent' (a public leaderboard that runs every model "
    "the same way) or 'third-party' (reported by someone else, e.g. a rival lab). An offering "
    "with current=false is a last listed price that the provider no longer lists. An offering "
    "with free_tier=true is a free developer or trial tier (price 0), shown as such and left out "
    "of 'cheapest provider' figures. A score whose source_url is null has no source yet: editors "
    "should find one. A score's variant, shots, reasoning, reasoning_effort, attempts and harness "
    "are the conditions it was measured under (null: not stated); scores sharing a 'table' id "
    "come from one source table. An offering with source_shows_price=false cites a page that "
    "does not show the price and never headlines as the cheapest."
)


class CatalogError(Exception):
    """A catalog file that cannot be loaded; the message names the record and the field."""


# --- the shape of a file ----------------------------------------------------------------------

# A larger file is refused before it is read (the bundled one is well under 1 MiB).
MAX_FILE_BYTES = 64 * 1024 * 1024
# Deepest nesting of lists and objects the format has is 5 (file, section, record,
# price_history, entry); anything much deeper is not a catalog.
MAX_DEPTH = 10

# The JSON type each known key must have: "text", "int", "number", "bool", "list" or
# "object"; "?" allows null. Django's fields would quietly turn 12345 into "12345" or a
# string into a list of characters, so types are checked before any value is used.
RECORD_TYPES: dict[str, dict[str, str]] = {
    "organizations": {"slug": "text", "name": "text", "website": "text?"},
    "providers": {
        "slug": "text",
        "name": "text",
        "website": "text?",
        "kind": "text",
        "first_party_for": "text?",
    },
    "benchmarks": {
        "slug": "text",
        "name": "text",
        "description": "text?",
        "unit": "text",
        "higher_is_better": "bool",
        "url": "text?",
        "min_score": "number?",
        "max_score": "number?",
        "task": "text?",
        "noise_threshold": "number?",
        "saturated": "bool?",
        "conditions_that_matter": "list?",
    },
    "models": {
        "slug": "text",
        "name": "text",
        "short_name": "text?",
        "organization": "text",
        "family": "text?",
        "released": "text?",
        "knowledge_cutoff": "text?",
        "context_window": "int?",
        "max_output_tokens": "int?",
        "parameters": "int?",
        "architecture": "text?",
        "license": "text?",
        "open_weights": "bool",
        "input_modalities": "list?",
        "output_modalities": "list?",
        "capabilities": "object",
        "sources": "list?",
        "published": "bool?",
        "lifecycle": "object?",
        "last_reviewed_on": "text?",
    },
    "offerings": {
        "model": "text",
        "provider": "text",
        "input_per_mtok": "number",
        "output_per_mtok": "number",
        "cached_input_per_mtok": "number?",
        "context_window": "int?",
        "free_tier": "bool?",
        "current": "bool?",
        "note": "text?",
        "source_url": "text?",
        "price_since": "text?",
        "price_history": "list?",
        "ended_on": "text?",
        "checked_on": "text?",
        "source_shows_price": "bool?",
    },
    "scores": {
        "model": "text",
        "benchmark": "text",
        "score": "number",
        "note": "text?",
        "provenance": "text",
        "source_url": "text?",
        "measured_on": "text?",
        "variant": "text?",
        "shots": "int?",
        "reasoning": "text?",
        "reasoning_effort": "text?",
        "attempts": "text?",
        "harness": "text?",
        "table": "text?",
    },
    "attribution": {
        "name": "text",
        "url": "text",
        "license": "text",
        "used_for": "text?",
        "credit": "text?",
    },
}
# Keys whose value is a list: the type of every item.
LIST_ITEM_TYPES = {
    "sources": "text",
    "input_modalities": "text",
    "output_modalities": "text",
    "conditions_that_matter": "text",
    "price_history": "object",
}
NESTED_TYPES: dict[str, dict[str, str]] = {
    "lifecycle": {
        "deprecated_on": "text?",
        "retired_on": "text?",
        "successor": "text?",
        "source": "text?",
    },
    "capabilities": {name: "bool?" for name, _ in CAPABILITIES},
    "price_history": {
        "input_per_mtok": "number",
        "output_per_mtok": "number",
        "cached_input_per_mtok": "number?",
        "valid_from": "text?",
        "valid_until": "text",
    },
}
_TYPE_NAMES = {
    "text": "text",
    "int": "a whole number",
    "number": "a number",
    "bool": "true or false",
    "list": "a list",
    "object": "an object",
}


def _has_type(value: Any, wanted: str) -> bool:
    if wanted == "text":
        return isinstance(value, str)
    if wanted == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if wanted == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if wanted == "bool":
        return isinstance(value, bool)
    if wanted == "list":
        return isinstance(value, list)
    return isinstance(value, dict)


def _check_types(record: dict, types: dict[str, str], prefix: str = "") -> None:
    """Refuse a value of the wrong JSON type, naming its field (e.g. lifecycle.retired_on)."""
    for name, spec in types.items():
        if name not in record:
            continue
        value, wanted, nullable = record[name], spec.rstrip("?"), spec.endswith("?")
        field_name = f"{prefix}{name}"
        if value is None and nullable:
            continue
        if not _has_type(value, wanted):
            raise ValidationError(
                {field_name: f"Expected {_TYPE_NAMES[wanted]}, not {kind(value)}."}
            )
        if wanted == "list":
            item_type = LIST_ITEM_TYPES.get(name, "text")
            for number, item in enumerate(value, start=1):
                if not _has_type(item, item_type):
                    raise ValidationError(
                        {
                            field_name: f"Item {number} should be {_TYPE_NAMES[item_type]}, "
                            f"not {kind(item)}."
                        }
                    )
                if item_type == "object" and name in NESTED_TYPES:
                    _check_types(item, NESTED_TYPES[name], f"{field_name}[{number - 1}].")
        elif wanted == "object" and name in NESTED_TYPES:
            _check_types(value, NESTED_TYPES[name], f"{field_name}.")


def _identity(section: str, record: dict) -> tuple | None:
    """What makes a record the same row as another: two records with one identity in a file
    would silently overwrite each other, so the second is refused."""
    if section in ("organizations", "providers", "benchmarks", "models"):
        return (record.get("slug"),)
    if section == "offerings":
        return (record.get("model"), record.get("provider"))
    if section == "scores":
        # Several scores per model and benchmark may come from different sources or conditions.
        return tuple(
            record.get(name) or ""
            for name in ("model", "benchmark", "source_url", *SCORE_TEXT_CONDITIONS)
        )
    if section == "attribution":
        return (record.get("name"),)
    return None


def _refuse_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            where = next(
                (f" (in the record {seen[k]!r})" for k in ("slug", "name") if k in seen), ""
            )
            raise CatalogError(f"The key {key!r} appears twice in one object{where}.")
        seen[key] = value
    return seen


def _refuse_constant(name: str) -> None:
    raise CatalogError(f"{name} is not a number a catalog may hold.")


def _depth_exceeds(data: Any, limit: int) -> bool:
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth > limit:
                return True
            children = value.values() if isinstance(value, dict) else value
            # Only lists and objects can nest deeper; a catalog's strings and numbers are
            # most of its values and need no stack entry.
            stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def parse_catalog(raw: bytes, name: str = "the file") -> dict:
    """Bytes of a catalog file → its data, or CatalogError saying what is wrong and where.

    UTF-8 only (a byte-order mark is accepted); duplicate keys in an object, NaN/Infinity,
    nesting deeper than MAX_DEPTH and files over MAX_FILE_BYTES are refused.
    """
    if len(raw) > MAX_FILE_BYTES:
        raise CatalogError(f"{name} is larger than {MAX_FILE_BYTES // 1024 // 1024} MiB.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise CatalogError(
            f"{name} is not UTF-8 text: byte {raw[error.start]:#04x} at offset {error.start} "
            f"(line {line}). Save the file as UTF-8."
        ) from error
    try:
        data = json.loads(
            text, object_pairs_hook=_refuse_duplicate_keys, parse_constant=_refuse_constant
        )
    except json.JSONDecodeError as error:
        raise CatalogError(f"{name} is not valid JSON: {error}.") from error
    except RecursionError as error:
        raise CatalogError(f"{name} is nested too deeply to be a catalog.") from error
    if _depth_exceeds(data, MAX_DEPTH):
        raise CatalogError(f"{name} is nested deeper than {MAX_DEPTH} levels; not a catalog.")
    if not isinstance(data, dict):
        raise CatalogError(f"{name} must hold a JSON object, not {kind(data)}.")
    return data


@dataclass
class LoadSummary:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)

    def seen(self, section: str) -> int:
        return self.created[section] + self.updated[section] + self.unchanged[section]

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) or sum(self.updated.values()))

    def lines(self) -> list[str]:
        sections = [*SECTIONS, "price history", "attribution", *MAPPING_SECTIONS]
        return [
            f"{name}: {self.created[name]} created, {self.updated[name]} updated, "
            f"{self.unchanged[name]} unchanged"
            for name in sections
            if self.seen(name)
        ]


# --- reading values -------------------------------------------------------------------------


def _decimal(value: Any, name: str) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError({name: f"Expected a number, not {kind(value)}."})
    try:
        # str() first: Decimal(0.1) would carry the float's binary error into the database.
        number = Decimal(str(value))
    except InvalidOperation as error:
        raise ValidationError({name: f"{value!r} is not a number."}) from error
    if not number.is_finite():
        raise ValidationError({name: f"{value!r} is not a finite number."})
    return number


def _date(value: Any, name: str, fmt: str = "%Y-%m-%d") -> datetime.date | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValidationError({name: f"Expected a date as text, not {kind(value)}."})
    try:
        return datetime.datetime.strptime(str(value), fmt).date()  # noqa: DTZ007 (a date, no time)
    except ValueError as error:
        raise ValidationError({name: f"{value!r} is not a date of the form {fmt}."}) from error


def _required(record: dict, name: str) -> Any:
    if name not in record:
        raise ValidationError({name: "This field is missing."})
    return record[name]


# Field values whose check is remembered for the rest of a load (hashable; the checks of a
# field depend on its value only, see models.clean_field_value).
_REMEMBERED_TYPES = frozenset({str, int, bool, float, Decimal, datetime.date, type(None)})
_UNCHECKED = object()


class _Row:
    """An existing row of a large table, read as values: a model instance is made only for
    a row the file changes (thousands of instances cost seconds; most rows are unchanged)."""

    __slots__ = ("model", "values")

    def __init__(self, model: type[models.Model], values: dict[str, Any]) -> None:
        self.model = model
        self.values = values

    @property
    def pk(self) -> Any:
        return self.values[self.model._meta.pk.attname]

    def instance(self) -> models.Model:
        return self.model.from_db(connection.alias, list(self.values), list(self.values.values()))


def _rows(queryset: models.QuerySet) -> list[_Row]:
    """Every row of `queryset` as a _Row, in one query."""
    model = queryset.model
    names = [f.attname for f in model._meta.concrete_fields]
    return [
        _Row(model, dict(zip(names, values, strict=True)))
        for values in queryset.values_list(*names)
    ]


def _write_new_rows(model: type[models.Model], rows: list[models.Model], reason: str) -> None:
    """Insert new rows and their "created" history records (history_type "+", the change
    reason, the user of the current request if any), as bulk_history_create records them."""
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(rows, batch_size=BATCH_SIZE)
        model.history.bulk_history_create(rows, batch_size=BATCH_SIZE, default_change_reason=reason)
        return
    # On PostgreSQL, COPY: bulk_create spends several seconds per 10,000 rows building SQL
    # and history instances, COPY a fraction of a second. The values are the ones
    # bulk_create would send (each field's pre_save and get_db_prep_save).
    meta = model._meta
    history = model.history.model
    # The connection itself, not the proxy: a million field values each look it up.
    db = connections[connection.alias]
    quote = db.ops.quote_name
    fields = meta.concrete_fields
    with connection.cursor() as cursor:
        # Ids from the table's own sequence first, so rows that point at these (offerings at
        # models, price history at offerings) have them before they are written.
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(rows)],
        )
        for row, (pk,) in zip(rows, cursor.fetchall(), strict=True):
            row.pk = pk
        columns = ", ".join(quote(f.column) for f in fields)
        # Bound once: a lookup per field and row would cost more than the values themselves.
        steps = [(f.pre_save, f.get_db_prep_save) for f in fields]
        with cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([prepare(pre_save(row, True), db) for pre_save, prepare in steps])
        # History rows copied from the rows just written, in one statement (unless history is
        # switched off, as bulk_history_create checks).
        if getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
            tracked = [history._meta.get_field(f.name) for f in history.tracked_fields]
            source = ", ".join(quote(meta.get_field(f.name).column) for f in tracked)
            target = ", ".join(quote(f.column) for f in tracked)
            extra = ", ".join(
                quote(history._meta.get_field(name).column)
                for name in (
                    "history_date",
                    "history_change_reason",
                    "history_type",
                    "history_user",
                )
            )
            user = history.get_default_history_user(rows[0])
            cursor.execute(
                f"INSERT INTO {quote(history._meta.db_table)} ({target}, {extra}) "
                f"SELECT {source}, %s, %s, %s, %s FROM {quote(meta.db_table)} "
                f"WHERE {quote(meta.pk.column)} = ANY(%s)",
                [timezone.now(), reason, "+", user.pk if user else None, [row.pk for row in rows]],
            )
    for row in rows:
        row._state.adding = False
        row._state.db = connection.alias


class _Loader:
    def __init__(self, data: dict, source: str) -> None:
        self.data = data
        # Recorded with every change in the edit history, so editors see where it came from.
        self.reason = f"Imported by load_catalog from {source}"
        self.summary = LoadSummary()
        self.organizations: dict[str, Organization] = {}
        self.providers: dict[str, Provider] = {}
        self.benchmarks: dict[str, Benchmark] = {}
        self.models: dict[str, LanguageModel] = {}
        self.existing: dict[str, dict] = {}
        # New rows of the large sections, written together by flush().
        self.pending: dict[type[models.Model], list[models.Model]] = {}
        # Per model, the fields whose checks check_new() remembers, each with its memory:
        # (type, value) -> the cleaned value or the ValidationError.
        self.check_plans: dict[type[models.Model], tuple[list, list[str]]] = {}
        # Per model, field name -> (attname, is a relation), for comparing values.
        self.field_info: dict[type[models.Model], dict[str, tuple[str, bool]]] = {}

    def save(
        self, section: str, target: models.Model | _Row, values: dict[str, Any]
    ) -> models.Model | _Row:
        """Apply `values`, validate as a form would, and save only when something changed.

        `target` is a new or existing instance, or an existing row read as values (returned
        as it is when nothing changed). New models, offerings and scores are validated by
        check_new() and written in bulk by flush().
        """
        model = target.model if isinstance(target, _Row) else type(target)
        current = target.values if isinstance(target, _Row) else None
        is_new = target.pk is None
        info = self.field_info.get(model)
        if info is None:
            info = self.field_info[model] = {
                f.name: (f.attname, f.is_relation) for f in model._meta.concrete_fields
            }
        # A new row takes every value; only an existing one is compared, field by field.
        changes: dict[str, Any] = dict(values) if is_new else {}
        for name, value in () if is_new else values.items():
            attname, is_relation = info[name]
            # Compare foreign keys by id, so an unsaved row is not asked for its relation.
            wanted = value.pk if is_relation and value is not None else value
            now = current[attname] if current is not None else getattr(target, attname)
            if now != wanted:
                changes[name] = value
        if not changes and not is_new:
            self.summary.unchanged[section] += 1
            return target
        instance = target.instance() if isinstance(target, _Row) else target
        for name, value in changes.items():
            setattr(instance, name, value)
        if is_new and section in BULK_SECTIONS:
            self.check_new(instance)
            self.pending.setdefault(type(instance), []).append(instance)
            self.summary.created[section] += 1
            return instance
        instance.full_clean()
        instance._change_reason = self.reason
        instance.save()
        (self.summary.created if is_new else self.summary.updated)[section] += 1
        return instance

    def check_new(self, instance: models.Model) -> None:
        """full_clean() of a new row of a large section, without a query per row.

        The same rules run: each field's checks (clean_field_value, remembered per distinct
        value, since they depend on the value alone), then clean() and the remaining fields
        through full_clean(). Left to other checks, as a query per row would be slow:
        foreign keys (they come from this load's lookups), uniqueness (each() refuses two
        records of one row, and an existing row is found and updated instead of added) and
        the check constraints (each has a field validator or a clean() rule; the database
        enforces them all again as the rows are written).
        """
        plan = self.check_plans.get(type(instance))
        if plan is None:
            fields = instance._meta.fields
            remembered = [
                (f, {}) for f in fields if not (f.is_relation or f.primary_key or f.generated)
            ]
            relations = [f.name for f in instance._meta.concrete_fields if f.is_relation]
            plan = self.check_plans[type(instance)] = (remembered, relations)
        remembered, relations = plan
        errors: dict[str, list] = {}
        done = []
        for model_field, memory in remembered:
            value = getattr(instance, model_field.attname)
            value_type = type(value)
            if value_type not in _REMEMBERED_TYPES:
                continue
            # Decimal("1.0") == Decimal("1"), but only one may have too many decimal places.
            key = (value_type, str(value) if value_type is Decimal else value)
            result = memory.get(key, _UNCHECKED)
            if result is _UNCHECKED:
                try:
                    result = clean_field_value(model_field, value, instance)
                except ValidationError as error:
                    result = error
                memory[key] = result
            if isinstance(result, ValidationError):
                errors[model_field.name] = result.error_list
            else:
                setattr(instance, model_field.attname, result)
            done.append(model_field.name)
        try:
            instance.full_clean(
                exclude=[*relations, *done], validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def each(self, section: str, handle, *, check: bool = True) -> None:
        """Check each record's types and identity, then call `handle(record)`; a failure names
        the record and the field and aborts the load."""
        records = self.data.get(section, [])
        if not isinstance(records, list):
            raise CatalogError(f"{section}: expected a list of records, not {kind(records)}.")
        first_seen: dict[tuple, int] = {}
        for index, record in enumerate(records):
            try:
                if not isinstance(record, dict):
                    raise ValidationError(f"A record must be a JSON object, not {kind(record)}.")
                if check:
                    _check_types(record, RECORD_TYPES.get(section, {}))
                    identity = _identity(section, record)
                    if identity is not None:
                        if identity in first_seen:
                            first = first_seen[identity]
                            raise CatalogError(
                                f"{_label(section, index, record)} repeats "
                                f"{_label(section, first, records[first])}: both describe the "
                                "same entry, so one would silently overwrite the other."
                            )
                        first_seen[identity] = index
                handle(record)
            except ValidationError as error:
                label = _label(section, index, record)
                raise CatalogError(f"{label}: {_describe(error)}") from error
            except (LookupError, TypeError, ValueError, AttributeError) as error:
                raise CatalogError(f"{_label(section, index, record)}: {error}") from error
            except DatabaseError as error:
                # The transaction is rolled back as this leaves load_catalog's atomic block.
                label = _label(section, index, record)
                raise CatalogError(f"{label}: the database refused it ({error}).") from error

    def flush(self, model: type[models.Model], section: str) -> None:
        """Write the pending new rows of `model` and their "created" history records."""
        rows = self.pending.pop(model, [])
        if not rows:
            return
        try:
            _write_new_rows(model, rows, self.reason)
        except DatabaseError as error:
            # Every rule of these tables was checked above; this is a last line of defence.
            raise CatalogError(
                f"{section}: the database refused the new records ({error})."
            ) from error
        # Bulk writes send no signals (one_bump makes this the load's single bump).
        bump_catalog_version()

    def lookup(self, table: dict[str, Any], slug: Any, name: str) -> Any:
        if not isinstance(slug, str):
            raise ValidationError({name: f"Expected a slug, not {kind(slug)}."})
        if slug not in table:
            raise ValidationError({name: f"No {name} with slug {slug!r} in the catalog."})
        return table[slug]

    def run(self) -> LoadSummary:
        version = self.data.get("schema_version")
        if version != SCHEMA_VERSION:
            raise CatalogError(f"schema_version is {version!r}; this site reads version 1.")
        for section in SECTIONS:
            if section not in self.data:
                raise CatalogError(f"The file has no {section!r} section.")
        # One query per table. The large tables (offerings, price history, scores) are read as
        # values, not instances; see _Row.
        self.existing = {
            "organizations": {o.slug: o for o in Organization.objects.all()},
            "providers": {p.slug: p for p in Provider.objects.all()},
            "benchmarks": {b.slug: b for b in Benchmark.objects.all()},
            "models": {m.slug: m for m in LanguageModel.objects.all()},
            "offerings": {
                (o.values["language_model_id"], o.values["provider_id"]): o
                for o in _rows(Offering.objects.all())
            },
            "price history": {
                (h.values["offering_id"], h.values["valid_until"]): h
                for h in _rows(PriceHistory.objects.all())
            },
            "attribution": {s.name: s for s in DataSource.objects.all()},
            "litellm_providers": {m.name: m for m in LiteLLMProviderMapping.objects.all()},
            "litellm_models": {m.key: m for m in LiteLLMModelMapping.objects.all()},
        }
        model_slugs = {m.pk: slug for slug, m in self.existing["models"].items()}
        benchmark_slugs = {b.pk: slug for slug, b in self.existing["benchmarks"].items()}
        self.existing["scores"] = {
            _score_key(s, model_slugs, benchmark_slugs): s for s in _rows(Score.objects.all())
        }
        self.successors: list[tuple[LanguageModel, Any]] = []
        # A score whose conditions were added in the file since the last load is found by its
        # model, benchmark and source, unless another record of the file names it exactly.
        self.scores_by_source: dict[tuple, list[tuple[tuple, _Row]]] = {}
        for key, score in self.existing["scores"].items():
            self.scores_by_source.setdefault(key[:3], []).append((key, score))
        self.score_keys_in_file: set[tuple] = set()
        records = self.data.get("scores")
        for record in records if isinstance(records, list) else []:
            # A malformed record is refused, naming it, when the scores section is read.
            with contextlib.suppress(TypeError):
                if isinstance(record, dict):
                    self.score_keys_in_file.add(_record_score_key(record))
        self.claimed_scores: set[int] = set()
        self.each("organizations", self.organization)
        self.each("providers", self.provider)
        self.each("benchmarks", self.benchmark)
        self.each("models", self.model)
        self.flush(LanguageModel, "models")
        # Successors may point forward in the file, so they are set once every model exists.
        self.each("models", self.successor, check=False)
        self.price_histories: list[tuple[str, Offering | _Row, list]] = []
        self.each("offerings", self.offering)
        self.flush(Offering, "offerings")
        # Past rate cards need their offering's id, which new offerings have only now.
        for name, offering, pasts in self.price_histories:
            self.price_history(name, offering, pasts)
        self.each("scores", self.score)
        self.flush(Score, "scores")
        self.each("attribution", self.attribution)
        self.each("litellm_providers", self.litellm_provider)
        self.each("litellm_models", self.litellm_model)
        return self.summary

    def organization(self, record: dict) -> None:
        slug = _required(record, "slug")
        self.organizations[slug] = self.save(
            "organizations",
            self.existing["organizations"].get(slug) or Organization(slug=slug),
            {"name": _required(record, "name"), "website": record.get("website") or ""},
        )

    def provider(self, record: dict) -> None:
        slug = _required(record, "slug")
        self.providers[slug] = self.save(
            "providers",
            self.existing["providers"].get(slug) or Provider(slug=slug),
            {
                "name": _required(record, "name"),
                "website": record.get("website") or "",
                "kind": _required(record, "kind"),
                "first_party_for": self.lookup(
                    self.organizations, record["first_party_for"], "organization"
                )
                if record.get("first_party_for") is not None
                else None,
            },
        )

    def benchmark(self, record: dict) -> None:
        slug = _required(record, "slug")
        values = {
            "name": _required(record, "name"),
            "description": record.get("description") or "",
            "unit": _required(record, "unit"),
            "higher_is_better": _required(record, "higher_is_better"),
            "url": record.get("url") or "",
        }
        if "min_score" in record:
            values["min_score"] = _decimal(record["min_score"], "min_score")
        if "max_score" in record:
            values["max_score"] = _decimal(record["max_score"], "max_score")
        values["task"] = record.get("task") or ""
        threshold = record.get("noise_threshold")
        values["noise_threshold"] = (
            _decimal(threshold, "noise_threshold") if threshold is not None else Decimal("2")
        )
        values["saturated"] = record.get("saturated", False)
        matter = record.get("conditions_that_matter")
        values["conditions_that_matter"] = list(matter) if isinstance(matter, list) else matter
        self.benchmarks[slug] = self.save(
            "benchmarks", self.existing["benchmarks"].get(slug) or Benchmark(slug=slug), values
        )

    def model(self, record: dict) -> None:
        slug = _required(record, "slug")
        capabilities = _required(record, "capabilities")
        if not isinstance(capabilities, dict):
            raise ValidationError({"capabilities": "Expected an object of true/false/null flags."})
        lifecycle = record.get("lifecycle") or {}
        values = {
            "name": _required(record, "name"),
            "short_name": record.get("short_name") or "",
            "organization": self.lookup(
                self.organizations, _required(record, "organization"), "organization"
            ),
            "family": record.get("family") or "",
            "released_on": _date(record.get("released"), "released"),
            "knowledge_cutoff": _date(record.get("knowledge_cutoff"), "knowledge_cutoff", "%Y-%m"),
            "context_window": record.get("context_window"),
            "max_output_tokens": record.get("max_output_tokens"),
            "parameter_count": record.get("parameters"),
            "architecture": record.get("architecture") or "",
            "license": record.get("license") or "",
            "open_weights": _required(record, "open_weights"),
            "input_modalities": list(record.get("input_modalities") or []),
            "output_modalities": list(record.get("output_modalities") or []),
            "sources": list(record.get("sources") or []),
            "published": record.get("published", True),
            "deprecated_on": _date(lifecycle.get("deprecated_on"), "deprecated_on"),
            "retired_on": _date(lifecycle.get("retired_on"), "retired_on"),
            "lifecycle_source": lifecycle.get("source") or "",
            "last_reviewed_on": _date(record.get("last_reviewed_on"), "last_reviewed_on"),
        }
        for name, _label in CAPABILITIES:
            values[name] = capabilities.get(name)
        model = self.existing["models"].get(slug) or LanguageModel(slug=slug)
        self.models[slug] = self.save("models", model, values)

    def successor(self, record: dict) -> None:
        model = self.models[record["slug"]]
        successor_slug = (record.get("lifecycle") or {}).get("successor")
        successor = None
        if successor_slug is not None:
            successor = self.lookup(self.models, successor_slug, "successor")
        if model.successor_id != (successor.pk if successor else None):
            model.successor = successor
            model.full_clean()
            model._change_reason = self.reason
            model.save(update_fields=["successor"])
            self.summary.updated["models"] += 1

    def offering(self, record: dict) -> None:
        model = self.lookup(self.models, _required(record, "model"), "model")
        provider = self.lookup(self.providers, _required(record, "provider"), "provider")
        offering = self.existing["offerings"].get((model.pk, provider.pk)) or Offering(
            language_model=model, provider=provider
        )
        values = {
            "input_usd_per_mtok": _decimal(_required(record, "input_per_mtok"), "input_per_mtok"),
            "output_usd_per_mtok": _decimal(
                _required(record, "output_per_mtok"), "output_per_mtok"
            ),
            "cached_input_usd_per_mtok": _decimal(
                record.get("cached_input_per_mtok"), "cached_input_per_mtok"
            ),
            "context_window": record.get("context_window"),
            "max_output_tokens": record.get("max_output_tokens"),
            "free_tier": record.get("free_tier", False),
            "is_current": record.get("current", True),
            "note": record.get("note") or "",
            "source_url": record.get("source_url") or "",
            "ended_on": _date(record.get("ended_on"), "ended_on"),
            "checked_on": _date(record.get("checked_on"), "checked_on"),
            "source_shows_price": record.get("source_shows_price", True),
        }
        if "price_since" in record:
            values["price_since"] = _date(record["price_since"], "price_since")
        offering = self.save("offerings", offering, values)
        pasts = record.get("price_history") or []
        if pasts:
            name = f"{model.slug}/{provider.slug}"
            self.price_histories.append((name, offering, pasts))

    def price_history(self, name: str, offering: Offering | _Row, pasts: list) -> None:
        """An offering's past rate cards: saved once the offering has its id."""
        seen_until: set[datetime.date] = set()
        try:
            for past in pasts:
                until = _date(_required(past, "valid_until"), "valid_until")
                if until in seen_until:
                    raise ValidationError(
                        {"price_history": f"Two entries end on {until.isoformat()}; keep one."}
                    )
                seen_until.add(until)
                self.save(
                    "price history",
                    self.existing["price history"].get((offering.pk, until))
                    or PriceHistory(offering_id=offering.pk, valid_until=until),
                    {
                        "valid_from": _date(past.get("valid_from"), "valid_from"),
                        "input_usd_per_mtok": _decimal(
                            _required(past, "input_per_mtok"), "input_per_mtok"
                        ),
                        "output_usd_per_mtok": _decimal(
                            _required(past, "output_per_mtok"), "output_per_mtok"
                        ),
                        "cached_input_usd_per_mtok": _decimal(
                            past.get("cached_input_per_mtok"), "cached_input_per_mtok"
                        ),
                    },
                )
        except (ValidationError, LookupError, TypeError, ValueError, AttributeError) as error:
            problem = _describe(error) if isinstance(error, ValidationError) else str(error)
            raise CatalogError(f"offerings ({name}) price_history: {problem}") from error

    def score(self, record: dict) -> None:
        model = self.lookup(self.models, _required(record, "model"), "model")
        benchmark = self.lookup(self.benchmarks, _required(record, "benchmark"), "benchmark")
        values = {
            "value": _decimal(_required(record, "score"), "score"),
            "note": record.get("note") or "",
            "provenance": _required(record, "provenance"),
            "source_url": record.get("source_url") or "",
            "measured_on": _date(record.get("measured_on"), "measured_on"),
            "shots": record.get("shots"),
            "table": record.get("table") or "",
            **{name: record.get(name) or "" for name in SCORE_TEXT_CONDITIONS},
        }
        key = _record_score_key(record)
        score = self.existing["scores"].get(key)
        if score is None:
            score = next(
                (
                    s
                    for s_key, s in self.scores_by_source.get(key[:3], [])
                    if s.pk not in self.claimed_scores and s_key not in self.score_keys_in_file
                ),
                None,
            )
        if score is None:
            score = Score(language_model=model, benchmark=benchmark)
        else:
            self.claimed_scores.add(score.pk)
        self.save("scores", score, values)

    def litellm_provider(self, record: dict) -> None:
        name = _required(record, "name")
        values = {}
        for key in ("provider", "batch_provider"):
            slug = record.get(key)
            values[key] = self.lookup(self.providers, slug, key) if slug is not None else None
        self.save(
            "litellm_providers",
            self.existing["litellm_providers"].get(name) or LiteLLMProviderMapping(name=name),
            values,
        )

    def litellm_model(self, record: dict) -> None:
        key = _required(record, "key")
        slug = _required(record, "model")
        self.save(
            "litellm_models",
            self.existing["litellm_models"].get(key) or LiteLLMModelMapping(key=key),
            {"language_model": self.lookup(self.models, slug, "model") if slug else None},
        )

    def attribution(self, record: dict) -> None:
        name = _required(record, "name")
        self.save(
            "attribution",
            self.existing["attribution"].get(name) or DataSource(name=name),
            {
                "url": _required(record, "url"),
                "license": _required(record, "license"),
                "used_for": record.get("used_for") or "",
                "credit": record.get("credit") or "",
                # The file's order is the credits page's order.
                "position": self.summary.seen("attribution"),
            },
        )


# The conditions that, with model, benchmark and source, tell one score from another
# (the fields of the score_one_per_source_and_conditions constraint).
SCORE_TEXT_CONDITIONS = ("variant", "reasoning", "reasoning_effort", "attempts", "harness")


def _score_key(score: _Row, model_slugs: dict[int, str], benchmark_slugs: dict[int, str]) -> tuple:
    """What tells an existing score from another: its model's and benchmark's slugs, its
    source and its conditions (slugs come from the maps of ids, not a query per row)."""
    values = score.values
    return (
        model_slugs[values["language_model_id"]],
        benchmark_slugs[values["benchmark_id"]],
        values["source_url"],
        *(values[name] for name in SCORE_TEXT_CONDITIONS),
    )


def _record_score_key(record: dict) -> tuple:
    """The key of `_score_key` for a file record (slugs, "" for what is not stated)."""
    return (
        record.get("model"),
        record.get("benchmark"),
        record.get("source_url") or "",
        *(record.get(name) or "" for name in SCORE_TEXT_CONDITIONS),
    )


def _label(section: str, index: int, record: Any) -> str:
    """How an error names a record: its position and its slug, name or model/provider."""
    label = f"{section}[{index}]"
    if isinstance(record, dict):
        key = (
            record.get("slug")
            or record.get("name")
            or "/".join(
                str(record.get(k)) for k in ("model", "provider", "benchmark") if k in record
            )
        )
        label = f"{label} ({str(key)[:100]})" if key else label
    return label


def _describe(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"field {name!r}: {' '.join(messages)}" for name, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


def load_catalog(data: dict, source: str = "a catalog file") -> LoadSummary:
    """Load a parsed catalog in one transaction.

    Raises CatalogError, having written nothing, when any record is bad.
    """
    if not isinstance(data, dict):
        raise CatalogError("The catalog must be a JSON object.")
    # One catalog version bump for the whole file, in its transaction.
    with transaction.atomic(), one_bump():
        return _Loader(data, source).run()


def read_catalog_file(path: Path) -> dict:
    try:
        with open(path, "rb") as handle:
            # One byte past the limit is enough to know the file is too large.
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise CatalogError(f"Cannot read {path}: {error.strerror}.") from error
    return parse_catalog(raw, str(path))


# --- export ---------------------------------------------------------------------------------


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _iso(value: datetime.date | None, fmt: str = "%Y-%m-%d") -> str | None:
    return value.strftime(fmt) if value else None


def export_catalog(compiled_on: datetime.date) -> dict:
    """The whole catalog in the format `load_catalog` reads; optional keys only when set."""
    models_out = []
    for model in LanguageModel.objects.select_related("organization", "successor").order_by("slug"):
        record: dict[str, Any] = {
            "slug": model.slug,
            "name": model.name,
            "short_name": model.short_name or None,
            "organization": model.organization.slug,
            "family": model.family,
            "released": _iso(model.released_on),
            "knowledge_cutoff": _iso(model.knowledge_cutoff, "%Y-%m"),
            "context_window": model.context_window,
            "max_output_tokens": model.max_output_tokens,
            "parameters": model.parameter_count,
            "architecture": model.architecture or None,
            "license": model.license or None,
            "open_weights": model.open_weights,
            "input_modalities": model.input_modalities,
            "output_modalities": model.output_modalities,
            "capabilities": {name: getattr(model, name) for name, _ in CAPABILITIES},
            "sources": model.sources,
        }
        if not model.published:
            record["published"] = False
        record["lifecycle"] = {
            "deprecated_on": _iso(model.deprecated_on),
            "retired_on": _iso(model.retired_on),
            "successor": model.successor.slug if model.successor else None,
            "source": model.lifecycle_source or None,
        }
        if model.last_reviewed_on:
            record["last_reviewed_on"] = _iso(model.last_reviewed_on)
        models_out.append(record)

    offerings_out = []
    offerings = Offering.objects.select_related("language_model", "provider").prefetch_related(
        "price_history"
    )
    for offering in offerings.order_by("language_model__slug", "provider__slug"):
        record = {
            "model": offering.language_model.slug,
            "provider": offering.provider.slug,
            "input_per_mtok": _number(offering.input_usd_per_mtok),
            "output_per_mtok": _number(offering.output_usd_per_mtok),
            "cached_input_per_mtok": _number(offering.cached_input_usd_per_mtok),
            "context_window": offering.context_window,
            "source_url": offering.source_url,
            "source_shows_price": offering.source_shows_price,
            "ended_on": _iso(offering.ended_on),
            "checked_on": _iso(offering.checked_on),
        }
        if offering.max_output_tokens:
            record["max_output_tokens"] = offering.max_output_tokens
        if offering.free_tier:
            record["free_tier"] = True
        if not offering.is_current:
            record["current"] = False
        if offering.note:
            record["note"] = offering.note
        if offering.price_since:
            record["price_since"] = _iso(offering.price_since)
        past = [
            {
                "input_per_mtok": _number(h.input_usd_per_mtok),
                "output_per_mtok": _number(h.output_usd_per_mtok),
                "cached_input_per_mtok": _number(h.cached_input_usd_per_mtok),
                "valid_from": _iso(h.valid_from),
                "valid_until": _iso(h.valid_until),
            }
            for h in offering.price_history.all()
        ]
        if past:
            record["price_history"] = past
        offerings_out.append(record)

    scores_out = []
    for score in Score.objects.select_related("language_model", "benchmark").order_by(
        "language_model__slug", "benchmark__slug", "source_url", "pk"
    ):
        record = {
            "model": score.language_model.slug,
            "benchmark": score.benchmark.slug,
            "score": _number(score.value),
            "source_url": score.source_url or None,
            "note": score.note,
            "provenance": score.provenance,
            "variant": score.variant or None,
            "shots": score.shots,
            "reasoning": score.reasoning or None,
            "reasoning_effort": score.reasoning_effort or None,
            "attempts": score.attempts or None,
            "harness": score.harness or None,
            "table": score.table or None,
            "measured_on": _iso(score.measured_on),
        }
        scores_out.append(record)

    benchmarks_out = []
    for benchmark in Benchmark.objects.order_by("slug"):
        record = {
            "slug": benchmark.slug,
            "name": benchmark.name,
            "description": benchmark.description,
            "unit": benchmark.unit,
            "higher_is_better": benchmark.higher_is_better,
            "url": benchmark.url,
            "task": benchmark.task or None,
            "noise_threshold": _number(benchmark.noise_threshold),
            "saturated": benchmark.saturated,
            "conditions_that_matter": benchmark.conditions_that_matter,
        }
        if benchmark.min_score != 0:
            record["min_score"] = _number(benchmark.min_score)
        if benchmark.max_score != 100:
            record["max_score"] = _number(benchmark.max_score)
        benchmarks_out.append(record)

    attribution = []
    for source in DataSource.objects.all():
        record = {
            "name": source.name,
            "url": source.url,
            "license": source.license,
            "used_for": source.used_for,
        }
        if source.credit:
            record["credit"] = source.credit
        attribution.append(record)

    return {
        "schema_version": SCHEMA_VERSION,
        "compiled_on": compiled_on.isoformat(),
        "organizations": [
            {"slug": o.slug, "name": o.name, "website": o.website}
            for o in Organization.objects.order_by("slug")
        ],
        "providers": [
            {
                "slug": p.slug,
                "name": p.name,
                "website": p.website,
                "kind": p.kind,
                "first_party_for": p.first_party_for.slug if p.first_party_for else None,
            }
            for p in Provider.objects.select_related("first_party_for").order_by("slug")
        ],
        "benchmarks": benchmarks_out,
        "models": models_out,
        "offerings": offerings_out,
        "scores": scores_out,
        "attribution": attribution,
        "litellm_providers": [
            {
                "name": m.name,
                "provider": m.provider.slug if m.provider else None,
                "batch_provider": m.batch_provider.slug if m.batch_provider else None,
            }
            for m in LiteLLMProviderMapping.objects.select_related("provider", "batch_provider")
        ],
        "litellm_models": [
            {"key": m.key, "model": m.language_model.slug if m.language_model else None}
            for m in LiteLLMModelMapping.objects.select_related("language_model")
        ],
        "notes": FORMAT_NOTES,
    }
