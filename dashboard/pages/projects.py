"""Projects page: which projects cross unit borders, how mixed they are, and which unit links only one project holds."""

from __future__ import annotations

from typing import Any

import dash_ag_grid as dag
import polars as pl
from dash import Dash, Input, Output, State, html

from analyser.analysis import PROJECT_COLUMNS, Analysis
from dashboard import ids
from dashboard.components import column_defs, info, note, small_table
from dashboard.data import DashboardData, parse_settings
from dashboard.i18n import number, t

__all__ = ["PATH", "TITLE_KEY", "layout", "register_callbacks", "projects_view"]

PATH = "/projects"
TITLE_KEY = "nav_projects"
I = ids.Projects


def layout(lang: str = "en", **_query: Any) -> html.Div:
    """The projects page in ``lang``."""
    return html.Div([
        html.H2(t("projects_title", lang)),
        html.P(id=I.SUMMARY, className="lead"),
        dag.AgGrid(id=I.GRID, rowData=[], columnDefs=[], columnSize="responsiveSizeToFit",
                   defaultColDef={"resizable": True, "minWidth": 90, "wrapHeaderText": True, "autoHeaderHeight": True},
                   dashGridOptions={"tooltipShowDelay": 300, "pagination": True, "paginationPageSize": 20,
                                    "paginationPageSizeSelector": False},
                   style={"height": "560px"}),
        html.H3([t("projects_unique", lang), *info("projects_unique_tip", lang, "tip-projects-unique")], className="mt-4"),
        html.Div(id=I.UNIQUE),
    ])  # fmt: skip


def projects_view(analysis: Analysis | None, lang: str) -> tuple[Any, list[dict], list[dict], Any]:
    """Summary sentence, grid rows and columns, and the projects holding unique unit links.

    Examples
    --------
    >>> p = pl.DataFrame({"project": ["P1", "P2"], "members": [3, 2], "units": [2, 1],
    ...                   "blau_index": [0.44, 0.0], "cross_unit": [True, False], "unique_links": [1, 0]})
    >>> a = Analysis(pl.DataFrame(), pl.DataFrame(), p, pl.DataFrame(), {})
    >>> projects_view(a, "en")[0]
    '1 of 2 projects include people from more than one unit.'
    """
    if analysis is None:
        return t("no_dataset", lang), [], [], None
    projects = analysis.projects.sort(["units", "members", "project"], descending=[True, True, False])
    columns = [c for c in PROJECT_COLUMNS if c in projects.columns]
    cross = int(projects["cross_unit"].sum()) if "cross_unit" in projects.columns else 0
    summary = t("projects_summary", lang, cross=number(cross, lang), total=number(projects.height, lang))
    unique = projects.filter(pl.col("unique_links") > 0).sort(["unique_links", "project"], descending=[True, False]) \
        if "unique_links" in projects.columns else projects.clear()
    holders = (small_table(unique, ["project", "unique_links", "members", "units"], lang, "projects-unique-table")
               if unique.height else note(t("projects_no_unique", lang)))  # fmt: skip
    return summary, projects.select(columns).to_dicts(), column_defs(projects, columns, lang), holders


def register_callbacks(app: Dash, data: DashboardData) -> None:
    """Attach this page's callbacks to ``app``."""

    @app.callback(
        Output(I.SUMMARY, "children"),
        Output(I.GRID, "rowData"),
        Output(I.GRID, "columnDefs"),
        Output(I.UNIQUE, "children"),
        Input(ids.App.SETTINGS, "data"),
        State(ids.App.LANG, "data"),
    )
    def update(settings, lang):
        # settings -> cached analysis -> project tables
        return projects_view(data.analysis(parse_settings(settings)), lang or "en")
