"""Unit-to-unit tie tables for figures: block ordering, top units plus "other", short labels.

A matrix of ties between 70 or 500 units is unreadable in name order and at full size. The
functions here turn the unit tables of an :class:`~analyser.analysis.Analysis` into what a
figure can show: the tie matrix (:func:`tie_matrix`), an order that puts units which work
together next to each other (:func:`seriation`), the units with most ties plus one row for
all the others, or the units grouped by the level above (:func:`aggregate`,
:func:`matrix_view`), and short, unique axis labels (:func:`short_labels`). They are plain
functions of numbers and names, with no plotting and no wording.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import polars as pl
from scipy.cluster.hierarchy import leaves_list, linkage, optimal_leaf_ordering
from scipy.spatial.distance import pdist

from analyser.roster import UNIT_SEPARATOR

__all__ = [
    "TOP_UNITS",
    "SHOW_MODES",
    "ShowMode",
    "MatrixView",
    "tie_matrix",
    "seriation",
    "unit_totals",
    "top_units",
    "aggregate",
    "parent_unit",
    "short_labels",
    "has_parent_level",
    "matrix_view",
]

#: Most units a matrix shows one by one before the rest become one row "Other units".
TOP_UNITS = 30
#: What a matrix shows: the units with most ties (and "Other units"), every unit, or the
#: units grouped by the level above.
SHOW_MODES = ("top", "all", "parent")
ShowMode = Literal["top", "all", "parent"]
#: Longest axis label, in characters; hover texts keep the full path.
LABEL_WIDTH = 26


def tie_matrix(units: pl.DataFrame, unit_links: pl.DataFrame) -> tuple[list[str], np.ndarray]:
    """Return the unit names in name order and the symmetric matrix of ties between them.

    Cell (a, b) holds ``ties`` of the unit link a–b; the diagonal holds ``ties_internal``.
    A pair absent from ``unit_links`` has 0 ties, unless one of its units is ``suppressed``:
    then the cell is NaN (withheld), as is any null figure.

    Examples
    --------
    >>> units = pl.DataFrame({"unit": ["B", "A", "C"], "ties_internal": [1, 3, None],
    ...                       "suppressed": [False, False, True]})
    >>> links = pl.DataFrame({"unit_a": ["A"], "unit_b": ["B"], "ties": [2]})
    >>> names, m = tie_matrix(units, links)
    >>> names, m.tolist()
    (['A', 'B', 'C'], [[3.0, 2.0, nan], [2.0, 1.0, nan], [nan, nan, nan]])
    """
    found = set(units["unit"].drop_nulls().to_list()) if "unit" in units.columns else set()
    for column in ("unit_a", "unit_b"):
        if column in unit_links.columns:
            found |= set(unit_links[column].drop_nulls().to_list())
    names = sorted(found)
    index = {name: i for i, name in enumerate(names)}
    matrix = np.zeros((len(names), len(names)))
    if {"unit", "suppressed"} <= set(units.columns):
        for name in units.filter(pl.col("suppressed").fill_null(False))["unit"].drop_nulls().to_list():
            matrix[index[name], :] = matrix[:, index[name]] = np.nan
    if "ties_internal" in units.columns:
        for name, ties in units.select("unit", "ties_internal").drop_nulls("unit").iter_rows():
            matrix[index[name], index[name]] = np.nan if ties is None else ties
    if unit_links.height and {"unit_a", "unit_b", "ties"} <= set(unit_links.columns):
        for a, b, ties in unit_links.select("unit_a", "unit_b", "ties").drop_nulls(["unit_a", "unit_b"]).iter_rows():
            matrix[index[a], index[b]] = matrix[index[b], index[a]] = np.nan if ties is None else ties
    return names, matrix


def seriation(matrix: np.ndarray) -> np.ndarray:
    """Return an order of the units that puts units with like partners next to each other.

    Blocks of units that work together then show as squares along the diagonal. The order
    is average-linkage hierarchical clustering of the rows, with the cosine distance
    between their tie profiles (log(1 + ties), each unit's own cell set to its largest
    tie to another unit so that its size does not set it apart), and the optimal leaf
    ordering of the tree (Bar-Joseph et al. 2001), which among the orders the tree allows
    picks the one where neighbours are most alike. It is deterministic. Units with no
    visible tie to another unit (none, or withheld) come last, in their given order.

    Parameters
    ----------
    matrix
        Square symmetric tie matrix; NaN (withheld) counts as no tie.

    Returns
    -------
    numpy.ndarray
        A permutation of ``range(len(matrix))``.

    Notes
    -----
    Why this and not spectral ordering: the tree keeps whole blocks together, and the
    optimal leaf ordering costs about 0.1 s at 500 units.

    References
    ----------
    .. [1] Z. Bar-Joseph, D. K. Gifford and T. S. Jaakkola, "Fast optimal leaf ordering for
       hierarchical clustering", Bioinformatics 17 (suppl. 1), 2001.

    Examples
    --------
    Two pairs, A–C and B–D, come out as blocks:

    >>> m = np.array([[5, 0, 9, 0], [0, 5, 0, 9], [9, 0, 5, 0], [0, 9, 0, 5]], dtype=float)
    >>> seriation(m).tolist()
    [0, 2, 3, 1]
    """
    ties = np.nan_to_num(np.asarray(matrix, dtype=float), nan=0.0)
    off = ties.copy()
    np.fill_diagonal(off, 0.0)
    linked = np.flatnonzero(off.sum(axis=1) > 0)
    alone = np.flatnonzero(off.sum(axis=1) <= 0)
    if len(linked) <= 2:
        return np.concatenate([linked, alone]).astype(np.int64)
    profile = off[np.ix_(linked, linked)]
    profile[np.diag_indices_from(profile)] = profile.max(axis=1)
    distance = np.clip(pdist(np.log1p(profile), "cosine"), 0.0, None)
    tree = optimal_leaf_ordering(linkage(distance, "average"), distance)
    order = linked[leaves_list(tree)]
    return np.concatenate([order, alone]).astype(np.int64)


def unit_totals(matrix: np.ndarray) -> np.ndarray:
    """Return each unit's ties: inside it plus to every other unit (withheld counts as 0).

    Examples
    --------
    >>> unit_totals(np.array([[3, 2], [2, np.nan]])).tolist()
    [5.0, 2.0]
    """
    return np.nansum(np.asarray(matrix, dtype=float), axis=1)


def top_units(matrix: np.ndarray, n: int) -> np.ndarray:
    """Return the indices of the ``n`` units with most ties (:func:`unit_totals`), most first.

    Equal totals keep the given (name) order.

    Examples
    --------
    >>> top_units(np.array([[1, 0, 0], [0, 4, 1], [0, 1, 4]]), 2).tolist()
    [1, 2]
    """
    totals = unit_totals(matrix)
    return np.lexsort((np.arange(len(totals)), -totals))[: max(0, n)]


def aggregate(matrix: np.ndarray, groups: Sequence[int]) -> np.ndarray:
    """Return the tie matrix of groups of units: the ties of their members added up.

    ``groups[i]`` is the group (0, 1, ...) of unit ``i``. Between two groups the cell is the
    sum of the ties between their members; on the diagonal, the ties inside each member
    plus the ties between members of the group. So the total number of ties (the upper
    triangle with the diagonal) stays the same. Withheld cells (NaN) add nothing; a cell
    of the result is NaN only when every cell it adds is.

    Examples
    --------
    >>> m = np.array([[1, 2, 0], [2, 3, 4], [0, 4, 5]], dtype=float)
    >>> aggregate(m, [0, 1, 1]).tolist()
    [[1.0, 2.0], [2.0, 12.0]]
    """
    matrix = np.asarray(matrix, dtype=float)
    groups = np.asarray(groups, dtype=np.int64)
    k = int(groups.max()) + 1 if len(groups) else 0
    member = np.zeros((k, len(groups)))
    member[groups, np.arange(len(groups))] = 1.0
    known = ~np.isnan(matrix)
    summed = member @ np.where(known, matrix, 0.0) @ member.T
    # inside a group every pair between two members was counted twice, its own cells once
    inside = (np.diag(summed) + member @ np.where(known, matrix, 0.0).diagonal()) / 2
    summed[np.diag_indices(k)] = inside
    counted = member @ known.astype(float) @ member.T
    summed[counted == 0] = np.nan
    return summed


def parent_unit(name: str) -> str:
    """Return the unit one level up (``A/B/C`` → ``A/B``); a top-level unit is its own parent.

    Examples
    --------
    >>> parent_unit("Social/Elder care/Home"), parent_unit("IT")
    ('Social/Elder care', 'IT')
    """
    head, _, _ = name.rpartition(UNIT_SEPARATOR)
    return head or name


def has_parent_level(names: Sequence[str]) -> bool:
    """True when some unit has a level above it, so grouping by it means something.

    Examples
    --------
    >>> has_parent_level(["A/x", "B"]), has_parent_level(["A", "B"])
    (True, False)
    """
    return any(parent_unit(name) != name for name in names)


def _segments(name: str) -> list[str]:
    parts = [p for p in name.split(UNIT_SEPARATOR) if p.strip()]
    return parts or [name]


def _cut(label: str, width: int) -> str:
    """``label`` cut in the middle to ``width`` characters (its start and end tell units apart)."""
    if len(label) <= width:
        return label
    tail = (width - 1) // 2
    return label[: width - 1 - tail] + "…" + label[-tail:]


def _with_parent(last: str, parent: str, width: int) -> str:
    """``last (parent)`` in at most ``width`` characters, cutting the parent's end first."""
    room = width - len(last) - 3
    if room < 4:
        return _cut(f"{last} ({parent})", width)
    return f"{last} ({parent if len(parent) <= room else parent[: room - 1] + '…'})"


