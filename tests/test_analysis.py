"""Tests of analyser.analysis.analyse: hand-worked tables, self-consistency, privacy, invariants."""

from __future__ import annotations

import math

import numpy as np

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from analyser.analysis import PEOPLE_COLUMNS, PROJECT_COLUMNS, SUMMARY_FIELDS, UNIT_COLUMNS, UNIT_LINK_COLUMNS, analyse
from analyser.roster import Roster


def test_contract_columns_come_first(tiny_roster):
    """Every table starts with the contract columns, in order; the summary has every field."""
    a = analyse(tiny_roster)
    assert tuple(a.units.columns[: len(UNIT_COLUMNS)]) == UNIT_COLUMNS
    assert tuple(a.people.columns[: len(PEOPLE_COLUMNS)]) == PEOPLE_COLUMNS
    assert tuple(a.projects.columns[: len(PROJECT_COLUMNS)]) == PROJECT_COLUMNS
    assert tuple(a.unit_links.columns[: len(UNIT_LINK_COLUMNS)]) == UNIT_LINK_COLUMNS
    assert set(SUMMARY_FIELDS) <= set(a.summary)


def test_unit_table_hand_worked(tiny_roster):
    """Tie counts, E-I, partners and bridge concentration of the tiny roster, worked by hand."""
    units = analyse(tiny_roster).units
    rows = {r["unit"]: r for r in units.iter_rows(named=True)}
    assert (rows["A"]["ties_internal"], rows["A"]["ties_external"], rows["A"]["ei_index"]) == (3, 3, 0.0)
    assert (rows["B"]["ties_internal"], rows["B"]["ties_external"], rows["B"]["ei_index"]) == (1, 3, 0.5)
    assert rows["C"]["ei_index"] == 1.0 and rows["C"]["ei_expected"] == 1.0
    assert rows["D"]["ei_index"] is None and rows["D"]["ei_z"] is None
    assert rows["A"]["ei_expected"] == pytest.approx((12 - 3) / 15)
    assert rows["A"]["bridge_concentration"] == 1.0
    assert rows["B"]["bridge_concentration"] == pytest.approx(2 / 3)
    assert [rows[u]["partner_units"] for u in "ABCD"] == [2, 2, 2, 0]
    assert rows["A"]["cross_unit_project_share"] == pytest.approx(2 / 3)
    assert rows["D"]["cross_unit_project_share"] == 0.0


def test_summary_hand_worked(tiny_roster):
    """Org figures of the tiny roster: 8 ties, half across units, two components."""
    s = analyse(tiny_roster).summary
    assert (s["people"], s["projects"], s["units"], s["memberships"]) == (7, 5, 4, 11)
    assert (s["ties"], s["cross_unit_ties"], s["ei_index"]) == (8, 4, 0.0)
    assert s["components"] == 2 and s["largest_component_share"] == pytest.approx(6 / 7)
    assert s["cross_unit_project_share"] == pytest.approx(0.4)


def test_people_and_key_people_hand_worked(tiny_roster):
    """cid alone carries A-B; A-C and B-C hang on single ties."""
    a = analyse(tiny_roster)
    people = {r["person"]: r for r in a.people.iter_rows(named=True)}
    assert [people[p]["sole_bridges"] for p in ("cid", "fay", "eva", "dan", "ann")] == [2, 2, 1, 0, 0]
    assert people["gus"]["participation"] is None and people["gus"]["constraint"] is None
    assert people["cid"]["units_reached"] == 2 and people["cid"]["external_collaborators"] == 3
    links = {(r["unit_a"], r["unit_b"]): r for r in a.unit_links.iter_rows(named=True)}
    assert links[("A", "B")]["key_people"] == "cid"
    assert links[("A", "C")]["key_people"] == "cid; fay"
    assert links[("A", "B")]["bridging_people"] == 3


def assert_consistent(a) -> None:
    """Counts in the summary equal the totals of the tables."""
    s, units, links = a.summary, a.units, a.unit_links
    assert s["people"] == units["people"].sum()
    assert s["units"] == units.height
    assert s["projects"] == a.projects.height
    assert s["memberships"] == a.projects["members"].sum()
    assert s["ties"] == units["ties_internal"].sum() + units["ties_external"].sum() / 2
    assert s["cross_unit_ties"] == links["ties"].sum() == units["ties_external"].sum() / 2
    if a.people.height:
        assert a.people.height == s["people"]
        assert a.people["projects"].sum() == s["memberships"]
        assert a.people["collaborators"].sum() == 2 * s["ties"]
        assert a.people["external_collaborators"].sum() == 2 * s["cross_unit_ties"]
    for value in (s["ei_index"], units["ei_index"].drop_nulls().to_list()):
        for v in value if isinstance(value, list) else [value]:
            assert v is None or -1 <= v <= 1


