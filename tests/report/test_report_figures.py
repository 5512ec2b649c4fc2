"""Tests for analyser.report.figures: figure builders on the fixture and on empty tables."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
import pytest

from analyser.report.figures import (
    ei_observed_vs_expected,
    empty_figure,
    top_bridges_bar,
    unit_matrix_heatmap,
)

XSS = "<img src=x onerror=alert(1)>"
EMPTY = pl.DataFrame()


def test_heatmap_one_trace_symmetric(analysis):
    """The unit matrix is one symmetric heatmap with internal ties on the diagonal."""
    fig = unit_matrix_heatmap(analysis.units, analysis.unit_links)
    assert isinstance(fig, go.Figure) and len(fig.data) == 1
    heat = fig.data[0]
    names = list(heat.x)
    z = [list(row) for row in heat.z]
    assert z == [list(col) for col in zip(*z)]
    it, culture = names.index("IT"), names.index("Culture")
    assert z[it][culture] == 9 and z[it][it] == 30


def test_heatmap_withheld_and_zero(analysis):
    """Pairs with a suppressed unit are empty (withheld); unlinked pairs are 0."""
    heat = unit_matrix_heatmap(analysis.units, analysis.unit_links).data[0]
    names = list(heat.x)
    legal, schools, culture = names.index("Legal"), names.index("Schools"), names.index("Culture")
    assert heat.z[legal][culture] is None and heat.z[legal][legal] is None
    assert heat.z[schools][culture] == 0
    assert "withheld" in heat.text[legal][culture]


def test_heatmap_labels_escaped(analysis):
    """Unit names in axis labels and hover text are HTML-escaped."""
    heat = unit_matrix_heatmap(analysis.units, analysis.unit_links).data[0]
    assert XSS not in heat.x and "&lt;img src=x onerror=alert(1)&gt;" in heat.x
    assert not any(XSS in cell for row in heat.text for cell in row)


def test_ei_plot_traces_and_silos(analysis):
    """The E-I dot plot has connector, expected, observed and silo traces; silos are red."""
    fig = ei_observed_vs_expected(analysis.units)
    assert [t.name for t in fig.data] == [None, "expected from size", "observed", "significant silo"]
    assert set(fig.data[3].y) == {"Social/Elder care", "IT"}
    shown = set(fig.data[1].y)
    assert "Legal" not in shown and "Schools" not in shown  # withheld / no ties
    assert "2 unit(s) not shown" in fig.layout.annotations[0].text


def test_bridges_bar_top_n(analysis):
    """The bridges bar shows the top n people by betweenness, highest at the top."""
    fig = top_bridges_bar(analysis.people, n=3)
    assert len(fig.data) == 1
    bar = fig.data[0]
    assert list(bar.x) == [0.12, 0.22, 0.31]  # plotly draws the first bar at the bottom
    assert bar.y[-1] == "Åsa Öberg"
    assert XSS not in bar.y


@pytest.mark.parametrize(
    "build",
    [
        lambda: unit_matrix_heatmap(EMPTY, EMPTY),
        lambda: ei_observed_vs_expected(EMPTY),
        lambda: top_bridges_bar(EMPTY),
    ],
    ids=["heatmap", "ei", "bridges"],
)
def test_empty_tables_give_annotated_empty_figure(build):
    """On empty tables each builder returns a figure with no trace and a note."""
    fig = build()
    assert isinstance(fig, go.Figure)
    assert len(fig.data) == 0
    assert fig.layout.annotations[0].text


def test_all_units_withheld_gives_note(analysis):
    """When no unit has an E-I (all withheld), the dot plot is an annotated empty figure."""
    units = analysis.units.filter(pl.col("suppressed"))
    assert len(ei_observed_vs_expected(units).data) == 0


def test_empty_figure_escapes_message():
    """The note of an empty figure is escaped like any other label."""
    assert empty_figure(XSS).layout.annotations[0].text == "&lt;img src=x onerror=alert(1)&gt;"
