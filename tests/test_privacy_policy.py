"""Tests of analyser.privacy.PrivacyPolicy: one privacy policy decides, everything else asks it (issue 13, item 1).

The tiny roster (tests/conftest.py) has units A (ann, bob, cid), B (dan, eva), C (fay) and
D (gus). With a minimum group of 2, C and D are small (primary) and B, the smallest other
unit, is withheld with them (secondary), so that no withheld figure follows by subtraction.
"""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl
import pytest

from analyser.analysis import analyse
from analyser.departures import departures
from analyser.ingest import read_roster
from analyser.network import build_network
from analyser.privacy import (
    PRIVACY_MODES,
    SMALL_UNIT_LABEL,
    WITHHELD_GROUP,
    PrivacyPolicy,
    content_salt,
    pseudonym,
)
from analyser.roster import Problem, Roster
from analyser.suggestions import bridge_candidates
from analyser.whatif import NOTE_WITHHELD_COMPLEMENTARY, Plan, whatif
from dashboard.selection import network_withheld_units

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample_rosters.csv"
NAMES = ["ann", "bob", "cid", "dan", "eva", "fay", "gus"]


def _sizes(net) -> pl.DataFrame:
    return pl.DataFrame({"unit": list(net.units), "people": net.unit_size.astype("int64")})


# -- the policy's decisions, per mode ------------------------------------------------------------


@pytest.mark.parametrize("mode", PRIVACY_MODES)
def test_people_are_shown_as_the_mode_allows(mode):
    """names: as they are; pseudonyms: the salted code; aggregate: nobody (None / nulls / no lookup)."""
    policy = PrivacyPolicy(mode, salt=b"s")
    expected = {"names": "ann", "pseudonyms": pseudonym("ann", b"s"), "aggregate": None}[mode]
    assert policy.person("ann") == expected
    assert policy.people(["ann", "bob"]).to_list() == [expected, policy.person("bob")]
    assert policy.shows_people is (mode != "aggregate") and policy.shows_names is (mode == "names")
    lookup = policy.names_by_shown(NAMES)
    assert lookup == ({} if mode == "aggregate" else {policy.person(n): n for n in NAMES})


@pytest.mark.parametrize(("mode", "min_group_size", "expected"), [
    ("names", 2, ([], [])),
    ("pseudonyms", 2, (["C", "D"], ["B"])),  # two small units: the smallest other joins them
    ("aggregate", 2, (["C", "D"], ["B"])),
    ("pseudonyms", 3, (["B", "C", "D"], [])),  # three small units need no complement
    ("pseudonyms", 1, ([], [])),
])  # fmt: skip
def test_withheld_units_per_mode(tiny_roster, mode, min_group_size, expected):
    """Primary and secondary units, from a units table or straight from the network: the same answer."""
    net = build_network(tiny_roster)
    policy = PrivacyPolicy(mode, min_group_size)
    assert policy.withheld(_sizes(net)) == expected
    assert policy.withheld(net) == expected
    assert policy.withheld_set(net) == frozenset(expected[0]) | frozenset(expected[1])


def test_units_table_keeps_name_head_count_and_primary_verdict():
    """Withheld units keep name and head-count; the primary one keeps its verdict, the secondary not."""
    units = pl.DataFrame({
        "unit": ["A", "B", "C", "D"], "people": [9, 2, 12, 6], "ei_index": [-0.5, 1.0, 0.1, 0.2],
        "verdict": ["silo", "too_little_data", "not_silo", "not_silo"], "suppressed": [False] * 4,
    })  # fmt: skip
    shown = PrivacyPolicy("pseudonyms", 5).units_table(units)
    rows = {r["unit"]: r for r in shown.iter_rows(named=True)}
    assert [u for u, r in rows.items() if r["suppressed"]] == ["A", "B", "D"]
    assert rows["B"]["verdict"] == "too_little_data" and rows["A"]["verdict"] is None and rows["D"]["verdict"] is None
    assert rows["A"]["people"] == 9 and rows["A"]["ei_index"] is None and rows["C"]["ei_index"] == 0.1
    assert PrivacyPolicy("names", 5).units_table(units) is units


