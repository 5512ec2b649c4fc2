"""Long work off the request threads: background jobs with a progress bar, stage names and Cancel.

The first analysis of a large roster, its period analyses, a what-if and a large export run
as Dash background callbacks (``background=True``) under :class:`SpawnManager`, Dash's own
:class:`dash.DiskcacheManager` with every job in a fresh process. A request thread only
starts the job and answers the page's polls, so the server keeps answering other pages and
other users meanwhile; the page shows a progress bar, the stage being worked on, an
estimate of the time left and a Cancel button (:func:`panel`).

Each kind of work (a ``scope``: ``analysis``, ``trends``, ``whatif``, ``export``, ``sheet``)
is three callbacks:

* a *job* callback in the request. It resolves the privacy floor of the request
  (:func:`dashboard.settings.parse_settings`) and, when the work is large and not cached, writes
  a job into the ``job`` store: the settings and inputs, signed with the app's secret
  (:func:`want`); otherwise a marker that starts nothing.
* the *worker*, a background callback on the ``job`` store (:func:`register_worker`). It
  runs in another process, with no request and so no login or floor of its own, and does
  only what a job signed here says (:meth:`Jobs.spec`; an unsigned one starts no process),
  so a browser cannot ask it for names its login may not see. It leaves its result in a
  cache shared by the processes (the store's disk cache, or :attr:`Jobs.cache`) and writes
  a ``done`` stamp.
* the *front* callback, the only one writing what the page shows: small or cached work it
  does at once, as before; a job's work it leaves alone (:func:`waiting`) until the
  ``done`` stamp comes, then shows the result under the request's own floor.

The job and front callbacks are apart because Dash drops a callback that its own output
would trigger again (front -> job -> worker -> done -> front is such a loop), and holds
back any callback whose inputs a running worker may still change: so the panel's own
callbacks read only the job store and the progress reports, never the ``done`` stamp.

Everything lives in the dashboard's data folder: Dash's job results and the shared results
in ``<data dir>/background/`` (a diskcache folder readable by its owner alone). Results of
deleted datasets go with :meth:`dashboard.data.DashboardData.forget`.

``ANALYSER_STAGE_DELAY`` (seconds, tests only) makes every reported stage wait that long, so
a test can watch a small analysis run.
"""

from __future__ import annotations

import json
import math
import os
import secrets
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import dash_bootstrap_components as dbc
from dash import DiskcacheManager, Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate
from itsdangerous import BadSignature, URLSafeSerializer

from analyser.i18n import integer, percent, t
from analyser.periods import period_bounds
from analyser.store import Store
from dashboard import ids
from dashboard.data import DashboardData, dataset_label
from dashboard.settings import Settings, parse_settings
from dashboard.security import request_user

__all__ = [
    "BACKGROUND_ROWS",
    "JOB_FOLDER",
    "STAGE_DELAY_VARIABLE",
    "POLL_MS",
    "MAX_JOBS",
    "MAX_PROCESSES",
    "SpawnManager",
    "Jobs",
    "Reporter",
    "period_stages",
    "estimate_seconds",
    "duration",
    "progress_text",
    "panel",
    "register_panel",
    "worker_options",
    "job_inputs",
    "want",
    "waiting",
    "settings_of",
    "scaled",
    "compute_periods",
    "job_result",
    "register_worker",
    "RESULT_SECONDS",
    "ANALYSIS",
    "analysis_job",
    "settings_when_ready",
    "register_analysis",
]

#: Memberships from which uncached work runs as a background job. Below it the request
#: computes, as before: the analysis of a 10,000-row roster (3,500 people) takes a few
#: seconds, about what starting a job's process costs.
BACKGROUND_ROWS = 10_000
#: The folder of the job cache inside the data directory.
JOB_FOLDER = "background"
#: Test hook: seconds every reported stage waits.
STAGE_DELAY_VARIABLE = "ANALYSER_STAGE_DELAY"
#: How often the page asks how far a job is (milliseconds).
POLL_MS = 500
#: Jobs working at once (each may take a few GB at 100,000 people, and two cores are busy
#: with one); more wait for a free slot, with "waiting" on their panel.
MAX_JOBS = 2
#: Job processes at most, working or waiting; beyond it a job is refused (nothing starts).
MAX_PROCESSES = 8
#: Rough time of an analysis: seconds at start plus seconds per membership (2 cores: 10,000
#: people / 28,000 rows take 5-12 s, 100,000 people / 292,000 rows 35-60 s).
_START_SECONDS = 3.0
_SECONDS_PER_ROW = 1.5e-4
#: How many analyses each kind of work amounts to (a period analysis is about one on fewer rows).
_WORK = {"analysis": 1.0, "trends": 1.0, "whatif": 1.5, "export": 1.5, "sheet": 1.2}


