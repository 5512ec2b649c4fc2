"""The HTML silo report: one self-contained page that works offline and prints well."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

import plotly.graph_objects as go
import plotly.io as pio
import polars as pl
from babel.dates import format_datetime

from analyser.analysis import estimated_peak_bytes
from analyser.i18n import LOCALES, integer, number, percent, plural, section
from analyser.metrics import bridging, brokerage, structure
from analyser import unit_order
from analyser.report import figures
from analyser.report.common import (
    LOW_STABILITY,
    SIGNIFICANCE_LEVEL,
    format_p,
    low_stability,
    ordered_units,
    permutations_used,
    project_headline,
    report_tables,
    silo_headline,
    summary_items,
    suppressed_units,
    top_bridges,
    unjudged_headline,
    verdict_minimums,
    verdicts,
)
from analyser.report.language import current_language, report_language

if TYPE_CHECKING:
    from analyser.analysis import Analysis

__all__ = ["TEXT", "TEXTS", "CSS", "FigureEmbedder", "render_body", "render_html", "trend_frames", "check_trends"]

#: The page's words in English (the reference wording, kept under this name for callers).
TEXT: dict[str, Any] = section("report.html", "en")

#: The page's words per report language (same keys in each).
TEXTS: dict[str, dict[str, Any]] = {"en": TEXT, "sv": section("report.html", "sv")}


def _t() -> dict[str, Any]:
    """The words of the language the current report is written in."""
    return TEXTS[current_language()]


TOP_ROWS = 15  # rows in "top" tables
MAX_LIST_ROWS = 50  # longest full list before pointing to the spreadsheet export
OPEN_PROBLEMS = 10  # data check lists longer than this start collapsed
FIGURE_CONFIG = {"displaylogo": False, "responsive": True}

CSS = """
:root { --ink:#1d2733; --muted:#5b6673; --line:#d9dee4; --accent:#1F4E79; --silo:#C0392B; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
       color: var(--ink); margin: 0 auto; max-width: 72rem; padding: 1.5rem; }
h1 { margin: 0 0 .25rem; font-size: 1.7rem; }
h2 { margin-top: 2.2rem; border-bottom: 2px solid var(--accent); padding-bottom: .2rem; }
h3 { margin-top: 1.4rem; font-size: 1.1rem; }
.sub { color: var(--muted); margin: 0; }
.badge { display: inline-block; border: 1px solid var(--accent); color: var(--accent);
         border-radius: .3rem; padding: .05rem .45rem; font-size: .85rem; }
.badge.silo { border-color: var(--silo); color: var(--silo); }
nav ul.toc { columns: 2; padding-left: 1.2rem; list-style: none; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0 1rem; font-size: .9rem; }
th, td { border-bottom: 1px solid var(--line); padding: .3rem .5rem; text-align: left;
         vertical-align: top; }
