"""Trends page: figures period by period, the change between two periods, and between two datasets."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import dash_bootstrap_components as dbc
import plotly.graph_objects as go
import polars as pl
from dash import Dash, Input, Output, State, dcc, html, no_update
from dash.exceptions import PreventUpdate

from analyser.analysis import Analysis
from analyser.changes import compare
from analyser.periods import PERIODS
from analyser.store import DatasetInfo
from dashboard import ids, progress
from dashboard.components import graph_config, info, note, p_text, small_table
from dashboard.data import DashboardData, TrendData, dataset_label
from dashboard.settings import Settings, parse_settings
from dashboard.figures import org_ei_trend, summary_trend, unit_ei_trend
from analyser.i18n import number, t

__all__ = [
    "PATH",
    "TITLE_KEY",
    "DEFAULT_PERIOD",
    "CHANGE_ROWS",
    "layout",
    "register_callbacks",
    "period_options",
    "trend_notes",
    "trend_figures",
    "period_choice",
    "period_change",
    "change_view",
    "other_dataset_options",
    "dataset_change",
    "trends_view",
]

PATH = "/trends"
TITLE_KEY = "nav_trends"
DEFAULT_PERIOD = "quarter"
I = ids.Trends
#: The period analyses of a large roster run as a background job with this progress panel.
SCOPE = "trends"
GRAPH_CONFIG = {"displaylogo": False}
#: Most rows of each change table; at 100,000 people two quarters differ by thousands of sole bridges.
CHANGE_ROWS = 100


def period_options(lang: str) -> list[dict]:
    """Options of the period selector, shortest first.

    >>> [o["label"] for o in period_options("sv")]
    ['Månad', 'Kvartal', 'Halvår', 'År']
    """
    return [{"label": t(f"period_{p}", lang), "value": p} for p in PERIODS]


def _graph(graph_id: str, lang: str) -> dcc.Graph:
    return dcc.Graph(id=graph_id, config=graph_config(lang, **GRAPH_CONFIG))


def layout(lang: str = "en", **_query: Any) -> html.Div:
    """The trends page in ``lang``."""
    return html.Div([
        html.H2(t("trends_title", lang)),
        html.P(t("trends_intro", lang), className="text-muted"),
        dbc.Row(dbc.Col([dbc.Label(t("trends_period", lang), html_for=I.PERIOD, className="small mb-0"),
                         dbc.Select(id=I.PERIOD, options=period_options(lang), value=DEFAULT_PERIOD)],
                        xs=6, md=3, lg=2), className="mb-2"),
        progress.panel(SCOPE, lang, retry=True),
        dcc.Loading(html.Div(id=I.NOTES)),
        dbc.Row([dbc.Col(_graph(I.ORG_EI, lang), lg=12, className="mb-2")]),
        dbc.Row([dbc.Col(_graph(I.SHARE, lang), lg=6, className="mb-2"), dbc.Col(_graph(I.MODULARITY, lang), lg=6, className="mb-2")]),
        _graph(I.UNIT_EI, lang),
        html.H3(t("trends_changes_title", lang), className="mt-4"),
        dbc.Row([
            dbc.Col([dbc.Label(t("trends_from", lang), className="small mb-0"),
                     dcc.Dropdown(id=I.FROM, options=[], value=None, clearable=False)], xs=6, md=3),
            dbc.Col([dbc.Label(t("trends_to", lang), className="small mb-0"),
                     dcc.Dropdown(id=I.TO, options=[], value=None, clearable=False)], xs=6, md=3),
        ], className="mb-2"),
        dcc.Loading(html.Div(id=I.CHANGES)),
        html.H3(t("trends_compare_title", lang), className="mt-4"),
        html.P(t("trends_compare_intro", lang), className="text-muted"),
        dbc.Row(dbc.Col([dbc.Label(t("trends_other", lang), className="small mb-0"),
                         dcc.Dropdown(id=I.OTHER, options=[], value=None)], xs=12, md=6), className="mb-2"),
        dcc.Loading(html.Div(id=I.OTHER_CHANGES)),
    ])  # fmt: skip


# -- over time ------------------------------------------------------------------------------


def trend_notes(trend: TrendData | None, lang: str) -> list:
    """What the page says about the dates: none at all, undated rows, the periods found."""
    if trend is None:
        return [note(t("no_dataset", lang))]
    if not trend.dated:
        return [note(t("trends_no_dates", lang), "warning", id="trends-no-dates")]
    labels = trend.labels
    notes = [html.P(t("trends_periods", lang, n=len(labels), first=labels[0], last=labels[-1]), id="trends-periods")]
    if trend.undated:
        notes.append(note(t("trends_undated", lang, n=number(trend.undated, lang)), "info", id="trends-undated"))
    return notes


def trend_figures(trend: TrendData | None, lang: str) -> tuple[go.Figure, go.Figure, go.Figure, go.Figure]:
    """Organisation E-I, cross-unit project share, modularity and each unit's E-I by period."""
    summary = trend.summary if trend is not None else pl.DataFrame()
    units = trend.units if trend is not None else pl.DataFrame()
    labels = trend.labels if trend is not None else []
    return (
        org_ei_trend(summary, lang),
        summary_trend(summary, "cross_unit_project_share", lang),
        summary_trend(summary, "modularity", lang),
        unit_ei_trend(units, labels, lang),
    )