def _told_apart(i: int, same: Sequence[int], parts: Sequence[list[str]]) -> str | None:
    """The nearest part of unit ``i``'s path above its name that no other unit of ``same`` has
    at that place, or ``None`` when no single part does."""
    above = parts[i][-2::-1]
    for k, part in enumerate(above):
        if all(len(parts[j]) < k + 2 or parts[j][-2 - k] != part for j in same if j != i):
            return part
    return None


def short_labels(names: Sequence[str], width: int = LABEL_WIDTH) -> list[str]:
    """Return a short, unique axis label for each unit name.

    A label is the last part of the unit's path (``Social/Elder care/Home`` → ``Home``).
    When units share it, each gets the nearest part of its path above that tells it
    apart, in brackets (``Home (Elder care)``, ``Home (Schools)``); failing one, the path
    from there down. A label longer than ``width`` characters is cut (the bracket first);
    if two labels are still alike, a number is added. Hover texts keep the full path.

    Examples
    --------
    >>> short_labels(["Social/Care/Home", "Schools/Care/Home", "Schools/IT"])
    ['Home (Social)', 'Home (Schools)', 'IT']
    >>> short_labels(["Social/Elder care/North", "Social/Disability/North"])
    ['North (Elder care)', 'North (Disability)']
    >>> short_labels(["Kultur- och fritidsförvaltningen/Idrott och anläggningar/Stab", "Teknik/Stab"], width=20)
    ['Stab (Idrott och a…)', 'Stab (Teknik)']
    >>> short_labels(["A/x/Home", "A/y/Home", "B/x/Home"])
    ['Home (A/x)', 'Home (y)', 'Home (B)']
    >>> short_labels(["A/abcdef1234", "B/abcdeg1234"], width=7)
    ['abc…234', 'abc…234 (2)']
    """
    parts = [_segments(str(name)) for name in names]
    labels = [p[-1] for p in parts]
    sharing: dict[str, list[int]] = {}
    for i, label in enumerate(labels):
        sharing.setdefault(label, []).append(i)
    for last, same in sharing.items():
        if len(same) < 2:
            continue
        for i in same:
            parent = _told_apart(i, same, parts)
            if parent is None and len(parts[i]) > 1:
                # no single part does: the path from the first part that differs from some other unit's
                depth = max(_common_tail(parts[i], parts[j]) for j in same if j != i) + 1
                parent = UNIT_SEPARATOR.join(parts[i][-depth:-1])
            labels[i] = last if parent is None else _with_parent(last, parent, width)
    out: list[str] = []
    used: set[str] = set()
    for label in labels:
        short = _cut(label, width)
        unique, count = short, 1
        while unique in used:
            count += 1
            unique = f"{short} ({count})"
        used.add(unique)
        out.append(unique)
    return out