def test_tables_agree_with_summary(tiny_roster):
    """Nothing in the analysis contradicts itself."""
    assert_consistent(analyse(tiny_roster))


def test_pseudonyms_hide_names_and_small_units(tiny_roster):
    """Pseudonyms replace names stably; units under min_group_size are withheld."""
    a = analyse(tiny_roster, privacy="pseudonyms", min_group_size=3)
    b = analyse(tiny_roster, privacy="pseudonyms", min_group_size=3)
    assert a.people["person"].to_list() == b.people["person"].to_list()
    assert not set(a.people["person"]) & {"ann", "bob", "cid", "dan", "eva", "fay", "gus"}
    units = {r["unit"]: r for r in a.units.iter_rows(named=True)}
    assert units["A"]["suppressed"] is False and units["A"]["ei_index"] == 0.0
    assert units["B"]["suppressed"] is True and units["B"]["ei_index"] is None
    assert all(v is None for v in a.unit_links.filter(pl.col("unit_b") == "C")["ties"])
    assert "cid" not in (a.unit_links["key_people"].drop_nulls().str.join(";").item() or "")


def test_aggregate_mode_has_no_person_level_output(tiny_roster):
    """In aggregate mode the people table is empty and no link names a person."""
    a = analyse(tiny_roster, privacy="aggregate")
    assert a.people.height == 0 and tuple(a.people.columns[: len(PEOPLE_COLUMNS)]) == PEOPLE_COLUMNS
    assert a.unit_links["key_people"].null_count() == a.unit_links.height
    assert a.meta["privacy"] == "aggregate"


def test_names_mode_is_default_and_recorded(tiny_roster):
    """The options in force are in meta, so every export can state them."""
    a = analyse(tiny_roster, level=1, seed=7)
    assert a.meta["options"] == {
        "level": 1, "privacy": "names", "min_group_size": 5, "max_project_size": None, "seed": 7, "min_silo_projects": 3,
    }  # fmt: skip
    assert a.meta["methods"]["betweenness"] in {"exact", "sampled"}


def test_single_unit_org():
    """One unit: every tie internal, org E-I -1, modularity 0, assortativity undefined."""
    a = analyse(Roster.from_rows([("P", "a", "U"), ("P", "b", "U"), ("Q", "b", "U"), ("Q", "c", "U")]))
    assert a.summary["ei_index"] == -1.0 and a.summary["modularity"] == 0.0
    assert a.summary["assortativity"] is None
    assert_consistent(a)


def test_no_ties_at_all():
    """Everyone alone on a project: undefined figures are null, never 0."""
    a = analyse(Roster.from_rows([("P", "a", "U"), ("Q", "b", "V")]))
    assert a.summary["ties"] == 0 and a.summary["ei_index"] is None and a.summary["modularity"] is None
    assert a.units["ei_index"].null_count() == 2
    assert_consistent(a)


def test_invalid_privacy_mode_is_refused(tiny_roster):
    """A misspelt mode is an error, not a silent fall-back to names."""
    with pytest.raises(ValueError, match="privacy"):
        analyse(tiny_roster, privacy="anonymous")  # type: ignore[arg-type]


# -- properties ----------------------------------------------------------------------------

names = st.sampled_from([f"p{i}" for i in range(12)])
rosters = st.lists(
    st.tuples(st.sampled_from(["J1", "J2", "J3", "J4", "J5"]), names), min_size=2, max_size=30, unique=True
)


def _unit_of(person: str) -> str:
    return "ABC"[int(person[1:]) % 3]


def _roster(pairs) -> Roster:
    return Roster.from_rows([(j, p, _unit_of(p)) for j, p in pairs])


def _comparable(a):
    # permutation figures (and the verdicts resting on them) depend on the order people are drawn in
    drop = ["ei_z", "ei_p", "ei_expected_perm", "ei_q", "verdict", "silo"]
    return a.units.drop(drop), a.summary


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rosters, st.randoms(use_true_random=False))
def test_row_order_does_not_matter(pairs, rnd):
    """Shuffling the roster's rows changes nothing."""
    shuffled = list(pairs)
    rnd.shuffle(shuffled)
    a, b = analyse(_roster(pairs), n_permutations=19), analyse(_roster(shuffled), n_permutations=19)
    assert a.units.equals(b.units) and a.people.equals(b.people)
    assert {k: v for k, v in a.summary.items()} == b.summary
    assert_consistent(a)


