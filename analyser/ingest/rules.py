"""Row rules of a roster as frame -> (frame, problems) steps: blanks, missing values, dates, allocation, duplicates, units, sizes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

import polars as pl

from analyser.ingest.headers import CANONICAL_COLUMNS
from analyser.ingest.limits import MAX_PROBLEMS_PER_KIND, _capped, _capped_rows, _with_summary
from analyser.ingest.text import _BLANK_CHARS
from analyser.roster import (
    REQUIRED_COLUMNS,
    Problem,
)

__all__ = ["DATE_FORMATS"]

_MAX_LISTED = 20
_NOUNS = {"project": "projects", "person": "people", "unit": "units"}

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
    problems = []
    for column in REQUIRED_COLUMNS:
        lines = frame.filter(pl.col(column).is_null()).select("line")
        problems += _capped_rows(
            lines, lambda line, c=column: Problem(source, line, c, "missing value (row skipped)", "error"),
            f"rows without a {column} (skipped)",
        )
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
        bad = parsed.filter(pl.col("text").is_not_null() & pl.col("date").is_null()).select("line", "text")
        problems += _capped_rows(
            bad, lambda line, text, c=column: Problem(
                source, line, c, f"{text!r} is not a date (write it as YYYY-MM-DD); left empty"
            ),
            "values that are not dates (left empty)",
        )
        frame = frame.with_columns(parsed["date"].alias(column))
    return frame, problems


def _check_periods(frame: pl.DataFrame, source: str) -> _Step:
    """An end before the start is a typo we cannot fix: warn and drop both dates of the row."""
    if not {"start", "end"} <= set(frame.columns):
        return frame, []
    reversed_ = pl.col("end") < pl.col("start")
    problems = _capped_rows(
        frame.filter(reversed_).select("line", "start", "end"),
        lambda line, start, end: Problem(
            source, line, "end", f"end {end} is before start {start}; both dates left empty"
        ),
        "ends before the start (both dates left empty)",
    )
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
    bad = parsed.filter(pl.col("text").is_not_null() & pl.col("share").is_null()).select("line", "text")
    problems = _capped_rows(
        bad, lambda line, text: Problem(
            source, line, "allocation", f"{text!r} is not a share of time (0–1, or 0–100 %); left empty"
        ),
        "values that are not a share of time (left empty)",
    )
    return frame.with_columns(parsed["share"].alias("allocation")), problems


def _drop_exact_duplicates(frame: pl.DataFrame, source: str) -> _Step:
    """Drop rows repeating an earlier row value for value."""
    values = [c for c in frame.columns if c != "line"]
    if not frame.select(values).is_duplicated().any():
        return frame, []
    frame = frame.with_columns(pl.col("line").first().over(values).alias("first"))
    problems = _capped_rows(
        frame.filter(pl.col("line") != pl.col("first")).select("line", "first"),
        lambda line, earlier: Problem(source, line, None, f"same row as line {earlier} (duplicate row skipped)"),
        "duplicate rows (skipped)",
    )
    return frame.filter(pl.col("line") == pl.col("first")).drop("first"), problems


def _drop_repeated_memberships(frame: pl.DataFrame, source: str) -> _Step:
    """Keep the first row of each (project, person); warn about later rows that differ."""
    if not frame.select("project", "person").is_duplicated().any():
        return frame, []
    frame = frame.with_columns(pl.col("line").first().over("project", "person").alias("first"))
    repeats = frame.filter(pl.col("line") != pl.col("first"))
    frame = frame.filter(pl.col("line") == pl.col("first")).drop("first")
    listed = repeats.head(MAX_PROBLEMS_PER_KIND)
    kept_rows = frame.filter(pl.col("line").is_in(listed["first"].implode()))
    earlier = {row["line"]: row for row in kept_rows.iter_rows(named=True)}
    problems = []
    for row in listed.iter_rows(named=True):
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
    next_line = int(repeats["line"][listed.height]) if repeats.height > listed.height else None
    return frame, _with_summary(problems, repeats.height, next_line, "repeated memberships (skipped)")


def _show(value: object) -> str:
    return "(empty)" if value is None else repr(str(value))


def _warn_case_variants(frame: pl.DataFrame, source: str) -> list[Problem]:
    """Warn when names differ only in letter case; they stay different (ids are kept exact)."""
    problems = []
    for column in REQUIRED_COLUMNS:
        problems += _capped(_case_variants(frame, column, source), f"{_NOUNS[column]} differing only in case")
    return problems


def _case_variants(frame: pl.DataFrame, column: str, source: str) -> list[Problem]:
    """One warning per spelling of a ``column`` value that differs only in case from an earlier one."""
    if not frame[column].unique().str.to_lowercase().is_duplicated().any():
        return []
    spellings = frame.group_by(column, maintain_order=True).agg(pl.col("line").first())
    spellings = spellings.with_columns(pl.col(column).str.to_lowercase().alias("key"))
    clashes = spellings.filter(pl.col("key").is_duplicated())
    seen: dict[str, tuple[str, int]] = {}
    problems = []
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
    return frame.with_columns(fix.alias("unit")), _capped(problems, "people listed under several units")


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
