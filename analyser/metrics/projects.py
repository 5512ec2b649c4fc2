"""Project-level metrics: unit mix (Blau index), cross-unit projects and unit links held by one project."""

from __future__ import annotations

import numpy as np
import polars as pl
import scipy.sparse as sp

from analyser.metrics._arrays import ratio
from analyser.metrics.silo import _unit_presence

__all__ = ["blau_index", "blau_indices", "project_table", "unique_link_pairs", "team_project_share"]


def blau_index(counts: np.ndarray) -> float:
    """Returns the Blau index of a count vector: the chance two random members differ in unit.

    .. math:: B = 1 - \\sum_k \\pi_k^2,\\qquad \\pi_k = c_k / \\sum_l c_l

    Parameters
    ----------
    counts
        Members per unit (zeros allowed).

    Returns
    -------
    float
        0 for a one-unit group, at most :math:`1-1/K` (not normalised); NaN when empty.

    References
    ----------
    .. [1] Blau, P.M. (1977) Inequality and Heterogeneity. Free Press.
    .. [2] Simpson, E.H. (1949) Measurement of diversity. Nature 163:688 (Gini–Simpson).

    Examples
    --------
    >>> round(blau_index(np.array([1, 0, 2, 5, 2])), 6)
    0.66
    """
    c = np.asarray(counts, dtype=np.float64)
    total = c.sum()
    if c.size == 0 or total == 0:
        return float("nan")
    return float(1.0 - np.sum((c / total) ** 2))


def blau_indices(unit_counts: sp.sparray | sp.spmatrix) -> np.ndarray:
    """Returns the Blau index of every column of a units × projects count matrix.

    Parameters
    ----------
    unit_counts
        K × J matrix, entry (k, p) = members of project p from unit k.

    Returns
    -------
    numpy.ndarray
        Length J; NaN for a project with no members.

    References
    ----------
    .. [1] Blau, P.M. (1977) Inequality and Heterogeneity. Free Press.

    Examples
    --------
    >>> blau_indices(sp.csr_array(np.array([[1, 3], [1, 0]])))
    array([0.5, 0. ])
    """
    x = sp.csc_array(unit_counts, dtype=np.float64)
    members = np.asarray(x.sum(axis=0)).ravel()
    squares = np.asarray(x.multiply(x).sum(axis=0)).ravel()
    return 1.0 - ratio(squares, members * members)


def _canonical_upper(matrix: sp.sparray) -> sp.csr_array:
    """Strict upper triangle in canonical CSR form (sorted indices, no duplicates)."""
    upper = sp.triu(matrix, k=1).tocsr()
    upper.sum_duplicates()
    upper.sort_indices()
    return upper


def _unique_pairs(incidence: sp.sparray | sp.spmatrix, groups: np.ndarray, n_groups: int) -> tuple[np.ndarray, ...]:
    """Unit pairs (a < b) that meet in exactly one project, and that project's code.

    With P = units × projects presence, ``P Pᵀ`` counts the projects each pair shares and
    ``P diag(j+1) Pᵀ`` sums their codes + 1; where the count is 1 that sum names the project.
    """
    present = (_unit_presence(incidence, groups, n_groups) != 0).astype(np.int64)
    n_projects = present.shape[1]
    if n_projects == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    project_code = sp.diags_array(np.arange(1, n_projects + 1, dtype=np.int64), dtype=np.int64)
    shared = _canonical_upper(present @ present.T)
    codes = _canonical_upper(present @ project_code @ present.T)
    # both products are non-zero on the same pairs, so their canonical forms line up entry by entry
    if not (np.array_equal(shared.indptr, codes.indptr) and np.array_equal(shared.indices, codes.indices)):
        msg = "internal error: unit pair matrices do not line up"
        raise RuntimeError(msg)
    once = shared.data == 1
    rows = np.repeat(np.arange(shared.shape[0], dtype=np.int64), np.diff(shared.indptr))
    unit_a, unit_b = rows[once], shared.indices[once].astype(np.int64)
    project = codes.data[once].astype(np.int64) - 1
    return unit_a, unit_b, project


