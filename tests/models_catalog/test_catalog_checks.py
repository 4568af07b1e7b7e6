"""Each data-quality rule, firing and not firing, on small catalogs written here."""

from __future__ import annotations

import copy
import datetime
import json

import pytest
from django.core.management import CommandError, call_command

from models_catalog import catalog_checks as checks
from tests.factories import LanguageModelFactory

TODAY = datetime.date(2026, 11, 29)


def model(slug="m", **extra) -> dict:
    record = {
        "slug": slug,
        "name": slug.upper(),
        "organization": "org",
        "released": "2025-06-01",
        "knowledge_cutoff": "2025-01",
        "context_window": 128000,
        "license": "Proprietary",
        "open_weights": False,
        "capabilities": {"reasoning": True},
        "sources": ["https://org.example/m"],
    }
    record.update(extra)
    return record


def offering(provider="host", model_slug="m", **extra) -> dict:
    record = {
        "model": model_slug,
        "provider": provider,
        "input_per_mtok": 1,
        "output_per_mtok": 2,
        "context_window": None,
        "source_url": f"https://{provider}.example/pricing",
    }
    record.update(extra)
    return record


def score(value=50, model_slug="m", benchmark="bench", **extra) -> dict:
    record = {
        "model": model_slug,
        "benchmark": benchmark,
        "score": value,
        "source_url": "https://org.example/news",
        "provenance": "maker",
        "attempts": "pass@1",
    }
    record.update(extra)
    return record


def catalog(models=None, offerings=None, scores=None) -> dict:
    return {
        "organizations": [{"slug": "org", "name": "Org"}],
        "providers": [
            {"slug": "org", "name": "Org API", "kind": "first-party"},
            {"slug": "host", "name": "Host", "kind": "inference"},
            {"slug": "other", "name": "Other", "kind": "inference"},
            {"slug": "third", "name": "Third", "kind": "inference"},
            {"slug": "org-batch", "name": "Org Batch", "kind": "batch"},
        ],
        "benchmarks": [{"slug": "bench", "name": "Bench", "higher_is_better": True}],
        "models": models if models is not None else [model()],
        "offerings": offerings if offerings is not None else [offering()],
        "scores": scores if scores is not None else [score()],
    }


def rules(data: dict) -> list[tuple[str, str]]:
    return [(f.rule, f.severity) for f in checks.check(data, today=TODAY)]


def test_a_clean_catalog_has_no_findings():
    assert rules(catalog()) == []


def test_reasoning_score_on_a_model_without_reasoning_is_an_error():
    data = catalog(
        models=[model(capabilities={"reasoning": False})], scores=[score(reasoning="on")]
    )
    assert rules(data) == [("reasoning-flag", "error")]
    data["models"][0]["capabilities"]["reasoning"] = None
    assert rules(data) == [("reasoning-flag", "warning")]
    data["scores"][0]["reasoning"] = "off"
    assert rules(data) == []


def test_context_exceeded_by_an_offering():
    data = catalog(offerings=[offering(context_window=1_000_000)])
    assert rules(data) == [("context-exceeds-spec", "warning")]
    # 131,072 for a "128K" spec is the same figure written in binary thousands.
    data["offerings"][0]["context_window"] = 131072
    assert rules(data) == []


def test_context_no_offering_reaches():
    data = catalog(
        offerings=[offering(context_window=16384), offering("other", context_window=16384)]
    )
    assert rules(data) == [("context-not-reached", "warning")]
    # An offering without its own figure serves the model's.
    data["offerings"][1]["context_window"] = None
    assert rules(data) == []


def test_open_weights_need_a_license():
    assert rules(catalog(models=[model(open_weights=True, license=None)])) == [
        ("open-weights-license", "warning")
    ]
    assert rules(catalog(models=[model(open_weights=True, license="Proprietary")])) == [
        ("open-weights-license", "error")
    ]
    assert rules(catalog(models=[model(open_weights=True, license="Apache-2.0")])) == []


def test_maker_score_citing_an_aggregator():
    aggregated = "https://github.com/JonathanChavezTamales/llm-leaderboard/blob/x/benchmarks.json"
    assert rules(catalog(scores=[score(source_url=aggregated)])) == [
        ("maker-score-aggregator", "warning")
    ]
    assert rules(catalog(scores=[score(source_url=aggregated, provenance="third-party")])) == []


