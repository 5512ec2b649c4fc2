"""Section 8 of the HTML/PDF report, "Change over time": present with dates, absent without."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from analyser.cli import EXIT_OK, main
from analyser.periods import trends_json
from analyser.report import PdfExportError, report_bytes, write_report
from analyser.report.figures import ei_over_time
from analyser.report.html_report import TEXT, render_html, trend_frames
from analyser.roster import Roster

XSS = "<img src=x onerror=alert(1)>"
SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample_rosters.csv"
HEADINGS = [TEXT[k] for k in ("h_data_check", "h_headlines", "h_units", "h_matrix", "h_bridges", "h_projects",
                              "h_methods")]  # fmt: skip


def _trends(privacy: str = "names") -> dict:
    """A hand-made trends JSON of two years, with a hostile unit name and person."""
    person = {"person": XSS} if privacy != "aggregate" else {}
    return {
        "meta": {"period": "year", "privacy": privacy},
        "periods": [
            {"period": "2025", "summary": {"people": 10, "projects": 4, "ei_index": -0.4, "ei_expected": 0.3,
                                          "modularity": 0.35, "cross_unit_project_share": 0.25},
             "units": [{"unit": "IT", "ei_index": -0.5}, {"unit": XSS, "ei_index": 0.2}]},
            {"period": "2026", "summary": {"people": 12, "projects": 5, "ei_index": -0.1, "ei_expected": 0.3,
                                          "modularity": 0.22, "cross_unit_project_share": 0.4},
             "units": [{"unit": "IT", "ei_index": 0.1}, {"unit": XSS, "ei_index": None}]},
        ],
        "changes": [{
            "from": "2025", "to": "2026",
            "unit_pairs_started": [["IT", XSS]], "unit_pairs_stopped": [],
            "ei_moves": [{"unit": "IT", "ei_before": -0.5, "ei_after": 0.1, "change": 0.6, "significant": True,
                          "z": 2.5, "p": 0.012},
                         {"unit": XSS, "ei_before": 0.2, "ei_after": None, "change": None, "significant": False,
                          "z": None, "p": None}],
            "sole_bridges_new": [{"unit_a": "IT", "unit_b": XSS, **person}], "sole_bridges_lost": [],
        }],
    }  # fmt: skip


def _h2(page: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", h) for h in re.findall(r"<h2>(.*?)</h2>", page) if h != TEXT["contents"]]


def _section(page: str) -> str:
    return page[page.index('<section id="trends">') :]


def test_section_eight_follows_the_seven_when_trends_are_given(make_analysis):
    """With trends the page has the seven headings and then "8. Change over time", also in the contents."""
    page = render_html(make_analysis(), _trends())
    assert _h2(page) == [*HEADINGS, TEXT["h_trends"]]
    assert '<a href="#trends">8. Change over time</a>' in page


def test_no_section_eight_without_trends(make_analysis):
    """Without trends the report keeps exactly its seven sections."""
    page = render_html(make_analysis())
    assert _h2(page) == HEADINGS and 'id="trends"' not in page


def test_section_shows_figure_table_and_latest_change(make_analysis):
    """The section has the over-time figure, one row per period and the last change report."""
    section = _section(render_html(make_analysis(), _trends()))
    assert 'id="figure-trends"' in section
    assert "What changed from 2025 to 2026" in section
    assert "Unit pairs that started working together (1)" in section
    assert "Units whose E-I index moved significantly (1)" in section
    assert "New sole bridges (1)" in section and "Sole bridges that ended (0)" in section
    assert section.count("<td>2025</td>") == 1 and section.count("<td>2026</td>") == 1


def test_section_escapes_names(make_analysis):
    """A hostile unit or person name is escaped in the section's tables."""
    section = _section(render_html(make_analysis(), _trends()))
    assert XSS not in section.split('<div class="figure">')[0] + section.split("</script>")[-1]
    assert "&lt;img src=x onerror=alert(1)&gt;" in section


def test_aggregate_report_with_aggregate_trends_names_nobody(make_analysis):
    """In aggregate mode the sole-bridge table has unit pairs only."""
    section = _section(render_html(make_analysis(privacy="aggregate"), _trends("aggregate")))
    tail = section[section.index("New sole bridges") :]
    assert "<th scope=\"col\">Person</th>" not in tail


