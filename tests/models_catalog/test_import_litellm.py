"""import_litellm: proposals of each kind, dry run, all-or-nothing, accept/reject, conflicts."""

from __future__ import annotations

import datetime
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from models_catalog.importers.litellm import import_file
from models_catalog.importers.litellm_file import LITELLM_FILE_URL
from models_catalog.models import (
    ImportRun,
    LanguageModel,
    LiteLLMModelMapping,
    LiteLLMProviderMapping,
    Offering,
    PriceHistory,
    ProposedChange,
    Provider,
)
from models_catalog.services import (
    ImportDecisionError,
    accept_proposed_change,
    reject_proposed_change,
)
from tests.factories import LanguageModelFactory, OfferingFactory, ProviderFactory, staff_user

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).parent / "fixtures" / "litellm_small.json"
AS_OF = datetime.date(2026, 11, 20)
Kind = ProposedChange.Kind


@pytest.fixture
def catalog():
    """Two providers of one maker's models, a cloud, and the mapping to LiteLLM's names."""
    acme = ProviderFactory(slug="acme", name="Acme API", kind=Provider.Kind.FIRST_PARTY)
    batch = ProviderFactory(slug="acme-batch", name="Acme Batch API", kind=Provider.Kind.BATCH)
    cloudy = ProviderFactory(slug="cloudy", name="Cloudy", kind=Provider.Kind.CLOUD)
    alpha = LanguageModelFactory(
        slug="alpha",
        name="Alpha",
        context_window=200_000,
        max_output_tokens=100_000,
        vision=None,
        reasoning=True,
    )
    beta = LanguageModelFactory(
        slug="beta",
        name="Beta",
        context_window=128_000,
        max_output_tokens=8192,
        function_calling=None,
        vision=False,
    )
    gone = LanguageModelFactory(slug="gone", name="Gone")
    alpha_acme = OfferingFactory(
        language_model=alpha,
        provider=acme,
        input_usd_per_mtok=Decimal("1"),
        output_usd_per_mtok=Decimal("4"),
        cached_input_usd_per_mtok=Decimal("0.25"),
        price_since=datetime.date(2026, 1, 1),
    )
    OfferingFactory(
        language_model=beta,
        provider=acme,
        input_usd_per_mtok=Decimal("0.3"),
        output_usd_per_mtok=Decimal("1.2"),
    )
    OfferingFactory(
        language_model=gone,
        provider=acme,
        source_url="https://pypi.org/project/litellm/1.110.2/",
    )
    LiteLLMProviderMapping.objects.create(name="acme", provider=acme, batch_provider=batch)
    LiteLLMProviderMapping.objects.create(name="cloudy", provider=cloudy)
    for key, model in (("alpha-1", alpha), ("beta-2", beta), ("gone-0", gone)):
        LiteLLMModelMapping.objects.create(key=key, language_model=model)
    return {
        "alpha": alpha,
        "beta": beta,
        "acme": acme,
        "cloudy": cloudy,
        "batch": batch,
        "alpha_acme": alpha_acme,
    }


def run_import(path: Path = FIXTURE, *args: str) -> str:
    out = io.StringIO()
    call_command("import_litellm", str(path), "--as-of", AS_OF.isoformat(), *args, stdout=out)
    return out.getvalue()


def change(kind: str, **filters) -> ProposedChange:
    return ProposedChange.objects.get(kind=kind, **filters)


