"""Plotly figure builders for the report and the dashboard: tables in, figures out."""

from __future__ import annotations

import html

import plotly.graph_objects as go
import polars as pl

from analyser.report import english, swedish
from analyser.report.common import significant_silos

__all__ = [
    "TEXT",
    "TEXTS",
    "figure_text",
    "empty_figure",
    "unit_matrix_heatmap",
    "ei_observed_vs_expected",
    "top_bridges_bar",
    "ei_over_time",
]

#: Every word a figure shows, per language ("en", "sv"); an unknown language falls back to English.
TEXTS: dict[str, dict[str, str]] = {"en": english.FIGURE_TEXT, "sv": swedish.FIGURE_TEXT}

#: The English words (kept for callers that read them directly).
TEXT = TEXTS["en"]


def figure_text(lang: str = "en") -> dict[str, str]:
    """Return the words of the figures in ``lang`` ("en" or "sv"; others fall back to English).

    Examples
    --------
    >>> figure_text("sv")["observed"], figure_text("fi")["observed"]
    ('observerat', 'observed')
    """
    return TEXTS.get(lang, TEXT)


FONT = {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif", "size": 13}
SILO_COLOUR = "#C0392B"
OBSERVED_COLOUR = "#1F4E79"
EXPECTED_COLOUR = "#7F8C8D"
MAX_CELL_LABELS = 15  # above this many units, numbers in the heatmap cells get unreadable


def _label(value: object) -> str:
    """User text as plotly shows it: plotly reads a subset of HTML in labels, so escape."""
    # quote=False: plotly renders &lt; and &amp; but shows &quot; literally.
    return html.escape("" if value is None else str(value), quote=False)


def _number(value: float | None, text: dict[str, str], digits: int = 2) -> str:
    return text["withheld"] if value is None else f"{value:.{digits}f}"


def _layout(fig: go.Figure, title: str, height: int) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        template="plotly_white",
        font=FONT,
        height=height,
        margin={"l": 10, "r": 10, "t": 60, "b": 40},
    )
    fig.update_yaxes(automargin=True)
    fig.update_xaxes(automargin=True)
    return fig


