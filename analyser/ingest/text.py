"""Text rosters: encoding (UTF-8, BOM, UTF-16, cp1252, mixed), delimiter, CSV records with physical line numbers."""

from __future__ import annotations

import csv
import gc
import io
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice

import polars as pl

from analyser.ingest.headers import _detect_indices, _header_key
from analyser.ingest.limits import MAX_COLUMNS, _capped
from analyser.roster import (
    Amount,
    InputError,
    Phrase,
    Problem,
    plural_key,
)

__all__ = []

_DELIMITERS = (",", ";", "\t", "|")

_BLANK_CHARS = " \t\n\r\f\v\xa0" + "".join(_DELIMITERS)

_HEADER_SEARCH = 10

_SNIFF_CHARS = 65_536

_SNIFF_RECORDS = 50


# -- decoding ----------------------------------------------------------------------------


@dataclass
class _RawTable:
    """Cells as text before validation: ``cells`` has columns ``c0..cN`` and ``line``."""

    header: list[str]
    header_line: int
    cells: pl.DataFrame
    problems: list[Problem] = field(default_factory=list)
    excel: bool = False


def _decode(data: bytes, source: str) -> tuple[str, list[Problem]]:
    """Text of a CSV file: UTF-8 (with or without BOM), UTF-16 with BOM, else cp1252/latin-1."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), []
        except UnicodeDecodeError as exc:
            raise InputError(Problem.of(source, None, None, "datacheck.utf16_broken", "error", reason=exc.reason)) from None
    if b"\x00" in data:
        raise InputError(_nul_problem(data, source))
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    body = data.removeprefix(b"\xef\xbb\xbf")
    mixed = _decode_mixed(body, source)
    if mixed is not None:
        return mixed
    labels: tuple[tuple[str, Phrase | str], ...] = (
        ("cp1252", Phrase("datacheck.codec.cp1252")), ("latin-1", "Latin-1 (ISO-8859-1)"),
    )  # fmt: skip
    for codec, label in labels:
        try:
            text = body.decode(codec)
        except UnicodeDecodeError:
            continue
        return text, [Problem.of(source, None, None, "datacheck.not_utf8", codec=label)]
    raise AssertionError("latin-1 decodes any bytes")  # pragma: no cover


def _decode_mixed(body: bytes, source: str) -> tuple[str, list[Problem]] | None:
    r"""Decode line by line when some lines are UTF-8 with letters beyond ASCII and others are
    not (rows pasted together from two exports); ``None`` when the file is one encoding.

    >>> text, notes = _decode_mixed("a\nÅsa\n".encode() + "Örjan\n".encode("cp1252"), "r.csv")
    >>> text.split("\n")[:3], str(notes[0])[:46], notes[0].text("sv")[:40]
    (['a', 'Åsa', 'Örjan'], 'r.csv:3: the file mixes encodings: line(s) 3 a', 'filen blandar teckenkodningar: rad 3 är ')
    """
    lines = body.split(b"\n")
    decoded, legacy = [], []
    for number, raw in enumerate(lines, 1):
        try:
            decoded.append(raw.decode("utf-8"))
        except UnicodeDecodeError:
            decoded.append(raw.decode("cp1252", errors="replace"))
            legacy.append(number)
    legacy_set = set(legacy)
    if not legacy or all(raw.isascii() for i, raw in enumerate(lines, 1) if i not in legacy_set):
        return None
    shown = ", ".join(map(str, legacy[:20])) + (" …" if len(legacy) > 20 else "")
    key = plural_key("datacheck.mixed_encodings", len(legacy))
    return "\n".join(decoded), [Problem.of(source, legacy[0], None, key, lines=shown)]


def _nul_problem(data: bytes, source: str) -> Problem:
    """The error for data holding a NUL byte: binary, or a text file damaged on one line.

    Whole lines of text before the first NUL (no control characters but tab and line
    breaks) mean a damaged text file, so the line of the NUL is named; anything else is
    binary data (UTF-16 without a BOM also lands here: NULs from the first letter on).

    >>> print(_nul_problem(b"project,person,unit\\nP1,ann\\x00,A\\n", "r.csv"))  # doctest: +ELLIPSIS
    r.csv:2: contains a NUL byte (\\x00), which a text (CSV) file cannot hold; ...
    >>> _nul_problem(b"\\x89PNG\\r\\n\\x1a\\n\\x00", "r.csv").key
    'datacheck.not_a_roster'

    """
    head = data[: data.index(b"\x00")]
    controls = head.translate(None, b"\t\n\r" + bytes(range(0x20, 0x100)))
    lines = head.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    if controls or b"\n" not in lines.lstrip(b"\n"):
        return Problem.of(source, None, None, "datacheck.not_a_roster", "error")
    return Problem.of(source, lines.count(b"\n") + 1, None, "datacheck.nul_byte", "error")


# -- CSV ---------------------------------------------------------------------------------


def _sep_line(text: str) -> str | None:
    """The delimiter named by an Excel ``sep=;`` first line, if there is one."""
    first = text.split("\n", 1)[0].strip()
    match = re.fullmatch(r"sep=(.)", first, flags=re.IGNORECASE)
    return match.group(1) if match else None


def _is_blank(record: Sequence[str]) -> bool:
    """True for a record of nothing but spaces and separators (``;;;`` rows from Excel)."""
    return all(not value.strip(_BLANK_CHARS) for value in record)


def _known_columns(header: Sequence[str], mapped_keys: set[str]) -> int:
    """How many roster columns a candidate header row names (by synonym or by the mapping)."""
    known = sum(i is not None for i in _detect_indices(header).values())
    return known + sum(_header_key(h) in mapped_keys for h in header)


def _header_index(records: Sequence[Sequence[str]], mapped_keys: set[str]) -> int | None:
    """Index of the header: of the first few non-blank records, the one naming most columns.

    Reports often carry a title and a date above the header; those rows are skipped. A later
    row must name at least two columns, and more than the first row, to be taken instead of
    the first non-blank row (so a data value such as ``Team`` cannot pass for a header).

    >>> _header_index([["Roster 2026"], [""], ["Projekt", "Namn", "Enhet"], ["P1", "Anna", "HR"]], set())
    2
    >>> _header_index([["id", "who", "where"], ["P1", "Anna", "Team"]], set())
    0
    """
    filled = list(islice((i for i, r in enumerate(records) if not _is_blank(r)), _HEADER_SEARCH))
    if not filled:
        return None
    known = [_known_columns(records[i], mapped_keys) for i in filled]
    best = known.index(max(known))
    return filled[best] if known[best] >= max(2, known[0] + 1) else filled[0]


def _delimiter_score(sample: str, delimiter: str, mapped_keys: set[str]) -> tuple[int, float, int]:
    """How well ``delimiter`` splits the sample: (known headers, consistent rows, columns)."""
    try:
        reader = csv.reader(io.StringIO(sample), delimiter=delimiter, skipinitialspace=True)
        records = [r for r in reader if not _is_blank(r)]
    except csv.Error:
        return (0, 0.0, 0)
    _trim_blank_columns(records)
    head = _header_index(records, mapped_keys)
    if head is None:
        return (0, 0.0, 0)
    header, rows = records[head], records[head + 1 : head + _SNIFF_RECORDS]
    width = len(header)
    fits = [len(r) == width or (len(r) > width and _is_blank(r[width:])) for r in rows]
    consistency = sum(fits) / len(fits) if fits and width > 1 else float(width > 1)
    return (_known_columns(header, mapped_keys), consistency, width)


def _sniff_delimiter(text: str, mapped_keys: set[str] = frozenset()) -> str:
    """The candidate delimiter under which the header and first rows parse best.

    >>> _sniff_delimiter("Projekt;Namn;Enhet\\nP1;Berg, Anna;HR\\n")
    ';'
    >>> _sniff_delimiter("project\\tperson\\tunit\\nP1\\tBerg, Anna\\tHR\\n")
    '\\t'
    """
    sample = text[:_SNIFF_CHARS]
    if len(text) > _SNIFF_CHARS and "\n" in sample:
        sample = sample[: sample.rindex("\n")]
    scores = {d: _delimiter_score(sample, d, mapped_keys) for d in _DELIMITERS}
    return max(_DELIMITERS, key=lambda d: scores[d])  # max keeps the first of equal scores


def _record_start_lines(text: str, records: list[list[str]], delimiter: str, first_line: int) -> list[int] | None:
    """Physical line on which each record starts, or ``None`` when each record is one line.

    Only files with quoted values spanning lines pay for the second, line-counting pass.
    """
    lines = text.count("\n") + (0 if text.endswith("\n") or not text else 1)
    if len(records) == lines:
        return None
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, skipinitialspace=True)
    starts, end = [], first_line - 1
    for _ in reader:
        starts.append(end + 1)
        end = first_line - 1 + reader.line_num
    return starts


def _read_csv(data: bytes, source: str, mapped_keys: set[str]) -> _RawTable:
    """Split a delimited text file into header and cells, keeping physical line numbers."""
    text, problems = _decode(data, source)
    text = text.replace("\r\n", "\n").replace("\r", "\n").removeprefix("\ufeff")
    first_line = 1
    delimiter = _sep_line(text)
    if delimiter is not None:
        text, first_line = text.split("\n", 1)[1] if "\n" in text else "", 2
    else:
        delimiter = _sniff_delimiter(text, mapped_keys)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)  # one spelling per name: 'ö' may also be 'o' + '¨'
    try:
        with _gc_paused():
            records = list(csv.reader(io.StringIO(text), delimiter=delimiter, skipinitialspace=True))
        starts = _record_start_lines(text, records, delimiter, first_line)
    except csv.Error as exc:
        line = _failing_record_line(text, delimiter, first_line)
        key, values = _csv_error_text(exc, text, line - first_line)
        raise InputError(Problem.of(source, line, None, key, "error", **values)) from None
    if starts is None:
        starts = range(first_line, first_line + len(records))
    else:
        last_line = first_line + text.rstrip("\n").count("\n")
        problems += _unclosed_quote_warnings(records, starts, last_line, delimiter, source)
    _trim_empty_columns(records, starts, source)
    head = _header_index(records, mapped_keys)
    if head is None:
        raise InputError(Problem.of(source, None, None, "datacheck.empty_file", "error"))
    problems += _rows_above_header(records[:head], starts[head], source)
    header = records[head]
    body, lines, ragged = _rectangular(records[head + 1 :], starts[head + 1 :], len(header), source)
    columns = [f"c{i}" for i in range(len(header))]
    cells = pl.DataFrame(body, schema=dict.fromkeys(columns, pl.String()), orient="row")
    cells = cells.with_columns(pl.Series("line", lines, dtype=pl.Int64))
    return _RawTable(header, starts[head], cells, problems + ragged)


def _csv_error_text(exc: csv.Error, text: str, index: int) -> tuple[str, dict[str, Amount | str]]:
    """Why the csv module stopped at the record starting on the ``index``-th line of ``text``
    (a key of the catalogue and the phrase with its values, for :meth:`Problem.of`).

    Its only error on our input is a value over its size limit: either a quote opened and
    never closed (the value runs on over many lines) or, with no quote on that line, a
    value really that long.

    >>> key, values = _csv_error_text(csv.Error("field larger than field limit (131072)"), "a,b\\nP1,xxx\\n", 1)
    >>> Phrase(key, values).text("en")
    'a value on this line is longer than 131,072 characters, the most one value may hold; shorten it'
    """
    limit = csv.field_size_limit()
    line = next(islice(io.StringIO(text), index, None), "")
    if "field limit" in str(exc) and '"' not in line:
        return "datacheck.value_too_long_line", {"limit": Amount(limit, ",")}
    return "datacheck.csv_unreadable", {"reason": str(exc)}


def _failing_record_line(text: str, delimiter: str, first_line: int) -> int:
    """Line on which the record that the csv module rejects starts."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, skipinitialspace=True)
    end = 0
    try:
        for _ in reader:
            end = reader.line_num
    except csv.Error:
        pass
    return first_line + end


