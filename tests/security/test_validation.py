"""One validation for every way in: the rules on the models, and links only for http(s)."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from models_catalog.models import ErrorReport, LanguageModel
from models_catalog.services import ReportLimitReached, create_error_report
from tests.factories import LanguageModelFactory, OfferingFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def model_with(**values) -> LanguageModel:
    model = LanguageModel(
        slug="alpha", name="Alpha", organization=OrganizationFactory(), open_weights=False
    )
    for name, value in values.items():
        setattr(model, name, value)
    return model


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"sources": ["javascript:alert(1)"]}, "sources"),
        ({"sources": ["ftp://example.com/card"]}, "sources"),
        ({"sources": "https://example.com/card"}, "sources"),
        ({"sources": [42]}, "sources"),
        ({"name": 12345}, "name"),
        ({"name": "Al\x00pha"}, "name"),
        ({"name": "Alpha\u202eahplA"}, "name"),
        ({"family": "Line\nbreak"}, "family"),
        ({"open_weights": "yes"}, "open_weights"),
        ({"context_window": "128000"}, "context_window"),
        ({"context_window": True}, "context_window"),
    ],
)
def test_model_rules_refuse_bad_values(values, field):
    with pytest.raises(ValidationError) as refused:
        model_with(**values).full_clean()
    assert field in refused.value.message_dict


def test_model_rules_accept_good_values():
    model_with(
        sources=["https://example.com/card", "http://example.org/paper"],
        name="Qwen2.5 72B — Instruct",
        context_window=128_000,
    ).full_clean()


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "ftp://example.com"])
def test_url_fields_accept_only_http(url):
    offering = OfferingFactory.build(
        language_model=LanguageModelFactory(), source_url=url, provider=None
    )
    with pytest.raises(ValidationError) as refused:
        offering.full_clean(exclude=["provider"])
    assert "source_url" in refused.value.message_dict


def test_admin_refuses_a_javascript_source():
    from models_catalog.admin import URLListField

    with pytest.raises(ValidationError):
        URLListField().clean("https://example.com\njavascript:alert(1)")


def test_pages_link_only_http_urls_even_when_the_database_holds_another():
    model = LanguageModelFactory(slug="alpha")
    # Written around the validation, as an old row or a raw SQL edit could be.
    LanguageModel.objects.filter(pk=model.pk).update(
        sources=["javascript:alert(1)", "https://example.com/card"]
    )
    html = Client().get("/models/alpha/").content.decode()
    assert "javascript:" not in html
    assert 'href="https://example.com/card"' in html


# --- readers' reports --------------------------------------------------------------------------


def report(client: Client, **data):
    return client.post(
        reverse("report_error", args=["alpha"]),
        {"message": "The context window is 200K.", **data},
    )


@pytest.mark.parametrize(
    "page",
    ["//evil.example/x", "https://evil.example/", "/\\evil.example", "/a\x00b", "javascript:x"],
)
def test_report_back_link_stays_on_the_site(page):
    LanguageModelFactory(slug="alpha")
    client = Client()
    form = client.get(reverse("report_error", args=["alpha"]), {"from": page}).content.decode()
    assert "evil.example" not in form and "javascript" not in form
    response = report(client, page=page)
    assert response.status_code == 200
    assert ErrorReport.objects.get().page == ""
    assert "evil.example" not in response.content.decode()


def test_report_with_a_nul_byte_is_a_form_error_not_a_500():
    LanguageModelFactory(slug="alpha")
    response = report(Client(), message="Wrong price\x00 at the host.")
    assert response.status_code == 400
    assert not ErrorReport.objects.exists()


def test_report_limit_is_counted_in_the_database(settings):
    settings.REPORTS_PER_HOUR = 2
    LanguageModelFactory(slug="alpha")
    client = Client(REMOTE_ADDR="198.51.100.1")
    assert report(client).status_code == 200
    cache.clear()  # another worker, or a cache restart, must not reset the count
    assert report(client).status_code == 200
    cache.clear()
    assert report(client).status_code == 429
    assert report(Client(REMOTE_ADDR="198.51.100.2")).status_code == 200
    # The address itself is not stored, only a keyed hash of it.
    assert not ErrorReport.objects.filter(client_key__contains="198.51").exists()


def test_report_limit_reads_the_client_behind_proxies(settings):
    settings.REPORTS_PER_HOUR = 1
    settings.NUM_PROXIES = 1
    LanguageModelFactory(slug="alpha")
    assert report(Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4")).status_code == 200
    assert report(Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.5")).status_code == 200
    assert report(Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4")).status_code == 429


def test_report_limit_window_is_an_hour(settings):
    settings.REPORTS_PER_HOUR = 1
    model = LanguageModelFactory(slug="alpha")
    now = timezone.now()
    create_error_report(model=model, message="Wrong figure here.", client="c", now=now)
    with pytest.raises(ReportLimitReached):
        create_error_report(model=model, message="Wrong figure here.", client="c", now=now)
    later = now + datetime.timedelta(hours=1, seconds=1)
    create_error_report(model=model, message="Wrong figure here.", client="c", now=later)


# --- templates ---------------------------------------------------------------------------------

TEMPLATE_FILES = sorted((Path(__file__).resolve().parents[2] / "templates").rglob("*.html"))
EXTERNAL_URL = re.compile(r"(source_url|website|^url|^source\.url|^benchmark\.url)$")


@pytest.mark.parametrize("path", TEMPLATE_FILES, ids=lambda p: p.name)
def test_templates_link_external_urls_only_through_http_url(path):
    for match in re.finditer(r'href="\{\{\s*([^}]+?)\s*\}\}"', path.read_text()):
        value = match.group(1)
        assert "|http_url" in value or not EXTERNAL_URL.search(value.split("|")[0]), value


@pytest.mark.parametrize("path", TEMPLATE_FILES, ids=lambda p: p.name)
def test_templates_have_nothing_inline_that_the_policy_blocks(path):
    text = path.read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/ld\+json)", text)
    assert "<style" not in text
    assert not re.search(r"\sstyle=", text)
    assert not re.search(r"\son[a-z]+=", text)
