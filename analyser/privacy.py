"""Privacy modes: pseudonymise people and withhold figures of small groups."""

from __future__ import annotations

import ast
import base64
import hashlib
import hmac
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace

import polars as pl

from analyser.roster import Problem

__all__ = [
    "PRIVACY_MODES",
    "SMALL_UNIT_LABEL",
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


# A Python repr of a string, as the data check quotes names: 'Lena Holm' or "Ann O'Neil".
_QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'" + r'|"(?:[^"\\]|\\.)*"')
#: How a person is written in data-check messages in ``aggregate`` mode.
SOMEONE = "a person"


def private_problems(
    problems: Sequence[Problem], privacy: str, people: Iterable[str], salt: bytes
) -> tuple[Problem, ...]:
    """Returns the data check as the privacy mode allows it to be shown.

    The data check quotes names (``'Lena Holm' is listed under 2 units …``). In ``names`` mode
    the problems are returned as they are; in ``pseudonyms`` mode every quoted person name
    becomes its :func:`pseudonym`; in ``aggregate`` mode names become "a person" and
    problems of the same kind are counted instead of listed (``12 row(s): …``, no line).

    Parameters
    ----------
    problems
        The data check (:class:`analyser.roster.Problem`).
    privacy
        One of :data:`PRIVACY_MODES`.
    people
        Every person name of the roster (only quoted names are replaced).
    salt
        Salt of the pseudonyms.

    Examples
    --------
    >>> p = Problem("r.csv", 4, "unit", "'Lena Holm' is listed under 2 units: 'A', 'B'")
    >>> private_problems([p], "pseudonyms", ["Lena Holm"], b"s")[0].message
    "'P-TXMDGYQV' is listed under 2 units: 'A', 'B'"
    >>> str(private_problems([p, p], "aggregate", ["Lena Holm"], b"s")[0])
    "r.csv: unit: 2 row(s): 'a person' is listed under 2 units: 'A', 'B'"
    """
    if privacy == "names":
        return tuple(problems)
    names = set(people)

    def hide(match: re.Match[str]) -> str:
        try:
            value = ast.literal_eval(match.group(0))
        except (ValueError, SyntaxError):
            return match.group(0)
        if value not in names:
            return match.group(0)
        return repr(pseudonym(value, salt) if privacy == "pseudonyms" else SOMEONE)

    shown = [replace(p, message=_QUOTED.sub(hide, p.message)) for p in problems]
    if privacy == "pseudonyms":
        return tuple(shown)
    counts: dict[tuple, int] = {}
    for p in shown:
        key = (p.file, p.column, p.severity, p.message)
        counts[key] = counts.get(key, 0) + 1
    return tuple(
        Problem(file, None, column, f"{n} row(s): {message}", severity)
        for (file, column, severity, message), n in counts.items()
    )
