"""Tests of dashboard.figures: unit network elements, translated report figures (person maps: test_dash_network.py)."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from dashboard.figures import (
    bridges_bar,
    ei_chart,
    ei_colour,
    unit_heatmap,
    unit_network_elements,
)


def test_ei_colour_runs_from_red_to_blue():
    """Closed units are red, open ones blue, missing values white (issue 10: grey means withheld only)."""
    assert ei_colour(-1.0) == "#c0392b"
    assert ei_colour(1.0) == "#1f4e79"
    assert ei_colour(float("nan")) == ei_colour(None) == "#ffffff"


def test_unit_network_sizes_nodes_by_people_and_edges_by_ties():
    """The biggest unit gets the biggest node, the pair with most ties the widest edge."""
    units = pl.DataFrame({"unit": ["A", "B", "C"], "people": [4, 16, 9], "ei_index": [-0.5, 0.2, None]})
    links = pl.DataFrame({"unit_a": ["A", "A", "B"], "unit_b": ["B", "C", "C"], "ties": [10, 1, 0]})
    els = unit_network_elements(units, links)
    nodes = {e["data"]["id"]: e["data"] for e in els if "source" not in e["data"]}
    edges = {e["data"]["id"]: e["data"] for e in els if "source" in e["data"]}
    assert nodes["B"]["size"] == 80 and nodes["A"]["size"] == 24
    assert set(edges) == {"A|B", "A|C"}  # no edge without ties
    assert edges["A|B"]["width"] > edges["A|C"]["width"]
    assert nodes["C"]["colour"] == ei_colour(None)


def test_unit_network_skips_withheld_links():
    """A link whose ties are withheld (null) draws no edge."""
    units = pl.DataFrame({"unit": ["A", "B"], "people": [9, 2], "ei_index": [0.1, None]})
    links = pl.DataFrame({"unit_a": ["A"], "unit_b": ["B"], "ties": [None]}, schema={"unit_a": pl.String, "unit_b": pl.String, "ties": pl.Int64})
    assert all("source" not in e["data"] for e in unit_network_elements(units, links))


def test_unit_network_of_no_units_is_empty():
    """No units give no elements."""
    assert unit_network_elements(pl.DataFrame({"unit": [], "people": []}), pl.DataFrame()) == []


def test_report_figures_are_titled_in_swedish():
    """The heatmap, E-I chart and bridges bar reuse the report figures with a translated title."""
    units = pl.DataFrame({"unit": ["A", "B"], "ties_internal": [2, 1], "suppressed": [False, False],
                          "ei_index": [-0.5, 0.2], "ei_expected": [0.1, 0.3], "ei_p": [0.01, 0.4]})
    links = pl.DataFrame({"unit_a": ["A"], "unit_b": ["B"], "ties": [3]})
    people = pl.DataFrame({"person": ["ann", "bob"], "unit": ["A", "B"], "betweenness": [0.2, 0.1],
                           "cross_unit_betweenness": [0.15, 0.05], "sole_bridges": [1, 0]})
    assert unit_heatmap(units, links, "sv").layout.title.text.startswith("Band mellan enheter")
    assert ei_chart(units, "sv").layout.title.text.startswith("E-I-index per enhet")
    assert bridges_bar(people, "sv").layout.title.text == "Oftast mellanhand mellan enheter: de främsta 2"


def test_report_figures_speak_swedish_inside_too():
    """Legends, axes, hover texts and the colour bar follow the language, not only the titles."""
    from analyser.report.figures import TEXTS

    units = pl.DataFrame({"unit": ["A", "B"], "ties_internal": [2, 1], "suppressed": [False, True],
                          "ei_index": [-0.5, None], "ei_expected": [0.1, 0.3], "ei_p": [0.01, None]})
    links = pl.DataFrame({"unit_a": ["A"], "unit_b": ["B"], "ties": [None]})
    people = pl.DataFrame({"person": ["ann", "bob"], "unit": ["A", "B"], "betweenness": [0.2, 0.1],
                           "cross_unit_betweenness": [0.15, 0.05], "sole_bridges": [1, 0]})
    heat = unit_heatmap(units, links, "sv")
    assert heat.data[0].colorbar.title.text == "band"
    assert heat.data[0].text[0][0] == "A (inom enheten): 2 band" and heat.data[0].text[0][1] == "A – B: dolt"
    chart = ei_chart(units, "sv")
    assert [tr.name for tr in chart.data][1:] == ["förväntat utifrån storlek", "observerat", "signifikant silo",
                                                  "för lite underlag för en bedömning"]  # fmt: skip
    assert chart.layout.xaxis.title.text.startswith("E-I-index (−1 = alla band inom enheten")
    assert chart.layout.annotations[0].text == "Enheter som inte visas (inga band, eller dolda siffror): 1."
    bars = bridges_bar(people, "sv")
    assert bars.data[0].text[-1] == "ann<br>A<br>mellanhand mellan enheter 0,15<br>mellanhandsposition 0,2<br>ensam länk för 1 enhetspar"
    assert bars.layout.xaxis.title.text == "mellanhand mellan enheter"
    assert set(TEXTS["sv"]) == set(TEXTS["en"])
    assert all(TEXTS["sv"][k] != TEXTS["en"][k] for k in TEXTS["en"] if "{" not in TEXTS["en"][k])


# -- issue 10: an overview that reads at 120 units -----------------------------------------


def _rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[k : k + 2], 16) for k in (1, 3, 5))  # type: ignore[return-value]


def _greyish(colour: str) -> bool:
    """A grey: hardly any hue (channels within 24 of each other) and not near-white (mean under 225)."""
    rgb = _rgb(colour)
    return max(rgb) - min(rgb) <= 24 and sum(rgb) / 3 < 225


@pytest.fixture(scope="module")
def many_units():
    """The 120-unit roster of very uneven units, with pseudonyms (small units withheld)."""
    from analyser.analysis import analyse
    from tests.test_unit_order import many_units_roster

    return analyse(many_units_roster(), privacy="pseudonyms", n_permutations=19)


def test_no_e_i_colour_is_grey_and_withheld_is():
    """Issue 10: along the whole E-I scale no colour is grey, and the withheld grey is grey."""
    from analyser.report.figures import WITHHELD_COLOUR

    scale = [ei_colour(x / 50) for x in range(-50, 51)]
    assert not any(_greyish(c) for c in scale), [c for c in scale if _greyish(c)]
    assert _greyish(WITHHELD_COLOUR) and not _greyish(ei_colour(None))
    far = [float(np.linalg.norm(np.subtract(_rgb(c), _rgb(WITHHELD_COLOUR)))) for c in scale]
    assert min(far) > 40, scale[int(np.argmin(far))]


def test_unit_map_legend_separates_withheld_from_e_i():
    """The legend has an E-I gradient with no grey stop, and its own entries for withheld and for no ties."""
    from analyser.report.figures import WITHHELD_COLOUR
    from dashboard.figures import EI_SCALE, unit_map_legend

    legend = {entry["kind"]: entry for entry in unit_map_legend("sv")}
    assert {"ei", "withheld", "no_ties", "silo", "too_little_data"} <= set(legend)
    assert all(stop in legend["ei"]["style"]["background"] for stop in EI_SCALE)
    assert not any(_greyish(stop) for stop in EI_SCALE)
    assert legend["withheld"]["style"]["background"] == WITHHELD_COLOUR and "dashed" in legend["withheld"]["style"]["border"]
    assert legend["withheld"]["label"] == "dold (skyddar små grupper)" and legend["ei"]["ends"] == ("−1 sluten", "+1 öppen")


def test_unit_map_draws_withheld_units_grey_and_dashed(many_units):
    """A withheld unit's node has state "withheld", which the stylesheet fills grey with a dashed border."""
    from analyser.report.figures import WITHHELD_COLOUR
    from dashboard.figures import UNIT_MAP_STYLESHEET

    nodes = [e["data"] for e in unit_network_elements(many_units.units, many_units.unit_links) if "source" not in e["data"]]
    hidden = set(many_units.units.filter(pl.col("suppressed"))["unit"])
    assert hidden and {n["id"] for n in nodes if n["state"] == "withheld"} == hidden
    rule = next(r["style"] for r in UNIT_MAP_STYLESHEET if r["selector"] == 'node[state = "withheld"]')
    assert rule["background-color"] == WITHHELD_COLOUR and rule["border-style"] == "dashed"
    assert all(not _greyish(n["colour"]) for n in nodes if n["state"] == "ei")