class SpawnManager(DiskcacheManager):
    """Dash's :class:`~dash.DiskcacheManager` with each job in a fresh interpreter, on every system.

    Windows can only start processes that way ("spawn"). On Linux and macOS Dash would fork
    the server, and a forked copy of a threaded server inherits locks held by its other
    threads (polars', numba's and igraph's pools) and can hang; so every system does as
    Windows does, at the cost of a second or two of start-up per job. Jobs are daemonic
    (they end with the server) and get no cookies or headers: they need no login.

    A process is started only for a job that ``admit(args)`` accepts (signed by this app)
    and while fewer than ``max_processes`` are alive; otherwise the request does nothing, so
    a browser cannot make the server start processes at will.
    """

    def __init__(self, cache: Any, *, admit: Callable[[Any], bool] | None = None, max_processes: int = MAX_PROCESSES,
                 owner: str = ""):  # fmt: skip
        self.owner = owner  # set first: the base class registers the functions known so far
        super().__init__(cache)
        self.admit, self.max_processes = admit, max_processes
        self._running: list[Any] = []

    def register(self, key: str, fn: Callable, progress: Any) -> None:
        """Take a background function unless it is another app's worker.

        Dash hands every function to every manager in the process, keyed by its source and
        output, so a second app (tests, restarts) would replace this app's worker, bound to
        this app's folder and secret, by its own.
        """
        if getattr(fn, "jobs_owner", self.owner) == self.owner:
            super().register(key, fn, progress)

    def call_job_fn(self, key: str, job_fn: Callable, args: Any, context: Any) -> int:
        from multiprocess import get_context  # with dill: pickles the job's closures

        self._running = [p for p in self._running if p.is_alive()]
        if (self.admit is not None and not self.admit(args)) or len(self._running) >= self.max_processes:
            raise PreventUpdate
        context = {k: v for k, v in dict(context).items() if k not in ("cookies", "headers")}
        process = get_context("spawn").Process(
            target=job_fn, args=(key, self._make_progress_key(key), args, context), daemon=True
        )
        process.start()
        self._running.append(process)
        return process.pid


def _job_cache(root: Path) -> Any:
    import diskcache

    folder = root / JOB_FOLDER
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if os.name != "nt":
        os.chmod(folder, 0o700)  # results hold names: the owner alone, as the store's files
    return diskcache.Cache(str(folder))


