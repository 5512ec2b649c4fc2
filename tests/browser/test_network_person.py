"""End-to-end tests of the Network map and the person page in headless Chromium (feature-coded netNNN).

The map is read through its cytoscape instance (found from the map's DOM node via React), so
the tests measure what a reader sees: how many people are drawn, the on-screen size of the
names (font size × zoom) and where a person's dot is, to click it.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import polars as pl
import pytest

from analyser.ingest import read_roster
from analyser.store import Store
from tests.browser.conftest import LiveServer, check_screenshot
from tests.shared_data import REAL_ROSTERS, SAMPLE_ROSTER, require_shared

playwright = pytest.importorskip("playwright.sync_api")
expect = playwright.expect

pytestmark = pytest.mark.browser

TIMEOUT = 30_000
#: The cytoscape instance behind a map: react-cytoscapejs keeps it as ``_cy`` on its component.
MAP_STATE = """(id) => {
  const el = document.getElementById(id);
  if (!el) { return null; }
  const key = Object.keys(el).find(k => k.startsWith('__reactFiber$'));
  let fiber = key && el[key];
  while (fiber && !(fiber.stateNode && fiber.stateNode._cy)) { fiber = fiber.return; }
  if (!fiber) { return null; }
  const cy = fiber.stateNode._cy;
  const box = el.getBoundingClientRect();
  return {zoom: cy.zoom(), box: {x: box.x, y: box.y, width: box.width, height: box.height},
          nodes: cy.nodes().map(n => ({id: n.id(), label: n.data('label'), person: n.data('person'),
                                       unit: n.data('unit'), rank: n.data('rank'), classes: n.classes(),
                                       x: n.renderedPosition('x'), y: n.renderedPosition('y'),
                                       font: parseFloat(n.style('font-size')) * cy.zoom(), shown: n.style('label')}))};
}"""


def _map(page, map_id: str = "network-map") -> dict:
    """The drawn map once it has people: zoom, box and nodes with on-screen positions and font sizes."""
    page.wait_for_function(f"(id) => {{ const state = ({MAP_STATE})(id); return state && state.nodes.length > 0; }}",
                           arg=map_id, timeout=TIMEOUT)  # fmt: skip
    page.wait_for_timeout(300)  # the preset layout's fit
    return page.evaluate(MAP_STATE, map_id)


def _sample_names() -> set[str]:
    return set(pl.read_csv(SAMPLE_ROSTER)["person"].to_list())


def _open(page, url: str) -> None:
    page.goto(url)
    expect(page.locator("#app-dataset")).not_to_have_text("", timeout=TIMEOUT)


def _click_node(page, map_id: str, node: dict) -> None:
    """Click a person's dot where cytoscape draws it (scrolled into view first)."""
    page.locator(f"#{map_id}").scroll_into_view_if_needed()
    state = page.evaluate(MAP_STATE, map_id)
    drawn = next(n for n in state["nodes"] if n["id"] == node["id"])
    page.mouse.click(state["box"]["x"] + drawn["x"], state["box"]["y"] + drawn["y"])


def _best_bridge(state: dict) -> dict:
    return min((n for n in state["nodes"] if "labelled" in n["classes"]), key=lambda n: n["rank"])


