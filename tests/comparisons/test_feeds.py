"""Atom feeds of changes: they parse, list a price change once made, and are discoverable."""

from __future__ import annotations

import datetime
from decimal import Decimal
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from models_catalog.models import Review
from tests.factories import LanguageModelFactory, OfferingFactory, ProviderFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def entries(response) -> list[tuple[str, str, str]]:
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return [
        (
            e.findtext(f"{ATOM}title"),
            e.find(f"{ATOM}link").get("href"),
            e.findtext(f"{ATOM}updated"),
        )
        for e in root.findall(f"{ATOM}entry")
    ]


@pytest.fixture
def offering():
    model = LanguageModelFactory(slug="alpha", name="Alpha")
    return OfferingFactory(language_model=model, provider=ProviderFactory(slug="host", name="Host"))


def test_price_change_appears_in_every_relevant_feed(client, offering):
    titles = [t for t, _, _ in entries(client.get("/feeds/changes.atom"))]
    assert "Price change: Alpha on Host" not in titles
    assert "New model: Alpha" in titles
    offering.input_usd_per_mtok = Decimal("0.50")
    offering.save()
    for url in ("/feeds/changes.atom", "/feeds/models/alpha.atom", "/feeds/providers/host.atom"):
        found = [e for e in entries(client.get(url)) if e[0] == "Price change: Alpha on Host"]
        assert len(found) == 1, url
        assert found[0][1].endswith("/models/alpha/#prices")
    ids = [
        e.findtext(f"{ATOM}id")
        for e in ElementTree.fromstring(client.get("/feeds/changes.atom").content).findall(
            f"{ATOM}entry"
        )
    ]
    assert ids and all(i.startswith("http://testserver/models/") for i in ids)
    assert len(set(ids)) == len(ids)


def test_lifecycle_and_reviews_are_dated_entries(client, db):
    model = LanguageModelFactory(
        slug="old",
        name="Old",
        deprecated_on=datetime.date(2024, 1, 10),
        retired_on=datetime.date(2024, 6, 1),
    )
    Review.objects.create(language_model=model, reviewed_on=datetime.date(2024, 2, 2))
    found = {t: updated for t, _, updated in entries(client.get("/feeds/models/old.atom"))}
    assert found["Deprecated: Old"].startswith("2024-01-10")
    assert found["Retired: Old"].startswith("2024-06-01")
    assert found["Reviewed: Old"].startswith("2024-02-02")


def test_unknown_and_unpublished_are_404(client, db):
    LanguageModelFactory(slug="hidden", published=False)
    assert client.get("/feeds/models/hidden.atom").status_code == 404
    assert client.get("/feeds/models/nope.atom").status_code == 404
    assert client.get("/feeds/providers/nope.atom").status_code == 404


def test_feeds_are_autodiscoverable(client, offering):
    feed_link = 'type="application/atom+xml"'
    home = client.get("/").content.decode()
    assert feed_link in home and "/feeds/changes.atom" in home
    assert "/feeds/models/alpha.atom" in client.get("/models/alpha/").content.decode()
    assert "/feeds/providers/host.atom" in client.get("/providers/host/").content.decode()


def test_query_count_does_not_grow(client, offering, django_assert_num_queries):
    offering.input_usd_per_mtok = Decimal("0.50")
    offering.save()
    # 1 models added, 2 price history, 3 the cards that followed, 4 lifecycle, 5 reviews
    with django_assert_num_queries(5):
        client.get("/feeds/changes.atom")
    for _ in range(10):
        other = OfferingFactory()
        other.input_usd_per_mtok = Decimal("3")
        other.save()
    with django_assert_num_queries(5):
        client.get("/feeds/changes.atom")


def test_price_edited_in_the_admin_appears_in_the_feed(admin_client, offering):
    change = reverse("admin:models_catalog_offering_change", args=[offering.pk])
    form = admin_client.get(change).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(
        {
            "input_usd_per_mtok": "0.75",
            "price_history-TOTAL_FORMS": "0",
            "price_history-INITIAL_FORMS": "0",
        }
    )
    assert admin_client.post(change, data).status_code == 302
    root = ElementTree.fromstring(admin_client.get("/feeds/changes.atom").content)
    [entry] = [
        e
        for e in root.findall(f"{ATOM}entry")
        if e.findtext(f"{ATOM}title") == "Price change: Alpha on Host"
    ]
    assert "$0.75 input and $2.00 output per 1M tokens" in entry.findtext(f"{ATOM}summary")
    assert "before, $1.00 input and $2.00 output" in entry.findtext(f"{ATOM}summary")
