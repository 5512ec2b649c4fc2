"""Tests of dashboard.progress: long work as background jobs with stages, Cancel and the privacy floor.

The jobs here are real: Dash's background callbacks in spawned processes, driven through the
server as the page would drive them (start, poll, cancel), on the sample with the size rule
set to 0 rows so that even the sample's analysis goes to a job.
"""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path
from typing import Any

import pytest

from analyser.analysis import STAGES, UNIT_LEVEL_STAGES, analyse
from analyser.store import Store
from dashboard import ids
from dashboard.app import create_app, settings_data
from dashboard.data import DashboardData
from dashboard.settings import Settings, parse_settings
from dashboard.progress import STAGE_DELAY_VARIABLE, Jobs, progress_text
from tests.dash_requests import callback_body, find_callback

UPDATE = "/_dash-update-component"


def _id(scope: str, part: str) -> str:
    return ids.Progress.of(scope, part)


class Page:
    """A test client that posts callbacks as the renderer does, including background polls."""

    def __init__(self, app):
        self.client = app.server.test_client()
        self.deps = self.client.get("/_dash-dependencies").get_json()

    def post(self, fragment: str, values: dict, changed: str, **query: Any) -> Any:
        body = callback_body(find_callback(self.deps, fragment), lambda i, p: values.get((i, p)), changed=[changed])
        response = self.client.post(UPDATE, json=body, query_string=query)
        assert response.status_code in (200, 204), response.get_data(as_text=True)[:500]
        return response.get_json() if response.status_code == 200 else None

    def start(self, scope: str, job: dict) -> dict:
        """Start the worker of ``scope`` on ``job``: Dash's signed handles of the running job."""
        handles = self.post(f"{_id(scope, 'done')}.data", {(_id(scope, "job"), "data"): job}, f"{_id(scope, 'job')}.data")
        assert handles and "cacheKey" in handles, handles
        return handles

    def poll(self, scope: str, job: dict, handles: dict, *, until: Any = None, timeout: float = 180) -> tuple[list, Any]:
        """Poll as the page does until the job is done (or ``until(states)``): reports seen, done stamp."""
        states: list[dict] = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            time.sleep(0.25)
            answer = self.post(f"{_id(scope, 'done')}.data", {(_id(scope, "job"), "data"): job},
                               f"{_id(scope, 'job')}.data", cacheKey=handles["cacheKey"], job=handles["job"])  # fmt: skip
            states += [answer["progress"][f"{_id(scope, 'state')}.data"]] if answer and "progress" in answer else []
            if answer and "response" in answer:
                return states, answer["response"][_id(scope, "done")]["data"]
            if until is not None and until(states):
                return states, None
        raise AssertionError(f"the {scope} job did not finish in {timeout} s; reports: {states}")

    def cancel(self, scope: str, handles: dict) -> None:
        """Press Cancel: Dash's own cancel callback ends the job's process."""
        self.post(f"{_id(scope, 'cancel')}.id", {(_id(scope, "cancel"), "n_clicks"): 1},
                  f"{_id(scope, 'cancel')}.n_clicks", cancelJob=handles["job"])  # fmt: skip


def _controls(dataset: str, privacy: str = "names") -> dict:
    return {(ids.App.DATASET, "value"): dataset, (ids.App.LEVEL, "value"): "1", (ids.App.PRIVACY, "value"): privacy,
            (ids.App.MIN_GROUP, "value"): 5}  # fmt: skip


def _job(page: Page, dataset: str, privacy: str = "names") -> dict:
    """The shell's job callback: the analysis job store for these controls."""
    answer = page.post(f"{_id('analysis', 'job')}.data", _controls(dataset, privacy), f"{ids.App.DATASET}.value")
    return answer["response"][_id("analysis", "job")]["data"]


def _settings(page: Page, dataset: str, privacy: str = "names", done: Any = None) -> dict | None:
    """The shell's settings callback: the settings store, or ``None`` while a job makes the analysis."""
    values = {**_controls(dataset, privacy), (_id("analysis", "done"), "data"): done}
    changed = f"{_id('analysis', 'done')}.data" if done else f"{ids.App.DATASET}.value"
    answer = page.post(f"{ids.App.SETTINGS}.data", values, changed)
    return (answer or {}).get("response", {}).get(ids.App.SETTINGS, {}).get("data")


@pytest.fixture
def big(tmp_path: Path) -> tuple[Page, str, Path]:
    """An app on the sample whose every analysis counts as large (goes to a background job):
    the page, the sample's id and the data folder."""
    app = create_app(data_dir=tmp_path / "data", background_rows=0)
    return Page(app), Store(tmp_path / "data").list()[0].id, tmp_path / "data"


