"""Hostile names in an uploaded roster are shown as text on every page, never run or rendered."""

from __future__ import annotations

import pytest

playwright = pytest.importorskip("playwright.sync_api")
expect = playwright.expect

pytestmark = pytest.mark.browser

TIMEOUT = 20_000
XSS = "<img src=x onerror=alert(1)>"
FORMULA = '=HYPERLINK("http://x","y")'
ROSTER = (
    "project,person,unit\n"
    f'"{XSS}",Anna,"{XSS}"\n'
    f'"{XSS}","{FORMULA}",HR\n'
    f'"{XSS}",Bo,HR\n'
    f'Budget,"{FORMULA}",HR\n'
    f"Budget,Cai,IT\n"
    f"Budget,Dan,IT\n"
).replace('"=HYPERLINK("http://x","y")"', '"=HYPERLINK(""http://x"",""y"")"')


def test_dash201_hostile_names_stay_text(page, live_server):
    """An <img onerror> name and a spreadsheet formula appear literally; no element or dialog is made."""
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(live_server.url + "/upload")
    expect(page.locator("#app-dataset")).to_contain_text("Sample municipality", timeout=TIMEOUT)
    page.set_input_files(
        "#upload-file input[type=file]",
        files=[{"name": "hostile.csv", "mimeType": "text/csv", "buffer": ROSTER.encode("utf-8")}],
    )
    expect(page.locator("#count-upload_rows_read")).to_have_text("6", timeout=TIMEOUT)
    page.fill("#upload-name", XSS)
    page.click("#upload-accept")
    expect(page).to_have_url(live_server.url + "/overview", timeout=TIMEOUT)
    expect(page.locator("#app-dataset")).to_contain_text(XSS, timeout=TIMEOUT)
    for path, text in (("/units", XSS), ("/bridges", FORMULA), ("/projects", XSS)):
        page.goto(live_server.url + path)
        expect(page.locator("body")).to_contain_text(text, timeout=TIMEOUT)
        assert page.locator("img[src='x']").count() == 0, path
    assert dialogs == []
