"""Plotly figure builders for the report and the dashboard: tables in, figures out."""

from __future__ import annotations

import html
import textwrap

import numpy as np
import plotly.graph_objects as go
import polars as pl
from babel.numbers import format_decimal

from analyser import unit_order
from analyser.i18n import LOCALES, integer, number, plotly_separators, plural, section
from analyser.report.common import bridge_measure, format_p, top_bridges, verdicts

__all__ = [
    "TEXT",
    "TEXTS",
    "figure_text",
    "empty_figure",
    "unit_matrix_heatmap",
    "matrix_colourscale",
    "WITHHELD_COLOUR",
    "ei_observed_vs_expected",
    "top_bridges_bar",
    "ei_over_time",
    "short_label",
    "partner_ties_bar",
]

#: Every word a figure shows, per language ("en", "sv"); an unknown language falls back to English.
TEXTS: dict[str, dict[str, str]] = {lang: section("report.figure", lang) for lang in ("en", "sv")}

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
SOLE_BRIDGE_COLOUR = "#D68910"  # a unit link that hangs on one person: amber, a risk rather than a finding
NO_VERDICT_COLOUR = "#95A5A6"  # units with too little data: neutral grey, neither silo red nor open blue
MAX_CELL_LABELS = 15  # above this many units, numbers in the heatmap cells get unreadable
WITHHELD_COLOUR = "#c4c4c4"  # withheld cells of the matrix: the one grey, not on any colour scale
#: The matrix's blue ramp (ColorBrewer Blues), white to dark blue.
MATRIX_BLUES = ((255, 255, 255), (222, 235, 247), (198, 219, 239), (158, 202, 225), (107, 174, 214),
                (66, 146, 198), (33, 113, 181), (8, 81, 156), (8, 48, 107))  # fmt: skip


def _label(value: object) -> str:
    """User text as plotly shows it: plotly reads a subset of HTML in labels, so escape."""
    # quote=False: plotly renders &lt; and &amp; but shows &quot; literally.
    return html.escape("" if value is None else str(value), quote=False)


def _number(value: float | None, lang: str, digits: int = 2, *, significant: bool = False) -> str:
    """A figure's number in the language's style (decimal comma in Swedish); "withheld" when missing.

    ``significant``: up to ``digits`` significant digits instead of decimals, for shares of
    paths that are often tiny (0.0004) and must never read "0".

    >>> _number(-0.5, "sv"), _number(0.000412, "sv", 4, significant=True), _number(0.15, "en", 4, significant=True)
    ('−0,50', '0,000412', '0.15')
    """
    if significant and value is not None and value == value:
        pattern = "@" + "#" * (digits - 1)
        return format_decimal(value, format=pattern, locale=LOCALES.get(lang, "en")).replace("-", "\u2212")
    return number(value, lang, digits)


def _layout(fig: go.Figure, title: str, height: int, lang: str = "en") -> go.Figure:
    """Title, size and style of a figure; axis numbers with ``lang``'s decimal mark and
    thousands separator (:func:`analyser.i18n.plotly_separators`)."""
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        separators=plotly_separators(lang),
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


def _ramp(share: float) -> str:
    """The colour of a share (0–1) of the blue ramp of the matrix."""
    stops = MATRIX_BLUES
    x = min(max(share, 0.0), 1.0) * (len(stops) - 1)
    i = min(int(x), len(stops) - 2)
    a, b = stops[i], stops[i + 1]
    mix = [round(p + (q - p) * (x - i)) for p, q in zip(a, b)]
    return "#{:02x}{:02x}{:02x}".format(*mix)


def matrix_colourscale(steps: int = 8) -> list[list]:
    """Return the matrix's colour scale: white at 0 ties, dark blue at the top, square-root spaced.

    Ties between units are very uneven (a few pairs have hundreds, most a handful), so
    colour grows with the square root of the ties: small links stay visible. Grey is not
    on the scale: in the matrix grey means withheld.

    Examples
    --------
    >>> scale = matrix_colourscale(2)
    >>> scale[0], scale[-1]
    ([0.0, '#ffffff'], [1.0, '#08306b'])
    """
    return [[round((k / steps) ** 2, 4), _ramp(k / steps)] for k in range(steps + 1)]


