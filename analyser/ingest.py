"""Read roster files (CSV or XLSX) into a validated Roster, reporting each problem by file and line."""

from __future__ import annotations

import csv
import gc
import io
import re
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import partial
from itertools import islice
from pathlib import Path
from xml.etree import ElementTree

import polars as pl

from analyser.network import DEFAULT_MAX_PROJECT_SIZE
from analyser.roster import OPTIONAL_COLUMNS, REQUIRED_COLUMNS, Problem, Roster, RosterError

__all__ = [
    "MAX_FILE_BYTES",
    "HEADER_SYNONYMS",
    "DATE_FORMATS",
    "read_roster",
    "read_roster_bytes",
    "parse_column_mapping",
    "detect_columns",
]

CANONICAL_COLUMNS: tuple[str, ...] = REQUIRED_COLUMNS + OPTIONAL_COLUMNS

#: Largest roster file read by default (50 MB, several million memberships as CSV). Bigger
#: files are refused before parsing, so an upload cannot tie up the memory of a shared server.
MAX_FILE_BYTES = 50 * 1024 * 1024

#: Header names recognised for each canonical column, most specific first: when a file has
#: two candidate headers for one column (``Namn`` and ``E-post``), the earlier synonym wins
#: and a warning names the other. Matching ignores case, surrounding space, a BOM, text in
#: brackets (``Andel (%)``) and the difference between space, ``_``, ``-`` and ``.``.
HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "project": (
        "project", "projekt", "project_id", "projekt_id", "projektid", "project name",
        "projektnamn", "project title", "uppdrag", "uppdragsnamn", "initiative", "initiativ",
        "programme", "program", "assignment",
    ),
    "person": (
        "person", "person_id", "personid", "employee_id", "employee number", "employee",
        "anställningsnummer", "anst nr", "anställd", "medarbetare", "e-post", "epost", "email",
        "e-mail", "mail", "namn", "name", "full name", "fullständigt namn", "member",
        "deltagare", "participant", "staff", "resource", "resurs",
    ),
    "unit": (
        "unit", "unit_path", "unit_id", "unit name", "org unit", "organisational unit",
        "organizational unit", "organisationsenhet", "enhet", "department", "dept", "avdelning",
        "förvaltning", "sektion", "section", "division", "team", "grupp", "group", "org",
        "organisation", "organization",
    ),
    "role": ("role", "roll", "project role", "projektroll"),
    "start": ("start", "start_date", "startdatum", "start datum", "från", "from", "fr.o.m.", "begin"),
    "end": ("end", "end_date", "slutdatum", "slut", "slut datum", "till", "to", "t.o.m.", "tom", "until"),
    "allocation": (
        "allocation", "allocation_pct", "allocation percent", "andel", "omfattning", "share",
        "fte", "percent", "procent", "tidsandel", "sysselsättningsgrad",
    ),
}

#: Date spellings accepted in ``start`` and ``end`` (day before month, as in Sweden and most
#: of Europe; ``3/1/2026`` is 3 January). A time of day after the date is ignored, so Excel
#: date cells (``2026-03-01 00:00:00``) work; in ``.xlsx`` files a plain day number
#: (``46082``, Excel's serial date) is read as a date too. Two-digit years are not accepted.
DATE_FORMATS: dict[str, str] = {
    r"^\d{4}-\d{1,2}-\d{1,2}$": "%Y-%m-%d",
    r"^\d{4}/\d{1,2}/\d{1,2}$": "%Y/%m/%d",
    r"^\d{8}$": "%Y%m%d",
    r"^\d{1,2}/\d{1,2}/\d{4}$": "%d/%m/%Y",
    r"^\d{1,2}\.\d{1,2}\.\d{4}$": "%d.%m.%Y",
    r"^\d{1,2}-\d{1,2}-\d{4}$": "%d-%m-%Y",
}

_TIME_OF_DAY = r"[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?$"
_EXCEL_SERIAL = r"^\d{5}(?:\.0+)?$"
_DELIMITERS = (",", ";", "\t", "|")
_BLANK_CHARS = " \t\n\r\f\v\xa0" + "".join(_DELIMITERS)
_HEADER_SEARCH = 10
_SNIFF_CHARS = 65_536
_SNIFF_RECORDS = 50
_MAX_LISTED = 20
_NOUNS = {"project": "projects", "person": "people", "unit": "units"}

# -- header matching ---------------------------------------------------------------------


def _header_key(name: str) -> str:
    """Comparable form of a header: case-folded, bracketed text and punctuation dropped.

    >>> _header_key(" Andel (%) "), _header_key("Start_Date"), _header_key("\\ufeffE-post")
    ('andel', 'start date', 'e post')
    """
    key = unicodedata.normalize("NFC", name).replace("\ufeff", "").casefold()
    key = re.sub(r"\(.*?\)|\[.*?\]", " ", key)
    key = re.sub(r"[\s_\-./%:*#]+", " ", key)
    return key.strip()


_SYNONYM_KEYS: dict[str, tuple[str, ...]] = {
    canonical: tuple(dict.fromkeys(_header_key(s) for s in (canonical, *synonyms)))
    for canonical, synonyms in HEADER_SYNONYMS.items()
}


