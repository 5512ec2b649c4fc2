"""Privacy modes: pseudonymise people and withhold figures of small groups."""

from __future__ import annotations

import base64
import hashlib
import hmac

import polars as pl

__all__ = [
    "PRIVACY_MODES",
    "SMALL_UNIT_LABEL",
    "pseudonym",
    "pseudonymise",
    "suppress_small_units",
    "suppress_small_links",
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


def suppress_small_units(units: pl.DataFrame, min_group_size: int, *, keep: tuple[str, ...] = ("unit", "people")) -> pl.DataFrame:
    """Mark units with fewer than ``min_group_size`` people ``suppressed`` and null their figures.

    Only the columns in ``keep`` stay visible for a suppressed unit (a unit's name and
    head-count are not personal data; its tie counts could point at one person).

    >>> t = pl.DataFrame({"unit": ["A", "B"], "people": [9, 2], "ei_index": [-0.5, 1.0]})
    >>> suppress_small_units(t, 5).rows()
    [('A', 9, -0.5, False), ('B', 2, None, True)]
    """
    small = pl.col("people") < min_group_size
    figures = [c for c in units.columns if c not in keep and c != "suppressed"]
    return units.with_columns(
        *(pl.when(small).then(None).otherwise(pl.col(c)).alias(c) for c in figures),
        small.alias("suppressed"),
    )


def suppress_small_links(links: pl.DataFrame, suppressed_units: set[str], *, keep: tuple[str, ...] = ("unit_a", "unit_b")) -> pl.DataFrame:
    """Null the figures of unit pairs where either unit is suppressed (a link between a
    3-person team and another unit can describe one person's work)."""
    hidden = pl.col("unit_a").is_in(list(suppressed_units)) | pl.col("unit_b").is_in(list(suppressed_units))
    figures = [c for c in links.columns if c not in keep]
    return links.with_columns(pl.when(hidden).then(None).otherwise(pl.col(c)).alias(c) for c in figures)