def _matrix_names(view: unit_order.MatrixView, text: dict[str, str], lang: str) -> list[str]:
    """Full name of each row as hover texts show it: the path, a group's unit count, "Other units (n)"."""
    names = []
    for name, members in zip(view.names, view.members):
        if not name:
            names.append(text["matrix_other"].format(n=integer(len(members), lang)))
        elif view.grouped:
            names.append(f"{_label(name)} ({plural('count_units', len(members), lang)})")
        else:
            names.append(_label(name))
    return names


def unit_matrix_heatmap(
    units: pl.DataFrame,
    unit_links: pl.DataFrame,
    lang: str = "en",
    *,
    show: str = "top",
    top: int = unit_order.TOP_UNITS,
    font_size: int = FONT["size"],
) -> go.Figure:
    """Return a heatmap of person ties between pairs of units, ordered so blocks show.

    Cell (a, b) holds ``ties`` of the unit link a–b (the matrix is symmetric); the diagonal
    holds ``ties_internal`` of the unit. A pair absent from ``unit_links`` has 0 ties,
    unless one of its units is suppressed: then the cell is empty and grey ("withheld"),
    as is any null figure; grey is not on the colour scale.

    Which rows, and in what order, is :func:`analyser.unit_order.matrix_view`: by default
    the ``top`` units with most ties one by one and one last row "Other units (n)" adding
    up the rest (``show="all"``: every unit; ``show="parent"``: the units one level up),
    ordered by hierarchical clustering of their tie patterns with optimal leaf ordering,
    so that units working together sit side by side and show as dark squares on the
    diagonal. Axis labels are the last part of each unit's path (unique, at most 24
    characters); hover texts give the full path. Colour grows with the square root of
    the ties (:func:`matrix_colourscale`), up to the strongest link between two units
    shown; larger cells (a big unit's own ties, "Other units") are the darkest blue.

    Parameters
    ----------
    units
        Unit table with ``unit``, ``ties_internal`` and ``suppressed``.
    unit_links
        Unit link table with ``unit_a``, ``unit_b`` and ``ties``.
    lang
        Language of titles, axes, legends and hover texts: ``"en"`` or ``"sv"``
        (:data:`TEXTS`); the other builders take it too.
    show
        ``"top"``, ``"all"`` or ``"parent"`` (:data:`analyser.unit_order.SHOW_MODES`).
    top
        Most units shown one by one.
    font_size
        Size of the axis labels in pixels (the PDF prints a figure at about 0.63 pt per
        pixel, so 12 px is 7.5 pt).

    Returns
    -------
    go.Figure
        One Heatmap trace, or no trace and a note when there are no units.

    Examples
    --------
    >>> units = pl.DataFrame({"unit": ["A", "B"], "ties_internal": [3, 1],
    ...                       "suppressed": [False, False]})
    >>> links = pl.DataFrame({"unit_a": ["A"], "unit_b": ["B"], "ties": [2]})
    >>> unit_matrix_heatmap(units, links).data[0].z.tolist()
    [[3, 2], [2, 1]]
    """
    text = figure_text(lang)
    view = unit_order.matrix_view(units, unit_links, show=show, top=top)
    if not view.names:
        return empty_figure(text["no_units"], text["matrix_title"])
    names = _matrix_names(view, text, lang)
    labels = [text["matrix_other"].format(n=integer(len(m), lang)) if not n else _label(lab)
              for n, lab, m in zip(view.names, view.labels, view.members)]  # fmt: skip
    z = [[None if np.isnan(v) else int(v) for v in row] for row in view.ties]
    # a row adding up several units says how many of them are withheld (and not counted)
    notes = [
        "<br>" + plural("report.figure.matrix_withheld", w, lang) if w and len(m) > 1 else ""
        for w, m in zip(view.withheld, view.members)
    ]
    tie_text: dict[int | None, str] = {None: text["withheld"]}  # each count formatted once: 500 units are 250,000 cells
    for row in z:
        for v in row:
            if v not in tie_text:
                tie_text[v] = f"{integer(v, lang)} {text['ties_unit']}"
    hover = [
        [
            (text["matrix_hover_self"] if i == j else text["matrix_hover"]).format(
                a=names[i], b=names[j], ties=tie_text[v]
            ) + notes[i] + (notes[j] if i != j else "")
            for j, v in enumerate(row)
        ]
        for i, row in enumerate(z)
    ]  # fmt: skip
    single = len(names) - int(view.other)  # rows that are one unit (or group) each
    if view.other:
        # "Other units" adds up many units, so it would be the darkest everywhere: its colour
        # is the ties per unit it holds, which compares with a single unit's row
        n_other = len(view.members[-1])
        per_unit = [None if v is None else round(v / n_other, 1) for v in z[-1]]
        colour = [row[:-1] + [per_unit[i]] for i, row in enumerate(z[:-1])] + [per_unit]
        note = text["matrix_per_unit"]
        for i, v in enumerate(per_unit):
            if v is not None:
                extra = "<br>" + note.format(n=number(v, lang, digits=1))
                hover[-1][i] += extra
                if i != single:
                    hover[i][-1] += extra
    else:
        colour = z
    links = [v for i, row in enumerate(z[:single]) for j, v in enumerate(row[:single]) if i != j and v]
    zmax = max(links or [v for row in z for v in row if v] or [1])
    # numpy object arrays (None stays None): plotly checks nested lists cell by cell, which
    # takes seconds at 500 units
    heatmap = go.Heatmap(
        z=np.array(colour, dtype=object), x=names, y=names, text=np.array(hover, dtype=object),
        hovertemplate="%{text}<extra></extra>",
        colorscale=matrix_colourscale(), zmin=0, zmax=zmax, hoverongaps=True,
        colorbar={"title": {"text": text["ties_unit"]}, "thickness": 14, "len": min(1.0, 300 / (18 * len(names) + 1))},
        texttemplate="%{z}" if len(names) <= MAX_CELL_LABELS else None,
        textfont={"size": max(10, font_size - 2)},
    )  # fmt: skip
    fig = go.Figure(heatmap)
    axis = {"tickmode": "array", "tickvals": names, "ticktext": labels, "showgrid": False, "zeroline": False,
            "tickfont": {"size": font_size}, "ticks": ""}  # fmt: skip
    fig.update_xaxes(**axis, tickangle=-45, side="bottom")
    fig.update_yaxes(**axis, autorange="reversed")
    row = max(16, round(1.5 * font_size))
    longest = max(len(label) for label in view.labels + [text["matrix_other"]])
    fig = _layout(fig, text["matrix_title"], row * len(names) + 90 + round(0.5 * font_size * min(longest, 26)), lang)
    # grey shows through the empty (withheld) cells; the colour scale has no grey
    fig.update_layout(plot_bgcolor=WITHHELD_COLOUR, font={"size": font_size})
    return fig


