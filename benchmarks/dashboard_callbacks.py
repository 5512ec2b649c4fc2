"""Time every dashboard callback's server-side work on a cached synthetic roster, and its payload size.

Usage (one benchmark process at a time on a shared machine)::

    flock /tmp/bench.lock nice -n 5 .venv/bin/python benchmarks/dashboard_callbacks.py L --label before
    flock /tmp/bench.lock nice -n 5 .venv/bin/python benchmarks/dashboard_callbacks.py L --label after --trends
    .venv/bin/python benchmarks/dashboard_callbacks.py --table benchmarks/.data/dashboard.jsonl

The roster (``benchmarks/.data/{scale}.csv``, made by ``run.py``) is read with
``read_roster(max_bytes=None)`` and saved in a Store (a temporary folder, or ``--store DIR``
to keep the cached analysis between runs). Its analysis is computed once (timed as
``first analysis``), then every callback is posted to the app's own Flask server
(``POST /_dash-update-component`` through the test client, as the browser does), so the
time includes Dash's JSON encoding of the response. Each case is called once as the
first visit (``first_s``: it warms the caches the page fills), then ``--repeat`` times;
``median_s`` is the median of those warm runs and ``bytes`` the size of the JSON response.
Expensive cases (what-if, export, upload check) run ``--slow-repeat`` times.

With ``--trends`` a dated copy of the roster (every project given dates inside one quarter
of 2025, by project) is stored too and the Trends page is timed on it: the first call
computes the period analyses (``first_s``), the warm calls read them from the cache.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import gc
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]

import polars as pl
from run import DATA, roster_csv

from analyser.ingest import read_roster
from analyser.roster import Roster
from analyser.store import Store
from dashboard import ids
from dashboard.app import create_app
from dashboard.pages import upload as upload_page
from tests.dash_requests import callback_body, find_callback

RESULTS = DATA / "dashboard.jsonl"
#: The target of the scale issue: every callback answers within this on a warm cache.
TARGET_S = 0.300


@dataclass
class Case:
    """One callback request: the output it writes, its input/state values and what changed."""

    name: str
    fragment: str
    values: dict[tuple[Any, str], Any]
    changed: str
    wildcards: dict[str, list[dict]] = field(default_factory=dict)
    slow: bool = False  # not a 300 ms operation by nature: fewer repeats
    group: str = ""


def _id_text(cid: Any) -> str:
    return json.dumps(cid, sort_keys=True, separators=(",", ":")) if isinstance(cid, dict) else cid


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def dated_copy(roster: Roster) -> Roster:
    """The roster with dates: each project runs 30-80 days inside one quarter of 2025 (by its code)."""
    m = roster.memberships
    projects = m.select("project").unique().sort("project").with_row_index("i")
    quarter_start = [dt.date(2025, 1, 1), dt.date(2025, 4, 1), dt.date(2025, 7, 1), dt.date(2025, 10, 1)]
    projects = projects.with_columns(
        pl.col("i").mod(4).replace_strict(list(range(4)), quarter_start, return_dtype=pl.Date).alias("q"),
        (pl.col("i").mul(7919).mod(40)).cast(pl.Int64).alias("offset"),
        (30 + pl.col("i").mul(104729).mod(51)).cast(pl.Int64).alias("length"),
    ).select(
        "project",
        (pl.col("q") + pl.duration(days=pl.col("offset"))).alias("start"),
        (pl.col("q") + pl.duration(days=pl.col("offset") + pl.col("length"))).alias("end"),
    )
    dated = m.drop("start", "end").join(projects, on="project", how="left").select(m.columns)
    return Roster(dated, roster.source + " (dated)", roster.problems)


class Bench:
    """An app on a store with the roster, and a way to post one callback and time it."""

    def __init__(self, store: Store, dataset: str, dated: str | None) -> None:
        self.store, self.dataset, self.dated = store, dataset, dated
        self.app = create_app(store)
        self.client = self.app.server.test_client()
        self.deps = self.client.get("/_dash-dependencies").get_json()

    def post(self, case: Case) -> tuple[float, int]:
        dependency = find_callback(self.deps, case.fragment)
        body = callback_body(dependency, lambda i, p: case.values.get((_id_text(i), p)), changed=[case.changed],
                             wildcards=case.wildcards)  # fmt: skip
        raw = json.dumps(body).encode()
        start = time.perf_counter()
        response = self.client.post("/_dash-update-component", data=raw, content_type="application/json")
        payload = response.get_data()
        took = time.perf_counter() - start
        if response.status_code not in (200, 204):
            raise RuntimeError(f"{case.name}: HTTP {response.status_code}: {payload[:300]!r}")
        return took, len(payload)


def settings(dataset: str, privacy: str = "names") -> dict:
    return {"dataset": dataset, "level": "1", "privacy": privacy, "min_group_size": 5, "max_project_size": None}


def cases(bench: Bench, roster: Roster, csv: Path) -> list[Case]:
    """Every callback of every page with realistic inputs on the L dataset."""
    A, S = ids.App, (ids.App.SETTINGS, "data")
    s = settings(bench.dataset)
    lang = {(A.LANG, "data"): "en"}
    common = {S: s, **lang}
    units = roster.memberships.group_by("unit").agg(pl.col("person").n_unique().alias("n")).sort("n", descending=True)
    largest = units["unit"][0]
    big_project = roster.memberships.group_by("project").len().sort("len", descending=True)["project"][0]
    people = roster.memberships.filter(pl.col("unit") == largest)["person"].unique().sort().head(3).to_list()
    second = units["unit"][1]
    E = ids.Export
    buttons = {"export-button": [ids.export_button(f) for f in export_formats()]}
    out: list[Case] = [
        # shell
        Case("shell: dataset list", f"{A.DATASET}.options", {(A.DATASETS_CHANGED, "data"): {"select": None},
             (A.DATASET, "value"): bench.dataset}, f"{A.DATASETS_CHANGED}.data", group="shell"),
        Case("shell: dataset alert", A.DATASET_ERROR, {(A.DATASET, "value"): bench.dataset,
             (A.DATASETS_CHANGED, "data"): {"select": None}, **lang}, f"{A.DATASET}.value", group="shell"),
        Case("shell: levels", f"{A.LEVEL}.options", {(A.DATASET, "value"): bench.dataset, **lang, (A.LEVEL, "value"): "1"},
             f"{A.DATASET}.value", group="shell"),
        # overview
        Case("overview: headline, cards, unit map, heatmap, E-I chart", ids.Overview.HEADLINE, common, f"{A.SETTINGS}.data",
             group="overview"),
        # units
        Case("units: silo table", f"{ids.Units.GRID}.rowData", common, f"{A.SETTINGS}.data", group="units"),
        Case(f"units: drill-down of the largest unit ({largest})", ids.Units.DETAIL,
             {**common, (ids.Units.GRID, "cellClicked"): {"rowId": largest, "colId": "unit", "rowIndex": 0}},
             f"{ids.Units.GRID}.cellClicked", group="units"),
        # bridges, projects
        Case("bridges: people grid, bar chart, risks", ids.Bridges.BODY, common, f"{A.SETTINGS}.data", group="bridges"),
        Case("bridges: search a unit", ids.Bridges.BODY, {**common, (ids.Bridges.SEARCH, "value"): second},
             f"{ids.Bridges.SEARCH}.value", group="bridges"),
        Case("projects: summary, grid, unique links", ids.Projects.SUMMARY, common, f"{A.SETTINGS}.data", group="projects"),
        Case("projects: search 'PRJ01'", ids.Projects.SUMMARY, {**common, (ids.Projects.SEARCH, "value"): "PRJ01"},
             f"{ids.Projects.SEARCH}.value", group="projects"),
    ]
    N = ids.Network
    for mode, choice in (("unit", largest), ("community", "0"), ("project", big_project)):
        out.append(Case(f"network: choices ({mode})", f"{N.CHOICE}.options",
                        {**common, (N.MODE, "value"): mode, (N.CHOICE, "value"): choice}, f"{N.MODE}.value",
                        group="network"))  # fmt: skip
        out.append(Case(f"network: person map of a {mode} ({choice})", N.MESSAGE,
                        {**common, (N.MODE, "value"): mode, (N.CHOICE, "value"): choice}, f"{N.CHOICE}.value",
                        group="network"))  # fmt: skip
    T = ids.Trends
    if bench.dated:
        ts = {S: settings(bench.dated), **lang}
        out += [
            Case("trends: figures by quarter (dated copy)", T.NOTES, {**ts, (T.PERIOD, "value"): "quarter"}, f"{T.PERIOD}.value",
                 group="trends"),
            Case("trends: change between two quarters (dated copy)", T.CHANGES,
                 {**ts, (T.PERIOD, "value"): "quarter", (T.FROM, "value"): "2025-Q3", (T.TO, "value"): "2025-Q4"},
                 f"{T.TO}.value", group="trends"),
        ]
    out += [
        Case("trends: other datasets", f"{T.OTHER}.options", {**common, (T.OTHER, "value"): None}, f"{A.SETTINGS}.data",
             group="trends"),
        Case("trends: figures (undated: no periods)", T.NOTES, {**common, (T.PERIOD, "value"): "quarter"},
             f"{T.PERIOD}.value", group="trends"),
    ]
    P = ids.Plan
    out += [
        Case("plan: form (unit count grid)", f"{P.COUNTS}.rowData", common, f"{A.SETTINGS}.data", group="plan"),
        Case("plan: person search ('E01')", f"{P.PEOPLE}.options", {S: s, (P.PEOPLE, "search_value"): "E01",
             (P.PEOPLE, "value"): people[:1]}, f"{P.PEOPLE}.search_value", group="plan"),
        Case("plan: person search (pseudonyms)", f"{P.PEOPLE}.options", {S: settings(bench.dataset, "pseudonyms"),
             (P.PEOPLE, "search_value"): "a1", (P.PEOPLE, "value"): []}, f"{P.PEOPLE}.search_value", group="plan"),
        Case("plan: suggested links", P.SUGGESTIONS, common, f"{A.SETTINGS}.data", group="plan"),
        Case("plan: apply (what-if, 3 people + 4 counted)", P.RESULT,
             {**common, (P.APPLY, "n_clicks"): 1, (P.NAME, "value"): "Bench plan", (P.PEOPLE, "value"): people,
              (P.COUNTS, "rowData"): [{"unit": largest, "count": 2}, {"unit": second, "count": 2}]},
             f"{P.APPLY}.n_clicks", slow=True, group="plan"),
    ]
    for fmt in ("json", "html", "xlsx"):
        clicks = {(_id_text(b), "n_clicks"): (1 if b["fmt"] == fmt else 0) for b in buttons["export-button"]}
        out.append(Case(f"export: {fmt}", E.MESSAGE, {**common, **clicks}, f"{_id_text(ids.export_button(fmt))}.n_clicks",
                        buttons, slow=True, group="export"))  # fmt: skip
    U = ids.Upload
    url = "data:text/csv;base64," + base64.b64encode(csv.read_bytes()).decode()
    maps = {"upload-column-map": [ids.column_map(c) for c in upload_page.COLUMNS]}
    out.append(Case(f"upload: data check of the {csv.name} file ({csv.stat().st_size / 2**20:.1f} MB)", U.REPORT,
                    {(U.FILE, "contents"): url, (U.FILE, "filename"): csv.name, (U.APPLY_MAPPING, "n_clicks"): 0, **lang},
                    f"{U.FILE}.contents", maps, slow=True, group="upload"))  # fmt: skip
    out.append(Case("upload: dataset list", U.DATASETS, {(A.DATASETS_CHANGED, "data"): {"select": None}, **lang},
                    f"{A.DATASETS_CHANGED}.data", group="upload"))  # fmt: skip
    return out


def export_formats() -> tuple[str, ...]:
    from dashboard.pages.export import FORMATS

    return tuple(FORMATS)


def run(args: argparse.Namespace) -> list[dict]:
    csv = roster_csv(args.scale)
    folder = Path(args.store) if args.store else Path(tempfile.mkdtemp(prefix="dash-bench-"))
    store = Store(folder)
    t0 = time.perf_counter()
    roster = read_roster(csv, max_bytes=None)
    read_s = time.perf_counter() - t0
    known = {d.name: d.id for d in store.list()}
    name = f"{args.scale} synthetic"
    dataset = known.get(name) or store.save(roster, name=name).id
    dated = None
    if args.trends:
        dated = known.get(f"{name} (dated)") or store.save(dated_copy(roster), name=f"{name} (dated)").id
    bench = Bench(store, dataset, dated)
    records: list[dict] = []
    context = {"scale": args.scale, "label": args.label, "repeat": args.repeat, "at": time.strftime("%Y-%m-%dT%H:%M:%S"),
               "load": os.getloadavg()[0]}

    def record(case: str, **fields: Any) -> None:
        rec = {**context, "case": case, **fields}
        records.append(rec)
        with open(args.out, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(rec) + "\n")
        print(json.dumps({k: v for k, v in rec.items() if k not in context}), flush=True)

    record("read roster", first_s=read_s)
    t0 = time.perf_counter()
    store.analysis(dataset, level=1, privacy="names", min_group_size=5, max_project_size=None, seed=0)
    record("first analysis (or its disk cache)", first_s=time.perf_counter() - t0, peak_mb=_rss_mb())
    for case in cases(bench, roster, csv):
        if args.only and not any(o in case.name for o in args.only):
            continue
        if case.group in args.skip:
            continue
        gc.collect()
        first, size = bench.post(case)  # first visit: fills the caches this page uses
        times = []
        for _ in range(args.slow_repeat if case.slow else args.repeat):
            took, size = bench.post(case)
            times.append(took)
        record(case.name, group=case.group, first_s=first, median_s=statistics.median(times), runs=len(times),
               bytes=size, slow=case.slow, peak_mb=_rss_mb())  # fmt: skip
    return records


def _secs(s: float | None) -> str:
    if s is None:
        return "–"
    return f"{s * 1000:.0f} ms" if s < 1 else f"{s:.1f} s"


def _size(n: int | None) -> str:
    if n is None:
        return "–"
    return f"{n / 2**20:.1f} MB" if n >= 2**20 else f"{n / 1024:.1f} kB"


def table(records: list[dict]) -> str:
    """Markdown: one row per case, columns per label (first / warm median / payload)."""
    labels = list(dict.fromkeys(r["label"] for r in records))
    latest: dict[tuple[str, str], dict] = {(r["label"], r["case"]): r for r in records}
    rows = list(dict.fromkeys(r["case"] for r in records))
    head = "| callback | " + " | ".join(f"{lab}: first / warm median / payload" for lab in labels) + " |"
    lines = [head, "|---|" + "---|" * len(labels)]
    for case in rows:
        cells = []
        for lab in labels:
            r = latest.get((lab, case))
            cells.append("–" if r is None else f"{_secs(r.get('first_s'))} / {_secs(r.get('median_s'))} / {_size(r.get('bytes'))}")
        lines.append(f"| {case} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("scale", nargs="?", default="L", choices=("S", "M", "L", "XL"))
    parser.add_argument("--label", default="run", help="name of this run in the records (before, after, ...)")
    parser.add_argument("--repeat", type=int, default=5, help="warm runs per callback (median reported)")
    parser.add_argument("--slow-repeat", type=int, default=2, help="warm runs of what-if, export and upload check")
    parser.add_argument("--store", help="keep the store (and its cached analysis) in this folder")
    parser.add_argument("--trends", action="store_true", help="also time the Trends page on a dated copy")
    parser.add_argument("--skip", nargs="*", default=[], help="groups to skip (export, plan, upload, ...)")
    parser.add_argument("--only", nargs="*", default=[], help="only the cases whose name holds one of these")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--table", type=Path, help="print the table of a results file and exit")
    args = parser.parse_args(argv)
    if args.table:
        print(table([json.loads(line) for line in args.table.read_text().splitlines() if line.strip()]))
        return 0
    records = run(args)
    print(table(records))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
