"""No lost edits (two editors, one entry), edit history with revert, recovery of deleted models."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from models_catalog.models import LanguageModel, Offering, PriceHistory, Score
from models_catalog.services import mark_model_reviewed
from tests.factories import LanguageModelFactory, OfferingFactory, ScoreFactory, staff_user

pytestmark = pytest.mark.django_db


def editor(name: str) -> Client:
    client = Client()
    client.force_login(staff_user(name, "Editors"))
    return client


def change_url(model) -> str:
    return reverse("admin:models_catalog_languagemodel_change", args=[model.pk])


def open_form(client: Client, url: str) -> dict:
    """What the browser would send back for the change page, as it was when opened."""
    response = client.get(url)
    data = {}
    forms = [response.context["adminform"].form]
    # The revert page of the history has the main form only.
    for formset in response.context.get("inline_admin_formsets", []):
        management = formset.formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        forms.extend(formset.formset.forms)
    for form in forms:
        for name, field in form.fields.items():
            value = form[name].value()
            if isinstance(value, list):
                value = field.prepare_value(value) if hasattr(field, "prepare_value") else value
            if value is None or value is False:
                continue
            data[form.add_prefix(name)] = value
    return data


@pytest.fixture
def model():
    model = LanguageModelFactory(name="Shared", context_window=8_000)
    OfferingFactory(language_model=model, input_usd_per_mtok=Decimal("1"))
    ScoreFactory(language_model=model, value=Decimal("50"))
    return model


def test_second_save_is_refused_and_first_survives(model):
    alice, bob = editor("alice"), editor("bob")
    url = change_url(model)
    alice_form, bob_form = open_form(alice, url), open_form(bob, url)

    alice_form["context_window"] = "16000"
    assert alice.post(url, alice_form).status_code == 302

    bob_form["name"] = "Bob's name"
    response = bob.post(url, bob_form)
    assert response.status_code == 200
    assert "Someone else saved this entry after you opened it" in response.content.decode()
    model.refresh_from_db()
    assert model.context_window == 16_000 and model.name == "Shared"


def test_conflict_on_an_inline_offering(model):
    alice, bob = editor("alice"), editor("bob")
    url = change_url(model)
    alice_form, bob_form = open_form(alice, url), open_form(bob, url)
    alice_form["offerings-0-input_usd_per_mtok"] = "0.50"
    assert alice.post(url, alice_form).status_code == 302
    bob_form["offerings-0-input_usd_per_mtok"] = "0.75"
    response = bob.post(url, bob_form)
    assert response.status_code == 200
    assert "Someone else saved this entry" in response.content.decode()
    assert Offering.objects.get(language_model=model).input_usd_per_mtok == Decimal("0.5")


def test_conflict_on_an_inline_score(model):
    alice, bob = editor("alice"), editor("bob")
    url = change_url(model)
    alice_form, bob_form = open_form(alice, url), open_form(bob, url)
    alice_form["scores-0-value"] = "55"
    assert alice.post(url, alice_form).status_code == 302
    bob_form["scores-0-value"] = "60"
    assert bob.post(url, bob_form).status_code == 200
    assert Score.objects.get(language_model=model).value == Decimal("55")


def test_saves_in_turn_both_succeed(model):
    alice, bob = editor("alice"), editor("bob")
    url = change_url(model)
    form = open_form(alice, url)
    form["context_window"] = "16000"
    assert alice.post(url, form).status_code == 302
    form = open_form(bob, url)
    form["name"] = "Renamed"
    assert bob.post(url, form).status_code == 302
    model.refresh_from_db()
    assert (model.name, model.context_window) == ("Renamed", 16_000)


def test_marking_reviewed_does_not_block_an_editor(model):
    alice = editor("alice")
    url = change_url(model)
    form = open_form(alice, url)
    mark_model_reviewed(model=model, user=None, on=datetime.date(2026, 1, 1))
    form["context_window"] = "16000"
    assert alice.post(url, form).status_code == 302


def test_history_records_who_and_which_fields(model):
    alice = editor("alice")
    url = change_url(model)
    form = open_form(alice, url)
    form["context_window"] = "16000"
    alice.post(url, form)
    latest = model.history.latest("history_date")
    assert latest.history_user.username == "alice"
    page = alice.get(reverse("admin:models_catalog_languagemodel_history", args=[model.pk]))
    html = page.content.decode()
    assert "alice" in html
    assert "Context window" in html or "context_window" in html
    assert "8000" in html and "16000" in html


def test_revert_to_an_earlier_version(model):
    alice = editor("alice")
    url = change_url(model)
    first = model.history.latest("history_date")
    form = open_form(alice, url)
    form["name"] = "Wrong name"
    alice.post(url, form)
    revert_url = reverse(
        "admin:models_catalog_languagemodel_simple_history", args=[model.pk, first.history_id]
    )
    data = open_form(alice, revert_url)
    assert data["name"] == "Shared"
    response = alice.post(revert_url, data)
    assert response.status_code == 302
    model.refresh_from_db()
    assert model.name == "Shared"


def test_deleted_model_recovered_with_offerings_and_scores(model):
    offering = model.offerings.get()
    offering.price_since = datetime.date(2025, 1, 1)
    offering.save()
    offering.input_usd_per_mtok = Decimal("2")
    offering.price_since = datetime.date(2025, 6, 1)
    offering.save()
    reviewer = Client()
    reviewer.force_login(staff_user("rev", "Reviewers"))
    delete_url = reverse("admin:models_catalog_languagemodel_delete", args=[model.pk])
    assert reviewer.post(delete_url, {"post": "yes"}).status_code == 302
    assert not LanguageModel.objects.filter(pk=model.pk).exists()

    deleted_url = reverse("admin:models_catalog_languagemodel_deleted")
    listing = reviewer.get(deleted_url)
    assert "Shared" in listing.content.decode()
    record = listing.context["deleted"][0]
    response = reviewer.post(deleted_url, {"history_id": record.history_id})
    assert response.status_code == 302
    restored = LanguageModel.objects.get(pk=model.pk)
    assert restored.name == "Shared"
    assert restored.offerings.get().input_usd_per_mtok == Decimal("2")
    assert PriceHistory.objects.filter(offering__language_model=restored).count() == 1
    assert restored.scores.get().value == Decimal("50")
    assert "Nothing" not in reviewer.get(deleted_url).content.decode()
    assert not reviewer.get(deleted_url).context["deleted"]


def test_editors_cannot_recover():
    client = editor("alice")
    assert client.get(reverse("admin:models_catalog_languagemodel_deleted")).status_code == 403


def test_load_catalog_writes_history_attributed_to_the_import(bundled_catalog):
    record = LanguageModel.history.filter(slug="o4-mini").latest("history_date")
    assert record.history_user is None
    assert record.history_change_reason == "Imported by load_catalog from catalog.json"
    before = LanguageModel.history.count()
    call_command("load_catalog", stdout=io.StringIO())
    assert LanguageModel.history.count() == before  # an unchanged reload writes no history