def _p_text(value: float | None, n_permutations: int | None, text: dict[str, str], lang: str = "en") -> str:
    return text["withheld"] if value is None else format_p(value, n_permutations, lang=lang)


def _column(frame: pl.DataFrame, name: str) -> list:
    return frame[name].to_list() if name in frame.columns else [None] * frame.height


#: Most units in the E-I chart (rows of about 26 px stay readable on an A4 page).
EI_CHART_LIMIT = 30


def ei_observed_vs_expected(
    units: pl.DataFrame, lang: str = "en", n_permutations: int | None = None, limit: int = EI_CHART_LIMIT
) -> go.Figure:
    """Return a dot plot per unit: observed E-I index beside the E-I its size would give.

    Each unit is a row with a grey ring at ``ei_expected`` joined by a line to its observed
    ``ei_index``. The observed dot shows the unit's silo verdict (:func:`~analyser.report.common.verdicts`):
    a red diamond for a significant silo, a blue dot for a unit judged not a silo (or not
    tested), and a small grey dot for a unit with too little data for a verdict, so a
    two-person unit at −1 does not read as a finding. Units whose E-I is undefined or
    withheld are left out, with a note. Rows run from the most closed unit (top) to the
    most open. The hover text gives both baselines (random pairs of people, shuffled
    units), p and q at the test's resolution (``n_permutations``) and the verdict.

    With more than ``limit`` units the chart shows every significant silo and then the
    largest units up to ``limit`` rows, and says so: one row per unit of a 500-unit
    organisation would print at a few points high on A4. The unit table lists them all.

    Returns
    -------
    go.Figure
        Five traces (connectors, expected, observed, significant silos, too little data;
        a legend entry only for kinds that occur) or, with no unit to show, no trace and a note.

    Examples
    --------
    >>> units = pl.DataFrame({"unit": ["A", "B", "C"], "ei_index": [-0.6, 0.2, -1.0],
    ...                       "ei_expected": [0.1, 0.3, 0.9], "ei_p": [0.001, 0.4, 0.01],
    ...                       "verdict": ["silo", "not_silo", "too_little_data"]})
    >>> fig = ei_observed_vs_expected(units, n_permutations=999)
    >>> [t.name for t in fig.data][1:], fig.data[3].y, fig.data[4].y
    (['expected from size', 'observed', 'significant silo', 'too little data for a verdict'], ('A',), ('C',))
    >>> ei_observed_vs_expected(units, lang="sv").data[1].text[0].split("<br>")[-2:]
    ['p = 0,400, q = dolt', 'ingen silo']
    """
    text = figure_text(lang)
    if units.is_empty() or not {"unit", "ei_index", "ei_expected"} <= set(units.columns):
        return empty_figure(text["no_units"], text["ei_title"])
    shown = (
        units.with_columns(verdicts(units).alias("_verdict"))
        .filter(pl.col("ei_index").is_not_null())
        .sort("ei_index", "unit", descending=[True, False])  # plotly draws the first row at the bottom
    )
    if shown.is_empty():
        return empty_figure(text["no_ei"], text["ei_title"])
    notes = []
    if shown.height > limit:
        size = pl.col("people") if "people" in shown.columns else pl.lit(0)
        kept = (shown.with_columns((pl.col("_verdict") == "silo").alias("_silo"), size.alias("_size"))
                .sort(["_silo", "_size", "unit"], descending=[True, True, False]).head(limit)["unit"])  # fmt: skip
        notes.append(text["ei_capped"].format(shown=limit, total=shown.height))
        shown = shown.filter(pl.col("unit").is_in(kept.to_list()))
    labels = [_label(u) for u in shown["unit"]]
    observed, expected = shown["ei_index"].to_list(), shown["ei_expected"].to_list()
    verdict = shown["_verdict"].to_list()
    hover = [
        text["ei_hover"].format(unit=lab, ei=_number(o, lang), expected=_number(e, lang), perm=_number(pe, lang),
                                p=_p_text(p, n_permutations, text, lang), q=_p_text(q, n_permutations, text, lang),
                                verdict=text[f"verdict_{v or 'not_tested'}"])
        for lab, o, e, pe, p, q, v in zip(labels, observed, expected, _column(shown, "ei_expected_perm"),
                                          _column(shown, "ei_p"), _column(shown, "ei_q"), verdict)
    ]  # fmt: skip
    kinds = ["silo" if v == "silo" else "none" if v == "too_little_data" else "observed" for v in verdict]

    def dots(kind: str, name: str, marker: dict) -> go.Scatter:
        pick = [i for i, k in enumerate(kinds) if k == kind]
        return go.Scatter(x=[observed[i] for i in pick], y=[labels[i] for i in pick], text=[hover[i] for i in pick],
                          mode="markers", name=name, hovertemplate="%{text}<extra></extra>", marker=marker,
                          showlegend=bool(pick) or kind == "observed")  # fmt: skip

    line_x = [v for o, e in zip(observed, expected) for v in (e, o, None)]
    line_y = [v for lab in labels for v in (lab, lab, None)]
    fig = go.Figure(
        [
            go.Scatter(x=line_x, y=line_y, mode="lines", line={"color": "#BBBBBB", "width": 2},
                       hoverinfo="skip", showlegend=False),
            go.Scatter(x=expected, y=labels, mode="markers", name=text["expected"], text=hover,
                       hovertemplate="%{text}<extra></extra>",
                       marker={"color": "white", "size": 10, "line": {"color": EXPECTED_COLOUR, "width": 2}}),
            dots("observed", text["observed"], {"color": OBSERVED_COLOUR, "size": 11}),
            dots("silo", text["silo"], {"color": SILO_COLOUR, "size": 13, "symbol": "diamond"}),
            dots("none", text["too_little"], {"color": "#D5DADF", "size": 8,
                                              "line": {"color": NO_VERDICT_COLOUR, "width": 1}}),
        ]
    )  # fmt: skip
    fig.update_xaxes(range=[-1.05, 1.05], zeroline=True, title={"text": text["ei_axis"]})
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=labels)
    fig.update_layout(legend={"orientation": "h", "y": -0.2 - 2.0 / max(len(labels), 4)})
    left_out = units.filter(pl.col("ei_index").is_null()).height if "ei_index" in units.columns else 0
    if left_out:
        notes.append(text["not_shown"].format(n=left_out))
    lines = [_label(line) for note in notes for line in textwrap.wrap(note, 80)]
    if lines:
        fig.add_annotation(text="<br>".join(lines), showarrow=False, align="left",
                           x=0, y=1.0, xref="paper", yref="paper", xanchor="left", yanchor="bottom")  # fmt: skip
    fig = _layout(fig, text["ei_title"], max(300, 26 * len(labels) + 160), lang)
    return fig.update_layout(margin_t=60 + 16 * len(lines)) if lines else fig


