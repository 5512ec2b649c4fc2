"""Tests of the dialogue sheet (analyser.report.unit_sheet) and `analyser report --unit/--per-unit`.

The sheets are made from real rosters (u-boot and DPDK maintainers, the shipped sample at two
levels): the unit with the most partner units and a tiny one, in both languages. The PDF tests
print them and count pages; like the report's PDF tests they are marked slow (they run in CI,
which installs Chromium and poppler-utils) and skip where Chromium or Pango is missing.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import polars as pl
import pytest

from analyser.analysis import analyse
from analyser.cli import EXIT_INVALID_INPUT, EXIT_OK, EXIT_USAGE, main
from analyser.ingest import read_roster
from analyser.periods import trends_json
from analyser.report import PdfExportError
from analyser.report.unit_sheet import (
    MAX_QUESTIONS,
    MIN_QUESTIONS,
    SHEET_TEXTS,
    TrendFacts,
    UnitFacts,
    UnknownUnitError,
    discussion_questions,
    sheet_html,
    sheet_pdfs,
    unit_facts,
    unit_sheet_bytes,
)
from tests.shared_data import REAL_ROSTERS, SAMPLE_ROSTER, require_shared

EN, SV = SHEET_TEXTS["en"], SHEET_TEXTS["sv"]
CODE = re.compile(r"P-[A-Z2-7]{8}")  # a pseudonym (analyser.privacy.pseudonym)

#: (name, roster path, level): the rosters the sheets must fit one page on.
ROSTERS = {
    "uboot": (REAL_ROSTERS / "uboot.csv", None),
    "dpdk": (REAL_ROSTERS / "dpdk.csv", None),
    "sample-1": (SAMPLE_ROSTER, 1),
    "sample-2": (SAMPLE_ROSTER, 2),
}


class Case:
    """One roster at one level: the analysis in a privacy mode, its memberships and periods."""

    def __init__(self, name: str, privacy: str = "names", **options) -> None:
        path, level = ROSTERS[name]
        self.roster = read_roster(require_shared(path))
        self.level = level
        self.analysis = analyse(self.roster, level=level, privacy=privacy, **options)
        self.memberships = self.roster.at_level(level)
        self.trends = None
        if self.roster.has_dates:
            self.trends = trends_json(self.roster, period="year", level=level, privacy=privacy, **options)

    def facts(self, unit: str) -> UnitFacts:
        return unit_facts(self.analysis, unit, memberships=self.memberships, trends=self.trends)

    def page(self, unit: str, lang: str = "en") -> str:
        """The sheet as HTML without plotly.js (the words only, quick to search)."""
        return sheet_html(self.facts(unit), self.analysis.meta, lang=lang, plotlyjs=False)

    def most_partners(self) -> str:
        units = self.analysis.units.filter(~pl.col("suppressed"))
        return units.sort(["partner_units", "unit"], descending=[True, False], nulls_last=True)["unit"][0]

    def tiny(self) -> str:
        return self.analysis.units.sort(["people", "unit"])["unit"][0]


_CASES: dict[tuple, Case] = {}


def case(name: str, privacy: str = "names", **options) -> Case:
    """Analyses are shared by the tests of this module (each takes up to a few seconds)."""
    key = (name, privacy, tuple(sorted(options.items())))
    if key not in _CASES:
        _CASES[key] = Case(name, privacy, **options)
    return _CASES[key]


def text_of(page: str) -> str:
    """The visible words of a sheet: tags out, entities read, whitespace runs as one space."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def pdf_pages(pdf: bytes) -> int:
    """Page count of a PDF, as poppler's pdfinfo reads it."""
    if shutil.which("pdfinfo") is None:
        pytest.skip("pdfinfo not installed (apt-get install poppler-utils)")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sheet.pdf"
        path.write_bytes(pdf)
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True, timeout=60).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def pdf_text(pdf: bytes) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext not installed (apt-get install poppler-utils)")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sheet.pdf"
        path.write_bytes(pdf)
        command = ["pdftotext", "-enc", "UTF-8", str(path), "-"]
        done = subprocess.run(command, capture_output=True, check=True, timeout=60)
    return " ".join(done.stdout.decode("utf-8").split())


