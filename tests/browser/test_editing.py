"""Editors and reviewers in real browsers: conflicting edits, the review flow, reports."""

from __future__ import annotations

from django.utils import timezone

from models_catalog.models import ErrorReport, LanguageModel
from tests.factories import staff_user

PAIR = "/compare/llama-3-2-1b-instruct-vs-o4-mini/"


def log_in(browser, site, username):
    """A browser of its own for one staff user, logged in through the admin's form."""
    tab = browser.new_context().new_page()
    tab.set_default_timeout(10_000)
    tab.goto(f"{site}/admin/login/")
    tab.fill("#id_username", username)
    tab.fill("#id_password", "pw-for-tests-only")
    tab.click("input[type=submit]")
    tab.wait_for_url(f"{site}/admin/")
    return tab


def test_second_of_two_editors_is_refused(browser, site):
    staff_user("alice", "Editors")
    staff_user("bob", "Editors")
    model = LanguageModel.objects.get(slug="o4-mini")
    url = f"{site}/admin/models_catalog/languagemodel/{model.pk}/change/"
    alice, bob = log_in(browser, site, "alice"), log_in(browser, site, "bob")
    alice.goto(url)
    bob.goto(url)
    alice.fill("#id_family", "o-series (edited by Alice)")
    alice.click("input[name=_save]")
    alice.wait_for_url("**/languagemodel/")
    bob.fill("#id_family", "o-series (edited by Bob)")
    with bob.expect_navigation():
        bob.click("input[name=_save]")
    assert (
        "Someone else saved this entry after you opened it"
        in bob.locator(".errorlist").first.inner_text()
    )
    model.refresh_from_db()
    assert model.family == "o-series (edited by Alice)"


def test_reviewer_fixes_price_marks_reviewed_and_pair_page_shows_today(browser, site):
    staff_user("rev", "Reviewers")
    page = log_in(browser, site, "rev")
    page.goto(f"{site}/review/?q=o4-mini")
    assert page.locator("#entry-o4-mini").is_visible()
    offering = LanguageModel.objects.get(slug="o4-mini").offerings.get(provider__slug="replicate")
    page.goto(f"{site}/admin/models_catalog/offering/{offering.pk}/change/")
    page.fill("#id_input_usd_per_mtok", "0.90")
    page.click("input[name=_save]")
    page.wait_for_url("**/offering/")
    for slug, name in (("o4-mini", "o4-mini"), ("llama-3-2-1b-instruct", "Llama 3.2 1B")):
        page.goto(f"{site}/review/?q={name}")
        section = page.locator("section.queue-entry", has=page.locator(f"#entry-{slug}"))
        section.get_by_label("Note (optional)").fill("Checked against the sources.")
        section.get_by_role("button", name="Mark reviewed").click()
        page.wait_for_url("**/review/**")
    page.goto(f"{site}{PAIR}")
    text = page.locator("#reviewed").locator("..").inner_text()
    assert f"Last reviewed {timezone.localdate().isoformat()}." in text
    # Replicate's source does not show prices, so the new price is in its table row only.
    row = page.locator("tr", has=page.locator("th", has_text="Replicate")).first
    assert "$0.90" in row.inner_text()


def test_editor_cannot_review(browser, site):
    staff_user("ed", "Editors")
    page = log_in(browser, site, "ed")
    response = page.goto(f"{site}/review/")
    assert response.status == 403
    page.goto(f"{site}/admin/auth/user/")
    assert "403" in page.title() or "Forbidden" in page.content()


def test_report_from_pair_page_reaches_the_queue(browser, site, page):
    page.goto(f"{site}{PAIR}")
    page.locator("a[href^='/models/o4-mini/report/']").click()
    page.fill("#id_message", "Replicate now lists o4-mini at $0.80 per 1M input tokens.")
    page.fill("#id_source_url", "https://replicate.com/pricing")
    page.get_by_role("button", name="Send report").click()
    page.wait_for_load_state()
    assert "Thank you" in page.locator("h1").inner_text()
    report = ErrorReport.objects.get()
    assert report.page == PAIR
    staff_user("rev", "Reviewers")
    reviewer = log_in(browser, site, "rev")
    reviewer.goto(f"{site}/review/?q=o4-mini")
    entry = reviewer.locator("section.queue-entry", has=reviewer.locator("#entry-o4-mini"))
    assert "Replicate now lists o4-mini at $0.80" in entry.inner_text()
