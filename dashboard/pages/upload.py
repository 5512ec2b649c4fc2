"""Upload page: drop a roster, read its data check, map unknown headers, accept; manage datasets."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import dash_bootstrap_components as dbc
from dash import ALL, Dash, Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from analyser.roster import OPTIONAL_COLUMNS, REQUIRED_COLUMNS
from analyser.store import DatasetInfo, StoreError
from dashboard import ids
from dashboard.components import info, note, problems_table
from dashboard.data import DashboardData, dataset_label
from dashboard.uploads import MAX_UPLOAD_BYTES, UploadCheck, check_upload, decode_upload, megabytes
from analyser.i18n import number, t
from dashboard.security import upload_limit

__all__ = ["PATH", "TITLE_KEY", "COLUMNS", "layout", "register_callbacks", "report_view", "mapping_view",
           "accept_upload", "datasets_view", "manage_dataset"]  # fmt: skip

PATH = "/upload"
TITLE_KEY = "nav_upload"
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
I = ids.Upload


def layout(lang: str = "en", **_query: Any) -> html.Div:
    """The upload page in ``lang``; the browser refuses files above the app's upload limit."""
    limit = upload_limit()
    mapping_rows = [
        dbc.Col([dbc.Label(t(f"col_{c}", lang) + (" *" if c in REQUIRED_COLUMNS else "")),
                 dcc.Dropdown(id=ids.column_map(c), options=[], value=None, clearable=True)], md=3, className="mb-2")
        for c in COLUMNS
    ]  # fmt: skip
    return html.Div([
        html.H2(t("upload_title", lang)),
        html.P(t("upload_intro", lang), className="text-muted"),
        dcc.Upload(id=I.FILE, children=html.Div(t("upload_drop", lang)), multiple=False, className="upload-drop",
                   max_size=limit),
        html.Small(t("upload_limit", lang, limit=megabytes(limit)), id=I.LIMIT, className="text-muted"),
        dcc.Store(id=I.STATE),
        dcc.Loading(html.Div(id=I.REPORT, className="mt-3")),
        html.Div(id=I.MAPPING, style={"display": "none"}, className="mt-3", children=[
            html.H4(t("upload_mapping_title", lang)),
            html.P(t("upload_mapping_intro", lang)),
            dbc.Row(mapping_rows),
            dbc.Button(t("upload_apply_mapping", lang), id=I.APPLY_MAPPING, color="secondary", n_clicks=0),
        ]),
        dbc.Row([
            dbc.Col([dbc.Label(t("upload_name", lang), html_for=I.NAME),
                     dbc.Input(id=I.NAME, type="text", value="")], md=6),
            dbc.Col(dbc.Button(t("upload_accept", lang), id=I.ACCEPT, color="primary", disabled=True, n_clicks=0),
                    md=3, className="d-flex align-items-end"),
        ], className="mt-3"),
        dcc.Loading(html.Div(id=I.RESULT, className="mt-3")),
        html.Hr(),
        html.H3(t("upload_datasets", lang)),
        html.Div(id=I.DATASETS),
        dbc.Row([
            dbc.Col([dbc.Label(t("upload_rename_target", lang), html_for=I.RENAME_TARGET),
                     dbc.Select(id=I.RENAME_TARGET, options=[])], md=4),
            dbc.Col([dbc.Label(t("upload_new_name", lang), html_for=I.RENAME_NAME),
                     dbc.Input(id=I.RENAME_NAME, type="text")], md=4),
            dbc.Col([dbc.Button(t("upload_rename", lang), id=I.RENAME, color="secondary", n_clicks=0, className="me-2"),
                     dcc.ConfirmDialogProvider(dbc.Button(t("upload_delete", lang), color="danger"),
                                               id=I.DELETE, message=t("upload_delete", lang) + "?")],
                    md=4, className="d-flex align-items-end"),
        ], className="mt-2"),
        html.Div(id=I.MANAGE_RESULT, className="mt-2"),
    ])  # fmt: skip


def _count(key: str, value: int, lang: str, tip: str | None = None) -> html.Li:
    anchor = f"tip-{key}"
    return html.Li([t(key, lang), ": ", html.Strong(number(value, lang), id=f"count-{key}"),
                    *(info(tip, lang, anchor) if tip else [])])  # fmt: skip


