"""Pure builders: analysis tables in, plotly figures and cytoscape elements out."""

from __future__ import annotations

import html
import math
import zlib
from collections.abc import Collection

import numpy as np
import plotly.graph_objects as go
import polars as pl

from analyser.network import CollaborationNetwork
from analyser.privacy import pseudonym
from analyser.report import figures as report_figures
from analyser.report.common import verdicts
from analyser.report.figures import empty_figure
from analyser.i18n import t

__all__ = [
    "PERSON_CAP",
    "UNIT_MAP_STYLESHEET",
    "PERSON_MAP_STYLESHEET",
    "ei_colour",
    "map_layout",
    "unit_network_elements",
    "person_network_elements",
    "unit_heatmap",
    "ei_chart",
    "bridges_bar",
    "org_ei_trend",
    "summary_trend",
    "unit_ei_trend",
]

#: Most people a person map draws; beyond this the layout is unreadable and slow.
PERSON_CAP = 150
CLOSED, NEUTRAL, OPEN = (192, 57, 43), (189, 195, 199), (31, 78, 121)
UNIT_PALETTE = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
    "#bcbd22", "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd",
)  # fmt: skip

UNIT_MAP_STYLESHEET = [
    {"selector": "node", "style": {
        "label": "data(label)", "width": "data(size)", "height": "data(size)",
        "background-color": "data(colour)", "font-size": 11, "text-wrap": "wrap",
        "text-max-width": 120, "text-valign": "bottom", "text-margin-y": 4,
        "border-width": 1, "border-color": "#555"}},
    {"selector": "edge", "style": {"width": "data(width)", "line-color": "#9aa5b1", "opacity": 0.7,
                                   "curve-style": "haystack"}},
    # the colour is the E-I; the verdict decides what reads as a finding: a significant silo gets
    # a heavy dark-red ring, a unit with too little data for a verdict is faded
    {"selector": 'node[verdict = "silo"]', "style": {"border-width": 4, "border-color": "#7b1c12"}},
    {"selector": 'node[verdict = "too_little_data"]', "style": {"opacity": 0.45, "border-style": "dashed"}},
]  # fmt: skip

PERSON_MAP_STYLESHEET = [
    {"selector": "node", "style": {"width": 12, "height": 12, "background-color": "data(colour)",
                                   "label": "data(label)", "font-size": 7, "color": "#333"}},
    {"selector": "edge", "style": {"width": 0.6, "line-color": "#c5ccd3", "curve-style": "haystack"}},
]  # fmt: skip


def ei_colour(ei: float | None) -> str:
    """Return the colour of an E-I index: red at −1 (closed), grey at 0, blue at +1 (open).

    Missing (withheld or undefined) values are light grey.

    Examples
    --------
    >>> ei_colour(-1.0), ei_colour(0.0), ei_colour(1.0), ei_colour(None)
    ('#c0392b', '#bdc3c7', '#1f4e79', '#e5e7e9')
    """
    if ei is None or not math.isfinite(ei):
        return "#e5e7e9"
    x = max(-1.0, min(1.0, float(ei)))
    end = CLOSED if x < 0 else OPEN
    mix = [round(n + (e - n) * abs(x)) for n, e in zip(NEUTRAL, end)]
    return "#{:02x}{:02x}{:02x}".format(*mix)


def map_layout(name: str, elements: list[dict], **options: object) -> dict:
    """Cytoscape layout options that change whenever the elements do.

    The maps run with ``autoRefreshLayout=False`` (its delayed re-layout fails once the page
    is left); a changed ``layout`` prop is what makes cytoscape lay out new elements, so the
    ``elements_key`` (a checksum of the element ids) forces it, synchronously.

    Examples
    --------
    >>> a = map_layout("circle", [{"data": {"id": "A"}}])
    >>> a["name"], a == map_layout("circle", [{"data": {"id": "B"}}])
    ('circle', False)
    """
    key = zlib.crc32("\x1f".join(str(e["data"].get("id")) for e in elements).encode("utf-8"))
    return {"name": name, "animate": False, **options, "elements_key": key}


def _scaled(values: list[float], low: float, high: float) -> list[float]:
    """Map values linearly onto [low, high] (all ``low`` when they are all equal)."""
    if not values:
        return []
    lo, hi = min(values), max(values)
    if hi == lo:
        return [low for _ in values]
    return [low + (high - low) * (v - lo) / (hi - lo) for v in values]


