"""Pure builders: analysis tables in, plotly figures and cytoscape elements out."""

from __future__ import annotations

import html
import math
import zlib

import plotly.graph_objects as go
import polars as pl

import numpy as np

from analyser import unit_order
from analyser.report import figures as report_figures
from analyser.report.common import verdicts
from analyser.report.figures import WITHHELD_COLOUR, empty_figure
from analyser.i18n import number, plural, t

__all__ = [
    "UNIT_MAP_STYLESHEET",
    "EI_SCALE",
    "ei_colour",
    "map_layout",
    "unit_positions",
    "backbone",
    "unit_network_elements",
    "unit_map_layout",
    "unit_map_legend",
    "unit_info",
    "unit_heatmap",
    "ei_chart",
    "ei_units",
    "bridges_bar",
    "org_ei_trend",
    "summary_trend",
    "unit_ei_trend",
]

#: Colours of the E-I index from −1 to +1 in steps of 0.2: red (keeps its ties inside) through
#: pale yellow (0) to blue (open), after ColorBrewer's RdYlBu with this project's red and blue
#: at the ends. No step is grey, so grey can mean one thing only: withheld.
EI_SCALE = ("#c0392b", "#d73027", "#f46d43", "#fdae61", "#fee090", "#ffffbf",
            "#d4eef8", "#abd9e9", "#74add1", "#4575b4", "#1f4e79")  # fmt: skip
NO_EI_COLOUR = "#ffffff"  # a unit with no ties has no E-I: white, with an outline
#: Most unit names written on the unit map; the others are on hover and tap.
MAP_LABELS = 25
#: Box (model pixels) the unit map is laid out in: about the map's size on a laptop screen,
#: so cytoscape's fit draws it at a zoom near 1 and 12 px labels stay 10 px or more.
MAP_BOX = (560.0, 370.0)
MAP_HEIGHT = 420  # px of the map's container: fixed, whatever the number of units
MAP_FONT = 12  # px of the map's labels at zoom 1
#: Links a unit keeps on a crowded map (more than 2.5 links per unit): its strongest ones.
MAP_LINKS_PER_UNIT = 3
UNIT_PALETTE = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
    "#bcbd22", "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd",
)  # fmt: skip

UNIT_MAP_STYLESHEET = [
    {"selector": "node", "style": {
        "label": "data(label)", "width": "data(size)", "height": "data(size)",
        "background-color": "data(colour)", "font-size": MAP_FONT, "color": "#1d2733", "text-wrap": "wrap",
        "text-max-width": 140, "text-valign": "data(valign)", "text-halign": "data(halign)",
        "text-background-color": "#ffffff", "text-background-opacity": 0.8, "text-background-padding": 1,
        "text-background-shape": "roundrectangle",
        "min-zoomed-font-size": 0, "border-width": 1, "border-color": "#555"}},
    {"selector": "edge", "style": {"width": "data(width)", "line-color": "#8a96a3", "opacity": 0.45,
                                   "curve-style": "haystack"}},
    # named units and their labels are drawn over the others, each name placed later over those
    # placed before it (it was placed knowing where they are), so no unit hides a name
    {"selector": 'node[label != ""]', "style": {"z-index": "data(z)"}},
    # the colour is the E-I; the verdict decides what reads as a finding: a significant silo gets
    # a heavy dark-red ring, a unit with too little data for a verdict is faded
    {"selector": 'node[verdict = "silo"]', "style": {"border-width": 4, "border-color": "#7b1c12"}},
    # faded fill, but a label that still reads (black text through a slight overall fade)
    {"selector": 'node[verdict = "too_little_data"]', "style": {"opacity": 0.9, "background-opacity": 0.45,
                                                                "border-opacity": 0.5, "color": "#000000"}},
    # grey means withheld and nothing else: grey fill, dashed outline (the E-I scale has no grey)
    {"selector": 'node[state = "withheld"]', "style": {
        "background-color": WITHHELD_COLOUR, "border-style": "dashed", "border-width": 2, "border-color": "#5b6673",
        "opacity": 1}},
    {"selector": 'node[state = "no_ties"]', "style": {"border-color": "#5b6673", "border-width": 1.5}},
    {"selector": "node:active, node:selected", "style": {"overlay-opacity": 0.15, "border-width": 3,
                                                         "border-color": "#1d2733"}},
]  # fmt: skip