def _detect_indices(headers: Sequence[str], taken: Iterable[int] = ()) -> dict[str, int | None]:
    """Position of the header chosen for each canonical column, skipping ``taken`` positions."""
    keys = [_header_key(h) for h in headers]
    used = set(taken)
    found: dict[str, int | None] = {}
    for canonical in CANONICAL_COLUMNS:
        found[canonical] = next(
            (i for syn in _SYNONYM_KEYS[canonical] for i, k in enumerate(keys) if k == syn and i not in used),
            None,
        )
        if found[canonical] is not None:
            used.add(found[canonical])
    return found


def detect_columns(headers: Sequence[str]) -> dict[str, str | None]:
    """Returns the file header recognised for each canonical roster column, or ``None``.

    A header matches a column when its comparable form (case-folded, trimmed, BOM and
    bracketed text removed, ``_ - .`` read as spaces) equals that of one of the column's
    :data:`HEADER_SYNONYMS`. Each header is used for at most one column; among several
    candidates the one matching the earlier synonym wins.

    Parameters
    ----------
    headers
        The header cells of the file, as written.

    Returns
    -------
    dict
        Canonical column name (``project``, ``person``, ``unit``, ``role``, ``start``,
        ``end``, ``allocation``) to the header as written in the file, or ``None``.

    Examples
    --------
    >>> found = detect_columns(["Projekt", "Namn", "Enhet ", "Andel (%)"])
    >>> found["project"], found["person"], found["unit"], found["allocation"], found["role"]
    ('Projekt', 'Namn', 'Enhet ', 'Andel (%)', None)
    """
    return {c: None if i is None else headers[i] for c, i in _detect_indices(headers).items()}


def parse_column_mapping(text: str) -> dict[str, str]:
    """Returns the column mapping written as ``project=Projekt,person=Namn,unit=Enhet``.

    Each item is ``canonical=header in the file``; items are separated by commas, and the
    header is everything after the first ``=`` (trimmed). An empty text gives ``{}``.

    Parameters
    ----------
    text
        The mapping as typed on the command line (``--columns``).

    Returns
    -------
    dict
        Canonical column name to file header.

    Raises
    ------
    ValueError
        For an unknown canonical name, an item without ``=``, an empty header or a
        column mapped twice; the message says which item and lists the valid names.

    Examples
    --------
    >>> parse_column_mapping("project=Projekt, person = Namn,unit=Enhet")
    {'project': 'Projekt', 'person': 'Namn', 'unit': 'Enhet'}
    """
    mapping: dict[str, str] = {}
    valid = ", ".join(CANONICAL_COLUMNS)
    for item in filter(None, (part.strip() for part in text.split(","))):
        name, sep, header = (s.strip() for s in item.partition("="))
        if not sep or not header:
            msg = f"--columns: {item!r} should look like column=Header (for example project=Projekt)"
            raise ValueError(msg)
        canonical = name.casefold()
        if canonical not in CANONICAL_COLUMNS:
            hint = _reversed_hint(name, header)
            msg = f"--columns: {name!r} is not a roster column; use one of: {valid}{hint}"
            raise ValueError(msg)
        if canonical in mapping:
            msg = f"--columns: {canonical} is mapped twice ({mapping[canonical]!r} and {header!r})"
            raise ValueError(msg)
        mapping[canonical] = header
    return mapping


def _reversed_hint(name: str, header: str) -> str:
    """A hint for ``Projekt=project``, where the two sides were swapped."""
    return f" (did you mean {header.casefold()}={name}?)" if header.casefold() in CANONICAL_COLUMNS else ""


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
            message = f"cannot read the file as UTF-16 text ({exc.reason})"
            raise RosterError(Problem(source, None, None, message, "error")) from None
    if b"\x00" in data:
        raise RosterError(_nul_problem(data, source))
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    body = data.removeprefix(b"\xef\xbb\xbf")
    mixed = _decode_mixed(body, source)
    if mixed is not None:
        return mixed
    for codec, label in (("cp1252", "Windows-1252 (cp1252), as Excel on Windows saves CSV"),
                         ("latin-1", "Latin-1 (ISO-8859-1)")):
        try:
            text = body.decode(codec)
        except UnicodeDecodeError:
            continue
        note = (
            f"the file is not UTF-8; read it as {label}. "
            "If letters such as å, ä, ö look wrong, save the file as 'CSV UTF-8' and load it again"
        )
        return text, [Problem(source, None, None, note)]
    raise AssertionError("latin-1 decodes any bytes")  # pragma: no cover


