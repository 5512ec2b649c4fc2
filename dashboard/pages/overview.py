"""Overview page: the headline in plain words, key figures, the unit network and the unit heatmap."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
import dash_cytoscape as cyto
import plotly.graph_objects as go
from dash import Dash, Input, Output, State, dcc, html

from analyser.analysis import Analysis
from analyser.report.common import low_stability, permutations_used, project_headline, silo_headline, unjudged_headline
from analyser.report.figures import empty_figure
from dashboard import ids
from dashboard.components import card, info
from dashboard.data import DashboardData, parse_settings
from dashboard.figures import UNIT_MAP_STYLESHEET, ei_chart, map_layout, unit_heatmap, unit_network_elements
from analyser.i18n import number, percent, t

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
    '62 % av projekten stannar inom en enhet; 3 av 8 enheter är signifikanta silor.'
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


def overview_view(analysis: Analysis | None, lang: str) -> tuple[str, list, list[dict], dict, go.Figure, go.Figure]:
    """Headline, cards, unit-network elements and layout, heatmap and E-I chart of ``analysis``."""
    if analysis is None:
        empty = empty_figure(t("no_dataset", lang))
        return t("no_dataset", lang), [], [], map_layout(UNIT_LAYOUT, []), empty, empty
    cards = [card(title, value, tip, lang, note) for title, value, tip, note in key_figures(analysis, lang)]
    elements = unit_network_elements(analysis.units, analysis.unit_links)
    return (
        headline(analysis, lang),
        cards,
        elements,
        map_layout(UNIT_LAYOUT, elements),
        unit_heatmap(analysis.units, analysis.unit_links, lang),
        ei_chart(analysis.units, lang, permutations_used(analysis.meta)),
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