def test_knowledge_cutoff_after_release():
    assert rules(catalog(models=[model(knowledge_cutoff="2025-07")])) == [
        ("cutoff-after-release", "error")
    ]
    # Month precision: the release month itself is possible.
    assert rules(catalog(models=[model(knowledge_cutoff="2025-06")])) == []


def test_retirement_before_deprecation():
    lifecycle = {
        "deprecated_on": "2025-09-01",
        "retired_on": "2025-08-01",
        "source": "https://x.example",
    }
    data = catalog(models=[model(lifecycle=lifecycle)], offerings=[offering(current=False)])
    assert rules(data) == [("lifecycle-order", "error")]


def test_lifecycle_dates_need_a_source():
    lifecycle = {"deprecated_on": "2026-12-01", "retired_on": None, "source": None}
    assert rules(catalog(models=[model(lifecycle=lifecycle)])) == [("lifecycle-source", "warning")]


def test_retired_model_still_offered():
    lifecycle = {"retired_on": "2025-10-22", "source": "https://org.example/deprecations"}
    data = catalog(
        models=[model(lifecycle=lifecycle)], offerings=[offering("org"), offering("host")]
    )
    assert sorted(rules(data)) == [
        ("retired-still-offered", "error"),  # the maker's own API
        ("retired-still-offered", "warning"),  # a host of the weights may go on
    ]
    data["offerings"][0]["ended_on"] = "2025-10-22"
    data["offerings"][1]["current"] = False
    assert rules(data) == []
    # Retirement in the future is not yet due.
    data = catalog(models=[model(lifecycle={**lifecycle, "retired_on": "2027-01-01"})])
    assert rules(data) == []


def test_first_party_is_read_from_first_party_for():
    data = catalog(
        models=[model(lifecycle={"retired_on": "2025-01-01", "source": "https://x.example"})],
        offerings=[offering("host")],
    )
    data["providers"][1]["first_party_for"] = "org"
    assert rules(data) == [("retired-still-offered", "error")]


def test_price_outliers():
    cheap = [offering(p, input_per_mtok=1, output_per_mtok=1) for p in ("org", "host", "other")]
    assert rules(catalog(offerings=cheap)) == []
    dear = offering("third", input_per_mtok=10, output_per_mtok=10)
    assert rules(catalog(offerings=[*cheap, dear])) == [("price-outlier", "warning")]
    # Batch, free tiers and ended offerings are not compared.
    for change in ({"provider": "org-batch"}, {"free_tier": True}, {"current": False}):
        assert rules(catalog(offerings=[*cheap, {**dear, **change}])) == []
    # Two offerings make no median worth the name.
    assert rules(catalog(offerings=[cheap[0], dear])) == []


def test_offering_source_that_cannot_show_a_price():
    pypi = offering(source_url="https://pypi.org/project/litellm/1.110.2/")
    assert rules(catalog(offerings=[pypi])) == [("offering-source-price", "error")]
    marked = {**pypi, "source_shows_price": False}
    assert rules(catalog(offerings=[marked])) == [("offering-source-price", "warning")]
    assert rules(catalog(offerings=[{**marked, "current": False}])) == []


def test_records_without_a_source():
    data = catalog(
        models=[model(sources=[])],
        offerings=[offering(source_url="")],
        scores=[score(source_url=None)],
    )
    assert sorted(rules(data)) == [
        ("no-source", "error"),
        ("no-source", "warning"),
        ("no-source", "warning"),
    ]


def test_leading_score_without_conditions():
    data = catalog(
        models=[model("a"), model("b")],
        offerings=[offering(model_slug="a"), offering(model_slug="b")],
        scores=[
            score(90, "a", attempts=None),
            score(80, "b", attempts=None),
        ],
    )
    found = checks.check(data, today=TODAY)
    assert [(f.rule, f.target.key[0]) for f in found] == [("lead-without-conditions", "a")]
    data["scores"][0]["reasoning"] = "on"
    assert rules(data) == []
    # Lower is better: the lowest leads.
    data["benchmarks"][0]["higher_is_better"] = False
    assert [f.target.key[0] for f in checks.check(data, today=TODAY)] == ["b"]


