"""Projects page: which projects cross unit borders, how mixed they are, and which unit links only one project holds."""

from __future__ import annotations

from typing import Any

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import polars as pl
from dash import Dash, Input, Output, State, html

from analyser.analysis import PROJECT_COLUMNS, Analysis
from dashboard import ids
from dashboard.components import column_defs, grid_note, info, note, small_table
from dashboard.data import GRID_ROW_LIMIT, DashboardData, grid_rows, parse_settings
from analyser.i18n import number, t

__all__ = ["PATH", "TITLE_KEY", "SEARCHED", "layout", "register_callbacks", "ranked_projects", "projects_page",
           "projects_view"]

PATH = "/projects"
TITLE_KEY = "nav_projects"
I = ids.Projects
#: Columns the search box matches.
SEARCHED = ("project",)


def layout(lang: str = "en", **_query: Any) -> html.Div:
    """The projects page in ``lang``."""
    return html.Div([
        html.H2(t("projects_title", lang)),
        html.P(id=I.SUMMARY, className="lead"),
        dbc.Input(id=I.SEARCH, type="search", value="", debounce=True, placeholder=t("projects_search", lang),
                  className="mb-2", style={"maxWidth": "360px"}),
        html.Div(id=I.GRID_NOTE),
        dag.AgGrid(id=I.GRID, rowData=[], columnDefs=[], columnSize="responsiveSizeToFit",
                   defaultColDef={"resizable": True, "minWidth": 90, "wrapHeaderText": True, "autoHeaderHeight": True},
                   dashGridOptions={"tooltipShowDelay": 300, "pagination": True, "paginationPageSize": 20,
                                    "paginationPageSizeSelector": False},
                   style={"height": "560px"}),
        html.H3([t("projects_unique", lang), *info("projects_unique_tip", lang, "tip-projects-unique")], className="mt-4"),
        html.Div(id=I.UNIQUE),
    ])  # fmt: skip


def ranked_projects(analysis: Analysis) -> pl.DataFrame:
    """The project table in grid order: most units first, then most members, then by name."""
    return analysis.projects.sort(["units", "members", "project"], descending=[True, True, False])


def projects_page(
    analysis: Analysis | None,
    lang: str,
    search: str | None = None,
    *,
    limit: int = GRID_ROW_LIMIT,
    ranked: pl.DataFrame | None = None,
) -> tuple[Any, list[dict], list[dict], Any, Any]:
    """Summary sentence, grid rows and columns, the projects holding unique unit links, and
    the note above the grid.

    The grid gets at most ``limit`` rows: the projects whose name holds ``search`` (any
    case), in :func:`ranked_projects` order (``ranked``, when the caller has it cached); the
    note says how many there are. The summary and the unique-link table count every project.
    """
    if analysis is None:
        return t("no_dataset", lang), [], [], None, None
    projects = ranked if ranked is not None else ranked_projects(analysis)
    columns = [c for c in PROJECT_COLUMNS if c in projects.columns]
    cross = int(projects["cross_unit"].sum()) if "cross_unit" in projects.columns else 0
    summary = t("projects_summary", lang, cross=number(cross, lang), total=number(projects.height, lang))
    unique = projects.filter(pl.col("unique_links") > 0).sort(["unique_links", "project"], descending=[True, False]) \
        if "unique_links" in projects.columns else projects.clear()
    holders = (small_table(unique, ["project", "unique_links", "members", "units"], lang, "projects-unique-table")
               if unique.height else note(t("projects_no_unique", lang)))  # fmt: skip
    shown, matched = grid_rows(projects, search, SEARCHED, limit)
    message = grid_note("projects_capped", shown.height, matched, projects.height, search, lang, "projects-grid-capped")
    return summary, shown.select(columns).to_dicts(), column_defs(projects, columns, lang), holders, message


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
    '1 of 2 projects include people from more than one unit.'
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
        return projects_page(analysis, lang or "en", search, ranked=ranked)
