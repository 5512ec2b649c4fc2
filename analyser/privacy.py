"""Privacy modes: pseudonymise people and withhold figures of small groups."""

from __future__ import annotations

import ast
import base64
import hashlib
import hmac
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import polars as pl

from analyser.roster import Amount, Listing, Phrase, Problem, plural_key

if TYPE_CHECKING:
    from analyser.network import CollaborationNetwork
    from analyser.roster import Roster

__all__ = [
    "PRIVACY_MODES",
    "SMALL_UNIT_LABEL",
    "PrivacyPolicy",
    "WITHHELD_GROUP",
    "content_salt",
    "pseudonym",
    "pseudonymise",
    "MIN_WITHHELD_UNITS",
    "withheld_units",
    "suppress_small_units",
    "suppress_small_links",
    "private_problems",
]

PRIVACY_MODES = ("names", "pseudonyms", "aggregate")
SMALL_UNIT_LABEL = "(small unit)"


def pseudonym(person: str, salt: bytes) -> str:
    """Return a stable code for ``person``: ``P-`` and 8 characters of a salted HMAC-SHA256.

    The same person and salt always give the same code; without the salt the code cannot
    be recomputed from a list of guessed names.

    >>> pseudonym("Anna Berg", b"salt")
    'P-YNL4FGEU'
    >>> pseudonym("Anna Berg", b"salt") == pseudonym("Anna Berg", b"other")
    False
    """
    digest = hmac.new(salt, person.encode("utf-8"), hashlib.sha256).digest()
    return "P-" + base64.b32encode(digest)[:8].decode("ascii")


def pseudonymise(names: pl.Series, salt: bytes) -> pl.Series:
    """Replace every name in ``names`` by its :func:`pseudonym` (nulls stay null)."""
    return names.map_elements(lambda n: pseudonym(n, salt), return_dtype=pl.String)


def content_salt(roster: Roster) -> bytes:
    """Returns the pseudonym salt of ``roster``: SHA-256 of its projects, people and units.

    The same file always gives the same codes (a report and its trends agree), and the salt
    changes with any membership, so codes cannot be carried from one roster to another.
    Row order does not matter.

    Examples
    --------
    >>> from analyser.roster import Roster
    >>> a = Roster.from_rows([("P1", "ann", "A"), ("P1", "bob", "B")])
    >>> b = Roster.from_rows([("P1", "bob", "B"), ("P1", "ann", "A")])
    >>> content_salt(a) == content_salt(b), len(content_salt(a))
    (True, 32)
    """
    digest = hashlib.sha256()
    for column in ("project", "person", "unit"):
        digest.update(roster.memberships[column].sort().str.join("\x1f").item().encode("utf-8"))
    return digest.digest()


#: Fewest units withheld together. With one withheld unit its figures follow from the
#: organisation totals by subtraction; with two, the ties between them do. From three on,
#: only sums over the withheld units can be derived (the practice of complementary, or
#: secondary, suppression at Statistics Sweden and Eurostat).
MIN_WITHHELD_UNITS = 3


def withheld_units(units: pl.DataFrame, min_group_size: int, *, min_withheld: int = MIN_WITHHELD_UNITS) -> tuple[list[str], list[str]]:
    """Returns the units to withhold: those below ``min_group_size`` and their complements.

    *Primary* units have fewer than ``min_group_size`` people. When there are some, but
    fewer than ``min_withheld``, the smallest other units (fewest people, then name) are
    withheld too (*secondary*), so that no withheld unit's figure can be recovered by
    subtracting the visible units from the organisation's totals.

    Parameters
    ----------
    units
        A units table with ``unit`` and ``people``.
    min_group_size
        Least number of people whose figures are shown.
    min_withheld
        Fewest units withheld together when any is.

    Returns
    -------
    primary, secondary
        Unit names.

    References
    ----------
    .. [1] Hundepool, A. et al. (2012) Statistical Disclosure Control. Wiley, §5.2
       (secondary cell suppression); Eurostat (2019) Handbook on Statistical Disclosure Control.

    Examples
    --------
    >>> t = pl.DataFrame({"unit": ["A", "B", "C", "D"], "people": [9, 2, 12, 6]})
    >>> withheld_units(t, 5)
    (['B'], ['D', 'A'])
    >>> withheld_units(t, 1)
    ([], [])
    """
    small = units.filter(pl.col("people") < min_group_size)["unit"].to_list()
    if not small or len(small) >= min_withheld:
        return small, []
    others = units.filter(pl.col("people") >= min_group_size).sort(["people", "unit"])["unit"].to_list()
    return small, others[: min_withheld - len(small)]