def _trim_empty_columns(records: list[list[str]], starts: Sequence[int], source: str) -> None:
    """Drop the empty columns at the right (see :func:`_trim_blank_columns`); raise
    :class:`InputError` at the widest line when more than :data:`MAX_COLUMNS` are left."""
    used = _trim_blank_columns(records)
    if used > MAX_COLUMNS:
        widest = next(i for i, r in enumerate(records) if len(r) == used)
        problem = Problem.of(source, starts[widest], None, "datacheck.too_many_columns", "error",
                             n=Amount(used, ","), most=Amount(MAX_COLUMNS, ","))  # fmt: skip
        raise InputError(problem)


def _trim_blank_columns(records: list[list[str]]) -> int:
    """Cut every record to the width of the widest filled one and return that width.

    Excel adds separators for columns that once held something (``P1;Anna;HR;;;;``); a header
    line of 200,000 commas would otherwise make a table of 200,000 columns (gigabytes). Only
    blank values go, so each row keeps what it holds and rows with more values than the header
    are still caught.

    >>> records = [["project", "person", "unit", "", ""], ["P1", "ann", "A", "", "", ""]]
    >>> _trim_blank_columns(records), records
    (3, [['project', 'person', 'unit'], ['P1', 'ann', 'A']])
    """
    used = longest = 0
    for record in records:
        longest = max(longest, len(record))
        used = _filled_width(record, used)
    if longest > used:
        for record in records:
            del record[used:]
    return used


