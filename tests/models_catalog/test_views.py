"""Site-wide pages: health check, credits, home."""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import DatabaseError, connection
from django.urls import reverse

from tests.factories import (
    DataSourceFactory,
    LanguageModelFactory,
    OfferingFactory,
    ProviderFactory,
)


@pytest.mark.django_db
def test_healthz_when_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_healthz_when_database_does_not_answer(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


@pytest.mark.django_db
def test_credits_lists_sources_and_credit_lines(client):
    DataSourceFactory(name="LLM-Stats", license="CC BY 4.0", credit="Data from LLM-Stats.")
    response = client.get(reverse("credits"))
    assert response.status_code == 200
    assert b"LLM-Stats" in response.content
    assert b"CC BY 4.0" in response.content
    assert b"Data from LLM-Stats." in response.content


@pytest.mark.django_db
def test_every_page_footer_links_to_credits(client):
    for url in ("/", "/credits/"):
        assert b'href="/credits/"' in client.get(url).content


@pytest.mark.django_db
def test_home_lists_published_models_with_cheapest_realtime_price(client):
    model = LanguageModelFactory(name="Visible Model", context_window=200_000)
    OfferingFactory(
        language_model=model,
        provider=ProviderFactory(name="Dear Host"),
        input_usd_per_mtok=Decimal("3"),
        output_usd_per_mtok=Decimal("15"),
    )
    OfferingFactory(
        language_model=model,
        provider=ProviderFactory(name="Cheap Host"),
        input_usd_per_mtok=Decimal("0.40"),
        output_usd_per_mtok=Decimal("1.60"),
    )
    OfferingFactory(
        language_model=model,
        provider=ProviderFactory(name="Batch Host", kind="batch"),
        input_usd_per_mtok=Decimal("0.10"),
        output_usd_per_mtok=Decimal("0.20"),
    )
    LanguageModelFactory(name="Hidden Model", published=False)
    page = client.get("/").content.decode()
    assert "Visible Model" in page
    assert "Hidden Model" not in page
    assert "200K" in page
    assert "$0.40" in page and "$1.60" in page and "Cheap Host" in page
    assert "Batch Host" not in page


@pytest.mark.django_db
def test_home_marks_a_model_without_prices(client):
    LanguageModelFactory(name="Unpriced")
    page = client.get("/").content.decode()
    assert "Unpriced" in page
    assert 'class="unknown"' in page
    assert "None" not in page


@pytest.mark.django_db
def test_home_query_count_does_not_grow(client, django_assert_num_queries):
    def add_models(count: int) -> None:
        provider = ProviderFactory()
        for _ in range(count):
            OfferingFactory(provider=provider)

    add_models(2)
    # 1 models with organization and successor, 2 offerings with provider,
    # 3 published models for the picker and featured pairs, 4 their prices
    with django_assert_num_queries(4):
        client.get("/")
    add_models(20)
    with django_assert_num_queries(4):
        client.get("/")


SETTING_VARIABLES = ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "ENV_FILE")


def settings_in_subprocess(code: str, **variables: str) -> subprocess.CompletedProcess:
    """Import the settings in a fresh interpreter with no .env file unless one is named."""
    env = {k: v for k, v in os.environ.items() if k not in SETTING_VARIABLES}
    env["ENV_FILE"] = ""
    env.update(variables)
    setup = "import django; from django.conf import settings; django.setup(); "
    return subprocess.run(
        [sys.executable, "-c", setup + code], env=env, capture_output=True, text=True
    )


def test_debug_is_off_when_unset():
    result = settings_in_subprocess("print(settings.DEBUG)", SECRET_KEY="x")
    assert result.stdout.strip() == "False", result.stderr


def test_secret_key_required_when_debug_off():
    result = settings_in_subprocess("")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_env_example_is_safe_to_copy_for_development():
    example = Path(__file__).resolve().parents[2] / ".env.example"
    code = "print(settings.DEBUG, bool(settings.SECRET_KEY), settings.ALLOWED_HOSTS)"
    result = settings_in_subprocess(code, ENV_FILE=str(example))
    assert result.stdout.strip() == "True True ['127.0.0.1', 'localhost']", result.stderr