def suppress_small_units(
    units: pl.DataFrame,
    min_group_size: int,
    *,
    keep: tuple[str, ...] = ("unit", "people"),
    keep_primary: tuple[str, ...] = (),
) -> pl.DataFrame:
    """Mark the units of :func:`withheld_units` ``suppressed`` and null their figures.

    Only the columns in ``keep`` stay visible for a withheld unit (a unit's name and
    head-count are not personal data; its tie counts could point at one person); the
    columns in ``keep_primary`` stay visible for the units withheld for their own size only
    (e.g. a verdict that says "too little data").

    >>> t = pl.DataFrame({"unit": ["A", "B", "C", "D"], "people": [9, 2, 12, 6], "ei_index": [-0.5, 1.0, 0.1, 0.2]})
    >>> suppress_small_units(t, 5).rows()
    [('A', 9, None, True), ('B', 2, None, True), ('C', 12, 0.1, False), ('D', 6, None, True)]
    """
    primary, secondary = withheld_units(units, min_group_size)
    is_primary = pl.col("unit").is_in(primary)
    withheld = is_primary | pl.col("unit").is_in(secondary)
    figures = [c for c in units.columns if c not in keep and c != "suppressed"]
    return units.with_columns(
        *(
            pl.when(withheld & ~(is_primary & pl.lit(c in keep_primary))).then(None).otherwise(pl.col(c)).alias(c)
            for c in figures
        ),
        withheld.alias("suppressed"),
    )


def suppress_small_links(links: pl.DataFrame, suppressed_units: set[str]) -> pl.DataFrame:
    """Drop the unit pairs where either unit is withheld (a link between a 3-person team and
    another unit can describe one person's work, and a blank row would still say the link
    exists).

    >>> t = pl.DataFrame({"unit_a": ["A", "A"], "unit_b": ["B", "C"], "ties": [3, 1]})
    >>> suppress_small_links(t, {"C"}).rows()
    [('A', 'B', 3)]
    """
    hidden = pl.col("unit_a").is_in(list(suppressed_units)) | pl.col("unit_b").is_in(list(suppressed_units))
    return links.filter(~hidden)


#: The people of withheld units counted as one group (:meth:`PrivacyPolicy.counts_by_unit`).
WITHHELD_GROUP = "(withheld units)"


def _unit_sizes(units: pl.DataFrame | CollaborationNetwork) -> pl.DataFrame:
    """``unit, people`` of a units table, or of a network's units."""
    if isinstance(units, pl.DataFrame):
        return units
    return pl.DataFrame({"unit": list(units.units), "people": units.unit_size.astype("int64")})


