"""End-to-end tests of the dashboard in headless Chromium (feature-coded: dashNNN)."""

from __future__ import annotations

import json
import time
import zipfile
from pathlib import Path

import polars as pl
import pytest

from analyser.analysis import SUMMARY_FIELDS

playwright = pytest.importorskip("playwright.sync_api")
expect = playwright.expect

pytestmark = pytest.mark.browser

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample_rosters.csv"
HEADLINE = "#overview-headline"
TIMEOUT = 20_000
SWEDISH_EXCEL = "Projekt;Namn;Enhet\r\n" + "".join(
    f"{p};{n};{u}\r\n"
    for p, n, u in [
        ("Digitalisering äldreomsorg", "Åsa Öberg", "Socialförvaltningen/Äldreomsorg"),
        ("Digitalisering äldreomsorg", "Jörgen Ängström", "Socialförvaltningen/Hemtjänst"),
        ("Digitalisering äldreomsorg", "Märta Åkesson", "Stadsledningskontoret/IT"),
        ("Trygg hemgång", "Åsa Öberg", "Socialförvaltningen/Äldreomsorg"),
        ("Trygg hemgång", "Lars Björk", "Socialförvaltningen/Hemtjänst"),
        ("Skolskjuts", "Märta Åkesson", "Stadsledningskontoret/IT"),
        ("Skolskjuts", "Eva Lind", "Utbildningsförvaltningen/Grundskola"),
    ]
)


def _file(name: str, data: bytes, mime: str = "text/csv") -> dict:
    return {"name": name, "mimeType": mime, "buffer": data}


def _open(page, live_server, path: str = "/overview") -> None:
    page.goto(live_server.url + path)
    expect(page.locator("#app-dataset")).to_contain_text("Sample municipality", timeout=TIMEOUT)


def _upload(page, name: str, data: bytes) -> None:
    page.set_input_files("#upload-file input[type=file]", files=[_file(name, data)])


def _sample_names() -> set[str]:
    return set(pl.read_csv(SAMPLE)["person"].to_list())


def test_dash001_opens_on_sample_data(page, live_server, screenshots):
    """A fresh data dir opens the overview of the shipped sample with its headline and figures."""
    page.goto(live_server.url)
    expect(page.locator(HEADLINE)).to_contain_text("Of the 120 projects with two or more people, ", timeout=TIMEOUT)
    expect(page.locator(HEADLINE)).to_contain_text("1 of the 8 units with enough data is a significant silo.")
    expect(page.locator("#value-card_people")).to_have_text("600")
    expect(page.locator("#note-card_communities")).to_have_text(__import__("re").compile(r"^stability \d\.\d\d"))
    expect(page.locator("#note-card_projects")).to_contain_text("120 with two or more people")
    page.wait_for_selector("#overview-heatmap .main-svg")
    page.wait_for_timeout(500)
    page.screenshot(path=screenshots / "overview.png")


def test_dash002_upload_swedish_excel_shows_check_then_overview(page, live_server, screenshots):
    """A ';' Windows-1252 export is checked (encoding warning shown), accepted and analysed."""
    _open(page, live_server, "/upload")
    _upload(page, "projektlista.csv", SWEDISH_EXCEL.encode("cp1252"))
    expect(page.locator("#count-upload_rows_read")).to_have_text("7", timeout=TIMEOUT)
    expect(page.locator("#upload-warnings")).to_contain_text("Windows-1252")
    page.fill("#upload-name", "Projektlista 2026")
    page.screenshot(path=screenshots / "upload.png")
    page.click("#upload-accept")
    expect(page).to_have_url(live_server.url + "/overview", timeout=TIMEOUT)
    expect(page.locator("#app-dataset")).to_contain_text("Projektlista 2026", timeout=TIMEOUT)
    expect(page.locator("#value-card_people")).to_have_text("5", timeout=TIMEOUT)
    expect(page.locator(HEADLINE)).to_contain_text("Of the 3 projects with two or more people")
    expect(page.locator(HEADLINE)).to_contain_text("no unit has enough data for a silo verdict")