def _decode_mixed(body: bytes, source: str) -> tuple[str, list[Problem]] | None:
    r"""Decode line by line when some lines are UTF-8 with letters beyond ASCII and others are
    not (rows pasted together from two exports); ``None`` when the file is one encoding.

    >>> text, notes = _decode_mixed("a\nÅsa\n".encode() + "Örjan\n".encode("cp1252"), "r.csv")
    >>> text.split("\n")[:3], str(notes[0])[:46]
    (['a', 'Åsa', 'Örjan'], 'r.csv:3: the file mixes encodings: line(s) 3 a')
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
    note = (
        f"the file mixes encodings: line(s) {shown} are not UTF-8 and were read as Windows-1252 "
        "(cp1252), the rest as UTF-8; check letters such as å, ä, ö on those lines"
    )
    return "\n".join(decoded), [Problem(source, legacy[0], None, note)]


_NOT_A_ROSTER = (
    "this is not a text (CSV) or Excel (.xlsx) file; save the roster as CSV or .xlsx and load it again"
)


def _nul_problem(data: bytes, source: str) -> Problem:
    """The error for data holding a NUL byte: binary, or a text file damaged on one line.

    Whole lines of text before the first NUL (no control characters but tab and line
    breaks) mean a damaged text file, so the line of the NUL is named; anything else is
    binary data (UTF-16 without a BOM also lands here: NULs from the first letter on).

    >>> print(_nul_problem(b"project,person,unit\\nP1,ann\\x00,A\\n", "r.csv"))  # doctest: +ELLIPSIS
    r.csv:2: contains a NUL byte (\\x00), which a text (CSV) file cannot hold; ...
    >>> _nul_problem(b"\\x89PNG\\r\\n\\x1a\\n\\x00", "r.csv").message == _NOT_A_ROSTER
    True
    """
    head = data[: data.index(b"\x00")]
    controls = head.translate(None, b"\t\n\r" + bytes(range(0x20, 0x100)))
    lines = head.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    if controls or b"\n" not in lines.lstrip(b"\n"):
        return Problem(source, None, None, _NOT_A_ROSTER, "error")
    line = lines.count(b"\n") + 1
    message = (
        "contains a NUL byte (\\x00), which a text (CSV) file cannot hold; the file may be damaged: "
        "remove the character, or save the roster again as CSV or .xlsx, and load it again"
    )
    return Problem(source, line, None, message, "error")


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
        raise RosterError(Problem(source, line, None, _csv_error_text(exc, text, line - first_line), "error")) from None
    if starts is None:
        starts = range(first_line, first_line + len(records))
    else:
        last_line = first_line + text.rstrip("\n").count("\n")
        problems += _unclosed_quote_warnings(records, starts, last_line, delimiter, source)
    head = _header_index(records, mapped_keys)
    if head is None:
        raise RosterError(Problem(source, None, None, "the file is empty", "error"))
    problems += _rows_above_header(records[:head], starts[head], source)
    header = records[head]
    body, lines, ragged = _rectangular(records[head + 1 :], starts[head + 1 :], len(header), source)
    columns = [f"c{i}" for i in range(len(header))]
    cells = pl.DataFrame(body, schema=dict.fromkeys(columns, pl.String()), orient="row")
    cells = cells.with_columns(pl.Series("line", lines, dtype=pl.Int64))
    return _RawTable(header, starts[head], cells, problems + ragged)


def _csv_error_text(exc: csv.Error, text: str, index: int) -> str:
    """Why the csv module stopped at the record starting on the ``index``-th line of ``text``.

    Its only error on our input is a value over its size limit: either a quote opened and
    never closed (the value runs on over many lines) or, with no quote on that line, a
    value really that long.

    >>> _csv_error_text(csv.Error("field larger than field limit (131072)"), "a,b\\nP1,xxx\\n", 1)
    'a value on this line is longer than 131,072 characters, the most one value may hold; shorten it'
    """
    limit = csv.field_size_limit()
    line = next(islice(io.StringIO(text), index, None), "")
    if "field limit" in str(exc) and '"' not in line:
        return f"a value on this line is longer than {limit:,} characters, the most one value may hold; shorten it"
    return f"cannot be read as CSV ({exc}); a quote (\") may be opened here and never closed"


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
    message = f"the header is on line {header_line}; the rows above it (a title?) were ignored"
    return [Problem(source, header_line, None, message)]


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
            message = (
                f"row has {len(row)} values but the header has {width} columns "
                "(a value may contain the separator without quotes); row skipped"
            )
            problems.append(Problem(source, lines[i], None, message, "error"))
    if problems:
        rows = [r for r, k in zip(rows, keep) if k]
        lines = [n for n, k in zip(lines, keep) if k]
    return rows, lines, problems


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
            message = (
                f'a quoted value (") starting here runs to line {end} and contains the separator; '
                "a closing quote is probably missing, so those lines were read as one value"
            )
            problems.append(Problem(source, starts[i], None, message))
    return problems


# -- XLSX --------------------------------------------------------------------------------


def _read_xlsx(data: bytes, source: str, mapped_keys: set[str]) -> _RawTable:
    """First non-empty sheet of a workbook as text cells, with Excel row numbers as lines."""
    import fastexcel  # the engine behind polars.read_excel; imported here for its sheet list

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
            raise RosterError(Problem(source, None, None, "the workbook has no sheet with data", "error"))
    except RosterError:
        raise
    except BaseException as exc:  # the engine may even panic (a BaseException) on damaged bytes
        if isinstance(exc, (KeyboardInterrupt, SystemExit, GeneratorExit)):
            raise
        detail = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        message = f"cannot be read as an Excel workbook (.xlsx); it may be damaged ({detail})"
        raise RosterError(Problem(source, None, None, message, "error")) from None
    cells = sheet.rename(dict(zip(sheet.columns, (f"c{i}" for i in range(sheet.width)))))
    cells = cells.with_columns(pl.all().cast(pl.String).str.normalize("NFC"))
    cells = cells.with_row_index("line", offset=_xlsx_first_row(data, index))
    cells = cells.with_columns(pl.col("line").cast(pl.Int64))
    filled = ~pl.all_horizontal(pl.exclude("line").str.strip_chars(_BLANK_CHARS).fill_null("") == "")
    top = cells.filter(filled).head(_HEADER_SEARCH)
    records = [[v or "" for v in row] for row in top.drop("line").rows()]
    head = _header_index(records, mapped_keys)
    if head is None:
        raise RosterError(Problem(source, None, None, f"sheet {name!r} has no filled cells", "error"))
    header_line = int(top["line"][head])
    notes = [] if len(names) == 1 else [Problem(source, None, None, f"read sheet {name!r} (the first sheet with data)")]
    notes += _rows_above_header(records[:head], header_line, source)
    return _RawTable(records[head], header_line, cells.filter(pl.col("line") > header_line), notes, excel=True)


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


# -- column mapping ----------------------------------------------------------------------


def _resolve_columns(
    header: list[str], header_line: int, columns: Mapping[str, str | None] | None, source: str
) -> tuple[dict[str, int], list[Problem]]:
    """Header position of each canonical column in use; fails naming what is missing."""
    columns = dict(columns or {})
    unknown = [c for c in columns if c not in CANONICAL_COLUMNS]
    if unknown:
        message = f"unknown column name(s) in the mapping: {', '.join(unknown)}; use: {', '.join(CANONICAL_COLUMNS)}"
        raise RosterError(Problem(source, None, None, message, "error"))
    keys = [_header_key(h) for h in header]
    chosen: dict[str, int | None] = {}
    errors: list[Problem] = []
    for canonical, wanted in columns.items():
        if not wanted:
            chosen[canonical] = None
            continue
        exact = [i for i, h in enumerate(header) if h.strip() == wanted.strip()]
        loose = [i for i, k in enumerate(keys) if k == _header_key(wanted)]
        if exact or loose:
            chosen[canonical] = (exact or loose)[0]
        else:
            message = f"mapped to {wanted!r}, but the file has no such column; headers found: {_list_headers(header)}"
            errors.append(Problem(source, header_line, canonical, message, "error"))
    twice = Counter(i for i in chosen.values() if i is not None)
    for canonical, index in chosen.items():
        if index is not None and twice[index] > 1:
            others = [c for c, i in chosen.items() if i == index and c != canonical]
            message = f"{header[index]!r} is mapped to more than one column (also {', '.join(others)})"
            errors.append(Problem(source, header_line, canonical, message, "error"))
    if errors:
        raise RosterError(errors)
    detected = _detect_indices(header, taken=[i for i in chosen.values() if i is not None])
    for canonical in CANONICAL_COLUMNS:
        chosen.setdefault(canonical, detected[canonical])
    found = {c: i for c, i in chosen.items() if i is not None}
    _check_required(found, header, header_line, source)
    _check_duplicate_headers(found, header, keys, header_line, source)
    return found, _ambiguity_warnings(found, header, keys, header_line, source)


def _list_headers(header: Sequence[str]) -> str:
    return ", ".join(repr(h) for h in header if h.strip()) or "(none)"


def _check_required(found: dict[str, int], header: list[str], header_line: int, source: str) -> None:
    """Raise naming each missing required column, the headers found and how to map them."""
    missing = [c for c in REQUIRED_COLUMNS if c not in found]
    if not missing:
        return
    spare = [h for i, h in enumerate(header) if h.strip() and i not in found.values()]
    problems = []
    for canonical in missing:
        example = spare[0] if len(spare) == 1 else "HEADER"
        names = ", ".join(HEADER_SYNONYMS[canonical][1:5])
        message = (
            f"required column not found. Headers in the file: {_list_headers(header)}. "
            f"Name the column {canonical!r} (or e.g. {names}), or map it: --columns {canonical}={example}"
        )
        problems.append(Problem(source, header_line, canonical, message, "error"))
    raise RosterError(problems)


def _check_duplicate_headers(
    found: dict[str, int], header: list[str], keys: list[str], header_line: int, source: str
) -> None:
    """Raise when a header in use appears more than once (which copy is meant is unclear)."""
    problems = []
    for canonical, index in found.items():
        twins = [i + 1 for i, k in enumerate(keys) if k == keys[index]]
        if len(twins) > 1:
            message = (
                f"the header {header[index].strip()!r} appears {len(twins)} times (columns "
                f"{', '.join(map(str, twins))}); rename the copies so each header is unique"
            )
            problems.append(Problem(source, header_line, canonical, message, "error"))
    if problems:
        raise RosterError(problems)


def _ambiguity_warnings(
    found: dict[str, int], header: list[str], keys: list[str], header_line: int, source: str
) -> list[Problem]:
    """Warn when an unused header also looked like a column that is already taken."""
    problems = []
    used = set(found.values())
    for canonical, index in found.items():
        others = [header[i] for i, k in enumerate(keys) if i not in used and k in _SYNONYM_KEYS[canonical]]
        if others:
            message = (
                f"used column {header[index].strip()!r}; {', '.join(repr(o) for o in others)} could also be "
                f"the {canonical} column: choose it with --columns {canonical}={others[0]}"
            )
            problems.append(Problem(source, header_line, canonical, message))
    return problems


# -- validation steps (frame -> frame, problems) -----------------------------------------

_Step = tuple[pl.DataFrame, list[Problem]]


def _drop_blank_rows(cells: pl.DataFrame, source: str) -> _Step:
    """Drop rows with no value in any column, with one summary warning."""
    values = pl.exclude("line").str.strip_chars(_BLANK_CHARS).fill_null("")
    blank = pl.all_horizontal(values == "") if cells.width > 1 else pl.lit(True)
    lines = cells.filter(blank)["line"].to_list()
    if not lines:
        return cells, []
    message = f"{len(lines)} blank row(s) skipped ({_lines_text(lines)})"
    return cells.filter(~blank), [Problem(source, None, None, message)]


def _lines_text(lines: Sequence[int]) -> str:
    shown = ", ".join(map(str, lines[:_MAX_LISTED]))
    more = f" and {len(lines) - _MAX_LISTED} more" if len(lines) > _MAX_LISTED else ""
    return f"line{'s' if len(lines) > 1 else ''} {shown}{more}"


def _select_columns(cells: pl.DataFrame, found: dict[str, int]) -> pl.DataFrame:
    """Canonical columns with trimmed values; empty values become null."""
    def text(canonical: str) -> pl.Expr:
        value = pl.col(f"c{found[canonical]}").str.strip_chars()
        return pl.when(value != "").then(value).alias(canonical)

    return cells.select(*(text(c) for c in CANONICAL_COLUMNS if c in found), "line")


def _normalise_units(frame: pl.DataFrame) -> pl.DataFrame:
    """Write unit paths as ``A/B/C``: no spaces around ``/``, `` > `` accepted, no empty parts.

    Done on the distinct unit names (there are few), then mapped back onto the rows.
    """
    unit = (
        pl.col("unit").str.replace_all(r"\s+>\s+", "/").str.replace_all(r"\s*/\s*", "/")
        .str.replace_all(r"/{2,}", "/").str.strip_chars("/")
    )
    names = frame.select(pl.col("unit").unique().drop_nulls())
    names = names.with_columns(pl.when(unit != "").then(unit).alias("clean"))
    changed = names.filter(pl.col("clean").ne_missing(pl.col("unit")))
    if changed.height == 0:
        return frame
    return frame.with_columns(pl.col("unit").replace(changed["unit"], changed["clean"]))


def _reject_missing(frame: pl.DataFrame, source: str) -> _Step:
    """Reject rows without a project, person or unit; one error per missing value."""
    missing = pl.any_horizontal(pl.col(c).is_null() for c in REQUIRED_COLUMNS)
    rejected = frame.filter(missing)
    problems = [
        Problem(source, row["line"], c, "missing value (row skipped)", "error")
        for row in rejected.iter_rows(named=True)
        for c in REQUIRED_COLUMNS
        if row[c] is None
    ]
    return frame.filter(~missing), problems


def _date_expr(column: str, *, excel: bool) -> pl.Expr:
    """Parse ``column`` with the first matching spelling in :data:`DATE_FORMATS` (else null)."""
    value = pl.col(column).str.replace(_TIME_OF_DAY, "")
    parsed = [
        pl.when(value.str.contains(pattern)).then(value.str.strptime(pl.Date, fmt, strict=False))
        for pattern, fmt in DATE_FORMATS.items()
    ]
    if excel:
        days = pl.col(column).cast(pl.Float64, strict=False).cast(pl.Int64, strict=False)
        serial = pl.date(1899, 12, 30) + pl.duration(days=days)
        parsed.append(pl.when(pl.col(column).str.contains(_EXCEL_SERIAL)).then(serial))
    return pl.coalesce(parsed)


def _parse_dates(frame: pl.DataFrame, source: str, *, excel: bool) -> _Step:
    """Read ``start``/``end`` as dates; an unreadable date is left empty with a warning."""
    problems: list[Problem] = []
    for column in ("start", "end"):
        if column not in frame.columns:
            continue
        parsed = frame.select(_date_expr(column, excel=excel).alias("date"), pl.col(column).alias("text"), "line")
        bad = parsed.filter(pl.col("text").is_not_null() & pl.col("date").is_null())
        problems += [
            Problem(source, line, column, f"{text!r} is not a date (write it as YYYY-MM-DD); left empty")
            for text, line in bad.select("text", "line").iter_rows()
        ]
        frame = frame.with_columns(parsed["date"].alias(column))
    return frame, problems


def _check_periods(frame: pl.DataFrame, source: str) -> _Step:
    """An end before the start is a typo we cannot fix: warn and drop both dates of the row."""
    if not {"start", "end"} <= set(frame.columns):
        return frame, []
    reversed_ = pl.col("end") < pl.col("start")
    problems = [
        Problem(source, line, "end", f"end {end} is before start {start}; both dates left empty")
        for start, end, line in frame.filter(reversed_).select("start", "end", "line").iter_rows()
    ]
    cleared = [pl.when(reversed_.fill_null(False)).then(None).otherwise(pl.col(c)).alias(c) for c in ("start", "end")]
    return frame.with_columns(cleared), problems


def _allocation_expr() -> pl.Expr:
    """Share of time in 0–1 from ``0.5``, ``0,5``, ``50`` or ``50 %`` (null when out of range)."""
    text = pl.col("allocation").str.strip_chars()
    percent = text.str.ends_with("%")
    number = text.str.strip_suffix("%").str.strip_chars().str.replace(",", ".", literal=True)
    number = number.cast(pl.Float64, strict=False)
    share = pl.when(percent | ((number > 1) & (number <= 100))).then(number / 100).otherwise(number)
    return pl.when(share.is_finite() & (share >= 0) & (share <= 1)).then(share)


def _parse_allocation(frame: pl.DataFrame, source: str) -> _Step:
    """Read ``allocation`` as a share of time; unreadable or out-of-range values warn and stay empty."""
    if "allocation" not in frame.columns:
        return frame, []
    parsed = frame.select(_allocation_expr().alias("share"), pl.col("allocation").alias("text"), "line")
    bad = parsed.filter(pl.col("text").is_not_null() & pl.col("share").is_null())
    problems = [
        Problem(source, line, "allocation", f"{text!r} is not a share of time (0–1, or 0–100 %); left empty")
        for text, line in bad.select("text", "line").iter_rows()
    ]
    return frame.with_columns(parsed["share"].alias("allocation")), problems


def _drop_exact_duplicates(frame: pl.DataFrame, source: str) -> _Step:
    """Drop rows repeating an earlier row value for value."""
    values = [c for c in frame.columns if c != "line"]
    if not frame.select(values).is_duplicated().any():
        return frame, []
    frame = frame.with_columns(pl.col("line").first().over(values).alias("first"))
    problems = [
        Problem(source, line, None, f"same row as line {earlier} (duplicate row skipped)")
        for line, earlier in frame.filter(pl.col("line") != pl.col("first")).select("line", "first").iter_rows()
    ]
    return frame.filter(pl.col("line") == pl.col("first")).drop("first"), problems


def _drop_repeated_memberships(frame: pl.DataFrame, source: str) -> _Step:
    """Keep the first row of each (project, person); warn about later rows that differ."""
    if not frame.select("project", "person").is_duplicated().any():
        return frame, []
    frame = frame.with_columns(pl.col("line").first().over("project", "person").alias("first"))
    repeats = frame.filter(pl.col("line") != pl.col("first"))
    frame = frame.filter(pl.col("line") == pl.col("first")).drop("first")
    kept_rows = frame.filter(pl.col("line").is_in(repeats["first"].implode()))
    earlier = {row["line"]: row for row in kept_rows.iter_rows(named=True)}
    problems = []
    for row in repeats.iter_rows(named=True):
        kept = earlier[row["first"]]
        diffs = "; ".join(
            f"{c} {_show(row[c])} here, {_show(kept[c])} on line {kept['line']}"
            for c in frame.columns
            if c not in ("line", "project", "person") and row[c] != kept[c]
        )
        message = (
            f"{row['person']!r} is listed on project {row['project']!r} again (first on line "
            f"{kept['line']}) with a different {diffs}; kept line {kept['line']}, this row skipped"
        )
        problems.append(Problem(source, row["line"], "person", message))
    return frame, problems


def _show(value: object) -> str:
    return "(empty)" if value is None else repr(str(value))


def _warn_case_variants(frame: pl.DataFrame, source: str) -> list[Problem]:
    """Warn when names differ only in letter case; they stay different (ids are kept exact)."""
    problems = []
    for column in REQUIRED_COLUMNS:
        names = frame[column].unique()
        if not names.str.to_lowercase().is_duplicated().any():
            continue
        spellings = frame.group_by(column, maintain_order=True).agg(pl.col("line").first())
        spellings = spellings.with_columns(pl.col(column).str.to_lowercase().alias("key"))
        clashes = spellings.filter(pl.col("key").is_duplicated())
        seen: dict[str, tuple[str, int]] = {}
        for value, line, key in clashes.sort("line").iter_rows():
            if key not in seen:
                seen[key] = (value, line)
                continue
            other, other_line = seen[key]
            message = (
                f"{value!r} differs only in upper/lower case from {other!r} (line {other_line}); "
                f"they are counted as different {_NOUNS[column]}"
            )
            problems.append(Problem(source, line, column, message))
    return problems


def _resolve_units(frame: pl.DataFrame, source: str) -> _Step:
    """Give each person one unit: the latest period's, else the most frequent, else the first.

    Period order: by ``end`` (an open end counts as latest when ``start`` is set), then by
    ``start``. Rows without dates rank below dated ones; when no row of the person is dated,
    the most frequent unit wins, and ties go to the unit listed first.
    """
    pairs = frame.select("person", "unit").unique()
    split = pairs.filter(pl.col("person").is_duplicated())["person"].unique()
    if split.len() == 0:
        return frame, []
    rows = frame.filter(pl.col("person").is_in(split.implode())).sort("line")
    has = set(rows.columns)
    chosen: dict[str, str] = {}
    problems = []
    for (person,), group in rows.group_by("person", maintain_order=True):
        records = group.select("unit", "line", *(c for c in ("start", "end") if c in has)).to_dicts()
        unit, reason = _choose_unit(records)
        chosen[person] = unit
        problems.append(_unit_problem(person, records, unit, reason, source))
    fix = pl.col("person").replace_strict(chosen, default=pl.col("unit"), return_dtype=pl.String)
    return frame.with_columns(fix.alias("unit")), problems


def _choose_unit(records: list[dict[str, object]]) -> tuple[str, str]:
    """The unit kept for one person's rows (in file order) and the reason, in words."""
    counts = Counter(r["unit"] for r in records)
    order = {u: i for i, u in reversed(list(enumerate(r["unit"] for r in records)))}
    keys = [_period_key(r) for r in records]
    dated = [k for k in keys if k is not None]
    if dated:
        latest = max(dated)
        candidates = {r["unit"] for r, k in zip(records, keys) if k == latest}
        reason = "latest period"
    else:
        candidates, reason = set(counts), "most rows"
    best = min(candidates, key=lambda u: (-counts[u], order[u]))
    tied = [u for u in candidates if counts[u] == counts[best]]
    return str(best), reason if len(tied) == 1 else f"{reason}; tie, listed first"