# -- the stage hook of analyse ----------------------------------------------------------------


def test_analyse_reports_every_stage_in_order_with_growing_shares(tiny_roster):
    """on_stage gets the stage keys of STAGES in order, shares never shrink, and it ends at ("done", 1.0)."""
    seen: list[tuple[str, float]] = []
    analyse(tiny_roster, on_stage=lambda key, done: seen.append((key, done)))
    assert [k for k, _ in seen] == list(STAGES)
    assert [d for _, d in seen] == sorted(d for _, d in seen) and seen[0] == ("graphs", 0.0) and seen[-1] == ("done", 1.0)


def test_unit_level_route_reports_its_own_stages(tiny_roster):
    """Above the person-pair limit the analysis says so in its stages: no ties, communities or bridges."""
    seen: list[str] = []
    analyse(tiny_roster, person_level_max_pairs=0, on_stage=lambda key, done: seen.append(key))
    assert seen == list(UNIT_LEVEL_STAGES)


def test_the_cli_text_steps_are_unchanged(tiny_roster):
    """The CLI's progress still gets its step texts (the stage hook is a second listener)."""
    texts: list[str] = []
    analyse(tiny_roster, progress=texts.append, on_stage=lambda *_: None)
    assert texts[0] == "building the collaboration graphs" and texts[-1] == "person bridging figures"


def test_a_failing_stage_hook_stops_the_analysis(tiny_roster):
    """An exception from on_stage ends the analysis (how a stopped job stops)."""

    def stop(key: str, _done: float) -> None:
        if key == "silos":
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        analyse(tiny_roster, on_stage=stop)


# -- fronts: what the request does itself and what it hands to a job ------------------------------


def test_small_roster_writes_settings_at_once(tmp_path):
    """Below the size rule the settings store is written straight away, as before, and the job
    store gets a marker that starts no process."""
    app = create_app(data_dir=tmp_path / "data")
    dataset = Store(tmp_path / "data").list()[0].id
    page = Page(app)
    assert _settings(page, dataset)["dataset"] == dataset
    job = _job(page, dataset)
    assert job["ready"] and "token" not in job
    assert page.post(f"{_id('analysis', 'done')}.data", {(_id("analysis", "job"), "data"): job},
                     f"{_id('analysis', 'job')}.data") is None  # fmt: skip


def test_large_roster_gets_a_signed_job_and_the_settings_wait(big):
    """A large, uncached analysis: the request answers at once with a job; pages keep the old settings."""
    page, dataset, _ = big
    start = time.perf_counter()
    job = _job(page, dataset)
    assert _settings(page, dataset) is None
    assert time.perf_counter() - start < 2  # nothing analysed in the request
    assert job["name"] == "Sample municipality" and job["rows"] > 0 and "token" in job


def test_a_job_not_signed_by_this_server_starts_no_process(big, tmp_path):
    """A forged or foreign job (another secret) is refused before any process starts."""
    page, dataset, _ = big
    foreign = Jobs(tmp_path / "other").start("analysis", {"settings": settings_data(dataset, "1", "names", 5, None)})
    for job in (foreign, {"token": "not-a-token", "scope": "analysis"}, {"scope": "analysis"}):
        answer = page.post(f"{_id('analysis', 'done')}.data", {(_id("analysis", "job"), "data"): job},
                           f"{_id('analysis', 'job')}.data")  # fmt: skip
        assert answer is None  # 204: nothing started


def test_progress_text_ignores_reports_of_another_job():
    """A late report of a replaced job does not move the new job's bar."""
    job = {"nonce": "new", "name": "X", "rows": 1000}
    title, value, _, stage, _ = progress_text({"nonce": "old", "stage": "bridges", "done": 0.9}, job, "analysis", "en")
    assert (title, value, stage) == ("Analysing X", 0, "Starting")
    report = {"nonce": "new", "stage": "silos", "done": 0.3, "seconds": 3, "period": 2, "periods": 4}
    assert progress_text(report, job, "trends", "sv")[3] == "Period 2 av 4: Prövar om enheterna arbetar i silo"
    assert progress_text({**report, "stage": "mystery", "periods": None}, job, "trends", "en")[3] == "Working"