def test_unit_map_of_120_units_is_laid_out_labelled_sparingly_and_stable(many_units):
    """120 units: preset positions inside the box, at most 25 short labels (silos among them), same on every call."""
    from dashboard.figures import MAP_BOX, MAP_LABELS, unit_map_layout

    elements = unit_network_elements(many_units.units, many_units.unit_links)
    nodes = [e for e in elements if "source" not in e["data"]]
    assert len(nodes) == 120
    xy = np.array([[n["position"]["x"], n["position"]["y"]] for n in nodes])
    assert (xy >= 0).all() and (xy[:, 0] <= MAP_BOX[0]).all() and (xy[:, 1] <= MAP_BOX[1]).all()
    labels = [n["data"]["label"] for n in nodes if n["data"]["label"]]
    assert 10 <= len(labels) <= MAP_LABELS
    assert all(n["data"]["name"].endswith(n["data"]["short"].split(" (")[0]) for n in nodes)
    assert all("/" not in label.split(" (")[0] for label in labels)
    silos = {n["data"]["id"] for n in nodes if n["data"]["verdict"] == "silo"}
    assert silos <= {n["data"]["id"] for n in nodes if n["data"]["label"]}
    assert unit_network_elements(many_units.units, many_units.unit_links) == elements
    assert unit_map_layout(elements)["name"] == "preset"


