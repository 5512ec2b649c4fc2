"""The dashboard in Swedish, in headless Chromium: every page, the grids' and charts' own words,
numbers with a decimal comma, and a language that survives a reload (issue 11).

Every registered page is visited (``dashboard.app.PAGES`` and any detail pages), so a page added
later is checked too. A page fails when its visible text holds a sentence of the English
catalogue (four words or more) that Swedish words differently: names, numbers and words the two
languages share ("E-I") cannot trip it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import polars as pl
import pytest

from analyser.i18n import catalogue

playwright = pytest.importorskip("playwright.sync_api")
expect = playwright.expect

pytestmark = pytest.mark.browser

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample_rosters.csv"
TIMEOUT = 20_000
#: A roster the data check has something to say about: a duplicated row and a row without a unit.
ROSTER_WITH_FINDINGS = (
    "Projekt;Namn;Enhet\n"
    "Budget 2027;Anna Berg;Ekonomi\n"
    "Budget 2027;Bo Ek;IT\n"
    "Budget 2027;Bo Ek;IT\n"
    "Ny e-tjänst;Cecilia Dahl;\n"
    "Ny e-tjänst;Anna Berg;Ekonomi\n"
    "Ny e-tjänst;David Falk;Kommunikation\n"
)
SWEDISH = pytest.mark.browser_context_args(locale="sv-SE")
ENGLISH = pytest.mark.browser_context_args(locale="en-US")
PLACEHOLDER = re.compile(r"\{\w*\}|<[^>]+>")


def english_sentences() -> dict[str, str]:
    """Pieces of English catalogue text of four words or more that Swedish words differently,
    each with its key (a text with placeholders gives its fixed pieces between them)."""
    english, swedish = catalogue("en"), catalogue("sv")
    pieces: dict[str, str] = {}
    for key, text in english.items():
        if text == swedish.get(key):
            continue
        for piece in PLACEHOLDER.split(text):
            piece = " ".join(piece.split()).strip(" .,;:()–")
            if len(piece.split()) >= 4 and piece not in swedish.get(key, ""):
                pieces.setdefault(piece, key)
    return pieces


def english_on(text: str) -> list[str]:
    """The English catalogue sentences (with their keys) found in a page's visible text."""
    shown = " ".join(text.split())
    return [f"{key}: {piece!r}" for piece, key in english_sentences().items() if piece in shown]


def settle(page) -> None:
    """Wait until Dash has no callback running and the page has drawn."""
    page.wait_for_function("() => !document.querySelector('[data-dash-is-loading=\"true\"]')", timeout=TIMEOUT)
    page.wait_for_timeout(800)
    page.wait_for_function("() => !document.querySelector('[data-dash-is-loading=\"true\"]')", timeout=TIMEOUT)


def shoot(page, screenshots: Path, name: str) -> None:
    """A screenshot for the reader (also to $SWEDISH_SCREENSHOTS when set, to look at)."""
    page.screenshot(path=screenshots / f"sv-{name}.png")
    if os.environ.get("SWEDISH_SCREENSHOTS"):
        folder = Path(os.environ["SWEDISH_SCREENSHOTS"])
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=folder / f"sv-{name}.png", full_page=True)


def page_paths() -> list[tuple[str, str]]:
    """(name, address) of every registered page: the menu pages and the detail pages."""
    from dashboard import app

    person = pl.read_csv(SAMPLE)["person"][0]
    paths = [(p.PATH.strip("/"), p.PATH) for p in app.PAGES]
    for detail in getattr(app, "DETAIL_PAGES", ()):
        href = detail.person_href(person) if hasattr(detail, "person_href") else detail.PATH
        paths.append((detail.PATH.strip("/"), href))
    return paths


@SWEDISH
def test_swe001_first_visit_follows_the_browsers_language(page, live_server):
    """A browser that prefers Swedish gets the dashboard in Swedish at once, with the page language set."""
    page.goto(live_server.url + "/overview")
    expect(page.locator("#nav-units")).to_have_text("Enheter", timeout=TIMEOUT)
    expect(page.locator("#app-language")).to_have_value("sv")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.locator("#app-dataset")).to_contain_text(catalogue("sv")["sample_dataset_name"], timeout=TIMEOUT)


@ENGLISH
def test_swe002_the_chosen_language_survives_a_reload(page, live_server):
    """Svenska chosen on an English browser stays after a reload, and so does English chosen back."""
    page.goto(live_server.url + "/units")
    expect(page.locator("#nav-units")).to_have_text("Units", timeout=TIMEOUT)
    page.select_option("#app-language", "sv")
    expect(page.locator("h2").first).to_have_text("Enheter", timeout=TIMEOUT)
    page.reload()
    expect(page.locator("#nav-units")).to_have_text("Enheter", timeout=TIMEOUT)
    expect(page.locator("h2").first).to_have_text("Enheter", timeout=TIMEOUT)
    expect(page.locator("#app-language")).to_have_value("sv")
    page.select_option("#app-language", "en")
    expect(page.locator("h2").first).to_have_text("Units", timeout=TIMEOUT)
    page.reload()
    expect(page.locator("h2").first).to_have_text("Units", timeout=TIMEOUT)
    expect(page.locator("#app-language")).to_have_value("en")