def render_pdfs(make) -> list[bytes]:
    """``make()``, skipped where PDF export cannot run (as the report's PDF tests)."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as exc:  # OSError: the Pango libraries are missing
        pytest.skip(f"weasyprint cannot load ({exc})")
    try:
        return make()
    except PdfExportError as exc:
        pytest.skip(f"{exc} (the partner chart needs headless Chromium)")


# -- one A4 page --------------------------------------------------------------------------------


@pytest.mark.slow  # one Chromium and four weasyprint layouts per case: about 5 s
@pytest.mark.parametrize("lang", ["en", "sv"])
@pytest.mark.parametrize("name", list(ROSTERS))
def test_sheets_fit_one_a4_page(name, lang):
    """The unit with the most partners and the smallest unit each print on exactly one A4 page."""
    c = case(name)
    units = [c.most_partners(), c.tiny()]
    pdfs = render_pdfs(lambda: sheet_pdfs([c.facts(u) for u in units], c.analysis.meta, lang=lang))
    for unit, pdf in zip(units, pdfs, strict=True):
        assert pdf.startswith(b"%PDF-")
        assert pdf_pages(pdf) == 1, (name, lang, unit)
    words = SV if lang == "sv" else EN
    busy = pdf_text(pdfs[0])
    assert words["h_questions"] in busy and words["h_partners"] in busy  # the whole sheet is on the page


@pytest.mark.slow
def test_pdf_sheet_names_nobody_in_aggregate_mode():
    """The printed aggregate sheet holds no person name and no pseudonym code."""
    c = case("sample-1", "aggregate")
    unit = c.most_partners()
    options = {"memberships": c.memberships, "trends": c.trends}
    pdf = render_pdfs(lambda: [unit_sheet_bytes(c.analysis, unit, "pdf", **options)])[0]
    text = pdf_text(pdf)
    assert unit in text and EN["h_questions"] in text
    people = set(c.roster.memberships["person"].to_list())
    assert not [p for p in people if p in text]
    assert not CODE.search(text)


# -- words and languages ------------------------------------------------------------------------


def _placeholders(text: str) -> set[str]:
    return set(re.findall(r"\{(\w*)\}", text))


def test_swedish_wording_has_every_key_and_placeholder():
    """Every English sheet and figure text has a Swedish one with the same {placeholders}, translated."""
    from analyser.report.figures import TEXTS as FIGURE_TEXTS

    for english, swedish in ((EN, SV), (FIGURE_TEXTS["en"], FIGURE_TEXTS["sv"])):
        assert set(english) == set(swedish)
        for key, value in english.items():
            if isinstance(value, dict):
                assert set(value) == set(swedish[key]), key
                continue
            assert _placeholders(value) == _placeholders(swedish[key]), key
    same = [k for k, v in EN.items() if isinstance(v, str) and len(re.sub(r"\{\w*\}", "", v)) > 6 and SV[k] == v]
    assert same == [], same


def test_every_text_key_the_sheet_uses_exists():
    """Each sheet text key written in unit_sheet.py (a literal or a question key) is worded."""
    import analyser.report.unit_sheet as module

    code = Path(module.__file__).read_text("utf-8")
    used = set(re.findall(r"_say\(\s*\"(\w+)\"", code)) | set(re.findall(r"\(\"(q_\w+)\"", code))
    used |= {f"q_{d}" for d in ("rising", "falling")} | {f"change_{s}" for s in ("no_dates", "off")}
    assert used and used <= set(EN), used - set(EN)


def test_silo_sheet_says_the_verdict_against_both_baselines():
    """A significant silo's sheet gives its share of ties outside, both baselines and q, in words."""
    c = case("dpdk")
    silo = c.analysis.units.filter(pl.col("verdict") == "silo").sort("ei_index").row(0, named=True)
    text = text_of(c.page(silo["unit"]))
    ties = silo["ties_internal"] + silo["ties_external"]
    share = round(100 * silo["ties_external"] / ties)
    perm = round(100 * (silo["ei_expected_perm"] + 1) / 2)
    assert f"Of the unit's ties ({ties} in all), {share} % reach other units." in text
    assert f"we would expect {perm} %; that gap is larger than chance explains (q " in text
    assert "a significant silo." in text and "Had ties fallen on random pairs of people" in text