def _common_tail(a: Sequence[str], b: Sequence[str]) -> int:
    """How many parts at the end of two paths are the same."""
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


@dataclass(frozen=True)
class MatrixView:
    """What a unit matrix figure shows, rows in display order.

    Attributes
    ----------
    names
        Full name of each row: the unit (or, grouped, the unit one level up); ``""`` for the
        "other units" row.
    labels
        Short axis label of each row (:func:`short_labels`); ``""`` for the "other units" row.
    members
        The units each row adds up (one unit per row when not grouped).
    ties
        Square tie matrix in display order; NaN where withheld.
    withheld
        How many withheld units each row holds.
    other
        True when the last row is "other units": every unit not shown on its own.
    grouped
        True when rows are the units one level up.
    units
        Number of units in the analysis.
    """

    names: list[str]
    labels: list[str]
    members: list[list[str]]
    ties: np.ndarray
    withheld: list[int]
    other: bool
    grouped: bool
    units: int


def _groups_of(keys: Sequence[str]) -> tuple[list[str], list[int]]:
    """Distinct ``keys`` in name order, and the group index of each key."""
    distinct = sorted(set(keys))
    index = {key: i for i, key in enumerate(distinct)}
    return distinct, [index[key] for key in keys]


def matrix_view(
    units: pl.DataFrame, unit_links: pl.DataFrame, *, show: str = "top", top: int = TOP_UNITS
) -> MatrixView:
    """Return the rows a unit matrix shows, ordered into blocks (:func:`seriation`).

    ``show`` chooses them: ``"top"`` the ``top`` units with most ties and one last row
    adding up all the others (every unit when there are at most ``top + 1``); ``"all"``
    every unit; ``"parent"`` the units one level up (``A/B/C`` → ``A/B``), themselves cut
    to ``top`` plus "other" when there are more. ``"parent"`` without a level above is
    ``"top"``. An unknown ``show`` is ``"top"``. Withheld units hold no visible ties, so
    they land among the "other units", whose hover says how many are withheld.

    Examples
    --------
    >>> units = pl.DataFrame({"unit": ["S/a", "S/b", "T/c", "T/d"], "ties_internal": [4, 3, 2, 1],
    ...                       "suppressed": [False] * 4})
    >>> links = pl.DataFrame({"unit_a": ["S/a", "T/c"], "unit_b": ["T/c", "T/d"], "ties": [5, 6]})
    >>> v = matrix_view(units, links, top=2)
    >>> v.labels, v.other, v.members[-1], v.ties.tolist()
    (['a', 'c', ''], True, ['S/b', 'T/d'], [[4.0, 5.0, 0.0], [5.0, 2.0, 6.0], [0.0, 6.0, 4.0]])
    >>> g = matrix_view(units, links, show="parent")
    >>> g.names, g.ties.tolist()
    (['S', 'T'], [[7.0, 5.0], [5.0, 9.0]])
    """
    table_units = units.filter(pl.col("unit").is_not_null()) if "unit" in units.columns else units
    names, matrix = tie_matrix(table_units, unit_links)
    hidden = set(table_units.filter(pl.col("suppressed").fill_null(False))["unit"].to_list()) \
        if {"unit", "suppressed"} <= set(table_units.columns) else set()  # fmt: skip
    rows: list[str] = names
    members: list[list[str]] = [[n] for n in names]
    grouped = show == "parent" and has_parent_level(names)
    if grouped:
        rows, group_of = _groups_of([parent_unit(n) for n in names])
        members = [[n for n, g in zip(names, group_of) if g == i] for i in range(len(rows))]
        matrix = aggregate(matrix, group_of)
    other = show != "all" and len(rows) > top + 1
    if other:
        keep = np.sort(top_units(matrix, top))
        group_of = np.full(len(rows), len(keep), dtype=np.int64)
        group_of[keep] = np.arange(len(keep))
        rest = [m for i, m in enumerate(members) if group_of[i] == len(keep)]
        rows = [rows[i] for i in keep]
        members = [members[i] for i in keep] + [[u for m in rest for u in m]]
        matrix = aggregate(matrix, group_of)
    shown = len(rows)
    order = seriation(matrix[:shown, :shown])
    if other:
        order = np.append(order, shown)
    labels = short_labels(rows)
    return MatrixView(
        names=[rows[i] if i < shown else "" for i in order],
        labels=[labels[i] if i < shown else "" for i in order],
        members=[members[i] for i in order],
        ties=matrix[np.ix_(order, order)],
        withheld=[sum(u in hidden for u in members[i]) for i in order],
        other=other,
        grouped=grouped,
        units=len(names),
    )
