"""Tests for analyser.unit_order: tie matrix, block ordering, top units plus "other", short labels.

Expected values are worked by hand on small matrices (each test says how); the properties
(an order is a permutation, grouping keeps every tie) are checked with hypothesis.

``many_units_roster`` builds the 120-unit roster the dashboard, report and browser tests of
issue 10 share.
"""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyser.roster import Roster
from analyser.unit_order import (
    aggregate,
    has_parent_level,
    matrix_view,
    parent_unit,
    seriation,
    short_labels,
    tie_matrix,
    top_units,
)

ADMINISTRATIONS = {
    "Socialförvaltningen": ["Äldreomsorg", "Funktionsstöd", "Individ- och familjeomsorg", "Hemtjänst", "Socialpsykiatri"],
    "Utbildningsförvaltningen": ["Förskola", "Grundskola", "Gymnasium", "Elevhälsa", "Vuxenutbildning"],
    "Samhällsbyggnadsförvaltningen": ["Bygglov", "Detaljplan", "Lantmäteri", "Miljö och hälsa"],
    "Kultur- och fritidsförvaltningen": ["Bibliotek", "Idrott och anläggningar", "Fritidsgårdar", "Kulturskolan"],
    "Kommunledningskontoret": ["Ekonomi", "HR", "Digitalisering", "Kommunikation", "Juridik"],
    "Tekniska förvaltningen": ["Gata och park", "Vatten och avlopp", "Avfall", "Fastighet"],
}
TEAMS = ["Stab", "Administration", "Område Norr", "Område Söder", "Område Öster", "Område Väster", "Utveckling",
         "Myndighetsutövning", "Verksamhetsstöd", "Kvalitet och uppföljning"]  # fmt: skip