class Jobs:
    """The background jobs of one app: their manager, shared cache, signatures and size rule.

    ``root`` is the dashboard's data directory; work on rosters of at least ``min_rows``
    memberships goes to a job. An instance travels to every job (pickled, with the secret:
    never to a browser) and there gives the job its own :class:`dashboard.data.DashboardData`
    over the same folder (:meth:`data`).

    Examples
    --------
    >>> import tempfile
    >>> jobs = Jobs(tempfile.mkdtemp())
    >>> job = jobs.start("trends", {"period": "year"}, name="Sample")
    >>> jobs.spec("trends", job)["period"], jobs.spec("export", job), jobs.spec("trends", {"token": "x"})
    ('year', None, None)
    """

    def __init__(self, root: str | Path, *, min_rows: int = BACKGROUND_ROWS, secret: bytes | None = None):
        self.root = Path(root)
        self.min_rows = min_rows
        self._secret = secret or secrets.token_bytes(32)
        self.owner = secrets.token_hex(8)  # tells this app's workers from other apps' (SpawnManager.register)
        self.cache = _job_cache(self.root)
        self.manager: SpawnManager | None = SpawnManager(self.cache, admit=self.signed, owner=self.owner)
        self._data: Any = None

    def __getstate__(self) -> dict[str, Any]:
        return {"root": str(self.root), "min_rows": self.min_rows, "secret": self._secret}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.root, self.min_rows, self._secret = Path(state["root"]), state["min_rows"], state["secret"]
        self.cache, self.manager, self._data = _job_cache(self.root), None, None

    def _signer(self) -> URLSafeSerializer:
        return URLSafeSerializer(self._secret, salt="analyser-background-job")

    def large(self, rows: int) -> bool:
        """Whether work on a roster of ``rows`` memberships goes to a background job."""
        return rows >= self.min_rows

    def start(self, scope: str, spec: dict[str, Any], **shown: Any) -> dict[str, Any]:
        """The ``job`` store of a new job: ``spec`` signed (with a fresh ``nonce``, the time and
        the login of the request), and what the panel shows (``shown``: ``name``, ``rows``)
        unsigned beside it."""
        nonce = secrets.token_hex(8)
        signed = {**spec, "scope": scope, "nonce": nonce, "started": round(time.time(), 1), "user": request_user()}
        token = self._signer().dumps(signed)
        return {**shown, "token": token, "nonce": nonce, "scope": scope}

    def spec(self, scope: str, job: Any) -> dict[str, Any] | None:
        """What a signed job of ``scope`` says, or ``None`` when it was not signed here for ``scope``."""
        token = job.get("token") if isinstance(job, dict) else None
        try:
            spec = self._signer().loads(token) if isinstance(token, str) else None
        except BadSignature:
            return None
        return spec if isinstance(spec, dict) and spec.get("scope") == scope else None

    def signed(self, args: Any) -> bool:
        """Whether the arguments of a worker callback (its ``job`` store) hold a job signed here."""
        values = list(args.values()) if isinstance(args, dict) else args
        job = values[0] if isinstance(values, (list, tuple)) and values else values
        return isinstance(job, dict) and self.spec(str(job.get("scope")), job) is not None

    def data(self) -> DashboardData:
        """A :class:`dashboard.data.DashboardData` over the app's folder, for the job's process."""
        if self._data is None:
            self._data = DashboardData(Store(self.root), shared=self.cache)
        return self._data

    @contextmanager
    def slot(self, report: Callable[..., None]) -> Iterator[None]:
        """Wait for one of :data:`MAX_JOBS` slots (``"queued"`` is reported while waiting), hold it.

        A slot is an operating-system file lock, so a killed job frees its slot at once.
        """
        from filelock import FileLock, Timeout

        locks = [FileLock(str(self.root / JOB_FOLDER / f"slot-{i}.lock")) for i in range(MAX_JOBS)]
        said = False
        while True:
            for lock in locks:
                try:
                    lock.acquire(timeout=0)
                except Timeout:
                    continue
                try:
                    yield
                finally:
                    lock.release()
                return
            if not said:
                report("queued", 0.0)
                said = True
            time.sleep(0.5)

    @staticmethod
    def result_key(spec: dict[str, Any]) -> str:
        """Where a job leaves a result for its front callback to take (once)."""
        return f"result-{spec['scope']}-{spec['nonce']}"


class Reporter:
    """In a job: tells the page the stage, the share done and the seconds so far (Dash's ``set_progress``).

    Examples
    --------
    >>> sent = []
    >>> report = Reporter(sent.append, "n1")
    >>> report("silos", 0.1)
    >>> sent[0]["stage"], sent[0]["done"], sent[0]["nonce"]
    ('silos', 0.1, 'n1')
    """

    def __init__(self, set_progress: Callable[[Any], None], nonce: str, started: float | None = None):
        # seconds count from the job's start in the request (``started``, a time.time()), so
        # they include the process' start-up
        self.set_progress, self.nonce = set_progress, nonce
        self.start = started if started is not None else time.time()
        self.delay = float(os.environ.get(STAGE_DELAY_VARIABLE) or 0)

    def __call__(self, stage: str, done: float, **detail: Any) -> None:
        seconds = round(max(time.time() - self.start, 0.0), 1)
        self.set_progress({"stage": stage, "done": round(min(max(done, 0.0), 1.0), 3), "seconds": seconds,
                           "nonce": self.nonce, **detail})  # fmt: skip
        if self.delay:
            time.sleep(self.delay)


