"""Bad and awkward roster files: each gives its documented message and exit code, never a crash.

The corpus is ``tests/data/bad``; ``expected.json`` there lists every case (checked-in
files and the ones built here at run time: binary, workbooks, large) with its outcome.
Basic reading rules are tested in ``test_ingest.py``; this file checks the whole path a
user sees (reader, command line, reports) on the same inputs, plus fuzzing.
"""

from __future__ import annotations

import io
import json
import os
import random
import re
import string
import subprocess
import sys
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import openpyxl
import polars as pl
import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analyser.analysis import analyse
from analyser.cli import EXIT_INVALID_INPUT, EXIT_OK, EXIT_USAGE, main
from analyser.ingest import MAX_COLUMNS, MAX_FILE_BYTES, read_roster, read_roster_bytes, xlsx_guard
from analyser.report import report_bytes
from analyser.report.tabular import FORMULA_LIKE, FORMULA_TRIGGERS
from analyser.i18n import catalogue
from analyser.privacy import private_problems
from analyser.roster import InputError, Problem, Roster, RosterError
from tests.test_ingest import SPREADSHEET_NS, sheet_workbook

BAD = Path(__file__).resolve().parent / "data" / "bad"
EXPECTED: dict[str, dict] = json.loads((BAD / "expected.json").read_text(encoding="utf-8"))
ROSTER = [["project", "person", "unit"], ["P1", "ann", "A"], ["P1", "bob", "B"]]


# -- cases built at run time -----------------------------------------------------------------