def test_net001_map_opens_on_the_largest_silo_with_a_legend_and_readable_names(page, live_server, screenshots):
    """The sample's map opens on its largest silo (83 people, with their 16 outside contacts), has a
    legend of unit colours, names at 10 px or more on screen, and cytoscape logs no wheel warning."""
    console: list[str] = []
    page.on("console", lambda msg: console.append(msg.text))
    _open(page, live_server.url + "/network")
    expect(page.locator("#network-count")).to_have_text(
        "83 people in the unit and 16 outside contacts who work with them; 445 ties.", timeout=TIMEOUT)
    expect(page.locator("#network-choice")).to_contain_text("Tekniska förvaltningen (83 people, significant silo)")
    state = _map(page)
    assert len(state["nodes"]) == 99
    labelled = [n for n in state["nodes"] if "labelled" in n["classes"]]
    assert labelled and min(n["font"] for n in labelled) >= 10, [n["font"] for n in labelled]
    legend = page.locator("#network-legend-box")
    expect(legend).to_contain_text("Tekniska förvaltningen: this unit (83 people)")
    expect(legend).to_contain_text("Outside contacts, by their unit:")
    expect(legend).to_contain_text("Miljöförvaltningen (16 people)")
    assert parse_qs(urlparse(page.url).query) == {"mode": ["unit"], "choice": ["Tekniska förvaltningen"]}
    # everyone else is named on hover
    plain = next(n for n in state["nodes"] if "labelled" not in n["classes"])
    assert plain["shown"] == ""
    page.locator("#network-map").scroll_into_view_if_needed()
    drawn = next(n for n in page.evaluate(MAP_STATE, "network-map")["nodes"] if n["id"] == plain["id"])
    box = page.evaluate(MAP_STATE, "network-map")["box"]
    page.mouse.move(box["x"] + drawn["x"], box["y"] + drawn["y"])
    page.wait_for_function(f"() => ({MAP_STATE})('network-map').nodes.find(n => n.id === {plain['id']!r}).shown !== ''",
                           timeout=TIMEOUT)  # fmt: skip
    page.screenshot(path=screenshots / "network.png")
    assert not [m for m in console if "wheel sensitivity" in m]


def test_net002_clicking_a_person_on_the_map_opens_their_page_and_back_returns(page, live_server, screenshots):
    """A click on the strongest bridge's dot opens their page (units, projects, ego map with a legend);
    Back returns to the same map."""
    _open(page, live_server.url + "/network")
    bridge = _best_bridge(_map(page))
    _click_node(page, "network-map", bridge)
    expect(page).to_have_url(re.compile(r"/person\?id="), timeout=TIMEOUT)
    expect(page.locator("#person-name")).to_have_text(bridge["label"], timeout=TIMEOUT)
    expect(page.locator("#person-units")).to_contain_text(bridge["unit"])
    expect(page.locator("#person-units")).to_contain_text("Miljöförvaltningen")
    expect(page.locator("#person-projects tbody tr").first).to_be_visible()
    expect(page.locator("#person-sole-bridges")).to_contain_text("runs through this person")
    expect(page.locator("#person-legend-box")).to_contain_text("Colour = unit")
    ego = _map(page, "person-map")
    assert len(ego["nodes"]) > 1 and "ego" in ego["nodes"][0]["classes"]
    assert min(n["font"] for n in ego["nodes"] if "labelled" in n["classes"]) >= 10
    page.screenshot(path=screenshots / "person.png")
    page.go_back()
    expect(page.locator("#network-choice")).to_contain_text("Tekniska förvaltningen", timeout=TIMEOUT)
    expect(page.locator("#network-count")).to_contain_text("83 people in the unit", timeout=TIMEOUT)


def test_net003_clicking_a_name_on_bridges_opens_their_page(page, live_server):
    """The Bridges grid's first name opens that person's page with their units and projects; a
    collaborator's link there opens the collaborator's page."""
    _open(page, live_server.url + "/bridges")
    cell = page.locator("#bridges-grid .ag-row[row-index='0'] .ag-cell[col-id='person']")
    expect(cell).to_be_visible(timeout=TIMEOUT)
    name = cell.inner_text().strip()
    cell.click()
    expect(page.locator("#person-name")).to_have_text(name, timeout=TIMEOUT)
    expect(page.locator("#person-units tbody tr").first).to_be_visible()
    expect(page.locator("#person-projects tbody tr").first).to_be_visible()
    link = page.locator("#person-collaborators a").first
    other = link.inner_text()
    link.click()
    expect(page.locator("#person-name")).to_have_text(other, timeout=TIMEOUT)