def test_dash003_bad_lines_are_listed_with_their_line_numbers(page, live_server):
    """Rows without project, person or unit are rejected and shown with their line numbers."""
    _open(page, live_server, "/upload")
    data = b"project,person,unit\nP1,Anna,HR\nP1,Bo,\nP2,Cai,IT\n,Dan,IT\nP2,Eva,HR\n"
    _upload(page, "bad.csv", data)
    rejected = page.locator("#upload-rejected")
    expect(page.locator("#count-upload_rejected")).to_have_text("2", timeout=TIMEOUT)
    expect(rejected.locator("td.problem-line")).to_have_text(["3", "5"])


def test_dash004_unknown_headers_are_mapped_by_hand(page, live_server):
    """With unrecognised headers the page offers a mapping; after mapping the file is usable."""
    _open(page, live_server, "/upload")
    _upload(page, "odd.csv", b"Vad;Vem;Var\nP1;Anna;HR\nP1;Bo;IT\nP2;Bo;IT\n")
    expect(page.locator("#upload-mapping")).to_be_visible(timeout=TIMEOUT)
    expect(page.locator("#upload-accept")).to_be_disabled()
    for column, header in (("project", "Vad"), ("person", "Vem"), ("unit", "Var")):
        dropdown = page.locator(f'[id=\'{{"column":"{column}","type":"upload-column-map"}}\']')
        dropdown.click()
        page.get_by_role("option", name=header, exact=True).click()
    page.click("#upload-apply-mapping")
    expect(page.locator("#count-upload_rows_read")).to_have_text("3", timeout=TIMEOUT)
    expect(page.locator("#upload-accept")).to_be_enabled()


def test_dash005_pages_and_hierarchy_level(page, live_server, screenshots):
    """Menu links open each page; level 2 shows more units than level 1."""
    _open(page, live_server)
    expect(page.locator("#value-card_units")).to_have_text("8", timeout=TIMEOUT)
    page.select_option("#app-level", "2")
    expect(page.locator("#value-card_units")).not_to_have_text("8", timeout=TIMEOUT)
    for link, marker in (("#nav-projects", "#projects-grid"), ("#nav-network", "#network-map"),
                         ("#nav-export", "#export-message"), ("#nav-units", "#units-grid")):  # fmt: skip
        page.click(link)
        expect(page.locator(marker)).to_be_attached(timeout=TIMEOUT)
    expect(page.locator("#units-grid .ag-row").first).to_be_visible(timeout=TIMEOUT)
    page.select_option("#app-level", "1")
    expect(page.locator("#units-grid .ag-center-cols-container .ag-row")).to_have_count(8, timeout=TIMEOUT)  # one row each, not the pinned copy
    expect(page.locator("#units-grid .ag-row[row-index='0'] [col-id='verdict']")).to_have_text("significant silo")
    expect(page.locator("#units-grid .ag-row[row-index='0'] [col-id='ei_p']")).to_have_text("\u2264 0.001")
    page.locator("#units-grid .ag-row[row-index='0'] [col-id='unit']").click()
    expect(page.locator("#unit-verdict")).to_contain_text("Significant silo: E-I", timeout=TIMEOUT)
    expect(page.locator("#unit-partners")).to_be_visible(timeout=TIMEOUT)
    expect(page.locator("#unit-carriers")).to_be_visible()
    page.screenshot(path=screenshots / "units.png")


def test_dash006_language_switch_changes_labels(page, live_server):
    """Svenska translates the menu, the controls and the page text."""
    _open(page, live_server)
    expect(page.locator(HEADLINE)).to_contain_text("projects with two or more people", timeout=TIMEOUT)
    page.select_option("#app-language", "sv")
    expect(page.locator("#nav-units")).to_have_text("Enheter", timeout=TIMEOUT)
    expect(page.locator(HEADLINE)).to_contain_text("Av de 120 projekten med två eller fler personer stannar", timeout=TIMEOUT)
    expect(page.locator(HEADLINE)).to_contain_text("1 av de 8 enheterna med tillräckligt underlag är en signifikant silo")
    expect(page.locator("h2")).to_have_text("Översikt")
    page.click("#nav-bridges")
    expect(page.locator("h2")).to_have_text("Broar: vem knyter ihop enheterna", timeout=TIMEOUT)


