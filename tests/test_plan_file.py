"""Tests of analyser.ingest.plan: plan files read like rosters (dialects, encodings, Swedish headers, .xlsx)."""

from __future__ import annotations

import io
import json

import pytest
import xlsxwriter

from analyser.ingest.plan import read_plan_bytes, read_plan_file
from analyser.roster import InputError, Roster
from analyser.whatif import apply_plan, read_plan


def _plans(data: bytes, name: str = "plan.csv") -> list[tuple[str, tuple[str, ...], dict[str, int]]]:
    plans, _warnings = read_plan_bytes(data, name)
    return [(p.name, p.people, dict(p.units)) for p in plans]


EXPECTED = [("Trygg hemgång", ("Åsa Öberg",), {"Hemtjänst": 2}), ("Ny simhall", (), {"Fritid": 1})]


def test_swedish_excel_export_cp1252_semicolon_issue13():
    """A ';'-separated Windows-1252 file with Swedish headers (as Excel saves it) is read, with the
    encoding noted as a warning."""
    text = "Projekt;Namn;Enhet;Antal\r\nTrygg hemgång;Åsa Öberg;;\r\nTrygg hemgång;;Hemtjänst;2\r\nNy simhall;;Fritid;1\r\n"
    plans, warnings = read_plan_bytes(text.encode("cp1252"), "plan.csv")
    assert [(p.name, p.people, dict(p.units)) for p in plans] == EXPECTED
    assert [w.key for w in warnings] == ["datacheck.not_utf8"]


@pytest.mark.parametrize(
    "text",
    [
        "project,person,unit,count\nTrygg hemgång,Åsa Öberg,,\nTrygg hemgång,,Hemtjänst,2\nNy simhall,,Fritid,1\n",
        "Uppdrag\tMedarbetare\tAvdelning\tAntal personer\nTrygg hemgång\tÅsa Öberg\t\t\n"
        "Trygg hemgång\t\tHemtjänst\t2\nNy simhall\t\tFritid\t1\n",
        "sep=|\nProjektnamn|E-post|Förvaltning|Antal\nTrygg hemgång|Åsa Öberg||\nTrygg hemgång||Hemtjänst|2\n"
        "Ny simhall||Fritid|1\n",
        "Planerade projekt 2027\n\nProjekt;Namn;Enhet;Antal\nTrygg hemgång;Åsa Öberg;;\n\nTrygg hemgång;;Hemtjänst;2\n"
        "Ny simhall;;Fritid;1\n",
    ],
    ids=["comma", "tab-synonyms", "sep-line-pipe", "title-rows-blank-rows"],
)
def test_dialects_and_header_synonyms(text):
    """Every delimiter and header spelling a roster may use works in a plan file too."""
    assert _plans(text.encode("utf-8")) == EXPECTED


def test_workbook_plan():
    """An .xlsx plan is read from its first sheet, counts stored as numbers included."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Plan")
    for r, row in enumerate([["Projekt", "Namn", "Enhet", "Antal"], ["Trygg hemgång", "Åsa Öberg", None, None],
                             ["Trygg hemgång", None, "Hemtjänst", 2], ["Ny simhall", None, "Fritid", 1]]):  # fmt: skip
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value)
    book.close()
    assert _plans(buffer.getvalue(), "plan.xlsx") == EXPECTED


def test_every_bad_row_is_named_with_file_line_and_column():
    """All row errors are reported at once, each as FILE:LINE: column: message, at its physical line."""
    text = 'project,unit,count\nA,X,2\n,X,1\nB,X,two\nC,,\n"D\nE",X,0\n'
    with pytest.raises(InputError) as info:
        read_plan_bytes(text.encode(), "plan.csv")
    assert [str(p) for p in info.value.problems] == [
        "plan.csv:3: project: the project name is empty",
        "plan.csv:4: count: 'two' is not a whole number of people",
        "plan.csv:5: the row names neither a person nor a unit",
        "plan.csv:6: count: the count must be 1 or more, got 0",
    ]
    assert [p.describe("sv") for p in info.value.problems][:2] == [
        "plan.csv:3: projekt: projektnamnet är tomt",
        "plan.csv:4: antal: 'two' är inget helt antal personer",
    ]


def test_header_without_plan_columns_points_at_the_header_line():
    """A header below title rows that names no plan columns is an error at its own line."""
    with pytest.raises(InputError, match=r"^plan.csv:1: the header must be project,person or project,unit,count; "
                                         r"found Projekt,Vem$"):  # fmt: skip
        read_plan_bytes("Projekt;Vem\nNytt;Åsa\n".encode(), "plan.csv")


def test_unreadable_plans_are_input_errors(tmp_path):
    """A binary file, a missing file and a file without projects are InputErrors (exit 1 on the command line)."""
    with pytest.raises(InputError, match="this is not a text"):
        read_plan_bytes(b"\x89PNG\r\n\x1a\n\x00\x00", "plan.csv")
    with pytest.raises(InputError, match="file not found"):
        read_plan_file(tmp_path / "missing.csv")
    with pytest.raises(InputError, match="lists no projects"):
        read_plan_bytes(b"project;person\n;\n", "plan.csv")


def test_json_plans_keep_working_and_may_be_cp1252(tmp_path):
    """JSON plans read as before; their text is decoded like any other file."""
    data = {"projects": [{"name": "Trygg hemgång", "people": ["Åsa Öberg"], "units": {"Hemtjänst": 2}},
                         {"name": "Ny simhall", "units": {"Fritid": 1}}]}  # fmt: skip
    assert _plans(json.dumps(data, ensure_ascii=False).encode("cp1252"), "plan.json") == EXPECTED
    with pytest.raises(InputError, match=r"^plan.json: projects\[0\].units: the count for 'A' must be a whole number"):
        read_plan_bytes(b'{"projects": [{"name": "X", "units": {"A": 1.5}}]}', "plan.json")


def test_plan_problems_against_the_roster_in_swedish(tmp_path):
    """An unknown person in a semicolon cp1252 plan is named at its plan line, in both languages."""
    roster = Roster.from_rows([("P1", "Åsa Öberg", "Hemtjänst"), ("P1", "Per Ek", "Fritid")], source="r.csv")
    plan = tmp_path / "plan.csv"
    plan.write_bytes("Projekt;Namn\nNytt;Åsa Öberg\nNytt;Åsa Oberg\n".encode("cp1252"))
    with pytest.raises(InputError) as info:
        apply_plan(roster, read_plan(plan))
    (problem,) = info.value.problems
    assert str(problem) == "plan.csv:3: person: person 'Åsa Oberg' is not in the roster r.csv; did you mean 'Åsa Öberg'?"
    assert problem.describe("sv") == (
        "plan.csv:3: person: personen 'Åsa Oberg' finns inte i projektlistan r.csv; menade du 'Åsa Öberg'?"
    )