def test_sheet_in_swedish():
    """lang="sv" writes every heading in Swedish, with decimal commas, and no English heading."""
    c = case("sample-1")
    unit = c.most_partners()
    page = c.page(unit, "sv")
    text = text_of(page)
    assert '<html lang="sv">' in page
    for key in ("kicker", "h_partners", "h_people", "h_projects", "h_change", "h_questions"):
        assert SV[key] in text, key
        assert EN[key] not in text, key
    assert re.search(r"E-I -?\d,\d\d", text)  # 0,49 not 0.49
    assert text_of(c.page(unit, "en")).count(EN["h_questions"]) == 1


def test_change_since_the_previous_period():
    """A dated roster shows its last two periods; an undated one says it has no dates."""
    c = case("sample-1")
    text = text_of(c.page(c.most_partners()))
    assert EN["change_intro"].format(period="year") in text
    assert re.search(r"\b2025 -?\d\.\d\d \d+ \d+ 2026 -?\d\.\d\d \d+ \d+", text)
    assert EN["change_no_dates"] in text_of(case("uboot").page(case("uboot").most_partners()))


def test_partners_and_projects_sections():
    """The partner chart lists the top partners, the rest in one line; projects name their other units."""
    c = case("sample-2")
    unit = c.most_partners()
    facts = c.facts(unit)
    page = c.page(unit)
    assert facts.partners.height == c.analysis.units.filter(pl.col("unit") == unit)["partner_units"].item() > 8
    rest = facts.partners.slice(8)
    assert f"…and {rest.height} more partner units ({rest['ties'].sum()} ties in all)." in text_of(page)
    assert page.count('id="figure-partners"') == 1
    top = facts.projects.row(0, named=True)
    assert top["partners"] and all(p != unit for p in top["partners"])
    assert html.escape(top["project"]) in page


# -- privacy ------------------------------------------------------------------------------------


@pytest.mark.parametrize("privacy", ["pseudonyms", "aggregate"])
def test_no_real_name_in_private_sheets(privacy):
    """In pseudonyms and aggregate mode no sheet of any unit holds a real person name."""
    c = case("sample-2", privacy)
    people = sorted(set(c.roster.memberships["person"].to_list()), key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(html.escape(p)) for p in people))
    for unit in c.analysis.units["unit"]:
        page = c.page(unit)
        assert not pattern.search(page), (unit, pattern.search(page).group(0))


def test_pseudonym_sheet_shows_codes_but_asks_about_one_person():
    """Pseudonyms mode lists carriers by code; its questions never hold a code."""
    c = case("sample-2", "pseudonyms")
    unit = next(u for u in c.analysis.units["unit"] if not c.facts(u).partners.filter("hangs_on_one_person").is_empty())
    page = c.page(unit)
    assert CODE.search(page) and EN["people_codes"] in text_of(page)
    questions = re.search(r'<section class="questions">.*?</section>', page, re.S).group(0)
    assert not CODE.search(questions)
    assert "if the one person who links us is away?" in text_of(questions)


def test_aggregate_sheet_has_no_people_section():
    """Aggregate mode: no people heading, no person table, no code; the key-person links by unit only."""
    c = case("sample-1", "aggregate")
    unit = c.most_partners()
    page = c.page(unit)
    text = text_of(page)
    assert EN["h_people"] not in text and "<th" not in page.split(EN["h_projects"])[0]
    assert not CODE.search(page)
    assert EN["people_hidden"] in text and EN["sole_title"] in text


# -- units without figures ----------------------------------------------------------------------


def test_too_small_unit_says_why_and_nothing_else():
    """A unit below the minimum group size gets only the reason: no figures, partners or questions."""
    c = case("uboot")
    unit = c.tiny()
    assert c.analysis.units.filter(pl.col("unit") == unit)["people"].item() < 5
    text = text_of(c.page(unit))
    assert EN["h_no_figures"] in text and EN["small"].format(k=5) in text
    for key in ("h_partners", "h_people", "h_projects", "h_change", "h_questions", "key_people"):
        assert EN[key] not in text, key
    assert not re.search(r"\d+ %|E-I", text)
    assert discussion_questions(c.facts(unit)) == []