@SWEDISH
def test_swe003_every_page_speaks_swedish(page, live_server, screenshots):
    """No page shows a sentence of the English catalogue: the sample on every registered page, and an
    uploaded roster's data check with its findings. AG Grid warns of nothing on the way (such as an
    invalid grid option)."""
    grid_warnings: list[str] = []
    page.on("console", lambda msg: grid_warnings.append(msg.text) if "AG Grid" in msg.text else None)
    page.goto(live_server.url + "/upload")
    expect(page.locator("#nav-units")).to_have_text("Enheter", timeout=TIMEOUT)
    page.set_input_files("#upload-file input[type=file]", files=[
        {"name": "projektlista.csv", "mimeType": "text/csv", "buffer": ROSTER_WITH_FINDINGS.encode("utf-8")}])
    expect(page.locator("#upload-report")).not_to_be_empty(timeout=TIMEOUT)
    settle(page)
    found = {"upload (data check)": english_on(page.locator("body").inner_text())}
    shoot(page, screenshots, "upload-check")
    for name, path in page_paths():
        page.goto(live_server.url + path)
        expect(page.locator("#app-language")).to_have_value("sv", timeout=TIMEOUT)
        expect(page.locator("h2").first).to_be_visible(timeout=TIMEOUT)
        settle(page)
        if name == "units":  # open a unit's drill-down too
            page.locator("#units-grid .ag-row[row-index='0'] [col-id='unit']").click()
            expect(page.locator("#unit-verdict")).to_be_visible(timeout=TIMEOUT)
            settle(page)
        found[name] = english_on(page.locator("body").inner_text())
        shoot(page, screenshots, name)
    assert {name: hits for name, hits in found.items() if hits} == {}
    assert grid_warnings == []


@SWEDISH
def test_swe004_grids_speak_swedish_and_write_numbers_the_swedish_way(page, live_server):
    """Pagination reads "1 till 20 av 600" and "Sida 1 av 30"; the filter menu is Swedish; numbers have
    a decimal comma and grouped thousands; the name column stays pinned."""
    page.goto(live_server.url + "/bridges")
    panel = page.locator("#bridges-grid .ag-paging-panel")
    expect(panel).to_contain_text(re.compile(r"1 till 20 av 600"), timeout=TIMEOUT)
    expect(panel).to_contain_text(re.compile(r"Sida 1 av 30"))
    page.locator("#bridges-grid .ag-header-cell[col-id='person'] .ag-header-cell-filter-button").click()
    menu = page.locator(".ag-filter")
    expect(menu).to_contain_text("Innehåller", timeout=TIMEOUT)
    expect(menu.locator("input[type=text]").first).to_have_attribute("placeholder", re.compile("^Filtrera"))
    page.keyboard.press("Escape")
    page.goto(live_server.url + "/units")
    expect(page.locator("#units-grid .ag-row").first).to_be_visible(timeout=TIMEOUT)
    expect(page.locator("#units-grid .ag-pinned-left-cols-container [col-id='unit']").first).to_be_visible()
    ei = page.locator("#units-grid .ag-center-cols-container [col-id='ei_index']").all_inner_texts()
    assert ei and all(re.fullmatch(r"\u2212?\d,\d\d", text) for text in ei), ei
    ties = page.locator("#units-grid .ag-center-cols-container [col-id='ties_external']").all_inner_texts()
    assert any(re.fullmatch(r"\d{1,3}[\u00a0\u202f ]\d{3}", text) for text in ties), ties  # 1 076, not 1076


@SWEDISH
def test_swe005_chart_ticks_use_a_decimal_comma(page, live_server):
    """The E-I chart's axis reads −0,5 and 0,5, never 0.5; its toolbar is Swedish."""
    page.goto(live_server.url + "/overview")
    # the drawn chart (units on its axis), not the empty one shown while the analysis runs
    expect(page.locator("#overview-ei-chart .ytick text", has_text="förvaltningen").first).to_be_attached(timeout=TIMEOUT)
    ticks = page.locator("#overview-ei-chart .xtick text")
    labels = ticks.evaluate_all("texts => texts.map(t => t.textContent)")  # SVG text has no innerText
    assert any(re.search(r"\d,\d", label) for label in labels), labels
    assert not any(re.search(r"\d\.\d", label) for label in labels), labels
    page.locator("#overview-ei-chart").hover()
    expect(page.locator("#overview-ei-chart [data-title='Ladda ned diagrammet som PNG']")).to_be_attached(
        timeout=TIMEOUT)