def test_net004_a_units_carrier_opens_their_page(page, live_server):
    """On the Units page a unit's people with outside ties are links to their pages."""
    _open(page, live_server.url + "/units")
    page.locator("#units-grid .ag-row[row-index='0'] .ag-cell[col-id='unit']").click(timeout=TIMEOUT)
    link = page.locator("#unit-carriers a").first
    expect(link).to_be_visible(timeout=TIMEOUT)
    name = link.inner_text()
    link.click()
    expect(page.locator("#person-name")).to_have_text(name, timeout=TIMEOUT)
    expect(page.locator("#person-units tbody tr").first).to_be_visible()


def test_net005_pseudonyms_put_codes_in_the_address_and_show_no_name(page, live_server):
    """With pseudonyms a click on Bridges puts the code in the address; the page shows codes only."""
    _open(page, live_server.url + "/bridges")
    page.select_option("#app-privacy", "pseudonyms")
    cell = page.locator("#bridges-grid .ag-row[row-index='0'] .ag-cell[col-id='person']")
    expect(cell).to_have_text(re.compile(r"^P-[A-Z2-7]{8}$"), timeout=TIMEOUT)
    code = cell.inner_text().strip()
    cell.click()
    expect(page.locator("#person-name")).to_have_text(code, timeout=TIMEOUT)
    assert parse_qs(urlparse(page.url).query) == {"id": [code]}
    expect(page.locator("#person-collaborators a").first).to_have_text(re.compile(r"^P-"))
    text = page.inner_text("body")
    assert not any(name in text for name in _sample_names())


def test_net006_person_page_is_off_in_aggregate_mode(page, live_server):
    """In aggregate mode the person page says person detail is off, and names nobody."""
    _open(page, live_server.url + "/network")
    page.select_option("#app-privacy", "aggregate")
    expect(page.locator("#network-aggregate")).to_be_visible(timeout=TIMEOUT)
    # an address from before (or typed in): opened inside the app, so the settings stay
    page.evaluate("""() => { window.history.pushState({}, '', '/person?id=' + encodeURIComponent('Emma Sandberg'));
                             window.dispatchEvent(new CustomEvent('_dashprivate_pushstate')); }""")
    expect(page.locator("#person-aggregate")).to_contain_text("off in aggregate mode", timeout=TIMEOUT)
    assert "Emma Sandberg" not in page.inner_text("body")


@pytest.fixture
def uboot_server(tmp_path: Path):
    """The dashboard on the U-Boot MAINTAINERS roster (70 units, most of one or two people)."""
    store = Store(tmp_path / "data")
    store.save(read_roster(require_shared(REAL_ROSTERS / "uboot.csv")), name="U-Boot")
    server = LiveServer(tmp_path / "data")
    server.start()
    yield server
    server.stop()


def test_net007_uboot_opens_on_its_silo_not_a_one_person_unit(page, uboot_server, tmp_path):
    """U-Boot's first unit alphabetically has one person; the map opens on bootlin.com (7 people, its
    one significant silo) with the people of other units who work with it, all named."""
    _open(page, uboot_server.url + "/network")
    expect(page.locator("#network-choice")).to_contain_text("bootlin.com (7 people, significant silo)", timeout=TIMEOUT)
    expect(page.locator("#network-count")).to_have_text(
        "7 people in the unit and 3 outside contacts who work with them; 10 ties.", timeout=TIMEOUT)
    state = _map(page)
    assert len(state["nodes"]) == 10 and all("labelled" in n["classes"] for n in state["nodes"])
    assert min(n["font"] for n in state["nodes"]) >= 10
    expect(page.locator("#network-legend-box")).to_contain_text("bootlin.com: this unit (7 people)")
    page.screenshot(path=tmp_path / "network_uboot.png")
    check_screenshot(tmp_path / "network_uboot.png")