def test_dash007_json_report_download(page, live_server, tmp_path):
    """The JSON button downloads the report with the contract keys."""
    _open(page, live_server, "/export")
    with page.expect_download(timeout=TIMEOUT) as download_info:
        page.click('[id=\'{"fmt":"json","type":"export-button"}\']')
    path = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(path)
    assert path.name == "silo-report-sample-municipality-names.json"
    body = json.loads(path.read_text("utf-8"))
    assert set(SUMMARY_FIELDS) <= set(json.dumps(body).split('"'))


def test_dash008_csv_zip_download(page, live_server, tmp_path):
    """The CSV button downloads a zip of the tables."""
    _open(page, live_server, "/export")
    with page.expect_download(timeout=TIMEOUT) as download_info:
        page.click('[id=\'{"fmt":"csv-zip","type":"export-button"}\']')
    path = tmp_path / "report.zip"
    download_info.value.save_as(path)
    assert any(n.endswith("units.csv") for n in zipfile.ZipFile(path).namelist())


def test_dash009_aggregate_mode_hides_every_person(page, live_server):
    """In aggregate mode no sample person's name appears on the Bridges, Units or Network pages."""
    names = _sample_names()
    _open(page, live_server, "/bridges")
    expect(page.locator("#bridges-grid .ag-row").first).to_be_visible(timeout=TIMEOUT)
    assert any(n in page.inner_text("body") for n in names)  # the check below can fail
    page.select_option("#app-privacy", "aggregate")
    expect(page.locator("#bridges-aggregate")).to_be_visible(timeout=TIMEOUT)
    assert not [n for n in names if n in page.content()]
    page.click("#nav-units")
    page.locator("#units-grid .ag-row[row-index='0'] [col-id='unit']").click(timeout=TIMEOUT)
    expect(page.locator("#unit-partners")).to_be_visible(timeout=TIMEOUT)
    assert not [n for n in names if n in page.content()]
    page.click("#nav-network")
    expect(page.locator("#network-aggregate")).to_be_visible(timeout=TIMEOUT)
    assert not [n for n in names if n in page.content()]


def test_dash010_dataset_survives_a_restart(page, live_server):
    """An accepted dataset is listed again by a new app on the same data dir."""
    _open(page, live_server, "/upload")
    _upload(page, "lista.csv", SWEDISH_EXCEL.encode("cp1252"))
    expect(page.locator("#upload-accept")).to_be_enabled(timeout=TIMEOUT)
    page.fill("#upload-name", "Kept across restarts")
    page.click("#upload-accept")
    expect(page).to_have_url(live_server.url + "/overview", timeout=TIMEOUT)
    expect(page.locator(HEADLINE)).to_contain_text("stay inside one unit", timeout=TIMEOUT)
    page.wait_for_selector("#overview-heatmap .main-svg")
    page.goto("about:blank")  # leave the old server before it stops
    live_server.restart()
    page.goto(live_server.url + "/upload")
    expect(page.locator("#dataset-list")).to_contain_text("Kept across restarts", timeout=TIMEOUT)
    expect(page.locator("#dataset-list")).to_contain_text("Sample municipality")


def test_dash011_bridges_screenshot_and_pseudonyms(page, live_server, screenshots):
    """Bridges lists people by cross-unit betweenness; pseudonym mode shows codes instead of names."""
    _open(page, live_server, "/bridges")
    expect(page.locator("#bridges-grid .ag-center-cols-container .ag-row[row-index='0']")).to_be_visible(timeout=TIMEOUT)
    expect(page.locator("#bridges-grid .ag-header-cell[col-id='cross_unit_betweenness']")).to_contain_text(
        "Cross-unit betweenness")
    page.wait_for_selector("#bridges-bar .main-svg")
    page.screenshot(path=screenshots / "bridges.png")
    page.select_option("#app-privacy", "pseudonyms")
    first = page.locator("#bridges-grid .ag-row[row-index='0'] [col-id='person']")
    expect(first).to_have_text(__import__("re").compile(r"^P-[A-Z2-7]{8}$"), timeout=TIMEOUT)


