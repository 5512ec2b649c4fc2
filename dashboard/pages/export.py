"""Export page: download the silo report as HTML, Excel, CSV (zip), JSON or PDF."""

from __future__ import annotations

import re
from dataclasses import asdict
from typing import Any

import dash_bootstrap_components as dbc
from dash import ALL, Dash, Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from analyser.analysis import Analysis
from analyser.report import REPORT_LANGUAGES, report_bytes
from analyser.report.pdf_report import PdfUnavailable
from dashboard import ids, progress
from dashboard.components import note
from dashboard.data import DashboardData
from dashboard.settings import Settings, parse_settings
from analyser.i18n import t

__all__ = ["PATH", "TITLE_KEY", "FORMATS", "layout", "register_callbacks", "report_filename", "export_report",
           "report_download"]

PATH = "/export"
TITLE_KEY = "nav_export"
I = ids.Export
#: The report of a large roster is written by a background job with this progress panel.
SCOPE = "export"
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
        progress.panel(SCOPE, lang),
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
    except PdfUnavailable as exc:  # a program PDF export needs is not installed: say which, in the page's language
        return None, note(exc.message(lang), "warning", id="export-error")
    except Exception as exc:  # a missing optional exporter (PDF) must not break the page
        return None, note(t("export_failed", lang, fmt=fmt.upper(), error=exc), "danger", id="export-error")
    return dcc.send_bytes(content, filename), note(t("export_done", lang, filename=filename), "success")


def report_download(data: DashboardData, settings: Settings, fmt: str, lang: str) -> tuple[dict | None, Any]:
    """:func:`export_report` of the analysis of ``settings`` (with its years for HTML and PDF)."""
    trends = data.report_trends(settings) if fmt in ("html", "pdf") else None
    return export_report(data.analysis(settings), fmt, data.name(settings.dataset), lang, trends=trends)


def _report_work(jobs: progress.Jobs, report: progress.Reporter, spec: dict) -> tuple[dict | None, Any]:
    """In a background job: the report a signed job asks for (analysis, years, file), stage by stage."""
    data, s, fmt = jobs.data(), progress.settings_of(spec), spec["fmt"]
    report("load", 0.02)
    data.compute_analysis(s, on_stage=progress.scaled(report, 0.02, 0.4))  # cached already, as a rule
    if fmt in ("html", "pdf") and not data.has_trends(s, "year"):
        progress.compute_periods(data, s, "year", progress.scaled(report, 0.4, 0.8))
    report("report", 0.8)
    return report_download(data, s, fmt, spec["lang"])


def register_callbacks(app: Dash, data: DashboardData) -> None:
    """Attach this page's callbacks to ``app``."""
    if data.jobs is not None:
        progress.register_panel(app, SCOPE)
        progress.register_worker(app, data.jobs, SCOPE, _report_work)

    @app.callback(
        Output(I.DOWNLOAD, "data"),
        Output(I.MESSAGE, "children"),
        Input(ids.export_button(ALL), "n_clicks"),
        Input(ids.Progress.of(SCOPE, "done"), "data"),
        State(ids.App.SETTINGS, "data"),
        State(ids.App.LANG, "data"),
        prevent_initial_call=True,
    )
    def download(clicks, done, settings, lang):
        # button -> report bytes of the cached analysis -> browser download; a large roster's
        # report is written by the background job below, whose done stamp brings the file here
        if ids.Progress.of(SCOPE, "done") + ".data" in ctx.triggered_prop_ids:
            payload, message = progress.job_result(data, SCOPE, done) or (None, None)
            if message is None:
                raise PreventUpdate
            return (no_update if payload is None else payload), message
        if not any(clicks or []) or not isinstance(ctx.triggered_id, dict):
            raise PreventUpdate
        s, fmt, lang = parse_settings(settings), ctx.triggered_id["fmt"], lang or "en"
        if progress.waiting(data, SCOPE, s.dataset):
            return no_update, None
        payload, message = report_download(data, s, fmt, lang)
        return (no_update if payload is None else payload), message

    @app.callback(
        Output(ids.Progress.of(SCOPE, "job"), "data"),
        Input(ids.export_button(ALL), "n_clicks"),
        State(ids.App.SETTINGS, "data"),
        State(ids.App.LANG, "data"),
        prevent_initial_call=True,
    )
    def report_job(clicks, settings, lang):
        # button -> a background job writing the report, when the roster is large
        if not any(clicks or []) or not isinstance(ctx.triggered_id, dict):
            raise PreventUpdate
        s, fmt, lang = parse_settings(settings), ctx.triggered_id["fmt"], lang or "en"
        return progress.want(data, SCOPE, s.dataset, {"settings": asdict(s), "fmt": fmt, "lang": lang})
