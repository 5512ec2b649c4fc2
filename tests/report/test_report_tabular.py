"""Tests for analyser.report.tabular: XLSX workbook and CSV files."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analyser.analysis import UNIT_COLUMNS
from analyser.report import report_bytes, write_report
from analyser.report.tabular import FORMULA_TRIGGERS, SHEETS, neutralise_formulas

FORMULA = '=HYPERLINK("http://x","y")'
SHEET_NAMES = [title for _, title, _ in SHEETS]
CSV_NAMES = sorted(name for _, _, name in SHEETS)


@pytest.fixture(scope="module")
def workbook_bytes(make_analysis) -> bytes:
    """The XLSX report of the fixture analysis."""
    return report_bytes(make_analysis(), "xlsx")


def test_workbook_has_every_sheet(workbook_bytes):
    """The workbook holds Summary, Units, People, Projects, Unit links, Data check, About."""
    assert openpyxl.load_workbook(io.BytesIO(workbook_bytes)).sheetnames == SHEET_NAMES


def test_workbook_reads_back_with_polars(workbook_bytes, analysis):
    """Each result sheet reads back (fastexcel) with the contract columns and all rows."""
    units = pl.read_excel(io.BytesIO(workbook_bytes), sheet_name="Units")
    assert tuple(units.columns) == UNIT_COLUMNS
    assert units.height == analysis.units.height
    people = pl.read_excel(io.BytesIO(workbook_bytes), sheet_name="People")
    assert "Åsa Öberg" in people["person"].to_list()
    assert people.filter(pl.col("person") == "Cia Lund")["constraint"].item() is None  # NaN -> empty


def test_formula_strings_are_text_cells_without_a_visible_mark(workbook_bytes):
    """A formula-like name is a string cell with Excel's quote prefix (no apostrophe shown in
    the cell, and it stays text when edited), never a formula; other text has no prefix."""
    book = openpyxl.load_workbook(io.BytesIO(workbook_bytes))
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert not [c.coordinate for c in cells if c.hyperlink is not None]
    texts = {c.value: c for c in cells if c.data_type == "s"}
    for value in (FORMULA, "+46 70 123 45 67", "-Budget 2027"):
        assert texts[value].quotePrefix, value
    assert not [v for v in texts if v.startswith("'")]
    assert not texts["Åsa Öberg"].quotePrefix


SNEAKY = ["＝1+1", "＋SUM(A1)", "－2+3", "＠SUM(A1)", "﹦1+1", "−1+1", " =1+1", "\u3000＝1+1", "\n=1+1"]


def test_full_width_and_spaced_signs_are_neutralised(make_analysis):
    """Full-width, small and minus signs, and a sign after white space, count as formulas:
    an apostrophe in CSV, a quote-prefixed string cell in XLSX."""
    base = make_analysis().projects
    projects = base[[i % base.height for i in range(len(SNEAKY))]].with_columns(pl.Series("project", SNEAKY))
    analysis = make_analysis(projects=projects)
    csv_names = pl.read_csv(zipfile.ZipFile(io.BytesIO(report_bytes(analysis, "csv-zip"))).read("projects.csv"))
    assert csv_names["project"].to_list() == ["'" + name for name in SNEAKY]
    sheet = openpyxl.load_workbook(io.BytesIO(report_bytes(analysis, "xlsx")))["Projects"]
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [(c.value, c.data_type, c.quotePrefix) for c in cells] == [(name, "s", True) for name in SNEAKY]


def test_urls_stay_plain_text(make_analysis):
    """A URL-like name is written as a plain string, not turned into a hyperlink."""
    projects = make_analysis().projects.with_columns(pl.lit("https://example.org/x").alias("project"))
    book = openpyxl.load_workbook(io.BytesIO(report_bytes(make_analysis(projects=projects), "xlsx")))
    cell = book["Projects"]["A2"]
    assert (cell.value, cell.data_type, cell.hyperlink) == ("https://example.org/x", "s", None)


def test_numbers_stay_numbers(workbook_bytes):
    """Numeric cells (including negative E-I values) are numbers, not prefixed text."""
    sheet = openpyxl.load_workbook(io.BytesIO(workbook_bytes))["Units"]
    header = [c.value for c in sheet[1]]
    ei = [row[header.index("ei_index")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert -0.667 in ei
    assert all(v is None or isinstance(v, (int, float)) for v in ei)  # -1.0 reads back as -1


def test_summary_and_about_sheets(workbook_bytes):
    """Summary is a figure/value sheet; About names the privacy mode and min group size."""
    summary = pl.read_excel(io.BytesIO(workbook_bytes), sheet_name="Summary")
    assert summary.columns == ["figure", "value"]
    assert dict(summary.iter_rows())["people"] == 53
    about = dict(pl.read_excel(io.BytesIO(workbook_bytes), sheet_name="About").iter_rows())
    assert about["privacy"] == "names"
    assert about["min_group_size"] == "5"
    assert about["suppressed_units"] == "Legal"


def test_data_check_sheet(workbook_bytes, analysis):
    """The Data check sheet lists every problem with its line number."""
    checks = pl.read_excel(io.BytesIO(workbook_bytes), sheet_name="Data check")
    assert checks.columns == ["file", "line", "column", "severity", "message"]
    assert checks.height == len(analysis.problems)
    assert checks["line"].to_list()[:2] == [7, 12]


def test_csv_folder_has_every_file(analysis, tmp_path):
    """A path without suffix becomes a folder with one CSV per table."""
    out = write_report(analysis, tmp_path / "report")
    assert out.is_dir()
    assert sorted(p.name for p in out.iterdir()) == CSV_NAMES


def test_csv_files_round_trip(analysis, tmp_path):
    """CSV files read back with contract columns, UTF-8 names and neutralised formulas."""
    out = write_report(analysis, tmp_path / "report")
    units = pl.read_csv(out / "units.csv")
    assert tuple(units.columns) == UNIT_COLUMNS
    assert units.filter(pl.col("unit") == "Legal")["ei_index"].item() is None
    people = pl.read_csv(out / "people.csv")
    assert "Åsa Öberg" in people["person"].to_list()
    assert "'" + FORMULA in people["person"].to_list()
    assert (out / "units.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8


def test_existing_directory_gets_csv(analysis, tmp_path):
    """An existing folder is written as a CSV folder even if its name has a dot."""
    folder = tmp_path / "report.v2"
    folder.mkdir()
    assert write_report(analysis, folder) == folder
    assert (folder / "summary.csv").exists()


def test_csv_zip_holds_the_same_files(analysis, tmp_path):
    """The csv-zip download holds exactly the files of the CSV folder, byte for byte."""
    archive = zipfile.ZipFile(io.BytesIO(report_bytes(analysis, "csv-zip")))
    assert sorted(archive.namelist()) == CSV_NAMES
    out = write_report(analysis, tmp_path / "report")
    assert archive.read("projects.csv") == (out / "projects.csv").read_bytes()


def test_csv_zip_is_deterministic(analysis):
    """Zipping the same analysis twice gives the same bytes (fixed timestamps)."""
    assert report_bytes(analysis, "csv-zip") == report_bytes(analysis, "csv-zip")


def test_aggregate_mode_people_sheet_empty(make_analysis):
    """In aggregate mode the People sheet has the contract header and no rows."""
    data = report_bytes(make_analysis(privacy="aggregate"), "xlsx")
    people = pl.read_excel(io.BytesIO(data), sheet_name="People")
    assert people.height == 0
    assert people.columns[0] == "person"


def test_empty_analysis_writes_every_sheet(make_analysis):
    """Empty tables without columns still give every sheet and CSV file."""
    empty = pl.DataFrame()
    bare = make_analysis(units=empty, people=empty, projects=empty, unit_links=empty, problems=())
    book = openpyxl.load_workbook(io.BytesIO(report_bytes(bare, "xlsx")))
    assert book.sheetnames == SHEET_NAMES
    assert sorted(zipfile.ZipFile(io.BytesIO(report_bytes(bare, "csv-zip"))).namelist()) == CSV_NAMES


def test_list_columns_become_text(make_analysis):
    """A list-valued extra column is joined into text so CSV can hold it."""
    links = make_analysis().unit_links.with_columns(pl.lit(["ann", "=bob"]).alias("key_people"))
    text = zipfile.ZipFile(io.BytesIO(report_bytes(make_analysis(unit_links=links), "csv-zip")))
    links_csv = pl.read_csv(text.read("unit_links.csv"))
    assert links_csv["key_people"][0] == "ann; =bob"


@given(st.text(st.sampled_from([*FORMULA_TRIGGERS, " ", "\u3000", "a", "1", "'"]), max_size=20) | st.text(max_size=20))
def test_neutralised_text_never_starts_a_formula(text):
    """After neutralising, no string starts with a trigger, even after white space; others are unchanged."""
    result = neutralise_formulas(pl.DataFrame({"s": [text]}))["s"].item()
    assert not result.startswith(FORMULA_TRIGGERS)
    assert not result.lstrip().startswith(FORMULA_TRIGGERS) or result.startswith("'")
    risky = text.startswith(("\t", "\r", "\n")) or text.lstrip().startswith(FORMULA_TRIGGERS)
    assert result == (("'" + text) if risky else text)


def test_neutralise_leaves_numbers(make_analysis):
    """Numeric columns are untouched: negative numbers are not prefixed."""
    units = make_analysis().units
    assert neutralise_formulas(units)["ei_index"].equals(units["ei_index"])


def test_exports_carry_verdicts_and_cross_unit_betweenness(workbook_bytes, tmp_path, make_analysis):
    """XLSX and CSV hold the verdict, q, the test's baseline and cross-unit betweenness, by contract name."""
    units = pl.read_excel(io.BytesIO(workbook_bytes), sheet_name="Units")
    verdict = dict(zip(units["unit"], units["verdict"]))
    assert verdict["Archive"] == "too_little_data" and verdict["IT"] == "silo" and verdict["Culture"] == "not_silo"
    assert units.filter(pl.col("unit") == "Archive")["ei_q"].item() is None
    folder = write_report(make_analysis(), tmp_path / "csv")
    csv_units = pl.read_csv(folder / "units.csv")
    assert csv_units.filter(pl.col("unit") == "IT").select("ei_expected_perm", "ei_q", "silo").row(0) == (0.11, 0.04, True)
    people = pl.read_csv(folder / "people.csv")
    assert people.columns.index("cross_unit_betweenness") == people.columns.index("sole_bridges") + 1
