"""Tests for analyser.ingest: reading roster files into a validated Roster."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import textwrap
import zipfile
from pathlib import Path

import polars as pl
import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analyser.ingest import (
    DATE_FORMATS,
    HEADER_SYNONYMS,
    MAX_COLUMNS,
    MAX_PROBLEMS_PER_KIND,
    detect_columns,
    parse_column_mapping,
    read_roster,
    read_roster_bytes,
)
from analyser.ingest import xlsx_guard
from analyser.roster import ROSTER_SCHEMA, Roster, RosterError
from tests.shared_data import REAL_ROSTERS, require_shared

DATA = Path(__file__).resolve().parent / "data" / "ingest"


def write(tmp_path: Path, text: str, name: str = "roster.csv", encoding: str = "utf-8") -> Path:
    """Write dedented ``text`` to ``tmp_path/name`` exactly (no newline translation)."""
    path = tmp_path / name
    path.write_bytes(textwrap.dedent(text).encode(encoding))
    return path


def rows(roster: Roster, *columns: str) -> list[tuple]:
    return roster.memberships.select(columns or ("project", "person", "unit", "line")).rows()


def messages(roster: Roster) -> list[str]:
    return [str(p) for p in roster.problems]


def error_messages(exc: pytest.ExceptionInfo[RosterError]) -> list[str]:
    return [str(p) for p in exc.value.problems]


# -- formats: delimiter, quoting, line numbers ---------------------------------------------


def test_comma_csv_rows_and_line_numbers(tmp_path):
    """A plain comma file gives one membership per row, numbered from line 2."""
    path = write(tmp_path, """\
        project,person,unit
        P1,ann,A
        P1,bob,B
        """)
    roster = read_roster(path)
    assert rows(roster) == [("P1", "ann", "A", 2), ("P1", "bob", "B", 3)]
    assert roster.source == "roster.csv"
    assert roster.problems == ()


def test_semicolon_file_with_commas_inside_names(tmp_path):
    """Semicolon data whose names contain commas is split on the semicolons."""
    path = write(tmp_path, """\
        Projekt;Namn;Enhet
        P1;Berg, Anna;HR
        P1;Ek, Bo;IT
        """)
    assert rows(read_roster(path)) == [("P1", "Berg, Anna", "HR", 2), ("P1", "Ek, Bo", "IT", 3)]


def test_tab_separated_file(tmp_path):
    """Tab-separated text (commas and semicolons in values) is split on tabs."""
    path = write(tmp_path, "project\tperson\tunit\nP;1\tBerg, Anna\tHR\nP;1\tBo\tIT\n")
    assert rows(read_roster(path)) == [("P;1", "Berg, Anna", "HR", 2), ("P;1", "Bo", "IT", 3)]


def test_pipe_separated_file(tmp_path):
    """A vertical-bar separated file is recognised too."""
    path = write(tmp_path, "project|person|unit\nP1|ann|A\nP1|bob|B\n")
    assert rows(read_roster(path)) == [("P1", "ann", "A", 2), ("P1", "bob", "B", 3)]


def test_excel_sep_line_names_the_delimiter(tmp_path):
    """Excel's ``sep=;`` first line sets the delimiter; the header is then line 2."""
    path = write(tmp_path, "sep=;\nproject;person;unit\nP1;Berg, Anna;HR\nP1;Bo;IT\n")
    assert rows(read_roster(path)) == [("P1", "Berg, Anna", "HR", 3), ("P1", "Bo", "IT", 4)]


def test_quoted_newline_keeps_physical_line_numbers(tmp_path):
    """A quoted value spanning lines shifts the numbers of the rows after it."""
    path = write(tmp_path, """\
        project,person,unit
        "Big
        project",ann,A
        P2,"Berg, Anna",B
        P2,bob,
        P2,cid,C
        """)
    roster = read_roster(path)
    assert rows(roster) == [("Big\nproject", "ann", "A", 2), ("P2", "Berg, Anna", "B", 4), ("P2", "cid", "C", 6)]
    assert "roster.csv:5: unit: missing value (row skipped)" in messages(roster)


def test_unclosed_quote_is_reported_where_it_opens(tmp_path):
    """A quote that is never closed swallows the next lines; the warning points at its line."""
    path = write(tmp_path, 'project,person,unit\nP1,ann,A\nP1,"bob,B\nP1,cid,C\n')
    roster = read_roster(path)
    assert rows(roster, "person", "line") == [("ann", 2)]
    found = [p for p in roster.problems if p.line == 3 and p.column is None]
    assert found and "runs to line 4" in found[0].message and "closing quote" in found[0].message


def test_crlf_and_old_mac_line_endings(tmp_path):
    """Windows (CRLF) and old Mac (CR) line ends give the same rows and line numbers."""
    expected = [("P1", "ann", "A", 2), ("P1", "bob", "B", 3)]
    for newline in ("\r\n", "\r"):
        path = tmp_path / f"r{len(newline)}.csv"
        path.write_bytes(newline.join(["project,person,unit", "P1,ann,A", "P1,bob,B", ""]).encode())
        assert rows(read_roster(path)) == expected


def test_spaces_after_delimiter_before_quote(tmp_path):
    """``P1, "Berg, Anna", HR`` is read as three values (space before the quote ignored)."""
    path = write(tmp_path, 'project, person, unit\nP1, "Berg, Anna", HR\nP1, Bo, IT\n')
    assert rows(read_roster(path))[0] == ("P1", "Berg, Anna", "HR", 2)


# -- encodings -----------------------------------------------------------------------------


