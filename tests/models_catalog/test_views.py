"""Site-wide pages: health check, credits, home."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import DatabaseError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.urls import reverse

from models_catalog.models import ComparisonViews, Review
from models_catalog.vocabulary import pair_slug
from tests.factories import (
    DataSourceFactory,
    LanguageModelFactory,
    OfferingFactory,
    OrganizationFactory,
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

    # On the class: the check runs in a thread of its own, with its own connection.
    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", broken_cursor)
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


def two_versions(line: str, org=None):
    org = org or OrganizationFactory()
    old = LanguageModelFactory(
        name=f"{line} 1", organization=org, released_on=datetime.date(2024, 1, 1)
    )
    new = LanguageModelFactory(
        name=f"{line} 2", organization=org, released_on=datetime.date(2025, 1, 1)
    )
    return old, new


@pytest.mark.django_db
def test_home_features_successors_within_a_line_not_across_tiers(client):
    org = OrganizationFactory()
    sonnet_old, sonnet_new = two_versions("Claude Sonnet", org)
    LanguageModelFactory(
        name="Claude Opus 9", organization=org, released_on=datetime.date(2025, 6, 1)
    )
    html = client.get("/").content.decode()
    assert reverse("compare", args=[pair_slug(sonnet_old.slug, sonnet_new.slug)]) in html
    assert "Opus 9 vs" not in html and "vs Claude Opus 9" not in html


@pytest.mark.django_db
def test_home_links_the_catalog_instead_of_listing_every_model(client):
    for index in range(5):
        LanguageModelFactory(name=f"Listed {index}")
    LanguageModelFactory(name="Hidden Model", published=False)
    page = client.get("/").content.decode()
    assert "Browse all 5 models in the catalog" in page
    assert "Hidden Model" not in page
    assert "<table" not in page


@pytest.mark.django_db
def test_home_shows_recent_reviews_price_changes_and_most_viewed(client):
    old, new = two_versions("Gizmo")
    Review.objects.create(language_model=new, reviewed_on=datetime.date(2026, 3, 4))
    offering = OfferingFactory(
        language_model=new,
        provider=ProviderFactory(name="Cheap Host"),
        input_usd_per_mtok=Decimal("0.40"),
        output_usd_per_mtok=Decimal("1.60"),
    )
    offering.input_usd_per_mtok = Decimal("0.30")
    offering.price_since = datetime.date(2026, 2, 1)
    offering.save()
    pair = pair_slug(old.slug, new.slug)
    for _ in range(3):
        assert client.get(f"/compare/{pair}/").status_code == 200
    assert ComparisonViews.objects.get(pair=pair).views == 3
    page = client.get("/")
    assert [p.slug for p in page.context["popular"]] == [pair]
    text = page.content.decode()
    assert "Gizmo 2</a>, checked against its sources on" in text
    assert "2026-03-04" in text
    assert "Gizmo 2</a> at Cheap Host" in text and "input $0.40 → $0.30 per 1M" in text
    # Only the prices that moved are named: the unchanged output price is not repeated.
    assert "output $1.60 → $1.60" not in text


@pytest.mark.django_db
def test_home_query_count_does_not_grow(client, django_assert_num_queries):
    def add_models(count: int) -> None:
        provider = ProviderFactory()
        for _ in range(count):
            model = OfferingFactory(provider=provider).language_model
            Review.objects.create(language_model=model, reviewed_on=datetime.date(2026, 1, 1))
            ComparisonViews.objects.create(pair=pair_slug(model.slug, "other"), views=1)

    add_models(2)
    # 1 models, 2 their prices (candidates), 3-4 most viewed and their names,
    # 5 recently reviewed, 6 price history, 7 the catalog version (page cache)
    with django_assert_num_queries(7):
        client.get("/")
    add_models(20)
    with django_assert_num_queries(7):
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