def test_trends_in_another_privacy_mode_are_refused(make_analysis):
    """Names-mode trends cannot go into an aggregate report (they would print names)."""
    with pytest.raises(ValueError, match="names privacy mode, the report in aggregate"):
        render_html(make_analysis(privacy="aggregate"), _trends("names"))


def test_single_period_says_there_is_no_change(make_analysis):
    """With one period the section shows the figures and says there is nothing to compare."""
    one = {**_trends(), "periods": _trends()["periods"][:1], "changes": []}
    assert TEXT["trends_one_period"] in _section(render_html(make_analysis(), one))


def test_trend_figure_has_org_and_unit_lines():
    """The figure draws the organisation, its expectation and a line per unit."""
    summary, units = trend_frames(_trends())
    fig = ei_over_time(summary, units)
    assert [t.name for t in fig.data][:2] == ["organisation", "organisation, expected from unit sizes"]
    assert len(fig.data) == 4 and list(fig.data[0].x) == ["2025", "2026"]


def test_report_bytes_and_write_report_pass_trends_to_html_only(make_analysis, tmp_path):
    """HTML gets the section through both entry points; JSON ignores trends."""
    a = make_analysis()
    assert b"8. Change over time" in report_bytes(a, "html", trends=_trends())
    out = write_report(a, tmp_path / "r.html", trends=_trends())
    assert "8. Change over time" in out.read_text("utf-8")
    assert b"Change over time" not in report_bytes(a, "json", trends=_trends())


def test_real_trends_of_a_dated_roster_render(make_analysis):
    """trends_json of a small dated roster renders as section 8."""
    ended = dt.date(2025, 6, 30)
    rows = [("P1", "ann", "A", dt.date(2025, 1, 5), ended), ("P1", "bob", "B", dt.date(2025, 1, 5), ended),
            ("P2", "cid", "A", dt.date(2026, 5, 1), None), ("P2", "dan", "A", dt.date(2026, 5, 1), None)]  # fmt: skip
    roster = Roster.from_rows(rows, columns=("project", "person", "unit", "start", "end"))
    trends = trends_json(roster, period="year", n_permutations=9)
    section = _section(render_html(make_analysis(), trends))
    assert "What changed from 2025 to 2026" in section and "Unit pairs that stopped working together (1)" in section


# -- the CLI computes the trends when the roster has dates -----------------------------------


def test_cli_report_on_dated_sample_has_section_eight(tmp_path):
    """`analyser report` on the (dated) sample adds "Change over time" by year."""
    out = tmp_path / "r.html"
    assert main(["report", str(SAMPLE), "--out", str(out), "--level", "1"]) == EXIT_OK
    page = out.read_text("utf-8")
    assert _h2(page)[-1] == TEXT["h_trends"] and "What changed from 2025 to 2026" in page


def test_cli_report_without_dates_or_with_none_has_seven_sections(tmp_path):
    """An undated roster, or --trend-period none, gives the seven sections only."""
    undated = tmp_path / "u.csv"
    undated.write_text("project,person,unit\nP1,ann,A\nP1,bob,B\nP2,cid,A\nP2,ann,A\n", encoding="utf-8")
    for roster, extra in ((undated, []), (SAMPLE, ["--trend-period", "none"])):
        out = tmp_path / f"{roster.stem}.html"
        assert main(["report", str(roster), "--out", str(out), *extra]) == EXIT_OK
        assert _h2(out.read_text("utf-8")) == HEADINGS


# -- PDF -------------------------------------------------------------------------------------


@pytest.mark.slow  # one PDF render: about 5 s
def test_pdf_has_section_eight_and_its_figure(make_analysis):
    """The PDF prints the eighth heading and one more figure image than without trends."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as exc:
        pytest.skip(f"weasyprint cannot load ({exc})")
    if shutil.which("pdftotext") is None or shutil.which("pdfimages") is None:
        pytest.skip("poppler-utils not installed")
    try:
        pdf = report_bytes(make_analysis(), "pdf", trends=_trends())
    except PdfExportError as exc:
        pytest.skip(str(exc))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "r.pdf"
        path.write_bytes(pdf)
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True).stdout
        images = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, check=True).stdout
    words = " ".join(text.decode("utf-8").split())
    assert words.count(TEXT["h_trends"]) >= 2  # contents and the section itself
    assert [line.split()[2] for line in images.decode().splitlines()[2:] if line.strip()].count("image") == 4