def _period_key(record: Mapping[str, object]) -> tuple[int, object, object] | None:
    """Sort key of a membership period; ``None`` when the row has no dates."""
    start, end = record.get("start"), record.get("end")
    if start is None and end is None:
        return None
    if end is None:
        return (1, start, start)  # open-ended: still running, so later than any closed period
    return (0, end, start or end)


def _unit_problem(person: str, records: list[dict[str, object]], unit: str, reason: str, source: str) -> Problem:
    lines: dict[str, list[int]] = {}
    for r in records:
        lines.setdefault(str(r["unit"]), []).append(int(r["line"]))  # type: ignore[arg-type]
    seen = "; ".join(f"{u!r} ({_lines_text(ls)})" for u, ls in lines.items())
    first_other = min(ls[0] for u, ls in lines.items() if ls[0] != records[0]["line"])
    message = (
        f"{person!r} is listed under {len(lines)} units: {seen}; using {unit!r} ({reason}) "
        "for all their rows, since a person belongs to one unit in the analysis"
    )
    return Problem(source, first_other, "unit", message)


def _warn_project_sizes(frame: pl.DataFrame, source: str, max_project_size: int | None) -> list[Problem]:
    """One warning for one-member projects and one for very large projects."""
    sizes = frame.group_by("project", maintain_order=True).agg(pl.len().alias("size"))
    problems = []
    single = sizes.filter(pl.col("size") == 1)["project"].to_list()
    if single:
        message = (
            f"{len(single)} project(s) have only one member: {_names_text(single)} "
            "(allowed: the person stays in the data but gets no ties from it)"
        )
        problems.append(Problem(source, None, "project", message))
    if max_project_size:
        large = sizes.filter(pl.col("size") > max_project_size).sort("size", descending=True, maintain_order=True)
        if large.height:
            listed = [f"{p} ({n} members)" for p, n in large.iter_rows()]
            message = (
                f"very large project(s), more than {max_project_size} members: {_names_text(listed)}; "
                "use --max-project-size to exclude them from person ties"
            )
            problems.append(Problem(source, None, "project", message))
    return problems