def test_utf8_bom_header_is_recognised(tmp_path):
    """A UTF-8 byte order mark before the header does not hide the first column."""
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbfProjekt;Namn;Enhet\r\nP1;\xc3\x85sa;HR\r\nP1;Bo;IT\r\n")
    roster = read_roster(path)
    assert rows(roster) == [("P1", "Åsa", "HR", 2), ("P1", "Bo", "IT", 3)]
    assert roster.problems == ()


def test_swedish_excel_export_cp1252(tmp_path):
    """The checked-in Swedish Excel export (;, cp1252, CRLF) reads with å ä ö intact."""
    roster = read_roster(DATA / "swedish_excel.csv")
    m = roster.memberships
    assert (m.height, m["project"].n_unique(), m["person"].n_unique(), m["unit"].n_unique()) == (15, 5, 9, 8)
    assert rows(roster)[0] == ("Digitalisering äldreomsorg", "Åsa Öberg", "Socialförvaltningen/Äldreomsorg", 2)
    assert rows(roster)[-1] == ("Gröna tak på förskolor", "Pär Nordström", "Stadsbyggnadskontoret/Bygglov", 16)
    assert len(roster.problems) == 1
    assert "not UTF-8" in roster.problems[0].message and "cp1252" in roster.problems[0].message


def test_latin1_fallback_for_bytes_undefined_in_cp1252(tmp_path):
    """Bytes that cp1252 leaves undefined (0x81) fall back to Latin-1, with a warning."""
    path = tmp_path / "l1.csv"
    path.write_bytes(b"project,person,unit\nP1,a\x81b,A\nP1,\xe5sa,B\n")
    roster = read_roster(path)
    assert rows(roster, "person") == [("a\x81b",), ("åsa",)]
    assert "Latin-1" in roster.problems[0].message


def test_utf16_with_bom_tab_file(tmp_path):
    """Excel's 'Unicode text' export (UTF-16 with BOM, tabs) is read."""
    path = tmp_path / "u16.txt"
    path.write_bytes("project\tperson\tunit\nP1\tÅsa\tA\nP1\tBo\tB\n".encode("utf-16"))
    assert rows(read_roster(path)) == [("P1", "Åsa", "A", 2), ("P1", "Bo", "B", 3)]


def test_decomposed_letters_are_composed(tmp_path):
    """'Å' typed as 'A' + ring (macOS) is the same person as the composed 'Å'."""
    path = write(tmp_path, "project,person,unit\nP1,A\u030asa,A\nP2,\u00c5sa,A\nP2,Bo,B\nP1,Bo,B\n")
    assert rows(read_roster(path), "person") == [("Åsa",), ("Åsa",), ("Bo",), ("Bo",)]


# -- xlsx and format detection -------------------------------------------------------------


def make_workbook(path: Path) -> Path:
    """A workbook whose first sheet is empty and whose data sheet starts at B3."""
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet("Intro")
    sheet = book.add_worksheet("Roster")
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(2, 1, ["Projekt", "Namn", "Enhet", "Startdatum", "Andel"])
    sheet.write_row(3, 1, ["P1", "Åsa", "Ekonomi / Lön"])
    sheet.write_datetime(3, 4, dt.datetime(2026, 3, 1), date)
    sheet.write_number(3, 5, 0.5)
    sheet.write_row(5, 1, ["P1", "Bo", "HR", "1/3/2026"])  # row 5 (index 4) left blank
    sheet.write_number(5, 5, 50)
    sheet.write_row(6, 1, ["P2", 123, "HR"])
    sheet.write_number(6, 4, 46082)  # Excel serial day number of 2026-03-01
    sheet.write_row(7, 1, ["P2", "", "HR"])
    book.close()
    return path


def test_xlsx_rows_use_excel_row_numbers(tmp_path):
    """An .xlsx file is read from its first non-empty sheet; lines are Excel row numbers."""
    roster = read_roster(make_workbook(tmp_path / "roster.xlsx"))
    assert rows(roster, "project", "person", "unit", "start", "allocation", "line") == [
        ("P1", "Åsa", "Ekonomi/Lön", dt.date(2026, 3, 1), 0.5, 4),
        ("P1", "Bo", "HR", dt.date(2026, 3, 1), 0.5, 6),
        ("P2", "123", "HR", dt.date(2026, 3, 1), None, 7),
    ]
    assert "roster.xlsx:8: person: missing value (row skipped)" in messages(roster)
    assert "roster.xlsx: 1 blank row(s) skipped (line 5)" in messages(roster)