def test_proposes_each_kind_of_change(catalog):
    run_import()
    run = ImportRun.objects.get()
    assert run.as_of == AS_OF and run.entry_count == 8
    counts = {k: run.changes.filter(kind=k).count() for k, _ in Kind.choices}
    assert counts == {
        Kind.NEW_OFFERING: 2,  # at the cloud, and the batch API
        Kind.PRICE: 1,
        Kind.CONTEXT: 1,
        Kind.MAX_OUTPUT: 0,
        Kind.DEPRECATION: 1,
        Kind.ENDED: 1,
        Kind.CAPABILITY: 2,
        Kind.UNMAPPED: 2,
    }
    price = change(Kind.PRICE)
    assert price.old_value == {"input": "1", "output": "4", "cached_input": "0.25"}
    assert price.new_value == {"input": "1.1", "output": "4.4", "cached_input": "0.275"}
    # The alias speaks for its dated snapshot; the snapshot's older price is not used.
    assert price.litellm_keys == ["alpha-1", "alpha-1-2025-04-16"]
    assert price.source_url == "https://acme.example/pricing"
    # Regional duplicates fold into one offering at the US list price.
    cloud = change(Kind.NEW_OFFERING, provider=catalog["cloudy"])
    assert cloud.new_value["input"] == "1.2" and cloud.new_value["output"] == "4.8"
    assert cloud.litellm_keys[0] == "cloudy/us.meta.alpha-1-v1:0"
    batch = change(Kind.NEW_OFFERING, provider=catalog["batch"])
    assert batch.new_value["input"] == "0.55" and batch.new_value["output"] == "2.2"
    context = change(Kind.CONTEXT)
    assert (context.language_model.slug, context.old_value, context.new_value) == (
        "beta",
        128_000,
        64_000,
    )
    # The alias's date, not its older snapshot's, with the deprecation notice as source.
    deprecation = change(Kind.DEPRECATION)
    assert deprecation.new_value == "2027-01-15"
    assert deprecation.source_url == "https://acme.example/deprecations"
    assert change(Kind.ENDED).language_model.slug == "gone"
    capabilities = {
        (c.language_model.slug, c.field): c.new_value
        for c in run.changes.filter(kind=Kind.CAPABILITY)
    }
    # Only where ours is unknown: Alpha's reasoning and Beta's vision are known already.
    assert capabilities == {("alpha", "vision"): True, ("beta", "function_calling"): True}
    unmapped = change(Kind.UNMAPPED, field="gamma-x")
    assert unmapped.new_value == {"providers": ["acme"]}
    # Keys longer than any column name are kept whole.
    assert change(Kind.UNMAPPED, field__startswith="accounts/acme/models/gamma-extended")
    assert not run.changes.exclude(conflict="").exists()


def test_dry_run_prints_the_diff_and_writes_nothing(catalog):
    before = (Offering.objects.count(), Offering.history.count(), LanguageModel.history.count())
    output = run_import(FIXTURE, "--dry-run")
    assert "== Price change: 1" in output
    assert (
        "Alpha at Acme API: rate card: $1 in / $4 out / $0.25 cached → $1.1 in / $4.4 out" in output
    )
    assert "Dry run: nothing was written." in output
    assert not ImportRun.objects.exists() and not ProposedChange.objects.exists()
    assert before == (
        Offering.objects.count(),
        Offering.history.count(),
        LanguageModel.history.count(),
    )


def test_a_malformed_file_is_refused_whole(catalog, tmp_path):
    data = json.loads(FIXTURE.read_text())
    data["zeta-9"] = {"litellm_provider": "acme", "mode": "chat", "input_cost_per_token": "free"}
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data))
    with pytest.raises(CommandError) as error:
        run_import(bad)
    assert "Nothing was imported" in str(error.value)
    assert "'zeta-9'" in str(error.value) and "'input_cost_per_token'" in str(error.value)
    assert not ImportRun.objects.exists() and not ProposedChange.objects.exists()


def test_as_of_must_be_a_date(catalog):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("import_litellm", str(FIXTURE), "--as-of", "last week", stdout=io.StringIO())


def test_accepting_a_price_change_saves_like_an_editor_with_history_dated_as_of(catalog):
    run_import()
    editor = staff_user("ed", "Editors")
    accept_proposed_change(change=change(Kind.PRICE), user=editor)
    offering = catalog["alpha_acme"]
    offering.refresh_from_db()
    assert tuple(offering.rate_card.__dict__.values()) == (
        Decimal("1.1"),
        Decimal("4.4"),
        Decimal("0.275"),
    )
    assert offering.price_since == AS_OF
    assert offering.source_url == "https://acme.example/pricing"
    past = PriceHistory.objects.get(offering=offering)
    assert (past.input_usd_per_mtok, past.valid_from, past.valid_until) == (
        Decimal("1"),
        datetime.date(2026, 1, 1),
        AS_OF,
    )
    record = offering.history.latest()
    assert record.history_user == editor
    run = ImportRun.objects.get()
    assert record.history_change_reason.startswith(f"LiteLLM import #{run.pk} (as of 2026-11-20)")
    assert "accepted by ed" in record.history_change_reason
    decided = change(Kind.PRICE)
    assert decided.status == ProposedChange.Status.ACCEPTED and decided.decided_by == editor
    with pytest.raises(ImportDecisionError, match="Already accepted"):
        accept_proposed_change(change=decided, user=editor)


