"""Checks made on a workbook before the Excel engine sees it: sizes, zip bombs, sheet extents.

The engine (calamine, inside fastexcel) cannot be stopped once it runs. It unpacks parts
without regard to the sizes the archive declares, loads every shared string when the workbook
is opened, and allocates the whole rectangle spanned by a sheet's filled cells at once (32
bytes a cell); an allocation it cannot make aborts the process, so no Python handler runs.
One cell at XFD1048576 in a 2 KB file asks for 512 GB. So every part is unpacked here first,
as a stream, and the workbook is refused when

* it has more than :data:`MAX_XLSX_PARTS` parts, unpacks to more than
  :data:`MAX_XLSX_UNPACKED_BYTES`, or a part (or the whole) is packed more tightly than
  :data:`MAX_XLSX_RATIO` to 1 (a zip bomb),
* a text value is far longer than a cell may hold (the 131,072 characters a CSV value may hold),
* a sheet's filled cells span more than :data:`MAX_SHEET_CELLS` cells or reach past Excel's
  last row or column, or
* a sheet is written in a way this check cannot follow exactly (comments, nested cells, ``>``
  inside attribute values), which no spreadsheet program writes.

Where the engine will put each cell is worked out the way the engine does it, from the cell
references (``<c r="B7">``) and, for cells and rows written without one, by counting, as the
engine counts. The sheet's ``<dimension ref=...>`` is not used: it may lie or be missing, and
the engine only uses it to reserve room for small sheets, so a false one is harmless.
"""

from __future__ import annotations

import copy
import csv
import io
import re
import zipfile
from collections import Counter
from collections.abc import Iterator
from xml.etree import ElementTree

import numpy as np

from analyser.ingest.limits import (
    MAX_COLUMNS,
    MAX_SHEET_CELLS,
    MAX_XLSX_PARTS,
    MAX_XLSX_RATIO,
    MAX_XLSX_UNPACKED_BYTES,
    XLSX_RATIO_FREE_BYTES,
)
from analyser.roster import Amount, InputError, Listing, Phrase, Problem, plural_key

__all__: list[str] = []

#: Excel's last row; the engine accepts references beyond it, which no real sheet has.
EXCEL_ROWS = 1_048_576

#: Bytes of unpacked XML examined at a time. numpy works on one chunk, and its arrays are a
#: few times this size: at 1 MB they stay in the processor's cache (a third faster than 4 MB).
_CHUNK_BYTES = 2**20

#: A value taking more bytes than this between two tags is over the value limit (131,072
#: characters take at most 4 bytes each in UTF-8; Excel writes no character references).
_MAX_RUN_BYTES = 4 * csv.field_size_limit()

_SHEET_DATA = re.compile(rb"<(?:[^\s/>:<]+:)?sheetData[\s/>]")
_SHEET_DATA_END = re.compile(rb"</(?:[^\s/>:<]+:)?sheetData[\s>]")

# Tag kinds that move the engine's cursor: cell start/end, row start/end, and the self-closing
# <c/> and <row/>, which the engine reads as a start and an end (a <c/> holds no value).
_CELL, _CELL_END, _ROW, _ROW_END, _OTHER, _EMPTY_CELL, _EMPTY_ROW = range(7)

_LT, _GT, _SLASH, _COLON, _QUOTE, _APOS, _EQUALS, _BANG, _QUERY = b'<>/:"\'=!?'
_SPACES = b" \t\r\n"

#: Longest element name followed inside a sheet's cells (the longest Excel writes there is 10).
_MAX_NAME = 32

#: Bytes after ``r="`` parsed as a reference: 3 letters, 7 digits and the closing quote fit.
_REF_WINDOW = 12


class _Unusual(Exception):
    """The XML of a sheet is written in a way the extent check cannot follow exactly;
    ``phrase`` names the way (a key under ``datacheck.xlsx.odd``)."""

    def __init__(self, kind: str, **values: object):
        self.phrase = Phrase(f"datacheck.xlsx.odd.{kind}", values)  # type: ignore[arg-type]
        super().__init__(self.phrase.text("en"))


# -- the workbook ------------------------------------------------------------------------------