@pytest.mark.parametrize("mode", PRIVACY_MODES)
def test_unit_links_and_people_tables(mode):
    """Links with a withheld unit go; key people become codes or null; people of withheld units go."""
    links = pl.DataFrame({"unit_a": ["A", "A"], "unit_b": ["B", "C"], "ties": [3, 1], "key_people": ["bob; ann", None]})
    people = pl.DataFrame({"person": ["ann", "bob", "fay"], "unit": ["A", "B", "C"]})
    policy = PrivacyPolicy(mode, salt=b"s")
    withheld = {"C"} if policy.withholds_units else set()
    shown_links = policy.unit_links(links, withheld)
    shown_people = policy.people_table(people, withheld)
    if mode == "names":
        assert shown_links.equals(links) and shown_people.equals(people)
    elif mode == "pseudonyms":
        assert shown_links["key_people"].to_list() == ["; ".join(sorted([pseudonym("ann", b"s"), pseudonym("bob", b"s")]))]
        assert shown_people["person"].to_list() == sorted([pseudonym("ann", b"s"), pseudonym("bob", b"s")])
    else:
        assert shown_links["key_people"].to_list() == [None] and shown_people.is_empty()
        assert shown_people.columns == people.columns
    assert mode == "names" or shown_links.select("unit_a", "unit_b").rows() == [("A", "B")]


def test_pairs_labels_counts_and_figures():
    """The small helpers every module uses: pair lists, the unit label, counts per unit, nulled figures."""
    policy = PrivacyPolicy("aggregate")
    assert policy.unit_pairs({("C", "D"), ("A", "C"), ("A", "B")}, {"C"}) == (("A", "B"),)
    assert policy.unit_label("C", {"C"}) == SMALL_UNIT_LABEL and policy.unit_label("A", {"C"}) == "A"
    assert policy.counts_by_unit(["A", "C", "D"], {"C", "D"}) == [
        {"unit": WITHHELD_GROUP, "people": 2}, {"unit": "A", "people": 1}
    ]
    table = pl.DataFrame({"unit": ["A", "C"], "people": [4, 1], "ei": [0.5, -1.0]})
    assert policy.hide_units(table, {"C"}, ["ei"]).rows() == [("A", 4, 0.5), ("C", 1, None)]


def test_data_check_is_delegated_and_the_note_states_the_rule():
    """data_check hands the problems to private_problems; the report note lists both kinds of unit."""
    problem = Problem("r.csv", 4, "unit", "'Lena Holm' is listed under 2 units: 'A', 'B'")
    names = PrivacyPolicy("names").data_check([problem], ["Lena Holm"])
    assert names == (problem,)
    coded = PrivacyPolicy("pseudonyms", salt=b"s").data_check([problem], ["Lena Holm"])
    assert pseudonym("Lena Holm", b"s") in coded[0].message and "Lena Holm" not in coded[0].message
    counted = PrivacyPolicy("aggregate").data_check([problem, problem], ["Lena Holm"])
    assert len(counted) == 1 and "Lena Holm" not in str(counted[0])
    units = pl.DataFrame({"unit": ["A", "B", "C", "D"], "people": [9, 2, 12, 6]})
    note = PrivacyPolicy("pseudonyms", 5).withheld_note(units)
    assert note["small"] == ["B"] and note["complementary"] == ["D", "A"] and "fewer than 5 people" in note["rule"]
    assert PrivacyPolicy("names", 5).withheld_note(units) is None


def test_bad_mode_and_missing_salt_are_refused():
    """An unknown mode is refused at once; pseudonyms without a salt refuse to make codes."""
    with pytest.raises(ValueError, match="privacy must be one of"):
        PrivacyPolicy("anonymous")
    with pytest.raises(ValueError, match="salt"):
        PrivacyPolicy("pseudonyms").person("ann")
    assert PrivacyPolicy("aggregate").person("ann") is None  # no salt needed to show nobody


def test_the_report_salt_is_the_content_salt(tiny_roster):
    """for_roster uses content_salt: the analysis' codes are the policy's codes, whatever the row order."""
    shuffled = Roster.from_frame(tiny_roster.memberships.reverse())
    assert content_salt(shuffled) == content_salt(tiny_roster)
    policy = PrivacyPolicy.for_roster(tiny_roster, "pseudonyms", 1)
    assert policy.salt == content_salt(tiny_roster)
    a = analyse(tiny_roster, privacy="pseudonyms", min_group_size=1, n_permutations=9)
    assert sorted(a.people["person"]) == sorted(policy.people(NAMES))
    assert PrivacyPolicy.for_roster(tiny_roster, "names").salt is None  # only the mode that shows codes needs it


