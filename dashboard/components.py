"""Reusable layout pieces: explained numbers, key-figure cards, tables and grids."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import polars as pl
from dash import html

from analyser.report.common import format_p
from analyser.roster import Problem
from analyser.i18n import number, t

__all__ = ["info", "card", "grid", "column_defs", "header_min_width", "GRID_LOCALES", "small_table", "problems_table", "note", "format_value",
           "grid_note", "p_text"]


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


#: Number locale of the grids per interface language (decimal comma in Swedish).
GRID_LOCALES = {"en": "en-GB", "sv": "sv-SE"}
#: Shares of shortest paths are often tiny (0.0004): three significant digits, never a
#: rounded "0" for someone who does lie on paths.
SIGNIFICANT_DIGITS = ("betweenness", "cross_unit_betweenness")


def header_min_width(header: str) -> int:
    """Narrowest column (px) whose header wraps between words, never inside one.

    About 8 px per character of the longest word, plus room for the padding and the
    filter icon.

    >>> header_min_width("Bridge concentration"), header_min_width("p")
    (160, 90)
    """
    longest = max((len(word) for word in header.split()), default=0)
    return max(90, 8 * longest + 56)


def column_defs(
    frame: pl.DataFrame, columns: Sequence[str], lang: str, texts: Mapping[str, str] | None = None
) -> list[dict]:
    """ag-grid column definitions: translated header, its explanation as header tooltip,
    floats with up to three decimals in the language's number style (missing as a dash),
    and columns wide enough that headers wrap between words.

    ``texts`` maps a column to a row field holding its ready-made text (e.g. p-values from
    :func:`p_text`): the grid shows that text but still sorts and filters by the number.

    Examples
    --------
    >>> defs = column_defs(pl.DataFrame({"unit": ["A"], "ei_index": [0.5]}), ["unit", "ei_index"], "sv")
    >>> [d["headerName"] for d in defs], "sv-SE" in defs[1]["valueFormatter"]["function"]
    (['Enhet', 'E-I-index'], True)
    >>> column_defs(pl.DataFrame({"ei_p": [0.001]}), ["ei_p"], "en", {"ei_p": "ei_p_text"})[0]["valueFormatter"]
    {'function': "params.data['ei_p_text'] == null ? '–' : params.data['ei_p_text']"}
    """
    defs = []
    locale = GRID_LOCALES.get(lang, GRID_LOCALES["en"])
    for column in columns:
        header = t(column, lang)
        spec: dict = {"field": column, "headerName": header, "headerTooltip": t(f"{column}_tip", lang),
                      "filter": True, "sortable": True, "minWidth": header_min_width(header)}  # fmt: skip
        dtype = frame.schema.get(column)
        if column in ("unit", "person", "project", "unit_a", "unit_b"):
            spec["minWidth"] = 220
        if dtype is not None and dtype.is_float():
            digits = "maximumSignificantDigits: 3" if column in SIGNIFICANT_DIGITS else "maximumFractionDigits: 3"
            spec["valueFormatter"] = {
                "function": f"params.value == null ? '\u2013' : params.value.toLocaleString('{locale}', {{{digits}}})"
            }
            spec["filter"] = "agNumberColumnFilter"
        elif dtype is not None and dtype.is_integer():
            spec["filter"] = "agNumberColumnFilter"
        if texts and column in texts:
            field = texts[column]  # a field name of ours, never user text
            spec["valueFormatter"] = {"function": f"params.data['{field}'] == null ? '\u2013' : params.data['{field}']"}
        defs.append(spec)
    return defs


def grid(grid_id: str, frame: pl.DataFrame, columns: Sequence[str], lang: str, *, row_id: str | None = None,
         height: int = 460, sort: tuple[str, bool] | None = None) -> dag.AgGrid:  # fmt: skip
    """A sortable, filterable grid of ``columns`` of ``frame``."""
    columns = [c for c in columns if c in frame.columns]
    defs = column_defs(frame, columns, lang)
    if sort:
        for d in defs:
            if d["field"] == sort[0]:
                d["sort"] = "desc" if sort[1] else "asc"
    options: dict = {"tooltipShowDelay": 300, "animateRows": False}
    if row_id:
        options["getRowId"] = {"function": f"params.data[{row_id!r}]"}
    return dag.AgGrid(
        id=grid_id,
        rowData=frame.select(columns).to_dicts(),
        columnDefs=defs,
        defaultColDef={"resizable": True, "minWidth": 90, "wrapHeaderText": True, "autoHeaderHeight": True},
        dashGridOptions=options,
        rowClassRules={"silo-row": "params.data.silo === true"} if "silo" in columns else {},
        columnSize="responsiveSizeToFit",
        style={"height": f"{height}px"},
    )


def problems_table(problems: Sequence[Problem], lang: str, *, limit: int = 200) -> html.Div:
    """The problems of a file as a table of line, column and message (the first ``limit``)."""
    if not problems:
        return html.P(t("upload_none", lang), className="text-muted")
    header = html.Thead(html.Tr([html.Th(t("upload_line", lang)), html.Th(t("upload_column", lang)),
                                 html.Th(t("upload_message", lang))]))  # fmt: skip
    rows = [
        html.Tr([html.Td("" if p.line is None else str(p.line), className="problem-line"),
                 html.Td(p.column or ""), html.Td(p.message)])
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
    return None if value is None else format_p(value, n_permutations, decimal="," if lang == "sv" else ".")


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
    '2 of 9 match \u201cp1\u201d.'
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
