"""Multi-row writes fail cleanly: a message for the editor, never a database error."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from models_catalog.models import LanguageModel, Offering, PriceHistory
from models_catalog.services import offering_change_price, recover_deleted_model
from tests.factories import (
    LanguageModelFactory,
    OfferingFactory,
    ProviderFactory,
    ScoreFactory,
    staff_user,
)
from tests.models_catalog.test_editing import open_form

pytestmark = pytest.mark.django_db


def editor(name: str = "alice") -> Client:
    client = Client()
    client.force_login(staff_user(name, "Editors"))
    return client


# --- price changes ----------------------------------------------------------------------------


@pytest.fixture
def offering() -> Offering:
    return OfferingFactory(
        input_usd_per_mtok=Decimal("1"),
        output_usd_per_mtok=Decimal("2"),
        price_since=datetime.date(2025, 3, 1),
    )


def test_price_change_archives_the_old_card(offering):
    offering_change_price(
        offering=offering,
        input_usd_per_mtok=Decimal("0.5"),
        output_usd_per_mtok=Decimal("1.5"),
        cached_input_usd_per_mtok=None,
        since=datetime.date(2025, 9, 1),
    )
    past = PriceHistory.objects.get()
    assert (past.valid_from, past.valid_until) == (
        datetime.date(2025, 3, 1),
        datetime.date(2025, 9, 1),
    )
    assert past.input_usd_per_mtok == Decimal("1")
    offering.refresh_from_db()
    assert offering.price_since == datetime.date(2025, 9, 1)


def test_back_dated_price_change_within_the_current_card_is_kept(offering):
    offering_change_price(
        offering=offering,
        input_usd_per_mtok=Decimal("0.5"),
        output_usd_per_mtok=Decimal("1.5"),
        cached_input_usd_per_mtok=None,
        since=datetime.date(2025, 4, 1),
    )
    assert PriceHistory.objects.get().valid_until == datetime.date(2025, 4, 1)


def test_price_change_dated_before_the_current_card_is_refused(offering):
    with pytest.raises(ValidationError) as refused:
        offering_change_price(
            offering=offering,
            input_usd_per_mtok=Decimal("0.5"),
            output_usd_per_mtok=Decimal("1.5"),
            cached_input_usd_per_mtok=None,
            since=datetime.date(2024, 1, 1),
        )
    assert "price_since" in refused.value.message_dict
    assert not PriceHistory.objects.exists()
    offering.refresh_from_db()
    assert offering.input_usd_per_mtok == Decimal("1")


def test_back_dated_price_change_in_the_admin_is_a_form_error(offering):
    client = editor()
    url = reverse("admin:models_catalog_offering_change", args=[offering.pk])
    data = open_form(client, url)
    data.update(input_usd_per_mtok="0.5", price_since="2024-01-01")
    response = client.post(url, data)
    assert response.status_code == 200
    assert "price_since" in response.context["adminform"].form.errors
    assert not PriceHistory.objects.exists()


# --- concurrent adds, list_editable -------------------------------------------------------------


def test_concurrent_add_of_the_same_offering_is_a_form_error(monkeypatch):
    model = LanguageModelFactory()
    provider = ProviderFactory()
    client = editor()
    url = reverse("admin:models_catalog_offering_add")
    data = open_form(client, url)
    data |= {
        "language_model": model.pk,
        "provider": provider.pk,
        "input_usd_per_mtok": "1",
        "output_usd_per_mtok": "2",
        "source_url": "https://example.com/pricing",
        "is_current": "on",
    }
    # The other editor's offering is committed just after this form's checks ran: simulate
    # by letting the first uniqueness check miss it.
    OfferingFactory(language_model=model, provider=provider)
    original = Offering.validate_constraints
    calls = []

    def racing_check(self, exclude=None):
        calls.append(1)
        return None if len(calls) == 1 else original(self, exclude)

    monkeypatch.setattr(Offering, "validate_constraints", racing_check)
    response = client.post(url, data)
    assert response.status_code == 200, response
    assert response.context["adminform"].form.non_field_errors() == [
        "This model already has an offering at this provider."
    ]
    assert Offering.objects.count() == 1


# --- history revert, recovery ---------------------------------------------------------------


def test_stale_revert_gets_the_conflict_message():
    model = LanguageModelFactory(name="Shared")
    first = model.history.latest("history_date")
    alice, bob = editor("alice"), editor("bob")
    change_url = reverse("admin:models_catalog_languagemodel_change", args=[model.pk])
    form = open_form(bob, change_url)
    form["name"] = "Bob's edit"
    bob.post(change_url, form)
    revert_url = reverse(
        "admin:models_catalog_languagemodel_simple_history", args=[model.pk, first.history_id]
    )
    data = open_form(alice, revert_url)
    # Carol saves after Alice opened the revert page.
    form = open_form(bob, change_url)
    form["name"] = "Carol's edit"
    bob.post(change_url, form)
    response = alice.post(revert_url, data)
    assert response.status_code == 200
    assert "Someone else saved this entry" in response.content.decode()
    model.refresh_from_db()
    assert model.name == "Carol's edit"


def test_recovery_when_the_slug_was_reused_meanwhile():
    model = LanguageModelFactory(slug="alpha", name="Alpha")
    OfferingFactory(language_model=model)
    ScoreFactory(language_model=model)
    model.delete()
    LanguageModelFactory(slug="alpha", name="Alpha (new)")
    record = LanguageModel.history.filter(history_type="-").latest("history_date")
    restored = recover_deleted_model(record.history_id, reason="test")
    assert restored.slug != "alpha" and restored.slug.startswith("alpha")
    assert restored.offerings.count() == 1 and restored.scores.count() == 1
    assert LanguageModel.objects.get(slug="alpha").name == "Alpha (new)"


def test_no_admin_list_edits_bypass_the_version_check():
    from django.contrib import admin

    editable = [type(a).__name__ for a in admin.site._registry.values() if a.list_editable]
    assert not editable, f"{editable}: a changelist formset skips VersionCheckedForm"


def test_mark_reviewed_with_a_nul_in_the_note_is_a_message_not_a_500():
    from models_catalog.models import Review

    model = LanguageModelFactory(slug="alpha")
    reviewer = Client()
    reviewer.force_login(staff_user("rev", "Reviewers"))
    response = reviewer.post(
        reverse("mark_reviewed", args=["alpha"]), {"note": "checked\x00"}, follow=True
    )
    assert response.status_code == 200
    assert not Review.objects.exists()
    model.refresh_from_db()
    assert model.last_reviewed_on is None