def unit_network_elements(units: pl.DataFrame, unit_links: pl.DataFrame) -> list[dict]:
    """Return cytoscape elements of the unit network: one node per unit, one edge per unit pair with ties.

    Node size grows with the unit's people (24–80 px, square-root scale so areas compare),
    its colour is :func:`ei_colour` of its E-I index, its ``verdict`` the silo verdict
    (:data:`UNIT_MAP_STYLESHEET` rings silos and fades units with too little data); edge
    width grows with the ties between the two units (1–12 px). Pairs with no ties or
    withheld figures get no edge.

    Examples
    --------
    >>> units = pl.DataFrame({"unit": ["A", "B"], "people": [4, 9], "ei_index": [-1.0, 0.5]})
    >>> links = pl.DataFrame({"unit_a": ["A"], "unit_b": ["B"], "ties": [3]})
    >>> els = unit_network_elements(units, links)
    >>> [e["data"]["id"] for e in els], els[0]["data"]["size"], els[2]["data"]["width"]
    (['A', 'B', 'A|B'], 24.0, 1.0)
    """
    if units.is_empty():
        return []
    names = units["unit"].to_list()
    sizes = _scaled([math.sqrt(p or 0) for p in units["people"].to_list()], 24.0, 80.0)
    ei = units["ei_index"].to_list() if "ei_index" in units.columns else [None] * len(names)
    nodes = [
        {"data": {"id": n, "label": n, "size": round(s, 1), "colour": ei_colour(e), "people": p, "ei": e, "verdict": v}}
        for n, s, e, p, v in zip(names, sizes, ei, units["people"].to_list(), verdicts(units).to_list())
    ]
    known = set(names)
    links = unit_links.filter(pl.col("ties").is_not_null() & (pl.col("ties") > 0)) if unit_links.height else unit_links
    pairs = [(a, b, w) for a, b, w in links.select("unit_a", "unit_b", "ties").iter_rows() if a in known and b in known] if links.height else []
    widths = _scaled([math.sqrt(w) for _, _, w in pairs], 1.0, 12.0)
    edges = [
        {"data": {"id": f"{a}|{b}", "source": a, "target": b, "ties": w, "width": round(width, 1)}}
        for (a, b, w), width in zip(pairs, widths)
    ]
    return nodes + edges


def _visible(net: CollaborationNetwork, people: np.ndarray, withheld: Collection[str]) -> np.ndarray:
    """``people`` without those of the ``withheld`` units."""
    hidden = [i for i, unit in enumerate(net.units) if unit in withheld]
    return people[~np.isin(net.person_unit[people], hidden)] if hidden else people


def _node_ids(net: CollaborationNetwork, people: np.ndarray, privacy: str, salt: bytes) -> tuple[list[str], list[str]]:
    """Ids and labels of ``people``'s nodes: ``p<index>`` and the name, or the code twice with pseudonyms.

    An index is a position in the alphabetical list of names, so with pseudonyms it would
    tell the order of the hidden names: the id is the code instead.
    """
    if privacy == "pseudonyms":
        codes = [pseudonym(net.people[i], salt) for i in people]
        return codes, codes
    return [f"p{i}" for i in people], [net.people[i] for i in people]


