"""A provider page filters, sorts and pages its models like the catalog."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from tests.factories import (
    LanguageModelFactory,
    OfferingFactory,
    OrganizationFactory,
    ProviderFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def host():
    host = ProviderFactory(slug="host", name="Host")
    acme, other = OrganizationFactory(slug="acme"), OrganizationFactory(slug="other")
    for name, org, price, released in (
        ("Alpha", acme, "3", datetime.date(2024, 1, 1)),
        ("Beta", other, "1", datetime.date(2025, 1, 1)),
        ("Gamma", acme, "2", datetime.date(2023, 1, 1)),
    ):
        OfferingFactory(
            provider=host,
            language_model=LanguageModelFactory(name=name, organization=org, released_on=released),
            input_usd_per_mtok=Decimal(price),
            output_usd_per_mtok=Decimal(price),
        )
    return host


def names(response) -> list[str]:
    return [item.model.name for item in response.context["listings"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Beta", "Gamma", "Alpha"]),
        ("sort=newest", ["Beta", "Alpha", "Gamma"]),
        ("sort=name", ["Alpha", "Beta", "Gamma"]),
        ("organization=acme", ["Gamma", "Alpha"]),
        ("q=amm", ["Gamma"]),
        ("max_price=2", ["Beta", "Gamma"]),
    ],
)
def test_provider_page_filters_and_sorts(client, host, query, expected):
    assert names(client.get(f"/providers/host/?{query}")) == expected


def test_provider_page_pages_by_fifty_and_says_when_nothing_matches(client, host):
    for index in range(50):
        OfferingFactory(provider=host, language_model=LanguageModelFactory(name=f"M{index:02d}"))
    first = client.get("/providers/host/?sort=name")
    assert len(first.context["listings"]) == 50
    assert 'href="?sort=name&amp;page=2"' in first.content.decode()
    empty = client.get("/providers/host/?q=zzz").content.decode()
    assert "No model at Host matches these filters" in empty
    assert client.get("/providers/host/?max_price=-1&sort=bogus").status_code == 200