def top_bridges_bar(people: pl.DataFrame, n: int = 15, lang: str = "en") -> go.Figure:
    """Return a horizontal bar chart of the ``n`` people who bridge units most.

    People are ranked by cross-unit betweenness (the share of shortest paths between people
    of different units through them), then betweenness, then name, so the chart is the same
    on every run (:func:`~analyser.report.common.top_bridges`); people whose cross-unit
    betweenness is 0 or undefined bridge nothing and are left out. A people table without
    that column (an older analysis) ranks by betweenness. The top person is at the top.

    Returns
    -------
    go.Figure
        One Bar trace, or no trace and a note when nobody bridges units.

    Examples
    --------
    >>> people = pl.DataFrame({"person": ["ann", "bob", "cid", "dan"], "unit": ["A", "A", "B", "B"],
    ...                        "betweenness": [0.1, None, 0.5, 0.7], "cross_unit_betweenness": [0.2, None, 0.4, 0.0],
    ...                        "sole_bridges": [0, 0, 1, 0]})
    >>> top_bridges_bar(people, n=5).data[0].y
    ('ann', 'cid')
    >>> top_bridges_bar(people.with_columns(cross_unit_betweenness=0.0)).layout.annotations[0].text[:27]
    'No one stands between peopl'
    """
    text = figure_text(lang)
    if people.is_empty() or not {"person", "betweenness"} <= set(people.columns):
        return empty_figure(text["no_people"], text["bridges_title"].format(n=n))
    measure = bridge_measure(people)
    top = top_bridges(people, n).reverse()  # plotly draws the first bar at the bottom
    if top.is_empty():
        return empty_figure(text["no_bridges"], text["bridges_title"].format(n=n))
    labels = [_label(p) for p in top["person"]]
    units = _column(top, "unit")
    sole = _column(top, "sole_bridges")
    hover = [
        text["bridges_hover"].format(person=lab, unit=_label(u), value=_number(b, lang, 4, significant=True),
                                     all="–" if a is None else _number(a, lang, 4, significant=True),
                                     sole="–" if s is None else s)
        for lab, u, b, a, s in zip(labels, units, top[measure], top["betweenness"], sole)
    ]  # fmt: skip
    bar = go.Bar(x=top[measure].to_list(), y=labels, orientation="h", text=hover,
                 hovertemplate="%{text}<extra></extra>", textposition="none",
                 marker={"color": OBSERVED_COLOUR})  # fmt: skip
    fig = go.Figure(bar)
    fig.update_xaxes(title={"text": text["bridges_axis" if measure == "cross_unit_betweenness" else "bridges_axis_all"]})
    fig.update_yaxes(type="category")
    return _layout(fig, text["bridges_title"].format(n=top.height), max(300, 24 * top.height + 140), lang)


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
                text=[text["trend_hover"].format(name=label, period=p, ei=_number(v, lang)) for p, v in zip(periods, values)],
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
    return _layout(fig, text["trend_title"], 480, lang)