def test_accepting_each_other_kind(catalog):
    run_import()
    editor = staff_user("ed", "Editors")
    for proposed in ProposedChange.objects.exclude(kind__in=[Kind.PRICE, Kind.UNMAPPED]):
        accept_proposed_change(change=proposed, user=editor)
    cloud = Offering.objects.get(provider=catalog["cloudy"])
    assert (cloud.input_usd_per_mtok, cloud.price_since) == (Decimal("1.2"), AS_OF)
    assert cloud.source_url == "https://cloudy.example/pricing"
    assert Offering.objects.get(provider=catalog["batch"]).output_usd_per_mtok == Decimal("2.2")
    beta = Offering.objects.get(provider=catalog["acme"], language_model__slug="beta")
    assert beta.context_window == 64_000
    alpha = Offering.objects.get(provider=catalog["acme"], language_model__slug="alpha")
    assert alpha.ended_on == datetime.date(2027, 1, 15)
    assert alpha.note == "Retires 2027-01-15 (source: https://acme.example/deprecations)."
    assert Offering.objects.get(language_model__slug="gone").is_current is False
    catalog["alpha"].refresh_from_db()
    catalog["beta"].refresh_from_db()
    assert catalog["alpha"].vision is True and catalog["beta"].function_calling is True
    assert LITELLM_FILE_URL in catalog["alpha"].sources  # the flag cites its source
    assert catalog["alpha"].history.latest().history_user == editor


def test_an_unmapped_model_is_listed_never_created(catalog):
    run_import()
    with pytest.raises(ImportDecisionError, match="map its key"):
        accept_proposed_change(
            change=change(Kind.UNMAPPED, field="gamma-x"), user=staff_user("ed", "Editors")
        )
    assert not LanguageModel.objects.filter(name__icontains="gamma").exists()


def test_rejecting_leaves_the_catalog_alone(catalog):
    run_import()
    reject_proposed_change(change=change(Kind.PRICE), user=staff_user("ed", "Editors"))
    catalog["alpha_acme"].refresh_from_db()
    assert catalog["alpha_acme"].input_usd_per_mtok == Decimal("1")
    assert change(Kind.PRICE).status == ProposedChange.Status.REJECTED


def test_an_editors_change_after_the_last_import_is_a_conflict(catalog):
    run_import()  # the last import; its proposals are left undecided
    editor = staff_user("ed", "Editors")
    offering = catalog["alpha_acme"]
    offering.input_usd_per_mtok = Decimal("0.9")
    offering.price_since = datetime.date(2026, 11, 1)
    offering._history_user = editor
    offering.save()
    run_import()
    second = ImportRun.objects.order_by("-pk").first()
    price = second.changes.get(kind=Kind.PRICE)
    assert "editor changed this value after the last import" in price.conflict
    with pytest.raises(ImportDecisionError, match="Conflict"):
        accept_proposed_change(change=price, user=editor)
    offering.refresh_from_db()
    assert offering.input_usd_per_mtok == Decimal("0.9")
    # Other kinds on the same row are not conflicts: the editor changed only prices.
    assert second.changes.get(kind=Kind.DEPRECATION).conflict == ""
    accept_proposed_change(change=price, user=editor, overwrite_conflict=True)
    offering.refresh_from_db()
    assert offering.input_usd_per_mtok == Decimal("1.1")


def test_a_value_changed_after_the_import_is_flagged_not_overwritten(catalog):
    run_import()
    offering = catalog["alpha_acme"]
    offering.input_usd_per_mtok = Decimal("0.95")
    offering.price_since = datetime.date(2026, 11, 10)
    offering.save()
    with pytest.raises(ImportDecisionError, match="Changed since the import"):
        accept_proposed_change(change=change(Kind.PRICE), user=staff_user("ed", "Editors"))
    assert "Changed since the import" in change(Kind.PRICE).conflict
    assert change(Kind.PRICE).status == ProposedChange.Status.PENDING
    offering.refresh_from_db()
    assert offering.input_usd_per_mtok == Decimal("0.95")


