"""End-to-end tests of the Trends and Plan pages in headless Chromium (feature-coded: dash1NN)."""

from __future__ import annotations

import re
import time

import pytest

playwright = pytest.importorskip("playwright.sync_api")
expect = playwright.expect

pytestmark = pytest.mark.browser

TIMEOUT = 30_000


def _open(page, live_server, path: str) -> None:
    page.goto(live_server.url + path)
    expect(page.locator("#app-dataset")).to_contain_text("Sample municipality", timeout=TIMEOUT)


def _search_and_pick(page, dropdown: str, text: str, option: re.Pattern) -> None:
    """Open a searchable dropdown, search for ``text`` and pick ``option``.

    The search box is filled in one step, not typed key by key: Dash's dropdown sends each
    keystroke to the server, and on a loaded CI machine fast synthetic typing can race the
    popover's focus, so a letter lands outside the box. A person does not type that fast.
    """
    page.click(dropdown)
    search = page.locator(".dash-dropdown-content .dash-dropdown-search")
    expect(search).to_be_visible(timeout=TIMEOUT)
    search.fill(text)
    expect(search).to_have_value(text)
    page.get_by_role("option", name=option).click(timeout=TIMEOUT)


def test_dash101_trends_shows_sample_trend(page, live_server, screenshots, record_property):
    """The Trends page draws the sample by quarter (Socialförvaltningen's line among the units), then by year."""
    start = time.perf_counter()
    _open(page, live_server, "/trends")
    expect(page.locator("#trends-periods")).to_contain_text("from 2025-Q1 to 2026-Q4", timeout=TIMEOUT)
    page.wait_for_selector("#trends-unit-ei .main-svg")
    first_load = time.perf_counter() - start
    record_property("trends_first_load_seconds", round(first_load, 2))
    print(f"\nTrends page first load (sample, quarter): {first_load:.2f} s")
    expect(page.locator("#trends-unit-ei .legendtext", has_text=re.compile(r"^Socialförvaltningen$"))).to_have_count(1)
    expect(page.locator("#trends-org-ei .xtick text").first).to_have_text("2025-Q1")
    expect(page.locator("#trends-changes")).to_contain_text("From 2026-Q3 to 2026-Q4", timeout=TIMEOUT)
    page.wait_for_timeout(500)
    page.screenshot(path=screenshots / "trends.png")
    page.select_option("#trends-period", "year")
    expect(page.locator("#trends-periods")).to_contain_text("from 2025 to 2026", timeout=TIMEOUT)
    expect(page.locator("#trends-changes")).to_contain_text("From 2025 to 2026", timeout=TIMEOUT)
    expect(page.locator("#change-started")).to_be_visible()


def test_dash102_plan_applies_and_shows_before_after(page, live_server, screenshots):
    """A named person plus two counted members give a before/after table; the menu still lists one dataset."""
    _open(page, live_server, "/plan")
    expect(page.locator("#plan-counts .ag-row").first).to_be_visible(timeout=TIMEOUT)
    page.fill("#plan-name", "Trygg hemgång 2")
    _search_and_pick(page, "#plan-people", "Anna Andersson", re.compile(r"^Anna Andersson \("))
    page.keyboard.press("Escape")
    expect(page.locator("#plan-people")).to_contain_text("Anna Andersson")
    cell = page.locator("#plan-counts .ag-row", has_text="Tekniska förvaltningen").locator("[col-id='count']")
    cell.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("2")
    page.keyboard.press("Enter")
    expect(cell).to_have_text("2")
    page.click("#plan-apply")
    expect(page.locator("#plan-heading")).to_have_text("Before and after \u201cTrygg hemgång 2\u201d (3 members)", timeout=TIMEOUT)
    expect(page.locator("#plan-figures tbody tr")).to_have_count(5)
    expect(page.locator("#plan-units")).to_contain_text("Tekniska förvaltningen")
    expect(page.locator("#suggestions-pairs")).to_be_visible(timeout=TIMEOUT)
    page.locator("#plan-heading").scroll_into_view_if_needed()
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_timeout(300)
    page.screenshot(path=screenshots / "plan.png")
    page.click("#nav-upload")
    expect(page.locator("#dataset-list")).to_contain_text("Sample municipality", timeout=TIMEOUT)
    expect(page.locator("#dataset-list")).not_to_contain_text("Trygg hemgång 2")