@settings(max_examples=30, deadline=None)
@given(rosters)
def test_renaming_people_changes_no_unit_figure(pairs):
    """Unit and org figures do not depend on what people are called."""
    renamed = [(j, "x" + p[::-1]) for j, p in pairs]
    a = analyse(_roster(pairs), n_permutations=19)
    b = analyse(Roster.from_rows([(j, q, _unit_of(p)) for (j, q), (_, p) in zip(renamed, pairs)]), n_permutations=19)
    ua, ub = _comparable(a), _comparable(b)
    assert ua[0].equals(ub[0])
    # Louvain depends on node order; the silo count on the permutation draws
    keys = set(ua[1]) - {"communities", "community_unit_nmi", "community_stability", "significant_silos"}
    assert {k: ua[1][k] for k in keys} == {k: ub[1][k] for k in keys}


@settings(max_examples=30, deadline=None)
@given(rosters, st.integers(1, 4))
def test_unit_with_only_internal_projects_is_closed(pairs, size):
    """A unit whose projects are all internal (and has ties) has E-I exactly -1."""
    extra = [("Solo", f"s{i}", "S") for i in range(size + 1)]
    a = analyse(Roster.from_rows([(j, p, _unit_of(p)) for j, p in pairs] + extra), n_permutations=19)
    row = a.units.filter(pl.col("unit") == "S").row(0, named=True)
    assert row["ei_index"] == -1.0 and row["ties_external"] == 0
    assert all(-1 <= v <= 1 for v in a.units["ei_index"].drop_nulls())
    assert all(math.isfinite(v) for v in a.units["ei_expected"].drop_nulls())


@pytest.mark.parametrize("level", [1, 2])
def test_sample_roster_is_self_consistent(level):
    """The shipped sample analyses without contradictions at both hierarchy levels."""
    from analyser.ingest import read_roster
    from tests.shared_data import SAMPLE_ROSTER

    a = analyse(read_roster(SAMPLE_ROSTER), level=level)
    assert_consistent(a)
    assert a.summary["units"] == (8 if level == 1 else a.units.height)


def test_sample_finds_the_planted_silo_and_bridge():
    """The sample's closed administration is a significant silo; the bridge-builder is not."""
    from analyser.ingest import read_roster
    from analyser.sample import BRIDGE_ADMINISTRATION, SILO_ADMINISTRATION
    from tests.shared_data import SAMPLE_ROSTER

    units = analyse(read_roster(SAMPLE_ROSTER), level=1).units
    verdict = dict(zip(units["unit"], units["silo"]))
    assert verdict[SILO_ADMINISTRATION] is True
    assert verdict[BRIDGE_ADMINISTRATION] is False
    assert sum(verdict.values()) == 1


# -- unit-level route (very large organisations) -------------------------------------------------


def _synthetic(people: int = 1000, projects: int = 200) -> Roster:
    from analyser.sample import generate_roster

    return Roster.from_frame(generate_roster(people=people, projects=projects, seed=3))


def test_unit_level_route_gives_the_full_routes_unit_figures():
    """Forced by a low limit, the blockwise route reproduces the full route's unit table, links and summary."""
    roster = _synthetic()
    full = analyse(roster, n_permutations=19)
    unit = analyse(roster, n_permutations=19, person_level_max_pairs=100)
    assert full.meta["methods"]["route"] == "full" and unit.meta["methods"]["route"] == "unit level only"
    tested = ("ei_z", "ei_p", "ei_expected_perm", "ei_q", "verdict", "silo")  # the permutation test's
    shared = [c for c in full.units.columns if c not in tested]
    assert_frame_equal(unit.units.select(shared), full.units.select(shared), check_exact=False)
    for column in tested:
        assert unit.units[column].null_count() == unit.units.height, column
    link_columns = list(UNIT_LINK_COLUMNS)
    assert_frame_equal(unit.unit_links.select(link_columns), full.unit_links.select(link_columns), check_exact=False)
    for key in ("people", "ties", "cross_unit_ties", "ei_index", "ei_expected", "modularity", "assortativity",
                "components", "largest_component_share", "cross_unit_project_share", "team_projects",
                "cross_unit_team_project_share"):
        assert unit.summary[key] == pytest.approx(full.summary[key]), key
    assert unit.summary["communities"] is None and unit.summary["significant_silos"] is None
    assert unit.summary["units_judged"] is None and unit.summary["community_stability"] is None


