"""Tests of the reports' unit matrix on a 120-unit roster (issue 10): it fits and reads on A4.

The HTML and PDF reports share one matrix figure (:func:`analyser.report.figures.unit_matrix_heatmap`):
the 30 units with most ties plus "Other units", short labels, ordered into blocks. The PDF
prints a figure laid out 800 px wide (``pdf_report.FIGURE_WIDTH``) on the A4 text width of
178 mm, so 1 px is 0.63 pt: a 7 pt label needs 11 px, and a figure taller than about
1,030 px would be shrunk further by the 230 mm image height limit.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from analyser.analysis import analyse
from analyser.report import PdfExportError
from analyser.report.html_report import render_body, render_html
from analyser.report.pdf_report import FIGURE_SCALE, FIGURE_WIDTH, render_pdf
from tests.test_unit_order import many_units_roster

A4_TEXT_WIDTH_MM = 210 - 2 * 16  # the PDF's page margins
MAX_IMAGE_MM = 230  # .figure img { max-height: 230mm }
ORDER_SENTENCE = {"en": "hierarchical clustering with optimal leaf ordering", "sv": "hierarkisk klustring med optimal bladordning"}
OTHER_ROW = {"en": "Other units (90)", "sv": "Övriga enheter (90)"}


@pytest.fixture(scope="module")
def many_units():
    """120 units of very uneven size, with pseudonyms (units under 5 people withheld)."""
    return analyse(many_units_roster(), privacy="pseudonyms", n_permutations=19)


def _matrix_figure(analysis, lang):
    figures = {}
    render_body(analysis, lambda fig, name: figures.setdefault(name, fig) and "", lang=lang)
    return figures["unit-matrix"]


def _mm(px: float) -> float:
    return px * A4_TEXT_WIDTH_MM / FIGURE_WIDTH


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_report_matrix_of_120_units_fits_a4(many_units, lang):
    """At most 31 rows (the last "Other units (90)"), labels of 7 pt or more, no taller than an A4 image may be."""
    fig = _matrix_figure(many_units, lang)
    heat = fig.data[0]
    assert len(heat.y) <= 31 and heat.y[-1] == OTHER_ROW[lang]
    font = fig.layout.yaxis.tickfont.size
    assert _mm(font) / 25.4 * 72 >= 7.0, f"{font} px prints at {_mm(font) / 25.4 * 72:.1f} pt"
    assert _mm(fig.layout.height) <= MAX_IMAGE_MM
    assert all(len(t) <= 26 for t in fig.layout.yaxis.ticktext[:-1])


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_report_says_how_the_matrix_is_ordered_and_what_other_holds(many_units, lang):
    """The matrix section states the ordering, what the last row adds up and that grey is withheld."""
    page = render_html(many_units, lang=lang)
    section = page[page.index('id="matrix"') :]
    section = section[: section.index("<section", 10)] if "<section" in section[10:] else section
    assert ORDER_SENTENCE[lang] in section
    assert ("the other 90 units" if lang == "en" else "övriga 90 enheter") in section
    assert ("Grey cells are withheld" if lang == "en" else "Grå rutor är dolda") in section


def test_report_matrix_of_a_few_units_has_no_other_row(make_analysis):
    """The fixture's eight units are all shown, and the report does not mention "Other units"."""
    page = render_html(make_analysis())
    assert "Other units" not in page and ORDER_SENTENCE["en"] in page


def _pdf_or_skip(analysis, lang: str) -> bytes:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as exc:
        pytest.skip(f"weasyprint cannot load ({exc})")
    if shutil.which("pdfimages") is None:
        pytest.skip("pdfimages not installed (apt-get install poppler-utils)")
    try:
        return render_pdf(analysis, lang=lang)
    except PdfExportError as exc:
        pytest.skip(f"{exc} (figures need headless Chromium)")


def _images(pdf: bytes) -> list[dict[str, float]]:
    """Each image of the PDF: its page, pixel size and resolution (``pdfimages -list``)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "report.pdf"
        path.write_bytes(pdf)
        listing = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, check=True, timeout=60).stdout
    rows = [line.split() for line in listing.decode().splitlines()[2:] if line.strip()]
    return [{"page": int(r[0]), "width": int(r[3]), "height": int(r[4]), "x_ppi": float(r[12]), "y_ppi": float(r[13])}
            for r in rows if r[2] == "image"]  # fmt: skip


@pytest.mark.slow  # two PDF renders of a 120-unit report: about 15 s on an idle 2-core machine
@pytest.mark.parametrize("lang", ["en", "sv"])
def test_pdf_matrix_prints_on_one_page_with_readable_labels(many_units, lang):
    """In the printed PDF the matrix image fits the A4 text area and its 13 px labels print at 7 pt or more."""
    pdf = _pdf_or_skip(many_units, lang)
    matrix = _images(pdf)[1]  # E-I plot, matrix, (no bridges image: pseudonyms still show it) ...
    width_mm = matrix["width"] / matrix["x_ppi"] * 25.4
    height_mm = matrix["height"] / matrix["y_ppi"] * 25.4
    assert width_mm <= A4_TEXT_WIDTH_MM + 1 and height_mm <= MAX_IMAGE_MM + 1
    fig = _matrix_figure(many_units, lang)
    assert matrix["height"] == pytest.approx(fig.layout.height * FIGURE_SCALE, abs=2)  # it is the matrix
    label_pt = fig.layout.yaxis.tickfont.size * FIGURE_SCALE / matrix["x_ppi"] * 72
    assert label_pt >= 7.0, f"labels print at {label_pt:.1f} pt"
    assert re.match(rb"%PDF-", pdf)
