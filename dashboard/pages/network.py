"""Network page: the person-level map of one unit, community or project neighbourhood (capped)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import dash_bootstrap_components as dbc
import dash_cytoscape as cyto
import numpy as np
from dash import Dash, Input, Output, State, dcc, html

from analyser.network import CollaborationNetwork
from analyser.store import StoreError
from dashboard import ids
from dashboard.components import note
from dashboard.data import DashboardData, Settings, network_withheld_units, parse_settings, select_people
from dashboard.figures import PERSON_CAP, PERSON_MAP_STYLESHEET, map_layout, person_network_elements
from analyser.i18n import number, t

__all__ = ["PATH", "TITLE_KEY", "MODES", "layout", "register_callbacks", "choice_options", "network_view"]

PATH = "/network"
TITLE_KEY = "nav_network"
I = ids.Network
MODES = ("unit", "community", "project")
PERSON_LAYOUT = "concentric"  # synchronous (cose keeps computing after the page is left) and hubs in the middle


def layout(lang: str = "en", **_query: Any) -> html.Div:
    """The network page in ``lang``."""
    return html.Div([
        html.H2(t("network_title", lang)),
        html.P(t("network_intro", lang), className="text-muted"),
        dbc.Row([
            dbc.Col([dbc.Label(t("network_mode", lang), html_for=I.MODE),
                     dbc.Select(id=I.MODE, value="unit",
                                options=[{"label": t(f"network_mode_{m}", lang), "value": m} for m in MODES])], md=4),
            dbc.Col([dbc.Label(t("network_choice", lang), html_for=I.CHOICE),
                     dcc.Dropdown(id=I.CHOICE, options=[], value=None, clearable=False)], md=8),
        ], className="mb-3"),
        # the first map of a large dataset builds its graph (seconds at 100,000 people): show it is working
        dcc.Loading(html.Div(id=I.MESSAGE)),
        cyto.Cytoscape(id=I.MAP, elements=[], stylesheet=PERSON_MAP_STYLESHEET,
                       layout=map_layout(PERSON_LAYOUT, []), autoRefreshLayout=False,
                       style={"width": "100%", "height": "620px", "border": "1px solid #dee2e6"}),
    ])  # fmt: skip


def choice_options(
    net: CollaborationNetwork | None, mode: str, communities: np.ndarray | None, lang: str,
    withheld: Collection[str] = (),
) -> list[dict]:  # fmt: skip
    """Options of the group selector: units, communities (largest first) or projects.

    ``withheld`` units (:func:`dashboard.data.network_withheld_units`) are not offered, and
    their people are not counted in a community's size (the map would not draw them).

    Examples
    --------
    >>> from analyser.network import build_network
    >>> from analyser.roster import Roster
    >>> net = build_network(Roster.from_rows([("P1", "ann", "A"), ("P1", "bob", "B")]))
    >>> choice_options(net, "community", np.array([0, 0]), "en")
    [{'label': 'Community 1 (2 people)', 'value': '0'}]
    >>> choice_options(net, "unit", None, "en", withheld={"A"}), choice_options(net, "community", np.array([0, 0]), "en", {"A"})
    ([{'label': 'B', 'value': 'B'}], [{'label': 'Community 1 (1 people)', 'value': '0'}])
    """
    if net is None:
        return []
    if mode == "unit":
        return [{"label": u, "value": u} for u in net.units if u not in withheld]
    if mode == "project":
        return [{"label": p, "value": p} for p in net.projects]
    shown = ~np.isin(net.person_unit, [i for i, unit in enumerate(net.units) if unit in withheld])
    kept = communities[shown] if communities is not None else []
    labels, sizes = np.unique(kept, return_counts=True)
    order = np.lexsort((labels, -sizes))
    return [{"label": t("network_community_n", lang, n=rank + 1, size=int(sizes[i])), "value": str(int(labels[i]))}
            for rank, i in enumerate(order)]  # fmt: skip


def network_view(
    net: CollaborationNetwork | None, settings: Settings, mode: str, choice: str | None,
    communities: np.ndarray | None, salt: bytes, lang: str,
) -> tuple[list[dict], Any]:  # fmt: skip
    """Elements of the person map and the message above it (capped, empty or aggregate).

    With pseudonyms the people of withheld units are never drawn, whatever ``choice`` a
    client sends (a withheld unit is not even offered).
    """
    if net is None:
        return [], note(t("no_dataset", lang))
    if settings.privacy == "aggregate":
        return [], note(t("network_aggregate", lang), "info", id="network-aggregate")
    if not choice:
        return [], note(t("network_choose", lang))
    chosen = select_people(net, mode, choice, communities)
    withheld = network_withheld_units(net, settings.privacy, settings.min_group_size)
    elements, drawn, total = person_network_elements(net, chosen, privacy=settings.privacy, salt=salt, cap=PERSON_CAP,
                                                     withheld=withheld)  # fmt: skip
    if total == 0:
        return [], note(t("network_empty", lang))
    ties = sum("source" in e["data"] for e in elements)
    message = t("network_count", lang, total=number(drawn, lang), ties=number(ties, lang))
    if drawn < total:
        return elements, note(t("network_capped", lang, cap=drawn, total=number(total, lang)), "warning", id="network-capped")
    return elements, html.P(message, className="text-muted")


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
        # settings + mode -> groups to choose from (cached graph)
        s = parse_settings(settings)
        net, communities = graphs(s, mode)
        withheld = network_withheld_units(net, s.privacy, s.min_group_size) if net is not None else frozenset()
        options = choice_options(net, mode, communities, lang or "en", withheld)
        values = [o["value"] for o in options]
        return options, (current if current in values else (values[0] if values else None))

    @app.callback(
        Output(I.MAP, "elements"),
        Output(I.MAP, "layout"),
        Output(I.MESSAGE, "children"),
        Input(I.CHOICE, "value"),
        Input(ids.App.SETTINGS, "data"),
        State(I.MODE, "value"),
        State(ids.App.LANG, "data"),
    )
    def draw(choice, settings, mode, lang):
        # chosen group -> person map (cached graph; pseudonyms with the dataset's salt)
        s = parse_settings(settings)
        net, communities = graphs(s, mode)
        salt = data.salt(s.dataset) if s.dataset and s.privacy == "pseudonyms" else b""
        elements, message = network_view(net, s, mode, choice, communities, salt, lang or "en")
        return elements, map_layout(PERSON_LAYOUT, elements, minNodeSpacing=8), message
