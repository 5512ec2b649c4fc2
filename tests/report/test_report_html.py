"""Tests for analyser.report.html_report and the write_report/report_bytes entry points."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from analyser.report import report_bytes, write_report
from analyser.report.html_report import TEXT, render_html

XSS = "<img src=x onerror=alert(1)>"
HEADINGS = [TEXT[k] for k in ("h_data_check", "h_headlines", "h_units", "h_matrix", "h_bridges",
                              "h_projects", "h_methods")]  # fmt: skip


class PageParser(HTMLParser):
    """Collects start tags, their attributes, h2 texts and the text outside scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.h2: list[str] = []
        self.text: list[str] = []
        self._in: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in.append(tag)

    def handle_endtag(self, tag):
        if tag in self._in:
            del self._in[len(self._in) - 1 - self._in[::-1].index(tag) :]

    def handle_data(self, data):
        if "script" in self._in or "style" in self._in:
            return
        self.text.append(data)
        if self._in and self._in[-1] == "h2":
            self.h2.append(data)


def parse(page: str) -> PageParser:
    parser = PageParser()
    parser.feed(page)
    parser.close()
    return parser


@pytest.fixture(scope="module")
def page(make_analysis) -> str:
    """The HTML report of the fixture analysis in names mode."""
    return render_html(make_analysis())


@pytest.fixture(scope="module")
def aggregate_page(make_analysis) -> str:
    """The HTML report in aggregate mode (people rows still present in the analysis)."""
    return render_html(make_analysis(privacy="aggregate"))


def test_has_all_seven_sections(page):
    """The page has the seven section headings in order."""
    h2 = [h for h in parse(page).h2 if h != TEXT["contents"]]
    assert h2 == HEADINGS


def test_works_offline(page):
    """No script, stylesheet, image or frame is loaded from anywhere: everything is inline."""
    assert "<script src" not in page.lower()
    for tag, attrs in parse(page).tags:
        assert tag not in ("link", "iframe", "img", "object", "embed"), tag
        assert "src" not in attrs, (tag, attrs)
        href = attrs.get("href")
        assert href is None or href.startswith("#"), (tag, href)
    style = re.search(r"<style>(.*?)</style>", page, re.S).group(1)
    assert "url(" not in style and "@import" not in style


def test_plotly_inlined_once(page):
    """plotly.js is inlined exactly once although the page has three figures."""
    assert page.count("plotly.js v") == 1
    assert page.count('class="plotly-graph-div"') == 3


def test_hostile_name_never_raw(page):
    """The raw XSS name never appears, neither in the page nor inside figure JSON."""
    assert XSS not in page
    assert "</script><img" not in page
    assert not [tag for tag, _ in parse(page).tags if tag == "img"]


def test_hostile_names_shown_escaped(page):
    """Hostile and Swedish names appear as text, decoded exactly once by the browser."""
    text = "".join(parse(page).text)
    assert XSS in text
    assert '=HYPERLINK("http://x","y")' in text
    assert "Åsa Öberg" in text
    assert "&lt;" not in text  # not double-escaped


def test_script_blocks_are_ours(page):
    """Every <script> is closed by our own markup: user data cannot end one early."""
    opened = len(re.findall(r"<script\b", page))
    closed = page.count("</script>")
    assert opened == closed == 5  # plotly.js, its config, and one per figure


def test_figure_labels_escaped(page):
    """User names inside figure JSON are HTML-escaped (plotly reads HTML in labels)."""
    figure_scripts = [s for s in re.findall(r"<script[^>]*>(.*?)</script>", page, re.S) if "Plotly.newPlot" in s]
    assert len(figure_scripts) == 3
    assert "&lt;img src=x onerror=alert(1)&gt;" in figure_scripts[0]  # the E-I plot's unit labels
    assert all("<img" not in s for s in figure_scripts)


