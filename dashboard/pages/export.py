"""Export page: download the silo report as HTML, Excel, CSV (zip), JSON or PDF."""

from __future__ import annotations

import re
from typing import Any

import dash_bootstrap_components as dbc
from dash import ALL, Dash, Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from analyser.analysis import Analysis
from analyser.report import REPORT_LANGUAGES, report_bytes
from dashboard import ids
from dashboard.components import note
from dashboard.data import DashboardData, parse_settings
from analyser.i18n import t

__all__ = ["PATH", "TITLE_KEY", "FORMATS", "layout", "register_callbacks", "report_filename", "export_report"]

PATH = "/export"
TITLE_KEY = "nav_export"
I = ids.Export
#: Report format -> file suffix.
FORMATS = {"html": ".html", "xlsx": ".xlsx", "csv-zip": ".zip", "json": ".json", "pdf": ".pdf"}


def layout(lang: str = "en", **_query: Any) -> html.Div:
    """The export page in ``lang``."""
    buttons = [
        dbc.Button(t(f"export_{fmt}", lang), id=ids.export_button(fmt), color="primary", outline=fmt == "pdf",
                   className="me-2 mb-2", n_clicks=0)
        for fmt in FORMATS
    ]  # fmt: skip
    return html.Div([
        html.H2(t("export_title", lang)),
        html.P(t("export_intro", lang), className="text-muted"),
        html.Div(buttons),
        dcc.Loading(html.Div(id=I.MESSAGE, className="mt-3")),
        dcc.Download(id=I.DOWNLOAD),
    ])  # fmt: skip


def report_filename(dataset_name: str, fmt: str, privacy: str) -> str:
    """File name of a downloaded report: dataset name made safe, privacy mode and suffix.

    >>> report_filename("Sample municipality", "csv-zip", "names")
    'silo-report-sample-municipality-names.zip'
    """
    slug = re.sub(r"[^a-z0-9]+", "-", dataset_name.casefold()).strip("-") or "dataset"
    return f"silo-report-{slug}-{privacy}{FORMATS[fmt]}"


def export_report(
    analysis: Analysis | None, fmt: str, dataset_name: str, lang: str, *, trends: dict | None = None
) -> tuple[dict | None, Any]:
    """The dcc.Download payload of the report in ``fmt`` and a message (an error message when it fails).

    ``trends`` (a :func:`analyser.periods.trends_document`) adds the "Change over time"
    section to HTML and PDF reports, which are written in the page's language ``lang``.
    """
    if analysis is None:
        return None, note(t("no_dataset", lang), "warning")
    filename = report_filename(dataset_name, fmt, analysis.privacy)
    try:
        language = lang if lang in REPORT_LANGUAGES else "en"
        content = report_bytes(analysis, fmt, trends=trends, lang=language)  # type: ignore[arg-type]
    except Exception as exc:  # a missing optional exporter (PDF) must not break the page
        return None, note(t("export_failed", lang, fmt=fmt.upper(), error=exc), "danger", id="export-error")
    return dcc.send_bytes(content, filename), note(t("export_done", lang, filename=filename), "success")


def register_callbacks(app: Dash, data: DashboardData) -> None:
    """Attach this page's callbacks to ``app``."""

    @app.callback(
        Output(I.DOWNLOAD, "data"),
        Output(I.MESSAGE, "children"),
        Input(ids.export_button(ALL), "n_clicks"),
        State(ids.App.SETTINGS, "data"),
        State(ids.App.LANG, "data"),
        prevent_initial_call=True,
    )
    def download(clicks, settings, lang):
        # button -> report bytes of the cached analysis -> browser download
        if not any(clicks or []) or not isinstance(ctx.triggered_id, dict):
            raise PreventUpdate
        s, fmt = parse_settings(settings), ctx.triggered_id["fmt"]
        trends = data.report_trends(s) if fmt in ("html", "pdf") else None
        payload, message = export_report(data.analysis(s), fmt, data.name(s.dataset), lang or "en", trends=trends)
        return (no_update if payload is None else payload), message
