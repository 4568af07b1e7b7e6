"""Admin smoke tests: every registered model's pages answer, in a bounded number of queries."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from models_catalog.models import (
    ErrorReport,
    ImportRun,
    LiteLLMModelMapping,
    LiteLLMProviderMapping,
    Offering,
    PriceHistory,
    ProposedChange,
    Review,
)
from models_catalog.services import mark_model_reviewed
from tests.factories import (
    BenchmarkFactory,
    DataSourceFactory,
    LanguageModelFactory,
    OfferingFactory,
    ProviderFactory,
    ScoreFactory,
)

pytestmark = pytest.mark.django_db

CATALOG_MODELS = [m for m in admin.site._registry if m._meta.app_label == "models_catalog"]


def grow_catalog(size: int) -> None:
    """`size` models, each with offerings, scores and a past price."""
    providers = [ProviderFactory() for _ in range(3)]
    benchmarks = [BenchmarkFactory() for _ in range(2)]
    for provider in providers:
        LiteLLMProviderMapping.objects.create(name=provider.slug, provider=provider)
    run = ImportRun.objects.create(
        source="prices.json",
        source_url="https://example.com/prices.json",
        as_of=datetime.date(2026, 1, 1),
        file_sha256="0" * 64,
        entry_count=size,
    )
    for _ in range(size):
        model = LanguageModelFactory()
        for provider in providers:
            offering = OfferingFactory(
                language_model=model, provider=provider, price_since=datetime.date(2025, 1, 1)
            )
            offering.input_usd_per_mtok = Decimal("0.5")
            offering.price_since = datetime.date(2025, 6, 1)
            offering.save()
        for benchmark in benchmarks:
            ScoreFactory(language_model=model, benchmark=benchmark)
        DataSourceFactory()
        mark_model_reviewed(model=model, user=None, on=datetime.date(2026, 1, 1), note="checked")
        LiteLLMModelMapping.objects.create(key=model.slug, language_model=model)
        ProposedChange.objects.create(
            run=run,
            kind=ProposedChange.Kind.PRICE,
            language_model=model,
            provider=providers[0],
            field="rate card",
            old_value={"input": "0.5", "output": "2", "cached_input": None},
            new_value={"input": "0.4", "output": "2", "cached_input": None},
            litellm_keys=[model.slug],
            source_url="https://example.com/pricing",
        )
        ErrorReport.objects.create(language_model=model, message="The price is wrong.")


def url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("model", CATALOG_MODELS, ids=lambda m: m.__name__)
def test_changelist_search_add_change(admin_client, model):
    grow_catalog(2)
    assert admin_client.get(url(model, "changelist")).status_code == 200
    assert admin_client.get(url(model, "changelist"), {"q": "1"}).status_code == 200
    add = admin_client.get(url(model, "add"))
    # History, reviews, reports and import runs are written by the site, never typed in.
    written = (PriceHistory, Review, ErrorReport, ImportRun, ProposedChange)
    assert add.status_code == (403 if model in written else 200)
    obj = model.objects.first()
    assert admin_client.get(url(model, "change", obj.pk)).status_code == 200


@pytest.mark.parametrize("model", CATALOG_MODELS, ids=lambda m: m.__name__)
def test_changelist_queries_do_not_grow_with_rows(admin_client, model):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(url(model, "changelist")).status_code == 200
        return len(queries)

    grow_catalog(2)
    small = count()
    grow_catalog(8)
    assert count() == small


def test_model_filters_answer(admin_client):
    grow_catalog(2)
    changelist = url(LanguageModelFactory._meta.model, "changelist")
    for query in (
        {"review": "never"},
        {"review": "stale"},
        {"vision__isnull": "True"},
        {"open_weights__exact": "1"},
    ):
        assert admin_client.get(changelist, query).status_code == 200


def test_editor_changes_price_and_sees_the_old_one_kept(admin_client):
    offering = OfferingFactory(price_since=datetime.date(2025, 1, 1))
    change = url(Offering, "change", offering.pk)
    page = admin_client.get(change)
    form = page.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(
        {
            "input_usd_per_mtok": "0.75",
            "price_history-TOTAL_FORMS": "0",
            "price_history-INITIAL_FORMS": "0",
        }
    )
    response = admin_client.post(change, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    offering.refresh_from_db()
    assert offering.input_usd_per_mtok == Decimal("0.75")
    (old,) = offering.price_history.all()
    assert old.input_usd_per_mtok == Decimal("1")
    page = admin_client.get(change).content.decode()
    assert "price history (earlier rate cards" in page.lower()
    assert str(old.valid_until.year) in page


def test_negative_price_is_refused_with_a_form_error(admin_client):
    offering = OfferingFactory()
    change = url(Offering, "change", offering.pk)
    form = admin_client.get(change).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(
        {
            "output_usd_per_mtok": "-2",
            "price_history-TOTAL_FORMS": "0",
            "price_history-INITIAL_FORMS": "0",
        }
    )
    response = admin_client.post(change, data)
    assert response.status_code == 200
    assert "output_usd_per_mtok" in response.context["adminform"].form.errors
    offering.refresh_from_db()
    assert offering.output_usd_per_mtok == Decimal("2")


def test_out_of_range_score_is_refused_with_a_form_error(admin_client):
    score = ScoreFactory()
    change = url(type(score), "change", score.pk)
    form = admin_client.get(change).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data["value"] = "101"
    response = admin_client.post(change, data)
    assert response.status_code == 200
    assert "outside that range" in str(response.context["adminform"].form.errors)


# --- labels, decimals, inline history, source confirmation ----------------------------------


def test_price_fields_have_distinct_labels_and_show_decimals_as_entered(admin_client):
    from models_catalog.models import Offering

    labels = {f.name: str(f.verbose_name) for f in Offering._meta.fields}
    assert labels["cached_input_usd_per_mtok"] == "cached input $/1M"
    assert labels["input_usd_per_mtok"] == "input $/1M"
    offering = OfferingFactory(input_usd_per_mtok=Decimal("1.1"), output_usd_per_mtok=Decimal("4"))
    url = reverse("admin:models_catalog_languagemodel_change", args=[offering.language_model.pk])
    html = admin_client.get(url).content.decode()
    assert 'value="1.10"' in html and 'value="4.00"' in html
    assert "1.100000" not in html
    listing = admin_client.get(reverse("admin:models_catalog_offering_changelist"))
    assert "$1.10" in listing.content.decode()


def test_changelist_shows_context_compactly(admin_client):
    LanguageModelFactory(name="Roomy", context_window=200_000)
    html = admin_client.get(reverse("admin:models_catalog_languagemodel_changelist"))
    assert "200K" in html.content.decode()


def test_inline_price_edit_is_in_the_model_history_and_asks_to_confirm_the_source(admin_client):
    from tests.models_catalog.test_editing import open_form

    offering = OfferingFactory(input_usd_per_mtok=Decimal("1.1"))
    model = offering.language_model
    url = reverse("admin:models_catalog_languagemodel_change", args=[model.pk])
    form = open_form(admin_client, url)
    form["offerings-0-input_usd_per_mtok"] = "0.9"
    response = admin_client.post(url, form, follow=True)
    assert response.status_code == 200
    latest = model.history.latest("history_date")
    assert "input $/1M 1.1 → 0.9" in latest.history_change_reason
    page = response.content.decode()
    assert "changed but its source URL did not" in page
    history = admin_client.get(
        reverse("admin:models_catalog_languagemodel_history", args=[model.pk])
    ).content.decode()
    assert "input $/1M 1.1 → 0.9" in history
