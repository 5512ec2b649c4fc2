"""Read roster files (CSV or XLSX) into a validated Roster, reporting each problem by file and line."""

from __future__ import annotations

import errno
from collections.abc import Mapping
from dataclasses import replace
from functools import partial
from pathlib import Path

from analyser.ingest.headers import (
    HEADER_SYNONYMS,
    _header_key,
    _resolve_columns,
    detect_columns,
    parse_column_mapping,
)
from analyser.ingest.limits import (
    MAX_COLUMNS,
    MAX_PROBLEMS_PER_KIND,
    MAX_SHEET_CELLS,
    MAX_XLSX_PARTS,
    MAX_XLSX_RATIO,
    MAX_XLSX_UNPACKED_BYTES,
)
from analyser.ingest.rules import (
    DATE_FORMATS,
    _check_periods,
    _drop_blank_rows,
    _drop_exact_duplicates,
    _drop_repeated_memberships,
    _normalise_units,
    _parse_allocation,
    _parse_dates,
    _reject_missing,
    _resolve_units,
    _select_columns,
    _warn_case_variants,
    _warn_project_sizes,
)
from analyser.ingest.text import _RawTable, _read_csv
from analyser.ingest.xlsx import _read_xlsx
from analyser.network import DEFAULT_MAX_PROJECT_SIZE
from analyser.roster import (
    Amount,
    InputError,
    Phrase,
    Problem,
    Roster,
)

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_COLUMNS",
    "MAX_SHEET_CELLS",
    "MAX_XLSX_UNPACKED_BYTES",
    "MAX_XLSX_RATIO",
    "MAX_XLSX_PARTS",
    "MAX_PROBLEMS_PER_KIND",
    "HEADER_SYNONYMS",
    "DATE_FORMATS",
    "read_roster",
    "read_roster_bytes",
    "parse_column_mapping",
    "read_headers",
    "detect_columns",
]

#: Largest roster file read by default (50 MB, several million memberships as CSV). Bigger
#: files are refused before parsing, so an upload cannot tie up the memory of a shared server.
MAX_FILE_BYTES = 50 * 1024 * 1024


# -- entry points ------------------------------------------------------------------------


def _check_size(size: int, max_bytes: int | None, source: str) -> None:
    """Refuse a file above ``max_bytes`` before any parsing, saying how big it is.

    >>> _check_size(77_000_000, 50 * 1024 * 1024, "big.csv")
    Traceback (most recent call last):
    ...
    analyser.roster.InputError: big.csv: the file is 73.4 MB; the limit is 50 MB (split the roster or raise the limit, e.g. --max-file-mb)
    """
    if max_bytes is None or size <= max_bytes:
        return
    size_mb, limit_mb = Amount(size / 2**20, ".1f"), Amount(max_bytes / 2**20, ".1f", trim=True)
    raise InputError(Problem.of(source, None, None, "datacheck.file_too_large", "error", size=size_mb, limit=limit_mb))


#: Operating-system errors named in the reader's language (in English as POSIX systems name
#: them); others keep the system's words.
_OS_ERRORS = {errno.ENOENT: "not_found", errno.EACCES: "no_access", errno.EISDIR: "is_a_folder"}


def cannot_open(source: str, exc: OSError) -> Problem:
    """The error for a file that cannot be opened, with the system's reason.

    >>> cannot_open("r.csv", FileNotFoundError(errno.ENOENT, "No such file or directory")).text("sv")
    'filen kan inte öppnas: filen finns inte'
    """
    known = _OS_ERRORS.get(exc.errno)  # type: ignore[arg-type]
    reason = Phrase(f"datacheck.os_error.{known}") if known else str(exc.strerror or exc)
    return Problem.of(source, None, None, "datacheck.cannot_open", "error", reason=reason)


def _read_cells(data: bytes, filename: str, mapped_keys: set[str]) -> _RawTable:
    """Header and text cells of a roster file, the format decided by its content."""
    suffix = Path(filename).suffix.lower()
    if data.startswith(b"PK\x03\x04"):
        table = _read_xlsx(data, filename, mapped_keys)
        if suffix not in (".xlsx", ".xlsm", ""):
            table.problems.insert(0, Problem.of(filename, None, None, "datacheck.workbook_misnamed", suffix=suffix))
        return table
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(Problem.of(filename, None, None, "datacheck.old_excel", "error"))
    table = _read_csv(data, filename, mapped_keys)
    if suffix in (".xlsx", ".xls", ".xlsm"):
        table.problems.insert(0, Problem.of(filename, None, None, "datacheck.text_misnamed", suffix=suffix))
    return table


def read_headers(data: bytes, filename: str) -> list[str]:
    r"""Return the header cells of a roster file as the reader finds them (the header row may
    sit below title rows; an Excel file's first sheet with data is used).

    Raises :class:`~analyser.roster.InputError` when the file cannot be read. The dashboard
    uses it to offer a column mapping when headers are not recognised.

    Examples
    --------
    >>> read_headers("Projekt;Vem;Var\nP1;Anna;HR\n".encode(), "r.csv")
    ['Projekt', 'Vem', 'Var']
    """
    return list(_read_cells(bytes(data), filename, set()).header)


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
        reason = "datacheck.no_usable_rows" if cells.height else "datacheck.header_only"
        raise InputError([Problem.of(source, None, None, reason, "error"), *_ordered(problems)])
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
    projects above ``max_project_size`` are reported. Of each kind of row problem the first
    :data:`MAX_PROBLEMS_PER_KIND` are listed, then one problem counts the rest.

    Files that would cost far more to read than their size suggests are refused: more than
    :data:`MAX_COLUMNS` filled columns (empty columns at the right are dropped), a value over
    131,072 characters, and for workbooks a sheet whose filled cells span more than
    :data:`MAX_SHEET_CELLS` cells, more than :data:`MAX_XLSX_UNPACKED_BYTES` unpacked or a
    part packed over :data:`MAX_XLSX_RATIO`:1. Workbooks are checked before the Excel engine
    reads them, since the engine aborts the process on a sheet too large to allocate.

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
    InputError
        When the file is over ``max_bytes`` or one of the limits above, cannot be read, lacks
        a required column or has no usable row.

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
    InputError
        When the file cannot be opened or read, is over ``max_bytes``, or has no usable rows.

    Examples
    --------
    >>> read_roster("no/such/roster.csv")
    Traceback (most recent call last):
    ...
    analyser.roster.InputError: roster.csv: cannot open the file: No such file or directory
    """
    path = Path(path)
    name = source or path.name
    try:
        _check_size(path.stat().st_size, max_bytes, name)
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(cannot_open(name, exc)) from None
    return read_roster_bytes(data, name, columns=columns, max_project_size=max_project_size, max_bytes=max_bytes)
