"""Projects page: which projects cross unit borders, how mixed they are, and which unit links only one project holds."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
import polars as pl
from dash import Dash, Input, Output, State, html

from analyser.analysis import PROJECT_COLUMNS, Analysis
from dashboard import ids
from dashboard.components import ag_grid, column_defs, grid_note, info, note, small_table
from dashboard.data import DashboardData
from dashboard.selection import GRID_ROW_LIMIT, grid_rows
from dashboard.settings import parse_settings
from analyser.i18n import integer, plural, t

__all__ = ["PATH", "TITLE_KEY", "SEARCHED", "layout", "register_callbacks", "ranked_projects", "projects_page",
           "projects_view", "grid_columns", "unique_pairs_by_project", "unique_pair_texts"]

PATH = "/projects"
TITLE_KEY = "nav_projects"
I = ids.Projects
#: Columns the search box matches.
SEARCHED = ("project",)
#: Widest a number column of the grid gets (px), so the project name gets the rest of the width.
NUMBER_WIDTH = 150
#: Unit pairs named per project in the unique-links table before "and n more".
PAIRS_NAMED = 3
#: Dash between the two units of a pair.
PAIR_DASH = " \u2013 "


def layout(lang: str = "en", **_query: Any) -> html.Div:
    """The projects page in ``lang``."""
    return html.Div([
        html.H2(t("projects_title", lang)),
        html.P(id=I.SUMMARY, className="lead"),
        dbc.Input(id=I.SEARCH, type="search", value="", debounce=True, placeholder=t("projects_search", lang),
                  className="mb-2", style={"maxWidth": "360px"}),
        html.Div(id=I.GRID_NOTE),
        ag_grid(I.GRID, lang, height=560, pagination=20),
        html.H3([t("projects_unique", lang), *info("projects_unique_tip", lang, "tip-projects-unique")], className="mt-4"),
        html.Div(id=I.UNIQUE),
    ])  # fmt: skip


def ranked_projects(analysis: Analysis) -> pl.DataFrame:
    """The project table in grid order: most units first, then most members, then by name."""
    return analysis.projects.sort(["units", "members", "project"], descending=[True, True, False])


def grid_columns(projects: pl.DataFrame, columns: list[str], lang: str) -> list[dict]:
    """Grid columns of the project table: the name takes the free width, numbers stay narrow.

    The grid sizes columns to fit its width, within each column's minimum and maximum: number
    columns are capped at :data:`NUMBER_WIDTH` so long project names are not cut while a
    "Members" column stretches. ``cross_unit`` is a word (:func:`_cross_unit_words`), not a
    grey check box that looks disabled.

    >>> p = pl.DataFrame({"project": ["P"], "members": [3], "cross_unit": [True]})
    >>> [(d["field"], d.get("flex"), d.get("maxWidth")) for d in grid_columns(p, ["project", "members", "cross_unit"], "en")]
    [('project', 1, None), ('members', None, 150), ('cross_unit', None, 150)]
    """
    defs = column_defs(projects, columns, lang)
    for spec in defs:
        if spec["field"] == "project":
            spec.update(flex=1, minWidth=280)
        else:
            spec["maxWidth"] = max(spec.get("minWidth", 90), NUMBER_WIDTH)
    return defs


def _cross_unit_words(frame: pl.DataFrame, lang: str) -> pl.DataFrame:
    """``cross_unit`` as "✓ yes" / "no" in ``lang`` (the grid filters and sorts the words)."""
    if "cross_unit" not in frame.columns:
        return frame
    word = pl.when(pl.col("cross_unit")).then(pl.lit(t("cross_unit_yes", lang))).otherwise(pl.lit(t("cross_unit_no", lang)))
    return frame.with_columns(word.alias("cross_unit"))


def unique_pairs_by_project(memberships: pl.DataFrame, unit_links: pl.DataFrame) -> pl.DataFrame:
    """Return the unit pairs each project alone connects: ``project``, ``unit_a``, ``unit_b``.

    A pair counts when ``unit_links`` says the two units share exactly one project; the
    project is the one in ``memberships`` (units at the analysed level) where both have
    members. Pairs the links table leaves out (withheld units) are left out here too.

    Examples
    --------
    >>> m = pl.DataFrame({"project": ["P1", "P1", "P2", "P2", "P3", "P3"], "unit": ["A", "B", "A", "C", "A", "C"]})
    >>> links = pl.DataFrame({"unit_a": ["A", "A"], "unit_b": ["B", "C"], "shared_projects": [1, 2]})
    >>> unique_pairs_by_project(m, links).rows()
    [('P1', 'A', 'B')]
    """
    schema = {"project": pl.String, "unit_a": pl.String, "unit_b": pl.String}
    if "shared_projects" not in unit_links.columns:
        return pl.DataFrame(schema=schema)
    once = unit_links.filter(pl.col("shared_projects") == 1).select("unit_a", "unit_b")
    present = memberships.select("project", "unit").unique()
    found = (
        once.join(present.rename({"unit": "unit_a"}), on="unit_a")
        .join(present.rename({"unit": "unit_b"}), on=["project", "unit_b"], how="semi")
    )
    return found.select("project", "unit_a", "unit_b").sort("project", "unit_a", "unit_b").cast(schema)


def unique_pair_texts(unique: pl.DataFrame, pairs: pl.DataFrame, lang: str) -> list[str]:
    """For each row of ``unique`` (projects with ``unique_links``), its pairs as "A – B; C – D".

    At most :data:`PAIRS_NAMED` pairs are named, then "and n more"; pairs of withheld units
    are counted, not named.

    >>> u = pl.DataFrame({"project": ["P1", "P2"], "unique_links": [1, 5]})
    >>> p = pl.DataFrame({"project": ["P1"] + ["P2"] * 4, "unit_a": ["A", "A", "A", "B", "C"],
    ...                   "unit_b": ["B", "C", "D", "D", "D"]})
    >>> unique_pair_texts(u, p, "en")
    ['A – B', 'A – C; A – D; B – D and 1 more (withheld: 1)']
    """
    named: dict[str, list[str]] = {}
    for project, a, b in pairs.iter_rows():
        named.setdefault(project, []).append(f"{a}{PAIR_DASH}{b}")
    texts = []
    for project, count in unique.select("project", "unique_links").iter_rows():
        shown = named.get(project, [])
        text = "; ".join(shown[:PAIRS_NAMED])
        if len(shown) > PAIRS_NAMED:
            text = t("and_more", lang, names=text, n=integer(len(shown) - PAIRS_NAMED, lang))
        hidden = (count or 0) - len(shown)
        if hidden > 0:
            withheld = t("unique_pairs_withheld", lang, n=integer(hidden, lang))
            text = f"{text} ({withheld})" if text else withheld
        texts.append(text)
    return texts


def projects_page(
    analysis: Analysis | None,
    lang: str,
    search: str | None = None,
    *,
    limit: int = GRID_ROW_LIMIT,
    ranked: pl.DataFrame | None = None,
    pairs: pl.DataFrame | None = None,
) -> tuple[Any, list[dict], list[dict], Any, Any]:
    """Summary sentence, grid rows and columns, the projects holding unique unit links, and
    the note above the grid.

    The grid gets at most ``limit`` rows: the projects whose name holds ``search`` (any
    case), in :func:`ranked_projects` order (``ranked``, when the caller has it cached); the
    note says how many there are. The summary and the unique-link table count every project.
    ``pairs`` (:func:`unique_pairs_by_project`) names the unit pairs each of those projects
    alone connects.
    """
    if analysis is None:
        return t("no_dataset", lang), [], [], None, None
    projects = ranked if ranked is not None else ranked_projects(analysis)
    columns = [c for c in PROJECT_COLUMNS if c in projects.columns]
    cross = int(projects["cross_unit"].sum()) if "cross_unit" in projects.columns else 0
    summary = plural("projects_summary", cross, lang, cross=integer(cross, lang),
                     projects=plural("count_projects", projects.height, lang))  # fmt: skip
    unique = projects.filter(pl.col("unique_links") > 0).sort(["unique_links", "project"], descending=[True, False]) \
        if "unique_links" in projects.columns else projects.clear()
    held = ["project", "unique_links", "members", "units"]
    if pairs is not None and unique.height:
        unique = unique.with_columns(pl.Series("unique_pairs", unique_pair_texts(unique, pairs, lang), dtype=pl.String))
        held.insert(2, "unique_pairs")
    holders = (small_table(unique, held, lang, "projects-unique-table")
               if unique.height else note(t("projects_no_unique", lang)))  # fmt: skip
    shown, matched = grid_rows(projects, search, SEARCHED, limit)
    message = grid_note("projects_capped", shown.height, matched, projects.height, search, lang, "projects-grid-capped")
    rows = _cross_unit_words(shown.select(columns), lang).to_dicts()
    return summary, rows, grid_columns(projects, columns, lang), holders, message


def projects_view(
    analysis: Analysis | None, lang: str, search: str | None = None, *, limit: int = GRID_ROW_LIMIT
) -> tuple[Any, list[dict], list[dict], Any]:
    """Summary sentence, grid rows and columns, and the projects holding unique unit links
    (:func:`projects_page` without the note).

    Examples
    --------
    >>> p = pl.DataFrame({"project": ["P1", "P2"], "members": [3, 2], "units": [2, 1],
    ...                   "blau_index": [0.44, 0.0], "cross_unit": [True, False], "unique_links": [1, 0]})
    >>> a = Analysis(pl.DataFrame(), pl.DataFrame(), p, pl.DataFrame(), {})
    >>> projects_view(a, "en")[0]
    '1 of 2 projects includes people from more than one unit.'
    >>> len(projects_view(a, "en", limit=1)[1])
    1
    """
    return projects_page(analysis, lang, search, limit=limit)[:4]


def register_callbacks(app: Dash, data: DashboardData) -> None:
    """Attach this page's callbacks to ``app``."""

    @app.callback(
        Output(I.SUMMARY, "children"),
        Output(I.GRID, "rowData"),
        Output(I.GRID, "columnDefs"),
        Output(I.UNIQUE, "children"),
        Output(I.GRID_NOTE, "children"),
        Input(ids.App.SETTINGS, "data"),
        Input(I.SEARCH, "value"),
        State(ids.App.LANG, "data"),
    )
    def update(settings, search, lang):
        # settings + search -> cached analysis and ranking -> project tables
        s = parse_settings(settings)
        analysis = data.analysis(s)
        if analysis is None:
            return projects_page(None, lang or "en")
        ranked = data.cached("projects-ranked", s, lambda: ranked_projects(analysis))
        level = min(s.level, data.levels(s.dataset))
        pairs = data.cached("projects-unique-pairs", s, lambda: unique_pairs_by_project(
            data.roster(s.dataset).at_level(level), analysis.unit_links))  # fmt: skip
        return projects_page(analysis, lang or "en", search, ranked=ranked, pairs=pairs)