def test_errors_are_listed_first():
    data = catalog(models=[model(open_weights=True, license="Proprietary", sources=[])])
    assert [f.severity for f in checks.check(data, today=TODAY)] == ["error", "warning"]


def test_aggregator_hosts_match_by_host_and_path():
    assert checks.is_aggregator("https://llm-stats.com/models/x")
    assert checks.is_aggregator("https://github.com/anomalyco/models.dev/blob/x.toml")
    assert not checks.is_aggregator("https://github.com/openai/simple-evals")
    assert not checks.is_aggregator("https://notllm-stats.com/")
    assert checks.cannot_show_price("https://pypi.org/project/litellm/1.110.2/")
    assert not checks.cannot_show_price("https://openai.com/api/pricing/")


# --- the command --------------------------------------------------------------------------


def _file(tmp_path, data) -> str:
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(data))
    return str(path)


def test_command_fails_on_errors_and_lists_warnings(tmp_path, capsys):
    data = catalog(models=[model(open_weights=True, license="Proprietary", sources=[])])
    with pytest.raises(CommandError, match="1 errors, 1 warnings"):
        call_command("check_catalog", _file(tmp_path, data), "--today", "2026-11-29")
    out = capsys.readouterr().out
    assert (
        "ERROR   [open-weights-license] M has open weights but its license says “Proprietary”."
        in out
    )
    assert "warning [no-source] M: no source." in out


def test_command_passes_with_warnings_only(tmp_path, capsys):
    data = catalog(models=[model(sources=[])])
    call_command("check_catalog", _file(tmp_path, data), "--today", "2026-11-29")
    assert "0 errors, 1 warnings" in capsys.readouterr().out


def test_command_judges_a_file_on_the_day_it_was_compiled(tmp_path, capsys):
    lifecycle = {"retired_on": "2026-06-01", "source": "https://org.example/deprecations"}
    data = catalog(models=[model(lifecycle=lifecycle)], offerings=[offering("org")])
    data["compiled_on"] = "2026-05-01"
    call_command("check_catalog", _file(tmp_path, data))
    assert "0 errors" in capsys.readouterr().out
    with pytest.raises(CommandError, match="1 errors"):
        call_command("check_catalog", _file(tmp_path, data), "--today", "2026-06-02")


def test_command_reads_a_copy_it_does_not_change(tmp_path):
    data = catalog()
    before = copy.deepcopy(data)
    call_command("check_catalog", _file(tmp_path, data), "--today", "2026-11-29")
    assert data == before


@pytest.mark.django_db
def test_command_checks_the_database_without_a_path(capsys):
    LanguageModelFactory(slug="bare", open_weights=True, license="Proprietary")
    with pytest.raises(CommandError, match="the database: [1-9]"):
        call_command("check_catalog", "--today", "2026-11-29")
    assert "has open weights but its license says" in capsys.readouterr().out


# --- the review queue's Checks panel ------------------------------------------------------


@pytest.mark.django_db
def test_review_queue_links_each_finding_to_its_admin_page():
    from django.test import Client
    from django.urls import reverse

    from tests.factories import OfferingFactory, ScoreFactory, staff_user

    closed = LanguageModelFactory(name="Closed", open_weights=True, license="Proprietary")
    offering = OfferingFactory(source_url="https://pypi.org/project/litellm/1.0/")
    score = ScoreFactory(source_url="")
    reviewer = Client()
    reviewer.force_login(staff_user("rev", "Reviewers"))
    response = reviewer.get(reverse("review_queue"))
    panel = response.context["checks"]
    rows = {row.rule: row for group in panel.groups for row in group.rows}
    assert panel.errors == 2
    assert rows["open-weights-license"].admin_url == reverse(
        "admin:models_catalog_languagemodel_change", args=[closed.pk]
    )
    assert rows["offering-source-price"].admin_url == reverse(
        "admin:models_catalog_offering_change", args=[offering.pk]
    )
    assert rows["no-source"].admin_url == reverse(
        "admin:models_catalog_score_change", args=[score.pk]
    )
    html = response.content.decode()
    assert "Closed has open weights but its license says" in html
    assert f'href="{rows["open-weights-license"].admin_url}"' in html