def test_unit_map_labels_do_not_cover_each_other(many_units):
    """The boxes of the written labels (where cytoscape draws them at zoom 1) do not overlap."""
    from dashboard.figures import _label_box, _overlaps

    boxes = []
    for e in unit_network_elements(many_units.units, many_units.unit_links):
        d = e["data"]
        if d.get("label"):
            box = _label_box(e["position"]["x"], e["position"]["y"], d["size"], d["label"], (d["valign"], d["halign"]))
            assert not _overlaps(box, boxes), d["label"]
            boxes.append(box)


def test_unit_map_draws_a_crowded_map_with_each_units_strongest_links(many_units):
    """With many links, each unit keeps its three strongest: far fewer lines, and no unit loses all of them."""
    elements = unit_network_elements(many_units.units, many_units.unit_links)
    edges = [e["data"] for e in elements if "source" in e["data"]]
    linked = many_units.unit_links.filter(pl.col("ties") > 0)
    assert len(edges) < linked.height and len(edges) <= 3 * 120
    ends = {u for e in edges for u in (e["source"], e["target"])}
    assert ends == set(linked["unit_a"]) | set(linked["unit_b"])


def test_unit_info_names_the_hovered_unit_in_full():
    """Hovering a unit gives its full path, head-count, E-I and verdict; a withheld one only name and size."""
    from dashboard.figures import unit_info

    node = {"name": "Socialförvaltningen/Äldreomsorg/Stab", "people": 12, "ei": -0.5, "verdict": "silo", "state": "ei"}
    assert unit_info(node, "sv") == "Socialförvaltningen/Äldreomsorg/Stab: 12 personer, E-I −0,50, signifikant silo"
    hidden = {"name": "S/x", "people": 2, "ei": None, "verdict": None, "state": "withheld"}
    assert "−" not in unit_info(hidden, "en") and unit_info(hidden, "en").startswith("S/x: 2 people, figures withheld")
    assert unit_info(None, "en") == ""


def test_matrix_of_120_units_is_top_30_and_other_with_short_labels(many_units):
    """120 units: at most 31 rows ending in "Other units (90)", short tick labels, full paths on hover, 12 px ticks."""
    fig = unit_heatmap(many_units.units, many_units.unit_links, "en")
    heat = fig.data[0]
    assert len(heat.y) <= 31 and heat.y[-1] == "Other units (90)"
    ticks = list(fig.layout.yaxis.ticktext)
    assert ticks[-1] == "Other units (90)" and all(len(t) <= 26 for t in ticks[:-1])
    assert all("/" not in t.split(" (")[0] for t in ticks[:-1])
    full = set(many_units.units["unit"])
    assert all(name in full for name in heat.y[:-1])  # the categories, and so the hover texts, are full paths
    assert heat.text[0][1].startswith(heat.y[0] + " – " + heat.y[1])
    assert fig.layout.yaxis.tickfont.size >= 10 and fig.layout.xaxis.tickfont.size >= 10
    assert "withheld units, not counted" in heat.text[-1][0]


def test_matrix_can_show_all_units_or_the_level_above(many_units):
    """"all" draws every unit; "parent" one row per department with its unit count in the hover."""
    everything = unit_heatmap(many_units.units, many_units.unit_links, "en", show="all").data[0]
    assert len(everything.y) == 120
    grouped = unit_heatmap(many_units.units, many_units.unit_links, "sv", show="parent").data[0]
    assert len(grouped.y) == 27 and all(" enheter)" in y or " enhet)" in y for y in grouped.y)


def test_matrix_orders_blocks_not_names(many_units):
    """The rows are not in name order, and neighbours mostly share an administration (blocks)."""
    heat = unit_heatmap(many_units.units, many_units.unit_links, "en").data[0]
    rows = list(heat.y[:-1])
    assert rows != sorted(rows)
    same = sum(a.split("/")[0] == b.split("/")[0] for a, b in zip(rows, rows[1:]))
    assert same >= 0.7 * (len(rows) - 1)


def test_e_i_chart_shows_at_most_30_units_with_short_labels(many_units):
    """Above 30 units the overview's E-I chart shows 30, labelled with short names."""
    fig = ei_chart(many_units.units, "en")
    rows = set(fig.data[1].y) | set(fig.data[2].y) | set(fig.data[3].y) | set(fig.data[4].y)
    assert len(rows) == 30 and all(len(t) <= 26 for t in fig.layout.yaxis.ticktext)
