"""Tests for analyser.report.pdf_report and PDF output through write_report/report_bytes."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analyser.report import PdfExportError, report_bytes, write_report
from analyser.report.html_report import TEXT as HTML_TEXT
from analyser.report.pdf_report import css_string

XSS = "<img src=x onerror=alert(1)>"
SCRIPT_BREAK = "</script><img src=x onerror=alert(1)>"
HEADINGS = [HTML_TEXT[k] for k in ("h_data_check", "h_headlines", "h_units", "h_matrix", "h_bridges",
                                   "h_projects", "h_methods")]  # fmt: skip
PEOPLE = ("Åsa Öberg", "Bo Ek", "Cia Lund", "+46 70 123 45 67")


def _weasyprint_or_skip() -> None:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as exc:  # OSError: the pango libraries are missing
        pytest.skip(f"weasyprint cannot load ({exc}); apt-get install libpango-1.0-0 libpangoft2-1.0-0")


def _render(make) -> bytes:
    _weasyprint_or_skip()
    try:
        return make()
    except PdfExportError as exc:
        pytest.skip(f"{exc} (figures need headless Chromium)")


@pytest.fixture(scope="module")
def pdf(make_analysis) -> bytes:
    """The PDF report of the fixture analysis in names mode, through report_bytes."""
    return _render(lambda: report_bytes(make_analysis(), "pdf"))


@pytest.fixture(scope="module")
def aggregate_pdf(make_analysis, tmp_path_factory) -> bytes:
    """The PDF report in aggregate mode, through write_report into a new folder."""
    out = tmp_path_factory.mktemp("pdf") / "sub" / "report.PDF"
    written = _render(lambda: write_report(make_analysis(privacy="aggregate"), out))
    assert written == out
    return out.read_bytes()


def _poppler(tool: str, pdf: bytes, *args: str) -> str:
    """Run a poppler-utils tool on ``pdf`` and return what it prints."""
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} not installed (apt-get install poppler-utils)")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "report.pdf"
        path.write_bytes(pdf)
        out = ["-"] if tool == "pdftotext" else []
        done = subprocess.run([tool, *args, str(path), *out], capture_output=True, check=True, timeout=60)
    return done.stdout.decode("utf-8")


def _pages(pdf: bytes) -> list[str]:
    """The text of every page, whitespace runs collapsed so wrapped lines read as one."""
    text = _poppler("pdftotext", pdf, "-enc", "UTF-8")
    return [" ".join(page.split()) for page in text.split("\f") if page.strip()]


@pytest.mark.slow  # two PDF renders: about 9 s on an idle 2-core machine, 20 s under load
def test_is_a_pdf(pdf, aggregate_pdf):
    """Both privacy modes give a PDF file."""
    assert pdf.startswith(b"%PDF-")
    assert aggregate_pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")


@pytest.mark.slow
def test_a4_with_several_pages(pdf):
    """The report is at least two A4 pages long, with the report title as PDF title."""
    info = _poppler("pdfinfo", pdf)
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    assert pages >= 2
    assert re.search(r"^Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info, re.M), info
    assert re.search(rf"^Title:\s+{HTML_TEXT['title']}$", info, re.M)


@pytest.mark.slow
def test_every_section_heading(pdf, aggregate_pdf):
    """The text holds all seven section headings, in order, in both modes."""
    for document in (pdf, aggregate_pdf):
        text = " ".join(_pages(document))
        body = text[text.index(HEADINGS[0], text.index(HEADINGS[-1])) :]  # past the contents list
        positions = [body.find(h) for h in HEADINGS]
        assert -1 not in positions, [h for h, p in zip(HEADINGS, positions) if p < 0]
        assert positions == sorted(positions)


@pytest.mark.slow
def test_hostile_names_are_text(pdf):
    """Hostile and Swedish names show as their literal characters, escaped exactly once."""
    text = " ".join(_pages(pdf))
    assert XSS in text
    assert SCRIPT_BREAK in text
    assert '=HYPERLINK("http://x","y")' in text
    assert "Åsa Öberg" in text
    assert "&lt;" not in text and "&amp;" not in text


@pytest.mark.slow
def test_one_image_per_figure(pdf, aggregate_pdf):
    """Names mode has three figure images (E-I, matrix, bridges); aggregate mode has two."""
    for document, expected in ((pdf, 3), (aggregate_pdf, 2)):
        listing = _poppler("pdfimages", document, "-list")
        kinds = [line.split()[2] for line in listing.splitlines()[2:] if line.strip()]
        assert kinds.count("image") == expected, listing


@pytest.mark.slow
def test_no_javascript(pdf):
    """The PDF carries no JavaScript (pdfinfo -js lists none)."""
    info = _poppler("pdfinfo", pdf, "-js")
    assert "Plotly" not in info and "function" not in info
    assert b"/JavaScript" not in pdf and b"/JS " not in pdf


@pytest.mark.slow
def test_header_and_footer_on_every_page(pdf, aggregate_pdf):
    """Every page shows the privacy mode at the top and 'Page n of N' at the bottom."""
    for document, mode in ((pdf, "names"), (aggregate_pdf, "aggregate")):
        pages = _pages(document)
        badge = HTML_TEXT["privacy_badge"].format(mode=HTML_TEXT["privacy_modes"][mode])
        for number, page in enumerate(pages, start=1):
            assert badge in page, number
            assert f"Page {number} of {len(pages)}" in page


@pytest.mark.slow
def test_aggregate_mode_has_no_people(aggregate_pdf):
    """In aggregate mode no person name appears and the bridges section says why."""
    text = " ".join(_pages(aggregate_pdf))
    assert " ".join(HTML_TEXT["bridges_hidden"].split()) in text
    for person in PEOPLE:
        assert person not in text


def test_missing_chromium_is_a_clear_error(make_analysis, monkeypatch, tmp_path):
    """Without Chromium, write_report raises PdfExportError saying how to install it (in the
    reader's language: PdfUnavailable), and writes nothing."""
    kaleido = pytest.importorskip("kaleido")
    from kaleido.errors import ChromeNotFoundError

    from analyser.report.pdf_report import PdfUnavailable

    def no_browser(*args, **kwargs):
        raise ChromeNotFoundError("no chrome")

    monkeypatch.setattr(kaleido, "Kaleido", no_browser)
    out = tmp_path / "report.pdf"
    with pytest.raises(PdfExportError) as caught:
        write_report(make_analysis(), out)
    assert isinstance(caught.value, PdfUnavailable) and isinstance(caught.value, RuntimeError)
    assert caught.value.key == "install.pdf.chrome"
    for text in (str(caught.value), caught.value.message("sv")):
        assert "kaleido.get_chrome_sync()" in text and "apt install chromium" in text and "HTML" in text
    assert "Installera Google Chrome" in caught.value.message("sv")
    assert not out.exists()


@given(st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00")))
def test_css_string_round_trip(text):
    """Any text (quotes, backslashes, newlines, '</style>') reads back unchanged as one CSS string."""
    import tinycss2

    tokens = tinycss2.parse_component_value_list(css_string(text))
    assert [t.type for t in tokens] == ["string"]
    assert tokens[0].value == text
    assert "<" not in css_string(text) and "\n" not in css_string(text)


@pytest.mark.slow  # one more PDF render
def test_swedish_pdf(make_analysis):
    """lang="sv": Swedish headings, header and "Sida n av N" footer on every page."""
    from analyser.report.html_report import TEXTS

    sv = TEXTS["sv"]
    pages = _pages(_render(lambda: report_bytes(make_analysis(), "pdf", lang="sv")))
    text = " ".join(pages)
    assert sv["h_units"] in text and sv["h_methods"] in text and HTML_TEXT["h_units"] not in text
    badge = sv["privacy_badge"].format(mode=sv["privacy_modes"]["names"])
    for number, page in enumerate(pages, start=1):
        assert badge in page, number
        assert f"Sida {number} av {len(pages)}" in page


@pytest.mark.slow
def test_findings_print_without_toggle_and_headers_whole(pdf):
    """The printed data check shows its findings without "Show all 4 findings", and its
    Severity header in one piece (issue 10 point 5)."""
    text = " ".join(_pages(pdf))
    assert "Show all" not in text
    assert HTML_TEXT["col_severity"] in text.split()
    assert "missing unit; row rejected" in text
