"""Person maps: cytoscape elements of people and their ties, laid out on the server, and their legend.

The Network page draws a unit (with its outside contacts), a community or a project's
neighbourhood; the person page draws one person and their collaborators. Positions are
computed here (networkx spring layout, seeded, per connected component, the components packed
in rows) and drawn with cytoscape's ``preset`` layout: the same map every time, nothing left
running in the browser, and readable labels because the positions are scaled to the canvas.
"""

from __future__ import annotations

import math
import zlib
from collections import Counter
from collections.abc import Collection

import networkx as nx
import numpy as np
from scipy.spatial import cKDTree
from dash import html

from analyser.i18n import plural, t
from analyser.network import CollaborationNetwork
from analyser.person import PersonDetail, top_collaborators
from analyser.privacy import PrivacyPolicy

__all__ = [
    "PERSON_CAP",
    "LABELLED",
    "LABEL_ALL",
    "UNIT_COLOURS",
    "OTHER_COLOUR",
    "PERSON_MAP_STYLESHEET",
    "FOCUS_RING",
    "HOVER_LABEL_JS",
    "outside_contacts",
    "person_network_elements",
    "ego_elements",
    "place",
    "preset_layout",
    "legend_entries",
    "map_legend",
]

#: Most people a person map draws; beyond this the map is unreadable (and slow to send).
PERSON_CAP = 150
#: Most people labelled at once: the strongest bridges. Everyone else is named on hover.
LABELLED = 12
#: Maps of at most this many people name everyone (there is room, and nothing to find by hovering).
LABEL_ALL = 20
#: Unit colours (colour-blind safe first, after Okabe & Ito / Tableau): the chosen unit (or
#: the person's own) gets the first, the other units the next in order of people drawn.
UNIT_COLOURS = ("#1f4e79", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#8c564b", "#f0e442", "#7f3c8d")
#: Colour of the units beyond :data:`UNIT_COLOURS` ("other units" in the legend).
OTHER_COLOUR = "#b8bec5"
#: The model box positions are scaled to: about the map's size on a 1280-px-wide screen, so
#: cytoscape fits it at a zoom near 1 and 12-px labels stay at least 10 px on screen.
MAP_WIDTH, MAP_HEIGHT = 820, 540
#: Distance of neighbouring people (model px): at most this, so small maps do not fall apart.
MAX_SPACING = 90.0

PERSON_MAP_STYLESHEET = [
    {"selector": "node", "style": {
        "width": "data(size)", "height": "data(size)", "background-color": "data(colour)",
        "border-width": 1, "border-color": "#ffffff", "label": "", "font-size": 12, "color": "#212529",
        "text-valign": "bottom", "text-margin-y": 3, "text-outline-color": "#ffffff", "text-outline-width": 2,
        "text-wrap": "wrap", "text-max-width": 90, "min-zoomed-font-size": 6}},
    # the best-ranked bridge on top: its name is not hidden under a neighbour's dot
    {"selector": "node.labelled", "style": {"label": "data(label)", "font-weight": "bold", "z-index": "data(z)",
                                            "text-background-color": "#ffffff", "text-background-opacity": 0.7,
                                            "text-background-padding": 1}},
    {"selector": "node.ego", "style": {"border-width": 3, "border-color": "#212529", "font-size": 13}},
    {"selector": "edge", "style": {"width": 0.8, "line-color": "#d5dadf", "curve-style": "haystack", "opacity": 0.7}},
    {"selector": "edge.cross", "style": {"line-color": "#aab2bb"}},
    # the ties that leave the chosen unit (or the person) are what the map is for: dark, on top
    {"selector": "edge.outward", "style": {"width": 1.6, "line-color": "#495057", "opacity": 0.9, "z-index": 2}},
    {"selector": "node:selected", "style": {"label": "data(label)", "border-width": 3, "border-color": "#212529"}},
]  # fmt: skip
#: Added to the stylesheet when the focus people are not told apart by colour (project mode).
FOCUS_RING = {"selector": "node.focus", "style": {"border-width": 3, "border-color": "#212529"}}

#: Clientside callback: the node under the mouse gets its label (cytoscape has no :hover);
#: its rule is marked ``hover`` and replaced by the next one.
HOVER_LABEL_JS = """
function (node, sheet) {
    if (!node || !node.id || !sheet) { return window.dash_clientside.no_update; }
    var kept = sheet.filter(function (rule) { return !rule.hover; });
    return kept.concat([{hover: true, selector: 'node[id = "' + String(node.id).replace(/["\\\\]/g, '') + '"]',
                         style: {label: 'data(label)', 'z-index': 10, 'font-weight': 'bold'}}]);
}
"""


def outside_contacts(net: CollaborationNetwork, people: np.ndarray, withheld: Collection[str] = ()) -> np.ndarray:
    """Returns the people tied to any of ``people`` who are not among them (and not in a ``withheld`` unit).

    Examples
    --------
    >>> from analyser.network import build_network
    >>> from analyser.roster import Roster
    >>> net = build_network(Roster.from_rows([("P1", "ann", "A"), ("P1", "bob", "B"), ("P2", "cid", "C")]))
    >>> outside_contacts(net, np.array([0])).tolist(), outside_contacts(net, np.array([0]), {"B"}).tolist()
    ([1], [])
    """
    people = np.asarray(people, dtype=np.int64)
    reached = np.unique(net.adjacency[people].indices) if people.size else people
    return _visible(net, np.setdiff1d(reached, people), withheld)


def _visible(net: CollaborationNetwork, people: np.ndarray, withheld: Collection[str]) -> np.ndarray:
    """``people`` without those of the ``withheld`` units."""
    hidden = [i for i, unit in enumerate(net.units) if unit in withheld]
    return people[~np.isin(net.person_unit[people], hidden)] if hidden else people


def _node_ids(net: CollaborationNetwork, people: np.ndarray, privacy: str, salt: bytes) -> tuple[list[str], list[str]]:
    """Ids and labels of ``people``'s nodes: ``p<index>`` and the name, or the code twice with pseudonyms.

    An index is a position in the alphabetical list of names, so with pseudonyms it would
    tell the order of the hidden names: the id is the code instead.
    """
    policy = PrivacyPolicy(privacy, salt=salt)
    if policy.shows_names:
        return [f"p{i}" for i in people], [net.people[i] for i in people]
    codes = policy.people([net.people[i] for i in people]).to_list()
    return codes, codes


def _top(count: int, *keys: np.ndarray) -> np.ndarray:
    """Positions of the ``count`` best rows by ``keys`` (each higher first), ties in row order, sorted."""
    n = keys[0].size
    order = np.lexsort((np.arange(n), *(-k for k in reversed(keys))))
    return np.sort(order[:count])


def _capped(net: CollaborationNetwork, people: np.ndarray, focus: np.ndarray, cap: int) -> np.ndarray:
    """At most ``cap`` of ``people`` (in their order): the focus people and the others, each ranked.

    Without focus people: most ties inside the selection. With them, the others (outside
    contacts) keep at least a third of the places when there are that many, the focus people
    with most ties to the others first (they carry the outside ties), and the others with most
    ties to the focus people kept.
    """
    sub = net.adjacency[people][:, people]
    degree = np.asarray(sub.sum(axis=1)).ravel()
    is_focus = np.isin(people, focus)
    if len(people) <= cap:
        return np.arange(len(people))
    if not is_focus.any() or is_focus.all():
        return _top(cap, degree)
    inner, outer = np.flatnonzero(is_focus), np.flatnonzero(~is_focus)
    outer_places = min(outer.size, max(cap - inner.size, cap // 3))
    to_outer = np.asarray(sub[inner][:, outer].sum(axis=1)).ravel()
    kept_inner = inner[_top(cap - outer_places, to_outer, degree[inner])]
    to_inner = np.asarray(sub[outer][:, kept_inner].sum(axis=1)).ravel()
    kept_outer = outer[_top(outer_places, to_inner, degree[outer])]
    return np.sort(np.concatenate([kept_inner, kept_outer]))


def unit_colours(counts: Counter, first: str | None = None) -> dict[str, str]:
    """Colour of each unit: ``first`` gets the first colour, the others in order of people
    drawn (then name); units beyond the palette share :data:`OTHER_COLOUR`.

    >>> unit_colours(Counter({"B": 3, "A": 1, "C": 3}), first="A")
    {'A': '#1f4e79', 'B': '#e69f00', 'C': '#009e73'}
    """
    order = sorted(counts, key=lambda u: (u != first, -counts[u], u))
    return {u: UNIT_COLOURS[i] if i < len(UNIT_COLOURS) else OTHER_COLOUR for i, u in enumerate(order)}


def _edge_class(unit_a: str, unit_b: str, focus_unit: str | None) -> str:
    """``cross`` for a tie between two units, ``cross outward`` when one end is in ``focus_unit``.

    >>> _edge_class("A", "A", None), _edge_class("A", "B", None), _edge_class("A", "B", "B")
    ('', 'cross', 'cross outward')
    """
    if unit_a == unit_b:
        return ""
    return "cross outward" if focus_unit in (unit_a, unit_b) else "cross"


def _sizes(cross: np.ndarray, base: float) -> list[float]:
    """Node diameters: ``base`` without cross-unit ties, up to 32 px for the most on the map (square root).

    >>> _sizes(np.array([0, 1, 4, 16]), 12.0)
    [12.0, 17.0, 22.0, 32.0]
    """
    top = max(1, int(cross.max(initial=0)))
    return [round(base + (32.0 - base) * math.sqrt(c / top), 1) for c in cross]


def person_network_elements(
    net: CollaborationNetwork,
    people: np.ndarray,
    *,
    focus: np.ndarray | None = None,
    focus_unit: str | None = None,
    privacy: str = "names",
    salt: bytes = b"",
    cap: int = PERSON_CAP,
    withheld: Collection[str] = (),
) -> tuple[list[dict], int, int]:
    """Return cytoscape elements of ``people`` (indices into ``net.people``) and their ties.

    People of ``withheld`` units (:func:`dashboard.selection.network_withheld_units`) are left
    out first, and not counted. ``focus`` people (a unit's members, a project's members) are
    marked with the class ``focus``, the others ``contact``; ``focus_unit`` gets the first
    colour. When more than ``cap`` people remain, :func:`_capped` chooses whom to draw.

    People are coloured by unit (:func:`unit_colours`). A tie between two units has the class
    ``cross``; people with such ties are drawn larger (class ``bridge``, size by their cross
    ties) and the :data:`LABELLED` with most of them carry the class ``labelled`` (their name
    is shown; everyone else's on hover); on a map of at most :data:`LABEL_ALL` people everyone
    does. People are labelled by name, or in ``pseudonyms`` mode by code
    (:meth:`analyser.privacy.PrivacyPolicy.person`), which is then also the node id, and nodes
    and edges are sorted by it: neither ids nor order follow the names' alphabetical order.
    ``aggregate`` mode draws nobody. Node data ``person`` is what opens the person's page (the
    name, or the code). Positions come from :func:`place`.

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
    focus = np.zeros(0, dtype=np.int64) if focus is None else np.asarray(focus, dtype=np.int64)
    keep = _capped(net, people, focus, cap)
    people, node_ids, labels = people[keep], [node_ids[i] for i in keep], [labels[i] for i in keep]
    sub = net.weights[people][:, people].tocoo()
    units = net.person_unit[people]
    upper = sub.row < sub.col
    weight = dict(zip(zip(sub.row[upper].tolist(), sub.col[upper].tolist()), sub.data[upper].tolist()))
    pairs = sorted(weight)
    cross = np.zeros(len(people), dtype=np.int64)
    for a, b in pairs:
        if units[a] != units[b]:
            cross[a] += 1
            cross[b] += 1
    degree = np.bincount(sub.row, minlength=len(people)).astype(np.int64)
    # label candidates in order of cross-unit ties: place() drops those whose label would overlap a better one
    order = np.lexsort((np.arange(len(people)), -degree, -cross))
    ranked = order if len(people) <= LABEL_ALL else order[cross[order] > 0][: LABELLED]
    rank = {int(i): r for r, i in enumerate(ranked)}
    colours = unit_colours(Counter(net.units[u] for u in units), focus_unit)
    is_focus = np.isin(people, focus)
    sizes = _sizes(cross, 12.0)
    nodes = [
        {"data": {"id": node, "label": label, "person": label, "unit": net.units[u], "colour": colours[net.units[u]],
                  "size": size, "cross": int(c), **({"rank": rank[i], "z": 100 - rank[i]} if i in rank else {})},
         "classes": " ".join(filter(None, ["focus" if f else ("contact" if focus.size else ""),
                                           "bridge" if c else "", "labelled" if i in rank else ""]))}
        for i, (node, label, u, size, c, f) in enumerate(zip(node_ids, labels, units, sizes, cross, is_focus))
    ]  # fmt: skip
    separator = "|" if privacy == "pseudonyms" else "-"  # codes hold a "-" themselves
    edges = [
        {"data": {"id": f"{node_ids[a]}{separator}{node_ids[b]}", "source": node_ids[a], "target": node_ids[b],
                  "weight": round(weight[a, b], 3)},
         "classes": _edge_class(net.units[units[a]], net.units[units[b]], focus_unit)}
        for a, b in pairs
    ]
    return nodes + edges, len(people), chosen


def ego_elements(detail: PersonDetail, *, cap: int = PERSON_CAP) -> list[dict]:
    """Return cytoscape elements of one person (class ``ego``) and their collaborators, coloured by unit.

    The person's own unit gets the first colour; collaborators beyond ``cap`` (those with
    fewest shared projects) are left out. The person and the :data:`LABELLED` collaborators
    with most shared projects, other units first, are labelled. Node ids are ``n0``,
    ``n1``, ... in the order of ``detail.collaborators`` (which never follows hidden names);
    node data ``person`` is the name or code that opens their page.

    Examples
    --------
    >>> import polars as pl
    >>> d = PersonDetail("ann", "A", pl.DataFrame(), pl.DataFrame({"person": ["bob", "cid"], "unit": ["A", "B"],
    ...     "shared_projects": [2, 1]}), pl.DataFrame(), pl.DataFrame(), pl.DataFrame(),
    ...     pl.DataFrame({"person_a": ["bob"], "person_b": ["cid"]}))
    >>> [(e["data"]["id"], e["data"].get("person"), e["classes"]) for e in ego_elements(d)]  # doctest: +NORMALIZE_WHITESPACE
    [('n0', 'ann', 'ego labelled'), ('n1', 'bob', 'labelled'), ('n2', 'cid', 'bridge labelled'),
     ('n0-n1', None, ''), ('n0-n2', None, 'cross outward'), ('n1-n2', None, 'cross')]
    """
    collaborators = top_collaborators(detail.collaborators, cap)
    people = [detail.person, *collaborators["person"].to_list()] if collaborators.height else [detail.person]
    units = [detail.unit, *collaborators["unit"].to_list()] if collaborators.height else [detail.unit]
    shared = [0, *collaborators["shared_projects"].to_list()] if collaborators.height else [0]
    index = {p: i for i, p in enumerate(people)}
    among = [tuple(sorted((index[a], index[b]))) for a, b in detail.ties.iter_rows() if a in index and b in index]
    pairs = [(0, i) for i in range(1, len(people))] + sorted(among)
    cross = np.zeros(len(people), dtype=np.int64)
    for a, b in pairs:
        if units[a] != units[b]:
            cross[a] += 1
            cross[b] += 1
    ranked = [0, *sorted(range(1, len(people)), key=lambda i: (units[i] == detail.unit, -shared[i], i))[:LABELLED]]
    rank = {i: r for r, i in enumerate(ranked)}
    colours = unit_colours(Counter(units), detail.unit)
    sizes = _sizes(np.where(np.arange(len(people)) == 0, 0, cross), 14.0)
    sizes[0] = 34.0
    nodes = [
        {"data": {"id": f"n{i}", "label": p, "person": p, "unit": u, "colour": colours[u], "size": sizes[i],
                  "cross": int(cross[i]), **({"rank": rank[i], "z": 100 - rank[i]} if i in rank else {})},
         "classes": " ".join(filter(None, ["ego" if i == 0 else "", "bridge" if i and units[i] != detail.unit else "",
                                           "labelled" if i in rank else ""]))}
        for i, (p, u) in enumerate(zip(people, units))
    ]  # fmt: skip
    edges = [{"data": {"id": f"n{a}-n{b}", "source": f"n{a}", "target": f"n{b}", "weight": 1.0},
              "classes": _edge_class(units[a], units[b], detail.unit if a == 0 else None)} for a, b in pairs]  # fmt: skip
    return nodes + edges


def _component_positions(graph: nx.Graph, seed: int) -> dict:
    """Spring layout of one connected component in unit spacing (neighbours about 1 apart).

    Ties pull by their ``weight`` (Newman's 1/(n−1) per shared project), so the members of a
    big project do not collapse into one blot while a pair on a small project stays close.
    """
    n = graph.number_of_nodes()
    if n == 1:
        return {next(iter(graph)): np.zeros(2)}
    if n == 2:
        a, b = sorted(graph)
        return {a: np.array([0.0, -0.6]), b: np.array([0.0, 0.6])}  # one above the other: labels side by side overlap
    pos = nx.spring_layout(graph, seed=seed, iterations=100, k=1.6 / math.sqrt(n), weight="weight")
    nodes = list(graph)
    xy = np.array([pos[v] for v in nodes]) * math.sqrt(n) * 0.75  # about one unit of area per person
    return dict(zip(nodes, _lengthwise(_spread(xy))))


def _lengthwise(xy: np.ndarray, aspect: float = MAP_WIDTH / MAP_HEIGHT) -> np.ndarray:
    """Turn points (in 5° steps) so that they can be drawn largest in a box ``aspect`` times wider than tall."""
    centred = xy - xy.mean(axis=0)
    best, best_fit = centred, -1.0
    for angle in np.radians(np.arange(0, 180, 5)):
        turn = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])
        turned = centred @ turn
        span = np.maximum(turned.max(axis=0) - turned.min(axis=0), 1e-9)
        fit = min(aspect / span[0], 1.0 / span[1])
        if fit > best_fit + 1e-9:
            best, best_fit = turned, fit
    return best


def _spread(xy: np.ndarray, gap: float = 0.9, rounds: int = 60) -> np.ndarray:
    """Push apart points closer than ``gap`` (rounds of pairwise pushes), so no dot hides another.

    >>> _spread(np.array([[0.0, 0.0], [0.1, 0.0]])).round(2).tolist()
    [[-0.4, 0.0], [0.5, 0.0]]
    """
    xy = xy.copy()
    rng = np.random.default_rng(0)
    for _ in range(rounds):
        pairs = cKDTree(xy).query_pairs(gap, output_type="ndarray")
        if not len(pairs):
            break
        a, b = pairs[:, 0], pairs[:, 1]
        delta = xy[a] - xy[b]
        distance = np.sqrt((delta**2).sum(axis=1))
        same = distance < 1e-9  # points on top of each other: a small seeded nudge
        delta[same] = rng.normal(scale=1e-3, size=(int(same.sum()), 2))
        distance = np.maximum(distance, 1e-9)
        push = ((gap - distance) / 2 / distance)[:, None] * delta
        np.add.at(xy, a, push)
        np.add.at(xy, b, -push)
    return xy


def _declutter(nodes: list[dict]) -> None:
    """Drop the ``labelled`` class from nodes whose name would overlap the name of a better-ranked one.

    A name takes about a 90 × 30 px box under its node (two lines at most); candidates are
    taken in ``rank`` order.
    """
    kept: list[tuple[float, float]] = []
    for node in sorted((n for n in nodes if "rank" in n["data"]), key=lambda n: n["data"]["rank"]):
        x, y = node["position"]["x"], node["position"]["y"]
        if any(abs(x - kx) < 92 and abs(y - ky) < 30 for kx, ky in kept):
            node["classes"] = " ".join(c for c in node["classes"].split() if c != "labelled")
        else:
            kept.append((x, y))


def _packed(boxes: list, row_width: float) -> dict[str, np.ndarray]:
    """Component boxes placed left to right in rows no wider than ``row_width``."""
    placed: dict[str, np.ndarray] = {}
    x = y = row_height = 0.0
    for members, xy, size in boxes:
        if x > 0 and x + size[0] > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        for v, p in zip(members, xy):
            placed[v] = p + np.array([x, y])
        x, row_height = x + size[0], max(row_height, size[1])
    return placed


def _fit(placed: dict[str, np.ndarray], width: float, height: float) -> float:
    """How large a packing can be drawn in ``width`` × ``height`` (px per unit), then the smaller row count."""
    xy = np.array(list(placed.values()))
    span = np.maximum(xy.max(axis=0) - xy.min(axis=0), 1.0)
    return float(min(width / span[0], height / span[1]))


def place(elements: list[dict], *, width: float = MAP_WIDTH, height: float = MAP_HEIGHT, seed: int = 0) -> list[dict]:
    """Return ``elements`` with a ``position`` for every node: a seeded spring layout, scaled to ``width`` × ``height``.

    Each connected component is laid out on its own (networkx ``spring_layout``, ties
    weighted by their ``weight``), dots closer than a minimum distance are pushed apart, the
    components are packed in rows, largest first, and people without ties in the map sit in
    a grid after them. The result is scaled to fill the box, but neighbours are never more
    than :data:`MAX_SPACING` apart. Labels that would overlap a better-ranked one are dropped
    (the name still shows on hover). Deterministic: the same elements give the same map.

    Examples
    --------
    >>> els = [{"data": {"id": "a"}}, {"data": {"id": "b"}}, {"data": {"id": "c"}},
    ...        {"data": {"id": "a-b", "source": "a", "target": "b"}}]
    >>> placed = place(els)
    >>> [sorted(e["position"]) for e in placed if "position" in e]
    [['x', 'y'], ['x', 'y'], ['x', 'y']]
    >>> placed == place(els)
    True
    """
    nodes = [e for e in elements if "source" not in e["data"]]
    if not nodes:
        return elements
    graph = nx.Graph()
    graph.add_nodes_from(e["data"]["id"] for e in nodes)
    graph.add_weighted_edges_from((e["data"]["source"], e["data"]["target"], float(e["data"].get("weight", 1.0)))
                                  for e in elements if "source" in e["data"])  # fmt: skip
    components = sorted((sorted(c) for c in nx.connected_components(graph)), key=lambda c: (-len(c), c[0]))
    which = {v: i for i, members in enumerate(components) for v in members}
    ties: list[list] = [[] for _ in components]
    for a, b, w in graph.edges(data="weight"):
        ties[which[a]].append((a, b, w) if a < b else (b, a, w))
    boxes = []
    for members, own in zip(components, ties):
        # a fresh graph in sorted node order: a subgraph view iterates a set, in hash order, and
        # the layout's random start follows node order (the map would change between restarts)
        component = nx.Graph()
        component.add_nodes_from(members)
        component.add_weighted_edges_from(sorted(own))
        pos = _component_positions(component, seed)
        xy = np.array([pos[v] for v in members])
        low, high = xy.min(axis=0), xy.max(axis=0)
        boxes.append((members, xy - low + 0.6, np.maximum(high - low, 0.0) + 1.6))  # room for the labels around it
    # the row width that lets the packed map be drawn largest in the box
    widest, total = max(size[0] for _, _, size in boxes), sum(size[0] for _, _, size in boxes)
    packings = [_packed(boxes, row) for row in np.linspace(widest, max(widest, total), 24)]
    placed = max(packings, key=lambda p: _fit(p, width, height))
    xy = np.array(list(placed.values()))
    span = np.maximum(xy.max(axis=0) - xy.min(axis=0), 1e-9)
    scale = min(width / span[0], height / span[1], MAX_SPACING)
    centre = (xy.max(axis=0) + xy.min(axis=0)) / 2
    out = []
    for e in elements:
        if "source" in e["data"]:
            out.append(e)
            continue
        px, py = (placed[e["data"]["id"]] - centre) * scale
        out.append({**e, "position": {"x": round(float(px), 1), "y": round(float(py), 1)}})
    _declutter([e for e in out if "position" in e])
    return out


def preset_layout(elements: list[dict]) -> dict:
    """Cytoscape layout of placed elements: ``preset``, fitted, changing whenever the elements do.

    The map runs with ``autoRefreshLayout=False``; a changed ``layout`` prop is what makes
    cytoscape apply new positions and fit the view, so a checksum of the node ids and
    positions (``elements_key``) is part of it.

    Examples
    --------
    >>> a = preset_layout([{"data": {"id": "A"}, "position": {"x": 0, "y": 0}}])
    >>> a["name"], a == preset_layout([{"data": {"id": "B"}, "position": {"x": 0, "y": 0}}])
    ('preset', False)
    """
    key = zlib.crc32("\x1f".join(f"{e['data'].get('id')}@{e.get('position')}" for e in elements).encode("utf-8"))
    return {"name": "preset", "fit": True, "padding": 30, "animate": False, "elements_key": key}


def legend_entries(elements: list[dict]) -> list[tuple[str, str, int]]:
    """Return ``(unit, colour, people)`` of the drawn units, in colour order; units in
    :data:`OTHER_COLOUR` are one entry with an empty unit.

    Examples
    --------
    >>> legend_entries([{"data": {"id": "a", "unit": "B", "colour": "#e69f00"}},
    ...                 {"data": {"id": "b", "unit": "A", "colour": "#1f4e79"}}])
    [('A', '#1f4e79', 1), ('B', '#e69f00', 1)]
    """
    counts: Counter = Counter()
    colour_of: dict[str, str] = {}
    for e in elements:
        data = e["data"]
        if "source" in data:
            continue
        unit = "" if data["colour"] == OTHER_COLOUR else data["unit"]
        counts[unit] += 1
        colour_of[unit] = data["colour"]
    rank = {c: i for i, c in enumerate((*UNIT_COLOURS, OTHER_COLOUR))}
    return sorted(((u, colour_of[u], n) for u, n in counts.items()), key=lambda e: (rank[e[1]], e[0]))


def _swatch(colour: str, text: str, *, ring: bool = False) -> html.Li:
    border = "2px solid #212529" if ring else "1px solid #ffffff"
    return html.Li([
        html.Span(className="me-2", style={"display": "inline-block", "width": "12px", "height": "12px",
                                           "borderRadius": "50%", "background": colour, "border": border,
                                           "verticalAlign": "middle", "flexShrink": 0}),
        html.Span(text),
    ], className="d-flex align-items-center mb-1")  # fmt: skip


def map_legend(elements: list[dict], lang: str, *, focus_unit: str | None = None, ring: bool = False,
               outward_key: str | None = None, legend_id: str | None = None) -> html.Div | None:  # fmt: skip
    """A small HTML legend of a person map: unit colours with people drawn, and what size, lines and labels mean.

    ``focus_unit`` is called "this unit", the others are "outside contacts"; ``ring`` says that
    ringed people are the project's members; ``outward_key`` explains the dark lines (class
    ``outward``). Nothing for an empty map.
    """
    entries = legend_entries(elements)
    if not entries:
        return None
    items = []
    for unit, colour, n in entries:
        if not unit:
            text = plural("network_legend_other", n, lang)
        elif unit == focus_unit:
            text = plural("network_legend_this_unit", n, lang, unit=unit)
        else:
            text = plural("network_legend_unit", n, lang, unit=unit)
        items.append(_swatch(colour, text))
    parts: list = [html.Div(t("network_legend_colour", lang), className="fw-semibold small mb-1")]
    if focus_unit is not None and len(entries) > 1:
        items.insert(1, html.Li(t("network_legend_outside", lang), className="small text-muted mt-2 mb-1"))
    parts.append(html.Ul(items, className="list-unstyled small mb-2"))
    if ring:
        parts.append(html.Ul([_swatch("#ffffff", t("network_legend_ring", lang), ring=True)], className="list-unstyled small mb-2"))
    if outward_key and any("outward" in e.get("classes", "") for e in elements):
        parts.append(html.P(t(outward_key, lang), className="small text-muted mb-1"))
    parts.append(html.P(t("network_legend_size", lang), className="small text-muted mb-1"))
    parts.append(html.P(t("network_legend_hover", lang), className="small text-muted mb-0"))
    return html.Div(parts, id=legend_id, className="border rounded p-2 bg-light")