def empty_figure(message: str, title: str = "") -> go.Figure:
    """Return a figure with no traces and ``message`` written in its middle.

    Examples
    --------
    >>> fig = empty_figure("Nothing here")
    >>> len(fig.data), fig.layout.annotations[0].text
    (0, 'Nothing here')
    """
    fig = go.Figure()
    fig.add_annotation(text=_label(message), showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _layout(fig, title, 260)


def _unit_order(units: pl.DataFrame, unit_links: pl.DataFrame) -> list[str]:
    names = set(units["unit"].drop_nulls().to_list()) if "unit" in units.columns else set()
    for column in ("unit_a", "unit_b"):
        if column in unit_links.columns:
            names |= set(unit_links[column].drop_nulls().to_list())
    return sorted(names)


def unit_matrix_heatmap(units: pl.DataFrame, unit_links: pl.DataFrame, lang: str = "en") -> go.Figure:
    """Return a heatmap of person ties between every pair of units.

    Cell (a, b) holds ``ties`` of the unit link a–b (the matrix is symmetric); the
    diagonal holds ``ties_internal`` of the unit. A pair absent from ``unit_links`` has 0
    ties, unless one of its units is suppressed: then the cell is empty ("withheld"), as
    is any null figure. Units are in name order.

    Parameters
    ----------
    units
        Unit table with ``unit``, ``ties_internal`` and ``suppressed``.
    unit_links
        Unit link table with ``unit_a``, ``unit_b`` and ``ties``.
    lang
        Language of titles, axes, legends and hover texts: ``"en"`` or ``"sv"``
        (:data:`TEXTS`); the other builders take it too.

    Returns
    -------
    go.Figure
        One Heatmap trace, or no trace and a note when there are no units.

    Examples
    --------
    >>> units = pl.DataFrame({"unit": ["A", "B"], "ties_internal": [3, 1],
    ...                       "suppressed": [False, False]})
    >>> links = pl.DataFrame({"unit_a": ["A"], "unit_b": ["B"], "ties": [2]})
    >>> unit_matrix_heatmap(units, links).data[0].z
    ([3, 2], [2, 1])
    """
    text = figure_text(lang)
    names = _unit_order(units, unit_links)
    if not names:
        return empty_figure(text["no_units"], text["matrix_title"])
    index = {name: i for i, name in enumerate(names)}
    hidden = set()
    if {"unit", "suppressed"} <= set(units.columns):
        hidden = set(units.filter(pl.col("suppressed").fill_null(False))["unit"].to_list())
    z: list[list[int | float | None]] = [
        [None if (a in hidden or b in hidden) else 0 for b in names] for a in names
    ]
    if "ties_internal" in units.columns:
        for name, ties in units.select("unit", "ties_internal").drop_nulls("unit").iter_rows():
            z[index[name]][index[name]] = ties
    if unit_links.height:
        for a, b, ties in unit_links.select("unit_a", "unit_b", "ties").drop_nulls(["unit_a", "unit_b"]).iter_rows():
            z[index[a]][index[b]] = z[index[b]][index[a]] = ties
    labels = [_label(n) for n in names]
    hover = [
        [
            (text["matrix_hover_self"] if i == j else text["matrix_hover"]).format(
                a=labels[i], b=labels[j],
                ties=text["withheld"] if v is None else f"{v:g} {text['ties_unit']}",
            )
            for j, v in enumerate(row)
        ]
        for i, row in enumerate(z)
    ]
    heatmap = go.Heatmap(
        z=z, x=labels, y=labels, text=hover, hovertemplate="%{text}<extra></extra>",
        colorscale="Blues", hoverongaps=True, colorbar={"title": {"text": text["ties_unit"]}},
        texttemplate="%{z}" if len(names) <= MAX_CELL_LABELS else None,
    )  # fmt: skip
    fig = go.Figure(heatmap)
    fig.update_yaxes(autorange="reversed")
    size = max(360, 28 * len(names) + 160)
    return _layout(fig, text["matrix_title"], size)


def ei_observed_vs_expected(units: pl.DataFrame, lang: str = "en") -> go.Figure:
    """Return a dot plot per unit: observed E-I index beside the E-I its size would give.

    Each unit is a row with a grey dot at ``ei_expected`` joined by a line to its
    observed ``ei_index``; significant silos (``ei_p`` below
    :data:`~analyser.report.common.SIGNIFICANCE_LEVEL` and observed below expected) are
    drawn in red. Units whose E-I is undefined or withheld are left out, with a note.
    Rows run from the most closed unit (top) to the most open.

    Returns
    -------
    go.Figure
        Four traces (connectors, expected, observed, significant silos) or, with no
        unit to show, no trace and a note.

    Examples
    --------
    >>> units = pl.DataFrame({"unit": ["A", "B"], "ei_index": [-0.6, 0.2],
    ...                       "ei_expected": [0.1, 0.3], "ei_p": [0.01, 0.4]})
    >>> fig = ei_observed_vs_expected(units)
    >>> [t.name for t in fig.data][1:], fig.data[3].y
    (['expected from size', 'observed', 'significant silo'], ('A',))
    >>> ei_observed_vs_expected(units, lang="sv").data[1].text[0]
    'B<br>observerat 0.20<br>förväntat 0.30<br>p = 0.400'
    """
    text = figure_text(lang)
    if units.is_empty() or not {"unit", "ei_index", "ei_expected", "ei_p"} <= set(units.columns):
        return empty_figure(text["no_units"], text["ei_title"])
    shown = (
        units.with_columns(significant_silos(units))
        .filter(pl.col("ei_index").is_not_null())
        .sort("ei_index", "unit", descending=[True, False])  # plotly draws the first row at the bottom
    )
    if shown.is_empty():
        return empty_figure(text["no_ei"], text["ei_title"])
    labels = [_label(u) for u in shown["unit"]]
    observed, expected, p = shown["ei_index"].to_list(), shown["ei_expected"].to_list(), shown["ei_p"].to_list()
    hover = [
        text["ei_hover"].format(unit=lab, ei=_number(o, text), expected=_number(e, text), p=_number(q, text, 3))
        for lab, o, e, q in zip(labels, observed, expected, p)
    ]
    silo = shown["significant_silo"].to_list()
    line_x = [v for o, e in zip(observed, expected) for v in (e, o, None)]
    line_y = [v for lab in labels for v in (lab, lab, None)]
    fig = go.Figure(
        [
            go.Scatter(x=line_x, y=line_y, mode="lines", line={"color": "#BBBBBB", "width": 2},
                       hoverinfo="skip", showlegend=False),
            go.Scatter(x=expected, y=labels, mode="markers", name=text["expected"], text=hover,
                       hovertemplate="%{text}<extra></extra>",
                       marker={"color": "white", "size": 10, "line": {"color": EXPECTED_COLOUR, "width": 2}}),
            go.Scatter(x=[o for o, s in zip(observed, silo) if not s],
                       y=[lab for lab, s in zip(labels, silo) if not s],
                       text=[h for h, s in zip(hover, silo) if not s],
                       mode="markers", name=text["observed"], hovertemplate="%{text}<extra></extra>",
                       marker={"color": OBSERVED_COLOUR, "size": 11}),
            go.Scatter(x=[o for o, s in zip(observed, silo) if s],
                       y=[lab for lab, s in zip(labels, silo) if s],
                       text=[h for h, s in zip(hover, silo) if s],
                       mode="markers", name=text["silo"], hovertemplate="%{text}<extra></extra>",
                       marker={"color": SILO_COLOUR, "size": 13, "symbol": "diamond"}),
        ]
    )  # fmt: skip
    fig.update_xaxes(range=[-1.05, 1.05], zeroline=True, title={"text": text["ei_axis"]})
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=labels)
    fig.update_layout(legend={"orientation": "h", "y": -0.2 - 2.0 / max(len(labels), 4)})
    left_out = units.height - shown.height
    if left_out:
        fig.add_annotation(text=_label(text["not_shown"].format(n=left_out)), showarrow=False,
                           x=0, y=1.0, xref="paper", yref="paper", xanchor="left", yanchor="bottom")  # fmt: skip
    return _layout(fig, text["ei_title"], max(300, 26 * len(labels) + 160))


