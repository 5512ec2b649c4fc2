"""The PDF as paper (issue 10 point 5): no on-screen toggles, every finding printed, table
headers that wrap between words only, and every table within its page.

The page is laid out by weasyprint from :func:`pdf_document` with placeholder images, so
these tests need no Chromium.
"""

from __future__ import annotations

import base64
import re

import pytest

from analyser.report.html_report import TEXTS
from analyser.report.pdf_report import PDF_CSS, pdf_document, printable
from tests.report.conftest import build_analysis

#: A 1×1 PNG standing in for every figure.
PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def _document(analysis, lang: str) -> str:
    return pdf_document(analysis, lang=lang, draw=lambda figures: [PIXEL] * len(figures))


def _layout(page_html: str):
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # OSError: the pango libraries are missing
        pytest.skip(f"weasyprint cannot load ({exc})")
    return HTML(string=page_html).render()


def _boxes(box, kind: str, found: list) -> list:
    """Every box of class ``kind`` under ``box``, in document order."""
    if type(box).__name__ == kind:
        found.append(box)
    for child in getattr(box, "children", None) or []:
        _boxes(child, kind, found)
    return found


def _text(box) -> list[str]:
    """The texts of the line pieces under ``box``."""
    return [b.text for b in _boxes(box, "TextBox", [])]


def test_findings_are_printed_open_without_the_toggle():
    """The data check lists every finding, with no "Show all 4 findings" to click; a
    heading-like summary ("All key figures") stays."""
    for lang in ("en", "sv"):
        page = _document(build_analysis(), lang)
        toggle = TEXTS[lang]["problems_summary"].split("{")[0].strip()
        assert toggle and toggle not in page
        assert all(" open" in tag for tag in re.findall(r"<details[^>]*>", page))
        assert TEXTS[lang]["key_figures"] in page
        assert page.count("missing unit; row rejected") == 1


def test_printable_keeps_everything_but_toggles():
    """Only markup changes: a closed details opens, an open one stays open, text is untouched."""
    body = ('<details class="findings"><summary class="toggle">Show all 20 findings</summary><table>'
            "<tr><td>&lt;details&gt;</td></tr></table></details><details open><summary>Key</summary></details>")  # fmt: skip
    assert printable(body) == ('<details class="findings" open><table><tr><td>&lt;details&gt;</td></tr></table></details>'
                               "<details open><summary>Key</summary></details>")  # fmt: skip


def test_headers_are_not_hyphenated():
    """No automatic hyphenation on table headers: "Severity" is never "Sever-ity"."""
    assert not re.search(r"th\s*{[^}]*hyphens:\s*auto", PDF_CSS)
    assert re.search(r"th\s*{[^}]*hyphens:\s*manual", PDF_CSS)


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_every_header_word_is_whole_and_every_table_fits(lang):
    """Laid out on A4, each header cell holds its words unbroken, and no table runs past the
    right edge of its page (the fifteen-column unit table gets landscape pages)."""
    document = _layout(_document(build_analysis(), lang))
    headers = seen = 0
    for number, page in enumerate(document.pages, start=1):
        root = page._page_box
        right = root.content_box_x() + root.width
        for table in _boxes(root, "TableBox", []):
            assert table.position_x + table.margin_width() <= right + 0.5, f"page {number}: a table is cut off"
            for cell in _boxes(table, "TableCellBox", []):
                if cell.element_tag != "th":
                    continue
                pieces = _text(cell)
                words = " ".join(pieces).split()
                assert not any(p.rstrip().endswith("\u2010") for p in pieces), pieces
                headers += 1
                seen += TEXTS[lang]["col_severity"] in words
    assert headers > 40 and seen == 1
