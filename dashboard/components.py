"""Reusable layout pieces: explained numbers, key-figure cards, tables, grids and chart settings.

Every grid is made by :func:`ag_grid` and every chart's ``dcc.Graph`` takes :func:`graph_config`,
so the grids' and charts' own words (pagination, filter menu, toolbar) and their numbers follow
the reader's language like the rest of the page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import polars as pl
from babel.dates import get_day_names, get_month_names
from dash import html

from analyser.i18n import LOCALES, catalogue, number, plotly_separators, section, t
from analyser.report.common import format_p
from analyser.roster import Problem

__all__ = ["info", "card", "ag_grid", "grid", "column_defs", "header_min_width", "GRID_LOCALES", "grid_locale_text",
           "graph_config", "plotly_locale", "small_table", "problems_table", "note", "format_value", "grid_note",
           "p_text"]  # fmt: skip


def info(tip_key: str, lang: str, anchor: str) -> list:
    """An "i" sign with the explanation ``tip_key`` as its tooltip (``anchor`` must be unique on the page)."""
    return [
        html.Span("i", id=anchor, className="info-sign ms-1", tabIndex=0, **{"aria-label": t(tip_key, lang)}),
        dbc.Tooltip(t(tip_key, lang), target=anchor, placement="bottom"),
    ]


def card(title_key: str, value: str, tip_key: str, lang: str, note: str | None = None) -> dbc.Col:
    """A key-figure card: title, value, an optional line under the value, and its explanation."""
    anchor = f"tip-{title_key}"
    under = [html.Div(note, className="small text-muted", id=f"note-{title_key}")] if note else []
    body = dbc.Card(
        dbc.CardBody([
            html.Div([t(title_key, lang), *info(tip_key, lang, anchor)], className="small text-muted"),
            html.Div(value, className="fs-4 fw-semibold figure-value", id=f"value-{title_key}"),
            *under,
        ]),
        className="h-100 shadow-sm",
    )  # fmt: skip
    return dbc.Col(body, xs=6, md=4, xl=3, className="mb-3")


#: Number locale of the grids per interface language (decimal comma in Swedish), for
#: ``Intl.NumberFormat`` in the browser.
GRID_LOCALES = {"en": "en-GB", "sv": "sv-SE"}
#: Shares of shortest paths are often tiny (0.0004): three significant digits, never a
#: rounded "0" for someone who does lie on paths.
SIGNIFICANT_DIGITS = ("betweenness", "cross_unit_betweenness")
#: z-scores: two decimals, one when the score is large (−96.2): more would be noise.
SCORES = ("ei_z",)
#: Columns that name the row (a unit, person or project): pinned left in a grid of more than
#: :data:`PIN_FROM` columns, so a wide grid can scroll sideways and still say whose figures
#: are shown.
NAME_COLUMNS = ("unit", "person", "project", "unit_a")
PIN_FROM = 4


def grid_locale_text(lang: str) -> dict[str, str]:
    """AG Grid's own words in ``lang`` (its ``localeText``: pagination, filter and column
    menus, overlays), from the catalogue's ``grid.*`` keys, plus the number separators of
    its pagination panel.

    >>> text = grid_locale_text("sv")
    >>> text["page"], text["of"], text["contains"], text["decimalSeparator"]
    ('Sida', 'av', 'Innehåller', ',')
    """
    decimal, thousands = plotly_separators(lang)
    return {**section("grid", lang), "decimalSeparator": decimal, "thousandSeparator": thousands}


def plotly_locale(lang: str) -> dict:
    """A Plotly locale for ``lang``: its toolbar and hint texts from the catalogue's ``chart.*``
    keys (keyed by Plotly's English text) and its number and date style.

    >>> sv = plotly_locale("sv")
    >>> sv["dictionary"]["Zoom in"], sv["format"]["decimal"], sv["format"]["months"][0]
    ('Zooma in', ',', 'januari')
    """
    decimal, thousands = plotly_separators(lang)
    english = catalogue("en")
    words = {english[key]: text for key, text in catalogue(lang).items() if key.startswith("chart.")}
    locale = LOCALES.get(lang, "en")
    days = get_day_names("wide", locale=locale)
    short_days = get_day_names("abbreviated", locale=locale)
    order = (6, 0, 1, 2, 3, 4, 5)  # Plotly's weeks start on Sunday, Babel's on Monday
    month_names = get_month_names("wide", locale=locale)
    short_months = get_month_names("abbreviated", locale=locale)
    return {
        "dictionary": words,
        "format": {
            "days": [days[d] for d in order], "shortDays": [short_days[d] for d in order],
            "months": [month_names[m] for m in range(1, 13)], "shortMonths": [short_months[m] for m in range(1, 13)],
            "date": "%Y-%m-%d", "decimal": decimal, "thousands": thousands,
        },
    }  # fmt: skip


def graph_config(lang: str, **config) -> dict:
    """The ``config`` of a ``dcc.Graph`` in ``lang``: Plotly's toolbar in the language and axis
    numbers with its decimal mark (Plotly's separators follow the locale unless a figure sets
    ``layout.separators``).

    >>> c = graph_config("sv")
    >>> c["locale"], c["locales"]["sv"]["format"]["decimal"], c["displaylogo"]
    ('sv', ',', False)
    """
    code = lang if lang in GRID_LOCALES else "en"
    return {"displaylogo": False, **config, "locale": code, "locales": {code: plotly_locale(code)}}


def header_min_width(header: str) -> int:
    """Narrowest column (px) whose header wraps between words, never inside one.

    About 8 px per character of the longest word, plus room for the padding and the
    filter icon.

    >>> header_min_width("Bridge concentration"), header_min_width("p")
    (160, 90)
    """
    longest = max((len(word) for word in header.split()), default=0)
    return max(90, 8 * longest + 56)


def _number_formatter(column: str, locale: str, *, whole: bool) -> dict:
    """The valueFormatter of a number column: the language's decimal mark and thousands
    separator and a true minus (``formatNumber`` in ``assets/grid_numbers.js``); a dash when
    missing."""
    if whole:
        options = "{maximumFractionDigits: 0}"
    elif column in SIGNIFICANT_DIGITS:
        options = "{maximumSignificantDigits: 3}"
    elif column in SCORES:
        return {"function": f"formatScore(params.value, '{locale}')"}
    else:  # two decimals, as on the cards and in the report
        options = "{minimumFractionDigits: 2, maximumFractionDigits: 2}"
    return {"function": f"formatNumber(params.value, '{locale}', {options})"}


def column_defs(
    frame: pl.DataFrame, columns: Sequence[str], lang: str, texts: Mapping[str, str] | None = None
) -> list[dict]:
    """ag-grid column definitions: translated header, its explanation as header tooltip,
    numbers right-aligned in the language's style (thousands separated, floats with two
    decimals as on the cards, shares of paths with three significant digits, large z-scores
    with one, missing as a dash), columns wide enough that headers wrap between words, and in a
    wide grid a first column that names the row pinned left.

    ``texts`` maps a column to a row field holding its ready-made text (e.g. p-values from
    :func:`p_text`): the grid shows that text but still sorts and filters by the number.

    Examples
    --------
    >>> defs = column_defs(pl.DataFrame({"unit": ["A"], "ei_index": [0.5]}), ["unit", "ei_index"], "sv")
    >>> [d["headerName"] for d in defs], "sv-SE" in defs[1]["valueFormatter"]["function"], "pinned" in defs[0]
    (['Enhet', 'E-I-index'], True, False)
    >>> column_defs(pl.DataFrame({"unit": ["A"]}), ["unit", "people", "projects", "ei_index", "ei_z"], "sv")[0]["pinned"]
    'left'
    >>> column_defs(pl.DataFrame({"ei_p": [0.001]}), ["ei_p"], "en", {"ei_p": "ei_p_text"})[0]["valueFormatter"]
    {'function': "params.data['ei_p_text'] == null ? '–' : params.data['ei_p_text']"}
    """
    defs = []
    locale = GRID_LOCALES.get(lang, GRID_LOCALES["en"])
    for position, column in enumerate(columns):
        header = t(column, lang)
        spec: dict = {"field": column, "headerName": header, "headerTooltip": t(f"{column}_tip", lang),
                      "filter": True, "sortable": True, "minWidth": header_min_width(header)}  # fmt: skip
        dtype = frame.schema.get(column)
        if column in ("unit", "person", "project", "unit_a", "unit_b"):
            spec["minWidth"] = 220
        if position == 0 and column in NAME_COLUMNS and len(columns) > PIN_FROM:
            spec["pinned"] = "left"
        if dtype is not None and dtype.is_numeric():
            spec["valueFormatter"] = _number_formatter(column, locale, whole=dtype.is_integer())
            spec["filter"] = "agNumberColumnFilter"
            spec["type"] = "rightAligned"
        if texts and column in texts:
            field = texts[column]  # a field name of ours, never user text
            spec["valueFormatter"] = {"function": f"params.data['{field}'] == null ? '\u2013' : params.data['{field}']"}
        defs.append(spec)
    return defs


def ag_grid(grid_id: str, lang: str, *, height: int = 460, pagination: int | None = None,
            options: Mapping[str, Any] | None = None, default_col: Mapping[str, Any] | None = None,
            **props: Any) -> dag.AgGrid:  # fmt: skip
    """An AG Grid that speaks ``lang``: every grid of the dashboard is made here.

    Its own words (pagination, filter and column menus, "no rows") come from the catalogue
    (:func:`grid_locale_text`); columns fill the width but keep their minimum widths, so a
    wide table scrolls sideways with its pinned name column (see :func:`column_defs`).
    ``pagination`` is the page size (``None``: no pages); ``options`` and ``default_col`` add
    to the grid options and the default column definition; ``props`` go to ``dag.AgGrid``.

    Examples
    --------
    >>> g = ag_grid("g", "sv", pagination=20)
    >>> g.dashGridOptions["localeText"]["page"], g.dashGridOptions["paginationPageSize"], g.style
    ('Sida', 20, {'height': '460px'})
    """
    grid_options: dict[str, Any] = {"tooltipShowDelay": 300, "animateRows": False, "localeText": grid_locale_text(lang)}
    if pagination:
        grid_options |= {"pagination": True, "paginationPageSize": pagination, "paginationPageSizeSelector": False}
    grid_options |= dict(options or {})
    props.setdefault("rowData", [])
    props.setdefault("columnDefs", [])
    return dag.AgGrid(
        id=grid_id,
        defaultColDef={"resizable": True, "minWidth": 90, "wrapHeaderText": True, "autoHeaderHeight": True,
                       **(default_col or {})},
        dashGridOptions=grid_options,
        columnSize="responsiveSizeToFit",
        style={"height": f"{height}px"},
        **props,
    )  # fmt: skip


def grid(grid_id: str, frame: pl.DataFrame, columns: Sequence[str], lang: str, *, row_id: str | None = None,
         height: int = 460, sort: tuple[str, bool] | None = None) -> dag.AgGrid:  # fmt: skip
    """A sortable, filterable grid of ``columns`` of ``frame`` (an :func:`ag_grid` with its rows)."""
    columns = [c for c in columns if c in frame.columns]
    defs = column_defs(frame, columns, lang)
    if sort:
        for d in defs:
            if d["field"] == sort[0]:
                d["sort"] = "desc" if sort[1] else "asc"
    options = {"getRowId": {"function": f"params.data[{row_id!r}]"}} if row_id else {}
    return ag_grid(grid_id, lang, height=height, options=options, rowData=frame.select(columns).to_dicts(),
                   columnDefs=defs, rowClassRules={"silo-row": "params.data.silo === true"} if "silo" in columns else {})


def problems_table(problems: Sequence[Problem], lang: str, *, limit: int = 200) -> html.Div:
    """The problems of a file as a table of line, column and message (the first ``limit``), in ``lang``."""
    if not problems:
        return html.P(t("upload_none", lang), className="text-muted")
    header = html.Thead(html.Tr([html.Th(t("upload_line", lang)), html.Th(t("upload_column", lang)),
                                 html.Th(t("upload_message", lang))]))  # fmt: skip
    rows = [
        html.Tr([html.Td("" if p.line is None else str(p.line), className="problem-line"),
                 html.Td(p.column_text(lang)), html.Td(p.text(lang))])
        for p in problems[:limit]
    ]  # fmt: skip
    more = [html.P(f"\u2026 +{len(problems) - limit}", className="text-muted")] if len(problems) > limit else []
    return html.Div([dbc.Table([header, html.Tbody(rows)], size="sm", striped=True, className="problems"), *more])


def note(text: str, color: str = "secondary", **kwargs) -> dbc.Alert:
    """A short message in a coloured box."""
    return dbc.Alert(text, color=color, className="py-2", **kwargs)


def p_text(value: float | None, n_permutations: int | None, lang: str) -> str | None:
    """A p- or q-value as the report writes it (:func:`analyser.report.common.format_p`), in the
    language's number style; ``None`` stays ``None``.

    >>> p_text(0.001, 999, "sv"), p_text(0.0234, 999, "en"), p_text(None, 999, "en")
    ('≤ 0,001', '0.023', None)
    """
    return None if value is None else format_p(value, n_permutations, lang=lang)


def format_value(value: object, lang: str) -> str:
    """Cell text of a table value: floats with two decimals in the language's style.

    >>> format_value(0.5, "sv"), format_value(None, "en"), format_value(3, "en")
    ('0,50', '', '3')
    """
    if isinstance(value, float):
        return number(value, lang)
    return "" if value is None else str(value)


def small_table(frame: pl.DataFrame, columns: Sequence[str], lang: str, table_id: str) -> dbc.Table:
    """A plain table of ``columns`` of ``frame``; each header explains itself on hover."""
    header = html.Thead(html.Tr([html.Th(t(c, lang), title=t(f"{c}_tip", lang)) for c in columns]))
    body = html.Tbody([html.Tr([html.Td(format_value(v, lang)) for v in row]) for row in frame.select(columns).rows()])
    return dbc.Table([header, body], size="sm", striped=True, hover=True, id=table_id)


def grid_note(capped_key: str, shown: int, matched: int, total: int, search: str | None, lang: str,
              note_id: str) -> dbc.Alert | None:  # fmt: skip
    """What a capped grid says about its rows: how many of all are shown, or how many match
    the search (``None`` when every row is shown and nothing is searched).

    ``capped_key`` is the page's sentence for an unsearched grid cut at ``shown`` rows.

    Examples
    --------
    >>> grid_note("projects_capped", 3, 9, 9, None, "en", "n").children
    'Showing the first 3 of 9 projects (most units first); search for a project to find any other.'
    >>> grid_note("projects_capped", 2, 2, 9, " p1 ", "en", "n").children
    'Matching \u201cp1\u201d: 2 of 9.'
    >>> grid_note("projects_capped", 9, 9, 9, "", "en", "n") is None
    True
    """
    search = (search or "").strip()
    values = {"shown": number(shown, lang), "matched": number(matched, lang), "total": number(total, lang),
              "search": search}  # fmt: skip
    if not search:
        return note(t(capped_key, lang, **values), "info", id=note_id) if shown < total else None
    if matched == 0:
        return note(t("grid_no_match", lang, **values), "warning", id=note_id)
    key = "grid_matches_capped" if shown < matched else "grid_matches"
    return note(t(key, lang, **values), "info", id=note_id)