def test_xlsx_written_by_openpyxl(tmp_path):
    """A workbook from another writer (openpyxl, header in A1) gives the same line numbers."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    for row in (["project", "person", "unit"], ["P1", "ann", "A"], ["P1", "bob", "B"]):
        book.active.append(row)
    path = tmp_path / "o.xlsx"
    book.save(path)
    assert rows(read_roster(path)) == [("P1", "ann", "A", 2), ("P1", "bob", "B", 3)]


def test_format_is_detected_by_content_not_suffix(tmp_path):
    """A workbook named .csv is read as a workbook, and text named .xlsx as CSV."""
    book = make_workbook(tmp_path / "book.csv")
    assert len(read_roster(book)) == 3
    text = write(tmp_path, "project,person,unit\nP1,ann,A\nP1,bob,B\n", name="text.xlsx")
    roster = read_roster(text)
    assert len(roster) == 2
    assert "text although named .xlsx" in roster.problems[0].message


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a text (CSV) or Excel"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 50, "old Excel file (.xls)"),
        (b"PK\x03\x04" + b"\x00" * 60, "cannot be read as an Excel workbook"),
        (b"", "the file is empty"),
        (b"\n \n;;\n", "the file is empty"),
    ],
)
def test_unreadable_files_give_a_clear_error(tmp_path, data, words):
    """Binary, old-Excel, broken-zip and empty files fail with a RosterError naming the file."""
    path = tmp_path / "bad.csv"
    path.write_bytes(data)
    with pytest.raises(RosterError) as exc:
        read_roster(path)
    assert words in str(exc.value)
    assert str(exc.value).startswith("bad.csv:")


def test_missing_file_is_a_roster_error(tmp_path):
    """A path that does not exist is reported, not raised as OSError."""
    with pytest.raises(RosterError, match="nope.csv: cannot open the file"):
        read_roster(tmp_path / "nope.csv")


def test_header_only_file_is_an_error(tmp_path):
    """A header without rows is an error saying so."""
    with pytest.raises(RosterError, match="has a header but no rows"):
        read_roster(write(tmp_path, "project,person,unit\n"))


def test_source_overrides_the_name_in_messages(tmp_path):
    """``source`` is the name used in the roster and in every message."""
    roster = read_roster(write(tmp_path, "project,person,unit\nP1,ann,A\nP1,,B\nP1,bob,B\n"), source="upload.csv")
    assert roster.source == "upload.csv"
    assert messages(roster) == ["upload.csv:3: person: missing value (row skipped)"]


def test_read_roster_bytes_matches_read_roster(tmp_path):
    """The bytes entry point (dashboard upload) gives the same roster as the path one."""
    path = DATA / "swedish_excel.csv"
    from_path = read_roster(path)
    from_bytes = read_roster_bytes(path.read_bytes(), "swedish_excel.csv")
    assert from_bytes.memberships.equals(from_path.memberships)
    assert from_bytes.problems == from_path.problems


# -- header matching -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "canonical"),
    [
        ("Projekt", "project"), ("Uppdrag", "project"), ("Initiative", "project"),
        ("project_id", "project"), ("Project name", "project"), ("Projektnamn", "project"),
        ("Namn", "person"), ("Name", "person"), ("Medarbetare", "person"), ("Employee", "person"),
        ("employee_id", "person"), ("E-post", "person"), ("Email", "person"), ("Anställd", "person"),
        ("person_id", "person"), ("Enhet", "unit"), ("Avdelning", "unit"), ("Förvaltning", "unit"),
        ("Department", "unit"), ("Team", "unit"), ("Org", "unit"), ("Organisation", "unit"),
        ("unit_path", "unit"), ("Sektion", "unit"), ("Roll", "role"), ("Startdatum", "start"),
        ("start_date", "start"), ("Från", "start"), ("Slutdatum", "end"), ("end_date", "end"),
        ("Till", "end"), ("Andel", "allocation"), ("Omfattning", "allocation"),
        ("allocation_pct", "allocation"), ("Andel (%)", "allocation"),
    ],
)
def test_header_synonyms(header, canonical):
    """Swedish and English synonyms are recognised for each column."""
    assert detect_columns([header])[canonical] == header


def test_header_matching_ignores_case_spaces_and_bom():
    """Headers match whatever their case, surrounding space or a leading BOM."""
    found = detect_columns(["\ufeffPROJEKT", "  namn ", "EnHeT", "Start Date"])
    assert found == {
        "project": "\ufeffPROJEKT", "person": "  namn ", "unit": "EnHeT",
        "role": None, "start": "Start Date", "end": None, "allocation": None,
    }


def test_header_synonyms_cover_every_column():
    """Every canonical column has synonyms, each listing the column name itself first."""
    assert set(HEADER_SYNONYMS) == set(ROSTER_SCHEMA) - {"line"}
    assert all(syns[0] == name for name, syns in HEADER_SYNONYMS.items())


def test_explicit_mapping_overrides_detection(tmp_path):
    """``columns`` picks the headers to use, also ones no synonym would match."""
    path = write(tmp_path, "Projekt,Namn,E-post,Avd\nP1,Ann,a@x,HR\nP1,Bo,b@x,IT\n")
    roster = read_roster(path, columns={"person": "Namn", "unit": "avd"})
    assert rows(roster) == [("P1", "Ann", "HR", 2), ("P1", "Bo", "IT", 3)]


def test_mapping_none_leaves_an_optional_column_out(tmp_path):
    """Mapping a column to ``None`` ignores it even when a header would match."""
    path = write(tmp_path, "project,person,unit,role\nP1,ann,A,lead\nP1,bob,B,member\n")
    roster = read_roster(path, columns={"role": None})
    assert roster.memberships["role"].to_list() == [None, None]


def test_missing_required_column_names_it_and_how_to_map(tmp_path):
    """A missing unit column fails with the headers found and a --columns example."""
    path = write(tmp_path, "Projekt;Namn;Avd\nP1;Ann;HR\n")
    with pytest.raises(RosterError) as exc:
        read_roster(path)
    [problem] = exc.value.problems
    assert (problem.file, problem.line, problem.column, problem.severity) == ("roster.csv", 1, "unit", "error")
    assert "'Projekt', 'Namn', 'Avd'" in problem.message
    assert "--columns unit=Avd" in problem.message


def test_mapping_to_an_absent_header_fails(tmp_path):
    """An explicit mapping to a header the file lacks names the header and lists those found."""
    path = write(tmp_path, "project,person,unit\nP1,ann,A\n")
    with pytest.raises(RosterError) as exc:
        read_roster(path, columns={"unit": "Enhet"})
    assert error_messages(exc) == [
        "roster.csv:1: unit: mapped to 'Enhet', but the file has no such column; "
        "headers found: 'project', 'person', 'unit'"
    ]


def test_one_header_mapped_to_two_columns_fails(tmp_path):
    """Mapping project and person to the same header is an error naming both."""
    path = write(tmp_path, "Namn,Enhet\nann,A\n")
    with pytest.raises(RosterError) as exc:
        read_roster(path, columns={"project": "Namn", "person": "Namn"})
    assert error_messages(exc) == [
        "roster.csv:1: project: 'Namn' is mapped to more than one column (also person)",
        "roster.csv:1: person: 'Namn' is mapped to more than one column (also project)",
    ]


def test_unknown_column_in_mapping_fails(tmp_path):
    """A mapping naming a column the roster does not have is rejected."""
    path = write(tmp_path, "project,person,unit\nP1,ann,A\n")
    with pytest.raises(RosterError, match="unknown column name"):
        read_roster(path, columns={"team": "unit"})


def test_duplicate_header_in_use_fails(tmp_path):
    """Two columns both headed 'Namn' make the person column ambiguous: an error."""
    path = write(tmp_path, "Projekt;Namn;Enhet;Namn\nP1;Ann;HR;Bo\n")
    with pytest.raises(RosterError) as exc:
        read_roster(path)
    assert error_messages(exc) == [
        "roster.csv:1: person: the header 'Namn' appears 2 times (columns 2, 4); "
        "rename the copies so each header is unique"
    ]


def test_second_candidate_column_is_named_in_a_warning(tmp_path):
    """With both 'E-post' and 'Namn', e-mail is the person id and a warning names 'Namn'."""
    path = write(tmp_path, "Projekt,Namn,E-post,Enhet\nP1,Ann,a@x,HR\nP1,Bo,b@x,IT\n")
    roster = read_roster(path)
    assert rows(roster, "person") == [("a@x",), ("b@x",)]
    assert messages(roster) == [
        "roster.csv:1: person: used column 'E-post'; 'Namn' could also be the person column: "
        "choose it with --columns person=Namn"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("project=Projekt,person=Namn,unit=Enhet", {"project": "Projekt", "person": "Namn", "unit": "Enhet"}),
        (" unit = Avdelning / enhet , Role=Roll ", {"unit": "Avdelning / enhet", "role": "Roll"}),
        ("start=Datum=från", {"start": "Datum=från"}),
        ("", {}),
    ],
)
def test_parse_column_mapping(text, expected):
    """The CLI form is split on commas and the first '=' of each item."""
    assert parse_column_mapping(text) == expected


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("team=Enhet", "'team' is not a roster column; use one of: project, person, unit"),
        ("Projekt=project", "did you mean project=Projekt?"),
        ("project", "should look like column=Header"),
        ("project=", "should look like column=Header"),
        ("unit=A,unit=B", "unit is mapped twice"),
    ],
)
def test_parse_column_mapping_rejects_bad_items(text, words):
    """Unknown names, missing '=', empty headers and repeats fail with a clear message."""
    with pytest.raises(ValueError, match=words.replace("?", r"\?")):
        parse_column_mapping(text)


# -- values --------------------------------------------------------------------------------


def test_values_are_trimmed_including_non_breaking_space(tmp_path):
    """Surrounding spaces, tabs and non-breaking spaces are removed from every value."""
    path = write(tmp_path, "project;person;unit;role\n  P1 ;\u00a0ann\u00a0; A ;  lead \nP1;bob;B;\n")
    assert rows(read_roster(path), "project", "person", "unit", "role") == [
        ("P1", "ann", "A", "lead"), ("P1", "bob", "B", None),
    ]


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Social / Elder care / Home", "Social/Elder care/Home"),
        ("Social > Elder care", "Social/Elder care"),
        ("/Social//Elder care/", "Social/Elder care"),
        ("R&D > AI/ML", "R&D/AI/ML"),
    ],
)
def test_unit_paths_are_normalised(tmp_path, written, expected):
    """Unit hierarchies are written A/B/C: spaces around '/' dropped, ' > ' accepted."""
    path = write(tmp_path, f"project;person;unit\nP1;ann;{written}\nP1;bob;X\n")
    assert rows(read_roster(path), "unit")[0] == (expected,)


def test_ids_differing_only_in_case_warn_at_second_spelling(tmp_path):
    """'anna' and 'Anna' stay two people; a warning points at the second spelling."""
    path = write(tmp_path, """\
        project,person,unit
        P1,Anna,A
        P1,bob,A
        P2,anna,A
        P2,bob,A
        """)
    roster = read_roster(path)
    assert roster.memberships["person"].n_unique() == 3
    assert messages(roster) == [
        "roster.csv:4: person: 'anna' differs only in upper/lower case from 'Anna' (line 2); "
        "they are counted as different people"
    ]


# -- row rules -----------------------------------------------------------------------------


def test_blank_lines_dropped_with_one_warning(tmp_path):
    """Empty lines and separator-only lines are skipped, reported once with their lines."""
    path = write(tmp_path, "project;person;unit\nP1;ann;A\n\n;;\nP1;bob;B\n  \n")
    roster = read_roster(path)
    assert rows(roster) == [("P1", "ann", "A", 2), ("P1", "bob", "B", 5)]
    assert messages(roster) == ["roster.csv: 3 blank row(s) skipped (lines 3, 4, 6)"]


def test_exact_duplicate_rows_dropped_naming_both_lines(tmp_path):
    """A row repeating an earlier one is dropped, naming its line and the earlier line."""
    path = write(tmp_path, """\
        project,person,unit,role
        P1,ann,A,lead
        P1,bob,B,member
        P1, ann ,A,lead
        """)
    roster = read_roster(path)
    assert rows(roster, "person", "line") == [("ann", 2), ("bob", 3)]
    assert messages(roster) == ["roster.csv:4: same row as line 2 (duplicate row skipped)"]


def test_repeated_membership_keeps_first_row(tmp_path):
    """The same (project, person) with another role keeps the first row and warns."""
    path = write(tmp_path, """\
        project,person,unit,role
        P1,ann,A,lead
        P1,bob,B,member
        P1,ann,A,member
        """)
    roster = read_roster(path)
    assert rows(roster, "person", "role", "line") == [("ann", "lead", 2), ("bob", "member", 3)]
    assert messages(roster) == [
        "roster.csv:4: person: 'ann' is listed on project 'P1' again (first on line 2) with a "
        "different role 'member' here, 'lead' on line 2; kept line 2, this row skipped"
    ]


def test_missing_required_value_rejects_only_that_row(tmp_path):
    """A row without a unit is an error at its line; the other rows still load."""
    path = write(tmp_path, """\
        project,person,unit
        P1,ann,A
        P1,bob,
        P1,cid,C
        ,,D
        """)
    roster = read_roster(path)
    assert rows(roster, "person") == [("ann",), ("cid",)]
    errors = [p for p in roster.problems if p.severity == "error"]
    assert [str(p) for p in errors] == [
        "roster.csv:3: unit: missing value (row skipped)",
        "roster.csv:5: project: missing value (row skipped)",
        "roster.csv:5: person: missing value (row skipped)",
    ]


def test_row_with_extra_values_is_rejected(tmp_path):
    """More values than header columns (an unquoted separator) rejects the row."""
    path = write(tmp_path, "project,person,unit\nP1,Berg, Anna,A\nP1,bob,B\nP1,cid,C,,\n")
    roster = read_roster(path)
    assert rows(roster, "person", "line") == [("bob", 3), ("cid", 4)]
    [problem] = [p for p in roster.problems if p.severity == "error"]
    assert (problem.line, problem.column) == (2, None)
    assert "row has 4 values but the header has 3 columns" in problem.message


def test_row_with_fewer_values_is_padded(tmp_path):
    """A short row is padded with empty values: optional ones stay empty."""
    path = write(tmp_path, "project,person,unit,role\nP1,ann,A\nP1,bob,B,lead\n")
    assert rows(read_roster(path), "person", "role") == [("ann", None), ("bob", "lead")]


def test_no_usable_rows_is_an_error_listing_the_row_errors(tmp_path):
    """When every row is rejected the file fails, and the reasons per row are included."""
    path = write(tmp_path, "project,person,unit\nP1,ann,\nP2,,B\n")
    with pytest.raises(RosterError) as exc:
        read_roster(path)
    assert error_messages(exc) == [
        "roster.csv: the file has no usable rows",
        "roster.csv:2: unit: missing value (row skipped)",
        "roster.csv:3: person: missing value (row skipped)",
    ]


# -- one unit per person -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "unit", "reason"),
    [
        # latest period by end date
        ("P1,ann,A,2025-01-01,2025-12-31\nP2,ann,B,2024-01-01,2024-06-30\nP3,ann,A,,", "A", "latest period"),
        # an open end (still running) is later than any closed period
        ("P1,ann,A,2025-01-01,2025-12-31\nP2,ann,B,2024-01-01,", "B", "latest period"),
        # same end: the later start wins
        ("P1,ann,A,2024-01-01,2025-12-31\nP2,ann,B,2025-01-01,2025-12-31", "B", "latest period"),
        # no dates: the most frequent unit
        ("P1,ann,A,,\nP2,ann,B,,\nP3,ann,B,,", "B", "most rows"),
        # no dates, a tie: the unit listed first
        ("P1,ann,B,,\nP2,ann,A,,", "B", "most rows; tie, listed first"),
    ],
)
def test_person_with_several_units_gets_one(tmp_path, body, unit, reason):
    """A person under several units is given one, deterministically, with a warning."""
    path = write(tmp_path, "project,person,unit,start,end\n" + body + "\nP1,bob,C,,\nP2,bob,C,,\nP3,bob,C,,\n")
    roster = read_roster(path)
    units = roster.memberships.filter(pl.col("person") == "ann")["unit"].unique().to_list()
    assert units == [unit]
    [warning] = [p for p in roster.problems if p.column == "unit"]
    assert f"using {unit!r} ({reason})" in warning.message


def test_several_units_warning_lists_units_with_lines(tmp_path):
    """The warning says which units were seen on which lines, at the first conflicting line."""
    path = write(tmp_path, "project,person,unit\nP1,ann,A\nP2,ann,B\nP3,ann,A\nP1,bob,B\nP2,bob,B\nP3,bob,B\n")
    roster = read_roster(path)
    assert messages(roster) == [
        "roster.csv:3: unit: 'ann' is listed under 2 units: 'A' (lines 2, 4); 'B' (line 3); "
        "using 'A' (most rows) for all their rows, since a person belongs to one unit in the analysis"
    ]


# -- project sizes -------------------------------------------------------------------------


def test_one_member_projects_listed_in_one_warning(tmp_path):
    """Projects with one member are kept and listed together in one warning."""
    path = write(tmp_path, "project,person,unit\nSolo1,ann,A\nP1,ann,A\nP1,bob,B\nSolo2,bob,B\n")
    roster = read_roster(path)
    assert len(roster) == 4
    assert messages(roster) == [
        "roster.csv: project: 2 project(s) have only one member: Solo1, Solo2 "
        "(allowed: the person stays in the data but gets no ties from it)"
    ]


def test_very_large_projects_are_named_with_their_size(tmp_path):
    """Projects above max_project_size are reported with their size; None turns it off."""
    lines = ["project,person,unit"] + [f"Big,p{i},A" for i in range(5)] + ["Small,p0,A", "Small,p1,A"]
    path = write(tmp_path, "\n".join(lines) + "\n")
    roster = read_roster(path, max_project_size=3)
    assert messages(roster) == [
        "roster.csv: project: very large project(s), more than 3 members: Big (5 members); "
        "use --max-project-size to exclude them from person ties"
    ]
    assert read_roster(path, max_project_size=None).problems == ()


# -- optional columns ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    ["2026-03-01", "2026-3-1", "2026-03-01 00:00:00", "2026-03-01T08:30", "20260301", "1/3/2026",
     "01/03/2026", "1.3.2026", "01-03-2026", "2026/03/01"],
)
def test_date_spellings(tmp_path, written):
    """Each documented date spelling reads as 1 March 2026 (day before month)."""
    path = write(tmp_path, f"project,person,unit,start\nP1,ann,A,{written}\nP1,bob,B,\n")
    roster = read_roster(path)
    assert roster.memberships["start"].to_list() == [dt.date(2026, 3, 1), None]
    assert roster.problems == ()


def test_date_formats_are_documented():
    """Every accepted pattern maps to a strftime format with a four-digit year."""
    assert all("%Y" in fmt for fmt in DATE_FORMATS.values())


@pytest.mark.parametrize("written", ["31/02/2026", "1/3/26", "March 1", "2026-13-01", "46082"])
def test_invalid_date_warns_and_keeps_row(tmp_path, written):
    """An unreadable date is left empty with a warning at its line; the row stays."""
    path = write(tmp_path, f"project,person,unit,end\nP1,ann,A,{written}\nP1,bob,B,\n")
    roster = read_roster(path)
    assert rows(roster, "person", "end") == [("ann", None), ("bob", None)]
    assert messages(roster) == [f"roster.csv:2: end: {written!r} is not a date (write it as YYYY-MM-DD); left empty"]


def test_end_before_start_clears_both_dates(tmp_path):
    """An end before its start is a typo we cannot fix: both dates become empty, row kept."""
    path = write(tmp_path, "project,person,unit,start,end\nP1,ann,A,2026-05-01,2026-04-01\nP1,bob,B,2026-01-01,2026-02-01\n")
    roster = read_roster(path)
    assert rows(roster, "person", "start", "end") == [
        ("ann", None, None), ("bob", dt.date(2026, 1, 1), dt.date(2026, 2, 1)),
    ]
    assert messages(roster) == ["roster.csv:2: end: end 2026-04-01 is before start 2026-05-01; both dates left empty"]


@pytest.mark.parametrize(
    ("written", "share"),
    [("0.5", 0.5), ("0,5", 0.5), ("50", 0.5), ("50 %", 0.5), ("50%", 0.5), ("100 %", 1.0),
     ("1", 1.0), ("0", 0.0), ("12,5 %", 0.125), ("100", 1.0)],
)
def test_allocation_spellings(tmp_path, written, share):
    """Allocation reads 0–1 as is and 1–100 (or a % sign) as percent."""
    path = write(tmp_path, f"project;person;unit;andel\nP1;ann;A;{written}\nP1;bob;B;\n")
    roster = read_roster(path)
    assert roster.memberships["allocation"].to_list() == [pytest.approx(share), None]
    assert roster.problems == ()


@pytest.mark.parametrize("written", ["150", "-0.5", "abc", "nan", "inf", "200 %"])
def test_allocation_out_of_range_warns(tmp_path, written):
    """An allocation that is not a share of time is left empty with a warning."""
    path = write(tmp_path, f"project;person;unit;allocation\nP1;ann;A;{written}\nP1;bob;B;0.2\n")
    roster = read_roster(path)
    assert roster.memberships["allocation"].to_list() == [None, 0.2]
    assert messages(roster) == [
        f"roster.csv:2: allocation: {written!r} is not a share of time (0–1, or 0–100 %); left empty"
    ]


# -- output --------------------------------------------------------------------------------


def test_memberships_follow_the_roster_schema(tmp_path):
    """The table has exactly the canonical columns and types, optional ones null when absent."""
    roster = read_roster(write(tmp_path, "project,person,unit\nP1,ann,A\nP1,bob,B\n"))
    assert roster.memberships.schema == pl.Schema(ROSTER_SCHEMA)
    assert isinstance(roster.problems, tuple)


def test_problems_are_ordered_whole_file_first_then_by_line(tmp_path):
    """Findings about the whole file come first, then row findings in line order."""
    path = write(tmp_path, "project,person,unit\nP1,ann,\nSolo,ann,A\nP2,bob,\nP2,cid,C\nP2,dan,D\n")
    roster = read_roster(path)
    lines = [p.line for p in roster.problems]
    assert lines == [None, 2, 4]


# -- properties ----------------------------------------------------------------------------


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=400), name=st.sampled_from(["r.csv", "r.xlsx", "r"]))
def test_random_bytes_raise_only_roster_error(data, name):
    """Whatever the bytes, reading either returns a Roster or raises RosterError."""
    try:
        roster = read_roster_bytes(data, name)
    except RosterError as exc:
        assert exc.problems and all(p.file == name for p in exc.problems)
    else:
        assert len(roster) > 0


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=300).map(lambda b: b"PK\x03\x04" + b))
def test_random_zip_like_bytes_raise_only_roster_error(data):
    """Bytes that start like a zip archive fail as RosterError, never an engine exception."""
    with pytest.raises(RosterError):
        read_roster_bytes(data, "r.xlsx")


VALUES = st.text(alphabet=st.sampled_from(list("ab Å,;\"\n\t")), max_size=6)


@settings(max_examples=200, deadline=None)
@given(
    records=st.lists(st.tuples(VALUES, VALUES, st.sampled_from(["A", "B", "C/D"])), min_size=1, max_size=12),
    delimiter=st.sampled_from([",", ";", "\t"]),
)
def test_written_csv_reads_back_with_physical_lines(records, delimiter):
    """Rows written by a CSV writer read back with their values and their starting line."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(["project", "person", "unit"])
    expected, seen = [], set()
    for project, person, unit in records:
        line = buffer.getvalue().count("\n") + 1
        writer.writerow([project, person, unit])
        key = (project.strip(), person.strip())
        if all(key) and key not in seen:
            seen.add(key)
            expected.append((*key, line))
    try:
        roster = read_roster_bytes(buffer.getvalue().encode(), "w.csv")
    except RosterError:
        assert expected == []
    else:
        assert rows(roster, "project", "person", "line") == expected


