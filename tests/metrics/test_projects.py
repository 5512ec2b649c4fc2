"""Tests for analyser.metrics.projects: Blau index, project table and single-project unit links."""

from __future__ import annotations

import itertools
import json

import numpy as np
import polars as pl
import pytest
import scipy.sparse as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from analyser.metrics.projects import (
    blau_index,
    blau_indices,
    project_table,
    unique_link_pairs,
)
from analyser.network import build_network
from analyser.roster import Roster
from tests.shared_data import REFCASES

HYPO = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def incidences(draw, max_people: int = 8, max_projects: int = 6, max_groups: int = 4):
    """A random people × projects 0/1 matrix with a unit code per person."""
    n = draw(st.integers(1, max_people))
    j = draw(st.integers(0, max_projects))
    k = draw(st.integers(1, max_groups))
    cells = draw(st.lists(st.booleans(), min_size=n * j, max_size=n * j))
    b = sp.csr_array(np.array(cells, dtype=np.float64).reshape(n, j))
    groups = np.array(draw(st.lists(st.integers(0, k - 1), min_size=n, max_size=n)))
    return b, groups, k


def _brute_unique_pairs(b: sp.csr_array, groups: np.ndarray) -> set[tuple[int, int, int]]:
    """Unit pairs meeting in exactly one project, by enumerating every project."""
    dense = b.toarray() > 0
    seen: dict[tuple[int, int], list[int]] = {}
    for p in range(dense.shape[1]):
        units = sorted(set(groups[dense[:, p]].tolist()))
        for pair in itertools.combinations(units, 2):
            seen.setdefault(pair, []).append(p)
    return {(a, c, ps[0]) for (a, c), ps in seen.items() if len(ps) == 1}


# -- Blau index ---------------------------------------------------------------------------------


def test_blau_index_hand_values() -> None:
    """Two equal units 0.5; three equal units 2/3; one unit 0."""
    assert blau_index(np.array([3, 3])) == pytest.approx(0.5)
    assert blau_index(np.array([1, 1, 1])) == pytest.approx(2 / 3)
    assert blau_index(np.array([4, 0])) == 0.0


def test_blau_index_empty_is_nan() -> None:
    """No members (or no categories at all): NaN, not 0."""
    assert np.isnan(blau_index(np.array([0, 0])))
    assert np.isnan(blau_index(np.array([], dtype=np.int64)))


def test_blau_indices_match_scalar() -> None:
    """Column-wise Blau equals blau_index of each column; an empty column is NaN."""
    x = np.array([[1, 0, 2, 0], [0, 0, 2, 5], [3, 0, 0, 2]])
    result = blau_indices(sp.csr_array(x))
    np.testing.assert_allclose(result, [blau_index(x[:, p]) for p in range(4)])
    assert np.isnan(result[1])


@pytest.mark.refcase
def test_blau_index_skbio_reference() -> None:
    """scikit-bio test_simpson: [1,0,2,5,2] → 0.66, [5] → 0, [0,0] → NaN."""
    case = json.loads((REFCASES / "skbio_diversity" / "expected.json").read_text())
    cases = case["expected"]["blau_gini_simpson"]
    assert len(cases) == 3
    for item in cases:
        result = blau_index(np.array(item["counts"]))
        if item["value"] == "NaN":
            assert np.isnan(result)
        else:
            assert result == pytest.approx(item["value"], abs=1e-7)


# -- project table: the tiny roster of tests/conftest.py ------------------------------------------


def test_project_table_tiny(tiny_roster: Roster) -> None:
    """P4 (eva B, fay C, cid A) is the only place A–C and B–C meet: 2 unique links; A–B
    also meet on P2, so P2 has none. Blau of P4 = 1 − 3/9."""
    net = build_network(tiny_roster)
    result = project_table(net.incidence, net.person_unit, len(net.units), projects=net.projects)
    # fmt: off
    expected = pl.DataFrame(
        {
            "project":      ["P1",  "P2", "P3",  "P4",  "P5"],
            "members":      [3,     2,    2,     3,     1],
            "units":        [1,     2,    1,     3,     1],
            "blau_index":   [0.0,   0.5,  0.0,   2 / 3, 0.0],
            "cross_unit":   [False, True, False, True,  False],
            "unique_links": [0,     0,    0,     2,     0],
        }
    )
    # fmt: on
    assert_frame_equal(result, expected)


def test_unique_link_pairs_tiny(tiny_roster: Roster) -> None:
    """A–C (0, 2) and B–C (1, 2) hang on P4 (code 3); A–B has two projects."""
    net = build_network(tiny_roster)
    result = unique_link_pairs(net.incidence, net.person_unit, len(net.units))
    expected = pl.DataFrame({"unit_a": [0, 1], "unit_b": [2, 2], "project": [3, 3]})
    assert_frame_equal(result, expected)


def test_project_table_empty_project_is_null() -> None:
    """A project column with no members has Blau null (not 0), 0 units, not cross-unit."""
    b = sp.csr_array(np.array([[1, 0], [1, 0]]))
    result = project_table(b, np.array([0, 1]), 2, projects=["P1", "P2"])
    assert result["blau_index"].to_list() == [0.5, None]
    assert result["units"].to_list() == [2, 0] and result["cross_unit"].to_list() == [True, False]


def test_project_table_rejects_wrong_names() -> None:
    """Project names must match the incidence columns one to one."""
    with pytest.raises(ValueError, match="project names"):
        project_table(sp.csr_array(np.ones((2, 2))), np.array([0, 1]), 2, projects=["P1"])


def test_no_projects() -> None:
    """No projects: an empty table with the contract columns and no unique links."""
    b = sp.csr_array((3, 0))
    table = project_table(b, np.array([0, 1, 1]), 2, projects=[])
    assert table.columns == ["project", "members", "units", "blau_index", "cross_unit", "unique_links"]
    assert table.height == 0 and unique_link_pairs(b, np.array([0, 1, 1]), 2).height == 0


# -- properties -----------------------------------------------------------------------------------


@HYPO
@given(incidences())
def test_unique_link_pairs_match_enumeration(case) -> None:
    """The sparse-product result equals enumerating unit pairs project by project."""
    b, groups, k = case
    result = unique_link_pairs(b, groups, k)
    assert set(result.iter_rows()) == _brute_unique_pairs(b, groups)


@HYPO
@given(incidences())
def test_project_table_consistent(case) -> None:
    """unique_links sums to the unique pairs; cross_unit ⇔ units ≥ 2; Blau within [0, 1 − 1/K]."""
    b, groups, k = case
    names = [f"P{p}" for p in range(b.shape[1])]
    table = project_table(b, groups, k, projects=names)
    assert table["unique_links"].sum() == unique_link_pairs(b, groups, k).height
    assert (table["cross_unit"] == (table["units"] >= 2)).all()
    assert table["members"].to_list() == np.asarray(b.sum(axis=0)).ravel().astype(int).tolist()
    blau = table["blau_index"].drop_nulls()
    assert ((blau >= -1e-12) & (blau <= 1 - 1 / k + 1e-12)).all()
    assert (table.filter(pl.col("units") == 1)["blau_index"] == 0.0).all()
