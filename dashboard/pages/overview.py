"""Overview page: the headline in plain words, key figures, the unit network and the unit heatmap."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
import dash_cytoscape as cyto
import plotly.graph_objects as go
from dash import Dash, Input, Output, State, dcc, html

from analyser.analysis import Analysis
from analyser.report.figures import empty_figure
from dashboard import ids
from dashboard.components import card, info
from dashboard.data import DashboardData, parse_settings
from dashboard.figures import UNIT_MAP_STYLESHEET, ei_chart, map_layout, unit_heatmap, unit_network_elements
from dashboard.i18n import number, percent, t

__all__ = ["PATH", "TITLE_KEY", "layout", "register_callbacks", "headline", "key_figures", "overview_view"]

PATH = "/overview"
TITLE_KEY = "nav_overview"
I = ids.Overview
UNIT_LAYOUT = "circle"


def layout(lang: str = "en", **_query: Any) -> html.Div:
    """The overview page in ``lang``."""
    return html.Div([
        html.H2(t("overview_title", lang)),
        dcc.Loading(html.P(id=I.HEADLINE, className="lead headline")),
        dbc.Row(id=I.CARDS),
        dbc.Row([
            dbc.Col(dbc.Card([
                dbc.CardHeader([t("unit_map_title", lang), *info("unit_map_tip", lang, "tip-unit-map")]),
                dbc.CardBody([
                    cyto.Cytoscape(id=I.UNIT_MAP, elements=[], stylesheet=UNIT_MAP_STYLESHEET,
                                   layout=map_layout(UNIT_LAYOUT, []), autoRefreshLayout=False,
                                   style={"width": "100%", "height": "460px"}, userZoomingEnabled=True),
                    html.Small(t("unit_map_legend", lang), className="text-muted"),
                ]),
            ], className="h-100 shadow-sm"), lg=6, className="mb-3"),
            dbc.Col(dcc.Graph(id=I.HEATMAP, config={"displaylogo": False}), lg=6, className="mb-3"),
        ]),
        dcc.Graph(id=I.EI_CHART, config={"displaylogo": False}),
    ])  # fmt: skip


def headline(analysis: Analysis, lang: str) -> str:
    """The situation in one sentence: share of one-unit projects and significant silos.

    Examples
    --------
    >>> import polars as pl
    >>> e = pl.DataFrame()
    >>> a = Analysis(e, e, e, e, {"cross_unit_project_share": 0.38, "significant_silos": 3, "units": 8})
    >>> headline(a, "en")
    '62 % of projects stay inside one unit; 3 of 8 units are significant silos.'
    """
    s = analysis.summary
    share = s.get("cross_unit_project_share")
    if share is None:
        return t("headline_no_projects", lang)
    return t("headline", lang, inside=percent(1 - share, lang), silos=s.get("significant_silos", 0), units=s.get("units", 0))


def key_figures(analysis: Analysis, lang: str) -> list[tuple[str, str, str]]:
    """(title key, value text, explanation key) of each key-figure card."""
    s = analysis.summary
    ei = t("card_ei_value", lang, ei=number(s.get("ei_index"), lang), expected=number(s.get("ei_expected"), lang))
    communities = f"{s.get('communities', '–')} / {number(s.get('community_unit_nmi'), lang)}"
    return [
        ("card_people", number(s.get("people"), lang), "card_people_tip"),
        ("card_projects", number(s.get("projects"), lang), "card_projects_tip"),
        ("card_units", number(s.get("units"), lang), "card_units_tip"),
        ("card_ties", number(s.get("ties"), lang), "card_ties_tip"),
        ("card_cross_ties", number(s.get("cross_unit_ties"), lang), "card_cross_ties_tip"),
        ("card_ei", ei, "card_ei_tip"),
        ("card_modularity", number(s.get("modularity"), lang), "card_modularity_tip"),
        ("card_communities", communities, "card_communities_tip"),
    ]


def overview_view(analysis: Analysis | None, lang: str) -> tuple[str, list, list[dict], dict, go.Figure, go.Figure]:
    """Headline, cards, unit-network elements and layout, heatmap and E-I chart of ``analysis``."""
    if analysis is None:
        empty = empty_figure(t("no_dataset", lang))
        return t("no_dataset", lang), [], [], map_layout(UNIT_LAYOUT, []), empty, empty
    cards = [card(title, value, tip, lang) for title, value, tip in key_figures(analysis, lang)]
    elements = unit_network_elements(analysis.units, analysis.unit_links)
    return (
        headline(analysis, lang),
        cards,
        elements,
        map_layout(UNIT_LAYOUT, elements),
        unit_heatmap(analysis.units, analysis.unit_links, lang),
        ei_chart(analysis.units, lang),
    )


def register_callbacks(app: Dash, data: DashboardData) -> None:
    """Attach this page's callbacks to ``app``."""

    @app.callback(
        Output(I.HEADLINE, "children"),
        Output(I.CARDS, "children"),
        Output(I.UNIT_MAP, "elements"),
        Output(I.UNIT_MAP, "layout"),
        Output(I.HEATMAP, "figure"),
        Output(I.EI_CHART, "figure"),
        Input(ids.App.SETTINGS, "data"),
        State(ids.App.LANG, "data"),
    )
    def update(settings, lang):
        # settings -> cached analysis -> overview (its figures built once per settings and language)
        s, lang = parse_settings(settings), lang or "en"
        analysis = data.analysis(s)
        if analysis is None:
            return overview_view(None, lang)
        return data.cached("overview", (s, lang), lambda: overview_view(analysis, lang))