def test_pseudonyms_mode_states_threshold(make_analysis):
    """Outside names mode the appendix states the minimum group size in force."""
    text = " ".join(parse(render_html(make_analysis(privacy="pseudonyms"))).text)
    assert "Units with fewer than 5 people have their figures withheld; when fewer than three units" in text


def test_headlines_in_plain_words(page):
    """Headlines state the team-project share inside one unit and the silos among units with enough data."""
    text = " ".join(parse(page).text)
    assert "Of the 5 projects with two or more people, 20 % stay inside one unit." in text
    assert "The other project has one person and cannot cross units" in text
    assert "2 of the 5 units with enough data are significant silos" in text
    assert "3 units had too little data for a verdict (a verdict needs at least 5 people" in text
    assert "Units whose figures are withheld to protect small groups: 1." in text
    headlines = page[page.index('id="headlines"'):page.index('id="units"')]
    assert "stability of 0.91" in headlines and "rough groupings" not in headlines


def test_headline_grammar_follows_the_count(make_analysis):
    """One silo "is a significant silo", one unjudged unit "had"; in Swedish too."""
    summary = {**make_analysis().summary, "significant_silos": 1, "units_judged": 7}
    english = " ".join(parse(render_html(make_analysis(summary=summary))).text)
    assert "1 of the 7 units with enough data is a significant silo" in english
    assert "1 unit had too little data for a verdict" in english
    swedish = " ".join(parse(render_html(make_analysis(summary=summary), lang="sv")).text)
    assert "1 av de 7 enheterna med tillräckligt underlag är en signifikant silo" in swedish
    assert "1 enhet hade för lite underlag för en bedömning" in swedish


def test_headline_on_a_roster_of_mostly_one_person_projects():
    """A real-shaped roster with many one-person projects: the headline speaks of team projects."""
    from analyser.analysis import analyse
    from analyser.roster import Roster

    rows = [(f"solo{i}", f"p{i}", f"U{i % 4}") for i in range(20)]  # 20 one-person projects
    rows += [("T1", "p0", "U0"), ("T1", "p1", "U1"), ("T2", "p2", "U2"), ("T2", "p6", "U2")]
    a = analyse(Roster.from_rows(rows), n_permutations=99)
    text = " ".join(parse(render_html(a)).text)
    assert "Of the 2 projects with two or more people, 50 % stay inside one unit." in text
    assert "The other 20 projects have one person each" in text
    assert "of projects stay inside one unit" not in text  # the old share, inflated by one-person projects


@pytest.mark.parametrize(
    "changes, sentence",
    [
        ({"significant_silos": None, "units_judged": None}, "Whether units are silos was not tested"),
        ({"significant_silos": 0, "units_judged": 0}, "No unit has enough data for a silo verdict."),
        ({"team_projects": 0, "cross_unit_team_project_share": None}, "No project has two or more people"),
    ],
)
def test_headline_edge_cases(make_analysis, changes, sentence):
    """Untested silos, no unit with enough data and no team project each get their own plain sentence."""
    page = render_html(make_analysis(summary={**make_analysis().summary, **changes}))
    assert sentence in " ".join(parse(page).text)


def test_headline_of_an_older_summary(make_analysis):
    """A summary from before team projects and verdicts still gives a headline, in the old terms."""
    from analyser.analysis import SUMMARY_FIELDS

    old = {k: v for k, v in make_analysis().summary.items() if k in SUMMARY_FIELDS[:15]}
    old["significant_silos"] = 2
    text = " ".join(parse(render_html(make_analysis(summary=old))).text)
    assert "33 % of projects stay inside one unit." in text and "2 of 8 units are significant silos." in text


def test_low_stability_gets_a_note(make_analysis):
    """Communities that move with the random start are called rough groupings, in both languages."""
    summary = {**make_analysis().summary, "community_stability": 0.62}
    english = " ".join(parse(render_html(make_analysis(summary=summary))).text)
    assert "The communities change with the method's random start (stability 0.62 over 5 runs, below 0.8)" in english
    assert "rough groupings" in english
    swedish = " ".join(parse(render_html(make_analysis(summary=summary), lang="sv")).text)
    assert "Grupperingarna ändras med metodens slumpmässiga start (stabilitet 0,62" in swedish