# -- every module asks the policy: one rule ------------------------------------------------------


def test_every_module_withholds_the_same_units():
    """Sample at level 2, minimum group 8: one small unit and two withheld with it. The analysis,
    the what-if, the departures, the bridge candidates and the person maps all withhold those three."""
    roster = read_roster(SAMPLE)
    policy = PrivacyPolicy("pseudonyms", 8)
    net = build_network(roster, level=2)
    small, complementary = policy.withheld(net)
    expected = set(small) | set(complementary)
    assert len(small) == 1 and len(complementary) == 2
    a = analyse(roster, level=2, privacy="pseudonyms", min_group_size=8, n_permutations=9)
    assert set(a.units.filter("suppressed")["unit"]) == expected
    people = sorted(roster.memberships["person"].unique())
    result = whatif(roster, [Plan("New", people=tuple(people[:2]))], level=2, privacy="pseudonyms", min_group_size=8)
    assert set(result.units.filter(pl.col("ei_before").is_null())["unit"]) == expected
    assert not any(set(p) & expected for p in result.unit_pairs_covered_new + result.key_person_pairs_new)
    assert result.has_note(NOTE_WITHHELD_COMPLEMENTARY)
    d = departures(roster, people[:3], level=2, privacy="pseudonyms", min_group_size=8)
    assert set(d.units.filter(pl.col("ei_before").is_null() & pl.col("partner_units_before").is_null())["unit"]) == expected
    assert network_withheld_units(net, "pseudonyms", 8) == expected
    candidates = bridge_candidates(net, [(u, "Kommunledningskontoret/HR") for u in expected], privacy="pseudonyms",
                                   min_group_size=8, salt=b"s")  # fmt: skip
    assert candidates.is_empty()


#: Calls and comparisons that decide privacy: allowed in analyser/privacy.py only.
RULES = {
    "pseudonym call": r"\bpseudonymi[sz]e?\(|\bpseudonym\(",
    "withholding call": r"\bwithheld_units\(|\bsuppress_small_(?:units|links)\(|\bprivate_problems\(",
    "private content salt": r"\b_content_salt\b",
    "size compared with min_group_size": r"[<>]=?\s*(?:\w+\.)*min_group_size\b|\bmin_group_size\s*[<>]",
    "people compared with a size": r"""["']people["']\)\s*[<>]""",
}


def rule_breaks(text: str) -> list[str]:
    """Names of the :data:`RULES` that ``text`` breaks."""
    return [name for name, pattern in RULES.items() if re.search(pattern, text)]


def test_privacy_rules_live_in_privacy_py_only():
    """No module but analyser/privacy.py makes codes, picks withheld units or compares sizes with the
    minimum group: they ask the PrivacyPolicy, so the rule stays in one place."""
    found = {}
    for path in sorted([*(ROOT / "analyser").rglob("*.py"), *(ROOT / "dashboard").rglob("*.py")]):
        if path == ROOT / "analyser" / "privacy.py":
            continue
        broken = rule_breaks(path.read_text(encoding="utf-8"))
        if broken:
            found[str(path.relative_to(ROOT))] = broken
    assert found == {}


@pytest.mark.parametrize("line", [
    'code = pseudonym(name, salt)',
    'names = pseudonymise(series, salt)',
    'primary, secondary = withheld_units(table, 5)',
    'salt = _content_salt(roster)',
    'small = units.filter(pl.col("people") < min_group_size)',
    'if n < settings.min_group_size:',
    'small = units.filter(pl.col("people") < 5)',
])  # fmt: skip
def test_the_rule_check_can_fail(line):
    """Each kind of privacy decision outside privacy.py is caught."""
    assert rule_breaks(line)


def test_the_rule_check_lets_askers_pass():
    """Asking the policy, or passing the size on, is no rule of one's own."""
    assert rule_breaks("policy = PrivacyPolicy(mode, min_group_size=settings.min_group_size)") == []
    assert rule_breaks("withheld = network_withheld_units(net, privacy, min_group_size)") == []
