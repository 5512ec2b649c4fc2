"""Overview page: the headline in plain words, key figures, the unit network and the unit heatmap.

Built to read at 8 units and at 500: the unit map has a fixed height, is laid out on the
server (ties pull units together) and names at most 25 units (the rest on hover or tap); the
matrix shows the 30 units with most ties plus "Other units", or all units, or the level
above, in block order; the E-I chart shows at most 30 units.
"""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
import dash_cytoscape as cyto
import plotly.graph_objects as go
from dash import Dash, Input, Output, State, ctx, dcc, html

from analyser import unit_order
from analyser.analysis import Analysis
from analyser.report.common import low_stability, permutations_used, project_headline, silo_headline, unjudged_headline
from analyser.report.figures import empty_figure
from dashboard import ids
from dashboard.components import card, graph_config, info
from dashboard.data import DashboardData
from dashboard.settings import parse_settings
from dashboard.figures import (
    EI_CHART_UNITS,
    MAP_HEIGHT,
    UNIT_MAP_STYLESHEET,
    ei_chart,
    unit_heatmap,
    unit_info,
    unit_map_layout,
    unit_map_legend,
    unit_network_elements,
)
from analyser.i18n import number, percent, t

__all__ = ["PATH", "TITLE_KEY", "layout", "register_callbacks", "headline", "key_figures", "overview_view",
           "matrix_panel", "matrix_options", "legend", "map_info"]

PATH = "/overview"
TITLE_KEY = "nav_overview"
I = ids.Overview
#: Tallest the matrix and E-I chart areas get before they scroll inside their card (px).
MATRIX_MAX_HEIGHT = 900
EI_MAX_HEIGHT = 470


def legend(lang: str) -> html.Div:
    """The unit map's legend (:func:`dashboard.figures.unit_map_legend`) as small swatches with words."""
    items = []
    for entry in unit_map_legend(lang):
        if entry["kind"] == "ei":
            closed, opened = entry["ends"]
            parts = [html.Span(entry["label"] + ":", className="me-1"), html.Span(closed, className="me-1"),
                     html.Span(style=entry["style"]), html.Span(opened, className="ms-1")]  # fmt: skip
        else:
            parts = [html.Span(style=entry["style"], className="me-1"), html.Span(entry["label"])]
        items.append(html.Span(parts, className="me-3 text-nowrap d-inline-block", **{"data-kind": entry["kind"]}))
    return html.Div(items, id=I.UNIT_MAP_LEGEND, className="small mt-2", style={"lineHeight": "1.9"})


def layout(lang: str = "en", **_query: Any) -> html.Div:
    """The overview page in ``lang``."""
    show = dbc.RadioItems(id=I.MATRIX_SHOW, options=matrix_options(None, lang), value="top", inline=True,
                          className="small d-inline-block ms-2")  # fmt: skip
    return html.Div([
        html.H2(t("overview_title", lang)),
        dcc.Loading(html.P(id=I.HEADLINE, className="lead headline")),
        dbc.Row(id=I.CARDS),
        dbc.Row([
            dbc.Col(dbc.Card([
                dbc.CardHeader([t("unit_map_title", lang), *info("unit_map_tip", lang, "tip-unit-map")]),
                dbc.CardBody([
                    cyto.Cytoscape(id=I.UNIT_MAP, elements=[], stylesheet=UNIT_MAP_STYLESHEET,
                                   layout=unit_map_layout([]), autoRefreshLayout=False, minZoom=0.3, maxZoom=4,
                                   style={"width": "100%", "height": f"{MAP_HEIGHT}px"}, userZoomingEnabled=True),
                    legend(lang),
                    html.Div(t("overview_map_hint", lang), id=I.UNIT_MAP_INFO, className="small text-muted mt-1",
                             style={"minHeight": "2.6em"}),
                ]),
            ], id=I.UNIT_MAP_CARD, className="h-100 shadow-sm"), lg=7, className="mb-3"),
            dbc.Col(dbc.Card([
                dbc.CardHeader(t("ei_chart_title", lang)),
                dbc.CardBody([
                    html.Div(dcc.Graph(id=I.EI_CHART, config=graph_config(lang)),
                             style={"maxHeight": f"{EI_MAX_HEIGHT}px", "overflowY": "auto"}),
                    html.Small(id=I.EI_NOTE, className="text-muted"),
                ]),
            ], id=I.EI_CARD, className="h-100 shadow-sm"), lg=5, className="mb-3"),
        ]),
        dbc.Card([
            dbc.CardHeader([
                t("overview_matrix_title", lang), *info("overview_matrix_tip", lang, "tip-unit-matrix"),
                html.Span(" · " + t("overview_matrix_show", lang) + ":", className="ms-3 small"), show,
            ]),
            dbc.CardBody([
                html.Div(dcc.Graph(id=I.HEATMAP, config=graph_config(lang)),
                         style={"maxHeight": f"{MATRIX_MAX_HEIGHT}px", "overflow": "auto"}),
                html.Small(id=I.MATRIX_NOTE, className="text-muted"),
            ]),
        ], id=I.MATRIX_CARD, className="shadow-sm mb-3"),
    ])  # fmt: skip


