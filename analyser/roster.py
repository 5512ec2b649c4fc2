"""The Roster type: validated project memberships with canonical columns."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, Union

import polars as pl

from analyser.i18n import LANGUAGES, catalogue, integer, number

__all__ = [
    "REQUIRED_COLUMNS",
    "OPTIONAL_COLUMNS",
    "ROSTER_SCHEMA",
    "Problem",
    "Phrase",
    "Amount",
    "Listing",
    "plural_key",
    "InputError",
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


Value = Union[str, int, float, None, "Phrase", "Amount", "Listing"]


@dataclass(frozen=True)
class Phrase:
    """A text of the catalogue and the values it is filled with, written out in a language on demand.

    Values may be phrases themselves (a word such as a column's name is stored by its key,
    not in English), :class:`Amount` (a number written in the language's style) or
    :class:`Listing`; anything else is filled in as it is (names and file values).

    Examples
    --------
    >>> lines = Phrase("datacheck.lines.other", {"shown": Listing([3, 4]), "more": ""})
    >>> blank = Phrase("datacheck.blank_rows.other", {"n": Amount(2), "lines": lines})
    >>> blank.text("en"), blank.text("sv")
    ('2 blank row(s) skipped (lines 3, 4)', '2 tomma rader hoppades över (rad 3, 4)')
    """

    key: str
    values: Mapping[str, Value] = field(default_factory=dict)

    def text(self, lang: str = "en") -> str:
        """The phrase in ``lang`` (English when the language is unknown)."""
        template = catalogue(lang if lang in LANGUAGES else LANGUAGES[0])[self.key]
        return template.format(**{name: _filled(value, lang) for name, value in self.values.items()})


@dataclass(frozen=True)
class Amount:
    r"""A number in a message: English exactly as the format ``spec`` writes it (the data check's
    English is a contract), other languages in their own style (:func:`analyser.i18n.number`).

    ``trim`` drops a decimal part of zero (``50.0`` -> ``50``).

    >>> Amount(9899, ",").text("en"), Amount(9899, ",").text("sv")
    ('9,899', '9\xa0899')
    >>> Amount(1.25, ".1f").text("sv"), Amount(50.0, ".1f", trim=True).text("en")
    ('1,2', '50')
    """

    value: float
    spec: str = "d"
    trim: bool = False

    def text(self, lang: str = "en") -> str:
        digits = int(self.spec.rsplit(".", 1)[1].rstrip("f")) if "." in self.spec else 0
        english = lang not in LANGUAGES or lang == "en"
        if english:
            shown = format(self.value, self.spec)
        else:
            shown = number(float(self.value), lang, digits) if digits else integer(self.value, lang)
        if self.trim and digits:
            shown = shown.removesuffix(("." if english else ",") + "0" * digits)
        return shown


@dataclass(frozen=True)
class Listing:
    """Values written one after another with ``sep`` between them (a :class:`Phrase` for words).

    >>> Listing(["C1", "D2"], Phrase("datacheck.and")).text("sv")
    'C1 och D2'
    """

    items: Sequence[Value]
    sep: str | Phrase = ", "

    def text(self, lang: str = "en") -> str:
        return _filled(self.sep, lang).join(str(_filled(item, lang)) for item in self.items)


def _filled(value: Value, lang: str) -> object:
    """A value as it goes into a template: phrases, amounts and listings written in ``lang``."""
    return value.text(lang) if isinstance(value, (Phrase, Amount, Listing)) else value


def plural_key(key: str, n: int) -> str:
    """The key of the singular (``key.one``) or plural (``key.other``) form for a count ``n``.

    >>> plural_key("datacheck.blank_rows", 1), plural_key("datacheck.blank_rows", 3)
    ('datacheck.blank_rows.one', 'datacheck.blank_rows.other')
    """
    return f"{key}.{'one' if n == 1 else 'other'}"


@dataclass(frozen=True)
class Problem:
    """One finding about an input file, addressed as ``FILE:LINE: column: message``.

    ``line`` and ``column`` are ``None`` when the finding concerns the whole file.
    ``severity`` is ``"error"`` when the row (or file) was rejected and ``"warning"`` when
    the data was kept, possibly after a documented correction.

    A problem of the data check carries its text as a catalogue ``key`` and the ``values``
    filling it (see :meth:`of`), so it can be shown in the reader's language (:meth:`text`,
    :meth:`describe`); ``message`` is then the English text, written from the catalogue when
    the problem is made, and ``str()`` and :meth:`as_dict` (the command line and the JSON
    contract) stay in English. A problem made with a ``message`` and no key shows that
    message in every language.

    Examples
    --------
    >>> p = Problem.of("r.csv", 4, "unit", "datacheck.missing_value", "error")
    >>> str(p), p.describe("sv")
    ('r.csv:4: unit: missing value (row skipped)', 'r.csv:4: enhet: värde saknas (raden hoppades över)')
    """

    file: str
    line: int | None
    column: str | None
    message: str = ""
    severity: Literal["error", "warning"] = "warning"
    key: str | None = None
    values: Mapping[str, Value] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        if self.key is not None:  # the English text follows the key (also after dataclasses.replace)
            object.__setattr__(self, "message", Phrase(self.key, self.values).text("en"))

    @classmethod
    def of(
        cls, file: str, line: int | None, column: str | None, key: str, /,
        severity: Literal["error", "warning"] = "warning", **values: Value,
    ) -> Problem:  # fmt: skip
        """The problem whose text is the catalogue's ``key`` filled with ``values``."""
        return cls(file, line, column, severity=severity, key=key, values=values)

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        column = f" {self.column}:" if self.column else ""
        return f"{where}:{column} {self.message}"

    def text(self, lang: str = "en") -> str:
        """The message in ``lang`` (its ``message`` as written when it has no key)."""
        if self.key is None:
            return self.message
        try:
            return Phrase(self.key, self.values).text(lang)
        except KeyError:  # a key this version does not know (a dataset stored by a newer one)
            return self.message

    def column_text(self, lang: str = "en") -> str:
        """The column as a reader of ``lang`` calls it (``enhet`` for ``unit``); ``""`` for none."""
        if not self.column:
            return ""
        words = catalogue(lang if lang in LANGUAGES else LANGUAGES[0])
        return words.get(f"datacheck.column.{self.column}", self.column)

    def describe(self, lang: str = "en") -> str:
        """``FILE:LINE: column: message`` in ``lang`` (in English exactly ``str(problem)``)."""
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        column = f" {self.column_text(lang)}:" if self.column else ""
        return f"{where}:{column} {self.text(lang)}"

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
            "message": self.message,
        }

    def record(self) -> dict[str, object]:
        """:meth:`as_dict` plus the key and values, as JSON data (for storing a data check).

        >>> p = Problem.of("r.csv", 2, None, "datacheck.duplicate_row", earlier=1)
        >>> Problem.from_record(p.record()).text("sv") == p.text("sv")
        True
        """
        return {**self.as_dict(), "key": self.key, "values": {k: _encoded(v) for k, v in self.values.items()}}

    @classmethod
    def from_record(cls, record: Mapping[str, object]) -> Problem:
        """The problem of a :meth:`record` (or of an :meth:`as_dict`, which has no key)."""
        fields = {k: record[k] for k in ("file", "line", "column", "message", "severity") if k in record}
        values = {k: _decoded(v) for k, v in (record.get("values") or {}).items()}  # type: ignore[union-attr]
        return cls(**fields, key=record.get("key"), values=values)  # type: ignore[arg-type]