def period_stages(report: Callable[..., None], periods: int) -> Callable[[str, float], None]:
    """An ``on_stage`` hook for period analyses: each period's stages, as a share of all periods.

    A period starts with its ``"graphs"`` stage; ``periods`` is how many there are (some may
    be skipped, so the last share can jump).

    Examples
    --------
    >>> sent = []
    >>> hook = period_stages(lambda stage, done, **d: sent.append((stage, done, d["period"])), 2)
    >>> hook("graphs", 0.0); hook("done", 1.0); hook("graphs", 0.0); hook("silos", 0.5)
    >>> sent
    [('graphs', 0.0, 1), ('done', 0.5, 1), ('graphs', 0.5, 2), ('silos', 0.75, 2)]
    """
    seen = [0]

    def on_stage(stage: str, done: float) -> None:
        if stage == "graphs":
            seen[0] += 1
        index = min(max(seen[0], 1), max(periods, 1))
        report(stage, (index - 1 + done) / max(periods, 1), period=index, periods=max(periods, 1))

    return on_stage


def estimate_seconds(rows: int, scope: str = "analysis") -> float:
    """A rough time for ``scope`` work on a roster of ``rows`` memberships (2 cores).

    >>> round(estimate_seconds(292_000)), round(estimate_seconds(28_000))
    (47, 7)
    """
    return (_START_SECONDS + _SECONDS_PER_ROW * rows) * _WORK.get(scope, 1.0)


def duration(seconds: float, lang: str) -> str:
    """A duration for the panel: whole seconds up to a minute and a half, then minutes.

    >>> duration(42.3, "en"), duration(200, "sv")
    ('43 s', '3 min')
    """
    if seconds < 90:
        return t("progress_seconds", lang, n=integer(math.ceil(max(seconds, 1)), lang))
    return t("progress_minutes", lang, n=integer(round(seconds / 60), lang))


def _stage_text(state: dict[str, Any], scope: str, lang: str) -> str:
    stage = state.get("stage") or "start"
    key = f"progress_stage_{stage}"
    try:
        text = t(key, lang)
    except KeyError:
        text = t("progress_stage_work", lang)
    if state.get("periods"):
        return t("progress_stage_period", lang, i=state["period"], n=state["periods"], stage=text)
    return text


def progress_text(state: dict[str, Any] | None, job: dict[str, Any] | None, scope: str, lang: str) -> tuple:
    """What the panel of ``scope`` shows: title, bar value and label, stage and time left.

    ``state`` is the job's last report (:class:`Reporter`), ignored when it is from another
    job than ``job`` (the ``job`` store). The time left is the estimate from the roster's
    size at first, then what the share done so far implies.

    Examples
    --------
    >>> job = {"nonce": "a", "name": "Sample", "rows": 30_000}
    >>> progress_text({"nonce": "a", "stage": "communities", "done": 0.5, "seconds": 10}, job, "analysis", "en")
    ('Analysing Sample', 50, '50 %', 'Finding communities', '10 s so far, about 10 s left')
    >>> progress_text({"nonce": "a", "stage": "graphs", "done": 0.0, "seconds": 20}, job, "analysis", "en")[4]
    '20 s so far'
    >>> progress_text(None, job, "analysis", "sv")[3:]
    ('Startar', 'Brukar ta cirka 8 s')
    """
    job = job if isinstance(job, dict) else {}
    state = state if isinstance(state, dict) and state.get("nonce") == job.get("nonce") else {}
    done = float(state.get("done") or 0.0)
    seconds = float(state.get("seconds") or 0.0)
    guess = estimate_seconds(int(job.get("rows") or 0), scope)
    title = t(f"progress_title_{scope}", lang, name=dataset_label(job.get("name") or "", lang))
    if not state:
        estimate = t("progress_estimate_start", lang, left=duration(guess, lang))
    elif done < 0.15 and seconds >= guess:  # slower than the size suggested: no guess until the share says more
        estimate = t("progress_elapsed", lang, elapsed=duration(seconds, lang))
    else:
        left = seconds * (1 - done) / done if done >= 0.15 else guess - seconds
        estimate = t("progress_estimate", lang, elapsed=duration(seconds, lang), left=duration(left, lang))
    value = round(100 * done)
    label = percent(done, lang) if value >= 10 else ""  # a narrower bar cannot hold it
    return title, value, label, _stage_text(state, scope, lang), estimate