def period_choice(trend: TrendData | None) -> tuple[list[dict], str | None, str | None]:
    """Period options and the default comparison: the last period against the one before.

    >>> period_choice(None)
    ([], None, None)
    """
    labels = trend.labels if trend is not None else []
    options = [{"label": p, "value": p} for p in labels]
    if not labels:
        return options, None, None
    return options, labels[-2] if len(labels) > 1 else labels[0], labels[-1]


def period_change(trend: TrendData | None, before: str | None, after: str | None) -> dict | None:
    """:func:`analyser.changes.compare` of two periods (``None`` when either is missing)."""
    if trend is None:
        return None
    a, b = trend.analysis(before), trend.analysis(after)
    return compare(a, b) if a is not None and b is not None else None


def _pairs(rows: Sequence[Sequence[str]]) -> pl.DataFrame:
    return pl.DataFrame([list(r) for r in rows], schema={"unit_a": pl.String, "unit_b": pl.String}, orient="row")


def _part(heading_key: str, frame: pl.DataFrame, columns: Sequence[str], lang: str, part_id: str,
          tip_key: str | None = None) -> list:  # fmt: skip
    heading = [t(heading_key, lang, n=frame.height), *(info(tip_key, lang, f"tip-{part_id}") if tip_key else [])]
    body = small_table(frame.head(CHANGE_ROWS), list(columns), lang, part_id) if frame.height else html.P(t("change_none", lang), id=part_id)
    more = ([html.P(t("change_more", lang, n=number(frame.height - CHANGE_ROWS, lang), shown=CHANGE_ROWS),
                    className="text-muted small", id=f"{part_id}-more")] if frame.height > CHANGE_ROWS else [])  # fmt: skip
    return [html.H5(heading, className="mt-3"), body, *more]