def _encoded(value: Value) -> object:
    if isinstance(value, Phrase):
        return {"phrase": value.key, "values": {k: _encoded(v) for k, v in value.values.items()}}
    if isinstance(value, Amount):
        return {"amount": value.value, "spec": value.spec, "trim": value.trim}
    if isinstance(value, Listing):
        return {"listing": [_encoded(v) for v in value.items], "sep": _encoded(value.sep)}
    return value


def _decoded(data: object) -> Value:
    if not isinstance(data, dict):
        return data  # type: ignore[return-value]
    if "phrase" in data:
        return Phrase(data["phrase"], {k: _decoded(v) for k, v in data["values"].items()})
    if "amount" in data:
        return Amount(data["amount"], data["spec"], data["trim"])
    return Listing([_decoded(v) for v in data["listing"]], _decoded(data["sep"]))  # type: ignore[arg-type]


class InputError(ValueError):
    """An input file (roster, plan, list of people) cannot be used; ``problems`` say where and why."""

    def __init__(self, problems: Sequence[Problem] | Problem):
        if isinstance(problems, Problem):
            problems = [problems]
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


#: The former name of :class:`InputError`, from when only rosters were read.
RosterError = InputError


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
            columns = Listing([Phrase(f"datacheck.column.{c}") for c in missing])
            key = plural_key("datacheck.missing_columns", len(missing))
            raise InputError(Problem.of(source, None, None, key, "error", columns=columns))
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