def test_suppressed_unit_shows_withheld(page):
    """A suppressed unit's null figures show as 'withheld', other nulls as undefined."""
    legal = re.search(r'<tr class="no-verdict"><td>Legal</td>(.*?)</tr>', page).group(1)
    assert legal.count(f">{TEXT['withheld']}<") == 11  # every figure but the head-count (and the verdict)
    schools = re.search(r'<tr class="no-verdict"><td>Schools</td>(.*?)</tr>', page).group(1)
    assert TEXT["withheld"] not in schools and TEXT["undefined"] in schools


def _unit_rows(page: str) -> list[tuple[str, str, str]]:
    """(row class, unit, verdict text) of each row of the unit table."""
    table = page[page.index('id="units"'):page.index('id="matrix"')]
    rows = re.findall(r'<tr(?: class="([^"]*)")?><td>([^<]*)</td><td class="verdict[^"]*">(.*?)</td>', table)
    return [(cls, name, re.sub(r"<[^>]+>", "", verdict)) for cls, name, verdict in rows]


def test_unit_table_sorted_and_flagged(page):
    """Silos first, then judged units by E-I, then units without a verdict; silos get the silo row class."""
    rows = _unit_rows(page)
    assert [name for _, name, _ in rows[:3]] == ["Social/Elder care", "IT", "Culture"]
    assert {name for cls, name, _ in rows if cls == "silo"} == {"Social/Elder care", "IT"}
    assert [name for _, name, _ in rows[-3:]] == ["Archive", "Legal", "Schools"]


def test_too_little_data_is_neutral_in_the_unit_table(page):
    """Archive (E-I -1, p 0.004) is not called a silo: muted row, "too little data", no red badge."""
    cls, _, verdict = next(r for r in _unit_rows(page) if r[1] == "Archive")
    assert cls == "no-verdict" and verdict == "too little data"
    archive = re.search(r"<tr[^>]*><td>Archive</td>(.*?)</tr>", page).group(1)
    assert "badge silo" not in archive and 'class="verdict none"' in archive
    assert "tr.no-verdict td { color: var(--muted); }" in page  # grey, not the silo red


def test_p_and_q_at_the_resolution_of_the_test(page):
    """A p at the floor of 999 permutations reads "≤ 0.001"; q and the baselines stand beside it."""
    row = re.search(r"<tr[^>]*><td>Social/Elder care</td>(.*?)</tr>", page).group(1)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row)
    assert "\u2264 0.001" in cells and "0.005" in cells and "\u22120.18" in cells and "0.001" not in cells
    head = page[page.index('id="units"'):page.index('id="matrix"')]
    for label in ("Expected E-I (random pairs)", "Expected E-I (shuffled units)", "<th scope=\"col\">q</th>"):
        assert label in head
    assert "if ties fell on random pairs of people" in head and "if people kept their ties but units were shuffled" in head


def test_bridges_follow_cross_unit_betweenness(page):
    """The top-bridges table ranks by cross-unit betweenness and leaves out people who bridge nothing."""
    section = page[page.index('id="bridges"'):page.index('id="projects"')]
    top = section[section.index("Who links units most: the top 4 by cross-unit betweenness"):section.index(TEXT["sole_title"])]
    names = re.findall(r"<tr><td>([^<]*)</td>", top)
    assert names == ["&lt;img src=x onerror=alert(1)&gt;", "Åsa Öberg", "+46 70 123 45 67", "Bo Ek"]
    headers = re.findall(r'<th scope="col">([^<]*)</th>', top)
    assert headers[2:4] == ["Cross-unit betweenness", "Betweenness"]


