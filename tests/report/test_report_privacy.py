"""Every export states the privacy mode and the minimum group size it was made with."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import zipfile

import pytest
from tests.shared_data import TINY_ROWS

from analyser.analysis import analyse
from analyser.report import PdfExportError, report_bytes
from analyser.roster import Roster

MIN_GROUP = 3  # not the default 5, so a stated 5 would not pass by accident


@pytest.fixture(scope="module", params=["names", "pseudonyms", "aggregate"])
def analysis(request):
    """The tiny roster analysed in each privacy mode with a minimum group size of 3."""
    return analyse(Roster.from_rows(TINY_ROWS, source="tiny.csv"), privacy=request.param, min_group_size=MIN_GROUP)


def _about_pairs(rows: list[tuple]) -> dict[str, str]:
    return {str(k): str(v) for k, v in rows}


def test_json_states_mode_and_group_size(analysis):
    """JSON: meta.privacy and meta.options.min_group_size."""
    meta = json.loads(report_bytes(analysis, "json"))["meta"]
    assert meta["privacy"] == analysis.privacy and meta["options"]["min_group_size"] == MIN_GROUP


def test_csv_states_mode_and_group_size(analysis):
    """CSV (zip of tables): about.csv has privacy and min_group_size rows."""
    with zipfile.ZipFile(io.BytesIO(report_bytes(analysis, "csv-zip"))) as archive:
        lines = archive.read("about.csv").decode("utf-8-sig").splitlines()
    about = dict(line.split(",", 1) for line in lines[1:] if "," in line)
    assert about["privacy"] == analysis.privacy and about["min_group_size"] == str(MIN_GROUP)


def test_xlsx_states_mode_and_group_size(analysis):
    """XLSX: the About sheet has privacy and min_group_size rows."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.load_workbook(io.BytesIO(report_bytes(analysis, "xlsx")), read_only=True)
    about = _about_pairs(list(book["About"].iter_rows(min_row=2, max_col=2, values_only=True)))
    assert about["privacy"] == analysis.privacy and about["min_group_size"] == str(MIN_GROUP)


def _html_text(analysis) -> str:
    import re

    return " ".join(re.sub(r"<[^>]+>", " ", report_bytes(analysis, "html").decode("utf-8")).split())


def test_html_states_mode_and_group_size(analysis):
    """HTML: the privacy badge, and min_group_size among the options of the About table."""
    from analyser.report.html_report import TEXT

    text = _html_text(analysis)
    assert TEXT["privacy_badge"].format(mode=TEXT["privacy_modes"][analysis.privacy]) in text
    assert f"{TEXT['meta']['min_group_size']} {MIN_GROUP}" in text
    if analysis.privacy != "names":  # the privacy paragraph also says what the size does
        assert f"fewer than {MIN_GROUP} people" in text


def test_pdf_states_mode_and_group_size(tmp_path):
    """PDF (one mode: the statements come from the HTML body): mode and size, read back with pdftotext."""
    analysis = analyse(Roster.from_rows(TINY_ROWS, source="tiny.csv"), privacy="pseudonyms", min_group_size=MIN_GROUP)
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext not installed (apt-get install poppler-utils)")
    try:
        import weasyprint  # noqa: F401

        pdf = report_bytes(analysis, "pdf")
    except (ImportError, OSError, PdfExportError) as exc:
        pytest.skip(f"PDF export unavailable here ({exc})")
    (tmp_path / "r.pdf").write_bytes(pdf)
    text = " ".join(subprocess.run(["pdftotext", str(tmp_path / "r.pdf"), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())  # fmt: skip
    assert analysis.privacy in text.lower()
    from analyser.report.html_report import TEXT

    assert f"{TEXT['meta']['min_group_size']} {MIN_GROUP}" in text
