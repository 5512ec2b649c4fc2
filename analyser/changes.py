"""Change report between two analyses: unit pairs that started or stopped, E-I moves, sole bridges."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import polars as pl

if TYPE_CHECKING:
    from analyser.analysis import Analysis

__all__ = ["CHANGE_KEYS", "ei_change_test", "compare"]

#: Keys of one change entry, in this order (the ``trends`` JSON contract).
CHANGE_KEYS = ("from", "to", "unit_pairs_started", "unit_pairs_stopped", "ei_moves", "sole_bridges_new", "sole_bridges_lost")


def ei_change_test(
    internal_before: int, external_before: int, projects_before: int,
    internal_after: int, external_after: int, projects_after: int,
) -> tuple[float, float]:  # fmt: skip
    """Return ``(z, p)`` of a unit's E-I change: a two-proportion z-test on the share of
    its ties that leave the unit, with each project counted as one observation.

    E-I = 2·s − 1 where s = E / (E + I) is the external share of the unit's ties, so a
    change in E-I is twice a change in s. Ties made in one project are not independent (a
    10-person project gives 45 ties at once), so the sample size of each period is the
    number of projects the unit takes part in, not its number of ties: the design effect
    of a cluster sample with intra-project correlation 1, a conservative choice. With
    pooled share s̄ = (s₁n₁ + s₂n₂)/(n₁ + n₂)::

        z = (s₂ − s₁) / sqrt(s̄ (1 − s̄) (1/n₁ + 1/n₂)),   p = 2 (1 − Φ(|z|))

    Both values are NaN when the unit has no ties or no projects in either period, or
    when s̄ is 0 or 1 (no variation, so no move).

    References
    ----------
    .. [1] Kish, L. (1965) *Survey Sampling*. Wiley (design effect of cluster samples).
    .. [2] Donner, A. & Klar, N. (2000) *Design and Analysis of Cluster Randomization
       Trials in Health Research*. Arnold, ch. 5 (two-proportion tests with clusters).

    Examples
    --------
    Half of the ties external, then 90 %: not significant at 0.05 from 10 projects in each
    period, significant from 20:

    >>> [round(v, 3) for v in ei_change_test(50, 50, 10, 10, 90, 10)]
    [1.952, 0.051]
    >>> [round(v, 3) for v in ei_change_test(50, 50, 20, 10, 90, 20)]
    [2.76, 0.006]
    >>> ei_change_test(0, 0, 3, 5, 5, 3)
    (nan, nan)
    """
    n1, n2 = projects_before, projects_after
    t1, t2 = internal_before + external_before, internal_after + external_after
    if min(n1, n2, t1, t2) <= 0:
        return math.nan, math.nan
    s1, s2 = external_before / t1, external_after / t2
    pooled = (s1 * n1 + s2 * n2) / (n1 + n2)
    variance = pooled * (1 - pooled) * (1 / n1 + 1 / n2)
    if variance <= 0:
        return math.nan, math.nan
    z = (s2 - s1) / math.sqrt(variance)
    return z, math.erfc(abs(z) / math.sqrt(2))


def _label(analysis: Analysis) -> str | None:
    period = analysis.meta.get("period")
    if isinstance(period, dict) and period.get("label"):
        return str(period["label"])
    return analysis.meta.get("source")


def _hidden_units(analysis: Analysis) -> set[str]:
    units = analysis.units
    if "suppressed" not in units.columns or units.is_empty():
        return set()
    return set(units.filter(pl.col("suppressed").fill_null(False))["unit"].to_list())


def _visible(links: pl.DataFrame, hidden: set[str]) -> pl.DataFrame:
    if links.is_empty():
        return links
    return links.filter(~pl.col("unit_a").is_in(list(hidden)) & ~pl.col("unit_b").is_in(list(hidden)))


def _working_pairs(links: pl.DataFrame) -> set[tuple[str, str]]:
    if links.is_empty():
        return set()
    return {(a, b) for a, b in links.filter(pl.col("ties").fill_null(0) > 0).select("unit_a", "unit_b").iter_rows()}


def _sole_bridges(links: pl.DataFrame, with_people: bool) -> set[tuple[str, ...]]:
    if links.is_empty():
        return set()
    if with_people:
        rows = links.filter(pl.col("key_people").is_not_null()).select("unit_a", "unit_b", "key_people").iter_rows()
        return {(a, b, person) for a, b, people in rows for person in people.split("; ")}
    flag = "hangs_on_one_person" if "hangs_on_one_person" in links.columns else None
    hangs = pl.col(flag).fill_null(False) if flag else pl.col("key_people").is_not_null()
    return {(a, b) for a, b in links.filter(hangs).select("unit_a", "unit_b").iter_rows()}


def _ei_moves(before: Analysis, after: Analysis, alpha: float) -> list[dict[str, Any]]:
    columns = ["unit", "ei_index", "ties_internal", "ties_external", "projects"]
    b = before.units.select(columns) if not before.units.is_empty() else pl.DataFrame(schema=dict.fromkeys(columns, pl.Null))
    a = after.units.select(columns) if not after.units.is_empty() else pl.DataFrame(schema=dict.fromkeys(columns, pl.Null))
    joined = b.join(a, on="unit", how="full", coalesce=True, suffix="_after").sort("unit")
    moves = []
    for row in joined.iter_rows(named=True):
        ei_before, ei_after = row["ei_index"], row["ei_index_after"]
        counts = [row[c] for c in ("ties_internal", "ties_external", "projects", "ties_internal_after", "ties_external_after", "projects_after")]
        z, p = ei_change_test(*counts) if None not in counts and None not in (ei_before, ei_after) else (math.nan, math.nan)
        change = None if ei_before is None or ei_after is None else ei_after - ei_before
        moves.append({
            "unit": row["unit"], "ei_before": ei_before, "ei_after": ei_after, "change": change,
            "significant": bool(math.isfinite(p) and p < alpha),
            "z": z if math.isfinite(z) else None, "p": p if math.isfinite(p) else None,
        })  # fmt: skip
    return moves


def compare(before: Analysis, after: Analysis, *, alpha: float = 0.05) -> dict[str, Any]:
    """Return what changed between two analyses (two periods, or two uploads).

    - ``unit_pairs_started`` / ``unit_pairs_stopped``: ``[unit_a, unit_b]`` pairs with at
      least one tie after but none before (started), or before but not after (stopped).
      A unit with no people in one analysis has no ties there.
    - ``ei_moves``: one entry per unit, sorted by name: ``unit``, ``ei_before``,
      ``ei_after``, ``change`` (after − before), ``significant`` (``p < alpha`` in
      :func:`ei_change_test`), then ``z`` and ``p``; undefined values are ``None``.
    - ``sole_bridges_new`` / ``sole_bridges_lost``: ``{unit_a, unit_b, person}`` for each
      person who alone carries a unit pair's ties after but not before (new) or before but
      not after (lost). In ``aggregate`` privacy mode the person is omitted:
      ``{unit_a, unit_b}`` for the unit pairs that came to hang, or stopped hanging, on one
      person. In ``pseudonyms`` mode persons are codes; they match across the two analyses
      only when both used the same salt (:func:`analyser.periods.analyse_periods` does).

    Unit pairs that involve a unit withheld for its size (``suppressed``) in either
    analysis are left out of the pair lists, since their figures are not shown.

    Parameters
    ----------
    before, after
        Results of :func:`analyser.analysis.analyse` in the same privacy mode.
    alpha
        Significance level of the E-I move test.

    Returns
    -------
    dict
        Keys :data:`CHANGE_KEYS`; ``from`` and ``to`` are the period labels
        (``meta["period"]["label"]``) or else the sources.

    References
    ----------
    See :func:`ei_change_test` for the significance rule.

    Examples
    --------
    >>> from analyser.analysis import analyse
    >>> from analyser.roster import Roster
    >>> one = analyse(Roster.from_rows([("P1", "ann", "A"), ("P1", "bob", "B")]), n_permutations=9)
    >>> two = analyse(Roster.from_rows([("P1", "ann", "A"), ("P1", "cid", "C")]), n_permutations=9)
    >>> c = compare(one, two)
    >>> c["unit_pairs_started"], c["unit_pairs_stopped"]
    ([['A', 'C']], [['A', 'B']])
    >>> [(s["unit_a"], s["unit_b"], s["person"]) for s in c["sole_bridges_new"]]
    [('A', 'C', 'ann'), ('A', 'C', 'cid')]
    """
    if before.privacy != after.privacy:
        raise ValueError(f"both analyses need the same privacy mode, got {before.privacy!r} and {after.privacy!r}")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be between 0 and 1, got {alpha}")
    hidden = _hidden_units(before) | _hidden_units(after)
    links_before, links_after = _visible(before.unit_links, hidden), _visible(after.unit_links, hidden)
    worked, works = _working_pairs(links_before), _working_pairs(links_after)
    with_people = after.privacy != "aggregate"
    sole_before, sole_after = _sole_bridges(links_before, with_people), _sole_bridges(links_after, with_people)
    keys = ("unit_a", "unit_b", "person") if with_people else ("unit_a", "unit_b")
    return {
        "from": _label(before),
        "to": _label(after),
        "unit_pairs_started": [list(p) for p in sorted(works - worked)],
        "unit_pairs_stopped": [list(p) for p in sorted(worked - works)],
        "ei_moves": _ei_moves(before, after, alpha),
        "sole_bridges_new": [dict(zip(keys, s)) for s in sorted(sole_after - sole_before)],
        "sole_bridges_lost": [dict(zip(keys, s)) for s in sorted(sole_before - sole_after)],
    }
