"""Network page: the person-level map of a unit and its outside contacts, a community or a project's
neighbourhood (capped), with a legend; a click on a person opens their page."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import dash_bootstrap_components as dbc
import dash_cytoscape as cyto
import numpy as np
import polars as pl
from dash import Dash, Input, Output, State, dcc, html

from analyser.analysis import Analysis
from analyser.i18n import integer, plural, t
from analyser.network import CollaborationNetwork
from analyser.store import StoreError
from dashboard import ids
from dashboard.components import note
from dashboard.data import DashboardData
from dashboard.selection import network_withheld_units, select_people
from dashboard.settings import Settings, parse_settings
from dashboard.network_map import (
    FOCUS_RING,
    PERSON_CAP,
    PERSON_MAP_STYLESHEET,
    map_legend,
    outside_contacts,
    person_network_elements,
    place,
    preset_layout,
)
from dashboard.pages.person import register_person_map

__all__ = ["PATH", "TITLE_KEY", "MODES", "layout", "register_callbacks", "choice_options", "default_choice",
           "network_view", "network_legend", "map_stylesheet"]  # fmt: skip

PATH = "/network"
TITLE_KEY = "nav_network"
I = ids.Network
MODES = ("unit", "community", "project")
#: Largest project the map opens on when there is a smaller one spanning units (a team, not a programme).
TEAM_MAX = 30
#: Projects whose neighbourhood is sized up for the opening map (the best-ranked ones).
CANDIDATES = 200
#: Zoom limits of the map: the layout is scaled so that it fits at about 1.
MIN_ZOOM, MAX_ZOOM = 0.25, 2.0

#: Clientside: the chosen mode and group go into the address (replacing it, so Back leaves the
#: page instead of stepping through choices); coming back from a person's page redraws the same map.
KEEP_IN_ADDRESS_JS = """
function (mode, choice) {
    if (!mode || choice === null || choice === undefined) { return window.dash_clientside.no_update; }
    var query = new URLSearchParams({mode: mode, choice: String(choice)});
    window.history.replaceState(window.history.state, '', window.location.pathname + '?' + query.toString());
    return window.dash_clientside.no_update;
}
"""


def layout(lang: str = "en", mode: str | None = None, choice: str | None = None, **_query: Any) -> html.Div:
    """The network page in ``lang``; ``mode`` and ``choice`` from the address reopen a map."""
    mode = mode if mode in MODES else "unit"
    choice = choice if isinstance(choice, str) else None
    return html.Div([
        html.H2(t("network_title", lang)),
        html.P(t("network_intro", lang), className="text-muted"),
        dbc.Row([
            dbc.Col([dbc.Label(t("network_mode", lang), html_for=I.MODE),
                     dbc.Select(id=I.MODE, value=mode,
                                options=[{"label": t(f"network_mode_{m}", lang), "value": m} for m in MODES])], md=4),
            dbc.Col([dbc.Label(t("network_choice", lang), html_for=I.CHOICE),
                     # the choice from the address is an option from the start: the dropdown drops a value it does not offer
                     dcc.Dropdown(id=I.CHOICE, options=[{"label": choice, "value": choice}] if choice else [],
                                  value=choice, clearable=False)], md=8),
        ], className="mb-3"),
        dcc.Store(id=I.URL_STATE),
        # the first map of a large dataset builds its graph (seconds at 100,000 people): show it is working
        dcc.Loading(html.Div(id=I.MESSAGE)),
        dbc.Row([
            dbc.Col(cyto.Cytoscape(id=I.MAP, elements=[], stylesheet=PERSON_MAP_STYLESHEET,
                                   layout=preset_layout([]), autoRefreshLayout=False, minZoom=MIN_ZOOM,
                                   maxZoom=MAX_ZOOM, boxSelectionEnabled=False,
                                   style={"width": "100%", "height": "620px", "border": "1px solid #dee2e6"}),
                    lg=9),
            dbc.Col(html.Div(id=I.LEGEND), lg=3),
        ]),
    ])  # fmt: skip


def choice_options(
    net: CollaborationNetwork | None, mode: str, communities: np.ndarray | None, lang: str,
    withheld: Collection[str] = (), units: pl.DataFrame | None = None,
) -> list[dict]:  # fmt: skip
    """Options of the group selector: units (with their size, silos marked), communities (largest first) or projects.

    ``withheld`` units (:func:`dashboard.selection.network_withheld_units`) are not offered, and
    their people are not counted in a community's size (the map would not draw them).
    ``units`` is the analysis' unit table, whose verdicts mark the silos.

    Examples
    --------
    >>> from analyser.network import build_network
    >>> from analyser.roster import Roster
    >>> net = build_network(Roster.from_rows([("P1", "ann", "A"), ("P1", "bob", "B")]))
    >>> choice_options(net, "community", np.array([0, 0]), "en")
    [{'label': 'Community 1 (2 people)', 'value': '0'}]
    >>> choice_options(net, "unit", None, "en", withheld={"A"}), choice_options(net, "community", np.array([0, 0]), "en", {"A"})
    ([{'label': 'B (one person)', 'value': 'B'}], [{'label': 'Community 1 (one person)', 'value': '0'}])
    """
    if net is None:
        return []
    if mode == "unit":
        silos = set(units.filter(pl.col("verdict") == "silo")["unit"]) if units is not None and "verdict" in units.columns else set()
        return [{"label": plural("network_unit_option_silo" if u in silos else "network_unit_option", int(n), lang, unit=u),
                 "value": u} for u, n in zip(net.units, net.unit_size) if u not in withheld]  # fmt: skip
    if mode == "project":
        return [{"label": p, "value": p} for p in net.projects]
    shown = ~np.isin(net.person_unit, [i for i, unit in enumerate(net.units) if unit in withheld])
    kept = communities[shown] if communities is not None else []
    labels, sizes = np.unique(kept, return_counts=True)
    order = np.lexsort((labels, -sizes))
    return [{"label": plural("network_community_option", int(sizes[i]), lang, rank=rank + 1), "value": str(int(labels[i]))}
            for rank, i in enumerate(order)]  # fmt: skip


def default_choice(
    net: CollaborationNetwork | None, mode: str, options: list[dict], analysis: Analysis | None = None
) -> str | None:
    """The group the map opens on: the most telling one offered, never a one-person unit when there is a larger one.

    Units: the largest significant silo, else the largest unit (then name). Projects: of the
    teams (2 to :data:`TEAM_MAX` members, when there are any) the one spanning most units, then
    the largest, then by name, whose map (members and everyone tied to them) fits in
    :data:`~dashboard.network_map.PERSON_CAP` people when one does. Communities: the largest
    (the first option).

    Examples
    --------
    >>> from analyser.network import build_network
    >>> from analyser.roster import Roster
    >>> net = build_network(Roster.from_rows([("P1", "ann", "A"), ("P1", "bob", "B"), ("P1", "cid", "B")]))
    >>> options = choice_options(net, "unit", None, "en")
    >>> default_choice(net, "unit", options), default_choice(net, "project", choice_options(net, "project", None, "en"))
    ('B', 'P1')
    """
    values = [o["value"] for o in options]
    if net is None or not values:
        return None
    offered = set(values)
    if mode == "unit":
        units = pl.DataFrame({"unit": net.units, "people": net.unit_size.astype(np.int64)})
        if analysis is not None and "verdict" in analysis.units.columns:
            units = units.join(analysis.units.select("unit", "verdict"), on="unit", how="left")
        else:
            units = units.with_columns(pl.lit(None, dtype=pl.String).alias("verdict"))
        ranked = units.filter(pl.col("unit").is_in(offered)).sort(
            [pl.col("verdict") == "silo", "people", "unit"], descending=[True, True, False], nulls_last=True)
        return ranked["unit"][0] if ranked.height else values[0]
    if mode == "project":
        spans = np.asarray((net.project_units > 0).sum(axis=0)).ravel()
        projects = pl.DataFrame({"project": net.projects, "units": spans.astype(np.int64),
                                 "members": net.project_size.astype(np.int64)})  # fmt: skip
        # a programme of hundreds draws as a capped hairball: a team spanning most units tells more,
        # and most of all one whose members' other collaborators fit on the map too
        team = pl.col("members").is_between(2, TEAM_MAX)
        ranked = projects.filter(pl.col("project").is_in(offered)).sort(
            [team, "units", "members", "project"], descending=[True, True, True, False])["project"].to_list()
        if not ranked:
            return values[0]
        sizes = _neighbourhood_sizes(net, [net.projects.index(p) for p in ranked[:CANDIDATES]])
        return next((p for p, n in zip(ranked, sizes) if n <= PERSON_CAP), ranked[0])
    return values[0]


def _neighbourhood_sizes(net: CollaborationNetwork, projects: list[int]) -> list[int]:
    """People a project map would hold: the members of each project and everyone tied to them."""
    members = net.incidence[:, projects].T.tocsr()  # projects × people
    reached = (members @ net.adjacency + members).tocsr()
    return np.diff(reached.indptr).tolist()


def map_stylesheet(mode: str) -> list[dict]:
    """The map's stylesheet: in project mode the project's members are ringed (colour is their unit)."""
    return [*PERSON_MAP_STYLESHEET, FOCUS_RING] if mode == "project" else list(PERSON_MAP_STYLESHEET)


def network_view(
    net: CollaborationNetwork | None, settings: Settings, mode: str, choice: str | None,
    communities: np.ndarray | None, salt: bytes, lang: str,
) -> tuple[list[dict], Any]:  # fmt: skip
    """Positioned elements of the person map and the message above it (capped, empty or aggregate).

    A unit is drawn with its outside contacts (people of other units who share a project
    with its members), a project with its members' other collaborators; the unit's or the
    project's people are the map's focus (:func:`dashboard.network_map.person_network_elements`).
    With pseudonyms the people of withheld units are never drawn, whatever ``choice`` a
    client sends (a withheld unit is not even offered).
    """
    if net is None:
        return [], note(t("no_dataset", lang))
    if settings.privacy == "aggregate":
        return [], note(t("network_aggregate", lang), "info", id="network-aggregate")
    if not choice:
        return [], note(t("network_choose", lang))
    withheld = network_withheld_units(net, settings.privacy, settings.min_group_size)
    chosen = select_people(net, mode, choice, communities)
    focus, focus_unit = None, None
    if mode == "unit" and choice in net.units and choice not in withheld:
        focus, focus_unit = chosen, choice
        chosen = np.concatenate([chosen, outside_contacts(net, chosen, withheld)])
    elif mode == "project" and choice in net.projects:
        focus = net.incidence[:, [net.projects.index(choice)]].nonzero()[0]
    elements, drawn, total = person_network_elements(net, chosen, focus=focus, focus_unit=focus_unit,
                                                     privacy=settings.privacy, salt=salt, cap=PERSON_CAP,
                                                     withheld=withheld)  # fmt: skip
    if total == 0:
        return [], note(t("network_empty", lang))
    ties = plural("count_ties", sum("source" in e["data"] for e in elements), lang)
    if drawn < total:
        message = note(t("network_capped", lang, cap=integer(drawn, lang), total=integer(total, lang)), "warning", id="network-capped")
    elif focus_unit is not None:
        inside = sum("focus" in e.get("classes", "") for e in elements)
        message = html.P(t("network_count_unit", lang, members=plural("count_people", inside, lang),
                           contacts=plural("network_contacts", drawn - inside, lang), ties=ties),
                         className="text-muted", id="network-count")  # fmt: skip
    else:
        message = html.P(t("network_count", lang, people=plural("count_people", drawn, lang), ties=ties),
                         className="text-muted", id="network-count")  # fmt: skip
    return place(elements), message


def network_legend(elements: list[dict], mode: str, choice: str | None, lang: str) -> html.Div | None:
    """The legend beside the map: unit colours ("this unit" and outside contacts in unit mode), rings in project mode."""
    return map_legend(elements, lang, focus_unit=choice if mode == "unit" else None, ring=mode == "project",
                      outward_key="network_legend_outward", legend_id="network-legend-box")  # fmt: skip


def register_callbacks(app: Dash, data: DashboardData) -> None:
    """Attach this page's callbacks to ``app``."""

    def graphs(s: Settings, mode: str):
        if s.dataset is None:
            return None, None
        try:
            net = data.network(s.dataset, s.level, s.max_project_size)
        except StoreError:  # deleted in another tab
            return None, None
        return net, (data.communities(s) if mode == "community" else None)

    @app.callback(
        Output(I.CHOICE, "options"),
        Output(I.CHOICE, "value"),
        Input(ids.App.SETTINGS, "data"),
        Input(I.MODE, "value"),
        State(I.CHOICE, "value"),
        State(ids.App.LANG, "data"),
    )
    def choices(settings, mode, current, lang):
        # settings + mode -> groups to choose from (cached graph), the current one kept, else the most telling
        s = parse_settings(settings)
        net, communities = graphs(s, mode)
        withheld = network_withheld_units(net, s.privacy, s.min_group_size) if net is not None else frozenset()
        analysis = data.analysis(s) if net is not None else None
        options = choice_options(net, mode, communities, lang or "en", withheld,
                                 analysis.units if analysis is not None else None)  # fmt: skip
        values = {o["value"] for o in options}
        return options, (current if current in values else default_choice(net, mode, options, analysis))

    @app.callback(
        Output(I.MAP, "elements"),
        Output(I.MAP, "layout"),
        Output(I.MAP, "stylesheet"),
        Output(I.MESSAGE, "children"),
        Output(I.LEGEND, "children"),
        Input(I.CHOICE, "value"),
        Input(ids.App.SETTINGS, "data"),
        State(I.MODE, "value"),
        State(ids.App.LANG, "data"),
    )
    def draw(choice, settings, mode, lang):
        # chosen group -> placed person map and its legend (cached graph; pseudonyms with the dataset's salt)
        s = parse_settings(settings)
        net, communities = graphs(s, mode)
        salt = data.salt(s.dataset) if s.dataset and s.privacy == "pseudonyms" else b""
        # the spring layout takes up to half a second at 150 people: kept per settings, group and language
        elements, message = data.cached("network-map", (s, mode, choice, lang),
                                        lambda: network_view(net, s, mode, choice, communities, salt, lang or "en"))
        legend = network_legend(elements, mode, choice, lang or "en")
        return elements, preset_layout(elements), map_stylesheet(mode), message, legend

    register_person_map(app, I.MAP)
    app.clientside_callback(KEEP_IN_ADDRESS_JS, Output(I.URL_STATE, "data"), Input(I.MODE, "value"),
                            Input(I.CHOICE, "value"))  # fmt: skip