def _filled_width(record: list[str], used: int) -> int:
    """Width of ``record`` without its blank values at the right, or ``used`` if that is more.

    >>> _filled_width(["P1", "ann", "", " "], 2), _filled_width(["P1", "", "x", ""], 1)
    (2, 3)
    """
    width = len(record)
    if width <= used or record[-1].strip(_BLANK_CHARS):
        return max(width, used)
    if not "".join(record[used:]).strip(_BLANK_CHARS):
        return used  # the usual case (trailing ;;;), checked in one C-level pass
    while not record[width - 1].strip(_BLANK_CHARS):
        width -= 1
    return width


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small lists.

    Reading 300k rows allocates about a million objects; without the pause the collector
    runs hundreds of times over them and doubles the parse time. Nothing built here is cyclic.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _rows_above_header(above: Sequence[Sequence[str]], header_line: int, source: str) -> list[Problem]:
    """Note the title rows skipped above a header that is not the first filled row."""
    if all(_is_blank(r) for r in above):
        return []
    return [Problem.of(source, header_line, None, "datacheck.rows_above_header", line=header_line)]


def _rectangular(
    rows: list[list[str]], lines: Sequence[int], width: int, source: str
) -> tuple[list[list[str]], Sequence[int], list[Problem]]:
    """Rows padded or cut to the header's width; rows with extra non-empty values are rejected."""
    problems: list[Problem] = []
    if set(map(len, rows)) <= {width}:
        return rows, lines, problems
    keep = [True] * len(rows)
    for i, row in enumerate(rows):
        if len(row) == width:
            continue
        if len(row) < width:
            rows[i] = row + [""] * (width - len(row))
        elif _is_blank(row[width:]):
            rows[i] = row[:width]
        else:
            keep[i] = False
            key = plural_key("datacheck.long_row", width)
            problems.append(Problem.of(source, lines[i], None, key, "error", n=Amount(len(row)), width=Amount(width)))
    if problems:
        rows = [r for r, k in zip(rows, keep) if k]
        lines = [n for n, k in zip(lines, keep) if k]
    return rows, lines, _capped(problems, "datacheck.what.long_rows")


def _unclosed_quote_warnings(
    records: list[list[str]], starts: Sequence[int], last_line: int, delimiter: str, source: str
) -> list[Problem]:
    """Warn about values spanning lines that contain the separator: likely a missing quote.

    Only a record left with fewer values than most rows have is suspect: a correctly quoted
    value with a line break (``"Berg,\nAnna"``) leaves its row complete.
    """
    problems = []
    lengths = Counter(len(r) for r in records if r)
    width = lengths.most_common(1)[0][0] if lengths else 0
    for i, record in enumerate(records):
        end = starts[i + 1] - 1 if i + 1 < len(starts) else last_line
        if end <= starts[i] or len(record) >= width:
            continue
        if any("\n" in v and delimiter in v for v in record):
            problems.append(Problem.of(source, starts[i], None, "datacheck.open_quote", end=end))
    return _capped(problems, "datacheck.what.open_quotes")