def test_jobs_beyond_the_slots_wait_and_say_so(tmp_path):
    """With every slot taken a job reports "queued" and starts only when one is freed."""
    import threading

    from filelock import FileLock

    from dashboard.progress import JOB_FOLDER, MAX_JOBS

    jobs = Jobs(tmp_path)
    held = [FileLock(str(tmp_path / JOB_FOLDER / f"slot-{i}.lock")) for i in range(MAX_JOBS)]
    for lock in held:
        lock.acquire()
    reported, entered = [], threading.Event()

    def job() -> None:
        with jobs.slot(lambda stage, done: reported.append(stage)):
            entered.set()

    worker = threading.Thread(target=job)
    worker.start()
    time.sleep(1.0)
    assert reported == ["queued"] and not entered.is_set()
    held[0].release()
    assert entered.wait(5)
    worker.join(5)
    for lock in held[1:]:
        lock.release()


def test_a_result_goes_only_to_the_login_that_started_the_job(tmp_path):
    """A job's result (a report, a what-if) is handed to the login that started it, once; a done
    stamp copied into another login's browser gets nothing."""
    import flask

    from dashboard.progress import job_result

    jobs = Jobs(tmp_path / "data")
    data = DashboardData(Store(tmp_path / "data"), shared=jobs.cache)
    data.jobs = jobs
    server = flask.Flask("test")

    def as_user(user: str, action):
        with server.test_request_context():
            flask.g.analyser_user = user
            return action()

    job = as_user("ann", lambda: jobs.start("export", {"settings": {"dataset": None}}))
    data.share(Jobs.result_key(jobs.spec("export", job)), "the report")
    assert as_user("bob", lambda: job_result(data, "export", job)) is None
    assert as_user("ann", lambda: job_result(data, "export", job)) == "the report"
    assert as_user("ann", lambda: job_result(data, "export", job)) is None


# -- real background jobs ---------------------------------------------------------------------------


def test_background_analysis_reports_stages_then_pages_read_it_from_the_cache(big):
    """The job reports stage keys in order and caches the analysis, while the server answers other
    pages; its done stamp then writes the settings store. A second app in the process (a restart)
    does not take over the first one's workers."""
    page, dataset, root = big
    create_app(data_dir=root.parent / "other", background_rows=0)
    job = _job(page, dataset)
    handles = page.start("analysis", job)
    start = time.perf_counter()
    assert page.client.get("/overview").status_code == 200  # another page meanwhile
    assert time.perf_counter() - start < 1.0
    states, done = page.poll("analysis", job, handles)
    order = ["start", *STAGES]
    keys = [s["stage"] for s in states]
    assert keys and set(keys) <= set(order) and keys == sorted(keys, key=order.index)
    assert all(s["nonce"] == job["nonce"] for s in states)
    settings = _settings(page, dataset, done=done)
    assert settings["dataset"] == dataset
    assert DashboardData(Store(root)).has_analysis(parse_settings(settings))


def test_cancelled_analysis_leaves_the_store_intact(big, monkeypatch):
    """Cancel ends the job's process mid-analysis: datasets, roster and earlier analyses are as before,
    no half-written analysis is visible, and the next job completes."""
    page, dataset, root = big
    monkeypatch.setenv(STAGE_DELAY_VARIABLE, "1.5")  # each stage waits: the cancel lands mid-way
    before = sorted(p.name for p in (root / "datasets").iterdir())
    job = _job(page, dataset)
    handles = page.start("analysis", job)
    states, done = page.poll("analysis", job, handles, until=lambda seen: any(s["stage"] == "silos" for s in seen))
    assert done is None
    page.cancel("analysis", handles)
    pid = int(handles["job"].split("~")[0])
    import psutil

    deadline = time.monotonic() + 10
    while psutil.pid_exists(pid) and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    store = Store(root)  # a restart's sweep: what the killed job left is removed, nothing else
    assert [d.id for d in store.list()] == [dataset] and sorted(p.name for p in (root / "datasets").iterdir()) == before
    assert store.load(dataset).memberships.height > 0
    assert not any(p.name.startswith(".tmp-") for p in (root / "cache").iterdir())
    data = DashboardData(store)
    settings = Settings(dataset=dataset)
    assert not data.has_analysis(settings)
    monkeypatch.delenv(STAGE_DELAY_VARIABLE)
    job = _job(page, dataset)
    page.poll("analysis", job, page.start("analysis", job))
    assert data.has_analysis(settings) and data.analysis(settings).summary["people"] > 0


