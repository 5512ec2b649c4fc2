"""Spreadsheet reports: one XLSX workbook or a folder of CSV files, safe to open in Excel."""

from __future__ import annotations

import io
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
#: (OWASP "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

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
    OWASP advice on CSV injection: a cell starting with ``=``, ``+``, ``-``, ``@``, tab
    or carriage return gets a leading apostrophe, so it shows as text.

    References
    ----------
    OWASP, "CSV Injection", https://owasp.org/www-community/attacks/CSV_Injection

    Examples
    --------
    >>> t = pl.DataFrame({"name": ['=HYPERLINK("http://x","y")', "Åsa", "-3"], "n": [-1, 2, 3]})
    >>> neutralise_formulas(t).rows()
    [('\\'=HYPERLINK("http://x","y")', -1), ('Åsa', 2), ("'-3", 3)]
    """
    strings = [c for c, dtype in table.schema.items() if dtype == pl.String]
    return table.with_columns(pl.col(c).str.replace(r"^([=+\-@\t\r])", "'$1") for c in strings)


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


def spreadsheet_tables(analysis: Analysis) -> dict[str, pl.DataFrame]:
    """Return every sheet of the spreadsheet report, keyed as in :data:`SHEETS`.

    The result tables are in contract column order, nested values are joined into text
    and every text cell is passed through :func:`neutralise_formulas`. ``summary`` is a
    two-column key/value table (``figure``, ``value``); ``about`` holds the metadata
    (version, source, privacy mode, ``min_group_size``, suppressed units, options,
    methods) as ``key``/``value`` text.

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
    return {key: neutralise_formulas(_as_text(tables[key])) for key, _, _ in SHEETS}


def write_xlsx(analysis: Analysis, target: str | Path | IO[bytes]) -> None:
    """Write the report as one Excel workbook, one sheet per table (see :data:`SHEETS`).

    Each sheet is an Excel table with a bold header row, frozen header, autofit column
    widths and an autofilter. Text is stored as text: formula-like strings are
    neutralised and xlsxwriter is told not to turn strings into formulas, links or numbers.

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
        for key, table in spreadsheet_tables(analysis).items():
            table.write_excel(
                workbook,
                worksheet=titles[key],
                table_style=TABLE_STYLE,
                header_format=HEADER_FORMAT,
                dtype_formats={pl.Float64: FLOAT_FORMAT, pl.Float32: FLOAT_FORMAT},
                autofit=True,
                freeze_panes=(1, 0),
            )


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