def test_bridges_say_when_nobody_bridges(make_analysis):
    """With no cross-unit bridge there is no top list and no bridges chart, but a sentence saying so."""
    import polars as pl

    people = make_analysis().people.with_columns(cross_unit_betweenness=pl.lit(0.0))
    page = render_html(make_analysis(people=people))
    assert TEXT["bridges_nobody"] in " ".join(parse(page).text)
    assert 'id="figure-bridges"' not in page and "the top 0" not in page


def test_aggregate_mode_hides_people(aggregate_page, make_analysis):
    """In aggregate mode no person name or bridge figure appears, and the page says why."""
    text = " ".join(parse(aggregate_page).text)
    assert TEXT["bridges_hidden"] in text
    for person in ("Åsa Öberg", "Bo Ek", "Cia Lund", "+46 70 123 45 67"):
        assert person not in aggregate_page
    assert 'id="figure-bridges"' not in aggregate_page
    assert [h for h in parse(aggregate_page).h2 if h != TEXT["contents"]] == HEADINGS


def test_privacy_mode_printed(aggregate_page):
    """The privacy mode in force is printed on the report."""
    assert TEXT["privacy_modes"]["aggregate"] in " ".join(parse(aggregate_page).text)


def test_long_problem_list_collapsed(make_analysis):
    """More than ten data-check findings start collapsed; a short list starts open."""
    from analyser.roster import Problem

    many = tuple(Problem("r.csv", i, "unit", "empty unit") for i in range(2, 20))
    opened = '<details class="findings" open><summary class="toggle">Show all'
    assert opened not in render_html(make_analysis(problems=many))
    assert '<details class="findings"><summary class="toggle">Show all' in render_html(make_analysis(problems=many))
    assert opened in render_html(make_analysis())


def test_same_analysis_same_page(page, make_analysis):
    """Rendering twice gives the identical page (fixed figure ids, no random parts)."""
    assert render_html(make_analysis()) == page


def test_empty_analysis_renders(make_analysis):
    """An analysis with empty tables still renders all seven sections without error."""
    import polars as pl

    empty = pl.DataFrame()
    bare = make_analysis(units=empty, people=empty, projects=empty, unit_links=empty, summary={}, problems=())
    assert [h for h in parse(render_html(bare)).h2 if h != TEXT["contents"]] == HEADINGS


@pytest.mark.parametrize("fmt, start", [("html", b"<!DOCTYPE html>"), ("xlsx", b"PK"),
                                        ("json", b"{"), ("csv-zip", b"PK")])  # fmt: skip
def test_report_bytes_every_format(analysis, fmt, start):
    """report_bytes gives the right kind of file for every format."""
    assert report_bytes(analysis, fmt).startswith(start)


def test_report_bytes_unknown_format(analysis):
    """An unknown format names the supported ones."""
    with pytest.raises(ValueError, match="csv-zip"):
        report_bytes(analysis, "docx")  # type: ignore[arg-type]


@pytest.mark.parametrize("name, start", [("r.html", b"<!DOCTYPE html>"), ("r.xlsx", b"PK"),
                                         ("r.JSON", b"{")])  # fmt: skip
def test_write_report_by_suffix(analysis, tmp_path, name, start):
    """write_report chooses the format from the suffix and creates parent folders."""
    out = write_report(analysis, tmp_path / "sub" / name)
    assert out == tmp_path / "sub" / name
    assert out.read_bytes().startswith(start)


def test_write_report_unknown_suffix(analysis, tmp_path):
    """An unknown suffix is refused with a message listing the supported formats."""
    with pytest.raises(ValueError, match=r"unknown suffix '\.docx'.*\.html.*\.pdf.*\.xlsx.*\.json.*no suffix"):
        write_report(analysis, tmp_path / "report.docx")
    assert not (tmp_path / "report.docx").exists()


