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
    Amount,
    Listing,
    Phrase,
    Problem,
    plural_key,
)

__all__ = ["DATE_FORMATS"]

_MAX_LISTED = 20

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
    key = plural_key("datacheck.blank_rows", len(lines))
    return cells.filter(~blank), [Problem.of(source, None, None, key, n=Amount(len(lines)), lines=_lines_text(lines))]


def _lines_text(lines: Sequence[int]) -> Phrase:
    """``line 5`` or ``lines 2, 3, … and 4 more`` (at most :data:`_MAX_LISTED` numbers).

    >>> _lines_text([2, 3]).text("en"), _lines_text([7]).text("sv")
    ('lines 2, 3', 'rad 7')
    """
    key = "datacheck.lines.one" if len(lines) == 1 else "datacheck.lines.other"
    return Phrase(key, {"shown": Listing(lines[:_MAX_LISTED]), "more": _and_more(len(lines))})


def _and_more(count: int) -> Phrase | str:
    """`` and 4 more`` after the first :data:`_MAX_LISTED` of ``count`` items; ``""`` if all are listed."""
    rest = count - _MAX_LISTED
    return Phrase("datacheck.and_more", {"n": Amount(rest)}) if rest > 0 else ""


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
            lines, lambda line, c=column: Problem.of(source, line, c, "datacheck.missing_value", "error"),
            f"datacheck.what.rows_without_{column}",
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
            bad, lambda line, text, c=column: Problem.of(source, line, c, "datacheck.not_a_date", text=text),
            "datacheck.what.not_dates",
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
        lambda line, start, end: Problem.of(source, line, "end", "datacheck.end_before_start", end=str(end), start=str(start)),
        "datacheck.what.reversed_periods",
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
        bad, lambda line, text: Problem.of(source, line, "allocation", "datacheck.not_a_share", text=text),
        "datacheck.what.not_shares",
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
        lambda line, earlier: Problem.of(source, line, None, "datacheck.duplicate_row", earlier=earlier),
        "datacheck.what.duplicate_rows",
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
        diffs = [
            Phrase("datacheck.difference", {
                "column": Phrase(f"datacheck.column.{c}"), "here": _show(row[c]), "there": _show(kept[c]),
                "first": kept["line"],
            })
            for c in frame.columns
            if c not in ("line", "project", "person") and row[c] != kept[c]
        ]  # fmt: skip
        problems.append(Problem.of(
            source, row["line"], "person", "datacheck.repeated_membership",
            person=row["person"], project=row["project"], first=kept["line"], diffs=Listing(diffs, "; "),
        ))  # fmt: skip
    next_line = int(repeats["line"][listed.height]) if repeats.height > listed.height else None
    return frame, _with_summary(problems, repeats.height, next_line, "datacheck.what.repeated_memberships")


def _show(value: object) -> Phrase | str:
    return Phrase("datacheck.empty") if value is None else repr(str(value))


def _warn_case_variants(frame: pl.DataFrame, source: str) -> list[Problem]:
    """Warn when names differ only in letter case; they stay different (ids are kept exact)."""
    problems = []
    for column in REQUIRED_COLUMNS:
        problems += _capped(_case_variants(frame, column, source), f"datacheck.what.case_{column}")
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
        problems.append(Problem.of(
            source, line, column, "datacheck.case_variant",
            value=value, other=other, first=other_line, nouns=Phrase(f"datacheck.nouns.{column}"),
        ))  # fmt: skip
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
    problems: list[Problem] = []
    next_line = None  # of the first person not listed: only the first MAX_PROBLEMS_PER_KIND are written out
    for (person,), group in rows.group_by("person", maintain_order=True):
        records = group.select("unit", "line", *(c for c in ("start", "end") if c in has)).to_dicts()
        unit, reason = _choose_unit(records)
        chosen[person] = unit
        if len(problems) < MAX_PROBLEMS_PER_KIND:
            problems.append(_unit_problem(person, records, unit, reason, source))
        elif next_line is None:
            next_line = _first_other_line(records)
    fix = pl.col("person").replace_strict(chosen, default=pl.col("unit"), return_dtype=pl.String)
    problems = _with_summary(problems, len(chosen), next_line, "datacheck.what.split_people")
    return frame.with_columns(fix.alias("unit")), problems