def top_bridges_bar(people: pl.DataFrame, n: int = 15, lang: str = "en") -> go.Figure:
    """Return a horizontal bar chart of the ``n`` people with the highest betweenness.

    People with undefined betweenness are left out; ties in betweenness are broken by
    name so the chart is the same on every run. The top person is at the top.

    Returns
    -------
    go.Figure
        One Bar trace, or no trace and a note when no person has a betweenness.

    Examples
    --------
    >>> people = pl.DataFrame({"person": ["ann", "bob", "cid"], "unit": ["A", "A", "B"],
    ...                        "betweenness": [0.1, None, 0.5], "sole_bridges": [0, 0, 1]})
    >>> top_bridges_bar(people, n=5).data[0].y
    ('ann', 'cid')
    """
    text = figure_text(lang)
    if people.is_empty() or not {"person", "betweenness"} <= set(people.columns):
        return empty_figure(text["no_people"], text["bridges_title"].format(n=n))
    top = (
        people.filter(pl.col("betweenness").is_not_null())
        .sort(["betweenness", "person"], descending=[True, False])
        .head(n)
        .reverse()  # plotly draws the first bar at the bottom
    )
    if top.is_empty():
        return empty_figure(text["no_people"], text["bridges_title"].format(n=n))
    labels = [_label(p) for p in top["person"]]
    units = top["unit"].to_list() if "unit" in top.columns else [None] * top.height
    sole = top["sole_bridges"].to_list() if "sole_bridges" in top.columns else [None] * top.height
    hover = [
        text["bridges_hover"].format(person=lab, unit=_label(u), value=f"{b:.4g}", sole="–" if s is None else s)
        for lab, u, b, s in zip(labels, units, top["betweenness"], sole)
    ]
    bar = go.Bar(x=top["betweenness"].to_list(), y=labels, orientation="h", text=hover,
                 hovertemplate="%{text}<extra></extra>", textposition="none",
                 marker={"color": OBSERVED_COLOUR})  # fmt: skip
    fig = go.Figure(bar)
    fig.update_xaxes(title={"text": text["bridges_axis"]})
    fig.update_yaxes(type="category")
    return _layout(fig, text["bridges_title"].format(n=top.height), max(300, 24 * top.height + 140))


