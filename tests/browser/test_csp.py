"""The Content-Security-Policy holds in a real browser: every public page and the admin load
without a single violation in the console."""

from __future__ import annotations

import pytest

from models_catalog.models import LanguageModel
from tests.browser.test_editing import log_in
from tests.factories import staff_user

PUBLIC_PAGES = [
    "/",
    "/models/",
    "/models/?capabilities=vision&sort=price",
    "/models/o4-mini/",
    "/models/o4-mini/report/?from=/models/o4-mini/",
    "/compare/",
    "/compare/llama-3-2-1b-instruct-vs-o4-mini/",
    "/compare/gpt-4o-vs-llama-3-2-1b-instruct-vs-o4-mini/",
    "/embed/compare/llama-3-2-1b-instruct-vs-o4-mini/",
    "/api/v1/docs",
    "/data/",
    "/providers/openrouter/",
    "/organizations/openai/",
    "/benchmarks/mmlu-pro/",
    "/search/?q=llama",
    "/credits/",
    "/no-such-page/",
]


def watch(page) -> list[str]:
    """Collect CSP violations: Chromium reports each in the console, and as an event."""
    seen: list[str] = []
    page.on(
        "console",
        lambda message: (
            seen.append(message.text)
            if "Content Security Policy" in message.text
            or "Content-Security-Policy" in message.text
            else None
        ),
    )
    page.on("pageerror", lambda error: seen.append(f"page error: {error}"))
    return seen


def assert_policy_holds(page, site, path: str, seen: list[str]) -> None:
    response = page.goto(f"{site}{path}")
    assert "content-security-policy" in response.headers, path
    # Let deferred scripts run and late resources load before reading the console.
    page.wait_for_load_state("networkidle")
    violations = page.evaluate("window.__cspViolations || []")
    assert not seen and not violations, f"{path}: {seen + violations}"


def record_violation_events(context) -> None:
    # Injected by the browser tooling, not by the page, so the policy does not apply to it.
    context.add_init_script(
        "window.__cspViolations = [];"
        "document.addEventListener('securitypolicyviolation', e => "
        "window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));"
    )


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_have_no_csp_violation(browser, site, path):
    context = browser.new_context()
    record_violation_events(context)
    page = context.new_page()
    page.set_default_timeout(10_000)
    seen = watch(page)
    if path == "/":
        # The type-ahead runs too: suggestions are fetched and drawn under the policy.
        page.goto(f"{site}/")
        page.locator("#site-search-q").fill("llama")
        page.get_by_role("option").first.wait_for()
    assert_policy_holds(page, site, path, seen)
    context.close()


def test_admin_pages_have_no_csp_violation(browser, site):
    staff_user("rev", "Reviewers")
    login = browser.new_context()
    record_violation_events(login)
    page = login.new_page()
    seen = watch(page)
    assert_policy_holds(page, site, "/admin/login/", seen)
    login.close()

    page = log_in(browser, site, "rev")
    record_violation_events(page.context)
    seen = watch(page)
    model = LanguageModel.objects.get(slug="o4-mini")
    for path in (
        "/admin/",
        "/admin/models_catalog/languagemodel/",
        f"/admin/models_catalog/languagemodel/{model.pk}/change/",
        f"/admin/models_catalog/languagemodel/{model.pk}/history/",
        "/admin/models_catalog/offering/add/",
        "/admin/models_catalog/languagemodel/deleted/",
        "/review/",
    ):
        assert_policy_holds(page, site, path, seen)
    # Widgets that draw themselves with script: the autocomplete and the date picker.
    page.goto(f"{site}/admin/models_catalog/languagemodel/{model.pk}/change/")
    page.locator(".select2-selection").first.click()
    page.wait_for_load_state("networkidle")
    page.goto(f"{site}/admin/models_catalog/languagemodel/{model.pk}/change/")
    page.locator(".datetimeshortcuts a").first.click()
    assert not seen and not page.evaluate("window.__cspViolations || []"), seen
    page.context.close()