def report_view(check: UploadCheck, lang: str) -> list:
    """The data check of an uploaded file: counts, rejected rows with their lines, warnings."""
    head = html.H4([t("upload_report", lang), ": ", html.Span(check.filename, className="font-monospace")])
    if not check.ok:
        return [head, dbc.Alert(t("upload_errors", lang), color="danger", className="py-2"),
                html.Div(problems_table(check.errors, lang), id="upload-errors")]  # fmt: skip
    counts = html.Ul([
        _count("upload_rows_read", check.rows, lang, "upload_rows_read_tip"),
        _count("upload_people", check.people, lang),
        _count("upload_projects", check.projects, lang),
        _count("upload_units", check.units, lang),
        _count("upload_rejected", len(check.rejected), lang, "upload_rejected_tip"),
        _count("upload_warnings", len(check.warnings), lang, "upload_warnings_tip"),
    ], className="list-unstyled")  # fmt: skip
    return [
        head,
        counts,
        html.H5(t("upload_rejected", lang)),
        html.Div(problems_table(check.rejected, lang), id="upload-rejected"),
        html.H5(t("upload_warnings", lang)),
        html.Div(problems_table(check.warnings, lang), id="upload-warnings"),
    ]


def mapping_view(check: UploadCheck, lang: str) -> tuple[dict, list[list[dict]], list[str | None]]:
    """Style of the mapping section, and options and values of each column's dropdown."""
    show = check.needs_mapping or (check.ok is False and bool(check.headers))
    options = [{"label": h, "value": h} for h in check.headers if h.strip()]
    values = [check.detected.get(c) if check.detected.get(c) in check.headers else None for c in COLUMNS]
    return ({"display": "block"} if show else {"display": "none"}), [options for _ in COLUMNS], values


def _columns(values: Sequence[str | None]) -> dict[str, str | None]:
    return {c: (v or None) for c, v in zip(COLUMNS, values)}


def check_contents(contents: str, filename: str, columns: dict[str, str | None] | None, lang: str,
                   max_bytes: int = MAX_UPLOAD_BYTES) -> tuple:
    """Everything the upload page updates after a file (or a column mapping) is checked.

    The decoded file is refused above ``max_bytes``, with the sizes in the message.
    """
    try:
        data = decode_upload(contents)
    except ValueError as exc:
        return [note(str(exc), "danger")], {"display": "none"}, [[] for _ in COLUMNS], [None] * len(COLUMNS), no_update, True, None
    check, _roster = check_upload(data, filename, columns, max_bytes=max_bytes, lang=lang)
    style, options, values = mapping_view(check, lang)
    if columns:
        values = [columns.get(c) for c in COLUMNS]
    state = {"filename": filename, "columns": columns, "ok": check.ok}
    name = Path(filename).stem
    return report_view(check, lang), style, options, values, name, not check.ok, state


def accept_upload(data: DashboardData, contents: str | None, state: dict | None, name: str | None, lang: str) -> tuple:
    """Save the checked file as a dataset; return (message, datasets-changed, redirect)."""
    if not contents or not state or not state.get("ok"):
        return note(t("upload_not_usable", lang), "warning"), no_update, no_update
    check, roster = check_upload(decode_upload(contents), state["filename"], state.get("columns"),
                                 max_bytes=data.max_upload_bytes, lang=lang)
    if roster is None:
        return note(t("upload_not_usable", lang), "warning"), no_update, no_update
    try:
        info_ = data.store.save(roster, name=(name or "").strip() or Path(state["filename"]).stem)
    except StoreError as exc:
        return note(t("upload_save_failed", lang, error=exc), "danger"), no_update, no_update
    return note(t("upload_saved", lang, name=info_.name), "success"), {"select": info_.id}, "/overview"