def person_network_elements(
    net: CollaborationNetwork,
    people: np.ndarray,
    *,
    privacy: str = "names",
    salt: bytes = b"",
    cap: int = PERSON_CAP,
    withheld: Collection[str] = (),
) -> tuple[list[dict], int, int]:
    """Return cytoscape elements of the ties among ``people`` (indices into ``net.people``).

    People of ``withheld`` units (:func:`dashboard.data.network_withheld_units`) are left
    out first, and not counted. When more than ``cap`` people remain, the ``cap`` with most
    ties inside the selection are drawn. People are labelled by name, or in ``pseudonyms``
    mode by :func:`analyser.privacy.pseudonym`, which is then also the node id, and nodes
    and edges are sorted by it: neither ids nor order follow the names' alphabetical order.
    ``aggregate`` mode draws nobody.

    Returns
    -------
    (elements, drawn, chosen)
        The elements, how many people are drawn and how many were chosen (withheld ones left out).

    Examples
    --------
    >>> from analyser.network import build_network
    >>> from analyser.roster import Roster
    >>> net = build_network(Roster.from_rows([("P1", "ann", "A"), ("P1", "bob", "B"), ("P1", "cid", "B")]))
    >>> els, drawn, chosen = person_network_elements(net, np.array([0, 1, 2]), cap=2)
    >>> drawn, chosen, sum("source" in e["data"] for e in els)
    (2, 3, 1)
    >>> els, drawn, chosen = person_network_elements(net, np.array([0, 1, 2]), privacy="pseudonyms", withheld={"A"})
    >>> [e["data"]["id"] for e in els]
    ['P-NIXWOS6A', 'P-RLEGYBRH', 'P-NIXWOS6A|P-RLEGYBRH']
    """
    people = _visible(net, np.asarray(people, dtype=np.int64), withheld)
    chosen = int(len(people))
    if privacy == "aggregate" or chosen == 0:
        return [], 0, chosen
    node_ids, labels = _node_ids(net, people, privacy, salt)
    # pseudonyms: work in code order from here on, so nothing below follows the names' order
    order = np.argsort(np.array(node_ids), kind="stable") if privacy == "pseudonyms" else np.arange(chosen)
    people, node_ids, labels = people[order], [node_ids[i] for i in order], [labels[i] for i in order]
    sub = net.adjacency[people][:, people]
    if chosen > cap:
        degree = np.asarray(sub.sum(axis=1)).ravel()
        keep = np.sort(np.lexsort((np.arange(chosen), -degree))[:cap])  # most ties first, then in id order
        people, sub = people[keep], sub[keep][:, keep]
        node_ids, labels = [node_ids[i] for i in keep], [labels[i] for i in keep]
    nodes = [
        {"data": {"id": node, "label": label, "unit": net.units[net.person_unit[i]],
                  "colour": UNIT_PALETTE[int(net.person_unit[i]) % len(UNIT_PALETTE)]}}
        for i, node, label in zip(people, node_ids, labels)
    ]  # fmt: skip
    upper = sub.tocoo()
    pairs = sorted((a, b) for a, b in zip(upper.row.tolist(), upper.col.tolist()) if a < b)
    separator = "|" if privacy == "pseudonyms" else "-"  # codes hold a "-" themselves
    edges = [
        {"data": {"id": f"{node_ids[a]}{separator}{node_ids[b]}", "source": node_ids[a], "target": node_ids[b]}}
        for a, b in pairs
    ]
    return nodes + edges, len(people), chosen


def _retitle(fig: go.Figure, title: str) -> go.Figure:
    fig.update_layout(title={"text": title})
    return fig


def unit_heatmap(units: pl.DataFrame, unit_links: pl.DataFrame, lang: str = "en") -> go.Figure:
    """Return the unit-to-unit tie heatmap of the report in ``lang`` (title, hover, colour bar).

    Examples
    --------
    >>> units = pl.DataFrame({"unit": ["A"], "ties_internal": [2], "suppressed": [False]})
    >>> unit_heatmap(units, pl.DataFrame(), "sv").layout.title.text
    'Band mellan enheter (diagonalen: band inom en enhet)'
    """
    return _retitle(report_figures.unit_matrix_heatmap(units, unit_links, lang), t("heatmap_title", lang))


def ei_chart(units: pl.DataFrame, lang: str = "en", n_permutations: int | None = None) -> go.Figure:
    """Return the report's observed-versus-expected E-I dot plot in ``lang`` (legend, axis, hover),
    with silo verdicts and p at the resolution of ``n_permutations``."""
    return _retitle(report_figures.ei_observed_vs_expected(units, lang, n_permutations), t("ei_chart_title", lang))


def bridges_bar(people: pl.DataFrame, lang: str = "en", n: int = 15) -> go.Figure:
    """Return the report's top-bridges bar chart in ``lang`` (title, axis, hover): people ranked
    by cross-unit betweenness, those who bridge no units left out (a note when nobody does)."""
    fig = report_figures.top_bridges_bar(people, n=n, lang=lang)
    shown = len(fig.data[0].y) if fig.data else 0
    return _retitle(fig, t("bridges_bar_title", lang, n=shown)) if shown else fig



def _periods_layout(fig: go.Figure, periods: list[str], title: str, axis: str, height: int = 340) -> go.Figure:
    """Shared look of the over-time charts: periods as ordered categories, legend below."""
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=periods)
    fig.update_yaxes(title={"text": axis}, zeroline=True)
    fig.update_layout(title={"text": title, "x": 0, "xanchor": "left"}, template="plotly_white", height=height,
                      margin={"l": 10, "r": 10, "t": 50, "b": 40}, legend={"orientation": "h", "y": -0.2},
                      hovermode="x unified")  # fmt: skip
    return fig


def _column(frame: pl.DataFrame, column: str) -> list:
    return frame[column].to_list() if column in frame.columns else [None] * frame.height


