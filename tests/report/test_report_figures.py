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
    """The E-I dot plot has connector, expected, observed, silo and too-little-data traces; silos are red."""
    fig = ei_observed_vs_expected(analysis.units)
    assert [t.name for t in fig.data] == [None, "expected from size", "observed", "significant silo",
                                          "too little data for a verdict"]  # fmt: skip
    assert set(fig.data[3].y) == {"Social/Elder care", "IT"}
    shown = set(fig.data[1].y)
    assert "Legal" not in shown and "Schools" not in shown  # withheld / no ties
    assert "Units not shown (no ties, or figures withheld): 2" in fig.layout.annotations[0].text


def test_ei_plot_draws_too_little_data_neutral(analysis):
    """A unit with too little data is drawn apart: grey, not red nor the blue of judged units, with a legend entry."""
    fig = ei_observed_vs_expected(analysis.units, n_permutations=999)
    observed, silo, neutral = fig.data[2], fig.data[3], fig.data[4]
    assert neutral.y == ("Archive",) and neutral.showlegend
    assert "Archive" not in silo.y and "Archive" not in observed.y
    assert neutral.marker.color not in (silo.marker.color, observed.marker.color)
    assert neutral.text[0].endswith("too little data for a verdict")
    hover = silo.text[list(silo.y).index("Social/Elder care")]
    assert "p = \u2264 0.001, q = 0.005" in hover and "if units were shuffled \u22120.18" in hover


def test_ei_plot_without_unjudged_units_has_no_such_legend_entry(analysis):
    """The neutral legend entry appears only when some unit has too little data."""
    units = analysis.units.filter(pl.col("verdict") != "too_little_data")
    assert not ei_observed_vs_expected(units).data[4].showlegend


def test_bridges_bar_top_n(analysis):
    """The bridges bar ranks by cross-unit betweenness, highest at the top, and leaves out non-bridges."""
    fig = top_bridges_bar(analysis.people, n=3)
    assert len(fig.data) == 1
    bar = fig.data[0]
    assert list(bar.x) == [0.07, 0.18, 0.26]  # plotly draws the first bar at the bottom
    assert bar.y[-1] == "&lt;img src=x onerror=alert(1)&gt;" and bar.y[-2] == "Åsa Öberg"
    assert XSS not in bar.y
    everyone = top_bridges_bar(analysis.people, n=20).data[0]
    assert len(everyone.y) == 4  # the formula person (betweenness 0.12, cross-unit 0) and Cia Lund (null) are out
    assert fig.layout.xaxis.title.text == "cross-unit betweenness"


def test_bridges_bar_says_when_nobody_bridges(analysis):
    """When nobody lies between people of different units there is no bar, only a note saying so."""
    fig = top_bridges_bar(analysis.people.with_columns(cross_unit_betweenness=pl.lit(0.0)))
    assert len(fig.data) == 0 and "No one stands between people of different units" in fig.layout.annotations[0].text


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


def test_ei_chart_caps_rows_keeps_every_silo_and_says_so():
    """At 120 units the E-I chart shows 30 rows (every significant silo, then the largest) and a note;
    one row per unit would print a few points high on A4."""
    import polars as pl

    from analyser.report.figures import EI_CHART_LIMIT, ei_observed_vs_expected

    n = 120
    units = pl.DataFrame({
        "unit": [f"U{i:03d}" for i in range(n)], "people": [n - i for i in range(n)],
        "ei_index": [0.5 - i / n for i in range(n)], "ei_expected": [0.6] * n,
        "verdict": ["silo" if i in (5, 119) else "not_silo" for i in range(n)],
    })  # fmt: skip
    fig = ei_observed_vs_expected(units, "en")
    rows = list(fig.layout.yaxis.categoryarray)
    assert len(rows) == EI_CHART_LIMIT == 30
    assert {"U005", "U119", "U000"} <= set(rows) and "U100" not in rows
    assert "30 of 120 units shown" in fig.layout.annotations[0].text
    sv = ei_observed_vs_expected(units, "sv")
    assert "30 av 120 enheter visas" in sv.layout.annotations[0].text
    assert len(ei_observed_vs_expected(units.head(12), "en").layout.yaxis.categoryarray) == 12