def datasets_view(datasets: Sequence[DatasetInfo], lang: str) -> tuple[html.Ul, list[dict]]:
    """The list of stored datasets and the options of the rename/delete selector."""
    items = [
        html.Li([html.Strong(dataset_label(d.name, lang)), " \u2013 ",
                 t("upload_dataset_rows", lang, rows=number(d.rows, lang), uploaded=d.uploaded[:16].replace("T", " "))],
                className="dataset-item")
        for d in datasets
    ]  # fmt: skip
    return html.Ul(items, id="dataset-list"), [{"label": dataset_label(d.name, lang), "value": d.id} for d in datasets]


def manage_dataset(data: DashboardData, action: str, dataset_id: str | None, new_name: str | None, lang: str) -> tuple:
    """Rename or delete a stored dataset; return (message, datasets-changed)."""
    if not dataset_id:
        raise PreventUpdate
    try:
        if action == "rename":
            if not (new_name or "").strip():
                return note(t("upload_need_name", lang), "warning"), no_update
            renamed = data.store.rename(dataset_id, new_name or "")
            return note(t("upload_renamed", lang, name=renamed.name), "success"), {"select": dataset_id, "stamp": renamed.name}
        old = data.store.info(dataset_id).name
        data.store.delete(dataset_id)
        data.forget()
        return note(t("upload_deleted", lang, name=old), "success"), {"select": None, "stamp": dataset_id}
    except StoreError as exc:
        return note(str(exc), "danger"), no_update


def register_callbacks(app: Dash, data: DashboardData) -> None:
    """Attach this page's callbacks to ``app``."""

    @app.callback(
        Output(I.REPORT, "children"),
        Output(I.MAPPING, "style"),
        Output(ids.column_map(ALL), "options"),
        Output(ids.column_map(ALL), "value"),
        Output(I.NAME, "value"),
        Output(I.ACCEPT, "disabled"),
        Output(I.STATE, "data"),
        Input(I.FILE, "contents"),
        Input(I.APPLY_MAPPING, "n_clicks"),
        State(I.FILE, "filename"),
        State(ids.column_map(ALL), "value"),
        State(ids.App.LANG, "data"),
        prevent_initial_call=True,
    )
    def check(contents, _apply, filename, mapped, lang):
        # file or mapping -> data check, mapping dropdowns, accept button
        if not contents:
            raise PreventUpdate
        columns = _columns(mapped) if ctx.triggered_id == I.APPLY_MAPPING else None
        return check_contents(contents, filename or "upload.csv", columns, lang, data.max_upload_bytes)

    @app.callback(
        Output(I.RESULT, "children"),
        Output(ids.App.DATASETS_CHANGED, "data", allow_duplicate=True),
        Output(ids.App.REDIRECT, "pathname"),
        Input(I.ACCEPT, "n_clicks"),
        State(I.FILE, "contents"),
        State(I.STATE, "data"),
        State(I.NAME, "value"),
        State(ids.App.LANG, "data"),
        prevent_initial_call=True,
    )
    def accept(n_clicks, contents, state, name, lang):
        # checked file -> stored dataset -> overview
        if not n_clicks:
            raise PreventUpdate
        return accept_upload(data, contents, state, name, lang)

    @app.callback(
        Output(I.DATASETS, "children"),
        Output(I.RENAME_TARGET, "options"),
        Output(I.RENAME_TARGET, "value"),
        Input(ids.App.DATASETS_CHANGED, "data"),
        State(ids.App.LANG, "data"),
    )
    def datasets(_changed, lang):
        # dataset list changed -> list and selector
        listing, options = datasets_view(data.datasets()[0], lang)
        return listing, options, (options[0]["value"] if options else None)

    @app.callback(
        Output(I.MANAGE_RESULT, "children"),
        Output(ids.App.DATASETS_CHANGED, "data", allow_duplicate=True),
        Input(I.RENAME, "n_clicks"),
        Input(I.DELETE, "submit_n_clicks"),
        State(I.RENAME_TARGET, "value"),
        State(I.RENAME_NAME, "value"),
        State(ids.App.LANG, "data"),
        prevent_initial_call=True,
    )
    def manage(_rename, _delete, dataset_id, new_name, lang):
        # rename/delete button -> store
        action = "rename" if ctx.triggered_id == I.RENAME else "delete"
        return manage_dataset(data, action, dataset_id, new_name, lang)
