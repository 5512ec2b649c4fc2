"""Tests of analyser.network: the membership, person and unit graphs."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from analyser.network import build_network, tie_table, unit_link_table
from analyser.roster import Roster
from tests.shared_data import REFCASES


def test_person_graph_ties_and_weights(tiny_roster):
    """Eight ties with Newman weights 1/(n_p - 1) summed over shared projects."""
    g = build_network(tiny_roster).person_graph()
    assert g.number_of_edges() == 8
    assert g["ann"]["bob"] == {"projects": 1, "weight": 0.5}
    assert g["cid"]["dan"] == {"projects": 1, "weight": 1.0}
    assert g.nodes["gus"]["unit"] == "D" and g.degree("gus") == 0


def test_shared_projects_counts_each_project():
    """Two people on two projects share 2 and get the sum of both Newman weights."""
    r = Roster.from_rows([("P1", "a", "X"), ("P1", "b", "X"), ("P2", "a", "X"), ("P2", "b", "X"), ("P2", "c", "Y")])
    ties = tie_table(build_network(r)).rows(named=True)
    assert ties[0] == {"a": 0, "b": 1, "projects": 2, "weight": pytest.approx(1.0 + 0.5)}


def test_unit_links_hand_worked(tiny_roster):
    """A-B: 2 ties over P2 and P4; A-C and B-C: one tie each, through P4 only."""
    links = unit_link_table(build_network(tiny_roster)).rows()
    assert links == [("A", "B", 2, 2, 1.5), ("A", "C", 1, 1, 0.5), ("B", "C", 1, 1, 0.5)]


def test_level_cuts_unit_paths():
    """Level 1 merges departments into their administration."""
    r = Roster.from_rows([("P", "a", "Soc/Home"), ("P", "b", "Soc/School"), ("Q", "c", "Cult")])
    assert build_network(r, level=1).units == ["Cult", "Soc"]
    assert build_network(r, level=2).units == ["Cult", "Soc/Home", "Soc/School"]
    assert build_network(r).units == ["Cult", "Soc/Home", "Soc/School"]


def test_max_project_size_drops_ties_not_memberships():
    """A project above the cap keeps its members but ties nobody."""
    rows = [("Big", f"p{i}", "U") for i in range(5)] + [("Small", "p0", "U"), ("Small", "p1", "U")]
    net = build_network(Roster.from_rows(rows), max_project_size=4)
    assert net.incidence.nnz == 7
    assert net.tie_count == 1


def test_attributes_matched_by_id_not_position():
    """Row order in the file does not decide which unit a person gets."""
    rows = [("P", "zoe", "Z"), ("P", "adam", "A")]
    g = build_network(Roster.from_rows(rows)).person_graph()
    assert g.nodes["zoe"]["unit"] == "Z" and g.nodes["adam"]["unit"] == "A"


def test_two_units_for_one_person_is_refused():
    """Unresolved rosters are refused rather than silently picking a unit."""
    with pytest.raises(ValueError, match="exactly one unit"):
        build_network(Roster.from_rows([("P", "a", "X"), ("Q", "a", "Y")]))


def test_membership_graph_is_bipartite(tiny_roster):
    """One edge per membership; projects and people kept apart even if names collide."""
    b = build_network(tiny_roster).membership_graph()
    assert b.number_of_edges() == 11 and nx.is_bipartite(b)
    assert b.nodes[("project", "P5")]["bipartite"] == 1


@pytest.mark.refcase
@pytest.mark.parametrize("case", ["opsahl", "newman_fig6"])
def test_projection_matches_published_values(case):
    """Shared counts and Newman weights equal the values in networkx's projection tests."""
    import json
    from fractions import Fraction

    import polars as pl

    folder = REFCASES / "nx_bipartite_projection"
    expected = json.loads((folder / "expected.json").read_text())["expected"][case]
    rows = pl.read_csv(folder / f"{case}_memberships.csv", infer_schema=False)
    g = build_network(Roster.from_frame(rows.with_columns(unit=pl.lit("U")))).person_graph()
    count, newman = expected["shared_projects_count"], expected["newman_collaboration"]
    assert g.number_of_edges() == len(count)
    for pair, value in count.items():
        u, v = pair.split("-")
        assert g[u][v]["projects"] == value
        assert g[u][v]["weight"] == pytest.approx(float(Fraction(str(newman[pair]))))


