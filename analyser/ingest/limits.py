"""Reading limits shared by the CSV and Excel readers, and the cap on repeated problems."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

import polars as pl

from analyser.roster import Amount, Phrase, Problem, plural_key

__all__ = [
    "MAX_COLUMNS",
    "MAX_SHEET_CELLS",
    "MAX_XLSX_UNPACKED_BYTES",
    "MAX_XLSX_RATIO",
    "MAX_XLSX_PARTS",
    "MAX_PROBLEMS_PER_KIND",
]

#: Most columns read from a file: Excel's own limit (column XFD). Empty columns at the right
#: edge are dropped first, so only a header (or rows) really this wide is refused; past this
#: width each column costs memory and time whatever it holds.
MAX_COLUMNS = 16_384

#: Most cells in the rectangle spanned by a sheet's filled cells (rows × columns): every row
#: Excel allows at 10 columns (a roster has 3 to 10). The Excel engine allocates the whole
#: rectangle (32 bytes a cell) before anything else runs, so one stray cell at XFD1048576 asks
#: for 512 GB; at this limit a sheet of three rows and one stray cell costs about 600 MB.
MAX_SHEET_CELLS = 10 * 2**20

#: Most bytes the parts of a workbook may unpack to, together. A roster of a million rows
#: unpacks to about 210 MB; the limit leaves room for a workbook at the 50 MB upload limit.
MAX_XLSX_UNPACKED_BYTES = 512 * 2**20

#: Largest unpacked-to-packed size ratio of a workbook part (above :data:`XLSX_RATIO_FREE_BYTES`).
#: Excel's sheets compress about 10:1; a part compressed far more is a zip bomb (a 200 MB cell
#: of one repeated letter packs into 200 KB).
MAX_XLSX_RATIO = 100

#: Parts this small are not held to :data:`MAX_XLSX_RATIO` (any ratio of a small part is harmless).
XLSX_RATIO_FREE_BYTES = 2**20

#: Most parts (files inside the zip) a workbook may have; one with a thousand sheets has about
#: two thousand. Each part is unpacked and checked, so a million empty ones would take minutes.
MAX_XLSX_PARTS = 10_000

#: Problems of one kind (one rule, one column) listed one by one; the rest are counted in a
#: single problem. A file of a million duplicate rows would otherwise give a million messages
#: (129 MB) that nobody reads.
MAX_PROBLEMS_PER_KIND = 100


def _with_summary(kept: list[Problem], total: int, next_line: int | None, what: str) -> list[Problem]:
    """``kept`` (the first problems of one kind) and, when ``total`` is larger, one problem
    counting the rest, at the line of the first one not listed.

    ``what`` is the catalogue key (without ``.one``/``.other``) of the kind, as counted.

    >>> kept = [Problem.of("r.csv", 3, None, "datacheck.duplicate_row", earlier=2)]
    >>> [str(p) for p in _with_summary(kept, 5, 4, "datacheck.what.duplicate_rows")]  # doctest: +NORMALIZE_WHITESPACE
    ['r.csv:3: same row as line 2 (duplicate row skipped)',
     'r.csv:4: … and 4 more duplicate rows (skipped); only the first 1 is listed']
    >>> _with_summary(kept, 5, 4, "datacheck.what.duplicate_rows")[1].text("sv")
    '… och ytterligare 4 dubblettrader (hoppades över); bara 1 visas'
    """
    more = total - len(kept)
    if more <= 0 or not kept:
        return kept
    listed = Phrase(plural_key("datacheck.listed", len(kept)), {"n": Amount(len(kept), ",")})
    values = {"more": Amount(more, ","), "what": Phrase(plural_key(what, more)), "listed": listed}
    return [*kept, replace(kept[-1], line=next_line, key=plural_key("datacheck.capped", more), values=values)]


def _capped(problems: Sequence[Problem], what: str) -> list[Problem]:
    """The first :data:`MAX_PROBLEMS_PER_KIND` of ``problems`` (one kind), then a count of the rest
    (``what``: the kind's catalogue key, see :func:`_with_summary`)."""
    kept = list(problems[:MAX_PROBLEMS_PER_KIND])
    next_line = problems[len(kept)].line if len(problems) > len(kept) else None
    return _with_summary(kept, len(problems), next_line, what)


def _capped_rows(rows: pl.DataFrame, make: Callable[..., Problem], what: str) -> list[Problem]:
    """One problem per row of ``rows`` (``make(*row)``) for the first
    :data:`MAX_PROBLEMS_PER_KIND` rows, then a count of the rest; ``rows`` has a ``line`` column.

    Only the listed rows are turned into Python objects, so a million bad rows cost little.
    """
    kept = [make(*row) for row in rows.head(MAX_PROBLEMS_PER_KIND).iter_rows()]
    next_line = int(rows["line"][len(kept)]) if rows.height > len(kept) else None
    return _with_summary(kept, rows.height, next_line, what)