@dataclass(frozen=True)
class PrivacyPolicy:
    """What a privacy mode lets be shown: the one place where the tool decides it.

    Everything that shows people or unit figures asks the policy (:meth:`person`,
    :meth:`people`, :meth:`withheld`, :meth:`units_table`, :meth:`unit_links`,
    :meth:`data_check` ...) instead of testing the mode or the group size itself, so each
    rule is written once:

    - ``names``: people as uploaded, every unit's figures;
    - ``pseudonyms``: people as :func:`pseudonym` codes; the units of :func:`withheld_units`
      (fewer than ``min_group_size`` people, and the smallest others with them when fewer
      than :data:`MIN_WITHHELD_UNITS` are) show their name and head-count only: no figures,
      no unit links, and their people are not shown;
    - ``aggregate``: as ``pseudonyms``, and no person at all.

    Attributes
    ----------
    mode
        One of :data:`PRIVACY_MODES`.
    min_group_size
        Least number of people whose figures are shown (outside ``names`` mode).
    salt
        Salt of the pseudonyms: the report's, :func:`content_salt` of the roster by default
        (:meth:`for_roster`). Needed in ``pseudonyms`` mode only.

    Raises
    ------
    ValueError
        For a mode that is not one of :data:`PRIVACY_MODES`.

    Examples
    --------
    >>> policy = PrivacyPolicy("pseudonyms", min_group_size=5, salt=b"salt")
    >>> policy.person("Anna Berg"), policy.shows_people, policy.shows_names
    ('P-YNL4FGEU', True, False)
    >>> units = pl.DataFrame({"unit": ["A", "B", "C", "D"], "people": [9, 2, 12, 6]})
    >>> policy.withheld(units)
    (['B'], ['D', 'A'])
    >>> PrivacyPolicy("names").withheld(units), PrivacyPolicy("aggregate").person("Anna Berg")
    (([], []), None)
    >>> PrivacyPolicy("anonymous")
    Traceback (most recent call last):
    ...
    ValueError: privacy must be one of names, pseudonyms, aggregate, got 'anonymous'
    """

    mode: str = "names"
    min_group_size: int = 5
    salt: bytes | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.mode not in PRIVACY_MODES:
            raise ValueError(f"privacy must be one of {', '.join(PRIVACY_MODES)}, got {self.mode!r}")

    @classmethod
    def for_roster(
        cls, roster: Roster, mode: str = "names", min_group_size: int = 5, salt: bytes | None = None
    ) -> PrivacyPolicy:
        """The policy for ``roster``, with the report's salt (:func:`content_salt`) unless ``salt`` is given.

        The salt is computed only in ``pseudonyms`` mode, the one mode that shows codes.

        >>> from analyser.roster import Roster
        >>> r = Roster.from_rows([("P1", "ann", "A")])
        >>> PrivacyPolicy.for_roster(r, "pseudonyms").salt == content_salt(r)
        True
        """
        if salt is None and mode == "pseudonyms":
            salt = content_salt(roster)
        return cls(mode, min_group_size, salt)

    # -- people ----------------------------------------------------------------------------
    @property
    def shows_people(self) -> bool:
        """Whether any person is shown (by name or code): not in ``aggregate`` mode."""
        return self.mode != "aggregate"

    @property
    def shows_names(self) -> bool:
        """Whether people are shown by name (``names`` mode)."""
        return self.mode == "names"

    def _salt(self) -> bytes:
        if self.salt is None:
            raise ValueError("pseudonyms need the salt of the report (PrivacyPolicy.for_roster, or salt=)")
        return self.salt

    def person(self, name: str) -> str | None:
        """``name`` as shown: the name, its :func:`pseudonym`, or ``None`` (aggregate mode).

        >>> [PrivacyPolicy(m, salt=b"s").person("Bo") for m in PRIVACY_MODES]
        ['Bo', 'P-U2YRBOHJ', None]
        """
        if self.mode == "names":
            return name
        return pseudonym(name, self._salt()) if self.mode == "pseudonyms" else None

    def people(self, names: pl.Series | Iterable[str]) -> pl.Series:
        """Every name as shown (:meth:`person`); nulls in ``aggregate`` mode (same length).

        >>> PrivacyPolicy("pseudonyms", salt=b"s").people(["Bo", "Ann"]).to_list()
        ['P-U2YRBOHJ', 'P-3F3UXZK3']
        """
        series = names if isinstance(names, pl.Series) else pl.Series("person", list(names), dtype=pl.String)
        if self.mode == "names":
            return series
        if self.mode == "pseudonyms":
            return pseudonymise(series, self._salt())
        return pl.Series(series.name, [None] * series.len(), dtype=pl.String)

    def names_by_shown(self, names: Iterable[str]) -> dict[str, str]:
        """Each person as shown mapped to their name, to find whom a shown code means (empty in
        ``aggregate`` mode: nobody can be picked).

        >>> PrivacyPolicy("pseudonyms", salt=b"s").names_by_shown(["Bo"])
        {'P-U2YRBOHJ': 'Bo'}
        """
        if not self.shows_people:
            return {}
        return {self.person(name): name for name in names}  # type: ignore[misc]

    def people_table(self, people: pl.DataFrame, withheld: Collection[str]) -> pl.DataFrame:
        """A table of people (``person``, ``unit``, ...) as shown: as it is with names; with
        pseudonyms the people of ``withheld`` units left out (their figures would add up to
        the unit's) and the rest by code, sorted by it; empty in ``aggregate`` mode.

        >>> t = pl.DataFrame({"person": ["Bo", "Ann"], "unit": ["A", "B"]})
        >>> PrivacyPolicy("pseudonyms", salt=b"s").people_table(t, {"B"}).rows()
        [('P-U2YRBOHJ', 'A')]
        """
        if self.shows_names:
            return people
        if not self.shows_people:
            return people.clear()
        visible = people.filter(~pl.col("unit").is_in(list(withheld)))
        return visible.with_columns(self.people(visible["person"]).alias("person")).sort("person")

    def counts_by_unit(self, units: Iterable[str], withheld: Collection[str]) -> list[dict[str, Any]]:
        """People counted per unit, for ``aggregate`` mode: ``units`` holds each person's unit;
        the people of ``withheld`` units are counted together (:data:`WITHHELD_GROUP`).

        >>> PrivacyPolicy("aggregate").counts_by_unit(["A", "B", "A", "C"], {"B", "C"})
        [{'unit': '(withheld units)', 'people': 2}, {'unit': 'A', 'people': 2}]
        """
        counts: dict[str, int] = {}
        for unit in units:
            key = WITHHELD_GROUP if unit in withheld else unit
            counts[key] = counts.get(key, 0) + 1
        return [{"unit": unit, "people": n} for unit, n in sorted(counts.items())]

    # -- units -----------------------------------------------------------------------------
    @property
    def withholds_units(self) -> bool:
        """Whether small units are withheld (every mode but ``names``)."""
        return self.mode != "names"

    def withheld(self, units: pl.DataFrame | CollaborationNetwork) -> tuple[list[str], list[str]]:
        """The units withheld: *primary* (fewer than ``min_group_size`` people) and *secondary*
        (withheld with them, :func:`withheld_units`); none in ``names`` mode.

        ``units`` is a units table with ``unit`` and ``people``, or a network (its units and sizes).
        """
        if not self.withholds_units:
            return [], []
        return withheld_units(_unit_sizes(units), self.min_group_size)

    def withheld_set(self, units: pl.DataFrame | CollaborationNetwork) -> frozenset[str]:
        """Every unit of :meth:`withheld`, primary and secondary.

        >>> sorted(PrivacyPolicy("aggregate", 5).withheld_set(pl.DataFrame({"unit": ["A", "B"], "people": [9, 2]})))
        ['A', 'B']
        """
        primary, secondary = self.withheld(units)
        return frozenset(primary) | frozenset(secondary)

    def units_table(
        self,
        units: pl.DataFrame,
        *,
        keep: tuple[str, ...] = ("unit", "people"),
        keep_primary: tuple[str, ...] = ("verdict", "silo"),
    ) -> pl.DataFrame:
        """The units table as shown: the withheld units marked ``suppressed``, their figures
        null except ``keep`` (name and head-count), and for a unit withheld for its own size
        ``keep_primary`` (its verdict only says "too little data": it never was judged).
        Unchanged in ``names`` mode. See :func:`suppress_small_units`.
        """
        if not self.withholds_units:
            return units
        return suppress_small_units(units, self.min_group_size, keep=keep, keep_primary=keep_primary)

    def hide_units(
        self, table: pl.DataFrame, withheld: Collection[str], columns: Iterable[str] | None = None
    ) -> pl.DataFrame:
        """``table`` (one row per ``unit``) with ``columns`` (default: all but ``unit``) null
        in the rows of ``withheld`` units.

        >>> t = pl.DataFrame({"unit": ["A", "B"], "people": [9, 2], "ei": [0.5, 1.0]})
        >>> PrivacyPolicy("pseudonyms").hide_units(t, {"B"}, ["ei"]).rows()
        [('A', 9, 0.5), ('B', 2, None)]
        """
        if not withheld:
            return table
        columns = [c for c in table.columns if c != "unit"] if columns is None else list(columns)
        hidden = pl.col("unit").is_in(list(withheld))
        return table.with_columns(pl.when(hidden).then(None).otherwise(pl.col(c)).alias(c) for c in columns)

    def unit_links(self, links: pl.DataFrame, withheld: Collection[str]) -> pl.DataFrame:
        """Unit pairs (``unit_a``, ``unit_b``, ...) as shown: pairs with a ``withheld`` unit
        dropped (:func:`suppress_small_links`); ``key_people`` (when there) as codes, sorted, or
        null in ``aggregate`` mode.
        """
        if withheld:
            links = suppress_small_links(links, set(withheld))
        if "key_people" not in links.columns or self.shows_names:
            return links
        if not self.shows_people:
            return links.with_columns(pl.lit(None, dtype=pl.String).alias("key_people"))
        salt = self._salt()
        return links.with_columns(
            pl.col("key_people").map_elements(
                lambda s: "; ".join(sorted(pseudonym(p, salt) for p in s.split("; "))), return_dtype=pl.String
            )
        )

    def unit_pairs(self, pairs: Iterable[tuple[str, str]], withheld: Collection[str]) -> tuple[tuple[str, str], ...]:
        """``(unit_a, unit_b)`` pairs as shown: sorted, those with a ``withheld`` unit left out.

        >>> PrivacyPolicy("pseudonyms").unit_pairs({("B", "C"), ("A", "B")}, {"C"})
        (('A', 'B'),)
        """
        hidden = set(withheld)
        return tuple(p for p in sorted(pairs) if not (set(p) & hidden))

    def unit_label(self, unit: str, withheld: Collection[str]) -> str:
        """A person's unit as shown beside them: :data:`SMALL_UNIT_LABEL` for a withheld unit."""
        return SMALL_UNIT_LABEL if unit in withheld else unit

    # -- summary, data check, report note ------------------------------------------------------
    def summary(self, summary: dict[str, Any], units: pl.DataFrame) -> dict[str, Any]:
        """``summary`` with the silo counts taken over the units shown only (``units`` after
        :meth:`units_table`): a withheld unit's verdict must not follow by subtraction."""
        if not self.withholds_units or summary.get("significant_silos") is None:
            return summary
        shown = units.filter(~pl.col("suppressed"))
        return {
            **summary,
            "significant_silos": int((shown["verdict"] == "silo").sum()),
            "units_judged": int(shown["verdict"].is_in(["silo", "not_silo"]).sum()),
        }

    def data_check(self, problems: Sequence[Problem], people: Iterable[str]) -> tuple[Problem, ...]:
        """The data check as the mode allows it to be shown (:func:`private_problems`): it
        quotes names; ``people`` is every person name of the roster."""
        if self.shows_names:
            return tuple(problems)
        return private_problems(problems, self.mode, people, self._salt() if self.mode == "pseudonyms" else b"")

    def withheld_note(self, units: pl.DataFrame | CollaborationNetwork) -> dict[str, Any] | None:
        """What was withheld and why, for the report's privacy section: ``small``,
        ``complementary`` and the ``rule``; ``None`` in ``names`` mode."""
        if not self.withholds_units:
            return None
        primary, secondary = self.withheld(units)
        return {
            "small": primary,
            "complementary": secondary,
            "rule": (
                f"units with fewer than {self.min_group_size} people are withheld; when fewer than "
                f"{MIN_WITHHELD_UNITS} are, the smallest other units are withheld with them so that no "
                "withheld figure follows from the totals by subtraction; their people and unit links are "
                "left out, and only sums over the withheld units can be derived"
            ),
        }