def _names_text(names: Sequence[str]) -> str:
    shown = ", ".join(names[:_MAX_LISTED])
    return shown + (f" and {len(names) - _MAX_LISTED} more" if len(names) > _MAX_LISTED else "")


# -- entry points ------------------------------------------------------------------------


def _check_size(size: int, max_bytes: int | None, source: str) -> None:
    """Refuse a file above ``max_bytes`` before any parsing, saying how big it is.

    >>> _check_size(77_000_000, 50 * 1024 * 1024, "big.csv")
    Traceback (most recent call last):
    ...
    analyser.roster.RosterError: big.csv: the file is 73.4 MB; the limit is 50 MB (split the roster or raise the limit, e.g. --max-file-mb)
    """
    if max_bytes is None or size <= max_bytes:
        return
    message = (
        f"the file is {size / 2**20:.1f} MB; the limit is {_mb_text(max_bytes)} MB "
        "(split the roster or raise the limit, e.g. --max-file-mb)"
    )
    raise RosterError(Problem(source, None, None, message, "error"))


def _mb_text(size: int) -> str:
    """``52428800`` -> ``'50'``, ``1500000`` -> ``'1.4'`` (megabytes of 2**20 bytes)."""
    return f"{size / 2**20:.1f}".removesuffix(".0")


