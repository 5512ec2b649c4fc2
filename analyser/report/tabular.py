"""Spreadsheet reports: one XLSX workbook or a folder of CSV files, safe to open in Excel."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import polars as pl
import xlsxwriter

from analyser.report.common import (
    problems_table,
    report_tables,
    summary_items,
    suppressed_units,
)

if TYPE_CHECKING:
    from analyser.analysis import Analysis

__all__ = [
    "SHEETS",
    "FORMULA_TRIGGERS",
    "FORMULA_LIKE",
    "neutralise_formulas",
    "spreadsheet_tables",
    "write_xlsx",
    "xlsx_bytes",
    "csv_files",
    "write_csv_folder",
    "csv_zip_bytes",
]

#: (table key, XLSX sheet name, CSV file name) in workbook order.
SHEETS = (
    ("summary", "Summary", "summary.csv"),
    ("units", "Units", "units.csv"),
    ("people", "People", "people.csv"),
    ("projects", "Projects", "projects.csv"),
    ("unit_links", "Unit links", "unit_links.csv"),
    ("data_check", "Data check", "data_check.csv"),
    ("about", "About", "about.csv"),
)

#: A text cell starting with one of these is read as a formula by spreadsheet programs
#: (OWASP "CSV injection"). The full-width (＝ ＋ － ＠), small (﹦ ﹢ ﹣ ﹫) and minus (−) signs
#: count too: spreadsheet programs in East Asian locales take them for the ASCII ones.
FORMULA_TRIGGERS = (
    "=", "+", "-", "@", "\t", "\r", "\n",
    "\uff1d", "\uff0b", "\uff0d", "\uff20", "\ufe66", "\ufe62", "\ufe63", "\ufe6b", "\u2212",
)

_SIGNS = "".join(re.escape(t) for t in FORMULA_TRIGGERS if not t.isspace())
#: Pattern of a formula-like text cell: one starting with a trigger, white space before a sign
#: included (``" =1+1"``: some programs trim the space before they evaluate).
FORMULA_LIKE = rf"^(?:[\t\r\n]|\s*[{_SIGNS}])"

# Strings stay strings: no formulas, links or numbers guessed from user text.
WORKBOOK_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "nan_inf_to_errors": True,
    "default_date_format": "yyyy-mm-dd",
}
HEADER_FORMAT = {"bold": True, "bg_color": "#DCE6F1", "border": 1, "text_wrap": True, "valign": "top"}
TABLE_STYLE = "Table Style Light 1"
FLOAT_FORMAT = "General"  # full precision: a 0.0004 betweenness must not print as 0.000
ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)  # fixed, so the same analysis gives the same bytes


def neutralise_formulas(table: pl.DataFrame) -> pl.DataFrame:
    """Return ``table`` with a ``'`` put before every text cell a spreadsheet would run.

    Only String columns change (numbers stay numbers, even negative ones), following the
    OWASP advice on CSV injection: a cell matching :data:`FORMULA_LIKE` (starting with
    ``=``, ``+``, ``-``, ``@``, their full-width forms, tab, carriage return or line feed)
    gets a leading apostrophe, so it shows as text. This is for CSV, which has no other way
    to say "text"; the XLSX report stores such cells as text instead (:func:`write_xlsx`).

    References
    ----------
    OWASP, "CSV Injection", https://owasp.org/www-community/attacks/CSV_Injection

    Examples
    --------
    >>> t = pl.DataFrame({"name": ['=HYPERLINK("http://x","y")', "Åsa", "-3", "＝1+1"], "n": [-1, 2, 3, 4]})
    >>> neutralise_formulas(t).rows()
    [('\\'=HYPERLINK("http://x","y")', -1), ('Åsa', 2), ("'-3", 3), ("'＝1+1", 4)]
    """
    strings = [c for c, dtype in table.schema.items() if dtype == pl.String]
    marked = (pl.when(_formula_like(c)).then(pl.lit("'") + pl.col(c)).otherwise(pl.col(c)).alias(c) for c in strings)
    return table.with_columns(marked)


def _formula_like(column: str) -> pl.Expr:
    """True for the text cells of ``column`` that a spreadsheet would read as a formula."""
    return pl.col(column).str.contains(FORMULA_LIKE)


def _as_text(table: pl.DataFrame) -> pl.DataFrame:
    """Nested and categorical columns as plain text (CSV cannot hold lists)."""
    exprs = []
    for name, dtype in table.schema.items():
        column = pl.col(name)
        if isinstance(dtype, pl.Array):
            column = column.arr.to_list()
            dtype = pl.List(dtype.inner)
        if isinstance(dtype, pl.List):
            exprs.append(column.list.eval(pl.element().cast(pl.String)).list.join("; "))
        elif isinstance(dtype, pl.Struct):
            exprs.append(column.struct.json_encode())
        elif isinstance(dtype, (pl.Categorical, pl.Enum, pl.Object)):
            exprs.append(column.cast(pl.String))
    return table.with_columns(exprs)


def _summary_frame(analysis: Analysis) -> pl.DataFrame:
    items = summary_items(analysis)
    values = list(items.values())
    numeric = all(v is None or isinstance(v, (int, float)) for v in values)
    value_type = pl.Float64 if numeric else pl.String
    values = values if numeric else [None if v is None else str(v) for v in values]
    return pl.DataFrame({"figure": list(items), "value": pl.Series(values, dtype=value_type)})


def _flatten(prefix: str, value: Any) -> list[tuple[str, str | None]]:
    if isinstance(value, dict):
        return [row for k, v in value.items() for row in _flatten(f"{prefix}.{k}" if prefix else str(k), v)]
    if isinstance(value, (list, tuple)):
        return [(prefix, "; ".join(str(v) for v in value))]
    return [(prefix, None if value is None else str(value))]


def _about_frame(analysis: Analysis) -> pl.DataFrame:
    meta = analysis.meta
    options = meta.get("options") or {}
    first = {
        "version": meta.get("version"),
        "source": meta.get("source"),
        "generated": meta.get("generated"),
        "privacy": analysis.privacy,
        "min_group_size": options.get("min_group_size"),
        "suppressed_units": suppressed_units(analysis.units),
    }
    rest = {k: v for k, v in meta.items() if k not in first}
    rows = _flatten("", first) + _flatten("", rest)
    return pl.DataFrame(rows, schema={"key": pl.String, "value": pl.String}, orient="row")


def spreadsheet_tables(analysis: Analysis, *, marked: bool = True) -> dict[str, pl.DataFrame]:
    """Return every sheet of the spreadsheet report, keyed as in :data:`SHEETS`.

    The result tables are in contract column order, nested values are joined into text
    and, when ``marked`` (as for CSV), every text cell is passed through
    :func:`neutralise_formulas`; unmarked tables are for :func:`write_xlsx`, which stores
    formula-like text as text cells. ``summary`` is a two-column key/value table
    (``figure``, ``value``); ``about`` holds the metadata (version, source, privacy mode,
    ``min_group_size``, suppressed units, options, methods) as ``key``/``value`` text.

    Examples
    --------
    >>> from analyser.analysis import Analysis
    >>> e = pl.DataFrame()
    >>> tables = spreadsheet_tables(Analysis(e, e, e, e, {"people": 3}))
    >>> list(tables) == [key for key, _, _ in SHEETS]
    True
    >>> tables["summary"].row(0)
    ('people', 3.0)
    """
    tables = {
        "summary": _summary_frame(analysis),
        **report_tables(analysis),
        "data_check": problems_table(analysis),
        "about": _about_frame(analysis),
    }
    finish = (lambda t: neutralise_formulas(_as_text(t))) if marked else _as_text
    return {key: finish(tables[key]) for key, _, _ in SHEETS}


def write_xlsx(analysis: Analysis, target: str | Path | IO[bytes]) -> None:
    """Write the report as one Excel workbook, one sheet per table (see :data:`SHEETS`).

    Each sheet is an Excel table with a bold header row, frozen header, autofit column
    widths and an autofilter. Text is stored as text: xlsxwriter is told not to turn
    strings into formulas, links or numbers, and formula-like text (:data:`FORMULA_LIKE`)
    is written as a string cell with Excel's quote prefix, which shows no mark in the cell
    and keeps the cell text even when someone edits it (CSV files get a ``'`` instead).

    Examples
    --------
    >>> from analyser.analysis import Analysis
    >>> e = pl.DataFrame()
    >>> buffer = io.BytesIO()
    >>> write_xlsx(Analysis(e, e, e, e, {"people": 3}), buffer)
    >>> buffer.getvalue()[:2]
    b'PK'
    """
    target = str(target) if isinstance(target, Path) else target
    titles = {key: title for key, title, _ in SHEETS}
    with xlsxwriter.Workbook(target, WORKBOOK_OPTIONS) as workbook:
        as_text = workbook.add_format({"quote_prefix": True})
        for key, table in spreadsheet_tables(analysis, marked=False).items():
            table.write_excel(
                workbook,
                worksheet=titles[key],
                table_style=TABLE_STYLE,
                header_format=HEADER_FORMAT,
                dtype_formats={pl.Float64: FLOAT_FORMAT, pl.Float32: FLOAT_FORMAT},
                autofit=True,
                freeze_panes=(1, 0),
            )
            _write_formula_like_as_text(workbook.get_worksheet_by_name(titles[key]), table, as_text)


def _write_formula_like_as_text(sheet: Any, table: pl.DataFrame, as_text: Any) -> None:
    """Write the formula-like text cells of ``table`` again as strings with the quote prefix.

    ``write_string`` stores a string cell, which Excel never evaluates; the quote-prefix
    format is Excel's own mark for "text that looks like a formula": not shown in the cell,
    it keeps the text a string if the cell is edited. Row 0 of the sheet is the header.
    """
    for index, (name, dtype) in enumerate(table.schema.items()):
        if dtype != pl.String:
            continue
        found = table.select(pl.int_range(pl.len()).alias("row"), name).filter(_formula_like(name))
        for row, value in found.iter_rows():
            sheet.write_string(row + 1, index, value, as_text)


def xlsx_bytes(analysis: Analysis) -> bytes:
    """Return the XLSX report as bytes (for downloads served from memory).

    Examples
    --------
    >>> from analyser.analysis import Analysis
    >>> e = pl.DataFrame()
    >>> xlsx_bytes(Analysis(e, e, e, e, {}))[:2]
    b'PK'
    """
    buffer = io.BytesIO()
    write_xlsx(analysis, buffer)
    return buffer.getvalue()


def csv_files(analysis: Analysis) -> dict[str, bytes]:
    """Return each CSV file of the report as ``{file name: bytes}``.

    Files are UTF-8 with a byte-order mark (so Excel shows Å, Ä, Ö right), comma
    separated, with an empty field for undefined values.

    Examples
    --------
    >>> from analyser.analysis import Analysis
    >>> e = pl.DataFrame()
    >>> files = csv_files(Analysis(e, e, e, e, {"people": 3}))
    >>> sorted(files)[:3]
    ['about.csv', 'data_check.csv', 'people.csv']
    >>> files["summary.csv"].decode("utf-8-sig").splitlines()[:2]
    ['figure,value', 'people,3.0']
    """
    names = {key: file_name for key, _, file_name in SHEETS}
    files = {}
    for key, table in spreadsheet_tables(analysis).items():
        buffer = io.BytesIO()
        table.write_csv(buffer, include_bom=True)
        files[names[key]] = buffer.getvalue()
    return files


def write_csv_folder(analysis: Analysis, folder: str | Path) -> Path:
    """Write the CSV files of :func:`csv_files` into ``folder`` (created if needed).

    Examples
    --------
    >>> import tempfile
    >>> from analyser.analysis import Analysis
    >>> e = pl.DataFrame()
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = write_csv_folder(Analysis(e, e, e, e, {}), Path(tmp) / "report")
    ...     sorted(p.name for p in out.iterdir())[:2]
    ['about.csv', 'data_check.csv']
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in csv_files(analysis).items():
        (folder / name).write_bytes(content)
    return folder


def csv_zip_bytes(analysis: Analysis) -> bytes:
    """Return the CSV files zipped together (same analysis, same bytes).

    Examples
    --------
    >>> from analyser.analysis import Analysis
    >>> e = pl.DataFrame()
    >>> data = csv_zip_bytes(Analysis(e, e, e, e, {}))
    >>> "units.csv" in zipfile.ZipFile(io.BytesIO(data)).namelist()
    True
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in csv_files(analysis).items():
            info = zipfile.ZipInfo(name, date_time=ZIP_TIMESTAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return buffer.getvalue()
