"""Public pages in a real browser: finding a pair, forms without JavaScript, layout, a11y.

Screenshots land in screenshots/ for a person to look at.
"""

from __future__ import annotations

from pathlib import Path

import pytest

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"

PAGES = {
    "home": "/",
    "catalog": "/models/",
    "model": "/models/o4-mini/",
    "provider": "/providers/openrouter/",
    "benchmark": "/benchmarks/mmlu-pro/",
    "pair": "/compare/llama-3-2-1b-instruct-vs-o4-mini/",
}


def test_picker_with_type_ahead_reaches_the_canonical_pair(page, site):
    page.goto(f"{site}/")
    first = page.locator("#picker-a")
    first.fill("llama 1b")
    page.get_by_role("option", name="Llama 3.2 1B Instruct").click()
    second = page.locator("#picker-b")
    second.fill("o4 mini")
    page.get_by_role("option", name="o4-mini", exact=False).first.click()
    page.wait_for_url(f"{site}/compare/llama-3-2-1b-instruct-vs-o4-mini/")
    assert page.locator("h1").inner_text() == "Llama 3.2 1B Instruct vs o4-mini"


def test_without_javascript_the_plain_forms_work(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/")
    page.locator("input[name=a]").fill("o4-mini")
    page.locator("input[name=b]").fill("Llama 3.2 1B Instruct")
    page.get_by_role("button", name="Compare").click()
    assert page.url == f"{site}/compare/llama-3-2-1b-instruct-vs-o4-mini/"
    page.goto(f"{site}/")
    page.locator("#site-search-q").fill("llama 1b")
    page.locator("#site-search-q").press("Enter")
    page.get_by_role("link", name="Llama 3.2 1B Instruct").first.click()
    assert page.url == f"{site}/models/llama-3-2-1b-instruct/"
    context.close()


def test_header_search_suggests_and_navigates(page, site):
    page.goto(f"{site}/")
    page.locator("#site-search-q").fill("gpt4o")
    page.get_by_role("option").first.click()
    page.wait_for_url(f"{site}/models/gpt-4o/")


def test_input_share_changes_the_blended_figures(page, site):
    page.goto(f"{site}{PAGES['pair']}")
    blended = page.locator("tr", has_text="Blended (70/30)")
    before = blended.inner_text()
    page.locator("input[name=input_share]").fill("50")
    page.get_by_role("button", name="Recompute blend").click()
    page.wait_for_url("**input_share=50")
    after = page.locator("tr", has_text="Blended (50/50)").inner_text()
    assert before != after
    assert "input price × 50%" in page.locator("p.hint", has_text="Blended price").inner_text()


def test_catalog_filter_by_capability_and_price(page, site):
    page.goto(f"{site}/models/")
    total = page.locator(".results .meta").inner_text()
    page.get_by_label("vision").check()
    page.get_by_label("Max blended price ($/1M)").fill("1")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**capabilities=vision**")
    assert "max_price=1" in page.url
    filtered = page.locator(".results .meta").inner_text()
    assert filtered != total
    prices = page.locator("tbody tr td:nth-child(6)").all_inner_texts()
    assert prices and all(float(p.strip("$")) <= 1 for p in prices)


@pytest.mark.parametrize("width", [375, 1280])
def test_screenshots_without_horizontal_scroll(browser, site, width):
    SCREENSHOTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    for name, path in PAGES.items():
        page.goto(f"{site}{path}")
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {width}px"
    context.close()


@pytest.mark.parametrize("name", list(PAGES))
def test_no_serious_accessibility_violations(page, site, name):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(f"{site}{PAGES[name]}")
    results = Axe().run(page)
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not serious, "\n".join(serious)


# Price, spec and benchmark tables, by page; at 375 px every cell must be on screen.
TABLE_PAGES = ["model", "pair", "benchmark", "provider", "catalog"]
CELLS_OFF_SCREEN = """() => [...document.querySelectorAll('main table th, main table td')]
    .filter(cell => cell.getClientRects().length
        && cell.getBoundingClientRect().right > innerWidth + 0.5)
    .map(cell => cell.textContent.trim().slice(0, 40))"""


@pytest.mark.parametrize("name", TABLE_PAGES)
def test_every_table_cell_is_on_screen_on_a_phone(browser, site, name):
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.goto(f"{site}{PAGES[name]}")
    assert page.locator("main table").count()
    off_screen = page.evaluate(CELLS_OFF_SCREEN)
    assert not off_screen, f"{name}: cells beyond the right edge at 375 px: {off_screen[:5]}"
    context.close()


def test_chart_text_stays_readable_on_a_phone(browser, site):
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    for name in ("pair", "benchmark"):
        page.goto(f"{site}{PAGES[name]}")
        sizes = page.evaluate(
            "() => [...document.querySelectorAll('.chart svg text')]"
            ".map(t => t.getBoundingClientRect().height)"
        )
        assert sizes, f"{name} has no chart text"
        assert min(sizes) >= 11, f"{name}: chart text {min(sizes):.1f} px high at 375 px"
    context.close()


def test_api_docs_render_the_operations(page, site):
    page.goto(f"{site}/api/v1/docs/")
    page.get_by_text("LLM Reference API").first.wait_for()
    assert page.get_by_text("/api/v1/models/{slug}/").first.is_visible()


def test_catalog_ticks_open_a_three_way_comparison(page, site):
    page.goto(f"{site}/models/?organization=openai")
    for slug in ("o4-mini", "gpt-5", "gpt-5-mini"):
        page.locator(f"input[name=pick][value={slug}]").check()
    page.get_by_role("button", name="Compare the ticked models").click()
    page.wait_for_url(f"{site}/compare/gpt-5-vs-gpt-5-mini-vs-o4-mini/")
    assert page.locator("h1").inner_text() == "GPT-5 vs GPT-5 mini vs o4-mini"
