"""Tests of the `analyser trends` and `analyser whatif` verbs: JSON contract, exit codes, messages."""

from __future__ import annotations

import json

import pytest
from tests.shared_data import SAMPLE_ROSTER

from analyser.analysis import SUMMARY_FIELDS, UNIT_COLUMNS
from analyser.changes import CHANGE_KEYS
from analyser.cli import EXIT_INVALID_INPUT, EXIT_OK, EXIT_USAGE, main
from analyser.sample import OPENING_ADMINISTRATION
from analyser.whatif import FIGURES


@pytest.fixture(scope="module")
def yearly(tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("trends") / "trends.json"
    assert main(["trends", str(SAMPLE_ROSTER), "--period", "year", "--level", "1", "--out", str(out)]) == EXIT_OK
    return json.loads(out.read_text("utf-8"))


def test_trends_json_contract(yearly):
    """periods hold {period, start, end, summary, units} with report names; changes hold the change keys."""
    assert list(yearly)[:3] == ["meta", "periods", "changes"]
    assert [p["period"] for p in yearly["periods"]] == ["2025", "2026"]
    first = yearly["periods"][0]
    assert list(first) == ["period", "start", "end", "summary", "units"]
    assert (first["start"], first["end"]) == ("2025-01-01", "2025-12-31")
    assert tuple(first["summary"])[: len(SUMMARY_FIELDS)] == SUMMARY_FIELDS
    assert tuple(first["units"][0])[: len(UNIT_COLUMNS)] == UNIT_COLUMNS
    assert len(yearly["changes"]) == 1 and tuple(yearly["changes"][0]) == CHANGE_KEYS
    change = yearly["changes"][0]
    assert (change["from"], change["to"]) == ("2025", "2026")
    assert all(isinstance(p, list) and len(p) == 2 for p in change["unit_pairs_started"] + change["unit_pairs_stopped"])
    assert yearly["meta"]["period"] == "year" and yearly["meta"]["methods"]["ei_permutations"] == 199


def test_trends_sample_opening_rises(yearly):
    """Socialförvaltningen's E-I rises from 2025 to 2026 and the change report calls it significant."""
    ei = [next(u["ei_index"] for u in p["units"] if u["unit"] == OPENING_ADMINISTRATION) for p in yearly["periods"]]
    assert ei[1] > ei[0] + 0.5
    move = next(m for m in yearly["changes"][0]["ei_moves"] if m["unit"] == OPENING_ADMINISTRATION)
    assert move["significant"] and move["change"] == pytest.approx(ei[1] - ei[0])


def test_trends_aggregate_has_no_people(tmp_path):
    """In aggregate mode sole bridge entries carry no person."""
    out = tmp_path / "t.json"
    assert main(["trends", str(SAMPLE_ROSTER), "--period", "half", "--level", "1", "--privacy", "aggregate", "--out", str(out)]) == EXIT_OK
    data = json.loads(out.read_text("utf-8"))
    assert len(data["periods"]) == 4 and len(data["changes"]) == 3
    entries = [s for c in data["changes"] for s in c["sole_bridges_new"] + c["sole_bridges_lost"]]
    assert entries and all(set(s) == {"unit_a", "unit_b"} for s in entries)


def test_trends_errors(tmp_path, capsys):
    """No dates is invalid input (1); a wrong period or a non-JSON --out is a usage error (2)."""
    undated = tmp_path / "undated.csv"
    undated.write_text("project,person,unit\nP1,ann,A\nP1,bob,B\n", encoding="utf-8")
    assert main(["trends", str(undated), "--out", str(tmp_path / "t.json")]) == EXIT_INVALID_INPUT
    assert "undated.csv: start: no membership has a start or end date" in capsys.readouterr().err
    assert main(["trends", str(SAMPLE_ROSTER), "--period", "week", "--out", str(tmp_path / "t.json")]) == EXIT_USAGE
    assert main(["trends", str(SAMPLE_ROSTER), "--out", str(tmp_path / "t.html")]) == EXIT_USAGE


def test_whatif_json_contract(tmp_path):
    """`whatif` writes before/after/change figures and the unit table; the roster file is unchanged."""
    plan = tmp_path / "plan.csv"
    plan.write_text("project,unit,count\nNytt,Tekniska förvaltningen,2\nNytt,Kultur- och fritidsförvaltningen,2\n", encoding="utf-8")
    roster_bytes = SAMPLE_ROSTER.read_bytes()
    out = tmp_path / "w.json"
    assert main(["whatif", str(SAMPLE_ROSTER), str(plan), "--level", "1", "--out", str(out)]) == EXIT_OK
    data = json.loads(out.read_text("utf-8"))
    assert {"plans", "before", "after", "change", "units"} <= set(data)
    assert all(set(FIGURES) <= set(data[side]) for side in ("before", "after", "change"))
    assert data["change"]["unit_pairs_covered"] == 1
    assert ["Kultur- och fritidsförvaltningen", "Tekniska förvaltningen"] in data["unit_pairs_covered_new"]
    assert list(data["units"][0]) == ["unit", "people_before", "people_after", "ei_before", "ei_after", "change"]
    assert SAMPLE_ROSTER.read_bytes() == roster_bytes


def test_whatif_unknown_person_exit_1(tmp_path, capsys):
    """A plan naming someone not in the roster exits 1 with the plan's file and line."""
    plan = tmp_path / "plan.csv"
    plan.write_text("project,person\nNytt,Nobody Atall\n", encoding="utf-8")
    assert main(["whatif", str(SAMPLE_ROSTER), str(plan), "--out", str(tmp_path / "w.json")]) == EXIT_INVALID_INPUT
    assert "plan.csv:2: person: person 'Nobody Atall' is not in the roster" in capsys.readouterr().err
    assert main(["whatif", str(SAMPLE_ROSTER), str(tmp_path / "missing.csv"), "--out", str(tmp_path / "w.json")]) == EXIT_INVALID_INPUT
    assert main(["whatif", str(SAMPLE_ROSTER), "--out", str(tmp_path / "w.json")]) == EXIT_USAGE  # plan missing


def test_trends_pass_min_silo_projects(tmp_path):
    """`trends --min-silo-projects` reaches every period's analysis; `whatif` (no verdicts) does not take it."""
    out = tmp_path / "t.json"
    args = ["trends", str(SAMPLE_ROSTER), "--period", "year", "--level", "2", "--min-silo-projects", "40", "--out", str(out)]
    assert main(args) == EXIT_OK
    data = json.loads(out.read_text("utf-8"))
    assert data["meta"]["options"]["min_silo_projects"] == 40
    assert all(p["summary"]["units_judged"] == 0 for p in data["periods"])  # no unit has members in 40 projects
    plan = tmp_path / "plan.csv"
    plan.write_text("project,unit,count\nNy,Socialförvaltningen,2\n", encoding="utf-8")
    assert main(["whatif", str(SAMPLE_ROSTER), str(plan), "--min-silo-projects", "2", "--out", str(tmp_path / "w.json")]) == EXIT_USAGE
