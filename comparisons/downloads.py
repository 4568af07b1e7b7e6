"""Bulk downloads at /data/: the published catalog as JSON (the format load_catalog reads) and
as CSV tables, with the licenses and credit lines of the sources.

Every file is derived from one export of the published catalog, so the JSON and the CSVs
always agree; the CSV columns are the JSON keys, nested ones joined with a dot.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import quote_etag
from django.utils.http import http_date

from comparisons import selectors
from llmref.site import absolute_url
from models_catalog.catalog_version import CatalogState, catalog_state, per_catalog_version
from models_catalog.importers.catalog import export_catalog

CSV_TABLES = {
    "models": "Every published model: spec sheet, capabilities, lifecycle, sources.",
    "offerings": "Every offering of a published model: the provider's current rate card in "
    "USD per 1M tokens and its source.",
    "prices": "Every rate card, current and past, with the dates it was in effect.",
    "scores": "Every benchmark score of a published model, with its conditions, provenance "
    "and source.",
    "credits": "The data sources, their licenses and the credit lines they require.",
}


def published_catalog(compiled_on) -> dict:
    """The export, less unpublished models and everything hanging from them."""
    data = export_catalog(compiled_on=compiled_on)
    hidden = {m["slug"] for m in data["models"] if m.get("published") is False}
    data["models"] = [m for m in data["models"] if m["slug"] not in hidden]
    for record in data["models"]:
        lifecycle = record.get("lifecycle")
        if lifecycle and lifecycle.get("successor") in hidden:
            lifecycle["successor"] = None
    data["offerings"] = [o for o in data["offerings"] if o["model"] not in hidden]
    data["scores"] = [s for s in data["scores"] if s["model"] not in hidden]
    return data


def _flatten(record: dict, prefix: str = "") -> dict[str, object]:
    flat: dict[str, object] = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        elif isinstance(value, list):
            flat[name] = " ".join(str(v) for v in value)
        else:
            flat[name] = value
    return flat


def _cell(value: object) -> object:
    # Unknown is an empty cell, never 0; booleans read as true/false, as in the JSON.
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def table_rows(data: dict, table: str) -> list[dict[str, object]]:
    """One table of the CSV downloads as flat rows (columns in first-seen order)."""
    if table == "models":
        return [_flatten(m) for m in data["models"]]
    if table == "offerings":
        return [
            _flatten({k: v for k, v in o.items() if k != "price_history"})
            for o in data["offerings"]
        ]
    if table == "prices":
        rows = []
        for o in data["offerings"]:
            rows.append(
                {
                    "model": o["model"],
                    "provider": o["provider"],
                    "input_per_mtok": o["input_per_mtok"],
                    "output_per_mtok": o["output_per_mtok"],
                    "cached_input_per_mtok": o.get("cached_input_per_mtok"),
                    "valid_from": o.get("price_since"),
                    "valid_until": None,
                    "source_url": o.get("source_url"),
                }
            )
            for past in o.get("price_history", []):
                rows.append(
                    {
                        "model": o["model"],
                        "provider": o["provider"],
                        **past,
                        "source_url": o.get("source_url"),
                    }
                )
        return rows
    if table == "scores":
        return [_flatten(s) for s in data["scores"]]
    if table == "credits":
        return [_flatten(a) for a in data["attribution"]]
    raise KeyError(table)


def to_csv(rows: list[dict[str, object]]) -> str:
    columns: dict[str, None] = {}
    for row in rows:
        columns.update(dict.fromkeys(row))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: _cell(row.get(key)) for key in columns})
    return out.getvalue()


def _once_per_version(name: str, build: Callable[[dict], str]) -> tuple[str, CatalogState]:
    """A download's text, built once per catalog version (per process) from one export
    dated the day the catalog last changed; and that version."""
    state = catalog_state()
    data = per_catalog_version(
        "data:published-catalog", lambda: published_catalog(state.changed_at.date())
    )
    return per_catalog_version(f"data:{name}", lambda: build(data)), state


def _serve(text: str, state: CatalogState, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["ETag"] = quote_etag(f"{state.stamp}-{hashlib.md5(filename.encode()).hexdigest()}")
    response["Last-Modified"] = http_date(state.changed_at.timestamp())
    response["Cache-Control"] = "public, max-age=300"
    return response


def catalog_json(request: HttpRequest) -> HttpResponse:
    text, state = _once_per_version(
        "catalog.json", lambda data: json.dumps(data, indent=1, ensure_ascii=False) + "\n"
    )
    return _serve(text, state, "application/json; charset=utf-8", "llm-reference-catalog.json")


def catalog_csv(request: HttpRequest, table: str) -> HttpResponse:
    if table not in CSV_TABLES:
        raise Http404("No such table.")
    text, state = _once_per_version(f"{table}.csv", lambda data: to_csv(table_rows(data, table)))
    return _serve(text, state, "text/csv; charset=utf-8", f"llm-reference-{table}.csv")


def data_index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "comparisons/data.html",
        {
            "tables": CSV_TABLES,
            "sources": selectors.data_sources(),
            "title": "Download the data — LLM Reference",
            "description": "The whole published catalog as JSON and CSV, with the licenses and "
            "credit lines of its sources.",
            "canonical_url": absolute_url(request.path),
        },
    )
