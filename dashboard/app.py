"""create_app(): the Dash shell (navigation, global controls, stores) and its pages."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import dash
import flask
import dash_bootstrap_components as dbc
from dash import ALL, ClientsideFunction, Dash, Input, Output, State, dcc, html

from analyser.store import DEFAULT_DATA_DIR, DatasetInfo, Store
from dashboard import ids
from dashboard.data import DashboardData, dataset_label, ensure_sample
from dashboard.settings import allowed_privacy, most_private
from dashboard import progress
from analyser.i18n import LANGUAGE_NAMES, t
from dashboard.pages import bridges, export, network, overview, person, plan, projects, trends, units, upload
from dashboard.security import (
    HostRule,
    limit_uploads,
    privacy_floor as request_floor,
    request_role,
    restrict_hosts,
    secure_headers,
    served_hosts,
    server_floor,
    set_privacy_floor,
)

__all__ = ["PAGES", "DETAIL_PAGES", "ASSETS", "create_app", "dataset_choice", "dataset_alert", "level_options",
           "privacy_options", "privacy_control", "floor_note", "settings_data"]

#: Pages in menu order.
PAGES: tuple[ModuleType, ...] = (overview, units, bridges, projects, network, trends, plan, upload, export)
#: Detail pages: opened from other pages (a person's name, a map node), not from the menu.
DETAIL_PAGES: tuple[ModuleType, ...] = (person,)
ASSETS = Path(__file__).resolve().parent / "assets"
I = ids.App
#: The page container's wrapper: dimmed while a background analysis runs (the pages show the previous one).
PAGE_WRAP = ids.Progress.of(progress.ANALYSIS, "page")
SHELL_TEXT = ("app_title", *(p.TITLE_KEY for p in PAGES), "ctl_dataset", "ctl_level", "ctl_privacy", "ctl_min_group",
              "ctl_max_project", "ctl_language", "ctl_level_tip", "ctl_privacy_tip", "ctl_min_group_tip",
              "ctl_max_project_tip")  # fmt: skip


def _text(key: str) -> html.Span:
    """A shell label that follows the language switch."""
    return html.Span(t(key, "en"), id=ids.text(key))


def _control(label_key: str, control: Any, tip_key: str | None = None) -> dbc.Col:
    anchor = f"tip-{label_key}"
    label = [_text(label_key)]
    if tip_key:
        label += [html.Span("i", id=anchor, className="info-sign ms-1", tabIndex=0),
                  dbc.Tooltip(_text(tip_key), target=anchor, placement="bottom")]  # fmt: skip
    return dbc.Col([dbc.Label(label, className="small mb-0"), control], xs=6, md=4, lg=2, className="mb-2")


def _shell() -> html.Div:
    """Navigation bar, global controls, stores and the page container."""
    links = [dbc.NavItem(dbc.NavLink(_text(p.TITLE_KEY), href=p.PATH, active="exact", id=f"nav-{p.PATH.strip('/')}"))
             for p in PAGES]  # fmt: skip
    navbar = dbc.Navbar(
        dbc.Container([dbc.NavbarBrand(_text("app_title"), href="/overview"), dbc.Nav(links, navbar=True, id=I.NAV)],
                      fluid=True),
        color="dark", dark=True, className="mb-3",
    )  # fmt: skip
    controls = dbc.Row([
        _control("ctl_dataset", dcc.Dropdown(id=I.DATASET, options=[], value=None, clearable=False)),
        _control("ctl_level", dbc.Select(id=I.LEVEL, options=level_options(1, "en"), value="1"), "ctl_level_tip"),
        _control("ctl_privacy", html.Div([dbc.Select(id=I.PRIVACY, options=privacy_options("en"), value="names"),
                                          html.Div(id=I.PRIVACY_NOTE, className="form-text mt-0")]), "ctl_privacy_tip"),
        _control("ctl_min_group", dbc.Input(id=I.MIN_GROUP, type="number", min=1, step=1, value=5, debounce=True),
                 "ctl_min_group_tip"),
        _control("ctl_max_project", dbc.Input(id=I.MAX_PROJECT, type="number", min=2, step=1, value=None, debounce=True,
                                              placeholder=t("ctl_max_project_placeholder", "en")), "ctl_max_project_tip"),
        _control("ctl_language", dbc.Select(id=I.LANGUAGE, value="en",
                                            options=[{"label": v, "value": k} for k, v in LANGUAGE_NAMES.items()])),
    ], className="controls")  # fmt: skip
    return html.Div([
        dcc.Store(id=I.SETTINGS),
        # the reader's language, kept in the browser across reloads (None until known: see assets/language.js)
        dcc.Store(id=I.LANG, storage_type="local"),
        dcc.Store(id=I.DATASETS_CHANGED, data={"select": None}),
        dcc.Location(id=I.REDIRECT, refresh="callback-nav"),
        navbar,
        dbc.Container([controls, html.Div(id=I.DATASET_ERROR), progress.panel(progress.ANALYSIS, retry=True, label=_text),
                       html.Hr(className="mt-1"), html.Div(dash.page_container, id=PAGE_WRAP)],
                      fluid=True),
    ])  # fmt: skip


def level_options(levels: int, lang: str) -> list[dict]:
    """Options of the unit-level selector for a roster with ``levels`` hierarchy levels.

    >>> level_options(2, "sv")
    [{'label': 'Nivå 1', 'value': '1'}, {'label': 'Nivå 2', 'value': '2'}]
    """
    return [{"label": t("level_n", lang, n=n), "value": str(n)} for n in range(1, max(1, levels) + 1)]


def privacy_options(lang: str, floor: str = "names") -> list[dict]:
    """Options of the privacy selector in ``lang``: the modes at least as private as ``floor``.

    >>> [o["value"] for o in privacy_options("en", "pseudonyms")]
    ['pseudonyms', 'aggregate']
    """
    return [{"label": t(f"privacy_{m}", lang), "value": m} for m in allowed_privacy(floor)]


def floor_note(floor: str, server: str, role: str | None, lang: str) -> str | None:
    """Why the privacy selector offers less than names, or ``None`` when it offers everything.

    The server's ``--privacy-floor`` (``server``) is named when it alone sets ``floor``;
    otherwise the ``role`` of the login does.

    >>> floor_note("pseudonyms", "names", "viewer", "en")
    'Names are not shown to your login (role viewer).'
    >>> floor_note("aggregate", "aggregate", "analyst", "en")
    'This server shows aggregate figures only, to everyone.'
    >>> floor_note("names", "names", None, "en") is None
    True
    """
    if floor == "names":
        return None
    if floor == server:
        return t(f"privacy_floor_server_{floor}", lang)
    return t("privacy_floor_role", lang, role=role or "")


def privacy_control(lang: str, current: str | None) -> tuple[list[dict], str, str | None]:
    """The privacy selector for this request: allowed options, the value to show and why names are missing.

    Only looks: the server clamps every request's privacy to the same floor
    (:func:`dashboard.settings.parse_settings`), whatever the browser sends.
    """
    floor = request_floor()
    options = privacy_options(lang, floor)
    value = current if current in {o["value"] for o in options} else floor
    return options, value, floor_note(floor, server_floor(), request_role(), lang)


def dataset_choice(datasets: Sequence[DatasetInfo], changed: dict | None, current: str | None,
                   lang: str = "en") -> tuple[list[dict], str | None]:
    """Dataset options in ``lang`` (the sample's name translated), and the one to select: the
    one just saved, else the current, else the newest.

    >>> d = [DatasetInfo("b", "New", "", "2", 1, "", ""), DatasetInfo("a", "Old", "", "1", 1, "", "")]
    >>> dataset_choice(d, {"select": None}, "a")[1], dataset_choice(d, {"select": None}, "gone")[1]
    ('a', 'b')
    """
    known = [d.id for d in datasets]
    wanted = (changed or {}).get("select")
    value = wanted if wanted in known else current if current in known else (known[0] if known else None)
    return [{"label": dataset_label(d.name, lang), "value": d.id} for d in datasets], value


def settings_data(dataset: str | None, level: str | None, privacy: str | None, min_group: Any, max_project: Any) -> dict:
    """The JSON kept in the settings store (validated again by :func:`dashboard.settings.parse_settings`)."""
    return {"dataset": dataset, "level": level, "privacy": privacy, "min_group_size": min_group,
            "max_project_size": max_project}  # fmt: skip


def _in_language(layout: Callable[..., Any]) -> Callable[..., Any]:
    """A page layout that always gets a language the tool speaks: the reader's is ``None``
    for a moment on a first visit, until the browser's preference is read."""

    @functools.wraps(layout)
    def build(lang: str | None = None, **query: Any) -> Any:
        return layout(lang=lang if lang in LANGUAGE_NAMES else "en", **query)

    return build


def _register_shell_callbacks(app: Dash, data: DashboardData) -> None:
    # stored (or, on a first visit, the browser's preferred) language -> the language picker
    app.clientside_callback(
        ClientsideFunction(namespace="language", function_name="initial"),
        Output(I.LANGUAGE, "value"),
        Input(I.LANG, "modified_timestamp"),
        State(I.LANG, "data"),
        State(I.LANGUAGE, "value"),
        State(I.LANGUAGE, "options"),
    )

    @app.callback(Output(I.LANG, "data"), Input(I.LANGUAGE, "value"), prevent_initial_call=True)
    def language(value):
        # language selector -> language store (pages re-render through the router)
        return value if value in LANGUAGE_NAMES else "en"

    @app.callback(
        Output(ids.text(ALL), "children"),
        Output(I.MAX_PROJECT, "placeholder"),
        Input(I.LANG, "data"),
        State(ids.text(ALL), "id"),
    )
    def shell_text(lang, text_ids):
        # language -> every shell label
        lang = lang or "en"
        return [t(i["key"], lang) for i in text_ids], t("ctl_max_project_placeholder", lang)

    @app.callback(
        Output(I.PRIVACY, "options"),
        Output(I.PRIVACY, "value"),
        Output(I.PRIVACY_NOTE, "children"),
        Input(I.LANG, "data"),
        State(I.PRIVACY, "value"),
    )
    def privacy_choice(lang, current):
        # page load or language -> the privacy modes this login may choose, and why not names
        return privacy_control(lang or "en", current)

    @app.callback(
        Output(I.DATASET, "options"),
        Output(I.DATASET, "value"),
        Input(I.DATASETS_CHANGED, "data"),
        Input(I.LANG, "data"),
        State(I.DATASET, "value"),
    )
    def datasets(changed, lang, current):
        # dataset list changed or language -> selector (empty when the list cannot be read; the alert says why)
        return dataset_choice(data.datasets()[0], changed, current, lang or "en")

    @app.callback(
        Output(I.DATASET_ERROR, "children"),
        Input(I.DATASET, "value"),
        Input(I.DATASETS_CHANGED, "data"),
        Input(I.LANG, "data"),
    )
    def dataset_error(dataset, _changed, lang):
        # chosen dataset -> alert when the store or its files cannot be read
        return dataset_alert(data, dataset, lang or "en")

    @app.callback(
        Output(I.LEVEL, "options"),
        Output(I.LEVEL, "value"),
        Input(I.DATASET, "value"),
        Input(I.LANG, "data"),
        State(I.LEVEL, "value"),
    )
    def levels(dataset, lang, current):
        # dataset -> its hierarchy levels
        options = level_options(data.levels(dataset), lang or "en")
        return options, current if current in {o["value"] for o in options} else "1"

    controls = (Input(I.DATASET, "value"), Input(I.LEVEL, "value"), Input(I.PRIVACY, "value"),
                Input(I.MIN_GROUP, "value"), Input(I.MAX_PROJECT, "value"))  # fmt: skip

    def wanted(dataset, level, privacy, min_group, max_project) -> dict:
        # privacy held to this login's floor here too, so the store shows what the pages will
        # (they clamp again on reading)
        return settings_data(dataset, level, most_private(privacy or "names", request_floor()), min_group, max_project)

    @app.callback(
        Output(I.SETTINGS, "data"),
        *controls,
        Input(ids.Progress.of(progress.ANALYSIS, "done"), "data"),
    )
    def settings(dataset, level, privacy, min_group, max_project, done):
        # global controls -> settings store read by every page, once their analysis is cached
        # (a large one is first made by the background job below; its done stamp comes here)
        return progress.settings_when_ready(data, wanted(dataset, level, privacy, min_group, max_project), done)

    @app.callback(
        Output(ids.Progress.of(progress.ANALYSIS, "job"), "data"),
        *controls,
        Input(ids.Progress.of(progress.ANALYSIS, "retry"), "n_clicks"),
    )
    def analysis_job(dataset, level, privacy, min_group, max_project, _retry):
        # global controls (or Start again) -> a background job when their analysis is large and not cached
        return progress.analysis_job(data, wanted(dataset, level, privacy, min_group, max_project))


def dataset_alert(data: DashboardData, dataset: str | None, lang: str) -> dbc.Alert | None:
    """An alert when the list of datasets or the chosen dataset's files cannot be read."""
    _, damaged = data.datasets()
    if damaged:
        return dbc.Alert(t("store_damaged", lang, error=damaged), color="danger", className="py-2", id="store-error")
    problem = data.dataset_problem(dataset)
    if problem:
        return dbc.Alert(t("dataset_damaged", lang, error=problem), color="danger", className="py-2", id="dataset-error")
    return None


def _home_to_overview():
    """Open the overview at the bare address (Dash's own route for "/" cannot be replaced)."""
    if flask.request.path == "/":
        return flask.redirect(overview.PATH)
    return None


def create_app(
    store: Store | None = None,
    *,
    data_dir: str | Path | None = None,
    max_upload_mb: float = 50,
    compress: bool = False,
    hosts: HostRule | None = None,
    privacy_floor: str = "names",
    background_rows: int = progress.BACKGROUND_ROWS,
) -> Dash:
    """Return the dashboard app on ``store`` (or a store in ``data_dir``, default ``.analyser-data``).

    ``compress`` gzips the responses (flask-compress): worth it across a network, where the
    overview of a large organisation is 1.6 MB of JSON that shrinks about ten times; on the
    loopback it only costs CPU, so :func:`dashboard.server.serve` turns it on for other hosts.

    Roster files above ``max_upload_mb`` megabytes are refused, by the browser, by the
    server (HTTP 413 for the request) and by the upload check (a message in the user's
    language). An empty store first gets the shipped sample roster as "Sample municipality". Pages are
    registered explicitly, so calling this again in one process (tests, restarts) gives a
    fresh app with the same pages; callbacks are bound to the app, never global.

    Requests addressed to other hosts than ``hosts`` (default: this machine's loopback
    names, any port) are refused, as are changing requests from other sites; every response
    carries security headers (see :mod:`dashboard.security`).

    Nobody sees a less private mode than ``privacy_floor`` (``names``, ``pseudonyms`` or
    ``aggregate``), whatever the browser asks; a login's role may raise it further
    (:func:`dashboard.security.privacy_floor`).

    Uncached work on rosters of ``background_rows`` memberships or more (the first analysis,
    period analyses, what-if, large exports) runs as background jobs with a progress bar and
    Cancel, in other processes, so requests keep being answered (:mod:`dashboard.progress`).
    """
    store = store if store is not None else Store(data_dir if data_dir is not None else DEFAULT_DATA_DIR)
    ensure_sample(store)
    jobs = progress.Jobs(store.root, min_rows=background_rows)
    data = DashboardData(store, max_upload_bytes=int(max_upload_mb * 2**20), shared=jobs.cache)
    data.jobs = jobs
    app = Dash(
        __name__,
        use_pages=True,
        pages_folder="",
        assets_folder=str(ASSETS),
        title=t("app_title", "en"),
        routing_callback_inputs={"lang": Input(I.LANG, "data")},
        suppress_callback_exceptions=False,
        update_title=None,
        compress=compress,
    )
    for order, page in enumerate(PAGES + DETAIL_PAGES):
        dash.register_page(page.__name__, path=page.PATH, name=t(page.TITLE_KEY, "en"), title=t(page.TITLE_KEY, "en"),
                           layout=_in_language(page.layout), order=order)  # fmt: skip
    app.layout = _shell()
    app.server.before_request(_home_to_overview)
    limit_uploads(app.server, data.max_upload_bytes)
    _register_shell_callbacks(app, data)
    progress.register_analysis(app, jobs, page=PAGE_WRAP)
    for page in PAGES + DETAIL_PAGES:
        page.register_callbacks(app, data)
    set_privacy_floor(app.server, privacy_floor)
    restrict_hosts(app.server, hosts if hosts is not None else served_hosts("127.0.0.1"))
    secure_headers(app.server, app.csp_hashes)
    return app