def _check_workbook(data: bytes, source: str) -> None:
    """Raise :class:`InputError` unless the workbook is safe to hand to the Excel engine.

    Examples
    --------
    >>> buffer, name = io.BytesIO(), "<si><t>" + "x" * 1000 + "</t></si>"
    >>> with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
    ...     z.writestr("xl/sharedStrings.xml", "<sst>" + name * 10_000 + "</sst>")
    >>> _check_workbook(buffer.getvalue(), "bomb.xlsx")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    analyser.roster.InputError: bomb.xlsx: the workbook part xl/sharedStrings.xml unpacks to more than ... (over 100:1, a zip bomb?); ...
    """
    book = _open_archive(data, source)
    infos = book.infolist()
    _check_names_and_sizes(infos, source)
    unpacked = 0
    for info in infos:
        unpacked = _scan_part(book, info, unpacked, len(data), source)


def _open_archive(data: bytes, source: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - zipfile raises several kinds on damaged archives
        raise _damaged(source, exc) from None


def _damaged(source: str, exc: BaseException) -> InputError:
    """The error for a workbook that cannot be unpacked (so cannot be checked either)."""
    detail = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return _refuse(source, "damaged", detail=detail)


def _refuse(source: str, kind: str, **values: object) -> InputError:
    """The error refusing a workbook, with the text ``datacheck.xlsx.<kind>``."""
    return InputError(Problem.of(source, None, None, f"datacheck.xlsx.{kind}", "error", **values))  # type: ignore[arg-type]


def _check_names_and_sizes(infos: list[zipfile.ZipInfo], source: str) -> None:
    """Refuse too many parts, repeated part names (the engine and this check could read
    different copies) and a declared total over the limit, before anything is unpacked."""
    if len(infos) > MAX_XLSX_PARTS:
        raise _refuse(source, "too_many_parts", n=Amount(len(infos), ","), most=Amount(MAX_XLSX_PARTS, ","))
    twice = [name for name, n in Counter(i.filename for i in infos).items() if n > 1]
    if twice:
        raise _refuse(source, "part_twice", part=twice[0])
    declared = sum(i.file_size for i in infos)
    if declared > MAX_XLSX_UNPACKED_BYTES:
        raise _too_big(source, declared)


def _too_big(source: str, size: int) -> InputError:
    return _refuse(source, "too_big", size=Amount(size / 2**20, ",.0f"), most=Amount(MAX_XLSX_UNPACKED_BYTES // 2**20, ","))


def _scan_part(book: zipfile.ZipFile, info: zipfile.ZipInfo, unpacked: int, archive: int, source: str) -> int:
    """Unpack one part as a stream, checking it as it comes; return the bytes unpacked so far
    in the workbook (``archive`` is the size of the whole file)."""
    part = _PartScan(book, info, source)
    try:
        for block in _real_stream(book, info):
            unpacked += len(block)
            if unpacked > MAX_XLSX_UNPACKED_BYTES:
                raise _too_big(source, unpacked)
            part.feed(block, archive)  # first: its message names the part
            if unpacked > XLSX_RATIO_FREE_BYTES and unpacked > MAX_XLSX_RATIO * archive:
                raise _bomb(source, Phrase("datacheck.xlsx.the_workbook"), unpacked, archive)
        part.finish()
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - zipfile/zlib raise many kinds on damaged parts
        raise _damaged(source, exc) from None
    return unpacked


def _real_stream(book: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The unpacked bytes of a part in blocks, to the end of its compressed data.

    zipfile stops at the size the archive declares; the Excel engine does not, so a part
    declared small could hide a large tail from a check that trusted the declaration.
    """
    whole = copy.copy(info)
    whole.file_size = 2**62
    with book.open(whole) as part:
        while block := part.read(_CHUNK_BYTES):
            yield block


def _bomb(source: str, what: Phrase, size: int, packed: int) -> InputError:
    return _refuse(source, "bomb", what=what, size=Amount(size / 2**20, ",.1f"), packed=Amount(packed / 2**10, ",.1f"),
                   ratio=Amount(MAX_XLSX_RATIO))  # fmt: skip


class _PartScan:
    """The checks on one part, fed its unpacked bytes block by block.

    Blocks are cut just before their last ``<`` so that no tag is split; the rest is carried
    over to the next block. In markup, the distance between two ``<`` bounds the length of a
    value, so a huge cell is refused before the engine loads it.
    """

    def __init__(self, book: zipfile.ZipFile, info: zipfile.ZipInfo, source: str) -> None:
        self.book, self.info, self.source = book, info, source
        self.size = 0
        self.carry = b""
        self.xml: bool | None = None
        self.sheet = _SheetScan()

    def feed(self, block: bytes, archive: int) -> None:
        self.size += len(block)
        packed = min(self.info.compress_size, archive)  # the declared packed size may lie too
        if self.size > XLSX_RATIO_FREE_BYTES and self.size > MAX_XLSX_RATIO * max(packed, 1):
            raise _bomb(self.source, Phrase("datacheck.xlsx.the_part", {"part": self.info.filename}), self.size, packed)
        buffer = self.carry + block
        if self.xml is None:
            self.xml = _looks_like_xml(buffer)
        cut = buffer.rfind(b"<")
        chunk, self.carry = (buffer[:cut], buffer[cut:]) if cut > 0 else (b"", buffer)
        if len(self.carry) > _MAX_RUN_BYTES:
            self._long_carry()
        self._check(chunk)

    def finish(self) -> None:
        self._check(self.carry)
        if self.size != self.info.file_size:  # the engine reads what is there, not what is declared
            raise _refuse(self.source, "part_size", part=self.info.filename)

    def _long_carry(self) -> None:
        """A stretch without ``<`` longer than any value: refused in markup; in a picture
        (binary data) it is dropped, so carrying it cannot grow without end."""
        if self.xml or self.sheet.started or _SHEET_DATA.match(self.carry):
            raise self._long_value()
        self.carry = b""

    def _check(self, chunk: bytes) -> None:
        """Check one chunk: the length of its values, and (in a sheet) where its cells go."""
        if not chunk:
            return
        marks = np.flatnonzero(np.frombuffer(chunk, np.uint8) == _LT)
        if self.xml and marks.size > 1 and int(np.diff(marks).max()) > _MAX_RUN_BYTES:
            raise self._long_value()
        try:
            self.sheet.feed(chunk)
        except _Unusual as exc:
            raise _refuse(self.source, "unusual", where=self._label(), detail=exc.phrase) from None
        if self.sheet.over_limits():
            kind, values = self.sheet.describe(self._label())
            raise _refuse(self.source, kind, **values)

    def _long_value(self) -> InputError:
        return _refuse(self.source, "long_value", where=self._label(), limit=Amount(csv.field_size_limit(), ","))

    def _label(self) -> Phrase:
        return _part_label(self.book, self.info.filename)


def _looks_like_xml(head: bytes) -> bool:
    """True for a part starting with markup (pictures and other binary parts do not)."""
    return head.lstrip(b"\xef\xbb\xbf" + _SPACES)[:1] == b"<"


def _part_label(book: zipfile.ZipFile, path: str) -> Phrase:
    """``sheet 'Roster'`` for a worksheet part listed in the workbook, else the part's path."""
    try:
        names = _sheet_names(book)
    except Exception:  # noqa: BLE001 - only for a message: a damaged workbook still gets one
        names = {}
    if path in names:
        return Phrase("datacheck.xlsx.sheet", {"sheet": names[path]})
    return Phrase("datacheck.xlsx.the_part", {"part": path})


def _sheet_names(book: zipfile.ZipFile) -> dict[str, str]:
    """Path inside the zip of each sheet listed in the workbook -> the sheet's name."""
    rel_ns = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    targets = {e.get("Id"): e.get("Target", "") for e in rels}
    names = {}
    for sheet in (e for e in workbook.iter() if e.tag.endswith("}sheet")):
        target = targets.get(sheet.get(rel_ns), "")
        names[target.lstrip("/") if target.startswith("/") else f"xl/{target}"] = sheet.get("name", "")
    return names


# -- one sheet ---------------------------------------------------------------------------------


class _SheetScan:
    """Where the Excel engine will place the cells of one sheet, fed its XML chunk by chunk.

    The engine keeps a cursor: ``<row r="5">`` moves it to row 5 and ``</row>`` to the start
    of the next row; ``<c r="B5">`` puts a cell at B5, a cell without ``r`` goes to the cursor,
    and each cell moves the cursor one column right. A self-closing ``<c r="Y9"/>`` moves the
    cursor without making a cell, and ``<row/>`` is a row start and end. Only ``<sheetData>``
    is read, as the engine does. The rectangle spanned by the cells is kept (a ``<c>`` without
    a value is counted too, so it may come out larger, never smaller).
    """

    def __init__(self) -> None:
        self.started = self.ended = False
        self.row, self.col = 1, 1  # the engine's cursor after the chunks seen so far
        self.in_cell = False  # the last chunk ended between <c> and </c>
        self.top = self.left = 2**62
        self.bottom = self.right = 0
        self.lowest = self.rightmost = (0, 0)  # (row, column) of the cells farthest down / right
        self.beyond: str | None = None  # a reference past Excel's last row or column

    def feed(self, chunk: bytes) -> None:
        """Take the next chunk (which ends just before a ``<``, so no tag is cut)."""
        if self.ended:
            return
        if not self.started:
            found = _SHEET_DATA.search(chunk) if b"sheetData" in chunk else None
            if found is None:
                return
            self.started, chunk = True, chunk[found.start() :]
        end = _SHEET_DATA_END.search(chunk) if b"sheetData" in chunk else None
        if end is not None:
            self.ended, chunk = True, chunk[: end.start()]
        a = np.frombuffer(chunk + b"\0" * _REF_WINDOW, np.uint8)  # padded: look-ahead stays inside
        kinds, starts, ends = _tags(a, len(chunk))
        rows, cols = _references(a, len(chunk), kinds, starts, ends, self)
        moves = kinds != _OTHER
        self._place(*_expand_empty(kinds[moves], rows[moves], cols[moves]))

    def _place(self, kinds: np.ndarray, rows: np.ndarray, cols: np.ndarray, valued: np.ndarray) -> None:
        """Move the cursor over the tags of a chunk and widen the rectangle by its cells
        (``valued``: false for the cell of a ``<c/>``, which holds nothing)."""
        if kinds.size == 0:
            return
        before = np.concatenate(([_CELL if self.in_cell else _OTHER], kinds[:-1]))
        if not np.array_equal(kinds == _CELL_END, before == _CELL):
            raise _Unusual("cell_nesting")
        self.in_cell = bool(kinds[-1] == _CELL)
        cells, row_ends = kinds == _CELL, kinds == _ROW_END
        explicit = cells & (cols > 0)
        row_sets, col_sets = (kinds == _ROW) & (rows > 0), row_ends | explicit
        col_values = np.where(row_ends, 1, cols + 1)
        boxed = cells & valued
        if np.array_equal(cells, explicit):  # every cell has its reference (as Excel writes them)
            self.row = _cursor_end(row_sets, rows, row_ends, self.row)
            self.col = _cursor_end(col_sets, col_values, np.zeros_like(cells), self.col)
            self._widen(rows[boxed], cols[boxed])
            return
        at_row, self.row = _cursor(row_sets, rows, row_ends, self.row)
        at_col, self.col = _cursor(col_sets, col_values, cells & ~explicit, self.col)
        self._widen(np.where(explicit, rows, at_row)[boxed], np.where(explicit, cols, at_col)[boxed])

    def _widen(self, rows: np.ndarray, cols: np.ndarray) -> None:
        if rows.size == 0:
            return
        low, right = int(rows.argmax()), int(cols.argmax())
        if rows[low] > self.bottom:
            self.bottom, self.lowest = int(rows[low]), (int(rows[low]), int(cols[low]))
        if cols[right] > self.right:
            self.right, self.rightmost = int(cols[right]), (int(rows[right]), int(cols[right]))
        self.top, self.left = min(self.top, int(rows.min())), min(self.left, int(cols.min()))

    def over_limits(self) -> bool:
        """True when the cells reach past Excel's limits or span more than :data:`MAX_SHEET_CELLS`."""
        if self.beyond is not None:
            return True
        if self.bottom == 0:
            return False
        cells = (self.bottom - self.top + 1) * (self.right - self.left + 1)
        return self.bottom > EXCEL_ROWS or self.right > MAX_COLUMNS or cells > MAX_SHEET_CELLS

    def describe(self, where: Phrase) -> tuple[str, dict[str, object]]:
        """Why the sheet is refused, naming the cells that stretch it: the kind of refusal
        (``datacheck.xlsx.<kind>``) and its values."""
        if self.beyond is not None:
            return "beyond", {"where": where, "reference": self.beyond, "rows": Amount(EXCEL_ROWS, ",")}
        rows, cols = self.bottom - self.top + 1, self.right - self.left + 1
        too_many = rows * cols > MAX_SHEET_CELLS
        edges = ((self.lowest, self.bottom > EXCEL_ROWS), (self.rightmost, self.right > MAX_COLUMNS))
        far = [cell for cell, past in edges if past or too_many]  # the cells that stretch the range past a limit
        stray = list(dict.fromkeys(_cell_name(*cell) for cell in far))
        return plural_key("used_range", len(stray)), {
            "where": where, "corner": _cell_name(self.bottom, self.right), "rows": Amount(rows, ","),
            "columns": Amount(cols, ","), "cells": Amount(rows * cols, ","), "most_cells": Amount(MAX_SHEET_CELLS, ","),
            "most_columns": Amount(MAX_COLUMNS, ","), "stray": Listing(stray, Phrase("datacheck.and")),
        }  # fmt: skip


def _expand_empty(kinds: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> tuple[np.ndarray, ...]:
    """Write each ``<c/>`` and ``<row/>`` as a start and an end tag, as the engine reads them;
    also return which cells hold a value (not those of ``<c/>``).

    >>> kinds = np.array([_EMPTY_ROW, _EMPTY_CELL])
    >>> kinds, rows, cols, valued = _expand_empty(kinds, np.array([3, 0]), np.array([0, 2]))
    >>> kinds.tolist() == [_ROW, _ROW_END, _CELL, _CELL_END], rows.tolist(), cols.tolist(), valued.tolist()
    (True, [3, 3, 0, 0], [0, 0, 2, 2], [True, True, False, False])
    """
    empty = (kinds == _EMPTY_CELL) | (kinds == _EMPTY_ROW)
    if not empty.any():
        return kinds, rows, cols, np.ones(kinds.size, bool)
    copies = np.where(empty, 2, 1)
    valued = np.repeat(kinds != _EMPTY_CELL, copies)
    first = np.cumsum(copies) - copies  # where each tag's first copy lands
    expanded = np.repeat(np.where(kinds == _EMPTY_CELL, _CELL, np.where(kinds == _EMPTY_ROW, _ROW, kinds)), copies)
    expanded[first[empty] + 1] = np.where(kinds[empty] == _EMPTY_CELL, _CELL_END, _ROW_END)
    return expanded.astype(np.int8), np.repeat(rows, copies), np.repeat(cols, copies), valued


def _cursor(sets: np.ndarray, values: np.ndarray, steps: np.ndarray, start: int) -> tuple[np.ndarray, int]:
    """Where a cursor stands at each tag, and after the last one.

    It starts at ``start``; a tag in ``sets`` puts it at ``values``, and one in ``steps``
    moves it one on after the tag. The count of steps since the last set, minus the tag's own
    step, gives every position at once (no Python loop over tags).

    >>> sets = np.array([False, True, False, False])
    >>> steps = np.array([True, False, True, True])
    >>> positions, end = _cursor(sets, np.array([0, 5, 0, 0]), steps, 1)
    >>> positions.tolist(), end
    ([1, 5, 5, 6], 7)
    """
    last = np.maximum.accumulate(np.where(sets, np.arange(sets.size), -1))
    count = np.cumsum(steps)
    counted = np.where(last >= 0, count[np.maximum(last, 0)], 0)
    base = np.where(last >= 0, values[np.maximum(last, 0)], start)
    positions = base + count - steps - counted
    return positions, int(base[-1] + count[-1] - counted[-1])


def _cursor_end(sets: np.ndarray, values: np.ndarray, steps: np.ndarray, start: int) -> int:
    """Where the cursor of :func:`_cursor` stands after the last tag (computed alone, faster).

    >>> sets, steps = np.array([False, True, False, False]), np.array([True, False, True, True])
    >>> _cursor_end(sets, np.array([0, 5, 0, 0]), steps, 1)
    7
    """
    placed = np.flatnonzero(sets)
    if placed.size == 0:
        return int(start + np.count_nonzero(steps))
    last = int(placed[-1])
    return int(values[last] + np.count_nonzero(steps[last + 1 :]))


def _tags(a: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Kind, start (``<``) and end (``>``) of every tag in ``a[:n]``.

    Only the markup bytes (``<`` ``>`` ``"`` ``'``) are looked at. A tag must end at its
    first ``>`` with its quotes in pairs, and hold no ``<``: otherwise a ``>`` or ``<`` sits
    inside an attribute value, where the engine's parser would see other tags than this
    check (:class:`_Unusual` is raised).
    """
    body = a[:n]
    where = np.flatnonzero((body == _LT) | (body == _GT) | (body == _QUOTE) | (body == _APOS))
    symbol = body[where]
    opens, closes = np.flatnonzero(symbol == _LT), np.flatnonzero(symbol == _GT)
    if opens.size == 0:
        return np.empty(0, np.int8), opens, opens
    shut = _first_after(closes, opens)
    if np.any(shut[:-1] > opens[1:]):
        raise _Unusual("lt_in_tag")
    inner = shut - opens - 1  # the tokens between '<' and its '>': all quotes
    apostrophes = symbol == _APOS
    mixed = np.zeros(opens.size, bool)
    if apostrophes.any():
        counted = np.concatenate(([0], np.cumsum(apostrophes)))
        mixed = counted[shut] > counted[opens]
        for start, end in zip(where[opens[mixed]].tolist(), where[shut[mixed]].tolist()):
            if not _quotes_closed(bytes(body[start:end])):
                raise _Unusual("gt_in_value")
    if np.any((inner % 2 == 1) & ~mixed):
        raise _Unusual("gt_in_value")
    starts, ends = where[opens], where[shut]
    after = a[starts + 1]
    if np.any((after == _BANG) | (after == _QUERY)):  # their text may hold tags the engine skips
        raise _Unusual("comments")
    closing = after == _SLASH
    named = _name_kinds(a, body, starts + 1 + closing)
    ending = np.where(named == _CELL, _CELL_END, np.where(named == _ROW, _ROW_END, _OTHER))
    empty = a[ends - 1] == _SLASH  # <c/>, <row/>
    emptied = np.where(named == _CELL, _EMPTY_CELL, np.where(named == _ROW, _EMPTY_ROW, _OTHER))
    kinds = np.where(closing, ending, np.where(empty, emptied, named))
    return kinds.astype(np.int8), starts, ends


def _first_after(closes: np.ndarray, opens: np.ndarray) -> np.ndarray:
    """For each of ``opens``, the first of ``closes`` after it (both sorted positions)."""
    if closes.size == opens.size and np.all(closes > opens) and np.all(closes[:-1] < opens[1:]):
        return closes  # '<' and '>' alternate: the usual case, no search needed
    following = np.searchsorted(closes, opens)
    if following[-1] >= closes.size:
        raise _Unusual("tag_unclosed")
    return closes[following]


def _quotes_closed(tag: bytes) -> bool:
    r"""True when no quoted value is open at the end of ``tag`` (its text before ``>``).

    >>> _quotes_closed(b"<c a='x' b=\"y\" "), _quotes_closed(b"<c a='\"' b=\"x")
    (True, False)
    """
    open_quote = None
    for byte in tag:
        if open_quote is None and byte in (_QUOTE, _APOS):
            open_quote = byte
        elif byte == open_quote:
            open_quote = None
    return open_quote is None


def _name_kinds(a: np.ndarray, body: np.ndarray, name_starts: np.ndarray) -> np.ndarray:
    """``_CELL`` for tags named ``c``, ``_ROW`` for ``row``, else ``_OTHER``.

    A ``prefix:`` is allowed, as the engine compares local names (what follows the first
    colon); ``a:b:c`` is not a cell for it, nor here.
    """
    colons = np.flatnonzero(body == _COLON)  # few in a sheet: no prefixes, times are numbers
    prefixed = ((a[colons + 1] == ord("c")) & _stops(a[colons + 2])) | (
        (a[colons + 1] == ord("r")) & (a[colons + 2] == ord("o")) & (a[colons + 3] == ord("w")) & _stops(a[colons + 4])
    )
    if not prefixed.any():  # no 'x:c' or 'x:row' here: 4 bytes after '<' tell a 'c' or 'row' tag
        first, stop_1, stop_3 = a[name_starts], _stops(a[name_starts + 1]), _stops(a[name_starts + 3])
        row = (first == ord("r")) & (a[name_starts + 1] == ord("o")) & (a[name_starts + 2] == ord("w")) & stop_3
        return np.where((first == ord("c")) & stop_1, _CELL, np.where(row, _ROW, _OTHER))
    name_ends = _name_ends(a, name_starts)
    length = name_ends - name_starts

    def named(word: bytes) -> np.ndarray:
        k = len(word)
        found = length >= k
        for i, letter in enumerate(word):
            found &= a[np.maximum(name_ends - k + i, 0)] == letter
        prefixed = found & (length > k)
        found &= (length == k) | (a[np.maximum(name_ends - k - 1, 0)] == _COLON)
        if prefixed.any():  # 'x:c' is a cell, 'a:b:c' is not: one colon, just before the name
            in_name = np.searchsorted(colons, name_ends) - np.searchsorted(colons, name_starts)
            found &= ~prefixed | ((in_name == 1) & (length > k + 1))
        return found

    return np.where(named(b"c"), _CELL, np.where(named(b"row"), _ROW, _OTHER))


def _name_ends(a: np.ndarray, name_starts: np.ndarray) -> np.ndarray:
    """Where each element name ends (at a space, ``/`` or ``>``), looking a byte further
    each round; names in a sheet are short, a longer one raises :class:`_Unusual`."""
    ends = np.empty(name_starts.size, np.int64)
    pending = np.arange(name_starts.size)
    for k in range(_MAX_NAME):
        stop = _stops(a[name_starts[pending] + k])
        ends[pending[stop]] = name_starts[pending[stop]] + k
        pending = pending[~stop]
        if pending.size == 0:
            return ends
    raise _Unusual("long_name", n=_MAX_NAME)


def _stops(byte: np.ndarray) -> np.ndarray:
    """Bytes that end an element name: white space, ``/`` and ``>``."""
    return (byte == 32) | (byte == 9) | (byte == 10) | (byte == 13) | (byte == _SLASH) | (byte == _GT)


def _references(
    a: np.ndarray, n: int, kinds: np.ndarray, starts: np.ndarray, ends: np.ndarray, scan: _SheetScan
) -> tuple[np.ndarray, np.ndarray]:
    """Row and column (1-based; 0 = none) of the ``r`` attribute of each cell and row start tag."""
    rows = np.zeros(kinds.size, np.int64)
    cols = np.zeros(kinds.size, np.int64)
    if kinds.size == 0 or n < 4:
        return rows, cols
    _check_equals(a[:n], kinds, starts, ends)
    at = np.flatnonzero((a[1 : n - 2] == ord("r")) & (a[2 : n - 1] == _EQUALS) & (a[3:n] == _QUOTE)) + 1
    before = a[at - 1]
    at = at[(before == 32) | (before == 9) | (before == 10) | (before == 13) | (before == _QUOTE)]
    tag = np.searchsorted(starts, at, side="right") - 1
    safe = np.maximum(tag, 0)
    inside = (tag >= 0) & (at < ends[safe]) & np.isin(kinds[safe], (_CELL, _ROW, _EMPTY_CELL, _EMPTY_ROW))
    at, tag = at[inside], tag[inside]
    if np.any(np.diff(tag) == 0):
        raise _Unusual("two_references")
    cell = (kinds[tag] == _CELL) | (kinds[tag] == _EMPTY_CELL)
    rows[tag], cols[tag] = _parse_references(a, at + 3, cell, scan)
    return rows, cols


def _check_equals(body: np.ndarray, kinds: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> None:
    """An attribute written ``r = "A1"`` (spaces round ``=``) is read by the engine but would be
    missed here; no spreadsheet program writes one, so it is refused."""
    equals = np.flatnonzero(body[1:-1] == _EQUALS) + 1
    around = np.concatenate((body[equals - 1], body[equals + 1]))
    if not np.any((around == 32) | (around == 9) | (around == 10) | (around == 13)):
        return
    spaces = np.frombuffer(_SPACES, np.uint8)
    spaced = equals[np.isin(body[equals - 1], spaces) | np.isin(body[equals + 1], spaces)]
    tag = np.searchsorted(starts, spaced, side="right") - 1
    safe = np.maximum(tag, 0)
    if np.any((tag >= 0) & (spaced < ends[safe]) & (kinds[safe] != _OTHER)):
        raise _Unusual("spaced_equals")


def _parse_references(
    a: np.ndarray, at: np.ndarray, cell: np.ndarray, scan: _SheetScan
) -> tuple[np.ndarray, np.ndarray]:
    """Row and column numbers of the references starting at ``at`` (``B7`` -> 7, 2).

    Letters, then digits, then ``"``, as the engine reads them (lower case too); a cell
    needs a letter. A reference past Excel's limits is kept in ``scan.beyond``; any other
    shape raises :class:`_Unusual`.
    """
    window = a[at[:, None] + np.arange(_REF_WINDOW)]
    lower = window | 0x20
    letter = (lower >= ord("a")) & (lower <= ord("z"))
    digit = (window >= ord("0")) & (window <= ord("9"))
    n_letters, n_chars = _run_length(letter), _run_length(letter | digit)
    n_digits = n_chars - n_letters
    closed = window[np.arange(at.size), np.minimum(n_chars, _REF_WINDOW - 1)] == _QUOTE
    shaped = closed & (n_chars < _REF_WINDOW) & (n_digits > 0) & (~cell | (n_letters > 0))
    rows = np.zeros(at.size, np.int64)
    cols = np.zeros(at.size, np.int64)
    for k in range(int(n_chars.max(initial=0))):  # Horner's rule, a column of the window at a time
        is_letter, is_digit = k < n_letters, (k >= n_letters) & (k < n_chars)
        shaped &= ~is_digit | digit[:, k]
        cols = np.where(is_letter, cols * 26 + lower[:, k] - (ord("a") - 1), cols)
        rows = np.where(is_digit, rows * 10 + window[:, k] - ord("0"), rows)
    if not np.all(shaped):
        raise _Unusual("reference", reference=_text_at(a, int(at[~shaped][0])))
    beyond = (n_letters > 3) | (n_digits > 7) | (rows > EXCEL_ROWS) | (rows == 0) | (cols > MAX_COLUMNS)
    if np.any(beyond):
        scan.beyond = _text_at(a, int(at[beyond][0]))
    return rows, np.where(cell, cols, 0)


def _run_length(flags: np.ndarray) -> np.ndarray:
    """How many ``True`` each row of ``flags`` starts with."""
    return np.where(flags.all(axis=1), flags.shape[1], np.argmin(flags, axis=1))


def _text_at(a: np.ndarray, at: int) -> str:
    """The attribute value starting at ``at`` (cut to 40 characters), for messages."""
    return bytes(a[at : at + 40]).split(b'"', 1)[0].decode("ascii", "replace")


def _cell_name(row: int, col: int) -> str:
    """``(1048576, 16384)`` -> ``'XFD1048576'``.

    >>> _cell_name(1048576, 16384), _cell_name(7, 2), _cell_name(1, 27)
    ('XFD1048576', 'B7', 'AA1')
    """
    letters = ""
    while col > 0:
        col, rest = divmod(col - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return f"{letters}{row}"