def _read_cells(data: bytes, filename: str, mapped_keys: set[str]) -> _RawTable:
    """Header and text cells of a roster file, the format decided by its content."""
    suffix = Path(filename).suffix.lower()
    if data.startswith(b"PK\x03\x04"):
        table = _read_xlsx(data, filename, mapped_keys)
        if suffix not in (".xlsx", ".xlsm", ""):
            message = f"the file is an Excel workbook although named {suffix}; read it as .xlsx"
            table.problems.insert(0, Problem(filename, None, None, message))
        return table
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        message = "this is an old Excel file (.xls); open it in Excel and save it as .xlsx or CSV"
        raise RosterError(Problem(filename, None, None, message, "error"))
    table = _read_csv(data, filename, mapped_keys)
    if suffix in (".xlsx", ".xls", ".xlsm"):
        message = f"the file is text although named {suffix}; read it as CSV"
        table.problems.insert(0, Problem(filename, None, None, message))
    return table


def _validate(
    table: _RawTable, columns: Mapping[str, str | None] | None, source: str, max_project_size: int | None
) -> Roster:
    """Apply the row rules to the cells of a file and build the roster (or fail)."""
    found, problems = _resolve_columns(table.header, table.header_line, columns, source)
    problems = table.problems + problems
    cells, found_problems = _drop_blank_rows(table.cells, source)
    problems += found_problems
    frame = _normalise_units(_select_columns(cells, found))
    steps = (
        _reject_missing, partial(_parse_dates, excel=table.excel), _parse_allocation, _check_periods,
        _drop_exact_duplicates, _drop_repeated_memberships, _resolve_units,
    )
    for step in steps:
        frame, found_problems = step(frame, source)
        problems += found_problems
    if frame.height == 0:
        reason = "the file has no usable rows" if cells.height else "the file has a header but no rows"
        raise RosterError([Problem(source, None, None, reason, "error"), *_ordered(problems)])
    problems += _warn_case_variants(frame, source)
    problems += _warn_project_sizes(frame, source, max_project_size)
    roster = Roster.from_frame(frame, source=source)
    return replace(roster, problems=tuple(_ordered(problems)))