def change_view(change: dict | None, lang: str, *, prefix: str = "change") -> list:
    """The change report: unit pairs started and stopped, significant E-I moves, sole bridges.

    Persons appear only as :func:`analyser.changes.compare` gives them: names, codes in
    pseudonym mode, and not at all in aggregate mode (pairs only). ``prefix`` keeps the
    table ids of two reports on one page apart.
    """
    if change is None:
        return []
    significant = [m for m in change["ei_moves"] if m["significant"]]
    moves = pl.DataFrame(
        [(m["unit"], m["ei_before"], m["ei_after"], m["change"], p_text(m["p"], None, lang) or number(None, lang))
         for m in significant],
        schema={"unit": pl.String, "ei_before": pl.Float64, "ei_after": pl.Float64, "change": pl.Float64, "p": pl.String},
        orient="row",
    )  # p as text: three decimals, where the tables show two; a tiny p reads "< 0.001", never "0.000"
    bridges = [*change["sole_bridges_new"], *change["sole_bridges_lost"]]
    columns = ("unit_a", "unit_b", "person") if any("person" in b for b in bridges) else ("unit_a", "unit_b")

    def sole(rows: list[dict]) -> pl.DataFrame:
        return pl.DataFrame(rows, schema=dict.fromkeys(columns, pl.String)) if rows else pl.DataFrame(schema=dict.fromkeys(columns, pl.String))

    return [
        html.H4(t("change_heading", lang, before=change["from"], after=change["to"]), className="mt-2"),
        *_part("change_started", _pairs(change["unit_pairs_started"]), ("unit_a", "unit_b"), lang, f"{prefix}-started"),
        *_part("change_stopped", _pairs(change["unit_pairs_stopped"]), ("unit_a", "unit_b"), lang, f"{prefix}-stopped"),
        *_part("change_moves", moves, moves.columns, lang, f"{prefix}-moves", "change_moves_tip"),
        *_part("change_sole_new", sole(change["sole_bridges_new"]), columns, lang, f"{prefix}-sole-new", "change_sole_tip"),
        *_part("change_sole_lost", sole(change["sole_bridges_lost"]), columns, lang, f"{prefix}-sole-lost"),
    ]  # fmt: skip


def trends_view(trend: TrendData | None, lang: str) -> tuple:
    """Everything the period selector redraws: notes, four figures, the from/to choices."""
    options, before, after = period_choice(trend)
    return (trend_notes(trend, lang), *trend_figures(trend, lang), options, before, options, after)


def changes_between(trend: TrendData | None, before: str | None, after: str | None, lang: str) -> list:
    """The change report of two chosen periods, or why there is none."""
    if trend is None or not trend.dated:
        return []
    if len(trend.labels) < 2:
        return [note(t("trends_one_period", lang))]
    if before == after:
        return [note(t("trends_same_period", lang))]
    return change_view(period_change(trend, before, after), lang)


# -- two datasets ---------------------------------------------------------------------------


def other_dataset_options(datasets: Sequence[DatasetInfo], current: str | None, chosen: str | None,
                          lang: str = "en") -> tuple[list[dict], str | None]:
    """Every dataset but the current one, and the choice kept when still offered.

    >>> d = [DatasetInfo("a", "A", "", "", 1, "", ""), DatasetInfo("b", "B", "", "", 1, "", "")]
    >>> other_dataset_options(d, "a", "a")
    ([{'label': 'B', 'value': 'b'}], None)
    """
    options = [{"label": dataset_label(d.name, lang), "value": d.id} for d in datasets if d.id != current]
    return options, chosen if chosen in {o["value"] for o in options} else None


def dataset_change(before: Analysis | None, after: Analysis | None, names: tuple[str, str], lang: str) -> list:
    """The change report from dataset ``before`` to ``after`` (labelled by their names);
    nothing until both are there."""
    if before is None or after is None:
        return []
    change = {**compare(before, after), "from": names[0], "to": names[1]}
    parts = change_view(change, lang, prefix="datasets")
    if after.privacy == "pseudonyms":
        parts.insert(1, note(t("trends_other_pseudonyms", lang), "info"))
    return parts


def _periods_spec(settings: Settings, period: str) -> dict:
    """What a background job of period analyses is asked (settings held to the request's floor)."""
    return {"settings": dataclasses.asdict(settings), "period": period}


def _periods_work(jobs: progress.Jobs, report: progress.Reporter, spec: dict) -> None:
    """In a background job: the period analyses a signed job asks for, into the shared cache."""
    progress.compute_periods(jobs.data(), progress.settings_of(spec), spec["period"], report)