def _part(choice: tuple[str, dict[str, Any]] | None, lang: str) -> str | None:
    """The headline clause ``headline_<key>`` of a choice from :mod:`analyser.report.common`."""
    if choice is None:
        return None
    key, values = choice
    shown = {k: percent(v, lang) if k == "inside" else number(v, lang) for k, v in values.items() if v is not None}
    return t(f"headline_{key}", lang, **shown)


def headline(analysis: Analysis, lang: str) -> str:
    """The situation in one sentence: how many team projects stay inside one unit, and how
    many of the units with enough data are significant silos (and how many had too little).

    Projects with one person cannot cross units, so the share is of projects with two or
    more people; the silo count is of the units that could be judged. The same choices
    as the report's headline (:func:`analyser.report.common.project_headline` and friends).

    Examples
    --------
    >>> import polars as pl
    >>> e = pl.DataFrame()
    >>> s = {"projects": 179, "team_projects": 55, "cross_unit_team_project_share": 0.76,
    ...      "significant_silos": 1, "units_judged": 4, "units": 70}
    >>> headline(Analysis(e, e, e, e, s), "en")
    'Of the 55 projects with two or more people, 24 % stay inside one unit; 1 of the 4 units with enough data is a significant silo; 66 units had too little data for a verdict.'
    >>> headline(Analysis(e, e, e, e, {"cross_unit_project_share": 0.38, "significant_silos": 3, "units": 8}), "sv")
    '62\\xa0% av projekten stannar inom en enhet; 3 av 8 enheter är signifikanta silor.'
    """
    s = analysis.summary
    projects = _part(project_headline(s), lang)
    if projects is None:
        return t("headline_no_projects", lang)
    parts = [projects, _part(silo_headline(s), lang), _part(unjudged_headline(s), lang)]
    return "; ".join(p for p in parts if p) + "."


def key_figures(analysis: Analysis, lang: str) -> list[tuple[str, str, str, str | None]]:
    """(title key, value text, explanation key, line under the value) of each key-figure card."""
    s = analysis.summary
    ei = t("card_ei_value", lang, ei=number(s.get("ei_index"), lang), expected=number(s.get("ei_expected"), lang))
    communities = f"{s.get('communities', '–')} / {number(s.get('community_unit_nmi'), lang)}"
    return [
        ("card_people", number(s.get("people"), lang), "card_people_tip", None),
        ("card_projects", number(s.get("projects"), lang), "card_projects_tip", _team_note(s, lang)),
        ("card_units", number(s.get("units"), lang), "card_units_tip", None),
        ("card_ties", number(s.get("ties"), lang), "card_ties_tip", None),
        ("card_cross_ties", number(s.get("cross_unit_ties"), lang), "card_cross_ties_tip", None),
        ("card_ei", ei, "card_ei_tip", None),
        ("card_modularity", number(s.get("modularity"), lang), "card_modularity_tip", None),
        ("card_communities", communities, "card_communities_tip", _stability_note(s, lang)),
    ]