# -- real rosters --------------------------------------------------------------------------


@pytest.mark.refcase
@pytest.mark.parametrize("name", ["uboot", "dpdk"])
def test_real_rosters_match_published_facts(name):
    """The MAINTAINERS rosters read without options and agree with their facts files."""
    folder = REAL_ROSTERS
    require_shared(folder / f"{name}.csv")
    facts = json.loads((folder / f"facts_{name}.json").read_text(encoding="utf-8"))
    roster = read_roster(folder / f"{name}.csv")
    m = roster.memberships
    repeated = [p for p in roster.problems if p.column == "person" and "again" in p.message]
    assert len(roster) + len(repeated) == facts["rows"]
    assert m["project"].n_unique() == facts["projects"]
    assert m["person"].n_unique() == facts["people"]
    split = {p.message.split("'")[1] for p in roster.problems if p.column == "unit"}
    assert split == set(facts["people_with_2plus_units"])
    assert m.group_by("person").agg(pl.col("unit").n_unique())["unit"].max() == 1
    single = next(p for p in roster.problems if "only one member" in p.message)
    assert single.message.startswith(f"{facts['projects_with_one_person']} project(s)")
    assert not [p for p in roster.problems if p.severity == "error"]


def test_title_rows_above_the_header_are_skipped(tmp_path):
    """A report title above the header is ignored with a note; line numbers stay physical."""
    path = write(tmp_path, "Projektlista 2026\nUttag: 2026-03-01\n\nProjekt;Namn;Enhet\nP1;Anna;HR\nP1;Bo;IT\n")
    roster = read_roster(path)
    assert rows(roster) == [("P1", "Anna", "HR", 5), ("P1", "Bo", "IT", 6)]
    assert messages(roster) == ["roster.csv:4: the header is on line 4; the rows above it (a title?) were ignored"]