def unique_link_pairs(incidence: sp.sparray | sp.spmatrix, groups: np.ndarray, n_groups: int) -> pl.DataFrame:
    """Returns the unit pairs that work together on exactly one project, with that project.

    These links hang on a single project: when it ends, the two units share nothing.

    Parameters
    ----------
    incidence
        People × projects 0/1 matrix.
    groups
        Unit code of each person.
    n_groups
        Number of units K.

    Returns
    -------
    polars.DataFrame
        Columns ``unit_a``, ``unit_b`` (unit codes, ``unit_a < unit_b``) and ``project``
        (project code), sorted by ``unit_a, unit_b``.

    Notes
    -----
    Costs two sparse products of the units × projects presence matrix (size of the unit
    graph), no loop over projects.

    References
    ----------
    .. [1] Granovetter, M.S. (1973) The strength of weak ties. American Journal of
       Sociology 78(6):1360–1380 (links with no redundancy).

    Examples
    --------
    >>> b = sp.csr_array(np.array([[1, 1], [1, 0], [0, 1]]))
    >>> unique_link_pairs(b, np.array([0, 1, 2]), 3).rows()
    [(0, 1, 0), (0, 2, 1)]
    """
    unit_a, unit_b, project = _unique_pairs(incidence, groups, n_groups)
    frame = pl.DataFrame(
        {"unit_a": unit_a, "unit_b": unit_b, "project": project},
        schema={"unit_a": pl.Int64, "unit_b": pl.Int64, "project": pl.Int64},
    )
    return frame.sort("unit_a", "unit_b")


def project_table(
    incidence: sp.sparray | sp.spmatrix, groups: np.ndarray, n_groups: int, *, projects: list[str]
) -> pl.DataFrame:
    """Returns one row per project: size, unit mix and links that only it holds.

    Parameters
    ----------
    incidence
        People × projects 0/1 matrix.
    groups
        Unit code of each person.
    n_groups
        Number of units K.
    projects
        Project names, one per column of ``incidence``.

    Returns
    -------
    polars.DataFrame
        ``project``; ``members``; ``units`` (distinct units among members);
        ``blau_index`` (:func:`blau_index` of members per unit, null for an empty
        project); ``cross_unit`` (``units >= 2``); ``unique_links`` (unit pairs that
        meet in this project and in no other).

    References
    ----------
    .. [1] Blau, P.M. (1977) Inequality and Heterogeneity. Free Press.

    Examples
    --------
    >>> b = sp.csr_array(np.array([[1, 1], [1, 0], [0, 1]]))
    >>> project_table(b, np.array([0, 0, 1]), 2, projects=["P1", "P2"]).rows()
    [('P1', 2, 1, 0.0, False, 0), ('P2', 2, 2, 0.5, True, 1)]
    """
    counts = _unit_presence(incidence, groups, n_groups).tocsc()
    if len(projects) != counts.shape[1]:
        msg = f"got {len(projects)} project names for {counts.shape[1]} incidence columns"
        raise ValueError(msg)
    members = np.asarray(counts.sum(axis=0)).ravel().astype(np.int64)
    counts.eliminate_zeros()
    units = np.diff(counts.indptr).astype(np.int64)
    _, _, project = _unique_pairs(incidence, groups, n_groups)
    return pl.DataFrame(
        {
            "project": pl.Series(projects, dtype=pl.String),
            "members": members,
            "units": units,
            "blau_index": pl.Series(blau_indices(counts), dtype=pl.Float64, nan_to_null=True),
            "cross_unit": units >= 2,
            "unique_links": np.bincount(project, minlength=len(projects)).astype(np.int64),
        }
    )


def team_project_share(projects: pl.DataFrame) -> dict[str, int | float | None]:
    """Returns the number of team projects (two or more members) and the share that cross units.

    A one-person project cannot cross units; counting it would make an organisation with many
    one-person entries (personal tasks, placeholders) look siloed. The headline therefore
    speaks of team projects only.

    Parameters
    ----------
    projects
        The projects table (:func:`project_table`): ``members`` and ``cross_unit``.

    Returns
    -------
    dict
        ``team_projects`` (int) and ``cross_unit_team_project_share`` (share of them with
        people from two or more units; None when there is no team project).

    References
    ----------
    .. [1] Cummings, J.N. & Kiesler, S. (2005) Collaborative research across disciplinary
       and organizational boundaries. Social Studies of Science 35(5):703–722.

    Examples
    --------
    >>> t = pl.DataFrame({"members": [1, 1, 3, 2], "cross_unit": [False, False, True, False]})
    >>> team_project_share(t)
    {'team_projects': 2, 'cross_unit_team_project_share': 0.5}
    """
    teams = projects.filter(pl.col("members") >= 2)
    share = teams["cross_unit"].mean() if teams.height else None
    return {"team_projects": teams.height, "cross_unit_team_project_share": None if share is None else float(share)}
