"""Bulk downloads: the JSON loads back, CSV headers and row counts match the catalog."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import call_command

from models_catalog.models import LanguageModel, Offering, Score
from tests.factories import DataSourceFactory, LanguageModelFactory, OfferingFactory

pytestmark = pytest.mark.django_db


def rows(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_catalog_json_loads_back(client, bundled_catalog, tmp_path):
    response = client.get("/data/catalog.json")
    assert response.status_code == 200
    assert response["ETag"]
    data = json.loads(response.content)
    assert len(data["models"]) == LanguageModel.objects.published().count()
    path = tmp_path / "catalog.json"
    path.write_bytes(response.content)
    out = io.StringIO()
    call_command("load_catalog", str(path), stdout=out)
    assert "0 created" in out.getvalue()


def test_unpublished_models_stay_out(client, db):
    hidden = LanguageModelFactory(slug="hidden", published=False)
    OfferingFactory(language_model=hidden)
    LanguageModelFactory(slug="shown")
    data = json.loads(client.get("/data/catalog.json").content)
    assert [m["slug"] for m in data["models"]] == ["shown"]
    assert data["offerings"] == []
    assert [r["slug"] for r in rows(client.get("/data/models.csv"))] == ["shown"]


def test_csv_headers_and_row_counts_match_the_catalog(client, bundled_catalog):
    published = LanguageModel.objects.published()
    models = rows(client.get("/data/models.csv"))
    assert len(models) == published.count()
    assert {"slug", "name", "organization", "context_window", "capabilities.vision"} <= set(
        models[0]
    )
    offerings = rows(client.get("/data/offerings.csv"))
    assert len(offerings) == Offering.objects.filter(language_model__published=True).count()
    assert {"model", "provider", "input_per_mtok", "output_per_mtok", "source_url"} <= set(
        offerings[0]
    )
    scores = rows(client.get("/data/scores.csv"))
    assert len(scores) == Score.objects.filter(language_model__published=True).count()
    assert {"model", "benchmark", "score", "provenance", "source_url"} <= set(scores[0])
    credits = rows(client.get("/data/credits.csv"))
    assert credits and {"name", "url", "license"} <= set(credits[0])


def test_unknown_is_an_empty_cell_never_zero(client, db):
    LanguageModelFactory(slug="vague", context_window=None, vision=None)
    [row] = rows(client.get("/data/models.csv"))
    assert row["context_window"] == ""
    assert row["capabilities.vision"] == ""


def test_etag_304_and_unknown_table(client, db):
    DataSourceFactory()
    first = client.get("/data/credits.csv")
    assert first["Content-Type"] == "text/csv; charset=utf-8"
    again = client.get("/data/credits.csv", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert client.get("/data/nothing.csv").status_code == 404


def test_data_page_links_every_file(client, db):
    html = client.get("/data/").content.decode()
    for name in ("catalog.json", "models.csv", "offerings.csv", "scores.csv", "credits.csv"):
        assert f"/data/{name}" in html