def test_unit_level_route_states_every_skipped_figure():
    """The people table is empty (contract columns kept) and meta['skipped'] gives each figure and why."""
    a = analyse(_synthetic(300, 60), person_level_max_pairs=10)
    assert a.people.height == 0 and tuple(a.people.columns[: len(PEOPLE_COLUMNS)]) == PEOPLE_COLUMNS
    skipped = {s["metric"].split(" (")[0]: s["reason"] for s in a.meta["skipped"]}
    assert "person-level metrics" in skipped and "300 people" in skipped["person-level metrics"]
    assert any("ei_z" in m for m in skipped) and any("communities" in m for m in skipped)
    assert a.meta["methods"]["betweenness"].startswith("skipped")
    assert analyse(_synthetic(300, 60)).meta["skipped"] == []


def test_unit_level_route_in_aggregate_privacy_mode():
    """The unit-level route works with suppression and pseudonyms (null key people stay null)."""
    a = analyse(_synthetic(300, 60), person_level_max_pairs=10, privacy="pseudonyms", min_group_size=20)
    assert a.unit_links["key_people"].null_count() == a.unit_links.height
    assert a.units["suppressed"].any()


def test_person_figures_on_a_second_thread_change_nothing(monkeypatch):
    """The analysis is the same whether the person figures run beside the rest or after it."""
    import analyser.analysis as analysis_module

    roster = _synthetic(people=600, projects=120)
    beside = analyse(roster, n_permutations=49)
    monkeypatch.setattr(analysis_module, "PARALLEL_MAX_PAIRS", -1)
    after = analyse(roster, n_permutations=49)
    for name in ("units", "people", "projects", "unit_links"):
        assert_frame_equal(getattr(beside, name), getattr(after, name))
    assert beside.summary == after.summary
    assert beside.people.height == 600 and beside.people["betweenness"].null_count() < 600


# -- answers that hold up: verdicts, team projects, communities (issue 9) ---------------------


def _roster_with_singletons() -> Roster:
    """Two 6-person units on their own team projects, a 2-person unit, and 30 one-person projects."""
    rows = []
    for unit in ("A", "B"):
        people = [f"{unit}{i}" for i in range(6)]
        for j in range(4):
            rows += [(f"{unit}-P{j}", p, unit) for p in people[j : j + 3]]
    rows += [("AB-1", "A0", "A"), ("AB-1", "B0", "B")]
    rows += [("C-1", "C0", "C"), ("C-1", "C1", "C")]
    rows += [(f"solo-{i}", f"S{i}", "A" if i % 2 else "B") for i in range(30)]
    return Roster.from_rows(rows)


def test_team_projects_leave_out_one_person_projects():
    """The share of projects crossing units is taken over projects with two or more people."""
    a = analyse(_roster_with_singletons(), n_permutations=99)
    s = a.summary
    assert s["projects"] == 10 + 30 and s["team_projects"] == 10
    assert s["cross_unit_team_project_share"] == pytest.approx(1 / 10)
    assert s["cross_unit_project_share"] == pytest.approx(1 / 40)


def test_small_units_get_too_little_data_not_a_silo():
    """A 2-person unit sharing one project is not judged; judged units carry q, the rest none."""
    a = analyse(_roster_with_singletons(), n_permutations=99)
    c = a.units.filter(pl.col("unit") == "C").row(0, named=True)
    assert c["verdict"] == "too_little_data" and c["silo"] is False and c["ei_q"] is None
    judged = a.units.filter(pl.col("verdict") != "too_little_data")
    assert a.summary["units_judged"] == judged.height == 2 and judged["ei_q"].null_count() == 0
    assert a.summary["significant_silos"] == int(a.units["silo"].sum())
    assert (a.units["silo"] == (a.units["verdict"] == "silo")).all()
    assert a.meta["options"]["min_silo_projects"] == 3
    # asking for more evidence than any unit has: nobody is judged
    strict = analyse(_roster_with_singletons(), n_permutations=99, min_silo_projects=50)
    assert strict.summary["units_judged"] == 0 and set(strict.units["verdict"]) == {"too_little_data"}


def test_withheld_units_keep_their_verdict(tiny_roster):
    """In pseudonym mode a withheld unit's verdict says 'too little data' (it never was judged)."""
    a = analyse(tiny_roster, privacy="pseudonyms", min_group_size=5, n_permutations=19)
    hidden = a.units.filter("suppressed")
    assert hidden.height and set(hidden["verdict"]) == {"too_little_data"} and not hidden["silo"].any()