def workbook(sheets: list[tuple[str, list[list[object]]]]) -> bytes:
    """An .xlsx file; a ``(formula, cached value)`` tuple becomes a real formula cell."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    for name, rows in sheets:
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, tuple):
                    sheet.write_formula(r, c, value[0], None, value[1])
                else:
                    sheet.write_string(r, c, value) if isinstance(value, str) else sheet.write(r, c, value)
    book.close()
    return buffer.getvalue()


def zip_with_text() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    return buffer.getvalue()


def million_rows() -> bytes:
    """1,000,000 memberships: 125,000 projects of 8 people out of 200,000, one unit each."""
    people = [(i * 7919) % 200_000 for i in range(1_000_000)]
    lines = [f"P{i // 8},p{p},U{p % 50}" for i, p in enumerate(people)]
    return ("project,person,unit\n" + "\n".join(lines) + "\n").encode()


def sparse_file(path: Path, size: int) -> None:
    """A file of ``size`` bytes that takes no disk space (its size alone must refuse it)."""
    with path.open("wb") as f:
        f.truncate(size)


FORMULA_SHEET = [
    ["project", "person", "unit"],
    [('="P"&1', "P1"), "=SUM(A1)", "A"],
    ["P1", ('=UPPER("bob")', "BOB"), ("=1+1", 2)],
]

GENERATORS: dict[str, Callable[[Path], None]] = {
    "binary_png.csv": lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4),
    "nul_bytes.csv": lambda p: p.write_bytes(b"project,person,unit\nP1,ann\x00,A\nP1,bob,B\n"),
    "old_excel.xls": lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500),
    "broken_zip.xlsx": lambda p: p.write_bytes(b"PK\x03\x04" + bytes(range(256))),
    "zip_not_workbook.xlsx": lambda p: p.write_bytes(zip_with_text()),
    "csv_named_xlsx.xlsx": lambda p: p.write_bytes(b"project,person,unit\nP1,ann,A\nP1,bob,B\n"),
    "xlsx_named_csv.csv": lambda p: p.write_bytes(workbook([("Roster", ROSTER)])),
    "several_sheets.xlsx": lambda p: p.write_bytes(
        workbook([("Roster", ROSTER), ("Notes", [["hello"]]), ("Old", ROSTER)])
    ),
    "empty_first_sheet.xlsx": lambda p: p.write_bytes(workbook([("Intro", []), ("Roster", ROSTER)])),
    "no_sheet_with_data.xlsx": lambda p: p.write_bytes(workbook([("A", []), ("B", [])])),
    "formula_cells.xlsx": lambda p: p.write_bytes(workbook([("Roster", FORMULA_SHEET)])),
    "long_cell.csv": lambda p: p.write_bytes(b"project,person,unit\nP1," + b"x" * 2**20 + b",A\nP1,bob,B\n"),
    "long_cell_under_limit.csv": lambda p: p.write_bytes(b"project,person,unit\nP1," + b"x" * 100_000 + b",A\nP1,bob,B\n"),
    "unclosed_quote_in_big_file.csv": lambda p: p.write_bytes(b'project,person,unit\nP1,"ann,A\n' + b"P1,bob,B\n" * 20_000),
    "wide_header.csv": lambda p: p.write_bytes(
        ",".join([f"col{i}" for i in range(1997)] + ["project", "person", "unit"]).encode() + b"\n"
        + (b"," * 1997 + b"P1,ann,A\n") + (b"," * 1997 + b"P1,bob,B\n")
    ),
    "over_size_limit.csv": lambda p: sparse_file(p, 77_000_000),
    "million_rows.csv": lambda p: p.write_bytes(million_rows()),
    # small files that cost a lot to read (issue 12); the helpers are further down
    "commas_after_header.csv": lambda p: p.write_bytes(
        b"project,person,unit" + b"," * 200_000 + b"\nP1,ann,A\nP1,bob,B\n"
    ),
    "header_wider_than_excel.csv": lambda p: p.write_bytes(
        ",".join(["project", "person", "unit", *(f"x{i}" for i in range(MAX_COLUMNS - 2))]).encode() + b"\nP1,ann,A\n"
    ),
    "many_duplicate_rows.csv": lambda p: p.write_bytes(
        b"project,person,unit\n" + b"P1,ann,A\n" * 10_000 + b"P2,bob,B\n"
    ),
    "zip_bomb_values.xlsx": lambda p: p.write_bytes(zip_bomb()),
    "long_value_in_workbook.xlsx": lambda p: p.write_bytes(
        sheet_workbook(roster_sheet(text_cell("B4", random_text(150_000))))
    ),
}


def case_params() -> list:
    """Every case of expected.json, the slow ones marked."""
    return [
        pytest.param(name, id=name, marks=[pytest.mark.slow] if spec.get("slow") else [])
        for name, spec in EXPECTED.items()
    ]


@pytest.fixture
def case(request, tmp_path) -> tuple[Path, dict]:
    """Path and expectation of one corpus case (built in ``tmp_path`` when generated)."""
    name = request.param
    spec = EXPECTED[name]
    if not spec.get("generated"):
        return BAD / name, spec
    path = tmp_path / name
    GENERATORS[name](path)
    return path, spec


def parametrize_cases(test):
    return pytest.mark.parametrize("case", case_params(), indirect=True)(test)


def check_key_problem(problems: list, name: str, spec: dict) -> None:
    """Each expected fragment is in some message; the first one sits at the expected line/column."""
    texts = [str(p) for p in problems]
    for fragment in spec["message_contains"]:
        assert any(fragment in t for t in texts), f"{fragment!r} not in {texts}"
    assert all(p.file == name and str(p).startswith(f"{name}") for p in problems)
    if spec["message_contains"]:
        key = next(p for p, t in zip(problems, texts) if spec["message_contains"][0] in t)
        assert (key.line, key.column) == (spec["line"], spec["column"])
        if key.line is not None:
            assert f"{name}:{key.line}:" in str(key)
        if key.column is not None:
            assert f" {key.column}: " in str(key)


# -- the corpus ------------------------------------------------------------------------------


def test_corpus_lists_every_checked_in_file_and_30_cases():
    """expected.json covers every file in tests/data/bad (and nothing missing), 30 cases or more."""
    on_disk = {p.name for p in BAD.iterdir() if p.name != "expected.json"}
    listed = {n for n, s in EXPECTED.items() if not s.get("generated")}
    assert on_disk == listed
    assert set(GENERATORS) == {n for n, s in EXPECTED.items() if s.get("generated")}
    assert len(EXPECTED) >= 30
    for spec in EXPECTED.values():
        assert spec["outcome"] in ("error", "ok", "ok-with-warnings")
        assert spec["exit_code"] == (1 if spec["outcome"] == "error" else 0)
        assert (spec["outcome"] == "ok") == (not spec["message_contains"])


@parametrize_cases
def test_read_roster_outcome_and_messages(case):
    """read_roster raises RosterError or returns a roster exactly as expected.json says."""
    path, spec = case
    if spec["outcome"] == "error":
        with pytest.raises(RosterError) as exc:
            read_roster(path)
        assert exc.value.problems
        assert any(p.severity == "error" for p in exc.value.problems)
        check_key_problem(exc.value.problems, path.name, spec)
    else:
        roster = read_roster(path)
        assert len(roster) == spec["rows"]
        if spec["outcome"] == "ok":
            assert roster.problems == ()
        check_key_problem(list(roster.problems), path.name, spec)


@parametrize_cases
def test_cli_validate_exit_code_and_stderr(case, capsys):
    """`analyser validate` exits 1 on errors, 0 with warnings, prints the messages, no traceback."""
    path, spec = case
    code = main(["validate", str(path)])
    out, err = capsys.readouterr()
    assert code == spec["exit_code"]
    assert "Traceback" not in err + out
    for fragment in spec["message_contains"]:
        assert fragment in err
    if code == EXIT_OK:
        assert f"usable: {spec['rows']} memberships" in out


@pytest.mark.parametrize(
    "case",
    ["empty.csv", "binary_png.csv", "nul_bytes.csv", "missing_unit_column.csv", "over_size_limit.csv",
     "cp1252_excel_export.csv", "formula_cells.xlsx", "utf16_broken.csv"],
    indirect=True,
)
def test_cli_subprocess(case):
    """`python -m analyser validate` in a fresh process: same exit code, messages, no traceback."""
    path, spec = case
    result = subprocess.run(
        [sys.executable, "-m", "analyser", "validate", str(path)], capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == spec["exit_code"], result.stderr
    assert "Traceback" not in result.stderr
    assert all(fragment in result.stderr for fragment in spec["message_contains"])


# -- formulas never reach a spreadsheet as formulas -------------------------------------------


def cells_of_csv_zip(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        frames = [pl.read_csv(archive.read(n), infer_schema=False) for n in archive.namelist()]
    return [v for f in frames for column in f.columns for v in [column, *f[column].to_list()] if v]


def cells_of_xlsx(data: bytes) -> list[tuple[str, bool]]:
    """Every text cell of a workbook with whether it carries Excel's quote prefix (text mark)."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [(c.value, bool(c.quotePrefix)) for ws in book.worksheets for row in ws.iter_rows() for c in row
            if c.data_type == "s"]