def _team_note(summary: dict[str, Any], lang: str) -> str | None:
    """Projects with two or more people (the only ones that can cross units) and their cross-unit share."""
    teams = summary.get("team_projects")
    if teams is None:
        return None
    if teams == 0:
        return t("card_projects_note_none", lang)
    return t("card_projects_note", lang, n=number(teams, lang), share=percent(summary.get("cross_unit_team_project_share"), lang))


def _stability_note(summary: dict[str, Any], lang: str) -> str | None:
    """How alike the communities are from run to run; a warning when they move with the random start."""
    stability = summary.get("community_stability")
    if stability is None:
        return None
    return t("card_communities_note_low" if low_stability(summary) else "card_communities_note", lang, s=number(stability, lang))


def matrix_options(analysis: Analysis | None, lang: str) -> list[dict]:
    """The matrix's "Show" choices: the units with most ties, all units, the level above (offered
    only when the units have a level above them).

    Examples
    --------
    >>> [o["value"] for o in matrix_options(None, "en")], matrix_options(None, "en")[2]["disabled"]
    (['top', 'all', 'parent'], True)
    """
    names = analysis.units["unit"].drop_nulls().to_list() if analysis is not None and "unit" in analysis.units.columns else []
    return [
        {"label": t("overview_matrix_show_top", lang, n=unit_order.TOP_UNITS), "value": "top"},
        {"label": t("overview_matrix_show_all", lang), "value": "all"},
        {"label": t("overview_matrix_show_parent", lang), "value": "parent",
         "disabled": not unit_order.has_parent_level(names)},
    ]  # fmt: skip


def _matrix_rows(names: list[str], show: str) -> int:
    """How many units (or groups one level up) a matrix with ``show`` has before any "Other units"."""
    if show == "parent" and unit_order.has_parent_level(names):
        return len({unit_order.parent_unit(n) for n in names})
    return len(names)


def matrix_panel(analysis: Analysis | None, lang: str, show: str = "top") -> tuple[go.Figure, str]:
    """The unit matrix for ``show`` (:func:`dashboard.figures.unit_heatmap`) and the sentence under
    it: how rows are ordered and, when the rest are added up, what "Other units" holds.

    Examples
    --------
    >>> matrix_panel(None, "en")[1]
    ''
    """
    if analysis is None:
        return empty_figure(t("no_dataset", lang)), ""
    show = show if show in unit_order.SHOW_MODES else "top"
    names = analysis.units["unit"].drop_nulls().to_list() if "unit" in analysis.units.columns else []
    rows = _matrix_rows(names, show)
    note = [t("report.html.matrix_order", lang)]
    if show != "all" and rows > unit_order.TOP_UNITS + 1:
        note.append(t("overview_matrix_rest", lang, top=unit_order.TOP_UNITS, rest=rows - unit_order.TOP_UNITS))
    if analysis.units.height and "suppressed" in analysis.units.columns and analysis.units["suppressed"].any():
        note.append(t("report.html.matrix_withheld", lang))
    return unit_heatmap(analysis.units, analysis.unit_links, lang, show), " ".join(note)


def ei_note(analysis: Analysis | None, lang: str) -> str:
    """What the E-I chart leaves out when there are more than it shows."""
    if analysis is None or analysis.units.height <= EI_CHART_UNITS:
        return ""
    return t("overview_ei_shown", lang, shown=EI_CHART_UNITS, n=analysis.units.height)


def overview_view(
    analysis: Analysis | None, lang: str, show: str = "top"
) -> tuple[str, list, list[dict], dict, go.Figure, go.Figure]:
    """Headline, cards, unit-network elements and layout, heatmap and E-I chart of ``analysis``."""
    head, cards, elements, map_layout, ei, _, _ = _main_view(analysis, lang)
    return head, cards, elements, map_layout, matrix_panel(analysis, lang, show)[0], ei