def test_communities_count_groups_of_two_or_more_and_nmi_over_tied_people():
    """Thirty isolated people are not thirty communities, and do not lift the match with units."""
    a = analyse(_roster_with_singletons(), n_permutations=19)
    labels = a.people["community"].to_numpy()
    sizes = np.bincount(labels)
    assert a.summary["communities"] == int(np.sum(sizes >= 2)) < len(np.unique(labels))
    tied = a.people["collaborators"].to_numpy() > 0
    from analyser.metrics.structure import normalized_mutual_information

    units = a.people["unit"].to_numpy()
    assert a.summary["community_unit_nmi"] == pytest.approx(normalized_mutual_information(labels[tied], units[tied]))
    assert 0 < a.summary["community_stability"] <= 1 and a.meta["methods"]["community_stability_runs"] == 5


def test_analysis_is_reproducible_run_after_run():
    """Five analyses of one roster in one process: identical tables and summary (communities included)."""
    roster = _synthetic(people=600, projects=120)
    first = analyse(roster, n_permutations=49)
    for _ in range(4):
        again = analyse(roster, n_permutations=49)
        assert_frame_equal(again.people, first.people)
        assert_frame_equal(again.units, first.units)
        assert again.summary == first.summary


def test_cross_unit_betweenness_ranks_bridges():
    """The top person by cross-unit betweenness reaches another unit, and the column sits in the contract."""
    a = analyse(_synthetic(people=300, projects=60), n_permutations=19)
    people = a.people.sort("cross_unit_betweenness", descending=True, nulls_last=True)
    assert people["units_reached"][0] >= 1
    assert tuple(a.people.columns[: len(PEOPLE_COLUMNS)]) == PEOPLE_COLUMNS


def test_route_is_chosen_by_estimated_memory():
    """One project of 5,200 people (13.5M pairs, about 4.2 GB at person level) is analysed at unit
    level and says why; the L-scale organisation (10.7M pairs) stays within the 4 GB budget."""
    from analyser.analysis import MEMORY_BUDGET_BYTES, PERSON_LEVEL_MAX_PAIRS, estimated_peak_bytes

    assert estimated_peak_bytes(10_700_000) < MEMORY_BUDGET_BYTES < estimated_peak_bytes(PERSON_LEVEL_MAX_PAIRS + 1_000)
    rows = [("BIG", f"p{i}", f"U{i % 20}") for i in range(5200)]
    rows += [(f"S{j}", f"q{j}_{k}", f"U{k}") for j in range(5) for k in range(4)]
    a = analyse(Roster.from_rows(rows), n_permutations=19)
    assert a.meta["methods"]["route"] == "unit level only"
    assert "GB" in a.meta["methods"]["route_reason"] and a.people.height == 0


@pytest.mark.parametrize("privacy", ["pseudonyms", "aggregate"])
def test_data_check_shows_no_names_outside_names_mode(privacy, tmp_path):
    """'Lena Holm' is listed under 2 units …: a code in pseudonym mode, counts only in aggregate
    mode, in the analysis' problems and in every export built from them (issue 12, item 4)."""
    from analyser.ingest import read_roster
    from analyser.privacy import pseudonym
    from analyser.report import write_report

    rows = ["project,person,unit", "P1,Lena Holm,A", "P2,Lena Holm,B", "P2,Bo Ek,B", "P1,Bo Ek,A",
            "P3,Åsa Berg,A", "P3,åsa berg,A"]  # fmt: skip
    path = tmp_path / "r.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    roster = read_roster(path)
    assert any("Lena Holm" in p.message for p in roster.problems)  # the check does name her
    a = analyse(roster, privacy=privacy, n_permutations=19, salt=b"s")
    text = "\n".join(str(p) for p in a.problems)
    for name in ("Lena Holm", "Åsa Berg", "åsa berg"):
        assert name not in text
    if privacy == "pseudonyms":
        assert pseudonym("Lena Holm", b"s") in text
    else:
        assert "a person" in text and all(p.line is None for p in a.problems)
    for suffix in (".json", ".html"):
        assert "Lena Holm" not in write_report(a, tmp_path / f"report{suffix}").read_text(encoding="utf-8")
    import zipfile

    with zipfile.ZipFile(write_report(a, tmp_path / "report.xlsx")) as book:  # compressed: read each part
        assert not any("Lena Holm" in book.read(n).decode("utf-8", "replace") for n in book.namelist())