th { background: #eef2f6; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.withheld, td.undefined { color: var(--muted); font-style: italic; }
tr.silo td:first-child { border-left: 4px solid var(--silo); }
tr.no-verdict td { color: var(--muted); }
td.verdict { white-space: nowrap; }
td.verdict.none { font-style: italic; }
dl.explained { margin: .2rem 0 .8rem; font-size: .9rem; color: var(--muted); }
dl.explained dt { display: inline; font-weight: 600; }
dl.explained dd { display: inline; margin: 0; }
dl.explained dd::after { content: ""; display: block; }
ul.headlines li { margin: .35rem 0; }
dl.defs dt { font-weight: 600; margin-top: .5rem; }
dl.defs dd { margin: 0 0 0 1rem; }
.note { color: var(--muted); }
details > summary { cursor: pointer; color: var(--accent); }
.figure { margin: .5rem 0 1rem; break-inside: avoid; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  nav { display: none; }
  h2 { break-after: avoid; }
  table, .figure { break-inside: avoid; }
  details > * { display: block; }
  a { color: inherit; text-decoration: none; }
}
"""


def _e(value: object) -> str:
    """User text made safe for HTML (every name, file and message passes here)."""
    return html.escape("" if value is None else str(value))


# Numbers in the report's language, through the one formatter (analyser.i18n): a decimal
# comma and a space between thousands in Swedish, a true minus sign; "–" when undefined.


def _int(value: int | float | None) -> str:
    return _t()["undefined"] if value is None else integer(value, current_language())


def _dec(value: float | None, digits: int = 2) -> str:
    return _t()["undefined"] if value is None else number(float(value), current_language(), digits)


def _p(value: float | None, n_permutations: int | None = None) -> str:
    """A p- or q-value at its test's resolution ("≤ 0.001" at the floor of 999 permutations)."""
    if value is None:
        return _t()["undefined"]
    return format_p(value, n_permutations, lang=current_language())


def _share(value: float | None) -> str:
    return _t()["undefined"] if value is None else percent(value, current_language())


def _yes_no(value: bool | None) -> str:
    return _t()["undefined"] if value is None else _t()["yes" if value else "no"]


#: How each known column is shown: formatter and whether it is a number (right-aligned).
COLUMN_FORMATS: dict[str, tuple[Callable[[Any], str], bool]] = {
    **dict.fromkeys(
        ("people", "projects", "ties_internal", "ties_external", "partner_units", "members", "units",
         "unique_links", "ties", "shared_projects", "units_reached", "external_collaborators",
         "sole_bridges", "collaborators"),
        (_int, True),
    ),
    **dict.fromkeys(("ei_index", "ei_expected", "ei_expected_perm", "blau_index", "participation", "weight",
                     "modularity", "ei_before", "ei_after", "change"), (_dec, True)),
    "ei_p": (_p, True),
    "ei_q": (_p, True),
    "p": (_p, True),
    "betweenness": (lambda v: _dec(v, 4), True),
    "cross_unit_betweenness": (lambda v: _dec(v, 4), True),
    "cross_unit_project_share": (_share, True),
    "bridge_concentration": (_share, True),
    "cross_unit": (_yes_no, False),
}  # fmt: skip


#: The row class of each silo verdict in the unit table: silos stand out in red; units
#: without a verdict are muted, neither red nor open.
VERDICT_ROW_CLASS = {"silo": "silo", "too_little_data": "no-verdict", None: "no-verdict"}


def _verdict_cell(verdict: str | None) -> str:
    """The verdict in words: a red badge for a silo, muted italics for no verdict."""
    label = _e(_t()["verdict_labels"][verdict or "not_tested"])
    if verdict == "silo":
        return f'<td class="verdict"><span class="badge silo">{label}</span></td>'
    if verdict == "not_silo":
        return f'<td class="verdict">{label}</td>'
    return f'<td class="verdict none">{label}</td>'


def _cell(
    column: str,
    value: Any,
    *,
    withheld: bool = False,
    formats: Mapping[str, tuple[Callable[[Any], str], bool]] | None = None,
) -> str:
    if column == "verdict" and not (value is None and withheld):  # a withheld verdict reads "withheld"
        return _verdict_cell(value)
    if value is None:
        kind = "withheld" if withheld else "undefined"
        return f'<td class="{kind}">{_e(_t()[kind])}</td>'
    show, numeric = (formats or {}).get(column) or COLUMN_FORMATS.get(column, (str, False))
    return f'<td class="num">{_e(show(value))}</td>' if numeric else f"<td>{_e(show(value))}</td>"


def _table(
    table: pl.DataFrame,
    columns: Sequence[str],
    *,
    withheld: Sequence[bool] | None = None,
    row_class: Sequence[str] | None = None,
    formats: Mapping[str, tuple[Callable[[Any], str], bool]] | None = None,
) -> str:
    """An HTML table of ``columns``; ``formats`` overrides :data:`COLUMN_FORMATS` for some columns."""
    head = "".join(f'<th scope="col">{_e(_t()["col_" + c])}</th>' for c in columns)
    hidden = withheld if withheld is not None else [False] * table.height
    classes = row_class if row_class is not None else [""] * table.height
    rows = []
    for i, row in enumerate(table.select(columns).iter_rows()):
        cells = "".join(_cell(c, v, withheld=bool(hidden[i]), formats=formats) for c, v in zip(columns, row))
        attr = f' class="{_e(classes[i])}"' if classes[i] else ""
        rows.append(f"<tr{attr}>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _section(anchor: str, heading: str, *parts: str) -> str:
    body = "\n".join(p for p in parts if p)
    return f'<section id="{anchor}">\n<h2>{_e(heading)}</h2>\n{body}\n</section>'


def _paragraph(text: str, css: str = "") -> str:
    attr = f' class="{css}"' if css else ""
    return f"<p{attr}>{text}</p>"


#: Turns a figure and its short name (``ei``, ``unit-matrix``, ``bridges``) into the HTML
#: that shows it: an interactive plotly div in the HTML page, a PNG image in the PDF.
FigureEmbedder = Callable[[go.Figure, str], str]


def _figure_embedder() -> FigureEmbedder:
    """Embed figures in page order, inlining plotly.js with the first one only."""
    count = 0

    def embed(fig: go.Figure, name: str) -> str:
        nonlocal count
        count += 1
        # plotly writes the figure as JSON with <, > and / escaped, so no user text can
        # close the <script>; the fixed div id keeps the page the same on every run.
        div = pio.to_html(
            fig, full_html=False, include_plotlyjs=count == 1, div_id=f"figure-{name}",
            config=FIGURE_CONFIG, default_height=f"{fig.layout.height or 450}px",
        )  # fmt: skip
        return f'<div class="figure">{div}</div>'

    return embed


def _counted(key: str, n: int | None) -> str:
    """A count with its noun in the report's language ("1 unit", "12 enheter"); "–" when unknown."""
    return _t()["undefined"] if n is None else _e(plural(key, int(n), current_language()))


def _fill(key: str, **values: str) -> str:
    """Fill the current language's text ``key`` with values that are already escaped HTML."""
    return _e(_t()[key]).format(**values)


def _data_check(analysis: Analysis, summary: dict[str, Any]) -> str:
    problems = analysis.problems
    if not problems:
        parts = [_paragraph(_fill("data_counts", memberships=_int(summary.get("memberships")),
                                  rejected="0", warnings="0")),
                 _paragraph(_e(_t()["data_clean"]))]  # fmt: skip
        return _section("data-check", _t()["h_data_check"], *parts)
    errors = [p for p in problems if p.severity == "error"]
    rejected = len({(p.file, p.line) for p in errors if p.line is not None})
    file_level = sum(p.line is None for p in errors)
    warnings = sum(p.severity != "error" for p in problems)
    counts = _fill("data_counts", memberships=_int(summary.get("memberships")), rejected=_int(rejected),
                   warnings=_int(warnings))  # fmt: skip
    rows = "".join(
        "<tr>"
        f"<td>{_e(p.file if p.line is None else f'{p.file}:{p.line}')}</td>"
        f"<td>{_e(p.column_text(current_language()))}</td>"
        f"<td>{_e(_t()['severity'].get(p.severity, p.severity))}</td>"
        f"<td>{_e(p.text(current_language()))}</td>"
        "</tr>"
        for p in problems
    )
    head = "".join(f'<th scope="col">{_e(_t()[k])}</th>' for k in ("col_where", "col_column", "col_severity", "col_message"))
    is_open = " open" if len(problems) <= OPEN_PROBLEMS else ""
    listing = (
        f'<details class="findings"{is_open}><summary class="toggle">{_fill("problems_summary", n=_int(len(problems)))}</summary>'
        f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></details>"
    )
    file_note = _paragraph(_fill("data_file_errors", n=_int(file_level))) if file_level else ""
    return _section("data-check", _t()["h_data_check"], _paragraph(counts), file_note, listing)


def _sentence(choice: tuple[str, dict[str, Any]] | None) -> str:
    """The sentence ``hl_<key>`` of a headline choice (:func:`~analyser.report.common.project_headline`
    and friends): ``inside`` shown as a percentage, every other number as a whole number."""
    if choice is None:
        return ""
    key, values = choice
    return _fill(f"hl_{key}", **{k: _share(v) if k == "inside" else _int(v) for k, v in values.items()})


def _project_items(summary: dict[str, Any]) -> list[str]:
    """How many team projects stay inside one unit, and why one-person projects are left out."""
    choice = project_headline(summary)
    if choice is None:
        return []
    solo = choice[1].get("solo")
    left_out = " " + _fill("hl_solo_one" if solo == 1 else "hl_solo_other", n=_int(solo)) if solo else ""
    return [_sentence(choice) + left_out]


def _silo_items(summary: dict[str, Any], units: pl.DataFrame, meta: Mapping[str, Any]) -> list[str]:
    """How many units with enough data are significant silos; how many had too little; withheld ones."""
    text = _sentence(silo_headline(summary))
    unjudged = unjudged_headline(summary)
    if unjudged:
        people, projects = verdict_minimums(meta)
        key, values = unjudged
        text += " " + _fill(f"hl_{key}", n=_int(values["n"]), min_people=_int(people), min_projects=_int(projects))
    withheld = len(suppressed_units(units))
    if withheld:
        text += " " + _fill("hl_withheld", n=_int(withheld))
    return [text.strip()] if text.strip() else []


def _community_items(summary: dict[str, Any], meta: Mapping[str, Any]) -> list[str]:
    """Communities against units, and how far to trust them (their stability)."""
    s = summary
    if s.get("communities") is None or s.get("community_unit_nmi") is None:
        return []
    text = _fill("hl_communities", c=_int(s["communities"]), u=_int(s.get("units")), nmi=_dec(s["community_unit_nmi"]))
    stability = s.get("community_stability")
    if stability is not None:
        runs = (meta.get("methods") or {}).get("community_stability_runs")
        key = "hl_stability_low" if low_stability(s) else "hl_stability"
        text += " " + _fill(key, s=_dec(stability), runs=_int(runs), limit=_dec(LOW_STABILITY, 1))
    return [text]


def _headline_items(summary: dict[str, Any], units: pl.DataFrame, meta: Mapping[str, Any] | None = None) -> list[str]:
    s, meta = summary, meta or {}
    items = []
    if s.get("people") is not None:
        ties, cross = s.get("ties"), s.get("cross_unit_ties")
        cross_share = cross / ties if ties and cross is not None else None
        items.append(_fill("hl_counts", people=_counted("count_people", s["people"]),
                           units=_counted("count_units", s.get("units")),
                           projects=_counted("count_projects", s.get("projects")), ties=_int(ties),
                           cross_share=_share(cross_share)))  # fmt: skip
    items += _project_items(s)
    if units.height or s.get("significant_silos") is not None:
        items += _silo_items(s, units, meta)
    observed, expected = s.get("ei_index"), s.get("ei_expected")
    if observed is not None and expected is not None:
        verdict = "hl_org_ei_below" if observed < expected else "hl_org_ei_above"
        items.append(_fill("hl_org_ei", observed=_dec(observed), expected=_dec(expected)) + " " + _e(_t()[verdict]))
    if s.get("modularity") is not None:
        items.append(_fill("hl_modularity", q=_dec(s["modularity"])))
    items += _community_items(s, meta)
    if s.get("largest_component_share") is not None:
        items.append(_fill("hl_components", share=_share(s["largest_component_share"]), n=_int(s.get("components"))))
    return items


def _show_figure(key: str, value: Any) -> str:
    if value is None:
        return _t()["undefined"]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if key.endswith("share"):
        return _share(value)
    return _int(value) if isinstance(value, int) else _dec(value, 3)


def _headlines(summary: dict[str, Any], units: pl.DataFrame, meta: Mapping[str, Any] | None = None) -> str:
    items = "".join(f"<li>{item}</li>" for item in _headline_items(summary, units, meta))
    labels = _t()["summary_labels"]
    rows = "".join(
        f"<tr><td>{_e(labels.get(k, k))}</td><td class=\"num\">{_e(_show_figure(k, v))}</td></tr>"
        for k, v in summary.items()
    )
    figures_table = (
        f"<details><summary>{_e(_t()['key_figures'])}</summary>"
        f"<table><tbody>{rows}</tbody></table></details>"
    )
    return _section("headlines", _t()["h_headlines"], f'<ul class="headlines">{items}</ul>', figures_table)


UNIT_TABLE_COLUMNS = (
    "unit", "verdict", "people", "projects", "ties_internal", "ties_external", "ei_index", "ei_expected",
    "ei_expected_perm", "ei_p", "ei_q", "partner_units", "cross_unit_project_share", "bridge_concentration",
)  # fmt: skip


def _explained(columns: Mapping[str, str]) -> str:
    """One plain line per column: its heading, then what it means."""
    lines = "".join(f"<dt>{_e(_t()['col_' + c])}:</dt> <dd>{_e(text)}</dd>" for c, text in columns.items())
    return f'<dl class="explained">{lines}</dl>'


def _units(units: pl.DataFrame, embed: Callable[[go.Figure, str], str], meta: Mapping[str, Any] | None = None) -> str:
    if units.is_empty():
        return _section("units", _t()["h_units"], _paragraph(_e(_t()["units_none"])))
    n = permutations_used(meta)
    ordered = ordered_units(units)
    verdict = verdicts(ordered).to_list()
    p_format = (lambda v: _p(v, n), True)
    table = _table(
        ordered,
        [c for c in UNIT_TABLE_COLUMNS if c in ordered.columns],
        withheld=ordered["suppressed"].fill_null(False).to_list(),
        row_class=[VERDICT_ROW_CLASS.get(v, "") for v in verdict],
        formats={"ei_p": p_format, "ei_q": p_format},
    )
    people, projects = verdict_minimums(meta)
    intro = _paragraph(_fill("units_intro", alpha=_dec(SIGNIFICANCE_LEVEL), min_people=_int(people),
                             min_projects=_int(projects)))  # fmt: skip
    figure = embed(figures.ei_observed_vs_expected(units, current_language(), n_permutations=n), "ei")
    return _section("units", _t()["h_units"], intro, _explained(_t()["units_explained"]), figure, table)


def _matrix_intro(units: pl.DataFrame) -> str:
    """What the matrix counts, how its rows are ordered, what "Other units" holds, and that grey is withheld."""
    parts = [_e(_t()["matrix_intro"]), _e(_t()["matrix_order"])]
    rest = units.height - unit_order.TOP_UNITS
    if rest > 1:
        parts.append(_fill("matrix_rest", top=_int(unit_order.TOP_UNITS), rest=_int(rest)))
    if suppressed_units(units):
        parts.append(_e(_t()["matrix_withheld"]))
    return _paragraph(" ".join(parts))


def _matrix(units: pl.DataFrame, links: pl.DataFrame, embed: Callable[[go.Figure, str], str]) -> str:
    # the 30 units with most ties and "Other units", in block order, labels at 13 px (8 pt in the PDF)
    figure = embed(figures.unit_matrix_heatmap(units, links, current_language()), "unit-matrix")
    if links.is_empty():
        return _section("matrix", _t()["h_matrix"], _matrix_intro(units), figure,
                        _paragraph(_e(_t()["links_none"])))  # fmt: skip
    top = links.sort(["ties", "unit_a", "unit_b"], descending=[True, False, False], nulls_last=True).head(TOP_ROWS)
    hidden = set(suppressed_units(units))
    withheld = [a in hidden or b in hidden for a, b in top.select("unit_a", "unit_b").iter_rows()]
    table = _table(top, ("unit_a", "unit_b", "ties", "shared_projects", "weight"), withheld=withheld)
    return _section("matrix", _t()["h_matrix"], _matrix_intro(units), figure,
                    f"<h3>{_e(_t()['matrix_top'])}</h3>", table)  # fmt: skip


def _capped(table: pl.DataFrame) -> tuple[pl.DataFrame, str]:
    more = table.height - MAX_LIST_ROWS
    note = _paragraph(_fill("more_rows", n=_int(more)), "note") if more > 0 else ""
    return table.head(MAX_LIST_ROWS), note


PEOPLE_TABLE_COLUMNS = (
    "person", "unit", "cross_unit_betweenness", "betweenness", "participation", "units_reached",
    "external_collaborators", "sole_bridges",
)  # fmt: skip


def _bridges(analysis: Analysis, people: pl.DataFrame, embed: Callable[[go.Figure, str], str]) -> str:
    if analysis.privacy == "aggregate":
        return _section("bridges", _t()["h_bridges"], _paragraph(_e(_t()["bridges_hidden"])))
    if people.is_empty():
        return _section("bridges", _t()["h_bridges"], _paragraph(_e(_t()["people_none"])))
    # a "top bridges" list of people who bridge no two units would mislead: only those above 0
    top = top_bridges(people, TOP_ROWS)
    sole = people.filter(pl.col("sole_bridges") > 0).sort(["sole_bridges", "person"], descending=[True, False])
    sole, note = _capped(sole)
    sole_part = (
        _table(sole, PEOPLE_TABLE_COLUMNS) + note if sole.height else _paragraph(_e(_t()["sole_none"]))
    )
    top_part = (
        [embed(figures.top_bridges_bar(people, n=TOP_ROWS, lang=current_language()), "bridges"),
         f"<h3>{_fill('bridges_top', n=_int(top.height))}</h3>", _table(top, PEOPLE_TABLE_COLUMNS)]
        if top.height else [_paragraph(_e(_t()["bridges_nobody"]))]
    )  # fmt: skip
    return _section(
        "bridges", _t()["h_bridges"], _paragraph(_e(_t()["bridges_intro"])), *top_part,
        f"<h3>{_e(_t()['sole_title'])}</h3>", sole_part,
    )  # fmt: skip


PROJECT_TABLE_COLUMNS = ("project", "members", "units", "blau_index", "unique_links")


def _projects(projects: pl.DataFrame) -> str:
    if projects.is_empty():
        return _section("projects", _t()["h_projects"], _paragraph(_e(_t()["projects_none"])))
    cross = int(projects["cross_unit"].fill_null(False).sum())
    intro = _paragraph(_fill("projects_intro", cross=_int(cross), total=_int(projects.height)))
    top = projects.sort(["blau_index", "project"], descending=[True, False], nulls_last=True).head(TOP_ROWS)
    unique = projects.filter(pl.col("unique_links") > 0).sort(["unique_links", "project"], descending=[True, False])
    unique, note = _capped(unique)
    unique_part = (
        _paragraph(_e(_t()["unique_intro"])) + _table(unique, PROJECT_TABLE_COLUMNS) + note
        if unique.height
        else _paragraph(_e(_t()["unique_none"]))
    )
    return _section(
        "projects", _t()["h_projects"], intro,
        f"<h3>{_fill('projects_top', n=_int(top.height))}</h3>", _table(top, PROJECT_TABLE_COLUMNS),
        f"<h3>{_e(_t()['unique_title'])}</h3>", unique_part,
    )  # fmt: skip


def _flat(prefix: str, value: Any) -> list[tuple[str, Any]]:
    if isinstance(value, dict):
        return [row for k, v in value.items() for row in _flat(f"{prefix}.{k}" if prefix else str(k), v)]
    if isinstance(value, (list, tuple)):
        return [(prefix, ", ".join(str(v) for v in value))]
    return [(prefix, value)]


def _key_value_table(rows: list[tuple[str, str]]) -> str:
    """A two-column table of (label, value) texts, both escaped here."""
    head = f'<th scope="col">{_e(_t()["col_key"])}</th><th scope="col">{_e(_t()["col_value"])}</th>'
    body = "".join(f"<tr><td>{_e(k)}</td><td>{_e(v)}</td></tr>" for k, v in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _when(stamp: Any) -> str:
    """The analysis' ISO time stamp in the report's language ("6 december 2026, 11:18 UTC")."""
    try:
        moment = datetime.fromisoformat(str(stamp))
    except ValueError:
        return str(stamp)
    moment = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    return format_datetime(moment, "d MMMM y, HH:mm 'UTC'", tzinfo=timezone.utc, locale=LOCALES[current_language()])


#: Entries of the analysis' record (``meta``) that the report names, with their label under
#: ``report.html.meta``; the methods table shows ``methods.*``, the "about" table the rest.
#: Left out: what another part already says (the privacy mode once, the withholding rule in
#: the privacy section).
META_LABELS = {
    "version": "version", "source": "source", "generated": "generated", "options.level": "level",
    "privacy": "privacy", "options.min_group_size": "min_group_size", "options.max_project_size": "max_project_size",
    "options.seed": "seed", "options.min_silo_projects": "min_silo_projects", "levels": "levels",
    "withheld_units.small": "withheld_small", "withheld_units.complementary": "withheld_complementary",
    "methods.ei_permutations": "ei_permutations", "methods.ei_p": "ei_p", "methods.ei_q": "ei_q",
    "methods.silo_verdict": "silo_verdict", "methods.betweenness": "betweenness",
    "methods.betweenness_sources": "betweenness_sources", "methods.betweenness_seed": "betweenness_seed",
    "methods.betweenness_exact_max_people": "betweenness_exact_max_people",
    "methods.betweenness_sampling": "betweenness_sampling", "methods.betweenness_accuracy": "betweenness_accuracy",
    "methods.communities": "communities", "methods.community_stability_runs": "community_stability_runs",
    "methods.excluded_projects": "excluded_projects", "methods.route": "route", "methods.route_reason": "route_reason",
    "methods.person_pairs": "person_pairs", "methods.person_level_max_pairs": "person_level_max_pairs",
    "methods.betweenness_engine": "betweenness_engine", "methods.brokerage_engine": "brokerage_engine",
}  # fmt: skip
#: The engines the analysis records (its own English descriptions, or parts of them) and their
#: catalogue keys under ``report.html.meta_values.engine``; library names stay as they are.
ENGINES = {
    "masked product": "masked_product",
    **{text: f"betweenness_{name}" for name, text in bridging.BETWEENNESS_ENGINES.items()},
    **{text: f"brokerage_{name}" for name, text in brokerage.ROUTED_ENGINES.items()},
    structure.IGRAPH_ENGINE: "louvain_igraph", structure.NETWORKIT_ENGINE: "louvain_networkit",
    structure.IGRAPH_FALLBACK_ENGINE: "louvain_igraph_fallback",
}
META_LEFT_OUT = {"options.privacy", "withheld_units", "withheld_units.rule", "skipped"}


def _meta_value(key: str, value: Any, meta: Mapping[str, Any]) -> str:
    """An entry of the analysis' record in the report's words: fixed method descriptions from
    the catalogue (filled with the analysis' own figures), numbers in the language's style."""
    words, methods = _t()["meta_values"], meta.get("methods") or {}
    text = str(value)
    if key == "generated" and value:
        return _when(value)
    if key in ("privacy", "options.privacy"):
        return _t()["privacy_modes"].get(text, text)
    if key == "options.max_project_size" and value is None:
        return words["no_limit"]
    if key == "options.level" and value is None:
        return words["level_written"]
    if key in ("methods.ei_p", "methods.ei_q", "methods.betweenness_accuracy"):
        return words[key.removeprefix("methods.")]
    if text.startswith(("skipped", "not tested")):
        return words["not_computed"]
    if key == "methods.silo_verdict":
        people, projects = verdict_minimums(meta)
        return words["silo_verdict"].format(people=_int(people), projects=_int(projects), alpha=_dec(SIGNIFICANCE_LEVEL))
    if key == "methods.betweenness" and text in ("exact", "sampled"):
        return words[f"betweenness_{text}"]
    if key == "methods.betweenness_sampling":
        return words["betweenness_sampling"].format(
            exact=_int(bridging.EXACT_MAX_PEOPLE), sample=_int(bridging.SAMPLE_SIZE),
            large_sample=_int(bridging.LARGE_SAMPLE_SIZE), large=_int(bridging.LARGE_PEOPLE))  # fmt: skip
    if key in ("methods.betweenness_engine", "methods.brokerage_engine"):
        return _engine_text(text)
    if key == "methods.communities":  # "Louvain (<engine>, seeded: ...": the longest engine name that fits
        for engine in sorted((e for e in ENGINES if ENGINES[e].startswith("louvain")), key=len, reverse=True):
            if text.startswith(f"Louvain ({engine},"):
                return words["communities"].format(engine=words["engine"][ENGINES[engine]])
    if key == "methods.route" and text in ("full", "unit level only"):
        return words["route_full" if text == "full" else "route_unit_level"]
    if key == "methods.route_reason" and methods.get("person_pairs") is not None:
        pairs, limit = methods["person_pairs"], methods.get("person_level_max_pairs")
        gb = _dec(estimated_peak_bytes(int(pairs)) / 1024**3, 1)
        over = methods.get("route") == "unit level only" and limit is not None
        return words["route_reason_over" if over else "route_reason"].format(pairs=_int(pairs), gb=gb, limit=_int(limit))
    if value is None or value == "":
        return _t()["undefined"]
    if isinstance(value, bool):
        return _t()["yes" if value else "no"]
    if isinstance(value, int):
        return _int(value)
    if isinstance(value, float):
        return _dec(value)
    return text


def _engine_text(text: str) -> str:
    """An engine description in the report's words: each known part replaced, longest first."""
    words = _t()["meta_values"]["engine"]
    for english in sorted(ENGINES, key=len, reverse=True):
        text = text.replace(english, words[ENGINES[english]])
    return text


def _meta_rows(meta: Mapping[str, Any], *, methods: bool) -> list[tuple[str, str]]:
    """The methods (``methods=True``) or "about" rows of the analysis' record, labelled in the
    report's language (an entry the report does not know keeps its own name)."""
    labels = _t()["meta"]
    rows = []
    for key, value in _flat("", dict(meta)):
        if key in META_LEFT_OUT or key.startswith("methods.") != methods:
            continue
        label = labels.get(META_LABELS.get(key, ""), key)
        rows.append((label, _meta_value(key, value, meta)))
    return rows


#: Figures the analysis could not compute (``meta["skipped"]``), known by the start of their
#: name; the reason's numbers are read back from the recorded reason.
SKIPPED_ITEMS = (
    ("person-level metrics", "person_level",
     r"(?P<people>[\d,]+) people make (?P<pairs>[\d,]+) person pairs.* limit of (?P<limit>[\d,]+)"),
    ("ei_z, ei_p", "permutation", None), ("communities, community_unit_nmi", "communities", None),
    ("silo verdicts", "verdicts", None), ("unit links", "unit_links", None),
    ("community_stability", "community_stability", r"more than (?P<ties>[\d,]+) ties"),
)  # fmt: skip


def _skipped_item(item: Mapping[str, Any]) -> tuple[str, str]:
    """A skipped figure and why, in the report's words (as recorded when unknown)."""
    metric, reason = str(item.get("metric") or ""), str(item.get("reason") or "")
    for start, name, pattern in SKIPPED_ITEMS:
        if not metric.startswith(start):
            continue
        words = _t()["skipped_items"][name]
        if pattern is None:
            return words["metric"], words["reason"]
        found = re.search(pattern, reason)
        if found:
            values = {name: _int(int(n.replace(",", ""))) for name, n in found.groupdict().items()}
            return words["metric"], words["reason"].format(**values)
        return words["metric"], reason
    return metric, reason


def _methods(analysis: Analysis, units: pl.DataFrame) -> str:
    people, projects = verdict_minimums(analysis.meta)
    values = {"alpha": _dec(SIGNIFICANCE_LEVEL), "min_people": _int(people), "min_projects": _int(projects),
              "limit": _dec(LOW_STABILITY, 1)}  # fmt: skip
    defs = "".join(f"<dt>{_e(term)}</dt><dd>{_e(text.format(**values))}</dd>" for term, text in ((d["term"], d["text"]) for d in _t()["defs"].values()))
    methods = _meta_rows(analysis.meta, methods=True)
    methods_part = _key_value_table(methods) if methods else _paragraph(_e(_t()["methods_none"]))
    skipped = analysis.meta.get("skipped") or []
    if skipped:
        items = "".join(f"<li><strong>{_e(metric)}</strong>: {_e(reason)}</li>" for metric, reason in map(_skipped_item, skipped))
        methods_part += f"<h3>{_e(_t()['skipped_title'])}</h3><ul class=\"skipped\">{items}</ul>"
    mode = analysis.privacy
    mode_text = _t()["privacy_modes"].get(mode, mode)
    min_size = (analysis.meta.get("options") or {}).get("min_group_size")
    if mode == "names" or min_size is None:
        privacy = _fill("privacy_text_names", mode=_e(mode_text))
    else:
        privacy = _fill("privacy_text", mode=_e(mode_text), min_size=_e(min_size))
    hidden = suppressed_units(units)
    hidden_text = (
        _fill("suppressed_list", units=", ".join(_e(u) for u in hidden)) if hidden else _e(_t()["suppressed_none"])
    )
    return _section(
        "methods", _t()["h_methods"],
        f"<h3>{_e(_t()['definitions'])}</h3><dl class=\"defs\">{defs}</dl>",
        f"<h3>{_e(_t()['methods_title'])}</h3>", methods_part,
        f"<h3>{_e(_t()['privacy_title'])}</h3>", _paragraph(privacy), _paragraph(hidden_text),
        f"<h3>{_e(_t()['about_title'])}</h3>", _key_value_table(_meta_rows(analysis.meta, methods=False)),
    )  # fmt: skip


SECTIONS = (
    ("data-check", "h_data_check"), ("headlines", "h_headlines"), ("units", "h_units"),
    ("matrix", "h_matrix"), ("bridges", "h_bridges"), ("projects", "h_projects"),
    ("methods", "h_methods"),
)  # fmt: skip


def _records(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> pl.DataFrame:
    """A table of JSON rows with at least ``columns`` (all-null when a key is missing)."""
    table = pl.DataFrame(list(rows), infer_schema_length=None) if rows else pl.DataFrame()
    return table.with_columns(pl.lit(None).alias(c) for c in columns if c not in table.columns)


def trend_frames(trends: Mapping[str, Any]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Return the per-period summary and unit tables of a trends JSON dict.

    ``trends`` is :func:`analyser.periods.trends_json`; the summary has ``period`` and
    the summary fields, the unit table ``period`` and the unit columns.

    Examples
    --------
    >>> t = {"periods": [{"period": "2025", "summary": {"ei_index": 0.1}, "units": [{"unit": "A", "ei_index": None}]}]}
    >>> summary, units = trend_frames(t)
    >>> summary.rows(), units.rows()
    ([('2025', 0.1)], [('2025', 'A', None)])
    """
    periods = trends.get("periods") or []
    summary = _records([{"period": p["period"], **(p.get("summary") or {})} for p in periods], ["period"])
    units = _records([{"period": p["period"], **u} for p in periods for u in p.get("units") or []],
                     ["period", "unit", "ei_index"])  # fmt: skip
    return summary, units


def _change_part(heading: str, rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> str:
    title = f"<h3>{_fill(heading, n=_int(len(rows)))}</h3>"
    if not rows:
        return title + _paragraph(_e(_t()["trends_none"]), "note")
    table, note = _capped(_records(rows, columns))
    return title + _table(table, columns) + note


TREND_TABLE_COLUMNS = ("period", "people", "projects", "ei_index", "ei_expected", "modularity", "cross_unit_project_share")


def _trends(trends: Mapping[str, Any], embed: Callable[[go.Figure, str], str]) -> str:
    """Section 8: the E-I by period figure, organisation figures per period, the latest change."""
    summary, units = trend_frames(trends)
    meta = trends.get("meta") or {}
    period = _t()["period_names"].get(meta.get("period"), meta.get("period") or "")
    labels = summary["period"].to_list()
    intro = _paragraph(_fill("trends_intro", period=_e(period), n=_int(len(labels)),
                             first=_e(labels[0] if labels else ""), last=_e(labels[-1] if labels else "")))  # fmt: skip
    columns = [c for c in TREND_TABLE_COLUMNS if c in summary.columns]
    parts = [intro, embed(figures.ei_over_time(summary, units, current_language()), "trends"),
             f"<h3>{_e(_t()['trends_table'])}</h3>", _table(summary, columns)]  # fmt: skip
    changes = trends.get("changes") or []
    if not changes:
        parts.append(_paragraph(_e(_t()["trends_one_period"])))
        return _section("trends", _t()["h_trends"], *parts)
    last = changes[-1]
    started = [{"unit_a": a, "unit_b": b} for a, b in (last.get("unit_pairs_started") or [])]
    stopped = [{"unit_a": a, "unit_b": b} for a, b in (last.get("unit_pairs_stopped") or [])]
    moves = [m for m in last.get("ei_moves") or [] if m.get("significant")]
    new, lost = last.get("sole_bridges_new") or [], last.get("sole_bridges_lost") or []
    bridge_columns = ("unit_a", "unit_b", "person") if any("person" in b for b in [*new, *lost]) else ("unit_a", "unit_b")
    parts += [
        f"<h3>{_fill('trends_changes', before=_e(last.get('from')), after=_e(last.get('to')))}</h3>",
        _change_part("trends_started", started, ("unit_a", "unit_b")),
        _change_part("trends_stopped", stopped, ("unit_a", "unit_b")),
        _change_part("trends_moves", moves, ("unit", "ei_before", "ei_after", "change", "p")),
        _paragraph(_fill("trends_moves_test", alpha=_dec(SIGNIFICANCE_LEVEL)), "note"),
        _change_part("trends_sole_new", new, bridge_columns),
        _change_part("trends_sole_lost", lost, bridge_columns),
    ]
    return _section("trends", _t()["h_trends"], *parts)


def check_trends(analysis: Analysis, trends: Mapping[str, Any] | None) -> None:
    """Raise ``ValueError`` when ``trends`` were made in another privacy mode than ``analysis``.

    A names-mode trend in an aggregate report would print the names the report hides.

    Examples
    --------
    >>> from analyser.analysis import Analysis
    >>> e = pl.DataFrame()
    >>> check_trends(Analysis(e, e, e, e, {}, meta={"privacy": "aggregate"}), {"meta": {"privacy": "names"}})
    Traceback (most recent call last):
    ...
    ValueError: The trends were made in names privacy mode, the report in aggregate; both must match.
    """
    if trends is None:
        return
    made = (trends.get("meta") or {}).get("privacy", "names")
    if made != analysis.privacy:
        raise ValueError(_t()["trends_privacy"].format(trends=made, report=analysis.privacy))


def _page_header(analysis: Analysis, *, trends: bool = False) -> str:
    meta = analysis.meta
    subtitle = _fill(
        "subtitle", source=_e(meta.get("source") or _t()["undefined"]),
        generated=_e(_when(meta["generated"]) if meta.get("generated") else _t()["undefined"]), version=_e(meta.get("version") or _t()["undefined"]),
    )  # fmt: skip
    mode = _t()["privacy_modes"].get(analysis.privacy, analysis.privacy)
    badge = f'<span class="badge">{_fill("privacy_badge", mode=_e(mode))}</span>'
    shown = (*SECTIONS, ("trends", "h_trends")) if trends else SECTIONS
    links = "".join(f'<li><a href="#{anchor}">{_e(_t()[key])}</a></li>' for anchor, key in shown)
    return (
        f"<header><h1>{_e(_t()['title'])}</h1><p class=\"sub\">{subtitle}</p><p>{badge}</p></header>\n"
        f"<nav><h2>{_e(_t()['contents'])}</h2><ul class='toc'>{links}</ul></nav>"
    )


def render_body(
    analysis: Analysis, embed: FigureEmbedder, trends: Mapping[str, Any] | None = None, *, lang: str | None = None
) -> str:
    """Return the report's visible content: page header, contents and the seven sections.

    Every report page variant shares this; only ``embed``, which turns each figure into
    HTML, differs. Figures are embedded in page order: E-I plot (when there are units),
    unit matrix, bridges (when someone bridges units, never in ``aggregate`` mode), and
    the E-I by period figure of section 8.

    Parameters
    ----------
    analysis
        The result of :func:`analyser.analysis.analyse`.
    embed
        Called as ``embed(figure, name)`` once per figure; returns ready-made HTML.
    trends
        Optional :func:`analyser.periods.trends_json` of the same roster and options; when
        given, an eighth section "Change over time" shows the E-I by period and the
        change between the last two periods. It must use the report's privacy mode.
    lang
        Report language, ``"en"`` or ``"sv"`` (:data:`TEXTS`); ``None`` keeps the one set
        by :func:`~analyser.report.language.report_language` (English by default).

    Returns
    -------
    str
        A ``<header>``, a ``<nav>`` and a ``<main>`` element, with all user text escaped.

    Examples
    --------
    >>> from analyser.analysis import Analysis
    >>> e = pl.DataFrame()
    >>> names = []
    >>> body = render_body(Analysis(e, e, e, e, {}), lambda fig, name: names.append(name) or "")
    >>> names, body.startswith("<header>")
    (['unit-matrix'], True)
    """
    if lang is not None:
        with report_language(lang):
            return render_body(analysis, embed, trends)
    tables = report_tables(analysis)
    summary = summary_items(analysis)
    sections = [
        _data_check(analysis, summary),
        _headlines(summary, tables["units"], analysis.meta),
        _units(tables["units"], embed, analysis.meta),
        _matrix(tables["units"], tables["unit_links"], embed),
        _bridges(analysis, tables["people"], embed),
        _projects(tables["projects"]),
        _methods(analysis, tables["units"]),
    ]
    check_trends(analysis, trends)
    if trends is not None:
        sections.append(_trends(trends, embed))
    body = "\n".join(sections)
    return f"{_page_header(analysis, trends=trends is not None)}\n<main>\n{body}\n</main>"


def render_html(analysis: Analysis, trends: Mapping[str, Any] | None = None, *, lang: str = "en") -> str:
    """Return the silo report as one self-contained HTML page.

    The page has seven sections: data check, headline figures in plain words, the unit
    silo table, the unit-to-unit matrix, bridges and key-person risk (left out in
    ``aggregate`` privacy mode), cross-unit projects, and a methods and privacy appendix.
    It needs no network: CSS and plotly.js are inlined (plotly.js once, with the first
    figure), and it prints on paper without the navigation.

    Every user string (unit, person and project names, file names, problem messages) is
    HTML-escaped, in the page and in figure labels; figure data is JSON with ``<``, ``>``
    and ``/`` escaped, so no name can close a ``<script>``. Figures of suppressed units
    show as "withheld"; undefined figures as "–". All wording comes from :data:`TEXTS`, in ``lang``.

    Parameters
    ----------
    analysis
        The result of :func:`analyser.analysis.analyse`.
    trends
        Optional :func:`analyser.periods.trends_json` (same privacy mode): adds section 8,
        "Change over time" (see :func:`render_body`).
    lang
        ``"en"`` (default) or ``"sv"``: every word, the figures and the number format
        (Swedish: decimal comma, space between thousands).

    Returns
    -------
    str
        The complete HTML document (about 5 MB, mostly plotly.js).

    Examples
    --------
    >>> from analyser.analysis import Analysis
    >>> e = pl.DataFrame()
    >>> page = render_html(Analysis(e, e, e, e, {}, meta={"source": "<b>.csv"}))
    >>> page.startswith("<!DOCTYPE html>"), "&lt;b&gt;.csv" in page, "<b>.csv" in page
    (True, True, False)
    >>> '<html lang="sv">' in render_html(Analysis(e, e, e, e, {}), lang="sv")
    True
    """
    with report_language(lang):
        return (
            f'<!DOCTYPE html>\n<html lang="{_e(_t()["lang"])}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{_e(_t()['title'])}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
            f"{render_body(analysis, _figure_embedder(), trends)}\n</body>\n</html>\n"
        )