def short_label(name: str, width: int = 28) -> str:
    """Return ``name`` cut to about ``width`` characters for an axis label, keeping its end.

    The last part of a unit path ("…/Tillsyn") tells units of one department apart, so it
    stays whole when there is room and the department is cut; otherwise the cut is in the
    middle. Hover texts keep the full name.

    Examples
    --------
    >>> short_label("IT"), short_label("Utbildningsförvaltningen/Gymnasium")
    ('IT', 'Utbildningsförval…/Gymnasium')
    >>> short_label("Kultur- och fritidsförvaltningen/Idrott och anläggningar")
    'Kultur- och fr… anläggningar'
    """
    if len(name) <= width:
        return name
    head, sep, last = name.rpartition("/")
    room = width - len(last) - 2  # for "…/"
    if sep and room >= 6:
        return head[:room] + "…/" + last
    tail = (width - 1) // 2
    return name[: width - 1 - tail] + "…" + name[-tail:]


def partner_ties_bar(partners: pl.DataFrame, n: int = 8, lang: str = "en", font_size: int = 13) -> go.Figure:
    """Return a small horizontal bar chart of one unit's ties to each partner unit.

    The ``n`` partners with the most ties are shown, most at the top (then by name), each bar
    labelled with its number of ties. A partner whose link hangs on one person
    (``hangs_on_one_person``) has an amber bar. The chart has no title (the page around it
    has one); ``font_size`` scales text, bar height and margins together, so the same chart
    can be drawn for a screen or shrunk onto half an A4 page.

    Parameters
    ----------
    partners
        One row per partner unit: ``partner``, ``ties`` and optionally ``shared_projects``
        and ``hangs_on_one_person``.
    n
        Most bars shown.
    lang
        ``"en"`` or ``"sv"`` (:data:`TEXTS`).
    font_size
        Size of every text in pixels.

    Returns
    -------
    go.Figure
        One Bar trace, or no trace and a note when there is no partner with ties.

    Examples
    --------
    >>> p = pl.DataFrame({"partner": ["B", "C", "D"], "ties": [2, 9, 2], "hangs_on_one_person": [True, False, False]})
    >>> fig = partner_ties_bar(p, n=2)
    >>> fig.data[0].y, fig.data[0].x, fig.data[0].marker.color
    (('B', 'C'), (2, 9), ('#D68910', '#1F4E79'))
    """
    text = figure_text(lang)
    if partners.is_empty() or not {"partner", "ties"} <= set(partners.columns):
        return empty_figure(text["no_partners"])
    top = (
        partners.filter(pl.col("ties").fill_null(0) > 0)
        .sort(["ties", "partner"], descending=[True, False])
        .head(n)
        .reverse()  # plotly draws the first bar at the bottom
    )
    if top.is_empty():
        return empty_figure(text["no_partners"])
    names = top["partner"].to_list()
    ties = top["ties"].to_list()
    sole = [bool(s) for s in _column(top, "hangs_on_one_person")]
    hover = [
        text["partners_hover_sole" if s else "partners_hover"].format(
            partner=_label(name), ties=t, projects="–" if p is None else p
        )
        for name, t, p, s in zip(names, ties, _column(top, "shared_projects"), sole)
    ]
    bar = go.Bar(
        x=ties, y=names, orientation="h", text=ties, textposition="outside", cliponaxis=False,
        hovertext=hover, hovertemplate="%{hovertext}<extra></extra>",
        marker={"color": [SOLE_BRIDGE_COLOUR if s else OBSERVED_COLOUR for s in sole]},
    )  # fmt: skip
    fig = go.Figure(bar)
    # categories stay the full names (two long names may share a short label); ticks show them cut
    fig.update_yaxes(type="category", tickvals=names, ticktext=[_label(short_label(name)) for name in names])
    fig.update_xaxes(visible=False, range=[0, max(ties) * 1.18])  # room for the number after the longest bar
    row = round(2.1 * font_size)
    fig.update_layout(
        template="plotly_white", font={**FONT, "size": font_size}, height=row * len(names) + 2 * font_size,
        margin={"l": 4, "r": 4, "t": font_size // 2, "b": font_size // 2}, bargap=0.3, showlegend=False,
    )  # fmt: skip
    fig.update_yaxes(automargin=True)
    return fig