def ei_colour(ei: float | None) -> str:
    """Return the colour of an E-I index on :data:`EI_SCALE`: red at −1 (closed), pale yellow
    at 0, blue at +1 (open), mixed linearly between its steps.

    A missing value (no ties, or withheld) is white: withheld units are drawn grey by the
    map's stylesheet, and grey is on no E-I colour.

    Examples
    --------
    >>> ei_colour(-1.0), ei_colour(0.0), ei_colour(1.0), ei_colour(None)
    ('#c0392b', '#ffffbf', '#1f4e79', '#ffffff')
    """
    if ei is None or not math.isfinite(ei):
        return NO_EI_COLOUR
    x = (max(-1.0, min(1.0, float(ei))) + 1.0) / 2.0 * (len(EI_SCALE) - 1)
    i = min(int(x), len(EI_SCALE) - 2)
    a, b = (tuple(int(c[k : k + 2], 16) for k in (1, 3, 5)) for c in EI_SCALE[i : i + 2])
    return "#{:02x}{:02x}{:02x}".format(*(round(p + (q - p) * (x - i)) for p, q in zip(a, b)))


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


def unit_positions(
    n: int, pairs: list[tuple[int, int, float]], *, seed: int = 0, iterations: int = 200,
    box: tuple[float, float] = MAP_BOX, sizes: list[float] | None = None,
) -> np.ndarray:
    """Return (x, y) of ``n`` units by a force-directed layout of their ties, inside ``box``.

    Fruchterman–Reingold (1991): every pair of units pushes apart, and every pair with
    ties pulls together with a weight of log(1 + ties) (so a link of 400 ties does not
    crush the rest), plus a weak pull to the middle that keeps small groups in view.
    The start is seeded, so the same tables give the same map. The longest direction of
    the result is turned horizontal and scaled to fill ``box``. Units without any link
    are not part of it: they line up in rows along the bottom, in the given order, so
    they neither push the rest into a corner nor hide among it.

    Computed here rather than by cytoscape's own ``cose`` in the browser: it is
    deterministic, cached with the analysis, and fast. Measured on a loaded 2-core machine
    (issue 10): 0.1 s here against 1.1 s for ``cose`` in headless Chromium at 70 units,
    1.5 s against 27 s at 500 units (networkx's ``spring_layout`` took 15 s at 500, as it
    switches to its sparse solver there, and ``kamada_kawai_layout`` over a minute).

    Parameters
    ----------
    n
        Number of units.
    pairs
        ``(i, j, ties)`` per linked pair of units (indices into ``range(n)``).
    sizes
        Node sizes (px), to space the rows of units without links; about the largest
        node of a map of ``n`` units when not given.

    Examples
    --------
    A chain with one weak link in the middle, and a unit with no ties:

    >>> pos = unit_positions(5, [(0, 1, 50.0), (1, 2, 1.0), (2, 3, 50.0)])
    >>> pos.shape, bool(((pos >= 0) & (pos <= [560, 370])).all())
    ((5, 2), True)
    >>> d = lambda a, b: float(np.hypot(*(pos[a] - pos[b])))
    >>> d(0, 1) < d(1, 2) > d(2, 3), bool(pos[4, 1] > pos[:4, 1].max())
    (True, True)
    """
    linked = sorted({i for a, b, _ in pairs for i in (a, b)})
    alone = sorted(set(range(n)) - set(linked))
    out = np.zeros((n, 2))
    strip = 0.0
    if alone:
        cell = (max(sizes[i] for i in alone) if sizes is not None else min(40.0, _size_range(n, box)[1])) + 8.0
        per_row = max(1, int(box[0] // cell))
        strip = math.ceil(len(alone) / per_row) * cell if linked else box[1]
        for k, i in enumerate(alone):
            out[i] = ((k % per_row + 0.5) * cell, box[1] - strip + (k // per_row + 0.5) * cell)
    if linked:
        height = max(box[1] - strip - 12.0, 60.0)
        for members, (x, y, w, h) in _regions(_components(linked, pairs), (box[0], height)):
            number_of = {unit: k for k, unit in enumerate(members)}
            inner = [(number_of[a], number_of[b], t) for a, b, t in pairs if a in number_of]
            placed = _force_layout(len(members), inner, seed, iterations, (w, h))
            if sizes is not None:
                placed = _separate(placed, np.array([sizes[i] / 2 for i in members]), (w, h))
            out[members] = placed + [x, y]
    return out


def _separate(pos: np.ndarray, radius: np.ndarray, box: tuple[float, float], rounds: int = 80) -> np.ndarray:
    """Push overlapping circles apart (each pair by half its overlap, 3 px gap), staying in ``box``.

    The force layout knows nothing of node sizes, so big units of one tight group would cover
    each other and their labels. Where the box is too small for all, some overlap stays.
    """
    n = len(pos)
    if n < 2:
        return pos.astype(float)
    # a tiny fixed nudge: units on the same spot get a direction that does not depend on chance
    angle = np.arange(n) * 2.399963
    pos = pos.astype(float) + 1e-3 * np.stack([np.cos(angle), np.sin(angle)], axis=1)
    need = radius[:, None] + radius[None, :] + 3.0
    low, high = radius[:, None], np.maximum(np.array(box)[None, :] - radius[:, None], radius[:, None])
    for _ in range(rounds):
        square = (pos**2).sum(axis=1)
        dist = np.sqrt(np.maximum(square[:, None] + square[None, :] - 2.0 * pos @ pos.T, 1e-12))
        overlap = np.clip(need - dist, 0.0, None)
        np.fill_diagonal(overlap, 0.0)
        if overlap.max() < 0.5:
            break
        # each unit moves by half of every overlap, away from the other: sum_j o_ij (p_i - p_j) / d_ij / 2
        weight = overlap / dist
        pos += (pos * weight.sum(axis=1)[:, None] - weight @ pos) / 2
        pos = np.minimum(np.maximum(pos, low), high)
    return pos
    # a fixed direction for units on the same spot, so the result does not depend on chance
    angle = np.arange(n) * 2.399963
    spread = np.stack([np.cos(angle), np.sin(angle)], axis=1)
    low, high = radius[:, None], np.array(box)[None, :] - radius[:, None]
    for _ in range(rounds):
        delta = pos[:, None, :] - pos[None, :, :]
        dist = np.sqrt((delta**2).sum(axis=2))
        overlap = np.clip(radius[:, None] + radius[None, :] + 3.0 - dist, 0.0, None)
        np.fill_diagonal(overlap, 0.0)
        if overlap.max() < 0.5:
            break
        same = dist < 1e-6
        direction = np.where(same[:, :, None], spread[:, None, :] - spread[None, :, :], delta / np.maximum(dist, 1e-6)[:, :, None])
        pos += (overlap[:, :, None] * direction).sum(axis=1) / 2
        pos = np.minimum(np.maximum(pos, low), np.maximum(high, low))
    return pos


def _components(units: list[int], pairs: list[tuple[int, int, float]]) -> list[list[int]]:
    """The connected groups of ``units`` (by ``pairs``), largest first, then by first unit."""
    parent = {u: u for u in units}

    def root(u: int) -> int:
        while parent[u] != u:
            parent[u] = parent[parent[u]]
            u = parent[u]
        return u

    for a, b, _ in pairs:
        parent[root(a)] = root(b)
    groups: dict[int, list[int]] = {}
    for u in units:
        groups.setdefault(root(u), []).append(u)
    return sorted(groups.values(), key=lambda g: (-len(g), g[0]))


def _regions(groups: list[list[int]], box: tuple[float, float]) -> list[tuple[list[int], tuple[float, float, float, float]]]:
    """Where each connected group is drawn (x, y, width, height): the largest on the left, with a
    share of the width that follows its share of the units (at least 55 %), the others in a grid
    on the right; a lone group fills the box."""
    if len(groups) == 1:
        return [(groups[0], (0.0, 0.0, *box))]
    total = sum(len(g) for g in groups)
    width = box[0] * min(max(len(groups[0]) / total, 0.55), 0.8)
    rest = groups[1:]
    side_w, side_h = box[0] - width, box[1]
    columns = max(1, math.ceil(math.sqrt(len(rest) * side_w / side_h)))
    rows = math.ceil(len(rest) / columns)
    cell_w, cell_h = side_w / columns, side_h / rows
    pad = min(cell_w, cell_h) * 0.18
    placed = [(groups[0], (0.0, 0.0, width - 16.0, box[1]))]
    for k, group in enumerate(rest):
        x, y = width + (k % columns) * cell_w, (k // columns) * cell_h
        placed.append((group, (x + pad, y + pad, cell_w - 2 * pad, cell_h - 2 * pad)))
    return placed


def _force_layout(
    n: int, pairs: list[tuple[int, int, float]], seed: int, iterations: int, box: tuple[float, float]
) -> np.ndarray:
    """Fruchterman–Reingold positions of ``n`` linked units, turned and scaled into ``box``."""
    if n == 1:
        return np.array([[box[0] / 2, box[1] / 2]])
    pos = np.random.default_rng(seed).random((n, 2))
    pull = np.zeros((n, n))
    if pairs:
        i, j, ties = (np.array(c) for c in zip(*pairs))
        weight = np.log1p(ties.astype(float))
        pull[i, j] = pull[j, i] = weight / max(weight.max(), 1e-9)
    k = 1.0 / math.sqrt(n)
    step, cooling = 0.1, 0.1 / (iterations + 1)
    for _ in range(iterations):
        square = (pos**2).sum(axis=1)
        d2 = np.maximum(square[:, None] + square[None, :] - 2.0 * pos @ pos.T, 1e-6)
        # force on i along (pos_i - pos_j) per unit of distance: repulsion k²/d², attraction -w·d/k
        force = k * k / d2 - pull * np.sqrt(d2) / k
        np.fill_diagonal(force, 0.0)
        move = pos * force.sum(axis=1)[:, None] - force @ pos - 0.5 * k * (pos - pos.mean(axis=0))
        length = np.maximum(np.sqrt((move**2).sum(axis=1)), 1e-9)
        pos += move * (np.minimum(length, step) / length)[:, None]
        step -= cooling
    centred = pos - pos.mean(axis=0)
    turned = centred @ np.linalg.svd(centred, full_matrices=False)[2].T
    span = np.maximum(turned.max(axis=0) - turned.min(axis=0), 1e-9)
    fit = min(box[0] / span[0], box[1] / span[1])
    # fill the box a little better than a uniform scale would, without distorting much
    scale = np.minimum(np.array(box) / span, 1.35 * fit)
    placed = (turned - turned.min(axis=0)) * scale
    return placed + (np.array(box) - span * scale) / 2


def _size_range(n: int, box: tuple[float, float] = MAP_BOX) -> tuple[float, float]:
    """Smallest and largest node (px): 24–80 for a few units, smaller as the box fills up."""
    largest = min(80.0, max(18.0, 0.75 * math.sqrt(box[0] * box[1] / max(n, 1))))
    return max(8.0, 0.3 * largest), largest


def backbone(
    pairs: list[tuple[int, int, float]], n: int, per_unit: int = MAP_LINKS_PER_UNIT, crowded: float = 2.5
) -> list[tuple[int, int, float]]:
    """Return the links a crowded map draws: every link when there are at most ``crowded`` per
    unit, else each unit's ``per_unit`` strongest (a link stays when it is among the strongest of
    either of its units), in the given order.

    Examples
    --------
    >>> star = [(0, 1, 9), (0, 2, 8), (0, 3, 7), (1, 2, 1), (1, 3, 2), (2, 3, 3)]
    >>> backbone(star, 4, per_unit=1, crowded=1)
    [(0, 1, 9), (0, 2, 8), (0, 3, 7)]
    >>> len(backbone(star, 4))
    6
    """
    if len(pairs) <= crowded * n:
        return pairs
    links: list[list[int]] = [[] for _ in range(n)]
    for k, (a, b, _) in enumerate(pairs):
        links[a].append(k)
        links[b].append(k)
    keep = {k for mine in links for k in sorted(mine, key=lambda k: (-pairs[k][2], k))[:per_unit]}
    return [pair for k, pair in enumerate(pairs) if k in keep]


#: Where a label may go, tried in this order: (text-valign, text-halign) of cytoscape.
LABEL_PLACES = (("bottom", "center"), ("top", "center"), ("center", "right"), ("center", "left"))


def _label_box(x: float, y: float, size: float, label: str, place: tuple[str, str]) -> tuple[float, float, float, float]:
    """Where a node's label is drawn (model px) at ``place`` (:data:`LABEL_PLACES`), wrapped at 140 px."""
    width = 0.6 * MAP_FONT * len(label)
    height = 1.25 * MAP_FONT * math.ceil(width / 140.0)
    width = min(width, 140.0)
    gap = size / 2 + 3
    if place[0] == "bottom":
        return x - width / 2, y + gap, x + width / 2, y + gap + height
    if place[0] == "top":
        return x - width / 2, y - gap - height, x + width / 2, y - gap
    if place[1] == "right":
        return x + gap, y - height / 2, x + gap + width, y + height / 2
    return x - gap - width, y - height / 2, x - gap, y + height / 2


def _inside(box: tuple[float, float, float, float], margin: float = 24.0) -> bool:
    """Whether a label box stays within :data:`MAP_BOX` (give or take ``margin`` px)."""
    return box[0] >= -margin and box[1] >= -margin and box[2] <= MAP_BOX[0] + margin and box[3] <= MAP_BOX[1] + margin


def _overlaps(box: tuple[float, float, float, float], boxes: list[tuple[float, float, float, float]]) -> bool:
    return any(box[0] < b[2] + 2 and b[0] < box[2] + 2 and box[1] < b[3] + 1 and b[1] < box[3] + 1 for b in boxes)


def _labelled(
    units: pl.DataFrame, verdict: list[str | None], limit: int, positions: np.ndarray, sizes: list[float],
    labels: list[str],
) -> dict[int, tuple[str, str]]:
    """Rows of ``units`` whose name the map writes, and where (:data:`LABEL_PLACES`): at most
    ``limit``, the significant silos first (up to half), then by turns the largest units and
    those with most ties to other units, each at the first place where its label stays in
    :data:`MAP_BOX` (else cytoscape's fit would zoom out, shrinking every label) and covers
    neither another label nor another unit. The silos and the five largest and five most
    linked units may cover other units (a silo even another label). A unit that would cover
    a name already written is not named (named units are drawn on top)."""
    n = units.height
    people = [p or 0 for p in _column(units, "people")]
    outward = [e or 0 for e in _column(units, "ties_external")]
    names = units["unit"].to_list()
    silos = sorted((i for i in range(n) if verdict[i] == "silo"), key=lambda i: (-people[i], names[i]))
    # units with ties to others first: a lone unit's name says little about collaboration
    largest = sorted(range(n), key=lambda i: (outward[i] == 0, -people[i], names[i]))
    linked = sorted(range(n), key=lambda i: (-outward[i], names[i]))
    wanted = dict.fromkeys([*silos[: limit // 2], *(i for pair in zip(largest, linked) for i in pair)])
    important = {*silos, *largest[:5], *linked[:5]}
    nodes = [(x - r, y - r, x + r, y + r) for (x, y), r in zip(positions.tolist(), (s / 2 for s in sizes))]
    chosen: dict[int, tuple[str, str]] = {}
    boxes: list[tuple[float, float, float, float]] = []
    for i in wanted:
        if len(chosen) >= limit:
            break
        if _overlaps(nodes[i], boxes):
            continue  # a named unit is drawn over the others: it would hide a name already written
        places = {p: _label_box(float(positions[i, 0]), float(positions[i, 1]), sizes[i], labels[i], p)
                  for p in LABEL_PLACES}  # fmt: skip
        others = nodes[:i] + nodes[i + 1 :]
        free = [p for p, box in places.items() if _inside(box) and not _overlaps(box, boxes)]
        clear = [p for p in free if not _overlaps(places[p], others)]
        inside = [p for p in LABEL_PLACES if _inside(places[p])] or [LABEL_PLACES[0]]
        place = (clear or (free if i in important else []) or (inside if verdict[i] == "silo" else [None]))[0]
        if place is not None:
            chosen[i] = place
            boxes.append(places[place])
    return chosen


def unit_network_elements(units: pl.DataFrame, unit_links: pl.DataFrame, *, labels: int = MAP_LABELS) -> list[dict]:
    """Return cytoscape elements of the unit network: one node per unit, one edge per unit pair with ties.

    Nodes are placed by :func:`unit_positions` (ties pull units together) and drawn with
    the ``preset`` layout (:func:`unit_map_layout`). Node size grows with the unit's
    people (square-root scale so areas compare; 24–80 px for a few units, smaller when
    there are hundreds); its colour is :func:`ei_colour` of its E-I index; its ``verdict``
    the silo verdict (:data:`UNIT_MAP_STYLESHEET` rings silos and fades units with too
    little data); its ``state`` is ``"withheld"`` (figures withheld: drawn grey, dashed),
    ``"no_ties"`` (no E-I: white) or ``"ei"``. At most ``labels`` units carry their
    short name (:func:`analyser.unit_order.short_labels`) as ``label``: the significant
    silos, the largest and those with most ties to other units; every node keeps its
    full ``name`` and ``short`` name for hover and tap (:func:`unit_info`). Edge width grows
    with the ties between the two units (1–10 px). Pairs with no ties or withheld
    figures get no edge.

    Examples
    --------
    >>> units = pl.DataFrame({"unit": ["S/A", "T/B"], "people": [4, 9], "ei_index": [-1.0, 0.5]})
    >>> links = pl.DataFrame({"unit_a": ["S/A"], "unit_b": ["T/B"], "ties": [3]})
    >>> els = unit_network_elements(units, links)
    >>> [e["data"]["id"] for e in els], els[0]["data"]["label"], els[0]["data"]["size"], els[2]["data"]["width"]
    (['S/A', 'T/B', 'S/A|T/B'], 'A', 24.0, 1.0)
    """
    if units.is_empty():
        return []
    units = units.filter(pl.col("unit").is_not_null())
    names = units["unit"].to_list()
    index = {name: i for i, name in enumerate(names)}
    people = _column(units, "people")
    low, high = _size_range(len(names))
    sizes = _scaled([math.sqrt(p or 0) for p in people], low, high)
    ei = _column(units, "ei_index")
    hidden = [bool(h) for h in _column(units, "suppressed")]
    verdict = verdicts(units).to_list()
    links = unit_links.filter(pl.col("ties").is_not_null() & (pl.col("ties") > 0)) if unit_links.height else unit_links
    pairs = [(index[a], index[b], w) for a, b, w in links.select("unit_a", "unit_b", "ties").iter_rows()
             if a in index and b in index] if links.height else []  # fmt: skip
    pairs = backbone(pairs, len(names))
    positions = unit_positions(len(names), pairs, sizes=sizes)
    short = unit_order.short_labels(names, width=32)
    shown = _labelled(units, verdict, labels, positions, sizes, short)
    nodes = [
        {"data": {"id": name, "label": short[i] if i in shown else "", "name": name, "short": short[i],
                  "valign": shown.get(i, LABEL_PLACES[0])[0], "halign": shown.get(i, LABEL_PLACES[0])[1],
                  "z": 10 + list(shown).index(i) if i in shown else 0,
                  "size": round(sizes[i], 1), "colour": ei_colour(ei[i]), "people": people[i], "ei": ei[i],
                  "verdict": verdict[i],
                  "state": "withheld" if hidden[i] else "no_ties" if ei[i] is None else "ei"},
         "position": {"x": round(float(positions[i, 0]), 1), "y": round(float(positions[i, 1]), 1)}}
        for i, name in enumerate(names)
    ]  # fmt: skip
    widths = _scaled([math.sqrt(w) for _, _, w in pairs], 1.0, 10.0)
    edges = [
        {"data": {"id": f"{names[a]}|{names[b]}", "source": names[a], "target": names[b], "ties": w,
                  "width": round(width, 1)}}
        for (a, b, w), width in zip(pairs, widths)
    ]  # fmt: skip
    return nodes + edges


def unit_map_layout(elements: list[dict]) -> dict:
    """Cytoscape layout of the unit map: the ``preset`` positions of :func:`unit_network_elements`,
    fitted to the container.

    Like :func:`map_layout`, it changes whenever the elements or their positions do
    (``elements_key``), which is what makes cytoscape place new elements.

    Examples
    --------
    >>> a = unit_map_layout([{"data": {"id": "A"}, "position": {"x": 1, "y": 2}}])
    >>> a["name"], a == unit_map_layout([{"data": {"id": "A"}, "position": {"x": 1, "y": 3}}])
    ('preset', False)
    """
    placed = "\x1f".join(f"{e['data'].get('id')}@{e.get('position')}" for e in elements)
    return {"name": "preset", "fit": True, "padding": 16, "animate": False,
            "elements_key": zlib.crc32(placed.encode("utf-8"))}  # fmt: skip


def unit_map_legend(lang: str = "en") -> list[dict]:
    """Return the unit map's legend: one entry per kind of mark, each with its ``label`` and the
    CSS ``style`` of its swatch.

    The E-I entry (``kind`` ``"ei"``) is a gradient of :data:`EI_SCALE` with its two ends
    named; withheld units (grey, dashed) and units with no ties (white) have entries of
    their own, so no colour means two things.

    Examples
    --------
    >>> [e["kind"] for e in unit_map_legend()]
    ['ei', 'withheld', 'no_ties', 'silo', 'too_little_data']
    >>> unit_map_legend("sv")[1]["label"]
    'dold (skyddar små grupper)'
    """
    dot = {"display": "inline-block", "width": "14px", "height": "14px", "borderRadius": "50%",
           "verticalAlign": "middle", "border": "1px solid #555"}  # fmt: skip
    gradient = "linear-gradient(to right, " + ", ".join(EI_SCALE) + ")"
    return [
        {"kind": "ei", "label": t("overview_map_legend_ei", lang), "ends": (t("overview_map_legend_closed", lang),
         t("overview_map_legend_open", lang)), "style": {"display": "inline-block", "width": "96px", "height": "12px",
         "background": gradient, "verticalAlign": "middle", "border": "1px solid #999"}},
        {"kind": "withheld", "label": t("overview_map_legend_withheld", lang),
         "style": {**dot, "background": WITHHELD_COLOUR, "border": "2px dashed #5b6673"}},
        {"kind": "no_ties", "label": t("overview_map_legend_no_ties", lang),
         "style": {**dot, "background": NO_EI_COLOUR, "border": "1.5px solid #5b6673"}},
        {"kind": "silo", "label": t("overview_map_legend_silo", lang),
         "style": {**dot, "background": EI_SCALE[1], "border": "4px solid #7b1c12"}},
        {"kind": "too_little_data", "label": t("overview_map_legend_too_little", lang),
         "style": {**dot, "background": EI_SCALE[2], "opacity": 0.45}},
    ]  # fmt: skip


def unit_info(node: dict | None, lang: str = "en") -> str:
    """Return one line about a unit of the map (its node's data): full name, people, E-I, verdict.

    Empty for no node. A withheld unit shows its name and head-count only.

    Examples
    --------
    >>> unit_info({"name": "S/A", "people": 4, "ei": -0.25, "verdict": "silo", "state": "ei"})
    'S/A: 4 people, E-I −0.25, significant silo'
    >>> unit_info({"name": "S/B", "people": 1, "ei": None, "verdict": None, "state": "withheld"}, "sv")
    'S/B: 1 person, siffrorna är dolda för att skydda små grupper'
    """
    if not node:
        return ""
    people = plural("count_people", node.get("people") or 0, lang)
    if node.get("state") == "withheld":
        return t("overview_map_info_withheld", lang, unit=node.get("name", ""), people=people)
    if node.get("state") == "no_ties" or node.get("ei") is None:
        return t("overview_map_info_no_ties", lang, unit=node.get("name", ""), people=people)
    verdict = report_figures.figure_text(lang)[f"verdict_{node.get('verdict') or 'not_tested'}"]
    return t("overview_map_info", lang, unit=node.get("name", ""), people=people, ei=number(node.get("ei"), lang),
             verdict=verdict)


def _retitle(fig: go.Figure, title: str) -> go.Figure:
    fig.update_layout(title={"text": title})
    return fig


def unit_heatmap(units: pl.DataFrame, unit_links: pl.DataFrame, lang: str = "en", show: str = "top") -> go.Figure:
    """Return the unit-to-unit tie matrix of the report in ``lang`` (title, hover, colour bar),
    with 12 px labels: the units with most ties and "Other units" (``show="top"``), every unit
    (``"all"``) or the units one level up (``"parent"``), in block order
    (:func:`analyser.report.figures.unit_matrix_heatmap`).

    Examples
    --------
    >>> units = pl.DataFrame({"unit": ["A"], "ties_internal": [2], "suppressed": [False]})
    >>> unit_heatmap(units, pl.DataFrame(), "sv").layout.title.text
    'Band mellan enheter (diagonalen: band inom en enhet)'
    """
    fig = report_figures.unit_matrix_heatmap(units, unit_links, lang, show=show, font_size=12)
    fig.update_layout(margin={"l": 10, "r": 10, "t": 50, "b": 10})
    return _retitle(fig, t("heatmap_title", lang))


#: Most units the overview's E-I chart shows; the Units page lists them all.
EI_CHART_UNITS = 30


def ei_units(units: pl.DataFrame, top: int = EI_CHART_UNITS) -> pl.DataFrame:
    """Return the units the overview's E-I chart shows: all when there are at most ``top``;
    else the ``top`` with an E-I that matter most: the significant silos, then the units
    furthest below the E-I their size would give, those with enough data for a verdict
    before those without.

    Examples
    --------
    >>> u = pl.DataFrame({"unit": ["A", "B", "C", "D"], "ei_index": [0.5, -0.2, 0.1, -1.0],
    ...                   "ei_expected": [0.6, 0.4, 0.1, 0.9], "verdict": ["not_silo", "not_silo", "silo", "too_little_data"]})
    >>> ei_units(u, top=3)["unit"].to_list()
    ['C', 'B', 'A']
    """
    if units.height <= top or not {"unit", "ei_index"} <= set(units.columns):
        return units
    expected = pl.col("ei_expected").fill_null(pl.col("ei_index")) if "ei_expected" in units.columns else pl.col("ei_index")
    return (
        units.with_columns((verdicts(units) == "silo").fill_null(False).alias("_silo"),
                           (verdicts(units) != "too_little_data").fill_null(True).alias("_judged"),
                           (pl.col("ei_index") - expected).alias("_gap"))
        .filter(pl.col("ei_index").is_not_null())
        .sort(["_silo", "_judged", "_gap", "unit"], descending=[True, True, False, False])
        .head(top)
        .drop("_silo", "_judged", "_gap")
    )  # fmt: skip


def ei_chart(
    units: pl.DataFrame, lang: str = "en", n_permutations: int | None = None, top: int = EI_CHART_UNITS
) -> go.Figure:
    """Return the report's observed-versus-expected E-I dot plot in ``lang`` (legend, axis, hover),
    with silo verdicts and p at the resolution of ``n_permutations``.

    Above ``top`` units it shows the ones :func:`ei_units` picks. Rows are labelled with
    the units' short names (:func:`analyser.unit_order.short_labels`); hover texts keep the
    full path.

    Examples
    --------
    >>> u = pl.DataFrame({"unit": ["S/A", "S/B"], "ei_index": [-0.5, 0.2], "ei_expected": [0.1, 0.3]})
    >>> ei_chart(u).layout.yaxis.ticktext
    ('B', 'A')
    """
    fig = report_figures.ei_observed_vs_expected(ei_units(units, top), lang, n_permutations)
    rows = list(fig.layout.yaxis.categoryarray or [])
    if rows:
        short = unit_order.short_labels([html.unescape(r) for r in rows])
        fig.update_yaxes(tickmode="array", tickvals=rows, ticktext=[html.escape(s, quote=False) for s in short])
        fig.update_layout(height=max(300, 22 * len(rows) + 170), margin={"l": 10, "r": 10, "t": 50, "b": 30})
    return _retitle(fig, t("ei_chart_title", lang))


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
