"""The review queue, marking reviewed, and readers' error reports."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from models_catalog.models import ErrorReport, Review
from models_catalog.services import mark_model_reviewed
from tests.factories import (
    LanguageModelFactory,
    OfferingFactory,
    OrganizationFactory,
    ProviderFactory,
    ScoreFactory,
    staff_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer():
    client = Client()
    client.force_login(staff_user("rev", "Reviewers"))
    return client


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


@pytest.fixture
def queue(settings):
    settings.STALE_AFTER_DAYS = 90
    org = OrganizationFactory(slug="acme", name="Acme")
    host = ProviderFactory(slug="host", name="Host")
    never = LanguageModelFactory(slug="never", name="Never", organization=org)
    old = LanguageModelFactory(slug="old", name="Old", sources=["https://example.com/card"])
    older = LanguageModelFactory(slug="older", name="Older")
    fresh = LanguageModelFactory(slug="fresh", name="Fresh")
    OfferingFactory(language_model=old, provider=host, source_url="https://example.com/price")
    ScoreFactory(language_model=old, source_url="https://example.com/score")
    for model, days in ((old, 120), (older, 400), (fresh, 10)):
        mark_model_reviewed(model=model, user=None, on=days_ago(days))
    return {"never": never, "old": old, "older": older, "fresh": fresh}


def test_queue_lists_stale_models_oldest_first(reviewer, queue):
    response = reviewer.get(reverse("review_queue"))
    assert response.status_code == 200
    entries = response.context["entries"]
    assert [e.model.name for e in entries] == ["Never", "Older", "Old"]
    assert [e.days_since_review for e in entries] == [None, 400, 120]
    assert response.context["counts"] == {"total": 3, "never": 1, "reported": 0}
    old = entries[2]
    assert old.sources == [
        "https://example.com/card",
        "https://example.com/price",
        "https://example.com/score",
    ]
    html = response.content.decode()
    assert "Never reviewed." in html
    assert reverse("admin:models_catalog_languagemodel_change", args=[queue["old"].pk]) in html


def test_queue_filters(reviewer, queue):
    by_org = reviewer.get(reverse("review_queue"), {"organization": "acme"})
    assert [e.model.name for e in by_org.context["entries"]] == ["Never"]
    by_provider = reviewer.get(reverse("review_queue"), {"provider": "host"})
    assert [e.model.name for e in by_provider.context["entries"]] == ["Old"]
    by_name = reviewer.get(reverse("review_queue"), {"q": "OLDER"})
    assert [e.model.name for e in by_name.context["entries"]] == ["Older"]
    bad = reviewer.get(reverse("review_queue"), {"organization": "nobody"})
    assert bad.status_code == 200


def test_queue_shows_what_changed_since_last_review(reviewer, queue):
    offering = queue["old"].offerings.get()
    offering.input_usd_per_mtok = Decimal("0.5")
    offering.save()
    entry = next(
        e for e in reviewer.get(reverse("review_queue")).context["entries"] if e.model.slug == "old"
    )
    # Newest first; the rows were created today too, after the back-dated review.
    change = entry.changes[0]
    assert change.what == "Old at Host" and change.kind == "changed"
    assert any(f.startswith("input $/1M: 1.000000 → 0.5") for f in change.fields)


def test_mark_reviewed_stamps_today_and_reviewer_with_note(reviewer, queue):
    response = reviewer.post(
        reverse("mark_reviewed", args=["old"]), {"note": "Prices checked against the card."}
    )
    assert response.status_code == 302
    queue["old"].refresh_from_db()
    assert queue["old"].last_reviewed_on == timezone.localdate()
    assert queue["old"].last_reviewed_by.username == "rev"
    review = Review.objects.filter(language_model=queue["old"]).first()
    assert review.note == "Prices checked against the card."
    names = [e.model.name for e in reviewer.get(reverse("review_queue")).context["entries"]]
    assert "Old" not in names


def test_open_report_stays_in_the_queue_until_resolved(reviewer, queue):
    report = ErrorReport.objects.create(language_model=queue["old"], message="Context is 1M.")
    reviewer.post(reverse("mark_reviewed", args=["old"]))
    entries = reviewer.get(reverse("review_queue")).context["entries"]
    assert entries[0].model.slug == "old"  # reviewed, but reported: still here, first
    assert [r.pk for r in entries[0].reports] == [report.pk]
    reviewer.post(reverse("resolve_report", args=[report.pk]))
    names = [e.model.name for e in reviewer.get(reverse("review_queue")).context["entries"]]
    assert "Old" not in names


def test_empty_queue_tells_the_truth_under_filters(reviewer, queue):
    page = reviewer.get(reverse("review_queue"), {"q": "nothing-like-this"}).content.decode()
    assert "No model matching these filters" in page
    assert "every model was reviewed" not in page


def test_cards_show_values_with_sources_and_fold_import_changes(reviewer, queue):
    offering = queue["old"].offerings.get()
    offering._change_reason = "Imported by load_catalog from catalog.json"
    offering.output_usd_per_mtok = Decimal("9")
    offering.save()
    response = reviewer.get(reverse("review_queue"))
    entry = next(e for e in response.context["entries"] if e.model.slug == "old")
    assert entry.automatic_count == 1
    assert not any(c.what == "Old at Host" and c.kind == "changed" for c in entry.changes)
    html = response.content.decode()
    assert "1 change made by imports" in html
    assert 'href="https://example.com/price"' in html and "$9.00" in html
    assert 'href="https://example.com/score"' in html


def test_mark_reviewed_moves_the_pair_page_date(reviewer, queue, client):
    pair = "/compare/fresh-vs-old/"
    assert f"Last reviewed {days_ago(120).isoformat()}" in client.get(pair).content.decode()
    reviewer.post(reverse("mark_reviewed", args=["old"]))
    page = client.get(pair).content.decode()
    assert f"Last reviewed {days_ago(10).isoformat()}." in page  # now the older of the two is Fresh


def test_mark_reviewed_needs_post_and_csrf(queue):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user("rev", "Reviewers"))
    assert client.get(reverse("mark_reviewed", args=["old"])).status_code == 405
    assert client.post(reverse("mark_reviewed", args=["old"])).status_code == 403
    queue["old"].refresh_from_db()
    assert queue["old"].last_reviewed_on == days_ago(120)


def test_queue_query_count_does_not_grow(reviewer, queue, django_assert_num_queries):
    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert reviewer.get(reverse("review_queue")).status_code == 200
        return len(queries)

    before = count()
    for _ in range(8):
        model = LanguageModelFactory()
        OfferingFactory(language_model=model)
        ScoreFactory(language_model=model)
        ErrorReport.objects.create(language_model=model, message="Wrong context window.")
    assert count() == before


# --- readers' error reports -----------------------------------------------------------------


def report_url(slug: str = "old") -> str:
    return reverse("report_error", args=[slug])


def test_report_link_on_pair_and_model_pages(client, queue):
    assert report_url("old") in client.get("/models/old/").content.decode()
    pair = client.get("/compare/fresh-vs-old/").content.decode()
    assert report_url("old") in pair and report_url("fresh") in pair


def test_report_is_stored_and_shows_in_the_queue(client, reviewer, queue):
    response = client.post(
        report_url(),
        {
            "message": "The input price at Host is now $0.40.",
            "source_url": "https://example.com/pricing",
            "email": "reader@example.com",
            "page": "/compare/fresh-vs-old/",
        },
    )
    assert response.status_code == 200
    assert "Thank you" in response.content.decode()
    report = ErrorReport.objects.get()
    assert report.language_model == queue["old"] and report.page == "/compare/fresh-vs-old/"
    entry = next(
        e for e in reviewer.get(reverse("review_queue")).context["entries"] if e.model.slug == "old"
    )
    assert entry.reports == [report]
    reviewer.post(reverse("resolve_report", args=[report.pk]))
    report.refresh_from_db()
    assert not report.is_open and report.resolved_by.username == "rev"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"message": "short"}, "message"),
        ({"message": "x" * 2001}, "message"),
        ({"message": "A long enough message.", "email": "not-an-email"}, "email"),
        ({"message": "A long enough message.", "source_url": "not a url"}, "source_url"),
    ],
)
def test_bad_reports_get_form_errors(client, queue, data, field):
    response = client.post(report_url(), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not ErrorReport.objects.exists()


def test_reports_are_rate_limited_per_client(client, queue, settings):
    settings.REPORTS_PER_HOUR = 2
    data = {"message": "The context window is 200K."}
    assert client.post(report_url(), data).status_code == 200
    assert client.post(report_url(), data).status_code == 200
    response = client.post(report_url(), data)
    assert response.status_code == 429
    assert "Too many reports" in response.content.decode()
    assert ErrorReport.objects.count() == 2
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert other.post(report_url(), data).status_code == 200


def test_report_form_needs_csrf(queue):
    client = Client(enforce_csrf_checks=True)
    assert client.post(report_url(), {"message": "The context window is 200K."}).status_code == 403


def test_report_on_unknown_model_is_404(client, queue):
    assert client.get(report_url("nope")).status_code == 404