def test_title_rows_above_the_header_in_xlsx(tmp_path):
    """In a workbook a title cell above the header is skipped; rows keep Excel numbers."""
    path = tmp_path / "t.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.write(0, 0, "Projektlista 2026")
    for r, row in enumerate([["Projekt", "Namn", "Enhet"], ["P1", "Anna", "HR"], ["P1", "Bo", "IT"]], start=2):
        sheet.write_row(r, 0, row)
    book.close()
    roster = read_roster(path)
    assert rows(roster) == [("P1", "Anna", "HR", 4), ("P1", "Bo", "IT", 5)]
    assert messages(roster) == ["t.xlsx:3: the header is on line 3; the rows above it (a title?) were ignored"]


def test_correctly_quoted_line_break_is_not_called_a_missing_quote(tmp_path):
    """A quoted value with a separator and a line break in a complete row raises no quote warning."""
    f = tmp_path / "q.csv"
    f.write_text('project,person,unit\nP2,"Berg,\nAnna",B\nP2,cid,B\n', encoding="utf-8")
    roster = read_roster(f)
    assert not [p for p in roster.problems if "quote" in p.message]
    assert roster.memberships["person"].to_list() == ["Berg,\nAnna", "cid"]


def test_mixed_encodings_are_decoded_line_by_line(tmp_path):
    """UTF-8 rows and a pasted cp1252 row both keep their letters; the cp1252 line is named."""
    f = tmp_path / "mixed.csv"
    f.write_bytes("project,person,unit\nP1,Åsa,HR\n".encode() + "P1,Öberg,IT\n".encode("cp1252"))
    roster = read_roster(f)
    assert roster.memberships["person"].to_list() == ["Åsa", "Öberg"]
    assert [str(p) for p in roster.problems][0].startswith("mixed.csv:3: the file mixes encodings")