def org_ei_trend(summary: pl.DataFrame, lang: str = "en") -> go.Figure:
    """Return the organisation's E-I index by period, observed and expected from unit sizes.

    ``summary`` is :func:`analyser.periods.trend_tables` ``["summary"]`` (``period``,
    ``ei_index``, ``ei_expected``).

    Examples
    --------
    >>> s = pl.DataFrame({"period": ["2025-Q1", "2025-Q2"], "ei_index": [-0.2, 0.1], "ei_expected": [0.5, 0.5]})
    >>> fig = org_ei_trend(s, "sv")
    >>> [t.name for t in fig.data], list(fig.data[0].x)
    (['observerat', 'förväntat utifrån enheternas storlek'], ['2025-Q1', '2025-Q2'])
    """
    if summary.is_empty():
        return empty_figure(t("trends_no_periods", lang), t("trends_org_ei_title", lang))
    periods = summary["period"].to_list()
    fig = go.Figure([
        go.Scatter(x=periods, y=_column(summary, "ei_index"), name=t("trends_observed", lang), mode="lines+markers",
                   line={"color": "#1F4E79", "width": 3}),
        go.Scatter(x=periods, y=_column(summary, "ei_expected"), name=t("trends_expected", lang), mode="lines+markers",
                   line={"color": "#7F8C8D", "width": 2, "dash": "dash"}),
    ])  # fmt: skip
    fig.update_yaxes(range=[-1.05, 1.05])
    return _periods_layout(fig, periods, t("trends_org_ei_title", lang), t("trends_ei_axis", lang))


def summary_trend(summary: pl.DataFrame, column: str, lang: str = "en") -> go.Figure:
    """Return one organisation figure by period: ``cross_unit_project_share`` (as a
    percentage) or ``modularity``.

    Examples
    --------
    >>> s = pl.DataFrame({"period": ["2025", "2026"], "cross_unit_project_share": [0.25, 0.5]})
    >>> summary_trend(s, "cross_unit_project_share").data[0].y
    (25.0, 50.0)
    """
    keys = {"cross_unit_project_share": ("trends_share_title", "trends_share_axis"),
            "modularity": ("trends_modularity_title", "trends_modularity_axis")}  # fmt: skip
    title, axis = (t(k, lang) for k in keys[column])
    if summary.is_empty():
        return empty_figure(t("trends_no_periods", lang), title)
    periods = summary["period"].to_list()
    values = _column(summary, column)
    share = column == "cross_unit_project_share"
    if share:
        values = [None if v is None else round(100 * v, 1) for v in values]
    fig = go.Figure(go.Scatter(x=periods, y=values, mode="lines+markers", name=title, line={"color": "#1F4E79", "width": 3},
                               hovertemplate="%{y:.1f} %<extra></extra>" if share else "%{y:.2f}<extra></extra>"))  # fmt: skip
    fig.update_yaxes(rangemode="tozero", ticksuffix=" %" if share else "")
    return _periods_layout(fig, periods, title, axis, height=300)


def unit_ei_trend(units: pl.DataFrame, periods: list[str], lang: str = "en") -> go.Figure:
    """Return each unit's E-I index by period, one line per unit (a gap where it has none).

    ``units`` is :func:`analyser.periods.trend_tables` ``["units"]``; ``periods`` the
    period labels in time order. Withheld units (null E-I) draw no line.

    Examples
    --------
    >>> u = pl.DataFrame({"period": ["2025", "2026", "2026"], "unit": ["A", "A", "B"], "ei_index": [0.1, 0.3, None]})
    >>> fig = unit_ei_trend(u, ["2025", "2026"])
    >>> [(tr.name, tr.y) for tr in fig.data]
    [('A', (0.1, 0.3))]
    """
    title = t("trends_unit_ei_title", lang)
    if units.is_empty() or not periods:
        return empty_figure(t("trends_no_periods", lang), title)
    traces = []
    names = sorted(units["unit"].drop_nulls().unique().to_list())
    for i, name in enumerate(names):
        rows = dict(units.filter(pl.col("unit") == name).select("period", "ei_index").iter_rows())
        values = [rows.get(p) for p in periods]
        if all(v is None for v in values):
            continue
        # plotly reads a subset of HTML in names, so unit names are escaped
        traces.append(go.Scatter(x=periods, y=values, name=html.escape(name, quote=False), mode="lines+markers",
                                 line={"color": UNIT_PALETTE[i % len(UNIT_PALETTE)], "width": 2},
                                 hovertemplate="%{fullData.name}: %{y:.2f}<extra></extra>"))  # fmt: skip
    fig = go.Figure(traces)
    fig.update_yaxes(range=[-1.05, 1.05])
    fig = _periods_layout(fig, periods, title, t("trends_ei_axis", lang), height=420 + 14 * max(0, len(traces) - 8))
    fig.update_layout(legend={"orientation": "v", "y": 1, "x": 1.02}, hovermode="closest")
    return fig
