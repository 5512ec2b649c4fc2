"""Units page: the silo table and, for a clicked unit, its partners, carriers, key-person risks and projects."""

from __future__ import annotations

from typing import Any

import dash_ag_grid as dag
import polars as pl
from dash import Dash, Input, Output, State, html
from dash.exceptions import PreventUpdate

from analyser.analysis import UNIT_COLUMNS, Analysis
from dashboard import ids
from dashboard.components import column_defs, info, note, small_table
from dashboard.data import DashboardData, parse_settings, unit_projects
from dashboard.i18n import t

__all__ = ["PATH", "TITLE_KEY", "SHOWN_COLUMNS", "layout", "register_callbacks", "units_table", "unit_detail"]

PATH = "/units"
TITLE_KEY = "nav_units"
I = ids.Units
SHOWN_COLUMNS = (*[c for c in UNIT_COLUMNS if c != "suppressed"], "silo", "suppressed")
CARRIER_COLUMNS = ("person", "external_collaborators", "units_reached", "betweenness", "sole_bridges")


def layout(lang: str = "en", **_query: Any) -> html.Div:
    """The units page in ``lang``."""
    return html.Div([
        html.H2(t("units_title", lang)),
        html.P(t("units_intro", lang), className="text-muted"),
        dag.AgGrid(id=I.GRID, rowData=[], columnDefs=[], columnSize="responsiveSizeToFit",
                   defaultColDef={"resizable": True, "minWidth": 90, "wrapHeaderText": True, "autoHeaderHeight": True},
                   dashGridOptions={"tooltipShowDelay": 300, "getRowId": {"function": "params.data.unit"}},
                   rowClassRules={"silo-row": "params.data.silo === true"}, style={"height": "420px"}),
        html.Div(id=I.DETAIL, className="mt-4", children=note(t("units_detail_empty", lang))),
    ])  # fmt: skip


def units_table(analysis: Analysis | None, lang: str) -> tuple[list[dict], list[dict]]:
    """Rows and column definitions of the silo table (most closed units first)."""
    if analysis is None or analysis.units.is_empty():
        return [], []
    units = analysis.units.sort("ei_index", nulls_last=True)
    columns = [c for c in SHOWN_COLUMNS if c in units.columns]
    return units.select(columns).to_dicts(), column_defs(units, columns, lang)


def unit_detail(analysis: Analysis | None, memberships: pl.DataFrame | None, unit: str | None, lang: str) -> list:
    """The drill-down of ``unit``: partner units, the people carrying its outside ties
    (not in aggregate mode), its key-person risks and its projects."""
    if analysis is None or not unit:
        return [note(t("units_detail_empty", lang))]
    row = analysis.units.filter(pl.col("unit") == unit)
    if row.is_empty():
        return [note(t("units_detail_empty", lang))]
    title = html.H3(unit)
    if row["suppressed"].fill_null(False).item():
        return [title, note(t("units_detail_suppressed", lang), "warning")]
    links = analysis.unit_links.filter((pl.col("unit_a") == unit) | (pl.col("unit_b") == unit))
    partners = (
        links.filter(pl.col("ties").fill_null(0) > 0)
        .with_columns(pl.when(pl.col("unit_a") == unit).then("unit_b").otherwise("unit_a").alias("partner"))
        .sort("ties", descending=True)
    )
    parts: list = [title, html.H4(t("units_partners", lang)),
                   small_table(partners, ["partner", "ties", "shared_projects", "bridging_people"], lang, "unit-partners")]  # fmt: skip
    parts.append(html.H4(t("units_carriers", lang)))
    if analysis.privacy == "aggregate" or analysis.people.is_empty():
        parts.append(note(t("units_carriers_hidden", lang)))
    else:
        carriers = (
            analysis.people.filter((pl.col("unit") == unit) & (pl.col("external_collaborators") > 0))
            .sort(["external_collaborators", "person"], descending=[True, False])
            .head(15)
        )
        parts.append(small_table(carriers, list(CARRIER_COLUMNS), lang, "unit-carriers"))
    parts.append(html.H4([t("units_key_risk", lang), *info("units_key_risk_tip", lang, "tip-unit-key-risk")]))
    risky = links.filter(pl.col("key_people").is_not_null()) if "key_people" in links.columns else links.clear()
    if analysis.privacy == "aggregate":
        parts.append(note(t("units_carriers_hidden", lang)))
    elif risky.is_empty():
        parts.append(html.P(t("units_no_key_risk", lang)))
    else:
        parts.append(small_table(risky, ["unit_a", "unit_b", "ties", "key_people"], lang, "unit-key-risk"))
    parts.append(html.H4(t("units_projects", lang)))
    if memberships is not None:
        projects = unit_projects(memberships, unit, analysis.projects).head(50)
        parts.append(small_table(projects, [c for c in ("project", "members_in_unit", "members", "units", "blau_index")
                                       if c in projects.columns], lang, "unit-projects"))  # fmt: skip
    return parts


def register_callbacks(app: Dash, data: DashboardData) -> None:
    """Attach this page's callbacks to ``app``."""

    @app.callback(
        Output(I.GRID, "rowData"),
        Output(I.GRID, "columnDefs"),
        Input(ids.App.SETTINGS, "data"),
        State(ids.App.LANG, "data"),
    )
    def table(settings, lang):
        # settings -> cached analysis -> silo table
        return units_table(data.analysis(parse_settings(settings)), lang or "en")

    @app.callback(
        Output(I.DETAIL, "children"),
        Input(I.GRID, "cellClicked"),
        State(ids.App.SETTINGS, "data"),
        State(ids.App.LANG, "data"),
        prevent_initial_call=True,
    )
    def detail(clicked, settings, lang):
        # clicked row -> drill-down of that unit
        if not clicked:
            raise PreventUpdate
        s = parse_settings(settings)
        memberships = data.roster(s.dataset).at_level(s.level) if s.dataset else None
        return unit_detail(data.analysis(s), memberships, clicked.get("rowId"), lang or "en")