def test_viewer_work_in_the_background_holds_no_names(tmp_path):
    """With --privacy-floor pseudonyms a browser asking for names gets a job for pseudonyms: the
    background analysis caches the pseudonym analysis only, and a report written in a
    background job holds codes, never a name."""
    app = create_app(data_dir=tmp_path / "data", background_rows=0, privacy_floor="pseudonyms")
    store = Store(tmp_path / "data")
    dataset = store.list()[0].id
    names = store.load(dataset).memberships["person"].unique().to_list()
    page = Page(app)
    job = _job(page, dataset, "names")
    _, done = page.poll("analysis", job, page.start("analysis", job))
    data = DashboardData(store)
    assert data.has_analysis(Settings(dataset=dataset, privacy="pseudonyms"))
    assert not data.has_analysis(Settings(dataset=dataset, privacy="names"))
    assert _settings(page, dataset, "names", done=done)["privacy"] == "pseudonyms"

    buttons = {"export-button": [ids.export_button(f) for f in ("html", "xlsx", "csv-zip", "json", "pdf")]}
    values = {(ids.App.SETTINGS, "data"): settings_data(dataset, "1", "names", 5, None), (ids.App.LANG, "data"): "en"}

    def export(extra: dict, changed: str) -> dict | None:
        both = {**values, **extra}
        body = callback_body(find_callback(page.deps, ids.Export.DOWNLOAD),
                             lambda i, p: (1 if i["fmt"] == "json" else None) if isinstance(i, dict) else both.get((i, p)),
                             changed=[changed], wildcards=buttons)  # fmt: skip
        response = page.client.post(UPDATE, json=body)
        return response.get_json()["response"] if response.status_code == 200 else None

    button = json.dumps(ids.export_button("json"), sort_keys=True, separators=(",", ":")) + ".n_clicks"
    body = callback_body(find_callback(page.deps, _id("export", "job")),
                         lambda i, p: (1 if i["fmt"] == "json" else None) if isinstance(i, dict) else values.get((i, p)),
                         changed=[button], wildcards=buttons)  # fmt: skip
    job = page.client.post(UPDATE, json=body).get_json()["response"][_id("export", "job")]["data"]
    assert export({}, button) is None or not export({}, button).get(ids.Export.DOWNLOAD)  # the click alone waits
    _, done = page.poll("export", job, page.start("export", job))
    stamp = {(_id("export", "done"), "data"): done}
    answer = export(stamp, f"{_id('export', 'done')}.data")
    content = base64.b64decode(answer[ids.Export.DOWNLOAD]["data"]["content"]).decode("utf-8")
    assert json.loads(content)["meta"]["privacy"] == "pseudonyms" and json.loads(content)["people"]
    assert not [n for n in names if n in content]
    assert export(stamp, f"{_id('export', 'done')}.data") is None  # taken once: a replayed stamp gets nothing


def test_period_analyses_and_whatif_run_in_the_background(big):
    """Trends: the job reports period i of n and the page then draws the periods; Plan: Apply on a
    large roster answers through a job, whose result the page takes once."""
    page, dataset, _ = big
    settings = settings_data(dataset, "1", "names", 5, None)
    values = {(ids.App.SETTINGS, "data"): settings, (ids.Trends.PERIOD, "value"): "year", (ids.App.LANG, "data"): "en"}
    job = page.post(f"{_id('trends', 'job')}.data", values, f"{ids.Trends.PERIOD}.value")["response"]
    job = job[_id("trends", "job")]["data"]
    assert "token" in job
    waiting = page.post(ids.Trends.NOTES, values, f"{ids.Trends.PERIOD}.value")  # the page waits for the job
    assert ids.Trends.NOTES not in (waiting or {}).get("response", {})
    states, done = page.poll("trends", job, page.start("trends", job))
    assert {s.get("periods") for s in states if s["stage"] != "start"} == {2}  # the sample spans 2025 and 2026
    drawn = page.post(ids.Trends.NOTES, {**values, (_id("trends", "done"), "data"): done}, f"{_id('trends', 'done')}.data")
    assert "Periods with memberships: 2, from 2025 to 2026" in json.dumps(drawn["response"][ids.Trends.NOTES])

    plan = {(ids.App.SETTINGS, "data"): settings, (ids.App.LANG, "data"): "en", (ids.Plan.APPLY, "n_clicks"): 1,
            (ids.Plan.NAME, "value"): "Trygg hemgång", (ids.Plan.COUNTS, "rowData"): [{"unit": "Tekniska förvaltningen", "count": 2}]}  # fmt: skip
    job = page.post(f"{_id('whatif', 'job')}.data", plan, f"{ids.Plan.APPLY}.n_clicks")["response"][_id("whatif", "job")]["data"]
    _, done = page.poll("whatif", job, page.start("whatif", job))
    stamp = {**plan, (_id("whatif", "done"), "data"): done}
    result = page.post(ids.Plan.RESULT, stamp, f"{_id('whatif', 'done')}.data")
    assert "Trygg hemgång" in json.dumps(result["response"][ids.Plan.RESULT], ensure_ascii=False)
    assert page.post(ids.Plan.RESULT, stamp, f"{_id('whatif', 'done')}.data") is None  # taken once