def test_withheld_unit_says_why():
    """In pseudonyms mode a unit withheld with a smaller one gets the withheld reason, in both languages."""
    c = case("sample-1", "pseudonyms", min_group_size=30)
    units = c.analysis.units
    small = units.filter(pl.col("people") < 30)["unit"].to_list()
    complementary = units.filter(pl.col("suppressed") & (pl.col("people") >= 30))["unit"].to_list()
    assert len(small) == 1 and complementary
    assert EN["small"].format(k=30) in text_of(c.page(small[0]))
    for lang, words in (("en", EN), ("sv", SV)):
        text = text_of(c.page(complementary[0], lang))
        assert words["withheld"] in text and words["h_questions"] not in text


# -- questions ----------------------------------------------------------------------------------


def test_sole_bridge_question_names_the_partner_unit_and_the_person():
    """A unit whose link hangs on one person is asked what happens if that person is away."""
    c = case("uboot")
    facts = c.facts("bootlin.com")
    sole = facts.partners.filter("hangs_on_one_person").row(0, named=True)
    key, values = discussion_questions(facts)[0]
    assert key == "q_sole_named" and values["partner"] == sole["partner"]
    people = sole["key_people"].split("; ")
    assert values["people"] == people
    text = text_of(c.page("bootlin.com"))
    assert f"What happens to our work with {sole['partner']} if {' or '.join(people)} is away?" in text


def test_sole_bridge_question_counts_the_other_units_on_the_same_person():
    """One person as the only link to several units: the question says how many more hang on them."""
    c = case("sample-2")
    unit = "Stadsbyggnadsförvaltningen/Lantmäteri"
    sole = c.facts(unit).partners.filter("hangs_on_one_person")
    top = sole.row(0, named=True)
    person = top["key_people"]
    more = sum(person in k.split("; ") for k in sole["key_people"].to_list()[1:])
    assert more >= 2
    text = text_of(c.page(unit))
    assert f"What happens to our work with {top['partner']}, and with {more} more units, if {person} is away?" in text


def test_every_sheet_with_figures_asks_three_to_five_questions():
    """Across the real rosters, every unit with figures gets 3 to 5 distinct questions; a silo the silo one."""
    for name in ROSTERS:
        c = case(name)
        for unit in c.analysis.units["unit"]:
            facts = c.facts(unit)
            questions = discussion_questions(facts)
            if facts.kind != "figures":
                assert questions == []
                continue
            keys = [k for k, _ in questions]
            assert MIN_QUESTIONS <= len(keys) <= MAX_QUESTIONS and len(set(keys)) == len(keys), (name, unit, keys)
            assert ("q_silo" in keys) == (facts.row["verdict"] == "silo"), (name, unit)


def _facts(**changes) -> UnitFacts:
    partners = pl.DataFrame({"partner": ["B", "C", "D"], "ties": [9, 4, 2], "key_people": [None, None, None],
                             "hangs_on_one_person": [False, False, False]})  # fmt: skip
    base = {"row": {"verdict": "not_silo", "ei_index": 0.3, "bridge_concentration": 0.2, "people": 12},
            "partners": partners}  # fmt: skip
    return UnitFacts("A", "figures", "names", **{**base, **changes})


def test_questions_follow_the_trend():
    """A clear fall (or a significant rise) of E-I since the previous period gets its question."""
    rows = ({"period": "2025", "ei_index": 0.6}, {"period": "2026", "ei_index": 0.2})
    keys = [k for k, _ in discussion_questions(_facts(trend=TrendFacts("ok", "year", rows)))]
    assert keys[0] == "q_falling"
    small_rise = ({"period": "2025", "ei_index": 0.2}, {"period": "2026", "ei_index": 0.3})
    assert "q_rising" not in [k for k, _ in discussion_questions(_facts(trend=TrendFacts("ok", "year", small_rise)))]
    significant = TrendFacts("ok", "year", small_rise, {"significant": True, "p": 0.01})
    assert discussion_questions(_facts(trend=significant))[0] == ("q_rising", {"before": "2025"})