# A Python repr of a string, as the data check quotes names: 'Lena Holm' or "Ann O'Neil".
_QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'" + r'|"(?:[^"\\]|\\.)*"')
#: How a person is written in data-check messages in ``aggregate`` mode (in English; the
#: catalogue's ``datacheck.someone`` in the reader's language).
SOMEONE = "a person"


def private_problems(
    problems: Sequence[Problem], privacy: str, people: Iterable[str], salt: bytes
) -> tuple[Problem, ...]:
    """Returns the data check as the privacy mode allows it to be shown.

    The data check quotes names (``'Lena Holm' is listed under 2 units …``). In ``names`` mode
    the problems are returned as they are; in ``pseudonyms`` mode every person name among a
    problem's values (or quoted in a message without values) becomes its :func:`pseudonym`;
    in ``aggregate`` mode names become "a person" and problems of the same kind are counted
    instead of listed (``12 row(s): …``, no line). The result can still be shown in any
    language (:meth:`~analyser.roster.Problem.text`).

    Parameters
    ----------
    problems
        The data check (:class:`analyser.roster.Problem`).
    privacy
        One of :data:`PRIVACY_MODES`.
    people
        Every person name of the roster (only names are replaced).
    salt
        Salt of the pseudonyms.

    Examples
    --------
    >>> p = Problem("r.csv", 4, "unit", "'Lena Holm' is listed under 2 units: 'A', 'B'")
    >>> private_problems([p], "pseudonyms", ["Lena Holm"], b"s")[0].message
    "'P-TXMDGYQV' is listed under 2 units: 'A', 'B'"
    >>> str(private_problems([p, p], "aggregate", ["Lena Holm"], b"s")[0])
    "r.csv: unit: 2 row(s): 'a person' is listed under 2 units: 'A', 'B'"
    >>> q = Problem.of("r.csv", 5, "person", "datacheck.case_variant", value="lena holm", other="Lena Holm",
    ...                first=2, nouns=Phrase("datacheck.nouns.person"))
    >>> private_problems([q], "aggregate", ["Lena Holm", "lena holm"], b"s")[0].text("sv")
    "1 rad: 'en person' skiljer sig bara i versaler/gemener från 'en person' (rad 2); de räknas som olika personer"
    """
    if privacy == "names":
        return tuple(problems)
    names = set(people)
    someone = Phrase("datacheck.someone")

    def hide(match: re.Match[str]) -> str:
        try:
            value = ast.literal_eval(match.group(0))
        except (ValueError, SyntaxError):
            return match.group(0)
        if value not in names:
            return match.group(0)
        return repr(pseudonym(value, salt) if privacy == "pseudonyms" else SOMEONE)

    def hidden(value: object) -> object:
        if isinstance(value, str):
            if value in names:
                return pseudonym(value, salt) if privacy == "pseudonyms" else someone
            return _QUOTED.sub(hide, value)  # a listing written as one text: 'A' (line 2); 'B' (line 3)
        if isinstance(value, Phrase):
            return Phrase(value.key, {k: hidden(v) for k, v in value.values.items()})
        if isinstance(value, Listing):
            return Listing([hidden(v) for v in value.items], value.sep)
        return value

    def private(p: Problem) -> Problem:
        if p.key is None:
            return replace(p, message=_QUOTED.sub(hide, p.message))
        return replace(p, values={k: hidden(v) for k, v in p.values.items()})

    shown = [private(p) for p in problems]
    if privacy == "pseudonyms":
        return tuple(shown)
    counts: dict[tuple, list[Problem]] = {}
    for p in shown:
        counts.setdefault((p.file, p.column, p.severity, p.message), []).append(p)
    return tuple(
        Problem.of(
            file, None, column, plural_key("datacheck.rows_counted", len(same)), severity,
            n=Amount(len(same)), problem=Phrase(same[0].key, same[0].values) if same[0].key else same[0].message,
        )
        for (file, column, severity, _message), same in counts.items()
    )  # fmt: skip
