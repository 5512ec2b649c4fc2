"""The Overview at 120 units of very uneven size, in headless Chromium (issue 10; feature-coded dash2NN).

The roster is :func:`tests.test_unit_order.many_units_roster` (``Förvaltning/Avdelning/Enhet``, 2 to
about 90 people a unit), saved in the data directory before the dashboard starts, so the
dashboard opens on it; the tests choose level 3 (120 units).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.conftest import LiveServer
from tests.test_unit_order import many_units_roster

playwright = pytest.importorskip("playwright.sync_api")
expect = playwright.expect

pytestmark = pytest.mark.browser

TIMEOUT = 180_000  # the first analysis of 120 units on a loaded 2-core machine
MAP_CARD = "#overview-unit-map-card"
MATRIX_CARD = "#overview-matrix-card"
SMALLEST_FONT = 10  # px: no label on the page may be smaller

# Font size of every visible piece of text on the overview: HTML elements with their own text,
# and the SVG text of the plotly figures.
FONT_SIZES = """() => {
  const page = document.querySelector('#overview-headline').closest('div').parentElement;
  const seen = [];
  for (const el of page.querySelectorAll('*')) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    const box = el.getBoundingClientRect();
    if (!own || box.width === 0 || box.height === 0) continue;
    seen.push([parseFloat(getComputedStyle(el).fontSize), el.textContent.trim().slice(0, 40)]);
  }
  return seen;
}"""

# The unit map's written labels: their size on screen (font size times zoom).
MAP_LABELS = """() => {
  const cy = document.getElementById('overview-unit-map')._cyreg.cy;
  return cy.nodes().filter(n => n.data('label')).map(n => [n.data('label'), parseFloat(n.style('font-size')) * cy.zoom()]);
}"""

# Where a node with a label is on the page, to hover it.
NODE_AT = """() => {
  const cy = document.getElementById('overview-unit-map')._cyreg.cy;
  const node = cy.nodes().filter(n => n.data('label')).sort((a, b) => b.data('size') - a.data('size'))[0];
  const box = document.getElementById('overview-unit-map').getBoundingClientRect();
  const p = node.renderedPosition();
  return {x: box.left + p.x, y: box.top + p.y, name: node.data('name')};
}"""


@pytest.fixture
def many_units_server(tmp_path: Path) -> Iterator[LiveServer]:
    """The dashboard on a data directory holding only the 120-unit roster, its level-3 analysis cached."""
    from analyser.store import Store

    data = tmp_path / "data"
    store = Store(data)
    info = store.save(many_units_roster(), name="Kommun med 120 enheter")
    # the same options the dashboard asks for at level 3 (dashboard.data.Settings.options)
    store.analysis(info.id, level=3, privacy="names", min_group_size=5, max_project_size=None, seed=0)
    server = LiveServer(data)
    server.start()
    yield server
    server.stop()


def _open_level_3(page, server: LiveServer) -> None:
    page.goto(server.url + "/overview")
    expect(page.locator("#app-dataset")).to_contain_text("Kommun med 120", timeout=TIMEOUT)
    expect(page.locator("#app-level option[value='3']")).to_have_count(1, timeout=TIMEOUT)
    page.select_option("#app-level", "3")
    expect(page.locator("#value-card_units")).to_have_text("120", timeout=TIMEOUT)
    page.wait_for_selector("#overview-heatmap .main-svg", timeout=TIMEOUT)
    expect(page.locator("#overview-heatmap .ytick text").last).to_have_text("Other units (90)", timeout=TIMEOUT)
    page.wait_for_timeout(800)  # cytoscape draws on the next frames


def test_dash201_overview_of_120_units_reads(page, many_units_server, screenshots):
    """Every label is 10 px or more, the matrix fits its card, the map card stays under 700 px, the legend is there."""
    _open_level_3(page, many_units_server)

    small = [(size, text) for size, text in page.evaluate(FONT_SIZES) if size < SMALLEST_FONT]
    assert not small, small
    labels = page.evaluate(MAP_LABELS)
    assert 10 <= len(labels) <= 25, labels
    assert all(size >= SMALLEST_FONT for _, size in labels), labels

    card = page.locator(MATRIX_CARD).bounding_box()
    plot = page.locator("#overview-heatmap .main-svg").first.bounding_box()
    assert card["x"] <= plot["x"] and plot["x"] + plot["width"] <= card["x"] + card["width"], (plot, card)
    assert card["y"] <= plot["y"] and plot["y"] + plot["height"] <= card["y"] + card["height"], (plot, card)
    ticks = page.locator("#overview-heatmap .ytick text").all_text_contents()
    assert len(ticks) == 31 and all("/" not in t.split(" (")[0] for t in ticks), ticks

    assert page.locator(MAP_CARD).bounding_box()["height"] < 700
    legend = page.locator("#overview-unit-map-legend")
    for kind in ("ei", "withheld", "no_ties", "silo", "too_little_data"):
        expect(legend.locator(f"[data-kind='{kind}']")).to_be_visible()
    expect(legend.locator("[data-kind='withheld']")).to_contain_text("withheld")

    page.locator(MAP_CARD).scroll_into_view_if_needed()
    page.screenshot(path=screenshots / "overview_many_units.png")


def test_dash202_hover_names_a_unit_in_full_and_all_units_scroll_inside_the_card(page, many_units_server):
    """Hovering a unit writes its full path under the map; "all units" draws 120 rows inside a card that does not grow past the page."""
    _open_level_3(page, many_units_server)
    page.locator(MAP_CARD).scroll_into_view_if_needed()
    info = page.locator("#overview-unit-map-info")
    for attempt in range(3):  # the page may still shift as figures arrive: find the node again and retry
        page.wait_for_timeout(500)
        node = page.evaluate(NODE_AT)
        page.mouse.move(node["x"], node["y"])
        try:
            expect(info).to_contain_text(node["name"] + ":", timeout=5_000)
            break
        except AssertionError:
            if attempt == 2:
                raise
    assert node["name"].count("/") == 2

    before = page.locator(MATRIX_CARD).bounding_box()["height"]
    page.get_by_label(re.compile("^all units$")).check()
    expect(page.locator("#overview-heatmap .ytick text")).to_have_count(120, timeout=TIMEOUT)
    after = page.locator(MATRIX_CARD).bounding_box()["height"]
    assert after < 1100, (before, after)