# -- limits: empty columns, problem caps ------------------------------------------------------


def test_empty_columns_at_the_right_are_dropped_before_the_table_is_built(tmp_path):
    """200,000 commas after the header cost nothing: the empty columns are dropped."""
    path = tmp_path / "commas.csv"
    path.write_bytes(b"project,person,unit" + b"," * 200_000 + b"\nP1,ann,A" + b"," * 200_000 + b"\nP1,bob,B\n")
    roster = read_roster(path)
    assert rows(roster) == [("P1", "ann", "A", 2), ("P1", "bob", "B", 3)]
    assert roster.problems == ()


def test_a_value_under_an_empty_header_at_the_right_still_counts(tmp_path):
    """Trimming keeps every filled value: a note in an unnamed last column stays as before
    (the row is read), and a row with more filled values than any header is still refused."""
    roster = read_roster(write(tmp_path, "project;person;unit;;\nP1;ann;A;note;\nP1;bob;B;;\n"))
    assert rows(roster, "person") == [("ann",), ("bob",)] and roster.problems == ()
    roster = read_roster(write(tmp_path, "project,person,unit\nP1,ann,A,x,,,\nP1,bob,B,,,\n"))
    assert [str(p) for p in roster.problems if p.line] == [
        "roster.csv:2: row has 4 values but the header has 3 columns "
        "(a value may contain the separator without quotes); row skipped"
    ]


