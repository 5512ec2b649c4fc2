"""Person page (``/person?id=...``, not in the menu): whom one person links, in which units, through
which projects; their brokerage roles, the unit pairs that hang on them and a small ego map.

Opened from the Bridges grid, the Network map and a unit's detail on the Units page. The id is
the name, or with pseudonyms the code (names never go into the address then); the server
finds the person again under the current privacy mode, so a name finds nobody with pseudonyms.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple
from urllib.parse import urlencode

import dash_bootstrap_components as dbc
import dash_cytoscape as cyto
import polars as pl
from dash import Dash, Input, Output, State, dcc, html
from dash.exceptions import PreventUpdate

from analyser.analysis import Analysis
from analyser.i18n import integer, number, plural, t
from analyser.network import CollaborationNetwork
from analyser.person import PersonDetail, find_person, person_codes, person_detail, top_collaborators
from analyser.store import StoreError
from dashboard import ids
from dashboard.components import card, format_value, note
from dashboard.data import DashboardData
from dashboard.selection import network_withheld_units
from dashboard.settings import Settings, parse_settings
from dashboard.network_map import HOVER_LABEL_JS, PERSON_MAP_STYLESHEET, ego_elements, map_legend, place, preset_layout

__all__ = ["PATH", "TITLE_KEY", "IN_MENU", "layout", "register_callbacks", "person_href", "person_link",
           "people_table", "PersonView", "person_view", "register_person_map"]  # fmt: skip

PATH = "/person"
TITLE_KEY = "nav_person"
#: A detail page: opened from other pages, not from the menu.
IN_MENU = False
I = ids.Person
#: The ego map is hidden without a person, but keeps its size: cytoscape fits the view to its
#: container, and a container of no size (display: none) would leave the map off-screen.
HIDDEN = {"visibility": "hidden"}
#: Most collaborators listed (the ego map has its own cap); the rest are counted.
COLLABORATORS_SHOWN = 200
#: Model size of the ego map: about its box on a 1280-px-wide screen, so it is fitted at a zoom near 1.
EGO_WIDTH, EGO_HEIGHT = 640, 390
#: Figures of the people table shown as cards, in order.
CARDS = ("units_reached", "external_collaborators", "cross_unit_betweenness", "sole_bridges")


def person_href(person: str) -> str:
    """Address of a person's page; ``person`` is the name or code as shown.

    >>> person_href("Åsa Öberg & co")
    '/person?id=%C3%85sa+%C3%96berg+%26+co'
    """
    return f"{PATH}?{urlencode({'id': person})}"


def person_link(person: str, **kwargs: Any) -> dcc.Link:
    """A link to ``person``'s page, shown as their name or code (navigates without reloading the app)."""
    return dcc.Link(person, href=person_href(person), **kwargs)


def people_table(frame: pl.DataFrame, columns: Sequence[str], lang: str, table_id: str, *, link: str = "person") -> dbc.Table:
    """A plain table like :func:`dashboard.components.small_table` whose ``link`` column opens the person's page."""
    header = html.Thead(html.Tr([html.Th(t(c, lang), title=t(f"{c}_tip", lang)) for c in columns]))
    rows = [
        html.Tr([html.Td(person_link(v) if c == link and isinstance(v, str) else format_value(v, lang))
                 for c, v in zip(columns, row)])
        for row in frame.select(columns).rows()
    ]  # fmt: skip
    return dbc.Table([header, html.Tbody(rows)], size="sm", striped=True, hover=True, id=table_id)


def layout(lang: str = "en", **query: Any) -> html.Div:
    """The person page in ``lang`` for the person ``id`` of the address (filled by a callback)."""
    who = query.get("id")
    return html.Div([
        dcc.Store(id=I.WHO, data=who if isinstance(who, str) else None),
        dcc.Loading(html.Div(id=I.HEAD, children=html.H2(t("person_title", lang)))),
        html.Div(id=I.FIGURES),
        dbc.Row([
            dbc.Col(html.Div(id=I.TABLES), lg=5),
            dbc.Col(html.Div(id=I.MAP_WRAP, style=HIDDEN, children=[
                html.H4(t("person_map", lang)),
                cyto.Cytoscape(id=I.MAP, elements=[], stylesheet=PERSON_MAP_STYLESHEET, layout=preset_layout([]),
                               autoRefreshLayout=False, minZoom=0.25, maxZoom=2.0, boxSelectionEnabled=False,
                               style={"width": "100%", "height": "460px", "border": "1px solid #dee2e6"}),
                html.Div(id=I.LEGEND, className="mt-2"),
            ]), lg=7),
        ], className="mt-2"),
        html.Div(id=I.LISTS, className="mt-3"),
    ])  # fmt: skip


