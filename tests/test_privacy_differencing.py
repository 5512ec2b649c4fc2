"""Withheld units cannot be recomputed from what is shown (issue 12, item 5).

An attacker holds every published figure of a pseudonym or aggregate analysis and subtracts.
The unknowns are the withheld tie counts: each withheld unit's internal ties, and the ties of
every pair that involves a withheld unit. Each published total gives one linear equation. A
figure is recoverable exactly when its unit vector lies in the row space of those equations.
"""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from analyser.analysis import analyse
from analyser.ingest import read_roster
from analyser.privacy import MIN_WITHHELD_UNITS

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample_rosters.csv"


def _attacker_system(a) -> tuple[np.ndarray, list[str]]:
    """Equations an attacker can write from the published tables (coefficients per unknown)."""
    units = a.units
    hidden = units.filter("suppressed")["unit"].to_list()
    visible = units.filter(~pl.col("suppressed"))["unit"].to_list()
    unknowns = [f"internal:{w}" for w in hidden]
    unknowns += [f"pair:{v}|{w}" for v in visible for w in hidden]
    unknowns += [f"pair:{w}|{x}" for w, x in combinations(hidden, 2)]
    index = {name: i for i, name in enumerate(unknowns)}
    rows = []
    # organisation ties − cross-unit ties − visible internal ties = Σ withheld internal ties
    rows.append([1.0 if name.startswith("internal:") else 0.0 for name in unknowns])
    # each visible unit: ties_external − its published links = Σ its ties to withheld units
    for v in visible:
        row = np.zeros(len(unknowns))
        for w in hidden:
            row[index[f"pair:{v}|{w}"]] = 1
        rows.append(row)
    # cross-unit ties − published links = all pairs that involve a withheld unit
    rows.append([0.0 if name.startswith("internal:") else 1.0 for name in unknowns])
    return np.array(rows, dtype=float), unknowns


def _recoverable(equations: np.ndarray, unknowns: list[str]) -> list[str]:
    rank = np.linalg.matrix_rank(equations)
    found = []
    for i, name in enumerate(unknowns):
        unit = np.zeros(len(unknowns))
        unit[i] = 1
        if np.linalg.matrix_rank(np.vstack([equations, unit])) == rank:
            found.append(name)
    return found


@pytest.mark.parametrize("privacy", ["pseudonyms", "aggregate"])
def test_no_withheld_figure_follows_by_subtraction(privacy):
    """Sample at level 2, minimum group 8: one 7-person unit is small; with its complements no
    withheld tie count can be recomputed, no link row or person of a withheld unit is shown."""
    a = analyse(read_roster(SAMPLE), level=2, privacy=privacy, min_group_size=8, n_permutations=19)
    hidden = a.units.filter("suppressed")["unit"].to_list()
    small = a.units.filter(pl.col("people") < 8)["unit"].to_list()
    assert small and set(small) < set(hidden) and len(hidden) >= MIN_WITHHELD_UNITS
    assert a.meta["withheld_units"]["small"] == small and a.meta["withheld_units"]["complementary"]
    # the sums the attacker starts from are published
    published_internal = a.units.filter(~pl.col("suppressed"))["ties_internal"].sum()
    assert a.summary["ties"] - a.summary["cross_unit_ties"] - published_internal >= 0
    equations, unknowns = _attacker_system(a)
    assert _recoverable(equations, unknowns) == []
    links = a.unit_links
    assert not (links["unit_a"].is_in(hidden) | links["unit_b"].is_in(hidden)).any()
    assert not a.people["unit"].is_in(hidden).any()
    for column in ("ties_internal", "ties_external", "ei_index", "partner_units"):
        assert a.units.filter("suppressed")[column].null_count() == len(hidden), column


def test_one_withheld_unit_alone_would_be_recoverable():
    """The check can fail: with only the small unit withheld, its internal ties are recovered."""
    a = analyse(read_roster(SAMPLE), level=2, privacy="pseudonyms", min_group_size=8, n_permutations=19)
    small = a.units.filter(pl.col("people") < 8)["unit"].to_list()
    only_small = a.units.with_columns(pl.col("unit").is_in(small).alias("suppressed"))
    equations, unknowns = _attacker_system(type(a)(only_small, a.people, a.projects, a.unit_links, a.summary, a.meta))
    assert f"internal:{small[0]}" in _recoverable(equations, unknowns)


def test_names_mode_withholds_nothing():
    a = analyse(read_roster(SAMPLE), level=2, privacy="names", min_group_size=8, n_permutations=19)
    assert not a.units["suppressed"].any() and a.meta["withheld_units"] is None


def test_silo_counts_cover_the_units_shown():
    """significant_silos and units_judged count visible units only: a withheld unit's verdict
    cannot be had by subtracting the visible verdicts from the count."""
    a = analyse(read_roster(SAMPLE), level=2, privacy="pseudonyms", min_group_size=8, n_permutations=19)
    shown = a.units.filter(~pl.col("suppressed"))
    assert a.summary["significant_silos"] == int((shown["verdict"] == "silo").sum())
    assert a.summary["units_judged"] == int(shown["verdict"].is_in(["silo", "not_silo"]).sum())
    assert a.units.filter("suppressed")["verdict"].drop_nulls().to_list() in ([], ["too_little_data"])