def _id(scope: str, part: str) -> str:
    return ids.Progress.of(scope, part)


def panel(scope: str, lang: str = "en", *, retry: bool = False, label: Callable[[str], Any] | None = None) -> html.Div:
    """The progress panel of ``scope`` and its stores: hidden until a job of ``scope`` runs.

    ``label(key)`` makes the fixed texts (default: ``t(key, lang)``; the shell passes labels
    that follow its language switch). With ``retry`` the note after a cancel has a button
    that starts the work again.
    """
    label = label or (lambda key: t(key, lang))
    stopped = [html.Span(t(f"progress_stopped_{scope}", lang), id=_id(scope, "stopped-text"))]
    if retry:
        stopped.append(dbc.Button(label("progress_retry"), id=_id(scope, "retry"), size="sm", color="primary",
                                  outline=True, className="ms-3", n_clicks=0))  # fmt: skip
    box = html.Div([
        html.Div([html.Strong(id=_id(scope, "title")), html.Span(id=_id(scope, "estimate"), className="text-muted small ms-2")]),
        dbc.Progress(id=_id(scope, "bar"), value=0, label="", striped=True, animated=True, className="my-2",
                     style={"height": "1.1rem"}),
        html.Div([html.Span(id=_id(scope, "stage"), className="small me-3"),
                  dbc.Button(label("progress_cancel"), id=_id(scope, "cancel"), size="sm", color="secondary",
                             outline=True, n_clicks=0)], className="d-flex align-items-center"),
    ], id=_id(scope, "box"), hidden=True, role="status", className="progress-panel border rounded p-2 mb-2")  # fmt: skip
    return html.Div([
        dcc.Store(id=_id(scope, "job")),
        dcc.Store(id=_id(scope, "done")),
        dcc.Store(id=_id(scope, "state")),
        box,
        # the hidden attribute hides it: no display class on this element (Bootstrap's win over it)
        html.Div(html.Div(stopped, className="d-flex align-items-center"), id=_id(scope, "stopped"), hidden=True,
                 role="status", className="alert alert-secondary py-2 mb-2"),
    ], className="progress-scope")  # fmt: skip


def register_panel(app: Any, scope: str, lang_store: str = ids.App.LANG) -> None:
    """The panel's own callbacks: draw the job's reports, and say so after a cancel."""

    @app.callback(
        Output(_id(scope, "title"), "children"),
        Output(_id(scope, "bar"), "value"),
        Output(_id(scope, "bar"), "label"),
        Output(_id(scope, "stage"), "children"),
        Output(_id(scope, "estimate"), "children"),
        Input(_id(scope, "state"), "data"),
        Input(_id(scope, "job"), "data"),
        Input(lang_store, "data"),
        prevent_initial_call=True,
    )
    def show(state, job, lang):
        # job's report (polled by Dash) -> bar, stage and time left in the page's language
        return progress_text(state, job, scope, lang or "en")

    # no input downstream of the worker (its done stamp): Dash would hold this callback until the job ends
    first = [State(ids.App.SETTINGS, "data")] if scope == ANALYSIS else []

    @app.callback(
        Output(_id(scope, "stopped"), "hidden"),
        Output(_id(scope, "stopped-text"), "children"),
        Input(_id(scope, "cancel"), "n_clicks"),
        Input(_id(scope, "job"), "data"),
        Input(lang_store, "data"),
        *first,
        prevent_initial_call=True,
    )
    def stopped(_cancelled, _job, lang, settings=False):
        # Cancel -> the "stopped" note (settings None: no analysis finished yet, the pages stay
        # empty); a new job -> no note
        text = t(f"progress_stopped_{scope}" + ("_first" if settings is None else ""), lang or "en")
        if _id(scope, "job") + ".data" in ctx.triggered_prop_ids:
            return True, text
        if _id(scope, "cancel") + ".n_clicks" in ctx.triggered_prop_ids:
            return False, text
        return no_update, text


