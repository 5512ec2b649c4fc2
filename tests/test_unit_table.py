"""One units table for every route (issue 13, item 2): the full route, the unit-level route and the
what-if build it with analyser.unit_table from the same unit tie counts, so they agree exactly.

Reference: the per-unit metric functions of analyser.metrics.silo on the person tie list (how the
full route built the table before), and the full route itself for the forced unit-level route.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from analyser.analysis import UNIT_LINK_COLUMNS, analyse
from analyser.ingest import read_roster
from analyser.metrics import silo, structure
from analyser.metrics.structural_holes import newman_project_weights
from analyser.network import build_network, unit_ties, unit_ties_blockwise
from analyser.unit_table import unit_table, unit_tie_totals
from analyser.whatif import network_figures_of

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample_rosters.csv"
#: The permutation test's columns: only the full route has them.
TESTED = ("ei_z", "ei_p", "ei_expected_perm", "ei_q", "verdict", "silo")


@pytest.fixture(scope="module")
def sample():
    return read_roster(SAMPLE)


@pytest.mark.parametrize("level", [None, 2])
def test_unit_table_equals_the_metric_functions(sample, level):
    """The builder gives, bit for bit, what silo's functions give on the tie list (the old full route)."""
    net = build_network(sample, level=level)
    adj, groups, k = net.adjacency, net.person_unit, len(net.units)
    a, b, _, _ = net.upper_ties
    ties = (a, b, None)
    internal, external = silo.unit_tie_counts(adj, groups, k, ties=ties)
    expected = pl.DataFrame({
        "unit": net.units,
        "ties_internal": internal,
        "ties_external": external,
        "ei_index": silo.ei_index(internal, external),
        "partner_units": silo.partner_units(adj, groups, k, ties=ties),
        "bridge_concentration": silo.bridge_concentration(adj, groups, k, ties=ties),
    }).with_columns(pl.col(pl.Float64).fill_nan(None))  # fmt: skip
    table = unit_table(net, unit_ties(net))
    assert_frame_equal(table.select(expected.columns), expected, check_exact=True)
    assert table[list(TESTED)].null_count().row(0) == (len(net.units),) * len(TESTED)


@pytest.mark.parametrize("level", [None, 2])
def test_unit_level_route_equals_the_full_route(sample, level):
    """Forced onto the unit-level route (a pair limit of 10), the sample gives the full route's unit
    table exactly, the same unit links and the same organisation figures bit for bit."""
    full = analyse(sample, level=level, n_permutations=19)
    unit = analyse(sample, level=level, n_permutations=19, person_level_max_pairs=10)
    assert unit.meta["methods"]["route"] == "unit level only" and full.meta["methods"]["route"] == "full"
    shared = [c for c in full.units.columns if c not in TESTED]
    assert_frame_equal(unit.units.select(shared), full.units.select(shared), check_exact=True)
    assert unit.units.select(TESTED).null_count().row(0) == (unit.units.height,) * len(TESTED)
    counts = ["unit_a", "unit_b", "ties", "shared_projects"]
    assert_frame_equal(unit.unit_links.select(counts), full.unit_links.select(counts), check_exact=True)
    # weights: Σ of the ties' Newman weights against X Λ Xᵀ, the same sum in another order
    assert_frame_equal(unit.unit_links.select(UNIT_LINK_COLUMNS), full.unit_links.select(UNIT_LINK_COLUMNS),
                       check_exact=False, rel_tol=1e-12)  # fmt: skip
    for key in ("ties", "cross_unit_ties", "ei_index", "ei_expected", "modularity", "assortativity", "components",
                "largest_component_share"):  # fmt: skip
        assert unit.summary[key] == full.summary[key], key


def test_whatif_figures_are_the_reports(sample):
    """The what-if's units and organisation figures are the analysis' own, exactly."""
    net = build_network(sample, level=2)
    units, figures, pairs = network_figures_of(net)
    a = analyse(sample, level=2, n_permutations=9)
    assert_frame_equal(units, a.units.select(units.columns), check_exact=True)
    assert figures["ei_index"] == a.summary["ei_index"] and figures["modularity"] == a.summary["modularity"]
    linked = a.unit_links.filter(pl.col("ties") > 0)
    assert pairs["covered"] == set(linked.select("unit_a", "unit_b").iter_rows())
    assert figures["unit_pairs_covered"] == linked.height


@pytest.mark.parametrize("block_work", [50, 10_000, 30_000_000])
def test_tie_list_and_blockwise_counts_agree(sample, block_work):
    """unit_ties (from the tie list) and unit_ties_blockwise (any block size) count the same ties."""
    net = build_network(sample, level=2, max_project_size=40)
    listed, blocked = unit_ties(net), unit_ties_blockwise(net, block_work=block_work)
    assert (listed.unit_pairs != blocked.unit_pairs).nnz == 0
    assert np.array_equal(listed.person_external, blocked.person_external) and listed.ties == blocked.ties
    assert listed.ties == net.tie_count
    internal, external = unit_tie_totals(listed)
    assert int(internal.sum()) + int(external.sum()) // 2 == net.tie_count


def test_one_newman_weight(sample):
    """The network's project weights are newman_project_weights, zero for projects that make no ties,
    and the tie weights are B Λ Bᵀ off the diagonal."""
    net = build_network(sample, max_project_size=30)
    lam = newman_project_weights(net.incidence)
    assert (~net.tie_projects).any()
    assert np.array_equal(net.project_weights, np.where(net.tie_projects, lam, 0.0))
    b = net.incidence.toarray()  # 600 people × 120 projects: small enough to multiply densely
    product = b @ np.diag(net.project_weights) @ b.T
    np.fill_diagonal(product, 0.0)
    assert np.allclose(net.weights.toarray(), product)


def test_unit_level_modularity_comes_from_the_metric_functions(sample):
    """mixing_modularity and mixing_unit_assortativity of the unit counts equal the person-tie metrics bit for bit."""
    net = build_network(sample, level=2)
    a, b, _, _ = net.upper_ties
    pairs = unit_ties(net).unit_pairs
    assert structure.mixing_modularity(pairs) == structure.modularity(net.adjacency, net.person_unit, ties=(a, b, None))
    assert structure.mixing_unit_assortativity(pairs) == structure.unit_assortativity(net.adjacency, net.person_unit)
