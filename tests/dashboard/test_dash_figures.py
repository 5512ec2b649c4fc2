"""Tests of dashboard.figures: unit network elements, person maps, translated report figures."""

from __future__ import annotations

import numpy as np
import polars as pl

from analyser.network import build_network
from analyser.privacy import pseudonym
from analyser.roster import Roster
from dashboard.figures import (
    bridges_bar,
    ei_chart,
    ei_colour,
    person_network_elements,
    unit_heatmap,
    unit_network_elements,
)


def test_ei_colour_runs_from_red_to_blue():
    """Closed units are red, open ones blue, missing values light grey."""
    assert ei_colour(-1.0) == "#c0392b"
    assert ei_colour(1.0) == "#1f4e79"
    assert ei_colour(float("nan")) == ei_colour(None) == "#e5e7e9"


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


def _net():
    rows = [("P1", "ann", "A"), ("P1", "bob", "A"), ("P1", "cid", "B"), ("P2", "cid", "B"), ("P2", "dan", "B")]
    return build_network(Roster.from_rows(rows))


def test_person_map_uses_pseudonyms_when_asked():
    """In pseudonym mode every label is the salted code, never the name."""
    net = _net()
    els, drawn, chosen = person_network_elements(net, np.arange(4), privacy="pseudonyms", salt=b"s")
    labels = {e["data"]["label"] for e in els if "label" in e["data"]}
    assert labels == {pseudonym(n, b"s") for n in net.people}
    assert drawn == chosen == 4


def test_person_map_draws_nobody_in_aggregate_mode():
    """Aggregate mode returns no elements at all."""
    assert person_network_elements(_net(), np.arange(4), privacy="aggregate")[0] == []


def test_person_map_is_capped_to_the_best_connected():
    """Above the cap, the people with most ties in the selection are kept."""
    els, drawn, chosen = person_network_elements(_net(), np.arange(4), cap=1)
    assert (drawn, chosen) == (1, 4)
    assert [e["data"]["label"] for e in els] == ["cid"]  # cid has 3 ties, the most


def test_person_map_edges_are_ties_inside_the_selection():
    """Edges join chosen people who share a project, once per pair."""
    els, _, _ = person_network_elements(_net(), np.array([0, 1, 2]))
    edges = sorted((e["data"]["source"], e["data"]["target"]) for e in els if "source" in e["data"])
    assert edges == [("p0", "p1"), ("p0", "p2"), ("p1", "p2")]


def test_report_figures_are_titled_in_swedish():
    """The heatmap, E-I chart and bridges bar reuse the report figures with a translated title."""
    units = pl.DataFrame({"unit": ["A", "B"], "ties_internal": [2, 1], "suppressed": [False, False],
                          "ei_index": [-0.5, 0.2], "ei_expected": [0.1, 0.3], "ei_p": [0.01, 0.4]})
    links = pl.DataFrame({"unit_a": ["A"], "unit_b": ["B"], "ties": [3]})
    people = pl.DataFrame({"person": ["ann", "bob"], "unit": ["A", "B"], "betweenness": [0.2, 0.1],
                           "cross_unit_betweenness": [0.15, 0.05], "sole_bridges": [1, 0]})
    assert unit_heatmap(units, links, "sv").layout.title.text.startswith("Band mellan enheter")
    assert ei_chart(units, "sv").layout.title.text.startswith("E-I-index per enhet")
    assert bridges_bar(people, "sv").layout.title.text == "De 2 personerna med högst mellanliggande mellan enheter"


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
    assert chart.layout.annotations[0].text == "1 enhet(er) visas inte: inga band eller dolda siffror."
    bars = bridges_bar(people, "sv")
    assert bars.data[0].text[-1] == "ann<br>A<br>mellanliggande mellan enheter 0.15<br>mellanliggande 0.2<br>enda bro för 1 enhetspar"
    assert bars.layout.xaxis.title.text == "mellanliggande mellan enheter"
    assert set(TEXTS["sv"]) == set(TEXTS["en"])
    assert all(TEXTS["sv"][k] != TEXTS["en"][k] for k in TEXTS["en"] if "{" not in TEXTS["en"][k])
