"""Bridges page: who links units (cross-unit betweenness, betweenness, participation, brokerage, sole
bridges) and key-person risks."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
import plotly.graph_objects as go
import polars as pl
from dash import Dash, Input, Output, State, dcc, html
from dash.exceptions import PreventUpdate

from analyser.analysis import Analysis
from analyser.report.common import ranked_bridges
from analyser.report.figures import empty_figure
from dashboard import ids
from dashboard.components import ag_grid, column_defs, graph_config, grid_note, info, note, small_table
from dashboard.data import DashboardData
from dashboard.selection import GRID_ROW_LIMIT, grid_rows
from dashboard.settings import parse_settings
from dashboard.figures import bridges_bar
from dashboard.pages.person import person_href
from analyser.i18n import t

__all__ = ["PATH", "TITLE_KEY", "PEOPLE_SHOWN", "SEARCHED", "layout", "register_callbacks", "ranked_people", "bridges_view",
           "clicked_person"]

PATH = "/bridges"
TITLE_KEY = "nav_bridges"
I = ids.Bridges
PEOPLE_SHOWN = (
    "person", "unit", "cross_unit_betweenness", "betweenness", "participation", "external_collaborators", "units_reached",
    "brokerage_coordinator", "brokerage_itinerant", "brokerage_gatekeeper", "brokerage_liaison",
    "sole_bridges", "constraint", "effective_size",
)  # fmt: skip
HIDDEN = {"display": "none"}
#: Columns the search box matches.
SEARCHED = ("person", "unit")
#: People in the bar chart: the top of the ranking (already sorted, so the chart needs no sort of everyone).
BAR_PEOPLE = 15
#: A person's name in the grid reads as a link: a click opens their page.
LINK_CELL = {"color": "#0d6efd", "textDecoration": "underline", "cursor": "pointer"}


def layout(lang: str = "en", **_query: Any) -> html.Div:
    """The bridges page in ``lang``."""
    return html.Div([
        html.H2(t("bridges_title", lang)),
        html.P(t("bridges_intro", lang), className="text-muted"),
        html.Div(id=I.BODY),
        html.Div(id=I.GRID_WRAP, children=[
            dbc.Input(id=I.SEARCH, type="search", value="", debounce=True, placeholder=t("bridges_search", lang),
                      className="mb-2", style={"maxWidth": "360px"}),
            ag_grid(I.GRID, lang, height=560, pagination=20),
        ]),
        dcc.Graph(id=I.BAR, config=graph_config(lang), className="mt-3"),
        html.H3([t("bridges_risks", lang), *info("bridges_risks_tip", lang, "tip-bridges-risks")], className="mt-3"),
        html.Div(id=I.RISKS),
    ])  # fmt: skip


def ranked_people(analysis: Analysis) -> pl.DataFrame:
    """The people table in grid order: the strongest bridges between units first
    (:func:`analyser.report.common.ranked_bridges`: cross-unit betweenness, then
    betweenness, then name; missing values last)."""
    return ranked_bridges(analysis.people)


def bridges_view(
    analysis: Analysis | None,
    lang: str,
    search: str | None = None,
    *,
    limit: int = GRID_ROW_LIMIT,
    ranked: pl.DataFrame | None = None,
) -> tuple[Any, list[dict], list[dict], dict, go.Figure, dict, Any]:
    """Message, grid rows and columns, grid style, bar chart, bar style and risks of the bridges page.

    The grid gets at most ``limit`` rows: the people matching ``search`` (person or unit,
    any case) with the highest cross-unit betweenness; the message then says how many there
    are. The bar chart shows the top of the ranking, leaving out anyone who bridges no units.
    ``ranked`` is :func:`ranked_people` of ``analysis`` when the caller has it cached.
    In aggregate mode nothing about a person is returned: no rows, no chart, no names.
    """
    if analysis is None:
        return note(t("no_dataset", lang)), [], [], HIDDEN, empty_figure(""), HIDDEN, None
    if analysis.privacy == "aggregate" or analysis.people.is_empty():
        message = note(t("bridges_aggregate", lang), "info", id="bridges-aggregate")
        return message, [], [], HIDDEN, empty_figure(""), HIDDEN, note(t("bridges_aggregate", lang), "info")
    people = ranked if ranked is not None else ranked_people(analysis)
    shown, matched = grid_rows(people, search, SEARCHED, limit)
    message = grid_note("bridges_capped", shown.height, matched, people.height, search, lang, "bridges-grid-note")
    columns = [c for c in PEOPLE_SHOWN if c in people.columns]
    risky = analysis.unit_links.filter(pl.col("key_people").is_not_null()) if "key_people" in analysis.unit_links.columns else pl.DataFrame()
    risks = (small_table(risky.sort("ties", descending=True), ["unit_a", "unit_b", "ties", "key_people"], lang, "bridges-risk-table")
             if risky.height else html.P(t("bridges_no_risks", lang)))  # fmt: skip
    defs = column_defs(people, columns, lang)
    for spec in defs:
        if spec["field"] == "person":
            spec["cellStyle"] = LINK_CELL
            spec["headerTooltip"] = f"{spec['headerTooltip']} {t('bridges_person_click', lang)}"
    return (message, shown.select(columns).to_dicts(), defs, {},
            bridges_bar(people.head(BAR_PEOPLE), lang, n=BAR_PEOPLE), {}, risks)  # fmt: skip


def clicked_person(cell: dict | None) -> str | None:
    """The person whose name was clicked in the grid (``cellClicked``), else ``None``.

    >>> clicked_person({"colId": "person", "value": "Ann"}), clicked_person({"colId": "unit", "value": "A"})
    ('Ann', None)
    """
    if not cell or cell.get("colId") != "person" or not isinstance(cell.get("value"), str):
        return None
    return cell["value"]


def register_callbacks(app: Dash, data: DashboardData) -> None:
    """Attach this page's callbacks to ``app``."""

    @app.callback(
        Output(I.BODY, "children"),
        Output(I.GRID, "rowData"),
        Output(I.GRID, "columnDefs"),
        Output(I.GRID_WRAP, "style"),
        Output(I.BAR, "figure"),
        Output(I.BAR, "style"),
        Output(I.RISKS, "children"),
        Input(ids.App.SETTINGS, "data"),
        Input(I.SEARCH, "value"),
        State(ids.App.LANG, "data"),
    )
    def update(settings, search, lang):
        # settings + search -> cached analysis and ranking -> bridges (nothing personal in aggregate mode)
        s = parse_settings(settings)
        analysis = data.analysis(s)
        if analysis is None or analysis.people.is_empty():
            return bridges_view(analysis, lang or "en")
        ranked = data.cached("bridges-ranked", s, lambda: ranked_people(analysis))
        return bridges_view(analysis, lang or "en", search, ranked=ranked)

    @app.callback(
        Output(ids.App.REDIRECT, "href", allow_duplicate=True),
        Input(I.GRID, "cellClicked"),
        prevent_initial_call=True,
    )
    def open_person(cell):
        # a clicked name -> that person's page (it finds the person again under the privacy mode)
        person = clicked_person(cell)
        if person is None:
            raise PreventUpdate
        return person_href(person)