def _ordered(problems: list[Problem]) -> list[Problem]:
    """Whole-file findings first, then by line (stable, so steps keep their order)."""
    return sorted(problems, key=lambda p: -1 if p.line is None else p.line)


def read_roster_bytes(
    data: bytes,
    filename: str,
    *,
    columns: Mapping[str, str | None] | None = None,
    max_project_size: int | None = DEFAULT_MAX_PROJECT_SIZE,
    max_bytes: int | None = MAX_FILE_BYTES,
) -> Roster:
    """Returns the validated roster held in the bytes of a CSV or XLSX file.

    The format is decided by content (a zip archive is read as ``.xlsx``, anything else as
    delimited text). Text is decoded as UTF-8 (BOM optional), UTF-16 with BOM, or else
    Windows-1252/Latin-1 with a warning; the delimiter (``,`` ``;`` tab ``|``) is the one
    under which the header and first rows split most consistently. Each problem found is
    addressed as ``FILE:LINE: column: message``, where LINE is the physical line of the
    text file (header = line 1) or the Excel row number.

    Row rules, in order: blank rows are dropped (one warning); rows with more values than
    the header, or without project, person or unit, are rejected (error, the rest of the
    file still loads); unreadable dates and allocations are left empty (warning); an end
    before its start empties both dates (warning); exact duplicate rows are dropped, and
    for a repeated (project, person) the first row is kept (warning); a person listed
    under several units is given one (latest period, else most rows, else first listed;
    one warning per person); names differing only in case, one-member projects and
    projects above ``max_project_size`` are reported.

    Parameters
    ----------
    data
        The file content.
    filename
        Name used in messages (and to notice a misleading suffix).
    columns
        Canonical column -> header in the file; overrides header recognition. A value of
        ``None`` or ``""`` leaves that column out.
    max_project_size
        Projects with more members are reported as very large; ``None`` or 0: no check.
    max_bytes
        Larger data is refused before parsing (default :data:`MAX_FILE_BYTES`); ``None``:
        no limit.

    Returns
    -------
    Roster
        Memberships with ``problems`` holding warnings and the errors of rejected rows.

    Raises
    ------
    RosterError
        When the file is over ``max_bytes``, cannot be read, lacks a required column or has
        no usable row.

    See Also
    --------
    read_roster : the same from a path.
    detect_columns, parse_column_mapping : choosing the columns.

    Notes
    -----
    Problems are ordered whole-file findings first, then by line. The bulk work is done by
    the csv module (one C-level pass) and polars; Python loops run over problem rows only.
    A 292k-row file (``bench/gen.py`` scale L) reads in about 0.7 s of CPU time.
    Memberships are built with :meth:`Roster.from_frame` and the problems attached after.

    References
    ----------
    .. [1] Y. Shafranovich, "Common Format and MIME Type for Comma-Separated Values (CSV)
       Files", RFC 4180, 2005 (quoting rules, values spanning lines).
    .. [2] ECMA-376, "Office Open XML File Formats", Part 1, §18.3 (worksheet rows and cell
       references, used for Excel row numbers).

    Examples
    --------
    >>> data = b"Projekt;Namn;Enhet\\nP1;Anna;HR\\nP1;Bo;IT\\nP2;Cai;\\n"
    >>> roster = read_roster_bytes(data, "r.csv")
    >>> roster.memberships.select("project", "person", "unit", "line").rows()
    [('P1', 'Anna', 'HR', 2), ('P1', 'Bo', 'IT', 3)]
    >>> [str(p) for p in roster.problems]
    ['r.csv:4: unit: missing value (row skipped)']
    """
    _check_size(len(data), max_bytes, filename)
    mapped_keys = {_header_key(h) for h in (columns or {}).values() if h}
    table = _read_cells(bytes(data), filename, mapped_keys)
    return _validate(table, columns, filename, max_project_size)