@pytest.mark.parametrize("case", ["formula_values.csv", "formula_cells.xlsx"], indirect=True)
def test_formula_values_are_neutralised_in_reports(case):
    """'=SUM(A1)' read from a roster comes out of the CSV report as text ('=SUM(A1)) and of the
    XLSX report as a string cell with Excel's quote prefix, no apostrophe shown."""
    path, _ = case
    analysis = analyse(read_roster(path), n_permutations=19)
    xlsx = report_bytes(analysis, "xlsx")
    with zipfile.ZipFile(io.BytesIO(xlsx)) as archive:
        sheets = [archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/")]
    assert not any(re.search(r"<f[ >]", s) for s in sheets), "the workbook holds a formula cell"
    cells = cells_of_csv_zip(report_bytes(analysis, "csv-zip"))
    assert "'=SUM(A1)" in cells
    assert [c for c in cells if c.startswith(FORMULA_TRIGGERS) and not _is_number(c)] == []
    text_cells = cells_of_xlsx(xlsx)
    assert ("=SUM(A1)", True) in text_cells
    assert [v for v, marked in text_cells if re.match(FORMULA_LIKE, v) and not marked] == []


def _is_number(text: str) -> bool:
    """Negative numbers (-0.5) are numbers in the CSV, not text a spreadsheet would run."""
    try:
        float(text)
    except ValueError:
        return False
    return True


# -- the size limit ----------------------------------------------------------------------------


def test_size_limit_is_checked_before_reading(tmp_path, monkeypatch):
    """read_roster refuses an over-size file from its size alone, without reading its bytes."""
    path = tmp_path / "big.csv"
    sparse_file(path, MAX_FILE_BYTES + 1)
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("the file was read"))
    with pytest.raises(RosterError) as exc:
        read_roster(path)
    [problem] = exc.value.problems
    assert (problem.file, problem.line, problem.severity) == ("big.csv", None, "error")
    assert problem.message.startswith("the file is 50.0 MB; the limit is 50 MB")


def test_size_limit_on_bytes_and_none_turns_it_off():
    """read_roster_bytes applies max_bytes to the data; None means no limit."""
    data = b"project,person,unit\nP1,ann,A\nP1,bob,B\n"
    with pytest.raises(RosterError, match=r"r.csv: the file is 0.0 MB; the limit is 0 MB"):
        read_roster_bytes(data, "r.csv", max_bytes=10)
    assert len(read_roster_bytes(data, "r.csv", max_bytes=len(data))) == 2
    assert len(read_roster_bytes(data, "r.csv", max_bytes=None)) == 2


def test_cli_max_file_mb(tmp_path, capsys):
    """--max-file-mb lowers or raises the limit; 0, nan or inf are usage errors."""
    path = tmp_path / "r.csv"
    path.write_bytes(b"project,person,unit\nP1,ann,A\nP1,bob,B\n" + b"P2,cid,C\n" * 200_000)
    assert main(["validate", str(path), "--max-file-mb", "1"]) == EXIT_INVALID_INPUT
    assert "r.csv: the file is 1.7 MB; the limit is 1 MB" in capsys.readouterr().err
    assert main(["validate", str(path), "--max-file-mb", "2.5"]) == EXIT_OK
    for bad in ("0", "-1", "nan", "inf"):
        assert main(["validate", str(path), "--max-file-mb", bad]) == EXIT_USAGE


# -- fuzzing -------------------------------------------------------------------------------------
# test_ingest.py already feeds random bytes, random zip-like bytes and csv-writer output; these
# add malformed text around a valid header, real zips with random members, and a check that a
# roster that reads also analyses. FUZZ_EXAMPLES scales them up for a long campaign.

FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
HEADERS = ["project", "person", "unit", "Projekt", "Namn", "Enhet", "start", "end", "allocation", "role", "Andel"]
PIECES = st.sampled_from(
    [",", ";", "\t", "|", '"', '""', "\n", "\r", "\r\n", " ", "\xa0", "=", "sep=;", "P1", "ann", "A/B", "Å",
     "2026-01-01", "31/02/2026", "50 %", "1e309", "-0", "\ufeff", "\x00", "\x1a", "\u2028", "𝔘"]
)
CELL = st.lists(PIECES, max_size=4).map("".join) | st.text(max_size=8)
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16", "utf-16-le", "mac_roman"])


def read_and_analyse(data: bytes, name: str) -> None:
    """Reading raises only RosterError; a roster that reads also analyses."""
    try:
        roster = read_roster_bytes(data, name)
    except RosterError as exc:
        assert exc.problems and all(p.file == name for p in exc.problems)
        assert all(p.severity in ("error", "warning") for p in exc.problems)
        return
    assert isinstance(roster, Roster) and len(roster) > 0
    analyse(roster, n_permutations=9)


@st.composite
def malformed_csv(draw) -> bytes:
    """A valid-looking header, then rows of random cells, delimiters, quotes and line ends."""
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    header = draw(st.lists(st.sampled_from(HEADERS), min_size=1, max_size=6))
    rows = draw(st.lists(st.lists(CELL, max_size=7), max_size=8))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    text = newline.join(delimiter.join(r) for r in [header, *rows])
    encoding = draw(ENCODINGS)
    return text.encode(encoding, errors="replace")


@FUZZ
@given(data=malformed_csv(), name=st.sampled_from(["f.csv", "f.xlsx", "f.txt"]))
def test_fuzz_malformed_csv(data, name):
    """Random cells, quotes, line ends and encodings around a valid header never crash."""
    read_and_analyse(data, name)