def test_import_file_returns_the_plan_without_a_run_on_dry_run(catalog):
    plan, run = import_file(str(FIXTURE), as_of=AS_OF, dry_run=True)
    assert run is None and plan.counts()[Kind.PRICE] == 1


def test_editor_bulk_accepts_one_kind_in_the_admin(catalog, client):
    run_import()
    editor = staff_user("ed", "Editors")
    client.force_login(editor)
    url = reverse("admin:models_catalog_proposedchange_changelist")
    page = client.get(url, {"kind__exact": Kind.NEW_OFFERING})
    assert page.status_code == 200
    assert (
        '<span style="white-space:nowrap">—</span> → '
        '<span style="white-space:nowrap">$1.2 in / $4.8 out</span>'
    ) in page.content.decode()
    pending = ProposedChange.objects.filter(kind=Kind.NEW_OFFERING)
    response = client.post(
        url,
        {"action": "accept", "_selected_action": [str(c.pk) for c in pending]},
        follow=True,
    )
    assert response.status_code == 200
    assert "Accepted 2 change(s)." in response.content.decode()
    assert Offering.objects.filter(provider=catalog["cloudy"]).exists()
    assert Offering.objects.get(provider=catalog["cloudy"]).history.latest().history_user == editor
    run = ImportRun.objects.get()
    detail = client.get(reverse("admin:models_catalog_importrun_change", args=[run.pk]))
    assert detail.status_code == 200 and "New offering: 2 accepted" in detail.content.decode()


def test_mapping_travels_with_the_catalog_file(catalog):
    from models_catalog.importers.catalog import export_catalog, load_catalog

    data = export_catalog(compiled_on=AS_OF)
    assert {"name": "acme", "provider": "acme", "batch_provider": "acme-batch"} in data[
        "litellm_providers"
    ]
    assert {"key": "alpha-1", "model": "alpha"} in data["litellm_models"]
    LiteLLMModelMapping.objects.all().delete()
    LiteLLMProviderMapping.objects.all().delete()
    load_catalog(data)
    assert LiteLLMModelMapping.objects.get(key="beta-2").language_model == catalog["beta"]
    assert LiteLLMProviderMapping.objects.get(name="acme").batch_provider == catalog["batch"]


def test_accepting_a_suggested_model_maps_its_key_and_the_next_import_prices_it(catalog):
    gamma = LanguageModelFactory(slug="gamma-x", name="Gamma X")
    run_import()
    unmapped = change(Kind.UNMAPPED, field="gamma-x")
    assert unmapped.new_value == {"providers": ["acme"], "suggested_model": "gamma-x"}
    # No model bears the long key's name: listed without a suggestion.
    assert "suggested_model" not in change(Kind.UNMAPPED, field__startswith="accounts/").new_value
    editor = staff_user("ed", "Editors")
    accept_proposed_change(change=unmapped, user=editor)
    mapping = LiteLLMModelMapping.objects.get(key="gamma-x")
    assert mapping.language_model == gamma
    assert mapping.history.latest().history_user == editor
    assert not Offering.objects.filter(language_model=gamma).exists()  # nothing silent
    plan, _run = import_file(str(FIXTURE), as_of=AS_OF, dry_run=True)
    new = [p for p in plan.proposals if p.kind == Kind.NEW_OFFERING and p.language_model == gamma]
    assert [(p.provider.slug, p.new["input"]) for p in new] == [("acme", "0.5")]


def test_a_rejected_value_is_not_proposed_again(catalog):
    run_import()
    editor = staff_user("ed", "Editors")
    reject_proposed_change(change=change(Kind.PRICE), user=editor)
    reject_proposed_change(change=change(Kind.UNMAPPED, field="gamma-x"), user=editor)
    run_import()
    second = ImportRun.objects.order_by("-pk").first()
    assert not second.changes.filter(kind=Kind.PRICE).exists()
    assert not second.changes.filter(kind=Kind.UNMAPPED, field="gamma-x").exists()
    assert second.changes.filter(kind=Kind.CONTEXT).exists()  # still pending: asked again
