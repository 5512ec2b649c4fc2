"""The Roster type: validated project memberships with canonical columns."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import polars as pl

__all__ = [
    "REQUIRED_COLUMNS",
    "OPTIONAL_COLUMNS",
    "ROSTER_SCHEMA",
    "Problem",
    "RosterError",
    "Roster",
    "unit_at_level",
]

REQUIRED_COLUMNS = ("project", "person", "unit")
OPTIONAL_COLUMNS = ("role", "start", "end", "allocation")

#: The canonical memberships table. ``line`` is the 1-based line number of the row in the
#: source file (the header is line 1), so every later message can point back to the file.
ROSTER_SCHEMA: dict[str, pl.DataType] = {
    "project": pl.String(),
    "person": pl.String(),
    "unit": pl.String(),
    "role": pl.String(),
    "start": pl.Date(),
    "end": pl.Date(),
    "allocation": pl.Float64(),
    "line": pl.Int64(),
}

UNIT_SEPARATOR = "/"


@dataclass(frozen=True)
class Problem:
    """One finding about an input file, addressed as ``FILE:LINE: column: message``.

    ``line`` and ``column`` are ``None`` when the finding concerns the whole file.
    ``severity`` is ``"error"`` when the row (or file) was rejected and ``"warning"`` when
    the data was kept, possibly after a documented correction.
    """

    file: str
    line: int | None
    column: str | None
    message: str
    severity: Literal["error", "warning"] = "warning"

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        column = f" {self.column}:" if self.column else ""
        return f"{where}:{column} {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
            "message": self.message,
        }


class RosterError(ValueError):
    """The input cannot be analysed; ``problems`` says where and why."""

    def __init__(self, problems: Sequence[Problem] | Problem):
        if isinstance(problems, Problem):
            problems = [problems]
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def unit_at_level(unit: pl.Expr, level: int | None) -> pl.Expr:
    """Return the unit path cut to its first ``level`` parts (``None`` = full path).

    >>> df = pl.DataFrame({"unit": ["Social/Elder care/Home", "Culture"]})
    >>> df.select(unit_at_level(pl.col("unit"), 1))["unit"].to_list()
    ['Social', 'Culture']
    >>> df.select(unit_at_level(pl.col("unit"), 2))["unit"].to_list()
    ['Social/Elder care', 'Culture']
    """
    if level is None:
        return unit
    if level < 1:
        raise ValueError(f"level must be 1 or more, got {level}")
    return unit.str.split(UNIT_SEPARATOR).list.head(level).list.join(UNIT_SEPARATOR)


@dataclass(frozen=True)
class Roster:
    """Validated memberships: one row per (project, person), each person in one unit.

    Build one with :func:`analyser.ingest.read_roster` (from a file, with validation) or
    :meth:`Roster.from_rows` (trusted rows, for tests and programmatic use).

    Attributes
    ----------
    memberships
        Table with the columns of :data:`ROSTER_SCHEMA`.
    source
        File name the rows came from (used in messages and report metadata).
    problems
        Warnings found while reading (rejected rows, corrections, notable shapes).
    """

    memberships: pl.DataFrame
    source: str = "<table>"
    problems: tuple[Problem, ...] = field(default=())

    @classmethod
    def from_rows(
        cls,
        rows: Iterable[Sequence[object]],
        *,
        columns: Sequence[str] = REQUIRED_COLUMNS,
        source: str = "<table>",
    ) -> Roster:
        """Build a roster from trusted rows such as ``("P1", "ann", "Unit A")``.

        Exact duplicate (project, person) pairs are dropped; no other validation is done.

        >>> r = Roster.from_rows([("P1", "ann", "A"), ("P1", "bob", "B")])
        >>> r.memberships.select("project", "person", "unit").rows()
        [('P1', 'ann', 'A'), ('P1', 'bob', 'B')]
        """
        frame = pl.DataFrame([list(r) for r in rows], schema=list(columns), orient="row")
        return cls.from_frame(frame, source=source)

    @classmethod
    def from_frame(cls, frame: pl.DataFrame, *, source: str = "<table>") -> Roster:
        """Wrap a table that already has (at least) the required canonical columns."""
        missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
        if missing:
            raise RosterError(Problem(source, None, None, f"missing column(s): {', '.join(missing)}", "error"))
        if "line" not in frame.columns:
            frame = frame.with_row_index("line", offset=2).with_columns(pl.col("line").cast(pl.Int64))
        for name, dtype in ROSTER_SCHEMA.items():
            if name not in frame.columns:
                frame = frame.with_columns(pl.lit(None, dtype=dtype).alias(name))
            elif frame.schema[name] != dtype:
                frame = frame.with_columns(pl.col(name).cast(dtype))
        frame = frame.select(list(ROSTER_SCHEMA)).unique(subset=["project", "person"], keep="first", maintain_order=True)
        return cls(frame, source)

    # -- views ---------------------------------------------------------------------------
    @property
    def levels(self) -> int:
        """Deepest unit hierarchy level present (1 when units are flat)."""
        if self.memberships.height == 0:
            return 1
        return int(self.memberships["unit"].str.count_matches(UNIT_SEPARATOR, literal=True).max()) + 1

    def at_level(self, level: int | None) -> pl.DataFrame:
        """Memberships with ``unit`` cut to hierarchy ``level`` (``None`` = as written)."""
        return self.memberships.with_columns(unit_at_level(pl.col("unit"), level))

    @property
    def has_dates(self) -> bool:
        m = self.memberships
        return bool(m["start"].is_not_null().any() or m["end"].is_not_null().any())

    def __len__(self) -> int:
        return self.memberships.height