def test_methods_appendix_lists_skipped_figures():
    """An analysis that skipped figures names each one and its reason in the methods appendix."""
    from analyser.analysis import analyse
    from analyser.roster import Roster
    from analyser.sample import generate_roster

    a = analyse(Roster.from_frame(generate_roster(people=300, projects=60, seed=3)), person_level_max_pairs=10)
    page = render_html(a)
    methods = page[page.index('id="methods"'):]
    assert TEXT["skipped_title"] in methods
    for item in a.meta["skipped"]:
        assert item["reason"].split(";")[0].replace(",", "") in methods.replace(",", "")
    assert "unit level only" in methods


def test_methods_appendix_states_betweenness_sampling():
    """Sampled betweenness is stated with its switch size, sample, seed and measured error."""
    from analyser.analysis import Analysis
    from analyser.metrics import bridging

    methods = {"betweenness": "sampled", "betweenness_sources": 256, "betweenness_seed": 0,
               "betweenness_exact_max_people": bridging.EXACT_MAX_PEOPLE,
               "betweenness_sampling": bridging.SAMPLING_NOTE, "betweenness_accuracy": bridging.SAMPLED_ACCURACY}
    import polars as pl

    a = Analysis(pl.DataFrame(), pl.DataFrame(), pl.DataFrame(), pl.DataFrame(), {}, {"methods": methods})
    page = render_html(a)
    assert "Spearman" in page and "5,000 people" in page and TEXT["meta"]["betweenness_exact_max_people"] in page


# -- the report in Swedish -------------------------------------------------------------------------


def _placeholders(text: str) -> set[str]:
    return set(re.findall(r"\{(\w*)\}", text))


def _same_shape(english: dict, swedish: dict, where: str = "") -> None:
    assert set(swedish) == set(english), where
    for key, value in english.items():
        if isinstance(value, dict):
            _same_shape(value, swedish[key], f"{where}.{key}")
        else:
            assert _placeholders(swedish[key]) == _placeholders(value), f"{where}.{key}"


def test_swedish_wording_has_every_key_and_placeholder():
    """Every English text has a Swedish one with the same {placeholders}, and it is translated."""
    from analyser.report.html_report import TEXTS
    from analyser.report.pdf_report import TEXTS as PDF_TEXTS

    from analyser.analysis import SUMMARY_FIELDS

    _same_shape(TEXTS["en"], TEXTS["sv"])
    assert set(SUMMARY_FIELDS) <= set(TEXTS["en"]["summary_labels"])  # every key figure has a name
    _same_shape(PDF_TEXTS["en"], PDF_TEXTS["sv"])
    untranslated = [k for k, v in TEXTS["en"].items()
                    if isinstance(v, str) and len(v) > 3 and TEXTS["sv"][k] == v]  # fmt: skip
    assert untranslated == ["col_person", "col_period"]  # the same word in Swedish


def test_swedish_page(make_analysis):
    """lang="sv" gives Swedish headings, figures and numbers, and still escapes every name."""
    from analyser.report.html_report import TEXTS

    sv = TEXTS["sv"]
    page = render_html(make_analysis(), lang="sv")
    h2 = [h for h in parse(page).h2 if h != sv["contents"]]
    assert h2 == [sv[k] for k in ("h_data_check", "h_headlines", "h_units", "h_matrix", "h_bridges",
                                  "h_projects", "h_methods")]  # fmt: skip
    assert '<html lang="sv">' in page and not any(h in page for h in HEADINGS)
    assert "\"name\":\"observerat\"" in page  # the E-I figure's legend (plotly JSON)
    assert re.search(r"I hela organisationen är E-I-index \u2212?\d,\d\d;", page)  # decimal comma, true minus
    assert XSS not in page
    assert render_html(make_analysis()) == render_html(make_analysis(), lang="en")


def test_unknown_report_language_is_refused(analysis, tmp_path):
    """An unsupported language is a clear ValueError, before anything is written."""
    with pytest.raises(ValueError, match="unknown report language 'fi'; supported: en, sv"):
        report_bytes(analysis, "html", lang="fi")
    with pytest.raises(ValueError, match="unknown report language"):
        write_report(analysis, tmp_path / "r.xlsx", lang="fi")
    assert not (tmp_path / "r.xlsx").exists()
