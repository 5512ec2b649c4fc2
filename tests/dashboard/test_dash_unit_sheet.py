"""The Units page's "Export unit sheet" button: a download of the clicked unit's dialogue sheet."""

from __future__ import annotations

import base64
import re

import pytest

from analyser.report import PdfExportError
from analyser.report.common import slug
from analyser.report.unit_sheet import SHEET_TEXTS
from analyser.store import Store
from dashboard import ids
from dashboard.app import create_app, settings_data
from dashboard.pages import units
from tests.dash_requests import callback_body, find_callback
from tests.dashboard.component_text import texts


@pytest.fixture(scope="module")
def app_client(tmp_path_factory):
    """The dashboard on a fresh store (the sample), its test client and callback map."""
    folder = tmp_path_factory.mktemp("sheet-app")
    app = create_app(data_dir=folder)
    client = app.server.test_client()
    return client, client.get("/_dash-dependencies").get_json(), Store(folder).list()[0].id


def _post(client, dependencies, fragment: str, changed: str, values: dict) -> dict:
    body = callback_body(find_callback(dependencies, fragment), lambda i, p: values.get((i, p)), changed=[changed])
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_json()["response"]


def _values(dataset: str, unit: str | None, lang: str = "en", privacy: str = "names") -> dict:
    return {
        (ids.Units.SHEET_BUTTON, "n_clicks"): 1,
        (ids.Units.GRID, "cellClicked"): {"rowId": unit, "colId": "unit", "value": unit} if unit else None,
        (ids.App.SETTINGS, "data"): settings_data(dataset, "2", privacy, 5, None),
        (ids.App.LANG, "data"): lang,
    }


def test_button_downloads_the_clicked_units_sheet(app_client):
    """Through the Dash server: clicking the button gives the sheet of the unit clicked in the grid."""
    client, dependencies, dataset = app_client
    unit = "Miljöförvaltningen/Tillsyn"
    response = _post(client, dependencies, ids.Units.SHEET_DOWNLOAD, f"{ids.Units.SHEET_BUTTON}.n_clicks",
                     _values(dataset, unit))  # fmt: skip
    download = response[ids.Units.SHEET_DOWNLOAD]["data"]
    content = base64.b64decode(download["content"])
    assert download["filename"] in (f"unit-sheet-{slug(unit)}-names.pdf", f"unit-sheet-{slug(unit)}-names.html")
    message = texts(response[ids.Units.SHEET_MESSAGE]["children"])
    if download["filename"].endswith(".pdf"):
        assert content.startswith(b"%PDF-") and f"Downloaded {download['filename']}" in message
        title = SHEET_TEXTS["en"]["title"].format(unit=unit)
        assert title.encode("utf-16-be") in content or title.encode() in content or _pdf_title(content) == title
    else:  # no Chromium here: the HTML sheet, and the message says why
        assert f"<h1>{unit}</h1>" in content.decode("utf-8") and "PDF export is not available" in message


def _pdf_title(pdf: bytes) -> str | None:
    """The PDF's title as pdfinfo reads it (None without poppler-utils)."""
    import shutil
    import subprocess
    import tempfile
    from pathlib import Path

    if shutil.which("pdfinfo") is None:
        return None
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sheet.pdf"
        path.write_bytes(pdf)
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True, timeout=60).stdout
    found = re.search(r"^Title:\s+(.*)$", info, re.M)
    return found.group(1).strip() if found else None


def test_button_waits_for_a_click(app_client):
    """The button is disabled until a unit is clicked; without a clicked unit it asks for one."""
    client, dependencies, dataset = app_client
    ready = _post(client, dependencies, f"{ids.Units.SHEET_BUTTON}.disabled", f"{ids.Units.GRID}.cellClicked",
                  {(ids.Units.GRID, "cellClicked"): {"rowId": "Miljöförvaltningen/Tillsyn"}})  # fmt: skip
    assert ready[ids.Units.SHEET_BUTTON]["disabled"] is False
    response = _post(client, dependencies, ids.Units.SHEET_DOWNLOAD, f"{ids.Units.SHEET_BUTTON}.n_clicks",
                     _values(dataset, None))  # fmt: skip
    assert ids.Units.SHEET_DOWNLOAD not in response
    assert "Click a unit in the table first." in texts(response[ids.Units.SHEET_MESSAGE]["children"])


def test_without_pdf_the_sheet_comes_as_html_in_the_page_language(sample_data, settings_for, sample_id, monkeypatch):
    """When PDF export fails (no Chromium), the Swedish page gets the Swedish HTML sheet and says why."""
    real = units.unit_sheet_bytes

    def no_pdf(analysis, unit, fmt, **kwargs):
        if fmt == "pdf":
            raise PdfExportError("PDF export needs Chromium (apt-get install chromium)")
        return real(analysis, unit, fmt, **kwargs)

    monkeypatch.setattr(units, "unit_sheet_bytes", no_pdf)
    analysis = sample_data.analysis(settings_for("pseudonyms"))
    unit = analysis.units["unit"][0]
    memberships = sample_data.roster(sample_id).at_level(1)
    payload, message = units.export_unit_sheet(analysis, unit, "sv", memberships=memberships)
    page = base64.b64decode(payload["content"]).decode("utf-8")
    assert payload["filename"] == f"unit-sheet-{slug(unit)}-pseudonyms.html"
    assert '<html lang="sv">' in page and SHEET_TEXTS["sv"]["h_questions"] in page and f"<h1>{unit}</h1>" in page
    assert "PDF-export är inte tillgänglig här" in texts(message) and "apt-get install chromium" in texts(message)
    names = set(sample_data.roster(sample_id).memberships["person"].to_list())
    assert not [n for n in names if n in page]


def test_no_dataset_is_a_message():
    """Without an analysis the button answers with the no-dataset message, not an error."""
    payload, message = units.export_unit_sheet(None, "IT", "en")
    assert payload is None and "No dataset" in texts(message)