def ei_over_time(summary: pl.DataFrame, units: pl.DataFrame, lang: str = "en") -> go.Figure:
    """Return a line chart of the E-I index by period: the organisation and each unit.

    The organisation's observed E-I is a thick dark line and the E-I its unit sizes would
    give a dashed grey one; each unit is a thin line (hidden behind its legend entry when
    there are many). Periods are categories in the order of ``summary``; a unit with no
    E-I in a period (no ties, or withheld) leaves a gap there.

    Parameters
    ----------
    summary
        One row per period: ``period``, ``ei_index``, ``ei_expected``
        (:func:`analyser.periods.trend_tables` ``["summary"]``).
    units
        One row per period and unit: ``period``, ``unit``, ``ei_index`` (may be empty).

    Examples
    --------
    >>> s = pl.DataFrame({"period": ["2025", "2026"], "ei_index": [-0.2, 0.1], "ei_expected": [0.3, 0.3]})
    >>> u = pl.DataFrame({"period": ["2025", "2026"], "unit": ["A", "A"], "ei_index": [None, 0.5]})
    >>> fig = ei_over_time(s, u)
    >>> [t.name for t in fig.data], fig.data[2].y
    (['organisation', 'organisation, expected from unit sizes', 'A'], (None, 0.5))
    """
    text = figure_text(lang)
    if summary.is_empty() or "period" not in summary.columns:
        return empty_figure(text["no_periods"], text["trend_title"])
    periods = summary["period"].to_list()
    traces = []
    if "ei_index" in units.columns and not units.is_empty():
        names = sorted(units["unit"].drop_nulls().unique().to_list())
        many = len(names) > 12
        for name in names:
            rows = dict(units.filter(pl.col("unit") == name).select("period", "ei_index").iter_rows())
            values = [rows.get(p) for p in periods]
            label = _label(name)
            traces.append(go.Scatter(
                x=periods, y=values, name=label, mode="lines+markers", line={"width": 1.2}, marker={"size": 4},
                opacity=0.75, visible="legendonly" if many else True,
                text=[text["trend_hover"].format(name=label, period=p, ei=_number(v, text)) for p, v in zip(periods, values)],
                hovertemplate="%{text}<extra></extra>",
            ))  # fmt: skip
    org = [
        go.Scatter(x=periods, y=summary[column].to_list() if column in summary.columns else [None] * len(periods),
                   name=text[key], mode="lines+markers", line={"color": colour, "width": width, "dash": dash},
                   hovertemplate=f"{text[key]}<br>%{{x}}: %{{y:.2f}}<extra></extra>")
        for column, key, colour, width, dash in (("ei_index", "trend_org", OBSERVED_COLOUR, 4, "solid"),
                                                 ("ei_expected", "trend_expected", EXPECTED_COLOUR, 2, "dash"))
    ]  # fmt: skip
    fig = go.Figure([*org, *traces])
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=periods)
    fig.update_yaxes(range=[-1.05, 1.05], zeroline=True, title={"text": text["trend_axis"]})
    return _layout(fig, text["trend_title"], 480)