def _in_card(fig: go.Figure) -> go.Figure:
    """The E-I chart as its card shows it: the title is the card's, and the legend and the scale
    (−1 to +1) sit on top, where they stay in view when the rows scroll."""
    fig.update_layout(title={"text": ""}, margin={"t": 78},
                      legend={"orientation": "h", "x": 0, "xanchor": "left", "yref": "container", "y": 1,
                              "yanchor": "top"})  # fmt: skip
    fig.update_xaxes(side="top", title={"text": ""})
    return fig


def map_info(over: dict | None, tapped: dict | None, *, tapped_last: bool, lang: str) -> str:
    """The line under the unit map: the unit just tapped (``tapped_last``) or hovered, else the hint.

    Examples
    --------
    >>> a = {"name": "S/A", "people": 4, "ei": 0.5, "verdict": "not_silo", "state": "ei"}
    >>> map_info(a, None, tapped_last=False, lang="en")
    'S/A: 4 people, E-I 0.50, not a silo'
    >>> map_info(a, None, tapped_last=True, lang="en")[:20]
    'Names are shown for '
    """
    return unit_info(tapped if tapped_last else over, lang) or t("overview_map_hint", lang)


def _main_view(analysis: Analysis | None, lang: str) -> tuple:
    """Everything but the matrix: headline, cards, map elements and layout, E-I chart and its note,
    and the matrix's choices."""
    if analysis is None:
        empty = empty_figure(t("no_dataset", lang))
        return t("no_dataset", lang), [], [], unit_map_layout([]), empty, "", matrix_options(None, lang)
    cards = [card(title, value, tip, lang, note) for title, value, tip, note in key_figures(analysis, lang)]
    elements = unit_network_elements(analysis.units, analysis.unit_links)
    return (
        headline(analysis, lang),
        cards,
        elements,
        unit_map_layout(elements),
        _in_card(ei_chart(analysis.units, lang, permutations_used(analysis.meta))),
        ei_note(analysis, lang),
        matrix_options(analysis, lang),
    )


def register_callbacks(app: Dash, data: DashboardData) -> None:
    """Attach this page's callbacks to ``app``."""

    @app.callback(
        Output(I.HEADLINE, "children"),
        Output(I.CARDS, "children"),
        Output(I.UNIT_MAP, "elements"),
        Output(I.UNIT_MAP, "layout"),
        Output(I.EI_CHART, "figure"),
        Output(I.EI_NOTE, "children"),
        Output(I.MATRIX_SHOW, "options"),
        Input(ids.App.SETTINGS, "data"),
        State(ids.App.LANG, "data"),
    )
    def update(settings, lang):
        # settings -> cached analysis -> overview (its figures built once per settings and language)
        s, lang = parse_settings(settings), lang or "en"
        analysis = data.analysis(s)
        if analysis is None:
            return _main_view(None, lang)
        return data.cached("overview", (s, lang), lambda: _main_view(analysis, lang))

    @app.callback(
        Output(I.HEATMAP, "figure"),
        Output(I.MATRIX_NOTE, "children"),
        Input(ids.App.SETTINGS, "data"),
        Input(I.MATRIX_SHOW, "value"),
        State(ids.App.LANG, "data"),
    )
    def matrix(settings, show, lang):
        # settings + "Show" choice -> cached analysis -> matrix in block order, and its note
        s, lang = parse_settings(settings), lang or "en"
        analysis = data.analysis(s)
        if analysis is None:
            return matrix_panel(None, lang)
        return data.cached("overview-matrix", (s, lang, show), lambda: matrix_panel(analysis, lang, show or "top"))

    @app.callback(
        Output(I.UNIT_MAP_INFO, "children"),
        Input(I.UNIT_MAP, "mouseoverNodeData"),
        Input(I.UNIT_MAP, "tapNodeData"),
        State(ids.App.LANG, "data"),
        prevent_initial_call=True,
    )
    def hovered(over, tapped, lang):
        # hovered or tapped unit -> its full name and figures under the map
        tapped_last = any(prop.endswith(".tapNodeData") for prop in ctx.triggered_prop_ids)
        return map_info(over, tapped, tapped_last=tapped_last, lang=lang or "en")