def test_questions_for_few_partners_and_concentrated_contacts():
    """Two partners: asked which unit to know better; half the outside ties on one person: how to share them."""
    two = _facts(partners=_facts().partners.head(2), row={"verdict": "not_silo", "ei_index": -0.1,
                                                            "bridge_concentration": 0.6, "people": 8})  # fmt: skip
    questions = dict(discussion_questions(two))
    assert questions["q_few_partners"] == {"partners": ["B", "C"]}
    assert questions["q_concentrated"] == {"share": 0.6}
    assert "q_inward" in questions
    page = text_of(sheet_html(two, {}, plotlyjs=False))
    assert "We work with B and C only." in page and "60 % of our outside ties run through one person." in page


def test_unknown_unit_names_the_closest():
    """An unknown unit raises UnknownUnitError with the closest name."""
    c = case("sample-2")
    with pytest.raises(UnknownUnitError, match="closest match is 'Kommunledningskontoret/Ekonomi'"):
        unit_facts(c.analysis, "ekonomi")


# -- command line -------------------------------------------------------------------------------


def test_cli_unit_sheet_and_unknown_unit(tmp_path, capsys):
    """--unit writes the sheet to --out; an unknown unit is exit 1 naming the closest match."""
    out = tmp_path / "sheet.html"
    args = ["report", str(SAMPLE_ROSTER), "--level", "2", "--out", str(out)]
    assert main([*args, "--unit", "Miljöförvaltningen/Tillsyn", "--lang", "sv"]) == EXIT_OK
    page = out.read_text("utf-8")
    assert "<h1>Miljöförvaltningen/Tillsyn</h1>" in page and SV["h_questions"] in page
    capsys.readouterr()
    assert main([*args, "--unit", "Tilsyn"]) == EXIT_INVALID_INPUT
    err = capsys.readouterr().err
    assert "no unit 'Tilsyn'" in err and "closest match is 'Miljöförvaltningen/Tillsyn'" in err
    assert "Traceback" not in err
    assert main([*args[:-2], "--unit", "Miljöförvaltningen/Tillsyn", "--out", str(tmp_path / "x.xlsx")]) == EXIT_USAGE
    assert main([*args, "--per-unit", str(tmp_path / "d")]) == EXIT_USAGE


def test_cli_sheet_without_periods_in_a_privacy_mode(tmp_path):
    """--trend-period none on a dated roster: the sheet says change was not computed (any privacy mode)."""
    out = tmp_path / "sheet.html"
    assert main(["report", str(SAMPLE_ROSTER), "--level", "1", "--privacy", "pseudonyms", "--trend-period", "none",
                 "--unit", "Miljöförvaltningen", "--out", str(out)]) == EXIT_OK  # fmt: skip
    assert EN["change_off"] in text_of(out.read_text("utf-8"))


def test_cli_per_unit_writes_one_sheet_per_unit_and_an_index(tmp_path):
    """--per-unit DIR: one safely named sheet per unit, a shared plotly.js and an index linking them all."""
    folder = tmp_path / "sheets"
    c = case("sample-2")
    assert main(["report", str(SAMPLE_ROSTER), "--level", "2", "--per-unit", str(folder)]) == EXIT_OK
    sheets = sorted(folder.glob("*.html"))
    units = c.analysis.units["unit"].to_list()
    assert len(sheets) == len(units) + 1 and (folder / "index.html") in sheets
    assert (folder / "plotly.min.js").is_file()
    assert all(re.fullmatch(r"[a-z0-9-]+\.html", p.name) for p in sheets)
    index = (folder / "index.html").read_text("utf-8")
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', index)
    assert sorted(html.unescape(u) for _, u in links) == sorted(units)
    for href, unit in links:
        page = (folder / href).read_text("utf-8")
        assert f"<h1>{unit}</h1>" in page and 'src="plotly.min.js"' in page
        assert len(page) < 200_000  # plotly.js is shared, not inlined
