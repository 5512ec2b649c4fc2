"""The silo report in every format: HTML, PDF, XLSX, JSON and CSV, to a file or to bytes;
and the one-page dialogue sheet of each unit (:mod:`analyser.report.unit_sheet`)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from analyser.report.html_report import render_html
from analyser.report.json_report import json_bytes, to_json_dict
from analyser.report.language import REPORT_LANGUAGES, check_language
from analyser.report.pdf_report import PdfExportError, render_pdf
from analyser.report.tabular import csv_zip_bytes, write_csv_folder, write_xlsx, xlsx_bytes
from analyser.report.unit_sheet import UnknownUnitError, unit_sheet_bytes, write_unit_sheet, write_unit_sheets

if TYPE_CHECKING:
    from analyser.analysis import Analysis

__all__ = [
    "ReportFormat", "FORMATS", "REPORT_LANGUAGES", "write_report", "report_bytes", "render_html", "render_pdf", "to_json_dict",
    "PdfExportError", "UnknownUnitError", "unit_sheet_bytes", "write_unit_sheet", "write_unit_sheets",
]  # fmt: skip

ReportFormat = Literal["html", "pdf", "xlsx", "json", "csv-zip"]

#: What :func:`write_report` makes of each file name ending.
FORMATS = {
    ".html": "HTML page", ".pdf": "PDF document", ".xlsx": "Excel workbook", ".json": "JSON",
    "": "folder of CSV files",
}  # fmt: skip


def write_report(
    analysis: Analysis, out: str | Path, *, trends: Mapping[str, Any] | None = None, lang: str = "en"
) -> Path:
    """Write the report to ``out`` in the format its suffix names; return the path written.

    ``.html`` gives the self-contained page, ``.pdf`` the A4 PDF (needs Chromium, see
    :func:`render_pdf`), ``.xlsx`` the workbook, ``.json`` the contract JSON, and a path
    without suffix (or an existing folder) a folder of CSV files. Parent folders are
    created. ``trends`` (:func:`analyser.periods.trends_json` in the report's privacy
    mode) adds the "Change over time" section to the HTML and PDF reports; the tabular
    formats leave it out (the ``analyser trends`` command writes it as JSON). ``lang``
    (``"en"`` or ``"sv"``) is the language of the HTML and PDF reports; the tabular
    formats keep the contract's field names.

    Raises
    ------
    ValueError
        For any other suffix; the message lists the supported formats.
    PdfExportError
        For ``.pdf`` when Chromium is not installed; nothing is written then.

    Examples
    --------
    >>> import tempfile
    >>> import polars as pl
    >>> from analyser.analysis import Analysis
    >>> e = pl.DataFrame()
    >>> a = Analysis(e, e, e, e, {"people": 0})
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     write_report(a, Path(tmp) / "report.json").name
    'report.json'
    >>> write_report(a, "report.docx")
    Traceback (most recent call last):
    ...
    ValueError: cannot write a report to 'report.docx': unknown suffix '.docx'; supported: .html (HTML page), .pdf (PDF document), .xlsx (Excel workbook), .json (JSON), no suffix (folder of CSV files); an existing folder also gets CSV files
    """
    check_language(lang)
    out = Path(out)
    suffix = "" if out.is_dir() else out.suffix.lower()
    if suffix not in FORMATS:
        supported = ", ".join(f"{s or 'no suffix'} ({what})" for s, what in FORMATS.items())
        supported += "; an existing folder also gets CSV files"
        msg = f"cannot write a report to {str(out)!r}: unknown suffix {out.suffix!r}; supported: {supported}"
        raise ValueError(msg)
    if suffix == "":
        return write_csv_folder(analysis, out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".xlsx":
        write_xlsx(analysis, out)
    else:
        out.write_bytes(report_bytes(analysis, suffix[1:], trends=trends, lang=lang))  # type: ignore[arg-type]
    return out


def report_bytes(
    analysis: Analysis, fmt: ReportFormat, *, trends: Mapping[str, Any] | None = None, lang: str = "en"
) -> bytes:
    """Return the report in format ``fmt`` as bytes, for downloads served from memory.

    ``"csv-zip"`` is a zip archive of the CSV files; ``"html"`` and ``"json"`` are UTF-8;
    ``"pdf"`` is an A4 PDF and raises :class:`PdfExportError` when Chromium is missing.
    ``trends`` adds the "Change over time" section to ``html`` and ``pdf``, written in
    ``lang`` (see :func:`write_report`).

    Examples
    --------
    >>> import polars as pl
    >>> from analyser.analysis import Analysis
    >>> e = pl.DataFrame()
    >>> a = Analysis(e, e, e, e, {})
    >>> [report_bytes(a, f)[:2] for f in ("xlsx", "csv-zip", "json")]
    [b'PK', b'PK', b'{\\n']
    """
    makers = {
        "html": lambda: render_html(analysis, trends, lang=lang).encode("utf-8"),
        "pdf": lambda: render_pdf(analysis, trends, lang=lang),
        "xlsx": lambda: xlsx_bytes(analysis),
        "json": lambda: json_bytes(analysis),
        "csv-zip": lambda: csv_zip_bytes(analysis),
    }
    if fmt not in makers:
        msg = f"unknown report format {fmt!r}; supported: {', '.join(makers)}"
        raise ValueError(msg)
    check_language(lang)
    return makers[fmt]()