def register_callbacks(app: Dash, data: DashboardData) -> None:
    """Attach this page's callbacks to ``app``."""
    if data.jobs is not None:
        progress.register_panel(app, SCOPE)
        progress.register_worker(app, data.jobs, SCOPE, _periods_work)

    @app.callback(
        Output(I.NOTES, "children"),
        Output(I.ORG_EI, "figure"),
        Output(I.SHARE, "figure"),
        Output(I.MODULARITY, "figure"),
        Output(I.UNIT_EI, "figure"),
        Output(I.FROM, "options"),
        Output(I.FROM, "value"),
        Output(I.TO, "options"),
        Output(I.TO, "value"),
        Input(ids.App.SETTINGS, "data"),
        Input(I.PERIOD, "value"),
        Input(ids.Progress.of(SCOPE, "done"), "data"),
        State(ids.App.LANG, "data"),
    )
    def over_time(settings, period, done, lang):
        # settings + period -> cached period analyses -> figures and period choices (those of a
        # large roster are made by the background job below first; its done stamp comes here)
        s, period, lang = parse_settings(settings), period or DEFAULT_PERIOD, lang or "en"
        if progress.waiting(data, SCOPE, s.dataset, _periods_spec(s, period), ready=data.has_trends(s, period), done=done):
            return [no_update] * 9
        trend = data.trends(s, period)
        if trend is None:
            return trends_view(None, lang)
        return data.cached("trends", (s, period, lang), lambda: trends_view(trend, lang))

    @app.callback(
        Output(ids.Progress.of(SCOPE, "job"), "data"),
        Input(ids.App.SETTINGS, "data"),
        Input(I.PERIOD, "value"),
        Input(ids.Progress.of(SCOPE, "retry"), "n_clicks"),
    )
    def periods_job(settings, period, _retry):
        # settings + period (or Start again) -> a background job when the periods are large and not made yet
        s, period = parse_settings(settings), period or DEFAULT_PERIOD
        return progress.want(data, SCOPE, s.dataset, _periods_spec(s, period), ready=data.has_trends(s, period))

    @app.callback(
        Output(I.CHANGES, "children"),
        Input(I.FROM, "value"),
        Input(I.TO, "value"),
        Input(ids.App.SETTINGS, "data"),
        Input(I.PERIOD, "value"),
        State(ids.App.LANG, "data"),
    )
    def changes(before, after, settings, period, lang):
        # two chosen periods -> change report (once a background job has made the periods)
        s, period = parse_settings(settings), period or DEFAULT_PERIOD
        if progress.waiting(data, SCOPE, s.dataset, ready=data.has_trends(s, period)):
            raise PreventUpdate  # the periods are a background job's; its period choices bring this back
        return changes_between(data.trends(s, period), before, after, lang or "en")

    @app.callback(
        Output(I.OTHER, "options"),
        Output(I.OTHER, "value"),
        Output(I.OTHER, "placeholder"),
        Input(ids.App.SETTINGS, "data"),
        State(I.OTHER, "value"),
        State(ids.App.LANG, "data"),
    )
    def other_datasets(settings, chosen, lang):
        # dataset list -> datasets to compare with
        options, value = other_dataset_options(data.datasets()[0], parse_settings(settings).dataset, chosen, lang or "en")
        return options, value, t("trends_other_pick" if options else "trends_other_none", lang or "en")

    @app.callback(
        Output(I.OTHER_CHANGES, "children"),
        Input(I.OTHER, "value"),
        Input(ids.App.SETTINGS, "data"),
        State(ids.App.LANG, "data"),
    )
    def compare_datasets(other, settings, lang):
        # chosen dataset (before) + current dataset (after) -> change report
        s = parse_settings(settings)
        if not other:  # nothing chosen: no analysis is needed yet
            return []
        before = data.analysis(dataclasses.replace(s, dataset=other))
        return dataset_change(before, data.analysis(s), (data.name(other), data.name(s.dataset)), lang or "en")