def _choose_unit(records: list[dict[str, object]]) -> tuple[str, Phrase]:
    """The unit kept for one person's rows (in file order) and the reason (a catalogue phrase)."""
    counts = Counter(r["unit"] for r in records)
    order = {u: i for i, u in reversed(list(enumerate(r["unit"] for r in records)))}
    keys = [_period_key(r) for r in records]
    dated = [k for k in keys if k is not None]
    if dated:
        latest = max(dated)
        candidates = {r["unit"] for r, k in zip(records, keys) if k == latest}
        reason = Phrase("datacheck.reason.latest_period")
    else:
        candidates, reason = set(counts), Phrase("datacheck.reason.most_rows")
    best = min(candidates, key=lambda u: (-counts[u], order[u]))
    tied = [u for u in candidates if counts[u] == counts[best]]
    return str(best), reason if len(tied) == 1 else Phrase("datacheck.reason.tie", {"reason": reason})


def _period_key(record: Mapping[str, object]) -> tuple[int, object, object] | None:
    """Sort key of a membership period; ``None`` when the row has no dates."""
    start, end = record.get("start"), record.get("end")
    if start is None and end is None:
        return None
    if end is None:
        return (1, start, start)  # open-ended: still running, so later than any closed period
    return (0, end, start or end)


def _unit_problem(person: str, records: list[dict[str, object]], unit: str, reason: Phrase, source: str) -> Problem:
    lines: dict[str, list[int]] = {}
    for r in records:
        lines.setdefault(str(r["unit"]), []).append(int(r["line"]))  # type: ignore[arg-type]
    seen = Listing([Listing([repr(u), " (", _lines_text(ls), ")"], "") for u, ls in lines.items()], "; ")
    return Problem.of(source, _first_other_line(records), "unit", "datacheck.split_person",
                      person=person, n=Amount(len(lines)), seen=seen, unit=unit, reason=reason)  # fmt: skip


def _first_other_line(records: list[dict[str, object]]) -> int:
    """The first line naming a unit other than the one on the person's first row (where the
    warning about the person points)."""
    first: dict[object, int] = {}
    for r in records:
        first.setdefault(r["unit"], int(r["line"]))  # type: ignore[arg-type]
    return min(line for line in first.values() if line != records[0]["line"])


def _warn_project_sizes(frame: pl.DataFrame, source: str, max_project_size: int | None) -> list[Problem]:
    """One warning for one-member projects and one for very large projects."""
    sizes = frame.group_by("project", maintain_order=True).agg(pl.len().alias("size"))
    problems = []
    single = sizes.filter(pl.col("size") == 1)["project"].to_list()
    if single:
        key = plural_key("datacheck.single_member_projects", len(single))
        problems.append(Problem.of(source, None, "project", key, n=Amount(len(single)), names=_names_text(single)))
    if max_project_size:
        large = sizes.filter(pl.col("size") > max_project_size).sort("size", descending=True, maintain_order=True)
        if large.height:
            listed = [Phrase("datacheck.project_members", {"project": p, "n": Amount(n)}) for p, n in large.iter_rows()]
            key = plural_key("datacheck.large_projects", large.height)
            problems.append(Problem.of(source, None, "project", key, most=Amount(max_project_size),
                                       names=_names_text(listed)))  # fmt: skip
    return problems


def _names_text(names: Sequence[str | Phrase]) -> Listing:
    """The first :data:`_MAX_LISTED` names, then how many more."""
    return Listing([Listing(names[:_MAX_LISTED]), _and_more(len(names))], "")