def worker_options(jobs: Jobs, scope: str, running: Sequence[tuple] = ()) -> dict[str, Any]:
    """Keyword arguments of ``app.callback`` that make the worker of ``scope`` a background
    callback: its manager, the panel's progress store, what shows while it runs, Cancel."""
    return {
        "background": True,
        "manager": jobs.manager,
        "progress": [Output(_id(scope, "state"), "data")],
        "running": [(Output(_id(scope, "box"), "hidden"), False, True),
                    (Output(_id(scope, "cancel"), "disabled"), False, True), *running],
        "cancel": [Input(_id(scope, "cancel"), "n_clicks")],
        "interval": POLL_MS,
        "prevent_initial_call": True,
    }  # fmt: skip


def job_inputs(scope: str) -> tuple[Output, Input]:
    """The worker's output (the ``done`` stamp) and input (the ``job`` store) of ``scope``."""
    return Output(_id(scope, "done"), "data"), Input(_id(scope, "job"), "data")


# -- fronts and workers ------------------------------------------------------------------------------------------

#: Seconds a job's result waits in the shared cache for its page to take it.
RESULT_SECONDS = 600


def _plain(value: Any) -> Any:
    """``value`` as it comes back from JSON (tuples become lists), so specs compare equal."""
    return json.loads(json.dumps(value))


def _large(data: Any, dataset: str | None, ready: bool) -> bool:
    jobs = getattr(data, "jobs", None)
    return jobs is not None and dataset is not None and not ready and jobs.large(data.rows(dataset))


def want(data: Any, scope: str, dataset: str | None, spec: dict[str, Any], *, ready: bool = False) -> dict[str, Any]:
    """The ``job`` store of ``scope`` for work ``spec`` on ``dataset``.

    A signed job when the work is large (a roster of :attr:`Jobs.min_rows` or more) and not
    ``ready`` (cached); otherwise a fresh marker that starts no process: it still replaces,
    and so stops, a job of the previous choice, and lets the front callback run at once.
    The job store is written by a callback of its own that never reads the ``done`` stamp:
    Dash drops a callback that its own output would trigger again (a loop).
    """
    if not _large(data, dataset, ready):
        return {"scope": scope, "ready": True, "nonce": secrets.token_hex(8)}
    return data.jobs.start(scope, _plain(spec), name=data.name(dataset), rows=data.rows(dataset))


def waiting(data: Any, scope: str, dataset: str | None, spec: dict[str, Any] | None = None, *, ready: bool = False,
            done: Any = None) -> bool:  # fmt: skip
    """Whether a front callback leaves its outputs as they are: the work is a job's (see :func:`want`).

    With ``spec`` and the ``done`` stamp of a finished job that did this very work, the
    answer is no even when the result is still not ``ready`` (it could not be cached): the
    request then computes it, rather than wait for a job that will not come.
    """
    if not _large(data, dataset, ready):
        return False
    finished = data.jobs.spec(scope, done) if spec is not None else None
    return not (finished is not None and {k: finished.get(k) for k in _plain(spec)} == _plain(spec))


def job_result(data: Any, scope: str, done: Any) -> Any:
    """The result the finished job ``done`` of ``scope`` left for its page: taken, so ``None``
    the second time, and only by the login that started the job (a stamp copied to another
    browser gets nothing)."""
    jobs = getattr(data, "jobs", None)
    spec = jobs.spec(scope, done) if jobs is not None else None
    if spec is None or spec.get("user") != request_user():
        return None
    return data.take_shared(Jobs.result_key(spec))