@st.composite
def xlsx_like_zip(draw) -> bytes:
    """A zip with workbook-ish member names holding random or truncated XML."""
    members = ["[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
               "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "_rels/.rels", "xl/styles.xml"]
    valid = workbook([("Roster", ROSTER)])
    with zipfile.ZipFile(io.BytesIO(valid)) as book:
        originals = {n: book.read(n) for n in book.namelist()}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for member in draw(st.lists(st.sampled_from(sorted(set(members) | set(originals))), unique=True)):
            original = originals.get(member, b"")
            content = draw(st.one_of(
                st.binary(max_size=200),
                st.just(original),
                st.integers(0, max(len(original), 1)).map(lambda n, o=original: o[:n]),
                st.tuples(st.integers(0, max(len(original), 1)), st.binary(min_size=1, max_size=8)).map(
                    lambda t, o=original: o[: t[0]] + t[1] + o[t[0] + len(t[1]):]
                ),
            ))
            archive.writestr(member, content)
    data = buffer.getvalue()
    cut = draw(st.none() | st.integers(4, max(len(data), 4)))
    return data if cut is None else data[:cut]


@FUZZ
@given(data=xlsx_like_zip())
def test_fuzz_xlsx_like_zips(data):
    """Zips with damaged workbook parts fail as RosterError (or read), never an engine crash."""
    read_and_analyse(data, "f.xlsx")


@FUZZ
@given(data=st.binary(max_size=2000), prefix=st.sampled_from(
    [b"", b"project,person,unit\n", b"\xef\xbb\xbfProjekt;Namn;Enhet\r\n", b"\xff\xfe", b"PK\x03\x04", b"sep=|\n"]
))
def test_fuzz_random_bytes_after_a_prefix(data, prefix):
    """Random bytes after a header, BOM or zip signature raise only RosterError; rosters analyse."""
    read_and_analyse(prefix + data, "f.csv")


def patch_central_directory(data: bytes, offset: int, value: int) -> bytes:
    """Overwrite a 2-byte field (at ``offset`` from the signature) of every central directory entry."""
    out = bytearray(data)
    for match in re.finditer(rb"PK\x01\x02", data):
        out[match.start() + offset : match.start() + offset + 2] = value.to_bytes(2, "little")
    return bytes(out)


@pytest.mark.parametrize(
    ("offset", "value"),
    [(6, 235), (8, 1), (10, 99)],
    ids=["zip-version-23.5", "encrypted-flag", "unknown-compression"],
)
def test_workbook_python_zipfile_rejects_reads_or_fails_cleanly(offset, value):
    """Regression (fuzz campaign): a workbook the Excel engine reads but zipfile refuses
    ('zip file version 23.5' raised NotImplementedError) no longer escapes as a crash."""
    data = patch_central_directory(workbook([("Roster", ROSTER)]), offset, value)
    try:
        roster = read_roster_bytes(data, "z.xlsx")
    except RosterError as exc:
        assert str(exc).startswith("z.xlsx: cannot be read as an Excel workbook")
    else:
        assert roster.memberships.select("person", "line").rows() == [("ann", 2), ("bob", 3)]


# -- small files that cost a lot to read (issue 12) ----------------------------------------------
# Each was an attack that got through: it killed the process or took gigabytes. The ones that
# would still kill the process if the guard broke run in a fresh process, so that pytest survives.


def roster_sheet(*extra_rows: str, dimension: str | None = None) -> str:
    """Sheet XML of the ROSTER rows (inline strings, with references) and then ``extra_rows``."""
    def row(number: int, values: list[str]) -> str:
        cells = "".join(f'<c r="{col}{number}" t="inlineStr"><is><t>{v}</t></is></c>' for col, v in zip("ABC", values))
        return f'<row r="{number}">{cells}</row>'

    head = f'<dimension ref="{dimension}"/>' if dimension else ""
    body = "".join(row(n, values) for n, values in enumerate(ROSTER, 1)) + "".join(extra_rows)
    return f'<worksheet xmlns="{SPREADSHEET_NS}">{head}<sheetData>{body}</sheetData></worksheet>'


def text_cell(ref: str, text: str = "x") -> str:
    """A row holding one text cell at ``ref``."""
    return f'<row r="{ref.lstrip(string.ascii_uppercase)}"><c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c></row>'


def validate_in_subprocess(path: Path) -> subprocess.CompletedProcess:
    """`python -m analyser validate PATH` in a fresh process."""
    return subprocess.run(
        [sys.executable, "-m", "analyser", "validate", str(path)], capture_output=True, text=True, timeout=300,
    )


def xfd_by_xlsxwriter() -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Roster")
    for r, row in enumerate(ROSTER):
        sheet.write_row(r, 0, row)
    sheet.write_string(1_048_575, 16_383, "x")
    book.close()
    return buffer.getvalue()


STRAY_XFD = {
    "xlsxwriter": xfd_by_xlsxwriter,
    "no-dimension": lambda: sheet_workbook(roster_sheet(text_cell("XFD1048576"))),
    "dimension-says-A1:C3": lambda: sheet_workbook(roster_sheet(text_cell("XFD1048576"), dimension="A1:C3")),
    "lower-case-reference": lambda: sheet_workbook(roster_sheet(text_cell("XFD1048576").replace('r="XFD', 'r="xfd'))),
}


@pytest.mark.parametrize("build", STRAY_XFD.values(), ids=STRAY_XFD.keys())
def test_stray_cell_at_xfd1048576_exits_1_instead_of_aborting(tmp_path, build):
    """Regression: one cell at XFD1048576 in a 2 KB workbook made the Excel engine ask for 512 GB
    and abort (exit 134, no handler ran; the dashboard server died). It is refused first."""
    path = tmp_path / "stray.xlsx"
    path.write_bytes(build())
    result = validate_in_subprocess(path)
    assert result.returncode == EXIT_INVALID_INPUT, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(
        "error: stray.xlsx: sheet 'Roster': the used range reaches XFD1048576 (1,048,576 rows × 16,384 columns"
    )
    assert "delete the stray cell XFD1048576 or copy the roster to a new sheet" in result.stderr


def test_part_longer_than_its_archive_says_is_refused(tmp_path):
    """Regression: zipfile stops at the size the archive declares, the engine does not; a sheet
    declared short (its CRC matching the short part) hid a cell at XFD1048576 from the check."""
    data = sheet_workbook(roster_sheet(text_cell("XFD1048576")))
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        sheet = book.read("xl/worksheets/sheet1.xml")
    shown = sheet[: sheet.index(b'<row r="1048576"')]
    out = bytearray(data)
    for signature, crc_at, name_length_at, name_at in ((b"PK\x03\x04", 14, 26, 30), (b"PK\x01\x02", 16, 28, 46)):
        for found in re.finditer(re.escape(signature), data):
            start = found.start()
            length = int.from_bytes(data[start + name_length_at : start + name_length_at + 2], "little")
            if data[start + name_at : start + name_at + length] == b"xl/worksheets/sheet1.xml":
                out[start + crc_at : start + crc_at + 4] = zlib.crc32(shown).to_bytes(4, "little")
                out[start + crc_at + 8 : start + crc_at + 12] = len(shown).to_bytes(4, "little")
    path = tmp_path / "hidden.xlsx"
    path.write_bytes(bytes(out))
    result = validate_in_subprocess(path)
    assert result.returncode == EXIT_INVALID_INPUT, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert re.match(r"error: hidden\.xlsx: (cannot be read as an Excel workbook|the workbook part)", result.stderr)


@pytest.mark.parametrize("ref", ["C1048576", "Z100000"])
def test_stray_cell_within_the_cell_budget_is_read(tmp_path, ref):
    """A stray cell whose range stays within MAX_SHEET_CELLS is read; the rows between are blank."""
    path = tmp_path / "stray.xlsx"
    path.write_bytes(sheet_workbook(roster_sheet(text_cell(ref))))
    result = validate_in_subprocess(path)
    assert result.returncode == EXIT_OK, result.stderr[-2000:]
    assert "blank row(s) skipped" in result.stderr
    assert "usable: 2 memberships" in result.stdout


def test_cells_without_references_are_counted_as_the_engine_counts(tmp_path):
    """Cells and rows written without ``r`` are placed by counting: 16,385 cells in a row, or a
    row after ``<row r="1048576"/>``, reach past Excel's last column or row and are refused."""
    wide = "<row>" + "<c><v>1</v></c>" * (MAX_COLUMNS + 1) + "</row>"
    with pytest.raises(RosterError, match=r"reaches XFE4 \(4 rows × 16,385 columns .*stray cell XFE4 or copy"):
        read_roster_bytes(sheet_workbook(roster_sheet(wide)), "wide.xlsx")
    low = '<row r="1048576"/><row><c><v>1</v></c></row>'
    with pytest.raises(RosterError, match=r"reaches C1048577 \(1,048,577 rows .*stray cell A1048577 or copy"):
        read_roster_bytes(sheet_workbook(roster_sheet(low)), "low.xlsx")


def test_formatted_empty_cell_far_away_is_not_refused():
    """Excel writes a formatted empty cell as ``<c r="XFD1048576" s="1"/>``; the engine skips it,
    so the guard does too (it only moves the engine's column cursor)."""
    sheet = roster_sheet('<row r="1048576"><c r="XFD1048576" s="1"/></row>')
    roster = read_roster_bytes(sheet_workbook(sheet), "f.xlsx")
    assert roster.memberships.select("person", "line").rows() == [("ann", 2), ("bob", 3)]


UNUSUAL = {
    "comment": "<!-- </row> -->",
    "gt-in-attribute": '<row r="9"><c r="A9" note=">" t="inlineStr"><is><t>x</t></is></c></row>',
    "cell-in-cell": '<row r="9"><c r="A9"><c r="B9"><v>1</v></c></c></row>',
    "spaced-equals": '<row r="9"><c r = "A9"><v>1</v></c></row>',
    "two-references": '<row r="9"><c r="A9" r="B9"><v>1</v></c></row>',
    "odd-reference": '<row r="9"><c r="A$9"><v>1</v></c></row>',
}


@pytest.mark.parametrize("extra", UNUSUAL.values(), ids=UNUSUAL.keys())
def test_sheet_xml_the_guard_cannot_follow_is_refused(extra):
    """XML the engine may read differently from the guard (which no spreadsheet program writes)
    is refused, with advice to save the file again from Excel."""
    with pytest.raises(RosterError) as exc:
        read_roster_bytes(sheet_workbook(roster_sheet(extra)), "odd.xlsx")
    assert str(exc.value).startswith("odd.xlsx: sheet 'Roster' is written in an unusual way (")
    assert str(exc.value).endswith(") that cannot be checked safely; open the file in Excel and save it again")


def zip_bomb() -> bytes:
    """200 values of 100,000 letters (each under the value limit): 20 MB that pack into 20 KB."""
    return sheet_workbook(roster_sheet(*(text_cell(f"B{r}", "x" * 100_000) for r in range(4, 204))))


def random_text(size: int) -> str:
    """Letters that compress about 1.3:1, so only the length limits apply."""
    return "".join(random.Random(0).choices(string.ascii_letters, k=size))


def test_long_workbook_value_is_refused_like_a_long_csv_value():
    """A value over the CSV field limit is refused in workbooks too: at its row when the engine
    read it, before the engine when it is far over (so it is never loaded)."""
    message = "a value on this row is longer than 131,072 characters, the most one value may hold; shorten it"
    with pytest.raises(RosterError, match=rf"^long\.xlsx:4: {message}$"):
        read_roster_bytes(sheet_workbook(roster_sheet(text_cell("B4", random_text(150_000)))), "long.xlsx")
    with pytest.raises(RosterError, match=r"^long\.xlsx: sheet 'Roster' holds a value longer than 131,072 characters"):
        read_roster_bytes(sheet_workbook(roster_sheet(text_cell("B4", random_text(600_000)))), "long.xlsx")


def test_workbook_unpacking_far_beyond_its_size_is_refused(monkeypatch):
    """20 MB of values pack into 20 KB (a 200 MB cell was read: +1 GB); past 100:1 a part is refused
    as it unpacks, and the whole workbook may not unpack to more than MAX_XLSX_UNPACKED_BYTES."""
    bomb = zip_bomb()
    assert len(bomb) < 40_000
    with pytest.raises(RosterError, match=r"^bomb\.xlsx: the workbook part xl/worksheets/sheet1\.xml unpacks to more "
                                          r"than [\d.]+ MB from [\d.]+ KB \(over 100:1, a zip bomb\?\)"):
        read_roster_bytes(bomb, "bomb.xlsx")
    monkeypatch.setattr(xlsx_guard, "MAX_XLSX_UNPACKED_BYTES", 2_000)
    with pytest.raises(RosterError, match=r"^big\.xlsx: the workbook unpacks to more than 0 MB; at most 0 MB are read"):
        read_roster_bytes(workbook([("Roster", ROSTER)]), "big.xlsx")


def test_workbook_parts_repeated_or_too_many_are_refused(monkeypatch):
    """A part stored twice (the engine and the guard could read different copies) is refused, and
    so is a workbook of more than MAX_XLSX_PARTS parts."""
    buffer = io.BytesIO()
    original = zipfile.ZipFile(io.BytesIO(workbook([("Roster", ROSTER)])))
    with zipfile.ZipFile(buffer, "w") as archive, pytest.warns(UserWarning, match="Duplicate name"):
        for name in original.namelist():
            archive.writestr(name, original.read(name))
        archive.writestr("xl/worksheets/sheet1.xml", roster_sheet(text_cell("Z100")))
    with pytest.raises(RosterError, match=r"^twice\.xlsx: the workbook holds the part xl/worksheets/sheet1\.xml twice"):
        read_roster_bytes(buffer.getvalue(), "twice.xlsx")
    monkeypatch.setattr(xlsx_guard, "MAX_XLSX_PARTS", 3)
    with pytest.raises(RosterError, match=r"^parts\.xlsx: the workbook has \d+ parts; at most 3 are read$"):
        read_roster_bytes(workbook([("Roster", ROSTER)]), "parts.xlsx")


# -- the data check in the reader's language (issue 11) -------------------------------------------


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _problems_of(path: Path) -> list[Problem]:
    try:
        return list(read_roster(path).problems)
    except InputError as exc:
        return exc.problems


def test_every_data_check_key_is_in_both_languages_with_the_same_placeholders():
    """Each ``datacheck.*`` key has an English and a Swedish text with the same {placeholders}."""
    en, sv = catalogue("en"), catalogue("sv")
    keys = sorted(k for k in en if k.startswith("datacheck."))
    assert len(keys) > 100 and keys == sorted(k for k in sv if k.startswith("datacheck."))
    different = [k for k in keys if _fields(en[k]) != _fields(sv[k]) or not sv[k].strip()]
    assert not different


def test_every_key_the_readers_name_is_in_the_catalogue():
    """Every literal ``"datacheck.…"`` key in the reading code is in both catalogues (a key used with
    :func:`plural_key` as its ``.one`` and ``.other`` forms)."""
    sources = [*Path("analyser/ingest").glob("*.py"), Path("analyser/roster.py"), Path("analyser/privacy.py"),
               Path("analyser/cli.py")]  # fmt: skip
    root = Path(__file__).resolve().parents[1]
    named = {k for s in sources for k in re.findall(r'"(datacheck\.[a-z0-9_.]+[a-z0-9_])"', (root / s).read_text("utf-8"))}
    assert len(named) > 60
    for lang in ("en", "sv"):
        words = catalogue(lang)
        missing = [k for k in named if k not in words and not {f"{k}.one", f"{k}.other"} <= set(words)
                   and not any(w.startswith(k + ".") for w in words)]  # fmt: skip
        assert not missing, (lang, missing)


@parametrize_cases
def test_every_problem_of_the_corpus_reads_in_swedish(case):
    """Each problem found in every bad file has a key: its English is ``str()`` exactly, its Swedish
    text is a different text, and both survive storing (``record``) unchanged."""
    path, _spec = case
    for p in _problems_of(path):
        assert p.key is not None, str(p)
        assert p.describe("en") == str(p) and p.text("en") == p.message
        assert p.text("sv") != p.text("en"), p.key
        stored = Problem.from_record(json.loads(json.dumps(p.record())))
        assert (stored.text("sv"), str(stored), stored) == (p.text("sv"), str(p), p)


def test_known_problems_in_swedish_and_english(tmp_path):
    """A file with the common faults reads in Swedish as a Swedish analyst would write it, and in
    English exactly as before (the CLI and JSON contract)."""
    f = tmp_path / "r.csv"
    f.write_text(
        "project,person,unit,start\nP1,Anna,A,2026-01-01\nP1,Bo,,\nP1,Anna,A,2026-01-01\nP2,Cai,B,1/3/26\n"
        "P2,Bo,B,\n\nP3,Dan,A,\n",
        encoding="utf-8",
    )
    problems = read_roster(f).problems
    english = [str(p) for p in problems]
    assert english == [
        "r.csv: 1 blank row(s) skipped (line 7)",
        "r.csv: project: 2 project(s) have only one member: P1, P3 (allowed: the person stays in the data but gets "
        "no ties from it)",
        "r.csv:3: unit: missing value (row skipped)",
        "r.csv:4: same row as line 2 (duplicate row skipped)",
        "r.csv:5: start: '1/3/26' is not a date (write it as YYYY-MM-DD); left empty",
    ]
    assert [p.describe("sv") for p in problems] == [
        "r.csv: 1 tom rad hoppades över (rad 7)",
        "r.csv: projekt: 2 projekt har bara en deltagare var: P1, P3 (tillåtet: personerna finns kvar i underlaget "
        "men får inga band därifrån)",
        "r.csv:3: enhet: värde saknas (raden hoppades över)",
        "r.csv:4: samma som rad 2 (dubblettraden hoppades över)",
        "r.csv:5: start: '1/3/26' är inget datum (skriv det som ÅÅÅÅ-MM-DD); lämnades tomt",
    ]


def test_words_inside_values_are_translated_too(tmp_path):
    """Column names, reasons and "(empty)" inside a message are keys, not English words."""
    f = tmp_path / "r.csv"
    f.write_text("project,person,unit,role\nP1,ann,A,lead\nP1,ann,A,\nP1,bob,B,\nP2,bob,C,\n", encoding="utf-8")
    problems = read_roster(f).problems
    repeated = next(p for p in problems if p.key == "datacheck.repeated_membership")
    assert repeated.text("sv") == (
        "'ann' står på projektet 'P1' igen (först på rad 2) med annan roll (tomt) här, 'lead' på rad 2; "
        "rad 2 behölls, den här raden hoppades över"
    )
    split = next(p for p in problems if p.key == "datacheck.split_person")
    assert str(split) == ("r.csv:5: unit: 'bob' is listed under 2 units: 'B' (line 4); 'C' (line 5); using 'B' "
                          "(most rows; tie, listed first) for all their rows, since a person belongs to one unit in "
                          "the analysis")  # fmt: skip
    assert split.describe("sv") == (
        "r.csv:5: enhet: 'bob' står under 2 enheter: 'B' (rad 4); 'C' (rad 5); 'B' används (flest rader; lika "
        "många, den som står först) för alla personens rader, eftersom en person hör till en enhet i analysen"
    )


@pytest.mark.parametrize("case", ["many_duplicate_rows.csv"], indirect=True)
def test_summary_of_capped_problems_counts_in_each_language(case):
    """The line counting the problems past the first 100 has its own singular and plural in Swedish."""
    path, _ = case
    summary = read_roster(path).problems[-1]
    assert str(summary) == (
        f"{path.name}:103: … and 9,899 more duplicate rows (skipped); only the first 100 are listed"
    )
    assert summary.text("sv") == "… och ytterligare 9\xa0899 dubblettrader (hoppades över); bara de första 100 visas"


def test_cp1252_and_refusals_in_swedish(tmp_path):
    """The encoding note and a refused file read in Swedish; the column of a missing header is named in Swedish."""
    note = read_roster_bytes("Projekt;Namn;Enhet\nP1;Åsa;Äldreomsorg\nP1;Per;IT\n".encode("cp1252"), "r.csv").problems[0]
    assert note.text("sv").startswith("filen är inte i UTF-8 och lästes som Windows-1252 (cp1252), som Excel i Windows")
    with pytest.raises(InputError) as refused:
        read_roster_bytes(b"Projekt;Namn\nP1;Anna\n", "r.csv")
    (problem,) = refused.value.problems
    assert problem.describe("sv").startswith("r.csv:1: enhet: obligatorisk kolumn saknas. Rubriker i filen: 'Projekt', 'Namn'.")
    assert problem.describe("sv").endswith("eller mappa den: --columns unit=RUBRIK")


def test_data_check_privacy_in_swedish(tmp_path):
    """Pseudonym and aggregate modes hide the names among a problem's values in every language."""
    f = tmp_path / "r.csv"
    f.write_text("project,person,unit\nP1,Lena Holm,A\nP1,Bo,B\nP2,Lena Holm,B\nP2,Cai,A\n", encoding="utf-8")
    roster = read_roster(f)
    (split,) = private_problems(roster.problems, "pseudonyms", ["Lena Holm", "Bo", "Cai"], b"salt")
    assert "Lena" not in split.text("sv") + str(split) and split.text("sv").startswith("'P-")
    (counted,) = private_problems(roster.problems, "aggregate", ["Lena Holm", "Bo", "Cai"], b"salt")
    assert str(counted).startswith("r.csv: unit: 1 row(s): 'a person' is listed under 2 units")
    assert counted.text("sv").startswith("1 rad: 'en person' står under 2 enheter")


def test_report_data_check_in_the_report_language(tmp_path):
    """The HTML report's data-check section is written in the report's language; the JSON keeps English."""
    f = tmp_path / "r.csv"
    f.write_text("project,person,unit\nP1,ann,A\nP1,bob,\nP1,cid,B\nP2,cid,B\nP2,dan,A\n", encoding="utf-8")
    analysis = analyse(read_roster(f))
    swedish = report_bytes(analysis, "html", lang="sv").decode("utf-8")
    assert "värde saknas (raden hoppades över)" in swedish and "<td>enhet</td>" in swedish
    english = report_bytes(analysis, "html", lang="en").decode("utf-8")
    assert "missing value (row skipped)" in english and "<td>unit</td>" in english
    rows = json.loads(report_bytes(analysis, "json", lang="sv"))["data_check"]
    assert rows[0]["message"] == "missing value (row skipped)" and rows[0]["column"] == "unit"