def many_units_roster(units: int = 120, people: int = 1500, projects: int = 450, seed: int = 7) -> Roster:
    """A municipality of ``units`` teams (``Förvaltning/Avdelning/Enhet``) of very uneven size.

    Team sizes are lognormal (σ = 1.3, at least 2 people; with the defaults 2 to about 90),
    team names repeat across departments ("Stab", "Område Norr"), and projects mostly stay in
    their home team (60 %) or administration (30 %), so administrations show as blocks.
    """
    rng = np.random.default_rng(seed)
    departments = [(a, d) for a, ds in ADMINISTRATIONS.items() for d in ds]
    per = np.full(len(departments), units // len(departments))
    per[: units - per.sum()] += 1
    teams = TEAMS + [f"Enhet {j}" for j in range(1, 60)]
    names = [f"{a}/{d}/{t}" for (a, d), k in zip(departments, per) for t in teams[:k]]
    raw = rng.lognormal(0.0, 1.3, units)
    size = np.maximum(2, np.round(raw / raw.sum() * people)).astype(int)
    unit_of = np.repeat(np.arange(units), size)
    admin_of = np.array([list(ADMINISTRATIONS).index(n.split("/")[0]) for n in names])
    rows = set()
    for p in range(projects):
        home = int(rng.choice(units, p=size / size.sum()))
        for _ in range(int(rng.integers(3, 11))):
            r = rng.random()
            if r < 0.6:
                u = home
            elif r < 0.9:
                u = int(rng.choice(np.flatnonzero(admin_of == admin_of[home])))
            else:
                u = int(rng.integers(units))
            rows.add((f"Projekt {p + 1}", f"Person {int(rng.choice(np.flatnonzero(unit_of == u))) + 1}", names[u]))
    return Roster.from_rows(sorted(rows))


def _symmetric(n: int, values: list[int]) -> np.ndarray:
    m = np.zeros((n, n))
    m[np.triu_indices(n)] = values
    return m + np.triu(m, 1).T


@st.composite
def tie_matrices(draw: st.DrawFn, max_units: int = 12) -> np.ndarray:
    """Symmetric tie matrices (0–40 ties a cell), some rows possibly withheld (NaN)."""
    n = draw(st.integers(1, max_units))
    values = draw(st.lists(st.integers(0, 40), min_size=n * (n + 1) // 2, max_size=n * (n + 1) // 2))
    matrix = _symmetric(n, values)
    for i in draw(st.sets(st.integers(0, n - 1), max_size=n // 3)):
        matrix[i, :] = matrix[:, i] = np.nan
    return matrix


# -- tie_matrix ----------------------------------------------------------------------------


def test_tie_matrix_fills_pairs_diagonal_and_withheld():
    """Links fill both cells, internal ties the diagonal, absent pairs are 0, a suppressed unit's row is NaN."""
    units = pl.DataFrame({"unit": ["C", "A", "B", "D"], "ties_internal": [4, 3, 1, None],
                          "suppressed": [False, False, False, True]})  # fmt: skip
    links = pl.DataFrame({"unit_a": ["A", "B"], "unit_b": ["B", "C"], "ties": [2, 5]})
    names, m = tie_matrix(units, links)
    assert names == ["A", "B", "C", "D"]
    expected = np.array([[3, 2, 0, np.nan], [2, 1, 5, np.nan], [0, 5, 4, np.nan], [np.nan] * 4])
    np.testing.assert_array_equal(m, expected)


# -- seriation -----------------------------------------------------------------------------


def test_seriation_puts_interleaved_blocks_side_by_side():
    """Name order A1 B1 A2 B2 A3 B3, ties only inside A and inside B: each block ends up contiguous."""
    blocks = np.array([0, 1, 0, 1, 0, 1])
    m = np.where(blocks[:, None] == blocks[None, :], 10.0, 0.0)
    order = seriation(m)
    runs = blocks[order]
    assert sorted(order.tolist()) == list(range(6))
    assert (runs[:3] == runs[0]).all() and (runs[3:] == runs[3]).all() and runs[0] != runs[3]


def test_seriation_puts_units_without_ties_last_in_given_order():
    """Units 1 and 3 have no tie to another unit (only their own): they come last, 1 before 3."""
    m = np.array([[2, 0, 5, 0], [0, 9, 0, 0], [5, 0, 1, 0], [0, 0, 0, np.nan]])
    order = seriation(m).tolist()
    assert order[-2:] == [1, 3] and sorted(order[:2]) == [0, 2]


@given(tie_matrices())
@settings(max_examples=60, deadline=None)
def test_seriation_is_a_permutation(matrix):
    """Whatever the ties, every unit appears exactly once."""
    assert sorted(seriation(matrix).tolist()) == list(range(len(matrix)))


def test_seriation_is_deterministic():
    """The same matrix gives the same order on every call."""
    rng = np.random.default_rng(3)
    m = _symmetric(20, rng.integers(0, 5, 210).tolist())
    assert seriation(m).tolist() == seriation(m.copy()).tolist()


# -- top units and aggregation -------------------------------------------------------------


def test_top_units_by_ties_then_name_order():
    """Totals (row sums with the diagonal) 3, 6, 6, 1: units 1 and 2 tie and keep name order."""
    m = np.array([[1, 1, 1, 0], [1, 4, 1, 0], [1, 1, 3, 1], [0, 0, 1, 0]])
    assert top_units(m, 3).tolist() == [1, 2, 0]


def test_aggregate_by_hand():
    """Groups {0} and {1, 2}: between them 2 + 0; inside the second 3 + 5 (own) + 4 (between) = 12."""
    m = np.array([[1, 2, 0], [2, 3, 4], [0, 4, 5]], dtype=float)
    np.testing.assert_array_equal(aggregate(m, [0, 1, 1]), [[1, 2], [2, 12]])


def test_aggregate_withheld_counts_nothing_and_stays_withheld_alone():
    """A group of only withheld units has withheld cells; next to a visible unit it adds nothing."""
    m = np.array([[1, 2, np.nan], [2, 3, np.nan], [np.nan, np.nan, np.nan]])
    result = aggregate(m, [0, 1, 1])
    assert result[0, 1] == 2 and result[1, 1] == 3
    assert np.isnan(aggregate(m, [0, 0, 1])[1, 1])


@given(tie_matrices(), st.data())
@settings(max_examples=80, deadline=None)
def test_aggregating_keeps_the_total_of_ties(matrix, data):
    """However units are grouped, the ties (upper triangle with the diagonal) add up to the same total."""
    n = len(matrix)
    k = data.draw(st.integers(1, n))
    groups = data.draw(st.lists(st.integers(0, k - 1), min_size=n, max_size=n))
    groups = np.unique(groups, return_inverse=True)[1]  # groups 0..k'-1, none empty
    total = np.nansum(np.triu(matrix))
    assert np.nansum(np.triu(aggregate(matrix, groups))) == pytest.approx(total)


# -- labels --------------------------------------------------------------------------------


def test_short_labels_last_part_and_parent_when_shared():
    """The last part of the path, with the nearest telling part above in brackets when it repeats."""
    names = ["Social/Äldreomsorg/Stab", "Social/Hemtjänst/Stab", "Teknik/Avfall", "IT"]
    assert short_labels(names) == ["Stab (Äldreomsorg)", "Stab (Hemtjänst)", "Avfall", "IT"]


@given(st.lists(st.lists(st.sampled_from(["A", "B", "Stab", "Område Norr", "x" * 30]), min_size=1, max_size=4),
                min_size=1, max_size=30, unique_by=tuple))  # fmt: skip
@settings(max_examples=80, deadline=None)
def test_short_labels_are_unique_and_short(paths):
    """Distinct unit names always get distinct labels of at most 26 characters (plus a number)."""
    names = ["/".join(p) for p in paths]
    labels = short_labels(names)
    assert len(set(labels)) == len(labels)
    assert all(len(label.split(" (")[0]) <= 26 or len(label) <= 26 + 5 for label in labels)


def test_parent_level():
    """The level above is the path without its last part; top-level units are their own parent."""
    assert parent_unit("A/B/C") == "A/B" and parent_unit("A") == "A"
    assert has_parent_level(["A/B", "C"]) and not has_parent_level(["A", "C"])


# -- matrix_view ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def many_units():
    """The 120-unit roster analysed with pseudonyms (units under 5 people withheld)."""
    from analyser.analysis import analyse

    return analyse(many_units_roster(), privacy="pseudonyms", n_permutations=19)


def test_matrix_view_of_120_units_is_30_plus_other(many_units):
    """120 units: the 30 with most ties one by one, the other 90 in a last row holding every withheld unit."""
    v = matrix_view(many_units.units, many_units.unit_links)
    assert v.units == 120 and len(v.names) == 31 and v.other and v.names[-1] == ""
    assert len(v.members[-1]) == 90 and sorted(u for m in v.members for u in m) == sorted(many_units.units["unit"])
    withheld = many_units.units["suppressed"].sum()
    assert withheld > 0 and v.withheld[-1] == withheld
    _, full = tie_matrix(many_units.units, many_units.unit_links)
    assert np.nansum(np.triu(v.ties)) == pytest.approx(np.nansum(np.triu(full)))
    assert all("/" not in label.split(" (")[0] for label in v.labels)


def test_matrix_view_by_parent_and_all(many_units):
    """Grouped by the level above there is a row per department; "all" shows every unit."""
    grouped = matrix_view(many_units.units, many_units.unit_links, show="parent")
    departments = {u.rsplit("/", 1)[0] for u in many_units.units["unit"]}
    assert grouped.grouped and not grouped.other and sorted(grouped.names) == sorted(departments)
    assert len(matrix_view(many_units.units, many_units.unit_links, show="all").names) == 120


def test_matrix_view_of_a_few_units_shows_them_all():
    """With at most top + 1 units there is no "other" row (it would hold one unit)."""
    units = pl.DataFrame({"unit": list("ABC"), "ties_internal": [1, 2, 3], "suppressed": [False] * 3})
    v = matrix_view(units, pl.DataFrame(), top=2)
    assert not v.other and sorted(v.names) == ["A", "B", "C"]