class PersonView(NamedTuple):
    """What the person page shows, one field per output."""

    head: Any
    figures: Any = None
    tables: Any = None
    elements: list = []
    legend: Any = None
    map_style: dict = HIDDEN
    lists: Any = None


def _head(detail: PersonDetail, lang: str) -> html.Div:
    reached = detail.units.filter(~pl.col("own")).height
    collaborators = int(detail.units["collaborators"].sum()) if detail.units.height else 0
    line = t("person_summary", lang, unit=detail.unit, projects=plural("count_projects", detail.projects.height, lang),
             collaborators=plural("count_collaborators", collaborators, lang),
             units=plural("count_other_units", reached, lang))  # fmt: skip
    back = dcc.Link(t("person_unit_map", lang, unit=detail.unit),
                    href="/network?" + urlencode({"mode": "unit", "choice": detail.unit}))  # fmt: skip
    return html.Div([html.H2(detail.person, id="person-name"), html.P([line, " ", back], className="text-muted")])


def _figures(detail: PersonDetail, lang: str) -> dbc.Row | None:
    shown = [c for c in CARDS if detail.figures.get(c) is not None]
    if not shown:
        return None
    cards = []
    for column in shown:
        value = detail.figures[column]
        text = number(value, lang, digits=4) if isinstance(value, float) else integer(value, lang)
        cards.append(card(column, text, f"{column}_tip", lang))
    return dbc.Row(cards)


def _tables(detail: PersonDetail, lang: str) -> list:
    units = detail.units.with_columns(
        pl.when(pl.col("own")).then(pl.col("unit") + " (" + t("person_own_unit", lang) + ")").otherwise("unit").alias("unit")
    ).rename({"collaborators": "collaborators_in_unit", "shared_projects": "projects_with_unit"})
    parts: list = [html.H4(t("person_units", lang)),
                   people_table(units, ["unit", "collaborators_in_unit", "projects_with_unit"], lang, "person-units")
                   if units.height else html.P(t("person_no_ties", lang))]  # fmt: skip
    roles = [html.Tr([html.Td(t(f"brokerage_{r}", lang), title=t(f"brokerage_{r}_tip", lang)), html.Td(integer(n, lang)),
                      html.Td(t(f"brokerage_{r}_tip", lang), className="small text-muted")])
             for r, n in detail.roles.iter_rows()]  # fmt: skip
    parts += [html.H4([t("person_roles", lang)], className="mt-3"), html.P(t("person_roles_intro", lang), className="small text-muted"),
              dbc.Table(html.Tbody(roles), size="sm", id="person-roles")]  # fmt: skip
    parts.append(html.H4(t("person_sole_bridges", lang), className="mt-3"))
    if detail.sole_bridges.height:
        parts.append(html.Ul([html.Li(plural("person_sole_bridge", ties, lang, a=detail.unit, b=unit))
                              for unit, ties in detail.sole_bridges.iter_rows()], id="person-sole-bridges"))  # fmt: skip
    else:
        parts.append(html.P(t("person_no_sole_bridges", lang), id="person-sole-bridges"))
    return parts


def _lists(detail: PersonDetail, lang: str, privacy: str) -> list:
    # a project without ties is either the person's alone or above the largest project size: say which
    projects = detail.projects.with_columns(
        pl.when(pl.col("makes_ties")).then(pl.col("unit_names"))
        .when(pl.col("members") < 2).then(pl.col("unit_names") + " (" + t("person_alone_project", lang) + ")")
        .otherwise(pl.col("unit_names") + " (" + t("person_no_tie_project", lang) + ")").alias("unit_names"))
    parts: list = [html.H4(t("person_projects", lang)),
                   people_table(projects, ["project", "members", "units", "unit_names"], lang, "person-projects", link="")]
    shown = top_collaborators(detail.collaborators, COLLABORATORS_SHOWN).rename({"shared_projects": "projects_together"})
    parts.append(html.H4(t("person_collaborators", lang), className="mt-3"))
    if privacy == "pseudonyms":
        parts.append(html.P(t("person_withheld_note", lang), className="small text-muted"))
    parts.append(people_table(shown, ["person", "unit", "projects_together"], lang, "person-collaborators")
                 if shown.height else html.P(t("person_no_ties", lang)))  # fmt: skip
    if detail.collaborators.height > shown.height:
        parts.append(html.P(t("person_more", lang, shown=integer(shown.height, lang),
                              total=integer(detail.collaborators.height, lang)), className="small text-muted"))  # fmt: skip
    return parts