def test_dash014_privacy_floor_in_the_page(page, floored_server):
    """Under a pseudonyms floor the dropdown offers no names and says why; Bridges shows codes
    and no sample name reaches the page."""
    names = _sample_names()
    _open(page, floored_server, "/bridges")
    expect(page.locator("#app-privacy-note")).to_contain_text("names are off for everyone", timeout=TIMEOUT)
    options = page.locator("#app-privacy option:not([value=''])")  # dbc.Select adds an empty placeholder
    expect(options).to_have_count(2)
    assert [options.nth(i).get_attribute("value") for i in range(2)] == ["pseudonyms", "aggregate"]
    expect(page.locator("#app-privacy")).to_have_value("pseudonyms")
    first = page.locator("#bridges-grid .ag-row[row-index='0'] [col-id='person']")
    expect(first).to_have_text(__import__("re").compile(r"^P-[A-Z2-7]{8}$"), timeout=TIMEOUT)
    assert not [n for n in names if n in page.content()]


def _upload_to_overview_seconds(page, live_server, name: str, data: bytes) -> float:
    page.goto(live_server.url + "/upload")
    expect(page.locator("#dataset-list")).to_be_visible(timeout=TIMEOUT)
    start = time.perf_counter()
    _upload(page, name, data)
    expect(page.locator("#upload-accept")).to_be_enabled(timeout=60_000)
    page.click("#upload-accept")
    expect(page.locator("#app-dataset")).to_contain_text(Path(name).stem, timeout=60_000)
    expect(page.locator(HEADLINE)).to_contain_text("stay inside one unit", timeout=120_000)
    expect(page.locator("#overview-unit-map")).to_be_visible()
    return time.perf_counter() - start


def test_dash012_upload_to_overview_time(page, live_server, tmp_path, record_property):
    """Upload-to-overview time of the sample (950 rows) and a 10,000-row roster, printed and recorded."""
    from analyser.sample import write_sample

    big = tmp_path / "big_roster.csv"
    frame = write_sample(big, people=6200, projects=1240, seed=1)
    assert frame.height >= 10_000
    small = _upload_to_overview_seconds(page, live_server, "sample_copy.csv", SAMPLE.read_bytes())
    large = _upload_to_overview_seconds(page, live_server, "big_roster.csv", big.read_bytes())
    record_property("sample_seconds", round(small, 2))
    record_property("rows_10k_seconds", round(large, 2))
    print(f"\nupload-to-overview: sample {small:.2f} s; {frame.height} rows {large:.2f} s")
    assert small < 30 and large < 120


def test_dash013_too_little_data_is_neutral_in_the_units_grid(page, live_server, tmp_path):
    """A two-person unit that only works with itself reads "too little data" in a muted row, never as a silo."""
    frame = pl.read_csv(SAMPLE).select("project", "person", "unit")
    tiny = pl.DataFrame({"project": ["Granskning"] * 2, "person": ["Ada Revisor", "Bo Revisor"],
                         "unit": ["Revisionen"] * 2})  # fmt: skip
    data = pl.concat([frame, tiny]).write_csv().encode("utf-8")
    _open(page, live_server, "/upload")
    _upload(page, "med_revision.csv", data)
    expect(page.locator("#upload-accept")).to_be_enabled(timeout=60_000)
    page.click("#upload-accept")
    expect(page.locator(HEADLINE)).to_contain_text("1 unit had too little data for a verdict", timeout=60_000)
    page.click("#nav-units")
    row = page.locator("#units-grid .ag-center-cols-container .ag-row[row-id='Revisionen']")  # the unit is pinned apart
    expect(row).to_be_attached(timeout=TIMEOUT)
    row.scroll_into_view_if_needed()
    expect(row.locator("[col-id='verdict']")).to_have_text("too little data")
    expect(row).to_have_class(__import__("re").compile(r"\bno-verdict-row\b"))
    assert "silo-row" not in (row.get_attribute("class") or "")
    expect(page.locator("#units-grid .ag-center-cols-container .ag-row.silo-row")).to_have_count(1)