def test_more_filled_columns_than_excel_allows_is_refused_at_that_line(tmp_path):
    """A header of 16,385 names is refused at its line, before a table is built."""
    header = ",".join(["project", "person", "unit", *(f"x{i}" for i in range(MAX_COLUMNS - 2))])
    with pytest.raises(RosterError) as exc:
        read_roster(write(tmp_path, f"Roster 2026\n{header}\nP1,ann,A\n"))
    assert str(exc.value) == (
        f"roster.csv:2: this line has {MAX_COLUMNS + 1:,} columns; at most {MAX_COLUMNS:,} are read (as in Excel). "
        "Delete the columns the roster does not need, or check the separator"
    )


def test_problems_of_one_kind_are_capped_with_a_count_of_the_rest(tmp_path):
    """10,000 duplicate rows give the first 100 warnings, unchanged, then one counting the rest."""
    path = tmp_path / "dups.csv"
    path.write_bytes(b"project,person,unit\nP2,cid,C\n" + b"P1,ann,A\n" * 10_000)
    problems = [str(p) for p in read_roster(path).problems if p.column is None]
    assert len(problems) == MAX_PROBLEMS_PER_KIND + 1
    assert problems[0] == "dups.csv:4: same row as line 3 (duplicate row skipped)"
    assert problems[99] == "dups.csv:103: same row as line 3 (duplicate row skipped)"
    assert problems[100] == "dups.csv:104: … and 9,899 more duplicate rows (skipped); only the first 100 are listed"