def person_view(
    net: CollaborationNetwork | None, analysis: Analysis | None, settings: Settings, who: str | None,
    salt: bytes, lang: str, codes: dict[str, int] | None = None,
) -> PersonView:  # fmt: skip
    """Everything the person page shows for the id ``who`` under ``settings``' privacy mode.

    Nothing about anyone in aggregate mode (a note says person detail is off); with
    pseudonyms ``who`` must be a code, every person is shown by code and people of withheld
    units are neither found nor listed (:func:`analyser.person.person_detail`).
    """
    title = html.H2(t("person_title", lang))
    if net is None:
        return PersonView([title, note(t("no_dataset", lang))])
    if settings.privacy == "aggregate":
        return PersonView([title, note(t("person_aggregate", lang), "info", id="person-aggregate")])
    if not who:
        return PersonView([title, note(t("person_choose", lang), id="person-missing")])
    withheld = network_withheld_units(net, settings.privacy, settings.min_group_size)
    index = find_person(net, who, privacy=settings.privacy, salt=salt, withheld=withheld, codes=codes)
    if index is None:
        key = "person_not_found_code" if settings.privacy == "pseudonyms" else "person_not_found"
        return PersonView([title, note(t(key, lang), "warning", id="person-missing")])
    people = analysis.people if analysis is not None else None
    detail = person_detail(net, net.people[index], privacy=settings.privacy, salt=salt, withheld=withheld, people=people)
    # the map's box on a 1280-px screen (7 of 12 columns, 460 px high) less cytoscape's padding
    elements = place(ego_elements(detail), width=EGO_WIDTH, height=EGO_HEIGHT)
    legend = map_legend(elements, lang, outward_key="person_legend_outward", legend_id="person-legend-box")
    return PersonView(_head(detail, lang), _figures(detail, lang), _tables(detail, lang), elements, legend, {},
                      _lists(detail, lang, settings.privacy))  # fmt: skip


def register_callbacks(app: Dash, data: DashboardData) -> None:
    """Attach this page's callbacks to ``app``."""

    @app.callback(
        Output(I.HEAD, "children"),
        Output(I.FIGURES, "children"),
        Output(I.TABLES, "children"),
        Output(I.MAP, "elements"),
        Output(I.MAP, "layout"),
        Output(I.LEGEND, "children"),
        Output(I.MAP_WRAP, "style"),
        Output(I.LISTS, "children"),
        Input(ids.App.SETTINGS, "data"),
        Input(I.WHO, "data"),
        State(ids.App.LANG, "data"),
    )
    def show(settings, who, lang):
        # settings + id in the address -> the person found under the privacy mode -> their detail
        s = parse_settings(settings)
        net = analysis = None
        salt, codes = b"", None
        if s.dataset is not None:
            try:
                net = data.network(s.dataset, s.level, s.max_project_size)
                if s.privacy == "pseudonyms":
                    salt = data.salt(s.dataset)
                    codes = data.cached("person-codes", s.dataset, lambda: person_codes(net, salt))
            except StoreError:  # deleted in another tab
                net = None
            analysis = data.analysis(s) if net is not None else None
        view = person_view(net, analysis, s, who if isinstance(who, str) else None, salt, lang or "en", codes)
        return (view.head, view.figures, view.tables, view.elements, preset_layout(view.elements), view.legend,
                view.map_style, view.lists)  # fmt: skip

    register_person_map(app, I.MAP)


def register_person_map(app: Dash, map_id: str) -> None:
    """The callbacks every map of people shares: a tapped person opens their page (which checks
    the id against the privacy mode again), and the person under the pointer is named."""

    @app.callback(
        Output(ids.App.REDIRECT, "href", allow_duplicate=True),
        Input(map_id, "tapNodeData"),
        prevent_initial_call=True,
    )
    def open_person(node):
        if not node or not isinstance(node.get("person"), str):
            raise PreventUpdate
        return person_href(node["person"])

    app.clientside_callback(
        HOVER_LABEL_JS,
        Output(map_id, "stylesheet", allow_duplicate=True),
        Input(map_id, "mouseoverNodeData"),
        State(map_id, "stylesheet"),
        prevent_initial_call=True,
    )