def register_worker(app: Any, jobs: Jobs, scope: str, work: Callable[[Jobs, Reporter, dict], Any],
                    running: Sequence[tuple] = ()) -> None:  # fmt: skip
    """The background callback of ``scope``: ``work(jobs, report, spec)`` for each signed job.

    It runs in a job's process with the job's own :meth:`Jobs.data`; a result it returns
    (not ``None``) is left in the shared cache for the front callback (:func:`job_result`),
    then the ``done`` stamp is written. ``work`` must be a module-level function (it is
    named, not copied, into the job's process).
    """
    done, job = job_inputs(scope)

    def work_in_background(set_progress, job):
        # signed job -> the work, stage by stage, in another process -> its result shared -> done stamp
        spec = jobs.spec(scope, job)
        if spec is None:
            raise PreventUpdate  # not signed here: a browser cannot make the server work
        report = Reporter(set_progress, spec["nonce"], spec.get("started"))
        report("start", 0.0)
        with jobs.slot(report):
            result = work(jobs, report, spec)
        if result is not None:
            owner = (spec.get("settings") or {}).get("dataset")
            jobs.data().share(Jobs.result_key(spec), result, expire=RESULT_SECONDS, owner=owner)
        return {"token": job["token"]}

    work_in_background.jobs_owner = jobs.owner  # type: ignore[attr-defined]
    app.callback(done, job, **worker_options(jobs, scope, running))(work_in_background)


def scaled(report: Callable[..., None], start: float, end: float) -> Callable[..., None]:
    """``report`` for one part of a job: its share done mapped into ``start``..``end`` of the whole.

    >>> sent = []
    >>> scaled(lambda stage, done, **d: sent.append((stage, done)), 0.5, 1.0)("silos", 0.5)
    >>> sent
    [('silos', 0.75)]
    """

    def part(stage: str, done: float, **detail: Any) -> None:
        report(stage, start + (end - start) * done, **detail)

    return part


def settings_of(spec: dict[str, Any]) -> Settings:
    """The :class:`dashboard.settings.Settings` of a signed job (made by the request that signed it,
    its privacy held to that request's floor)."""
    return Settings(**spec["settings"])


def compute_periods(data: DashboardData, settings: Settings, period: str, report: Callable[..., None]) -> None:
    """In a job: the period analyses of ``settings`` into the shared cache, reporting each period's stages."""
    periods = len(period_bounds(data.roster(settings.dataset), period)) if settings.dataset else 0
    data.compute_trends(settings, period, on_stage=period_stages(report, periods))


# -- the first analysis (the shell) ---------------------------------------------------------------------------

#: Scope of the analysis behind every page; its panel sits in the shell, under the global controls.
ANALYSIS = "analysis"


def analysis_job(data: Any, wanted: dict[str, Any]) -> dict[str, Any]:
    """The ``job`` store of the analysis of the global controls ``wanted`` (privacy already held
    to the request's floor): a signed job when it is large and not cached (see :func:`want`)."""
    s = parse_settings(wanted)
    return want(data, ANALYSIS, s.dataset, {"settings": wanted}, ready=data.has_analysis(s))


def settings_when_ready(data: Any, wanted: dict[str, Any], done: Any = None) -> Any:
    """The settings store for the global controls ``wanted``, or ``no_update`` while a
    background job still makes their analysis.

    Pages read the settings store, so it is written only once the analysis it asks for is
    cached (or small enough for the request to compute, as before): a page then draws at
    once instead of holding a request thread for half a minute. ``done`` is the stamp of a
    finished job; when its analysis could not be cached (a full disk) the settings are
    written anyway and the pages compute it.
    """
    s = parse_settings(wanted)
    wait = waiting(data, ANALYSIS, s.dataset, {"settings": wanted}, ready=data.has_analysis(s), done=done)
    return no_update if wait else wanted


def _analysis_work(jobs: Jobs, report: Reporter, spec: dict[str, Any]) -> None:
    # the privacy in a signed job was held to the floor of the request that signed it
    jobs.data().compute_analysis(parse_settings(spec["settings"], floor="names"), on_stage=report)


def register_analysis(app: Any, jobs: Jobs, *, page: str) -> None:
    """The shell's panel callbacks and the worker that analyses a large roster in the background.

    ``page`` is the page container's wrapper, dimmed while the pages show the previous analysis.
    """
    register_panel(app, ANALYSIS)
    register_worker(app, jobs, ANALYSIS, _analysis_work, [(Output(page, "className"), "page-busy", "")])