def test_shuffled_rows_give_identical_matrices(tiny_roster):
    """Codes are sorted by name, so row order cannot change any matrix."""
    import polars as pl

    shuffled = Roster.from_frame(tiny_roster.memberships.sample(fraction=1.0, shuffle=True, seed=3).drop("line"))
    a, b = build_network(tiny_roster), build_network(shuffled)
    assert a.people == b.people
    assert (a.weights != b.weights).nnz == 0
    assert np.array_equal(a.person_unit, b.person_unit)
    assert isinstance(tiny_roster.memberships, pl.DataFrame)


# -- fast paths against plain references ---------------------------------------------------------


def _sample_network(people: int = 1000, projects: int = 200, **options):
    """An S-sized synthetic organisation (analyser.sample), as a network."""
    from analyser.sample import generate_roster

    return build_network(Roster.from_frame(generate_roster(people=people, projects=projects, seed=3)), **options)


def test_tie_matrices_equal_plain_products():
    """Shared-project counts and Newman weights equal B·diag·Bᵀ with the diagonal removed, exactly."""
    import scipy.sparse as sp

    net = _sample_network()
    b = net.incidence
    sizes = net.project_size
    lam = np.where(sizes >= 2, 1.0 / np.maximum(sizes - 1, 1), 0.0)
    for fast, diag in ((net.shared_projects, (sizes >= 2).astype(float)), (net.weights, lam)):
        plain = (b @ sp.diags_array(diag) @ b.T).tocsr()
        plain.setdiag(0)
        plain.eliminate_zeros()
        assert fast.has_sorted_indices
        assert (abs(fast - plain) > 1e-12).nnz == 0
    assert net.adjacency is net.adjacency  # cached, not copied per access
    assert np.array_equal(net.adjacency.toarray(), (net.shared_projects.toarray() > 0).astype(float))


def test_upper_ties_and_tie_table_match_networkx_projection():
    """Each tie once, a < b, with the projection's shared-project count (networkx reference)."""
    from networkx.algorithms import bipartite

    net = _sample_network(400, 80)
    a, b, shared, weight = net.upper_ties
    assert np.all(a < b) and a.size == net.tie_count
    g = net.membership_graph()
    people = [n for n, d in g.nodes(data=True) if d["bipartite"] == 0]
    projected = bipartite.weighted_projected_graph(g, people)
    expected = {tuple(sorted((net.people.index(u[1]), net.people.index(v[1])))): d["weight"]
                for u, v, d in projected.edges(data=True)}
    got = {(int(x), int(y)): int(c) for x, y, c in zip(a, b, shared)}
    assert got == expected
    table = tie_table(net)
    assert table.sort("a", "b").equals(table)
    assert np.allclose(table["weight"].to_numpy(), weight)


def test_unit_ties_blockwise_equals_full_tie_counts():
    """Blockwise unit-pair counts equal the mixing matrix of the full tie matrix, whatever the blocks."""
    from analyser.metrics.bridging import external_collaborators
    from analyser.metrics.silo import mixing_matrix
    from analyser.network import unit_ties_blockwise

    net = _sample_network(max_project_size=40)
    k = len(net.units)
    for block_work in (50, 5_000, 10**9):
        result = unit_ties_blockwise(net, block_work=block_work)
        assert np.array_equal(result.unit_pairs.toarray(), mixing_matrix(net.adjacency, net.person_unit, k))
        assert np.array_equal(result.person_external, external_collaborators(net.adjacency, net.person_unit))
        assert result.ties == net.tie_count


def test_pair_bound_is_an_upper_bound_of_ties():
    """Σ C(n_p, 2) over tie projects bounds the ties and counts only projects that make ties."""
    net = _sample_network(300, 60, max_project_size=10)
    sizes = net.project_size[net.project_size <= 10]
    assert net.pair_bound == int(np.sum(sizes * (sizes - 1) // 2)) >= net.tie_count