def test_capped_errors_keep_their_column_and_severity(tmp_path):
    """The count of capped rejected rows is an error of the same column, one per column."""
    body = "".join(f"P{i},p{i},\n" for i in range(250)) + "P1,ann,A\nP1,bob,B\n"
    problems = read_roster(write(tmp_path, "project,person,unit\n" + body)).problems
    summary = [p for p in problems if p.message.startswith("…")]
    assert [(p.line, p.column, p.severity) for p in summary] == [(102, "unit", "error")]
    assert summary[0].message == "… and 150 more rows without a unit (skipped); only the first 100 are listed"
    assert sum(p.severity == "error" for p in problems) == MAX_PROBLEMS_PER_KIND + 1


def test_problems_are_capped_in_workbooks_too(tmp_path):
    """The same cap applies to an .xlsx roster, with Excel row numbers."""
    path = tmp_path / "dups.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet()
    for r, row in enumerate([["project", "person", "unit"], ["P2", "cid", "C"], *[["P1", "ann", "A"]] * 300]):
        sheet.write_row(r, 0, row)
    book.close()
    problems = [str(p) for p in read_roster(path).problems if p.column is None]
    assert problems[0] == "dups.xlsx:4: same row as line 3 (duplicate row skipped)"
    assert problems[-1] == "dups.xlsx:104: … and 199 more duplicate rows (skipped); only the first 100 are listed"


# -- the workbook guard follows the Excel engine ----------------------------------------------

SPREADSHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


@st.composite
def sheet_xml(draw) -> str:
    """A small sheet mixing what the engine must place: cells and rows with and without ``r``,
    references going back, lower-case references, ``<c/>`` and ``<row/>``, a ``x:`` prefix."""
    p = draw(st.sampled_from(["", "x:"]))
    ns = f'xmlns{":x" if p else ""}="{SPREADSHEET_NS}"'
    parts = [f"<{p}worksheet {ns}><{p}sheetData>"]
    for row in draw(st.lists(st.tuples(st.integers(1, 40), st.booleans(), st.booleans()), min_size=1, max_size=5)):
        number, numbered, closed = row
        if closed:
            parts.append(f'<{p}row r="{number}"/>' if numbered else f"<{p}row/>")
            continue
        parts.append(f'<{p}row r="{number}">' if numbered else f"<{p}row>")
        for cell_row, col, referenced, kind in draw(st.lists(
            st.tuples(st.integers(1, 40), st.integers(1, 30), st.booleans(), st.sampled_from(["v", "empty", "is"])),
            max_size=5,
        )):
            name = xlsx_guard._cell_name(cell_row, col)
            ref = f' r="{name.lower() if col % 7 == 0 else name}"' if referenced else ""
            parts.append({
                "v": f"<{p}c{ref}><{p}v>1</{p}v></{p}c>",
                "empty": f'<{p}c{ref} s="1"/>',
                "is": f'<{p}c{ref} t="inlineStr"><{p}is><{p}t>x</{p}t></{p}is></{p}c>',
            }[kind])
        parts.append(f"</{p}row>")
    return "".join(parts) + f"</{p}sheetData></{p}worksheet>"


def sheet_workbook(sheet: str) -> bytes:
    """A workbook of one sheet whose XML is ``sheet`` (written as is)."""
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
        ))
        z.writestr("_rels/.rels", (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ))
        z.writestr("xl/workbook.xml", (
            f'<workbook xmlns="{SPREADSHEET_NS}" xmlns:r="{rel}"><sheets>'
            '<sheet name="Roster" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ))
        z.writestr("xl/_rels/workbook.xml.rels", (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
        ))
        z.writestr("xl/worksheets/sheet1.xml", sheet)
    return buffer.getvalue()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sheet=sheet_xml(), cuts=st.lists(st.integers(0, 10_000), max_size=4))
def test_guard_places_cells_where_the_engine_does(sheet, cuts):
    """The guard's rectangle of a sheet is the one the Excel engine allocates, however the XML
    is split into chunks (the guard refuses by it, before the engine can abort the process)."""
    data = sheet.encode()
    tags = [i for i in range(1, len(data)) if data[i : i + 1] == b"<"]
    bounds = sorted({tags[c % len(tags)] for c in cuts})
    scan = xlsx_guard._SheetScan()
    for start, end in zip([0, *bounds], [*bounds, len(data)]):
        scan.feed(data[start:end])
    guarded = (scan.bottom - scan.top + 1, scan.right - scan.left + 1) if scan.bottom else (0, 0)
    engine = pl.read_excel(sheet_workbook(sheet), has_header=False, infer_schema_length=0,
                           drop_empty_rows=False, drop_empty_cols=False, raise_if_empty=False)
    assert guarded == (engine.shape if engine.height else (0, 0))