def read_roster(
    path: str | Path,
    *,
    columns: Mapping[str, str | None] | None = None,
    source: str | None = None,
    max_project_size: int | None = DEFAULT_MAX_PROJECT_SIZE,
    max_bytes: int | None = MAX_FILE_BYTES,
) -> Roster:
    """Returns the validated roster in a CSV or XLSX file (see :func:`read_roster_bytes`).

    Parameters
    ----------
    path
        The file to read.
    columns
        Canonical column -> header in the file, e.g. from :func:`parse_column_mapping`.
    source
        Name used in messages; defaults to the file name without its folder.
    max_project_size
        Projects with more members are reported as very large.
    max_bytes
        A larger file is refused from its size on disk, before it is read; ``None``: no limit.

    Returns
    -------
    Roster
        Memberships plus the problems found.

    Raises
    ------
    RosterError
        When the file cannot be opened or read, is over ``max_bytes``, or has no usable rows.

    Examples
    --------
    >>> read_roster("no/such/roster.csv")
    Traceback (most recent call last):
    ...
    analyser.roster.RosterError: roster.csv: cannot open the file: No such file or directory
    """
    path = Path(path)
    name = source or path.name
    try:
        _check_size(path.stat().st_size, max_bytes, name)
        data = path.read_bytes()
    except OSError as exc:
        raise RosterError(Problem(name, None, None, f"cannot open the file: {exc.strerror or exc}", "error")) from None
    return read_roster_bytes(data, name, columns=columns, max_project_size=max_project_size, max_bytes=max_bytes)
