"""Excel rosters: the first sheet with data, with Excel row numbers as lines."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from xml.etree import ElementTree

import polars as pl

from analyser.ingest.text import (
    _BLANK_CHARS,
    _HEADER_SEARCH,
    _header_index,
    _RawTable,
    _rows_above_header,
)
from analyser.ingest.xlsx_guard import _check_workbook
from analyser.roster import (
    Amount,
    InputError,
    Problem,
)

__all__ = []


# -- XLSX --------------------------------------------------------------------------------


def _read_xlsx(data: bytes, source: str, mapped_keys: set[str]) -> _RawTable:
    """First non-empty sheet of a workbook as text cells, with Excel row numbers as lines.

    The workbook is checked first (:func:`~analyser.ingest.xlsx_guard._check_workbook`): the
    engine aborts the whole process on a sheet too large to allocate, so it must never see one.
    """
    import fastexcel  # the engine behind polars.read_excel; imported here for its sheet list

    _check_workbook(data, source)
    try:
        names = fastexcel.read_excel(data).sheet_names
        for index, name in enumerate(names):
            sheet = pl.read_excel(
                data, sheet_name=name, has_header=False, infer_schema_length=0,
                drop_empty_rows=False, drop_empty_cols=False, raise_if_empty=False,
            )
            if sheet.height and sheet.width:
                break
        else:
            raise InputError(Problem.of(source, None, None, "datacheck.xlsx.no_sheet_with_data", "error"))
    except InputError:
        raise
    except BaseException as exc:  # the engine may even panic (a BaseException) on damaged bytes
        if isinstance(exc, (KeyboardInterrupt, SystemExit, GeneratorExit)):
            raise
        detail = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise InputError(Problem.of(source, None, None, "datacheck.xlsx.damaged", "error", detail=detail)) from None
    cells = sheet.rename(dict(zip(sheet.columns, (f"c{i}" for i in range(sheet.width)))))
    cells = cells.with_columns(pl.all().cast(pl.String).str.normalize("NFC"))
    cells = cells.with_row_index("line", offset=_xlsx_first_row(data, index))
    cells = cells.with_columns(pl.col("line").cast(pl.Int64))
    _check_value_lengths(cells, source)
    filled = ~pl.all_horizontal(pl.exclude("line").str.strip_chars(_BLANK_CHARS).fill_null("") == "")
    top = cells.filter(filled).head(_HEADER_SEARCH)
    records = [[v or "" for v in row] for row in top.drop("line").rows()]
    head = _header_index(records, mapped_keys)
    if head is None:
        raise InputError(Problem.of(source, None, None, "datacheck.xlsx.sheet_empty", "error", sheet=name))
    header_line = int(top["line"][head])
    notes = [] if len(names) == 1 else [Problem.of(source, None, None, "datacheck.xlsx.sheet_read", sheet=name)]
    notes += _rows_above_header(records[:head], header_line, source)
    return _RawTable(records[head], header_line, cells.filter(pl.col("line") > header_line), notes, excel=True)


def _check_value_lengths(cells: pl.DataFrame, source: str) -> None:
    """Refuse a workbook with a value longer than a CSV value may be (the csv module's field
    limit), naming its row, so both formats hold the same data."""
    limit = csv.field_size_limit()
    too_long = pl.any_horizontal(pl.exclude("line").str.len_chars() > limit)
    first = cells.filter(too_long).select("line").head(1)
    if first.height:
        problem = Problem.of(source, int(first["line"][0]), None, "datacheck.value_too_long_row", "error",
                             limit=Amount(limit, ","))  # fmt: skip
        raise InputError(problem)


def _xlsx_first_row(data: bytes, sheet_index: int) -> int:
    """Excel row number of the first filled cell of a sheet (the reader drops rows above it).

    Returns 1 when the workbook layout cannot be followed, so line numbers are then counted
    from the first filled row.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            path = _xlsx_sheet_path(book, sheet_index)
            with book.open(path) as xml:
                for _, element in ElementTree.iterparse(xml):
                    if element.tag.endswith("}c") and any(child.tag.endswith(("}v", "}is")) for child in element):
                        return int(re.sub(r"^[A-Z]+", "", element.get("r", "")) or 1)
    except Exception:  # noqa: BLE001 - best effort: zipfile alone raises six kinds on odd archives
        pass  # (NotImplementedError for a 'zip version 23.5' that the Excel engine reads fine)
    return 1


def _xlsx_sheet_path(book: zipfile.ZipFile, sheet_index: int) -> str:
    """Path inside the zip of the ``sheet_index``-th sheet listed in the workbook."""
    rel_ns = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
    sheets = [e for e in workbook.iter() if e.tag.endswith("}sheet")]
    rel_id = sheets[sheet_index].get(rel_ns)
    rels = ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    target = next(e.get("Target", "") for e in rels if e.get("Id") == rel_id)
    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
